"""Rebuild core/data/units.csv from the ``vietnam-provinces`` package (offline, from its bundled JSON).

The package (GSO codes of the 2025 reorganisation: 34 provinces, 3,321 communes, wards and special zones)
needs Python ≥ 3.12, newer than the project's floor, so the runtime ships this derived table instead of
depending on it. To refresh the table after a new release of the package:

    pip download vietnam-provinces==VERSION --no-deps --python-version 3.12 --only-binary=:all: -d /tmp/vp
    unzip -o /tmp/vp/vietnam_provinces-*.whl -d /tmp/vp/pkg
    python scripts/units_from_vietnam_provinces.py /tmp/vp/pkg/vietnam_provinces/data/nested-divisions.json VERSION
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "core" / "data" / "units.csv"


def main(source: str, version: str) -> None:
    provinces = json.loads(Path(source).read_text(encoding="utf-8"))
    with OUT.open("w", encoding="utf-8", newline="") as out:
        out.write(f"# vietnam-provinces {version}: GSO administrative units after the 2025 reorganisation\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name", "type", "province", "codename"])
        for province in provinces:
            writer.writerow([province["code"], province["name"], province["division_type"], "", province["codename"]])
            for ward in province["wards"]:
                writer.writerow([ward["code"], ward["name"], ward["division_type"], province["code"],
                                 ward["short_codename"]])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
