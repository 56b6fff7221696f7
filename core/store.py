"""The evidence and findings store: one SQLite file (via sqlite-utils) holding every run.

The tables, the layout's version and its migrations are in ``core.storeschema``.

JSON-valued columns are stored as TEXT and decoded by the readers below. The file opens as is in
Datasette.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from core import storeschema
from core.statuses import AgencyStatus, FindingStatus
from core.storeschema import SCHEMA_VERSION

AGENCY_STATUSES = tuple(AgencyStatus)
FINDING_STATUSES = tuple(FindingStatus)

_JSON_COLUMNS = {"tables", "links", "signals", "labels", "reasons", "reach", "evidence", "legal_basis", "options",
                 "message", "title", "failure_title", "description", "details", "headers", "covers", "structure",
                 "cut", "carried"}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def enable_wal(conn: sqlite3.Connection, seconds: float = 30) -> None:
    """Switch a connection's database to WAL, waiting for other processes that open it at the same moment:
    the switch needs a lock SQLite does not wait for (it answers "database is locked" at once)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class StoreError(Exception):
    """The database cannot be opened or does not hold what was asked for."""


class Store:
    """Thin typed access to the SQLite file. Every write commits at once (evidence is never lost)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            enable_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"Không mở được cơ sở dữ liệu / cannot open database {self.path}: {exc}") from exc
        self.db = sqlite_utils.Database(conn)
        self._page_sql: dict[tuple[str, ...], str] = {}
        self._page_columns: frozenset[str] | None = None
        self._ensure_schema()

    # -- schema ---------------------------------------------------------------------------------
    def schema_version(self) -> int:
        return storeschema.schema_version(self.db)

    def _ensure_schema(self) -> None:
        try:
            storeschema.migrate(self.db)
        except storeschema.NewerSchema as exc:
            raise StoreError(f"Cơ sở dữ liệu {self.path} do phiên bản mới hơn của tctt-audit tạo (lược đồ {exc.found}) / "
                             f"{self.path} was written by a newer tctt-audit (schema {exc.found}, this one reads "
                             f"up to {SCHEMA_VERSION})") from None

    # -- runs -----------------------------------------------------------------------------------
    def create_run(self, *, ruleset: str, ruleset_version: str, tool_version: str, registry: str,
                   audit_date: str, options: dict[str, Any], agencies: list[dict[str, Any]]) -> int:
        """Create a run and snapshot its registry atomically: both or neither."""
        with self.db.conn:
            self.db.conn.execute("BEGIN")
            run_id = self.db["runs"].insert(
                {"started_at": now_iso(), "finished_at": None, "status": "running", "audit_date": audit_date,
                 "ruleset": ruleset, "ruleset_version": ruleset_version, "tool_version": tool_version,
                 "registry": registry, "options": json.dumps(options, ensure_ascii=False),
                 "agencies_total": len(agencies)}
            ).last_pk
            self.db["agencies"].insert_all([{**agency, "run_id": run_id} for agency in agencies])
        return int(run_id)

    def finish_run(self, run_id: int, status: str = "complete") -> None:
        self.db["runs"].update(run_id, {"finished_at": now_iso(), "status": status})

    def set_run_option(self, run_id: int, key: str, value: Any) -> None:
        """Record one option of a run (e.g. the date its findings were judged under)."""
        options = self.run(run_id).get("options")
        options = options if isinstance(options, dict) else {}
        self.db["runs"].update(run_id, {"options": json.dumps({**options, key: value}, ensure_ascii=False)})

    def reopen_run(self, run_id: int) -> None:
        """A resumed run is running again until its crawl ends."""
        self.db["runs"].update(run_id, {"finished_at": None, "status": "running"})

    def run(self, run_id: int | str | None = None) -> dict[str, Any]:
        """A run by id, or the latest run for ``None``/'latest'."""
        if run_id in (None, "latest"):
            rows = list(self.db.query("select * from runs order by id desc limit 1"))
        else:
            try:
                wanted = int(run_id)
            except (TypeError, ValueError) as exc:
                raise StoreError(f"Mã lượt kiểm tra không hợp lệ / invalid run id: {run_id!r}") from exc
            rows = list(self.db.query("select * from runs where id = ?", [wanted]))
        if not rows:
            raise StoreError(f"Không có lượt kiểm tra / no such run: {run_id or 'latest'} in {self.path}")
        return _decode(rows[0])

    def runs(self) -> list[dict[str, Any]]:
        return [_decode(r) for r in self.db.query("select * from runs order by id")]

    def agencies(self, run_id: int) -> list[dict[str, Any]]:
        return list(self.db.query("select * from agencies where run_id = ? order by line, id", [run_id]))

    # -- evidence -------------------------------------------------------------------------------
    def add_page(self, page: dict[str, Any]) -> None:
        """Insert or replace one page of evidence (unique per run, agency and URL)."""
        row = {key: _encode(key, value) for key, value in page.items()}
        # Column names come from the table itself, never from the data: a key that is not a column is refused
        # (the scale-out coordinator writes items read from Redis).
        if self._page_columns is None:
            self._page_columns = frozenset(self.db["pages"].columns_dict)
        unknown = [key for key in row if key not in self._page_columns]
        if unknown:
            raise ValueError(f"not a column of pages: {str(unknown[0])[:60]!r}")
        # Plain SQL, the statement cached per column set: sqlite-utils' insert() introspected the schema
        # (views, columns) on every page, a visible share of the crawl's profile.
        columns = tuple(row)
        sql = self._page_sql.get(columns)
        if sql is None:
            sql = self._page_sql[columns] = (f"insert or replace into pages ({', '.join(f'[{c}]' for c in columns)}) "
                                             f"values ({', '.join('?' * len(columns))})")
        self.db.conn.execute(sql, list(row.values()))

    def pages(self, run_id: int, agency_id: str | None = None) -> list[dict[str, Any]]:
        if agency_id is None:
            rows = self.db.query("select * from pages where run_id = ? order by id", [run_id])
        else:
            rows = self.db.query(
                "select * from pages where run_id = ? and agency_id = ? order by id", [run_id, agency_id]
            )
        return [_decode(r) for r in rows]

    def document_extraction(self, sha256: str, before_run: int) -> dict[str, Any] | None:
        """The stored extraction of a document with this hash from an earlier run, if one read it
        (a timeout or a dead worker is not reused: the next run tries again)."""
        rows = self.db.query(
            "select id, run_id, doc_type, text, tables, signals, error from pages where sha256 = ? and run_id < ? "
            "and kind = 'document' and doc_type is not null and (error is null or (error not like 'timeout%' "
            "and error not like 'worker died%' and error not like 'not read%')) order by run_id desc limit 1",
            [sha256, before_run])
        return next((_decode(r) for r in rows), None)

    def parsed_page(self, final_url: str, sha256: str, before_run: int) -> dict[str, Any] | None:
        """An HTML page with these bytes at this URL parsed by an earlier run (incremental re-audits)."""
        rows = self.db.query(
            "select title, text, tables, links, structure, signals from pages where sha256 = ? and run_id < ? "
            "and final_url = ? and kind != 'document' and status < 400 and links is not null "
            "order by run_id desc limit 1", [sha256, before_run, final_url])
        return next((_decode(r) for r in rows), None)

    def carry_source(self, agency_id: str, before_run: int) -> dict[str, Any] | None:
        """What an unchanged re-audit could carry over for an agency: its last result in an earlier run
        that the crawl finished itself (not closed by an interruption), with that run's options, its home
        page and how long its other pages stay fresh (``min_fresh``: 0 when one must be asked again)."""
        rows = self.db.query(
            "select r.*, u.options as run_options from agency_results r join runs u on u.id = r.run_id "
            "where r.agency_id = ? and r.run_id < ? order by r.run_id desc limit 20", [agency_id, before_run])
        for row in rows:
            result = _decode(row)
            if not (isinstance(result.get("cut"), dict) and result["cut"].get("interrupted")):
                break
        else:
            return None
        run_id = result["run_id"]
        home = next(self.db.query("select url, final_url, status, sha256 from pages where run_id = ? and "
                                  "agency_id = ? and kind = 'home'", [run_id, agency_id]), None)
        pages, min_fresh = self.db.execute(
            "select count(*), min(coalesce(fresh_until, 0)) from pages where run_id = ? and agency_id = ? "
            "and kind != 'home'", [run_id, agency_id]).fetchone()
        options = result.pop("run_options")
        with contextlib.suppress(ValueError, TypeError):
            options = json.loads(options)
        return {"result": result, "run_options": options if isinstance(options, dict) else {}, "home": home,
                "pages": pages, "min_fresh": min_fresh if pages else float("inf")}

    def stale_pages(self, run_id: int, agency_id: str, now: float) -> list[dict[str, Any]]:
        """An agency's pages (but its home page) that HTTP no longer lets a cache reuse at ``now``."""
        rows = self.db.query(
            "select url, final_url, status, sha256, kind, depth, referrer, title, error from pages where run_id = ? and "
            "agency_id = ? and kind != 'home' and (fresh_until is null or fresh_until <= ?) order by id",
            [run_id, agency_id, now])
        return [_decode(r) for r in rows]

    def carry_agency(self, run_id: int, agency_id: str, from_run: int, result: dict[str, Any]) -> None:
        """Carry an unchanged agency's evidence over from an earlier run, one statement per table in one
        transaction: its pages other than the home page (fetched in this run) keep their ``fetched_at``
        and name the run that fetched them; its candidates; its result (``result``: the values to write,
        ``carried`` saying from where and why). Pages asked for again and found the same
        (``carried['verified']``) become rows of this run: their fetch time, their freshness."""
        columns = [c for c in self.db["pages"].columns_dict if c not in ("id", "run_id", "carried_from_run")]
        names = ", ".join(f"[{c}]" for c in columns)
        candidate_columns = [c for c in self.db["candidates"].columns_dict if c not in ("run_id",)]
        candidate_names = ", ".join(f"[{c}]" for c in candidate_columns)
        values = {key: _encode(key, value) for key, value in result.items()}
        with self.db.conn:
            self.db.conn.execute("BEGIN")
            self.db.conn.execute(
                f"insert or ignore into pages (run_id, carried_from_run, {names}) "
                f"select ?, coalesce(carried_from_run, run_id), {names} from pages "
                "where run_id = ? and agency_id = ? and kind != 'home' order by id", [run_id, from_run, agency_id])
            for page in (result.get("carried") or {}).get("verified") or []:
                self.db.conn.execute(
                    "update pages set fetched_at = ?, elapsed_ms = ?, fresh_until = ?, carried_from_run = null "
                    "where run_id = ? and agency_id = ? and url = ?",
                    [page["fetched_at"], page["elapsed_ms"], page["fresh_until"], run_id, agency_id, page["url"]])
            self.db.conn.execute("delete from candidates where run_id = ? and agency_id = ?", [run_id, agency_id])
            self.db.conn.execute(
                f"insert into candidates (run_id, {candidate_names}) select ?, {candidate_names} from candidates "
                "where run_id = ? and agency_id = ?", [run_id, from_run, agency_id])
            self.db.conn.execute(
                f"insert or replace into agency_results (run_id, agency_id, {', '.join(f'[{k}]' for k in values)}) "
                f"values (?, ?, {', '.join('?' * len(values))})", [run_id, agency_id, *values.values()])

    def add_candidates(self, run_id: int, agency_id: str, candidates: Iterable[dict[str, Any]]) -> None:
        rows = [{"run_id": run_id, "agency_id": agency_id, **{k: _encode(k, v) for k, v in c.items()}}
                for c in candidates]
        with self.db.conn:
            self.db.conn.execute("BEGIN")
            self.db.conn.execute("delete from candidates where run_id = ? and agency_id = ?", [run_id, agency_id])
            if rows:
                self.db["candidates"].insert_all(rows, replace=True)

    def candidates(self, run_id: int, agency_id: str) -> list[dict[str, Any]]:
        rows = self.db.query(
            "select * from candidates where run_id = ? and agency_id = ? order by confidence desc, url",
            [run_id, agency_id],
        )
        return [_decode(r) for r in rows]

    def set_agency_result(self, run_id: int, agency_id: str, **values: Any) -> None:
        values = {key: _encode(key, value) for key, value in values.items()}
        self.db["agency_results"].upsert({"run_id": run_id, "agency_id": agency_id, **values},
                                         pk=("run_id", "agency_id"))

    def agency_results(self, run_id: int) -> dict[str, dict[str, Any]]:
        rows = self.db.query("select * from agency_results where run_id = ?", [run_id])
        return {r["agency_id"]: _decode(r) for r in rows}

    # -- findings -------------------------------------------------------------------------------
    def replace_findings(self, run_id: int, agency_id: str, findings: list[dict[str, Any]],
                         score: float | None, band: str | None) -> None:
        """Swap an agency's findings and score in one transaction, so a re-score is all or nothing."""
        rows = [{"run_id": run_id, "agency_id": agency_id, **{k: _encode(k, v) for k, v in f.items()}}
                for f in findings]
        with self.db.conn:
            self.db.conn.execute("BEGIN")
            self.db.conn.execute("delete from findings where run_id = ? and agency_id = ?", [run_id, agency_id])
            if rows:
                self.db["findings"].insert_all(rows)
            self.db.conn.execute(
                "update agency_results set score = ?, band = ? where run_id = ? and agency_id = ?",
                [score, band, run_id, agency_id],
            )

    def findings(self, run_id: int, agency_id: str) -> list[dict[str, Any]]:
        rows = self.db.query(
            "select * from findings where run_id = ? and agency_id = ? order by rowid", [run_id, agency_id]
        )
        return [_decode(r) for r in rows]

    # -- crawl statistics -------------------------------------------------------------------------
    def add_crawl_stats(self, run_id: int, process: str, stats: dict[str, Any], *, started_at: str | None,
                        finish_reason: str | None) -> None:
        """Keep one crawl process's Scrapy statistics (a resumed run adds its own row per session)."""
        self.db["crawl_stats"].upsert(
            {"run_id": run_id, "process": process, "started_at": started_at, "finished_at": now_iso(),
             "finish_reason": finish_reason, "stats": json.dumps(stats, ensure_ascii=False, default=str)},
            pk=("run_id", "process"))

    def crawl_stats(self, run_id: int) -> list[dict[str, Any]]:
        rows = self.db.query("select * from crawl_stats where run_id = ? order by started_at, process", [run_id])
        return [{**r, "stats": json.loads(r["stats"] or "{}")} for r in rows]

    def close(self) -> None:
        self.db.conn.close()


def _encode(key: str, value: Any) -> Any:
    if key in _JSON_COLUMNS and value is not None and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in _JSON_COLUMNS & out.keys():
        value = out[key]
        if isinstance(value, str) and value[:1] in "[{\"":
            with contextlib.suppress(json.JSONDecodeError):
                out[key] = json.loads(value)
    return out
