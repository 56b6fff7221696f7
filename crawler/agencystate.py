"""An agency's crawl state: what the portal spider knows about one agency while its pages are asked for.

One per agency in the process (``crawler.ledger.local``); a Redis worker's view extends it with counters
kept in Redis (``crawler.cluster.SharedAgencyState``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.http import Response

from core.registry import Agency
from crawler.urls import TrapDetector

CUT_EXAMPLES = 20  # examples kept of each agency's cuts (the counts are all kept)


@dataclass
class AgencyState:
    agency: Agency
    started_at: str
    pending: int = 0
    budget: int = 0
    seen: set[str] = field(default_factory=set)
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The shallowest depth each claimed page was asked for from: its links are followed from there, whichever
    # path's answer came first.
    follow_depth: dict[str, int] = field(default_factory=dict)
    candidates: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_status: int | None = None
    final_url: str = ""
    failure: tuple[str, str] | None = None  # (status, detail) when the home page could not be had
    finished: bool = False
    bytes_used: int = 0
    deadline: float | None = None  # monotonic; set when the home page answers
    traps: TrapDetector = field(default_factory=TrapDetector)
    cut: dict[str, Any] = field(default_factory=lambda: {"pages": 0, "bytes": 0, "time": 0, "depth": 0,
                                                         "traps": 0, "examples": []})
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)  # resume: pages already fetched
    revalidate: bool = True  # incremental: ask the portal for every page (its home page changed, or first visit)
    carry_source: dict[str, Any] | None | bool = False  # re-audit: the earlier result to carry (False: not looked up)
    section_deferred: bool = False  # the registry's section_url is asked for once the agency is known not carried
    carry_plan: dict[str, Any] | None = None  # re-audit: the carry waiting for its stale pages' answers
    verified: list[tuple[Response | None, dict[str, Any], bool]] = field(default_factory=list)
    priority: int = 0  # of every request of the agency: minus its rank of admission (the first started go first)

    def note_cut(self, kind: str, url: str, reason: str) -> None:
        self.cut[kind] += 1
        if len(self.cut["examples"]) < CUT_EXAMPLES:
            self.cut["examples"].append({"url": url[:300], "kind": kind, "reason": reason})
