import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from auditors import AUDITORS
from rules import CORE_DIR, RuleError, load_ruleset

CHECKLIST = Path(__file__).resolve().parents[1] / "docs" / "checklist.md"


CORE_TEN = ["section-exists", "public-catalogue", "focal-point", "request-address", "complaint-channel",
            "request-forms", "requester-guidance", "download-addresses", "internal-regulation", "conditional-catalogue"]


def test_core_ruleset_is_valid_and_complete():
    ruleset = load_ruleset(known_auditors=set(AUDITORS))
    ids = [rule.id for rule in ruleset.rules]
    # Decree 13/2018 Điều 11 k1 (seven items), the section itself, the regulation, the conditional catalogue
    # come first, in the order of the decree; then the rest of the checklist.
    assert ids[:10] == CORE_TEN and len(ids) == len(set(ids))
    assert "transport-security" in ids  # rules not named in `order` come after, by id
    for rule in ruleset.rules:
        assert rule.title["vi"] and rule.title["en"] and rule.failure_title["vi"] and rule.failure_title["en"]
        assert rule.description["vi"] and rule.description["en"] and rule.legal_basis, rule.id
        assert rule.how and rule.how["vi"] and rule.how["en"], rule.id  # how it is checked, for the reference
        assert rule.weight == ruleset.classes[rule.rule_class]
        assert (rule.weight == 0) == (rule.rule_class == "manual"), rule.id
        assert all(re.fullmatch(r"TCTT-\d\d", c) for c in rule.covers)


def test_every_rule_cites_a_basis_in_force_in_some_regime():
    ruleset = load_ruleset()
    days = [date(2026, 3, 1), date(2026, 7, 15), date(2026, 11, 26)]
    for rule in ruleset.rules:
        assert any(rule.bases_in_force(day) for day in days), rule.id
        if rule.id in CORE_TEN:  # the section's rules hold under the 2016 law and today
            assert rule.bases_in_force(date(2026, 11, 26)) and rule.bases_in_force(date(2019, 1, 1)), rule.id


def test_citations_switch_with_the_2026_law():
    rule = load_ruleset().rule("public-catalogue")
    before = {b["instrument"] for b in rule.bases_in_force(date(2026, 8, 31))}
    after = rule.bases_in_force(date(2026, 9, 1))
    assert "Luật Tiếp cận thông tin 104/2016/QH13" in before
    assert "Luật Tiếp cận thông tin 01/2026/QH16" in {b["instrument"] for b in after}
    provisional = [b for b in after if b.get("provisional")]
    assert provisional and "tạm thời" in provisional[0]["citation"]["vi"]


def test_covers_names_real_checklist_items_and_every_item_is_covered():
    """The project's own checklist (docs/checklist.md) lists every item a rule covers, and each is covered."""
    items = set(re.findall(r"^\| (TCTT-\d\d) \|", CHECKLIST.read_text(encoding="utf-8"), re.M))
    assert len(items) == 43
    covered = set()
    for rule in load_ruleset().rules:
        assert set(rule.covers) <= items, rule.id
        covered |= set(rule.covers)
    assert covered == items


def _copy_core(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(CORE_DIR, target)
    return target


def test_invalid_rule_is_refused_with_file_and_line(tmp_path):
    folder = _copy_core(tmp_path)
    path = folder / "focal-point.yaml"
    text = path.read_text(encoding="utf-8").replace("class: essential", "class: vital")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_ruleset(folder)
    [problem] = caught.value.problems
    assert problem.startswith(f"{path}:2:") and "class" in problem


def test_rule_without_citation_is_refused(tmp_path):
    folder = _copy_core(tmp_path)
    path = folder / "request-forms.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("legal_basis:")
    end = text.index("check:")
    path.write_text(text[:start] + "legal_basis: []\n" + text[end:], encoding="utf-8")
    with pytest.raises(RuleError, match="legal_basis"):
        load_ruleset(folder)


def test_unknown_auditor_and_yaml_syntax_errors(tmp_path):
    folder = _copy_core(tmp_path)
    (folder / "guidance-extra.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    text = (folder / "download-addresses.yaml").read_text(encoding="utf-8").replace(
        "auditor: download_addresses", "auditor: no_such_check")
    (folder / "download-addresses.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_ruleset(folder, known_auditors=set(AUDITORS))
    problems = "\n".join(caught.value.problems)
    assert "guidance-extra.yaml:2: YAML syntax error" in problems
    assert "unknown auditor 'no_such_check'" in problems
