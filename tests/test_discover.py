"""``tctt discover`` over a generated province of 60+ portals on loopback, then review and merge."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from core.registry import load_registry
from crawler.subportals import portal_key

sys.path.insert(0, str(Path(__file__).resolve().parent))
from province_farm import ROOT_HOST as ROOT_HOST_NAME  # noqa: E402
from province_farm import serve_province  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def discover(tctt, farm, out: Path, *extra: str) -> list[dict[str, str]]:
    result = tctt("discover", "--from", farm.root_url, "--allow-private", "--out", str(out), *farm.set_args(),
                  *extra)
    assert result.returncode == 0, result.stderr[-2000:]
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def by_address(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    found = {}
    for row in rows:
        for url in (row["url"], row["linked_url"]):
            if url:
                found[portal_key(url)] = row
    return found


@pytest.fixture(scope="module")
def farm():
    with serve_province() as served:
        yield served


@pytest.fixture(scope="module")
def first(farm, tmp_path_factory, tctt):
    out = tmp_path_factory.mktemp("discover") / "proposed-1.csv"
    return out, discover(tctt, farm, out)


def test_finds_the_subordinate_portals_with_level_and_unit(farm, first):
    _, rows = first
    assert len(farm.truth) >= 60
    root, children = rows[0], rows[1:]
    assert (root["id"], root["level"], root["unit_code"]) == ("tinh-68", "province", "68")
    found = by_address(children)
    right = [key for key, (level, code, parent) in farm.truth.items()
             if key in found and (found[key]["level"], found[key]["unit_code"], found[key]["parent"]) == (level, code, parent)]
    assert len(right) / len(farm.truth) >= 0.95, sorted(set(farm.truth) - set(right))
    # Nothing that is not a subordinate portal: every row answers to one of the farm's units.
    extra = [r["name"] for r in children if portal_key(r["url"]) not in farm.truth
             and portal_key(r["linked_url"] or "-") not in farm.truth]
    assert extra == []
    # One row per unit, even when linked twice under two names or through an old address.
    assert len({r["id"] for r in children}) == len(children)
    assert len(children) == len(farm.truth)


def test_dead_and_redirecting_links_are_recorded(first):
    _, rows = first
    states = {r["link_status"] for r in rows}
    assert {"ok", "dead", "redirect", "robots"} <= states
    [shut] = [r for r in rows if r["link_status"] == "robots"]
    assert shut["level"] == "commune" and shut["unit_code"] and "robots.txt" in shut["evidence"]
    dead = [r for r in rows if r["link_status"] == "dead"]
    assert len(dead) == 4 and all("unreachable" in r["evidence"] for r in dead)
    moved = [r for r in rows if r["link_status"] == "redirect"]
    assert len(moved) == 3
    for row in moved:
        assert row["linked_url"].startswith("http://xa") and portal_key(row["url"]) != portal_key(row["linked_url"])
        assert "redirects" in row["evidence"]
    twice = [r for r in rows if "also named" in r["evidence"]]
    assert len(twice) >= 3  # two departments and one commune linked under two names


def test_evidence_says_where_each_link_was_found(first):
    _, rows = first
    evidence = " ".join(r["evidence"] for r in rows)
    for how in ("select box", "menu", "footer", "block of unit links", "page listing units"):
        assert how in evidence
    commune = next(r for r in rows if r["level"] == "commune" and r["link_status"] == "ok")
    assert commune["id"] == f"xa-{int(commune['unit_code']):05d}" and commune["name"].startswith("Ủy ban nhân dân")
    assert 0 < float(commune["confidence"]) <= 1


def test_the_proposal_is_a_valid_registry(first):
    out, rows = first
    agencies = load_registry(out, allow_private=True)
    assert len(agencies) == len(rows)
    assert {a.parent for a in agencies} == {"", "tinh-68"}


def test_depth_two_follows_the_departments_units(farm, tmp_path, tctt):
    rows = discover(tctt, farm, tmp_path / "deep.csv", "--depth", "2")
    health = next(r for r in rows if r["url"].startswith("http://syt."))
    below = [r for r in rows if r["parent"] == health["id"]]
    assert sorted(r["name"] for r in below) == ["Bệnh viện Đa khoa tỉnh Lâm Đồng",
                                                "Trung tâm Kiểm soát bệnh tật tỉnh Lâm Đồng"]
    assert {r["level"] for r in below} == {"other"}


def test_second_discovery_diff_and_merge(farm, first, tmp_path, tctt):
    out1, rows1 = first
    farm.change()
    try:
        out2 = tmp_path / "proposed-2.csv"
        rows2 = discover(tctt, farm, out2)
    finally:
        farm.changed = False
        farm.build()
    result = tctt("registry", "diff", str(out1), str(out2), "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = {c["id"]: c for c in json.loads(result.stdout)["changes"]}
    moved = next(r for r in rows2 if r["url"].endswith("/web/" + r["url"].rsplit("/", 1)[-1]) and r["unit_code"]
                 and r["id"] in changes and changes[r["id"]]["kind"] == "changed")
    assert "url" in changes[moved["id"]]["fields"]  # the same id (unit code) at its new address
    kinds = sorted(c["kind"] for c in changes.values())
    assert kinds.count("added") == 1 and kinds.count("removed") == 1
    assert any(c["fields"].get("link_status") == {"old": "dead", "new": "ok"} for c in changes.values())
    removed = next(c for c in changes.values() if c["kind"] == "removed")
    assert "Ngoại vụ" in removed["name"]
    # The inspector accepts the move and the new commune, rejects the removal (asks the province first).
    added = next(c for c in changes.values() if c["kind"] == "added")
    merged = tmp_path / "registry.csv"
    result = tctt("registry", "merge", str(out1), str(out2), "--out", str(merged), "--allow-private",
                  "--accept", f"{moved['id']},{added['id']}", "--reject", removed["id"])
    assert result.returncode == 0, result.stderr
    agencies = {a.id: a for a in load_registry(merged, allow_private=True)}
    assert agencies[moved["id"]].url == moved["url"]
    assert added["id"] in agencies and removed["id"] in agencies
    assert "chưa quyết định / pending" in result.stdout  # the dead commune back online was not decided
    text = tctt("registry", "diff", str(out1), str(out2)).stdout
    assert "+ thêm / added" in text and "- bỏ / removed" in text and "~ đổi / changed" in text


def test_report_of_a_run_over_the_discovered_registry_shows_coverage(farm, first, tmp_path, tctt):
    proposal, rows = first
    out = tmp_path / "report"
    result = tctt("audit", "--registry", str(proposal), "--db", str(tmp_path / "tctt.db"), "--out", str(out),
                  "--allow-private", *farm.set_args(), "--set", "TCTT_TLS_PROBE=0")
    assert result.returncode == 0, result.stderr[-2000:]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Độ phủ: đơn vị hành chính có cổng thông tin điện tử" in html
    communes = [r for r in rows if r["level"] == "commune"]
    dead = [r for r in communes if r["link_status"] not in ("ok", "redirect")]  # dead, or robots.txt says no
    official = 1 + 124  # Tỉnh Lâm Đồng and its 124 communes, wards and special zones
    found, audited = 1 + len(communes), 1 + len(communes) - len(dead)
    row = html[html.index("<th scope=\"row\">Tỉnh Lâm Đồng</th>"):]
    row = row[:row.index("</tr>")]
    assert f'<td class="num">{official}</td>' in row
    assert f"{found} (" in row and f"{audited} (" in row and f'<td class="num">{official - found}</td>' in row
    assert f"Đơn vị chưa có cổng trong sổ đăng ký ({official - found})" in html
    assert f"Có cổng nhưng chưa kiểm tra được ({len(dead)})" in html
    trends = (out / "trends" / "index.html").read_text(encoding="utf-8")
    assert "Độ phủ qua các lượt kiểm tra" in trends and "Tỉnh Lâm Đồng" in trends
    # TCTT-31 judged from the discovered hierarchy: the province's own crawl saw its menu and footer links;
    # the communes' page and the select box were not part of it, so what it did not see is for an inspector.
    exported = tctt("export", "--db", str(tmp_path / "tctt.db"), "--format", "json")
    agencies = {a["id"]: a for a in json.loads(exported.stdout)["agencies"]}
    finding = next(f for f in agencies["tinh-68"]["findings"] if f["rule"] == "subordinate-portals")
    assert finding["status"] in ("pass", "manual"), finding["message"]
    commune = next(a for a in agencies.values() if a["level"] == "commune" and a["status"] == "audited")
    domain = next(f for f in commune["findings"] if f["rule"] == "gov-domain")
    assert domain["status"] == "fail"  # the farm's hosts are under .test, not .gov.vn


def test_a_parent_that_does_not_answer(farm, tmp_path, tctt):
    out = tmp_path / "dead.csv"
    dead = farm.root_url.replace(ROOT_HOST_NAME, "khongco.gov.test")
    result = tctt("discover", "--from", dead, "--allow-private", "--out", str(out), *farm.set_args(),
                  "--province", "Lâm Đồng")
    assert result.returncode == 9 and "did not answer" in result.stderr
    with out.open(encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["url"] == dead and row["level"] != ""
    # Loopback without --allow-private: an IP literal is refused before any crawl, a name by the network guard.
    refused = tctt("discover", "--from", f"http://127.0.0.1:{farm.port}/", "--out", str(out))
    assert refused.returncode == 2 and "--allow-private" in refused.stderr
    guarded = tctt("discover", "--from", farm.root_url, "--out", str(out), *farm.set_args())
    assert guarded.returncode == 9 and "private-address-refused" in guarded.stderr
    unknown = tctt("discover", "--from", farm.root_url, "--allow-private", "--province", "Mẫu Sơn", "--out",
                   str(out))
    assert unknown.returncode == 2 and "no province named" in unknown.stderr
