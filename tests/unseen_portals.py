"""Serve the hand-written unseen portals of tests/data/unseen on loopback, one address per portal.

A request's path maps to a file; a query string, when there is one, to the file named ``<path>@<query>``
(parameters compared in any order, ``/`` in a value written ``%2F``). ``{base}`` in a text file becomes the
portal's live address (sitemaps and robots.txt carry absolute URLs). A portal labelled ``wall`` answers its
home page to every address; paths under a ``slow`` prefix answer only after ``slow_delay`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import yaml

UNSEEN_DIR = Path(__file__).resolve().parent / "data" / "unseen"
FIRST_ADDRESS = 71  # portals listen on 127.0.0.71, .72, … in labels order


def _query_key(path: str, query: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return path, tuple(sorted(parse_qsl(query, keep_blank_values=True)))


def _content_type(body: bytes) -> str:
    if body.startswith(b"%PDF"):
        return "application/pdf"
    if body.startswith(b"\x89PNG"):
        return "image/png"
    if body.lstrip().startswith(b"<?xml"):
        return "application/xml; charset=utf-8"
    if body.startswith(b"User-agent"):
        return "text/plain; charset=utf-8"
    return "text/html; charset=utf-8"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, label: dict[str, Any], slow_delay: float):
        self.root = root
        self.wall = bool(label.get("wall"))
        self.slow = tuple(label.get("slow") or ())
        self.slow_delay = slow_delay
        self.queries = {}
        for file in root.rglob("*@*"):
            path, _, query = file.relative_to(root).as_posix().partition("@")
            self.queries[_query_key("/" + path, unquote(query))] = file
        super().__init__(address, _Handler)

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _file(self) -> Path | None:
        path, _, query = self.path.partition("#")[0].partition("?")
        path = unquote(path)
        if self.server.wall:
            return self.server.root / "index.html"
        if query:
            return self.server.queries.get(_query_key(path, query))
        target = (self.server.root / path.lstrip("/")).resolve()
        if self.server.root.resolve() not in (target, *target.parents):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() and "@" not in target.name else None

    def _respond(self, *, send_body: bool) -> None:
        path = self.path.split("?", 1)[0]
        if any(path.startswith(prefix) for prefix in self.server.slow):
            time.sleep(self.server.slow_delay)
        file = self._file()
        if file is None:
            status, body = 404, "<html><body><h1>404 - Không tìm thấy trang</h1></body></html>".encode()
        else:
            status, body = 200, file.read_bytes()
        ctype = _content_type(body)
        if ctype.startswith(("application/xml", "text/")):
            body = body.replace(b"{base}", self.server.base.encode())
        with suppress(OSError):  # the crawler hangs up on a page it has given up on (the slow ones)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)


@dataclass
class UnseenPortals:
    labels: dict[str, dict[str, Any]]
    urls: dict[str, str]

    def registry_rows(self) -> list[dict[str, str]]:
        return [{"id": pid, "name": f"Cơ quan {pid}", "level": "department", "parent": "", "province": "Mẫu Sơn",
                 "url": url + "/", "email": f"{pid}@mauson.gov.vn", "section_url": ""}
                for pid, url in self.urls.items()]

    def url(self, portal: str, path: str) -> str:
        return self.urls[portal] + quote(path, safe="/?=&.-_%")


@contextmanager
def serve_unseen(root: Path = UNSEEN_DIR, *, slow_delay: float = 8.0) -> Iterator[UnseenPortals]:
    labels = yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8"))["portals"]
    servers: list[_Server] = []
    threads: list[threading.Thread] = []
    try:
        for n, (pid, label) in enumerate(labels.items()):
            server = _Server((f"127.0.0.{FIRST_ADDRESS + n}", 0), root / "portals" / pid, label, slow_delay)
            servers.append(server)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            thread.start()
            threads.append(thread)
        yield UnseenPortals(labels, {pid: s.base for pid, s in zip(labels, servers, strict=True)})
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join(timeout=2)
