"""Rulesets as data: YAML files validated against a JSON Schema, loaded into plain objects.

A ruleset is a folder holding ``_ruleset.yaml`` (id, version, class weights, bands) and one YAML file
per rule. Errors name the file and the line, so an inspector editing a rule can find the mistake.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from rules.schema import RULE, RULESET

CORE_DIR = Path(__file__).parent / "core"


class RuleError(Exception):
    """A rule file is invalid. ``problems`` lists 'file:line: message' strings."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Rule:
    id: str
    rule_class: str
    covers: list[str]
    title: dict[str, str]
    failure_title: dict[str, str]
    description: dict[str, str]
    legal_basis: list[dict[str, Any]]
    auditor: str
    params: dict[str, Any]
    weight: float
    source: str

    def bases_in_force(self, on: date) -> list[dict[str, Any]]:
        """The legal bases in force on ``on``, each with a ready-made Vietnamese/English citation."""
        day = on.isoformat()
        chosen = []
        for basis in self.legal_basis:
            start, end = basis["in_force"]["from"], basis["in_force"].get("to")
            if start <= day and (end is None or day <= end):
                chosen.append({**basis, "citation": citation(basis)})
        return chosen


@dataclass
class Ruleset:
    id: str
    version: str
    title: dict[str, str]
    classes: dict[str, float]
    status_scores: dict[str, float]
    bands: list[dict[str, Any]]
    rules: list[Rule] = field(default_factory=list)
    path: str = ""

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


ACCURACY_FILE = "accuracy.json"


def accuracy_for(folder: str | Path | None, ruleset_id: str | None, version: str | None) -> dict[str, Any] | None:
    """The accuracy measured for ruleset ``id`` ``version`` on the gold set (``tctt evaluate --record``),
    from ``accuracy.json`` in the ruleset folder, or None when that version was never measured."""
    path = Path(folder or CORE_DIR) / ACCURACY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    entry = data.get(f"{ruleset_id}@{version}") if isinstance(data, dict) else None
    return entry if isinstance(entry, dict) else None


def citation(basis: dict[str, Any]) -> dict[str, str]:
    """'Điều 11 khoản 1 điểm a Nghị định 13/2018/NĐ-CP' and its English form."""
    vi = [f"Điều {basis['article']}"]
    en = [f"Article {basis['article']}"]
    if basis.get("clause"):
        vi.append(f"khoản {basis['clause']}")
        en.append(f"clause {basis['clause']}")
    if basis.get("point"):
        vi.append(f"điểm {basis['point']}")
        en.append(f"point {basis['point']}")
    text_vi = " ".join(vi) + " " + basis["instrument"]
    text_en = ", ".join(en) + ", " + basis["instrument"]
    if basis.get("provisional"):
        text_vi += " (tạm thời – chưa đối chiếu Công báo)"
        text_en += " (provisional – not yet checked against the Official Gazette)"
    return {"vi": text_vi, "en": text_en}


def _line_of(node: yaml.Node | None, path: list[Any]) -> int:
    """The 1-based line of the YAML node at ``path`` (falling back to the deepest node found)."""
    if node is None:
        return 1
    for key in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    child = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _load_yaml(path: Path, schema: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"{path}:1: cannot read: {exc}"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return {}, [f"{path}:{line}: YAML syntax error: {getattr(exc, 'problem', exc)}"]
    if not isinstance(data, dict):
        return {}, [f"{path}:1: expected a mapping at the top of the file"]
    validator = jsonschema.Draft202012Validator(schema)
    problems = [
        f"{path}:{_line_of(node, list(err.absolute_path))}: {'/'.join(map(str, err.absolute_path)) or '(top)'}: {err.message}"
        for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    return data, problems


def load_ruleset(folder: str | Path | None = None, *, known_auditors: set[str] | None = None) -> Ruleset:
    """Load and validate a ruleset folder (the bundled core ruleset by default).

    Raises RuleError listing every problem found (all files are checked, not just the first).
    """
    folder = Path(folder) if folder else CORE_DIR
    header_path = folder / "_ruleset.yaml"
    problems: list[str] = []
    if not header_path.is_file():
        raise RuleError([f"{header_path}:1: missing ruleset header file"])
    header, header_problems = _load_yaml(header_path, RULESET)
    problems += header_problems
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    classes = header.get("classes", {}) if not header_problems else {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data, rule_problems = _load_yaml(path, RULE)
        problems += rule_problems
        if rule_problems:
            continue
        if data["id"] in seen:
            problems.append(f"{path}:1: duplicate rule id {data['id']!r} (also in {seen[data['id']]})")
            continue
        if data["id"] != path.stem:
            problems.append(f"{path}:1: rule id {data['id']!r} must match the file name {path.stem!r}")
        auditor = data["check"]["auditor"]
        if known_auditors is not None and auditor not in known_auditors:
            problems.append(f"{path}:{_line_of(yaml.compose(path.read_text('utf-8')), ['check', 'auditor'])}: "
                            f"unknown auditor {auditor!r}")
        seen[data["id"]] = str(path)
        if data.get("enabled", True) is False:
            continue
        rules.append(
            Rule(
                id=data["id"], rule_class=data["class"], covers=list(data["covers"]), title=data["title"],
                failure_title=data["failure_title"], description=data["description"],
                legal_basis=list(data["legal_basis"]), auditor=auditor,
                params=dict(data["check"].get("params") or {}),
                weight=float(data.get("weight", classes.get(data["class"], 0))), source=str(path),
            )
        )
    if problems:
        raise RuleError(problems)
    if not rules:
        raise RuleError([f"{folder}:1: the ruleset holds no rules"])
    order = {rule_id: index for index, rule_id in enumerate(header.get("order", []))}
    rules.sort(key=lambda rule: (order.get(rule.id, len(order)), rule.id))
    return Ruleset(id=header["id"], version=str(header["version"]), title=header["title"],
                   classes=dict(header["classes"]), status_scores=dict(header["status_scores"]),
                   bands=list(header["bands"]), rules=rules, path=str(folder))
