"""The agency ledger of a cluster worker: every agency's bookkeeping shared through Redis (crawler.cluster).

The pages asked for (the shared dupefilter), the page and byte budgets, trap and cut counters, the
candidates and the requests outstanding live in Redis; this worker keeps a bounded cache of agency views,
brought up to date from each request's meta. A callback ends with a ``Settled`` marker, counted by the
item pipeline: the agency is done when its outstanding count reaches zero on any worker. Pages are indexed
by the coordinator from the stored pages (each page item carries its ``keys``), not here; what a worker
needs of a page another worker read (its links, to follow them again from a shallower level) is in Redis.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from core.registry import Agency
from core.store import now_iso
from crawler.cluster import (
    COUNT_MARK,
    AgencyDupeFilter,
    KeyedPageItem,
    Settled,
    Shared,
    SharedAgencyState,
    shared_state,
)
from crawler.items import PageItem
from crawler.ledger import Cut, answered_keys

MAX_STATES = 5000  # agency views kept per worker (a cache: everything shared is in Redis)


class RedisLedger:
    def __init__(self, shared: Shared, dupefilter: AgencyDupeFilter, max_pages: int,
                 followable: Callable[[Any, str, list[dict[str, Any]]], list[dict[str, Any]]] | None = None):
        self.shared = shared
        self.server = shared.server
        self.dupefilter = dupefilter
        self.max_pages = max_pages
        self.followable = followable  # the spider's: the links of a page it may follow from some level
        self.states: OrderedDict[str, SharedAgencyState] = OrderedDict()
        self.registry: dict[str, Agency] = {}

    # -- this worker's views of the agencies -------------------------------------------------------
    def agency(self, agency_id: str) -> Agency:
        agency = self.registry.get(agency_id)
        if agency is None:
            row = json.loads(self.server.hget(self.shared.keys.registry, agency_id) or b"null")
            if row is None:
                raise KeyError(f"agency {agency_id} is not in run {self.shared.run_id}")
            agency = self.registry[agency_id] = Agency(**row)
        return agency

    def view(self, agency_id: str, gen: int, started_at: str = "") -> SharedAgencyState:
        """The agency's state in generation ``gen`` (a new view when the coordinator seeded it again)."""
        state = self.states.get(agency_id)
        if state is None or state.gen != gen:
            state = shared_state(self.shared, self.agency(agency_id), gen, self.max_pages, started_at or now_iso())
            self.states[agency_id] = state
            while len(self.states) > MAX_STATES:
                self.states.popitem(last=False)
        self.states.move_to_end(agency_id)
        return state

    def state(self, meta: dict[str, Any]) -> SharedAgencyState:
        """This worker's view of the agency a response belongs to, brought up to date from the request."""
        state = self.view(meta["agency_id"], meta["tctt_gen"])
        if not state.final_url and meta.get("tctt_final_url"):
            state.final_url = meta["tctt_final_url"]
        if state.deadline is None and meta.get("tctt_deadline"):
            state.deadline = time.monotonic() + (meta["tctt_deadline"] - time.time())
        return state

    # -- the ledger -------------------------------------------------------------------------------
    def claim(self, state: Any, key: str) -> bool:
        return self.dupefilter.claim(state.agency.id, state.gen, key)

    def cut(self, state: Any, url: str, stored: dict[str, Any] | None, limits: Callable[[], Cut | None]) -> Cut | None:
        base = self._base(state)
        # The page budget is taken atomically first (and given back when another limit cuts the page).
        spent, state.bytes_used = self.shared.spend(keys=[base], args=["1", self.max_pages])
        if not spent:
            return ("pages", f"page budget of {self.max_pages} spent")
        state.budget = self.max_pages  # the shared budget was checked above
        cut = limits()
        if cut is not None:
            self.server.hincrby(base, "spent", -1)
        return cut

    def requested(self, state: Any, request: scrapy.Request, kind: str, key: str) -> None:
        base = self._base(state)
        if kind == "home":  # exempt from the budget check, not from the count
            self.shared.spend(keys=[base], args=["0", self.max_pages])
        # Counted outstanding by the scheduler, in the round trip that queues the request (COUNT_MARK).
        # What another worker needs to carry on with this agency's pages.
        request.meta.update({COUNT_MARK: base}, tctt_gen=state.gen, tctt_key=key, tctt_final_url=state.final_url,
                            tctt_deadline=(time.time() + state.deadline - time.monotonic()) if state.deadline else None)

    # Which path asks for a page first must not decide how deep below it the crawl goes, in a cluster either:
    # the shallowest level a page was asked for from is kept in Redis, and so is each page's record once read
    # (only the links the spider may follow), for a worker that asks for it later from a shallower level.
    def follow_depth(self, state: Any, key: str, depth: int) -> int:
        base = self._base(state)
        return int(self.shared.followed(keys=[base + ":depth", base + ":follow"], args=[key, depth, ""]))

    def followed_from(self, state: Any, key: str, depth: int, response: Response, record: dict[str, Any]) -> int:
        """The page's followable links published under every URL it answered for, and the level read, in one
        atomic step: a shallower path asked for before it lowered the level, one asked for after finds them."""
        shared, aliases = "", []
        if (record.get("status") or 0) < 400 and record.get("doc_type") in (None, "html") and self.followable:
            links = self.followable(state, response.url, record.get("links") or [])
            if links:  # nothing to follow again otherwise
                elements = (record.get("signals") or {}).get("elements") or {}
                shared = json.dumps({
                    "url": record.get("url"), "final_url": record.get("final_url") or response.url,
                    "status": record.get("status"), "kind": record.get("kind"), "doc_type": record.get("doc_type"),
                    "signals": {"elements": {k: {"structural": True} for k, v in elements.items() if v.get("structural")}},
                    "links": links}, ensure_ascii=False)
                aliases = answered_keys(response)
        base = self._base(state)
        return int(self.shared.followed(keys=[base + ":depth", base + ":follow"], args=[key, depth, shared, *aliases]))

    def refollow(self, state: Any, key: str, depth: int) -> dict[str, Any] | None:
        base = self._base(state)
        record = self.shared.refollow(keys=[base + ":depth", base + ":follow"], args=[key, depth])
        return json.loads(record) if record else None

    def remember(self, state: Any, response: Response, record: dict[str, Any]) -> None:
        """The page index is rebuilt by the coordinator from the stored pages (and each page's ``keys``)."""

    def _base(self, state: Any) -> str:
        return self.shared.keys.agency(state.agency.id, state.gen)

    def page_item(self, state: Any, response: Response, item: PageItem) -> KeyedPageItem:
        base = self._base(state)
        state.bytes_used = self.server.hincrby(base, "bytes", len(response.body))
        return KeyedPageItem(**item, gen=state.gen, keys=answered_keys(response))

    def failed_item(self, state: Any, item: PageItem) -> KeyedPageItem:
        # The failed fetch's record is evidence too: it goes to the coordinator with the generation.
        return KeyedPageItem(**item, gen=state.gen, keys=[])

    def settle(self, state: Any) -> Iterator[Any]:
        """One outstanding request less, counted in Redis by the item pipeline after the callback's pages."""
        home = None
        if not state.home_published and (state.home_status is not None or state.failure):
            state.home_published = True
            home = {"http_status": state.home_status, "final_url": state.final_url or None,
                    "failure": list(state.failure) if state.failure else None}
        yield Settled(agency_id=state.agency.id, gen=state.gen, home=home)
