"""Never lose work: a crawl killed with SIGKILL halfway is resumed and ends with the same findings as an
uninterrupted run, without refetching the pages it had stored and without duplicate rows.

The sample province is served once; a baseline crawl runs at full speed, then the province is slowed
down (every response delayed) so that the SIGKILL lands mid-crawl, and sped up again for the resume.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tctt.sampleserver import serve_sample_province


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # the schema is being created
        return 0


def _findings(tctt, db: Path) -> dict[str, dict]:
    result = tctt("score", "--db", str(db), "--run", "1")
    assert result.returncode == 0, result.stderr
    exported = tctt("export", "--db", str(db), "--run", "1", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    out = {}
    for agency in json.loads(exported.stdout)["agencies"]:
        section = (agency.get("section") or {}).get("url")
        out[agency["id"]] = {
            "status": agency["status"], "score": agency["score"], "band": agency["band"],
            "section": urlsplit(section).path if section else None,
            "findings": {f["rule"]: f["status"] for f in agency["findings"]},
        }
    return out


def _stored(db: Path) -> dict[tuple[str, str], tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return {(aid, url): (pid, fetched) for pid, aid, url, fetched in conn.execute(
            "select id, agency_id, url, fetched_at from pages where status is not null")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict:
    folder = tmp_path_factory.mktemp("resume")
    baseline, killed = folder / "baseline.db", folder / "killed.db"
    with serve_sample_province(slow_delay=0) as province:
        registry = province.write_registry(folder / "registry.csv")
        result = tctt("crawl", "--registry", str(registry), "--db", str(baseline), "--allow-private")
        assert result.returncode == 0, result.stdout + result.stderr
        total_pages = _count(baseline, "select count(*) from pages where status is not null")

        province.set_delay(0.3)
        process = subprocess.Popen(
            [sys.executable, "-m", "tctt.cli", "crawl", "--registry", str(registry), "--db", str(killed),
             "--allow-private"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 180
        try:
            while time.monotonic() < deadline and process.poll() is None:
                if _count(killed, "select count(*) from pages where status is not null") >= total_pages // 3:
                    break
                time.sleep(0.1)
        finally:
            # SIGKILL the crawl and its document workers (its own process group): no handler runs.
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, "the crawl finished before it could be killed"
        before = _stored(killed)
        with sqlite3.connect(killed) as conn:
            status_after_kill = conn.execute("select status from runs where id = 1").fetchone()[0]
            finished_before = {a for (a,) in conn.execute("select agency_id from agency_results")}
        report_after_kill = tctt("report", "--db", str(killed), "--run", "1", "--out",
                                 str(folder / "killed-report"))
        assert report_after_kill.returncode == 0, report_after_kill.stderr

        province.set_delay(0)
        resumed = tctt("crawl", "--resume", "1", "--db", str(killed))
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    return {"baseline": baseline, "killed": killed, "before": before, "total_pages": total_pages,
            "status_after_kill": status_after_kill, "finished_before": finished_before,
            "killed_report": folder / "killed-report", "resumed": resumed}


def test_the_kill_landed_mid_crawl_and_the_run_shows_incomplete(runs: dict):
    assert 0 < len(runs["before"]) < runs["total_pages"]
    print(f"\nkilled after {len(runs['before'])}/{runs['total_pages']} pages, "
          f"{len(runs['finished_before'])} agencies finished")
    assert runs["status_after_kill"] == "running"
    index = (runs["killed_report"] / "index.html").read_text(encoding="utf-8")
    assert "Lượt kiểm tra chưa hoàn tất" in index  # the report warns; never shown as complete


def test_resume_ends_with_the_same_findings_as_an_uninterrupted_run(runs: dict, tctt):
    with sqlite3.connect(runs["killed"]) as conn:
        assert conn.execute("select status from runs where id = 1").fetchone()[0] == "complete"
    assert _findings(tctt, runs["killed"]) == _findings(tctt, runs["baseline"])


def test_resume_refetches_nothing_it_had_stored(runs: dict):
    after = _stored(runs["killed"])
    for key, (page_id, fetched_at) in runs["before"].items():
        assert after.get(key) == (page_id, fetched_at), key  # same row, same fetch time: not fetched again


def test_no_duplicate_evidence_rows(runs: dict):
    with sqlite3.connect(runs["killed"]) as conn:
        rows, distinct = conn.execute(
            "select count(*), count(distinct run_id || ' ' || agency_id || ' ' || url) from pages").fetchone()
        results = conn.execute("select count(*), count(distinct agency_id) from agency_results").fetchone()
        candidates = conn.execute(
            "select count(*), count(distinct agency_id || ' ' || url) from candidates").fetchone()
    assert rows == distinct and results[0] == results[1] and candidates[0] == candidates[1]
    assert _count(runs["killed"], "select count(*) from pages where status is not null") == runs["total_pages"]


def test_resume_arguments_are_checked(tmp_path: Path, tctt):
    assert tctt("crawl", "--db", str(tmp_path / "x.db")).returncode == 2  # neither --registry nor --resume
    assert tctt("audit", "--registry", "r.csv", "--resume", "1", "--db", str(tmp_path / "x.db")).returncode == 2
    missing = tctt("crawl", "--resume", "7", "--db", str(tmp_path / "x.db"))
    assert missing.returncode == 3 and "7" in missing.stderr
