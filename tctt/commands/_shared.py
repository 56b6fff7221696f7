"""What the stage commands (demo, audit, crawl, score, report, export, rules) share: messages, the
ruleset with its overlays, the crawl's preparation, scoring and reporting, and their common options."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from core.exit_codes import ExitCode


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def resumable(args: argparse.Namespace) -> int | None:
    """The run to resume (--resume RUN), checked against the store; None for a new run. A resumed run
    keeps its own --allow-private choice. Raises StoreError (exit 3) when the database does not hold it."""
    from core.store import Store

    if args.resume is None:
        return None
    store = Store(args.db)
    try:
        run = store.run(args.resume)
    finally:
        store.close()
    args.allow_private = args.allow_private or bool((run.get("options") or {}).get("allow_private"))
    return int(run["id"])


def start_crawl(args: argparse.Namespace):  # noqa: ANN202 - stages.CrawlOutcome | int (exit code)
    from tctt import stages

    if (args.registry is None) == (args.resume is None):
        say("Cần đúng một trong --registry hoặc --resume / give exactly one of --registry or --resume")
        return ExitCode.BAD_INPUT
    resume = resumable(args)
    if resume is None and not validate_registry(args.registry, args.allow_private):
        return ExitCode.BAD_INPUT
    refusal = contact_refusal(args, resume)
    if refusal:
        say(refusal)
        return ExitCode.NO_CONTACT
    settings = {}
    for assignment in args.set or []:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            say(f"--set cần dạng TÊN=GIÁ_TRỊ / --set expects NAME=VALUE: {assignment!r}")
            return ExitCode.BAD_INPUT
        settings[name.strip()] = value
    if args.processes < 1:
        say(f"--processes phải ≥ 1 / --processes must be at least 1: {args.processes}")
        return ExitCode.BAD_INPUT
    return stages.crawl(args.registry, args.db, allow_private=args.allow_private, progress=True,
                        log_level=args.log_level, resume=resume, settings=settings, processes=args.processes)


def contact_refusal(args: argparse.Namespace, resume: int | None) -> str | None:
    """Why a public crawl may not start (no operator contact), or None; loopback registries pass."""
    from core.registry import load_registry
    from core.store import Store
    from crawler.contact import missing_contact

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


def schedule_valid(cron: str | None) -> bool:
    from croniter import croniter

    if cron is None or croniter.is_valid(cron):
        return True
    say(f"Biểu thức cron không hợp lệ / invalid cron expression: {cron!r}")
    return False


def score_and_report(db: Path, run_id: int, out: Path, lang: str, status: str, *, schedule: str | None = None) -> int:
    from tctt import stages

    ruleset = ruleset_of(argparse.Namespace())  # the bundled ruleset, with any overlay named in $TCTT_OVERLAY
    stages.score(db, run_id, ruleset)
    index, model = stages.report(db, out, run_id, lang=lang, ruleset=ruleset, schedule=schedule)
    print(stages.summary(model, lang))
    print(f"\nBáo cáo / report: {index.resolve()}\nCơ sở dữ liệu / database: {db.resolve()}")
    print(stages.archive_line(db, run_id))
    print(f"Mở bằng trình duyệt / open in a browser: file://{index.resolve()}")
    if status != "complete":
        say(f"Lượt kiểm tra chưa hoàn tất / the run is incomplete ({status}).")
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def validate_registry(path: str, allow_private: bool) -> bool:
    from core.registry import RegistryError, load_registry

    try:
        agencies = load_registry(path, allow_private=allow_private)
    except RegistryError as exc:
        say("Sổ đăng ký bị từ chối, không nhập gì / registry refused, nothing imported:")
        for problem in exc.problems:
            say(f"  {problem}")
        return False
    say(f"Sổ đăng ký hợp lệ / registry valid: {len(agencies)} cơ quan / agencies")
    return True


def ruleset_of(args: argparse.Namespace):  # noqa: ANN202 - rules.Ruleset, imported lazily
    from auditors import param_schemas
    from rules import apply_overlay, load_ruleset

    ruleset = load_ruleset(getattr(args, "ruleset", None))
    # Overlays from --overlay, else from TCTT_OVERLAY (paths separated like PATH): a province's own weights.
    overlays = getattr(args, "overlay", None) or [p for p in os.environ.get("TCTT_OVERLAY", "").split(os.pathsep) if p]
    for path in overlays:
        ruleset = apply_overlay(ruleset, path, known_auditors=param_schemas())
    return ruleset


def parse_date(value: str):  # noqa: ANN202 - datetime.date
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ / invalid date {value!r} (YYYY-MM-DD)") from None


# -- options several commands share ---------------------------------------------------------------------
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


def with_processes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--processes", type=int, default=1, metavar="K",
                   help="số tiến trình thu thập, chia cơ quan theo tên máy chủ / crawl processes sharing the "
                        "agencies by host name (default: %(default)s; one per CPU core is the fastest)")


RESUME_HELP = "tiếp tục một lượt bị ngắt, không tải lại trang đã lưu / resume an interrupted run without refetching"


def with_crawl_options(p: argparse.ArgumentParser) -> None:
    """The registry, resume and settings options of ``tctt audit`` and ``tctt crawl``."""
    p.add_argument("--registry", help="sổ đăng ký CSV/YAML / registry file")
    p.add_argument("--resume", metavar="RUN", help=RESUME_HELP)
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="đặt một tham số Scrapy/TCTT_* / set a Scrapy or TCTT_* setting (repeatable)")
    with_db(p)


def with_allow_private(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-private", action="store_true", help="cho phép địa chỉ nội bộ/loopback / allow private and loopback addresses")


def with_schedule(p: argparse.ArgumentParser) -> None:
    p.add_argument("--schedule", metavar="CRON", help="biểu thức cron của lịch kiểm tra, để báo cáo ghi ngày lượt kế "
                   "tiếp / the audit schedule's cron expression, so the report shows the next run's date")
