"""Items the portal spider yields. They hold raw facts; the store pipeline writes them as they come."""

from __future__ import annotations

import scrapy


class PageItem(scrapy.Item):
    """One fetched page or document (or a failed fetch), as evidence."""

    agency_id = scrapy.Field()
    url = scrapy.Field()
    final_url = scrapy.Field()
    status = scrapy.Field()
    fetched_at = scrapy.Field()
    elapsed_ms = scrapy.Field()
    content_type = scrapy.Field()
    doc_type = scrapy.Field()
    size = scrapy.Field()
    sha256 = scrapy.Field()
    kind = scrapy.Field()
    depth = scrapy.Field()
    referrer = scrapy.Field()
    title = scrapy.Field()
    text = scrapy.Field()
    tables = scrapy.Field()
    links = scrapy.Field()
    structure = scrapy.Field()
    signals = scrapy.Field()
    labels = scrapy.Field()
    error = scrapy.Field()
    last_modified = scrapy.Field()
    fresh_until = scrapy.Field()  # epoch seconds until which HTTP (RFC 2616) lets a cache reuse it; None: ask again
    warc_record = scrapy.Field()  # the WARC record holding the response as served (crawler/warc.py), if archived


class AgencyResultItem(scrapy.Item):
    """The end of one agency's crawl: its status, the chosen section and the candidates weighed."""

    agency_id = scrapy.Field()
    status = scrapy.Field()
    detail = scrapy.Field()
    http_status = scrapy.Field()
    final_url = scrapy.Field()
    section_url = scrapy.Field()
    section_confidence = scrapy.Field()
    pages = scrapy.Field()
    started_at = scrapy.Field()
    finished_at = scrapy.Field()
    candidates = scrapy.Field()
    cut = scrapy.Field()
    carried = scrapy.Field()  # set when the agency was unchanged and its evidence carried from an earlier run
