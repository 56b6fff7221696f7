"""The self-check of one portal (``tctt check URL``): crawl it now into a temporary database, score it, and
say what to fix — for an agency's web editor after each change. No registry, no database to keep.

The verdict counts only what the tool established: an essential rule ``fail`` or ``partial`` keeps the
portal failing; ``manual`` (the tool is unsure) and ``transition`` (a new duty still in its transition) are
listed, never counted as failures.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.exit_codes import ExitCode

# Exit codes of ``tctt check`` (beside the command line's 0 done, 1 failure, 2 bad input).
EXIT_PASS, EXIT_GAPS, EXIT_UNREACHABLE, EXIT_BLOCKED = (ExitCode.OK, ExitCode.ESSENTIAL_GAP, ExitCode.UNREACHABLE,
                                                     ExitCode.BLOCKED)
GAP_STATUSES = ("fail", "partial")
CLASS_ORDER = {"essential": 0, "mandatory": 1, "recommended": 2}


class CheckInputError(Exception):
    """The address cannot be checked (not an http(s) URL, refused by the registry's rules)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class CheckResult:
    url: str
    level: str
    status: str
    status_detail: str
    score: float | None
    band: str | None
    section: dict[str, Any] | None
    audit_date: str
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def essential_failing(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["class"] == "essential" and f["status"] in GAP_STATUSES]

    @property
    def gaps(self) -> list[dict[str, Any]]:
        rows = [f for f in self.findings if f["status"] in GAP_STATUSES]
        return sorted(rows, key=lambda f: (CLASS_ORDER.get(f["class"], 9), f["status"] != "fail", f["rule"]))

    @property
    def exit_code(self) -> int:
        if self.status in ("blocked", "robots_disallowed"):
            return EXIT_BLOCKED
        if self.status != "audited":
            return EXIT_UNREACHABLE
        return EXIT_GAPS if self.essential_failing else EXIT_PASS

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "level": self.level, "status": self.status, "status_detail": self.status_detail,
                "score": self.score, "band": self.band, "section": self.section, "audit_date": self.audit_date,
                "exit_code": self.exit_code, "essential_failing": [f["rule"] for f in self.essential_failing],
                "findings": self.findings}


def check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CheckInputError([f"địa chỉ không hợp lệ, cần http(s)://… / not an http(s) address: {url!r}"])
    return parts.geturl()


def run_check(url: str, *, level: str = "department", allow_private: bool = False, lang: str = "vi",
              settings: dict[str, Any] | None = None) -> CheckResult:
    """Crawl and score one portal in this process (Twisted's reactor: once per process)."""
    from core.registry import RegistryError, load_registry
    from core.store import Store
    from reports import build_run_model
    from rules import load_ruleset
    from tctt import stages

    url = check_url(url)
    with tempfile.TemporaryDirectory(prefix="tctt-check-") as tmp:
        registry = Path(tmp) / "registry.csv"
        with registry.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "name", "level", "parent", "province", "url", "email"])
            writer.writerow(["cong-thong-tin", urlsplit(url).hostname, level, "", "", url, ""])
        try:
            load_registry(str(registry), allow_private=allow_private)
        except RegistryError as exc:
            raise CheckInputError(exc.problems) from exc
        db = Path(tmp) / "check.db"
        # Nothing is kept: no archive, no HTTP cache for a later run.
        crawl_settings = {"TCTT_WARC": False, "TCTT_INCREMENTAL": False, **(settings or {})}
        outcome = stages.crawl(registry, db, allow_private=allow_private, progress=False, settings=crawl_settings,
                               log_level="ERROR")
        ruleset = load_ruleset()
        stages.score(db, outcome.run_id, ruleset)
        store = Store(db)
        try:
            model = build_run_model(store, outcome.run_id, bands=ruleset.bands, lang=lang)
        finally:
            store.close()
    agency = model["agencies"][0]
    return CheckResult(url=url, level=level, status=agency["status"], status_detail=agency.get("status_detail") or "",
                       score=agency["score"], band=agency.get("band_label") or agency.get("band"),
                       section=agency.get("section"), audit_date=model["run"]["audit_date"],
                       findings=agency["findings"])


