"""DNS rebinding: a name whose answers alternate between an allowed and a refused address never delivers a
request to the refused one, because the resolver Scrapy connects with judges each answer.

A real name server (twisted.names messages over UDP on 127.0.0.86, ephemeral port) answers ``rebind.test``
with 127.0.0.84 and 127.0.0.85 in turn, TTL 0. 127.0.0.84 is allowed explicitly (TCTT_ALLOWED_NETWORKS,
standing in for a public address), 127.0.0.85 is loopback and refused (no --allow-private). Both serve the
same port; the one on .85 records every request it gets: it must get none.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from twisted.names import dns

ALLOWED, REFUSED, DNS_HOST = "127.0.0.84", "127.0.0.85", "127.0.0.86"
PAGE = ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Cổng</title></head><body>'
        '<a href="/tiep-can-thong-tin">Tiếp cận thông tin</a><a href="/admin/delete-all?confirm=1">x</a></body></html>')


class _Rebinder:
    """Answers A queries for rebind.test with the two addresses in turn; others: NXDOMAIN."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((DNS_HOST, 0))
        self.port = self.sock.getsockname()[1]
        self.answers: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            query = dns.Message()
            query.fromStr(data)
            reply = dns.Message(id=query.id, answer=1, opCode=query.opCode, recDes=query.recDes, recAv=1, auth=1)
            reply.queries = query.queries
            for question in query.queries:
                if question.name.name.decode().lower() == "rebind.test" and question.type == dns.A:
                    address = (ALLOWED, REFUSED)[len(self.answers) % 2]
                    self.answers.append(address)
                    reply.answers.append(dns.RRHeader(name=question.name.name, type=dns.A, ttl=0,
                                                      payload=dns.Record_A(address, ttl=0)))
                elif question.type == dns.A:
                    reply.rCode = dns.ENAME
            with suppress(OSError):
                self.sock.sendto(reply.toStr(), peer)


class _Recorder(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        body = b"User-agent: *\nDisallow:\n" if self.path == "/robots.txt" else PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def _servers() -> Iterator[tuple[_Rebinder, ThreadingHTTPServer, ThreadingHTTPServer]]:
    allowed = ThreadingHTTPServer((ALLOWED, 0), _Recorder)
    refused = ThreadingHTTPServer((REFUSED, allowed.server_address[1]), _Recorder)
    rebinder = _Rebinder()
    for server in (allowed, refused):
        server.paths = []  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    rebinder.thread.start()
    try:
        yield rebinder, allowed, refused
    finally:
        rebinder.sock.close()
        for server in (allowed, refused):
            server.shutdown()
            server.server_close()


def test_a_rebinding_name_never_receives_a_request_at_the_refused_address(tmp_path: Path, tctt):
    with _servers() as (rebinder, allowed, refused):
        port = allowed.server_address[1]
        registry = tmp_path / "registry.csv"
        registry.write_text("id,name,level,parent,province,url,email\n"
                            f"rebind,Cổng đổi địa chỉ,department,,Tỉnh Thử,http://rebind.test:{port}/,\n", encoding="utf-8")
        result = tctt('crawl', '--registry', str(registry), '--db', str(tmp_path / 'r.db'), '--set',
                      f'TCTT_DNS_SERVERS={DNS_HOST}:{rebinder.port}', '--set', 'DNSCACHE_ENABLED=0', '--set',
                      f'TCTT_ALLOWED_NETWORKS={ALLOWED}/32', '--set', 'TCTT_TLS_PROBE=0', '--set',
                      'AUTOTHROTTLE_ENABLED=0', timeout=120)
        seen_refused, seen_allowed = list(refused.paths), list(allowed.paths)
    assert result.returncode in (0, 4), result.stdout + result.stderr
    assert seen_refused == []  # not one request, not even robots.txt
    assert seen_allowed and REFUSED in rebinder.answers  # the name did resolve, and did rebind
    with sqlite3.connect(tmp_path / "r.db") as conn:
        details = [d for (d,) in conn.execute("select detail from agency_results")]
        errors = [e for (e,) in conn.execute("select error from pages where error is not null")]
    refusals = [t for t in details + errors if t and "network guard" in t and REFUSED in t]
    assert refusals, (details, errors)
