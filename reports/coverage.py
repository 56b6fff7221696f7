"""Coverage: per province, how many official administrative units (the province and its communes, wards and
special zones) have a portal in the run's registry, how many of those were audited, and which have none.

A unit with no portal is a finding of its own (the People's Committee must publish on a portal, and the
province's portal must link it), so it is listed apart and never enters an average as a zero. Agencies
are tied to units by ``unit_code`` (written by ``tctt discover``) or, for registries typed by hand, by
matching the name against the official list after folding.
"""

from __future__ import annotations

from typing import Any

from core import units
from core.store import Store


def _province_of(agency: dict[str, Any]) -> units.Unit | None:
    if agency.get("level") == "province" and agency.get("unit_code"):
        unit = units.by_code(f"tinh-{agency['unit_code']}")
        if unit:
            return unit
    name = agency.get("province") or ""
    return units.match_province(name, threshold=95) if name else None


def _unit_of(agency: dict[str, Any], province: units.Unit) -> units.Unit | None:
    """The official unit whose People's Committee this agency is (None for a department or other body)."""
    level, code = agency.get("level"), str(agency.get("unit_code") or "").strip()
    if level == "province":
        return province
    if level != "commune":
        return None
    if code:
        unit = units.by_code(f"xa-{code}") if code.isdigit() else units.by_code(code)
        return unit if unit and unit.province == province.code else None
    match = units.match_commune(province.code, agency.get("name") or "")
    return match.unit if match else None


def coverage(store: Store, run_id: int, lang: str = "vi") -> list[dict[str, Any]]:
    """Coverage per province of the run's registry; [] when no agency belongs to an official province."""
    agencies = store.agencies(run_id)
    results = store.agency_results(run_id)
    per_province: dict[int, dict[str, Any]] = {}
    for agency in agencies:
        province = _province_of(agency)
        if province is None:
            continue
        entry = per_province.setdefault(province.code, {"province": province, "units": {}, "others": []})
        unit = _unit_of(agency, province)
        status = (results.get(agency["id"]) or {}).get("status") or "error"
        if unit is None:
            entry["others"].append(status)
        else:
            entry["units"].setdefault(unit.code, []).append((agency, status))
    out = []
    for code in sorted(per_province):
        entry = per_province[code]
        province: units.Unit = entry["province"]
        official = [province, *units.communes(code)]
        found = [u for u in official if u.code in entry["units"]]
        audited = [u for u in found if any(s == "audited" for _, s in entry["units"][u.code])]
        not_audited = [{"name": u.name, "agencies": [a["id"] for a, _ in entry["units"][u.code]],
                        "status": entry["units"][u.code][0][1]} for u in found if u not in audited]
        none = [u for u in official if u.code not in entry["units"]]
        out.append({
            "code": code, "name": province.name, "units": len(official), "found": len(found),
            "audited": len(audited), "found_share": round(100 * len(found) / len(official), 1),
            "audited_share": round(100 * len(audited) / len(official), 1),
            "not_audited": not_audited,
            "none": [{"code": u.code, "name": u.name} for u in none],
            "other_agencies": len(entry["others"]),
            "other_audited": sum(1 for s in entry["others"] if s == "audited"),
        })
    return out


def coverage_trend(store: Store) -> list[dict[str, Any]]:
    """Per run, per province: units with a portal and units audited (for the trend page)."""
    rows = []
    for run in store.runs():
        for entry in coverage(store, run["id"]):
            rows.append({"run": run["id"], "date": run.get("audit_date"), "province": entry["name"],
                         "units": entry["units"], "found": entry["found"], "audited": entry["audited"],
                         "found_share": entry["found_share"], "audited_share": entry["audited_share"]})
    return rows


T = {
    "vi": {
        "title": "Độ phủ: đơn vị hành chính có cổng thông tin điện tử",
        "note": "Tính trên danh mục đơn vị hành chính chính thức (tỉnh và xã, phường, đặc khu). Đơn vị chưa có "
                "cổng là một phát hiện riêng, được liệt kê riêng và không bao giờ tính là điểm 0 trong điểm "
                "trung bình.",
        "province": "Tỉnh/thành phố", "units": "Đơn vị hành chính", "found": "Có cổng trong sổ đăng ký",
        "audited": "Đã kiểm tra được", "none": "Chưa có cổng", "others": "Sở, ban, ngành và đơn vị khác",
        "none_list": "Đơn vị chưa có cổng trong sổ đăng ký ({n})",
        "not_audited_list": "Có cổng nhưng chưa kiểm tra được ({n})",
        "trend_title": "Độ phủ qua các lượt kiểm tra", "run": "Lượt", "date": "Ngày",
    },
    "en": {
        "title": "Coverage: administrative units with a portal",
        "note": "Counted against the official list of administrative units (the province and its communes, wards "
                "and special zones). A unit without a portal is a finding of its own, listed apart and never "
                "counted as a zero in the average.",
        "province": "Province", "units": "Administrative units", "found": "With a portal in the registry",
        "audited": "Audited", "none": "No portal", "others": "Departments and other bodies",
        "none_list": "Units with no portal in the registry ({n})",
        "not_audited_list": "With a portal that could not be audited ({n})",
        "trend_title": "Coverage over runs", "run": "Run", "date": "Date",
    },
}
