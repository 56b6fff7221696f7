"""Compliance rates that mean what they say: the one place where a rule's (or a group's) rate is computed.

A rule's rate is the share of agencies that pass it among those it applies to *and* for which the tool
reached a verdict (pass, partial, fail). Everything else is counted apart and shown beside the rate:

- ``not_applicable`` — the rule does not apply to that agency on the audit date (level, date);
- ``transition`` — a new duty still inside the 2026 law's transition period;
- ``manual`` — the tool was unsure: the finding awaits an inspector (never counted as a failure);
- ``error`` — the check itself failed;
- ``not_audited`` — the agency could not be audited (unreachable, blocked, …) in that run;
- ``missing`` — the agency was audited but has no finding for the rule (a rule added later);
- ``excused`` — an inspector excused the gap (a decision in force).

An inspector's decision in force that accepts a finding as compliant counts as a pass; one that excuses it
counts apart. The index, the province matrix and the trend pages all call :func:`tally`/:func:`rule_rates`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("pass", "partial", "fail")
APART = ("manual", "not_applicable", "transition", "error", "excused", "not_audited", "missing")
BUCKETS = VERDICTS + APART
GAPS = frozenset({"fail", "partial"})


@dataclass
class Rate:
    """Counts of one rule (or one group of findings) by bucket, and the rate over the decided ones."""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    def add(self, bucket: str) -> None:
        self.counts[bucket if bucket in self.counts else "error"] += 1

    @property
    def decided(self) -> int:
        """Agencies the rule applies to and for which the tool (or an inspector) reached a verdict."""
        return sum(self.counts[b] for b in VERDICTS)

    @property
    def applicable(self) -> int:
        """Audited agencies the rule applies to now: verdicts plus those awaiting an inspector or in error."""
        return self.decided + self.counts["manual"] + self.counts["error"]

    @property
    def gaps(self) -> int:
        return self.counts["fail"] + self.counts["partial"]

    @property
    def rate(self) -> float | None:
        """Percent of decided agencies that pass (None when no agency was decided)."""
        return round(100 * self.counts["pass"] / self.decided, 1) if self.decided else None

    def as_dict(self) -> dict[str, Any]:
        return {**self.counts, "decided": self.decided, "applicable": self.applicable, "gaps": self.gaps,
                "rate": self.rate}


def effective_status(status: str | None, decision: str | None = None) -> str:
    """The bucket of one finding, after an inspector's decision in force (``compliant``/``excused``)."""
    if status is None:
        return "missing"
    if decision == "compliant" and status != "not_applicable":
        return "pass"
    if decision == "excused" and status in GAPS | {"manual", "error"}:
        return "excused"
    return status


def tally(buckets: Iterable[str]) -> Rate:
    """A :class:`Rate` over already-bucketed statuses (see :func:`effective_status`)."""
    rate = Rate()
    for bucket in buckets:
        rate.add(bucket)
    return rate


def rule_rates(agencies: Iterable[Mapping[str, str] | None], rules: Iterable[str] | None = None,
               decisions: Iterable[Mapping[str, str] | None] | None = None) -> dict[str, Rate]:
    """Rule id → :class:`Rate` over ``agencies``: each a mapping rule id → finding status, or ``None`` for
    an agency not audited in that run. ``decisions`` (same order) maps rule id → a decision in force.
    ``rules`` fixes the rules reported (default: every rule seen)."""
    rows = list(agencies)
    decided = list(decisions) if decisions is not None else [None] * len(rows)
    wanted = list(rules) if rules is not None else sorted({r for row in rows if row for r in row})
    out = {rule: Rate() for rule in wanted}
    for row, kinds in zip(rows, decided, strict=True):
        for rule in wanted:
            if row is None:
                out[rule].add("not_audited")
            else:
                out[rule].add(effective_status(row.get(rule), (kinds or {}).get(rule)))
    return out


def pooled(rates: Iterable[Rate]) -> Rate:
    """One rate over several rules' findings (a level's or a group's overall rate)."""
    total = Rate()
    for rate in rates:
        for bucket, count in rate.counts.items():
            total.counts[bucket] += count
    return total
