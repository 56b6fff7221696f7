"""The coordinator of a run crawled through Redis (``tctt cluster``): the run's single writer.

It creates the run, publishes the registry and seeds the agencies in Redis, pops the pages and "agency
done" markers the workers push (``crawler.cluster``), checks them (``crawler.trust``) and writes them, and
makes each agency's section choice from its stored pages (``crawler.section_choice``, as the
single-process spider does). When nothing is queued, no live worker is busy and agencies are still
unfinished, their requests died with a worker: they are seeded again in a new generation. The command
(tctt.commands.cluster) only parses arguments, starts local workers and prints.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from crawler.extensions.runlifecycle import create_run


def create_cluster_run(registry: str, db: str, allow_private: bool, settings: dict[str, Any]) -> int:
    """The run and its registry snapshot, as ``tctt crawl`` would record them."""
    from scrapy.settings import Settings

    from core.registry import load_registry
    from core.store import Store

    scrapy_settings = Settings()
    scrapy_settings.setmodule("crawler.settings", priority="project")
    for name, value in settings.items():
        scrapy_settings.set(name, value, priority="cmdline")
    agencies = load_registry(registry, allow_private=allow_private)
    store = Store(db)
    try:
        return create_run(store, agencies, str(registry), allow_private, scrapy_settings, workers="redis")
    finally:
        store.close()


_TAKE_REST = """
local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items > 0 then redis.call('LTRIM', KEYS[1], #items, -1) end
return items
"""

_REPLAY_FIELDS = ("url", "final_url", "status", "kind", "doc_type", "links", "signals", "title")


class Coordinator:
    """The single writer of a run crawled through Redis: it seeds the agencies, pops the workers' pages and
    "done" markers and writes them, makes each agency's section choice from its stored pages, and seeds
    again the agencies a dead worker left unfinished."""

    def __init__(self, db: str, server: Any, run_id: int, threshold: float, progress: bool = False):
        from core.store import Store
        from crawler.cluster import Keys

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
        self._take_rest: Any = None
        self.progress, self.done, self.not_audited, self.total = progress, 0, 0, 0

    def close(self) -> None:
        self.store.close()

    def start(self) -> None:
        """Publish the registry and seed every agency without a result."""
        from core.registry import Agency

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
        from core.store import now_iso
        from crawler.urls import canonical

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

    def reseed(self) -> None:
        """Seed every unfinished agency again. Called only when nothing is queued and no live worker is busy:
        none is in progress any more, whatever the count of agencies in progress says (a dead worker's
        agencies never reached their "done" marker)."""
        self.server.set(self.keys.active, 0)
        for agency_id in sorted(self.pending):
            self.seed(agency_id)

    def take(self, timeout: float) -> list[bytes]:
        """The workers' items in the order pushed, in one round trip: the next one within ``timeout`` seconds
        (BLPOP), and up to TAKE_BATCH - 1 more already waiting behind it (a script: LRANGE and LTRIM of what
        it read, atomic against the workers' pushes; LPOP with a count needs Redis 6.2)."""
        if self._take_rest is None:
            self._take_rest = self.server.script_load(_TAKE_REST)
        # EVALSHA itself: redis-py's scripts in a pipeline ask SCRIPT EXISTS first, a round trip each time.
        with self.server.pipeline(transaction=False) as pipe:
            pipe.blpop([self.keys.items], timeout=timeout)
            pipe.evalsha(self._take_rest, 1, self.keys.items, TAKE_BATCH - 1)
            first, rest = pipe.execute(raise_on_error=False)
        if isinstance(first, Exception):
            raise first
        if isinstance(rest, Exception):  # the script cache was flushed (a Redis restart): load it again
            self._take_rest = self.server.script_load(_TAKE_REST)
            rest = self.server.evalsha(self._take_rest, 1, self.keys.items, TAKE_BATCH - 1)
        return [first[1], *rest] if first is not None else list(rest)

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
        """The agency's result, as ``PortalSpider.result_item`` makes it, from the pages stored."""
        from core.store import now_iso
        from crawler import section_choice

        gen = self.gens[agency_id]
        base, _, cand, order, cutex, *_ = self.keys.agency_keys(agency_id, gen)
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
TAKE_BATCH = 200    # items popped per round trip
QUIET_FOR = 3.0     # seconds of an empty queue and idle workers before unfinished agencies are seeded again
