"""``tctt registry``: check a registry, write the national starter, compare a proposal with the registry in
use, and merge the rows an inspector accepts."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from core.exit_codes import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("registry", help="sổ đăng ký cơ quan: kiểm tra, so sánh, hợp nhất / the agency registry: "
                                        "check, diff, merge")
    rsub = p.add_subparsers(dest="registry_command", required=True, metavar="SUBCOMMAND")
    q = rsub.add_parser("check", help="kiểm tra sổ đăng ký (CSV/XLSX/YAML) / validate a registry")
    q.add_argument("path")
    q.add_argument("--allow-private", action="store_true", help="cho phép địa chỉ nội bộ / allow private addresses")
    q = rsub.add_parser("starter", help="sổ đăng ký quốc gia ban đầu (34 tỉnh, các bộ) / the national starter "
                                        "registry (34 provinces, the ministries)")
    q.add_argument("--out", required=True, help="tệp .csv hoặc .xlsx / .csv or .xlsx file")
    q.add_argument("--province", help="chỉ một tỉnh / only one province")
    q = rsub.add_parser("diff", help="so sánh sổ đang dùng với sổ đề xuất / compare the registry in use with a "
                                     "proposal")
    q.add_argument("old")
    q.add_argument("new")
    q.add_argument("--format", choices=("text", "json"), default="text")
    q = rsub.add_parser(
        "merge", help="hợp nhất các dòng được chấp nhận / merge the accepted rows of a proposal",
        description="Áp dụng vào sổ đang dùng các thay đổi được chấp nhận: --accept/--reject theo mã, hoặc cột "
                    "'decision' (chấp nhận/bỏ) trong tệp đề xuất. Thay đổi chưa quyết định giữ nguyên. / Apply the "
                    "accepted changes of a proposal: --accept/--reject by id, or a 'decision' column "
                    "(accept/reject) in the proposal. Undecided changes are left as they were.")
    q.add_argument("base", help="sổ đang dùng / the registry in use")
    q.add_argument("proposed", help="sổ đề xuất (tctt discover) / the proposal")
    q.add_argument("--out", required=True, help="sổ sau khi hợp nhất (.csv/.xlsx) / the merged registry")
    q.add_argument("--accept", action="append", default=[], metavar="ID[,ID…]",
                   help="chấp nhận thay đổi của các mã này / accept these ids' changes ('all': every change)")
    q.add_argument("--reject", action="append", default=[], metavar="ID[,ID…]", help="bỏ / reject these ids' changes")
    q.add_argument("--min-confidence", type=float, default=None,
                   help="với --accept all: chỉ nhận dòng có độ tin cậy từ mức này / with --accept all: only rows of "
                        "at least this confidence")
    q.add_argument("--allow-private", action="store_true", help="cho phép địa chỉ nội bộ / allow private addresses")
    p.set_defaults(func=run)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _ids(values: list[str]) -> set[str]:
    return {part.strip() for value in values for part in value.split(",") if part.strip()}


def run(args: argparse.Namespace) -> int:
    from core.registry import RegistryError, load_registry
    from tctt.registry_review import ReviewError

    try:
        if args.registry_command == "check":
            agencies = load_registry(args.path, allow_private=args.allow_private)
            print(f"Sổ đăng ký hợp lệ / registry valid: {len(agencies)} cơ quan / agencies")
            return ExitCode.OK
        if args.registry_command == "starter":
            return _starter(args)
        if args.registry_command == "diff":
            return _diff(args)
        return _merge(args)
    except RegistryError as exc:
        _say("Sổ đăng ký bị từ chối / registry refused:")
        for problem in exc.problems:
            _say(f"  {problem}")
        return ExitCode.BAD_INPUT
    except ReviewError as exc:
        for problem in exc.problems:
            _say(problem)
        return ExitCode.BAD_INPUT


def _starter(args: argparse.Namespace) -> int:
    from core import units
    from core.tables import write_table
    from tctt.registry_review import read_rows

    columns, rows = read_rows(Path(units.UNITS_CSV).with_name("national-registry.csv"))
    if args.province:
        unit = units.match_province(args.province)
        if unit is None:
            _say(f"Không có tỉnh/thành phố nào tên / no province named {args.province!r}")
            return ExitCode.BAD_INPUT
        rows = [r for r in rows if r["level"] == "province" and r["unit_code"] == str(unit.code)]
    write_table(args.out, columns, rows)
    unverified = sum(1 for r in rows if r.get("verified") != "yes")
    print(f"Đã viết / written: {args.out} ({len(rows)} cơ quan / agencies; {unverified} địa chỉ chưa kiểm tra / "
          f"addresses not verified — xem cột source / see the source column)")
    return ExitCode.OK


def _diff(args: argparse.Namespace) -> int:
    from tctt.registry_review import diff, read_rows

    _, old = read_rows(args.old)
    _, new = read_rows(args.new)
    changes = diff(old, new)
    if args.format == "json":
        print(json.dumps({"old": args.old, "new": args.new, "changes": [c.as_dict() for c in changes]},
                         ensure_ascii=False, indent=2))
        return ExitCode.OK
    print(f"So sánh sổ đăng ký / registry diff: {args.old} → {args.new}")
    symbols = {"added": "+ thêm / added", "removed": "- bỏ / removed", "changed": "~ đổi / changed"}
    for change in changes:
        row = change.new or change.old or {}
        line = f"{symbols[change.kind]}: {change.id} — {row.get('name', '')}"
        if change.new is not None and change.new.get("confidence"):
            line += f" (độ tin cậy / confidence {change.new['confidence']}"
            line += f", {change.new.get('link_status')})" if change.new.get("link_status") else ")"
        print(line)
        for column, (a, b) in change.fields.items():
            print(f"    {column}: {a or '—'} → {b or '—'}")
        if change.kind == "added" and row.get("url"):
            print(f"    url: {row['url']}")
    counts = {k: sum(1 for c in changes if c.kind == k) for k in ("added", "removed", "changed")}
    print(f"Tổng / total: {counts['added']} thêm / added, {counts['removed']} bỏ / removed, "
          f"{counts['changed']} đổi / changed")
    return ExitCode.OK


def _merge(args: argparse.Namespace) -> int:
    from core.registry import RegistryError, load_registry
    from core.tables import write_table
    from tctt.registry_review import merge, read_rows

    base_columns, base = read_rows(args.base)
    _, proposed = read_rows(args.proposed)
    accept = _ids(args.accept)
    result = merge(base_columns, base, proposed, accept=accept - {"all"}, reject=_ids(args.reject),
                   accept_all="all" in accept, min_confidence=args.min_confidence)
    # Validated before it is written: a merged registry that would be refused is not written at all.
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as folder:
        trial = write_table(Path(folder) / f"merged{out.suffix or '.csv'}", result.columns, result.rows)
        try:
            load_registry(trial, allow_private=args.allow_private)
        except RegistryError as exc:
            _say(f"Sổ sau khi hợp nhất sẽ bị từ chối, chưa viết {out} / the merged registry would be refused, "
                 f"{out} not written:")
            for problem in exc.problems:
                _say("  " + problem.replace(str(trial), "(merged)"))
            return ExitCode.BAD_INPUT
    write_table(out, result.columns, result.rows)
    print(f"Đã hợp nhất / merged: {len(result.applied)} thay đổi được áp dụng / changes applied, "
          f"{len(result.rejected)} bị bỏ / rejected, {len(result.pending)} chưa quyết định / pending → {out} "
          f"({len(result.rows)} cơ quan / agencies)")
    for change in result.pending:
        print(f"  ? chưa quyết định / pending: {change.kind} {change.id}")
    return ExitCode.OK
