"""The benchmark farm's content: the seeded population of portals (``farm_portals``) and each page as the
farm serves it (``Entry``: body, ETag, Last-Modified, padding to a realistic size, the change that marks a
portal updated between two audits), and how a request path finds its entry."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from core.loopback import CONTENT_TYPES
from farms.gold.generator import Portal, build, random_spec
from farms.gold.network import page_padding
from farms.gold.server import _HTML_SUFFIXES, _JSESSIONID

FIRST_EPOCH = 1_780_000_000  # Last-Modified of an unchanged page (2026-05-28)
HANG_SECONDS = 900.0  # a hanging page answers after this long (the crawler gives up well before)
SAMPLE_EVERY = 0.5  # seconds between two samples of the requests in flight
_FILLER = ("<p>Thông tin chung về hoạt động của cơ quan, lịch công tác, tin tức sự kiện và các văn bản chỉ đạo "
           "điều hành được cập nhật thường xuyên trên cổng thông tin điện tử.</p>\n")
_FILLER_BYTES = _FILLER.encode("utf-8")


@dataclass
class Entry:
    """One served file. A padded HTML page keeps its unpadded bytes and the number of filler paragraphs:
    the padding (tens of kilobytes a page on the realistic network) is added when the page is sent."""

    raw: bytes
    ctype: str
    etag: bytes
    last_modified: bytes
    pad: int = 0

    @property
    def body(self) -> bytes:
        return _with_padding(self.raw, self.pad) if self.pad else self.raw

    @property
    def weight(self) -> int:
        """Bytes this entry holds (its unpadded body and a rough object overhead)."""
        return len(self.raw) + len(self.etag) + 200


@dataclass
class FarmStats:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    conditional: int = 0
    seen: Counter[str] = field(default_factory=Counter)
    bytes_sent: int = 0

    def as_dict(self) -> dict[str, Any]:
        repeated = {url: n for url, n in self.seen.items() if n > 1}
        return {"requests": self.requests, "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
                "conditional": self.conditional, "distinct_urls": len(self.seen), "bytes_sent": self.bytes_sent,
                "repeated_urls": len(repeated), "repeated_examples": dict(list(repeated.items())[:20])}


class Population:
    """The seeded synthetic population of ``n`` portals, each rebuilt from the seed when asked for (a
    portal's files are a pure function of ``(seed, i)``), a ``changed`` share of them altered."""

    def __init__(self, n: int, seed: int, changed: float = 0.0, change_seed: int = 1):
        self.n = n
        self.seed = seed
        self.change_seed = change_seed
        rng = random.Random(change_seed)
        # random.sample picks by position only: the same portals as sampling the built list did.
        picked = rng.sample(range(n), round(n * changed)) if changed > 0 else []
        self.changed_ids = {f"synthetic-{seed}-{i}" for i in picked}

    def __len__(self) -> int:
        return self.n

    def portal(self, i: int) -> Portal:
        portal = build(random_spec(self.seed, i))
        if portal.id in self.changed_ids:
            stamp = (f"<p class=\"farm-update\">Cập nhật lần {self.change_seed} / update {self.change_seed}</p>"
                     "</body>").encode()
            for key, body in list(portal.files.items()):
                if _is_html(key) and b"</body>" in body:
                    portal.files[key] = body.replace(b"</body>", stamp, 1)
        return portal


def farm_portals(n: int, seed: int, changed: float = 0.0, change_seed: int = 1) -> tuple[list[Portal], set[str]]:
    """``n`` portals of the seeded synthetic population; a ``changed`` share of them altered (ids returned)."""
    population = Population(n, seed, changed, change_seed)
    return [population.portal(i) for i in range(n)], set(population.changed_ids)


def _is_html(key: str) -> bool:
    path = key.partition("/")[2].split("?", 1)[0]
    return Path(path).suffix.lower() in _HTML_SUFFIXES


def _padding(key: str, body: bytes, sizes: tuple[int, int]) -> int:
    """How many filler paragraphs grow an HTML page to the weight of a real portal's page (0: none)."""
    want = page_padding(key, *sizes) - len(body)
    if want <= 0 or b"</body>" not in body:
        return 0
    return want // len(_FILLER_BYTES) + 1


def _with_padding(body: bytes, paragraphs: int) -> bytes:
    """The page with neutral text added (no links, no markers)."""
    block = b'<div class="site-extra">' + _FILLER_BYTES * paragraphs + b"</div></body>"
    return body.replace(b"</body>", block, 1)


def _padded(key: str, body: bytes, sizes: tuple[int, int]) -> bytes:
    """An HTML page grown to the weight of a real portal's page with neutral text (no links, no markers)."""
    paragraphs = _padding(key, body, sizes)
    return _with_padding(body, paragraphs) if paragraphs else body


def _entries(files: dict[str, bytes], changed: bool, page_sizes: tuple[int, int] | None = None) -> dict[str, Entry]:
    out = {}
    stamp = formatdate(FIRST_EPOCH + (86400 if changed else 0), usegmt=True).encode()
    for key, body in files.items():
        suffix = Path(key.split("?", 1)[0]).suffix.lower()
        pad = _padding(key, body, page_sizes) if page_sizes and suffix in _HTML_SUFFIXES else 0
        ctype = CONTENT_TYPES.get(suffix) or ("text/html; charset=utf-8" if suffix in _HTML_SUFFIXES
                                              else "application/octet-stream")
        if key.endswith("sitemap.xml"):
            ctype = "application/xml; charset=utf-8"
        served = _with_padding(body, pad) if pad else body
        etag = b'"' + hashlib.sha1(served).hexdigest()[:20].encode() + b'"'
        out[key] = Entry(body, ctype, etag, stamp, pad)
    return out


def _lookup(files: dict[str, Entry], target: str) -> Entry | None:
    """The same path rules as the gold server (session ids dropped, query sorted, trailing slash)."""
    raw = target.split("#", 1)[0]
    if raw.startswith(("http://", "https://")):
        raw = urlsplit(raw)._replace(scheme="", netloc="").geturl() or "/"
    path, _, query = raw.partition("?")
    path = unquote(_JSESSIONID.sub("", path), encoding="utf-8", errors="replace") or "/"
    keys = []
    if query:
        keys += [f"{path}?{query}", f"{path}?{urlencode(sorted(parse_qsl(query, keep_blank_values=True)))}"]
    keys += [path, path.rstrip("/") or "/", path + "/"]
    for key in keys:
        entry = files.get(key)
        if entry is not None:
            return entry
    return None
