"""``tctt score``: (re-)score a run from its stored evidence, without the network."""

from __future__ import annotations

import argparse

from core.exit_codes import ExitCode
from tctt.commands._shared import parse_date, ruleset_of, with_db, with_ruleset, with_run


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="chấm lại từ bằng chứng đã lưu, không cần mạng / (re-)score stored evidence, no network")
    with_db(p)
    with_run(p)
    with_ruleset(p)
    p.add_argument("--audit-date", type=parse_date, default=None, metavar="YYYY-MM-DD",
                   help="chấm theo căn cứ pháp lý có hiệu lực vào ngày này (mặc định: ngày của lượt) / judge under the "
                        "law in force on this date (default: the run's audit date)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tctt import stages

    result = stages.score(args.db, args.run, ruleset_of(args), audit_date=args.audit_date)
    average = "—" if result.average is None else f"{result.average:.1f}"
    print(f"Lượt / run {result.run_id}: chấm điểm / scored {result.audited} cơ quan / agencies "
          f"(chưa kiểm tra được / not audited: {result.not_audited}); trung bình / average {average}")
    return ExitCode.OK
