"""Checks that need the registry's hierarchy, not just one portal's pages.

- ``subordinate_links`` (TCTT-31): the portal links every subordinate portal the registry names (Law
  104/2016 Art. 19(4); Decree 224/2026 Art. 11(1); Law 01/2026 Art. 11(3)). With no subordinate body in
  the registry it falls back to looking for the list itself (``portal_markers``).
- ``domain_pattern`` (TCTT-36): the host name follows the pattern of Decree 224/2026 Art. 11(4) for the
  agency's level — ``tenbonganh.gov.vn``, ``tentinhthanh.gov.vn``, and one label under the parent's domain
  for a department, a commune or a unit of a ministry.

The crawl of an agency is budgeted and aimed at its access-to-information section, so a unit list kept on a
page the crawl did not reach looks like a missing link: a subordinate portal not seen is ``manual``, never a
failure, unless the portal shows no list of units at all.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from auditors.base import Outcome, auditor, say
from auditors.evidence import Evidence
from auditors.portal import MARKER_PARAMS, portal_markers

_IP = re.compile(r"^[\d.]+$|:")  # not folded: a host name
GOV = ".gov.vn"


def _host(url: str | None) -> str:
    host = (urlsplit(url or "").hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _key(url: str | None) -> str:
    parts = urlsplit(url or "")
    path = re.sub(r"/(?:index|default|trang-chu|home)\.(?:html?|aspx?|php|jsp)$", "/", parts.path or "/",  # not folded: a URL path
                  flags=re.IGNORECASE).rstrip("/")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{_host(url)}{port}{path}"


def children_of(evidence: Evidence) -> list[dict[str, Any]]:
    me = evidence.agency.get("id")
    return [r for r in evidence.registry if r.get("parent") == me and r.get("id") != me]


def _linked(child: dict[str, Any], keys: set[str], hosts: set[str]) -> bool:
    """A link to the child's address (as registered or as it finally answered), or to any page of a host that
    is the child's own (a sub-domain portal; not a sub-site on the parent's shared host)."""
    wanted = {_key(child.get("url")), _key(child.get("final_url"))} - {""}
    if wanted & keys:
        return True
    own_hosts = {_host(u) for u in (child.get("url"), child.get("final_url")) if u and urlsplit(u).path in ("", "/")}
    return bool(own_hosts & hosts)


@auditor("subordinate_links", messages={
    "all": ("Cổng liên kết tới cả {n} đơn vị trực thuộc có trong sổ đăng ký.",
            "The portal links all {n} subordinate bodies of the registry."),
    "none": ("Sổ đăng ký ghi {n} đơn vị trực thuộc nhưng cổng không có liên kết nào tới các đơn vị đó, cũng không có mục "
             "đơn vị trực thuộc hay liên kết website. Chưa thấy: {names}.",
             "The registry names {n} subordinate bodies but the portal links none of them and shows no list of units or "
             "website links. Not seen: {names}."),
    "some": ("Đã thấy liên kết tới {k}/{n} đơn vị trực thuộc; chưa thấy: {names}. Danh sách có thể nằm ở trang chưa được "
             "thu thập hoặc trong hộp chọn: cần kiểm tra.",
             "Links to {k} of {n} subordinate bodies were seen; not seen: {names}. The list may sit on a page the crawl "
             "did not reach or in a select box: an inspector must check."),
}, requires=("registry", "pages.links", "pages.structure", "pages.text", "by_url"),
         params=MARKER_PARAMS)
def subordinate_links(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    children = children_of(evidence)
    if not children:
        return portal_markers(evidence, params)
    keys: set[str] = set()
    hosts: set[str] = set()
    where: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for page in evidence.pages:
        for link in page.get("links") or []:
            url = link.get("url") or ""
            key = _key(url)
            keys.add(key)
            hosts.add(_host(url))
            where.setdefault(key, (page, link))
    linked = [c for c in children if _linked(c, keys, hosts)]
    missing = [c for c in children if c not in linked]
    proof = []
    for child in linked[:10]:
        page, link = where.get(_key(child.get("url")), where.get(_key(child.get("final_url")), (None, None)))
        if page is not None:
            proof.append({"url": page.get("final_url") or page.get("url"), "excerpt": (link or {}).get("text") or
                          child.get("url"), "fetched_at": page.get("fetched_at")})
    details = {"subordinates": len(children), "linked": [c["id"] for c in linked],
               "not_seen": [c["id"] for c in missing]}
    n, k = len(children), len(linked)
    if not missing:
        return Outcome("pass", *say("subordinate_links", "all", n=n), proof, details)
    names = "; ".join(c.get("name") or c["id"] for c in missing[:8]) + ("…" if len(missing) > 8 else "")
    listing = portal_markers(evidence, params)
    if not linked and listing.status == "fail":
        return Outcome("fail", *say("subordinate_links", "none", n=n, names=names), listing.evidence, details)
    return Outcome("manual", *say("subordinate_links", "some", k=k, n=n, names=names), proof + listing.evidence[:2], details)


def _parent(evidence: Evidence) -> dict[str, Any] | None:
    wanted = evidence.agency.get("parent")
    return next((r for r in evidence.registry if wanted and r.get("id") == wanted), None)


_IPV6 = ("Bản ghi IPv6 (AAAA) cần kiểm tra riêng.", "The IPv6 (AAAA) record must be checked separately.")


@auditor("domain_pattern", messages={
    "ipv6_unchecked": (" Chưa kiểm tra được IPv6: cần thanh tra viên xác minh.", " IPv6 was not checked: an inspector must verify it."),
    "ip": ("Sổ đăng ký ghi địa chỉ IP ({host}), không phải tên miền; cần kiểm tra tên miền và IPv6.",
           "The registry gives an IP address ({host}), not a domain; check the domain and IPv6 by hand."),
    "not_gov": ("Cổng dùng tên miền {host}, không thuộc .gov.vn.", "The portal's domain {host} is not under .gov.vn."),
    "follows": ("Tên miền {host} theo mẫu {pattern} của cấp này. " + _IPV6[0],
                "The domain {host} follows this level's pattern {pattern}. " + _IPV6[1]),
    "off_pattern": ("Tên miền {host} thuộc .gov.vn nhưng không theo mẫu {pattern} của cấp này.",
                    "The domain {host} is under .gov.vn but not in this level's pattern {pattern}."),
    "unit_form": ("Tên miền {host} có dạng tendonvi.tencaptren.gov.vn. " + _IPV6[0],
                  "The domain {host} has the form unit.parent.gov.vn. " + _IPV6[1]),
    "no_parent": ("Tên miền {host} thuộc .gov.vn; sổ đăng ký không ghi cơ quan cấp trên có tên miền .gov.vn để đối chiếu "
                  "mẫu tendonvi.tencaptren.gov.vn.",
                  "The domain {host} is under .gov.vn; the registry names no parent with a .gov.vn domain to check the "
                  "pattern unit.parent.gov.vn against."),
    "parent_host": ("Cổng là trang thành phần trên máy chủ của cơ quan cấp trên ({url}); Nghị định 224/2026 Điều 11 khoản 1 "
                    "cho phép, còn tên miền riêng theo khoản 4 có dạng {expected}: cần kiểm tra.",
                    "The portal is a component site on its parent's host ({url}), which Decree 224/2026 Art. 11(1) allows; "
                    "its own domain under Art. 11(4) would be {expected}: an inspector must check."),
    "under_parent": ("Tên miền {host} theo mẫu {expected} (một nhánh dưới tên miền của cơ quan cấp trên). " + _IPV6[0],
                     "The domain {host} follows the pattern {expected} (one label under its parent's domain). " + _IPV6[1]),
}, requires=("agency.url", "agency.level", "registry"))
def domain_pattern(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    """Decree 224/2026 Điều 11 k4 asks for the level's .gov.vn pattern and IPv6: the crawl records no AAAA
    answer, so a right pattern is the inspector's to finish (manual), never a pass on half the clause."""
    outcome = _domain_pattern(evidence, params)
    if outcome.status != "pass":
        return outcome
    ipv6_vi, ipv6_en = say("domain_pattern", "ipv6_unchecked")
    return Outcome("manual", outcome.vi + ipv6_vi, outcome.en + ipv6_en, outcome.evidence,
                   {**outcome.details, "pattern_ok": True, "ipv6_checked": False})


