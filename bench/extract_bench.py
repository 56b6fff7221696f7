"""Benchmark document extraction against poppler's ``pdftotext`` alone.

    .venv/bin/python bench/extract_bench.py [--count 200] [--workers 2] [--scans 0] [--ref REV] [--json out.json]

Generates a set of mixed documents (PDF with tables, DOCX, XLSX, XLS, legacy DOC, HTML; Vietnamese text
and a catalogue table in each; ``--scans N`` adds scanned PDFs that go through OCR), extracts every one
through ``crawler.extract.pool.DocumentPool`` (the crawler's own path: worker processes, limits), and
runs ``pdftotext`` on the PDFs of the same set with the same parallelism as the baseline. Each side runs
in its own child process so that its peak memory (the process and its children) and its CPU time (the
process, its workers and their tools: pdftotext, antiword, tesseract) are measured apart. The CPU per
document of each type is measured apart too, through one pool worker, one document at a time, after one
warm-up document of each type (imports are not counted). ``--ref REV`` runs the extractor of another git
revision on the same set in the same run (``--ref 9bb4fad``: before the speed-ups), for ratios that the
machine's load does not skew as much as two runs would. Prints a table and writes the figures as JSON.
Needs the test extras (fpdf2, xlwt).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(folder: Path, count: int, scans: int) -> list[Path]:
    """``count`` documents, deterministic, each with its own rows (so no two are the same bytes)."""
    from tctt.sample import make_doc_portals as gen

    base_rows = [list(r) for r in gen.ROWS]
    shares = [("pdf", 0.4), ("docx", 0.2), ("xlsx", 0.15), ("xls", 0.1), ("html", 0.1), ("doc", 0.05)]
    plan = [kind for kind, share in shares for _ in range(round(count * share))]
    plan += ["pdf"] * (count - len(plan)) + ["scan"] * scans
    doc_sample = (ROOT / "tctt/sample/portals/doc-doc/uploads/danh-muc-thong-tin-cong-khai.doc").read_bytes()
    paths = []
    for index, kind in enumerate(plan):
        gen.ROWS = [[row[0], f"{row[1]} (bản {index})", *row[2:]] for row in base_rows] * (1 + index % 4)
        if kind == "pdf":
            data = gen.pdf_catalogue()
        elif kind == "docx":
            data = gen.docx_catalogue()
        elif kind == "xlsx":
            data = gen.xlsx_catalogue()
        elif kind == "xls":
            data = gen.xls_catalogue()
        elif kind == "html":
            data = gen.page("Danh mục", f"<h1>{gen.TITLE}</h1>\n{gen.html_table()}").encode()
        elif kind == "scan":
            data = gen.scanned_pdf()
        else:
            data = doc_sample
        path = folder / f"{index:04d}.{'pdf' if kind == 'scan' else kind}"
        path.write_bytes(data)
        paths.append(path)
    gen.ROWS = base_rows
    return paths


def peak_mb() -> float:
    """The larger of this process's peak RSS (VmHWM, which starts afresh at exec, unlike ru_maxrss) and
    the largest peak of its finished children (the workers, or pdftotext)."""
    own = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            own = int(line.split()[1])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def cpu_s() -> float:
    """CPU seconds of this process and its waited-for descendants (workers, and their pdftotext…)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_ours(paths: list[Path], workers: int) -> dict:
    from crawler.extract import Limits
    from crawler.extract.pool import DocumentPool

    async def main() -> list[dict]:
        with DocumentPool(workers, Limits()) as pool:
            await pool.extract(b"warm up", "x.txt")
            started = time.perf_counter()
            results = await asyncio.gather(*[pool.extract(p.read_bytes(), p.name) for p in paths])
            return [{"elapsed": time.perf_counter() - started}, *results]

    head, *results = asyncio.run(main())  # the pool is closed: its workers are waited for, CPU counted
    return {"seconds": round(head["elapsed"], 3), "documents": len(paths), "peak_mb": peak_mb(),
            "cpu_s": round(cpu_s(), 2), "cpu_ms_per_doc": round(1000 * cpu_s() / len(paths), 1),
            "errors": sum(1 for r in results if r.get("error")),
            "tables": sum(len(r.get("tables") or []) for r in results)}


