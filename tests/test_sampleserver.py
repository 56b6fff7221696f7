"""The bundled sample province: served over loopback, internally consistent, matching its ground truth."""

from __future__ import annotations

import csv
import io
import time
import unicodedata
import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import yaml
from pypdf import PdfReader

from core.store import FINDING_STATUSES
from rules import load_ruleset
from tctt.sampleserver import SAMPLE_DIR, serve_sample_province

SLOW_DELAY = 0.3
RULE_IDS = {rule.id for rule in load_ruleset().rules}
# Rules that judge the section itself: with no section found, every one of them fails.
# Rules that fail when there is no section. Not among them: the conditional catalogue (drawn up, not
# published: manual) and the focal point's details (looked for on the whole portal, e.g. a contact page).
SECTION_RULES = {
    "section-exists", "public-catalogue", "focal-point", "request-address", "complaint-channel", "request-forms",
    "requester-guidance", "download-addresses", "catalogue-fields", "catalogue-links",
    "catalogue-freshness", "catalogue-coverage", "databases-connected",
}
PORTALS = yaml.safe_load((SAMPLE_DIR / "portals.yaml").read_text(encoding="utf-8"))
LIVE = [aid for aid, cfg in PORTALS.items() if cfg["behaviour"] != "dead"]
HTML_SUFFIXES = {".html", ".aspx"}


@pytest.fixture(scope="module")
def province():
    with serve_sample_province(slow_delay=SLOW_DELAY) as running:
        yield running


def fetch(url: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


class _Links(HTMLParser):
    ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.title = ""
        self._in_title = False
        self.charset = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("charset") or "").lower() == "utf-8":
            self.charset = True
        if tag == "title":
            self._in_title = True
        name = self.ATTRS.get(tag)
        if name and attrs.get(name):
            self.links.append((tag, attrs[name]))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(body: bytes) -> _Links:
    parser = _Links()
    parser.feed(body.decode("utf-8"))
    return parser


def crawl(base: str) -> dict[str, tuple[int, list[str]]]:
    """Every same-portal URL reachable from the home page -> (status, referring pages)."""
    host = urlsplit(base).netloc
    seen: dict[str, tuple[int, list[str]]] = {}
    referrers: dict[str, list[str]] = {base: []}
    queue = deque([base])
    while queue:
        url = queue.popleft()
        status, headers, body = fetch(url)
        seen[url] = (status, referrers[url])
        if status != 200 or not headers.get("Content-Type", "").startswith("text/html"):
            continue
        for _tag, href in parse(body).links:
            target = urldefrag(urljoin(url, href)).url
            if urlsplit(target).netloc != host:
                continue
            if target in referrers:
                referrers[target].append(url)
            else:
                referrers[target] = [url]
                queue.append(target)
    return seen


# --- static consistency -------------------------------------------------------------------------


def test_registry_expected_and_portals_list_the_same_agencies():
    with (SAMPLE_DIR / "registry.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = yaml.safe_load((SAMPLE_DIR / "expected.yaml").read_text(encoding="utf-8"))["agencies"]
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) >= 12
    assert set(ids) == set(expected) == set(PORTALS)
    assert list(rows[0]) == ["id", "name", "level", "parent", "province", "url", "email", "section_url"]
    for row in rows:
        assert row["url"] == f"http://{{host:{row['id']}}}/"
        assert row["province"] == "Mẫu Sơn"
        assert row["level"] in {"ministry", "province", "department", "commune", "other"}
        assert row["parent"] == "" or row["parent"] in ids
        assert unicodedata.is_normalized("NFC", row["name"])
    addresses = [cfg["address"] for cfg in PORTALS.values()]
    assert len(addresses) == len(set(addresses))


