"""Scoring benchmark: re-score every agency of a stored run with the auditors of this tree (no network).

    .venv/bin/python bench/score_bench.py DB [--repeat 5] [--findings out.json]

DB is a database a crawl wrote (``tctt evaluate --out DIR`` leaves the gold set's in DIR/gold.db; ``tctt
demo --out DIR`` the sample province's in DIR/tctt.db). The run is scored on a copy, ``--repeat`` times;
the best and median wall times are printed. ``--findings`` writes every finding (without its scoring
time) so that two trees can be compared byte for byte: the auditors must judge the same evidence alike.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from auditors import score_run
from core.store import Store
from rules import load_ruleset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--findings", help="write the findings as JSON here")
    args = parser.parse_args(argv)
    ruleset = load_ruleset()
    times = []
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "bench.db"
        shutil.copy(args.db, copy)
        store = Store(copy)
        run_id = store.run(None)["id"]
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            result = score_run(store, ruleset, run_id)
            times.append(time.perf_counter() - started)
        if args.findings:
            findings = {agency["id"]: [{k: v for k, v in f.items() if k != "scored_at"}
                                       for f in store.findings(run_id, agency["id"])]
                        for agency in store.agencies(run_id)}
            Path(args.findings).write_text(json.dumps(findings, ensure_ascii=False, indent=1, sort_keys=True, default=str),
                                           encoding="utf-8")
        store.close()
    print(f"{result.audited} cơ quan / agencies scored; best {min(times):.3f}s, median {statistics.median(times):.3f}s "
          f"over {len(times)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
