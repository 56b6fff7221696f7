"""Serve many generated portals from one process: one loopback address per host name (127.1.x.y), one port.

Each host name of the portals (``stp.laocai.gov.test``, ``tctt.stp.laocai.gov.test``, a province portal
shared by several agencies…) gets its own address in 127.1.0.0/16 and an HTTP server holding its files in
memory. All servers share one port — 80 when it can be bound (then URLs carry no port, as on the web),
otherwise an ephemeral one, in which case absolute links between hosts are rewritten to carry it.
Crawl them with ``farms.gold.resolver.StaticResolver`` (see ``GoldServer.scrapy_settings``).
"""

from __future__ import annotations

import csv
import gzip
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from core.loopback import CONTENT_TYPES, HTML, LoopbackServer, QuietHandler, start, stop
from farms.gold.generator import Portal

_JSESSIONID = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
_HTML_SUFFIXES = ("", ".html", ".htm", ".aspx", ".php", ".jsp", ".asp")
NETWORK = "127.1."


class _GoldServer(LoopbackServer):
    allow_reuse_address = True
    request_queue_size = 64


class _MemoryHandler(QuietHandler):
    """Serves one host's files from memory (server state: ``files``)."""

    def _lookup(self) -> tuple[str, bytes] | None:
        raw = self.path.split("#", 1)[0]
        if raw.startswith(("http://", "https://")):
            raw = urlsplit(raw)._replace(scheme="", netloc="").geturl() or "/"
        path, _, query = raw.partition("?")
        path = unquote(_JSESSIONID.sub("", path), encoding="utf-8", errors="replace") or "/"
        files = self.server.files
        keys = []
        if query:
            keys += [f"{path}?{query}", f"{path}?{urlencode(sorted(parse_qsl(query, keep_blank_values=True)))}"]
        keys += [path, path.rstrip("/") or "/", path + "/"]
        for key in keys:
            body = files.get(key)
            if body is not None:
                return key, body
        return None

    def respond(self, *, send_body: bool) -> None:
        found = self._lookup()
        if found is None:
            self.not_found(send_body=send_body)
            return
        key, body = found
        suffix = Path(key.split("?", 1)[0]).suffix.lower()
        ctype = CONTENT_TYPES.get(suffix) or (HTML if suffix in _HTML_SUFFIXES else "application/octet-stream")
        if key.endswith("sitemap.xml"):
            ctype = "application/xml; charset=utf-8"
        self.reply(200, body, ctype, send_body=send_body)


@dataclass
class GoldServer:
    """The running servers: where each host lives, and the live URL of anything a portal names."""

    portals: list[Portal]
    port: int
    addresses: dict[str, str]
    servers: list[LoopbackServer] = field(default_factory=list)

    def live(self, url: str) -> str:
        """A portal URL (``http://host/path``) with the port the servers listen on."""
        if self.port == 80:
            return url
        parts = urlsplit(url)
        return parts._replace(netloc=f"{parts.hostname}:{self.port}").geturl()

    def registry_rows(self) -> list[dict[str, str]]:
        return [{**p.registry, "url": self.live(p.registry["url"]),
                 "section_url": self.live(p.registry["section_url"]) if p.registry.get("section_url") else ""}
                for p in self.portals]

    def write_registry(self, path: Path | str) -> Path:
        path = Path(path)
        rows = self.registry_rows()
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return path

    def scrapy_settings(self) -> dict[str, Any]:
        """Settings that make Scrapy resolve the portals' host names to their loopback addresses."""
        return {"TWISTED_DNS_RESOLVER": "farms.gold.resolver.StaticResolver", "TCTT_STATIC_HOSTS": dict(self.addresses)}


def address_of(index: int) -> str:
    """The loopback address of the ``index``-th host: 127.1.0.1, 127.1.0.2, … 127.1.0.250, 127.1.1.1, …"""
    return f"{NETWORK}{index // 250}.{index % 250 + 1}"


def _merge(portals: Iterable[Portal]) -> tuple[dict[str, dict[str, bytes]], dict[str, str]]:
    """Files per host (several agencies may share a host, e.g. a Liferay province portal)."""
    hosts: dict[str, dict[str, bytes]] = {}
    headers: dict[str, str] = {}
    for portal in portals:
        for key, body in portal.files.items():
            host, _, path = key.partition("/")
            hosts.setdefault(host, {}).setdefault("/" + path, body)
            headers.setdefault(host, portal.server)
    return hosts, headers


