"""The section finding on real agency pages labelled by hand (tests/data/realpages)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from core.sectionstatus import Thresholds
from farms.gold import GOLD_DIR
from farms.gold.realpages import REALPAGES_DIR, RealPagesError, as_page, evaluate, format_figure, judge, load


def test_the_set_is_real_labelled_and_sourced():
    pairs = load()
    assert len(pairs) >= 80
    kinds = {label["kind"] for _, label in pairs}
    assert {"section", "law_text", "legal_access", "news", "spokesperson", "working_rules", "citizen_reception",
            "regulation_document", "catalogue_post"} <= kinds
    assert sum(label["section"] for _, label in pairs) >= 2 and sum(not label["section"] for _, label in pairs) >= 70
    for page, _ in pairs:
        assert page["url"].startswith(("http://", "https://")) and page["stored"] and "stored public copy" in page["source"]
        assert len(page["text"]) <= 3000  # only what is needed to judge the page


def test_every_page_gets_a_verdict_and_misses_are_listed():
    result = evaluate()
    assert result["pages"] == len(result["rows"]) == result["positives"] + result["negatives"]
    assert result["tp"] + result["fn"] + result["unsure"]["sections"] == result["positives"]
    assert result["fp"] + result["tn"] + result["unsure"]["non_sections"] == result["negatives"]
    expected_misses = {r["id"] for r in result["rows"]
                       if (r["expected"] and r["status"] != "found") or (not r["expected"] and r["status"] != "absent")}
    assert {m["id"] for m in result["misses"]} == expected_misses
    text = format_figure(result)
    assert "precision" in text and "recall" in text and str(result["pages"]) in text


def test_the_documented_misses_are_the_measured_ones():
    """docs/real-pages.md explains each miss: it must name exactly the pages the tool gets wrong."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "real-pages.md").read_text(encoding="utf-8")
    for miss in evaluate()["misses"]:
        assert miss["id"] in doc, miss


def test_the_published_figures_are_the_measured_ones():
    """The figures docs/real-pages.md publishes for the real pages are what evaluate() measures now."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "real-pages.md").read_text(encoding="utf-8")
    [row] = [line for line in doc.splitlines() if line.startswith("| real pages |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    result = evaluate()
    unsure = result["unsure"]["sections"] + result["unsure"]["non_sections"]
    assert cells[1:6] == [str(result["pages"]), str(result["positives"]), f"{result['precision']:.3f}",
                          f"{result['recall']:.3f}", f"{result['fp']} of {result['negatives']}"]
    assert cells[6] == f"{result['fn']} of {result['positives']}"
    assert cells[7].startswith(str(unsure))
    items = result["items"]
    assert f"{items['found']} of {items['labelled']} labelled parts recognised" in " ".join(doc.split())


def test_thresholds_decide_the_status():
    [(page, _)] = [(p, lbl) for p, lbl in load() if lbl["section"]][:1]
    verdict = judge(page, Thresholds(found=0.5, absent=0.4))
    assert verdict["status"] == "found" and verdict["confidence"] >= 0.5
    assert judge(page, Thresholds(found=1.0, absent=0.1))["status"] == "unsure"
    assert judge(page, Thresholds(found=1.0, absent=1.0))["status"] == "absent"


def test_a_text_copy_reads_as_a_page_with_structure():
    page = as_page({"url": "https://x.gov.vn/tiep-can-thong-tin", "title": "",
                    "text": "ĐẦU MỐI CUNG CẤP THÔNG TIN\nHƯỚNG DẪN KHAI THÁC THÔNG TIN\n" + "văn bản dài " * 30})
    assert "ĐẦU MỐI CUNG CẤP THÔNG TIN" in page["structure"]
    assert all(len(line) <= 120 for line in page["structure"])
    assert {"focal_point", "guidance"} <= set(page["signals"]["elements"])


def test_labels_and_pages_must_match(tmp_path: Path):
    folder = tmp_path / "realpages"
    shutil.copytree(REALPAGES_DIR, folder)
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    labels["pages"]["no-such-page"] = {"section": False, "kind": "news", "items": []}
    (folder / "labels.yaml").write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RealPagesError, match="no-such-page"):
        load(folder)
    with pytest.raises(RealPagesError):
        load(tmp_path / "missing")


def test_a_bad_real_page_folder_exits_2(tmp_path: Path, tctt):
    gold = tmp_path / "gold"
    gold.mkdir()
    spec = yaml.safe_load((GOLD_DIR / "stp-lao-cai.yaml").read_text(encoding="utf-8"))
    (gold / "stp-lao-cai.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    result = tctt('evaluate', '--gold', str(gold), '--out', str(tmp_path / 'out'), '--realpages',
                  str(tmp_path / 'nowhere'), timeout=300)
    assert result.returncode == 2 and "real-page set" in result.stderr
    ok = tctt('evaluate', '--gold', str(gold), '--out', str(tmp_path / 'out2'), timeout=300)
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert "section finding" in ok.stdout and "real pages" in ok.stdout
    data = json.loads((tmp_path / "out2" / "evaluation.json").read_text(encoding="utf-8"))
    assert data["real_pages"]["pages"] >= 80
    page = (tmp_path / "out2" / "index.html").read_text(encoding="utf-8")
    assert "On real pages labelled by hand" in page and "Precision" in page
