"""crawler.records: responses read into the records stored as evidence, earlier runs' readings reused."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import Settings

from core.store import Store
from crawler import settings as crawl_settings
from crawler.records import Recorder, is_document

URL = "http://so.tinh.gov.vn/"
PDF = b"%PDF-1.4 not really a pdf"


def recorder(db: Path | None = None, run_id: int | None = None, **overrides: object) -> Recorder:
    settings = Settings()
    settings.setmodule(crawl_settings)
    settings.update({"TCTT_PARSE_WORKERS": 0, **overrides})  # pages read in this thread
    return Recorder(settings, str(db) if db else None, run_id)


def test_documents_are_known_by_url_or_by_not_being_text() -> None:
    assert is_document(Response(URL + "quy-che.pdf", body=PDF))
    assert is_document(Response(URL + "tai-ve?id=3", body=PDF, headers={"Content-Type": "application/pdf"}))
    assert not is_document(HtmlResponse(URL + "tin-tuc", body=b"<html></html>"))


def test_a_page_is_read_into_its_record() -> None:
    body = "<html><head><title>Tiếp cận thông tin</title></head><body><a href='/bieu-mau'>Biểu mẫu</a></body></html>"
    response = HtmlResponse(URL, body=body.encode(), encoding="utf-8", request=Request(URL, meta={"kind": "candidate"}))
    rec = recorder()
    try:
        record = asyncio.run(rec.page(response, seconds=None))
    finally:
        rec.close()
    assert record["status"] == 200 and record["kind"] == "candidate"
    assert record["title"] == "Tiếp cận thông tin"
    assert [link["url"] for link in record["links"]] == [URL + "bieu-mau"]


def test_documents_in_error_or_too_large_are_not_read() -> None:
    rec = recorder(TCTT_DOC_MAX_BYTES=10)
    try:
        failed = Response(URL + "a.pdf", status=404, body=b"", request=Request(URL + "a.pdf", meta={"anchor": "Quy chế"}))
        assert asyncio.run(rec.document(failed)) == {"url": URL + "a.pdf", "status": 404, "kind": "document",
                                                     "title": "Quy chế", "error": "http 404"}
        large = Response(URL + "b.pdf", body=PDF, request=Request(URL + "b.pdf"))
        record = asyncio.run(rec.document(large))
        assert record["error"] == f"too large: {len(PDF)} bytes > 10" and record["doc_type"] == "pdf"
    finally:
        rec.close()


def test_an_earlier_runs_extraction_of_the_same_bytes_is_reused(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = Store(db)
    run = store.create_run(ruleset="core", ruleset_version="1", tool_version="0", registry="r.csv",
                           audit_date="2026-12-01", options={}, agencies=[])
    store.add_page({"run_id": run, "agency_id": "a1", "url": URL + "a.pdf", "kind": "document", "doc_type": "pdf",
                    "sha256": hashlib.sha256(PDF).hexdigest(), "text": "Quy chế cung cấp thông tin", "status": 200,
                    "signals": {"pages": 2, "document": {"title": "Quy chế"}}})
    store.close()
    rec = recorder(db, run_id=run + 1)
    try:
        extracted = asyncio.run(rec.extraction(PDF, URL + "b.pdf"))
        assert extracted["text"] == "Quy chế cung cấp thông tin" and extracted["pages"] == 2
        assert extracted["meta"]["reused_from"]["run_id"] == run and extracted["title"] == "Quy chế"
        assert rec.store.document_extraction(hashlib.sha256(PDF).hexdigest(), run) is None  # not from itself
    finally:
        rec.close()
