"""``tctt serve``: the self-check as a small local web page. An editor pastes her portal's address and sees
its scorecard: what fails, how to fix it, the legal basis, the evidence.

Bound to 127.0.0.1 by default. Each check runs ``tctt check URL --format json`` in a child process (a crawl
needs a fresh Twisted reactor), one at a time. The page runs no script; requests sent from another site
(``Sec-Fetch-Site: cross-site``) are refused, so a web page the editor visits cannot start crawls.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from reports.html import is_http_url
from reports.i18n import agency_status_label, class_label, finding_status_label
from tctt.selfcheck import LABELS, CheckInputError, check_url

TEMPLATES = Path(__file__).resolve().parents[1] / "reports" / "templates"
CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
PAGE = {
    "vi": {"title": "Tự kiểm tra Chuyên mục tiếp cận thông tin", "address": "Địa chỉ cổng thông tin",
           "hint": "Dán địa chỉ trang chủ cổng của cơ quan, ví dụ https://sotuphap.example.gov.vn/",
           "submit": "Kiểm tra", "busy": "Đang có một lượt kiểm tra khác, vui lòng thử lại sau ít phút.",
           "bad": "Địa chỉ không hợp lệ", "failed": "Không kiểm tra được", "took": "Kiểm tra mất khoảng một phút.",
           "exit": "Mã kết quả (như lệnh tctt check)", "again": "Kiểm tra lại"},
    "en": {"title": "Self-check of the access-to-information section", "address": "Portal address",
           "hint": "Paste the address of the agency portal's home page, e.g. https://sotuphap.example.gov.vn/",
           "submit": "Check", "busy": "Another check is running; please try again in a few minutes.",
           "bad": "Invalid address", "failed": "The check failed", "took": "A check takes about a minute.",
           "exit": "Result code (as tctt check)", "again": "Check again"},
}


class CheckServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, allow_private: bool, lang: str, timeout: float,
                 python: str = sys.executable):
        super().__init__(address, _Handler)
        self.allow_private = allow_private
        self.lang = lang
        self.check_timeout = timeout
        self.python = python
        self.busy = threading.Lock()
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True)
        env.globals.update(is_http_url=is_http_url, P=PAGE[lang], L=LABELS[lang], lang=lang)
        env.filters.update(finding_status=lambda s: finding_status_label(s, lang),
                           rule_class=lambda s: class_label(s, lang),
                           agency_status=lambda s: agency_status_label(s, lang))
        self.template = env.get_template("selfcheck.html.j2")

    def run_check(self, url: str) -> dict[str, Any]:
        command = [self.python, "-m", "tctt.cli", "check", url, "--format", "json", "--lang", self.lang]
        if self.allow_private:
            command.append("--allow-private")
        result = subprocess.run(command, capture_output=True, text=True, timeout=self.check_timeout)
        try:
            return json.loads(result.stdout)
        except ValueError:
            lines = [line for line in result.stderr.splitlines() if line.strip()]
            return {"error": "\n".join(lines[-5:]) or f"exit {result.returncode}", "exit_code": result.returncode}


class _Handler(BaseHTTPRequestHandler):
    server: CheckServer
    server_version = "tctt-serve"

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def do_GET(self) -> None:  # noqa: N802 - http.server's API
        parts = urlsplit(self.path)
        if parts.path == "/":
            self._page(200, url="", result=None, problem=None)
        elif parts.path == "/check":
            if self.headers.get("Sec-Fetch-Site", "") == "cross-site":
                self._page(403, url="", result=None, problem="cross-site request refused")
                return
            url = (parse_qs(parts.query).get("url") or [""])[0]
            self._check(url)
        else:
            self.send_error(404)

    def _check(self, url: str) -> None:
        try:
            url = check_url(url)
        except CheckInputError as exc:
            self._page(400, url=url, result=None, problem=f"{self.server.template.globals['P']['bad']}: {exc}")
            return
        if not self.server.busy.acquire(blocking=False):
            self._page(503, url=url, result=None, problem=PAGE[self.server.lang]["busy"])
            return
        try:
            result = self.server.run_check(url)
        except subprocess.TimeoutExpired:
            result = {"error": "timeout", "exit_code": 9}
        finally:
            self.server.busy.release()
        if "error" in result:
            self._page(502, url=url, result=None, problem=f"{PAGE[self.server.lang]['failed']}: {result['error']}")
            return
        self._page(200, url=url, result=result, problem=None)

    def _page(self, status: int, *, url: str, result: dict[str, Any] | None, problem: str | None) -> None:
        gaps = sorted([f for f in (result or {}).get("findings", []) if f["status"] in ("fail", "partial")],
                      key=lambda f: ({"essential": 0, "mandatory": 1}.get(f["class"], 2), f["rule"]))
        body = self.server.template.render(url=url, result=result, problem=problem, gaps=gaps,
                                           manual=[f for f in (result or {}).get("findings", [])
                                                   if f["status"] in ("manual", "transition")]).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)


def serve(host: str, port: int, *, allow_private: bool, lang: str, timeout: float = 600,
          ready: Any = None) -> None:
    server = CheckServer((host, port), allow_private=allow_private, lang=lang, timeout=timeout)
    address = f"http://{host}:{server.server_address[1]}/"
    print(f"Trang tự kiểm tra / self-check page: {address}", flush=True)
    if ready is not None:
        ready(server)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
