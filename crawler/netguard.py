"""The network guard at the one place that decides where a connection goes: the resolver Scrapy uses.

``PrivateAddressGuard`` (crawler.middlewares) judges IP literals and fixed names before a request is sent,
but a host name is resolved again by Scrapy when it connects; a name that answers a public address to the
guard and a private one a moment later (DNS rebinding) reached the private one. Here the answer Scrapy
connects to is itself judged: a refused address fails the resolution, so no connection is ever opened to
it. Installed with ``TWISTED_DNS_RESOLVER = "crawler.netguard.GuardedResolver"`` (the default).

``TCTT_DNS_SERVERS`` (``["10.0.0.53:53", …]``) asks those name servers directly instead of the system's
resolver (a province's own DNS; the tests' rebinding server on a loopback port).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from core.addresses import effective

PRIVATE_REFUSED = "private-address-refused"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata and link-local services: never reachable with --allow-private alone, only when a
# network is named in TCTT_ALLOWED_NETWORKS. A crawler that follows links must not be turned into a
# proxy towards them (SSRF).
ALWAYS_REFUSED: tuple[IPNetwork, ...] = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16",      # IPv4 link-local, incl. 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
    "fe80::/10",           # IPv6 link-local
    "fd00:ec2::/32",       # AWS IPv6 metadata
    "100.100.100.200/32",  # Alibaba Cloud metadata
    "0.0.0.0/8", "::/128", "224.0.0.0/4", "ff00::/8", "255.255.255.255/32",
))


def address_policy(address: IPAddress, allow_private: bool, allowed: tuple[IPNetwork, ...] = ()) -> str | None:
    """Why ``address`` must not be contacted, or None when it may be."""
    address = effective(address)  # ::ffff:a.b.c.d, NAT64, 6to4, IPv4-compatible: judged by the IPv4 address
    if any(address in network for network in allowed):
        return None
    if any(address in network for network in ALWAYS_REFUSED):
        return "link-local or metadata address"
    if address.is_global:
        return None
    if allow_private:  # loopback, RFC 1918, unique-local: the demo, tests and intranet audits
        return None
    return "loopback address" if address.is_loopback else "private or reserved address"


class AddressRefused(DNSLookupError):
    """A name resolved to an address the guard refuses: the connection is never attempted. Twisted reports
    it to Scrapy as a failed look-up (the reason does not travel), so the reason is kept in ``REFUSALS``."""


REFUSALS: dict[str, str] = {}  # host name → why its last answer was refused (read when the failure is recorded)


def refusal(host: str) -> str | None:
    """Why the guard refused the last answer for ``host``, if it did."""
    return REFUSALS.get(host.lower().rstrip("."))


class _Policy:
    """What the running crawl allows (set by PrivateAddressGuard.from_crawler, which sees the spider's
    settings; the resolver is built before any spider)."""

    allow_private = False
    allowed: tuple[Any, ...] = ()
    installed = False  # a GuardedResolver is the reactor's resolver


POLICY = _Policy()


def configure(allow_private: bool, allowed: tuple[Any, ...]) -> None:
    POLICY.allow_private = allow_private
    POLICY.allowed = allowed


def _servers(values: Sequence[str]) -> list[tuple[str, int]]:
    servers = []
    for value in values:
        host, _, port = str(value).rpartition(":") if str(value).count(":") == 1 else (str(value), "", "53")
        servers.append((host.strip("[]"), int(port or 53)))
    return servers


def _first_address(result: tuple[list[Any], list[Any], list[Any]], name: str) -> str:
    from twisted.names import dns

    for record in result[0]:
        if record.type == dns.A:
            return record.payload.dottedQuad()
    raise DNSLookupError(f"{name}: no A record")


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, with every answer judged by the network guard's policy before use."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, servers: Sequence[str] = ()):
        super().__init__(reactor, cache_size, timeout)
        self.names = None
        if servers:
            from twisted.names import client

            self.names = client.Resolver(servers=_servers(servers), reactor=reactor)

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), settings.getlist("TCTT_DNS_SERVERS"))

    def install_on_reactor(self) -> None:
        super().install_on_reactor()
        POLICY.installed = True

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:  # noqa: N802 - Twisted API
        if self.names is not None:
            from scrapy.resolver import dnscache

            if name in dnscache:
                d = defer.succeed(dnscache[name])
            else:
                # An A query (not twisted's default ANY query, which many servers refuse: RFC 8482).
                d = self.names.lookupAddress(name, timeout=(max(1, int(self.timeout)),))
                d.addCallback(_first_address, name)
                if dnscache.limit:
                    d.addCallback(self._cache_result, name)
        else:
            d = super().getHostByName(name, timeout)
        d.addCallback(self._judge, name)
        return d

    @staticmethod
    def _judge(address: str, name: str) -> str:

        try:
            parsed = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            raise DNSLookupError(f"{name}: not an address: {address!r}") from None
        reason = address_policy(parsed, POLICY.allow_private, POLICY.allowed)
        if not reason:
            REFUSALS.pop(name.lower().rstrip("."), None)
        if reason:
            REFUSALS[name.lower().rstrip(".")] = f"{reason} ({name} → {address})"
            if len(REFUSALS) > 10_000:  # bounded: one entry per refused name is plenty
                REFUSALS.pop(next(iter(REFUSALS)))
            raise AddressRefused(f"{PRIVATE_REFUSED}: {reason} ({name} → {address})")
        return address


class RefusedNotRetried:
    """A request whose host the resolver refused is not retried (Scrapy retries failed look-ups): the
    refusal is the answer, and it is recorded as such. Sits above RetryMiddleware (550), so it sees the
    failure first."""

    def process_exception(self, request: Any, exception: Exception, spider: Any = None) -> None:
        if (isinstance(exception, DNSLookupError | CannotResolveHostError)
                and refusal(urlsplit(request.url).hostname or "")):
            request.meta["dont_retry"] = True
        return None
