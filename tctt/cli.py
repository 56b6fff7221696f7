"""The ``tctt`` command line.

Exit codes: 0 done; 1 unexpected failure; 2 bad input (registry, arguments, ruleset);
3 the database does not hold what was asked for; 4 the crawl was interrupted (run marked incomplete).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from tctt import __version__
from tctt.exit_codes import ExitCode, epilog

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = ExitCode.OK, ExitCode.FAILURE, ExitCode.BAD_INPUT
EXIT_STORE, EXIT_INCOMPLETE = ExitCode.NOT_IN_STORE, ExitCode.INCOMPLETE


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- commands ------------------------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    from tctt import stages
    from tctt.sampleserver import serve_sample_province

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "tctt.db"
    # A demo starts afresh: the sample servers get new ports, so old evidence and cache say nothing.
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.rmtree(f"{db}.httpcache", ignore_errors=True)
    shutil.rmtree(f"{db}.warc", ignore_errors=True)
    _say("Khởi động tỉnh mẫu trên loopback / serving the sample province on loopback…")
    with serve_sample_province() as province:
        registry = out / "registry.csv"
        province.write_registry(registry)
        _say(f"Sổ đăng ký / registry: {registry} ({len(province.registry_rows)} cơ quan / agencies)")
        outcome = stages.crawl(registry, db, allow_private=True, progress=True, log_level=args.log_level)
    return _score_and_report(db, outcome.run_id, out, args.lang, outcome.status)


def _resumable(args: argparse.Namespace) -> int | None:
    """The run to resume (--resume RUN), checked against the store; None for a new run. A resumed run
    keeps its own --allow-private choice. Raises StoreError (exit 3) when the database does not hold it."""
    from tctt.store import Store

    if args.resume is None:
        return None
    store = Store(args.db)
    try:
        run = store.run(args.resume)
    finally:
        store.close()
    args.allow_private = args.allow_private or bool((run.get("options") or {}).get("allow_private"))
    return int(run["id"])


def _crawl(args: argparse.Namespace):  # noqa: ANN202 - stages.CrawlOutcome | int (exit code)
    from tctt import stages

    if (args.registry is None) == (args.resume is None):
        _say("Cần đúng một trong --registry hoặc --resume / give exactly one of --registry or --resume")
        return EXIT_BAD_INPUT
    resume = _resumable(args)
    if resume is None and not _validate_registry(args.registry, args.allow_private):
        return EXIT_BAD_INPUT
    refusal = _contact_refusal(args, resume)
    if refusal:
        _say(refusal)
        return ExitCode.NO_CONTACT
    settings = {}
    for assignment in args.set or []:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            _say(f"--set cần dạng TÊN=GIÁ_TRỊ / --set expects NAME=VALUE: {assignment!r}")
            return EXIT_BAD_INPUT
        settings[name.strip()] = value
    if args.processes < 1:
        _say(f"--processes phải ≥ 1 / --processes must be at least 1: {args.processes}")
        return EXIT_BAD_INPUT
    return stages.crawl(args.registry, args.db, allow_private=args.allow_private, progress=True,
                        log_level=args.log_level, resume=resume, settings=settings, processes=args.processes)


def _contact_refusal(args: argparse.Namespace, resume: int | None) -> str | None:
    """Why a public crawl may not start (no operator contact), or None; loopback registries pass."""
    from crawler.contact import missing_contact
    from tctt.registry import load_registry
    from tctt.store import Store

    if resume is None:
        agencies = load_registry(args.registry, allow_private=args.allow_private)
        urls = [url for agency in agencies for url in (agency.url, agency.section_url) if url]
    else:
        store = Store(args.db)
        try:
            urls = [str(agency.get(column) or "") for agency in store.agencies(resume)
                    for column in ("url", "section_url")]
        finally:
            store.close()
    return missing_contact(urls)


def cmd_audit(args: argparse.Namespace) -> int:
    if not _schedule_valid(args.schedule):
        return EXIT_BAD_INPUT
    outcome = _crawl(args)
    if isinstance(outcome, int):
        return outcome
    return _score_and_report(Path(args.db), outcome.run_id, Path(args.out), args.lang, outcome.status,
                             schedule=args.schedule)


def _schedule_valid(cron: str | None) -> bool:
    from croniter import croniter

    if cron is None or croniter.is_valid(cron):
        return True
    _say(f"Biểu thức cron không hợp lệ / invalid cron expression: {cron!r}")
    return False


def _score_and_report(db: Path, run_id: int, out: Path, lang: str, status: str, *, schedule: str | None = None) -> int:
    from tctt import stages

    ruleset = _ruleset(argparse.Namespace())  # the bundled ruleset, with any overlay named in $TCTT_OVERLAY
    stages.score(db, run_id, ruleset)
    index, model = stages.report(db, out, run_id, lang=lang, ruleset=ruleset, schedule=schedule)
    print(stages.summary(model, lang))
    print(f"\nBáo cáo / report: {index.resolve()}\nCơ sở dữ liệu / database: {db.resolve()}")
    print(stages.archive_line(db, run_id))
    print(f"Mở bằng trình duyệt / open in a browser: file://{index.resolve()}")
    if status != "complete":
        _say(f"Lượt kiểm tra chưa hoàn tất / the run is incomplete ({status}).")
        return EXIT_INCOMPLETE
    return EXIT_OK


def _validate_registry(path: str, allow_private: bool) -> bool:
    from tctt.registry import RegistryError, load_registry

    try:
        agencies = load_registry(path, allow_private=allow_private)
    except RegistryError as exc:
        _say("Sổ đăng ký bị từ chối, không nhập gì / registry refused, nothing imported:")
        for problem in exc.problems:
            _say(f"  {problem}")
        return False
    _say(f"Sổ đăng ký hợp lệ / registry valid: {len(agencies)} cơ quan / agencies")
    return True


def cmd_crawl(args: argparse.Namespace) -> int:
    outcome = _crawl(args)
    if isinstance(outcome, int):
        return outcome
    print(f"Lượt / run {outcome.run_id}: {outcome.status}. Tiếp theo / next: tctt score --db {args.db} --run {outcome.run_id}")
    return EXIT_OK if outcome.status == "complete" else EXIT_INCOMPLETE


def cmd_score(args: argparse.Namespace) -> int:
    from tctt import stages

    result = stages.score(args.db, args.run, _ruleset(args), audit_date=args.audit_date)
    average = "—" if result.average is None else f"{result.average:.1f}"
    print(f"Lượt / run {result.run_id}: chấm điểm / scored {result.audited} cơ quan / agencies "
          f"(chưa kiểm tra được / not audited: {result.not_audited}); trung bình / average {average}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from tctt import stages

    if not _schedule_valid(args.schedule):
        return EXIT_BAD_INPUT
    ruleset = _ruleset(args)
    index, _ = stages.report(args.db, args.out, args.run, lang=args.lang, ruleset=ruleset, schedule=args.schedule)
    print(f"Báo cáo / report: {index.resolve()}")
    if args.docx or args.pdf:
        return _documents(args, ruleset)
    return EXIT_OK


def _documents(args: argparse.Namespace, ruleset) -> int:  # noqa: ANN001 - rules.Ruleset
    """The official documents of ``tctt report --docx/--pdf`` in ``<out>/van-ban``."""
    from reports.notice import NoticeError, PdfUnavailable
    from tctt.office import make_documents

    folder = Path(args.out) / "van-ban"
    try:
        docs = make_documents(args.db, args.run, folder, bands=ruleset.bands, letterhead=args.letterhead,
                              templates=args.templates, pdf=args.pdf, deadline=args.deadline)
    except NoticeError as exc:
        _say(str(exc))
        return EXIT_FAILURE if isinstance(exc, PdfUnavailable) else EXIT_BAD_INPUT
    print(f"Văn bản / documents: {folder.resolve()} ({len(docs.docx)} DOCX, {len(docs.pdf)} PDF)")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from reports import build_run_model, export_json
    from tctt.store import Store

    ruleset = _ruleset(args)
    store = Store(args.db)
    try:
        model = build_run_model(store, args.run, bands=ruleset.bands, lang=args.lang)
    finally:
        store.close()
    if args.format == "xlsx":
        from reports.xlsx import write_xlsx

        if not args.out:
            _say("--format xlsx cần --out TỆP / --format xlsx needs --out FILE")
            return EXIT_BAD_INPUT
        rules = [{"id": r.id, "title": r.title, "class": r.rule_class} for r in ruleset.rules]
        _say(f"Đã ghi / written: {write_xlsx(model, args.out, rules=rules)}")
        return EXIT_OK
    if args.format == "csv":
        from reports.xlsx import excel_csv

        text = excel_csv(model, sep=args.sep)  # starts with a UTF-8 BOM so that Excel reads it as UTF-8
    else:
        text = export_json(model) + "\n"
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8", newline="")
        _say(f"Đã ghi / written: {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from auditors import AUDITORS
    from rules import RuleError, apply_overlay, load_ruleset

    if args.rules_command == "validate":
        try:
            ruleset = load_ruleset(args.path, known_auditors=set(AUDITORS))
            for path in args.overlay or []:
                ruleset = apply_overlay(ruleset, path, known_auditors=set(AUDITORS))
        except RuleError as exc:
            _say("Bộ tiêu chí không hợp lệ / invalid ruleset:")
            for problem in exc.problems:
                _say(f"  {problem}")
            return EXIT_BAD_INPUT
        print(f"Hợp lệ / valid: {ruleset.id} {ruleset.label}, {len(ruleset.rules)} tiêu chí / rules")
        return EXIT_OK
    ruleset = _ruleset(args)
    if args.rules_command == "show":
        try:
            rule = ruleset.rule(args.id)
        except KeyError:
            _say(f"Không có tiêu chí / no such rule: {args.id}")
            return EXIT_BAD_INPUT
        print(Path(rule.source).read_text(encoding="utf-8"))
        return EXIT_OK
    if args.rules_command == "docs":
        from reports.rulesdoc import write_rules_reference

        index = write_rules_reference(ruleset, args.out, lang=args.lang)
        print(f"Tài liệu tiêu chí / rules reference: {index.resolve()}")
        return EXIT_OK
    from rules import accuracy_for, basis_row

    # The precision/recall measured on the gold set for this very version (tctt evaluate --record).
    accuracy = accuracy_for(ruleset.path, ruleset.id, ruleset.version) or {}
    measured = accuracy.get("rules") or {}
    rows = [{"id": r.id, "class": r.rule_class, "weight": r.weight, "mode": r.mode, "title": r.title,
             "covers": r.covers, "legal_basis": [basis_row(b) for b in r.legal_basis], "transition": r.transition,
             "criteria": r.criteria, "class_from": r.class_from, "limits": r.limits,
             "check": {"auditor": r.auditor, "params": r.params}, "accuracy": measured.get(r.id)}
            for r in ruleset.rules]
    if args.format == "json":
        print(json.dumps({"ruleset": ruleset.id, "version": ruleset.version, "overlays": ruleset.overlays,
                          "regimes": ruleset.regimes, "rules": rows,
                          "accuracy": {k: v for k, v in accuracy.items() if k != "rules"} or None},
                         ensure_ascii=False, indent=2))
    else:
        print(f"{ruleset.id} {ruleset.version} — {ruleset.title['vi']}")
        if accuracy:
            print(f"  Độ chính xác / accuracy ({accuracy.get('gold_portals')} cổng mẫu / gold portals, "
                  f"{(accuracy.get('measured_at') or '')[:10]}): tìm Chuyên mục / section {accuracy.get('section_accuracy')}")
            print("  (mức khớp với chính sách gán nhãn trên cổng mẫu tự tạo, không phải tính đúng pháp lý / agreement with "
                  "the labelling policy on generated portals, not legal correctness)")
        else:
            print("  Độ chính xác chưa được đo cho phiên bản này / accuracy not measured for this version (tctt evaluate --record)")
        for r in ruleset.rules:
            figures = measured.get(r.id) or {}
            f1 = "  —  " if figures.get("f1") is None else f"{figures['f1']:.3f}"
            print(f"  {r.id:<24} {r.rule_class:<12} {r.weight:>3g}  {','.join(r.covers):<30} F1 {f1}  {r.title['vi']}")
    return EXIT_OK


def _ruleset(args: argparse.Namespace):  # noqa: ANN202 - rules.Ruleset, imported lazily
    from auditors import AUDITORS
    from rules import apply_overlay, load_ruleset

    ruleset = load_ruleset(getattr(args, "ruleset", None))
    # Overlays from --overlay, else from TCTT_OVERLAY (paths separated like PATH): a province's own weights.
    overlays = getattr(args, "overlay", None) or [p for p in os.environ.get("TCTT_OVERLAY", "").split(os.pathsep) if p]
    for path in overlays:
        ruleset = apply_overlay(ruleset, path, known_auditors=set(AUDITORS))
    return ruleset


def _date(value: str):  # noqa: ANN202 - datetime.date
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ / invalid date {value!r} (YYYY-MM-DD)") from None


# -- parser ---------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tctt",
        description="Kiểm tra Chuyên mục tiếp cận thông tin trên cổng thông tin của các cơ quan nhà nước / "
                    "audit the access-to-information section of state agencies' portals.",
        epilog=epilog(),
    )
    parser.add_argument("--version", action="version", version=f"tctt-audit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_db(p: argparse.ArgumentParser, default: str | None = "tctt.db") -> None:
        p.add_argument("--db", default=default, required=default is None, help="tệp SQLite / SQLite file (default: %(default)s)")

    def with_run(p: argparse.ArgumentParser) -> None:
        p.add_argument("--run", default="latest", help="mã lượt hoặc 'latest' / run id or 'latest' (default)")

    def with_lang(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ báo cáo / report language")

    def with_ruleset(p: argparse.ArgumentParser) -> None:
        p.add_argument("--ruleset", default=None, help="thư mục bộ tiêu chí / ruleset folder (default: bundled core)")
        p.add_argument("--overlay", action="append", default=None, metavar="FILE",
                       help="tệp điều chỉnh của tỉnh (lặp lại được; mặc định $TCTT_OVERLAY) / a province's overlay file "
                            "(repeatable; default $TCTT_OVERLAY)")

    def with_log(p: argparse.ArgumentParser) -> None:
        p.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                       help="Scrapy log level (default: %(default)s)")

    p = sub.add_parser("demo", help="chạy thử trên tỉnh mẫu / serve the bundled sample province on loopback and audit it")
    p.add_argument("--out", default="out/demo", help="thư mục kết quả / output folder (default: %(default)s)")
    with_lang(p)
    with_log(p)
    p.set_defaults(func=cmd_demo)

    def with_processes(p: argparse.ArgumentParser) -> None:
        p.add_argument("--processes", type=int, default=1, metavar="K",
                       help="số tiến trình thu thập, chia cơ quan theo tên máy chủ / crawl processes sharing the "
                            "agencies by host name (default: %(default)s; one per CPU core is the fastest)")

    resume_help = "tiếp tục một lượt bị ngắt, không tải lại trang đã lưu / resume an interrupted run without refetching"
    p = sub.add_parser("audit", help="thu thập, chấm điểm, lập báo cáo / crawl, score and report")
    p.add_argument("--registry", help="sổ đăng ký CSV/YAML / registry file")
    p.add_argument("--resume", metavar="RUN", help=resume_help)
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="đặt một tham số Scrapy/TCTT_* / set a Scrapy or TCTT_* setting (repeatable)")
    with_db(p)
    p.add_argument("--out", default="out/report", help="thư mục báo cáo / report folder (default: %(default)s)")
    p.add_argument("--allow-private", action="store_true", help="cho phép địa chỉ nội bộ/loopback / allow private and loopback addresses")
    with_processes(p)
    with_lang(p)
    with_log(p)
    p.add_argument("--schedule", metavar="CRON", help="biểu thức cron của lịch kiểm tra, để báo cáo ghi ngày lượt kế "
                   "tiếp / the audit schedule's cron expression, so the report shows the next run's date")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("crawl", help="chỉ thu thập bằng chứng / crawl only (stores evidence, no scoring)")
    p.add_argument("--registry", help="sổ đăng ký CSV/YAML / registry file")
    p.add_argument("--resume", metavar="RUN", help=resume_help)
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="đặt một tham số Scrapy/TCTT_* / set a Scrapy or TCTT_* setting (repeatable)")
    with_db(p)
    p.add_argument("--allow-private", action="store_true", help="cho phép địa chỉ nội bộ/loopback / allow private and loopback addresses")
    with_processes(p)
    with_log(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("score", help="chấm lại từ bằng chứng đã lưu, không cần mạng / (re-)score stored evidence, no network")
    with_db(p)
    with_run(p)
    with_ruleset(p)
    p.add_argument("--audit-date", type=_date, default=None, metavar="YYYY-MM-DD",
                   help="chấm theo căn cứ pháp lý có hiệu lực vào ngày này (mặc định: ngày của lượt) / judge under the "
                        "law in force on this date (default: the run's audit date)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("report", help="lập báo cáo HTML / write the HTML report of a run")
    with_db(p)
    with_run(p)
    p.add_argument("--out", default="out/report", help="thư mục báo cáo / report folder (default: %(default)s)")
    with_lang(p)
    with_ruleset(p)
    p.add_argument("--docx", action="store_true", help="thêm thông báo từng cơ quan và báo cáo tổng hợp (Word) vào "
                   "OUT/van-ban / also write each agency's gap notice and the summary report (Word) to OUT/van-ban")
    p.add_argument("--pdf", action="store_true", help="như --docx, kèm bản PDF (cần LibreOffice) / as --docx, with "
                   "PDF copies (needs LibreOffice)")
    p.add_argument("--letterhead", metavar="FILE", help="tiêu đề văn bản của tỉnh (TOML, xem tctt templates) / the "
                   "province's letterhead (TOML, see tctt templates)")
    p.add_argument("--templates", metavar="DIR", help="thư mục mẫu Word tỉnh đã sửa / folder of the province's "
                   "edited Word templates (thong-bao.docx, bao-cao-tong-hop.docx)")
    p.add_argument("--deadline", type=_date, metavar="YYYY-MM-DD", help="thời hạn khắc phục ghi trong thông báo / "
                   "the deadline stated in the notices")
    p.add_argument("--schedule", metavar="CRON", help="biểu thức cron của lịch kiểm tra, để báo cáo ghi ngày lượt kế "
                   "tiếp / the audit schedule's cron expression, so the report shows the next run's date")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("export", help="xuất kết quả (JSON, CSV, Excel) / export a run (JSON, CSV, Excel)")
    with_db(p, default=None)
    with_run(p)
    p.add_argument("--format", choices=("json", "csv", "xlsx"), default="json",
                   help="json; csv (UTF-8 có BOM / with a BOM, for Excel); xlsx (bảng tính Excel, cần --out / "
                        "an Excel workbook, needs --out)")
    p.add_argument("--out", default=None, metavar="FILE", help="ghi ra tệp thay vì đầu ra chuẩn / write to FILE "
                   "instead of standard output")
    p.add_argument("--sep", choices=(",", ";"), default=",",
                   help="dấu phân cách CSV; ';' cho Excel cài đặt vùng Việt Nam / CSV separator; ';' for Excel "
                        "with Vietnamese regional settings (default: %(default)s)")
    with_lang(p)
    with_ruleset(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("rules", help="bộ tiêu chí / the ruleset")
    rules_sub = p.add_subparsers(dest="rules_command", required=True, metavar="SUBCOMMAND")
    q = rules_sub.add_parser("list", help="liệt kê tiêu chí / list the rules")
    q.add_argument("--format", choices=("text", "json"), default="text")
    with_ruleset(q)
    q = rules_sub.add_parser("show", help="xem một tiêu chí / show one rule's YAML")
    q.add_argument("id")
    with_ruleset(q)
    q = rules_sub.add_parser("validate", help="kiểm tra bộ tiêu chí / validate a ruleset folder")
    q.add_argument("path", nargs="?", default=None, help="thư mục / folder (default: bundled core)")
    q.add_argument("--overlay", action="append", default=None, metavar="FILE", help="kiểm tra cả tệp điều chỉnh / also validate an overlay")
    q = rules_sub.add_parser("docs", help="viết tài liệu tiêu chí HTML / write the HTML rules reference")
    q.add_argument("--out", default="out/rules", help="thư mục / output folder (default: %(default)s)")
    with_lang(q)
    with_ruleset(q)
    p.set_defaults(func=cmd_rules)

    import tctt.commands

    for info in sorted(pkgutil.iter_modules(tctt.commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"tctt.commands.{info.name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from rules import RuleError
    from tctt.store import StoreError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except StoreError as exc:
        _say(str(exc))
        return EXIT_STORE
    except RuleError as exc:
        _say("Bộ tiêu chí không hợp lệ / invalid ruleset:\n  " + "\n  ".join(exc.problems))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _say("Đã dừng / interrupted.")
        return EXIT_INCOMPLETE


if __name__ == "__main__":
    raise SystemExit(main())

