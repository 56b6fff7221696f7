"""Serve the bundled sample province (Tỉnh Mẫu Sơn) over HTTP on loopback addresses.

Each agency portal of ``tctt/sample/portals/<id>/`` gets its own ``127.0.0.N`` address (from
``tctt/sample/portals.yaml``) and an ephemeral port. Portals marked ``slow`` delay every response;
``dead`` portals get an address and port where nothing listens.

    with serve_sample_province() as province:
        province.write_registry(tmp / "registry.csv")
        ...  # crawl province.urls, compare with province.expected

Binding to any 127.x.y.z address works on Linux without configuration.
"""

from __future__ import annotations

import csv
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from core.loopback import (
    CONTENT_TYPES,
    NOT_FOUND_PAGE,
    LoopbackServer,
    QuietHandler,
    content_type,
    free_port,
    start,
    stop,
)

__all__ = ["CONTENT_TYPES", "NOT_FOUND_PAGE", "SAMPLE_DIR", "SampleProvince", "serve_sample_province", "zip_bomb"]

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"

SERVER_HEADERS = {
    "sharepoint": "Microsoft-IIS/10.0",
    "dotnet-cms": "Microsoft-IIS/8.5",
    "date-path-cms": "Microsoft-IIS/8.5",
    "oracle-portal": "Oracle-Application-Server-10g",
    "liferay": "Apache-Coyote/1.1",
}
_PLACEHOLDER = re.compile(r"\{host:([a-z0-9-]+)\}")
_JSESSIONID = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


def zip_bomb(unpacked: int = 1 << 30) -> bytes:
    """A ~1 MB zip whose one member inflates to ``unpacked`` bytes of zeros (a decompression bomb).

    Built without inflating anything: one deflated MiB of zeros, ended by a full flush so it stands
    alone, is repeated; the CRC is computed over the same MiB repeated."""
    import struct
    import zlib

    mib = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = unpacked // len(mib)
    data = chunk * count + b"\x03\x00"  # an empty final block
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(mib, crc)
    name = b"du-lieu-luu-tru.xml"
    size = count * len(mib)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x5821, crc, len(data), size, len(name), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x5821, crc, len(data), size,
                          len(name), 0, 0, 0, 0, 0, 0)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central) + len(name),
                      len(local) + len(name) + len(data), 0)
    return local + name + data + central + name + end


def _generated(kind: str) -> tuple[str, int, Any]:
    """(content type, length, chunks) of a file made at request time: 'large:N' or 'zipbomb'."""
    if kind.startswith("large:"):
        size = int(kind.split(":", 1)[1])

        def chunks() -> Iterator[bytes]:
            head = b"%PDF-1.4\n% generated filler\n"
            yield head
            left, block = size - len(head), b"0" * (1 << 20)
            while left > 0:
                yield block[:left]
                left -= len(block)

        return "application/pdf", size, chunks
    if kind == "zipbomb":
        data = _bomb_cache.setdefault("zipbomb", zip_bomb())
        return "application/zip", len(data), lambda: iter([data])
    raise ValueError(f"unknown generated file kind {kind!r}")


_bomb_cache: dict[str, bytes] = {}


class _PortalHandler(QuietHandler):
    """Serves a portal's folder; ``generated`` paths are made at request time; a slow portal waits first.
    Server state: ``root``, ``delay``, ``generated``."""

    def _resolve(self) -> Path | None:
        # Not urlsplit(): a request path starting with "//" would be read as a host name.
        path = self.path.split("#", 1)[0].split("?", 1)[0]
        path = _JSESSIONID.sub("", path)
        path = unquote(path, encoding="utf-8", errors="replace")
        root = self.server.root
        try:
            target = (root / path.lstrip("/")).resolve()
            if target != root and root not in target.parents:
                return None  # ../ escapes
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None
        except (OSError, ValueError):  # NUL bytes, over-long names
            return None

    def respond(self, *, send_body: bool) -> None:
        if self.server.delay > 0:
            time.sleep(self.server.delay)
        kind = self.server.generated.get(self.path.split("?", 1)[0])
        if kind is not None:
            ctype, length, chunks = _generated(kind)
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if send_body:
                with suppress(OSError):  # the client hangs up once it has seen enough
                    for chunk in chunks():
                        self.wfile.write(chunk)
            return
        target = self._resolve()
        if target is None:
            self.not_found(send_body=send_body)
            return
        self.reply(200, target.read_bytes(), content_type(target.name), send_body=send_body)


def _portal_server(host: str, root: Path, delay: float, server_header: str,
                   generated: dict[str, str] | None) -> LoopbackServer:
    return LoopbackServer((host, 0), _PortalHandler, root=root.resolve(), delay=delay, server_header=server_header,
                          generated={"/" + k.lstrip("/"): v for k, v in (generated or {}).items()})