def _domain_pattern(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    url = evidence.agency.get("url") or ""
    host, level = _host(url), evidence.agency.get("level") or ""
    proof = [{"url": url, "excerpt": host, "fetched_at": None}]
    details: dict[str, Any] = {"host": host, "level": level}
    if not host or _IP.search(host):
        return Outcome("manual", *say("domain_pattern", "ip", host=host or "?"), proof, details)
    if not host.endswith(GOV):
        return Outcome("fail", *say("domain_pattern", "not_gov", host=host), proof, details)
    labels = host[: -len(GOV)].split(".")
    if level in ("ministry", "province"):
        pattern = "tenbonganh.gov.vn" if level == "ministry" else "tentinhthanh.gov.vn"
        details["expected"] = pattern
        if len(labels) == 1:
            return Outcome("pass", *say("domain_pattern", "follows", host=host, pattern=pattern), proof, details)
        return Outcome("partial", *say("domain_pattern", "off_pattern", host=host, pattern=pattern), proof, details)
    parent = _parent(evidence)
    parent_host = _host((parent or {}).get("url"))
    if parent is None or not parent_host.endswith(GOV):
        details["expected"] = "tendonvi.<cấp trên>.gov.vn"
        if len(labels) == 2:
            return Outcome("pass", *say("domain_pattern", "unit_form", host=host), proof, details)
        return Outcome("manual", *say("domain_pattern", "no_parent", host=host), proof, details)
    expected = f"tendonvi.{parent_host}"
    details["expected"] = expected
    if host == parent_host:
        return Outcome("manual", *say("domain_pattern", "parent_host", url=url, expected=expected), proof, details)
    if host.endswith("." + parent_host) and host.count(".") == parent_host.count(".") + 1:
        return Outcome("pass", *say("domain_pattern", "under_parent", host=host, expected=expected), proof, details)
    return Outcome("partial", *say("domain_pattern", "off_pattern", host=host, pattern=expected), proof, details)
