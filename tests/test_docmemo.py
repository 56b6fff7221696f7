"""Each distinct document is read once per crawl (crawler/docmemo.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from crawler.docmemo import SharedExtractions, weigh

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
HTML = b"<html><body><a href='a.html'>Bi\xe1\xbb\x83u m\xe1\xba\xabu</a></body></html>"


class Reader:
    """Counts the readings; answers after a pause so that concurrent requests overlap."""

    def __init__(self, error: str | None = None):
        self.calls: list[tuple[bytes, str]] = []
        self.error = error

    async def __call__(self, body: bytes, url: str) -> dict[str, Any]:
        self.calls.append((body, url))
        await asyncio.sleep(0.01)
        return {"doc_type": "pdf", "text": f"text of {len(body)} bytes from {url}", "tables": [],
                "error": self.error, "meta": {"sha256": "x"}}


def test_same_bytes_read_once_even_when_asked_at_once() -> None:
    reader = Reader()
    shared = SharedExtractions(reader)

    async def main() -> list[dict[str, Any]]:
        first = await asyncio.gather(*(shared.extract(PDF, f"http://127.0.0.1/{i}.pdf") for i in range(5)))
        later = await shared.extract(PDF, "http://127.0.0.1/later.pdf")
        return [*first, later]

    results = asyncio.run(main())
    assert len(reader.calls) == 1 and shared.hits == 5
    assert all(r["text"] == results[0]["text"] for r in results)
    results[0]["meta"]["reused_from"] = 1  # a record may extend its copy: the kept reading is untouched
    assert "reused_from" not in results[1]["meta"]


def test_html_documents_are_keyed_by_url_and_other_bytes_read_again() -> None:
    reader = Reader()
    shared = SharedExtractions(reader)

    async def main() -> None:
        await shared.extract(HTML, "http://127.0.0.1/a/list.xls")
        await shared.extract(HTML, "http://127.0.0.1/b/list.xls")  # links resolve elsewhere: read again
        await shared.extract(HTML, "http://127.0.0.1/a/list.xls")
        await shared.extract(PDF + b"%", "http://127.0.0.1/a/list.xls")

    asyncio.run(main())
    assert [url for _, url in reader.calls] == ["http://127.0.0.1/a/list.xls", "http://127.0.0.1/b/list.xls",
                                                "http://127.0.0.1/a/list.xls"]


def test_transient_failures_are_not_kept_and_memory_is_bounded() -> None:
    reader = Reader(error="timeout: extraction took more than 60 s")
    shared = SharedExtractions(reader)

    async def twice(s: SharedExtractions, body: bytes) -> None:
        await s.extract(body, "http://127.0.0.1/x.pdf")
        await s.extract(body, "http://127.0.0.1/x.pdf")

    asyncio.run(twice(shared, PDF))
    assert len(reader.calls) == 2
    reader = Reader()
    small = SharedExtractions(reader, max_entries=2)

    async def many() -> None:
        for i in range(4):
            await small.extract(PDF + bytes([65 + i]), "http://127.0.0.1/x.pdf")
        await small.extract(PDF + b"A", "http://127.0.0.1/x.pdf")  # evicted: read again
        await small.extract(PDF + b"D", "http://127.0.0.1/x.pdf")  # kept

    asyncio.run(many())
    assert len(reader.calls) == 5 and len(small._done) == 2


def test_the_readings_kept_are_bounded_in_bytes() -> None:
    reader = Reader()
    one = weigh(asyncio.run(reader(PDF, "http://127.0.0.1/x.pdf")))
    reader.calls.clear()
    small = SharedExtractions(reader, max_bytes=3 * one + 600)  # three readings and their keys, not four

    async def many() -> None:
        for i in range(4):
            await small.extract(PDF + bytes([65 + i]), "http://127.0.0.1/x.pdf")

    asyncio.run(many())
    assert len(small._done) == 3 and 3 * one <= small.bytes <= small.max_bytes
    assert weigh({"text": "ă" * 1000}) > 2000  # Vietnamese text: two bytes a character
