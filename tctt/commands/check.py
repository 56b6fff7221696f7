"""``tctt check URL``: audit one portal now and print what to fix (for an agency's web editor)."""

from __future__ import annotations

import argparse
import json
import sys

from core.exit_codes import ExitCode
from core.registry import LEVELS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help="tự kiểm tra một cổng ngay, không cần sổ đăng ký / self-check one portal now (no registry, no database)",
        description="Kiểm tra ngay một cổng thông tin và in các thiếu sót cùng cách khắc phục / audit one portal "
                    "now and print its gaps with how to fix them.",
        epilog="Mã thoát / exit codes: 0 không còn tiêu chí thiết yếu nào chưa đạt / no essential rule fails; "
               "8 còn tiêu chí thiết yếu chưa đạt / an essential rule fails; 9 không truy cập được / unreachable "
               "or error; 10 bị chặn (tường lửa, captcha, robots.txt) / blocked; 2 địa chỉ sai / bad address.")
    p.add_argument("url", help="địa chỉ cổng / the portal's address (http:// or https://)")
    p.add_argument("--allow-private", action="store_true",
                   help="cho phép địa chỉ nội bộ/loopback / allow private and loopback addresses")
    p.add_argument("--level", choices=LEVELS, default="department",
                   help="cấp của cơ quan / the agency's level (default: %(default)s)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tctt.selfcheck import CheckInputError, format_text, run_check

    print(f"Đang kiểm tra / checking {args.url} …", file=sys.stderr, flush=True)
    try:
        result = run_check(args.url, level=args.level, allow_private=args.allow_private, lang=args.lang)
    except CheckInputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return ExitCode.BAD_INPUT
    if args.format == "json":
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(format_text(result, args.lang))
    return result.exit_code
