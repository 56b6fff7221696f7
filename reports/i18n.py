"""Every user-facing string of the reports, Vietnamese first, English on request.

Templates and renderers ask for strings through :func:`t` and the ``*_label`` helpers; nothing else in
``reports/`` spells a UI word. Values coming from the store as ``{"vi": ..., "en": ...}`` are turned
into plain strings by :func:`localize`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

# Vietnam has a single time zone without daylight saving: UTC+7.
VN_TZ = timezone(timedelta(hours=7))

AGENCY_STATUS = {
    "vi": {
        "audited": "Đã kiểm tra",
        "unreachable": "Không truy cập được",
        "blocked": "Bị chặn",
        "robots_disallowed": "robots.txt không cho phép",
        "error": "Lỗi",
    },
    "en": {
        "audited": "Audited",
        "unreachable": "Unreachable",
        "blocked": "Blocked",
        "robots_disallowed": "Disallowed by robots.txt",
        "error": "Error",
    },
}

# Why an agency that was not audited has no score (shown on its page).
AGENCY_STATUS_WHY = {
    "vi": {
        "unreachable": "Không kết nối được tới cổng thông tin điện tử nên không thu thập được bằng chứng.",
        "blocked": "Cổng thông tin từ chối công cụ kiểm tra (tường lửa, captcha hoặc mã 403) nên không "
                   "thu thập được bằng chứng.",
        "robots_disallowed": "Tệp robots.txt của cổng thông tin không cho phép công cụ truy cập; công cụ "
                             "tôn trọng quy định này nên không thu thập bằng chứng.",
        "error": "Đã xảy ra lỗi khi kiểm tra cơ quan này nên không có đủ bằng chứng để chấm điểm.",
    },
    "en": {
        "unreachable": "The portal could not be reached, so no evidence was gathered.",
        "blocked": "The portal refused the audit tool (firewall, captcha or HTTP 403), so no evidence "
                   "was gathered.",
        "robots_disallowed": "The portal's robots.txt disallows the audit tool, which respects it, so no "
                             "evidence was gathered.",
        "error": "An error occurred while auditing this agency, so there is not enough evidence to score it.",
    },
}

FINDING_STATUS = {
    "vi": {
        "pass": "Đạt",
        "partial": "Đạt một phần",
        "fail": "Không đạt",
        "not_applicable": "Không áp dụng",
        "manual": "Cần kiểm tra thủ công",
        "transition": "Đang trong thời gian chuyển tiếp đến 01/3/2027",
        "error": "Lỗi",
    },
    "en": {
        "pass": "Pass",
        "partial": "Partial",
        "fail": "Fail",
        "not_applicable": "Not applicable",
        "manual": "Needs manual review",
        "transition": "In the transition period until 01/3/2027",
        "error": "Error",
    },
}

RUN_STATUS = {
    "vi": {"complete": "Hoàn tất", "incomplete": "Chưa hoàn tất", "running": "Đang chạy"},
    "en": {"complete": "Complete", "incomplete": "Incomplete", "running": "Running"},
}

RULE_CLASS = {
    "vi": {"essential": "Thiết yếu", "mandatory": "Bắt buộc", "recommended": "Khuyến nghị", "manual": "Kiểm tra thủ công"},
    "en": {"essential": "Essential", "mandatory": "Mandatory", "recommended": "Recommended", "manual": "Manual"},
}

LEVEL = {
    "vi": {"ministry": "Bộ, ngành trung ương", "province": "Cấp tỉnh", "department": "Sở, ban, ngành",
           "commune": "Cấp xã", "other": "Khác"},
    "en": {"ministry": "Ministry", "province": "Province", "department": "Department",
           "commune": "Commune", "other": "Other"},
}

UI = {
    "vi": {
        "site_title": "Kết quả kiểm tra Chuyên mục tiếp cận thông tin",
        "site_title_province": "Kết quả kiểm tra Chuyên mục tiếp cận thông tin – {province}",
        "skip_to_content": "Bỏ qua, đến nội dung chính",
        "back_to_index": "← Về trang tổng hợp",
        "run": "Lượt kiểm tra",
        "run_id": "Mã lượt kiểm tra",
        "ruleset": "Bộ tiêu chí",
        "audit_date": "Ngày kiểm tra",
        "regime": "Căn cứ pháp lý áp dụng",
        "regime_as_of": "chấm theo ngày {day}",
        "regime_provisional": "trích dẫn Luật 01/2026/QH16 là tạm thời, chưa đối chiếu Công báo",
        "started_at": "Bắt đầu",
        "finished_at": "Kết thúc",
        "run_status": "Trạng thái lượt kiểm tra",
        "incomplete_title": "Lượt kiểm tra chưa hoàn tất",
        "incomplete_body": "Lượt kiểm tra này chưa chạy xong (trạng thái: {status}). Một số cơ quan có thể "
                           "chưa được kiểm tra; số liệu dưới đây chưa phải kết quả cuối cùng.",
        "summary": "Tổng hợp",
        "agencies_total": "Số cơ quan trong danh sách",
        "agencies_audited": "Số cơ quan đã kiểm tra",
        "agencies_unaudited": "Số cơ quan chưa chấm điểm",
        "average_score": "Điểm trung bình",
        "average_note": "Điểm trung bình chỉ tính trên các cơ quan đã kiểm tra; cơ quan không truy cập được, "
                        "bị chặn hoặc lỗi không bị tính 0 điểm.",
        "no_average": "chưa có",
        "band_distribution": "Phân bố xếp loại",
        "band": "Xếp loại",
        "count": "Số cơ quan",
        "share": "Tỷ lệ",
        "no_band": "Chưa xếp loại",
        "status_distribution": "Kết quả truy cập",
        "status": "Trạng thái",
        "audited_agencies": "Các cơ quan đã kiểm tra",
        "unaudited_agencies": "Các cơ quan chưa chấm điểm",
        "unaudited_note": "Các cơ quan sau không được chấm điểm và không được tính vào điểm trung bình.",
        "none_audited": "Chưa có cơ quan nào được kiểm tra.",
        "none_unaudited": "Mọi cơ quan đều đã được kiểm tra.",
        "agency": "Cơ quan",
        "level": "Cấp",
        "score": "Điểm",
        "section": "Chuyên mục tiếp cận thông tin",
        "section_not_found": "không tìm thấy",
        "detail": "Chi tiết",
        "portal": "Cổng thông tin",
        "email": "Thư điện tử",
        "province": "Tỉnh/thành phố",
        "confidence": "độ tin cậy",
        "score_out_of": "{score}/100",
        "no_score": "Không có điểm",
        "why_no_score": "Vì sao không có điểm",
        "not_scored_note": "Cơ quan này không bị tính 0 điểm và không được đưa vào điểm trung bình của tỉnh.",
        "scorecard": "Bảng chấm điểm",
        "scorecard_caption": "Bảng chấm điểm theo từng tiêu chí",
        "col_criterion": "Tiêu chí",
        "col_max": "Điểm tối đa",
        "col_achieved": "Điểm đạt",
        "col_result": "Kết quả",
        "col_evidence": "Bằng chứng",
        "col_legal": "Căn cứ pháp lý",
        "col_fix": "Cách khắc phục",
        "total": "Tổng",
        "total_note": "Tiêu chí “Không áp dụng” và “Cần kiểm tra thủ công” không được tính điểm.",
        "no_findings": "Chưa có kết quả chấm điểm cho cơ quan này.",
        "no_evidence": "Không có bằng chứng lưu lại.",
        "accessed_at": "Truy cập lúc",
        "provisional": "tạm thời – chưa đối chiếu Công báo",
        "no_legal_basis": "Không có căn cứ còn hiệu lực vào ngày kiểm tra.",
        "checklist_items": "Mục kiểm tra",
        "class": "Loại tiêu chí",
        "candidates": "Các ứng viên đã xem xét",
        "candidates_caption": "Các trang được xem xét để xác định Chuyên mục tiếp cận thông tin",
        "no_candidates": "Không có ứng viên nào được ghi nhận.",
        "col_url": "Địa chỉ",
        "col_anchor": "Văn bản liên kết",
        "col_link_score": "Điểm liên kết",
        "col_content_score": "Điểm nội dung",
        "col_confidence": "Độ tin cậy",
        "col_reasons": "Lý do",
        "col_chosen": "Được chọn",
        "chosen_yes": "Được chọn",
        "chosen_no": "Không",
        "unsafe_url": "(địa chỉ không phải http/https, không tạo liên kết)",
        "generated_by": "Tạo bởi tctt-audit {version}",
        "generated_at": "Thời điểm tạo báo cáo",
        "ruleset_footer": "Bộ tiêu chí {ruleset} phiên bản {version}",
        "accuracy_footer": "Mức khớp với chính sách gán nhãn của dự án, đo trên {portals} cổng mẫu tự tạo ({date}): "
                           "tìm đúng Chuyên mục {section}; F1 thấp nhất {min_f1} ({rule}). Đây không phải đánh giá "
                           "tính đúng về pháp lý (xem tài liệu tiêu chí: căn cứ, yêu cầu, giới hạn)",
        "accuracy_unmeasured": "Độ chính xác của phiên bản bộ tiêu chí này chưa được đo",
        "time_zone": "giờ Việt Nam (UTC+7)",
        "unknown": "không rõ",
        "agency_page_title": "{name} – Kết quả kiểm tra Chuyên mục tiếp cận thông tin",
        "view_scorecard": "Xem bảng chấm điểm",
    },
    "en": {
        "site_title": "Access-to-information section audit",
        "site_title_province": "Access-to-information section audit – {province}",
        "skip_to_content": "Skip to main content",
        "back_to_index": "← Back to the summary",
        "run": "Run",
        "run_id": "Run id",
        "ruleset": "Ruleset",
        "audit_date": "Audit date",
        "regime": "Legal regime applied",
        "regime_as_of": "judged as of {day}",
        "regime_provisional": "citations of Law 01/2026/QH16 are provisional, not yet checked against the Official Gazette",
        "started_at": "Started",
        "finished_at": "Finished",
        "run_status": "Run status",
        "incomplete_title": "Incomplete run",
        "incomplete_body": "This run did not finish (status: {status}). Some agencies may not have been "
                           "audited; the figures below are not final.",
        "summary": "Summary",
        "agencies_total": "Agencies in the registry",
        "agencies_audited": "Agencies audited",
        "agencies_unaudited": "Agencies not scored",
        "average_score": "Average score",
        "average_note": "The average covers audited agencies only; agencies that were unreachable, blocked "
                        "or failed are not counted as zero.",
        "no_average": "none yet",
        "band_distribution": "Band distribution",
        "band": "Band",
        "count": "Agencies",
        "share": "Share",
        "no_band": "No band",
        "status_distribution": "Access results",
        "status": "Status",
        "audited_agencies": "Audited agencies",
        "unaudited_agencies": "Agencies not scored",
        "unaudited_note": "The following agencies were not scored and are left out of the average.",
        "none_audited": "No agency has been audited yet.",
        "none_unaudited": "Every agency was audited.",
        "agency": "Agency",
        "level": "Level",
        "score": "Score",
        "section": "Access-to-information section",
        "section_not_found": "not found",
        "detail": "Detail",
        "portal": "Portal",
        "email": "E-mail",
        "province": "Province",
        "confidence": "confidence",
        "score_out_of": "{score}/100",
        "no_score": "No score",
        "why_no_score": "Why there is no score",
        "not_scored_note": "This agency is not counted as zero and is left out of the province average.",
        "scorecard": "Scorecard",
        "scorecard_caption": "Scorecard by criterion",
        "col_criterion": "Criterion",
        "col_max": "Maximum points",
        "col_achieved": "Points achieved",
        "col_result": "Result",
        "col_evidence": "Evidence",
        "col_legal": "Legal basis",
        "col_fix": "How to fix",
        "total": "Total",
        "total_note": "Criteria marked “Not applicable” or “Needs manual review” are not scored.",
        "no_findings": "No findings have been recorded for this agency.",
        "no_evidence": "No evidence stored.",
        "accessed_at": "Accessed",
        "provisional": "provisional – not yet checked against the Official Gazette",
        "no_legal_basis": "No basis in force on the audit date.",
        "checklist_items": "Checklist items",
        "class": "Class",
        "candidates": "Candidates considered",
        "candidates_caption": "Pages weighed when locating the access-to-information section",
        "no_candidates": "No candidates were recorded.",
        "col_url": "Address",
        "col_anchor": "Link text",
        "col_link_score": "Link score",
        "col_content_score": "Content score",
        "col_confidence": "Confidence",
        "col_reasons": "Reasons",
        "col_chosen": "Chosen",
        "chosen_yes": "Chosen",
        "chosen_no": "No",
        "unsafe_url": "(not an http/https address, not linked)",
        "generated_by": "Generated by tctt-audit {version}",
        "generated_at": "Report generated",
        "ruleset_footer": "Ruleset {ruleset} version {version}",
        "accuracy_footer": "Agreement with the project's labelling policy, measured on {portals} generated sample "
                           "portals ({date}): section found {section}; lowest rule F1 {min_f1} ({rule}). This is not a "
                           "measure of legal correctness (see the rules reference: bases, requirements, limits)",
        "accuracy_unmeasured": "The accuracy of this ruleset version has not been measured",
        "time_zone": "Vietnam time (UTC+7)",
        "unknown": "unknown",
        "agency_page_title": "{name} – access-to-information section audit",
        "view_scorecard": "View scorecard",
    },
}

# The marker the rules loader appends to provisional citations (see rules.citation); the HTML shows it
# as a separate badge, so it is split off the citation text before display.
PROVISIONAL_SUFFIXES = (
    " (tạm thời – chưa đối chiếu Công báo)",
    " (provisional – not yet checked against the Official Gazette)",
)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"Ngôn ngữ không hỗ trợ / unsupported language: {lang!r} (use one of {LANGS})")
    return lang


def t(lang: str, key: str, **values: Any) -> str:
    """A UI string in ``lang`` (falling back to Vietnamese), formatted with ``values``."""
    text = UI.get(lang, UI[DEFAULT_LANG]).get(key) or UI[DEFAULT_LANG][key]
    return text.format(**values) if values else text


def _label(table: dict[str, dict[str, str]], value: str | None, lang: str) -> str:
    if value is None:
        return t(lang, "unknown")
    return table.get(lang, table[DEFAULT_LANG]).get(value, value)


def agency_status_label(status: str | None, lang: str) -> str:
    return _label(AGENCY_STATUS, status, lang)


def agency_status_why(status: str | None, lang: str) -> str:
    return _label(AGENCY_STATUS_WHY, status, lang) if status in AGENCY_STATUS_WHY[DEFAULT_LANG] else ""


def finding_status_label(status: str | None, lang: str) -> str:
    return _label(FINDING_STATUS, status, lang)


def run_status_label(status: str | None, lang: str) -> str:
    return _label(RUN_STATUS, status, lang)


def class_label(rule_class: str | None, lang: str) -> str:
    return _label(RULE_CLASS, rule_class, lang)


def level_label(level: str | None, lang: str) -> str:
    return _label(LEVEL, level, lang) if level else ""


def localize(value: Any, lang: str) -> str:
    """A ``{"vi", "en"}`` mapping (or a plain string) as one string in ``lang``, never ``None``."""
    if value is None:
        return ""
    if isinstance(value, dict):
        for key in (lang, DEFAULT_LANG, *LANGS):
            text = value.get(key)
            if text:
                return str(text)
        return ""
    return str(value)


def split_provisional(citation: str) -> str:
    """The citation without the provisional marker the rules loader may have appended."""
    for suffix in PROVISIONAL_SUFFIXES:
        if citation.endswith(suffix):
            return citation[: -len(suffix)]
    return citation


# --- numbers and dates ------------------------------------------------------------------------
def fmt_number(value: Any, lang: str, digits: int = 1) -> str:
    """'66,7' in Vietnamese, '66.7' in English; integers without decimals; '' for None."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    rounded = round(number, digits)
    text = str(int(rounded)) if rounded == int(rounded) else f"{rounded:.{digits}f}".rstrip("0")
    return text.replace(".", ",") if lang == "vi" else text


