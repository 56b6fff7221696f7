"""Small checks the portal spider applies to what a portal answers: the reason a home page's redirect was not
followed, and a home page that could not be read in time."""

from __future__ import annotations

import re
from typing import Any


def redirect_not_followed(response: Any) -> str:
    """Why a 3xx home page stands: Scrapy follows http(s) redirects only."""
    location = response.headers.get(b"Location", b"").decode("latin-1")[:200]
    if not location:
        return f"HTTP {response.status} redirect without a Location at {response.url}"
    scheme = location.partition(":")[0].lower() if re.match(r"^[a-zA-Z][\w+.-]*:", location) else ""
    if scheme and scheme not in ("http", "https"):
        return (f"HTTP {response.status} redirect to a non-http(s) address, not followed "
                f"(chuyển hướng tới địa chỉ không phải http/https): {location} at {response.url}")
    return f"HTTP {response.status} redirect not followed: {location} at {response.url}"


def home_unread(record: dict[str, Any], url: str) -> tuple[str, str] | None:
    """A home page that could not be read in time (crawler.pageread): the agency cannot be audited."""
    reason = (record.get("signals") or {}).get("unread")
    if not reason:
        return None
    return "error", f"trang chủ không đọc được / home page not read ({reason}) at {url}"
