"""Requests through Redis as JSON, never pickle: ``SCHEDULER_SERIALIZER = "crawler.redisjson"``.

scrapy-redis pickles queued requests by default, so anyone who can write to the run's Redis runs code on
every worker. Here a request travels as ``Request.to_dict()`` in JSON (bytes as base64), and a request read
back is checked before Scrapy rebuilds it: only plain ``scrapy.Request``, an http(s) URL, and callbacks
among the spider's own callbacks — ``request_from_dict`` would otherwise import any class named in
``_class`` and call any method named in ``callback``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

# The spider's own callbacks (tests/test_redis_trust.py checks that every one the spider names is here).
CALLBACKS = frozenset({"parse_home", "parse_section", "parse_sitemap", "parse_verify", "parse_landing",
                       "parse_banner", "on_error", "on_verify_error"})
_KEYS = frozenset({"url", "callback", "errback", "headers", "method", "body", "cookies", "meta", "encoding",
                   "priority", "dont_filter", "flags", "cb_kwargs"})
MAX_REQUEST_BYTES = 4 * 1024 * 1024  # a queued request is small; a huge one is not ours


class UntrustedRequest(ValueError):
    """A queued request that this crawler did not write."""


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, bytes):  # header names
                key = "__b64__:" + base64.b64encode(key).decode("ascii")
            out[str(key)] = _encode(item)
        return out
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"not JSON-serialisable in a queued request: {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"], validate=True)
        return {(base64.b64decode(k[8:], validate=True) if k.startswith("__b64__:") else k): _decode(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(_encode(obj), ensure_ascii=False, allow_nan=False)


def loads(data: bytes | str) -> dict[str, Any]:
    if len(data) > MAX_REQUEST_BYTES:
        raise UntrustedRequest(f"queued request of {len(data)} bytes")
    try:
        obj = _decode(json.loads(data))
    except (ValueError, TypeError) as exc:  # pickles and other non-JSON land here
        raise UntrustedRequest(f"queued request is not JSON: {exc}") from None
    check(obj)
    return obj


def check(obj: Any) -> None:
    """Refuse what ``request_from_dict`` must never see."""
    if not isinstance(obj, dict):
        raise UntrustedRequest("queued request is not an object")
    extra = set(obj) - _KEYS
    if extra:  # _class among them: request_from_dict would import it
        raise UntrustedRequest(f"queued request has unexpected fields: {sorted(extra)[:5]}")
    url = obj.get("url")
    if not isinstance(url, str) or url.partition(":")[0].lower() not in ("http", "https"):
        raise UntrustedRequest(f"queued request URL is not http(s): {str(url)[:100]!r}")
    for name in ("callback", "errback"):
        if obj.get(name) is not None and obj[name] not in CALLBACKS:
            raise UntrustedRequest(f"queued request names an unknown {name}: {str(obj[name])[:60]!r}")
    if obj.get("method", "GET") not in ("GET", "HEAD"):
        raise UntrustedRequest(f"queued request method {str(obj.get('method'))[:20]!r}")
    if not isinstance(obj.get("meta", {}), dict) or not isinstance(obj.get("headers", {}), dict):
        raise UntrustedRequest("queued request meta or headers are not objects")