def fmt_percent(value: Any, lang: str) -> str:
    """A 0–1 confidence as a percentage ('82%'); values above 1 are taken as already in percent."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number <= 1:
        number *= 100
    return fmt_number(number, lang, 0) + "%"


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_time(value: Any) -> datetime | date | None:
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if _DATE_ONLY.match(text):
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def fmt_datetime(value: Any, lang: str) -> str:
    """An ISO timestamp in Vietnam time: '07/01/2026 14:05:09 (UTC+7)' / '2026-01-07 14:05:09 (UTC+7)'.

    Naive timestamps are shown as they are, without a zone; unparseable ones verbatim.
    """
    parsed = parse_time(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if not isinstance(parsed, datetime):
        return fmt_date(parsed, lang)
    zone = ""
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(VN_TZ)
        zone = " (UTC+7)"
    pattern = "%d/%m/%Y %H:%M:%S" if lang == "vi" else "%Y-%m-%d %H:%M:%S"
    return parsed.strftime(pattern) + zone


def fmt_date(value: Any, lang: str) -> str:
    parsed = parse_time(value)
    if parsed is None:
        return "" if value in (None, "") else str(value)
    if isinstance(parsed, datetime):
        parsed = parsed.astimezone(VN_TZ).date() if parsed.tzinfo else parsed.date()
    return parsed.strftime("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d")


def iso_utc(value: datetime | None = None) -> str:
    return (value or datetime.now(UTC)).isoformat(timespec="seconds")


# --- the province's view (matrix, rates, who must act, progress) ----------------------------------
# One block: the buckets a rate counts apart, and the pages' UI strings (merged into UI below).
BUCKET = {
    "vi": {"pass": "Đạt", "partial": "Đạt một phần", "fail": "Không đạt", "manual": "Chờ kiểm tra thủ công",
           "not_applicable": "Không áp dụng", "transition": "Đang chuyển tiếp", "error": "Lỗi khi kiểm tra",
           "excused": "Được miễn trừ", "not_audited": "Chưa kiểm tra được", "missing": "Chưa đánh giá"},
    "en": {"pass": "Pass", "partial": "Partial", "fail": "Fail", "manual": "Awaiting an inspector",
           "not_applicable": "Not applicable", "transition": "In transition", "error": "Check error",
           "excused": "Excused", "not_audited": "Not audited", "missing": "Not evaluated"},
}
# Each status is shown as a symbol *and* a text (greyscale printouts, screen readers, colour blindness).
SYMBOLS = {"pass": "✓", "partial": "◐", "fail": "✗", "manual": "?", "not_applicable": "–", "transition": "◷",
           "error": "!", "excused": "≈", "not_audited": "×", "missing": "·"}
UI_PROVINCE = {
    "vi": {
        "pv_title": "Bảng tổng hợp theo cơ quan và tiêu chí",
        "pv_link": "Bảng tổng hợp theo cơ quan và tiêu chí",
        "pv_act_link": "Cơ quan phải khắc phục (theo tiêu chí, theo cơ quan chủ quản)",
        "pv_all_agencies": "Toàn tỉnh",
        "pv_filter": "Xem theo nhóm",
        "pv_by_level": "Theo cấp",
        "pv_by_parent": "Theo cơ quan chủ quản (đơn vị trực thuộc)",
        "pv_group": "Nhóm",
        "pv_group_agencies": "{n} cơ quan, {audited} đã kiểm tra, {gaps} kết quả chưa đạt",
        "pv_matrix": "Kết quả từng cơ quan theo từng tiêu chí",
        "pv_matrix_caption": "{group}: {n} cơ quan × {rules} tiêu chí. Số ở đầu cột là số thứ tự "
                             "của tiêu chí trong bảng tỷ lệ đạt bên dưới; mỗi ô dẫn tới kết quả trên trang của cơ quan.",
        "pv_legend": "Chú giải",
        "pv_rule_no": "Số",
        "pv_rule": "Tiêu chí",
        "pv_agency_totals": "Tổng theo cơ quan",
        "pv_rule_totals": "Số cơ quan chưa đạt",
        "pv_rule_rate": "Tỷ lệ đạt (%)",
        "pv_not_scored": "Không chấm điểm: {status}",
        "pv_rates": "Tỷ lệ đạt từng tiêu chí",
        "pv_rates_note": "Tỷ lệ đạt = số cơ quan đạt ÷ số cơ quan phải áp dụng tiêu chí và đã có kết luận "
                         "(Đạt, Đạt một phần, Không đạt). Cơ quan mà tiêu chí không áp dụng, đang trong thời gian "
                         "chuyển tiếp, đang chờ kiểm tra thủ công hoặc chưa kiểm tra được đếm riêng, không "
                         "tính là đạt hay không đạt.",
        "pv_applicable": "Phải áp dụng",
        "pv_decided": "Có kết luận",
        "pv_rate": "Tỷ lệ đạt",
        "pv_overall": "Tất cả tiêu chí",
        "pv_class": "Loại",
        "act_title": "Cơ quan phải khắc phục",
        "act_intro": "Danh sách các tiêu chí chưa đạt và các cơ quan phải khắc phục, kèm căn cứ pháp lý, theo "
                     "kết quả lượt kiểm tra #{run} ngày {day}. Tiêu chí đang chờ kiểm tra thủ công, đang trong "
                     "thời gian chuyển tiếp hoặc đã được thanh tra viên miễn trừ không được liệt kê.",
        "act_by_rule": "Theo tiêu chí",
        "act_by_parent": "Theo cơ quan chủ quản: các đơn vị trực thuộc còn tồn tại",
        "act_agencies": "{n} cơ quan ({fail} không đạt, {partial} đạt một phần)",
        "act_legal_basis": "Căn cứ pháp lý",
        "act_how_to_fix": "Yêu cầu khắc phục",
        "act_agency_list": "Cơ quan phải khắc phục",
        "act_none": "Không có tiêu chí nào chưa đạt.",
        "act_no_gaps": "Không có tồn tại",
        "act_subordinates": "{n} đơn vị trực thuộc, {gaps} tồn tại",
        "act_not_audited": "{n} đơn vị chưa kiểm tra được",
        "act_gap_count": "Số tồn tại",
        "pr_rates_title": "Tỷ lệ đạt từng tiêu chí qua các lượt (%)",
        "pr_levels_title": "Tỷ lệ đạt theo cấp qua các lượt (%, mọi tiêu chí)",
        "pr_overall_title": "Tỷ lệ đạt của toàn tỉnh qua các lượt (%, mọi tiêu chí)",
        "pr_rate_cell": "{rate}% ({passed}/{decided})",
        "pr_changes_title": "Cơ quan tiến bộ và thụt lùi theo tiêu chí (hai lượt kiểm tra được gần nhất)",
        "pr_fixed": "Đã khắc phục",
        "pr_new_gaps": "Mới chưa đạt",
        "pr_improved": "Tiến bộ",
        "pr_regressed": "Thụt lùi",
        "pr_next_run": "Lượt kiểm tra kế tiếp theo lịch",
        "pr_no_schedule": "Chưa cấu hình lịch kiểm tra định kỳ.",
        "pr_single_run": "Mới có một lượt kiểm tra: diễn biến sẽ hiện từ lượt thứ hai.",
    },
    "en": {
        "pv_title": "Province matrix: agencies × rules",
        "pv_link": "Province matrix: agencies × rules",
        "pv_act_link": "Who must act (by rule, by parent body)",
        "pv_all_agencies": "Whole province",
        "pv_filter": "View by group",
        "pv_by_level": "By level",
        "pv_by_parent": "By parent body (subordinate units)",
        "pv_group": "Group",
        "pv_group_agencies": "{n} agencies, {audited} audited, {gaps} findings not met",
        "pv_matrix": "Each agency's result for each rule",
        "pv_matrix_caption": "{group}: {n} agencies × {rules} rules. A column's number is the rule's "
                             "number in the pass-rate table below; each cell links to the finding on the agency's page.",
        "pv_legend": "Legend",
        "pv_rule_no": "No.",
        "pv_rule": "Rule",
        "pv_agency_totals": "Agency totals",
        "pv_rule_totals": "Agencies with a gap",
        "pv_rule_rate": "Pass rate (%)",
        "pv_not_scored": "Not scored: {status}",
        "pv_rates": "Pass rate of each rule",
        "pv_rates_note": "Pass rate = agencies passing ÷ agencies the rule applies to that have a verdict (pass, "
                         "partial, fail). Agencies to which the rule does not apply, still in transition, "
                         "awaiting an inspector or not audited are counted apart, neither as passing nor failing.",
        "pv_applicable": "Applies to",
        "pv_decided": "With a verdict",
        "pv_rate": "Pass rate",
        "pv_overall": "All rules",
        "pv_class": "Class",
        "act_title": "Who must act",
        "act_intro": "The rules not met and the agencies that must act, with the legal basis, from run #{run} "
                     "of {day}. Findings awaiting an inspector, in transition or excused by an inspector are "
                     "not listed.",
        "act_by_rule": "By rule",
        "act_by_parent": "By parent body: the gaps of its subordinate units",
        "act_agencies": "{n} agencies ({fail} fail, {partial} partial)",
        "act_legal_basis": "Legal basis",
        "act_how_to_fix": "What to fix",
        "act_agency_list": "Agencies that must act",
        "act_none": "No rule has a gap.",
        "act_no_gaps": "No gaps",
        "act_subordinates": "{n} subordinate units, {gaps} gaps",
        "act_not_audited": "{n} units could not be audited",
        "act_gap_count": "Gaps",
        "pr_rates_title": "Pass rate of each rule over runs (%)",
        "pr_levels_title": "Pass rate by level over runs (%, all rules)",
        "pr_overall_title": "Province pass rate over runs (%, all rules)",
        "pr_rate_cell": "{rate}% ({passed}/{decided})",
        "pr_changes_title": "Agencies that improved or regressed, rule by rule (last two audited runs)",
        "pr_fixed": "Fixed",
        "pr_new_gaps": "New gaps",
        "pr_improved": "Improved",
        "pr_regressed": "Regressed",
        "pr_next_run": "Next scheduled run",
        "pr_no_schedule": "No audit schedule is configured.",
        "pr_single_run": "Only one run so far: the trend appears from the second run.",
    },
}
for _lang, _texts in UI_PROVINCE.items():
    UI[_lang].update(_texts)


def bucket_label(bucket: str | None, lang: str) -> str:
    return _label(BUCKET, bucket, lang)
