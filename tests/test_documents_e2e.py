"""The doc-* sample agencies crawled for real: recorded reasons for broken files, legacy encodings noted
as evidence, and extractions reused across runs by hash."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tctt.sampleserver import serve_sample_province

AGENCIES = ("doc-hong", "doc-tcvn3", "doc-pdf")


def crawl(tctt, registry: Path, db: Path, *extra: str) -> None:
    result = tctt('crawl', '--registry', str(registry), '--db', str(db), '--allow-private', *extra, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, tctt) -> Path:
    tmp = tmp_path_factory.mktemp("docs")
    db = tmp / "docs.db"
    with serve_sample_province() as province:
        rows = province.subset(AGENCIES)
        registry = tmp / "docs.csv"
        province.registry_rows = rows
        province.write_registry(registry)
        crawl(tctt, registry, db)
        # The same documents again, in a second run of the same database; crawled, not carried over as an
        # unchanged agency (tests/test_incremental.py), so that the documents are downloaded again.
        crawl(tctt, registry, db, "--set", "TCTT_CARRY_UNCHANGED=0")
    return db


def documents(db: Path, run: int, agency: str) -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("select * from pages where run_id = ? and agency_id = ? and kind = 'document'",
                        [run, agency]).fetchall()
    return {r["url"].rsplit("/", 1)[-1]: dict(r) for r in rows}


def test_broken_attachments_are_recorded_and_the_audit_completes(crawled: Path):
    docs = documents(crawled, 1, "doc-hong")
    assert docs["bao-cao-tai-chinh-2024.pdf"]["error"].startswith("corrupt")
    assert docs["ke-hoach-2025-co-mat-khau.pdf"]["error"] == "encrypted: the PDF is password-protected"
    assert docs["ban-do-quy-hoach-200mb.pdf"]["error"].startswith("too large")
    assert docs["ho-so-luu-tru.zip"]["error"].startswith("decompression bomb")
    conn = sqlite3.connect(crawled)
    status, section = conn.execute("select status, section_url from agency_results where run_id = 1 and "
                                   "agency_id = 'doc-hong'").fetchone()
    assert status == "audited" and section.endswith("/tiep-can-thong-tin/")
    assert conn.execute("select status from runs where id = 1").fetchone()[0] == "complete"


def test_tcvn3_regulation_is_evidence_in_unicode_with_the_conversion_noted(crawled: Path):
    doc = documents(crawled, 1, "doc-tcvn3")["quy-che-cung-cap-thong-tin.doc"]
    signals = json.loads(doc["signals"])
    assert signals["document"]["encoding"]["legacy"] == "tcvn3"
    assert "Điều 3. Chuyển giao thông tin" in doc["text"]
    assert signals["document"]["sniffed"] == "doc" and signals["document"]["dates"] == ["2019-01-07"]


def test_an_unchanged_document_is_not_parsed_twice(crawled: Path):
    first = documents(crawled, 1, "doc-pdf")["danh-muc-thong-tin-cong-khai.pdf"]
    second = documents(crawled, 2, "doc-pdf")["danh-muc-thong-tin-cong-khai.pdf"]
    assert first["sha256"] == second["sha256"]
    reused = json.loads(second["signals"])["document"]["reused_from"]
    assert reused == {"run_id": 1, "page_id": first["id"]}
    assert json.loads(second["tables"]) == json.loads(first["tables"])
    assert "reused_from" not in json.loads(first["signals"])["document"]
