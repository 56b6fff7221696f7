"""One core for every loopback HTTP server of the project: the sample province the demo ships, the gold
set, the hostile province and the test farms.

A server is a threaded ``http.server`` bound to a loopback address (port 0 picks an ephemeral port), with a
quiet handler whose ``respond()`` each server writes, an optional TLS context (the handshake happens in the
handler's thread, so a client that never completes it blocks nobody), the common content types and 404
page, and ``running()`` to start a group of servers and always stop them.

    class Hello(QuietHandler):
        def respond(self, *, send_body: bool) -> None:
            self.reply(200, b"<p>Xin chao</p>", send_body=send_body)

    with running([LoopbackServer(("127.0.0.5", 0), Hello)]) as (server,):
        ...  # fetch http://127.0.0.5:{server.port}/
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from typing import Any, TypeVar

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".aspx": "text/html; charset=utf-8",
    ".php": "text/html; charset=utf-8",
    ".jsp": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".rar": "application/vnd.rar",
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
}
HTML = "text/html; charset=utf-8"
NOT_FOUND_PAGE = (
    '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>404 - Không tìm thấy trang</title>'
    "</head><body><h1>404 - Không tìm thấy trang</h1><p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa."
    '</p><p><a href="/">Về trang chủ</a></p></body></html>\n'
).encode()


def content_type(path: str, default: str = "application/octet-stream") -> str:
    """The Content-Type a portal sends for ``path`` (by its suffix; the query is ignored)."""
    return CONTENT_TYPES.get(PurePosixPath(path.split("?", 1)[0]).suffix.lower(), default)


def free_port(host: str) -> int:
    """A port on ``host`` with nothing listening (bound, then released): a dead portal's address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class LoopbackServer(ThreadingHTTPServer):
    """A threaded HTTP(S) server on one loopback address. Extra keyword arguments become attributes that
    the handler reads as ``self.server.<name>`` (the portal's files, its fault, its delay…)."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = False
    server_header = "Apache/2.4.41 (Ubuntu)"
    started = False  # shutdown() waits for serve_forever, so only a started server may be shut down

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *,
                 tls: ssl.SSLContext | None = None, **state: Any):
        self.tls = tls
        for name, value in state.items():
            setattr(self, name, value)
        super().__init__(address, handler)

    @property
    def host(self) -> str:
        return str(self.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}/"

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        if self.tls is not None:
            # The handshake happens on first read, in the handler thread, not in the accept loop.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hang up on purpose (size limits, faults): keep stderr quiet."""


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1, no request log, the server's own Server header; GET and HEAD call ``respond()``."""

    server: LoopbackServer
    protocol_version = "HTTP/1.1"
    sys_version = ""

    def version_string(self) -> str:
        return self.server.server_header

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log line on stderr."""

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, *, send_body: bool) -> None:
        self.not_found(send_body=send_body)

    def reply(self, status: int, body: bytes | str, ctype: str = HTML, *, send_body: bool = True,
              headers: dict[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        """Send a whole response with its Content-Length; a client gone meanwhile is not an error."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers.items() if isinstance(headers, dict) else headers):
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            with suppress(OSError):
                self.wfile.write(data)

    def not_found(self, *, send_body: bool = True) -> None:
        self.reply(404, NOT_FOUND_PAGE, send_body=send_body)


S = TypeVar("S", bound=LoopbackServer)


def start(server: S, name: str = "loopback") -> threading.Thread:
    """Serve ``server`` in a daemon thread."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True)
    server.started = True
    thread.start()
    return thread


def stop(servers: Iterable[LoopbackServer], threads: Iterable[threading.Thread] = ()) -> None:
    """Stop and close servers (started or not), then wait briefly for their threads."""
    servers = list(servers)
    for server in servers:
        if server.started:
            server.shutdown()
    for server in servers:
        with suppress(OSError):
            server.server_close()
    for thread in threads:
        thread.join(timeout=2)


@contextmanager
def running(servers: Sequence[S], name: str = "loopback") -> Iterator[Sequence[S]]:
    """Serve every server of ``servers`` until the block exits; they are always stopped."""
    threads: list[threading.Thread] = []
    try:
        for server in servers:
            threads.append(start(server, f"{name}-{server.host}"))
        yield servers
    finally:
        stop(servers, threads)
