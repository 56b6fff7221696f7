"""The hostile sample province: portals that misbehave the way real ones do, served on 127.0.0.60–92 (84–88 and 90 belong to other tests).

Each agency (ids prefixed ``h-``) exercises one fault; ``EXPECTED`` says what the audit must conclude
(status and a piece of the detail). The crawler must finish the whole province, say why each agency
could not be audited, keep every page it stores free of live script in the report, and stay within
bounded memory.

    with serve_hostile_province(tmp) as province:
        province.write_registry(tmp / "registry.csv")   # then: tctt audit --allow-private ...

TLS portals use certificates generated at start-up with ``cryptography`` (a throw-away CA, an expired
leaf signed by it, and a self-signed leaf); ``province.cafile`` is the CA to trust for the TLS check.
"""

from __future__ import annotations

import csv
import functools
import gzip
import html
import io
import socket
import ssl
import struct
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from core.loopback import LoopbackServer, QuietHandler, start, stop
from farms import certificates

# id → (address, fault, expected status, a fragment the status detail or finding must contain)
PORTALS: dict[str, tuple[str, str]] = {
    "h-tls-expired": ("127.0.0.60", "tls-expired"),
    "h-tls-self-signed": ("127.0.0.61", "tls-self-signed"),
    "h-firewall-403": ("127.0.0.62", "firewall"),
    "h-captcha": ("127.0.0.63", "captcha"),
    "h-redirect-loop": ("127.0.0.64", "redirect-loop"),
    "h-metadata-redirect": ("127.0.0.65", "metadata-redirect"),
    "h-calendar": ("127.0.0.66", "calendar"),
    "h-slow": ("127.0.0.67", "slow"),
    "h-gzip-bomb": ("127.0.0.68", "gzip-bomb"),
    "h-script": ("127.0.0.69", "script"),
    "h-windows-1258": ("127.0.0.70", "cp1258"),
    "h-tcvn3": ("127.0.0.71", "tcvn3"),
    "h-reset": ("127.0.0.72", "reset"),
    "h-robots": ("127.0.0.73", "robots"),
    "h-server-error": ("127.0.0.74", "server-error"),
    "h-content-lies": ("127.0.0.76", "content-lies"),
    "h-huge": ("127.0.0.77", "huge"),
    "h-sitemap-file": ("127.0.0.78", "sitemap-file"),
    "h-redirect-file": ("127.0.0.79", "redirect-file"),
    "h-heavy-headings": ("127.0.0.80", "heavy-headings"),
    "h-heavy-menus": ("127.0.0.81", "heavy-menus"),
    "h-heavy-list": ("127.0.0.82", "heavy-list"),
    "h-utf16": ("127.0.0.83", "utf16"),
    "h-captcha-home-made": ("127.0.0.89", "captcha-home-made"),
    "h-js-challenge": ("127.0.0.91", "js-challenge"),
    "h-recaptcha-feedback": ("127.0.0.92", "recaptcha-feedback"),
}

EXPECTED: dict[str, tuple[str, str]] = {
    "h-tls-expired": ("audited", "certificate has expired"),
    "h-tls-self-signed": ("audited", "self-signed certificate"),
    "h-firewall-403": ("blocked", "HTTP 403"),
    "h-captcha": ("blocked", "captcha"),
    "h-redirect-loop": ("error", "redirect loop"),
    "h-metadata-redirect": ("error", "link-local or metadata address"),
    "h-calendar": ("audited", ""),
    "h-slow": ("unreachable", "timed out"),
    "h-gzip-bomb": ("error", "compression bomb"),
    "h-script": ("audited", ""),
    "h-windows-1258": ("audited", ""),
    "h-tcvn3": ("audited", ""),
    "h-reset": ("unreachable", "connection"),
    "h-robots": ("robots_disallowed", "robots.txt"),
    "h-server-error": ("error", "HTTP 500"),
    "h-content-lies": ("audited", ""),
    "h-huge": ("error", "larger than the download limit"),
    "h-sitemap-file": ("audited", ""),
    "h-redirect-file": ("error", "non-http(s)"),
    "h-heavy-headings": ("audited", ""),
    "h-heavy-menus": ("audited", ""),
    "h-heavy-list": ("audited", ""),
    "h-utf16": ("audited", ""),
    "h-captcha-home-made": ("blocked", "captcha"),
    "h-js-challenge": ("blocked", "challenge"),
    "h-recaptcha-feedback": ("audited", ""),
}
# Marks the local file a sitemap's file:// entry points at: it must never be read into the evidence.
LOCAL_SECRET = "TCTT-LOCAL-SECRET-4711"

