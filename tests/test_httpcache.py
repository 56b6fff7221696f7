"""The SQLite HTTP cache storage: what it gives back equals Scrapy's FilesystemCacheStorage, it expires like
it, and several processes can write and read one cache file at once (the Redis workers share it)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.extensions.httpcache import FilesystemCacheStorage
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from crawler.httpcache import SqliteCacheStorage


def _spider(cache_dir: Path, **settings: Any) -> Spider:
    crawler = get_crawler(Spider, {"HTTPCACHE_DIR": str(cache_dir), **settings})
    spider = Spider("portal")
    spider.crawler = crawler
    return spider


def _responses() -> list[tuple[Request, Response]]:
    out: list[tuple[Request, Response]] = []
    page = Request("http://127.0.0.1:8000/tiep-can-thong-tin?page=2", headers={"Cache-Control": "max-age=0"})
    out.append((page, HtmlResponse(
        "http://127.0.0.1:8000/tiep-can-thong-tin/?page=2", status=200, request=page, flags=["cached"],
        headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"', "Set-Cookie": ["a=1", "b=2"]},
        body="<html><body><h1>Tiếp cận thông tin</h1></body></html>".encode(), ip_address=None)))
    document = Request("http://127.0.0.1:8000/Uploads/quy-che.pdf")
    out.append((document, TextResponse(document.url, status=200, request=document, encoding="latin-1",
                                       headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")))
    binary = Request("http://127.0.0.1:8000/a.docx")
    out.append((binary, Response(binary.url, status=404, request=binary, body=b"PK\x03\x04\x00\x00")))
    return out


def _same(a: Response, b: Response) -> None:
    assert type(a) is type(b)
    assert (a.url, a.status, a.body, a.flags, a.protocol) == (b.url, b.status, b.body, b.flags, b.protocol)
    assert a.headers.to_unicode_dict() == b.headers.to_unicode_dict()
    if isinstance(a, TextResponse):
        assert a.encoding == b.encoding


def test_round_trip_equals_the_filesystem_storage(tmp_path: Path) -> None:
    files, sqlite = FilesystemCacheStorage, SqliteCacheStorage
    spider_a, spider_b = _spider(tmp_path / "files"), _spider(tmp_path / "sqlite")
    storages = [(files(spider_a.crawler.settings), spider_a), (sqlite(spider_b.crawler.settings), spider_b)]
    for storage, spider in storages:
        storage.open_spider(spider)
        for request, response in _responses():
            assert storage.retrieve_response(spider, request) is None
            storage.store_response(spider, request, response)
    for request, _ in _responses():
        from_files = storages[0][0].retrieve_response(spider_a, request.copy())
        fresh = request.copy()
        from_sqlite = storages[1][0].retrieve_response(spider_b, fresh)
        assert from_files is not None and from_sqlite is not None
        _same(from_files, from_sqlite)
        assert abs(fresh.meta["cache_timestamp"] - time.time()) < 60
    for storage, spider in storages:
        storage.close_spider(spider)
    assert (tmp_path / "sqlite" / "portal.sqlite3").is_file()


def test_a_later_store_replaces_and_expired_entries_are_misses(tmp_path: Path) -> None:
    spider = _spider(tmp_path, HTTPCACHE_EXPIRATION_SECS=1)
    storage = SqliteCacheStorage(spider.crawler.settings)
    storage.open_spider(spider)
    request, response = _responses()[0]
    storage.store_response(spider, request, response)
    storage.store_response(spider, request, response.replace(body=b"<html>v2</html>"))
    cached = storage.retrieve_response(spider, request)
    assert cached is not None and cached.body == b"<html>v2</html>"
    storage.conn.execute("update responses set timestamp = timestamp - 5")  # type: ignore[union-attr]
    assert storage.retrieve_response(spider, request) is None
    storage.close_spider(spider)


def _writer(cache_dir: str, worker: int, count: int) -> None:
    spider = _spider(Path(cache_dir))
    storage = SqliteCacheStorage(spider.crawler.settings)
    storage.open_spider(spider)
    for i in range(count):
        request = Request(f"http://127.0.0.1:8000/w{worker}/p{i}")
        storage.store_response(spider, request, HtmlResponse(request.url, body=f"<p>{worker}-{i}</p>".encode(),
                                                             headers={"Content-Type": "text/html; charset=utf-8"}))
        # Each process also reads what the other writes, while it writes.
        other = storage.retrieve_response(spider, Request(f"http://127.0.0.1:8000/w{1 - worker}/p{i // 2}"))
        assert other is None or other.body == f"<p>{1 - worker}-{i // 2}</p>".encode()
    storage.close_spider(spider)


def test_two_processes_share_one_cache_file(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_writer, args=(str(tmp_path), worker, 300)) for worker in (0, 1)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(100)
        assert process.exitcode == 0
    spider = _spider(tmp_path)
    storage = SqliteCacheStorage(spider.crawler.settings)
    storage.open_spider(spider)
    for worker in (0, 1):
        for i in (0, 150, 299):
            cached = storage.retrieve_response(spider, Request(f"http://127.0.0.1:8000/w{worker}/p{i}"))
            assert cached is not None and cached.body == f"<p>{worker}-{i}</p>".encode()
    storage.close_spider(spider)


def test_revalidation_turns_on_scrapys_cache_beside_the_database(tmp_path: Path) -> None:
    from scrapy.settings import Settings

    from crawler.httpcache import enable_revalidation

    settings = Settings({"HTTPCACHE_ENABLED": False})
    settings.freeze()
    enable_revalidation(settings, str(tmp_path / "t.db"))
    assert settings.frozen  # left as the crawler had it
    assert settings.getbool("HTTPCACHE_ENABLED") and settings["HTTPCACHE_POLICY"].endswith("RFC2616Policy")
    assert settings["HTTPCACHE_DIR"] == f"{(tmp_path / 't.db').resolve()}.httpcache"
    named = Settings({"TCTT_HTTPCACHE_DIR": str(tmp_path / "cache")})
    enable_revalidation(named, str(tmp_path / "t.db"))
    assert named["HTTPCACHE_DIR"] == str(tmp_path / "cache") and not named.frozen
