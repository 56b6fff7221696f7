"""``tctt discover``: a proposed registry of a parent portal's subordinate portals."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from core.exit_codes import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "discover",
        help="tìm cổng của các đơn vị trực thuộc / find the portals of a parent's subordinate bodies",
        description="Từ cổng của cơ quan cấp trên, tìm cổng của các đơn vị trực thuộc (hộp 'Liên kết website', "
                    "trình đơn, chân trang, trang 'Đơn vị trực thuộc'/'Các xã, phường', trang con cùng máy chủ) "
                    "và viết sổ đăng ký đề xuất để cán bộ duyệt (tctt registry diff/merge). / From a parent "
                    "portal, find its subordinate bodies' portals and write a proposed registry for review.",
        epilog="Mã thoát / exit codes: 0 xong/done, 2 dữ liệu vào sai/bad input, 8 cổng cấp trên không truy cập "
               "được/the parent portal did not answer (the proposal still lists it).")
    p.add_argument("--from", dest="start", metavar="URL",
                   help="cổng cấp trên (mặc định với --province: địa chỉ trong sổ đăng ký quốc gia ban đầu) / the parent "
                        "portal (default with --province: its address in the national starter registry)")
    p.add_argument("--province", metavar="NAME",
                   help="tỉnh/thành phố để đối chiếu đơn vị hành chính (mặc định: đoán từ tên miền) / the province whose "
                        "official units to match (default: guessed from the host name)")
    p.add_argument("--depth", type=int, default=1, metavar="N",
                   help="số cấp đi xuống (1: đơn vị trực thuộc; 2: cả đơn vị của đơn vị) / levels to follow (default 1)")
    p.add_argument("--allow-private", action="store_true", help="cho phép địa chỉ nội bộ/loopback / allow private "
                                                                "and loopback addresses")
    p.add_argument("--out", required=True, metavar="FILE", help="sổ đăng ký đề xuất .csv hoặc .xlsx / the proposed "
                                                                "registry (.csv or .xlsx)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="đặt một tham số Scrapy/TCTT_* / set a Scrapy or TCTT_* setting (repeatable)")
    p.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.set_defaults(func=run)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from core import units
    from core.registry import _check_url

    if not args.start and args.province:
        args.start = _starter_url(args.province)
        if args.start:
            _say(f"Cổng của tỉnh theo sổ đăng ký quốc gia ban đầu (chưa kiểm tra) / the province's portal from the "
                 f"national starter registry (not verified): {args.start}")
    if not args.start:
        _say("Cần --from URL hoặc --province NAME / give --from URL or --province NAME")
        return ExitCode.BAD_INPUT
    problem = _check_url(args.start, "--from", allow_private=args.allow_private)
    if problem:
        _say(problem)
        return ExitCode.BAD_INPUT
    if args.depth < 1 or args.depth > 5:
        _say(f"--depth phải từ 1 đến 5 / --depth must be 1 to 5: {args.depth}")
        return ExitCode.BAD_INPUT
    province = None
    if args.province:
        province = units.match_province(args.province)
        if province is None:
            _say(f"Không có tỉnh/thành phố nào tên {args.province!r} trong danh mục đơn vị hành chính / "
                 f"no province named {args.province!r} in the official list")
            return ExitCode.BAD_INPUT
    settings = {}
    for assignment in args.set or []:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            _say(f"--set cần dạng TÊN=GIÁ_TRỊ / --set expects NAME=VALUE: {assignment!r}")
            return ExitCode.BAD_INPUT
        settings[name.strip()] = value
    from tctt.discover import discover

    result = discover(args.start, args.out, depth=args.depth, province=province, allow_private=args.allow_private,
                      settings=settings, log_level=args.log_level)
    rows = result.rows[1:]
    levels = Counter(r["level"] for r in rows)
    states = Counter(r["link_status"] for r in rows)
    matched = sum(1 for r in rows if r["unit_code"])
    print(f"Đề xuất / proposed: {len(rows)} cổng đơn vị trực thuộc / subordinate portals "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(levels.items())) or '—'}); "
          f"khớp đơn vị hành chính / matched to an official unit: {matched}; "
          f"tình trạng liên kết / links: {', '.join(f'{k}: {v}' for k, v in sorted(states.items())) or '—'}; "
          f"đã kiểm tra / portals checked: {result.portals_checked}")
    print(f"Tệp / file: {args.out}. Tiếp theo / next: tctt registry diff OLD {args.out}; tctt registry merge …")
    if result.root_status != "ok":
        _say(f"Cổng cấp trên không truy cập được / the parent portal did not answer: {result.root_detail}")
        return ExitCode.UNREACHABLE
    return ExitCode.OK


def _starter_url(name: str) -> str | None:
    from core import units
    from tctt.registry_review import read_rows

    unit = units.match_province(name)
    if unit is None:
        return None
    _, rows = read_rows(units.UNITS_CSV.with_name("national-registry.csv"))
    return next((r["url"] for r in rows if r["level"] == "province" and r["unit_code"] == str(unit.code)), None)
