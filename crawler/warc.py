"""A Scrapy extension that keeps every response of the crawl in the run's WARC archive (see core/archive.py).

On ``response_received`` (before the spider's callback) the response gets a record id in its meta
(``tctt_warc_record``, which the spider copies to the page it stores) and is handed to a writer thread:
building the records, gzipping them and appending them to the file never run on the reactor. The thread
appends under an exclusive file lock, so the K processes of ``--processes K`` share one file per run, and
writes the index rows to the store in batches.

Settings: ``TCTT_WARC`` (on), ``TCTT_WARC_DIR`` (default ``<db>.warc``), ``TCTT_WARC_MAX_BYTES`` (the bound
of a run's archive on disk; responses past it are indexed as skipped, not archived),
``TCTT_WARC_MAX_RECORD_BYTES`` (larger bodies are not archived). Scrapy stats: ``warc/records``,
``warc/bytes``, ``warc/skipped/<reason>``.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import logging
import os
import queue
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from core import __version__
from core.archive import INDEX_TABLE, archive_file, default_directory, ensure_index
from core.store import Store, enable_wal

log = logging.getLogger(__name__)

# Headers that describe the bytes on the wire, not the decoded body kept: renamed as web archives do.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
_BATCH = 200


@dataclass
class Capture:
    """What the reactor hands the writer: references only (bytes and header lists are not copied)."""

    record_id: str
    url: str
    method: str
    request_headers: list[tuple[str, str]]
    protocol: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    ip: str | None
    fetched_at: str
    agency_id: str | None
    from_cache: bool
    skip: str | None = None  # why it is indexed but not archived (size limits)


def _pairs(headers: Any) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        for value in values:
            out.append((name.decode("latin-1"), value.decode("latin-1")))
    return out


class ArchiveWriter:
    """Appends records to one run's WARC file from a thread of its own; indexes them in the store."""

    def __init__(self, path: Path, db_path: str, run_id: int, *, max_bytes: int, stats: Any = None):
        self.path = path
        self.db_path = db_path
        self.run_id = run_id
        self.max_bytes = max_bytes
        self.stats = stats
        self.written = path.stat().st_size if path.exists() else 0  # an estimate for the reactor's pre-check
        self.queue: queue.Queue[Capture | None] = queue.Queue()
        self.pending = 0
        self.cpu_seconds = 0.0  # CPU time the writer thread spent on records (the archive's cost, measured)
        self.failed: str | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        self.thread = threading.Thread(target=self._run, name=f"warc-run-{run_id}", daemon=True)
        self.thread.start()

    def put(self, capture: Capture) -> None:
        if capture.skip is None:
            self.pending += len(capture.body)
        self.queue.put(capture)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()

    # -- the writer thread ------------------------------------------------------------------------
    def _run(self) -> None:
        conn = sqlite3.connect(self.db_path, timeout=60, isolation_level=None)
        enable_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")  # as the store's own connection
        rows: list[tuple[Any, ...]] = []
        flushed = time.monotonic()
        try:
            with self.path.open("ab") as out:
                while True:
                    try:
                        capture = self.queue.get(timeout=1.0)
                    except queue.Empty:
                        capture = False  # a quiet second: time to flush the index
                    if capture:
                        started = time.thread_time()
                        rows.append(self._handle(out, capture))
                        self.cpu_seconds += time.thread_time() - started
                    # The index in batches: every write takes the database's lock from the crawl's own writes.
                    if rows and (capture is None or len(rows) >= _BATCH or time.monotonic() - flushed > 2):
                        self._index(conn, rows)
                        rows, flushed = [], time.monotonic()
                    if capture is None:
                        return
        except Exception as exc:  # noqa: BLE001 - the archive failed (disk full…): the crawl goes on
            self.failed = str(exc)
            log.error("WARC archive %s failed: %s", self.path, exc)
        finally:
            conn.close()

    def _handle(self, out: io.BufferedWriter, capture: Capture) -> tuple[Any, ...]:
        if capture.skip is not None:
            return self._row(capture, None, 0, capture.skip)
        try:
            return self._write(out, capture)
        except Exception as exc:  # noqa: BLE001 - a record lost, never the crawl
            log.warning("WARC record not written for %s: %s", capture.url, exc)
            return self._row(capture, None, 0, f"write error: {exc}"[:300])
        finally:
            self.pending -= len(capture.body)

    def _index(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        with conn:  # one transaction per batch (autocommit would sync every row)
            conn.execute("BEGIN")
            self._insert(conn, rows)

    @staticmethod
    def _insert(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        conn.executemany(
            f"insert or replace into {INDEX_TABLE} (record_id, run_id, agency_id, url, status, content_type, "
            "fetched_at, file, offset, length, payload_size, payload_digest, skipped) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _row(self, capture: Capture, offset: int | None, length: int, skipped: str | None) -> tuple[Any, ...]:
        content_type = next((v for k, v in capture.headers if k.lower() == "content-type"), "")[:200]
        return (capture.record_id, self.run_id, capture.agency_id, capture.url, capture.status, content_type,
                capture.fetched_at, str(self.path), offset, length, len(capture.body),
                "sha256:" + hashlib.sha256(capture.body).hexdigest(), skipped)

    def _write(self, out: io.BufferedWriter, capture: Capture) -> tuple[Any, ...]:
        data = self._records(capture)
        fcntl.flock(out.fileno(), fcntl.LOCK_EX)  # other processes of the run append to the same file
        try:
            offset = os.fstat(out.fileno()).st_size
            if offset == 0:
                info = self._warcinfo()
                out.write(info)
                offset = len(info)
            if self.max_bytes and offset + len(data) > self.max_bytes:
                self._stat("warc/skipped/archive_full")
                return self._row(capture, None, 0, f"archive_full: run archive limit of {self.max_bytes} bytes reached")
            out.seek(0, os.SEEK_END)
            out.write(data)
            out.flush()
        finally:
            fcntl.flock(out.fileno(), fcntl.LOCK_UN)
        self.written = offset + len(data)
        self._stat("warc/records")
        self._stat("warc/bytes", len(data))
        return self._row(capture, offset, len(data), None)

    def _stat(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)

    def _warcinfo(self) -> bytes:
        from warcio.warcwriter import WARCWriter

        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(self.path.name, {
            "software": f"tctt-audit/{__version__} (warcio)", "format": "WARC File Format 1.1",
            "isPartOf": f"tctt-run-{self.run_id}",
            "description": "Responses received by the access-to-information audit, bodies as decoded by the crawler"}))
        return buffer.getvalue()

    @staticmethod
    def _records(capture: Capture) -> bytes:
        """The response record and its request record, each a gzip member."""
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
        headers = [(f"X-Archive-Orig-{k}" if k.lower() in _WIRE_HEADERS else k, v) for k, v in capture.headers]
        headers.append(("Content-Length", str(len(capture.body))))
        protocol = capture.protocol or "HTTP/1.1"
        http = StatusAndHeaders(f"{capture.status} {_reason(capture.status)}", headers, protocol=protocol)
        warc_headers = {"WARC-Record-ID": capture.record_id, "WARC-Date": capture.fetched_at}
        if capture.ip:
            warc_headers["WARC-IP-Address"] = capture.ip
        if capture.agency_id:
            warc_headers["WARC-Tctt-Agency"] = capture.agency_id
        if capture.from_cache:
            # Scrapy's HTTP cache answered (a 304 revalidation, or a copy still fresh by HTTP's rules).
            warc_headers["WARC-Tctt-Source"] = "http-cache"
        response = writer.create_warc_record(capture.url, "response", payload=io.BytesIO(capture.body),
                                             length=len(capture.body), http_headers=http,
                                             warc_headers_dict=warc_headers)
        writer.write_record(response)
        path = capture.url.split("://", 1)[-1].partition("/")[2]
        request_http = StatusAndHeaders(f"{capture.method} /{path} {protocol}", capture.request_headers,
                                        protocol=protocol, is_http_request=True)
        request = writer.create_warc_record(
            capture.url, "request", payload=io.BytesIO(b""), length=0, http_headers=request_http,
            warc_headers_dict={"WARC-Concurrent-To": capture.record_id, "WARC-Date": capture.fetched_at})
        writer.write_record(request)
        return buffer.getvalue()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WarcArchive:
    """The extension: assigns record ids on the reactor, leaves the writing to ``ArchiveWriter``."""

    def __init__(self, crawler: Any):
        settings = crawler.settings
        self.crawler = crawler
        self.directory = settings.get("TCTT_WARC_DIR") or ""
        self.max_bytes = settings.getint("TCTT_WARC_MAX_BYTES")
        self.max_record = settings.getint("TCTT_WARC_MAX_RECORD_BYTES")
        self.writer: ArchiveWriter | None = None
        self.reactor_seconds = 0.0  # time spent on the reactor's thread (the crawl waits for it)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcArchive:
        if not crawler.settings.getbool("TCTT_WARC"):
            raise NotConfigured("TCTT_WARC is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        run_id = getattr(spider, "run_id", None)
        db_path = getattr(spider, "db_path", None) or self.crawler.settings.get("TCTT_DB")
        if run_id is None or not db_path:
            return
        store = Store(db_path)
        try:
            ensure_index(store)
        finally:
            store.close()
        directory = Path(self.directory) if self.directory else default_directory(db_path)
        self.writer = ArchiveWriter(archive_file(directory, run_id), str(db_path), int(run_id),
                                    max_bytes=self.max_bytes, stats=self.crawler.stats)

    def response_received(self, response: Any, request: Any, spider: Any) -> None:
        writer = self.writer
        meta = request.meta
        if writer is None or writer.failed or meta.get("replay"):
            return  # a replayed page (resume) was archived when it was fetched
        started = time.perf_counter()
        self._queue(writer, response, request, meta)
        self.reactor_seconds += time.perf_counter() - started

    def _queue(self, writer: ArchiveWriter, response: Any, request: Any, meta: dict[str, Any]) -> None:
        size = len(response.body)
        skip = None
        if self.max_record and size > self.max_record:
            skip = f"record_too_large: {size} bytes > TCTT_WARC_MAX_RECORD_BYTES {self.max_record}"
            self.crawler.stats.inc_value("warc/skipped/record_too_large")
        elif self.max_bytes and writer.written + writer.pending + size > self.max_bytes:
            skip = f"archive_full: run archive limit of {self.max_bytes} bytes reached"
            self.crawler.stats.inc_value("warc/skipped/archive_full")
        record_id = f"<urn:uuid:{uuid.uuid4()}>"
        meta["tctt_warc_record"] = record_id
        writer.put(Capture(
            record_id=record_id, url=response.url, method=request.method,
            request_headers=_pairs(request.headers), protocol=getattr(response, "protocol", None) or "",
            status=response.status, headers=_pairs(response.headers), body=response.body,
            ip=str(response.ip_address) if getattr(response, "ip_address", None) else None,
            fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), agency_id=meta.get("agency_id"),
            from_cache="cached" in response.flags, skip=skip))

    def spider_closed(self, spider: Any) -> None:
        if self.writer is not None:
            self.writer.close()
            self.crawler.stats.set_value("warc/file", str(self.writer.path))
            self.crawler.stats.set_value("warc/reactor_seconds", round(self.reactor_seconds, 3))
            self.crawler.stats.set_value("warc/writer_cpu_seconds", round(self.writer.cpu_seconds, 3))
            if self.writer.failed:
                self.crawler.stats.set_value("warc/failed", self.writer.failed)
