"""``tctt cluster`` and ``tctt worker``: one audit crawled by several worker processes through Redis.

    printf 'requirepass %s\nbind 10.0.0.5\nport 6379\n' "$REDIS_PASSWORD" | redis-server - &   # a Redis with a password
    export TCTT_REDIS_PASSWORD=…            # or TCTT_REDIS_PASSWORD_FILE=/etc/tctt/redis.pass; never on the command line
    tctt cluster --registry agencies.csv --redis redis://10.0.0.5:6379/0 --workers 2 --db audits.db --out report/
    tctt worker --redis redis://10.0.0.5:6379/0 --run 7                  # on any machine, any time

Anyone who can write to the run's Redis can steer the crawl: the Redis must require a password and be
reachable only by the workers. Requests travel as checked JSON (``crawler.redisjson``, never pickle) and
the coordinator checks every item it reads (``crawler.trust``).

The coordinator creates the run and is its only writer: it publishes the registry and seeds the agencies in
Redis, starts ``--workers`` local workers (0: only remote ones), pops the pages and "agency done" markers
the workers push (``crawler.cluster``), writes them, and makes each agency's section choice from its stored
pages (``crawler.section_choice``, as the single-process spider does). Workers share every request through
scrapy-redis's scheduler and dupefilter (persisted), so any worker fetches any page and none the same page
twice. When nothing is queued, no live worker is busy and agencies are still unfinished, their requests
died with a worker (SIGKILL, a lost machine): they are seeded again in a new generation, their stored pages
replayed and only the missing ones fetched.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from typing import Any

from tctt.exit_codes import ExitCode

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = ExitCode.OK, ExitCode.FAILURE, ExitCode.BAD_INPUT
EXIT_INCOMPLETE, EXIT_LOCKED = ExitCode.INCOMPLETE, ExitCode.LOCKED
LOCK_SECONDS = 30
MAX_ROUNDS = 5


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
    from tctt.secrets import REDIS_PASSWORD, SecretError, from_environment, refuse_password_in_url

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

    from tctt.secrets import mask

    try:
        _redis(url, password).ping()
    except (redis.RedisError, ValueError) as exc:
        print(f"Không kết nối được Redis / cannot reach Redis at {mask(url, password)}: {mask(str(exc), password)}",
              file=sys.stderr)
        return False
    return True


def run_worker(args: argparse.Namespace) -> int:
    import logging

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.spiders.portal_redis import RedisPortalSpider

    extra = _settings(args)
    usable, password = _redis_password(args.redis)
    if extra is None or not usable or not _redis_reachable(args.redis, password):
        return EXIT_BAD_INPUT
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
    return EXIT_OK


def _worker_cmd(args: argparse.Namespace, run_id: int) -> list[str]:
    cmd = [sys.executable, "-m", "tctt.cli", "worker", "--redis", args.redis, "--run", str(run_id),
           "--log-level", args.log_level]
    if args.allow_private:
        cmd.append("--allow-private")
    for assignment in args.set or []:
        cmd += ["--set", assignment]
    return cmd


def create_run(registry: str, db: str, allow_private: bool, settings: dict[str, Any]) -> int:
    """The run and its registry snapshot, as ``tctt crawl`` would record them."""
    from scrapy.settings import Settings

    from crawler.extensions.runlifecycle import create_run as create_spider_run
    from tctt.registry import load_registry
    from tctt.store import Store

    scrapy_settings = Settings()
    scrapy_settings.setmodule("crawler.settings", priority="project")
    for name, value in settings.items():
        scrapy_settings.set(name, value, priority="cmdline")
    agencies = load_registry(registry, allow_private=allow_private)
    store = Store(db)
    try:
        return create_spider_run(store, agencies, str(registry), allow_private, scrapy_settings, workers="redis")
    finally:
        store.close()


_REPLAY_FIELDS = ("url", "final_url", "status", "kind", "doc_type", "links", "signals", "title")


class Coordinator:
    """The single writer of a run crawled through Redis: it seeds the agencies, pops the workers' pages and
    "done" markers and writes them, makes each agency's section choice from its stored pages, and seeds
    again the agencies a dead worker left unfinished."""

    def __init__(self, db: str, server: Any, run_id: int, threshold: float, progress: bool = False):
        from crawler.cluster import Keys
        from tctt.store import Store

        self.store = Store(db)
        self.server = server
        self.run_id = run_id
        self.keys = Keys(run_id)
        self.threshold = threshold
        self.gens: dict[str, int] = {}
        self.started: dict[str, str] = {}
        self.aliases: dict[str, dict[str, str]] = {}
        self.pending: set[str] = set()
        self.pages_written = 0
        self.progress, self.done, self.not_audited, self.total = progress, 0, 0, 0

    def close(self) -> None:
        self.store.close()

    def start(self) -> None:
        """Publish the registry and seed every agency without a result."""
        from tctt.registry import Agency

        rows = self.store.agencies(self.run_id)
        done = set(self.store.agency_results(self.run_id))
        self.total, self.done = len(rows), len(done)
        # What an earlier coordinator of this run left (it died): its queue and items belong to generations
        # that are over; unfinished agencies start again, replaying what was stored.
        self.cleanup()
        self.server.delete(self.keys.stop)
        fields = [f for f in Agency.__dataclass_fields__ if f != "line"]
        registry = {r["id"]: json.dumps({**{k: r[k] or "" for k in fields}, "line": r["line"] or 0},
                                        ensure_ascii=False) for r in rows}
        if registry:
            self.server.hset(self.keys.registry, mapping=registry)
        for row in rows:
            if row["id"] not in done:
                self.seed(row["id"])

    def seed(self, agency_id: str) -> None:
        """(Re)start an agency in a new generation: its stored pages are replayed, only missing ones fetched."""
        from crawler.urls import canonical
        from tctt.store import now_iso

        gen = self.server.hincrby(f"{self.keys.prefix}:gens", agency_id, 1)
        old = self.gens.get(agency_id)
        if old is not None:
            self.server.delete(*self.keys.agency_keys(agency_id, old))
        self.gens[agency_id] = gen
        self.started.setdefault(agency_id, now_iso())
        self.pending.add(agency_id)
        stored: dict[str, str] = {}
        for page in self.store.pages(self.run_id, agency_id):
            if page.get("status") is None:
                continue
            slim = json.dumps({k: page.get(k) for k in _REPLAY_FIELDS}, ensure_ascii=False)
            for url in (page["url"], page.get("final_url")):
                if url:
                    stored.setdefault(canonical(url), slim)
        self.server.delete(self.keys.stored(agency_id))
        if stored:
            self.server.hset(self.keys.stored(agency_id), mapping=stored)
        self.server.rpush(self.keys.seeds, json.dumps({"id": agency_id, "gen": gen}))

    def handle(self, raw: bytes) -> None:
        from crawler.trust import page_from_redis

        try:
            message = json.loads(raw)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            print("Bỏ mục không phải JSON trong Redis / dropped a non-JSON item", file=sys.stderr)
            return
        agency_id = message.get("agency_id")
        if agency_id not in self.pending or message.get("gen") != self.gens.get(agency_id):
            return  # an agency already finished, or a generation seeded again since
        if message.pop("type", None) == "done":
            self.finish(agency_id)
            return
        message.pop("gen", None)
        keys = message.pop("keys", None) or []
        try:  # whoever can write to Redis must not choose SQL identifiers or store anything but evidence
            page = page_from_redis(message)
        except ValueError as exc:
            print(f"Bỏ mục lạ trong Redis / dropped an item this crawler did not write: {exc}", file=sys.stderr)
            return
        for key in keys if isinstance(keys, list) else []:
            if isinstance(key, str):
                self.aliases.setdefault(agency_id, {}).setdefault(key, page["url"])
        self.store.add_page({"run_id": self.run_id, **page})
        self.pages_written += 1

    def finish(self, agency_id: str) -> None:
        """The agency's result, as ``PortalSpider._result_item`` makes it, from the pages stored."""
        from crawler import section_choice
        from tctt.store import now_iso

        gen = self.gens[agency_id]
        base, _, cand, order, cutex = self.keys.agency_keys(agency_id, gen)
        facts = {k.decode(): v for k, v in self.server.hgetall(base).items()}
        from crawler.trust import candidate_from_redis, home_from_redis

        home = home_from_redis(_loads(facts.get("home") or "{}"))
        candidate_keys = [k.decode() for k in self.server.lrange(order, 0, -1)]
        values = self.server.hmget(cand, candidate_keys) if candidate_keys else []
        candidates = {k: c for k, v in zip(candidate_keys, values, strict=True)
                      if v is not None and (c := candidate_from_redis(_loads(v))) is not None}
        pages = section_choice.index_stored(self.store.pages(self.run_id, agency_id), self.aliases.get(agency_id))
        weighed, section = section_choice.weigh(candidates, pages, self.threshold)
        status, detail = home.get("failure") or ("audited", "")
        cut: dict[str, Any] = {kind: _int(facts.get(f"cut:{kind}", 0)) for kind in _CUT_KINDS}
        cut["examples"] = [e for e in map(_loads, self.server.lrange(cutex, 0, -1)) if isinstance(e, dict)]
        audited = section is not None and status == "audited"
        self.store.add_candidates(self.run_id, agency_id, weighed)
        self.store.set_agency_result(
            self.run_id, agency_id, status=status, detail=detail, http_status=home.get("http_status"),
            final_url=home.get("final_url"), section_url=section["url"] if audited else None,
            section_confidence=section["confidence"] if audited else None,
            pages=len({id(p) for p in pages.values()}), started_at=self.started[agency_id],
            finished_at=now_iso(), cut=cut)
        self.server.delete(*self.keys.agency_keys(agency_id, gen), self.keys.stored(agency_id))
        self.pending.discard(agency_id)
        self.aliases.pop(agency_id, None)
        if self.progress:  # as crawler.progress prints it for one process
            self.done += 1
            self.not_audited += status != "audited"
            what = (f"chuyên mục / section {section['url']} ({section['confidence']:.2f})" if audited else
                    "không tìm thấy chuyên mục / no section") if status == "audited" else detail
            print(f"[{self.done}/{self.total}] {agency_id}: {status} — {what} "
                  f"(chưa kiểm tra được / not audited so far: {self.not_audited})", file=sys.stderr, flush=True)

    def quiet(self) -> tuple[bool, int]:
        """(nothing queued and every live worker idle, live workers)."""
        if any(self.server.llen(k) for k in (self.keys.seeds, self.keys.requests, self.keys.items)):
            return False, -1
        now, live, busy = time.time(), 0, False
        for raw in self.server.hvals(self.keys.workers):
            beat = json.loads(raw)
            if now - beat["t"] < DEAD_AFTER:
                live += 1
                busy = busy or not beat["idle"]
        return not busy, live

    def cleanup(self) -> None:
        """The run's Redis state, once the run is over (the generation counters stay, for a later --run)."""
        keep = {f"{self.keys.prefix}:gens".encode(), self.keys.stop.encode(), self.keys.coordinator.encode()}
        for key in self.server.scan_iter(match=f"{self.keys.prefix}:*", count=1000):
            if key not in keep:
                self.server.delete(key)


