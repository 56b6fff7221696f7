"""URL canonicalisation and crawler-trap recognition.

One page reached under many URLs (``:443``, ``;jsessionid=…``, ``#top``, ``?utm_source=…``, parameters
in another order) is one page: :func:`canonical` gives the key the spider deduplicates on. Calendars,
endless query strings and repeating paths are recognised by :class:`TrapDetector`, which says why a URL
is not followed, so the cut can be recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that never change what a page shows: analytics and click ids, and session ids.
_TRACKING = re.compile(r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|"
                       r"_hs(enc|mi)|igshid|zarsrc|zalo_source|ref_src)$", re.IGNORECASE)
_SESSION = re.compile(r"^(jsessionid|phpsessid|aspsessionid\w*|sessionid|session_id|cfid|cftoken|"
                      r"asp\.net_sessionid)$", re.IGNORECASE)
# Names that are a session id on some platforms and a content id on others (``?sid=12`` names a story or a
# site on several Vietnamese CMSs): dropped only when the value looks like a token, not like an id.
_AMBIGUOUS_SESSION = re.compile(r"^(sid|ssid|sess)$", re.IGNORECASE)
_TOKEN = re.compile(r"^(?=[A-Za-z0-9_-]*[A-Za-z])(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{16,}$|^[0-9a-fA-F]{24,}$")
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_ASPNET_COOKIELESS = re.compile(r"/\(S\([a-z0-9]{10,}\)\)", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


# The spider keys every link it weighs, and the same links (menus, footers) recur on every page of a
# portal: w3lib's canonicalisation of them was 4% of the crawl's main thread. A pure function, so memoised.
# Only URLs of ordinary length are memoised: a page of 20 KB links would otherwise park every one of them in
# the cache for the life of the process (the trap detector cuts them later, at 512 characters).
CACHED_URL_LENGTH = 1024


def canonical(url: str) -> str:
    """The key of a URL: scheme and host lower-cased, default port, session ids, tracking parameters and
    the fragment dropped, query parameters sorted (w3lib), percent-encoding normalised."""
    return _canonical_cached(url) if len(url) <= CACHED_URL_LENGTH else _canonical(url)


@lru_cache(maxsize=32768)
def _canonical_cached(url: str) -> str:
    return _canonical(url)


def _canonical(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url
    if not host:
        return canonicalize_url(url, keep_fragments=False)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = _ASPNET_COOKIELESS.sub("", _PATH_SESSION.sub("", parts.path)) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (_TRACKING.match(k) or _SESSION.match(k) or (_AMBIGUOUS_SESSION.match(k) and looks_like_token(v)))]
    rebuilt = urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)


def url_key(url: str | None) -> str:
    """The one key of a URL, used by the crawler (de-duplication, the section's page graph) and by the
    auditors alike (see :func:`canonical`)."""
    return canonical(url or "")


def looks_like_token(value: str) -> bool:
    """A session token rather than a content id: 16+ characters mixing letters and digits, or long hex."""
    return bool(_TOKEN.match(value))


_CAL_PARAM = re.compile(r"^(year|month|day|date|nam|thang|ngay|cal\w*|lich\w*|yyyy|mm|dd|week|tuan|"
                        r"tu_?ngay|den_?ngay)$", re.IGNORECASE)
_CAL_PATH = re.compile(r"/(calendar|lich|lich-cong-tac|lichcongtac|events?|su-kien)(/|$)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


class TrapDetector:
    """Per-agency trap recognition. ``reason(url)`` is None for a URL that may be followed.

    - URLs longer than ``max_length`` or with more than ``max_params`` query parameters (endless
      query strings, faceted search);
    - a path segment repeated ``max_repeats`` times (``/a/b/a/b/a/b``: relative-link loops);
    - calendar pages for years far from the audit year, and more than ``max_calendar`` calendar pages;
    - more than ``max_variants`` different query strings on one path (the same page under many URLs).
    """

    def __init__(self, *, max_length: int = 512, max_params: int = 8, max_repeats: int = 3,
                 max_calendar: int = 12, max_variants: int = 20, today: date | None = None,
                 years_back: int = 15):
        self.max_length = max_length
        self.max_params = max_params
        self.max_repeats = max_repeats
        self.max_calendar = max_calendar
        self.max_variants = max_variants
        year = (today or date.today()).year
        self.years = range(year - years_back, year + 2)
        self._variants: Counter[str] = Counter()
        self._calendar = 0

    def reason(self, url: str) -> str | None:
        if len(url) > self.max_length:
            return f"URL longer than {self.max_length} characters"
        try:
            parts = urlsplit(url)
        except ValueError:
            return "malformed URL"
        params = parse_qsl(parts.query, keep_blank_values=True)
        if len(params) > self.max_params:
            return f"more than {self.max_params} query parameters"
        segments = [s for s in parts.path.split("/") if s]
        if segments and max(Counter(segments).values()) >= self.max_repeats:
            return "repeated path segments"
        is_calendar = bool(_CAL_PATH.search(parts.path)) or sum(bool(_CAL_PARAM.match(k)) for k, _ in params) >= 1
        if is_calendar:
            years = [int(y) for y in _YEAR.findall(parts.path + "?" + parts.query)]
            if any(y not in self.years for y in years):
                return "calendar page outside the audit years"
        return self._counted(f"{parts.hostname}{parts.path}" if parts.query else None, is_calendar, parts.path)

    def _counted(self, path_key: str | None, is_calendar: bool, path: str) -> str | None:
        """The limits that count what was followed before (kept in Redis by the scale-out workers)."""
        if is_calendar and self._calendar >= self.max_calendar:
            return f"more than {self.max_calendar} calendar pages"
        if path_key is not None:
            if self._variants[path_key] >= self.max_variants:
                return f"more than {self.max_variants} query variants of {path}"
            self._variants[path_key] += 1
        if is_calendar:
            self._calendar += 1
        return None
