"""The agency ledger of a cluster worker: every agency's bookkeeping shared through Redis (crawler.cluster).

The pages asked for (the shared dupefilter), the page and byte budgets, trap and cut counters, the
candidates and the requests outstanding live in Redis; this worker keeps a bounded cache of agency views,
brought up to date from each request's meta. A callback ends with a ``Settled`` marker, counted by the
item pipeline: the agency is done when its outstanding count reaches zero on any worker. Pages are indexed
by the coordinator from the stored pages (each page item carries its ``keys``), not here.
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
from crawler.ledger import Cut
from crawler.urls import canonical

MAX_STATES = 5000  # agency views kept per worker (a cache: everything shared is in Redis)


class RedisLedger:
    def __init__(self, shared: Shared, dupefilter: AgencyDupeFilter, max_pages: int):
        self.shared = shared
        self.server = shared.server
        self.dupefilter = dupefilter
        self.max_pages = max_pages
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
        base = self.shared.keys.agency(state.agency.id, state.gen)
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
        base = self.shared.keys.agency(state.agency.id, state.gen)
        if kind == "home":  # exempt from the budget check, not from the count
            self.shared.spend(keys=[base], args=["0", self.max_pages])
        # Counted outstanding by the scheduler, in the round trip that queues the request (COUNT_MARK).
        # What another worker needs to carry on with this agency's pages.
        request.meta.update({COUNT_MARK: base}, tctt_gen=state.gen, tctt_key=key, tctt_final_url=state.final_url,
                            tctt_deadline=(time.time() + state.deadline - time.monotonic()) if state.deadline else None)

    # A page claimed through a deep path and asked for again through a shallower one is followed from the
    # depth it was claimed at: the claim is shared in Redis, the page records go to the coordinator, so which
    # path a worker asks first still decides (docs/scale.md, the claim-order race).
    def follow_depth(self, state: Any, key: str, depth: int) -> int:
        return depth

    def refollow(self, state: Any, key: str, depth: int) -> dict[str, Any] | None:
        return None

    def remember(self, state: Any, response: Response, record: dict[str, Any]) -> None:
        """The page index is rebuilt by the coordinator from the stored pages (and each page's ``keys``)."""

    def page_item(self, state: Any, response: Response, item: PageItem) -> KeyedPageItem:
        base = self.shared.keys.agency(state.agency.id, state.gen)
        state.bytes_used = self.server.hincrby(base, "bytes", len(response.body))
        keys = [canonical(u) for u in [*response.meta.get("redirect_urls", []), response.request.url, response.url]]
        return KeyedPageItem(**item, gen=state.gen, keys=list(dict.fromkeys(keys)))

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
