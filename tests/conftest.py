"""Shared fixtures and the split between the fast unit suite and the loopback end-to-end suite.

- ``pytest -m "not e2e"`` (``make test-fast``) runs the unit tests: pure functions, parsers, rules and
  auditors on literal evidence. They may not open a network socket: the guard below turns any
  ``connect``/``bind`` on an IPv4/IPv6 socket into an error that names the missing marker.
- ``pytest -m e2e`` runs the tests that start loopback servers (sample portals, SMTP, Redis, Chromium)
  or the ``tctt`` command in a subprocess: the modules named in ``E2E_MODULES`` below, and any test
  marked ``@pytest.mark.e2e``.

``make test`` (and CI) runs both.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

_INET = (socket.AF_INET, socket.AF_INET6)


# Test modules that start loopback servers, Chromium, Redis or the tctt command in a child process.
E2E_MODULES = frozenset({
    "test_alert", "test_archive", "test_budgets", "test_cli", "test_cluster", "test_compliance_cycle",
    "test_dns_rebinding", "test_documents_e2e", "test_evaluate", "test_farm_network", "test_gold",
    "test_hard_budgets", "test_hostile_province", "test_incremental", "test_netguard", "test_office",
    "test_parse_isolation",
    "test_processes", "test_progress", "test_province_view", "test_redis_trust", "test_resume",
    "test_sample_province", "test_sampleserver", "test_selfcheck", "test_transport",
})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: starts loopback servers or the tctt command (the slow suite)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rpartition(".")[2] in E2E_MODULES:
            item.add_marker(pytest.mark.e2e)


class UnitTestUsedTheNetwork(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _no_network_in_unit_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A unit test that opens an inet socket belongs to the e2e suite: say so instead of running slowly."""
    if request.node.get_closest_marker("e2e"):
        yield
        return

    def refuse(original: Callable) -> Callable:
        def guarded(sock: socket.socket, *args, **kwargs):  # noqa: ANN202 - mirrors socket's own signature
            if sock.family in _INET:
                raise UnitTestUsedTheNetwork(
                    f"{request.node.nodeid} opened a network socket: name its module in E2E_MODULES "
                    "(tests/conftest.py) so it runs in the e2e suite")
            return original(sock, *args, **kwargs)
        return guarded

    for name in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(getattr(socket.socket, name)))
    yield


@pytest.fixture(scope="session")
def tctt() -> Callable[..., subprocess.CompletedProcess]:
    """Run the ``tctt`` command line as a user would, in a child process, and capture what it prints."""
    def run(*args: str, timeout: int = 300, cwd: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "tctt.cli", *args], capture_output=True, text=True,
                              timeout=timeout, cwd=cwd)
    return run
