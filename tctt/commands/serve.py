"""``tctt serve``: the self-check (``tctt check``) as a local web page for an agency's web editor."""

from __future__ import annotations

import argparse
import contextlib
import sys

from core.exit_codes import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="trang web tự kiểm tra trên máy này / the self-check as a local web page")
    p.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe / address to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=8765, help="cổng / port (default: %(default)s; 0: any free port)")
    p.add_argument("--allow-private", action="store_true",
                   help="cho phép kiểm tra địa chỉ nội bộ/loopback / allow private and loopback addresses")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="ngôn ngữ / language")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tctt.checkserver import serve

    try:
        with contextlib.suppress(KeyboardInterrupt):
            serve(args.host, args.port, allow_private=args.allow_private, lang=args.lang)
    except OSError as exc:
        print(f"Không mở được {args.host}:{args.port} / cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    return 0
