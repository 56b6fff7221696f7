"""Downloader middlewares: the network guard, and the replay of evidence already stored (resume)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler import netguard
from crawler.discovery import is_document_url
from crawler.netguard import IPNetwork, address_policy

PRIVATE_REFUSED = netguard.PRIVATE_REFUSED
SCHEME_REFUSED = "scheme-refused"
ALLOWED_SCHEMES = ("http", "https")

class SchemeGuard:
    """Only http(s) leaves the crawler: a link, a sitemap entry, a redirect or a document under any other scheme
    (``file:``, ``ftp:``, ``s3:``, ``data:``, ``gopher:``…) is refused before any other middleware sees it.
    Scrapy's handlers for those schemes are disabled too (``DOWNLOAD_HANDLERS``), so a request that slipped
    past this would still fetch nothing."""

    def process_request(self, request: Any, spider: Any = None) -> None:
        scheme = request.url.partition(":")[0].lower()
        if scheme not in ALLOWED_SCHEMES:
            raise IgnoreRequest(f"{SCHEME_REFUSED}: only http(s) is fetched, not {scheme}: ({request.url[:200]})")
        return None


class PrivateAddressGuard:
    """Never request a private, loopback, link-local or metadata address — from the registry, a link or a
    redirect (redirects are re-scheduled as new requests, so they pass through here again).

    IP literals are checked as they are. Host names are judged by the resolver Scrapy connects with
    (``crawler.netguard.GuardedResolver``): the very address a connection would go to is refused before
    any connection is made, so a name that changes its answer (DNS rebinding) never receives a request.
    With another resolver installed, names are resolved here first (in a thread). After the download, the
    address actually connected to is checked again.

    ``TCTT_ALLOW_PRIVATE`` lets loopback and private networks through, never link-local or metadata
    addresses; ``TCTT_ALLOWED_NETWORKS`` (CIDR list) lets named networks through explicitly.
    """

    def __init__(self, allow_private: bool, allowed: tuple[IPNetwork, ...] = (), resolve: bool = True,
                 static_hosts: dict[str, str] | None = None):
        self.allow_private = allow_private
        self.allowed = allowed
        self.resolve = resolve
        self._verdicts: dict[str, str | None] = {}
        self._literal_verdicts: dict[str, str | None] = {}
        self._address_verdicts: dict[str, str | None] = {}
        # Names the crawl's resolver answers from a fixed table (TCTT_STATIC_HOSTS: the gold set and the
        # benchmark farm) are judged by that address: asking the system's DNS about them only waited for
        # its time-outs (the benchmark's profile: every pool thread blocked in getaddrinfo).
        self.static_hosts = {k.lower(): v for k, v in (static_hosts or {}).items()}

    @classmethod
    def from_crawler(cls, crawler: Any) -> PrivateAddressGuard:
        settings = crawler.settings
        allowed = tuple(ipaddress.ip_network(str(n), strict=False) for n in settings.getlist("TCTT_ALLOWED_NETWORKS"))
        netguard.configure(settings.getbool("TCTT_ALLOW_PRIVATE"), allowed)  # the resolver judges with the same
        return cls(settings.getbool("TCTT_ALLOW_PRIVATE"), allowed, settings.getbool("TCTT_RESOLVE_HOSTS", True),
                   dict(settings.getdict("TCTT_STATIC_HOSTS")))

    def verdict_for_literal(self, host: str) -> str | None:
        host = host.strip("[]").lower()
        if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
            return None if self.allow_private else "loopback address"
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return None
        return address_policy(address, self.allow_private, self.allowed)

    def _resolve_verdict(self, host: str) -> str | None:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return None  # the download fails on its own and is recorded as unreachable (DNS)
        for info in infos:
            reason = address_policy(ipaddress.ip_address(info[4][0].split("%")[0]), self.allow_private, self.allowed)
            if reason:
                return f"{reason} ({host} → {info[4][0]})"
        return None

    def _static_verdict(self, host: str) -> str | None:
        """The verdict that needs no look-up (an IP literal, localhost, a name of the static table)."""
        reason = self.verdict_for_literal(host)
        if reason is None and host in self.static_hosts:
            reason = address_policy(ipaddress.ip_address(self.static_hosts[host]), self.allow_private, self.allowed)
            if reason:
                reason = f"{reason} ({host} → {self.static_hosts[host]})"
        return reason

    async def process_request(self, request: Any, spider: Any = None) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        # Judged once per host: parsing the host as an IP address (and failing, for a name) on every
        # request was 3% of the crawl's main thread.
        if host not in self._literal_verdicts:
            self._literal_verdicts[host] = self._static_verdict(host)
        reason = self._literal_verdicts[host]
        # With the guarded resolver installed (the default) the address connected to is judged where it is
        # resolved (crawler.netguard); looking the name up here too only doubled the DNS traffic.
        if (reason is None and host not in self.static_hosts and self.resolve and host != "localhost"
                and not netguard.POLICY.installed):
            if host not in self._verdicts:
                self._verdicts[host] = None if _is_ip(host) else await maybe_deferred_to_future(
                    deferToThread(self._resolve_verdict, host))
            reason = self._verdicts[host]
        if reason:
            raise IgnoreRequest(f"{PRIVATE_REFUSED}: {reason}: {host}")
        return None

    def process_response(self, request: Any, response: Response, spider: Any = None) -> Response:
        ip = getattr(response, "ip_address", None)
        if ip is not None:
            key = str(ip)
            if key not in self._address_verdicts:
                self._address_verdicts[key] = address_policy(ipaddress.ip_address(key), self.allow_private,
                                                             self.allowed)
            reason = self._address_verdicts[key]
            if reason:
                raise IgnoreRequest(f"{PRIVATE_REFUSED}: {reason}: connected to {ip} for {request.url}")
        return response


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class ReplayStored:
    """On resume, answer a request whose page is already stored from the store instead of the network.

    The spider marks such requests with ``meta['replay']`` (the stored page row); the response is empty
    and the spider reads the stored record instead of parsing. Runs before every other middleware, so a
    replayed page costs no request, no robots.txt check and no throttling delay.
    """

    def process_request(self, request: Any, spider: Any = None) -> Response | None:
        page = request.meta.get("replay")
        if page is None:
            return None
        return TextResponse(url=page.get("final_url") or request.url, status=int(page.get("status") or 200),
                            body=b"", encoding="utf-8", request=request)


class DocumentEncoding:
    """Give a document that Scrapy typed as text (a PDF or RTF whose first bytes hold no control
    characters becomes a ``TextResponse``) a fixed encoding instead of a guessed one.

    Nothing reads such a response as text: the spider reads a document URL's bytes (``_record_document``).
    But the HTTP cache stores every response's attributes, encoding included, and guessing the encoding
    of non-UTF-8 bytes (charset_normalizer, with a log record per step) was an eighth of the crawl's main
    thread in the benchmark's profile. Latin-1 maps every byte to itself, so it is the honest label for
    bytes that are not text. Runs before the cache stores the response (its priority is above 900).
    """

    def process_response(self, request: Any, response: Response, spider: Any = None) -> Response:
        if (type(response) is TextResponse and request.meta.get("kind") not in (None, "home")
                and b"charset=" not in response.headers.get(b"Content-Type", b"").lower()
                and is_document_url(response.url)):
            # Not response.replace(): it reads every attribute, the guessed encoding included.
            kwargs = {name: getattr(response, name) for name in response.attributes if name != "encoding"}
            return TextResponse(**kwargs, encoding="latin-1")
        return response


class NetworkAnswer:
    """Note what the network itself answered, before the HTTP cache may put its stored copy in its place.

    Sits between Scrapy's HttpCacheMiddleware (900) and the downloader. A response flagged ``cached`` for a
    revalidated request is the portal confirming its page when the network said 304; after a 5xx or a
    connection failure Scrapy's cache serves the old copy too, and the portal confirmed nothing.
    """

    def process_response(self, request: Any, response: Response, spider: Any = None) -> Response:
        if "cached" not in response.flags:  # the cache's own answers pass here too (hits, error recovery)
            request.meta["tctt_network_status"] = response.status
        return response

    def process_exception(self, request: Any, exception: Exception, spider: Any = None) -> None:
        request.meta["tctt_network_status"] = f"{type(exception).__name__}: {exception}"[:200]
        return None
