"""``tctt audit``: crawl a registry, score the run and write the report."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.exit_codes import ExitCode
from tctt.commands._shared import (
    schedule_valid,
    score_and_report,
    start_crawl,
    with_allow_private,
    with_crawl_options,
    with_lang,
    with_log,
    with_processes,
    with_schedule,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="thu thập, chấm điểm, lập báo cáo / crawl, score and report")
    with_crawl_options(p)
    p.add_argument("--out", default="out/report", help="thư mục báo cáo / report folder (default: %(default)s)")
    with_allow_private(p)
    with_processes(p)
    with_lang(p)
    with_log(p)
    with_schedule(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not schedule_valid(args.schedule):
        return ExitCode.BAD_INPUT
    outcome = start_crawl(args)
    if isinstance(outcome, int):
        return outcome
    return score_and_report(Path(args.db), outcome.run_id, Path(args.out), args.lang, outcome.status,
                             schedule=args.schedule)
