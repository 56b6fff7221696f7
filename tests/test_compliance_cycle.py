"""The compliance cycle end to end: three audits of a small sample province whose portals change between
runs, `tctt diff`, trend pages, stable findings, inspector decisions, and gap reports delivered to a
real SMTP server (aiosmtpd) on loopback.

Run 1: so-y-te's catalogue page is "being updated" (fails).  Run 2: so-y-te fixed its catalogue,
so-tu-phap lost its focal point, so-xay-dung's forms vanished for one night (a flap), so-tai-chinh is
unreachable.  Run 3 (started by `tctt schedule --once`): so-tai-chinh is back, the forms are back, the
focal point is still missing.  ubnd-xa-an-phu has no e-mail address.
"""

from __future__ import annotations

import csv
import email
import email.policy
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller

from core.store import Store
from rules import load_ruleset
from tctt.sampleserver import SAMPLE_DIR, serve_sample_province

AGENCIES = ["so-tu-phap", "so-y-te", "so-tai-chinh", "so-xay-dung", "ubnd-xa-an-phu"]
WITH_EMAIL = [a for a in AGENCIES if a != "ubnd-xa-an-phu"]
SMTP_HOST = "127.0.0.90"
RATE = 300  # messages per minute: at least 0.2 s between two messages
RULES = {r.id: r for r in load_ruleset().rules}


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message with the time it arrived."""

    def __init__(self) -> None:
        self.messages: list[tuple[float, list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001 - aiosmtpd's API
        arrived = time.monotonic()  # before parsing: a longer report must not look as if it arrived later
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append((arrived, list(envelope.rcpt_tos), msg))
        return "250 OK"

    def take(self) -> list[tuple[float, list[str], email.message.EmailMessage]]:
        with self.lock:
            out, self.messages = self.messages, []
        return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def cut(path: Path, start: str, end: str) -> str:
    """Remove from ``start`` up to and including ``end``; return what was removed."""
    text = path.read_text(encoding="utf-8")
    i = text.index(start)
    j = text.index(end, i) + len(end)
    path.write_text(text[:i] + text[j:], encoding="utf-8")
    return text[i:j]


def write_config(path: Path, db: Path, out: Path, registry: Path, port: int, **extra: str) -> Path:
    lines = [
        "[audit]", f'registry = "{registry}"', f'db = "{db}"', f'out = "{out}"', "allow_private = true",
        "[schedule]", 'cron = "0 2 * * 1"', f'log = "{path.parent / "schedule.log"}"', "email = true", "send = true",
        "[report]", 'deadline = "2027-03-31"', 'scorecard_base_url = "https://stp.mauson.example/tctt/"',
        "persistence_runs = 2",
        "[email]", 'from = "Sở Tư pháp tỉnh Mẫu Sơn <tctt@stp.mauson.example>"', f'outbox = "{path.parent / "outbox"}"',
        f"rate_per_minute = {RATE}",
        "[smtp]", f'host = "{SMTP_HOST}"', f"port = {port}", 'security = "none"', "timeout = 10",
    ]
    path.write_text("\n".join(lines) + "\n" + "\n".join(extra.values()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory, tctt) -> dict:
    tmp = tmp_path_factory.mktemp("cycle")
    root = tmp / "sample"
    shutil.copytree(SAMPLE_DIR, root, ignore=shutil.ignore_patterns("make_documents.py"))
    with (root / "registry.csv").open(encoding="utf-8", newline="") as fh:
        # A registry's parent must be one of its agencies: a parent left out of the subset is blanked.
        rows = [{**r, "parent": r["parent"] if r["parent"] in AGENCIES else ""}
                for r in csv.DictReader(fh) if r["id"] in AGENCIES]
    for row in rows:
        if row["id"] == "ubnd-xa-an-phu":
            row["email"] = ""
    with (root / "registry.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    portals = yaml.safe_load((root / "portals.yaml").read_text(encoding="utf-8"))
    (root / "portals.yaml").write_text(yaml.safe_dump({k: v for k, v in portals.items() if k in AGENCIES}),
                                       encoding="utf-8")
    site = root / "portals"
    catalogue = site / "so-y-te/Pages/danh-muc-thong-tin-phai-cong-khai.aspx"
    catalogue_text = catalogue.read_text(encoding="utf-8")
    focal = site / "so-tu-phap/index.php/tiep-can-thong-tin/index.html"
    forms = site / "so-xay-dung/tiep-can-thong-tin.html"

    inbox = Inbox()
    port = free_port(SMTP_HOST)
    controller = Controller(inbox, hostname=SMTP_HOST, port=port)
    controller.start()
    db, out = tmp / "tctt.db", tmp / "report"
    sent: dict[int, list] = {}
    calls: dict[str, subprocess.CompletedProcess] = {}
    try:
        with serve_sample_province(root, slow_delay=0) as province:
            registry = province.write_registry(tmp / "registry.csv")
            config = write_config(tmp / "tctt.toml", db, out, registry, port)
            # Run 1: so-y-te's catalogue page is a placeholder.
            catalogue.write_text("<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>Danh mục"
                                 "</title></head><body><h1>Trang đang được cập nhật</h1></body></html>",
                                 encoding="utf-8")
            calls["audit1"] = tctt("audit", "--registry", str(registry), "--db", str(db), "--out", str(out),
                                   "--allow-private")
            calls["email1"] = tctt("email", "--config", str(config), "--send")
            calls["email1_again"] = tctt("email", "--config", str(config), "--send")
            sent[1] = inbox.take()
            # Run 2: catalogue fixed, focal point gone, forms gone for one run, so-tai-chinh unreachable.
            catalogue.write_text(catalogue_text, encoding="utf-8")
            cut(focal, "<h2>ĐẦU MỐI CUNG CẤP THÔNG TIN</h2>", "</ul>")
            forms_block = cut(forms, "<h3>CÁC MẪU PHIẾU</h3>", "</ul>")
            host, _ = province.addresses["so-tai-chinh"]
            dead = [dict(r, url=f"http://{host}:{free_port(host)}/") if r["id"] == "so-tai-chinh" else r
                    for r in province.registry_rows]
            registry2 = tmp / "registry2.csv"
            with registry2.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(dead[0]))
                writer.writeheader()
                writer.writerows(dead)
            calls["audit2"] = tctt("audit", "--registry", str(registry2), "--db", str(db), "--out", str(out),
                                   "--allow-private")
            calls["email2"] = tctt("email", "--config", str(config), "--send")
            sent[2] = inbox.take()
            # Run 3, by the scheduler: forms back, focal point still missing, so-tai-chinh back.
            edit(forms, '<h3>DANH MỤC THÔNG TIN', forms_block + '\n<h3>DANH MỤC THÔNG TIN')
            calls["schedule3"] = tctt("schedule", "--config", str(config), "--once")
            calls["email3_again"] = tctt("email", "--config", str(config), "--send")
            sent[3] = inbox.take()
    finally:
        controller.stop()
    return {"tmp": tmp, "db": db, "out": out, "config": config, "sent": sent, "calls": calls, "port": port}


def test_audits_and_calls_succeed(cycle: dict):
    for name, call in cycle["calls"].items():
        assert call.returncode == 0, (name, call.stdout, call.stderr)
    store = Store(cycle["db"])
    try:
        assert [r["id"] for r in store.runs()] == [1, 2, 3]
        assert store.agency_results(2)["so-tai-chinh"]["status"] == "unreachable"
        assert store.agency_results(3)["so-tai-chinh"]["status"] == "audited"
    finally:
        store.close()


def _diff(tctt, cycle: dict, a: str, b: str) -> dict:
    import json

    result = tctt("diff", a, b, "--db", str(cycle["db"]), "--format", "json")
    assert result.returncode == 0, result.stderr
    return {e["agency"]: e for e in json.loads(result.stdout)["agencies"]}


def test_diff_says_what_was_fixed_broken_and_not_comparable(cycle: dict, tctt):
    d12 = _diff(tctt, cycle, "1", "2")
    assert "public-catalogue" in d12["so-y-te"]["fixed"]
    assert "focal-point" in d12["so-tu-phap"]["new_failures"]
    assert "request-forms" in d12["so-xay-dung"]["new_failures"]
    assert not d12["so-tai-chinh"]["comparable"]
    assert d12["so-tai-chinh"]["fixed"] == d12["so-tai-chinh"]["new_failures"] == []
    d23 = _diff(tctt, cycle, "2", "3")
    assert not d23["so-tai-chinh"]["comparable"] and d23["so-tai-chinh"]["fixed"] == []
    assert "request-forms" in d23["so-xay-dung"]["fixed"]
    assert "focal-point" in d23["so-tu-phap"]["still_failing"]
    d13 = _diff(tctt, cycle, "1", "3")
    assert d13["so-tai-chinh"]["comparable"]
    assert d13["so-tai-chinh"]["fixed"] == d13["so-tai-chinh"]["new_failures"] == []
    text = tctt("diff", "1", "2", "--db", str(cycle["db"])).stdout
    assert "so-tai-chinh" in text and "không so sánh được / not comparable: audited → unreachable" in text


def test_trend_pages(cycle: dict):
    index = (cycle["out"] / "trends" / "index.html").read_text(encoding="utf-8")
    assert index.count("<svg") == 3 and "<script" not in index and "<title>" in index and "<desc>" in index
    improved = index.split('id="improved"')[1].split("</table>")[0]
    regressed = index.split('id="regressed"')[1].split("</table>")[0]
    assert "Sở Y tế" in improved and "Sở Tư pháp" in regressed
    assert "Sở Tài chính" not in improved + regressed
    page = (cycle["out"] / "trends" / "so-tai-chinh.html").read_text(encoding="utf-8")
    assert "× Không truy cập được" in page and "#2: không có điểm" in page
    assert 'href="../trends/so-y-te.html"' in (cycle["out"] / "agencies" / "so-y-te.html").read_text(encoding="utf-8")
    assert 'href="trends/index.html"' in (cycle["out"] / "index.html").read_text(encoding="utf-8")
    # the scheduled run (the last) passed its cron expression to the report: the next Monday 02:00
    next_run = index.split('id="next-run"')[1].split("</p>")[0]
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}T02:00:00', next_run), next_run


def _by_agency(messages: list) -> dict:
    return {m["X-TCTT-Agency"]: (rcpt, m) for _, rcpt, m in messages}


def test_one_message_per_agency_with_both_parts_headers_and_utf8(cycle: dict):
    first = _by_agency(cycle["sent"][1])
    assert sorted(first) == sorted(WITH_EMAIL)   # exactly once each: the second call sent nothing
    rcpt, msg = first["so-tu-phap"]
    assert rcpt == ["sotuphap@mauson.gov.vn"]
    assert msg["Subject"].startswith("[TCTT] Kết quả kiểm tra Chuyên mục tiếp cận thông tin – Sở Tư pháp tỉnh Mẫu Sơn")
    assert msg["To"].addresses[0].display_name == "Sở Tư pháp tỉnh Mẫu Sơn"
    assert msg["From"].addresses[0].addr_spec == "tctt@stp.mauson.example" and msg["Message-ID"] and msg["Date"]
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Kính gửi Sở Tư pháp tỉnh Mẫu Sơn" in text and "Kính gửi <strong>Sở Tư pháp tỉnh Mẫu Sơn</strong>" in html
    assert "31/03/2027" in text and "https://stp.mauson.example/tctt/agencies/so-tu-phap.html" in html
    assert 'style="' in html and "<style>" not in html   # CSS inlined
    rcpt, msg = first["so-y-te"]
    text = msg.get_body(("plain",)).get_content()
    assert RULES["public-catalogue"].failure_title["vi"] in text
    assert "Điều" in text and "Cách khắc phục / How to fix" in text   # legal basis and how to fix


def test_second_call_sends_nothing_and_no_address_is_reported(cycle: dict):
    again = cycle["calls"]["email1_again"].stdout
    assert "đã gửi / sent: 0" in again and "already sent, skipped: 4" in again
    assert "ubnd-xa-an-phu: không có địa chỉ thư điện tử" in cycle["calls"]["email1"].stdout
    assert "đã gửi / sent: 0" in cycle["calls"]["email3_again"].stdout


def test_throttling_keeps_to_the_rate(cycle: dict):
    times = sorted(t for t, _, _ in cycle["sent"][1])
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 60 / RATE * 0.9


def test_flapping_failure_is_not_mailed_and_persistent_one_is(cycle: dict):
    focal = RULES["focal-point"].failure_title["vi"]
    forms = RULES["request-forms"].failure_title["vi"]
    second = _by_agency(cycle["sent"][2])
    assert sorted(second) == sorted(WITH_EMAIL)
    tu_phap2 = second["so-tu-phap"][1].get_body(("plain",)).get_content()
    assert focal not in tu_phap2 and "chưa được xác nhận" in tu_phap2
    xay_dung2 = second["so-xay-dung"][1].get_body(("plain",)).get_content()
    assert forms not in xay_dung2
    y_te2 = second["so-y-te"][1].get_body(("plain",)).get_content()
    assert "[ĐÃ KHẮC PHỤC / FIXED]" in y_te2 and "so với / since #1" in y_te2
    third = _by_agency(cycle["sent"][3])
    tu_phap3 = third["so-tu-phap"][1].get_body(("plain",)).get_content()
    assert f"[MỚI / NEW] {focal}" in tu_phap3
    xay_dung3 = third["so-xay-dung"][1].get_body(("plain",)).get_content()
    assert forms not in xay_dung3 and "[MỚI" not in xay_dung3
    tai_chinh2 = second["so-tai-chinh"][1].get_body(("plain",)).get_content()
    assert "CHƯA KIỂM TRA ĐƯỢC" in tai_chinh2
    log = (cycle["tmp"] / "schedule.log").read_text(encoding="utf-8")
    assert "audit finished: exit 0" in log and "sent 4" in log


def _copy_db(cycle: dict, tmp_path: Path) -> Path:
    db = tmp_path / "copy.db"
    store = Store(cycle["db"])
    try:
        store.db.conn.execute(f"vacuum into '{db}'")
    finally:
        store.close()
    return db


def test_failures_are_recorded_and_retried(cycle: dict, tmp_path: Path, tctt):
    db = _copy_db(cycle, tmp_path)
    store = Store(db)
    store.db.conn.execute("delete from deliveries where run_id = 3")
    store.close()
    dead_port = free_port(SMTP_HOST)
    config = write_config(tmp_path / "dead.toml", db, tmp_path / "out", tmp_path / "r.csv", dead_port)
    failed = tctt("email", "--config", str(config), "--send")
    assert failed.returncode == 5 and "retried next call" in failed.stdout
    store = Store(db)
    rows = {r["agency_id"]: r for r in store.db.query("select * from deliveries where run_id = 3")}
    store.close()
    assert {a: rows[a]["status"] for a in WITH_EMAIL} == dict.fromkeys(WITH_EMAIL, "failed")
    assert rows["ubnd-xa-an-phu"]["status"] == "no_address"
    inbox = Inbox()
    controller = Controller(inbox, hostname=SMTP_HOST, port=dead_port)
    controller.start()
    try:
        retried = tctt("email", "--config", str(config), "--send")
        again = tctt("email", "--config", str(config), "--send")
    finally:
        controller.stop()
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert sorted(_by_agency(inbox.messages)) == sorted(WITH_EMAIL)
    assert "đã gửi / sent: 0" in again.stdout


def test_header_injection_from_the_registry_is_refused(cycle: dict, tmp_path: Path, tctt):
    db = _copy_db(cycle, tmp_path)
    store = Store(db)
    store.db.conn.execute("delete from deliveries where run_id = 3")
    store.db.conn.execute("update agencies set email = ?, name = ? where run_id = 3 and id = 'so-y-te'",
                          ["soyte@mauson.gov.vn\r\nBcc: evil@attacker.example", "Sở Y tế"])
    store.db.conn.execute("update agencies set name = ? where run_id = 3 and id = 'so-tu-phap'",
                          ["Sở Tư pháp\r\nBcc: evil@attacker.example"])
    store.close()
    port = free_port(SMTP_HOST)
    config = write_config(tmp_path / "c.toml", db, tmp_path / "out", tmp_path / "r.csv", port)
    inbox = Inbox()
    controller = Controller(inbox, hostname=SMTP_HOST, port=port)
    controller.start()
    try:
        result = tctt("email", "--config", str(config), "--send")
    finally:
        controller.stop()
    assert "so-y-te: địa chỉ thư điện tử không hợp lệ" in result.stdout
    got = _by_agency(inbox.messages)
    assert "so-y-te" not in got
    for _, rcpt, msg in inbox.messages:
        assert all("attacker" not in r for r in rcpt) and msg["Bcc"] is None
    assert got["so-tu-phap"][1]["To"].addresses[0].display_name == "Sở Tư pháp Bcc: evil@attacker.example"


def test_inspector_decisions(cycle: dict, tmp_path: Path, tctt):
    db = _copy_db(cycle, tmp_path)
    common = ["--db", str(db), "--reason", "Đầu mối đăng ở trang Liên hệ", "--inspector", "Nguyễn Thị Hoa",
              "--expires", "2099-12-31"]
    ok = tctt("decide", "add", "--agency", "so-xay-dung", "--rule", "focal-point", "--as", "excused", *common)
    assert ok.returncode == 0, ok.stderr
    # Recorded on run 1's evidence, when the focal point still passed: run 3's evidence differs.
    stale = tctt("decide", "add", "--run", "1", "--agency", "so-tu-phap", "--rule", "focal-point", "--as", "compliant",
                 *common)
    assert stale.returncode == 0, stale.stderr
    bad = tctt("decide", "add", "--agency", "so-xay-dung", "--rule", "nope", "--as", "excused", *common)
    assert bad.returncode == 2
    out = tmp_path / "report"
    assert tctt("report", "--db", str(db), "--out", str(out)).returncode == 0
    xay_dung = (out / "agencies" / "so-xay-dung.html").read_text(encoding="utf-8")
    assert "Đã xác minh: miễn trừ" in xay_dung and "Đang áp dụng" in xay_dung and "Nguyễn Thị Hoa" in xay_dung
    tu_phap = (out / "agencies" / "so-tu-phap.html").read_text(encoding="utf-8")
    assert "Bằng chứng đã thay đổi" in tu_phap
    config = write_config(tmp_path / "c.toml", db, out, tmp_path / "r.csv", 25)
    assert tctt("email", "--config", str(config), "--outbox", str(tmp_path / "box")).returncode == 0
    xd = email.message_from_bytes((tmp_path / "box/run-3/so-xay-dung.eml").read_bytes(), policy=email.policy.default)
    text = xd.get_body(("plain",)).get_content()
    fix_part = text.split("NỘI DUNG CẦN KHẮC PHỤC")[1].split("ĐÃ XÁC MINH")[0]
    assert RULES["focal-point"].failure_title["vi"] not in fix_part and "Nguyễn Thị Hoa" in text
    tp = email.message_from_bytes((tmp_path / "box/run-3/so-tu-phap.eml").read_bytes(), policy=email.policy.default)
    assert RULES["focal-point"].failure_title["vi"] in tp.get_body(("plain",)).get_content()


def test_schedule_lock_and_bad_config(cycle: dict, tmp_path: Path, tctt):
    from filelock import FileLock

    config = cycle["config"]
    with FileLock(str(cycle["db"]) + ".lock"):
        locked = tctt("schedule", "--config", str(config), "--once")
    assert locked.returncode == 6 and "another run holds the lock" in locked.stderr
    nxt = tctt("schedule", "--config", str(config), "--next", "3")
    assert nxt.returncode == 0 and len(nxt.stdout.split()) == 3
    bad = tmp_path / "bad.toml"
    bad.write_text('[schedule]\ncron = "61 * * * *"\n[audit]\nregistry = "x.csv"\n', encoding="utf-8")
    assert tctt("schedule", "--config", str(bad), "--once").returncode == 2
    bad.write_text('[smtp]\npasword = "x"\n', encoding="utf-8")
    result = tctt("email", "--config", str(bad))
    assert result.returncode == 2 and "pasword" in result.stderr


class SlowInbox(Inbox):
    """An SMTP server that takes a second per message, as a busy relay does."""

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001 - aiosmtpd's API
        import asyncio

        await asyncio.sleep(1.0)
        return await super().handle_DATA(server, session, envelope)


def test_two_concurrent_senders_deliver_each_report_once(cycle: dict, tmp_path: Path):
    db = _copy_db(cycle, tmp_path)
    store = Store(db)
    store.db.conn.execute("delete from deliveries where run_id = 3")
    store.close()
    port = free_port(SMTP_HOST)
    config = write_config(tmp_path / "c.toml", db, tmp_path / "out", tmp_path / "r.csv", port)
    inbox = SlowInbox()
    controller = Controller(inbox, hostname=SMTP_HOST, port=port)
    controller.start()
    try:
        command = [sys.executable, "-m", "tctt.cli", "email", "--config", str(config), "--send"]
        senders = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(2)]
        outputs = [sender.communicate(timeout=120) for sender in senders]
    finally:
        controller.stop()
    assert all(sender.returncode == 0 for sender in senders), outputs
    got = [msg["To"].addresses[0].addr_spec for _, _, msg in inbox.messages]
    assert len(got) == len(WITH_EMAIL) == len(set(got)), got  # each report once, none twice
    store = Store(db)
    rows = {r["agency_id"]: r for r in store.db.query("select * from deliveries where run_id = 3")}
    store.close()
    assert {a: (rows[a]["status"], rows[a]["attempts"]) for a in WITH_EMAIL} == dict.fromkeys(WITH_EMAIL, ("sent", 1))


def test_smtp_login_without_tls_is_refused_unless_allowed(cycle: dict, tmp_path: Path, tctt):
    import os

    db = _copy_db(cycle, tmp_path)
    port = free_port(SMTP_HOST)
    config = write_config(tmp_path / "c.toml", db, tmp_path / "out", tmp_path / "r.csv", port)
    inbox = Inbox()
    controller = Controller(inbox, hostname=SMTP_HOST, port=port)
    controller.start()
    env = {**os.environ, "TCTT_SMTP_USER": "tctt", "TCTT_SMTP_PASSWORD": "S3cr3t-Pw!"}
    try:
        result = tctt('email', '--config', str(config), '--send', timeout=60, env=env)
    finally:
        controller.stop()
    assert result.returncode == 2 and "clear text" in result.stderr, result.stdout + result.stderr
    assert "S3cr3t-Pw!" not in result.stdout + result.stderr
    assert inbox.messages == []
