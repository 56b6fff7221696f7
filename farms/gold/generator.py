"""Render a declarative portal spec into a realistic Vietnamese agency portal: HTML pages and documents.

A spec is a small mapping (one YAML file per gold portal, or ``random_spec(seed, i)`` for benchmarks):

    id: stp-lao-cai                     # registry id
    name: Sở Tư pháp tỉnh Lào Cai       # optional: derived from ``agency``/``province``
    platform: drupal                    # see PLATFORMS
    reach: menu                         # menu | footer | banner | subdomain | parent | sitemap | none |
                                        # submenu | landing | banner_ocr | sitemap_index | sitemap_gz
    layout: single                      # single (everything on the section page) | subpages
    url_trap: none                      # none | jsessionid | port | en_prefix | print
    elements: {catalogue: full, focal: complete, request_address: email, complaint: present,
               forms: all, guidance: steps, download: link, regulation: page, conditional: absent}
    traps: [most_viewed, news_category]  # false friends elsewhere on the portal
    expect: {section: <url path or null>, rules: {rule-id: pass|partial|fail}}

``build(spec)`` returns a :class:`Portal` (files keyed ``"host/path?query"``, its home URL, the expected
section and labels); ``generate(spec)`` only the files. Both are pure and deterministic: the wording,
names and numbers are drawn from a ``random.Random`` seeded by the spec's ``seed`` (default: its id).
Host names end in ``.gov.test`` (RFC 2606: never a real host); ``farms.gold.resolver`` maps them to loopback.
"""

from __future__ import annotations

import random
from typing import Any

from farms.gold import vocab
from farms.gold.platforms.site import Builder
from farms.gold.spec import (  # the spec's vocabulary, read here by callers and tests
    ALL_FORMS,
    AREA_CODES,
    CATALOGUES,
    COMPLAINTS,
    CONDITIONALS,
    DOWNLOADS,
    ELEMENT_DEFAULTS,
    FOCALS,
    GUIDANCES,
    HEADING_STYLES,
    LAYOUTS,
    PLATFORMS,
    REACHES,
    REGULATIONS,
    REQUESTS,
    SERVER_HEADERS,
    TRAPS,
    URL_TRAPS,
    Portal,
    SpecError,
    derive_labels,
    normalize,
)

__all__ = ["ALL_FORMS", "AREA_CODES", "CATALOGUES", "COMPLAINTS", "CONDITIONALS", "DOWNLOADS", "ELEMENT_DEFAULTS",
           "FOCALS", "GUIDANCES", "HEADING_STYLES", "LAYOUTS", "PLATFORMS", "REACHES", "REGULATIONS", "REQUESTS",
           "SERVER_HEADERS", "TRAPS", "URL_TRAPS", "Portal", "SpecError", "build", "derive_labels", "generate",
           "normalize", "random_spec"]


def build(spec: dict[str, Any]) -> Portal:
    """Render one portal spec (see the module docstring)."""
    return Builder(spec).build()


def generate(spec: dict[str, Any]) -> dict[str, bytes]:
    """The files of one portal, keyed ``"host/path?query"``."""
    return build(spec).files


def random_spec(seed: int, i: int) -> dict[str, Any]:
    """The ``i``-th synthetic portal of a seeded population (for benchmarks): platform, reach, every
    element's state and the traps drawn independently, so a population covers every combination."""
    rng = random.Random(seed * 1_000_003 + i)
    level = rng.choices(["department", "commune", "province", "ministry"], [6, 3, 1, 1])[0]
    elements = {
        "catalogue": rng.choice(CATALOGUES), "focal": rng.choice(FOCALS), "request_address": rng.choice(REQUESTS),
        "complaint": rng.choice(COMPLAINTS), "guidance": rng.choice(GUIDANCES), "download": rng.choice(DOWNLOADS),
        "regulation": rng.choice(REGULATIONS), "conditional": rng.choice(CONDITIONALS),
        "forms": rng.choice(["all", "all", "land", "absent", sorted(rng.sample(ALL_FORMS, rng.randrange(1, 7)))]),
    }
    reach = rng.choices(REACHES, [8, 2, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1])[0]
    province, province_host = vocab.PROVINCES[rng.randrange(len(vocab.PROVINCES))]
    department, prefix = rng.choice(vocab.DEPARTMENTS)
    code = f"{prefix}{i}s{seed}"
    kind = "thành phố" if province in vocab.CITIES else "tỉnh"
    name = {"department": f"{department.removesuffix(' tỉnh')} {kind} {province}", "province": f"UBND {kind} {province}",
            "commune": f"UBND xã {rng.choice(vocab.COMMUNES)[0]}", "ministry": rng.choice(vocab.MINISTRIES)[0]}[level]
    return {
        "id": f"synthetic-{seed}-{i}", "seed": rng.randrange(2**31), "level": level, "province": province,
        "code": code, "name": name, "host": f"{code}.{province_host}.gov.test", "platform": rng.choice(PLATFORMS), "reach": reach,
        "layout": rng.choice(LAYOUTS), "url_trap": rng.choices(URL_TRAPS, [10, 1, 1, 1, 1, 1])[0],
        "section_news": rng.random() < 0.15,
        "elements": elements, "traps": sorted(rng.sample(TRAPS, rng.randrange(0, 3))),
    }
