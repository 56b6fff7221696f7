"""Benchmark document extraction against poppler's ``pdftotext`` alone.

    .venv/bin/python bench/extract_bench.py [--count 200] [--workers 2] [--scans 0] [--json out.json]

Generates a set of mixed documents (PDF with tables, DOCX, XLSX, XLS, legacy DOC, HTML; Vietnamese text
and a catalogue table in each; ``--scans N`` adds scanned PDFs that go through OCR), extracts every one
through ``crawler.extract.pool.DocumentPool`` (the crawler's own path: worker processes, limits), and
runs ``pdftotext`` on the PDFs of the same set with the same parallelism as the baseline. Each side runs
in its own child process so that its peak memory (the process and its children) is measured apart.
Prints a table and writes the figures as JSON. Needs the test extras (fpdf2, xlwt).
"""

from __future__ import annotations

import argparse
import asyncio
import json
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


def run_ours(paths: list[Path], workers: int) -> dict:
    from crawler.extract import Limits
    from crawler.extract.pool import DocumentPool

    async def main() -> list[dict]:
        with DocumentPool(workers, Limits()) as pool:
            await pool.extract(b"warm up", "x.txt")
            started = time.perf_counter()
            results = await asyncio.gather(*[pool.extract(p.read_bytes(), p.name) for p in paths])
            return [{"elapsed": time.perf_counter() - started}, *results]

    head, *results = asyncio.run(main())
    return {"seconds": round(head["elapsed"], 3), "documents": len(paths), "peak_mb": peak_mb(),
            "errors": sum(1 for r in results if r.get("error")),
            "tables": sum(len(r.get("tables") or []) for r in results),
            "pdf_seconds_share": None}


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
            "errors": sum(1 for c in codes if c)}


def child(side: str, folder: Path, workers: int, only_pdf: bool) -> dict:
    command = [sys.executable, __file__, "--_side", side, "--_dir", str(folder), "--workers", str(workers)]
    if only_pdf:
        command.append("--_pdf")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scans", type=int, default=0)
    parser.add_argument("--json", default="bench/extract_bench.json")
    parser.add_argument("--_side")
    parser.add_argument("--_dir")
    parser.add_argument("--_pdf", action="store_true")
    args = parser.parse_args()
    if args._side:
        paths = sorted(Path(args._dir).iterdir())
        if args._pdf:
            paths = [p for p in paths if p.suffix == ".pdf"]
        run = run_ours if args._side == "ours" else run_baseline
        print(json.dumps(run(paths, args.workers)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = generate(folder, args.count, args.scans)
        kinds: dict[str, int] = {}
        for p in paths:
            kinds[p.suffix[1:]] = kinds.get(p.suffix[1:], 0) + 1
        figures = {
            "set": {"documents": len(paths), "by_type": kinds, "bytes": sum(p.stat().st_size for p in paths)},
            "workers": args.workers,
            "ours_all": child("ours", folder, args.workers, False),
            "ours_pdf": child("ours", folder, args.workers, True),
            "pdftotext_pdf": child("baseline", folder, args.workers, True),
        }
    for key in ("ours_all", "ours_pdf", "pdftotext_pdf"):
        side = figures[key]
        if "seconds" in side:
            side["docs_per_s"] = round(side["documents"] / max(side["seconds"], 1e-9), 1)
    base = figures["pdftotext_pdf"].get("docs_per_s")
    if base:
        figures["ratio_pdf_vs_pdftotext"] = round(figures["ours_pdf"]["docs_per_s"] / base, 3)
        figures["ratio_all_vs_pdftotext"] = round(figures["ours_all"]["docs_per_s"] / base, 3)
    print(f"{'run':<22}{'documents':>10}{'seconds':>10}{'docs/s':>10}{'peak MB':>10}{'errors':>8}")
    for key, label in (("ours_all", "tctt, all types"), ("ours_pdf", "tctt, PDFs only"),
                       ("pdftotext_pdf", "pdftotext, PDFs only")):
        side = figures[key]
        print(f"{label:<22}{side.get('documents', 0):>10}{side.get('seconds', 0):>10}"
              f"{side.get('docs_per_s', 0):>10}{side.get('peak_mb', 0):>10}{side.get('errors', 0):>8}")
    if base:
        print(f"ratio (tctt / pdftotext, PDFs): {figures['ratio_pdf_vs_pdftotext']}  "
              f"(all types / pdftotext PDFs: {figures['ratio_all_vs_pdftotext']})")
    Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"JSON: {args.json}")


if __name__ == "__main__":
    main()
