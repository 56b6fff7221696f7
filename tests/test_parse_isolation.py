"""A page too heavy to read in time costs its own agency, never another's status.

Pages are read in worker processes with a deadline (crawler.pageread). Loopback portals on 127.0.3.x:
one whose section page is a 6.8 MB list of 100,000 links, one whose home page is, and three ordinary
portals whose pages answer after a second (so their requests are in flight while the heavy pages are read).
With the deadline set to 0.3 s the heavy pages are recorded as not read, with the reason; the ordinary
portals end `audited` with their section, as they do alone.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HEAVY_LIST = "<ul>" + "".join(f'<li><a href="/van-ban/{i}">Văn bản số {i}/QĐ-UBND</a></li>' for i in range(100_000)) + "</ul>"
SECTION = ("<h2>Đầu mối cung cấp thông tin</h2><p>Văn phòng Sở, điện thoại 0203 3871 234</p>"
           "<h2>Danh mục thông tin phải được công khai</h2><p>Cập nhật thường xuyên.</p>")


def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>").encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        kind = self.server.kind  # type: ignore[attr-defined]
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nDisallow:\n", "text/plain"
        else:
            if kind == "slow":
                time.sleep(1.0)
            home = _page("Cổng thông tin", '<nav><a href="/tiep-can-thong-tin">Tiếp cận thông tin</a></nav>'
                         + (HEAVY_LIST if kind == "heavy-home" else ""))
            section = _page("Tiếp cận thông tin", SECTION + (HEAVY_LIST if kind == "heavy-section" else ""))
            body = home if self.path == "/" else section if self.path == "/tiep-can-thong-tin" else _page("404", "")
            ctype = "text/html; charset=utf-8"
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with suppress(OSError):
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet."""


PORTALS = {"heavy-section": "127.0.3.1", "heavy-home": "127.0.3.2", "slow-1": "127.0.3.3", "slow-2": "127.0.3.4",
           "slow-3": "127.0.3.5"}


@contextmanager
def _province() -> Iterator[dict[str, str]]:
    servers, urls = [], {}
    for agency, host in PORTALS.items():
        server = _Server((host, 0), _Handler)
        server.kind = "slow" if agency.startswith("slow") else agency  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        urls[agency] = f"http://{host}:{server.server_address[1]}/"
    try:
        yield urls
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_a_page_over_the_deadline_is_recorded_and_other_agencies_keep_their_status(tmp_path: Path, tctt):
    with _province() as urls:
        registry = tmp_path / "registry.csv"
        registry.write_text("id,name,level,parent,province,url,email\n" + "".join(
            f"{agency},Cổng {agency},department,,Tỉnh,{url},\n" for agency, url in urls.items()), encoding="utf-8")
        result = tctt('crawl', '--registry', str(registry), '--db', str(tmp_path / 'p.db'), '--allow-private',
                      '--set', 'TCTT_PARSE_TIMEOUT=0.3', '--set', 'DOWNLOAD_TIMEOUT=5', '--set',
                      'TCTT_TLS_PROBE=0', '--set', 'AUTOTHROTTLE_ENABLED=0', timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(tmp_path / "p.db") as conn:
        results = {a: (s, d, u) for a, s, d, u in conn.execute(
            "select agency_id, status, detail, section_url from agency_results")}
        errors = dict(conn.execute("select agency_id || ' ' || kind, error from pages where error is not null"))
    for agency in ("slow-1", "slow-2", "slow-3"):
        status, detail, section = results[agency]
        assert status == "audited" and (section or "").endswith("/tiep-can-thong-tin"), (agency, detail)
    assert "timeout" in errors["heavy-section candidate"] and "page not read" in errors["heavy-section candidate"]
    assert results["heavy-section"][0] == "audited"  # its home page was read; the section page was not
    status, detail, _ = results["heavy-home"]
    assert status == "error" and "home page not read" in detail and "timeout" in detail