_CUT_KINDS = ("pages", "bytes", "time", "depth", "traps")


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (ValueError, TypeError):
        return 0


def _loads(raw: Any) -> Any:
    """JSON read from Redis; None when it is not JSON (written by someone else)."""
    try:
        return json.loads(raw)
    except (ValueError, TypeError):
        return None
DEAD_AFTER = 5.0    # seconds without a heartbeat before a worker counts as gone
QUIET_FOR = 3.0     # seconds of an empty queue and idle workers before unfinished agencies are seeded again


def run_cluster(args: argparse.Namespace) -> int:
    from scrapy.settings import Settings

    from tctt.registry import RegistryError
    from tctt.store import Store

    extra = _settings(args)
    if extra is None or args.workers < 0:
        return EXIT_BAD_INPUT
    usable, password = _redis_password(args.redis)
    if not usable or not _redis_reachable(args.redis, password):
        return EXIT_BAD_INPUT
    server = _redis(args.redis, password)
    if (args.registry is None) == (args.run is None):
        print("Cần đúng một trong --registry hoặc --run / give exactly one of --registry or --run", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        run_id = args.run or create_run(args.registry, args.db, args.allow_private, extra)
    except RegistryError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
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
        return EXIT_LOCKED
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
                workers = [subprocess.Popen(_worker_cmd(args, run_id)) for _ in range(args.workers)]
            popped = server.blpop([coordinator.keys.items], timeout=0.5)
            if popped is not None:
                coordinator.handle(popped[1])
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
            for agency_id in sorted(coordinator.pending):
                coordinator.seed(agency_id)
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
        return EXIT_INCOMPLETE
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
    return EXIT_INCOMPLETE if pending else EXIT_OK
