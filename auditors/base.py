"""What an auditor is: a pure function from one agency's evidence (and a rule's params) to an ``Outcome``,
declared with its parameters (PARAMS), the evidence it reads (REQUIRES) and its messages (MESSAGES).

Like a Lighthouse audit's ``meta``, the declaration is what the registry, the rule validator
(``rules.validate_params``) and the docs read; the function only judges. Register with::

    @auditor("name", params={"min_share": Param("number", 0.9, "share of rows")},
             requires=("section_pages", "pages.tables"), messages={"none": ("… {x}", "… {x}")})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from auditors.evidence import Evidence

# The parameter types a rule may give (JSON Schema's names, as in rules/schema.py).
PARAM_TYPES = ("number", "integer", "string", "boolean", "array", "object")


@dataclass
class Outcome:
    status: str
    vi: str
    en: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Param:
    """One parameter a rule may set: its JSON type, its default (None: no default) and what it means."""

    type: str
    default: Any = None
    doc: str = ""
    choices: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        assert self.type in PARAM_TYPES, self.type

    def schema(self) -> dict[str, Any]:
        """The parameter as a small JSON Schema (what ``rules`` validates rule files against)."""
        out: dict[str, Any] = {"type": self.type, "description": self.doc}
        if self.default is not None:
            out["default"] = self.default
        if self.choices:
            out["enum"] = list(self.choices)
        return out


Messages = Mapping[str, tuple[str, str]]


@dataclass(frozen=True)
class Bilingual:
    """A value said differently in each language (a citation, a label)."""

    vi: str
    en: str


@dataclass(frozen=True)
class Unit:
    """A registered auditor and its declaration."""

    name: str
    function: Callable[[Evidence, dict[str, Any]], Outcome]
    params: Mapping[str, Param]
    requires: tuple[str, ...]
    messages: Messages

    def __call__(self, evidence: Evidence, params: dict[str, Any]) -> Outcome:
        return self.function(evidence, params)

    def say(self, key: str, **values: Any) -> tuple[str, str]:
        """The message ``key`` in Vietnamese and English, filled with ``values``; a value given as a
        ``Bilingual`` pair (e.g. ``refs(params, …)``) fills each language with its own half."""
        vi, en = self.messages[key]
        return (vi.format(**{k: v.vi if isinstance(v, Bilingual) else v for k, v in values.items()}),
                en.format(**{k: v.en if isinstance(v, Bilingual) else v for k, v in values.items()}))

    def with_defaults(self, params: dict[str, Any]) -> dict[str, Any]:
        """The rule's params over the declared defaults: what the auditor is called with."""
        return {**{name: p.default for name, p in self.params.items() if p.default is not None}, **params}

    def params_schema(self) -> dict[str, dict[str, Any]]:
        return {name: param.schema() for name, param in self.params.items()}


# name → the auditor's function (what the runner calls) and name → its declaration.
AUDITORS: dict[str, Callable[[Evidence, dict[str, Any]], Outcome]] = {}
UNITS: dict[str, Unit] = {}


def auditor(name: str, *, params: Mapping[str, Param] | None = None, requires: tuple[str, ...] = (),
            messages: Messages | None = None) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    """Register an auditor under ``name`` with its declaration."""
    def register(function: Callable[..., Outcome]) -> Callable[..., Outcome]:
        assert name not in UNITS, f"auditor {name!r} registered twice"
        UNITS[name] = Unit(name, function, dict(params or {}), tuple(requires), dict(messages or {}))
        AUDITORS[name] = function
        return function
    return register


def say(name: str, key: str, **values: Any) -> tuple[str, str]:
    """Auditor ``name``'s message ``key`` in Vietnamese and English."""
    return UNITS[name].say(key, **values)


def param_schemas() -> dict[str, dict[str, dict[str, Any]]]:
    """Auditor name → its parameters as JSON Schema (``rules.load_ruleset(known_auditors=…)`` checks them)."""
    return {name: unit.params_schema() for name, unit in UNITS.items()}


# Shared by every auditor that judges an item of the section.
NO_SECTION = ("Không tìm thấy Chuyên mục tiếp cận thông tin, nên không có {what} trong Chuyên mục.",
              "No access-to-information section was found, so the section holds no {what_en}.")


def no_section(what: str, what_en: str) -> Outcome:
    # Judged on the "in_section" criterion only: the finding cites the provisions that ask for the item
    # in the section (Decree 13/2018), not the laws that ask only for its publication somewhere.
    return Outcome("fail", NO_SECTION[0].format(what=what), NO_SECTION[1].format(what_en=what_en),
                   details={"criteria": ["in_section"], "no_section": True})


def lines(page: dict[str, Any]) -> list[str]:
    """A page's non-blank text lines."""
    return [line for line in (page.get("text") or "").split("\n") if line.strip()]


def elements(page: dict[str, Any]) -> dict[str, Any]:
    """The crawler's element signals of a page (``signals.elements``)."""
    return ((page.get("signals") or {}).get("elements")) or {}


def features(page: dict[str, Any]) -> dict[str, Any] | None:
    """The crawler's page features (``signals.page``: viewport, lang, images, search form, date)."""
    return (page.get("signals") or {}).get("page")
