"""Budgets are hard limits, on downloads in flight too, and every cut is recorded.

Loopback portals (127.0.0.87–88, ephemeral ports): one whose section links twenty 2 MB documents (all
requested at once, before any has arrived), one whose twenty-four documents drip a byte every half second
for ever, and one document that sends its headers and then nothing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DOC_BYTES = 2 * 1024 * 1024
SECTION = ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tiếp cận thông tin</title></head><body>'
           "<h1>Tiếp cận thông tin</h1><h2>Danh mục thông tin phải được công khai</h2>{links}</body></html>")
HOME = ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Cổng</title></head><body>'
        '<nav><a href="/tiep-can-thong-tin">Tiếp cận thông tin</a></nav></body></html>')


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _head(self, ctype: str, length: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def do_GET(self) -> None:
        mode = self.server.mode  # type: ignore[attr-defined]
        if self.path == "/robots.txt":
            body = b"User-agent: *\nDisallow:\n"
        elif self.path == "/":
            body = HOME.encode()
        elif self.path == "/tiep-can-thong-tin":
            count = 24 if mode == "drip" else 20
            body = SECTION.format(links="".join(f'<a href="/mau-so-{i}.pdf">Mẫu số {i}</a>' for i in range(count))).encode()
        elif self.path.endswith(".pdf") and mode == "big":
            self._head("application/pdf", DOC_BYTES)
            with suppress(OSError):
                for _ in range(DOC_BYTES // 65536):
                    self.wfile.write(b"%" * 65536)
                    time.sleep(0.02)  # every document is in flight at once
            return
        elif self.path.endswith(".pdf") and mode == "drip":
            self._head("application/pdf", 10_000_000)
            with suppress(OSError):
                while True:
                    self.wfile.write(b"%")
                    self.wfile.flush()
                    time.sleep(0.5)
        elif self.path.endswith(".pdf") and mode == "silent":
            self._head("application/pdf", 1000)
            self.wfile.flush()
            time.sleep(30)
            return
        else:
            body = b"not found"
        self._head("text/html; charset=utf-8" if body.startswith(b"<") else "text/plain", len(body))
        with suppress(OSError):
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connections cut by the crawler are the point: keep stderr quiet."""


@contextmanager
def _portal(host: str, mode: str) -> Iterator[str]:
    server = _Server((host, 0), _Handler)
    server.mode = mode  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        with suppress(OSError):
            server.server_close()


def _crawl(tctt, tmp: Path, url: str, *settings: str) -> dict:
    registry = tmp / "registry.csv"
    registry.write_text(f"id,name,level,parent,province,url,email\nb,Cổng,department,,Tỉnh,{url},\n", encoding="utf-8")
    args = [a for s in ("TCTT_TLS_PROBE=0", "AUTOTHROTTLE_ENABLED=0", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
                        "TCTT_DOC_WORKERS=1", *settings) for a in ("--set", s)]
    started = time.monotonic()
    result = tctt('crawl', '--registry', str(registry), '--db', str(tmp / 'b.db'), '--allow-private', *args,
                  timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(tmp / "b.db") as conn:
        conn.row_factory = sqlite3.Row
        agency = dict(conn.execute("select * from agency_results").fetchone())
        pages = [dict(r) for r in conn.execute("select * from pages")]
    return {"agency": agency, "cut": json.loads(agency["cut"]), "pages": pages, "wall": time.monotonic() - started}


def test_the_byte_budget_holds_over_downloads_in_flight(tmp_path: Path, tctt):
    budget = 5_000_000
    with _portal("127.0.0.87", "big") as url:
        got = _crawl(tctt, tmp_path, url, f"TCTT_MAX_BYTES_PER_AGENCY={budget}")
    stored = sum(p["size"] or 0 for p in got["pages"])
    assert stored <= budget * 1.1, stored  # main let 41.9 MB through
    assert got["cut"]["bytes"] > 0 and any(e["kind"] == "bytes" for e in got["cut"]["examples"])
    assert got["agency"]["status"] == "audited"


def test_the_time_budget_cancels_downloads_in_flight(tmp_path: Path, tctt):
    budget = 5.0
    with _portal("127.0.0.88", "drip") as url:
        got = _crawl(tctt, tmp_path, url, f"TCTT_MAX_SECONDS_PER_AGENCY={budget:g}", "DOWNLOAD_TIMEOUT=6")
    home = next(p for p in got["pages"] if p["kind"] == "home")
    spent = (datetime.fromisoformat(got["agency"]["finished_at"]) - datetime.fromisoformat(home["fetched_at"]))
    assert spent.total_seconds() <= budget * 1.1 + 1, spent  # +1: timestamps are to the second; main took 145 s
    assert got["cut"]["time"] > 0 and any(e["kind"] == "time" for e in got["cut"]["examples"])
    assert got["agency"]["status"] == "audited"


def test_a_silent_download_is_cut_by_the_idle_timeout(tmp_path: Path, tctt):
    with _portal("127.0.0.88", "silent") as url:
        got = _crawl(tctt, tmp_path, url, "TCTT_IDLE_TIMEOUT=1", "DOWNLOAD_TIMEOUT=25", "RETRY_TIMES=0")
    errors = [p["error"] for p in got["pages"] if p["url"].endswith(".pdf")]
    assert errors and all("idle timeout" in (e or "") for e in errors), errors
    assert got["wall"] < 25  # not held to the total timeout


