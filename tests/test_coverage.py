"""Coverage per province over the official units, and over runs."""

from __future__ import annotations

from core import units
from core.store import Store
from reports.coverage import T, coverage, coverage_trend
from reports.html import _environment


def agency(id_: str, name: str, level: str, unit_code: str = "", province: str = "Cao Bằng") -> dict:
    return {"id": id_, "name": name, "level": level, "parent": "" if level == "province" else "tinh-04",
            "province": province, "url": f"https://{id_}.caobang.gov.vn/", "email": "", "section_url": "",
            "line": 1, "unit_code": unit_code}


def run(store: Store, agencies: list[dict], statuses: dict[str, str]) -> int:
    run_id = store.create_run(ruleset="tctt-core", ruleset_version="1", tool_version="t", registry="r.csv",
                              audit_date="2026-12-01", options={}, agencies=agencies)
    for agency_id, status in statuses.items():
        store.set_agency_result(run_id, agency_id, status=status)
    store.finish_run(run_id)
    return run_id


def test_coverage_per_province_and_over_runs(tmp_path):
    communes = units.communes(4)
    store = Store(tmp_path / "t.db")
    first = [agency("tinh-04", "UBND tỉnh Cao Bằng", "province", "4"),
             agency("xa-a", "x", "commune", str(communes[0].code)),
             # typed by hand, no code: matched by its name
             agency("xa-b", f"UBND {communes[1].name.lower()}", "commune"),
             agency("so-tu-phap", "Sở Tư pháp", "department"),
             agency("khac", "Sở Y tế tỉnh Khác", "department", province="Tỉnh Mẫu Sơn")]
    run1 = run(store, first, {"tinh-04": "audited", "xa-a": "audited", "xa-b": "unreachable", "so-tu-phap": "audited"})
    second = [*first, agency("xa-c", "x", "commune", str(communes[2].code))]
    run2 = run(store, second, {a["id"]: "audited" for a in second})
    [entry] = coverage(store, run1)
    assert (entry["name"], entry["units"], entry["found"], entry["audited"]) == ("Tỉnh Cao Bằng", 1 + len(communes), 3, 2)
    assert entry["not_audited"] == [{"name": communes[1].name, "agencies": ["xa-b"], "status": "unreachable"}]
    assert len(entry["none"]) == len(communes) - 2 and {"code": communes[0].code, "name": communes[0].name} \
        not in entry["none"]
    assert (entry["other_agencies"], entry["other_audited"]) == (1, 1)
    trend = coverage_trend(store)
    assert [(t["run"], t["found"], t["audited"]) for t in trend] == [(run1, 3, 2), (run2, 4, 4)]
    html = _environment("en").get_template("_coverage.html.j2").render(coverage=coverage(store, run1), CT=T["en"])
    assert f"Units with no portal in the registry ({len(communes) - 2})" in html and "never counted as a zero" in html
