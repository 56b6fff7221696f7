"""``tctt cluster`` and ``tctt worker``: one audit crawled by several worker processes through Redis.

    redis-server --port 6379 --dir /var/lib/tctt-redis &
    tctt cluster --registry agencies.csv --redis redis://127.0.0.1:6379/0 --workers 4 --db audits.db --out report/
    tctt worker --redis redis://127.0.0.1:6379/0 --db audits.db --run 7      # one more worker, any time

The coordinator creates the run, queues its agencies in Redis (``tctt:<run>:agencies``), starts the
workers (``crawler.spiders.portal_redis``) and waits for them. A worker stops after the queue has been
empty for a few seconds. Agencies with no result then (their worker died) are queued again and crawled
by a new round of workers, which replay what was stored: nothing is lost and nothing fetched twice.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 4
MAX_ROUNDS = 5


def register(subparsers: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--redis", required=True, metavar="URL", help="Redis, e.g. redis://127.0.0.1:6379/0")
    common.add_argument("--db", default="tctt.db", help="cơ sở dữ liệu / database (%(default)s)")
    common.add_argument("--allow-private", action="store_true", help="cho phép địa chỉ nội bộ / allow loopback and private")
    common.add_argument("--set", action="append", metavar="NAME=VALUE", help="Scrapy setting")
    common.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))

    p = subparsers.add_parser("cluster", parents=[common],
                              help="kiểm tra bằng nhiều tiến trình qua Redis / audit with several workers through Redis")
    p.add_argument("--registry", help="danh sách cơ quan / registry (a new run)")
    p.add_argument("--run", type=int, default=None, help="tiếp tục lượt / finish this run instead")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--out", default=None, help="thư mục báo cáo / report folder (scored and reported when given)")
    p.set_defaults(func=run_cluster)

    w = subparsers.add_parser("worker", parents=[common],
                              help="một tiến trình thu thập của lượt kiểm tra / one crawl worker of a run")
    w.add_argument("--run", type=int, required=True)
    w.set_defaults(func=run_worker)


def _settings(args: argparse.Namespace) -> dict[str, Any] | None:
    settings: dict[str, Any] = {}
    for assignment in args.set or []:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            print(f"--set cần dạng TÊN=GIÁ_TRỊ / --set expects NAME=VALUE: {assignment!r}", file=sys.stderr)
            return None
        settings[name.strip()] = value
    return settings


def run_worker(args: argparse.Namespace) -> int:
    import logging

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.spiders.portal_redis import RedisPortalSpider

    extra = _settings(args)
    if extra is None:
        return EXIT_BAD_INPUT
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    values = {"TCTT_DB": str(args.db), "TCTT_ALLOW_PRIVATE": args.allow_private, "LOG_LEVEL": args.log_level,
              "REDIS_URL": args.redis, "MAX_IDLE_TIME_BEFORE_CLOSE": 3, **extra}
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(args.log_level)
    process.crawl(RedisPortalSpider, run_id=str(args.run))
    process.start()
    return EXIT_OK


def _unfinished(db: str, run_id: int) -> list[str]:
    from tctt.store import Store

    store = Store(db)
    try:
        done = set(store.agency_results(run_id))
        return [a["id"] for a in store.agencies(run_id) if a["id"] not in done]
    finally:
        store.close()


def _worker_cmd(args: argparse.Namespace, run_id: int) -> list[str]:
    cmd = [sys.executable, "-m", "tctt.cli", "worker", "--redis", args.redis, "--db", str(args.db),
           "--run", str(run_id), "--log-level", args.log_level]
    if args.allow_private:
        cmd.append("--allow-private")
    for assignment in args.set or []:
        cmd += ["--set", assignment]
    return cmd


def create_run(registry: str, db: str, allow_private: bool, settings: dict[str, Any]) -> int:
    """The run and its registry snapshot, as ``tctt crawl`` would record them."""
    from scrapy.settings import Settings

    from rules import load_ruleset
    from tctt import __version__
    from tctt.registry import load_registry
    from tctt.store import Store

    scrapy_settings = Settings()
    scrapy_settings.setmodule("crawler.settings", priority="project")
    for name, value in settings.items():
        scrapy_settings.set(name, value, priority="cmdline")
    agencies = load_registry(registry, allow_private=allow_private)
    ruleset = load_ruleset()
    store = Store(db)
    try:
        return store.create_run(
            ruleset=ruleset.id, ruleset_version=ruleset.version, tool_version=__version__, registry=str(registry),
            audit_date=date.today().isoformat(),
            options={"allow_private": allow_private, "robots_txt_obeyed": scrapy_settings.getbool("ROBOTSTXT_OBEY"),
                     "budgets": {"pages": scrapy_settings.getint("TCTT_MAX_PAGES_PER_AGENCY"),
                                 "bytes": scrapy_settings.getint("TCTT_MAX_BYTES_PER_AGENCY"),
                                 "seconds": scrapy_settings.getfloat("TCTT_MAX_SECONDS_PER_AGENCY"),
                                 "depth": scrapy_settings.getint("TCTT_SECTION_DEPTH")},
                     "workers": "redis"},
            agencies=[a.as_row() for a in agencies])
    finally:
        store.close()


def queue(redis_url: str, run_id: int, agency_ids: list[str]) -> None:
    import redis

    from crawler.spiders.portal_redis import queue_key

    server = redis.Redis.from_url(redis_url)
    try:
        if agency_ids:
            server.rpush(queue_key(run_id), *agency_ids)
    finally:
        server.close()


def run_cluster(args: argparse.Namespace) -> int:
    import redis

    from tctt.registry import RegistryError
    from tctt.store import Store

    extra = _settings(args)
    if extra is None or args.workers < 1:
        return EXIT_BAD_INPUT
    try:
        redis.Redis.from_url(args.redis).ping()
    except (redis.RedisError, ValueError) as exc:
        print(f"Không kết nối được Redis / cannot reach Redis at {args.redis}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if (args.registry is None) == (args.run is None):
        print("Cần đúng một trong --registry hoặc --run / give exactly one of --registry or --run", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        run_id = args.run or create_run(args.registry, args.db, args.allow_private, extra)
    except RegistryError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    Store(args.db).run(run_id)  # StoreError (exit 3) when the database does not hold it
    print(f"Lượt / run {run_id}", flush=True)
    pending = _unfinished(args.db, run_id)
    for _ in range(MAX_ROUNDS):
        if not pending:
            break
        queue(args.redis, run_id, pending)
        workers = [subprocess.Popen(_worker_cmd(args, run_id)) for _ in range(args.workers)]
        for worker in workers:
            worker.wait()
        remaining = _unfinished(args.db, run_id)
        if len(remaining) == len(pending):
            time.sleep(1)
        pending = remaining
    store = Store(args.db)
    try:
        store.finish_run(run_id, "incomplete" if pending else "complete")
    finally:
        store.close()
    if pending:
        print(f"Chưa xong / not finished: {', '.join(pending[:20])}", file=sys.stderr)
    if args.out:
        from tctt import stages

        stages.score(args.db, run_id)
        stages.report(args.db, args.out, run_id)
    return EXIT_INCOMPLETE if pending else EXIT_OK
