"""Every module of the `tctt` package has a place in the layers contract (pyproject.toml) or is a test bed,
so that a new module cannot escape the check that imports point down."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_tctt_module_is_in_a_layer_or_a_test_bed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    placed: set[str] = set()
    for contract in config["contracts"]:
        for layer in contract.get("layers", []):
            placed |= {name.strip() for name in layer.replace("|", ":").split(":")}
        placed |= set(contract.get("forbidden_modules", []))
    modules = {f"tctt.{p.stem}" for p in (ROOT / "tctt").glob("*.py") if p.stem != "__init__"}
    modules |= {f"tctt.{p.name}" for p in (ROOT / "tctt").iterdir() if (p / "__init__.py").exists()}
    assert modules - placed == set(), "place these modules in [tool.importlinter] of pyproject.toml"
