"""The evidence archive: the responses a run received, kept as the portal served them (WARC, ISO 28500).

One gzipped WARC file per run, ``run-<id>.warc.gz``, in a folder beside the database (``<db>.warc/`` unless
configured). Every record is its own gzip member, so a record is read by seeking to its offset, and the
crawl processes of one run append to the same file under a file lock. The ``warc_records`` table of the
store indexes them (record id → file, offset, length, URL) and says why a response was not kept (size
limits); the ``pages`` row of each fetched page names its record (``pages.warc_record``), and a finding's
evidence names it too (``evidence[].warc_record``), so a report can show the page as crawled.

Scrapy hands the spider decompressed bodies: a record holds the body as decoded by the crawler, and the
headers that no longer describe it (Content-Encoding, Transfer-Encoding, Content-Length) are kept under
``X-Archive-Orig-…`` (the convention of pywb and other web archives), with a Content-Length of the body kept.

Retention: ``prune`` deletes the archives of all but the newest runs (``[archive] keep_runs``), never one
a kept run still cites (evidence carried over by an incremental re-audit points into its source run).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.store import Store, now_iso

INDEX_TABLE = "warc_records"


def default_directory(db_path: str | Path) -> Path:
    return Path(f"{Path(db_path).resolve()}.warc")


def archive_file(directory: str | Path, run_id: int) -> Path:
    return Path(directory) / f"run-{int(run_id)}.warc.gz"


def ensure_index(store: Store) -> None:
    """The index table (added by this module: older databases gain it on first use)."""
    if INDEX_TABLE not in store.db.table_names():
        store.db[INDEX_TABLE].create(
            {"record_id": str, "run_id": int, "agency_id": str, "url": str, "status": int, "content_type": str,
             "fetched_at": str, "file": str, "offset": int, "length": int, "payload_size": int,
             "payload_digest": str, "skipped": str, "pruned_at": str},
            pk="record_id", if_not_exists=True)
        store.db[INDEX_TABLE].create_index(["run_id"], index_name="warc_records_run", if_not_exists=True)


@dataclass
class ArchivedResponse:
    """One archived response read back from its WARC file."""

    record_id: str
    url: str
    status: int | None
    status_line: str
    headers: list[tuple[str, str]]
    body: bytes
    warc_headers: list[tuple[str, str]]
    file: str
    offset: int

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")


class ArchiveMissing(Exception):
    """The record is not in the archive (never kept, pruned, or its file is gone); the message says which."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason  # skipped | pruned | missing_file | unknown
        self.detail = detail


def index_row(store: Store, record_id: str) -> dict[str, Any] | None:
    ensure_index(store)
    return next(iter(store.db.query(f"select * from {INDEX_TABLE} where record_id = ?", [record_id])), None)


def _locate(store: Store, row: dict[str, Any]) -> Path | None:
    """The record's file: where it was written, or beside the database if the two were moved together."""
    written = Path(row["file"])
    if written.exists():
        return written
    beside = default_directory(store.path) / written.name
    return beside if beside.exists() else None


def read_record(store: Store, record_id: str) -> ArchivedResponse:
    """The response record ``record_id`` as archived. Raises ArchiveMissing saying why it cannot be had."""
    from warcio.archiveiterator import ArchiveIterator

    row = index_row(store, record_id)
    if row is None:
        raise ArchiveMissing("unknown", f"no archived record {record_id}")
    if row.get("skipped"):
        raise ArchiveMissing("skipped", row["skipped"])
    if row.get("pruned_at"):
        raise ArchiveMissing("pruned", f"archive of run {row['run_id']} pruned at {row['pruned_at']}")
    path = _locate(store, row)
    if path is None:
        raise ArchiveMissing("missing_file", f"archive file not found: {row['file']}")
    with path.open("rb") as stream:
        stream.seek(int(row["offset"]))
        for record in ArchiveIterator(stream):
            if record.rec_headers.get_header("WARC-Record-ID") != record_id:
                break
            http = record.http_headers
            return ArchivedResponse(
                record_id=record_id, url=record.rec_headers.get_header("WARC-Target-URI") or row["url"],
                status=int(http.get_statuscode()) if http and http.get_statuscode().isdigit() else row.get("status"),
                status_line=(http.protocol + " " + http.statusline) if http else "",
                headers=list(http.headers) if http else [], body=record.content_stream().read(),
                warc_headers=list(record.rec_headers.headers), file=str(path), offset=int(row["offset"]))
    raise ArchiveMissing("missing_file", f"record {record_id} not found at offset {row['offset']} of {path}")


def run_summary(store: Store, run_id: int) -> dict[str, Any]:
    """What the run's archive holds: records kept, skipped (and why), bytes on disk, file."""
    ensure_index(store)
    kept, length, skipped, file, pruned = store.db.execute(
        f"select sum(skipped is null), sum(case when skipped is null then length else 0 end), sum(skipped is not null), "
        f"max(file), max(pruned_at) from {INDEX_TABLE} where run_id = ?", [run_id]).fetchone()
    reasons = dict(store.db.execute(
        f"select skipped, count(*) from {INDEX_TABLE} where run_id = ? and skipped is not null group by skipped",
        [run_id]).fetchall())
    on_disk = None
    if file:
        with contextlib.suppress(OSError):
            on_disk = os.path.getsize(file)
    return {"run_id": run_id, "records": kept or 0, "skipped": skipped or 0,
            "skipped_reasons": reasons, "bytes": length or 0, "file": file, "file_bytes": on_disk,
            "pruned_at": pruned}


def prune(store: Store, keep_runs: int, *, now: str | None = None) -> list[dict[str, Any]]:
    """Delete the archive files of every run but the newest ``keep_runs`` (0 or less: keep all), except
    those a kept run's evidence still cites. Returns what was deleted (run, file, bytes freed)."""
    ensure_index(store)
    if keep_runs <= 0:
        return []
    runs = [r["id"] for r in store.db.query("select id from runs order by id desc")]
    kept = set(runs[:keep_runs])
    cited = {row[0] for row in store.db.execute(
        f"select distinct w.run_id from pages p join {INDEX_TABLE} w on w.record_id = p.warc_record "
        f"where p.run_id in ({','.join('?' * len(kept))})", sorted(kept)).fetchall()} if kept else set()
    deleted = []
    for run_id, file in store.db.execute(
            f"select run_id, max(file) from {INDEX_TABLE} where pruned_at is null and skipped is null "
            "group by run_id order by run_id").fetchall():
        if run_id in kept or run_id in cited:
            continue
        path = Path(file)
        freed = 0
        with contextlib.suppress(FileNotFoundError):
            freed = path.stat().st_size
            path.unlink()
        store.db.execute(f"update {INDEX_TABLE} set pruned_at = ? where run_id = ? and skipped is null",
                         [now or now_iso(), run_id])
        deleted.append({"run_id": run_id, "file": str(path), "bytes": freed})
    return deleted
