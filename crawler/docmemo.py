"""Read each distinct document once per crawl.

Agencies re-post the same files: the forms of Decree 13/2018 (Mẫu số 01–04), the provincial regulation,
the same template catalogue. In the benchmark farm 1,112 documents had 543 distinct contents, and reading
documents was two thirds of the first audit's CPU. Extraction is a function of the bytes (and, for an
HTML document, of its URL, which resolves its links), so a document whose bytes were read earlier in the
run gets that reading again; one still being read is waited for, not read twice.

Memory stays bounded: the readings kept are the most recent ones, up to ``max_bytes`` of Python objects
(text, links, tables and metadata weighed as the interpreter holds them: Vietnamese text takes two bytes a
character) and ``max_entries`` documents. Failures that say nothing about the bytes (a timeout, a dead worker, a
crawl shutting down) are not kept, as ``Store.document_extraction`` does not reuse them across runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from crawler.extract import sniff

_TRANSIENT = ("timeout", "worker died", "not read")
MAX_BYTES = 32 * 2**20  # per crawl process (TCTT_DOC_MEMO_MB)

Extract = Callable[[bytes, str], Awaitable[dict[str, Any]]]


class SharedExtractions:
    def __init__(self, extract: Extract, max_bytes: int = MAX_BYTES, max_entries: int = 2048):
        self._extract = extract
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._done: OrderedDict[tuple[str, str], tuple[dict[str, Any], int]] = OrderedDict()
        self.bytes = 0
        self._pending: dict[tuple[str, str], asyncio.Future[dict[str, Any]]] = {}
        self.hits = 0

    @staticmethod
    def key(body: bytes, url: str) -> tuple[str, str]:
        # An HTML document's links are resolved against its URL; every other reading depends on the bytes only.
        return hashlib.sha256(body).hexdigest(), url if sniff(body) == "html" else ""

    async def extract(self, body: bytes, url: str) -> dict[str, Any]:
        key = self.key(body, url)
        done = self._done.get(key)
        if done is not None:
            self._done.move_to_end(key)
            self.hits += 1
            return _copy(done[0])
        pending = self._pending.get(key)
        if pending is None:
            pending = self._pending[key] = asyncio.ensure_future(self._extract(body, url))
            pending.add_done_callback(lambda future, key=key: self._settle(key, future))
        else:
            self.hits += 1
        # shield: a waiter cancelled (the crawl stopping) must not cancel the reading others wait for.
        return _copy(await asyncio.shield(pending))

    def _settle(self, key: tuple[str, str], future: asyncio.Future[dict[str, Any]]) -> None:
        self._pending.pop(key, None)
        if future.cancelled() or future.exception() is not None:
            return
        result = future.result()
        if str(result.get("error") or "").startswith(_TRANSIENT):
            return
        size = weigh(result) + sys.getsizeof(key[0]) + sys.getsizeof(key[1])
        if size > self.max_bytes:
            return
        self._done[key] = (result, size)
        self.bytes += size
        while self._done and (self.bytes > self.max_bytes or len(self._done) > self.max_entries):
            _, (_, dropped) = self._done.popitem(last=False)
            self.bytes -= dropped


def weigh(value: Any) -> int:
    """Bytes the interpreter holds for a reading: its strings, numbers and containers, recursively."""
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        return size + sum(weigh(k) + weigh(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return size + sum(weigh(v) for v in value)
    return size


def _copy(result: dict[str, Any]) -> dict[str, Any]:
    """A copy whose dicts a record may extend without touching the kept reading."""
    return {**result, "meta": dict(result.get("meta") or {})}
