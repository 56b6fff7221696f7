"""Serve the hand-written unseen portals of tests/data/unseen on loopback, one address per portal.

A request's path maps to a file; a query string, when there is one, to the file named ``<path>@<query>``
(parameters compared in any order, ``/`` in a value written ``%2F``). ``{base}`` in a text file becomes the
portal's live address (sitemaps and robots.txt carry absolute URLs). A portal labelled ``wall`` answers its
home page to every address; paths under a ``slow`` prefix answer only after ``slow_delay`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import yaml

from core.loopback import LoopbackServer, QuietHandler, running

UNSEEN_DIR = Path(__file__).resolve().parent / "data" / "unseen"
FIRST_ADDRESS = 71  # portals listen on 127.0.0.71, .72, … in labels order


def _query_key(path: str, query: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return path, tuple(sorted(parse_qsl(query, keep_blank_values=True)))


def _content_type(body: bytes) -> str:
    """By the bytes: the files saved under a query (``index.php@…``) have no telling suffix."""
    if body.startswith(b"%PDF"):
        return "application/pdf"
    if body.startswith(b"\x89PNG"):
        return "image/png"
    if body.lstrip().startswith(b"<?xml"):
        return "application/xml; charset=utf-8"
    if body.startswith(b"User-agent"):
        return "text/plain; charset=utf-8"
    return "text/html; charset=utf-8"


def _portal(address: tuple[str, int], root: Path, label: dict[str, Any], slow_delay: float) -> LoopbackServer:
    queries = {}
    for file in root.rglob("*@*"):
        path, _, query = file.relative_to(root).as_posix().partition("@")
        queries[_query_key("/" + path, unquote(query))] = file
    return LoopbackServer(address, _Handler, root=root, wall=bool(label.get("wall")),
                          slow=tuple(label.get("slow") or ()), slow_delay=slow_delay, queries=queries)


class _Handler(QuietHandler):
    def _file(self) -> Path | None:
        server: Any = self.server
        path, _, query = self.path.partition("#")[0].partition("?")
        path = unquote(path)
        if server.wall:
            return server.root / "index.html"
        if query:
            return server.queries.get(_query_key(path, query))
        target = (server.root / path.lstrip("/")).resolve()
        if server.root.resolve() not in (target, *target.parents):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() and "@" not in target.name else None

    def respond(self, *, send_body: bool) -> None:
        server: Any = self.server
        if self.path.split("?", 1)[0].startswith(server.slow):
            time.sleep(server.slow_delay)
        file = self._file()
        if file is None:
            self.not_found(send_body=send_body)
            return
        body = file.read_bytes()
        ctype = _content_type(body)
        if ctype.startswith(("application/xml", "text/")):
            body = body.replace(b"{base}", f"http://{server.host}:{server.port}".encode())
        with suppress(OSError):  # the crawler hangs up on a page it has given up on (the slow ones)
            self.reply(200, body, ctype, send_body=send_body)


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
    servers = [_portal((f"127.0.0.{FIRST_ADDRESS + n}", 0), root / "portals" / pid, label, slow_delay)
               for n, (pid, label) in enumerate(labels.items())]
    with running(servers, "unseen"):
        yield UnseenPortals(labels, {pid: s.url.rstrip("/") for pid, s in zip(labels, servers, strict=True)})
