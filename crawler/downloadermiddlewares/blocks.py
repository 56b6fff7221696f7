"""Block detection: a home page that is a wall in front of the portal (401/403/429, a firewall's error page,
a captcha or bot challenge) is marked on its way to the spider.

The verdict (``crawler.failures.blocked``, backed by ``crawler.blocks``) goes in ``meta["tctt_block"]``:
None, or ("blocked", detail); the spider records the agency as blocked rather than auditing the wall. Only
home pages are judged, since only they decide an agency's status. Placed below RedirectMiddleware (600)
so that it sees the final response of a redirect chain. Off with ``TCTT_BLOCK_DETECTION = False`` (the
spider then judges the page itself, the same way).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from crawler.failures import blocked

log = logging.getLogger(__name__)
META_KEY = "tctt_block"


class BlockDetection:
    def __init__(self, stats: Any):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> BlockDetection:
        if not crawler.settings.getbool("TCTT_BLOCK_DETECTION", True):
            raise NotConfigured("TCTT_BLOCK_DETECTION is off")
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if request.meta.get("kind") != "home" or request.meta.get("replay"):
            return response
        verdict = blocked(response)
        request.meta[META_KEY] = verdict  # response.meta is the request's
        if verdict is not None:
            self.stats.inc_value("tctt/blocked_home")
            log.info("Blocked: %s", verdict[1])
        return response
