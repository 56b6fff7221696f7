"""The channels of the section: request address, feedback channel, guidance, download addresses."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from auditors.base import Outcome, auditor, elements, no_section, say
from auditors.evidence import Evidence, cite
from auditors.followed import REQUIRES as FOLLOWED_REQUIRES
from auditors.followed import linked_holder
from auditors.judgement import (
    mailto_addresses,
)
from auditors.views import (
    PATTERNS,
    section_blocks,
)
from core.markers import (
    CHANNEL_ADDRESS,
    COMPLAINT_FORM_LINK,
    FORM_CODE,
    FORM_NAMED,
    GUIDANCE_LABEL,
    REQUEST_FORM_LINK,
)
from core.vntext import find_emails, find_phones, fold, slug_words
from crawler.urls import url_key

_CHANNEL_ADDRESS = re.compile(CHANNEL_ADDRESS)
_REQUEST_FORM_LINK = re.compile(REQUEST_FORM_LINK)
_COMPLAINT_FORM_LINK = re.compile(COMPLAINT_FORM_LINK)
_FORM_NAMED = re.compile(FORM_NAMED)
_GUIDANCE_LABEL = re.compile(GUIDANCE_LABEL)


def _channel_messages(what: str, what_en: str) -> dict[str, tuple[str, str]]:
    return {"no_section": (what, what_en),
            "none": (f"Chuyên mục không có {what}.", f"The section has no {what_en}."),
            "found": (f"Có {what}: {{channel}}.", f"The {what_en} is published: {{channel}}."),
            "mentioned": (f"Chuyên mục nhắc đến {what} nhưng không ghi thư điện tử, biểu mẫu hay địa chỉ cụ thể.",
                          f"The section mentions the {what_en} but gives no e-mail, form or address."),
            "followed": (f"Có {what}: trang {{url}} (liên kết \"{{link}}\" trong Chuyên mục).",
                         f"The {what_en} is published: page {{url}} (linked as \"{{link}}\").")}


def _channel(evidence: Evidence, kind: str, accept_phone: bool) -> Outcome:
    if not evidence.section_pages:
        return no_section(*say(kind, "no_section"))
    blocks = section_blocks(evidence, kind, skip_forms=True)
    if not blocks:
        return Outcome("fail", *say(kind, "none"))
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
            return Outcome("pass", *say(kind, "found", channel=channel),
                           [cite(page, text, fold(line)[:20])], {"emails": emails, "phones": phones})
    held = linked_holder(evidence, blocks, kind)  # "… through the Contact page": judged where it lives
    if held is not None:
        page, link, target = held
        return Outcome("pass", *say(kind, "followed", url=target["url"], link=link.get("text", "")),
                       [cite(target, target.get("text") or "", "")], {"followed": target["url"]})
    page, window, line = blocks[0]
    return Outcome("partial", *say(kind, "mentioned"),
                   [cite(page, "\n".join(window), fold(line)[:20])])


@auditor("request_address", requires=("section_pages", "pages.text", "pages.links", *FOLLOWED_REQUIRES),
         messages=_channel_messages("địa chỉ tiếp nhận yêu cầu cung cấp thông tin qua mạng điện tử",
                                    "electronic address for information requests"))
def request_address(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    return _channel(evidence, "request_address", accept_phone=False)


@auditor("complaint_channel", requires=("section_pages", "pages.text", "pages.links", *FOLLOWED_REQUIRES),
         messages=_channel_messages("địa chỉ tiếp nhận phản ánh, kiến nghị, khiếu nại, tố cáo",
                                    "channel for feedback and complaints"))
def complaint_channel(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    return _channel(evidence, "complaint_channel", accept_phone=True)


@auditor("guidance_published", requires=("section_pages", "pages.signals.elements"), messages={
    "structural": ("Có hướng dẫn: \"{excerpt}\".", "Guidance is published: \"{excerpt}\"."),
    "in_passing": ("Chỉ có một câu nhắc đến hướng dẫn, không có mục hướng dẫn riêng.",
                   "Guidance is only mentioned in passing; there is no guidance block."),
    "none": ("Chuyên mục không có hướng dẫn khai thác, yêu cầu cung cấp thông tin.",
             "The section gives no guidance on how to obtain information.")})
def guidance_published(evidence: Evidence, params: dict[str, Any]) -> Outcome:
    if not evidence.section_pages:
        return no_section("hướng dẫn cho người yêu cầu", "guidance")
    for page in evidence.section_pages:
        signal = elements(page).get("guidance")
        if signal and signal["structural"]:
            return Outcome("pass", *say("guidance_published", "structural", excerpt=signal["excerpt"][:100]),
                           [cite(page, page.get("text") or "", fold(signal["excerpt"])[:25])])
    for page in evidence.section_pages:
        text = page.get("text") or ""
        folded = fold(text)
        label = _GUIDANCE_LABEL.search(folded) if page.get("kind") != "document" else None
        if label:  # "HƯỚNG DẪN: … điền Phiếu yêu cầu …": a guidance block under a bare label
            # The words as the page spells them, where folding kept the length (it does for Vietnamese).
            said = text[label.start():label.end()] if len(folded) == len(text) else label.group(0)
            return Outcome("pass", *say("guidance_published", "structural", excerpt=said[:100]),
                           [cite(page, text, label.group(0)[:25])])
    for page in evidence.section_pages:
        signal = elements(page).get("guidance")
        if signal:
            return Outcome("partial", *say("guidance_published", "in_passing"),
                           [cite(page, page.get("text") or "", fold(signal["excerpt"])[:25])])
    return Outcome("fail", *say("guidance_published", "none"))


@auditor("download_addresses", requires=("section_pages", "by_url", "pages.links", "pages.tables"), messages={
    "link": ("Có địa chỉ tải thông tin: \"{label}\" ({url}).", "A download address is given: \"{label}\" ({url})."),
    "file": ("Chuyên mục có tệp tải về: {url}.", "The section offers files to download: {url}."),
    "none": ("Chuyên mục không có địa chỉ truy cập để tải thông tin.", "The section gives no address to download information.")})
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
                return Outcome("pass", *say("download_addresses", "link", label=link["text"][:80], url=link["url"]),
                               [{"url": link["url"], "excerpt": link.get("text", "")[:160],
                                 "fetched_at": page.get("fetched_at")}])
    for page in evidence.section_pages:
        for table in page.get("tables") or []:
            for row, links in zip(table.get("rows") or [], table.get("row_links") or [], strict=False):
                label = fold(" ".join(row))
                if links and PATTERNS["download"].search(label) and not FORM_CODE.search(label) \
                        and not _FORM_NAMED.search(label) and not FORM_CODE.search(slug_words(links[0])):
                    target = urljoin(page.get("final_url") or page["url"], links[0])
                    return Outcome("pass", *say("download_addresses", "link", label=" | ".join(row)[:100], url=target),
                                   [{"url": target, "excerpt": " | ".join(row)[:160], "fetched_at": page.get("fetched_at")}])
    documents = [p for p in evidence.section_pages if p.get("kind") == "document"
                 and not _FORM_NAMED.search(fold(p.get("title") or ""))
                 and not FORM_CODE.search(slug_words(p["url"].rsplit("/", 1)[-1]))
                 and (p.get("status") or 0) < 400 and p.get("status")]
    if documents:
        page = documents[0]
        return Outcome("pass", *say("download_addresses", "file", url=page["url"]), [cite(page)])
    return Outcome("fail", *say("download_addresses", "none"))