SLOW_SECONDS = 30
BOMB_BYTES = 256 * 1024 * 1024  # decompressed size of the gzip bomb (about 250 KB on the wire)
# If any of this ran in a report, it would mark the report's <html> element (checked in a headless browser).
PWN = "document.documentElement.setAttribute('data-pwned', '1')"
SCRIPT_TITLE = f"<script>{PWN}</script> Cổng <img src=x onerror=\"{PWN}\">"
FORMULA_NAME = "=HYPERLINK(\"http://example.invalid\",\"Sở Thử nghiệm\")"


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}</body></html>")


SECTION_BODY = (
    "<h2>Đầu mối cung cấp thông tin</h2><p>Văn phòng Sở, điện thoại 0203 3871 234, "
    "email tctt@hostile.example.gov.vn</p><h2>Danh mục thông tin phải được công khai</h2>"
    "<p>Cập nhật thường xuyên.</p>"
)
HOME_BODY = '<nav><a href="/tiep-can-thong-tin">Tiếp cận thông tin</a></nav><p>Tin tức, sự kiện.</p>'


def _calendar_links(year: int, month: int) -> str:
    prev_y, prev_m = (year - 1, 12) if month == 1 else (year, month - 1)
    next_y, next_m = (year + 1, 1) if month == 12 else (year, month + 1)
    return (f'<a href="/lich?year={prev_y}&month={prev_m}">Danh mục thông tin phải công khai tháng trước</a> '
            f'<a href="/lich?year={next_y}&month={next_m}">Danh mục thông tin phải công khai tháng sau</a> '
            f'<a href="/lich?year=1900&month=1">Danh mục thông tin phải công khai năm 1900</a> '
            '<a href="/tiep-can-thong-tin;jsessionid=0A1B2C3D4E">Tiếp cận thông tin</a> '
            '<a href="/tiep-can-thong-tin?utm_source=zalo&utm_medium=share">Tiếp cận thông tin</a> '
            '<a href="/tiep-can-thong-tin#top">Tiếp cận thông tin</a> '
            + "".join(f'<a href="/tim-kiem?q=danh+muc&page={n}&sort=asc&a=1&b=2&c=3&d=4&e=5&f=6">'
                      f"Danh mục thông tin công khai trang {n}</a> " for n in range(3)))


# The heaviest page shapes for an HTML reader (see bench/parse_bench.py): the section page carries one each.
HEAVY_SHAPES = {
    "heavy-headings": lambda: "<div>" + "<h2></h2>" * 8000 + "".join(f'<a href="/p{i}">Tin {i}</a>' for i in range(1500)) + "</div>",
    "heavy-menus": lambda: "".join(f'<div class="menu"><a href="/m{i}">Mục {i}</a> chữ</div>' for i in range(8000)),
    "heavy-list": lambda: "<ul>" + "".join(f'<li><a href="/van-ban/{i}">Văn bản số {i}/QĐ-UBND</a></li>'
                                           for i in range(50_000)) + "</ul>",  # 3.4 MB: 38 s for the old reader
}


@functools.cache
def _heavy_page(fault: str) -> bytes:
    """Built once: the test's download timeout is short, and building 50,000 items takes a while."""
    return _page("Tiếp cận thông tin", SECTION_BODY + HEAVY_SHAPES[fault]()).encode("utf-8")


class _Server(LoopbackServer):
    """One hostile portal (server state: ``fault``, ``bomb``; ``secret`` is set once the province runs)."""

    # The stock http.server banner, as these portals always sent it.
    server_header = f"{BaseHTTPRequestHandler.server_version} {BaseHTTPRequestHandler.sys_version}"
    secret = ""

    def get_request(self) -> tuple[socket.socket, Any]:
        if self.fault == "reset":
            sock, _ = ThreadingHTTPServer.get_request(self)
            # Answer every connection with a TCP reset: SO_LINGER 0 then close.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            raise OSError("reset on purpose")
        return super().get_request()


