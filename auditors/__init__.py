"""Auditors: named pure functions over stored evidence, and the scoring of their findings.

Each subject module registers its auditors with their declarations (``auditors.base``); importing the
package registers them all, in the order below.
"""

from auditors import (  # noqa: F401 - each module registers its auditors
    catalogue,
    catalogue_dates,
    catalogue_rows,
    channels,
    duties,
    focal_point,
    forms,
    hierarchy,
    portal,
    regulation,
    section,
    transport,
)
from auditors.base import AUDITORS, UNITS, Outcome, param_schemas
from auditors.runner import score_run

__all__ = ["AUDITORS", "UNITS", "Outcome", "param_schemas", "score_run"]
