"""A benchmark farm: N generated portals served from one asyncio process on loopback (127.1.x.y).

Unlike ``farms.gold.server`` (one threaded server per host, for the gold set), the farm is built to hold
thousands of portals without being the bottleneck: one event loop, one listening socket per host address,
keep-alive, each host's files made from the population's seed when it is asked for and kept in a cache
bounded in bytes (``farms.gold.farmsource``: 20,000 portals fit in memory). Like a real small web server it

- answers every request after a configurable latency (default 100 ms) or, with ``--network realistic``,
  after its host's own latency, hanging, refusing, resetting or sending documents slowly as
  ``farms.gold.network`` draws them (and then reports the lower bound on wall time those latencies impose),
- serves at most ``host_connections`` requests of one host at a time (the rest wait their turn),
- sends ``ETag`` and ``Last-Modified`` and answers ``304 Not Modified`` to a matching conditional request,

and it counts what it served (per status, and every URL asked for more than once) so that a benchmark or a
test can check how many requests an audit cost. ``changed`` portals have every HTML page altered (an extra
paragraph), as a portal updated between two audits.

    python -m farms.gold.farm --n 500 --seed 1 --port 8090 --registry farm.csv --hosts hosts.json

runs until SIGTERM/SIGINT, then writes ``--stats`` (JSON). ``serve_farm`` does the same in a thread.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import resource
import signal
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.loopback import NOT_FOUND_PAGE
from core.loopback import free_port as _free_port  # bench/audit_bench.py reads it here
from farms.gold.farmfiles import (  # farm_portals is read here by the tests and benchmarks
    HANG_SECONDS,
    SAMPLE_EVERY,
    FarmStats,
    Population,
    _is_html,
    _lookup,
    farm_portals,  # noqa: F401 - read here by the tests and benchmarks
)
from farms.gold.farmsource import CACHE_BYTES, FarmContent, Held
from farms.gold.generator import Portal
from farms.gold.network import HostCondition, NetworkProfile, ServedWork, realistic
from farms.gold.server import address_of

CONNECTIONS = 8_192  # open files kept for the clients' connections (keep-alive) beside the listening sockets
# A connection idle this long between requests is closed, as servers do (Apache 5 s, nginx 75 s): the crawler
# keeps idle connections 240 s, so at 5,000 portals every host's connections stayed open and the farm ran out
# of open files. A client reusing a connection closed meanwhile asks again on a new one (Twisted's pool).
KEEP_ALIVE_IDLE_S = 15.0


class Farm:
    """The portals' files per host address, and the asyncio servers answering for them.

    ``portals`` are built portals (held as they are) or a ``Population`` (rebuilt from its seed when a host
    is asked for; its changed portals are its own)."""

    def __init__(self, portals: list[Portal] | Population, *, latency: float = 0.1, host_connections: int = 4,
                 changed: set[str] | frozenset[str] = frozenset(), port: int = 0,
                 network: NetworkProfile | None = None, network_seed: int = 1,
                 conditions: dict[str, HostCondition] | None = None, cache_bytes: int = CACHE_BYTES):
        if isinstance(portals, Population):
            source, changed = portals, changed | portals.changed_ids
        else:
            source = Held(portals)
        self.content = FarmContent(source, changed, network.page_bytes if network else None, cache_bytes)
        self.portals = self.content.portals
        self.latency = latency
        self.network = network
        self.host_connections = host_connections
        self.requested_port = port
        self.server_headers = self.content.server_headers
        self.hosts = self.content.hosts
        if len(self.hosts) > 250 * 250:
            raise ValueError(f"too many hosts for 127.1.0.0/16: {len(self.hosts)}")
        # One address per host, as long as a listening socket per host and the clients' connections fit in the
        # limit of open files; beyond (20,000 portals: 22,024 hosts, and a limit of 20,000 here) hosts share
        # addresses and a request's host is read from its Host header (the uniform network only: a dead
        # host must have its own address).
        slots = min(len(self.hosts), max(1, _allow_open_files(len(self.hosts) + CONNECTIONS) - CONNECTIONS))
        if slots < len(self.hosts) and network is not None:
            raise ValueError(f"{len(self.hosts)} hosts need as many addresses on a realistic network, and the limit "
                             f"of open files allows {slots}")
        self.addresses = {host: address_of(i % slots) for i, host in enumerate(self.hosts)}
        self.host_of: dict[str, str] = {}
        for host, address in self.addresses.items():
            self.host_of.setdefault(address, host)
        self.shared_addresses = slots < len(self.hosts)
        self.conditions: dict[str, HostCondition] = (
            realistic(self.hosts, network_seed, network) if network is not None else
            {host: HostCondition(latency) for host in self.hosts})
        self.conditions.update(conditions or {})
        self.work = ServedWork()
        self.in_flight = 0
        self.samples: list[tuple[float, int]] = []
        self._sampler: asyncio.Task[None] | None = None
        self.stats = FarmStats()
        self.port = 0
        self._servers: list[asyncio.base_events.Server] = []
        self._limits: dict[str, asyncio.Semaphore] = {}

    def live(self, url: str) -> str:
        parts = urlsplit(url)
        return url if self.port == 80 else parts._replace(netloc=f"{parts.hostname}:{self.port}").geturl()

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

    @property
    def resolvable(self) -> dict[str, str]:
        """Host name → address, less the hosts whose DNS answers nothing."""
        return {h: a for h, a in self.addresses.items() if self.conditions[h].dead != "dns"}

    def scrapy_settings(self) -> dict[str, Any]:
        return {"TWISTED_DNS_RESOLVER": "farms.gold.resolver.StaticResolver", "TCTT_STATIC_HOSTS": self.resolvable}

    def network_summary(self) -> dict[str, Any]:
        dead = Counter(c.dead for c in self.conditions.values() if c.dead)
        latencies = sorted(c.latency for c in self.conditions.values())
        pick = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]) if latencies else (lambda q: 0)
        return {"profile": self.network.describe() if self.network else {"uniform_latency_s": self.latency},
                "hosts": len(self.hosts), "dead": dict(dead),
                "hanging_hosts": sum(1 for c in self.conditions.values() if c.hang_share),
                "slow_document_hosts": sum(1 for c in self.conditions.values() if c.bytes_per_s),
                "latency_s": {"median": pick(0.5), "p90": pick(0.9), "p99": pick(0.99), "max": pick(1.0)}}

    def content_summary(self) -> dict[str, Any]:
        """How the bounded cache of made hosts fared (hosts made again after being dropped are misses)."""
        return {"hosts_made": self.content.builds, "cached_hosts": len(self.content._cache),
                "cached_mb": round(self.content.cached_bytes / 2**20, 1),
                "cache_mb": round(self.content.cache_bytes / 2**20, 1)}

    def faults(self) -> dict[str, list[str]]:
        """Host → what is wrong with it ("dead:refused", "hangs", "slow documents"); hosts that answer every
        page are left out."""
        out = {}
        for host, c in self.conditions.items():
            wrong = ([f"dead:{c.dead}"] if c.dead else []) + (["hangs"] if c.hang_share else []) + \
                (["slow documents"] if c.bytes_per_s else [])
            if wrong:
                out[host] = wrong
        return out

    async def start(self) -> None:
        port = self.requested_port or _free_port(address_of(0))
        loop = asyncio.get_running_loop()
        for host in self.hosts:
            address = self.addresses[host]
            self._limits[host] = asyncio.Semaphore(self.host_connections)
            if self.host_of[address] != host:
                continue  # an address shared with an earlier host: it listens already
            if self.conditions[host].dead == "refused":
                continue  # nothing listens: the connection is refused
            server = await loop.create_server(lambda a=address: _Protocol(self, a), address, port,
                                              backlog=128, reuse_address=True)
            self._servers.append(server)
        self.port = port
        self.content.start(port)
        self._sampler = loop.create_task(self._sample())

    async def _sample(self) -> None:
        started = time.monotonic()
        while True:
            self.samples.append((round(time.monotonic() - started, 2), self.in_flight))
            await asyncio.sleep(SAMPLE_EVERY)

    async def stop(self) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
        for server in self._servers:
            server.close()
        for server in self._servers:
            with suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1)

    async def answer(self, address: str, method: str, target: str, headers: dict[str, str]) -> bytes:
        self.in_flight += 1
        try:
            return await self._answer(address, method, target, headers)
        finally:
            self.in_flight -= 1

    async def _answer(self, address: str, method: str, target: str, headers: dict[str, str]) -> bytes:
        host = self.host_of[address]
        if self.shared_addresses:
            named = headers.get("host", "").rsplit(":", 1)[0].lower()
            host = named if self.addresses.get(named) == address else host
        condition = self.conditions[host]
        if condition.hangs(target):  # a stuck page holds no worker of the server, only the client's slot
            self.work.add_hung(host)
            await asyncio.sleep(HANG_SECONDS)
            return b""
        async with self._limits[host]:
            if condition.latency:
                await asyncio.sleep(condition.latency)
            self.work.add(host, condition.latency)
            entry = _lookup(self.content.entries(host), target)
            stats = self.stats
            stats.requests += 1
            # by address (the tests map it to a portal), by host name where hosts share addresses
            stats.seen[f"{host if self.shared_addresses else address}{target}"] += 1
            conditional = "if-none-match" in headers or "if-modified-since" in headers
            stats.conditional += conditional
            if entry is None:
                status, reason, body, extra = 404, b"Not Found", NOT_FOUND_PAGE, b"Content-Type: text/html; charset=utf-8\r\n"
            elif (headers.get("if-none-match", "").encode() == entry.etag or
                  ("if-none-match" not in headers and headers.get("if-modified-since", "").encode() == entry.last_modified)):
                status, reason, body = 304, b"Not Modified", b""
                extra = b"ETag: " + entry.etag + b"\r\nLast-Modified: " + entry.last_modified + b"\r\n"
            else:
                status, reason, body = 200, b"OK", entry.body
                extra = (b"Content-Type: " + entry.ctype.encode() + b"\r\nETag: " + entry.etag +
                         b"\r\nLast-Modified: " + entry.last_modified + b"\r\n")
            stats.statuses[status] += 1
            length = len(body)
            if method == "HEAD" or status == 304:
                body = b""
            stats.bytes_sent += len(body)
            return (b"HTTP/1.1 %d %s\r\nServer: farm\r\nDate: %s\r\n%sContent-Length: %d\r\n\r\n" % (
                status, reason, formatdate(usegmt=True).encode(), extra, length if status != 304 else 0)) + body


def _allow_open_files(wanted: int) -> int:
    """Raise this process's limit of open files towards ``wanted`` (the hard limit too where allowed),
    otherwise as far as the hard limit; the limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return wanted if soft == resource.RLIM_INFINITY else soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(hard, wanted) if hard != resource.RLIM_INFINITY
                                                    else hard))
    except (ValueError, OSError):
        with suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return wanted if soft == resource.RLIM_INFINITY else soft


