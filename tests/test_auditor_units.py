"""Auditors as self-describing units: each declares its parameters, the evidence it reads and its messages;
rules and overlays are checked against the declared parameters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from auditors import AUDITORS, UNITS, param_schemas
from auditors.base import PARAM_TYPES
from core.evidence_schema import EVIDENCE_KEYS
from core.exit_codes import ExitCode
from rules import CORE_DIR, RuleError, apply_overlay, load_ruleset
from tctt.cli import main

ROOT = Path(__file__).resolve().parents[1]
MISSPELT = ROOT / "tests" / "data" / "overlays" / "misspelt-params.yaml"


def test_every_auditor_is_a_declared_unit():
    assert set(UNITS) == set(AUDITORS) and len(UNITS) >= 26
    for name, unit in UNITS.items():
        assert unit.function is AUDITORS[name]
        assert all(param.type in PARAM_TYPES and param.doc for param in unit.params.values()), name
        assert unit.requires or name == "manual_check", name  # the inspector's to-do reads nothing
        # What it reads is part of the published evidence schema.
        assert set(unit.requires) <= EVIDENCE_KEYS, (name, set(unit.requires) - EVIDENCE_KEYS)
        assert unit.messages, name  # its words are declared, not composed inline
        for key, (vi, en) in unit.messages.items():
            assert vi and en, (name, key)


def test_auditors_write_no_message_inline():
    """An auditor's Outcome takes its words from its MESSAGES (``say``), never from a literal in the call."""
    import ast

    offenders = []
    for path in sorted((ROOT / "auditors").glob("*.py")):
        if path.name == "runner.py":  # the runner's own error findings are no auditor's
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Outcome" and len(node.args) > 1 \
                    and isinstance(node.args[1], ast.Constant | ast.JoinedStr):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


def test_declared_defaults_fill_in_what_a_rule_leaves_out():
    unit = UNITS["catalogue_freshness"]
    assert unit.with_defaults({}) == {"max_age_days": 365}
    assert unit.with_defaults({"max_age_days": 30, "_level": "province"}) == {"max_age_days": 30, "_level": "province"}


def test_every_parameter_of_the_bundled_rules_and_overlays_is_declared():
    ruleset = load_ruleset(known_auditors=param_schemas())
    apply_overlay(ruleset, ROOT / "rules" / "overlays" / "example-province.yaml", known_auditors=param_schemas())
    for rule in ruleset.rules:
        assert set(rule.params) <= set(UNITS[rule.auditor].params), rule.id


def test_a_misspelt_overlay_parameter_names_the_file_and_line():
    with pytest.raises(RuleError) as caught:
        apply_overlay(load_ruleset(), MISSPELT, known_auditors=param_schemas())
    problems = caught.value.problems
    assert len(problems) == 2, problems
    misspelt, wrong_type = sorted(problems, key=lambda p: int(p.split(":")[1]))
    assert misspelt.startswith(f"{MISSPELT}:9: rules/catalogue-freshness/params/max_age_day: ")
    assert "viết sai" in misspelt and "misspelt" in misspelt and "max_age_days" in misspelt
    assert wrong_type.startswith(f"{MISSPELT}:12: rules/section-exists/params/min_confidence: ")
    assert "'high' is not of type 'number'" in wrong_type
    # Without the declarations (names only) the parameters are not checked.
    apply_overlay(load_ruleset(), MISSPELT, known_auditors=set(AUDITORS))


def test_rules_validate_refuses_the_overlay_with_exit_2(capsys: pytest.CaptureFixture[str]):
    assert main(["rules", "validate", "--overlay", str(MISSPELT)]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "Bộ tiêu chí không hợp lệ / invalid ruleset" in err
    assert f"{MISSPELT}:9:" in err and "max_age_day" in err and "không có tham số" in err


def test_a_misspelt_rule_parameter_names_the_rule_file(tmp_path: Path):
    folder = tmp_path / "rules"
    shutil.copytree(CORE_DIR, folder)
    path = folder / "catalogue-fields.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["check"]["params"] = {"min_shares": 0.8}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_ruleset(folder, known_auditors=param_schemas())
    [problem] = caught.value.problems
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "min_shares" in text)
    assert problem.startswith(f"{path}:{line}: check/params/min_shares: ") and "min_share" in problem


def test_the_published_evidence_schema_is_up_to_date():
    from core.evidence_schema import render

    assert (ROOT / "docs" / "evidence.schema.json").read_text(encoding="utf-8") == render(), \
        "regenerate: python -m core.evidence_schema > docs/evidence.schema.json"


def test_the_rule_samples_evidence_follows_the_schema():
    """Every page the rule samples build, and the findings judged on them, validate against the schema."""
    import json

    import jsonschema

    from auditors.samples import evidence_of, load_samples, run_case

    schema = json.loads((ROOT / "docs" / "evidence.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    ruleset = load_ruleset()
    checked = 0
    for rule_id, cases in load_samples(CORE_DIR).items():
        for case in cases:
            evidence = evidence_of(case)
            finding = run_case(ruleset, ruleset.rule(rule_id), case)
            document = {"agency": evidence.agency, "pages": evidence.pages, "candidates": evidence.candidates,
                        "findings": [finding]}
            errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(document)]
            assert not errors, (rule_id, case.name, errors[:3])
            checked += 1
    assert checked >= 39


def test_messages_are_said_from_their_templates_in_each_language():
    from auditors.base import Bilingual, say

    assert say("request_forms", "some", found=2, wanted=7, missing="03, 04") == (
        "Có 2/7 mẫu phiếu; còn thiếu mẫu số 03, 04.", "2 of 7 forms are published; missing: 03, 04.")
    vi, en = say("request_address", "found", channel=Bilingual("địa chỉ", "address"))
    assert vi.endswith(": địa chỉ.") and en.endswith(": address.")