def children_cpu_s() -> float:
    """CPU seconds so far of this process's live children (the pool's worker) and of the tools they
    waited for (pdftotext, antiword, tesseract), from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # fields[1] is the parent pid; 11–14 utime stime cutime cstime
            total += sum(int(x) for x in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def run_cpu(paths: list[Path], workers: int) -> dict:
    """CPU milliseconds per document by type, through one pool worker (the crawler's path: pickling,
    the worker's loop, its tools), one document at a time, after one warm-up document of each type
    (imports are not counted). Small groups are read several times over, for a measurable total."""
    from crawler.extract import Limits
    from crawler.extract.pool import DocumentPool

    by_type: dict[str, list[Path]] = {}
    for path in paths:
        by_type.setdefault(path.suffix[1:], []).append(path)
    figures = {}
    with DocumentPool(1, Limits()) as pool:
        for group in by_type.values():
            pool.run(group[0].read_bytes(), group[0].name)
        for kind, group in sorted(by_type.items()):
            bodies = [(p.read_bytes(), p.name) for p in group]
            before, done = children_cpu_s(), 0
            while done < 20 * len(bodies) and (done < len(bodies) or children_cpu_s() - before < 1.0):
                for body, name in bodies:
                    pool.run(body, name)
                done += len(bodies)
            figures[kind] = {"documents": len(group), "read": done,
                             "cpu_ms_per_doc": round(1000 * (children_cpu_s() - before) / done, 2)}
    return {"by_type": figures, "peak_mb": peak_mb()}


def run_baseline(paths: list[Path], workers: int) -> dict:
    binary = shutil.which("pdftotext")
    if binary is None:
        return {"error": "pdftotext is not installed (apt-get install poppler-utils)"}

    def one(path: Path) -> int:
        return subprocess.run([binary, "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True).returncode

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        codes = list(pool.map(one, paths))
    return {"seconds": round(time.perf_counter() - started, 3), "documents": len(paths), "peak_mb": peak_mb(),
            "cpu_s": round(cpu_s(), 2), "cpu_ms_per_doc": round(1000 * cpu_s() / len(paths), 1),
            "errors": sum(1 for c in codes if c)}


def export(ref: str, into: Path) -> Path:
    """The tree of git revision ``ref`` of this repository, in ``into``."""
    import io
    import tarfile

    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref], capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def start(side: str, folder: Path, workers: int, only_pdf: bool, tree: Path = ROOT) -> subprocess.Popen:
    command = [sys.executable, __file__, "--_side", side, "--_dir", str(folder), "--workers", str(workers),
               "--_tree", str(tree)]
    if only_pdf:
        command.append("--_pdf")
    # Another tree's packages (and its workers', started with -m from the working directory) must win
    # over the editable install of this one.
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=tree)


def finish(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"benchmark side failed: {process.args}")
    return json.loads(out)


def child(side: str, folder: Path, workers: int, only_pdf: bool, tree: Path = ROOT) -> dict:
    return finish(start(side, folder, workers, only_pdf, tree))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scans", type=int, default=0)
    parser.add_argument("--ref", help="also run the extractor of this git revision (e.g. 9bb4fad)")
    parser.add_argument("--json", default="bench/extract_bench.json")
    parser.add_argument("--_side")
    parser.add_argument("--_dir")
    parser.add_argument("--_tree")
    parser.add_argument("--_pdf", action="store_true")
    args = parser.parse_args()
    if args._side:
        sys.path.insert(0, args._tree)
        import crawler.extract

        assert Path(crawler.extract.__file__).resolve().is_relative_to(Path(args._tree).resolve())
        paths = sorted(Path(args._dir).iterdir())
        if args._pdf:
            paths = [p for p in paths if p.suffix == ".pdf"]
        run = {"ours": run_ours, "cpu": run_cpu, "baseline": run_baseline}[args._side]
        print(json.dumps(run(paths, args.workers)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "documents"
        folder.mkdir()
        paths = generate(folder, args.count, args.scans)
        kinds: dict[str, int] = {}
        for p in paths:
            kinds[p.suffix[1:]] = kinds.get(p.suffix[1:], 0) + 1
        trees = {"tctt": ROOT}
        if args.ref:
            trees[f"tctt@{args.ref}"] = export(args.ref, Path(tmp) / "ref")
        figures: dict = {"set": {"documents": len(paths), "by_type": kinds,
                                 "bytes": sum(p.stat().st_size for p in paths)},
                         "workers": args.workers, "ref": args.ref, "runs": {}}
        runs = figures["runs"]
        for label, tree in trees.items():
            runs[f"{label}, all types"] = child("ours", folder, args.workers, False, tree)
            runs[f"{label}, PDFs only"] = child("ours", folder, args.workers, True, tree)
        # CPU by type: the revisions side by side (one worker each), so that both meet the same load.
        started = {label: start("cpu", folder, args.workers, False, tree) for label, tree in trees.items()}
        for label, process in started.items():
            runs[f"{label}, CPU by type"] = finish(process)
        runs["pdftotext, PDFs only"] = child("baseline", folder, args.workers, True)
    for side in runs.values():
        if "seconds" in side:
            side["docs_per_s"] = round(side["documents"] / max(side["seconds"], 1e-9), 1)
    base = runs["pdftotext, PDFs only"].get("docs_per_s")
    ratios = figures["ratios"] = {}
    for label in trees:
        if base:
            ratios[f"{label} PDFs / pdftotext (docs/s)"] = round(runs[f"{label}, PDFs only"]["docs_per_s"] / base, 3)
            ratios[f"{label} all types / pdftotext PDFs (docs/s)"] = round(
                runs[f"{label}, all types"]["docs_per_s"] / base, 3)
    if args.ref:
        new, old = "tctt", f"tctt@{args.ref}"
        for what, key in (("all types", "cpu_ms_per_doc"), ("PDFs only", "cpu_ms_per_doc"),
                          ("all types", "docs_per_s"), ("PDFs only", "docs_per_s")):
            a, b = runs[f"{old}, {what}"][key], runs[f"{new}, {what}"][key]
            ratios[f"{what} {key}: {old} / {new}" if key.startswith("cpu") else f"{what} {key}: {new} / {old}"] = \
                round((a / b) if key.startswith("cpu") else (b / a), 2)
    print(f"{'run':<34}{'docs':>6}{'seconds':>9}{'docs/s':>8}{'CPU ms/doc':>11}{'peak MB':>9}{'errors':>7}")
    for label, side in runs.items():
        if "by_type" in side:
            continue
        print(f"{label:<34}{side.get('documents', 0):>6}{side.get('seconds', 0):>9}{side.get('docs_per_s', 0):>8}"
              f"{side.get('cpu_ms_per_doc', 0):>11}{side.get('peak_mb', 0):>9}{side.get('errors', 0):>7}")
    types = sorted(kinds)
    print(f"\nCPU ms per document, by type (one worker, in turn){'':<3}" + "".join(f"{t:>9}" for t in types))
    for label in trees:
        by_type = runs[f"{label}, CPU by type"]["by_type"]
        print(f"{label:<53}" + "".join(f"{by_type[t]['cpu_ms_per_doc']:>9}" for t in types))
    if args.ref:
        new_t, old_t = runs["tctt, CPU by type"]["by_type"], runs[f"tctt@{args.ref}, CPU by type"]["by_type"]
        ratios.update({f"CPU {t}: {args.ref} / new": round(old_t[t]["cpu_ms_per_doc"] / new_t[t]["cpu_ms_per_doc"], 2)
                       for t in types})
        print(f"{'speed-up (old CPU / new CPU)':<53}" + "".join(f"{ratios[f'CPU {t}: {args.ref} / new']:>9}"
                                                                for t in types))
    print()
    for name, value in ratios.items():
        print(f"{name}: {value}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"JSON: {args.json}")


if __name__ == "__main__":
    main()
