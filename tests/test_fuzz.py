"""Property-based tests: hostile or malformed input never makes the parsers raise.

Documented errors: ``load_registry`` raises only ``RegistryError``; ``parse_html``, ``detect``,
``canonical``, ``TrapDetector.reason`` and the ``core.vntext`` helpers never raise.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import vntext
from core.registry import RegistryError, load_registry
from crawler.classify import detect
from crawler.htmlpage import parse_html
from crawler.urls import TrapDetector, canonical

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = ["html", "head", "title", "body", "table", "tr", "td", "th", "a", "p", "h1", "h2", "ul", "li", "script",
        "style", "div", "span", "img", "meta", "br", "svg", "template", "iframe", "form", "caption", "thead"]
ATTRS = [' href="', " src=", ' onclick="alert(1)"', ' charset="', " colspan=", ' href="javascript:alert(1)"',
         ' alt="', "=", '"', "'"]
VIETNAMESE = "ăâđêôơưáàảãạấầẩẫậếềểễệốồổỗộớờởỡợúùủũụứừửữựíìỉĩịýỳỷỹỵ ĐƯƠ"
html_fragments = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}"), st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(ATTRS), st.just(">"), st.just("<!--"), st.just("-->"), st.just("<![CDATA["), st.just("&#x0;"),
    st.just("&amp"), st.just("\x00"), st.just("\ufeff"), st.text(alphabet=VIETNAMESE + "abc 0123456789@.:/-", max_size=40),
    st.text(max_size=20),
)
html_documents = st.lists(html_fragments, max_size=60).map("".join)
encodings = st.sampled_from([None, "utf-8", "cp1258", "latin-1", "utf-16", "windows-1252", "ascii", "no-such-codec"])


@FAST
@given(document=html_documents, encoding=encodings, as_bytes=st.booleans())
def test_parse_html_never_raises(document: str, encoding: str | None, as_bytes: bool):
    body = document.encode("utf-8", errors="surrogatepass") if as_bytes else document
    page = parse_html(body, "http://127.0.0.1/x/", encoding)
    assert isinstance(page.title, str) and isinstance(page.text, str)
    assert all(isinstance(link["url"], str) for link in page.links)


@FAST
@given(body=st.binary(max_size=2000), encoding=encodings)
def test_parse_html_takes_any_bytes(body: bytes, encoding: str | None):
    parse_html(body, "http://127.0.0.1/", encoding)


@FAST
@given(title=st.text(max_size=200), structure=st.lists(st.text(max_size=100), max_size=10),
       text=st.text(max_size=2000), url=st.text(max_size=100))
def test_detect_never_raises(title: str, structure: list[str], text: str, url: str):
    signals = detect(title, structure, text, url)
    assert isinstance(signals, dict)


vietnamese_text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(VIETNAMESE + "0123456789@.()+-/ ")),
                          max_size=400)


@FAST
@given(text=vietnamese_text)
def test_vntext_helpers_are_total(text: str):
    for function in (vntext.nfc, vntext.squash, vntext.fold, vntext.slug_words, vntext.compact,
                     vntext.find_emails, vntext.find_phones, vntext.find_dates):
        function(text)
    vntext.excerpt(text, vntext.fold(text[:10]))


@FAST
@given(text=st.text(alphabet="0123456789 .-/()+ngàythángnăm", max_size=120))
def test_date_and_phone_extractors_on_digit_soup(text: str):
    assert all(1900 <= d.year <= 2100 for d in vntext.find_dates(text)) or vntext.find_dates(text) == []
    vntext.find_phones(text)


@FAST
@given(url=st.text(max_size=300))
def test_canonical_and_traps_never_raise(url: str):
    canonical(url)
    TrapDetector().reason(url)


registry_cells = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
csv_lines = st.lists(st.lists(st.one_of(registry_cells, st.sampled_from(
    ["id", "name", "level", "parent", "province", "url", "email", "section_url", "department", "http://127.0.0.1/",
     "https://a.gov.vn/", '"', ",", "\n"])), max_size=9).map(",".join), max_size=6)


@FAST
@given(lines=csv_lines, header=st.booleans(), suffix=st.sampled_from([".csv", ".yaml", ".yml", ".txt"]),
       allow_private=st.booleans())
def test_load_registry_raises_only_registry_error(lines: list[str], header: bool, suffix: str, allow_private: bool):
    text = "\n".join((["id,name,level,parent,province,url,email"] if header else []) + lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"registry{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            agencies = load_registry(path, allow_private=allow_private)
        except RegistryError as exc:
            assert exc.problems
        else:
            assert agencies and all(a.url.startswith(("http://", "https://")) for a in agencies)


@FAST
@given(data=st.binary(max_size=500))
def test_load_registry_on_raw_bytes(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".csv", ".yaml"):
            path = Path(folder) / f"registry{suffix}"
            path.write_bytes(data)
            with contextlib.suppress(RegistryError):
                load_registry(path)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | registry_cells
    | st.sampled_from(["department", "http://127.0.0.1/", "https://a.gov.vn/", "a@b.vn"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "level", "parent", "province", "url", "email", "section_url", "agencies", "x"])
        | registry_cells, children, max_size=8),
    max_leaves=30)


@FAST
@given(document=yaml_values)
def test_load_registry_on_any_yaml_structure(document: object):
    import yaml

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        with contextlib.suppress(RegistryError):
            load_registry(path, allow_private=True)
