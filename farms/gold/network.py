"""How the benchmark farm's hosts behave on a real network, and the wall time no crawler can beat there.

The uniform farm answers every request in the same time. Real agency portals do not: most answer in a
fraction of a second, some take seconds, a few hang on some pages, a few are dead (connection refused,
no DNS answer, connection reset), and some serve big documents slowly. ``realistic`` draws such a
network, seeded, one ``HostCondition`` per host:

- latency per host from a log-normal distribution fitted to a median of 0.3 s, p90 1.5 s and p99 ≈ 6 s
  (σ = ln 5 / z₀.₉₀; the p99 then falls at 5.6 s);
- a share of hosts hang (never answer) on a share of their pages, which costs the crawler its download
  timeout;
- a share of hosts are dead, split between refused, DNS failure and reset;
- a share of hosts send documents slowly (a byte rate);
- HTML pages padded to the sizes real portals have (tens of kilobytes of markup and text).

``lower_bound`` states what the farm's own latencies impose on any crawl that keeps the same per-host and
global concurrency limits: the slowest host's serial time, and the total work spread over every slot.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

Z90 = 1.2815515655446004  # the standard normal's 90th percentile


@dataclass(frozen=True)
class HostCondition:
    latency: float                 # seconds before each answer
    hang_share: float = 0.0        # share of this host's pages that never answer
    dead: str | None = None        # "refused", "dns" or "reset"
    bytes_per_s: int = 0           # documents sent at this rate (0: at once)

    def hangs(self, target: str) -> bool:
        """Whether ``target`` is one of the pages this host never answers (stable for a given URL)."""
        if not self.hang_share:
            return False
        digest = int.from_bytes(hashlib.sha1(target.encode("utf-8", "replace")).digest()[:4], "big")
        return digest / 2**32 < self.hang_share


@dataclass(frozen=True)
class NetworkProfile:
    """The parameters of a network, as stated in a benchmark's figures."""

    median_s: float = 0.3
    p90_s: float = 1.5
    hang_hosts: float = 0.05       # share of hosts that hang on some pages
    hang_pages: float = 0.10       # share of pages a hanging host never answers
    dead_hosts: float = 0.02       # share of hosts that are dead
    slow_doc_hosts: float = 0.05   # share of hosts that send documents slowly
    slow_doc_rate: int = 64_000    # their byte rate
    page_bytes: tuple[int, int] = (30_000, 120_000)  # HTML padded to a size in this range
    max_latency_s: float = 30.0    # no host answers slower than this (a portal that slow is a timeout)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sigma(self) -> float:
        return math.log(self.p90_s / self.median_s) / Z90

    def percentile(self, z: float) -> float:
        return self.median_s * math.exp(self.sigma * z)

    def describe(self) -> dict[str, Any]:
        return {**asdict(self), "sigma": round(self.sigma, 4), "p99_s": round(self.percentile(2.3263478740), 2)}


UNIFORM = None  # the farm's default: every host answers after the same latency


def realistic(hosts: Iterable[str], seed: int, profile: NetworkProfile | None = None) -> dict[str, HostCondition]:
    """One seeded condition per host (the same hosts and seed give the same network)."""
    profile = profile or NetworkProfile()
    rng = random.Random(f"network-{seed}")
    conditions = {}
    for host in sorted(hosts):
        latency = min(profile.max_latency_s, rng.lognormvariate(math.log(profile.median_s), profile.sigma))
        draw = rng.random()
        dead = None
        if draw < profile.dead_hosts:
            dead = ("refused", "dns", "reset")[int(draw / profile.dead_hosts * 3) % 3]
        hang = profile.hang_pages if rng.random() < profile.hang_hosts else 0.0
        slow = profile.slow_doc_rate if rng.random() < profile.slow_doc_hosts else 0
        conditions[host] = HostCondition(round(latency, 4), hang, dead, slow)
    return conditions


def page_padding(target: str, low: int, high: int) -> int:
    """How many bytes of ordinary markup to add to an HTML page so that it weighs what real pages weigh."""
    digest = int.from_bytes(hashlib.sha1(target.encode("utf-8", "replace")).digest()[4:8], "big")
    return low + digest % max(1, high - low)


@dataclass
class ServedWork:
    """What the farm spent per host: answered requests and their seconds, and requests left hanging."""

    seconds: dict[str, float] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    hung: dict[str, int] = field(default_factory=dict)

    def add(self, host: str, seconds: float) -> None:
        self.seconds[host] = self.seconds.get(host, 0.0) + seconds
        self.requests[host] = self.requests.get(host, 0) + 1

    def add_hung(self, host: str) -> None:
        self.hung[host] = self.hung.get(host, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "requests": self.requests, "hung": self.hung}


def lower_bound(seconds: Mapping[str, float], hung: Mapping[str, int], *, per_host: int, total: int,
                timeout: float) -> dict[str, float]:
    """The least wall time any crawl of the same requests needs under the same concurrency limits.

    A host serves at most ``per_host`` of the crawl's requests at once, so its requests take at least
    their seconds (a hung one: the crawler's ``timeout``) divided by ``per_host``; and the whole crawl
    keeps at most ``total`` requests in flight, so it takes at least all requests' seconds over ``total``.
    """
    per_host_time = {h: (seconds.get(h, 0.0) + hung.get(h, 0) * timeout) / per_host
                     for h in set(seconds) | set(hung)}
    slowest = max(per_host_time.values(), default=0.0)
    work = sum(seconds.values()) + sum(hung.values()) * timeout
    spread = work / total if total else 0.0
    return {"bound_s": round(max(slowest, spread), 3), "slowest_host_s": round(slowest, 3),
            "work_over_slots_s": round(spread, 3), "work_s": round(work, 3)}
