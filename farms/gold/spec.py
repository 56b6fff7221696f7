"""The gold portal spec: the states a spec may name, its normalised form, and the labels derived from it."""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from farms.gold import vocab
from tctt.vntext import slug_words

PLATFORMS = ("drupal", "nukeviet", "joomla", "wordpress", "sharepoint", "liferay", "oracle", "dotnet", "numeric",
             "datepath")
# A spec without a platform gets one of these ten: the draw consumes the spec's random stream the same way
# whatever is appended to PLATFORMS, so a new platform never changes the other gold portals.
DRAWN_PLATFORMS = PLATFORMS[:10]
REACHES = ("menu", "footer", "banner", "subdomain", "parent", "sitemap", "none", "submenu", "landing", "banner_ocr",
           "sitemap_index", "sitemap_gz")
CATALOGUES = ("full", "full_alt", "merged", "index", "tree", "empty_rows", "pdf", "docx", "xlsx", "xls_html",
              "scanned_pdf", "dead_link", "absent")
# The provinces' landline area codes of Vietnam's numbering plan (since 2017): a made-up code is not a
# phone number to libphonenumber, nor to a citizen.
AREA_CODES = (203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 218, 219, 220, 221, 222, 225,
              226, 227, 228, 229, 232, 233, 234, 235, 236, 237, 238, 239, 251, 252, 254, 255, 256, 257, 258, 259,
              260, 261, 262, 263, 269, 270, 271, 272, 273, 274, 275, 276, 277, 290, 291, 292, 293, 294, 296, 297,
              299)
FOCALS = ("complete", "commune", "prose", "phone_only", "heading_only", "image_only", "spokesperson", "absent")
REQUESTS = ("email", "form", "mention", "absent")
COMPLAINTS = ("present", "mention", "absent")
GUIDANCES = ("steps", "mention", "absent")
DOWNLOADS = ("link", "absent")
REGULATIONS = ("page", "pdf", "scanned_pdf", "news", "working_rules", "absent")
CONDITIONALS = ("table", "absent")
TRAPS = ("most_viewed", "news_category", "directive_news", "law_text", "legal_access", "spokesperson_page",
         "working_rules", "land_forms", "public_service", "many_news", "tag_archive")
URL_TRAPS = ("none", "jsessionid", "port", "en_prefix", "print", "www")
# single: every part on the section page; subpages: catalogues, regulation (and sometimes guidance) on
# their own pages; pages: every part on its own page, the section page a list of them; menu: the same,
# but the list is a side menu (site chrome) beside a bare introduction.
LAYOUTS = ("single", "subpages", "pages", "menu")
# How the section's editors mark its headings: real tags, bold paragraphs, bare capitals, Word's HTML.
HEADING_STYLES = ("tags", "strong", "upper", "word")
_NEWS = re.compile(r"/(tin-tuc|tin_tuc)/|/Lists/Posts/")

ALL_FORMS = list(vocab.FORMS)
ELEMENT_DEFAULTS = {"catalogue": "full", "focal": "complete", "request_address": "email", "complaint": "present",
                    "forms": "all", "guidance": "steps", "download": "link", "regulation": "page",
                    "conditional": "absent"}
SERVER_HEADERS = {"sharepoint": "Microsoft-IIS/10.0", "dotnet": "Microsoft-IIS/8.5", "datepath": "Microsoft-IIS/8.5",
                  "oracle": "Oracle-Application-Server-10g", "liferay": "Apache-Coyote/1.1",
                  "nukeviet": "nginx", "wordpress": "nginx/1.18.0", "joomla": "Apache", "drupal": "Apache/2.4.41 (Ubuntu)",
                  "numeric": "Microsoft-IIS/10.0"}


class SpecError(ValueError):
    """A portal spec names an unknown platform, element state or trap."""


@dataclass
class Portal:
    id: str
    spec: dict[str, Any]
    files: dict[str, bytes]
    home: str
    section: list[str] | None
    labels: dict[str, str]
    registry: dict[str, str]
    hosts: list[str] = field(default_factory=list)
    server: str = "Apache"


# --- spec ----------------------------------------------------------------------------------------
def _check(value: Any, allowed: tuple[str, ...], what: str, spec_id: str) -> None:
    if value not in allowed:
        raise SpecError(f"{spec_id}: {what} {value!r} is not one of {', '.join(allowed)}")


