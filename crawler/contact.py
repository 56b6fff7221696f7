"""A public crawl must name its operator: the User-Agent carries TCTT_CONTACT so that a portal's
administrator can reach whoever runs the crawl. Loopback and private test runs need no contact."""

from __future__ import annotations

import os
from collections.abc import Iterable
from urllib.parse import urlsplit

from core.registry import is_private_host

MISSING = ("Thu thập cổng công khai cần địa chỉ liên hệ của người vận hành: đặt biến môi trường TCTT_CONTACT "
           "(trang hoặc e-mail của cơ quan bạn), địa chỉ này được ghi trong User-Agent. / "
           "Crawling public portals needs the operator's contact: set TCTT_CONTACT (your office's page or "
           "e-mail); it is put in the User-Agent.")


def operator_contact(environ: dict[str, str] | None = None) -> str | None:
    """The contact the operator set, or None when TCTT_CONTACT is unset or blank."""
    value = (os.environ if environ is None else environ).get("TCTT_CONTACT", "").strip()
    return value or None


def public_hosts(urls: Iterable[str]) -> list[str]:
    """The hosts among ``urls`` that are not loopback, private or 'localhost' (sorted, unique)."""
    return sorted({host for url in urls if (host := urlsplit(url).hostname or "") and not is_private_host(host)})


def missing_contact(urls: Iterable[str], environ: dict[str, str] | None = None) -> str | None:
    """The refusal message when ``urls`` reach a public host and no contact is set; None when the crawl may run."""
    hosts = public_hosts(urls)
    if not hosts or operator_contact(environ):
        return None
    shown = ", ".join(hosts[:3]) + (" …" if len(hosts) > 3 else "")
    return f"{MISSING}\n  ({shown})"
