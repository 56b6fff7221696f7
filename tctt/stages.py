"""The stages of an audit — crawl, score, report — callable from the command line or from Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from auditors import score_run
from auditors.decisions import annotate_model as annotate_decisions
from auditors.decisions import in_force as decisions_in_force
from auditors.runner import RunScore
from core.store import Store
from reports import build_run_model, render_site
from reports.archive import render_archive
from reports.coverage import coverage
from reports.i18n import localize
from reports.province import build_province, render_province, rule_catalogue
from reports.trends import render_trends
from rules import Ruleset, accuracy_for, load_ruleset
from tctt.crawlrun import crawl_shard, run_spider, scrapy_settings


@dataclass
class CrawlOutcome:
    run_id: int
    status: str


def crawl(registry: str | Path | None, db: str | Path, *, allow_private: bool = False, progress: bool = True,
          settings: dict[str, Any] | None = None, log_level: str = "WARNING",
          resume: int | None = None, processes: int = 1) -> CrawlOutcome:
    """Run the portal spider over a (pre-validated) registry. Returns the run id and its status.

    With ``resume`` (a run id), continue that run instead: agencies already finished are kept, the
    others are crawled again with their stored pages replayed, not refetched.

    With ``processes`` > 1 the agencies are shared out by host name among that many crawl processes
    (Scrapy runs one reactor on one core; the parsing of pages is what keeps a core busy), which write to
    the same database; the total concurrency stays as configured.

    Twisted's reactor cannot restart, so a one-process crawl can be called once per process.
    """
    if processes > 1:
        return _crawl_processes(registry, db, allow_private=allow_private, progress=progress,
                                settings=settings or {}, log_level=log_level, resume=resume, processes=processes)
    spider_args = {"run_id": str(resume)} if resume is not None else {"registry": str(registry)}
    run_id, _ = run_spider(db, spider_args, allow_private=allow_private, progress=progress,
                            settings=settings or {}, log_level=log_level)
    store = Store(db)
    try:
        status = store.run(run_id)["status"]
    finally:
        store.close()
    return CrawlOutcome(run_id, status)


def _crawl_processes(registry: str | Path | None, db: str | Path, *, allow_private: bool, progress: bool,
                     settings: dict[str, Any], log_level: str, resume: int | None, processes: int) -> CrawlOutcome:
    import multiprocessing
    import threading

    # The crawl processes start first and import the crawler while the run is created here (a second of
    # CPU each, which used to follow the run's creation); they get the run and their settings by a pipe.
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each: Twisted's reactor is per process
    pipes = [context.Pipe(duplex=False) for _ in range(processes)]
    children = [context.Process(target=crawl_shard, args=(str(db), orders, f"{i}/{processes}"),
                                name=f"tctt-crawl-{i}") for i, (orders, _) in enumerate(pipes)]
    for child, (orders, _) in zip(children, pipes, strict=True):
        child.start()
        orders.close()  # the child's end: a child sees the end of the pipe if this process dies
    try:
        from core.registry import load_registry
        from crawler.extensions.runlifecycle import create_run

        base = scrapy_settings(db, allow_private=allow_private, progress=progress, settings=settings,
                               log_level=log_level)
        store = Store(db)
        try:
            if resume is None:
                run_id = create_run(store, load_registry(str(registry), allow_private=allow_private),
                                    str(registry), allow_private, base, processes=processes)
            else:
                run_id = resume
                store.reopen_run(run_id)
        finally:
            store.close()
    except BaseException:
        for child, (_, order) in zip(children, pipes, strict=True):
            order.close()  # no run: the child ends without crawling
            child.join(10)
            if child.is_alive():
                child.kill()
                child.join()
        raise
    # The limits of the whole crawl are shared out: total concurrency and document workers as configured.
    per_process = {**settings,
                   "CONCURRENT_REQUESTS": max(1, -(-base.getint("CONCURRENT_REQUESTS") // processes)),
                   "TCTT_DOC_WORKERS": max(1, base.getint("TCTT_DOC_WORKERS") // processes),
                   "TCTT_PARSE_WORKERS": max(1, base.getint("TCTT_PARSE_WORKERS") // processes)}
    from crawler.progress import watch_run

    # One progress line per agency for the whole run, printed here from the store (not by each process).
    kwargs = {"allow_private": allow_private, "progress": False, "settings": per_process, "log_level": log_level}
    for _, order in pipes:
        order.send((run_id, kwargs))
        order.close()
    watching = threading.Event()
    watcher = threading.Thread(target=watch_run, args=(str(db), run_id, watching), name="tctt-progress", daemon=True)
    if progress:
        watcher.start()
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        # The children got the same Ctrl-C (one process group) and are closing their agencies as interrupted.
        for child in children:
            child.join(60)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: Scrapy shuts down and records the unfinished agencies
                child.join(60)
        for child in children:
            if child.is_alive():
                child.kill()
        watching.set()
        if watcher.is_alive():
            watcher.join(10)
    store = Store(db)
    try:
        # The ids only: every agency's decoded result would hold the whole registry's evidence in memory.
        results = {r["agency_id"] for r in store.db.query("select agency_id from agency_results where run_id = ?",
                                                          [run_id])}
        finished = all(child.exitcode == 0 for child in children) and \
            all(a["id"] in results for a in store.agencies(run_id))
        status = "complete" if finished else "incomplete"
        store.finish_run(run_id, status)
    finally:
        store.close()
    return CrawlOutcome(run_id, status)


def score(db: str | Path, run_id: int | str | None = None, ruleset: Ruleset | None = None,
          audit_date: date | None = None) -> RunScore:
    """(Re-)score a run under the law in force on ``audit_date`` (default: the run's own audit date)."""
    store = Store(db)
    try:
        return score_run(store, ruleset or load_ruleset(), run_id, audit_date)
    finally:
        store.close()


def report(db: str | Path, out_dir: str | Path, run_id: int | str | None = None, *, lang: str = "vi",
           ruleset: Ruleset | None = None, schedule: str | None = None) -> tuple[Path, dict[str, Any]]:
    """Render the HTML report of a run. Returns the index path and the run model.

    ``schedule``: the cron expression of the configured audit schedule, so the trend page shows the next run."""
    ruleset = ruleset or load_ruleset()
    store = Store(db)
    try:
        model = build_run_model(store, run_id, bands=ruleset.bands, lang=lang)
        annotate_decisions(store, model)   # inspector decisions shown beside the findings they concern
        model["trends"] = True
        run = model["run"]
        model["accuracy"] = accuracy_for(ruleset.path, run.get("ruleset"), run.get("ruleset_version"))
        model["rule_titles"] = {rule.id: localize(rule.title, lang) for rule in ruleset.rules}
        parents = {a["id"]: a.get("parent") or "" for a in store.agencies(run["id"])}
        model["province"] = build_province(model, parents, rule_catalogue(ruleset.rules, model, lang), lang)
        model["coverage"] = coverage(store, run["id"])  # official units with and without a portal
        index = render_site(model, out_dir, lang=lang)
        render_province(model, model["province"], out_dir, lang=lang)
        render_archive(store, model, out_dir, lang=lang)  # the pages as crawled, from the run's WARC archive
        render_trends(store, out_dir, bands=ruleset.bands, lang=lang, rules=ruleset.rules, cron=schedule,
                      decisions=lambda run, agency: decisions_in_force(store, run, agency))
    finally:
        store.close()
    return index, model


def archive_line(db: str | Path, run_id: int) -> str:
    """The size of a run's evidence archive, for the end of an audit."""
    from core.archive import run_summary

    store = Store(db)
    try:
        s = run_summary(store, run_id)
    finally:
        store.close()
    if not s["file"]:
        return "Lưu trữ bằng chứng / evidence archive: không có / none (TCTT_WARC off)"
    skipped = f", {s['skipped']} không lưu / skipped {s['skipped_reasons']}" if s["skipped"] else ""
    return (f"Lưu trữ bằng chứng / evidence archive: {s['records']} bản ghi / records, "
            f"{(s['file_bytes'] or 0) / 1e6:.1f} MB{skipped} — {s['file']}")


def summary(model: dict[str, Any], lang: str = "vi") -> str:
    """The one-screen summary printed at the end of an audit."""
    run = model["run"]
    agencies = model["agencies"]
    audited = [a for a in agencies if a["status"] == "audited"]
    others = [a for a in agencies if a["status"] != "audited"]
    bands: dict[str, int] = {}
    for agency in audited:
        bands[agency["band"] or "-"] = bands.get(agency["band"] or "-", 0) + 1
    failing: dict[str, int] = {}
    for agency in audited:
        for finding in agency["findings"]:
            if finding["status"] in ("fail", "partial"):
                failing[finding["rule"]] = failing.get(finding["rule"], 0) + 1
    average = run.get("average_score")
    lines = [
        f"Lượt kiểm tra / run {run['id']} ({run['status']}), ngày / date {run['audit_date']}, "
        f"bộ tiêu chí / ruleset {run['ruleset']} {run['ruleset_version']}",
        f"Cơ quan / agencies: {len(agencies)}; đã kiểm tra / audited: {len(audited)}; "
        f"chưa kiểm tra được / not audited: {len(others)}",
        f"Điểm trung bình / average score: {'—' if average is None else f'{average:.1f}'} (chỉ tính cơ quan đã kiểm tra / audited only)",
        "Xếp loại / bands: " + (", ".join(f"{band}: {count}" for band, count in sorted(bands.items())) or "—"),
    ]
    unsure = [a["id"] for a in audited if a.get("section_status") == "unsure"]
    lines.append(f"Chờ thanh tra viên xác nhận Chuyên mục / sections awaiting an inspector: {len(unsure)}"
                 + (f" ({', '.join(unsure[:10])}{'…' if len(unsure) > 10 else ''}; tctt decide section)" if unsure else ""))
    if failing:
        top = sorted(failing.items(), key=lambda item: (-item[1], item[0]))[:5]
        lines.append("Thiếu nhiều nhất / most common gaps: " + ", ".join(f"{rule} ({count})" for rule, count in top))
    for agency in others:
        lines.append(f"  - {agency['id']}: {agency['status']} — {agency.get('status_detail') or ''}")
    width = max(len(a["id"]) for a in agencies) if agencies else 10
    lines.append("")
    for agency in agencies:
        score_text = "  —  " if agency["score"] is None else f"{agency['score']:5.1f}"
        section = (agency.get("section") or {}).get("url") or "không tìm thấy chuyên mục / no section"
        if agency.get("section_status") == "unsure":
            section = "chờ xác nhận / awaiting confirmation: " + ", ".join(
                c["url"] for c in (agency.get("candidates") or [])[:2])
        lines.append(f"  {agency['id']:<{width}}  {agency['status']:<17} {score_text}  {agency['band'] or '-':<2} {section}")
    return "\n".join(lines)
