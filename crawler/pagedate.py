"""The date a page declares for itself: meta tags (article:published_time, dc.date, …), JSON-LD
(datePublished/dateModified), ``<time datetime>`` and similar markup, read by htmldate.

Only the markup is searched (``extensive_search=False``): a date guessed from the running text is the
auditors' job (``core.vntext.find_dates``, which knows Vietnamese forms), and a copyright year in a footer
is not the page's date. htmldate is given the parsed tree, never a URL, so it never touches the network.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from htmldate import find_date

# htmldate logs every page without a date at DEBUG and some parsing troubles at WARNING: not ours to report.
logging.getLogger("htmldate").setLevel(logging.ERROR)


def page_date(root: Any) -> str | None:
    """The newest date the page's markup declares, as 'YYYY-MM-DD', or None. Never raises."""
    if root is None:
        return None
    try:
        found = find_date(root, extensive_search=False, original_date=False, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a broken page must not sink its audit
        return None
    if not found:
        return None
    try:
        return date.fromisoformat(found).isoformat()
    except ValueError:
        return None
