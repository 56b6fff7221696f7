"""A Scrapy DNS resolver that answers for the gold portals' host names from a static table.

Gold portals have real-looking host names (``stp.laocai.gov.test``, a section on ``tctt.stp.laocai.gov.test``,
a department under its province portal) so that sub-domains and shared hosts behave as on the web; the
names live under the reserved ``.test`` domain and are mapped to loopback addresses here, never looked up.

    TWISTED_DNS_RESOLVER = "farms.gold.resolver.StaticResolver"
    TCTT_STATIC_HOSTS = {"stp.laocai.gov.test": "127.1.0.7", ...}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


class StaticResolver(CachingThreadedResolver):
    """Names in ``TCTT_STATIC_HOSTS`` resolve to their address; other ``.test`` names fail at once
    (they are reserved and must never reach a real resolver); anything else resolves as usual."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, hosts: dict[str, str]):
        super().__init__(reactor, cache_size, timeout)
        self.hosts = {name.lower(): address for name, address in hosts.items()}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> StaticResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), dict(settings.getdict("TCTT_STATIC_HOSTS")))

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:  # noqa: N802 - Twisted API
        address = self.hosts.get(name.lower().rstrip("."))
        if address is not None:
            return defer.succeed(address)
        if name.lower().rstrip(".").endswith(".test"):
            return defer.fail(DNSLookupError(f"{name} is not a served gold portal"))
        return super().getHostByName(name, timeout)
