"""A public crawl names its operator: without TCTT_CONTACT, `tctt audit`/`tctt crawl` of a public registry
refuse with exit code 11 before anything is written; loopback registries are not affected."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.exit_codes import ExitCode
from crawler.contact import missing_contact, operator_contact, public_hosts
from tctt.cli import main

HEADER = "id,name,level,parent,province,url,email\n"


def test_public_hosts_leave_out_loopback_private_and_localhost():
    urls = ["http://127.0.0.5:8080/", "http://10.1.2.3/", "http://localhost/", "https://soyte.hanoi.gov.vn/a",
            "https://soyte.hanoi.gov.vn/b", "http://[::1]/"]
    assert public_hosts(urls) == ["soyte.hanoi.gov.vn"]


def test_contact_needed_only_for_public_hosts():
    assert missing_contact(["http://127.0.0.5/"], environ={}) is None
    message = missing_contact(["https://stp.gov.vn/"], environ={})
    assert message is not None and "TCTT_CONTACT" in message and "stp.gov.vn" in message
    assert message.index("Thu thập") < message.index("Crawling")  # Vietnamese first
    assert missing_contact(["https://stp.gov.vn/"], environ={"TCTT_CONTACT": "mailto:it@stp.gov.vn"}) is None


def test_blank_contact_counts_as_unset():
    assert operator_contact({"TCTT_CONTACT": "  "}) is None
    assert operator_contact({"TCTT_CONTACT": "https://stp.gov.vn/lien-he"}) == "https://stp.gov.vn/lien-he"


@pytest.mark.parametrize("command", ["audit", "crawl"])
def test_public_crawl_without_contact_exits_11_and_writes_nothing(tmp_path: Path, monkeypatch, capsys, command):
    monkeypatch.delenv("TCTT_CONTACT", raising=False)
    registry = tmp_path / "r.csv"
    registry.write_text(HEADER + "stp,Sở Tư pháp,department,,Hà Nội,https://sotuphap.hanoi.gov.vn/,\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert main([command, "--registry", str(registry), "--db", str(db), "--out", str(tmp_path / "r")]
                if command == "audit" else [command, "--registry", str(registry), "--db", str(db)]) == ExitCode.NO_CONTACT
    assert ExitCode.NO_CONTACT == 11
    err = capsys.readouterr().err
    assert "TCTT_CONTACT" in err and "sotuphap.hanoi.gov.vn" in err
    assert not db.exists() and not (tmp_path / "r").exists()


def test_section_url_on_a_public_host_needs_a_contact_too(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.delenv("TCTT_CONTACT", raising=False)
    registry = tmp_path / "r.csv"
    registry.write_text("id,name,level,parent,province,url,email,section_url\n"
                        "a,A,department,,X,http://127.0.0.9:9/,,https://stp.gov.vn/tctt\n", encoding="utf-8")
    assert main(["crawl", "--registry", str(registry), "--db", str(tmp_path / "x.db"), "--allow-private"]) == 11
    assert "stp.gov.vn" in capsys.readouterr().err
