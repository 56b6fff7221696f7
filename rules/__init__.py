"""Rulesets as data: YAML files validated against a JSON Schema, loaded into plain objects.

A ruleset is a folder holding ``_ruleset.yaml`` (id, version, class weights, bands) and one YAML file
per rule. Errors name the file and the line, so an inspector editing a rule can find the mistake.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from rules.citations import basis_key, basis_row, citation, short_citation
from rules.schema import OVERLAY, RULE, RULESET

__all__ = ["CORE_DIR", "Rule", "RuleError", "Ruleset", "accuracy_for", "apply_overlay", "basis_key", "basis_row",
           "citation", "core_regimes", "load_ruleset", "regime_on", "short_citation"]

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
    mode: str = "auto"
    how: dict[str, str] | None = None
    transition: dict[str, Any] | None = None
    criteria: dict[str, dict[str, Any]] = field(default_factory=dict)
    when_no_criteria: dict[str, Any] | None = None
    class_from: list[dict[str, str]] = field(default_factory=list)
    limits: dict[str, str] | None = None

    def bases_in_force(self, on: date, level: str | None = None) -> list[dict[str, Any]]:
        """The legal bases in force on ``on`` that bind an agency of ``level`` (None: any level), each
        with its ``key`` and a ready-made Vietnamese/English citation.

        A basis past its ``residual_from`` date is marked ``residual`` (it applies only where it does
        not conflict with the newer law); when every basis in force is residual, each says the rule
        rests on it alone (``sole``), so the report can say so.
        """
        day = on.isoformat()
        chosen = []
        for basis in self.legal_basis:
            start, end = basis["in_force"]["from"], basis["in_force"].get("to")
            if not (start <= day and (end is None or day <= end)):
                continue
            if level and basis.get("levels") and level not in basis["levels"]:
                continue
            residual = bool(basis.get("residual_from")) and basis["residual_from"] <= day
            chosen.append({**basis, "key": basis_key(basis), "residual": residual})
        sole = bool(chosen) and all(b["residual"] for b in chosen)
        for basis in chosen:
            basis["sole"] = sole
            basis["citation"] = citation(basis)
        return chosen

    def criteria_in_force(self, on: date, level: str | None = None) -> dict[str, dict[str, Any]]:
        """Criterion → {vi, en, bases}: the criteria some basis in force (for ``level``) still requires."""
        by_key = {basis["key"]: basis for basis in self.bases_in_force(on, level)}
        active = {}
        for name, criterion in self.criteria.items():
            bases = [by_key[key] for key in criterion["bases"] if key in by_key]
            if bases:
                active[name] = {"vi": criterion["vi"], "en": criterion["en"], "bases": bases}
        return active

    def class_on(self, on: date) -> str:
        """The rule's class on ``on``: the last ``class_from`` entry started by then, else its class."""
        current = self.rule_class
        for change in sorted(self.class_from, key=lambda c: c["from"]):
            if change["from"] <= on.isoformat():
                current = change["class"]
        return current

    def in_transition(self, on: date) -> bool:
        """True while gaps in this rule are still covered by a transition period (both ends included)."""
        if not self.transition:
            return False
        return self.transition["from"] <= on.isoformat() <= self.transition["to"]


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
    regimes: list[dict[str, Any]] = field(default_factory=list)
    overlays: list[str] = field(default_factory=list)

    def regime_on(self, on: date) -> dict[str, Any] | None:
        """The legal regime (which laws and decrees apply) on the date ``on``."""
        return regime_on(on, self.regimes)

    @property
    def label(self) -> str:
        """'2026.11.2' plus the overlays applied, as stored with a run."""
        return self.version + "".join(f"+{name}" for name in self.overlays)

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


