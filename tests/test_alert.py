"""A scheduled cycle that fails e-mails the operator: a real SMTP server (aiosmtpd) on loopback receives a
Vietnamese-first alert naming the exit code and the cycle's last lines; a cycle that succeeds sends none.
The configuration's archive keys reach the crawl (bound) and the retention prunes after the run."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from core.config import ConfigError, load_config
from tctt import schedule

HOST = "127.0.0.1"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802 - aiosmtpd's API
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


@pytest.fixture
def smtp() -> tuple[_Inbox, int]:
    with socket.socket() as sock:  # an ephemeral port, free at this moment
        sock.bind((HOST, 0))
        port = sock.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname=HOST, port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _config(tmp: Path, port: int, registry: Path, **archive: int) -> Path:
    lines = ["[audit]", f'registry = "{registry}"', f'db = "{tmp / "tctt.db"}"', f'out = "{tmp / "report"}"',
             "allow_private = true",
             "[email]", 'from = "Sở Tư pháp tỉnh Mẫu Sơn <tctt@stp.mauson.example>"',
             "[smtp]", f'host = "{HOST}"', f"port = {port}", 'security = "none"', "timeout = 10",
             "[alert]", 'to = "van.hanh@stp.mauson.example"']
    if archive:
        lines += ["[archive]", *(f"{k} = {v}" for k, v in archive.items())]
    path = tmp / "tctt.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_failing_cycle_emails_the_operator(tmp_path: Path, smtp: tuple[_Inbox, int]):
    inbox, port = smtp
    registry = tmp_path / "registry.csv"
    registry.write_text("id,name,level,parent,province,url,email\nx,X,planet,,,http://127.0.0.1:9/,\n", encoding="utf-8")
    cfg = load_config(_config(tmp_path, port, registry))
    code = schedule.run_cycle(cfg)
    assert code == 2  # the registry is refused: bad input
    assert len(inbox.messages) == 1
    recipients, msg = inbox.messages[0]
    assert recipients == ["van.hanh@stp.mauson.example"]
    assert "Kiểm tra định kỳ thất bại" in msg["Subject"] and "exit 2" in msg["Subject"]
    body = msg.get_content()
    assert body.index("Chu kỳ kiểm tra định kỳ") < body.index("The scheduled audit cycle")  # Vietnamese first
    assert "planet" in body  # the cycle's own output says what was wrong


def test_a_cycle_that_succeeds_sends_no_alert_and_applies_the_archive_settings(tmp_path: Path,
                                                                              smtp: tuple[_Inbox, int]):
    inbox, port = smtp
    import http.server

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><h1>Cổng</h1></body></html>", encoding="utf-8")
    server = http.server.ThreadingHTTPServer((HOST, 0), lambda *a: http.server.SimpleHTTPRequestHandler(
        *a, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        registry = tmp_path / "registry.csv"
        registry.write_text("id,name,level,parent,province,url,email\n"
                            f"a,A,department,,,http://{HOST}:{server.server_address[1]}/,\n", encoding="utf-8")
        cfg = load_config(_config(tmp_path, port, registry, keep_runs=1, max_bytes=5_000_000))
        assert schedule.run_cycle(cfg) == 0
        assert schedule.run_cycle(cfg) == 0
    finally:
        server.shutdown()
    assert inbox.messages == []
    archives = sorted(p.name for p in Path(f"{tmp_path / 'tctt.db'}.warc").glob("*.warc.gz"))
    assert archives == ["run-2.warc.gz"]  # keep_runs = 1: run 1's archive pruned after run 2


def test_archive_and_alert_keys_are_validated(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text("[archive]\nkeep_runs = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="keep_runs"):
        load_config(path)
    path.write_text("[alert]\nto = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="alert"):
        load_config(path)
