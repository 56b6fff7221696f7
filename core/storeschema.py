"""The store's layout and its migrations: the tables of the first layout, and one numbered step per later
version. The version is kept in the file (PRAGMA user_version); files written before it was kept read 0 and
hold the first layout. ``migrate`` brings a file up to ``SCHEMA_VERSION``, step by step, and refuses a file
written by a newer release.

Tables
  runs            one row per run: dates, ruleset, tool version, status (running|complete|incomplete)
  agencies        the registry as it was when the run started (one row per agency per run)
  agency_results  per agency per run: crawl status and detail, the chosen section, score and band
  pages           evidence: every fetched page or document, with text, tables, links and signals
  candidates      the section candidates the crawler weighed, with their scores and reasons
  findings        per agency per rule: status, score, evidence, message (re-written by ``tctt score``)
  decisions       inspector decisions on a finding (accepted as compliant / excused), kept across runs
  deliveries      one row per e-mailed gap report (run, agency): status, attempts, error (idempotent sending)
  crawl_stats     Scrapy's statistics of each crawl process of a run
"""

from __future__ import annotations

import sqlite_utils

SCHEMA_VERSION = 3


class NewerSchema(Exception):
    """The file was written by a newer release (its schema version is above ``SCHEMA_VERSION``)."""

    def __init__(self, found: int):
        super().__init__(found)
        self.found = found


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Bring the file to ``SCHEMA_VERSION``: the first layout's missing tables, then each numbered step
    above the file's version, in order. Returns the steps applied; raises NewerSchema for a newer file."""
    found = schema_version(db)
    if found > SCHEMA_VERSION:
        raise NewerSchema(found)
    create_first_layout(db)
    applied = [version for version in MIGRATIONS if max(found, 1) < version]
    for version in applied:
        MIGRATIONS[version](db)
    if found != SCHEMA_VERSION:
        db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return applied


def _add_columns(db: sqlite_utils.Database, columns: tuple[tuple[str, str, type], ...]) -> None:
    for table, column, kind in columns:
        if column not in db[table].columns_dict:
            db[table].add_column(column, kind)


def _to_2(db: sqlite_utils.Database) -> None:
    """Budget cuts, document reuse by hash, and incremental re-audits: until when a page is fresh by HTTP's
    rules (epoch seconds, NULL when it must be asked again), the run whose fetch a carried row copies, and
    on the agency's result, why its evidence was carried."""
    _add_columns(db, (("agency_results", "cut", str), ("pages", "fresh_until", float),
                      ("pages", "carried_from_run", int), ("agency_results", "carried", str)))
    db["pages"].create_index(["sha256"], index_name="pages_sha256", if_not_exists=True)
    db["agency_results"].create_index(["agency_id", "run_id"], index_name="agency_results_agency",
                                      if_not_exists=True)


def _to_3(db: sqlite_utils.Database) -> None:
    """How each section candidate was reached (menu, sub-menu, landing page, footer, banner, sitemap); the
    WARC record that holds a page as the portal served it (core/archive.py); an agency's official unit
    code; Scrapy's statistics of each crawl process of a run."""
    _add_columns(db, (("candidates", "reach", str), ("pages", "warc_record", str), ("agencies", "unit_code", str)))
    if "crawl_stats" not in db.table_names():
        db["crawl_stats"].create(
            {"run_id": int, "process": str, "started_at": str, "finished_at": str, "finish_reason": str,
             "stats": str},
            pk=("run_id", "process"),
        )


# version → the step that brings a file of the version before it up to it.
MIGRATIONS = {2: _to_2, 3: _to_3}


def create_first_layout(db: sqlite_utils.Database) -> None:
    """The tables of schema 1, where missing (a new file, or a file from before a table existed)."""
    if "runs" not in db.table_names():
        db["runs"].create(
            {"id": int, "started_at": str, "finished_at": str, "status": str, "audit_date": str,
             "ruleset": str, "ruleset_version": str, "tool_version": str, "registry": str,
             "options": str, "agencies_total": int},
            pk="id",
        )
    if "agencies" not in db.table_names():
        db["agencies"].create(
            {"run_id": int, "id": str, "name": str, "level": str, "parent": str, "province": str,
             "url": str, "email": str, "section_url": str, "line": int},
            pk=("run_id", "id"),
        )
    if "agency_results" not in db.table_names():
        db["agency_results"].create(
            {"run_id": int, "agency_id": str, "status": str, "detail": str, "http_status": int,
             "final_url": str, "section_url": str, "section_confidence": float, "pages": int,
             "started_at": str, "finished_at": str, "score": float, "band": str, "cut": str},
            pk=("run_id", "agency_id"),
        )
    if "pages" not in db.table_names():
        db["pages"].create(
            {"id": int, "run_id": int, "agency_id": str, "url": str, "final_url": str, "status": int,
             "fetched_at": str, "elapsed_ms": int, "content_type": str, "doc_type": str, "size": int,
             "sha256": str, "kind": str, "depth": int, "referrer": str, "title": str, "text": str,
             "tables": str, "links": str, "structure": str, "signals": str, "labels": str, "error": str,
             "last_modified": str},
            pk="id",
        )
        db["pages"].create_index(["run_id", "agency_id", "url"], unique=True)
    if "candidates" not in db.table_names():
        db["candidates"].create(
            {"run_id": int, "agency_id": str, "url": str, "anchor": str, "link_score": float,
             "content_score": float, "confidence": float, "chosen": int, "reasons": str},
            pk=("run_id", "agency_id", "url"),
        )
    if "findings" not in db.table_names():
        db["findings"].create(
            {"run_id": int, "agency_id": str, "rule_id": str, "status": str, "score": float,
             "max_score": float, "weight": float, "class": str, "title": str, "failure_title": str,
             "description": str, "message": str, "evidence": str, "legal_basis": str, "details": str,
             "covers": str, "scored_at": str},
            pk=("run_id", "agency_id", "rule_id"),
        )
    if "decisions" not in db.table_names():
        db["decisions"].create(
            {"id": int, "agency_id": str, "rule_id": str, "decision": str, "reason": str, "inspector": str,
             "expires": str, "run_id": int, "fingerprint": str, "finding_status": str, "created_at": str,
             "revoked_at": str},
            pk="id",
        )
    if "deliveries" not in db.table_names():
        db["deliveries"].create(
            {"run_id": int, "agency_id": str, "recipients": str, "subject": str, "message_id": str,
             "status": str, "attempts": int, "error": str, "digest": str, "first_attempt_at": str,
             "last_attempt_at": str, "sent_at": str},
            pk=("run_id", "agency_id"),
        )
