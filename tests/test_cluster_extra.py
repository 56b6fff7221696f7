"""tctt cluster / tctt worker without the ``cluster`` extra: a clear message and exit code 12."""

from __future__ import annotations

import argparse
import importlib.util
from typing import Any

import pytest

from core.exit_codes import ExitCode
from tctt.commands import cluster


@pytest.fixture
def no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name in ("scrapy_redis", "redis") else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.parametrize("command", [cluster.run_cluster, cluster.run_worker])
def test_without_the_extra_the_command_says_what_to_install(no_redis: None, command: Any,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(redis="redis://127.0.0.1:1/0", run=1, registry=None, set=None, workers=0,
                              db="unused.db", allow_private=False, log_level="WARNING", out=None)
    assert command(args) == ExitCode.MISSING_EXTRA == 12
    err = capsys.readouterr().err
    assert err.startswith("Thiếu gói scrapy_redis, redis") and "pip install 'tctt-audit[cluster]'" in err


def test_the_extra_is_installed_here() -> None:
    assert cluster.missing_extra() is False
