"""Auditors: named pure functions over stored evidence, and the scoring of their findings."""

from auditors import duties as _duties  # noqa: F401 - registers the spokesperson auditor
from auditors import hierarchy as _hierarchy  # noqa: F401 - registers the registry-hierarchy auditors
from auditors import law as _law  # noqa: F401 - registers the checklist auditors
from auditors import transport  # noqa: F401 - registers the transport auditor
from auditors.checks import AUDITORS, Outcome
from auditors.runner import score_run

__all__ = ["AUDITORS", "Outcome", "score_run"]
