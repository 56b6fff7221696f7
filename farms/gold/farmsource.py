"""The benchmark farm's files, made when a host is asked for: a farm of 20,000 portals fits in memory.

A portal's files are a pure function of the population's seed and its index (``farmfiles.Population``),
so the farm keeps of each portal only what names it (``PortalInfo``: id, registry row, hosts, server) and
which portals put files on each host. When a host is asked for, its portals are built again, their files
on that host merged as ``server._merge`` does (the first portal's file wins on a shared host), their links
given the farm's port as ``server._rewrite`` does, and the entries kept in a cache bounded in bytes (least
recently used out). The bytes, ETags and Last-Modified served are the same as when every file was held.
"""

from __future__ import annotations

import gzip
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from farms.gold.farmfiles import Entry, _entries
from farms.gold.generator import Portal
from farms.gold.server import _HTML_SUFFIXES

CACHE_BYTES = 64 * 2**20  # the hosts' entries kept: a host's unpadded files weigh ~55 kB, 200 agencies in progress ~15 MB
# Any absolute link to a host name; ``server._rewrite`` matches the served names only, so the host found
# is checked against them (a host-name character never satisfies the look-ahead: the two match alike).
_LINK = re.compile(rb"(https?://)([A-Za-z0-9.-]+)(?::80)?(?=[/\"'<\s?])")
_HOST_NAME = re.compile(r"[A-Za-z0-9.-]+\Z")


class Source(Protocol):
    def __len__(self) -> int: ...
    def portal(self, i: int) -> Portal: ...


class Held:
    """Portals already built (tests, small farms): nothing is rebuilt."""

    def __init__(self, portals: list[Portal]):
        self.portals = portals

    def __len__(self) -> int:
        return len(self.portals)

    def portal(self, i: int) -> Portal:
        return self.portals[i]


@dataclass(frozen=True)
class PortalInfo:
    """What the farm keeps of a portal: its name, registry row and hosts, not its files."""

    id: str
    registry: dict[str, str]
    hosts: list[str]
    server: str


class FarmContent:
    """Hosts, their portals and a bounded cache of their served entries."""

    def __init__(self, source: Source, changed_ids: set[str] | frozenset[str] = frozenset(),
                 page_sizes: tuple[int, int] | None = None, cache_bytes: int = CACHE_BYTES):
        self.source = source
        self.page_sizes = page_sizes
        self.cache_bytes = cache_bytes
        self.portals: list[PortalInfo] = []
        self.contributors: dict[str, list[int]] = {}  # host → the portals with files on it, in order
        self.server_headers: dict[str, str] = {}
        self.changed_hosts: set[str] = set()
        self.pages = 0
        for i in range(len(source)):
            portal = source.portal(i)
            self.portals.append(PortalInfo(portal.id, portal.registry, list(portal.hosts), portal.server))
            if portal.id in changed_ids:
                self.changed_hosts.update(portal.hosts)
            seen: dict[str, set[str]] = {}
            for key in portal.files:
                host, _, path = key.partition("/")
                seen.setdefault(host, set()).add(path)
            for host, paths in seen.items():
                self.contributors.setdefault(host, []).append(i)
                self.server_headers.setdefault(host, portal.server)
                self.pages += len(paths)  # on a shared host, once per portal: corrected below
        for host in [h for h, c in self.contributors.items() if len(c) > 1]:
            files, keys = self._files(host)
            self.pages -= len(keys) - len(files)
        self.hosts = sorted(self.contributors)
        self._names = {h.encode() for h in self.hosts}
        self._plain = all(_HOST_NAME.match(h) for h in self.hosts)
        self.port = 80
        self._cache: OrderedDict[str, tuple[dict[str, Entry], int]] = OrderedDict()
        self.cached_bytes = 0
        self.builds = 0  # hosts made (a miss of the cache)

    def _files(self, host: str) -> tuple[dict[str, bytes], list[str]]:
        """The host's files, merged over its portals (first wins), and every portal's keys on it."""
        files: dict[str, bytes] = {}
        keys: list[str] = []
        prefix = host + "/"
        for i in self.contributors[host]:
            for key, body in self.source.portal(i).files.items():
                if key.startswith(prefix):
                    keys.append(key)
                    files.setdefault("/" + key[len(prefix):], body)
        return files, keys

    def start(self, port: int) -> None:
        """Links carry ``port`` from now on (a no-op on port 80)."""
        self.port = port
        self._cache.clear()
        self.cached_bytes = 0

    def entries(self, host: str) -> dict[str, Entry]:
        hit = self._cache.get(host)
        if hit is not None:
            self._cache.move_to_end(host)
            return hit[0]
        files, _ = self._files(host)
        self._rewrite(files)
        entries = _entries(files, host in self.changed_hosts, self.page_sizes)
        weight = sum(e.weight + len(k) for k, e in entries.items())
        self.builds += 1
        self._cache[host] = (entries, weight)
        self.cached_bytes += weight
        while len(self._cache) > 1 and self.cached_bytes > self.cache_bytes:
            _, (_, dropped) = self._cache.popitem(last=False)
            self.cached_bytes -= dropped
        return entries

    def _rewrite(self, files: dict[str, bytes]) -> None:
        """``server._rewrite`` for one host's files: absolute links to a served host get the port."""
        if self.port == 80:
            return
        if self._plain:
            port = b":" + str(self.port).encode()
            names = self._names

            def give_port(m: re.Match[bytes]) -> bytes:
                return m.group(1) + m.group(2) + port if m.group(2) in names else m.group(0)

            def sub(body: bytes) -> bytes:
                return _LINK.sub(give_port, body)
        else:  # a host name with other characters: the served names' own pattern
            alternatives = b"|".join(re.escape(h.encode()) for h in sorted(self.hosts, key=len, reverse=True))
            pattern = re.compile(rb"(https?://)(" + alternatives + rb")(?::80)?(?=[/\"'<\s?])")
            replacement = rb"\1\2:" + str(self.port).encode()

            def sub(body: bytes) -> bytes:
                return pattern.sub(replacement, body)

        for path, body in files.items():
            if path.endswith((".xml", "robots.txt")) or Path(path.split("?", 1)[0]).suffix.lower() in _HTML_SUFFIXES:
                files[path] = sub(body)
            elif path.endswith(".xml.gz"):  # a gzipped sitemap: rewritten inside
                files[path] = gzip.compress(sub(gzip.decompress(body)), mtime=0)
