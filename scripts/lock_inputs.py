"""Print a digest of pyproject.toml's dependency lists: the lock files record it, setup.sh compares it."""

import hashlib
import json
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
wanted = {"dependencies": project.get("dependencies", []), "extras": project.get("optional-dependencies", {})}
print(hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()[:16])
