"""An HTTP cache storage for Scrapy's HttpCacheMiddleware in one SQLite file (WAL).

Scrapy's FilesystemCacheStorage writes seven files and a directory per response. On the benchmark
machine creating them cost 0.2 to 5 ms of (mostly kernel) CPU per response, up to a tenth of the
crawl's main thread; one row in an indexed SQLite table costs a few tens of microseconds. The file
stays usable by several processes at once (the Redis workers share it): WAL lets readers and one
writer work together, and a writer waits for another one (busy timeout) instead of failing.

It keeps the storage interface (``open_spider``, ``close_spider``, ``retrieve_response``,
``store_response``) and stores what FilesystemCacheStorage stores: the response's URL, status,
headers, body and the rest of ``Response.to_dict()`` (class, flags, encoding, ip address…).
``HTTPCACHE_DIR`` is still a directory; the file is ``<HTTPCACHE_DIR>/<spider name>.sqlite3``.
"""

from __future__ import annotations

import pickle
import sqlite3
import time
from pathlib import Path
from typing import Any

from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.project import data_path
from scrapy.utils.response import response_from_dict
from w3lib.http import headers_dict_to_raw, headers_raw_to_dict

from core.store import enable_wal

_SCHEMA = """
create table if not exists responses (
    fingerprint blob primary key,
    url text not null,
    method text not null,
    status integer not null,
    response_url text not null,
    timestamp real not null,
    headers blob not null,
    body blob not null,
    data blob not null
)
"""


class SqliteCacheStorage:
    def __init__(self, settings: BaseSettings):
        self.cachedir = Path(data_path(settings["HTTPCACHE_DIR"]))
        self.expiration_secs: int = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.conn: sqlite3.Connection | None = None

    def open_spider(self, spider: Any) -> None:
        self._fingerprinter = spider.crawler.request_fingerprinter
        self.cachedir.mkdir(parents=True, exist_ok=True)
        self.path = self.cachedir / f"{spider.name}.sqlite3"
        conn = sqlite3.connect(str(self.path), timeout=60, isolation_level=None, check_same_thread=False)
        enable_wal(conn)  # several crawl processes may open the cache at the same moment
        conn.execute("pragma synchronous=normal")  # a crash may lose the last responses, never corrupt the file
        conn.execute(_SCHEMA)
        self.conn = conn

    def close_spider(self, spider: Any) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def retrieve_response(self, spider: Any, request: Request) -> Response | None:
        """The cached response, or None when it is not cached (or expired)."""
        assert self.conn is not None
        row = self.conn.execute(
            "select status, response_url, timestamp, headers, body, data from responses where fingerprint = ?",
            [self._fingerprinter.fingerprint(request)]).fetchone()
        if row is None:
            return None
        status, response_url, timestamp, headers, body, data = row
        if 0 < self.expiration_secs < time.time() - timestamp:
            return None
        response = {"url": response_url, "status": status, "headers": headers_raw_to_dict(headers), "body": body}
        response.update(pickle.loads(data))  # noqa: S301 — written by this storage, as Scrapy's own storages do
        request.meta["cache_timestamp"] = timestamp
        return response_from_dict(response)

    def store_response(self, spider: Any, request: Request, response: Response) -> None:
        assert self.conn is not None
        data = {key: value for key, value in response.to_dict().items()
                if key not in {"url", "status", "headers", "body"}}
        self.conn.execute(
            "insert or replace into responses (fingerprint, url, method, status, response_url, timestamp, headers, "
            "body, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self._fingerprinter.fingerprint(request), request.url, request.method, response.status, response.url,
             time.time(), headers_dict_to_raw(response.headers), response.body, pickle.dumps(data, protocol=4)])


def enable_revalidation(settings: BaseSettings, db_path: str) -> None:
    """Incremental re-audits: Scrapy's HTTP cache with the RFC 2616 policy, kept beside the database.
    A cached page is revalidated with If-None-Match / If-Modified-Since (a 304 costs no body and no
    parsing); the home page always is, and when it changed so is every page of the agency."""
    frozen, settings.frozen = settings.frozen, False
    settings.set("HTTPCACHE_ENABLED", True, priority="spider")
    settings.set("HTTPCACHE_POLICY", "scrapy.extensions.httpcache.RFC2616Policy", priority="spider")
    cache_dir = settings.get("TCTT_HTTPCACHE_DIR") or f"{Path(db_path).resolve()}.httpcache"
    settings.set("HTTPCACHE_DIR", str(cache_dir), priority="spider")
    settings.frozen = frozen
