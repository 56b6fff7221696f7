"""crawler.budgets on its own: the checks before a request is made (AgencyBudgets), and the hard limits
on requests about to leave (HardBudgets, called as Scrapy calls a downloader middleware)."""

from __future__ import annotations

import time

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from core.registry import Agency
from crawler.agencystate import AgencyState
from crawler.budgets import AgencyBudgets, HardBudgets, budget_cut

AGENCY = Agency(id="a1", name="Sở 1", url="http://so1.tinh.gov.vn/", level="so", parent="", province="", email="",
                section_url="", line=2)
BUDGETS = AgencyBudgets(max_pages=5, max_bytes=1000, max_seconds=30.0, response_maxsize=600, doc_max_bytes=300)


def state(**kwargs: object) -> AgencyState:
    return AgencyState(agency=AGENCY, started_at="2026-12-01T00:00:00", **{"budget": 5, **kwargs})  # type: ignore[arg-type]


def test_each_budget_cuts_with_its_kind() -> None:
    url = "http://so1.tinh.gov.vn/tctt"
    assert BUDGETS.cut(state(), url, None) is None
    assert BUDGETS.cut(state(budget=0), url, None) == ("pages", "page budget of 5 spent")
    assert BUDGETS.cut(state(bytes_used=1000), url, None) == ("bytes", "byte budget of 1000 spent")
    assert BUDGETS.cut(state(deadline=time.monotonic() - 1), url, None) == ("time", "time budget of 30 s spent")
    # A page stored by an earlier attempt is replayed: it costs neither bytes nor time, still a page.
    assert BUDGETS.cut(state(bytes_used=1000, deadline=time.monotonic() - 1), url, {"url": url}) is None
    assert BUDGETS.cut(state(budget=0), url, {"url": url}) == ("pages", "page budget of 5 spent")


def test_a_calendar_trap_is_cut() -> None:
    trapped = state()
    cuts = [BUDGETS.cut(trapped, f"http://so1.tinh.gov.vn/lich?ngay=2026-01-{d:02d}", None) for d in range(1, 30)]
    assert cuts[0] is None and cuts[-1] is not None and cuts[-1][0] == "traps"


def test_one_download_never_goes_past_what_is_left() -> None:
    assert BUDGETS.download_limit(state(), "section") == 600          # the response limit
    assert BUDGETS.download_limit(state(bytes_used=700), "section") == 300  # what is left of the agency's bytes
    assert BUDGETS.download_limit(state(bytes_used=5000), "section") == 1   # spent: the smallest download
    assert BUDGETS.download_limit(state(), "document") == 300         # no more than a document parser reads
    assert AgencyBudgets(5, 0, 0.0, 0, 0).download_limit(state(), "section") == 0  # no limit at all


def hard(**settings: object) -> HardBudgets:
    crawler = get_crawler(Spider, settings_dict={"TCTT_MAX_BYTES_PER_AGENCY": 1000, **settings})
    return HardBudgets.from_crawler(crawler)


class WithStates(Spider):
    name = "with-states"

    def __init__(self, states: dict[str, AgencyState]):
        super().__init__()
        self.states = states


def test_a_request_about_to_leave_is_capped_or_cut() -> None:
    mw = hard(DOWNLOAD_TIMEOUT=180)
    spider = WithStates({"a1": state(deadline=time.monotonic() + 10, bytes_used=400)})
    request = Request("http://so1.tinh.gov.vn/a", meta={"agency_id": "a1", "kind": "section"})
    assert mw.process_request(request, spider) is None
    assert request.meta["download_maxsize"] == 600 and request.meta["tctt_bytes_capped"]
    assert 9 < request.meta["download_timeout"] <= 10 and request.meta["tctt_deadline_capped"]
    spider.states["a1"].deadline = time.monotonic() - 1
    late = Request("http://so1.tinh.gov.vn/b", meta={"agency_id": "a1", "kind": "section"})
    with pytest.raises(IgnoreRequest) as refused:
        mw.process_request(late, spider)
    failure = Failure(refused.value)
    failure.request = late  # as Scrapy's errback receives it
    assert budget_cut(failure) == ("time", "time budget spent before the request was sent")


def test_the_home_page_is_exempt() -> None:
    mw = hard()
    spider = WithStates({"a1": state(deadline=time.monotonic() - 1, bytes_used=5000)})
    home = Request(AGENCY.url, meta={"agency_id": "a1", "kind": "home"})
    assert mw.process_request(home, spider) is None and "download_maxsize" not in home.meta
