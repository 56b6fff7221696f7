"""``tctt export``: a run as JSON, CSV (with a BOM, for Excel) or an Excel workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.exit_codes import ExitCode
from tctt.commands._shared import ruleset_of, say, with_db, with_lang, with_ruleset, with_run


def register(sub: argparse._SubParsersAction) -> None:
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.store import Store
    from reports import build_run_model, export_json

    ruleset = ruleset_of(args)
    store = Store(args.db)
    try:
        model = build_run_model(store, args.run, bands=ruleset.bands, lang=args.lang)
    finally:
        store.close()
    if args.format == "xlsx":
        from reports.xlsx import write_xlsx

        if not args.out:
            say("--format xlsx cần --out TỆP / --format xlsx needs --out FILE")
            return ExitCode.BAD_INPUT
        rules = [{"id": r.id, "title": r.title, "class": r.rule_class} for r in ruleset.rules]
        say(f"Đã ghi / written: {write_xlsx(model, args.out, rules=rules)}")
        return ExitCode.OK
    if args.format == "csv":
        from reports.xlsx import excel_csv

        text = excel_csv(model, sep=args.sep)  # starts with a UTF-8 BOM so that Excel reads it as UTF-8
    else:
        text = export_json(model) + "\n"
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8", newline="")
        say(f"Đã ghi / written: {args.out}")
    else:
        sys.stdout.write(text)
    return ExitCode.OK
