"""The ``tctt`` command line: the parser and the dispatch. Each command lives in ``tctt/commands/<name>.py``
with ``register(subparsers)`` and ``run(args)``; the exit codes are ``core.exit_codes``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from core import __version__
from core.exit_codes import ExitCode, epilog

# Kept for the callers and tests that name them.
EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = ExitCode.OK, ExitCode.FAILURE, ExitCode.BAD_INPUT
EXIT_STORE, EXIT_INCOMPLETE = ExitCode.NOT_IN_STORE, ExitCode.INCOMPLETE

# The stages come first in `tctt --help`, in the order a user runs them; the other commands follow by name.
STAGES = ("demo", "audit", "crawl", "score", "report", "export", "rules")


def _command_modules() -> list[str]:
    import tctt.commands

    others = sorted(info.name for info in pkgutil.iter_modules(tctt.commands.__path__)
                    if not info.name.startswith("_") and info.name not in STAGES)
    return [*STAGES, *others]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tctt",
        description="Kiểm tra Chuyên mục tiếp cận thông tin trên cổng thông tin của các cơ quan nhà nước / "
                    "audit the access-to-information section of state agencies' portals.",
        epilog=epilog(),
    )
    parser.add_argument("--version", action="version", version=f"tctt-audit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _command_modules():
        importlib.import_module(f"tctt.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from core.store import StoreError
    from rules import RuleError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StoreError as exc:
        print(str(exc), file=sys.stderr, flush=True)
        return EXIT_STORE
    except RuleError as exc:
        print("Bộ tiêu chí không hợp lệ / invalid ruleset:\n  " + "\n  ".join(exc.problems), file=sys.stderr, flush=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("Đã dừng / interrupted.", file=sys.stderr, flush=True)
        return EXIT_INCOMPLETE


if __name__ == "__main__":
    raise SystemExit(main())
