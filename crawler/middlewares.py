"""Downloader middlewares: refuse private, loopback and link-local targets unless allowed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from tctt.registry import is_private_host

PRIVATE_REFUSED = "private-address-refused"


class PrivateAddressGuard:
    """Never request a private, loopback, link-local or metadata address (registry, link or redirect).

    Redirects are re-scheduled as new requests, so they pass through here again.
    """

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Any) -> PrivateAddressGuard:
        return cls(crawler.settings.getbool("TCTT_ALLOW_PRIVATE"))

    def process_request(self, request: Any, spider: Any = None) -> None:
        if self.allow_private:
            return None
        host = urlsplit(request.url).hostname or ""
        if is_private_host(host):
            raise IgnoreRequest(f"{PRIVATE_REFUSED}: {host}")
        return None
