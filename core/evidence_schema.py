"""The evidence the auditors read, as published types: pages (with their links, tables and the crawler's
signals), the section candidates, the agency, and the findings the auditors write.

The store keeps these rows (``core.store``); ``auditors.evidence.Evidence`` gathers one agency's; each
auditor names the keys it reads (``REQUIRES``, checked against ``EVIDENCE_KEYS``). The JSON Schema in
``docs/evidence.schema.json`` is generated from these types (``python -m core.evidence_schema``) and a test
keeps it up to date.
"""

from __future__ import annotations

import json
import sys
import types
from typing import Any, Literal, TypedDict, Union, get_args, get_origin, get_type_hints

SCHEMA_ID = "https://tctt-audit.example/evidence.schema.json"


class Link(TypedDict, total=False):
    url: str
    text: str
    title: str
    img_alt: str
    img_src: str
    context: str  # where on the page: menu, footer, content…
    chrome: str  # the navigation it belongs to (header, menu, footer…), empty in the content


class Table(TypedDict, total=False):
    caption: str
    heading: str  # the nearest heading above the table
    headers: list[str]
    rows: list[list[str]]
    row_links: list[list[str]]  # each row's links, as written (relative or absolute)


class Signals(TypedDict, total=False):
    elements: dict[str, Any]  # element kind → {excerpt, structural}: parts of the section named on the page
    negatives: dict[str, Any]
    forms: list[Any]
    page: dict[str, Any]  # viewport, lang, images, images_with_alt, search_form, date
    charset: dict[str, Any]
    transport: dict[str, Any]  # the home page only: scheme, https, valid, error, not_after, port
    pages: int | None  # a document's page count
    scanned: bool  # a document with no text layer
    document: dict[str, Any]  # a document's extraction, with its OCR result


class Page(TypedDict, total=False):
    id: int
    run_id: int
    agency_id: str
    url: str
    final_url: str
    status: int | None  # None: no answer
    fetched_at: str
    elapsed_ms: int | None
    content_type: str | None
    doc_type: str | None
    size: int | None
    sha256: str | None
    kind: Literal["home", "page", "document", "sitemap", "other"] | str
    depth: int
    referrer: str | None
    title: str | None
    text: str | None
    tables: list[Table] | None
    links: list[Link] | None
    structure: list[str] | None  # headings and menu labels, in order
    signals: Signals | None
    labels: dict[str, Any] | None
    error: str | None
    last_modified: str | None
    fresh_until: float | None
    carried_from_run: int | None
    warc_record: str | None


class Candidate(TypedDict, total=False):
    run_id: int
    agency_id: str
    url: str
    anchor: str | None
    link_score: float | None
    content_score: float | None
    confidence: float | None
    chosen: int | bool | None
    reasons: list[str] | None
    reach: list[dict[str, Any]] | None


class Agency(TypedDict, total=False):
    run_id: int
    id: str
    name: str
    level: str | None
    parent: str | None
    province: str | None
    url: str
    email: str | None
    section_url: str | None
    line: int | None
    unit_code: str | None


class EvidenceEntry(TypedDict, total=False):
    url: str | None
    excerpt: str
    fetched_at: str | None
    warc_record: str


class Finding(TypedDict, total=False):
    rule_id: str
    status: Literal["pass", "partial", "fail", "not_applicable", "manual", "error", "transition"]
    score: float | None
    max_score: float | None
    weight: float
    message: dict[str, str]  # {vi, en}
    evidence: list[EvidenceEntry]
    legal_basis: list[dict[str, Any]]
    details: dict[str, Any]


# One agency's evidence as the auditors see it (``auditors.evidence.Evidence``): what REQUIRES may name.
EVIDENCE_FIELDS = ("agency", "result", "pages", "audit_date", "section_url", "section_confidence", "candidates",
                   "section_pages", "by_url", "section", "registry")
EVIDENCE_KEYS = frozenset(
    EVIDENCE_FIELDS
    + tuple(f"pages.{key}" for key in Page.__annotations__)
    + tuple(f"pages.signals.{key}" for key in Signals.__annotations__)
    + tuple(f"agency.{key}" for key in Agency.__annotations__))


def _schema(kind: Any) -> dict[str, Any]:
    """A JSON Schema for one type annotation."""
    origin = get_origin(kind)
    if kind is Any:
        return {}
    if kind is type(None):
        return {"type": "null"}
    if origin in (Union, types.UnionType):
        options = [_schema(arg) for arg in get_args(kind)]
        return {} if {} in options else {"anyOf": options}
    if origin is Literal:
        return {"enum": list(get_args(kind))}
    if origin is list:
        return {"type": "array", "items": _schema(get_args(kind)[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": _schema(get_args(kind)[1])}
    if isinstance(kind, type) and issubclass(kind, dict) and hasattr(kind, "__annotations__"):
        return {"$ref": f"#/$defs/{kind.__name__}"}
    return {"type": {str: "string", int: "integer", float: "number", bool: "boolean"}[kind]}


def _definition(kind: type) -> dict[str, Any]:
    hints = get_type_hints(kind)
    return {"type": "object", "properties": {name: _schema(hint) for name, hint in hints.items()}}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a stored agency's evidence and findings (``docs/evidence.schema.json``)."""
    kinds = (Agency, Candidate, Page, Link, Table, Signals, EvidenceEntry, Finding)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Evidence of one agency, as the auditors read it",
        "type": "object",
        "properties": {
            "agency": {"$ref": "#/$defs/Agency"},
            "pages": {"type": "array", "items": {"$ref": "#/$defs/Page"}},
            "candidates": {"type": "array", "items": {"$ref": "#/$defs/Candidate"}},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
        },
        "$defs": {kind.__name__: _definition(kind) for kind in kinds},
    }


def render() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m core.evidence_schema > docs/evidence.schema.json
    sys.stdout.write(render())
