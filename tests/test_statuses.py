"""One status vocabulary: every status has a label in both languages, and the store, scoring and
reports speak the same words."""

from __future__ import annotations

import pytest

from auditors import scoring
from core import store
from core.statuses import UNWEIGHTED, AgencyStatus, FindingStatus, RunStatus
from reports import i18n


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_status_has_a_label_in_each_language(lang: str):
    for status in AgencyStatus:
        assert i18n.agency_status_label(status, lang) not in ("", status.value), status
    for status in FindingStatus:
        assert i18n.finding_status_label(status, lang) not in ("", status.value), status
    for status in RunStatus:
        assert i18n.run_status_label(status, lang) not in ("", status.value), status


def test_store_scoring_and_reports_share_the_words():
    assert tuple(AgencyStatus) == store.AGENCY_STATUSES
    assert tuple(FindingStatus) == store.FINDING_STATUSES
    assert scoring.UNWEIGHTED is UNWEIGHTED
    assert "manual" in UNWEIGHTED and "fail" not in UNWEIGHTED  # plain words compare equal (StrEnum)
