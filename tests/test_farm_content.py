"""The benchmark farm makes each host's files from the seed when asked for, and serves the same bytes,
ETags and Last-Modified as when it held every file (digests taken from the farm before the change)."""

from __future__ import annotations

import hashlib

import pytest

from farms.gold.farmfiles import Population, _entries, farm_portals
from farms.gold.farmsource import FarmContent, Held
from farms.gold.server import _merge, _rewrite

# (portals, seed, changed share, change seed, page sizes, port) → (files, digest of every served file),
# computed with the farm that held every portal's files (commit before "each host's files made from the
# population's seed").
BEFORE = [
    ((40, 1, 0.25, 2, None, 8123), (1290, "e2ac5cf0fd3b3cbbe2717586d7bb657dba4b92705c5dcea7c955e2bb452bf5af")),
    ((40, 1, 0.25, 2, (30000, 120000), 8123),
     (1290, "586dc99db9d29bc373bfbb7ebb4379a666bc1f609416e30b7981e90b7bd5d6ea")),
    ((60, 7, 0.0, 1, None, 80), (1928, "0ce971328b9bc601aaac70299737114d7de83f98c4360a2b136eab4f74fcd5d3")),
]


def _digest(content: FarmContent) -> tuple[int, str]:
    h = hashlib.sha256()
    count = 0
    for host in content.hosts:
        h.update(host.encode() + content.server_headers[host].encode())
        for key, entry in sorted(content.entries(host).items()):
            h.update(key.encode() + entry.ctype.encode() + entry.etag + entry.last_modified +
                     hashlib.sha1(entry.body).digest())
            count += 1
    return count, h.hexdigest()


@pytest.mark.parametrize(("args", "expected"), BEFORE)
def test_files_made_on_demand_are_the_bytes_served_before(args, expected):
    n, seed, changed, change_seed, sizes, port = args
    population = Population(n, seed, changed, change_seed)
    content = FarmContent(population, population.changed_ids, sizes, cache_bytes=2**20)  # a small cache: misses
    content.start(port)
    assert content.pages == expected[0]
    assert _digest(content) == expected
    assert content.builds == len(content.hosts)
    assert _digest(content) == expected  # a second pass: the hosts dropped from the cache are made again
    assert content.cached_bytes <= 2**20 or len(content._cache) == 1
    assert content.builds > len(content.hosts)


def test_the_population_alters_the_same_portals_as_the_built_list():
    portals, changed = farm_portals(30, 3, 0.3, 5)
    population = Population(30, 3, 0.3, 5)
    assert population.changed_ids == changed and len(changed) == 9
    for i in (0, 7, 29):
        assert population.portal(i).files == portals[i].files


def test_held_portals_and_a_population_serve_alike_and_match_the_merged_files():
    portals, changed = farm_portals(12, 2, 0.25, 1)
    population = Population(12, 2, 0.25, 1)
    held = FarmContent(Held(portals), changed)
    made = FarmContent(population, population.changed_ids)
    held.start(8080)
    made.start(8080)
    assert _digest(held) == _digest(made)
    files, _ = _merge(portals)
    _rewrite(files, 8080)
    changed_hosts = {h for p in portals if p.id in changed for h in p.hosts}
    for host in held.hosts:
        before = _entries(files[host], host in changed_hosts)
        assert {k: (e.body, e.etag, e.last_modified) for k, e in before.items()} == \
            {k: (e.body, e.etag, e.last_modified) for k, e in made.entries(host).items()}


def test_padding_is_added_when_sent_and_counted_in_the_etag():
    portals, _ = farm_portals(2, 1)
    content = FarmContent(Held(portals), page_sizes=(40_000, 40_001))
    content.start(80)
    pages = [e for e in content.entries(content.hosts[0]).values() if e.pad]
    assert pages
    for entry in pages:
        assert len(entry.raw) < 40_000 <= len(entry.body)
        assert entry.etag == b'"' + hashlib.sha1(entry.body).hexdigest()[:20].encode() + b'"'
        assert entry.weight < len(entry.body)  # the cache holds the unpadded page
