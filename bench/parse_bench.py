"""Cost of reading hostile HTML shapes with ``crawler.htmlpage.parse_html``: CPU seconds per MB.

    python bench/parse_bench.py                       # this tree
    python bench/parse_bench.py --baseline 330c525    # and the reader of an earlier commit, side by side

The shapes are the worst ones found by probing the reader: many headings beside many links (every link
looked at every heading), thousands of menu blocks (the page's text measured again per block), one long
list of links, and many tables side by side. Each is built at a few sizes, so growth faster than linear
shows as a rising cost per MB. Results are written as JSON beside the printed table (``--json``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def headings_links(n: int) -> str:
    """n empty headings and n/5 links in one block: the heading search of each link met every heading."""
    return "<div>" + "<h2></h2>" * n + "".join(f'<a href="/p{i}">liên kết {i}</a>' for i in range(n // 5)) + "</div>"


def menus(n: int) -> str:
    """n menu blocks, each with a link: the chrome filter measured the whole page's text per block."""
    return "".join(f'<div class="menu"><a href="/m{i}">Mục {i}</a> chữ</div>' for i in range(n)) + "<p>" + "nội dung " * 20 + "</p>"


def long_list(n: int) -> str:
    """One list of n linked items (an ordinary document list, as long as a portal makes it)."""
    return '<h2>Danh mục</h2><ul>' + "".join(f'<li><a href="/van-ban/{i}">Văn bản số {i}/QĐ-UBND</a></li>'
                                              for i in range(n)) + "</ul>"


def tables(n: int) -> str:
    """n small tables side by side under a long paragraph (each looked for its heading among its siblings)."""
    return "<div><p>" + "đoạn văn " * 2000 + "</p><div>" + "".join(
        f"<table><tr><th>Số</th><th>Tên</th></tr><tr><td>{i}</td><td>Mẫu {i}</td></tr></table>" for i in range(n)) + "</div></div>"


SHAPES: dict[str, Callable[[int], str]] = {"headings × links": headings_links, "menus": menus,
                                            "long list": long_list, "tables": tables}
SIZES = {"headings × links": (2000, 4000, 8000), "menus": (2000, 4000, 8000), "long list": (25_000, 50_000, 100_000),
         "tables": (500, 1000, 2000)}


def page(body: str) -> bytes:
    return f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang</title></head><body>{body}</body></html>'.encode()


def load_reader(revision: str | None) -> Callable[..., object]:
    if revision is None:
        from crawler.htmlpage import parse_html
        return parse_html
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:crawler/htmlpage.py"], capture_output=True,
                            text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "htmlpage_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("htmlpage_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["htmlpage_baseline"] = module  # dataclasses look their module up
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.parse_html


def cost(reader: Callable[..., object], body: bytes) -> float:
    """CPU seconds of one read."""
    start = time.process_time()
    reader(body, "http://portal.test/")
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="git revision whose reader is measured too")
    parser.add_argument("--limit", type=float, default=30.0, help="skip larger sizes once one read took this long")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    readers = {"this tree": load_reader(None)}
    if args.baseline:
        readers[f"baseline {args.baseline}"] = load_reader(args.baseline)
    rows = []
    print(f"{'shape':18} {'size MB':>8} " + " ".join(f"{name:>24}" for name in readers))
    for shape, build in SHAPES.items():
        skipped = set()
        for n in SIZES[shape]:
            body = page(build(n))
            mb = len(body) / 1e6
            row = {"shape": shape, "n": n, "mb": round(mb, 3)}
            cells = []
            for name, reader in readers.items():
                if name in skipped:
                    row[name] = None
                    cells.append(f"{'(skipped)':>24}")
                    continue
                seconds = cost(reader, body)
                row[name] = {"seconds": round(seconds, 3), "seconds_per_mb": round(seconds / mb, 2)}
                cells.append(f"{seconds:8.2f} s {seconds / mb:8.2f} s/MB")
                if seconds > args.limit:
                    skipped.add(name)
            rows.append(row)
            print(f"{shape:18} {mb:8.2f} " + " ".join(cells), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
