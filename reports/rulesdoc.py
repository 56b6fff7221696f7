"""The rules reference (``tctt rules docs``): one self-contained HTML page that inspectors and agencies
read — every rule with its titles, class and weight, its legal bases with their in-force dates and the
bases that apply under each legal regime, how it is checked, how to fix, and its passing and failing
examples, each run through the real auditor so the page shows the message the audit would give.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from auditors.samples import load_samples, run_case
from rules import Ruleset, basis_key, citation

from . import i18n
from .html import _environment

DOC_UI = {
    "vi": {
        "title": "Tài liệu tiêu chí đánh giá Chuyên mục tiếp cận thông tin", "regimes": "Các giai đoạn pháp lý",
        "contents": "Danh sách tiêu chí", "coverage": "Đối chiếu danh mục kiểm tra TCTT-01…43", "item": "Mục",
        "rules": "Tiêu chí", "weight": "Trọng số", "mode": "Cách kiểm tra", "covers": "Mục kiểm tra",
        "failure": "Khi không đạt", "bases": "Căn cứ pháp lý", "in_force": "Hiệu lực", "until_now": "nay",
        "by_regime": "Căn cứ áp dụng theo từng giai đoạn", "none_in_force": "không có căn cứ – không áp dụng",
        "how": "Cách máy kiểm tra", "fix": "Cách khắc phục", "examples": "Ví dụ", "expected": "kết quả mong đợi",
        "actual": "kết quả khi chạy", "page": "Trang mẫu (HTML)", "params": "Tham số", "transition": "Chuyển tiếp",
        "transition_text": "Thiếu sót trong khoảng {start} – {end} được báo là đang chuyển tiếp, không tính điểm ({basis}).",
        "residual": "từ {day} chỉ áp dụng phần không trái Luật 01/2026/QH16", "overlays": "Tệp điều chỉnh đã áp dụng",
        "modes": {"auto": "tự động", "partly": "tự động một phần (cần thẩm định)", "manual": "thủ công"},
        "generated": "Tạo lúc", "no_examples": "Chưa có ví dụ cho tiêu chí này.",
        "levels": "Áp dụng cho", "all_levels": "mọi cấp", "criteria": "Từng yêu cầu và căn cứ của nó",
        "criterion": "Yêu cầu", "limits": "Giới hạn đã biết", "class_from": "Từ {day}: loại {cls}",
        "legal_note": ("Độ chính xác đo bằng cổng mẫu chỉ cho biết mức khớp với chính sách gán nhãn của dự án; tính "
                       "đúng về pháp lý dựa trên căn cứ, yêu cầu và giới hạn nêu ở đây, cùng bộ kiểm thử pháp lý."),
    },
    "en": {
        "title": "Rules reference for the access-to-information section", "regimes": "Legal regimes",
        "contents": "Rules", "coverage": "Checklist coverage TCTT-01…43", "item": "Item",
        "rules": "Rules", "weight": "Weight", "mode": "How checked", "covers": "Checklist items",
        "failure": "When it fails", "bases": "Legal basis", "in_force": "In force", "until_now": "now",
        "by_regime": "Bases applied in each regime", "none_in_force": "no basis in force – not applicable",
        "how": "How the tool checks it", "fix": "How to fix", "examples": "Examples", "expected": "expected",
        "actual": "actual result", "page": "Sample page (HTML)", "params": "Parameters", "transition": "Transition",
        "transition_text": "Gaps found between {start} and {end} are reported as in transition, not scored ({basis}).",
        "residual": "from {day} applies only where not in conflict with Law 01/2026/QH16", "overlays": "Overlays applied",
        "modes": {"auto": "automatic", "partly": "partly automatic (to be reviewed)", "manual": "manual"},
        "generated": "Generated", "no_examples": "No example for this rule yet.",
        "levels": "Binds", "all_levels": "every level", "criteria": "What each requirement rests on",
        "criterion": "Requirement", "limits": "Known limits", "class_from": "From {day}: class {cls}",
        "legal_note": ("Accuracy measured on sample portals only tells how well the tool agrees with the project's "
                       "labelling policy; legal correctness rests on the bases, requirements and limits given here, and "
                       "on the legal test suite."),
    },
}


def _regime_day(regime: dict[str, Any]) -> date:
    """A day inside the regime (its last day, or its first for the open-ended one)."""
    return date.fromisoformat(regime.get("to") or regime["from"])


def rules_model(ruleset: Ruleset, lang: str = "vi") -> dict[str, Any]:
    """Everything the reference shows, localised; the examples are judged by the real auditors."""
    samples = load_samples(ruleset.path)
    texts = provision_texts(ruleset.path)
    rules = []
    for rule in ruleset.rules:
        by_regime = [{"title": i18n.localize(regime["title"], lang),
                      "citations": [i18n.localize(b["citation"], lang) for b in rule.bases_in_force(_regime_day(regime))]}
                     for regime in ruleset.regimes]
        bases = [{"citation": citation(b)[lang], "from": b["in_force"]["from"], "to": b["in_force"].get("to"),
                  "residual_from": b.get("residual_from"), "provisional": bool(b.get("provisional")),
                  "levels": [i18n.level_label(level, lang) for level in b.get("levels") or []],
                  "duty": i18n.localize(b.get("duty"), lang),
                  "text": i18n.localize(b.get("text") or texts.get(_provision(b)), lang)} for b in rule.legal_basis]
        by_key = {basis_key(b): b for b in rule.legal_basis}
        criteria = [{"name": name, "label": c[lang] if lang in c else c["vi"],
                     "bases": [citation(by_key[key])[lang] + f" ({by_key[key]['in_force']['from']} – "
                               f"{by_key[key]['in_force'].get('to') or '…'})" for key in c["bases"]]}
                    for name, c in rule.criteria.items()]
        examples = []
        for case in samples.get(rule.id, []):
            finding = run_case(ruleset, rule, case)
            shown = next((p for p in case.pages if case.section and p["url"] == case.section), case.pages[0] if case.pages else {})
            examples.append({"name": case.name, "expect": case.expect, "status": finding["status"],
                             "message": i18n.localize(finding["message"], lang), "note": i18n.localize(case.note, lang),
                             "audit_date": case.audit_date.isoformat(),
                             "html": (shown.get("html") or shown.get("text") or "")[:2500]})
        rules.append({"id": rule.id, "title": i18n.localize(rule.title, lang),
                      "failure_title": i18n.localize(rule.failure_title, lang), "class": rule.rule_class,
                      "weight": rule.weight, "mode": rule.mode, "covers": rule.covers,
                      "how": i18n.localize(rule.how, lang), "fix": i18n.localize(rule.description, lang),
                      "bases": bases, "by_regime": by_regime, "transition": rule.transition,
                      "criteria": criteria, "limits": i18n.localize(rule.limits, lang),
                      "class_from": rule.class_from,
                      "auditor": rule.auditor, "params": json.dumps(rule.params, ensure_ascii=False, indent=1)[:4000],
                      "examples": examples})
    coverage: dict[str, list[str]] = {f"TCTT-{n:02d}": [] for n in range(1, 44)}
    for rule in ruleset.rules:
        for item in rule.covers:
            coverage.setdefault(item, []).append(rule.id)
    return {"ruleset": {"id": ruleset.id, "version": ruleset.label, "title": i18n.localize(ruleset.title, lang),
                        "overlays": ruleset.overlays},
            "regimes": [{"id": r["id"], "title": i18n.localize(r["title"], lang), "from": r["from"], "to": r.get("to"),
                         "provisional": bool(r.get("provisional"))} for r in ruleset.regimes],
            "rules": rules, "coverage": coverage}


def _provision(basis: dict[str, Any]) -> tuple[str, str, str, str]:
    return (basis["instrument"], str(basis["article"]), str(basis.get("clause") or ""), str(basis.get("point") or ""))


def provision_texts(folder: str | Path) -> dict[tuple[str, str, str, str], dict[str, str]]:
    """The paraphrased text of each cited provision (``_texts.yaml`` beside the rules), if any."""
    path = Path(folder) / "_texts.yaml"
    if not path.is_file():
        return {}
    return {_provision(entry): entry["text"] for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []}


def write_rules_reference(ruleset: Ruleset, out_dir: str | Path, *, lang: str = "vi") -> Path:
    """Write ``out_dir/index.html``; return its path."""
    i18n.check_lang(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    env = _environment(lang)
    ui = DOC_UI[lang]
    page = env.get_template("rules.html.j2").render(
        model=rules_model(ruleset, lang), ui=ui, generated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
