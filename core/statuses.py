"""The status words of agencies, findings and runs: one home, used by the store, the auditors, scoring,
the reports and their translations (``reports/i18n.py`` has a label for each, in both languages).

They are ``StrEnum``s, so they are stored and exported as the plain words the JSON contract names.
"""

from __future__ import annotations

from enum import StrEnum


class AgencyStatus(StrEnum):
    AUDITED = "audited"
    UNREACHABLE = "unreachable"
    BLOCKED = "blocked"                    # WAF, captcha, 403 to an honest crawler
    ROBOTS_DISALLOWED = "robots_disallowed"
    ERROR = "error"


class FindingStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    PARTIAL = "partial"
    NOT_APPLICABLE = "not_applicable"
    MANUAL = "manual"          # needs an inspector (also when the crawler is unsure of the section)
    TRANSITION = "transition"  # a new duty still inside the 2026 law's transition
    ERROR = "error"


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


# Findings with these statuses weigh nothing in a score: they say nothing about compliance yet.
UNWEIGHTED = frozenset({FindingStatus.NOT_APPLICABLE, FindingStatus.MANUAL, FindingStatus.TRANSITION})
