"""The benchmark farm's realistic network: the drawn latencies, the faults it serves, and the lower bound."""

from __future__ import annotations

import http.client
import socket
import statistics
import time
from urllib.parse import urlsplit

import pytest

from farms.gold.farm import farm_portals, serve_farm
from farms.gold.network import HostCondition, NetworkProfile, lower_bound, realistic


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def test_latencies_follow_the_stated_heavy_tail():
    profile = NetworkProfile()
    latencies = [c.latency for c in realistic([f"h{i}.gov.test" for i in range(20_000)], seed=3, profile=profile).values()]
    assert statistics.median(latencies) == pytest.approx(0.3, rel=0.08)
    assert _quantile(latencies, 0.90) == pytest.approx(1.5, rel=0.12)
    assert 4.0 < _quantile(latencies, 0.99) < 8.0
    assert profile.describe()["p99_s"] == pytest.approx(5.57, abs=0.05)


def test_faults_are_drawn_in_their_shares_and_reproducibly():
    hosts = [f"h{i}.gov.test" for i in range(20_000)]
    drawn = realistic(hosts, seed=5)
    assert drawn == realistic(hosts, seed=5)
    assert drawn != realistic(hosts, seed=6)
    dead = [c.dead for c in drawn.values() if c.dead]
    assert len(dead) / len(hosts) == pytest.approx(0.02, rel=0.2)
    assert {"refused", "dns", "reset"} == set(dead)
    assert sum(1 for c in drawn.values() if c.hang_share) / len(hosts) == pytest.approx(0.05, rel=0.2)
    hanging = next(c for c in drawn.values() if c.hang_share)
    pages = [f"/page-{i}.html" for i in range(5_000)]
    assert sum(hanging.hangs(p) for p in pages) / len(pages) == pytest.approx(0.10, rel=0.2)
    assert [hanging.hangs(p) for p in pages] == [hanging.hangs(p) for p in pages]


def test_lower_bound_is_the_slowest_host_or_the_work_over_every_slot():
    # a: 10 s of answers over 2 connections = 5 s; b: 1 s + one hung request (30 s) over 2 = 15.5 s
    bound = lower_bound({"a": 10.0, "b": 1.0}, {"b": 1}, per_host=2, total=64, timeout=30)
    assert bound["slowest_host_s"] == 15.5
    assert bound["work_s"] == 41.0
    assert bound["bound_s"] == 15.5
    # many equal hosts: the global limit decides
    many = lower_bound({f"h{i}": 4.0 for i in range(100)}, {}, per_host=2, total=10, timeout=30)
    assert many["bound_s"] == many["work_over_slots_s"] == 40.0


def _get(farm, host: str, path: str, timeout: float = 5.0) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(farm.addresses[host], farm.port, timeout=timeout)
    connection.request("GET", path, headers={"Host": host})
    return connection.getresponse()


def test_the_farm_serves_each_fault_as_a_real_server_would():
    portals, _ = farm_portals(5, seed=1)
    hosts = [urlsplit(p.home).hostname for p in portals]
    refused, reset, hanging, slow, unnamed = hosts
    conditions = {refused: HostCondition(0.0, dead="refused"), reset: HostCondition(0.0, dead="reset"),
                  hanging: HostCondition(0.05, hang_share=1.0), slow: HostCondition(0.2, bytes_per_s=20_000),
                  unnamed: HostCondition(0.0, dead="dns")}
    with serve_farm(portals, network=NetworkProfile(page_bytes=(40_000, 40_001)), conditions=conditions) as farm:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((farm.addresses[refused], farm.port), timeout=2).close()
        with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError)):
            _get(farm, reset, "/").read()
        with pytest.raises(TimeoutError):
            _get(farm, hanging, "/", timeout=0.5).read()
        assert unnamed not in farm.resolvable and slow in farm.resolvable
        home = _get(farm, slow, "/")
        body = home.read()
        assert home.status == 200 and len(body) >= 40_000  # padded to a real page's weight
        assert b'class="site-extra"' in body
        time.sleep(0.6)  # at least one sample of the requests in flight
        assert farm.work.requests[slow] == 1 and farm.work.seconds[slow] == pytest.approx(0.2)
        assert farm.work.hung[hanging] == 1
        assert farm.samples and farm.samples[0][0] == 0
        summary = farm.network_summary()
        assert summary["dead"] == {"refused": 1, "reset": 1, "dns": 1}


def test_an_idle_keep_alive_connection_is_closed_and_a_busy_one_kept(monkeypatch):
    # The crawler keeps idle connections for minutes; the farm closes them as servers do, or a
    # 5,000-portal run holds every host's connections open and the farm runs out of open files.
    monkeypatch.setattr("farms.gold.farm.KEEP_ALIVE_IDLE_S", 0.3)
    portals, _ = farm_portals(1, seed=1)
    host = urlsplit(portals[0].home).hostname
    with serve_farm(portals, latency=0.0) as farm:
        connection = http.client.HTTPConnection(farm.addresses[host], farm.port, timeout=5)
        for _ in range(3):  # requests closer together than the idle limit share one connection
            connection.request("GET", "/", headers={"Host": host})
            assert connection.getresponse().read()
            time.sleep(0.1)
        sock = connection.sock
        time.sleep(0.8)
        sock.settimeout(2)
        assert sock.recv(1) == b""  # the farm closed it: end of stream, no answer pending
        connection.close()
