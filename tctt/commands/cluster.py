"""``tctt cluster`` and ``tctt worker``: one audit crawled by several worker processes through Redis.

    printf 'requirepass %s\nbind 10.0.0.5\nport 6379\n' "$REDIS_PASSWORD" | redis-server - &   # a Redis with a password
    export TCTT_REDIS_PASSWORD=…            # or TCTT_REDIS_PASSWORD_FILE=/etc/tctt/redis.pass; never on the command line
    tctt cluster --registry agencies.csv --redis redis://10.0.0.5:6379/0 --workers 2 --db audits.db --out report/
    tctt worker --redis redis://10.0.0.5:6379/0 --run 7                  # on any machine, any time

Anyone who can write to the run's Redis can steer the crawl: the Redis must require a password and be
reachable only by the workers. Requests travel as checked JSON (``crawler.redisjson``, never pickle) and
the coordinator checks every item it reads (``crawler.trust``).

The coordinator (``crawler.coordinator``) creates the run and is its only writer; workers share every
request through scrapy-redis (docs/scale.md). This module parses arguments, starts local workers and prints.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from typing import Any

from core.exit_codes import ExitCode

LOCK_SECONDS = 30  # the coordinator's lock on its run in Redis, renewed every third of it
MAX_ROUNDS = 5     # local workers started, or agencies seeded again, at most this many times



def register(subparsers: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--redis", required=True, metavar="URL",
                        help="Redis, e.g. redis://127.0.0.1:6379/0 (mật khẩu / password: TCTT_REDIS_PASSWORD or TCTT_REDIS_PASSWORD_FILE)")
    common.add_argument("--allow-private", action="store_true", help="cho phép địa chỉ nội bộ / allow loopback and private")
    common.add_argument("--set", action="append", metavar="NAME=VALUE", help="Scrapy setting")
    common.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))

    p = subparsers.add_parser("cluster", parents=[common],
                              help="kiểm tra bằng nhiều tiến trình qua Redis / audit with several workers through Redis")
    p.add_argument("--db", default="tctt.db", help="cơ sở dữ liệu / database (%(default)s)")
    p.add_argument("--registry", help="danh sách cơ quan / registry (a new run)")
    p.add_argument("--run", type=int, default=None, help="tiếp tục lượt / finish this run instead")
    p.add_argument("--workers", type=int, default=2,
                   help="tiến trình thu thập tại máy này / local workers (0: only remote ones)")
    p.add_argument("--out", default=None, help="thư mục báo cáo / report folder (scored and reported when given)")
    p.set_defaults(func=run_cluster)

    w = subparsers.add_parser("worker", parents=[common],
                              help="một tiến trình thu thập của lượt kiểm tra / one crawl worker of a run")
    w.add_argument("--run", type=int, required=True, help="lượt kiểm tra do tctt cluster tạo / the run tctt cluster created")
    w.set_defaults(func=run_worker)


def missing_extra() -> bool:
    """True (and says so) when scrapy-redis or redis, the ``cluster`` extra, is not installed."""
    import importlib.util

    missing = [name for name in ("scrapy_redis", "redis") if importlib.util.find_spec(name) is None]
    if missing:
        print(f"Thiếu gói {', '.join(missing)}: cài bằng pip install 'tctt-audit[cluster]' / "
              f"{', '.join(missing)} not installed: pip install 'tctt-audit[cluster]'", file=sys.stderr)
    return bool(missing)


def _settings(args: argparse.Namespace) -> dict[str, Any] | None:
    settings: dict[str, Any] = {}
    for assignment in args.set or []:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            print(f"--set cần dạng TÊN=GIÁ_TRỊ / --set expects NAME=VALUE: {assignment!r}", file=sys.stderr)
            return None
        settings[name.strip()] = value
    return settings


def _redis_password(url: str) -> tuple[bool, str | None]:
    """(usable, password): the password from TCTT_REDIS_PASSWORD(_FILE), never from the command line."""
    from core.secrets import REDIS_PASSWORD, SecretError, from_environment, refuse_password_in_url

    try:
        refuse_password_in_url(url)
        return True, from_environment(REDIS_PASSWORD)
    except SecretError as exc:
        print(str(exc), file=sys.stderr)
        return False, None


def _redis(url: str, password: str | None) -> Any:
    import redis

    return redis.Redis.from_url(url, password=password) if password else redis.Redis.from_url(url)


def _redis_reachable(url: str, password: str | None = None) -> bool:
    import redis

    from core.secrets import mask

    try:
        _redis(url, password).ping()
    except (redis.RedisError, ValueError) as exc:
        print(f"Không kết nối được Redis / cannot reach Redis at {mask(url, password)}: {mask(str(exc), password)}",
              file=sys.stderr)
        return False
    return True


def run_worker(args: argparse.Namespace) -> int:
    if missing_extra():
        return ExitCode.MISSING_EXTRA
    import logging

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.spiders.portal_redis import RedisPortalSpider

    extra = _settings(args)
    usable, password = _redis_password(args.redis)
    if extra is None or not usable or not _redis_reachable(args.redis, password):
        return ExitCode.BAD_INPUT
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # A worker stops when the coordinator says the run is over, or after 5 idle minutes should the
    # coordinator be gone. The HTTP cache and document reuse read the store, which workers do not open.
    values = {"TCTT_ALLOW_PRIVATE": args.allow_private, "LOG_LEVEL": args.log_level, "REDIS_URL": args.redis,
              "MAX_IDLE_TIME_BEFORE_CLOSE": 300, **extra, "TCTT_INCREMENTAL": False, "TCTT_DOC_REUSE": False}
    if password:  # a connection parameter, not part of the URL that settings and logs may show
        values["REDIS_PARAMS"] = {"password": password}
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel(args.log_level)
    if logging.getLevelName(args.log_level) >= logging.WARNING:
        # As in `tctt crawl`: dead portals are evidence (the coordinator prints them), not tracebacks.
        for name in ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry",
                     "scrapy.core.scraper"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    process.crawl(RedisPortalSpider, run_id=str(args.run))
    process.start()
    return ExitCode.OK


def _worker_cmd(args: argparse.Namespace, run_id: int, settings: Any) -> list[str]:
    cmd = [sys.executable, "-m", "tctt.cli", "worker", "--redis", args.redis, "--run", str(run_id),
           "--log-level", args.log_level]
    if args.allow_private:
        cmd.append("--allow-private")
    for assignment in args.set or []:
        cmd += ["--set", assignment]
    # The local workers share this machine's page-reading and extraction processes, as `tctt crawl
    # --processes K` does: K full pools on the same cores would only add start-up and memory.
    for name in ("TCTT_PARSE_WORKERS", "TCTT_DOC_WORKERS"):
        if total := settings.getint(name):
            cmd += ["--set", f"{name}={max(1, total // args.workers)}"]
    return cmd


def run_cluster(args: argparse.Namespace) -> int:
    if missing_extra():
        return ExitCode.MISSING_EXTRA
    from scrapy.settings import Settings

    from core.registry import RegistryError
    from core.store import Store
    from crawler.coordinator import QUIET_FOR, Coordinator, create_cluster_run

    extra = _settings(args)
    if extra is None or args.workers < 0:
        return ExitCode.BAD_INPUT
    usable, password = _redis_password(args.redis)
    if not usable or not _redis_reachable(args.redis, password):
        return ExitCode.BAD_INPUT
    server = _redis(args.redis, password)
    if (args.registry is None) == (args.run is None):
        print("Cần đúng một trong --registry hoặc --run / give exactly one of --registry or --run", file=sys.stderr)
        return ExitCode.BAD_INPUT
    try:
        run_id = args.run or create_cluster_run(args.registry, args.db, args.allow_private, extra)
    except RegistryError as exc:
        print(str(exc), file=sys.stderr)
        return ExitCode.BAD_INPUT
    Store(args.db).run(run_id)  # StoreError (exit 3) when the database does not hold it
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, value in extra.items():
        settings.set(name, value, priority="cmdline")
    coordinator = Coordinator(args.db, server, run_id, settings.getfloat("TCTT_SECTION_THRESHOLD"),
                              progress=str(extra.get("TCTT_PROGRESS", "1")).lower() not in ("0", "false", "no"))
    # One coordinator per run and Redis database: a second one would split the items between two writers.
    token = f"{socket.gethostname()}:{os.getpid()}"
    if not server.set(coordinator.keys.coordinator, token, nx=True, ex=LOCK_SECONDS):
        if args.run is None:  # the run just created will not be crawled
            coordinator.store.finish_run(run_id, "incomplete")
        coordinator.close()
        print(f"Lượt {run_id} đã có điều phối viên khác trên Redis này / run {run_id} already has a coordinator "
              f"on this Redis ({server.get(coordinator.keys.coordinator)!r}); use another Redis database "
              "(redis://…/N) for another audit database", file=sys.stderr)
        return ExitCode.LOCKED
    print(f"Lượt / run {run_id}", flush=True)
    workers: list[subprocess.Popen] = []
    try:
        coordinator.start()
        rounds, starts, quiet_since, waiting_said, locked_at = 0, 0, None, False, time.monotonic()
        while coordinator.pending:
            if time.monotonic() - locked_at > LOCK_SECONDS / 3:
                server.set(coordinator.keys.coordinator, token, ex=LOCK_SECONDS)
                locked_at = time.monotonic()
            if args.workers and not any(w.poll() is None for w in workers):
                starts += 1
                if starts > MAX_ROUNDS:  # local workers keep dying: give up rather than loop
                    break
                workers = [subprocess.Popen(_worker_cmd(args, run_id, settings)) for _ in range(args.workers)]
            items = coordinator.take(timeout=0.5)
            if items:
                for raw in items:
                    coordinator.handle(raw)
                quiet_since = None
                continue
            quiet, live = coordinator.quiet()
            if not quiet:
                quiet_since = None
                continue
            if live == 0 and not args.workers:
                if not waiting_said:
                    print("Đang chờ tiến trình thu thập / waiting for workers (tctt worker --run "
                          f"{run_id})", file=sys.stderr, flush=True)
                    waiting_said = True
                continue
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since < QUIET_FOR:
                continue
            # Nothing queued, nobody working, agencies unfinished: their requests died with a worker.
            rounds += 1
            if rounds > MAX_ROUNDS:
                break
            print(f"Gieo lại / seeding again {len(coordinator.pending)} agencies (round {rounds}): "
                  + ", ".join(sorted(coordinator.pending)[:100]), file=sys.stderr, flush=True)
            coordinator.reseed()
            quiet_since = None
        pending = sorted(coordinator.pending)
        server.set(coordinator.keys.stop, f"{token}:{time.time()}", ex=3600)
        for worker in workers:
            try:
                worker.wait(60)
            except subprocess.TimeoutExpired:
                worker.terminate()
                worker.wait(10)
        coordinator.store.finish_run(run_id, "incomplete" if pending else "complete")
        coordinator.cleanup()
    except KeyboardInterrupt:
        server.set(coordinator.keys.stop, f"{token}:{time.time()}", ex=3600)
        coordinator.store.finish_run(run_id, "incomplete")
        return ExitCode.INCOMPLETE
    finally:
        if server.get(coordinator.keys.coordinator) == token.encode():
            server.delete(coordinator.keys.coordinator)
        coordinator.close()
    if pending:
        print(f"Chưa xong / not finished: {', '.join(pending[:20])}", file=sys.stderr)
    if args.out:
        from tctt import stages

        stages.score(args.db, run_id)
        stages.report(args.db, args.out, run_id)
    return ExitCode.INCOMPLETE if pending else ExitCode.OK
