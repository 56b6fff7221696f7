"""The gold set: generator, documents, loopback server, resolver, labels and the evaluation metrics."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from crawler.documents import extract
from farms.gold import GOLD_DIR, SpecError, build, derive_labels, generate, load_specs, normalize, random_spec
from farms.gold import generator as gen
from farms.gold.docs import docx, pdf, xlsx
from farms.gold.evaluate import compare, normalize_url, record_accuracy, status_metrics
from farms.gold.server import serve_portals
from rules import accuracy_for, load_ruleset

RULESET = load_ruleset()
SPECS = load_specs()
# The rules the gold set labels. Rules added later are evaluated as "unlabelled" until labels are added.
LABELLED_RULES = {"section-exists", "public-catalogue", "focal-point", "request-address", "complaint-channel",
                  "request-forms", "requester-guidance", "download-addresses", "internal-regulation",
                  "conditional-catalogue"}


# --- the gold set ------------------------------------------------------------------------------
def test_gold_set_has_sixty_portals_each_labelled_for_every_rule():
    assert len(SPECS) >= 60
    for spec in SPECS:
        labels = spec["expect"]["rules"]
        assert set(labels) >= LABELLED_RULES, (spec["id"], LABELLED_RULES - set(labels))
        # "manual" where the law leaves the item to the inspector (the conditional catalogue, drawn up, not published)
        assert set(labels.values()) <= {"pass", "partial", "fail", "manual"}, spec["id"]


def test_gold_labels_follow_the_labelling_policy():
    """Hand-kept labels and section paths agree with what the spec declares (no stale label after an edit)."""
    for spec in SPECS:
        assert spec["expect"]["rules"] == derive_labels(spec), spec["id"]
        portal = build(spec)
        if spec.get("reach") == "none":
            assert portal.section is None, spec["id"]
        else:
            # The expected section is a page the generator wrote.
            url = portal.section[0].removeprefix("http://")
            assert url in portal.files or url + "/" in portal.files, (spec["id"], url)


def test_gold_set_covers_every_platform_reach_state_and_trap():
    normalized = [normalize(s) for s in SPECS]
    seen = {
        "platform": {s["platform"] for s in normalized},
        "reach": {s["reach"] for s in normalized},
        "layout": {s["layout"] for s in normalized},
        "url_trap": {s["url_trap"] for s in normalized},
        "catalogue": {s["elements"]["catalogue"] for s in normalized},
        "focal": {s["elements"]["focal"] for s in normalized},
        "regulation": {s["elements"]["regulation"] for s in normalized},
        "request_address": {s["elements"]["request_address"] for s in normalized},
        "complaint": {s["elements"]["complaint"] for s in normalized},
        "guidance": {s["elements"]["guidance"] for s in normalized},
        "traps": {t for s in normalized for t in s["traps"]},
        "forms": {"all" if s["elements"]["forms"] == "all" else "subset" if isinstance(s["elements"]["forms"], list)
                  else s["elements"]["forms"] for s in normalized},
        "headings": {s["style"]["headings"] for s in normalized},
        "unicode": {s["style"]["unicode"] for s in normalized},
    }
    assert seen["platform"] == set(gen.PLATFORMS)
    assert seen["reach"] == set(gen.REACHES)
    assert seen["layout"] == set(gen.LAYOUTS)
    assert seen["url_trap"] == set(gen.URL_TRAPS)
    assert seen["catalogue"] == set(gen.CATALOGUES)
    assert seen["focal"] == set(gen.FOCALS)
    assert seen["regulation"] == set(gen.REGULATIONS)
    assert seen["request_address"] == set(gen.REQUESTS)
    assert seen["complaint"] == set(gen.COMPLAINTS)
    assert seen["guidance"] == set(gen.GUIDANCES)
    assert seen["traps"] == set(gen.TRAPS)
    assert seen["forms"] == {"all", "subset", "land", "absent"}
    assert seen["headings"] == set(gen.HEADING_STYLES)
    assert seen["unicode"] == {"nfc", "nfd"}
    # Several agencies on one shared host (Liferay /web/<site>/).
    hosts = [s["host"] for s in normalized]
    assert any(hosts.count(h) >= 3 for h in hosts)


def test_adding_a_portal_is_one_small_file(tmp_path: Path):
    (tmp_path / "mot-cong.yaml").write_text("id: mot-cong\nplatform: joomla\nelements: {focal: heading_only}\n",
                                            encoding="utf-8")
    [spec] = load_specs(tmp_path)
    portal = build(spec)
    assert portal.labels["focal-point"] == "fail" and portal.labels["section-exists"] == "pass"
    assert any(key.endswith(".html") for key in portal.files)  # Joomla pages


def test_bad_specs_are_refused_with_the_file(tmp_path: Path):
    (tmp_path / "sai.yaml").write_text("id: sai\nplatform: typo3\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"sai\.yaml.*platform 'typo3'"):
        load_specs(tmp_path)
    with pytest.raises(SpecError, match="elements.focal"):
        normalize({"id": "x", "elements": {"focal": "maybe"}})
    (tmp_path / "empty").mkdir()
    with pytest.raises(SpecError, match="holds no portal specs"):
        load_specs(tmp_path / "empty")
    with pytest.raises(SpecError, match="not a folder"):
        load_specs(tmp_path / "missing")


# --- the generator -----------------------------------------------------------------------------
def test_generator_is_deterministic_and_seedable():
    spec = SPECS[0]
    assert generate(spec) == generate(dict(spec))
    assert random_spec(3, 17) == random_spec(3, 17)
    assert random_spec(3, 17) != random_spec(4, 17)
    first = [generate(random_spec(11, i)) for i in range(5)]
    again = [generate(random_spec(11, i)) for i in range(5)]
    assert first == again
    assert len({tuple(sorted(files)) for files in first}) == 5


def test_a_new_platform_changes_no_other_portal(monkeypatch: pytest.MonkeyPatch):
    from farms.gold import spec

    before = [normalize(s) for s in SPECS]
    monkeypatch.setattr(spec, "PLATFORMS", (*spec.PLATFORMS, "dnn"))
    assert [normalize(s) for s in SPECS] == before


def test_synthetic_population_covers_the_combinations():
    specs = [normalize(random_spec(5, i)) for i in range(300)]
    assert {s["platform"] for s in specs} == set(gen.PLATFORMS)
    assert {s["reach"] for s in specs} == set(gen.REACHES)
    assert {s["elements"]["catalogue"] for s in specs} == set(gen.CATALOGUES)
    assert len({s["host"] for s in specs}) == 300


def test_pages_are_realistic_vietnamese_html():
    portal = build(next(s for s in SPECS if s["id"] == "stp-lao-cai"))
    section = portal.files[portal.section[0].removeprefix("http://")].decode("utf-8")
    assert '<html lang="vi">' in section and "Sở Tư pháp tỉnh Lào Cai" in section
    assert "Drupal" in section  # generator meta of the platform
    robots = portal.files[f"{portal.hosts[0]}/robots.txt"]
    assert b"User-agent" in robots


def test_documents_are_readable_by_the_crawler():
    lines = ["DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI", "STT | Tên, số, ký hiệu | Ngày tạo ra | Đường dẫn"]
    text = extract(pdf(lines))["text"]
    assert "DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI" in text and "Ngày tạo ra" in text
    scanned = extract(pdf(lines, scanned=True))
    assert scanned["text"] == "" and scanned["scanned"]
    word = extract(docx(["Danh mục thông tin"], [["STT", "Tên văn bản"], ["1", "Quyết định 12/QĐ-UBND"]]))
    assert word["doc_type"] == "docx" and word["tables"][0]["rows"] == [["1", "Quyết định 12/QĐ-UBND"]]
    sheet = extract(xlsx([["STT", "Ngày ban hành"], ["1", "07/01/2025"]]))
    assert sheet["doc_type"] == "xlsx" and sheet["tables"][0]["headers"] == ["STT", "Ngày ban hành"]


# --- the server and the resolver ---------------------------------------------------------------
def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_server_serves_each_host_on_its_own_loopback_address():
    liferay = next(s for s in SPECS if s["id"] == "stp-ca-mau")
    sub_domain = next(s for s in SPECS if s["id"] == "stp-dien-bien")
    portals = [build(liferay), build(sub_domain)]
    with serve_portals(portals, port=0) as server:  # an ephemeral port: links between hosts are rewritten
        assert server.port != 80
        assert all(address.startswith("127.1.") for address in server.addresses.values())
        assert len(set(server.addresses.values())) == len(server.addresses)

        def fetch(url: str) -> tuple[int, bytes]:
            host = url.split("/")[2]
            address = server.addresses[host]
            return _get(url.replace(f"http://{host}/", f"http://{address}:{server.port}/"))

        status, body = fetch(portals[0].home)
        assert status == 200 and "Sở Tư pháp tỉnh Cà Mau" in body.decode()
        # The section link carries ;jsessionid= and still answers.
        section = portals[0].section[0]
        assert fetch(section)[0] == 200
        assert fetch(section + ";jsessionid=ABC123")[0] == 200
        assert b";jsessionid=" in body
        assert fetch(portals[0].home.rsplit("/", 1)[0] + "/no-such-page")[0] == 404
        # The sub-domain section is linked absolutely, with the live port.
        status, home = fetch(portals[1].home)
        assert f"tctt.stp.dienbien.gov.test:{server.port}/".encode() in home
        rows = server.registry_rows()
        assert {r["id"] for r in rows} == {"stp-ca-mau", "stp-dien-bien"}
        assert all(f":{server.port}/" in r["url"] for r in rows)


def test_static_resolver_maps_gold_hosts_and_refuses_other_test_names():
    from twisted.internet.error import DNSLookupError
    from twisted.internet.testing import MemoryReactorClock

    from farms.gold.resolver import StaticResolver

    resolver = StaticResolver(MemoryReactorClock(), 0, 5.0, {"stp.laocai.gov.test": "127.1.0.7"})
    results: list = []
    resolver.getHostByName("STP.laocai.gov.test").addCallback(results.append)
    assert results == ["127.1.0.7"]
    failures: list = []
    resolver.getHostByName("other.gov.test").addErrback(failures.append)
    assert failures and failures[0].check(DNSLookupError)


# --- metrics -----------------------------------------------------------------------------------
def test_status_metrics_by_hand():
    pairs = [("pass", "pass")] * 6 + [("pass", "partial")] + [("fail", "fail")] * 2 + [("partial", "fail")]
    m = status_metrics(pairs)
    assert m["labelled"] == 10 and m["accuracy"] == 0.8
    assert m["statuses"]["pass"] == {"precision": 1.0, "recall": round(6 / 7, 4), "f1": round(12 / 13, 4),
                                     "support": 7, "predicted": 6}
    assert m["statuses"]["fail"]["precision"] == round(2 / 3, 4) and m["statuses"]["fail"]["recall"] == 1.0
    assert m["statuses"]["partial"]["f1"] == 0.0
    # Support-weighted F1 over the expected statuses: (7·12/13 + 2·0.8 + 1·0) / 10.
    assert m["f1"] == round((7 * 12 / 13 + 2 * 0.8) / 10, 4)
    assert m["confusion"]["pass→partial"] == 1


def test_compare_counts_sections_and_unlabelled_rules():
    portals = [
        {"id": "a", "section": ["http://a.gov.test/tctt"], "labels": {"section-exists": "pass"}},
        {"id": "b", "section": None, "labels": {"section-exists": "fail", "focal-point": "fail"}},
    ]
    agencies = [
        {"id": "a", "status": "audited", "section": {"url": "http://A.gov.test:8080/tctt/;jsessionid=X", "confidence": 1},
         "findings": [{"rule": "section-exists", "status": "pass", "message": {"vi": "có"}, "evidence": []},
                      {"rule": "focal-point", "status": "fail", "message": {"vi": "không"}, "evidence": []}]},
        {"id": "b", "status": "audited", "section": {"url": "http://b.gov.test/tin-tuc", "confidence": 0.6},
         "findings": [{"rule": "section-exists", "status": "pass", "message": {"vi": "có"},
                       "evidence": [{"url": "http://b.gov.test/tin-tuc", "excerpt": "tin"}]},
                      {"rule": "focal-point", "status": "fail", "message": {"vi": "không"}, "evidence": []}]},
    ]
    result = compare(portals, agencies, RULESET)
    assert result["section_accuracy"] == 0.5
    assert result["rules"]["focal-point"]["unlabelled"] == 1 and result["rules"]["focal-point"]["labelled"] == 1
    assert result["rules"]["section-exists"]["accuracy"] == 0.5
    wrong = [d for d in result["disagreements"] if d["rule"] == "section-exists"]
    assert wrong == [{"portal": "b", "rule": "section-exists", "expected": "fail", "got": "pass", "message": "có",
                      "evidence": [{"url": "http://b.gov.test/tin-tuc", "excerpt": "tin"}]}]
    assert normalize_url("http://A.gov.test:80/x/?b=2&a=1") == "a.gov.test/x?a=1&b=2"


def test_accuracy_is_recorded_per_ruleset_version(tmp_path: Path):
    folder = tmp_path / "core"
    shutil.copytree(Path(RULESET.path), folder)
    (folder / "accuracy.json").unlink(missing_ok=True)
    assert accuracy_for(folder, RULESET.id, RULESET.version) is None
    result = {"ruleset": {"id": RULESET.id, "version": RULESET.version}, "measured_at": "2026-11-26T00:00:00+00:00",
              "gold": {"portals": 64}, "section_accuracy": 0.97,
              "rules": {"focal-point": {"precision": 0.9, "recall": 0.8, "f1": 0.85, "accuracy": 0.8, "labelled": 64}}}
    record_accuracy(result, folder)
    entry = accuracy_for(folder, RULESET.id, RULESET.version)
    assert entry["section_accuracy"] == 0.97 and entry["rules"]["focal-point"]["f1"] == 0.85
    assert accuracy_for(folder, RULESET.id, "0.0.0") is None
    data = json.loads((folder / "accuracy.json").read_text(encoding="utf-8"))
    assert list(data) == [f"{RULESET.id}@{RULESET.version}"]


def test_committed_accuracy_matches_the_ruleset_in_use():
    """The bundled ruleset ships with its measured accuracy (re-run `tctt evaluate --record` after a change)."""
    entry = accuracy_for(RULESET.path, RULESET.id, RULESET.version)
    assert entry is not None, "rules/core/accuracy.json has no entry for this ruleset version"
    assert entry["gold_portals"] == len(SPECS)
    assert {r.id for r in RULESET.rules} <= set(entry["rules"])


def test_rules_list_and_report_footer_show_the_accuracy(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from reports.html import render_site
    from tctt.cli import main

    assert main(["rules", "list"]) == 0
    out = capsys.readouterr().out
    assert "Độ chính xác / accuracy" in out and "F1 " in out
    assert main(["rules", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["accuracy"]["section_accuracy"] is not None
    # Rules the gold set labels carry their F1; the rules added since (issue 7) are not labelled yet.
    measured = [rule for rule in listed["rules"] if rule["accuracy"] and rule["accuracy"].get("f1") is not None]
    assert {rule["id"] for rule in listed["rules"] if rule["class"] == "essential"} <= {r["id"] for r in measured}
    assert len(measured) >= 10

    run = {"id": 1, "status": "complete", "ruleset": RULESET.id, "ruleset_version": RULESET.version,
           "tool_version": "0.1.0", "audit_date": "2026-11-26", "started_at": "2026-11-26T01:00:00+00:00",
           "finished_at": "2026-11-26T01:05:00+00:00", "agencies_total": 0, "agencies_audited": 0,
           "average_score": None, "regime": None}
    model = {"lang": "vi", "run": run,
             "agencies": [], "bands": [], "summary": {},
             "accuracy": accuracy_for(RULESET.path, RULESET.id, RULESET.version)}
    index = render_site(model, tmp_path).read_text(encoding="utf-8")
    # Worded as agreement with the labelling policy on generated portals, not as legal correctness.
    assert "chính sách gán nhãn của dự án" in index and "cổng mẫu tự tạo" in index
    assert "không phải đánh giá tính đúng về pháp lý" in index
    model["accuracy"] = None
    assert "chưa được đo" in render_site(model, tmp_path / "x").read_text(encoding="utf-8")


def test_gold_yaml_files_are_small():
    for path in GOLD_DIR.glob("*.yaml"):
        assert len(yaml.safe_load(path.read_text(encoding="utf-8"))) <= 20, path
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 45, path
