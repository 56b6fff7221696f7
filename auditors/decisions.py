"""Inspector decisions: a finding accepted as compliant or excused ("đã xác minh"), with a reason, the
inspector's name and an expiry date.

A decision is tied to the evidence the inspector looked at: the finding's status, message and evidence
(URL path and excerpt) are fingerprinted when the decision is recorded. In a later run the decision
applies only while the fingerprint is the same; when the evidence changes the decision is shown as
"evidence changed — review again" and the finding keeps its audited status. A decision never hides a
later change. Expired and revoked decisions no longer apply.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from core.store import Store, now_iso

KINDS = ("compliant", "excused")
_HOST = re.compile(r"https?://[^/\s\"]+")  # not folded: a host in a URL
LABELS = {
    "compliant": "Đã xác minh: đạt / verified: accepted as compliant",
    "excused": "Đã xác minh: miễn trừ / verified: excused",
}
STATE_LABELS = {
    "applied": "Đang áp dụng / applied",
    "evidence_changed": "Bằng chứng đã thay đổi, cần xác minh lại / evidence changed, review again",
    "expired": "Đã hết hạn / expired",
    "moot": "Tiêu chí nay đã đạt / the rule now passes",
}


class DecisionError(Exception):
    """A decision cannot be recorded (unknown agency or rule, bad date, …)."""


def fingerprint(finding: dict[str, Any]) -> str:
    """What the inspector saw: status, message and evidence, independent of host and access time.

    The URL's host is left out so that a portal moving from http to https or to a new domain with the
    same pages keeps its decisions; any change of path or excerpt is a change of evidence.
    """
    evidence = finding.get("evidence") if isinstance(finding.get("evidence"), list) else []
    items = sorted(
        (urlsplit(str(e.get("url") or ""))._replace(scheme="", netloc="").geturl(), str(e.get("excerpt") or ""))
        for e in evidence if isinstance(e, dict)
    )
    message = _HOST.sub("", json.dumps(finding.get("message"), ensure_ascii=False, sort_keys=True))
    payload = {"status": finding.get("status"), "message": message, "evidence": items}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def record(store: Store, *, agency_id: str, rule_id: str, kind: str, reason: str, inspector: str,
           expires: str, run: int | str | None = "latest", today: date | None = None) -> int:
    if kind not in KINDS:
        raise DecisionError(f"Loại quyết định / decision must be one of {KINDS}: {kind!r}")
    if not reason.strip() or not inspector.strip():
        raise DecisionError("Cần lý do và tên người kiểm tra / a reason and the inspector's name are required")
    try:
        expiry = date.fromisoformat(expires)
    except ValueError as exc:
        raise DecisionError(f"Ngày hết hạn YYYY-MM-DD / expiry must be a YYYY-MM-DD date: {expires!r}") from exc
    if expiry <= (today or date.today()):
        raise DecisionError(f"Ngày hết hạn đã qua / the expiry date is not in the future: {expires}")
    run_id = int(store.run(run)["id"])
    rows = store.findings(run_id, agency_id)
    finding = next((f for f in rows if f["rule_id"] == rule_id), None)
    if finding is None:
        raise DecisionError(f"Lượt {run_id} không có kết quả {agency_id}/{rule_id} / run {run_id} has no finding "
                            f"for agency {agency_id!r} and rule {rule_id!r}")
    return int(store.db["decisions"].insert({
        "agency_id": agency_id, "rule_id": rule_id, "decision": kind, "reason": reason.strip(),
        "inspector": inspector.strip(), "expires": expiry.isoformat(), "run_id": run_id,
        "fingerprint": fingerprint(finding), "finding_status": finding["status"], "created_at": now_iso(),
        "revoked_at": None,
    }).last_pk)


def revoke(store: Store, decision_id: int) -> None:
    if not list(store.db.query("select id from decisions where id = ?", [decision_id])):
        raise DecisionError(f"Không có quyết định / no such decision: {decision_id}")
    store.db["decisions"].update(decision_id, {"revoked_at": now_iso()})


def all_decisions(store: Store) -> list[dict[str, Any]]:
    return list(store.db.query("select * from decisions order by id"))


def evaluate(store: Store, run_id: int, agency_id: str, findings: list[dict[str, Any]],
             on: date | None = None) -> dict[str, dict[str, Any]]:
    """Rule id -> the latest unrevoked decision recorded at or before ``run_id``, with its ``state``.

    ``findings`` are the store's rows of that run and agency (with evidence decoded).
    """
    on = on or date.today()
    by_rule = {f["rule_id"]: f for f in findings}
    out: dict[str, dict[str, Any]] = {}
    for row in store.db.query(
        "select * from decisions where agency_id = ? and run_id <= ? and revoked_at is null order by id",
        [agency_id, run_id],
    ):
        finding = by_rule.get(row["rule_id"])
        if finding is None:
            continue
        decision = dict(row)
        if date.fromisoformat(row["expires"]) < on:
            decision["state"] = "expired"
        elif finding["status"] == "pass":
            decision["state"] = "moot"
        elif fingerprint(finding) != row["fingerprint"]:
            decision["state"] = "evidence_changed"
        else:
            decision["state"] = "applied"
        decision["label"] = LABELS[row["decision"]]
        decision["state_label"] = STATE_LABELS[decision["state"]]
        out[row["rule_id"]] = decision
    return out


def annotate_model(store: Store, model: dict[str, Any]) -> None:
    """Attach ``decision`` to each finding of a run model that a decision concerns (for the reports)."""
    run_id = model["run"]["id"]
    for agency in model["agencies"]:
        if not agency["findings"]:
            continue
        decisions = evaluate(store, run_id, agency["id"], store.findings(run_id, agency["id"]))
        for finding in agency["findings"]:
            decision = decisions.get(finding["rule"])
            if decision and decision["state"] != "moot":
                finding["decision"] = {key: decision[key] for key in
                                       ("id", "decision", "reason", "inspector", "expires", "created_at",
                                        "run_id", "state", "label", "state_label")}


def in_force(store: Store, run_id: int, agency_id: str) -> dict[str, str]:
    """Rule id -> the kind ("compliant"/"excused") of each decision applied to the agency's findings in a run
    (what the province's rates count as passed or excused)."""
    decisions = evaluate(store, run_id, agency_id, store.findings(run_id, agency_id))
    return {rule: d["decision"] for rule, d in decisions.items() if d["state"] == "applied"}