class _Handler(QuietHandler):
    server: _Server

    def _send(self, status: int, body: bytes | str, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.reply(status, body, ctype, headers=headers or {})

    def do_HEAD(self) -> None:
        # These portals never answered HEAD (the stock handler's 501).
        self.send_error(501, f"Unsupported method ({self.command!r})")

    def respond(self, *, send_body: bool) -> None:
        self._get()

    def _get(self) -> None:  # noqa: C901 - one branch per fault, read top to bottom
        fault = self.server.fault
        parts = urlsplit(self.path)
        path = parts.path
        if path == "/robots.txt":
            rules = "User-agent: *\nDisallow: /\n" if fault == "robots" else "User-agent: *\nDisallow:\n"
            return self._send(200, rules, "text/plain")
        if fault == "firewall":
            return self._send(403, "<html><head><title>Request Rejected</title></head><body>The requested URL was "
                                   "rejected. Please consult with your administrator.<br>Your support ID is: "
                                   "1234567890</body></html>")
        if fault == "captcha":
            return self._send(200, '<html><head><title>Xác minh</title><script src="https://www.google.com/recaptcha/'
                                   'api.js"></script></head><body><form><div class="g-recaptcha" data-sitekey="x">'
                                   "</div>Vui lòng xác minh bạn không phải là robot.</form></body></html>")
        if fault == "captcha-home-made" and path != "/Captcha.ashx":
            # A portal's own "prove you are not a robot" page: a picture of a code, a box, a button, no vendor.
            return self._send(200, '<html><head><meta charset="utf-8"><title>Kiểm tra truy cập</title></head><body>'
                                   '<div class="box"><h3>Vui lòng nhập mã xác nhận để tiếp tục</h3><form method="post" '
                                   'action="/XacThuc.aspx"><img src="/Captcha.ashx?v=8812" width="120" height="40">'
                                   '<input type="text" name="txtMaXacNhan" maxlength="6"><input type="submit" '
                                   'value="Đồng ý"></form><p>Bạn không phải là người máy?</p></div></body></html>')
        if fault == "js-challenge":
            # A home-made script wall: set a cookie, reload; a browser passes, a crawler never does.
            return self._send(200, '<html><head><script>var k="a81f0c";document.cookie="_vt="+k+"; path=/";'
                                   'window.location.reload();</script></head><body><noscript>Vui lòng bật JavaScript.'
                                   '</noscript></body></html>')
        if fault == "recaptcha-feedback" and path == "/":
            # A real home page whose feedback form carries reCAPTCHA: audited, not blocked.
            news = "".join(f'<li><a href="/tin-tuc/{i}">Tin hoạt động số {i} của Sở trong tháng</a></li>' for i in range(12))
            return self._send(200, _page("Cổng thông tin điện tử Sở Thử nghiệm", HOME_BODY + f"<ul>{news}</ul>"
                                         '<form action="/gop-y"><input name="hoten"><textarea name="noidung"></textarea>'
                                         '<div class="g-recaptcha" data-sitekey="6Lc_x"></div><button>Gửi góp ý'
                                         '</button></form><script src="https://www.google.com/recaptcha/api.js">'
                                         "</script>"))
        if fault == "redirect-loop":
            return self._send(302, "", headers={"Location": "/b" if path != "/b" else "/a"})
        if fault == "metadata-redirect":
            return self._send(302, "", headers={"Location": "http://169.254.169.254/latest/meta-data/iam/"})
        if fault == "slow":
            time.sleep(SLOW_SECONDS)
            return self._send(200, _page("Chậm", HOME_BODY))
        if fault == "gzip-bomb":
            return self._send(200, self.server.bomb, headers={"Content-Encoding": "gzip"})
        if fault == "huge":
            # 80 MB announced and streamed: more than DOWNLOAD_MAXSIZE; the crawler must hang up early.
            size = 80 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_533
            with suppress(OSError):
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            return None
        if fault == "content-lies":
            if path.startswith("/tiep-can-thong-tin"):  # a PDF (binary) labelled as HTML
                return self._send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" + bytes(range(256)) * 40)
            if path.endswith(".pdf"):  # an HTML page labelled as a PDF
                return self._send(200, _page("Mẫu số 01a", "<p>Phiếu yêu cầu</p>"), "application/pdf")
            if path == "/":
                return self._send(200, _page("Cổng", HOME_BODY + '<a href="/mau-so-01a.pdf">Mẫu số 01a</a>'),
                                  "application/octet-stream")
        if fault == "sitemap-file":
            if path == "/sitemap.xml":  # local files and FTP first, the section after 6,000 ordinary entries
                host = self.server.server_address[0]
                hostile = [f"file://{host}{self.server.secret}?tiep-can-thong-tin",
                           f"file://{host}/etc/passwd?tiep-can-thong-tin-cong-khai",
                           f"ftp://{host}:2121/tiep-can-thong-tin", "gopher://127.0.0.1:70/tiep-can-thong-tin"]
                filler = [f"http://{host}:{self.server.server_address[1]}/tin-tuc/{n}" for n in range(6000)]
                locs = hostile + filler + [f"http://{host}:{self.server.server_address[1]}/tiep-can-thong-tin"]
                return self._send(200, '<?xml version="1.0"?><urlset>' + "".join(f"<url><loc>{html.escape(u)}</loc></url>"
                                                                           for u in locs) + "</urlset>", "application/xml")
            if path == "/":
                return self._send(200, _page("Cổng thông tin", "<p>Tin tức, sự kiện.</p>"))
        if fault == "redirect-file":
            return self._send(302, "", headers={"Location": "file:///etc/passwd"})
        if fault.startswith("heavy-") and path.startswith("/tiep-can-thong-tin"):
            return self._send(200, _heavy_page(fault))
        if fault == "utf16":
            page = (_page("Tiếp cận thông tin", SECTION_BODY) if path.startswith("/tiep-can-thong-tin")
                    else _page("Cổng thông tin UTF-16", HOME_BODY)).replace('<meta charset="utf-8">', "")
            return self._send(200, b"\xff\xfe" + page.encode("utf-16-le"), "text/html")
        if fault == "server-error":
            return self._send(500, "<h1>500 Internal Server Error</h1>")
        if fault == "cp1258":
            page = (_page("Tiếp cận thông tin", SECTION_BODY) if path.startswith("/tiep-can-thong-tin")
                    else _page("Cổng thông tin Sở Thử nghiệm", HOME_BODY))
            body = page.replace('<meta charset="utf-8">', "")
            return self._send(200, to_cp1258(body), "text/html; charset=windows-1258")
        if fault == "tcvn3":
            # "Tiếp cận thông tin" in TCVN3 (ABC) bytes, the way pre-Unicode portals still serve it.
            body = ('<html><head><title>Cæng th«ng tin</title></head><body style="font-family:.VnTime">'
                    '<a href="/tiep-can-thong-tin">TiÕp cËn th«ng tin</a></body></html>')
            return self._send(200, body.encode("latin-1"), "text/html")
        if fault == "calendar" and path == "/lich":
            query = parse_qs(parts.query)
            year, month = int(query.get("year", ["2026"])[0]), int(query.get("month", ["1"])[0])
            return self._send(200, _page(f"Danh mục thông tin phải công khai tháng {month}/{year}",
                                         _calendar_links(year, month)))
        if fault == "calendar" and path.startswith("/tim-kiem"):
            return self._send(200, _page("Tìm kiếm", _calendar_links(2026, 6)))
        if fault == "script":
            if path.startswith("/tiep-can-thong-tin"):
                # Markup shown as text (an injected or badly escaped CMS field) reaches the evidence excerpts.
                shown = html.escape(f"<script>{PWN}</script><img src=x onerror=\"{PWN}\">")
                body = SECTION_BODY.replace("Văn phòng Sở,", f"Văn phòng Sở {shown},")
                return self._send(200, _page(SCRIPT_TITLE, body + f'<a href="javascript:{PWN}">Mẫu số 01a</a>'
                                             f'<p onmouseover="{PWN}">=1+2 hướng dẫn</p>'))
            return self._send(200, _page(SCRIPT_TITLE, HOME_BODY.replace("Tiếp cận thông tin",
                                                                        f"Tiếp cận thông tin<script>{PWN}</script>")))
        if path.startswith("/tiep-can-thong-tin"):
            extra = _calendar_links(2026, 6) if fault == "calendar" else ""
            return self._send(200, _page("Tiếp cận thông tin", SECTION_BODY + extra))
        if path == "/":
            return self._send(200, _page("Cổng thông tin điện tử Sở Thử nghiệm", HOME_BODY))
        return self._send(404, _page("404", "Không tìm thấy"))


_SHAPE_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn: precomposed in cp1258 (â ă ơ …)


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese in windows-1258: letters with their shape precomposed, tones as combining marks."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", decomposed[0] + "".join(m for m in decomposed[1:] if m in _SHAPE_MARKS))
        tones = "".join(m for m in decomposed[1:] if m not in _SHAPE_MARKS)
        out += (base + tones).encode("cp1258", errors="replace")
    return bytes(out)


