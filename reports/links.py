"""Which values the reports may turn into links: used by every page template (run pages and archived pages)."""

from __future__ import annotations

import re
from typing import Any

# Only absolute http(s) URLs with a host and without control characters or leading blanks are linked.
_HTTP_URL = re.compile(r"^https?://[^/\s?#\\][^\x00-\x1f\x7f]*$", re.IGNORECASE)


def is_http_url(value: Any) -> bool:
    """True for an absolute http:// or https:// URL (so ``javascript:``, ``data:`` etc. are never linked)."""
    return isinstance(value, str) and bool(_HTTP_URL.match(value))
