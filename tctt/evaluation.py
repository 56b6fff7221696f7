"""``tctt evaluate``'s measurement: serve the gold portals (or generated ones) on loopback, crawl and score
them with the audit's own stages, and compare the findings with the labels (farms.gold.evaluate).

It lives with the command line, not with the test beds: it drives the stages a real audit runs, and the
test beds only serve portals and compute figures.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.store import Store
from farms.gold import GOLD_DIR
from farms.gold.evaluate import CRAWL_SETTINGS, compare, gold_portals, synthetic_portals
from farms.gold.server import serve_portals
from reports import build_run_model
from reports.evaluation import render_evaluation
from rules import load_ruleset
from tctt import stages


@dataclass
class GoldRun:
    result: dict[str, Any]
    db: Path
    run_id: int


def evaluate(gold_dir: str | Path | None, out_dir: str | Path, *, ruleset_dir: str | Path | None = None,
             log_level: str = "WARNING", progress: bool = False, synthetic: tuple[int, int] | None = None) -> GoldRun:
    """Serve, crawl, score and compare the gold set (or ``synthetic=(count, seed)`` generated portals);
    write ``evaluation.json``, ``index.html`` and the database."""
    started = time.monotonic()
    ruleset = load_ruleset(ruleset_dir)
    gold = Path(gold_dir) if gold_dir else GOLD_DIR
    portals = synthetic_portals(*synthetic) if synthetic else gold_portals(gold)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    db = out / "gold.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with serve_portals(portals) as server:
        registry = server.write_registry(out / "registry.csv")
        crawl_started = time.monotonic()
        outcome = stages.crawl(registry, db, allow_private=True, progress=progress, log_level=log_level,
                               settings={**CRAWL_SETTINGS, **server.scrapy_settings()})
        crawl_seconds = time.monotonic() - crawl_started
        port = server.port
    stages.score(db, outcome.run_id, ruleset)
    store = Store(db)
    try:
        model = build_run_model(store, outcome.run_id, bands=ruleset.bands, lang="vi")
    finally:
        store.close()
    labels = [{"id": p.id, "name": p.spec["name"], "platform": p.spec["platform"], "reach": p.spec["reach"],
               "notes": p.spec.get("notes", ""), "section": p.section, "labels": p.labels} for p in portals]
    result = compare(labels, model["agencies"], ruleset)
    result = {
        "ruleset": {"id": ruleset.id, "version": ruleset.version, "rules": len(ruleset.rules)},
        "gold": {"folder": f"synthetic:{synthetic[0]}@{synthetic[1]}" if synthetic else str(gold), "portals": len(portals), "hosts": len({h for p in portals for h in p.hosts}),
                 "port": port},
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run": {"id": outcome.run_id, "status": outcome.status, "crawl_seconds": round(crawl_seconds, 1),
                "total_seconds": round(time.monotonic() - started, 1)},
        **result,
    }
    (out / "evaluation.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    render_evaluation(result, out / "index.html")
    return GoldRun(result, db, outcome.run_id)