def _bomb() -> bytes:
    out = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as fh:
        for _ in range(BOMB_BYTES // len(chunk)):
            fh.write(chunk)
    return out.getvalue()


def make_certificates(folder: Path) -> certificates.Certificates:
    """The CA and the expired and self-signed leaves of the two TLS portals."""
    return certificates.make_certificates(folder, PORTALS["h-tls-expired"][0], PORTALS["h-tls-self-signed"][0])


@dataclass
class HostileProvince:
    registry_rows: list[dict[str, str]]
    urls: dict[str, str]
    cafile: Path
    servers: list[_Server] = field(default_factory=list)

    def write_registry(self, path: Path | str) -> Path:
        path = Path(path)
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(self.registry_rows[0]))
            writer.writeheader()
            writer.writerows(self.registry_rows)
        return path


@contextmanager
def serve_hostile_province(folder: Path | str) -> Iterator[HostileProvince]:
    """Start one server per hostile portal; yield the province; shut everything down on exit."""
    folder = Path(folder)
    certs = make_certificates(folder / "certs")
    bomb = _bomb()
    servers: list[_Server] = []
    threads: list[threading.Thread] = []
    urls: dict[str, str] = {}
    try:
        for agency_id, (host, fault) in PORTALS.items():
            context = None
            if fault in ("tls-expired", "tls-self-signed"):
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                cert, key = certs.expired if fault == "tls-expired" else certs.self_signed
                context.load_cert_chain(cert, key)
            server = _Server((host, 0), _Handler, tls=context, fault=fault, bomb=bomb)
            servers.append(server)
            threads.append(start(server, f"hostile-{agency_id}"))
            scheme = "https" if context else "http"
            urls[agency_id] = f"{scheme}://{host}:{server.server_address[1]}/"
        rows = [{"id": aid, "name": FORMULA_NAME if aid == "h-script" else f"Cổng thử nghiệm {aid}",
                 "level": "department", "parent": "", "province": "Tỉnh Thử nghiệm", "url": url, "email": ""}
                for aid, url in urls.items()]
        secret = folder / "local-secret.txt"  # a file of the auditor's machine that a sitemap points at
        secret.write_text(LOCAL_SECRET, encoding="utf-8")
        for server in servers:
            server.secret = str(secret.resolve())
        yield HostileProvince(rows, urls, certs.cafile, servers)
    finally:
        stop(servers, threads)


def main() -> None:  # pragma: no cover - manual use: python -m farms.hostile DIR
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Serve the hostile sample province until interrupted.")
    parser.add_argument("folder", nargs="?", default=None, help="where to write certificates and registry.csv")
    args = parser.parse_args()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="tctt-hostile-"))
    with serve_hostile_province(folder) as province:
        registry = province.write_registry(folder / "registry.csv")
        print(f"registry: {registry}\nCA: {province.cafile}")
        for aid, url in province.urls.items():
            print(f"{aid:22} {url}")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":  # pragma: no cover
    main()
