"""``tctt demo``: serve the bundled sample province on loopback, audit it and write the report."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from tctt.commands._shared import say, score_and_report, with_lang, with_log


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="chạy thử trên tỉnh mẫu / serve the bundled sample province on loopback and audit it")
    p.add_argument("--out", default="out/demo", help="thư mục kết quả / output folder (default: %(default)s)")
    with_lang(p)
    with_log(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tctt import stages
    from tctt.sampleserver import serve_sample_province

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "tctt.db"
    # A demo starts afresh: the sample servers get new ports, so old evidence and cache say nothing.
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.rmtree(f"{db}.httpcache", ignore_errors=True)
    shutil.rmtree(f"{db}.warc", ignore_errors=True)
    say("Khởi động tỉnh mẫu trên loopback / serving the sample province on loopback…")
    with serve_sample_province() as province:
        registry = out / "registry.csv"
        province.write_registry(registry)
        say(f"Sổ đăng ký / registry: {registry} ({len(province.registry_rows)} cơ quan / agencies)")
        outcome = stages.crawl(registry, db, allow_private=True, progress=True, log_level=args.log_level)
    return score_and_report(db, outcome.run_id, out, args.lang, outcome.status)