@dataclass
class SampleProvince:
    """The running sample province: registry rows, ground truth and base URLs for this run."""

    root: Path
    registry_rows: list[dict[str, str]]
    expected: dict[str, dict[str, Any]]
    urls: dict[str, str]
    portals: dict[str, dict[str, Any]]
    addresses: dict[str, tuple[str, int]] = field(default_factory=dict)
    servers: list[LoopbackServer] = field(default_factory=list)

    def set_delay(self, seconds: float) -> None:
        """Delay every response of every portal from now on (tests slow the province down to stop a
        crawl halfway, then speed it up again)."""
        for server in self.servers:
            server.delay = seconds

    def write_registry(self, path: Path | str) -> Path:
        """Write the registry CSV with live URLs; returns the path."""
        path = Path(path)
        fieldnames = list(self.registry_rows[0]) if self.registry_rows else []
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fieldnames)
            writer.writeheader()
            writer.writerows(self.registry_rows)
        return path

    def subset(self, ids: Any) -> list[dict[str, str]]:
        """The registry rows of some agencies; a parent left out is blanked, since a registry's ``parent``
        must name one of its own agencies."""
        wanted = set(ids)
        return [{**r, "parent": r["parent"] if r["parent"] in wanted else ""} for r in self.registry_rows
                if r["id"] in wanted]

    def live_ids(self) -> list[str]:
        return [aid for aid, cfg in self.portals.items() if cfg.get("behaviour") != "dead"]


def _load(root: Path) -> tuple[list[dict[str, str]], dict[str, dict[str, Any]], dict[str, Any]]:
    with (root / "registry.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    portals = yaml.safe_load((root / "portals.yaml").read_text(encoding="utf-8")) or {}
    expected = yaml.safe_load((root / "expected.yaml").read_text(encoding="utf-8")) or {}
    return rows, portals, expected


@contextmanager
def serve_sample_province(root: Path | None = None, *, slow_delay: float = 1.5) -> Iterator[SampleProvince]:
    """Start one HTTP server per live portal; yield a :class:`SampleProvince`; shut all down on exit."""
    root = Path(root) if root is not None else SAMPLE_DIR
    rows, portals, expected_doc = _load(root)
    servers: list[LoopbackServer] = []
    threads: list[threading.Thread] = []
    addresses: dict[str, tuple[str, int]] = {}
    try:
        for agency_id, cfg in portals.items():
            host = str(cfg["address"])
            behaviour = cfg.get("behaviour", "normal")
            if behaviour == "dead":
                addresses[agency_id] = (host, free_port(host))
                continue
            delay = slow_delay if behaviour == "slow" else 0.0
            server = _portal_server(host, root / "portals" / agency_id, delay,
                                    SERVER_HEADERS.get(cfg.get("platform", ""), "Apache/2.4.41 (Ubuntu)"),
                                    cfg.get("generated"))
            servers.append(server)
            addresses[agency_id] = (server.host, server.port)
            threads.append(start(server, f"sample-{agency_id}"))

        def host_of(match: re.Match[str]) -> str:
            agency = match.group(1)
            if agency not in addresses:
                raise KeyError(f"registry names {agency!r}, which portals.yaml does not serve")
            host, port = addresses[agency]
            return f"{host}:{port}"

        live_rows = [
            {key: _PLACEHOLDER.sub(host_of, value or "") for key, value in row.items()} for row in rows
        ]
        urls = {aid: f"http://{host}:{port}/" for aid, (host, port) in addresses.items()}
        expected: dict[str, dict[str, Any]] = {}
        for aid, entry in (expected_doc.get("agencies") or {}).items():
            entry = dict(entry)
            entry.setdefault("rules", {})
            entry.setdefault("dead_links", [])
            section = entry.get("section")
            entry["section_path"] = section
            if section and aid in urls:
                entry["section"] = urls[aid].rstrip("/") + section
            expected[aid] = entry
        yield SampleProvince(
            root=root,
            registry_rows=live_rows,
            expected=expected,
            urls=urls,
            portals=portals,
            addresses=addresses,
            servers=servers,
        )
    finally:
        stop(servers, threads)


def main() -> None:  # pragma: no cover - manual use: python -m tctt.sampleserver
    import argparse

    parser = argparse.ArgumentParser(description="Serve the sample province until interrupted.")
    parser.add_argument("--slow-delay", type=float, default=1.5)
    parser.add_argument("--registry", help="also write the live registry CSV here")
    args = parser.parse_args()
    with serve_sample_province(slow_delay=args.slow_delay) as province:
        if args.registry:
            province.write_registry(args.registry)
        for aid, url in province.urls.items():
            print(f"{aid:22} {province.portals[aid].get('behaviour', 'normal'):7} {url}")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":  # pragma: no cover
    main()