def normalize(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every default filled in (deterministically from its seed), validated."""
    if not spec.get("id"):
        raise SpecError("a portal spec needs an id")
    s = dict(spec)
    sid = str(s["id"])
    rng = random.Random(s.get("seed", zlib.crc32(sid.encode())))
    province, province_host = vocab.PROVINCES[rng.randrange(len(vocab.PROVINCES))]
    s.setdefault("province", province)
    province_host = s.get("province_host") or dict(vocab.PROVINCES).get(s["province"], province_host)
    s["province_host"] = province_host
    level = s.setdefault("level", "department")
    if not s.get("name"):
        if level == "ministry":
            s["name"], code = vocab.MINISTRIES[rng.randrange(len(vocab.MINISTRIES))]
        elif level == "commune":
            commune, code = vocab.COMMUNES[rng.randrange(len(vocab.COMMUNES))]
            s["name"] = f"UBND xã {commune}"
        elif level == "province":
            kind = "thành phố" if s["province"] in vocab.CITIES else "tỉnh"
            s["name"], code = f"UBND {kind} {s['province']}", ""
        else:
            dept, code = vocab.DEPARTMENTS[rng.randrange(len(vocab.DEPARTMENTS))]
            kind = "thành phố" if s["province"] in vocab.CITIES else "tỉnh"
            s["name"] = f"{dept.removesuffix(' tỉnh')} {kind} {s['province']}"
    else:
        code = re.sub(r"[^a-z]", "", "".join(w[0] for w in slug_words(s["name"]).split()[:4]))
    s.setdefault("code", code or "portal")
    if not s.get("host"):
        if level == "ministry":
            s["host"] = f"{s['code']}.gov.test"
        elif level == "province":
            s["host"] = f"{province_host}.gov.test"
        else:
            s["host"] = f"{s['code']}.{province_host}.gov.test"
    s.setdefault("parent_host", f"{province_host}.gov.test")
    drawn = DRAWN_PLATFORMS[rng.randrange(len(DRAWN_PLATFORMS))]  # drawn even when named: later draws stay put
    s.setdefault("platform", drawn)
    _check(s["platform"], PLATFORMS, "platform", sid)
    s.setdefault("site", s["code"] if s["platform"] in ("liferay", "oracle") else None)
    s.setdefault("reach", "menu")
    _check(s["reach"], REACHES, "reach", sid)
    s.setdefault("layout", rng.choice(LAYOUTS[:2]))
    _check(s["layout"], LAYOUTS, "layout", sid)
    s.setdefault("url_trap", "none")
    _check(s["url_trap"], URL_TRAPS, "url_trap", sid)
    s.setdefault("label", rng.choice(vocab.SECTION_LABELS))
    s.setdefault("slug", rng.choice(vocab.SECTION_SLUGS))
    elements = {**ELEMENT_DEFAULTS, **(s.get("elements") or {})}
    for key, allowed in (("catalogue", CATALOGUES), ("focal", FOCALS), ("request_address", REQUESTS),
                         ("complaint", COMPLAINTS), ("guidance", GUIDANCES), ("download", DOWNLOADS),
                         ("regulation", REGULATIONS), ("conditional", CONDITIONALS)):
        _check(elements[key], allowed, f"elements.{key}", sid)
    forms = elements["forms"]
    if isinstance(forms, list):
        unknown = [f for f in forms if f not in vocab.FORMS]
        if unknown:
            raise SpecError(f"{sid}: unknown forms {unknown}")
    else:
        _check(forms, ("all", "land", "absent"), "elements.forms", sid)
    s["elements"] = elements
    s["traps"] = list(s.get("traps") or [])
    for trap in s["traps"]:
        _check(trap, TRAPS, "trap", sid)
    s.setdefault("seed", zlib.crc32(sid.encode()))
    style = dict(s.get("style") or {})
    style.setdefault("headings", rng.choices(HEADING_STYLES, [50, 20, 15, 15])[0])
    style.setdefault("unicode", rng.choices(["nfc", "nfd"], [85, 15])[0])
    _check(style["headings"], HEADING_STYLES, "style.headings", sid)
    _check(style["unicode"], ("nfc", "nfd"), "style.unicode", sid)
    s["style"] = style
    return s


# --- labels --------------------------------------------------------------------------------------
CATALOGUE_STATUS = {"full": "pass", "full_alt": "pass", "merged": "pass", "pdf": "pass", "docx": "pass",
                    "xlsx": "pass", "xls_html": "pass", "index": "partial", "tree": "partial",
                    "empty_rows": "partial", "scanned_pdf": "partial", "dead_link": "fail", "absent": "fail"}
FOCAL_STATUS = {"complete": "pass", "commune": "pass", "prose": "pass", "phone_only": "partial",
                "heading_only": "fail", "image_only": "fail", "spokesperson": "fail", "absent": "fail"}
THREE = {"pass": "pass", "partial": "partial", "fail": "fail"}


def derive_labels(spec: dict[str, Any]) -> dict[str, str]:
    """The labelling policy, from what the spec says is present: the status an inspector applying the
    core ruleset would give each rule. Gold YAML files state their labels explicitly; this derives
    them for synthetic portals and checks the gold files agree with the policy."""
    s = normalize(spec)
    e = s["elements"]
    found = s["reach"] != "none"
    regulation = "pass" if e["regulation"] == "news" or (found and e["regulation"] in ("page", "pdf", "scanned_pdf")) \
        else "fail"
    if not found:
        labels = {rule: "fail" for rule in ("section-exists", "public-catalogue", "focal-point", "request-address",
                                            "complaint-channel", "request-forms", "requester-guidance",
                                            "download-addresses")}
        labels["internal-regulation"] = regulation
        # National law asks for this catalogue to be drawn up, not published: its absence is the inspector's.
        labels["conditional-catalogue"] = "manual"
        return labels
    forms = e["forms"]
    if forms == "all" or (isinstance(forms, list) and set(ALL_FORMS) <= set(forms)):
        forms_status = "pass"
    elif isinstance(forms, list) and forms:
        forms_status = "partial"
    else:
        forms_status = "fail"
    files = e["catalogue"] in ("full", "full_alt", "merged", "pdf", "docx", "xlsx", "xls_html", "scanned_pdf") or \
        e["regulation"] in ("pdf", "scanned_pdf")
    return {
        "section-exists": "pass",
        "public-catalogue": CATALOGUE_STATUS[e["catalogue"]],
        "focal-point": FOCAL_STATUS[e["focal"]],
        "request-address": {"email": "pass", "form": "pass", "mention": "partial", "absent": "fail"}[e["request_address"]],
        "complaint-channel": {"present": "pass", "mention": "partial", "absent": "fail"}[e["complaint"]],
        "request-forms": forms_status,
        "requester-guidance": {"steps": "pass", "mention": "partial", "absent": "fail"}[e["guidance"]],
        "download-addresses": "pass" if e["download"] == "link" or files else "fail",
        "internal-regulation": regulation,
        "conditional-catalogue": "pass" if e["conditional"] == "table" else "manual",
    }


# --- URL shapes ----------------------------------------------------------------------------------
