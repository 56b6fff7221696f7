"""The cluster trusts nothing it reads from Redis, and its Redis password never shows.

Against a real redis-server (password required, given on its standard input): a pickle pushed into a run's
request queue is refused, not run; requests round-trip as JSON; an item whose keys try to be SQL is
refused before the store; a password never appears on a command line or in a message.
"""

from __future__ import annotations

import os
import pickle
import secrets
import shutil
from pathlib import Path

import pytest
import redis
import scrapy
from scrapy.utils.request import request_from_dict

from core.secrets import REDIS_PASSWORD
from core.store import Store
from crawler import redisjson
from crawler.spiders.portal_redis import RedisPortalSpider

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


@pytest.fixture(scope="module")
def server(redis_url: str) -> tuple[str, str]:
    """The module's redis-server (tests/conftest.py) and its password."""
    return redis_url, os.environ[REDIS_PASSWORD]


class _Marker:
    """Unpickling this runs code: it writes a file."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self) -> tuple:
        return (Path.write_text, (self.path, "code run from Redis"))


class _Spider(scrapy.Spider):
    name = "trust"

    def parse_home(self, response):  # pragma: no cover - only named
        pass

    def on_error(self, failure):  # pragma: no cover - only named
        pass


def _queue(server: tuple[str, str], key: str):
    from scrapy_redis.queue import FifoQueue

    serializer_path = RedisPortalSpider.custom_settings.get("SCHEDULER_SERIALIZER")
    serializer = __import__(serializer_path, fromlist=["loads"]) if serializer_path else None
    client = redis.Redis.from_url(server[0], password=server[1])
    return client, FifoQueue(client, _Spider(), key, serializer)


def test_a_pickle_in_the_request_queue_is_refused_not_run(server: tuple[str, str], tmp_path: Path):
    marker = tmp_path / "marker"
    client, queue = _queue(server, "tctt:99:requests")
    client.lpush("tctt:99:requests", pickle.dumps(_Marker(marker)))
    with pytest.raises(redisjson.UntrustedRequest):
        queue.pop()
    assert not marker.exists()


def test_requests_round_trip_as_json_and_foreign_ones_are_refused(server: tuple[str, str]):
    client, queue = _queue(server, "tctt:98:requests")
    spider = queue.spider
    request = scrapy.Request("http://127.0.0.1:9/trang?x=1", callback=spider.parse_home, errback=spider.on_error,
                             headers={"Cache-Control": "max-age=0"}, dont_filter=True,
                             meta={"agency_id": "a", "kind": "home", "tctt_depth": 0, "started": 1.5,
                                   "replay": {"url": "http://127.0.0.1:9/", "links": [{"url": "http://x/"}]}})
    queue.push(request)
    back = queue.pop()
    assert (back.url, back.meta, back.headers.to_unicode_dict(), back.callback.__name__) == \
        (request.url, request.meta, request.headers.to_unicode_dict(), "parse_home")
    as_dict = request.to_dict(spider=spider)
    for hostile in ({**as_dict, "_class": "subprocess.Popen"}, {**as_dict, "callback": "close"},
                    {**as_dict, "url": "file:///etc/passwd"}, {**as_dict, "method": "POST"}):
        client.lpush("tctt:98:requests", redisjson.dumps(hostile))
        with pytest.raises(redisjson.UntrustedRequest):
            queue.pop()
    assert request_from_dict(redisjson.loads(redisjson.dumps(as_dict)), spider=spider).url == request.url


def test_keys_of_an_item_never_become_sql(tmp_path: Path):
    store = Store(tmp_path / "t.db")
    payload = {"run_id": 1, "agency_id": "a", "url": "http://127.0.0.1/",
               "text]) select ?1, ?2, ?3, (select group_concat(name) from sqlite_master) where ?4 or 1 --": "x"}
    with pytest.raises(ValueError, match="not a column"):
        store.add_page(payload)
    assert store.db.execute("select count(*) from pages").fetchone()[0] == 0
    from crawler.trust import page_from_redis

    for bad in ({"agency_id": "a", "url": "http://x/", "evil": 1}, {"agency_id": "a", "url": "file:///etc/passwd"},
                {"agency_id": "a", "url": "http://x/", "status": "200; drop table pages"}):
        with pytest.raises(ValueError):
            page_from_redis(bad)


def test_a_password_is_refused_on_the_command_line_and_never_shown(server: tuple[str, str], tctt):
    secret = "R3dis-S3cret-" + secrets.token_hex(4)
    on_argv = tctt("worker", "--redis", f"redis://:{secret}@127.0.0.1:1/0", "--run", "1")
    assert on_argv.returncode == 2 and secret not in on_argv.stdout + on_argv.stderr
    assert "TCTT_REDIS_PASSWORD" in on_argv.stderr
    wrong = tctt("worker", "--redis", "redis://127.0.0.1:1/0", "--run", "1", env={"TCTT_REDIS_PASSWORD": secret})
    assert wrong.returncode == 2 and secret not in wrong.stdout + wrong.stderr and "Redis" in wrong.stderr


def test_candidates_and_home_facts_from_redis_are_checked():
    from crawler.trust import candidate_from_redis, home_from_redis

    assert candidate_from_redis({"url": "http://x/", "link_score": 0.4, "anchor": "Tiếp cận", "reasons": ["a"]}) == \
        {"url": "http://x/", "anchor": "Tiếp cận", "link_score": 0.4, "reasons": ["a"]}
    assert candidate_from_redis({"url": "http://x/", "link_score": "1; drop table"}) is None
    assert candidate_from_redis(["not", "a", "candidate"]) is None
    assert home_from_redis({"failure": ["pwned", "x"], "http_status": "200"}) == \
        {"http_status": None, "final_url": None, "failure": ["error", "malformed home-page facts in Redis"]}
    assert home_from_redis({"failure": ["blocked", "HTTP 403"], "http_status": 403, "final_url": "http://x/"})[
        "failure"] == ["blocked", "HTTP 403"]


def test_every_callback_the_spider_names_may_travel_through_redis():
    import re
    from pathlib import Path

    from crawler.redisjson import CALLBACKS

    spiders = Path(__file__).resolve().parents[1] / "crawler" / "spiders"
    # The portal spiders' requests travel through Redis; the discovery spider's never do.
    source = "".join(p.read_text(encoding="utf-8") for p in spiders.glob("portal*.py"))
    named = set(re.findall(r"(?:callback|errback)=self\.([a-z_]+)", source))
    assert named and named <= CALLBACKS, named - CALLBACKS