LABELS = {
    "vi": {"checked": "Kiểm tra", "status": "Trạng thái", "score": "Điểm", "band": "xếp loại",
           "section": "Chuyên mục", "no_section": "không tìm thấy Chuyên mục tiếp cận thông tin",
           "confidence": "độ tin cậy", "essential": "Tiêu chí thiết yếu chưa đạt", "other": "Các thiếu sót khác",
           "manual": "Cần cán bộ xem xét (công cụ không chắc chắn)", "transition": "Nghĩa vụ mới, đang trong thời gian chuyển tiếp",
           "passed": "Tiêu chí đạt", "fix": "Cách khắc phục", "basis": "Căn cứ", "evidence": "Bằng chứng",
           "ok": "ĐẠT: không còn tiêu chí thiết yếu nào chưa đạt.",
           "not_ok": "CHƯA ĐẠT: còn {n} tiêu chí thiết yếu chưa đạt. Sửa rồi chạy lại lệnh này.",
           "unreachable": "KHÔNG KIỂM TRA ĐƯỢC: cổng không truy cập được ({detail}).",
           "blocked": "BỊ CHẶN: cổng từ chối công cụ kiểm tra ({detail}). Hãy cho phép User-Agent tctt-audit."},
    "en": {"checked": "Checked", "status": "Status", "score": "Score", "band": "band", "section": "Section",
           "no_section": "no access-to-information section found", "confidence": "confidence",
           "essential": "Essential rules failing", "other": "Other gaps",
           "manual": "Needs an inspector (the tool is unsure)", "transition": "New duties still in their transition period",
           "passed": "Rules passed", "fix": "How to fix", "basis": "Legal basis", "evidence": "Evidence",
           "ok": "PASS: no essential rule fails.",
           "not_ok": "NOT YET: {n} essential rule(s) fail. Fix them and run this command again.",
           "unreachable": "NOT CHECKED: the portal could not be reached ({detail}).",
           "blocked": "BLOCKED: the portal refused the audit tool ({detail}). Allow the tctt-audit User-Agent."},
}


def format_text(result: CheckResult, lang: str = "vi") -> str:
    """The gap list an editor reads in a terminal, in ``lang`` (the model's texts are already in it)."""
    from reports.i18n import agency_status_label, class_label, finding_status_label

    L = LABELS[lang]
    lines = [f"{L['checked']}: {result.url} ({result.audit_date})",
             f"{L['status']}: {agency_status_label(result.status, lang)}"]
    if result.status != "audited":
        key = "blocked" if result.exit_code == EXIT_BLOCKED else "unreachable"
        lines += ["", L[key].format(detail=result.status_detail)]
        return "\n".join(lines)
    score = "—" if result.score is None else f"{result.score:.1f}/100"
    lines.append(f"{L['score']}: {score}, {L['band']} {result.band or '—'}")
    section = result.section
    lines.append(f"{L['section']}: " + (f"{section['url']} ({L['confidence']} {section.get('confidence') or 0:.2f})"
                                          if section and section.get("url") else L["no_section"]))

    def block(title: str, findings: list[dict[str, Any]], detailed: bool) -> None:
        if not findings:
            return
        lines.extend(["", f"{title} ({len(findings)}):"])
        for f in findings:
            mark = "✗" if f["status"] == "fail" else "◐" if f["status"] == "partial" else "?"
            lines.append(f"  {mark} [{class_label(f['class'], lang)}] {f['title']} — {finding_status_label(f['status'], lang)}")
            if f.get("message"):
                lines.append(f"      {f['message']}")
            if detailed:
                if f.get("how_to_fix"):
                    lines.append(f"      {L['fix']}: {f['how_to_fix']}")
                bases = "; ".join(b["citation"] for b in f.get("legal_basis") or [] if b.get("citation"))
                if bases:
                    lines.append(f"      {L['basis']}: {bases}")
                for e in (f.get("evidence") or [])[:2]:
                    if e.get("url"):
                        lines.append(f"      {L['evidence']}: {e['url']}")

    gaps = result.gaps
    block(L["essential"], [f for f in gaps if f["class"] == "essential"], True)
    block(L["other"], [f for f in gaps if f["class"] != "essential"], True)
    block(L["manual"], [f for f in result.findings if f["status"] == "manual"], False)
    block(L["transition"], [f for f in result.findings if f["status"] == "transition"], False)
    passed = sum(1 for f in result.findings if f["status"] == "pass")
    lines.extend(["", f"{L['passed']}: {passed}/{len(result.findings)}", ""])
    failing = len(result.essential_failing)
    lines.append(L["not_ok"].format(n=failing) if failing else L["ok"])
    return "\n".join(lines)
