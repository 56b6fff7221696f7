"""The cluster benchmark's findings comparison, on two small audit databases with the store's own schema:
identical runs compare equal, and every kind of difference an inspector would see is reported."""

from __future__ import annotations

import sys
from pathlib import Path

from core.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from cluster_bench import compare_findings, findings_of  # noqa: E402


def _audit(db: Path, rows: list[tuple[str, str, str | None]], findings: list[tuple[str, str, str]]) -> int:
    store = Store(db)
    try:
        run_id = 3
        store.db["agency_results"].insert_all(
            [{"run_id": run_id, "agency_id": a, "status": s, "section_url": u} for a, s, u in rows])
        store.db["findings"].insert_all(
            [{"run_id": run_id, "agency_id": a, "rule_id": r, "status": s} for a, r, s in findings])
        # Another run of the same database must not leak into the comparison.
        store.db["findings"].insert({"run_id": 9, "agency_id": "a1", "rule_id": "R1", "status": "fail"})
    finally:
        store.close()
    return run_id


ROWS = [("a1", "audited", "http://a1.example/tiep-can/"), ("a2", "unreachable", None)]
FINDINGS = [("a1", "R1", "pass"), ("a1", "R2", "manual"), ("a2", "R1", "not_applicable")]


def test_same_findings_compare_equal(tmp_path: Path) -> None:
    one = findings_of(tmp_path / "one.db", _audit(tmp_path / "one.db", ROWS, FINDINGS))
    two = findings_of(tmp_path / "two.db", _audit(tmp_path / "two.db", list(reversed(ROWS)), list(reversed(FINDINGS))))
    assert one["findings"]["a1 R2"] == "manual"
    assert compare_findings(one, two) == []


def test_every_difference_is_reported(tmp_path: Path) -> None:
    one = findings_of(tmp_path / "one.db", _audit(tmp_path / "one.db", ROWS, FINDINGS))
    rows = [("a1", "audited", "http://a1.example/other/"), ("a2", "audited", None), ("a3", "audited", None)]
    findings = [("a1", "R1", "fail"), ("a2", "R1", "not_applicable")]
    two = findings_of(tmp_path / "two.db", _audit(tmp_path / "two.db", rows, findings))
    assert compare_findings(one, two) == [
        "statuses: a2: unreachable -> audited",
        "statuses: a3: <none> -> audited",
        "sections: a1: http://a1.example/tiep-can/ -> http://a1.example/other/",
        "sections: a3: <none> -> None",
        "findings: a1 R1: pass -> fail",
        "findings: a1 R2: manual -> <none>",
    ]
