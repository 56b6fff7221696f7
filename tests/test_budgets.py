"""Per-agency budgets on a real crawl of part of the sample province: what was cut is recorded."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from tctt.sampleserver import serve_sample_province

AGENCIES = ("so-tu-phap", "so-noi-vu", "ubnd-tinh")


def _crawl(tctt, folder: Path, name: str, rows: list[dict], *settings: str) -> dict[str, dict]:
    registry = folder / f"{name}.csv"
    with registry.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    db = folder / f"{name}.db"
    args = [arg for setting in settings for arg in ("--set", setting)]
    result = tctt('crawl', '--registry', str(registry), '--db', str(db), '--allow-private', *args, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(db) as conn:
        pages = dict(conn.execute("select agency_id, count(*) from pages group by agency_id").fetchall())
        return {aid: {"status": status, "cut": json.loads(cut), "pages": pages.get(aid, 0)}
                for aid, status, cut in conn.execute("select agency_id, status, cut from agency_results")}


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("budgets")
    with serve_sample_province() as province:
        rows = province.subset(AGENCIES)
        return {"full": _crawl(tctt, folder, "full", rows),
                "bytes": _crawl(tctt, folder, "bytes", rows, "TCTT_MAX_BYTES_PER_AGENCY=30000"),
                "time": _crawl(tctt, folder, "time", rows, "TCTT_MAX_SECONDS_PER_AGENCY=0.001"),
                "pages": _crawl(tctt, folder, "pages", rows, "TCTT_MAX_PAGES_PER_AGENCY=3")}


@pytest.mark.parametrize("budget", ["bytes", "time", "pages"])
def test_a_spent_budget_cuts_the_crawl_and_says_so(crawls: dict, budget: str):
    cut = [aid for aid in AGENCIES if crawls[budget][aid]["cut"][budget] > 0]
    assert cut, crawls[budget]
    assert any(crawls[budget][aid]["pages"] < crawls["full"][aid]["pages"] for aid in cut)
    for agency_id in AGENCIES:
        full, limited = crawls["full"][agency_id], crawls[budget][agency_id]
        assert limited["status"] == "audited"  # a budget never turns an agency into a failure
        assert limited["pages"] <= full["pages"]
        if agency_id in cut:
            assert all(e["kind"] in ("pages", "bytes", "time", "depth", "traps") and e["reason"]
                       for e in limited["cut"]["examples"])
        if budget == "pages":
            assert limited["pages"] <= 3
    assert all(c["cut"]["bytes"] == c["cut"]["time"] == c["cut"]["pages"] == 0 for c in crawls["full"].values())
