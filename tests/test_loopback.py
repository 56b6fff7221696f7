"""The one loopback server core: ephemeral ports on a loopback address, GET and HEAD through respond(),
content types, the 404 page, TLS, and servers that are always stopped."""

from __future__ import annotations

import http.client
import socket
import ssl
from pathlib import Path

import pytest

from core.loopback import (
    NOT_FOUND_PAGE,
    LoopbackServer,
    QuietHandler,
    content_type,
    free_port,
    running,
)


class _Echo(QuietHandler):
    def respond(self, *, send_body: bool) -> None:
        if self.path == "/":
            self.reply(200, f"<p>{self.server.greeting}</p>", send_body=send_body, headers={"X-Farm": "yes"})
        elif self.path.endswith(".pdf"):
            self.reply(200, b"%PDF-1.4\n", content_type(self.path), send_body=send_body)
        else:
            self.not_found(send_body=send_body)


def _get(host: str, port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=5)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_content_types_by_suffix_ignore_the_query():
    assert content_type("/a/b.PDF?x=1") == "application/pdf"
    assert content_type("/index.aspx") == "text/html; charset=utf-8"
    assert content_type("/archive.bin") == "application/octet-stream"
    assert content_type("/archive.bin", "text/plain") == "text/plain"


def test_a_server_answers_on_an_ephemeral_loopback_port_and_stops():
    server = LoopbackServer(("127.0.0.7", 0), _Echo, greeting="Xin chào", server_header="Microsoft-IIS/8.5")
    assert server.port > 0 and server.url == f"http://127.0.0.7:{server.port}/"
    with running([server]):
        status, headers, body = _get("127.0.0.7", server.port, "/")
        assert (status, body) == (200, "<p>Xin chào</p>".encode())
        assert headers["Content-Type"] == "text/html; charset=utf-8" and headers["X-Farm"] == "yes"
        assert headers["Server"] == "Microsoft-IIS/8.5"
        assert headers["Content-Length"] == str(len(body))
        status, headers, body = _get("127.0.0.7", server.port, "/cong-khai/danh-muc.pdf")
        assert (status, headers["Content-Type"], body) == (200, "application/pdf", b"%PDF-1.4\n")
        status, headers, body = _get("127.0.0.7", server.port, "/khong-co")
        assert (status, body) == (404, NOT_FOUND_PAGE)
        status, headers, body = _get("127.0.0.7", server.port, "/", method="HEAD")
        assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    with pytest.raises(OSError), socket.create_connection(("127.0.0.7", server.port), timeout=2):
        pass


def test_servers_are_stopped_when_the_block_fails():
    server = LoopbackServer(("127.0.0.8", 0), _Echo, greeting="x")
    with pytest.raises(RuntimeError), running([server]):
        raise RuntimeError("boom")
    with pytest.raises(OSError), socket.create_connection(("127.0.0.8", server.port), timeout=2):
        pass


def test_free_port_has_nothing_listening():
    port = free_port("127.0.0.9")
    with pytest.raises(OSError), socket.create_connection(("127.0.0.9", port), timeout=2):
        pass


def test_tls_server_serves_https_with_the_given_certificate(tmp_path: Path):
    from farms.certificates import make_certificates

    certs = make_certificates(tmp_path, "127.0.0.10", "127.0.0.11")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certs.self_signed)
    server = LoopbackServer(("127.0.0.11", 0), _Echo, tls=context, greeting="an toàn")
    assert server.url.startswith("https://127.0.0.11:")
    with running([server]):
        client = ssl.create_default_context()
        client.check_hostname = False
        client.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.11", server.port, timeout=5, context=client)
        conn.request("GET", "/")
        response = conn.getresponse()
        assert response.status == 200 and "an toàn" in response.read().decode()
        conn.close()
        strict = ssl.create_default_context()  # the self-signed leaf is not trusted by default
        with pytest.raises(ssl.SSLError):
            bad = http.client.HTTPSConnection("127.0.0.11", server.port, timeout=5, context=strict)
            bad.request("GET", "/")
