"""Turn what the discovery spider gathered into a proposed registry: one row per subordinate portal, with
its guessed level, the official unit it matches, a confidence and the evidence of where it was linked.

Pure: the same observations give the same rows (sorted, with stable ids), so two discoveries diff cleanly.
Dead and redirecting links are rows too (``link_status``), never dropped: a unit whose portal is dead is
a finding, and an inspector decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from core import units
from core.vntext import fold, slug_words
from crawler.subportals import (
    UNIT_CONTEXT,
    Guess,
    excluded_host,
    guess_level,
    host_key,
    is_subdomain,
    portal_key,
    subsite_slug,
)

COLUMNS = ["id", "name", "level", "parent", "province", "url", "email", "unit_code", "confidence",
           "link_status", "linked_url", "evidence"]

HOW_LABEL = {"select": "hộp chọn 'Liên kết website' / select box", "menu": "trình đơn / menu",
             "footer": "chân trang / footer", "list": "trang danh sách đơn vị / page listing units",
             "block": "khối liên kết đơn vị / block of unit links", "link": "liên kết / link"}
_TITLE_NOISE = re.compile(r"^(?:trang chu|home|cong thong tin dien tu|trang thong tin dien tu)\s*[-|:]\s*|"
                          r"\s*[-|:]\s*(?:trang chu|home|cong thong tin dien tu)$")


@dataclass
class Portal:
    """One answer of the spider for a linked portal (see crawler.spiders.discover.Fetch)."""

    url: str
    status: int | None = None
    final_url: str = ""
    redirects: list[str] = field(default_factory=list)
    title: str = ""
    error: str = ""


@dataclass
class Row:
    id: str
    name: str
    level: str
    parent: str
    province: str
    url: str
    unit_code: str = ""
    confidence: float = 0.0
    link_status: str = "ok"
    final_url: str = ""   # the address as linked, when it redirects to ``url``
    evidence: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        evidence = list(dict.fromkeys(self.evidence))
        others = [n for n in dict.fromkeys(self.names) if n != self.name]
        if others:
            evidence.append("cũng được gọi là / also named: " + "; ".join(others))
        return {"id": self.id, "name": self.name, "level": self.level, "parent": self.parent,
                "province": self.province, "url": self.url, "email": "", "unit_code": self.unit_code,
                "confidence": f"{self.confidence:.2f}", "link_status": self.link_status,
                "linked_url": self.final_url if self.final_url and portal_key(self.final_url) != portal_key(self.url) else "",
                "evidence": " | ".join(evidence)}


def slug(text: str) -> str:
    return "-".join(slug_words(text).split())[:60] or "don-vi"


def link_status(portal: Portal | None) -> str:
    """ok | redirect | dead | refused | robots | unchecked."""
    if portal is None:
        return "unchecked"
    if portal.error:
        if portal.error.startswith("private-address"):
            return "refused"
        return "robots" if portal.error.startswith("robots") else "dead"
    if portal.status is None:
        return "unchecked"
    if portal.status >= 400:
        return "dead"
    if portal.redirects and portal_key(portal.final_url) != portal_key(portal.url):
        return "redirect"
    return "ok"


def _clean_title(title: str) -> str:
    return _TITLE_NOISE.sub("", fold(title)).strip()


def _without_province(name: str, province: units.Unit | None) -> str:
    """'Sở Tư pháp tỉnh Lâm Đồng' → 'so tu phap' (the province is in the id's prefix already)."""
    folded = slug_words(name)
    if province is not None:
        folded = re.sub(rf"\s*(?:tinh |thanh pho |tp )?{re.escape(province.short)}$", "", folded)
    return folded


class ProposalBuilder:
    def __init__(self, root_url: str, root_title: str = "", *, province: units.Unit | None = None,
                 root_level: str | None = None):
        self.root_url = root_url
        self.province = province or self._province_of(root_url, root_title)
        titled = guess_level(portal_name(root_title), "province") if root_title else None
        named_province = province is not None and titled is None  # --province, and the title says nothing else
        self.root_level = root_level or (
            "province" if self.province and (named_province or self._is_province_portal(root_url, root_title))
            else "ministry" if fold(portal_name(root_title)).startswith("bo ") else "department")
        self.rows: dict[str, Row] = {}        # by the final URL's key
        self._by_id: dict[str, Row] = {}
        self.ids: dict[str, str] = {}         # portal portal_key → row id
        self._used_ids: set[str] = set()
        self.root = self._root_row(root_title)

    # -- the parent ---------------------------------------------------------------------------------
    @staticmethod
    def _province_of(url: str, title: str) -> units.Unit | None:
        labels = host_key(url).split(".")
        for label in labels[:-2] if len(labels) > 2 else labels:
            unit = units.match_province(label, threshold=95)
            if unit:
                return unit
        return units.match_province(title, threshold=95) if title else None

    def _is_province_portal(self, url: str, title: str) -> bool:
        assert self.province is not None
        first = host_key(url).split(".")[0]
        return first in (self.province.codename.replace("_", ""), "hochiminhcity") or \
            fold(title).startswith(("ubnd tinh", "uy ban nhan dan tinh", "cong thong tin dien tu tinh"))

    def _root_row(self, title: str) -> Row:
        if self.root_level == "province" and self.province:
            row = Row(self.province.unit_id, committee_name(self.province),
                      "province", "", self._province_name(), self.root_url, unit_code=str(self.province.code),
                      confidence=1.0, evidence=["điểm xuất phát / starting point"])
        else:
            name = title or host_key(self.root_url)
            row = Row(self._new_id(slug(name)), name, self.root_level, "", self._province_name(), self.root_url,
                      confidence=1.0, evidence=["điểm xuất phát / starting point"])
        self._used_ids.add(row.id)
        self.ids[portal_key(self.root_url)] = row.id
        return row

    def _province_name(self) -> str:
        if not self.province:
            return ""
        return self.province.name.split(" ", 2)[-1] if self.province.name.startswith("Thành phố") \
            else self.province.name.split(" ", 1)[1]

    def _new_id(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self._used_ids:
            candidate, n = f"{base}-{n}", n + 1
        self._used_ids.add(candidate)
        return candidate

    # -- the links ----------------------------------------------------------------------------------
    def judge(self, parent_key: str, link: Any, portals: dict[str, Portal], parent_level: str,
              parent_url: str) -> tuple[Guess, units.UnitMatch | None, str] | None:
        """(level guess, official unit, the name used) when ``link`` is a subordinate portal, else None."""
        if excluded_host(link.url) or portal_key(link.url) == parent_key:
            return None
        slug_hint = subsite_slug(link.url, parent_url)
        same_host = host_key(link.url) == host_key(parent_url)
        if same_host and slug_hint is None:
            return None  # the parent's own pages
        sub = is_subdomain(link.url, parent_url)
        if not slug_hint and sub:
            slug_hint = host_key(link.url)[: -len(host_key(parent_url)) - 1].split(".")[-1]
        if link.how == "link" and not _portal_like(link.url):
            return None  # an article of another site named in a headline ('Sở Y tế khuyến cáo …')
        portal = portals.get(portal_key(link.url))
        title = _clean_title(portal.title) if portal and portal.title else ""
        name = link.text
        if self._elsewhere(link.url, name):
            return None  # 'Sở Tư pháp tỉnh Đắk Lắk', stp.daklak.gov.vn: another province's body
        guess = guess_level(name, parent_level)
        if guess is None and title:
            guess = guess_level(title, parent_level)
            name = portal.title if guess else name
        unit = None
        if parent_level == "province" and self.province and (guess is None or guess.level == "commune"):
            unit = units.match_commune(self.province.code, name if guess else "", slug_hint or "")
            if unit is None and title and guess is not None:
                unit = units.match_commune(self.province.code, title, slug_hint or "")
            if unit and guess is None and (sub or slug_hint) and self._unit_context(link):
                guess = Guess("commune", "tên miền/đường dẫn là tên xã / host or path names a commune")
                name = unit.unit.name
        if guess is not None and guess.level == "commune" and unit is None and not self._unit_context(link):
            return None  # 'Xã Tân Hà đạt chuẩn nông thôn mới': a headline, not a commune's portal
        if guess is None:
            # A sub-domain in a block about units, whose name says nothing either way ('Website ABC'): a unit,
            # at lower confidence. A path on the parent's own host needs a name or slug that reads as a unit.
            if sub and self._unit_context(link) and not _named_elsewhere(name) and name:
                guess = Guess("other", "trong khối đơn vị trực thuộc, tên miền con / in a block of units, sub-domain")
            else:
                return None
        return guess, unit, name

    def _elsewhere(self, url: str, name: str) -> bool:
        """The host or the name places the body in another province than the parent's."""
        if self.province is None:
            return False
        ours = self.province.code
        for label in host_key(url).split(".")[1:]:
            unit = units.match_province(label, threshold=100) if len(label) > 3 else None
            if unit is not None and unit.code != ours:
                return True
        named = re.search(r"\b(?:tinh|thanh pho|tp\.?)\s+(.+)$", fold(name))
        unit = units.match_province(named.group(1), threshold=95) if named else None
        return unit is not None and unit.code != ours

    @staticmethod
    def _unit_context(link: Any) -> bool:
        return link.how in ("select", "list", "block") or bool(UNIT_CONTEXT.search(fold(link.context)))

    def add(self, parent_key: str, link: Any, portals: dict[str, Portal]) -> None:
        parent_id = self.ids.get(parent_key)
        if parent_id is None:
            return
        parent_row = self.root if parent_id == self.root.id else self._by_id.get(parent_id)
        if parent_row is None:
            return
        parent_url = parent_row.url
        judged = self.judge(portal_key(parent_url), link, portals, parent_row.level, parent_url)
        if judged is None:
            return
        guess, unit, name = judged
        portal = portals.get(portal_key(link.url))
        status = link_status(portal)
        final = portal.final_url if portal and portal.final_url and status in ("ok", "redirect") else ""
        key = portal_key(final or link.url)
        if unit is not None:  # one row per official unit, whichever address and name led to it
            key = next((k for k, r in self.rows.items() if r.unit_code == str(unit.unit.code)
                        and r.level == "commune"), key)
        evidence = f"{HOW_LABEL[link.how]}: {link.page} «{link.text or '—'}»"
        if link.context and link.how != "list":
            evidence += f" [{link.context[:60]}]"
        if status == "redirect" and portal:
            evidence += f"; chuyển hướng / redirects → {portal.final_url}"
        elif status in ("dead", "refused", "robots") and portal:
            evidence += f"; không truy cập được / unreachable: {portal.error or f'HTTP {portal.status}'}"
        row = self.rows.get(key)
        if row is not None:
            row.confidence = max(row.confidence, self._confidence(link, guess, unit, status, parent_url))
            row.evidence.append(evidence)
            row.names.append(name)
            if status in ("ok", "redirect") and row.link_status not in ("ok", "redirect"):
                row.url, row.link_status, row.final_url = final or link.url, status, link.url
            self.ids.setdefault(portal_key(link.url), row.id)
            return
        confidence = self._confidence(link, guess, unit, status, parent_url)
        if unit is None and portal is not None and portal.title:
            # The portal's own title names it more fully than a select box's 'Sở GD&ĐT'.
            titled = portal_name(portal.title)
            if titled and (g := guess_level(titled, parent_row.level)) and g.level == guess.level:
                name = titled
        if unit is not None:
            row_id, level, unit_code = unit.unit.unit_id, "commune", str(unit.unit.code)
            self._used_ids.add(row_id)
            name = committee_name(unit.unit)  # the official name; the link's wording stays in the evidence
        else:
            prefix = slug(self._province_name()) if self.province else slug(parent_row.name)
            row_id = self._new_id(f"{prefix}-{slug(_without_province(name, self.province))}")
            level, unit_code = guess.level, ""
        row = Row(row_id, name, level, parent_row.id, self._province_name(), final or link.url, unit_code=unit_code,
                  confidence=confidence, link_status=status, final_url=link.url, evidence=[evidence],
                  names=[name, link.text])
        self.rows[key] = row
        self._by_id[row.id] = row
        self.ids[portal_key(link.url)] = row.id
        if final:
            self.ids[portal_key(final)] = row.id

    def _confidence(self, link: Any, guess: Guess, unit: units.UnitMatch | None, status: str, parent_url: str) -> float:
        score = 0.5
        if self._unit_context(link) or link.how in ("menu", "footer"):
            score += 0.15
        if guess.level in ("department", "commune"):
            score += 0.15
        if unit is not None:
            score += 0.1 * unit.score / 100
        if is_subdomain(link.url, parent_url) or subsite_slug(link.url, parent_url):
            score += 0.1
        if status not in ("ok", "redirect"):
            score -= 0.2
        return round(max(0.05, min(score, 1.0)), 2)

    def result(self) -> list[dict[str, Any]]:
        rows = sorted(self.rows.values(), key=lambda r: (r.parent != self.root.id, r.level != "department", r.id))
        return [self.root.as_dict()] + [r.as_dict() for r in rows]


_PORTAL_WORDS = re.compile(r"^(?:c[ổô]ng|trang)\s+(?:th[ôo]ng\s+tin(?:\s+đi[ệe]n\s+t[ửu])?|ttđt)\s+|^website\s+",
                           re.IGNORECASE)


def portal_name(title: str) -> str:
    """A body's name from its portal's title: 'Cổng thông tin điện tử Sở Y tế tỉnh Lâm Đồng - Trang chủ' →
    'Sở Y tế tỉnh Lâm Đồng'."""
    for part in re.split(r"\s+[-|–:]\s+", " ".join(title.split())):
        if re.match(r"^(?:trang chủ|home)$", part, re.IGNORECASE):
            continue
        name = _PORTAL_WORDS.sub("", part).strip()
        if name:
            return name
    return ""


def committee_name(unit: units.Unit) -> str:
    """'Ủy ban nhân dân xã Tân Hà', 'Ủy ban nhân dân tỉnh Lâm Đồng': the agency of an administrative unit."""
    return f"Ủy ban nhân dân {unit.name[0].lower()}{unit.name[1:]}"


def _portal_like(url: str) -> bool:
    """An address that can be a portal's home: the root, or one path segment that is not an article."""
    path = urlsplit(url).path or "/"
    if path == "/":
        return True
    return bool(re.fullmatch(r"/[^/]+/?", path)) and not re.search(r"\d{3,}|\.(?:html?|aspx?|php|jsp)$", path)


def _named_elsewhere(name: str) -> bool:
    """A name that reads as something other than a unit portal ('Tin tức', 'Liên hệ')."""
    return bool(re.match(r"^(?:xem |tin tuc|lien he|gioi thieu|trang chu|xem them|so do|van ban|thong bao|"
                         r"english|dang nhap|hoi dap)\b", fold(name)))


def build_proposal(root_url: str, root: Portal | None, portals: dict[str, Portal],
                   observations: Iterable[tuple[str, Any]], *, province: units.Unit | None = None,
                   root_level: str | None = None) -> list[dict[str, Any]]:
    """The proposed registry: the parent first, then its subordinate portals (departments first)."""
    builder = ProposalBuilder(root_url, (root.title if root else ""), province=province, root_level=root_level)
    if root and root.final_url:
        builder.ids[portal_key(root.final_url)] = builder.root.id
        if portal_key(root.final_url) != portal_key(root_url):
            builder.root.url, builder.root.final_url = root.final_url, root_url
    pending = list(observations)
    # Observations of a child portal's pages name that child as parent: rows of depth 1 first.
    for _ in range(8):
        left = []
        for parent_key, link in pending:
            if parent_key in builder.ids:
                builder.add(parent_key, link, portals)
            else:
                left.append((parent_key, link))
        if len(left) == len(pending):
            break
        pending = left
    return builder.result()
