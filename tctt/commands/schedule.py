"""``tctt schedule``: run audits by the cron expression of the configuration (see ``tctt.schedule``)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from core.exit_codes import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schedule", help="kiểm tra định kỳ theo lịch cron / run audits on the configured cron schedule")
    p.add_argument("--config", required=True, help="tệp cấu hình TOML / configuration file (tctt.toml)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true",
                      help="chạy một chu kỳ ngay rồi thoát (cho systemd/crontab) / run one cycle now and exit")
    mode.add_argument("--next", type=int, metavar="N", help="in N thời điểm chạy kế tiếp / print the next N times")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.config import ConfigError, load_config
    from tctt import schedule

    try:
        cfg = load_config(args.config)
        schedule.check(cfg)
    except (ConfigError, schedule.ScheduleError) as exc:
        print(exc, file=sys.stderr)
        return ExitCode.BAD_INPUT
    if args.next:
        for when in schedule.next_times(cfg.cron, datetime.now().astimezone(), args.next):
            print(when.isoformat(timespec="minutes"))
        return 0
    schedule.setup_logging(cfg)
    if args.once:
        return schedule.run_cycle(cfg)
    schedule.serve(cfg, now=lambda: datetime.now().astimezone())
    return 0
