"""Choose the section thresholds (found / absent) from measured confidences, and store them with the
measurement in ``core/section_thresholds.json``.

Inputs are labelled confidences: every weighed candidate of the gold set (a candidate is a section when its
URL is the portal's labelled section) and every real page (``farms.gold.realpages``). The rule, when the two
sets do not overlap (every non-section scored below every section):

- ``found``: the first 0.05 step above the highest non-section, so that no measured non-section is ever
  reported found, and not above the section rule's declared minimum (0.5) nor above the lowest measured
  section unless that would cross a non-section;
- ``absent``: the first step above 95 % of the non-sections (never above ``found`` nor the lowest
  section). The most section-like confusables measured (a tag archive linking to the section, a Decree's
  table of contents) then fall between the two: ``unsure``, for an inspector, rather than a guess.

When the two sets overlap, ``found`` is the lowest step at or above the declared minimum where the
precision of "found" is at least 98 %, and ``absent`` the highest step below which at most 1 % of the
sections fall (a false "absent" is a false failure sent to an agency).

The sweep (precision and recall of "found", share of sections below each step) is stored beside the
chosen values, so a reader can see what each choice costs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.sectionstatus import THRESHOLDS_FILE
from farms.gold.evaluate import normalize_url

STEP = 0.05
MAX_ABSENT_LOSS = 0.01     # sections allowed below "absent" when the data overlap
MIN_FOUND_PRECISION = 0.98
TYPICAL_SHARE = 0.95       # "absent" sits above this share of the measured non-sections


def _grid() -> list[float]:
    return [round(i * STEP, 2) for i in range(int(round(1 / STEP)) + 1)]


def sweep(positives: list[float], negatives: list[float]) -> list[dict[str, Any]]:
    rows = []
    for t in _grid():
        found_pos = sum(1 for c in positives if c >= t)
        found_neg = sum(1 for c in negatives if c >= t)
        rows.append({"threshold": t,
                     "precision": round(found_pos / (found_pos + found_neg), 4) if found_pos + found_neg else None,
                     "recall": round(found_pos / len(positives), 4) if positives else None,
                     "sections_below": round(sum(1 for c in positives if c < t) / len(positives), 4) if positives else None})
    return rows


def _step_above(value: float) -> float:
    return round(math.floor(value / STEP + 1) * STEP, 2)


def _step_at_or_below(value: float) -> float:
    return round(math.floor(value / STEP + 1e-9) * STEP, 2)


def choose(positives: list[float], negatives: list[float], declared_found: float = 0.5) -> dict[str, Any]:
    """The thresholds for these labelled confidences (see the module's rule)."""
    if not positives or not negatives:
        raise ValueError("both sections and non-sections are needed to choose thresholds")
    highest_negative, lowest_positive = max(negatives), min(positives)
    ordered = sorted(negatives)
    typical_negative = ordered[max(0, math.ceil(TYPICAL_SHARE * len(ordered)) - 1)]
    if highest_negative < lowest_positive:
        # No measured non-section is found; every measured section is, unless that would cross the former.
        found = max(_step_above(highest_negative), min(declared_found, _step_at_or_below(lowest_positive)))
        absent = min(_step_above(typical_negative), found, lowest_positive)
        rule = ("separated: found above every non-section, absent above the typical one "
                f"({TYPICAL_SHARE:.0%}); the most section-like confusables go to an inspector")
    else:
        table = sweep(positives, negatives)
        found = min((r["threshold"] for r in table if r["threshold"] >= declared_found - 1e-9
                     and (r["precision"] or 0) >= MIN_FOUND_PRECISION), default=1.0)
        absent = min(found, max(r["threshold"] for r in table if (r["sections_below"] or 0) <= MAX_ABSENT_LOSS))
        rule = f"overlapping: at most {MAX_ABSENT_LOSS:.0%} of sections absent; found precision ≥ {MIN_FOUND_PRECISION:.0%}"
    return {"found": found, "absent": absent, "rule": rule, "highest_non_section": round(highest_negative, 4),
            "typical_non_section": round(typical_negative, 4), "lowest_section": round(lowest_positive, 4)}


def gold_confidences(result: dict[str, Any]) -> tuple[list[float], list[float]]:
    """(sections, non-sections) among the weighed candidates of a gold evaluation (``evaluation.json``)."""
    positives, negatives = [], []
    for row in result["portals"]:
        wanted = normalize_url(row.get("section_expected"))
        for candidate in row.get("candidates") or []:
            confidence = candidate.get("confidence")
            if confidence is None:
                continue
            (positives if wanted and normalize_url(candidate["url"]) == wanted else negatives).append(float(confidence))
    return positives, negatives


def realpage_confidences(result: dict[str, Any]) -> tuple[list[float], list[float]]:
    rows: Iterable[dict[str, Any]] = result["rows"]
    return ([r["confidence"] for r in rows if r["expected"]], [r["confidence"] for r in result["rows"] if not r["expected"]])


def measure(gold: dict[str, Any], real: dict[str, Any]) -> dict[str, Any]:
    """Thresholds and their measurement from a gold evaluation and a real-page evaluation."""
    gold_pos, gold_neg = gold_confidences(gold)
    real_pos, real_neg = realpage_confidences(real)
    positives, negatives = sorted(gold_pos + real_pos), sorted(gold_neg + real_neg)
    chosen = choose(positives, negatives)
    return {
        "found": chosen["found"], "absent": chosen["absent"], "rule": chosen["rule"],
        "measurement": {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "gold": {"portals": len(gold["portals"]), "sections": len(gold_pos), "non_sections": len(gold_neg),
                     "measured_at": gold.get("measured_at")},
            "real_pages": {"pages": real["pages"], "sections": len(real_pos), "non_sections": len(real_neg)},
            "highest_non_section": chosen["highest_non_section"], "typical_non_section": chosen["typical_non_section"],
            "lowest_section": chosen["lowest_section"],
            "positives": [round(c, 4) for c in positives], "negatives": [round(c, 4) for c in negatives],
            "sweep": sweep(positives, negatives),
        },
    }


def record(thresholds: dict[str, Any], path: str | Path | None = None) -> Path:
    target = Path(path or THRESHOLDS_FILE)
    target.write_text(json.dumps(thresholds, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target
