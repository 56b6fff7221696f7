"""The TLS probe against real loopback servers, and the transport auditor's verdicts."""

from __future__ import annotations

import ssl
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from auditors.evidence import Evidence
from auditors.transport import transport_security
from crawler.transport import probe_tls
from farms.hostile import PORTALS, make_certificates


class _Quiet(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _serve(host: str, context: ssl.SSLContext | None) -> HTTPServer:
    server = HTTPServer((host, 0), _Quiet)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory):
    return make_certificates(Path(tmp_path_factory.mktemp("certs")))


@pytest.mark.parametrize(("agency", "which", "error"), [("h-tls-expired", "expired", "certificate has expired"),
                                                        ("h-tls-self-signed", "self_signed", "self-signed certificate")])
def test_probe_names_what_is_wrong_with_the_certificate(certs, agency: str, which: str, error: str):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*getattr(certs, which))
    server = _serve(PORTALS[agency][0], context)
    try:
        host, port = server.server_address[:2]
        result = probe_tls(host, port, timeout=5, cafile=str(certs.cafile))
    finally:
        server.shutdown()
        server.server_close()
    assert result["https"] is True and result["valid"] is False and result["error"] == error


def test_probe_on_a_plain_http_server_says_no_https():
    server = _serve("127.0.0.75", None)
    try:
        result = probe_tls(*server.server_address[:2], timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert result["https"] is False and result["valid"] is None and "TLS" in result["error"]


def _evidence(transport: dict | None) -> Evidence:
    signals = {"transport": transport} if transport is not None else {}
    home = {"url": "https://so.tinh.gov.vn/", "final_url": "https://so.tinh.gov.vn/", "status": 200, "kind": "home",
            "signals": signals, "fetched_at": "2026-11-26T00:00:00+00:00"}
    return Evidence.build({"id": "x"}, {"section_url": None}, [home], [], date(2026, 11, 26))


@pytest.mark.parametrize(("transport", "status"), [
    ({"scheme": "https", "https": True, "valid": True, "not_after": "Jan 1 00:00:00 2027 GMT"}, "pass"),
    ({"scheme": "https", "https": True, "valid": False, "error": "certificate has expired"}, "fail"),
    ({"scheme": "https", "https": True, "valid": None, "error": "timed out"}, "manual"),
    ({"scheme": "http", "https": True, "valid": True}, "partial"),
    ({"scheme": "http", "https": True, "valid": False, "error": "self-signed certificate"}, "fail"),
    ({"scheme": "http", "https": False, "valid": None, "error": "TLS handshake failed"}, "fail"),
    (None, "manual"),
])
def test_transport_auditor_verdicts(transport: dict | None, status: str):
    outcome = transport_security(_evidence(transport), {})
    assert outcome.status == status
    assert outcome.vi and outcome.en
