"""A generated province for tests and screenshots: the sample province's real evidence, grown to many
agencies over several runs, scored by the real pipeline (``auditors.score_run``).

Each generated agency takes, in each run, the stored evidence (pages, candidates, crawl result) of one
audited sample portal. Agencies are given a level and a parent body (departments under the provincial
People's Committee, branch offices under some departments, communes), and move through the sample
portals from one run to the next — up the score ladder, down it, or staying — so that trends have
improvers and regressors. A few agencies are unreachable in a run (the sample's unreachable portal).
Nothing here is hand-written results: findings, scores and bands come from the auditors.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from auditors import score_run
from core.store import Store
from rules import Ruleset, load_ruleset

_COPY_PAGES = ("url", "final_url", "status", "fetched_at", "elapsed_ms", "content_type", "doc_type", "size", "sha256",
               "kind", "depth", "referrer", "title", "text", "tables", "links", "structure", "signals", "labels",
               "error", "last_modified")


def _layout(count: int) -> list[dict[str, str]]:
    """Ids, names, levels and parents: one province body, departments, branch offices, communes."""
    rows = [{"id": "ubnd-tinh", "name": "Ủy ban nhân dân tỉnh Thử Nghiệm", "level": "province", "parent": ""}]
    departments = max(1, count * 3 // 10)
    branches = max(1, count // 6)
    for i in range(1, departments + 1):
        rows.append({"id": f"so-{i:02d}", "name": f"Sở số {i} tỉnh Thử Nghiệm", "level": "department",
                     "parent": "ubnd-tinh"})
    for i in range(1, branches + 1):
        parent = f"so-{(i - 1) % 4 + 1:02d}"
        rows.append({"id": f"chi-cuc-{i:02d}", "name": f"Chi cục số {i} thuộc Sở số {(i - 1) % 4 + 1}",
                     "level": "other", "parent": parent})
    i = 0
    while len(rows) < count:
        i += 1
        rows.append({"id": f"xa-{i:02d}", "name": f"Ủy ban nhân dân xã Số {i}", "level": "commune",
                     "parent": "ubnd-tinh"})
    return rows


def grow_province(sample_db: str | Path, db: str | Path, *, agencies: int = 66, runs: int = 3,
                  ruleset: Ruleset | None = None, unreachable_every: int = 11) -> list[int]:
    """Write a province of ``agencies`` agencies and ``runs`` scored runs into ``db`` (a new file), from the
    latest run of ``sample_db`` (a ``tctt demo`` database). Returns the new run ids."""
    db = Path(db)
    if db.exists():
        raise FileExistsError(db)
    shutil.copyfile(sample_db, db)
    ruleset = ruleset or load_ruleset()
    store = Store(db)
    try:
        source = store.run("latest")
        src = int(source["id"])
        results = store.agency_results(src)
        by_id = {a["id"]: a for a in store.agencies(src)}
        ladder = sorted((a for a, r in results.items() if r["status"] == "audited"),
                        key=lambda a: (results[a]["score"] or 0, a))
        down = sorted(a for a, r in results.items() if r["status"] != "audited")
        if not ladder:
            raise ValueError("the sample run has no audited agency")
        layout = _layout(agencies)
        last = date.fromisoformat(source["audit_date"])
        new_runs = []
        for k in range(runs):
            audit_date = (last - timedelta(days=30 * (runs - 1 - k))).isoformat()
            picks = {}
            for i, row in enumerate(layout):
                step = (1, 1, -1, 0)[i % 4]   # improvers, a regressor, a steady one
                base = (i * 5) % len(ladder)
                if down and unreachable_every and (i + k) % unreachable_every == 0 and k == runs // 2:
                    picks[row["id"]] = down[i % len(down)]
                else:
                    picks[row["id"]] = ladder[max(0, min(len(ladder) - 1, base + step * k * 2))]
            registry = [{"id": row["id"], "name": row["name"], "level": row["level"], "parent": row["parent"],
                         "province": "Thử Nghiệm", "url": by_id[picks[row["id"]]]["url"],
                         "email": f"{row['id']}@thunghiem.gov.vn", "section_url": None, "line": n + 2}
                        for n, row in enumerate(layout)]
            run_id = store.create_run(ruleset=ruleset.id, ruleset_version=ruleset.label,
                                      tool_version=source.get("tool_version") or "", registry="generated",
                                      audit_date=audit_date, options={}, agencies=registry)
            conn = store.db.conn
            with conn:
                for row in layout:
                    origin = picks[row["id"]]
                    cols = ", ".join(_COPY_PAGES)
                    conn.execute(f"insert into pages (run_id, agency_id, {cols}) select ?, ?, {cols} from pages "
                                 "where run_id = ? and agency_id = ?", [run_id, row["id"], src, origin])
                    conn.execute("insert into candidates (run_id, agency_id, url, anchor, link_score, content_score, "
                                 "confidence, chosen, reasons) select ?, ?, url, anchor, link_score, content_score, "
                                 "confidence, chosen, reasons from candidates where run_id = ? and agency_id = ?",
                                 [run_id, row["id"], src, origin])
            for row in layout:
                result = {k: v for k, v in results[picks[row["id"]]].items()
                          if k not in ("run_id", "agency_id", "score", "band")}
                store.set_agency_result(run_id, row["id"], **result)
            score_run(store, ruleset, run_id)
            store.finish_run(run_id, "complete")
            new_runs.append(run_id)
        with store.db.conn:
            for table in ("pages", "candidates", "agency_results", "findings", "agencies"):
                store.db.conn.execute(f"delete from {table} where run_id = ?", [src])
            store.db.conn.execute("delete from runs where id = ?", [src])
        return new_runs
    finally:
        store.close()