def test_expected_is_well_formed():
    expected = yaml.safe_load((SAMPLE_DIR / "expected.yaml").read_text(encoding="utf-8"))["agencies"]
    for aid, entry in expected.items():
        assert entry["notes"].strip(), aid
        if PORTALS[aid]["behaviour"] == "dead":
            assert entry["status"] == "unreachable" and entry["rules"] == {} and entry["section"] is None
            continue
        assert entry["status"] == "audited", aid
        assert set(entry["rules"]) == RULE_IDS, aid
        assert set(entry["rules"].values()) <= set(FINDING_STATUSES), aid
        assert (entry["section"] is not None) == (entry["rules"]["section-exists"] == "pass"), aid
        if entry["section"] is None:
            section_rules = {rule: status for rule, status in entry["rules"].items() if rule in SECTION_RULES}
            assert set(section_rules.values()) == {"fail"}, aid
            assert entry["rules"]["conditional-catalogue"] == "manual", aid


@pytest.mark.parametrize("agency", LIVE)
def test_pages_are_utf8_nfc_with_charset_and_title(agency):
    folder = SAMPLE_DIR / "portals" / agency
    pages = [p for p in folder.rglob("*") if p.suffix in HTML_SUFFIXES]
    assert 3 <= len(pages) <= 12
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), page
        parsed = parse(text.encode())
        assert parsed.charset, page
        assert parsed.title.strip(), page
    assert (folder / "robots.txt").is_file()


# --- over HTTP -----------------------------------------------------------------------------------


@pytest.mark.parametrize("agency", LIVE)
def test_home_page_is_served(province, agency):
    status, headers, body = fetch(province.urls[agency])
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    title = parse(body).title
    assert any(ord(ch) > 127 for ch in title), title  # Vietnamese, with diacritics
    assert unicodedata.is_normalized("NFC", title)