def regime_on(on: date, regimes: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The regime whose [from, to] holds ``on`` (the earliest regime also covers earlier dates)."""
    if regimes is None:
        regimes = core_regimes()
    day = on.isoformat()
    for index, regime in enumerate(regimes):
        start, end = regime["from"], regime.get("to")
        if (start <= day or index == 0) and (end is None or day <= end):
            return regime
    return None


def core_regimes() -> list[dict[str, Any]]:
    """The regimes declared in the bundled core ruleset's header."""
    return list(yaml.safe_load((CORE_DIR / "_ruleset.yaml").read_text(encoding="utf-8")).get("regimes") or [])


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        # libyaml's parser when built in (the same safe constructor, ten times faster): the ruleset is read
        # before every crawl starts. The node tree, for line numbers, only when there is a problem to place.
        try:
            data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            data = yaml.safe_load(text)  # the pure-Python parser's own words and line, as always reported
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"{path}:1: cannot read: {exc}"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return {}, [f"{path}:{line}: YAML syntax error: {getattr(exc, 'problem', exc)}"]
    if not isinstance(data, dict):
        return {}, [f"{path}:1: expected a mapping at the top of the file"]
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    node = yaml.compose(text, Loader=_SafeLoader) if errors else None  # noqa: S506 - a safe loader
    problems = [
        f"{path}:{_line_of(node, list(err.absolute_path))}: {'/'.join(map(str, err.absolute_path)) or '(top)'}: {err.message}"
        for err in errors
    ]
    return data, problems


def load_ruleset(folder: str | Path | None = None, *, known_auditors: Known | None = None) -> Ruleset:
    """Load and validate a ruleset folder (the bundled core ruleset by default).

    ``known_auditors``: the auditors' names, or name → their parameters as JSON Schema
    (``auditors.param_schemas()``), to check each rule's ``check.params`` as well.

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
        node = yaml.compose(path.read_text("utf-8"), Loader=_SafeLoader)  # noqa: S506 - lines of problems
        if known_auditors is not None and auditor not in known_auditors:
            problems.append(f"{path}:{_line_of(node, ['check', 'auditor'])}: unknown auditor {auditor!r}")
        problems += _criteria_problems(data, f"{path}:{_line_of(node, ['criteria'])}")
        problems += params_problems(data["check"].get("params") or {}, auditor, known_auditors, path,
                                    node, ["check", "params"])
        seen[data["id"]] = str(path)
        if data.get("enabled", True) is False:
            continue
        rules.append(_rule(data, classes, str(path)))
    if problems:
        raise RuleError(problems)
    if not rules:
        raise RuleError([f"{folder}:1: the ruleset holds no rules"])
    order = {rule_id: index for index, rule_id in enumerate(header.get("order", []))}
    rules.sort(key=lambda rule: (order.get(rule.id, len(order)), rule.id))
    return Ruleset(id=header["id"], version=str(header["version"]), title=header["title"],
                   classes=dict(header["classes"]), status_scores=dict(header["status_scores"]),
                   bands=list(header["bands"]), rules=rules, path=str(folder),
                   regimes=list(header.get("regimes") or []))


# The auditors a ruleset may name: their names, or name → {parameter: JSON Schema} (``auditors.param_schemas``).
Known = Collection[str] | Mapping[str, Mapping[str, Any]]


def params_problems(params: dict[str, Any], auditor: str, known: Known | None, path: Path, node: yaml.Node | None,
                    at: list[Any]) -> list[str]:
    """'file:line: …' for each parameter the auditor does not declare (a misspelling) or of the wrong type.

    Checked only when ``known`` maps auditors to their declared parameters."""
    if not isinstance(known, Mapping) or auditor not in known:
        return []
    declared = known[auditor]
    problems = []
    for name, value in params.items():
        where = f"{path}:{_line_of(node, [*at, name])}: {'/'.join(map(str, at))}/{name}"
        if name not in declared:
            listed = ", ".join(sorted(declared)) or "—"
            problems.append(f"{where}: hàm kiểm tra {auditor!r} không có tham số {name!r} (viết sai?); các tham số: {listed} / "
                            f"auditor {auditor!r} has no parameter {name!r} (misspelt?); its parameters: {listed}")
            continue
        for error in jsonschema.Draft202012Validator(dict(declared[name])).iter_errors(value):
            problems.append(f"{where}: giá trị không hợp lệ / invalid value: {error.message}")
    return problems


def _criteria_problems(data: dict[str, Any], where: str) -> list[str]:
    """A criterion must name bases the rule lists (by ``id`` or derived key). ``where`` is 'file:line'."""
    keys = {basis_key(b) for b in data["legal_basis"]}
    if len(keys) < len(data["legal_basis"]):
        return [f"{where}: legal_basis: two bases share a key; give one an id"]
    problems = []
    for name, criterion in (data.get("criteria") or {}).items():
        for key in criterion["bases"]:
            if key not in keys:
                problems.append(f"{where}: criteria/{name}: no legal basis with key {key!r} (known: {', '.join(sorted(keys))})")
    return problems


def _rule(data: dict[str, Any], classes: dict[str, float], source: str) -> Rule:
    weight = 0.0 if data["class"] == "manual" else float(data.get("weight", classes.get(data["class"], 0)))
    return Rule(
        id=data["id"], rule_class=data["class"], covers=list(data["covers"]), title=data["title"],
        failure_title=data["failure_title"], description=data["description"],
        legal_basis=list(data["legal_basis"]), auditor=data["check"]["auditor"],
        params=dict(data["check"].get("params") or {}), weight=weight, source=source,
        mode=data.get("mode", "manual" if data["class"] == "manual" else "auto"), how=data.get("how"),
        transition=data.get("transition"), criteria=dict(data.get("criteria") or {}),
        when_no_criteria=data.get("when_no_criteria"), class_from=list(data.get("class_from") or []),
        limits=data.get("limits"),
    )


def apply_overlay(ruleset: Ruleset, path: str | Path, *, known_auditors: Known | None = None) -> Ruleset:
    """A copy of ``ruleset`` with a province's overlay file applied (validated like a rule file).

    Raises RuleError with 'file:line: message' for a broken overlay, an unknown rule id, or an added
    rule whose id is already taken.
    """
    path = Path(path)
    if not path.is_file():
        raise RuleError([f"{path}:1: overlay file not found"])
    data, problems = _load_yaml(path, OVERLAY)
    if problems:
        raise RuleError(problems)
    node = yaml.compose(path.read_text(encoding="utf-8"))
    by_id = {rule.id: rule for rule in ruleset.rules}
    changed: dict[str, Rule | None] = {}
    for rule_id, change in (data.get("rules") or {}).items():
        if rule_id not in by_id:
            problems.append(f"{path}:{_line_of(node, ['rules', rule_id])}: rules/{rule_id}: no such rule in "
                            f"{ruleset.id} / không có tiêu chí này")
            continue
        rule = by_id[rule_id]
        problems += params_problems(change.get("params") or {}, rule.auditor, known_auditors, path, node,
                                    ["rules", rule_id, "params"])
        if change.get("enabled") is False:
            changed[rule_id] = None
            continue
        rule_class = change.get("class", rule.rule_class)
        weight = change.get("weight", ruleset.classes.get(rule_class, rule.weight) if "class" in change else rule.weight)
        changed[rule_id] = replace(rule, rule_class=rule_class, weight=0.0 if rule_class == "manual" else float(weight),
                                   params={**rule.params, **(change.get("params") or {})},
                                   source=rule.source)
    added = []
    for index, new in enumerate(data.get("add") or []):
        line = _line_of(node, ["add", index, "id"])
        if new["id"] in by_id:
            problems.append(f"{path}:{line}: add/{index}/id: rule id {new['id']!r} already exists")
        elif known_auditors is not None and new["check"]["auditor"] not in known_auditors:
            problems.append(f"{path}:{_line_of(node, ['add', index, 'check', 'auditor'])}: "
                            f"unknown auditor {new['check']['auditor']!r}")
        elif criteria_problems := _criteria_problems(new, f"{path}:{line}"):
            problems += criteria_problems
        elif params_errors := params_problems(new["check"].get("params") or {}, new["check"]["auditor"], known_auditors,
                                              path, node, ["add", index, "check", "params"]):
            problems += params_errors
        else:
            added.append(_rule(new, ruleset.classes, f"{path}:{line}"))
    if problems:
        raise RuleError(problems)
    rules = [changed.get(rule.id, rule) for rule in ruleset.rules]
    return replace(ruleset, rules=[r for r in rules if r is not None] + added,
                   overlays=[*ruleset.overlays, data["id"]])
