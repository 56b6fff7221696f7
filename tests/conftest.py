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

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_INET = (socket.AF_INET, socket.AF_INET6)


# Test modules that start loopback servers, Chromium, Redis or the tctt command in a child process.
E2E_MODULES = frozenset({
    "test_alert", "test_archive", "test_budgets", "test_cli", "test_cluster", "test_cluster_follow_depth", "test_compliance_cycle",
    "test_discover", "test_dns_rebinding", "test_loopback", "test_documents_e2e", "test_evaluate", "test_farm_network", "test_gold",
    "test_hard_budgets", "test_hostile_province", "test_incremental", "test_netguard", "test_office",
    "test_parse_isolation",
    "test_processes", "test_progress", "test_province_view", "test_redis_trust", "test_resume",
    "test_sample_province", "test_sampleserver", "test_selfcheck", "test_transport", "test_unseen_portals",
})


def pytest_configure(config: pytest.Config) -> None:
    # Some loopback farms serve public-looking host names through a test resolver; a crawl of those names
    # needs an operator contact like any public crawl (tests/test_contact.py unsets it on purpose).
    os.environ.setdefault("TCTT_CONTACT", "mailto:tests@127.0.0.1")
    config.addinivalue_line("markers", "e2e: starts loopback servers or the tctt command (the slow suite)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        in_e2e_module = item.module is not None and item.module.__name__.rpartition(".")[2] in E2E_MODULES
        # A test that runs the tctt command in a child process pays its start-up: it belongs to the slow suite.
        if in_e2e_module or "tctt" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)


class UnitTestUsedTheNetwork(AssertionError):
    pass


@contextmanager
def _no_network(item: pytest.Item) -> Iterator[None]:
    """A unit test that opens an inet socket belongs to the e2e suite: say so instead of running slowly."""
    if item.get_closest_marker("e2e"):
        yield
        return

    def refuse(original: Callable) -> Callable:
        def guarded(sock: socket.socket, *args, **kwargs):  # noqa: ANN202 - mirrors socket's own signature
            if sock.family in _INET:
                raise UnitTestUsedTheNetwork(
                    f"{item.nodeid} opened a network socket: name its module in E2E_MODULES "
                    "(tests/conftest.py) so it runs in the e2e suite")
            return original(sock, *args, **kwargs)
        return guarded

    saved = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex", "bind")}
    for name, original in saved.items():
        setattr(socket.socket, name, refuse(original))
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(socket.socket, name, original)


# The guard covers a test's setup too, so a server started by a module- or session-scoped fixture is caught.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with _no_network(item):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _no_network(item):
        yield


@pytest.fixture(scope="session")
def tctt() -> Callable[..., subprocess.CompletedProcess]:
    """Run the ``tctt`` command line as a user would, in a child process, and capture what it prints.
    ``env`` adds to (or overrides) the environment; ``timeout`` only bounds a hang."""
    def run(*args: str, timeout: int = 600, cwd: str | Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "tctt.cli", *args], capture_output=True, text=True,
                              timeout=timeout, cwd=cwd, env={**os.environ, **(env or {})})
    return run


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of the test module on 127.0.0.1 (free port, temporary folder), password required."""
    from core.secrets import REDIS_PASSWORD

    folder = tmp_path_factory.mktemp("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # An authenticated Redis only, as the docs show: the password reaches redis-server on its standard input
    # and the tctt processes through the environment, never a command line.
    password = secrets.token_urlsafe(16)
    server = subprocess.Popen(["redis-server", "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    config = (f"port {port}\nbind 127.0.0.1\ndir {folder}\nsave \"\"\nappendonly no\nrequirepass {password}\n")
    server.stdin.write(config.encode())
    server.stdin.close()
    previous = os.environ.get(REDIS_PASSWORD)
    os.environ[REDIS_PASSWORD] = password
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)
    if previous is None:
        os.environ.pop(REDIS_PASSWORD, None)
    else:
        os.environ[REDIS_PASSWORD] = previous
