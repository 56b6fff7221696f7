"""The section finding measured on real agency pages labelled by hand (``tests/data/realpages``).

Each stored page is a public copy of a page's beginning (its text, no markup). It is read as the crawler
would read it: the title and the short lines (headings, menu entries, link labels — what the crawler
takes as the page's structure) are classified by ``crawler.classify.detect``, the content is confirmed by
``crawler.discovery.confirm`` and the page's own title and address stand for the link that led to it
(``crawler.discovery.score_link``). The confidence is then split by the section thresholds
(``core.sectionstatus``) into found, unsure and absent, and compared with the hand label.

Nothing here touches the network: the pages are files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from core.sectionstatus import Thresholds, thresholds
from crawler import discovery
from crawler.classify import detect

REALPAGES_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "realpages"
STRUCTURE_MAX = 120  # a line this short is a heading, a menu entry or a link label, not prose


class RealPagesError(Exception):
    """The folder or its labels cannot be read."""


def load(folder: str | Path | None = None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(page, label) pairs, in label order. Every labelled page must exist and every page be labelled."""
    root = Path(folder) if folder else REALPAGES_DIR
    try:
        labels = yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8"))["pages"]
        pages = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((root / "pages").glob("*.json"))}
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise RealPagesError(f"Không đọc được bộ trang thật / cannot read the real-page set in {root}: {exc}") from exc
    missing = sorted(set(labels) - set(pages))
    unlabelled = sorted(set(pages) - set(labels))
    if missing or unlabelled:
        raise RealPagesError(f"Nhãn và trang không khớp / labels and pages differ: no page for {missing}, "
                             f"no label for {unlabelled}")
    return [(pages[pid], {"id": pid, **label}) for pid, label in labels.items()]


def as_page(record: dict[str, Any]) -> dict[str, Any]:
    """The stored copy as a crawled page record (with the classifier's signals)."""
    text = record.get("text") or ""
    title = record.get("title") or ""
    structure = [line.strip() for line in text.split("\n") if line.strip() and len(line.strip()) <= STRUCTURE_MAX]
    signals = detect(title, structure, text, record["url"])
    return {"url": record["url"], "final_url": record["url"], "title": title, "text": text, "structure": structure,
            "links": [], "tables": [], "status": 200, "kind": "page", "signals": signals}


def judge(record: dict[str, Any], limits: Thresholds | None = None) -> dict[str, Any]:
    """Confidence that the page is the section, and its status under the thresholds."""
    limits = limits or thresholds()
    page = as_page(record)
    link_score, link_reasons = discovery.score_link({"url": record["url"], "text": record.get("title") or ""})
    content, reasons = discovery.confirm(page, [])
    confidence = discovery.combine(link_score, content)
    return {"confidence": confidence, "link_score": round(link_score, 3), "content_score": content,
            "status": limits.status(confidence), "reasons": link_reasons + reasons}


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def evaluate(folder: str | Path | None = None, limits: Thresholds | None = None) -> dict[str, Any]:
    """Precision and recall of the section finding on the real pages, with every page's verdict.

    A page predicted ``found`` that is labelled the section is a true positive. ``unsure`` is neither: it
    goes to an inspector, and is counted apart (``unsure``), as in the reports.
    """
    limits = limits or thresholds()
    rows = []
    for record, label in load(folder):
        verdict = judge(record, limits)
        rows.append({"id": label["id"], "url": record["url"], "stored": record.get("stored"),
                     "kind": label.get("kind"), "agency": label.get("agency"), "expected": bool(label["section"]),
                     **verdict})
    tp = sum(1 for r in rows if r["expected"] and r["status"] == "found")
    fp = sum(1 for r in rows if not r["expected"] and r["status"] == "found")
    fn = sum(1 for r in rows if r["expected"] and r["status"] == "absent")
    unsure_pos = sum(1 for r in rows if r["expected"] and r["status"] == "unsure")
    unsure_neg = sum(1 for r in rows if not r["expected"] and r["status"] == "unsure")
    positives = sum(1 for r in rows if r["expected"])
    negatives = len(rows) - positives
    items = item_agreement(folder)
    misses = [r for r in rows if (r["expected"] and r["status"] != "found") or (not r["expected"] and r["status"] != "absent")]
    return {
        "folder": str(Path(folder) if folder else REALPAGES_DIR), "pages": len(rows), "positives": positives,
        "negatives": negatives, "thresholds": {"found": limits.found, "absent": limits.absent},
        "tp": tp, "fp": fp, "fn": fn, "tn": sum(1 for r in rows if not r["expected"] and r["status"] == "absent"),
        "unsure": {"sections": unsure_pos, "non_sections": unsure_neg},
        # found-precision; recall counts an unsure section as not (yet) found
        "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, positives),
        # the share of non-sections wrongly reported found (the error that gives a false pass)
        "false_found_rate": _ratio(fp, negatives),
        # sections the tool would report absent (the error that gives a false failure)
        "false_absent_rate": _ratio(fn, positives),
        "items": items,
        "rows": rows, "misses": [{k: r[k] for k in ("id", "url", "expected", "status", "confidence", "reasons")}
                                 for r in misses],
    }


ITEM_KINDS = ("public_catalogue", "conditional_catalogue", "focal_point", "forms", "guidance", "regulation")


def item_agreement(folder: str | Path | None = None) -> dict[str, Any]:
    """Which labelled parts of a section the classifier names in a page's structure, and which it names
    where the label says there are none."""
    labelled = found = 0
    missed, extra = [], []
    for record, label in load(folder):
        named = {k for k, s in as_page(record)["signals"]["elements"].items() if s["structural"] and k in ITEM_KINDS}
        wanted = set(label.get("items") or [])
        labelled += len(wanted)
        found += len(wanted & named)
        missed += [f"{label['id']}:{k}" for k in sorted(wanted - named)]
        extra += [f"{label['id']}:{k}" for k in sorted(named - wanted)]
    return {"labelled": labelled, "found": found, "recall": _ratio(found, labelled), "missed": missed, "extra": extra}


def format_figure(result: dict[str, Any]) -> str:
    """One block of text for the terminal, beside the gold-set figure."""
    def show(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    lines = [
        f"Trang thật / real pages: {result['pages']} ({result['positives']} là Chuyên mục / sections, "
        f"{result['negatives']} không phải / not); ngưỡng / thresholds found ≥ {result['thresholds']['found']}, "
        f"absent < {result['thresholds']['absent']}",
        f"  precision {show(result['precision'])}  recall {show(result['recall'])}  "
        f"(TP {result['tp']}, FP {result['fp']}, FN {result['fn']}, TN {result['tn']}; chờ thanh tra viên / unsure: "
        f"{result['unsure']['sections']} Chuyên mục / sections, {result['unsure']['non_sections']} trang khác / others)",
    ]
    items = result["items"]
    lines.append(f"  phần của Chuyên mục / section parts: {items['found']}/{items['labelled']} nhận ra / recognised"
                 + (f"; bỏ sót / missed: {', '.join(items['missed'])}" if items["missed"] else "")
                 + (f"; thừa / extra: {', '.join(items['extra'])}" if items["extra"] else ""))
    for miss in result["misses"]:
        lines.append(f"  - {miss['id']}: mong đợi / expected {'section' if miss['expected'] else 'not section'}, "
                     f"được / got {miss['status']} ({miss['confidence']:.3f})")
    return "\n".join(lines)
