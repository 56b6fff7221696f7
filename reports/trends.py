"""Trend pages: the province's average and band distribution over runs, the compliance rate per rule,
the most improved and most regressed agencies, and per agency its score line and findings' history.

Charts are inline SVG (no script, no CDN) with a <title>/<desc> and, beside each, the same numbers as a
table — the text alternative that a screen reader or a printout uses.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from core.store import Store
from reports.history import load_history, movers, province_trend, rule_state

from . import i18n
from .coverage import T as COVERAGE_TEXTS
from .coverage import coverage_trend
from .html import _environment, agency_filenames
from .progress import Decisions, build_progress, next_run

BAND_COLOURS = ["#0a5c2b", "#3c8d3f", "#8fb339", "#d9a300", "#d46a00", "#8a1414", "#6b6b6b"]


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def label_colour(fill: str) -> str:
    """White or near-black text, whichever contrasts more with ``fill`` (WCAG 1.4.3 asks 4.5:1)."""
    return "#ffffff" if contrast("#ffffff", fill) >= contrast("#111111", fill) else "#111111"


def line_chart(points: list[tuple[str, float | None]], *, title: str, desc: str, width: int = 640,
               height: int = 220, ymax: float = 100.0) -> Markup:
    """A 0–``ymax`` line over labelled points; ``None`` breaks the line (a run with no score)."""
    left, right, top, bottom = 40, 12, 12, 28
    inner_w, inner_h = width - left - right, height - top - bottom
    n = max(len(points), 1)

    def x(i: int) -> float:
        return left + (inner_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + inner_h * (1 - max(0.0, min(v, ymax)) / ymax)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}"><title>{escape(title)}</title>'
             f'<desc>{escape(desc)}</desc>']
    for tick in range(0, int(ymax) + 1, 25):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'stroke="#dddddd"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" '
                     f'text-anchor="end">{tick}</text>')
    segment: list[str] = []
    for i, (label, value) in enumerate(points):
        parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" font-size="11" text-anchor="middle">{escape(label)}</text>')
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline fill="none" stroke="#0b4f8a" stroke-width="2" points="{" ".join(segment)}"/>')
            segment = []
            parts.append(f'<text x="{x(i):.1f}" y="{y(0) - 4:.1f}" font-size="11" text-anchor="middle" '
                         f'fill="#8a1414">×</text>')
            continue
        segment.append(f"{x(i):.1f},{y(value):.1f}")
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="#0b4f8a"/>')
    if len(segment) > 1:
        parts.append(f'<polyline fill="none" stroke="#0b4f8a" stroke-width="2" points="{" ".join(segment)}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars(rows: list[tuple[str, dict[str, int]]], bands: list[str], *, title: str, desc: str,
                 width: int = 640, bar_h: int = 22) -> Markup:
    """One horizontal bar per run, split by band (share of audited agencies)."""
    left, gap = 70, 8
    height = len(rows) * (bar_h + gap) + 30
    inner = width - left - 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}"><title>{escape(title)}</title><desc>{escape(desc)}</desc>']
    for r, (label, counts) in enumerate(rows):
        total = sum(counts.values()) or 1
        ypos = r * (bar_h + gap) + 4
        parts.append(f'<text x="{left - 6}" y="{ypos + bar_h * 0.7:.1f}" font-size="11" text-anchor="end">'
                     f'{escape(label)}</text>')
        xpos = float(left)
        for b, band in enumerate(bands):
            count = counts.get(band, 0)
            if not count:
                continue
            w = inner * count / total
            fill = BAND_COLOURS[b % len(BAND_COLOURS)]
            parts.append(f'<rect x="{xpos:.1f}" y="{ypos}" width="{w:.1f}" height="{bar_h}" fill="{fill}"/>')
            if w > 18:
                parts.append(f'<text x="{xpos + w / 2:.1f}" y="{ypos + bar_h * 0.7:.1f}" font-size="11" '
                             f'fill="{label_colour(fill)}" text-anchor="middle">{escape(band)}:{count}</text>')
            xpos += w
    legend_y = height - 8
    for b, band in enumerate(bands):
        parts.append(f'<rect x="{left + b * 60}" y="{legend_y - 10}" width="10" height="10" '
                     f'fill="{BAND_COLOURS[b % len(BAND_COLOURS)]}"/><text x="{left + b * 60 + 14}" '
                     f'y="{legend_y}" font-size="11">{escape(band)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def render_trends(store: Store, out_dir: str | Path, *, bands: list[dict[str, Any]], lang: str = "vi",
                  generated_at: datetime | None = None, rules: list[Any] | None = None, cron: str | None = None,
                  decisions: Decisions | None = None) -> Path:
    """Write ``trends/index.html`` and ``trends/<agency>.html`` under ``out_dir``; return the index path.

    ``rules`` (the ruleset's) give the rules' order and titles; ``cron`` the schedule, if one is configured,
    for the date of the next run; ``decisions`` the inspector decisions in force (see reports.progress)."""
    out = Path(out_dir) / "trends"
    out.mkdir(parents=True, exist_ok=True)
    env = _environment(lang)
    band_ids = [b["id"] for b in bands]
    band_labels = {b["id"]: i18n.localize(b.get("label"), lang) or b["id"] for b in bands}
    runs, history, names = load_history(store)
    if not runs:
        raise ValueError("no runs")
    province = province_trend(store, band_ids)
    moved = movers(store)
    files = agency_filenames([{"id": aid} for aid in names])
    generated = (generated_at or datetime.now(UTC)).isoformat(timespec="seconds")
    run = store.run(runs[-1]["id"])
    labels = [f"#{r['id']}" for r in runs]
    average_desc = "; ".join(f"{lab}: {'—' if p['average'] is None else i18n.fmt_number(p['average'], lang)}"
                             for lab, p in zip(labels, province, strict=True))
    titles = rule_titles(store, rules or [], lang)
    levels = {(row["run_id"], row["id"]): row["level"] or "" for row in
              store.db.query("select run_id, id, level from agencies")}
    progress = build_progress(runs, history, names, levels, list(titles), decisions)
    rules_seen = progress["rules"]
    level_desc = "; ".join(f"{lab}: {i18n.fmt_number(p['overall'].rate, lang) or '—'}"
                           for lab, p in zip(labels, progress["runs"], strict=True))
    extra = [b for p in province for b in p["bands"] if b not in band_ids]
    all_bands = band_ids + sorted(set(extra))
    context = {
        "run": run, "generated_at": generated, "lang": lang, "runs": runs, "province": province,
        "rules": rules_seen, "titles": titles, "progress": progress, "bands": all_bands,
        "next_run": next_run(cron, datetime.now().astimezone()), "cron": cron,
        "rate_chart": line_chart([(lab, p["overall"].rate) for lab, p in zip(labels, progress["runs"], strict=True)],
                                 title=i18n.t(lang, "pr_overall_title"), desc=level_desc), "band_labels": band_labels, "movers": moved, "files": files,
        "average_chart": line_chart([(lab, p["average"]) for lab, p in zip(labels, province, strict=True)],
                                    title=T[lang]["average_title"], desc=average_desc),
        "band_chart": stacked_bars([(lab, p["bands"]) for lab, p in zip(labels, province, strict=True)], all_bands,
                                   title=T[lang]["bands_title"],
                                   desc="; ".join(f"{lab}: " + ", ".join(f"{b} {c}" for b, c in p["bands"].items() if c)
                                                  for lab, p in zip(labels, province, strict=True))),
        "site_title": T[lang]["province_title"], "T": T[lang], "root": "../",
        "coverage_trend": coverage_trend(store), "CT": COVERAGE_TEXTS[lang],
    }
    index = out / "index.html"
    index.write_text(env.get_template("trends.html.j2").render(**context), encoding="utf-8")
    page = env.get_template("agency_trend.html.j2")
    for agency_id, rows in history.items():
        points = [(f"#{r.run_id}", r.score if r.audited else None) for r in rows]
        desc = "; ".join(f"{lab}: " + (i18n.fmt_number(v, lang) if v is not None else T[lang]["no_score"])
                         for lab, v in points)
        judged = {rule for r in rows for rule in r.rules}
        agency_rules = [rule for rule in rules_seen if rule in judged]
        html = page.render(**context, agency_id=agency_id, name=names[agency_id], rows=rows, agency_rules=agency_rules,
                           chart=line_chart(points, title=T[lang]["score_title"].format(name=names[agency_id]),
                                            desc=desc), rule_state=rule_state, agency_file=files[agency_id])
        (out / files[agency_id]).write_text(html, encoding="utf-8")
    return index


def rule_titles(store: Store, rules: list[Any], lang: str) -> dict[str, str]:
    """Rule id → its title in ``lang``: the ruleset's, else the one stored with its latest finding."""
    titles = {rule.id: i18n.localize(rule.title, lang) for rule in rules}
    for row in store.db.query("select rule_id, title from findings where rowid in "
                              "(select max(rowid) from findings group by rule_id)"):
        if row["rule_id"] not in titles:
            stored = json.loads(row["title"]) if (row["title"] or "").startswith("{") else row["title"]
            titles[row["rule_id"]] = i18n.localize(stored, lang) or i18n.t(lang, "unknown")
    return titles


T = {
    "vi": {
        "province_title": "Diễn biến qua các lượt kiểm tra",
        "average_title": "Điểm trung bình của tỉnh qua các lượt (chỉ tính cơ quan đã kiểm tra)",
        "bands_title": "Phân bố xếp loại qua các lượt",
        "compliance_title": "Tỷ lệ cơ quan đạt từng tiêu chí qua các lượt (%)",
        "movers_title": "Tiến bộ và thụt lùi nhiều nhất (từ lượt kiểm tra được đầu tiên đến gần nhất)",
        "improved": "Tiến bộ nhiều nhất", "regressed": "Thụt lùi nhiều nhất",
        "not_comparable": "Chưa so sánh được (được kiểm tra dưới 2 lượt)",
        "score_title": "Điểm của {name} qua các lượt", "no_score": "không có điểm (chưa kiểm tra được)",
        "findings_history": "Lịch sử kết quả từng tiêu chí", "run": "Lượt", "date": "Ngày", "average": "Điểm TB",
        "audited": "Đã kiểm tra", "agency": "Cơ quan", "change": "Thay đổi", "from": "Từ", "to": "Đến",
        "status": "Tình trạng", "score": "Điểm", "band": "Xếp loại", "rule": "Tiêu chí", "none": "Không có",
        "back": "← Về trang tổng hợp", "agency_page": "Bảng điểm lượt gần nhất", "trend_index": "Diễn biến của tỉnh",
        "not_audited_note": "× = lượt không kiểm tra được (không tính là khắc phục hay thụt lùi)",
        "chart_table": "Số liệu của biểu đồ",
    },
    "en": {
        "province_title": "Trends over runs",
        "average_title": "Province average score over runs (audited agencies only)",
        "bands_title": "Band distribution over runs",
        "compliance_title": "Share of agencies passing each rule, per run (%)",
        "movers_title": "Most improved and most regressed (first to latest audited run)",
        "improved": "Most improved", "regressed": "Most regressed",
        "not_comparable": "Not comparable (audited in fewer than 2 runs)",
        "score_title": "Score of {name} over runs", "no_score": "no score (not audited)",
        "findings_history": "Each rule's result over runs", "run": "Run", "date": "Date", "average": "Average",
        "audited": "Audited", "agency": "Agency", "change": "Change", "from": "From", "to": "To",
        "status": "Status", "score": "Score", "band": "Band", "rule": "Rule", "none": "None",
        "back": "← Back to the summary", "agency_page": "Latest scorecard", "trend_index": "Province trends",
        "not_audited_note": "× = run in which the agency could not be audited (neither a fix nor a regression)",
        "chart_table": "The chart's numbers",
    },
}
