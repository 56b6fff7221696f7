"""The page as crawled: one offline page per archived response a finding cites (``archive/<id>.html``).

A portal's page is hostile input. It is shown two ways, neither of which runs it:
- rendered in an ``<iframe sandbox>`` (no scripts, no forms, no navigation, an opaque origin) from a copy
  stripped of scripts, frames, event handlers, ``javascript:`` links and refreshes, under a page-wide
  Content-Security-Policy that forbids every network load (so no image or stylesheet is fetched from the
  portal, and opening the page offline or online shows the same thing);
- as its source text, escaped.
Documents (PDF, DOCX…) are described (type, size, SHA-256) with the text the crawler extracted from them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from lxml import etree
from lxml import html as lxml_html
from w3lib.encoding import html_to_unicode

from core.archive import ArchiveMissing, read_record
from core.store import Store
from reports.i18n import fmt_datetime
from reports.links import is_http_url

TEMPLATES = Path(__file__).parent / "templates"
MAX_SOURCE_CHARS = 300_000
MAX_TEXT_CHARS = 100_000
# A page-wide policy: nothing is loaded from anywhere; inline styles only (the portal's and ours).
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'"

LABELS = {
    "vi": {
        "link": "Trang đã lưu khi kiểm tra",
        "title": "Trang như khi được thu thập",
        "intro": "Bản lưu của phản hồi mà cổng thông tin đã trả về lúc kiểm tra (tệp WARC). Trang được hiển thị "
                 "trong khung cách ly: không chạy mã JavaScript, không tải gì từ mạng.",
        "url": "Địa chỉ", "fetched_at": "Thời điểm thu thập", "status": "Mã trạng thái HTTP",
        "content_type": "Kiểu nội dung", "size": "Kích thước", "sha256": "SHA-256 của nội dung",
        "record": "Bản ghi WARC", "file": "Tệp lưu trữ", "rendered": "Hiển thị (cách ly, không có mã kịch bản)",
        "frame_title": "Bản lưu của trang", "source": "Mã nguồn đã lưu", "headers": "Tiêu đề HTTP",
        "document": "Tài liệu", "extracted": "Văn bản trích xuất từ tài liệu", "truncated": "(đã cắt bớt)",
        "bytes": "byte", "back": "Quay lại báo cáo", "from_cache": "Bản từ bộ đệm HTTP, cổng xác nhận không đổi (304) "
                 "hoặc còn hiệu lực theo HTTP.",
        "missing": "Không có bản lưu của trang này",
        "skipped": "Trang không được lưu do giới hạn dung lượng của kho lưu trữ",
        "pruned": "Bản lưu đã bị xóa theo chính sách lưu giữ",
        "missing_file": "Không tìm thấy tệp lưu trữ",
        "unknown": "Bản ghi không có trong chỉ mục lưu trữ",
    },
    "en": {
        "link": "Page as crawled",
        "title": "The page as crawled",
        "intro": "The archived response the portal served at the time of the audit (WARC). The page is shown in "
                 "an isolated frame: no JavaScript runs and nothing is loaded from the network.",
        "url": "Address", "fetched_at": "Fetched at", "status": "HTTP status", "content_type": "Content type",
        "size": "Size", "sha256": "SHA-256 of the body", "record": "WARC record", "file": "Archive file",
        "rendered": "Rendered (isolated, no scripts)", "frame_title": "Archived copy of the page",
        "source": "Archived source", "headers": "HTTP headers", "document": "Document",
        "extracted": "Text extracted from the document", "truncated": "(truncated)", "bytes": "bytes",
        "back": "Back to the report", "from_cache": "Copy from the HTTP cache, confirmed unchanged by the portal "
                                                     "(304) or still fresh by HTTP's rules.",
        "missing": "No archived copy of this page",
        "skipped": "The page was not archived: the archive's size limit",
        "pruned": "The archived copy was deleted by the retention policy",
        "missing_file": "The archive file was not found",
        "unknown": "The record is not in the archive's index",
    },
}

_DROP_TAGS = ("script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link",
              "portal", "template")
_URL_ATTRS = ("href", "src", "action", "formaction", "srcset", "poster", "background", "data", "xlink:href")
_SAFE_FILE = re.compile(r"[^a-z0-9-]+")


def archive_page(record_id: str) -> str:
    """The file name of a record's page: its UUID (``<urn:uuid:…>`` → ``….html``)."""
    stem = _SAFE_FILE.sub("", str(record_id).lower().removeprefix("<").removeprefix("urn:uuid:").rstrip(">"))
    return f"{stem[:64] or 'record'}.html"


