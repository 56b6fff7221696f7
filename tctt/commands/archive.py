"""``tctt archive``: the evidence archive (WARC) of each run — sizes, retention, one record's content;
``tctt stats``: the crawl statistics Scrapy kept for a run."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.exit_codes import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("archive", help="kho lưu trữ bằng chứng (WARC) / the evidence archive (WARC) of each run")
    asub = p.add_subparsers(dest="archive_command", required=True, metavar="SUBCOMMAND")
    q = asub.add_parser("list", help="dung lượng lưu trữ theo lượt / archive size per run")
    q.add_argument("--db", default="tctt.db")
    q = asub.add_parser("prune", help="xóa lưu trữ của các lượt cũ / delete the archives of older runs")
    q.add_argument("--db", default="tctt.db")
    q.add_argument("--keep-runs", type=int, required=True, metavar="N",
                   help="giữ lưu trữ của N lượt mới nhất / keep the archives of the newest N runs")
    q = asub.add_parser("show", help="nội dung một bản ghi / the content of one record")
    q.add_argument("record", help="mã bản ghi WARC / WARC record id (<urn:uuid:…>)")
    q.add_argument("--db", default="tctt.db")
    q.add_argument("--out", help="ghi nội dung vào tệp / write the body to this file (default: headers only)")
    p.set_defaults(func=run)

    p = sub.add_parser("stats", help="thống kê thu thập của một lượt / a run's crawl statistics (Scrapy)")
    p.add_argument("--db", default="tctt.db")
    p.add_argument("--run", default="latest")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=stats)


def _mb(value: int | None) -> str:
    return "—" if value is None else f"{value / 1e6:.1f} MB"


def run(args: argparse.Namespace) -> int:
    from core.archive import ArchiveMissing, prune, read_record, run_summary
    from core.store import Store

    store = Store(args.db)
    try:
        if args.archive_command == "list":
            for r in store.runs():
                s = run_summary(store, r["id"])
                state = f"đã xóa / pruned {s['pruned_at']}" if s["pruned_at"] else _mb(s["file_bytes"])
                print(f"lượt / run {r['id']:>4}  {s['records']:>6} bản ghi / records  "
                      f"{s['skipped']:>4} không lưu / skipped {s['skipped_reasons'] or ''}  {state}  {s['file'] or ''}")
            return 0
        if args.archive_command == "prune":
            if args.keep_runs < 1:
                print("--keep-runs phải ≥ 1 / must be at least 1", file=sys.stderr)
                return ExitCode.BAD_INPUT
            gone = prune(store, args.keep_runs)
            for g in gone:
                print(f"đã xóa / deleted run {g['run_id']}: {g['file']} ({_mb(g['bytes'])})")
            print(f"{len(gone)} lưu trữ đã xóa / archives deleted, {_mb(sum(g['bytes'] for g in gone))} giải phóng / freed")
            return 0
        try:
            record = read_record(store, args.record)
        except ArchiveMissing as exc:
            print(f"Không đọc được bản ghi / cannot read the record: {exc}", file=sys.stderr)
            return ExitCode.NOT_IN_STORE
        print(f"{record.url}\n{record.status_line}")
        for name, value in record.headers:
            print(f"{name}: {value}")
        if args.out:
            Path(args.out).write_bytes(record.body)
            print(f"\nNội dung / body: {args.out} ({len(record.body)} bytes)")
        return 0
    finally:
        store.close()


def stats(args: argparse.Namespace) -> int:
    from core.store import Store
    from crawler.crawlstats import summarise

    store = Store(args.db)
    try:
        run_id = store.run(args.run)["id"]
        rows = store.crawl_stats(run_id)
    finally:
        store.close()
    total = summarise(rows)
    if args.format == "json":
        print(json.dumps({"run": run_id, "processes": rows, "total": total}, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"Lượt / run {run_id}: {len(rows)} tiến trình thu thập / crawl process(es)")
    for row in rows:
        print(f"  {row['process']}: {row['finish_reason']} ({row['started_at']} → {row['finished_at']})")
    for key, value in total.items():
        print(f"  {key}: {value}")
    return 0
