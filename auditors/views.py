"""Derived views of one agency's evidence that several auditors read: the parts of the section named by
their headings, the catalogue's sources and tables, the pages of a scope. Each is worked out once per
agency and kept on the evidence (``Evidence.views``), not once per rule.

A view built from the section's pages counts as reading them (``SectionPages.read``), exactly as the
computation it replaces did, so an unsure section still turns a gap found there into ``manual``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from auditors.base import lines
from auditors.evidence import Evidence, SectionPages
from auditors.judgement import table_heading
from core.markers import CATALOGUE_FIELDS, ELEMENT_PATTERNS, FOCAL_POINT_HEADING, FORM_LINE, FORMS_HEADING
from core.vntext import fold

T = TypeVar("T")
Block = tuple[dict[str, Any], list[str], str]  # (page, window of lines, marker line)

PATTERNS = {kind: re.compile("|".join(ELEMENT_PATTERNS[kind]))
            for kind in ("request_address", "complaint_channel", "guidance", "regulation",
                         "public_catalogue", "conditional_catalogue", "download")}
# The focal-point block starts at its heading, which may be cut short ("Đầu mối tiếp nhận…"): the
# auditor accepts the heading's first words, where the crawler wants the whole phrase.
PATTERNS["focal_point"] = re.compile(FOCAL_POINT_HEADING)
_FORM_LINE = re.compile(FORM_LINE)
_FORMS_HEADING = re.compile(FORMS_HEADING)
_FIELDS = {name: re.compile(pattern) for name, pattern in CATALOGUE_FIELDS.items()}


def _cached(evidence: Evidence, key: tuple[Any, ...], reads_section: bool, build: Callable[[], T]) -> T:
    views = evidence.views
    if reads_section and isinstance(evidence.section_pages, SectionPages):
        evidence.section_pages.read = True  # what iterating the section's pages would have set
    if key not in views:
        views[key] = build()
    return views[key]


def window(page_lines: list[str], start: int, kind: str, size: int = 10) -> list[str]:
    """Lines from a marker to the next heading of another part of the section (at most ``size``)."""
    out = [page_lines[start]]
    for line in page_lines[start + 1: start + size]:
        folded = fold(line)
        other = any(p.search(folded) for k, p in PATTERNS.items() if k != kind)
        # Also the forms block, and any short line in capitals: the heading of the next part.
        heading = _FORMS_HEADING.match(folded) or (line == line.upper() and len(line.split()) >= 2
                                                   and sum(ch.isalpha() for ch in line) >= 6)
        if (other or heading) and len(line) < 120:
            break
        out.append(line)
    return out


def find_blocks(pages: list[dict[str, Any]], kind: str, *, skip_forms: bool = False) -> list[Block]:
    """(page, window of lines, marker line) for every place a part of the section is named."""
    pattern = PATTERNS[kind]
    blocks = []
    for page in pages:
        page_lines = lines(page)
        for index, line in enumerate(page_lines):
            folded = fold(line)
            if not pattern.search(folded):
                continue
            if skip_forms and _FORM_LINE.search(folded):
                continue
            blocks.append((page, window(page_lines, index, kind), line))
    return blocks


def section_blocks(evidence: Evidence, kind: str, *, skip_forms: bool = False) -> list[Block]:
    """``find_blocks`` over the section's pages, once per agency."""
    return _cached(evidence, ("blocks", kind, skip_forms), True,
                   lambda: find_blocks(evidence.section_pages, kind, skip_forms=skip_forms))


def answered(evidence: Evidence) -> list[dict[str, Any]]:
    """Every page that answered (status below 400): the portal as a reader saw it."""
    return _cached(evidence, ("answered",), False,
                   lambda: [p for p in evidence.pages if p.get("status") and p["status"] < 400])


def scope(evidence: Evidence, name: str) -> list[dict[str, Any]]:
    """The pages of a scope: ``section``, ``home`` (the home page) or ``portal`` (every page that answered)."""
    if name == "section":
        return evidence.section_pages
    if name == "home":
        return [p for p in evidence.pages if p.get("kind") == "home"][:1] or evidence.pages[:1]
    return answered(evidence)


# --- the catalogue ---------------------------------------------------------------------------------
def fields_in(texts: list[str]) -> set[str]:
    """The catalogue fields (Decree 13/2018 Điều 6 k3) that some of ``texts`` name."""
    found = set()
    for text in texts:
        folded = fold(text)
        for name, pattern in _FIELDS.items():
            if pattern.search(folded):
                found.add(name)
    return found


def column_fields(headers: list[str]) -> dict[int, set[str]]:
    return {index: {name for name, pattern in _FIELDS.items() if pattern.search(fold(header))}
            for index, header in enumerate(headers)}


def table_assessment(table: dict[str, Any]) -> tuple[set[str], int]:
    """(fields its headers name, rows with something filled in)."""
    fields = fields_in(table.get("headers") or [])
    filled = sum(1 for row in table.get("rows") or [] if sum(1 for cell in row[1:] if cell.strip()) >= 1)
    if table.get("row_links") and any(table["row_links"]):
        fields.add("address")
    return fields, filled


def catalogue_sources(evidence: Evidence, kind: str) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(page, tables) of the section that are the catalogue: a page or document whose own title or
    opening names it (all its tables count), or a table whose caption or heading names it."""
    return _cached(evidence, ("catalogue_sources", kind), True, lambda: _catalogue_sources(evidence, kind))


def _catalogue_sources(evidence: Evidence, kind: str) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    pattern = PATTERNS[kind]

    def names_it(text: str) -> bool:
        folded = fold(text)
        if kind == "public_catalogue" and PATTERNS["conditional_catalogue"].search(folded):
            return False
        return bool(pattern.search(folded))

    sources = []
    for page in evidence.section_pages:
        opening = [page.get("title") or ""] + lines(page)[:3 if page.get("kind") != "document" else 5]
        tables = page.get("tables") or []
        if any(names_it(t) for t in opening):
            sources.append((page, tables))
        else:
            # The heading over a table may be hidden behind "(Ban hành kèm theo Quyết định số …)": look past it.
            named = [t for t in tables if names_it(t.get("caption") or "") or names_it(t.get("heading") or "")
                     or names_it(table_heading(page, t))]
            if named:
                sources.append((page, named))
            else:
                # A heading naming the catalogue over something that is not a table (a tree of category
                # links): published, but not as the per-document table.
                anchors = {link.get("text", "") for link in page.get("links") or []}
                if any(names_it(t) and t not in anchors for t in page.get("structure") or []):
                    sources.append((page, []))
    return sources


def catalogue_tables(evidence: Evidence) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(page, table) of every table of the disclosure catalogue, the most complete first."""
    def build() -> list[tuple[dict[str, Any], dict[str, Any]]]:
        found = [(page, table) for page, tables in catalogue_sources(evidence, "public_catalogue") for table in tables]
        return sorted(found, key=lambda pt: [-len(table_assessment(pt[1])[0]), -len(pt[1].get("rows") or [])])
    return _cached(evidence, ("catalogue_tables",), True, build)
