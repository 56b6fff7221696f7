"""From findings to a 0–100 score and a band, with the weights and bands the ruleset declares."""

from __future__ import annotations

from typing import Any

from core.statuses import UNWEIGHTED
from rules import Ruleset


def points(ruleset: Ruleset, weight: float, status: str) -> tuple[float, float]:
    """(points achieved, points possible) of one finding. Unweighted statuses count 0 of 0."""
    if status in UNWEIGHTED:
        return 0.0, 0.0
    return round(weight * ruleset.status_scores.get(status, 0.0), 3), weight


def score_agency(ruleset: Ruleset, findings: list[dict[str, Any]]) -> tuple[float | None, str | None]:
    """Weighted score and gated band. None when nothing could be weighed."""
    achieved = sum(f["score"] for f in findings)
    possible = sum(f["max_score"] for f in findings)
    if possible <= 0:
        return None, None
    score = round(100.0 * achieved / possible, 1)
    all_essential = all(f["status"] == "pass" for f in findings if f["class"] == "essential" and f["status"] not in UNWEIGHTED)
    for band in ruleset.bands:
        if score >= band["min_score"] and (all_essential or not band.get("requires_all_essential")):
            return score, band["id"]
    return score, ruleset.bands[-1]["id"]
