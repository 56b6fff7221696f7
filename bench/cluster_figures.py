"""What the cluster benchmark derives from its measured runs (``bench/cluster_bench.py``): per-worker figures,
CPU per page per process kind, the single coordinator's and Redis's ceilings, whether a run was CPU-bound,
and the projection of what a second machine would add, with its assumptions. Pure arithmetic on the JSON,
so that the table can be recomputed from a stored result (``python bench/cluster_figures.py result.json``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

CPU_BOUND = 0.85  # share of the machine's cores busy from which a run counts as CPU-bound


def _ms(cpu_s: float, pages: int) -> float:
    return round(1000 * cpu_s / max(1, pages), 2)


def derive(figures: dict[str, Any]) -> None:
    """Add the derived figures to every run, and the projection to ``figures``."""
    runs, cpus = figures["runs"], figures["cpus"]
    for row in runs.values():
        pages, wall = row["pages"], row["wall_s"]
        row["cpu_ms_per_page"] = _ms(row["cpu_s"], pages)
        # Everything this machine ran for the crawl, the farm (the portals) aside: the crawl tree and Redis.
        busy = row["cpu_s"] + row.get("redis_cpu_s", 0.0)
        row["cores_busy"] = round(busy / wall, 2)
        row["cores_busy_with_farm"] = round((busy + row.get("farm_cpu_s", 0.0)) / wall, 2)
        row["cpu_bound"] = row["cores_busy_with_farm"] >= CPU_BOUND * cpus
        k = row.get("workers")
        if not k:
            continue
        row["pages_per_s_per_worker"] = round(row["pages_per_s"] / k, 1)
        row["worker_cpu_ms_per_page"] = _ms(row["workers_cpu_s"], pages)
        row["coordinator_cpu_ms_per_page"] = _ms(row["coordinator_cpu_s"], pages)
        row["redis_cpu_ms_per_page"] = _ms(row["redis_cpu_s"], pages)
        if row.get("redis_commands"):
            row["redis_commands_per_page"] = round(row["redis_commands"] / max(1, pages), 1)
        # One process each: its CPU per page bounds the pages/s of any number of workers.
        row["coordinator_ceiling_pages_per_s"] = round(pages / max(0.01, row["coordinator_cpu_s"]), 0)
        row["redis_ceiling_pages_per_s"] = round(pages / max(0.01, row["redis_cpu_s"]), 0)
    one = runs.get("cluster_1")
    if one:
        for row in runs.values():
            if row.get("workers"):
                row["efficiency_per_worker"] = round(row["pages_per_s"] / (row["workers"] * one["pages_per_s"]), 3)
        runs["one_process"]["vs_cluster_1"] = round(runs["one_process"]["pages_per_s"] / one["pages_per_s"], 3)
    figures["projection"] = projection(figures)


def projection(figures: dict[str, Any]) -> dict[str, Any]:
    """What a second machine like this one, running workers only, would add to the best measured run."""
    runs, cpus = figures["runs"], figures["cpus"]
    clustered = [r for r in runs.values() if r.get("workers")]
    if not clustered:
        return {}
    best = max(clustered, key=lambda r: r["pages_per_s"])
    one = runs.get("cluster_1", best)
    # A worker's own cost: the lowest CPU per page measured (the 1-worker run: no contention for the cores).
    worker_ms = min(r["worker_cpu_ms_per_page"] for r in clustered)
    cpu_limit = 1000 * cpus / worker_ms          # a machine of workers only, every core busy
    latency_limit = cpus * one["pages_per_s"]    # one worker per core, each as fast as the lone worker
    added = min(cpu_limit, latency_limit)
    coordinator = min(r["coordinator_ceiling_pages_per_s"] for r in clustered)
    redis = min(r["redis_ceiling_pages_per_s"] for r in clustered)
    total = min(best["pages_per_s"] + added, coordinator, redis)
    return {
        "best_measured_pages_per_s": best["pages_per_s"], "best_measured_workers": best["workers"],
        "worker_cpu_ms_per_page": worker_ms, "lone_worker_pages_per_s": one["pages_per_s"],
        "second_machine_cpu_limit_pages_per_s": round(cpu_limit, 1),
        "second_machine_latency_limit_pages_per_s": round(latency_limit, 1),
        "second_machine_adds_pages_per_s": round(added, 1),
        "coordinator_ceiling_pages_per_s": coordinator, "redis_ceiling_pages_per_s": redis,
        "two_machines_pages_per_s": round(total, 1),
        "speed_up_vs_best_measured": round(total / best["pages_per_s"], 2),
        "assumptions": [
            f"the second machine has {cpus} cores like this one and runs {cpus} workers (one per core) with the "
            "same settings, and nothing else: no farm, no Redis, no coordinator",
            f"a worker costs {worker_ms} ms of CPU per page (the lowest measured here, page reading included): "
            f"{cpus} cores allow at most {cpu_limit:.0f} pages/s",
            f"a worker is not faster than the lone worker measured here ({one['pages_per_s']} pages/s, bounded by "
            "the portals' latency and its own concurrency settings): at most "
            f"{latency_limit:.0f} pages/s for {cpus} workers",
            "the run has enough agencies in progress to keep every worker busy (TCTT_MAX_ACTIVE_AGENCIES per worker)"
            " and the portals, not the machines, set each agency's pace",
            "the single coordinator and the single Redis stay on the first machine; their CPU per page measured "
            f"here caps the whole run at {coordinator:.0f} and {redis:.0f} pages/s",
            "the network between the machines adds latency to each Redis round trip (about 10 per page), not CPU; "
            "robots.txt is shared through Redis, so a new worker fetches no page the others did not",
        ],
    }


def explain(figures: dict[str, Any]) -> list[str]:
    """Why a run did or did not scale, from CPU per page x pages/s against the cores."""
    lines, cpus = [], figures["cpus"]
    for label, r in figures["runs"].items():
        need = r["cores_busy_with_farm"]
        if r.get("workers") and r["cpu_bound"]:
            lines.append(f"{label}: CPU-bound: {r['cpu_ms_per_page']} ms of CPU per page (crawl tree) x "
                         f"{r['pages_per_s']} pages/s + Redis and the farm = {need} of {cpus} cores busy; "
                         "more workers on this machine only share the same cores")
        elif r.get("workers") and r.get("load_average_1min", 0) > cpus:
            lines.append(f"{label}: {need} of {cpus} cores busy with the crawl, but the machine was shared (load "
                         f"average {r['load_average_1min']} on {cpus} cores): other work took the rest, the figures "
                         "are inflated by contention")
        elif r.get("workers"):
            lines.append(f"{label}: not CPU-bound ({need} of {cpus} cores busy): its pace was set by the portals' "
                         "latency and the agencies in progress")
    return lines


def table(f: dict[str, Any]) -> str:
    rows = [("run", "wall s", "pages", "pages/s", "per worker", "eff./worker", "CPU ms/page", "worker ms",
             "coord. ms", "Redis ms", "Redis cmds/page", "cores busy", "peak RSS MB", "same findings")]
    for label, r in f["runs"].items():
        diffs = r.get("finding_differences")
        rows.append((label, f"{r['wall_s']:.1f}", str(r["pages"]), f"{r['pages_per_s']:.1f}",
                     str(r.get("pages_per_s_per_worker", "")),
                     f"{r['efficiency_per_worker']:.2f}" if "efficiency_per_worker" in r else "",
                     f"{r['cpu_ms_per_page']:.1f}", str(r.get("worker_cpu_ms_per_page", "")),
                     str(r.get("coordinator_cpu_ms_per_page", "")), str(r.get("redis_cpu_ms_per_page", "")),
                     str(r.get("redis_commands_per_page", "")), f"{r['cores_busy_with_farm']:.2f}",
                     f"{r['peak_rss_mb']:.0f}" + (f" (+{r['redis_rss_mb']:.0f})" if "redis_rss_mb" in r else ""),
                     "reference" if diffs is None else ("yes" if diffs == 0 else f"NO ({diffs} differences)")))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"Cluster benchmark: {f['n']} portals, latency {f['latency_s'] * 1000:.0f} ms, "
             f"{f['host_connections']} connections per host, {f['cpus']} CPUs, "
             f"{f['crawl_settings_per_process']['CONCURRENT_REQUESTS']} requests at a time per process "
             "(cores busy: crawl tree, Redis and the farm, CPU s / wall s)"]
    lines += ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
              for row in rows]
    for label, diffs in f.get("finding_differences", {}).items():
        lines += [f"difference {label}: {line}" for line in diffs[:50]]
    lines += explain(f)
    p = f.get("projection")
    if p:
        lines.append(f"A second {f['cpus']}-core machine of workers would add about {p['second_machine_adds_pages_per_s']:.0f} "
                     f"pages/s (min of {p['second_machine_cpu_limit_pages_per_s']:.0f} by CPU and "
                     f"{p['second_machine_latency_limit_pages_per_s']:.0f} by latency): about "
                     f"{p['two_machines_pages_per_s']:.0f} pages/s in all ({p['speed_up_vs_best_measured']}x the best "
                     f"measured run), under the coordinator's ceiling of {p['coordinator_ceiling_pages_per_s']:.0f} "
                     f"and Redis's of {p['redis_ceiling_pages_per_s']:.0f} pages/s. Assumptions:")
        lines += [f"  - {a}" for a in p["assumptions"]]
    return "\n".join(lines)


if __name__ == "__main__":
    stored = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    derive(stored)
    print(table(stored))
