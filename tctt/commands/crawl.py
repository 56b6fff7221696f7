"""``tctt crawl``: crawl only; the evidence is stored, nothing is scored."""

from __future__ import annotations

import argparse

from core.exit_codes import ExitCode
from tctt.commands._shared import (
    start_crawl,
    with_allow_private,
    with_crawl_options,
    with_log,
    with_processes,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("crawl", help="chỉ thu thập bằng chứng / crawl only (stores evidence, no scoring)")
    with_crawl_options(p)
    with_allow_private(p)
    with_processes(p)
    with_log(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    outcome = start_crawl(args)
    if isinstance(outcome, int):
        return outcome
    print(f"Lượt / run {outcome.run_id}: {outcome.status}. Tiếp theo / next: tctt score --db {args.db} --run {outcome.run_id}")
    return ExitCode.OK if outcome.status == "complete" else ExitCode.INCOMPLETE
