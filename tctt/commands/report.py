"""``tctt report``: the HTML report of a run and, on request, its Word/PDF documents."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.exit_codes import ExitCode
from tctt.commands._shared import (
    parse_date,
    ruleset_of,
    say,
    schedule_valid,
    with_db,
    with_lang,
    with_ruleset,
    with_run,
    with_schedule,
)


def register(sub: argparse._SubParsersAction) -> None:
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
    p.add_argument("--deadline", type=parse_date, metavar="YYYY-MM-DD", help="thời hạn khắc phục ghi trong thông báo / "
                   "the deadline stated in the notices")
    with_schedule(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tctt import stages

    if not schedule_valid(args.schedule):
        return ExitCode.BAD_INPUT
    ruleset = ruleset_of(args)
    index, _ = stages.report(args.db, args.out, args.run, lang=args.lang, ruleset=ruleset, schedule=args.schedule)
    print(f"Báo cáo / report: {index.resolve()}")
    if args.docx or args.pdf:
        return _documents(args, ruleset)
    return ExitCode.OK


def _documents(args: argparse.Namespace, ruleset) -> int:  # noqa: ANN001 - rules.Ruleset
    """The official documents of ``tctt report --docx/--pdf`` in ``<out>/van-ban``."""
    from reports.notice import NoticeError, PdfUnavailable
    from tctt.office import make_documents

    folder = Path(args.out) / "van-ban"
    try:
        docs = make_documents(args.db, args.run, folder, bands=ruleset.bands, letterhead=args.letterhead,
                              templates=args.templates, pdf=args.pdf, deadline=args.deadline)
    except NoticeError as exc:
        say(str(exc))
        return ExitCode.FAILURE if isinstance(exc, PdfUnavailable) else ExitCode.BAD_INPUT
    print(f"Văn bản / documents: {folder.resolve()} ({len(docs.docx)} DOCX, {len(docs.pdf)} PDF)")
    return ExitCode.OK
