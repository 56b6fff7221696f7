"""The network guard: which addresses the crawler may contact, decided before any connection."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request

from crawler.middlewares import PRIVATE_REFUSED, PrivateAddressGuard, address_policy

ip = ipaddress.ip_address


@pytest.mark.parametrize("address", ["169.254.169.254", "169.254.0.1", "fe80::1", "100.100.100.200",
                                     "::ffff:169.254.169.254", "0.0.0.0", "224.0.0.1"])
def test_metadata_and_link_local_are_refused_even_with_allow_private(address: str):
    assert address_policy(ip(address), allow_private=True) is not None
    assert address_policy(ip(address), allow_private=False) is not None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.66", "10.1.2.3", "192.168.1.1", "172.16.0.9", "::1",
                                     "fd12::1", "::ffff:127.0.0.1"])
def test_loopback_and_private_need_allow_private(address: str):
    assert address_policy(ip(address), allow_private=False) is not None
    assert address_policy(ip(address), allow_private=True) is None


def test_public_addresses_pass_and_named_networks_override():
    assert address_policy(ip("203.162.0.1"), allow_private=False) is None
    allowed = (ipaddress.ip_network("169.254.10.0/24"),)
    assert address_policy(ip("169.254.10.5"), allow_private=False, allowed=allowed) is None
    assert address_policy(ip("169.254.169.254"), allow_private=True, allowed=allowed) is not None


def test_literals_and_localhost():
    strict, loose = PrivateAddressGuard(False), PrivateAddressGuard(True)
    assert strict.verdict_for_literal("localhost") == "loopback address"
    assert loose.verdict_for_literal("localhost") is None
    assert loose.verdict_for_literal("[::ffff:a9fe:a9fe]") is not None  # 169.254.169.254 mapped into IPv6
    assert strict.verdict_for_literal("example.gov.vn") is None  # names are resolved, not judged by spelling


def test_a_name_that_resolves_to_the_metadata_address_is_refused(monkeypatch: pytest.MonkeyPatch):
    answers = {"meta.portal.test": "169.254.169.254", "ok.portal.test": "203.162.4.5", "lan.portal.test": "10.0.0.7"}

    def fake_getaddrinfo(host: str, *args: object, **kwargs: object) -> list[tuple]:
        if host not in answers:
            raise socket.gaierror("no such name")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    guard = PrivateAddressGuard(allow_private=True)
    assert "169.254.169.254" in guard._resolve_verdict("meta.portal.test")
    assert guard._resolve_verdict("ok.portal.test") is None
    assert guard._resolve_verdict("lan.portal.test") is None
    assert PrivateAddressGuard(allow_private=False)._resolve_verdict("lan.portal.test") is not None
    assert guard._resolve_verdict("missing.portal.test") is None  # left to the download: recorded as DNS failure


def test_the_address_actually_connected_to_is_checked_again():
    """DNS rebinding: a name vetted at request time that connected to a refused address is dropped."""
    guard = PrivateAddressGuard(allow_private=True)
    request = Request("http://rebind.portal.test/")
    bad = HtmlResponse(request.url, body=b"<html></html>", request=request, ip_address=ip("169.254.169.254"))
    with pytest.raises(IgnoreRequest, match=PRIVATE_REFUSED):
        guard.process_response(request, bad)
    good = HtmlResponse(request.url, body=b"<html></html>", request=request, ip_address=ip("127.0.0.1"))
    assert guard.process_response(request, good) is good


def test_names_of_the_static_table_are_judged_by_their_address_without_dns(monkeypatch: pytest.MonkeyPatch):
    import asyncio

    def no_dns(*args, **kwargs):
        raise AssertionError("the system resolver must not be asked about a name of TCTT_STATIC_HOSTS")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    guard = PrivateAddressGuard(allow_private=True, static_hosts={"stp.farm.gov.test": "127.1.0.7",
                                                                  "evil.farm.gov.test": "169.254.169.254"})
    assert asyncio.run(guard.process_request(Request("http://stp.farm.gov.test/"))) is None
    with pytest.raises(IgnoreRequest, match="link-local"):
        asyncio.run(guard.process_request(Request("http://evil.farm.gov.test/")))
    strict = PrivateAddressGuard(allow_private=False, static_hosts={"stp.farm.gov.test": "127.1.0.7"})
    with pytest.raises(IgnoreRequest, match="loopback"):
        asyncio.run(strict.process_request(Request("http://stp.farm.gov.test/")))


@pytest.mark.parametrize("literal", ["64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "::a9fe:a9fe", "::ffff:0:a9fe:a9fe",
                                     "64:ff9b::7f00:1", "2002:7f00:1::1", "::127.0.0.1", "64:ff9b:1::a9fe:a9fe"])
def test_ipv6_forms_that_carry_ipv4_are_judged_by_the_ipv4_address(literal: str):
    from core.registry import is_private_host

    assert address_policy(ipaddress.ip_address(literal), allow_private=False) is not None
    assert PrivateAddressGuard(allow_private=False).verdict_for_literal(f"[{literal}]") is not None
    assert is_private_host(f"[{literal}]")  # the registry refuses it too
    if "a9fe" in literal:  # 169.254.169.254: refused even with --allow-private
        assert address_policy(ipaddress.ip_address(literal), allow_private=True) == "link-local or metadata address"
    assert address_policy(ipaddress.ip_address("2606:4700:4700::1111"), allow_private=False) is None


def test_the_resolver_scrapy_connects_with_judges_each_answer():
    from crawler import netguard

    netguard.configure(False, (ipaddress.ip_network("127.0.0.84/32"),))
    try:
        assert netguard.GuardedResolver._judge("127.0.0.84", "ok.test") == "127.0.0.84"
        with pytest.raises(netguard.AddressRefused, match="loopback"):
            netguard.GuardedResolver._judge("127.0.0.85", "rebind.test")
        assert "127.0.0.85" in netguard.refusal("rebind.test")
        with pytest.raises(netguard.AddressRefused, match="link-local or metadata"):
            netguard.GuardedResolver._judge("169.254.169.254", "meta.test")
    finally:
        netguard.configure(False, ())


@pytest.mark.parametrize("url", ["file:///etc/passwd", "file://127.0.0.1/etc/hostname?tiep-can-thong-tin",
                                 "ftp://127.0.0.1:2121/x", "s3://bucket/key", "data:text/html,<h1>x</h1>",
                                 "gopher://127.0.0.1:70/x", "FILE:///etc/passwd"])
def test_only_http_leaves_the_crawler(url: str):
    from scrapy.settings import Settings

    from crawler.middlewares import SchemeGuard

    with pytest.raises(IgnoreRequest, match="only http"):
        SchemeGuard().process_request(Request(url))
    assert SchemeGuard().process_request(Request("https://so.tinh.gov.vn/")) is None
    settings = Settings()
    settings.setmodule("crawler.settings")
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert all(handlers[scheme] is None for scheme in ("file", "ftp", "s3", "data"))