def test_registry_rows_and_written_registry_use_live_addresses(province, tmp_path):
    for row in province.registry_rows:
        assert "{host:" not in row["url"]
        assert row["url"] == province.urls[row["id"]]
        assert row["url"].startswith(f"http://{PORTALS[row['id']]['address']}:")
    path = province.write_registry(tmp_path / "registry.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        assert list(csv.DictReader(fh)) == province.registry_rows


def test_expected_sections_are_full_urls_that_resolve(province):
    for aid, entry in province.expected.items():
        if entry["section_path"] is None:
            assert entry["section"] is None
            continue
        assert entry["section"] == province.urls[aid].rstrip("/") + entry["section_path"]
        status, headers, _ = fetch(entry["section"])
        assert status == 200, aid
        assert headers["Content-Type"].startswith("text/html")


def test_dead_portal_refuses_connections(province):
    dead = [aid for aid, cfg in PORTALS.items() if cfg["behaviour"] == "dead"]
    assert dead
    for aid in dead:
        with pytest.raises(urllib.error.URLError) as info:
            urllib.request.urlopen(province.urls[aid], timeout=3)
        assert isinstance(info.value.reason, ConnectionRefusedError)


def test_slow_portal_is_slower_than_the_delay(province):
    slow = [aid for aid, cfg in PORTALS.items() if cfg["behaviour"] == "slow"]
    assert slow
    for aid in slow:
        start = time.monotonic()
        status, _, _ = fetch(province.urls[aid])
        assert status == 200
        assert time.monotonic() - start >= SLOW_DELAY
    start = time.monotonic()
    fetch(province.urls["so-tu-phap"])
    assert time.monotonic() - start < SLOW_DELAY


def test_pdf_catalogue_has_a_vietnamese_text_layer(province):
    status, headers, body = fetch(
        province.urls["so-tai-chinh"] + "documents/danh-muc-thong-tin-cong-khai.pdf"
    )
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert len(body) < 100_000
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert "Danh mục thông tin" in text
    assert (
        "STT Tên, số, ký hiệu văn bản Ngày tạo ra Hình thức công khai Thời điểm, thời hạn công khai" in text
    )


def test_content_types_404_query_strings_and_session_ids(province):
    base = province.urls["so-tu-phap"]
    status, headers, body = fetch(base + "robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert body.startswith(b"User-agent: *")
    status, headers, _ = fetch(base + "sites/default/files/tiep-can-thong-tin/mau-so-01a.doc")
    assert status == 200 and headers["Content-Type"] == "application/msword"
    status, headers, body = fetch(base + "khong-ton-tai.html")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert "Không tìm thấy".encode() in body
    status, _, _ = fetch(base + "../../../etc/passwd")
    assert status == 404
    status, _, _ = fetch(base + "index.php/tiep-can-thong-tin?page=1&lang=vi")
    assert status == 200
    status, _, _ = fetch(province.urls["so-tai-chinh"] + "web/guest/tin-tuc;jsessionid=ABCDEF0123")
    assert status == 200
    status, headers, _ = fetch(province.urls["so-y-te"] + "images/banner-tiep-can-thong-tin.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    status, headers, _ = fetch(province.urls["so-xay-dung"] + "images/dau-moi.jpg")
    assert status == 200 and headers["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("agency", LIVE)
def test_every_internal_link_resolves(province, agency):
    base = province.urls[agency]
    dead = {base.rstrip("/") + path for path in province.expected[agency]["dead_links"]}
    seen = crawl(base)
    broken = {url: refs for url, (status, refs) in seen.items() if status != 200 and url not in dead}
    assert not broken, broken
    for url in dead:
        assert url in seen, f"deliberately dead link {url} is not linked from any page"
        assert seen[url][0] == 404
    # Every page and document in the folder is reachable from the home page.
    folder = SAMPLE_DIR / "portals" / agency
    reached = set()
    for url in seen:
        path = urlsplit(url).path.replace(";jsessionid=8F3A1C2B9D0E4F5A6B7C8D9E0F1A2B3C", "")
        target = folder / path.lstrip("/")
        reached.add(target / "index.html" if target.is_dir() else target)
    files = {p for p in folder.rglob("*") if p.is_file() and p.name != "robots.txt"}
    assert not files - reached, sorted(str(p.relative_to(folder)) for p in files - reached)


def test_banner_only_and_footer_only_sections(province):
    """so-y-te reaches its section only through an image; ubnd-tinh only from the footer."""
    for aid, only_via in (("so-y-te", "img"), ("ubnd-tinh", "footer")):
        section = province.expected[aid]["section"]
        status, _, body = fetch(province.urls[aid])
        assert status == 200
        html = body.decode("utf-8")
        anchor_at = html.index(f'href="{province.expected[aid]["section_path"]}"')
        assert html.count(f'href="{province.expected[aid]["section_path"]}"') == 1
        if only_via == "img":
            snippet = html[anchor_at : html.index("</a>", anchor_at)]
            assert "<img" in snippet and 'alt="Tiếp cận thông tin"' in snippet
            assert ">Tiếp cận thông tin<" not in html
        else:
            assert anchor_at > html.index('<div id="footer">')
        assert section.startswith(province.urls[aid].rstrip("/"))


def test_no_section_vocabulary_on_the_clean_negative(province):
    for url, (status, _) in crawl(province.urls["so-noi-vu"]).items():
        _, headers, body = fetch(url)
        if not headers.get("Content-Type", "").startswith("text/html"):
            continue
        text = body.decode("utf-8").lower()
        for marker in (
            "tiếp cận thông tin",
            "đầu mối",
            "danh mục thông tin",
            "mẫu số 01",
            "phiếu yêu cầu",
            "quy chế cung cấp thông tin",
        ):
            assert marker not in text, (url, marker)
        assert status == 200


def test_sample_files_stay_small():
    total = sum(p.stat().st_size for p in (SAMPLE_DIR / "portals").rglob("*") if p.is_file())
    assert total < 600_000
    assert all(p.stat().st_size < 100_000 for p in Path(SAMPLE_DIR / "portals").rglob("*") if p.is_file())
