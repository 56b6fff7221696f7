"""Is the best candidate the section? ``found``, ``unsure`` or ``absent`` — and the inspector's word on it.

The crawler gives every candidate a confidence (``crawler.section_choice``). Two thresholds, measured on
labelled data (``tctt evaluate --record-thresholds``, stored with their measurement in
``section_thresholds.json``), split it in three:

- ``found``  — confidence ≥ ``found``: the candidate is the section;
- ``absent`` — the best candidate's confidence < ``absent``: no section;
- ``unsure`` — in between: the finding is ``manual`` ("cần thanh tra viên xác nhận"), the candidates are
  listed, nothing that depends on the section is reported as a failure, and an inspector's decision
  (``tctt decide section``) settles it for later runs.

An inspector's decision names an agency and a candidate URL: ``confirmed`` (this is the section) or
``rejected`` (this is not). It holds in every later run while that URL is still a candidate; it can be
revoked. Decisions live in the ``section_decisions`` table of the store.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from core.store import Store, now_iso

THRESHOLDS_FILE = Path(__file__).with_name("section_thresholds.json")
STATUSES = ("found", "unsure", "absent")
VERDICTS = ("confirmed", "rejected")
TABLE = "section_decisions"


@dataclass(frozen=True)
class Thresholds:
    found: float
    absent: float

    def status(self, confidence: float | None) -> str:
        value = confidence or 0.0
        if value >= self.found:
            return "found"
        return "unsure" if value >= self.absent else "absent"


@functools.lru_cache(maxsize=4)
def thresholds(path: str | None = None) -> Thresholds:
    """The thresholds in force (from ``section_thresholds.json``)."""
    data = json.loads(Path(path or THRESHOLDS_FILE).read_text(encoding="utf-8"))
    found, absent = float(data["found"]), float(data["absent"])
    if not 0.0 <= absent <= found <= 1.0:
        raise ValueError(f"section thresholds must satisfy 0 ≤ absent ≤ found ≤ 1: {absent}, {found}")
    return Thresholds(found=found, absent=absent)


def key(url: str | None) -> str:
    """A URL as decisions compare it: canonical, without a trailing slash on its path."""
    parts = urlsplit(canonicalize_url(url or "", keep_fragments=False))
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") or "/"))


@dataclass
class Verdict:
    """The section as the auditors must see it for one agency and run."""
    status: str                        # found | unsure | absent
    url: str | None                    # the section (found), or the best candidate (unsure), or None
    confidence: float | None
    candidates: list[dict[str, Any]] = field(default_factory=list)  # best first, rejected ones left out
    decision: dict[str, Any] | None = None  # the inspector's decision that settled it, if any
    rejected: list[str] = field(default_factory=list)


def judge(candidates: Iterable[dict[str, Any]], decisions: Iterable[dict[str, Any]] = (),
          limits: Thresholds | None = None) -> Verdict:
    """The section's status from the weighed candidates and the inspector's standing decisions."""
    limits = limits or thresholds()
    ordered = sorted(candidates, key=lambda c: -(c.get("confidence") or 0.0))
    by_key = {key(c.get("url")): c for c in ordered}
    latest: dict[str, dict[str, Any]] = {}
    for decision in decisions:  # in recording order: the last word on a URL counts
        latest[key(decision["url"])] = decision
    rejected = [k for k, d in latest.items() if d["verdict"] == "rejected" and k in by_key]
    for url_key, decision in latest.items():
        if decision["verdict"] == "confirmed" and url_key in by_key:
            chosen = by_key[url_key]
            return Verdict("found", chosen["url"], chosen.get("confidence"),
                           [c for c in ordered if key(c.get("url")) not in rejected], decision,
                           [by_key[k]["url"] for k in rejected])
    remaining = [c for c in ordered if key(c.get("url")) not in rejected]
    best = remaining[0] if remaining else None
    status = limits.status(best.get("confidence") if best else None)
    decision = latest[rejected[0]] if rejected else None
    return Verdict(status, best["url"] if best and status != "absent" else None,
                   best.get("confidence") if best else None, remaining, decision,
                   [by_key[k]["url"] for k in rejected])


# --- the inspector's decisions --------------------------------------------------------------------
class SectionDecisionError(Exception):
    """A section decision cannot be recorded (unknown agency or candidate, bad verdict…)."""


def _table(store: Store):
    if TABLE not in store.db.table_names():
        store.db[TABLE].create({"id": int, "agency_id": str, "url": str, "verdict": str, "reason": str,
                                "inspector": str, "run_id": int, "confidence": float, "created_at": str,
                                "revoked_at": str}, pk="id")
    return store.db[TABLE]


def record(store: Store, *, agency_id: str, url: str, verdict: str, reason: str, inspector: str,
           run: int | str | None = "latest") -> int:
    """Record that ``url`` is (``confirmed``) or is not (``rejected``) the agency's section."""
    if verdict not in VERDICTS:
        raise SectionDecisionError(f"Kết luận / verdict must be one of {VERDICTS}: {verdict!r}")
    if not reason.strip() or not inspector.strip():
        raise SectionDecisionError("Cần lý do và tên người kiểm tra / a reason and the inspector's name are required")
    run_id = int(store.run(run)["id"])
    candidates = store.candidates(run_id, agency_id)
    match = next((c for c in candidates if key(c["url"]) == key(url)), None)
    if match is None:
        known = ", ".join(c["url"] for c in candidates[:5]) or "không có / none"
        raise SectionDecisionError(
            f"{url} không phải ứng viên của {agency_id} ở lượt {run_id} / is not a section candidate of "
            f"{agency_id!r} in run {run_id} (ứng viên / candidates: {known})")
    return int(_table(store).insert({
        "agency_id": agency_id, "url": match["url"], "verdict": verdict, "reason": reason.strip(),
        "inspector": inspector.strip(), "run_id": run_id, "confidence": match.get("confidence"),
        "created_at": now_iso(), "revoked_at": None}).last_pk)


def revoke(store: Store, decision_id: int) -> None:
    table = _table(store)
    if not list(store.db.query(f"select id from {TABLE} where id = ?", [decision_id])):
        raise SectionDecisionError(f"Không có quyết định / no such section decision: {decision_id}")
    table.update(decision_id, {"revoked_at": now_iso()})


def standing(store: Store, agency_id: str, run_id: int | None = None) -> list[dict[str, Any]]:
    """Unrevoked decisions on an agency's section, recorded at or before ``run_id``, oldest first."""
    if TABLE not in store.db.table_names():
        return []
    sql = f"select * from {TABLE} where agency_id = ? and revoked_at is null"
    args: list[Any] = [agency_id]
    if run_id is not None:
        sql += " and run_id <= ?"
        args.append(run_id)
    return list(store.db.query(sql + " order by id", args))


def all_decisions(store: Store) -> list[dict[str, Any]]:
    if TABLE not in store.db.table_names():
        return []
    return list(store.db.query(f"select * from {TABLE} order by id"))
