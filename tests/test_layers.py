"""Every module has a place in the import contracts of pyproject.toml, so that a new module cannot escape
the check that imports point down: the top-level packages are the rooms, stacked; each module of ``tctt``
sits in a layer of its own contract (or is a test bed no run-time module may import)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _packages() -> set[str]:
    return {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name not in {"tests", "bench"}}


def test_every_top_level_package_is_a_room_in_the_stack():
    rooms = next(c for c in CONFIG["contracts"] if c["type"] == "layers" and "containers" not in c)
    assert set(rooms["layers"]) == _packages() == set(CONFIG["root_packages"])


def test_every_tctt_module_is_in_a_layer_or_a_test_bed():
    placed: set[str] = set()
    for contract in CONFIG["contracts"]:
        for container in contract.get("containers", []):
            for layer in contract["layers"]:
                placed |= {f"{container}.{name.strip()}" for name in layer.replace("|", ":").split(":")}
        placed |= set(contract.get("forbidden_modules", []))
        placed |= set(contract.get("source_modules", []))
    modules = {f"tctt.{p.stem}" for p in (ROOT / "tctt").glob("*.py") if p.stem != "__init__"}
    modules |= {f"tctt.{p.name}" for p in (ROOT / "tctt").iterdir() if (p / "__init__.py").exists()}
    assert modules - placed == set(), "place these modules in [tool.importlinter] of pyproject.toml"


def test_the_core_imports_no_other_package_of_the_project():
    others = _packages() - {"core"}
    for path in (ROOT / "core").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in {"import", "from"}:
                assert words[1].split(".")[0] not in others, f"{path.name}: {line.strip()}"