class _Protocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, GET and HEAD only; requests of one connection answered in order."""

    def __init__(self, farm: Farm, address: str):
        self.farm = farm
        self.address = address
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.queue: asyncio.Queue[tuple[str, str, dict[str, str]] | None] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.rate = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        condition = self.farm.conditions[self.farm.host_of[self.address]]
        if condition.dead == "reset":  # accept, then reset the connection (RST, no answer)
            sock = transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
            self.transport = None
            return
        self.rate = condition.bytes_per_s
        self.task = asyncio.get_running_loop().create_task(self._serve())

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.buffer[:1] not in (b"G", b"H"):  # a TLS handshake (the crawler's HTTPS probe) or garbage
            if self.transport is not None:
                self.transport.close()
            return
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3:
                self.queue.put_nowait(None)
                return
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            self.queue.put_nowait((parts[0], parts[1], headers))

    def connection_lost(self, exc: Exception | None) -> None:
        self.queue.put_nowait(None)
        if self.task is not None and not self.task.done():
            self.task.cancel()  # a client that gave up on a hanging page frees its task

    async def _trickle(self, response: bytes) -> None:
        chunk = max(1024, self.rate // 10)
        for start in range(0, len(response), chunk):
            if self.transport is None or self.transport.is_closing():
                return
            self.transport.write(response[start:start + chunk])
            await asyncio.sleep(0.1)

    def _close_idle(self) -> None:
        if self.queue.empty() and self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if self.queue.empty():
                idle = loop.call_later(KEEP_ALIVE_IDLE_S, self._close_idle)
                request = await self.queue.get()
                idle.cancel()
            else:
                request = self.queue.get_nowait()
            if request is None or self.transport is None or self.transport.is_closing():
                break
            method, target, headers = request
            response = await self.farm.answer(self.address, method, target, headers)
            if not response or self.transport is None or self.transport.is_closing():
                break
            if self.rate and len(response) > self.rate // 4 and not _is_html("x" + target):
                await self._trickle(response)  # a slow server sending a big document
            else:
                self.transport.write(response)
            if headers.get("connection", "").lower() == "close":
                break
        if self.transport is not None:
            self.transport.close()


@dataclass
class RunningFarm:
    farm: Farm
    loop: asyncio.AbstractEventLoop
    thread: threading.Thread


@contextmanager
def serve_farm(portals: list[Portal], **options: Any) -> Iterator[Farm]:
    """Serve a farm from a thread of this process until the block exits (tests)."""
    farm = Farm(portals, **options)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(farm.start())
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            failure.append(exc)
            ready.set()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(farm.stop())
        loop.close()

    thread = threading.Thread(target=run, daemon=True, name="farm")
    thread.start()
    ready.wait(60)
    if failure:
        raise failure[0]
    try:
        yield farm
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a benchmark farm of generated portals until SIGTERM.")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds before each answer (%(default)s)")
    parser.add_argument("--host-connections", type=int, default=4, help="requests served at once per host")
    parser.add_argument("--changed", type=float, default=0.0, help="share of portals altered (0..1)")
    parser.add_argument("--change-seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--registry", default=None, help="write the live registry (CSV) here")
    parser.add_argument("--hosts", default=None, help="write the host → address table (JSON) here")
    parser.add_argument("--stats", default=None, help="write what was served (JSON) here on exit")
    parser.add_argument("--network", choices=("uniform", "realistic"), default="uniform",
                        help="uniform: every host answers after --latency; realistic: heavy-tailed latencies, "
                             "hanging pages, dead hosts, slow documents (farms.gold.network)")
    parser.add_argument("--network-seed", type=int, default=1)
    parser.add_argument("--cache-mb", type=int, default=CACHE_BYTES // 2**20,
                        help="the hosts' files kept made, in MB (%(default)s); the rest are made again when asked for")
    args = parser.parse_args(argv)
    started = time.monotonic()
    population = Population(args.n, args.seed, args.changed, args.change_seed)
    changed = population.changed_ids
    farm = Farm(population, latency=args.latency, host_connections=args.host_connections, changed=changed,
                port=args.port, network=NetworkProfile() if args.network == "realistic" else None,
                network_seed=args.network_seed, cache_bytes=args.cache_mb * 2**20)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(farm.start())
    if args.registry:
        farm.write_registry(args.registry)
    if args.hosts:
        Path(args.hosts).write_text(json.dumps(farm.resolvable), encoding="utf-8")
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(json.dumps({"ready": True, "portals": len(farm.portals), "hosts": len(farm.hosts), "port": farm.port,
                      "changed": sorted(changed), "pages": farm.content.pages,
                      "network": farm.network_summary(),
                      "start_seconds": round(time.monotonic() - started, 2)}), flush=True)
    loop.run_until_complete(stop.wait())
    loop.run_until_complete(farm.stop())
    if args.stats:
        Path(args.stats).write_text(json.dumps({**farm.stats.as_dict(), "network": farm.network_summary(),
                                                "work": farm.work.as_dict(), "in_flight": farm.samples,
                                                "conditions": farm.faults(), "content": farm.content_summary()}),
                                    encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
