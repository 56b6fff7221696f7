"""What the scale-out coordinator accepts from Redis: a page of evidence of the expected shape, nothing else.

Workers push page items to a Redis list as JSON; whoever can write to that Redis could push anything.
Every field is checked against the evidence schema (``crawler.items.PageItem``) and its type before the
store sees it, so identifiers never come from data and a page's fields hold what they should.
"""

from __future__ import annotations

from typing import Any

from crawler.items import PageItem

_TEXT = (str, type(None))
_INT = (int, type(None))
_NUMBER = (int, float, type(None))
_JSON = (list, dict, str, type(None))
_TYPES: dict[str, tuple[type, ...]] = {
    "agency_id": (str,), "url": (str,), "final_url": _TEXT, "status": _INT, "fetched_at": _TEXT,
    "elapsed_ms": _INT, "content_type": _TEXT, "doc_type": _TEXT, "size": _INT, "sha256": _TEXT, "kind": _TEXT,
    "depth": _INT, "referrer": _TEXT, "title": _JSON, "text": _TEXT, "tables": _JSON, "links": _JSON,
    "structure": _JSON, "signals": _JSON, "labels": _JSON, "error": _TEXT, "last_modified": _TEXT,
    "fresh_until": _NUMBER,
}
_ANY = (str, int, float, list, dict, type(None))  # a PageItem field added later: plain JSON values


def page_from_redis(message: dict[str, Any]) -> dict[str, Any]:
    """The page fields of a message read from Redis, or ValueError naming what is wrong."""
    unknown = [key for key in message if key not in PageItem.fields]
    if unknown:
        raise ValueError(f"unknown field {str(unknown[0])[:60]!r}")
    for key, value in message.items():
        if not isinstance(value, _TYPES.get(key, _ANY)) or (key in _TYPES and isinstance(value, bool)):
            raise ValueError(f"field {key!r} is a {type(value).__name__}")
    url = message.get("url")
    if not isinstance(url, str) or url.partition(":")[0].lower() not in ("http", "https"):
        raise ValueError(f"url is not http(s): {str(url)[:100]!r}")
    return dict(message)


STATUSES = frozenset({"audited", "blocked", "error", "unreachable", "robots_disallowed"})


def candidate_from_redis(value: Any) -> dict[str, Any] | None:
    """A section candidate read from Redis, or None when it is not one this crawler wrote."""
    if not (isinstance(value, dict) and isinstance(value.get("url"), str)
            and isinstance(value.get("link_score"), int | float) and not isinstance(value.get("link_score"), bool)):
        return None
    reasons = value.get("reasons")
    return {"url": value["url"], "anchor": str(value.get("anchor") or ""), "link_score": float(value["link_score"]),
            "reasons": [str(r) for r in reasons] if isinstance(reasons, list) else []}


def home_from_redis(value: Any) -> dict[str, Any]:
    """An agency's home-page facts read from Redis: the status among the known ones, typed fields."""
    home = value if isinstance(value, dict) else {}
    failure = home.get("failure")
    if not (isinstance(failure, list) and len(failure) == 2 and failure[0] in STATUSES and isinstance(failure[1], str)):
        failure = None if failure is None else ["error", "malformed home-page facts in Redis"]
    status = home.get("http_status")
    final_url = home.get("final_url")
    return {"http_status": status if isinstance(status, int) and not isinstance(status, bool) else None,
            "final_url": final_url if isinstance(final_url, str) else None, "failure": failure}