def cited_records(model: dict[str, Any]) -> set[str]:
    return {e["warc_record"] for a in model["agencies"] for f in a.get("findings") or []
            for e in f.get("evidence") or [] if e.get("warc_record")}


def sanitise_html(text: str) -> str:
    """The page without anything that could run or load: a second wall behind the sandbox and the CSP."""
    try:
        document = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return ""
    for element in list(document.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in list(document.iter("meta")):
        if element.get("http-equiv"):
            element.drop_tree()
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name in list(element.attrib):
            lowered = name.lower()
            value = element.attrib[name].strip().lower()
            if lowered.startswith("on") or (lowered in _URL_ATTRS and not value.startswith(("#", "data:image/"))):
                del element.attrib[name]  # no navigation, no load: links stay readable as text
            elif lowered == "style" and ("url(" in value or "expression(" in value):
                del element.attrib[name]
    return lxml_html.tostring(document, encoding="unicode", method="html")


def _decode(body: bytes, content_type: str) -> str:
    _, text = html_to_unicode(content_type, body)
    return text


def render_archive(store: Store, model: dict[str, Any], out_dir: str | Path, *, lang: str = "vi") -> dict[str, str]:
    """Write ``archive/<id>.html`` for every record cited by the model's findings. Returns record → file."""

    records = cited_records(model)
    if not records:
        return {}
    out = Path(out_dir) / "archive"
    out.mkdir(parents=True, exist_ok=True)
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("archived.html.j2")
    labels = LABELS[lang]
    # The run's pages that name a record, read once (carried pages name records of earlier runs).
    pages = {row["warc_record"]: row for row in store.db.query(
        "select warc_record, url, final_url, fetched_at, sha256, doc_type, size, text, kind from pages "
        "where run_id = ? and warc_record is not null", [model["run"]["id"]])}
    written = {}
    for record_id in sorted(records):
        context: dict[str, Any] = {"lang": lang, "L": labels, "csp": CSP, "record_id": record_id,
                                   "is_http_url": is_http_url, "when": lambda v: fmt_datetime(v, lang)}
        page = pages.get(record_id)
        context["page"] = page or {}
        try:
            archived = read_record(store, record_id)
        except ArchiveMissing as exc:
            context.update(archived=None, missing=labels.get(exc.reason, labels["missing"]), missing_detail=exc.detail)
        else:
            content_type = archived.content_type
            is_html = "html" in content_type.lower() or (not content_type and archived.body.lstrip()[:1] == b"<")
            source = _decode(archived.body, content_type) if is_html or content_type.startswith("text/") else ""
            context.update(
                archived=archived, missing=None, missing_detail="", is_html=is_html,
                safe_html=sanitise_html(source) if is_html else "",
                source=source[:MAX_SOURCE_CHARS], source_truncated=len(source) > MAX_SOURCE_CHARS,
                extracted=((page or {}).get("text") or "")[:MAX_TEXT_CHARS] if not is_html else "",
                from_cache=any(k == "WARC-Tctt-Source" for k, _ in archived.warc_headers),
                warc_date=next((v for k, v in archived.warc_headers if k == "WARC-Date"), ""))
        name = archive_page(record_id)
        (out / name).write_text(template.render(**context), encoding="utf-8")
        written[record_id] = name
    return written