def _rewrite(hosts: dict[str, dict[str, bytes]], port: int) -> None:
    """Give absolute links between served hosts the shared port (a no-op on port 80)."""
    if port == 80:
        return
    names = "|".join(re.escape(h) for h in sorted(hosts, key=len, reverse=True))
    pattern = re.compile(rf"(https?://)({names})(?::80)?(?=[/\"'<\s?])".encode())
    replacement = rb"\1\2:" + str(port).encode()
    for files in hosts.values():
        for path, body in files.items():
            if path.endswith((".xml", "robots.txt")) or Path(path.split("?", 1)[0]).suffix.lower() in _HTML_SUFFIXES:
                files[path] = pattern.sub(replacement, body)
            elif path.endswith(".xml.gz"):  # a gzipped sitemap: rewritten inside
                files[path] = gzip.compress(pattern.sub(replacement, gzip.decompress(body)), mtime=0)


def _bind(hosts: list[str], port: int, files: dict[str, dict[str, bytes]],
          headers: dict[str, str]) -> list[LoopbackServer]:
    servers: list[LoopbackServer] = []
    try:
        for index, host in enumerate(hosts):
            servers.append(_GoldServer((address_of(index), port), _MemoryHandler, files=files[host],
                                       server_header=headers[host]))
            port = port or servers[0].server_address[1]
    except OSError:
        for server in servers:
            server.server_close()
        raise
    return servers


@contextmanager
def serve_portals(portals: list[Portal], *, port: int | None = None) -> Iterator[GoldServer]:
    """Serve ``portals`` until the block exits. ``port=None`` tries 80, then a shared ephemeral port."""
    files, headers = _merge(portals)
    hosts = sorted(files)
    if len(hosts) > 250 * 250:
        raise ValueError(f"too many hosts for 127.1.0.0/16: {len(hosts)}")
    servers: list[LoopbackServer] = []
    attempts = [port] if port is not None else [80] + [0] * 20
    last_error: OSError | None = None
    for attempt in attempts:
        try:
            servers = _bind(hosts, attempt, files, headers)
            break
        except OSError as exc:  # 80 needs root and a free port; an ephemeral port may be taken on one address
            last_error = exc
    if not servers:
        raise OSError(f"could not bind the gold servers on {NETWORK}x.y: {last_error}")
    chosen = servers[0].server_address[1]
    _rewrite(files, chosen)
    threads = [start(server, f"gold-{server.host}") for server in servers]
    try:
        yield GoldServer(portals=portals, port=chosen,
                         addresses={host: address_of(i) for i, host in enumerate(hosts)}, servers=servers)
    finally:
        stop(servers, threads)


def main() -> None:  # pragma: no cover - manual use: python -m farms.gold.server
    import argparse
    import json
    import sys

    from farms.gold import build, load_specs, random_spec

    parser = argparse.ArgumentParser(description="Serve the gold set (or a synthetic population) until interrupted.")
    parser.add_argument("--gold", default=None, help="folder of portal specs (default: the bundled gold set)")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N", help="serve N generated portals instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--registry", default="gold-registry.csv", help="write the live registry here")
    args = parser.parse_args()
    specs = [random_spec(args.seed, i) for i in range(args.synthetic)] if args.synthetic else load_specs(args.gold)
    portals = [build(spec) for spec in specs]
    with serve_portals(portals) as server:
        server.write_registry(args.registry)
        print(f"{len(portals)} portals on {len(server.addresses)} hosts, port {server.port}; registry {args.registry}")
        settings = server.scrapy_settings()
        print("scrapy crawl portal -a registry=" + args.registry + " -s TCTT_ALLOW_PRIVATE=1 "
              f"-s TWISTED_DNS_RESOLVER={settings['TWISTED_DNS_RESOLVER']} "
              f"-s 'TCTT_STATIC_HOSTS={json.dumps(settings['TCTT_STATIC_HOSTS'])}'", file=sys.stderr)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":  # pragma: no cover
    main()
