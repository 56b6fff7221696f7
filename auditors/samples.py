"""Each rule's passing and failing example, as a small evidence file run through the real auditors.

``rules/core/samples/<rule-id>.yaml`` holds ``cases`` (``pass`` and ``fail``, more if useful), each with
the status it must produce, the agency's registry level (default ``department``) and the pages of a
miniature portal as HTML (or document text). Its ``legal`` list is the legal test suite: a case judged on
a date (and level) with the status and the bases (by key) the finding must give. The pages go
through the crawler's own HTML reader and marker detection, so a sample is judged exactly as a crawled
page would be; the tests check every rule against its samples and ``tctt rules docs`` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from auditors.evidence import Evidence
from auditors.runner import judge
from rules import Rule, Ruleset

BASE = "http://portal.example/"
FETCHED_AT = "2026-11-26T08:00:00+00:00"


@dataclass
class Case:
    rule_id: str
    name: str
    expect: str
    pages: list[dict[str, Any]]
    section: str | None
    audit_date: date
    agency_url: str
    note: dict[str, str]
    level: str | None = "department"


@dataclass
class LegalSample:
    """One line of the legal test suite: ``case`` judged on ``date`` gives ``expect`` citing ``cites``."""
    rule_id: str
    case: str
    date: date
    expect: str
    cites: list[str]
    level: str | None
    why: str


def load_legal(folder: str | Path) -> list[LegalSample]:
    """The ``legal`` entries of every sample file."""
    found = []
    for path in sorted((Path(folder) / "samples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("legal") or []:
            found.append(LegalSample(rule_id=data.get("rule", path.stem), case=str(entry["case"]),
                                     date=date.fromisoformat(str(entry["date"])), expect=entry["expect"],
                                     cites=list(entry.get("cites") or []), level=entry.get("level"),
                                     why=entry.get("why", "")))
    return found


def load_samples(folder: str | Path) -> dict[str, list[Case]]:
    """Rule id → its cases, from ``folder/samples/*.yaml`` (empty when the folder has none)."""
    samples: dict[str, list[Case]] = {}
    for path in sorted((Path(folder) / "samples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        rule_id = data.get("rule", path.stem)
        day = date.fromisoformat(str(data.get("audit_date", "2026-11-26")))
        for name, case in (data.get("cases") or {}).items():
            samples.setdefault(rule_id, []).append(Case(
                rule_id=rule_id, name=str(name), expect=case["expect"], pages=list(case.get("pages") or []),
                section=case.get("section"), audit_date=date.fromisoformat(str(case.get("audit_date", day))),
                agency_url=case.get("agency_url", data.get("agency_url", BASE)), note=case.get("note") or {},
                level=case.get("level", data.get("level", "department"))))
    return samples


def _page(spec: dict[str, Any]) -> dict[str, Any]:
    from crawler.classify import detect
    from crawler.htmlpage import parse_html

    url = urljoin(BASE, spec["url"])
    page: dict[str, Any] = {"url": url, "final_url": url, "status": spec.get("status", 200),
                            "kind": spec.get("kind", "page"), "fetched_at": FETCHED_AT,
                            "last_modified": spec.get("last_modified"), "size": spec.get("size", 1000)}
    if "html" in spec:
        parsed = parse_html(spec["html"].encode("utf-8"), url)
        signals = detect(parsed.title, parsed.structure, parsed.text, url)
        signals["page"] = parsed.features
        page.update(title=parsed.title, text=parsed.text, links=parsed.links, tables=parsed.tables,
                    structure=parsed.structure, signals=signals)
    else:  # a document: its extracted text, as the document reader would store it
        text = spec.get("text") or ""
        page.update(title=spec.get("title", ""), text=text, links=[], tables=spec.get("tables") or [],
                    structure=[spec.get("title", "")] + text.splitlines()[:30], doc_type=spec.get("doc_type", "pdf"),
                    error=spec.get("error"), signals={})
    # Facts the crawler records beside the HTML (e.g. the TLS probe in signals.transport).
    page["signals"] = {**page.get("signals", {}), **(spec.get("signals") or {})}
    return page


def evidence_of(case: Case) -> Evidence:
    pages = [_page(spec) for spec in case.pages]
    section = urljoin(BASE, case.section) if case.section else None
    agency = {"id": "sample", "name": "Cơ quan mẫu / sample agency", "url": case.agency_url, "level": case.level}
    result = {"status": "audited", "section_url": section, "section_confidence": 0.9 if section else None}
    candidates = [{"url": section, "confidence": 0.9, "chosen": 1, "reasons": ["text: sample"], "anchor": ""}] if section else []
    return Evidence.build(agency, result, pages, candidates, case.audit_date)


def run_case(ruleset: Ruleset, rule: Rule, case: Case) -> dict[str, Any]:
    """The finding ``rule`` gives on ``case`` (through ``judge``, so dates and transitions apply)."""
    single = Ruleset(id=ruleset.id, version=ruleset.version, title=ruleset.title, classes=ruleset.classes,
                     status_scores=ruleset.status_scores, bands=ruleset.bands, rules=[rule], path=ruleset.path,
                     regimes=ruleset.regimes)
    [finding] = judge(single, evidence_of(case))
    return finding

