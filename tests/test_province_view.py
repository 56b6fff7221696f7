"""The province's view: the agencies × rules matrix, rates over the agencies a rule applies to, who must
act, progress over runs, and no slug or status/level enum on any page, on the sample province and on a
generated province of 66 agencies with three runs (the sample's real evidence, scored by the auditors).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
from croniter import croniter

from core.store import Store
from farms.provincefarm import grow_province
from reports.html import agency_filenames
from reports.i18n import BUCKET, FINDING_STATUS, LEVEL, fmt_number
from reports.model import build_run_model
from reports.rates import effective_status, pooled, rule_rates
from rules import load_ruleset
from tctt import stages

RULESET = load_ruleset()
SLUGS = [r.id for r in RULESET.rules]
ENUMS = ["not_applicable", "robots_disallowed", "not_audited", "pass", "fail", "partial", "manual", "transition",
         "audited", "unreachable", "blocked", "error", "excused", "missing",
         "ministry", "province", "department", "commune", "other"]
CRON = "0 2 * * 1"


def visible_text(path: Path) -> str:
    """What a reader sees or hears: text, titles, labels, alt texts — without URLs and e-mail addresses."""
    doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    for node in doc.xpath("//style|//script"):
        node.drop_tree()
    text = " ".join([doc.text_content(), *doc.xpath("//@title|//@aria-label|//@alt")])
    return re.sub(r"https?://\S+|\S+@\S+", " ", text)


def leaks(out: Path, words: list[str]) -> dict[str, set[str]]:
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, words)) + r")(?![\w/-])")
    found = {}
    for page in sorted(out.rglob("*.html")):
        hits = {m.group(1) for m in pattern.finditer(visible_text(page))}
        if hits:
            found[str(page.relative_to(out))] = hits
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, tctt) -> Path:
    out = tmp_path_factory.mktemp("sample")
    result = tctt('demo', '--out', str(out), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def big(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("big")
    db = base / "tctt.db"
    runs = grow_province(sample / "tctt.db", db, agencies=66, runs=3)
    stages.report(db, base / "vi", lang="vi", ruleset=RULESET, schedule=CRON)
    stages.report(db, base / "en", lang="en", ruleset=RULESET)
    store = Store(db)
    try:
        model = build_run_model(store, runs[-1], bands=RULESET.bands, lang="vi")
        parents = {a["id"]: a["parent"] for a in store.agencies(runs[-1])}
    finally:
        store.close()
    return {"db": db, "vi": base / "vi", "en": base / "en", "runs": runs, "model": model, "parents": parents,
            "files": agency_filenames(model["agencies"])}


# -- rates ------------------------------------------------------------------------------------------
def test_rate_is_over_the_agencies_a_rule_applies_to():
    agencies = [{"r": "pass"}, {"r": "not_applicable"}, {"r": "fail"}, {"r": "manual"}, {"r": "transition"}, None,
                {"r": "partial"}, {}]
    rate = rule_rates(agencies, ["r"])["r"]
    assert rate.decided == 3 and rate.rate == pytest.approx(33.3)
    assert (rate.counts["not_applicable"], rate.counts["transition"], rate.counts["manual"],
            rate.counts["not_audited"], rate.counts["missing"]) == (1, 1, 1, 1, 1)
    assert rate.applicable == 4   # the manual finding applies, but awaits an inspector
    assert rule_rates([{"r": "not_applicable"}], ["r"])["r"].rate is None   # never 100 % by default


def test_inspector_decisions_count_as_what_they_decide():
    assert effective_status("manual", "compliant") == "pass"
    assert effective_status("fail", "excused") == "excused"
    assert effective_status("not_applicable", "compliant") == "not_applicable"
    rate = rule_rates([{"r": "manual"}, {"r": "fail"}], ["r"], [{"r": "compliant"}, {"r": "excused"}])["r"]
    assert rate.rate == 100 and rate.counts["excused"] == 1 and rate.counts["manual"] == 0
    assert pooled([rate, rate]).counts["pass"] == 2


# -- Vietnamese everywhere ------------------------------------------------------------------------
def test_no_slug_or_enum_on_any_sample_page(sample: Path):
    assert (sample / "province" / "index.html").exists() and (sample / "province" / "act.html").exists()
    assert len(list(sample.rglob("*.html"))) > 40
    assert leaks(sample, SLUGS + ENUMS) == {}


def test_no_slug_or_enum_on_any_generated_page(big: dict):
    assert len(list(big["vi"].rglob("*.html"))) > 130
    assert leaks(big["vi"], SLUGS + ENUMS) == {}
    # English prose says "pass", "other", "corrections" as words; no enum with an underscore, and no table
    # cell or heading that is a bare slug.
    assert leaks(big["en"], ["not_applicable", "robots_disallowed", "not_audited"]) == {}
    for page in big["en"].rglob("*.html"):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        cells = {c.text_content().strip() for c in doc.xpath("//th|//td|//h2|//h3|//li")}
        assert not cells & set(SLUGS), page
    english = visible_text(big["en"] / "province" / "index.html")
    assert "Pass rate" in english and RULESET.rule("focal-point").title["en"] in english
    assert FINDING_STATUS["vi"]["fail"] not in english


# -- the matrix -------------------------------------------------------------------------------------
def _judged_rules(model: dict) -> list[str]:
    seen = {f["rule"] for a in model["agencies"] for f in a["findings"]}
    return [r.id for r in RULESET.rules if r.id in seen]


def test_matrix_has_every_agency_and_rule_and_links_to_findings(big: dict):
    model, files, out = big["model"], big["files"], big["vi"]
    rules = _judged_rules(model)
    assert len(model["agencies"]) == 66 and len(rules) > 30
    doc = lxml.html.fromstring((out / "province" / "index.html").read_text(encoding="utf-8"))
    headers = doc.xpath("//table[@class='matrix']/thead/tr/th[contains(@class, 'rc')]")
    assert [h.xpath("string(.//span[@class='vh'])") for h in headers] == \
        [RULESET.rule(r).title["vi"] for r in rules]
    rows = doc.xpath("//table[@class='matrix']/tbody/tr")
    assert len(rows) == 66
    anchors: dict[str, set[str]] = {}
    for agency, row in zip(model["agencies"], rows, strict=True):
        assert row.xpath("string(th/a/@href)") == f"../agencies/{files[agency['id']]}"
        if agency["status"] != "audited":
            assert row.xpath("string(td[contains(@class, 'na-row')])").strip().startswith("×")
            continue
        cells = row.xpath("td[contains(@class, 'mx')]")
        assert len(cells) == len(rules)
        findings = {f["rule"]: f for f in agency["findings"]}
        page = files[agency["id"]]
        if page not in anchors:
            anchors[page] = set(lxml.html.fromstring((out / "agencies" / page).read_text(encoding="utf-8"))
                                .xpath("//@id"))
        for rule, cell in zip(rules, cells, strict=True):
            status = findings[rule]["status"]
            assert cell.xpath("string(.//span[@class='vh'])") == BUCKET["vi"][status]
            href = cell.xpath("string(a/@href)")
            assert href == f"../agencies/{page}#rule-{rule}" and f"rule-{rule}" in anchors[page]


def test_rates_exclude_what_does_not_apply(big: dict):
    model, out = big["model"], big["vi"]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for agency in model["agencies"]:
        for finding in agency["findings"]:
            counts[finding["rule"]][finding["status"]] += 1
    doc = lxml.html.fromstring((out / "province" / "index.html").read_text(encoding="utf-8"))
    shown = {}
    for tr in doc.xpath("//table[@class='rates']/tbody/tr"):
        cells = [c.text_content().strip() for c in tr.xpath("td|th")]
        shown[cells[1]] = cells
    with_na = 0
    for rule in _judged_rules(model):
        c = counts[rule]
        decided = c["pass"] + c["partial"] + c["fail"]
        cells = shown[RULESET.rule(rule).title["vi"]]
        expected = f"{fmt_number(round(100 * c['pass'] / decided, 1), 'vi')}%" if decided else "—"
        assert cells[2] == expected, (rule, cells)
        assert cells[3] == str(decided) and cells[7] == str(c["manual"]) and cells[8] == str(c["not_applicable"])
        if c["not_applicable"] and decided:   # the old formula counted not_applicable as passing
            with_na += expected != f"{fmt_number(round(100 * (c['pass'] + c['not_applicable']) / (decided + c['not_applicable']), 1), 'vi')}%"
    assert with_na, "the generated province should have rules that do not apply to some agencies"


def test_groups_by_level_and_parent(big: dict):
    model, parents, out = big["model"], big["parents"], big["vi"] / "province"
    by_level = defaultdict(set)
    for agency in model["agencies"]:
        by_level[agency["level"]].add(agency["name"])
    for level, names in by_level.items():
        doc = lxml.html.fromstring((out / f"level-{level}.html").read_text(encoding="utf-8"))
        listed = {a.text_content().strip() for a in doc.xpath("//table[@class='matrix']/tbody/tr/th/a")}
        assert listed == names and LEVEL["vi"][level] in doc.xpath("string(//h1)")
    names = {a["id"]: a["name"] for a in model["agencies"]}
    children = defaultdict(set)
    for agency_id, parent in parents.items():
        if parent:
            children[parent].add(names[agency_id])
    assert len(children) >= 2
    for parent, kids in children.items():
        doc = lxml.html.fromstring((out / f"parent-{parent}.html").read_text(encoding="utf-8"))
        assert {a.text_content().strip() for a in doc.xpath("//table[@class='matrix']/tbody/tr/th/a")} == kids
        assert names[parent] in doc.xpath("string(//h1)")


# -- who must act -----------------------------------------------------------------------------------
def test_who_must_act_lists_each_failing_agency_under_each_failing_rule(big: dict):
    model, files, parents = big["model"], big["files"], big["parents"]
    gaps = {(files[a["id"]], f["rule"]) for a in model["agencies"] for f in a["findings"]
            if f["status"] in ("fail", "partial")}
    doc = lxml.html.fromstring((big["vi"] / "province" / "act.html").read_text(encoding="utf-8"))
    listed = set()
    for section in doc.xpath("//section[starts-with(@id, 'gap-')]"):
        hrefs = section.xpath(".//table//th/a/@href")
        rules = {h.split("#rule-")[1] for h in hrefs}
        assert len(rules) == 1
        rule = rules.pop()
        assert RULESET.rule(rule).failure_title["vi"] in section.xpath("string(h3)")
        assert section.xpath("string(.//dd)").strip()   # a legal basis is cited
        listed |= {(h.split("/")[-1].split("#")[0], rule) for h in hrefs}
    assert listed == gaps and len(gaps) > 100
    # per parent body: every subordinate, each with exactly its gaps
    names = {a["id"]: a["name"] for a in model["agencies"]}
    by_parent = doc.xpath("//h2[@id='by-parent']/following-sibling::section")
    assert {s.xpath("string(h3)") for s in by_parent} == {names[p] for p in set(parents.values()) if p}
    for section in by_parent:
        for tr in section.xpath(".//tbody/tr"):
            page = tr.xpath("string(th/a/@href)").split("/")[-1]
            assert {h.split("#rule-")[1] for h in tr.xpath("td//a/@href")} == {r for p, r in gaps if p == page}


# -- progress over runs -----------------------------------------------------------------------------
def test_trends_show_rates_per_rule_and_level_movers_and_next_run(big: dict):
    page = big["vi"] / "trends" / "index.html"
    doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    rule_rows = doc.xpath("//h2[@id='rules']/following-sibling::table[1]/tbody/tr")
    assert len(rule_rows) == len(_judged_rules(big["model"]))
    assert all(len(tr.xpath("td")) == 3 + 1 for tr in rule_rows)   # three runs and the apart counts
    level_rows = doc.xpath("//h2[@id='levels']/following-sibling::table[1]/tbody/tr")
    assert {tr.xpath("string(th)") for tr in level_rows} == {LEVEL["vi"][lv] for lv in
                                                             ("province", "department", "commune", "other")}
    improved = doc.xpath("//table[@id='rules-improved']/tbody/tr/th/a")
    regressed = doc.xpath("//table[@id='rules-regressed']/tbody/tr/th/a")
    assert improved and regressed
    due = croniter(CRON, datetime.now().astimezone()).get_next(datetime)
    assert doc.xpath("string(//h2[@id='next-run']/following-sibling::p[1]//time/@datetime)")[:10] == \
        due.isoformat()[:10]
    assert doc.xpath("count(//figure/*[local-name()='svg'])") == 3   # every chart keeps a table beside it
    # the latest run's rate of each rule is the matrix's (one function computes both)
    matrix = lxml.html.fromstring((big["vi"] / "province" / "index.html").read_text(encoding="utf-8"))
    for tr, mx in zip(rule_rows, matrix.xpath("//table[@class='rates']/tbody/tr"), strict=True):
        latest = tr.xpath("string(td[3])")
        assert latest.split("%")[0] + "%" == mx.xpath("string(td[2])").strip() or latest == "—"
    english = lxml.html.fromstring((big["en"] / "trends" / "index.html").read_text(encoding="utf-8"))
    assert "No audit schedule is configured." in english.text_content()
