"""Render the run model as a static, self-contained HTML site: a province summary and one page per agency.

No CDN, no web fonts, no JavaScript: the stylesheet is inlined in each page so that a single agency page
still reads (and prints) correctly when it is mailed or saved on its own. Autoescaping is on for every
template; portal-supplied URLs become links only when they are plain http(s) addresses.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from core.statuses import UNWEIGHTED
from core.vntext import fold

from . import archive, i18n
from .links import is_http_url

TEMPLATES = Path(__file__).parent / "templates"

_FILENAME_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_filename(agency_id: str) -> str:
    """A portable file stem for an agency id: ASCII lower-case letters, digits, '.', '_' and '-'."""
    stem = _FILENAME_UNSAFE.sub("-", fold(str(agency_id))).strip(".-_")[:80].strip(".-_")
    if not stem or stem in _WINDOWS_RESERVED:
        stem = f"agency-{stem}" if stem else "agency"
    return stem


def agency_filenames(agencies: list[dict[str, Any]]) -> dict[str, str]:
    """Agency id → ``'<stem>.html'``, unique even when two ids sanitise to the same stem."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for agency in agencies:
        stem = base = safe_filename(agency["id"])
        n = 2
        while stem in used:
            stem = f"{base}-{n}"
            n += 1
        used.add(stem)
        names[agency["id"]] = f"{stem}.html"
    return names


def _environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        lang=lang,
        css=Markup((TEMPLATES / "style.css").read_text(encoding="utf-8")),
        t=lambda key, **values: i18n.t(lang, key, **values),
        is_http_url=is_http_url,
        UNWEIGHTED=UNWEIGHTED,
        SYMBOLS=i18n.SYMBOLS,
        bucket_label=lambda b: i18n.bucket_label(b, lang),
    )
    env.filters.update(
        agency_status=lambda s: i18n.agency_status_label(s, lang),
        agency_status_why=lambda s: i18n.agency_status_why(s, lang),
        finding_status=lambda s: i18n.finding_status_label(s, lang),
        run_status=lambda s: i18n.run_status_label(s, lang),
        rule_class=lambda s: i18n.class_label(s, lang),
        level=lambda s: i18n.level_label(s, lang),
        num=lambda v, digits=1: i18n.fmt_number(v, lang, digits),
        pct=lambda v: i18n.fmt_percent(v, lang),
        datetime=lambda v: i18n.fmt_datetime(v, lang),
        date=lambda v: i18n.fmt_date(v, lang),
        citation=i18n.split_provisional,
        archive_page=archive.archive_page,
    )
    env.globals["archive_label"] = archive.LABELS[lang]["link"]
    return env


def render_site(model: dict[str, Any], out_dir: str | Path, *, lang: str = "vi",
                generated_at: datetime | None = None) -> Path:
    """Write ``index.html`` and ``agencies/<id>.html`` under ``out_dir``; return the path of ``index.html``.

    ``lang`` must be the language the model was built in (its texts are already localised).
    """
    i18n.check_lang(lang)
    model_lang = model.get("lang", lang)
    if model_lang != lang:
        raise ValueError(f"Mô hình được tạo bằng ngôn ngữ {model_lang!r}, không phải {lang!r} / the model was "
                         f"built in {model_lang!r}, not {lang!r}: call build_run_model(..., lang={lang!r})")
    out = Path(out_dir)
    (out / "agencies").mkdir(parents=True, exist_ok=True)
    env = _environment(lang)
    files = agency_filenames(model["agencies"])
    context = _context(model, lang, generated_at or datetime.now(UTC))

    index = out / "index.html"
    index.write_text(env.get_template("index.html.j2").render(**context, files=files, root=""),
                     encoding="utf-8")
    page = env.get_template("agency.html.j2")
    for agency in model["agencies"]:
        html = page.render(**context, agency=agency, totals=_totals(agency), root="../", files=files)
        (out / "agencies" / files[agency["id"]]).write_text(html, encoding="utf-8")
    return index


def _context(model: dict[str, Any], lang: str, generated_at: datetime) -> dict[str, Any]:
    agencies = model["agencies"]
    provinces = {a.get("province") for a in agencies if a.get("province")}
    province = provinces.pop() if len(provinces) == 1 else None
    summary = model.get("summary") or {}
    audited = [a for a in agencies if a["status"] == "audited"]
    band_labels = {b["id"]: b["label"] for b in model.get("bands", [])}
    band_rows = []
    for band_id, count in (summary.get("band_counts") or {}).items():
        label = band_labels.get(band_id, band_id) if band_id else i18n.t(lang, "no_band")
        share = (100 * count / len(audited)) if audited else 0
        band_rows.append({"id": band_id, "label": label, "count": count, "share": share})
    site_title = (i18n.t(lang, "site_title_province", province=province) if province
                  else i18n.t(lang, "site_title"))
    return {
        "run": model["run"],
        "agencies": agencies,
        "audited": audited,
        "unaudited": [a for a in agencies if a["status"] != "audited"],
        "status_counts": summary.get("status_counts") or {},
        "awaiting_review": [a for a in audited if a.get("section_status") == "unsure"],
        "band_rows": band_rows,
        "site_title": site_title,
        "incomplete": model["run"].get("status") != "complete",
        "trends": bool(model.get("trends")),
        "province": model.get("province"),
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "accuracy": _accuracy_summary(model.get("accuracy"), model.get("rule_titles") or {}),
        **_coverage_context(model.get("coverage"), lang),
    }


def _coverage_context(coverage: list[dict[str, Any]] | None, lang: str) -> dict[str, Any]:
    from .coverage import T as COVERAGE_TEXTS

    return {"coverage": coverage or [], "CT": COVERAGE_TEXTS[lang]}


def _accuracy_summary(accuracy: dict[str, Any] | None, titles: dict[str, str]) -> dict[str, Any] | None:
    """Section accuracy and the lowest rule F1 measured on the gold set, for the footer (the rule by its
    title when ``titles`` knows it: no slug on a page people read)."""
    if not accuracy or accuracy.get("section_accuracy") is None:
        return None
    scores = [(r.get("f1"), rule_id) for rule_id, r in (accuracy.get("rules") or {}).items() if r.get("f1") is not None]
    lowest = min(scores) if scores else (None, None)
    return {"portals": accuracy.get("gold_portals"), "section": accuracy["section_accuracy"],
            "min_f1": lowest[0], "min_rule": titles.get(lowest[1], lowest[1]), "measured_at": (accuracy.get("measured_at") or "")[:10]}


def _totals(agency: dict[str, Any]) -> dict[str, Any]:
    """Sums of the scorecard's weighted rows (not_applicable and manual weigh nothing)."""
    rows = [f for f in agency["findings"] if f["status"] not in UNWEIGHTED]
    return {
        "score": sum(f["score"] or 0 for f in rows),
        "max_score": sum(f["max_score"] or 0 for f in rows),
        "excluded": len(agency["findings"]) - len(rows),
    }
