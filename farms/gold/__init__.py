"""The gold set: sample portals described declaratively, rendered by a generator, with their true labels.

``farms/gold/portals/*.yaml`` holds one spec per portal (see ``farms.gold.generator``); ``tctt evaluate``
serves them on loopback, audits them and measures section finding and every rule against the labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from farms.gold.generator import Portal, SpecError, build, derive_labels, generate, normalize, random_spec

GOLD_DIR = Path(__file__).resolve().parent / "portals"

__all__ = ["GOLD_DIR", "Portal", "SpecError", "build", "derive_labels", "generate", "load_specs", "normalize",
           "random_spec"]


def load_specs(folder: str | Path | None = None) -> list[dict[str, Any]]:
    """Every ``*.yaml`` spec of a gold folder, in file-name order. Raises SpecError naming the file."""
    folder = Path(folder) if folder else GOLD_DIR
    if not folder.is_dir():
        raise SpecError(f"{folder}: not a folder of portal specs")
    specs = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SpecError(f"{path}: {exc}") from exc
        if not isinstance(spec, dict):
            raise SpecError(f"{path}: expected a mapping")
        spec.setdefault("id", path.stem)
        if spec["id"] in seen:
            raise SpecError(f"{path}: duplicate id {spec['id']!r} (also in {seen[spec['id']]})")
        seen[spec["id"]] = path
        try:
            normalize(spec)
        except SpecError as exc:
            raise SpecError(f"{path}: {exc}") from exc
        spec["_file"] = str(path)
        specs.append(spec)
    if not specs:
        raise SpecError(f"{folder}: holds no portal specs (*.yaml)")
    return specs
