"""``tctt templates``: copy the Word templates of the official documents for a province to edit."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="chép mẫu văn bản Word để tỉnh sửa / copy the Word templates of the "
                                         "official documents for the province to edit")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="thư mục nhận mẫu (tệp đã có được giữ nguyên) / folder to copy them to (existing files kept)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tctt.office import copy_templates

    written = copy_templates(args.out)
    for path in written:
        print(f"  {path}")
    print(f"Sửa các tệp này trong Word rồi dùng / edit them in Word, then use: "
          f"tctt report --docx --templates {args.out} --letterhead {args.out}/letterhead.toml")
    return 0
