"""crawler.extensions.gctune: the cyclic garbage collector run less often during a crawl, as found after."""

from __future__ import annotations

import gc

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import settings as production
from crawler.extensions import gctune


def test_the_collector_runs_less_often_while_the_engine_runs_and_is_restored_after():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    crawler = get_crawler(settings_dict={"TCTT_GC_GEN0_THRESHOLD": 12345})
    extension = gctune.GarbageCollectorTuning.from_crawler(crawler)  # signals hold it weakly, as Scrapy does
    try:
        crawler.signals.send_catch_log(signal=signals.engine_started)
        assert gc.get_threshold() == (12345, *before[1:])
        assert gc.get_freeze_count() > frozen  # what the imports built is out of the collector's sight
        garbage = []
        garbage.append(garbage)  # a cycle made during the crawl is still collected
        del garbage
        assert gc.collect() >= 1
    finally:
        crawler.signals.send_catch_log(signal=signals.engine_stopped)
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
    assert extension.before is None


def test_zero_leaves_pythons_defaults_and_the_crawl_has_it_on():
    with pytest.raises(NotConfigured):
        gctune.GarbageCollectorTuning.from_crawler(get_crawler(settings_dict={"TCTT_GC_GEN0_THRESHOLD": 0}))
    assert "crawler.extensions.gctune.GarbageCollectorTuning" in production.EXTENSIONS
    assert production.TCTT_GC_GEN0_THRESHOLD > 700
