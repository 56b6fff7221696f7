"""The fast suite stays fast: a unit test that opens a network socket is stopped and told where it belongs."""

from __future__ import annotations

import socket

import pytest
from conftest import E2E_MODULES, UnitTestUsedTheNetwork


def test_a_unit_test_cannot_connect_or_listen():
    with pytest.raises(UnitTestUsedTheNetwork, match="E2E_MODULES"):
        socket.create_connection(("127.0.0.1", 9), timeout=0.1)
    with socket.socket() as sock, pytest.raises(UnitTestUsedTheNetwork):
        sock.bind(("127.0.0.1", 0))


def test_local_sockets_stay_allowed():
    left, right = socket.socketpair()  # asyncio's self-pipe and multiprocessing use these
    with left, right:
        left.sendall(b"x")
        assert right.recv(1) == b"x"


@pytest.mark.e2e
def test_an_e2e_test_may_listen_on_loopback():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        assert sock.getsockname()[1] > 0


def test_every_e2e_module_exists():
    from pathlib import Path
    here = Path(__file__).parent
    assert {name for name in E2E_MODULES if not (here / f"{name}.py").exists()} == set()
