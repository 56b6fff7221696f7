"""The channels of the section: request address, feedback channel, guidance, download addresses."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from auditors.base import Outcome, auditor, elements, no_section
from auditors.evidence import Evidence, cite
from auditors.judgement import (
    mailto_addresses,
)
from auditors.views import (
    PATTERNS,
    section_blocks,
)
from crawler.urls import url_key
from tctt.markers import CHANNEL_ADDRESS, COMPLAINT_FORM_LINK, FORM_CODE, FORM_NAMED, REQUEST_FORM_LINK
from tctt.vntext import find_emails, find_phones, fold, slug_words

_CHANNEL_ADDRESS = re.compile(CHANNEL_ADDRESS)
_REQUEST_FORM_LINK = re.compile(REQUEST_FORM_LINK)
_COMPLAINT_FORM_LINK = re.compile(COMPLAINT_FORM_LINK)
_FORM_NAMED = re.compile(FORM_NAMED)


def _channel(evidence: Evidence, kind: str, what: tuple[str, str], accept_phone: bool) -> Outcome:
    if not evidence.section_pages:
        return no_section(what[0], what[1])
    blocks = section_blocks(evidence, kind, skip_forms=True)
    if not blocks:
        return Outcome("fail", f"Chuyên mục không có {what[0]}.", f"The section has no {what[1]}.")
    for page, window, line in blocks:
        text = "\n".join(window)
        emails = find_emails(text) + [a for a in mailto_addresses(page, window) if a not in find_emails(text)]
        phones = find_phones(text) if accept_phone else []
        # The marker line is often a heading ("Địa chỉ tiếp nhận phản ánh, kiến nghị"): not itself an address.
        body = "\n".join(window[1:]) if len(line) < 120 else text
        address = accept_phone and bool(_CHANNEL_ADDRESS.search(fold(body)))
        form_words = _REQUEST_FORM_LINK if kind == "request_address" else _COMPLAINT_FORM_LINK
        form_links = [link for link in page.get("links") or []
                      if form_words.search(fold(link.get("text", ""))) and not link.get("chrome")]
        if emails or phones or address or form_links:
            channel = emails[0] if emails else phones[0] if phones else form_links[0]["url"] if form_links else "địa chỉ"
            return Outcome("pass", f"Có {what[0]}: {channel}.", f"The {what[1]} is published: {channel}.",
                           [cite(page, text, fold(line)[:20])], {"emails": emails, "phones": phones})
    page, window, line = blocks[0]
    return Outcome("partial", f"Chuyên mục nhắc đến {what[0]} nhưng không ghi thư điện tử, biểu mẫu hay địa chỉ cụ thể.",
                   f"The section mentions the {what[1]} but gives no e-mail, form or address.",
                   [cite(page, "\n".join(window), fold(line)[:20])])


@auditor("request_address", requires=("section_pages", "pages.text", "pages.links"))
def request_address(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    return _channel(evidence, "request_address",
                    ("địa chỉ tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử",
                     "electronic address for information requests"), accept_phone=False)


@auditor("complaint_channel", requires=("section_pages", "pages.text", "pages.links"))
def complaint_channel(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    return _channel(evidence, "complaint_channel",
                    ("địa chỉ tiếp nhận phản ánh, kiến nghị, khiếu nại, tố cáo",
                     "channel for feedback and complaints"), accept_phone=True)



# --- guidance, downloads -------------------------------------------------------------------------
@auditor("guidance_published", requires=("section_pages", "pages.signals.elements"))
def guidance_published(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    if not evidence.section_pages:
        return no_section("hướng dẫn cho người yêu cầu", "guidance")
    for page in evidence.section_pages:
        signal = elements(page).get("guidance")
        if signal and signal["structural"]:
            return Outcome("pass", f"Có hướng dẫn: \"{signal['excerpt'][:100]}\".",
                           f"Guidance is published: \"{signal['excerpt'][:100]}\".",
                           [cite(page, page.get("text") or "", fold(signal["excerpt"])[:25])])
    for page in evidence.section_pages:
        signal = elements(page).get("guidance")
        if signal:
            return Outcome("partial", "Chỉ có một câu nhắc đến hướng dẫn, không có mục hướng dẫn riêng.",
                           "Guidance is only mentioned in passing; there is no guidance block.",
                           [cite(page, page.get("text") or "", fold(signal["excerpt"])[:25])])
    return Outcome("fail", "Chuyên mục không có hướng dẫn khai thác, yêu cầu cung cấp thông tin.",
                   "The section gives no guidance on how to obtain information.")


@auditor("download_addresses", requires=("section_pages", "by_url", "pages.links", "pages.tables"))
def download_addresses(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    if not evidence.section_pages:
        return no_section("địa chỉ tải thông tin", "download addresses")
    for page in evidence.section_pages[:1] + evidence.section_pages[1:]:
        for link in page.get("links") or []:
            if link.get("chrome"):
                continue
            label = fold(" ".join([link.get("text", ""), link.get("title", "")]))
            file_name = slug_words(link["url"].rsplit("/", 1)[-1])  # "Tải về" → mau-so-02.pdf is a form
            target = evidence.by_url.get(url_key(link["url"]))
            dead = target is not None and (target.get("status") or 0) >= 400
            if PATTERNS["download"].search(label) and not FORM_CODE.search(label) and not FORM_CODE.search(file_name) \
                    and not dead:
                return Outcome("pass", f"Có địa chỉ tải thông tin: \"{link['text'][:80]}\" ({link['url']}).",
                               f"A download address is given: \"{link['text'][:80]}\" ({link['url']}).",
                               [{"url": link["url"], "excerpt": link.get("text", "")[:160],
                                 "fetched_at": page.get("fetched_at")}])
    for page in evidence.section_pages:
        for table in page.get("tables") or []:
            for row, links in zip(table.get("rows") or [], table.get("row_links") or [], strict=False):
                label = fold(" ".join(row))
                if links and PATTERNS["download"].search(label) and not FORM_CODE.search(label) \
                        and not _FORM_NAMED.search(label) and not FORM_CODE.search(slug_words(links[0])):
                    target = urljoin(page.get("final_url") or page["url"], links[0])
                    return Outcome("pass", f"Có địa chỉ tải thông tin: \"{' | '.join(row)[:100]}\" ({target}).",
                                   f"A download address is given: \"{' | '.join(row)[:100]}\" ({target}).",
                                   [{"url": target, "excerpt": " | ".join(row)[:160], "fetched_at": page.get("fetched_at")}])
    documents = [p for p in evidence.section_pages if p.get("kind") == "document"
                 and not _FORM_NAMED.search(fold(p.get("title") or ""))
                 and not FORM_CODE.search(slug_words(p["url"].rsplit("/", 1)[-1]))
                 and (p.get("status") or 0) < 400 and p.get("status")]
    if documents:
        page = documents[0]
        return Outcome("pass", f"Chuyên mục có tệp tải về: {page['url']}.", f"The section offers files to download: {page['url']}.",
                       [cite(page)])
    return Outcome("fail", "Chuyên mục không có địa chỉ truy cập để tải thông tin.",
                   "The section gives no address to download information.")


