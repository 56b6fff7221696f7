"""Old vs new document extraction: the same documents through two versions of ``crawler.extract``.

    .venv/bin/python bench/extract_compare.py [--ref 9bb4fad] [--count 200] [--scans 3] [--farm 500]
                                              [--json out/bench/extract-compare.json]

``--ref`` is a git revision of this repository (by default the last commit before the extraction
speed-ups); its tree is exported to a temporary folder and run as the "old" side, the working tree as
the "new" side. Both read, one document at a time in one process each, four sets of documents:

- ``bench``: the set ``bench/extract_bench.py`` generates (PDF with tables, DOCX, XLSX, XLS, DOC, HTML,
  ``--scans`` scanned PDFs);
- ``farm``: every distinct document the benchmark farm (``farms.gold.farm``) serves for ``--farm`` portals
  (text PDFs, scans, RTF served as .doc, DOCX, XLSX, HTML served as .xls);
- ``sample``: every attachment of the sample province (including the corrupt and encrypted PDFs, the
  TCVN3 Word file, the scan) and a zip bomb;
- ``edge``: documents made here to reach the corners of the fast paths: spreadsheets with hyperlinks,
  merged cells, dates, numbers, formulas, empty and very long or wide sheets; multi-page PDFs with tables
  on some pages, decorative lines without a table, links in table cells; a zip holding a workbook.

Every result (text, tables, title, pages, errors, metadata — all but the ``elapsed_ms`` timing) must be
equal; the differences are listed. CPU per document (the process and its children, e.g. pdftotext and
tesseract) is measured for each side by type, in the same run. Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "9bb4fad"  # main before the extraction speed-ups (issue 8, document workers)
DOC_SUFFIXES = {"pdf", "doc", "docx", "xls", "xlsx", "rtf", "zip", "rar", "odt", "ods"}

# Run by each side with its own tree first on sys.path: one JSON line per document.
DUMP = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import crawler.extract as ex
assert Path(ex.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve()), ex.__file__
ex.extract(b"warm up", "x.txt")
def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for path in sorted(Path(sys.argv[2]).rglob("*")):
        if not path.is_file():
            continue
        body = path.read_bytes()
        before = cpu()
        result = ex.extract(body, path.name)
        used = cpu() - before
        result["meta"].pop("elapsed_ms", None)
        name = str(path.relative_to(sys.argv[2]))
        out.write(json.dumps({"name": name, "cpu": used, "result": result}, ensure_ascii=False, default=str) + "\n")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_mb": round(peak / 1024, 1)}))
"""


def _bench_set(folder: Path, count: int, scans: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import extract_bench

    extract_bench.generate(folder, count, scans)
    for path in folder.iterdir():  # the scans are named .pdf; give them their own type for the figures
        if path.suffix == ".pdf" and int(path.stem) >= count:
            path.rename(path.with_suffix(".scan"))


def _farm_set(folder: Path, n: int) -> None:
    from crawler.extract import sniff
    from farms.gold.farm import farm_portals

    portals, _ = farm_portals(n, 1)
    seen: set[str] = set()
    for portal in portals:
        for key, body in sorted(portal.files.items()):
            name = key.rsplit("/", 1)[-1]
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            digest = hashlib.sha256(body).hexdigest()
            if ext not in DOC_SUFFIXES or digest in seen:
                continue
            seen.add(digest)
            kind = sniff(body)
            if kind == "pdf" and b"/Subtype /Image" in body:
                kind = "scan"
            (folder / f"{len(seen):05d}.{kind}").write_bytes(body)


def _sample_set(folder: Path) -> None:
    from crawler.extract import sniff
    from tctt.sampleserver import zip_bomb

    portals = ROOT / "tctt" / "sample" / "portals"
    index = 0
    for path in sorted(portals.rglob("*")):
        if path.is_file() and path.suffix[1:].lower() in DOC_SUFFIXES:
            index += 1
            body = path.read_bytes()
            (folder / f"{index:03d}-{path.parent.parent.name}.{sniff(body)}").write_bytes(body)
    (folder / "zip-bomb.zip").write_bytes(zip_bomb())


def _edge_set(folder: Path) -> None:
    """Documents that exercise what the fast paths skip or bound (made with openpyxl, fpdf2, python-docx)."""
    import docx
    import openpyxl
    from fpdf import FPDF

    from tctt.sample.make_doc_portals import HEADER, ROWS
    from tctt.sample.make_documents import find_font

    def save_book(book: Any) -> bytes:
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()

    # A workbook with hyperlinks, a merged title, dates, numbers, a formula, an empty sheet, a sheet wider
    # than 40 columns, a sheet longer than 2,000 rows (hyperlinks there too), and gaps between rows.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Danh muc"
    sheet.append(["DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(HEADER)
    for i, row in enumerate(ROWS):
        sheet.append([int(row[0]), row[1], datetime.date(2025, 1, 8 + i), row[3], row[4]])
        sheet.cell(row=sheet.max_row, column=2).hyperlink = f"https://example.gov.test/van-ban/{i}.pdf"
    sheet.append([6, "Tổng dự toán", 1234.5, 1e3, "=SUM(A4:A8)"])
    sheet.cell(row=20, column=3, value="một ô lẻ sau các dòng trống")
    book.create_sheet("Trong")
    wide = book.create_sheet("Rong")
    for r in range(5):
        wide.append([f"c{r}-{c}" if (r + c) % 3 else None for c in range(60)])
    long = book.create_sheet("Dai")
    long.append(HEADER)
    for r in range(2100):
        long.append([r + 1, f"Văn bản số {r}/QĐ", f"{1 + r % 28:02d}/01/2025", "Trang TTĐT", "05 năm"])
        if r % 500 == 0:
            long.cell(row=r + 2, column=2).hyperlink = f"https://example.gov.test/vb/{r}"
    book.properties.creator = "Văn phòng"
    book.properties.title = "Danh mục"
    (folder / "book-links-merged-dates.xlsx").write_bytes(save_book(book))
    # Every row filled through row 2,000: the one shape where the old reader attached row links.
    full = openpyxl.Workbook()
    sheet = full.active
    sheet.append(HEADER)
    for r in range(2005):
        sheet.append([r + 1, f"Văn bản {r}", "08/01/2025", "Trang TTĐT", "05 năm"])
        if r % 250 == 0:
            sheet.cell(row=r + 2, column=2).hyperlink = f"https://example.gov.test/full/{r}"
    (folder / "book-2000-rows-links.xlsx").write_bytes(save_book(full))
    empty = openpyxl.Workbook()
    (folder / "book-empty.xlsx").write_bytes(save_book(empty))

    # PDFs: tables on pages 1 and 3, a page of text only, a page with rules but no table, a link in a cell.
    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    pdf.set_font("DejaVu", "", 9)
    widths = (12, 120, 25, 46, 70)

    def catalogue(rows: list[list[str]], link: bool) -> None:
        pdf.cell(0, 8, "DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI", align="C", new_x="LMARGIN", new_y="NEXT")
        for w, text in zip(widths, HEADER, strict=True):
            pdf.cell(w, 8, text, border=1)
        pdf.ln()
        for n, row in enumerate(rows):
            for c, (w, text) in enumerate(zip(widths, row, strict=True)):
                pdf.cell(w, 7, text, border=1, link=f"https://example.gov.test/p/{n}" if link and c == 1 else "")
            pdf.ln()

    pdf.add_page()
    catalogue(ROWS, link=True)
    pdf.add_page()
    for line in ("Điều 1. Phạm vi điều chỉnh.", "Điều 2. Đầu mối cung cấp thông tin: Văn phòng Sở.") * 10:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    catalogue(ROWS[::-1] * 3, link=False)
    pdf.add_page()
    pdf.cell(0, 6, "Ngày 07 tháng 01 năm 2025", new_x="LMARGIN", new_y="NEXT")
    pdf.line(10, 30, 200, 30)
    pdf.rect(20, 40, 50, 20)
    pdf.cell(0, 6, "Nơi nhận: như trên", new_x="LMARGIN", new_y="NEXT")
    (folder / "pdf-mixed-pages.pdf").write_bytes(bytes(pdf.output()))
    text_only = FPDF()
    text_only.add_font("DejaVu", "", str(find_font("DejaVuSans.ttf")))
    text_only.set_font("DejaVu", "", 11)
    for _ in range(3):
        text_only.add_page()
        for line in ("QUY CHẾ CUNG CẤP THÔNG TIN", "Văn phòng Sở là đơn vị đầu mối cung cấp thông tin.") * 20:
            text_only.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    (folder / "pdf-text-only.pdf").write_bytes(bytes(text_only.output()))

    document = docx.Document()
    document.add_paragraph("DANH MỤC THÔNG TIN PHẢI ĐƯỢC CÔNG KHAI")
    grid = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for r, row in enumerate([HEADER, *ROWS]):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    buf = io.BytesIO()
    document.save(buf)
    (folder / "docx-python-docx.docx").write_bytes(buf.getvalue())

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("danh-muc.xlsx", (folder / "book-links-merged-dates.xlsx").read_bytes())
        archive.writestr("quy-che.pdf", (folder / "pdf-text-only.pdf").read_bytes())
        archive.writestr("ghi-chu.txt", "Ghi chú: ngày 07/01/2025")
    (folder / "archive.zip").write_bytes(buf.getvalue())


def _export(ref: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref], capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def _dump(trees: dict[str, Path], corpus: Path, work: Path) -> dict[str, dict[str, Any]]:
    """Both sides at once, one process each, so that they share whatever else loads the machine."""
    running = {}
    for side, tree in trees.items():
        # The tree's own packages must win over the editable install of the working tree.
        env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
        running[side] = subprocess.Popen([sys.executable, "-c", DUMP, str(tree), str(corpus),
                                          str(work / f"{side}.jsonl")], stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True, env=env, cwd=tree)
    sides = {}
    for side, process in running.items():
        out, err = process.communicate()
        if process.returncode:
            raise SystemExit(f"extraction failed in {trees[side]}:\n{err[-3000:]}")
        sides[side] = json.loads(out.strip().splitlines()[-1])
        sides[side]["rows"] = _load(work / f"{side}.jsonl")
    return sides


def _diff(old: Any, new: Any, path: str = "") -> list[str]:
    """Where two JSON values differ, as short paths."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            if key not in old or key not in new:
                out.append(f"{path}.{key}: only in {'new' if key in new else 'old'}")
            else:
                out += _diff(old[key], new[key], f"{path}.{key}")
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new, strict=True)) for d in _diff(a, b, f"{path}[{i}]")]
    return [] if old == new else [f"{path}: {json.dumps(old, ensure_ascii=False)[:120]} → "
                                  f"{json.dumps(new, ensure_ascii=False)[:120]}"]


def _load(path: Path) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default=BEFORE, help="git revision of the old extractor (default: %(default)s)")
    parser.add_argument("--count", type=int, default=200, help="documents in the bench set")
    parser.add_argument("--scans", type=int, default=3, help="scanned PDFs added to the bench set")
    parser.add_argument("--farm", type=int, default=500, help="portals of the farm whose documents are read")
    parser.add_argument("--json", default="out/bench/extract-compare.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tctt-compare-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        for name in ("bench", "farm", "sample", "edge"):
            (corpus / name).mkdir(parents=True)
        _bench_set(corpus / "bench", args.count, args.scans)
        _farm_set(corpus / "farm", args.farm)
        _sample_set(corpus / "sample")
        _edge_set(corpus / "edge")
        old_tree = work / "old"
        _export(args.ref, old_tree)
        sides = _dump({"old": old_tree, "new": ROOT}, corpus, work)
    old, new = sides["old"]["rows"], sides["new"]["rows"]
    differences: dict[str, list[str]] = {}
    cpu: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"old": [], "new": []})
    for name in sorted(old):
        corpus_name = name.split("/", 1)[0]
        kind = name.rsplit(".", 1)[-1]
        for side, rows in (("old", old), ("new", new)):
            cpu[f"{corpus_name}/{kind}"][side].append(rows[name]["cpu"])
        found = _diff(old[name]["result"], new[name]["result"]) if name in new else ["missing in new"]
        if found:
            differences[name] = found
    by_type = {}
    for key, sides_cpu in sorted(cpu.items()):
        o, n = sum(sides_cpu["old"]), sum(sides_cpu["new"])
        by_type[key] = {"documents": len(sides_cpu["old"]), "old_ms_per_doc": round(1000 * o / len(sides_cpu["old"]), 2),
                        "new_ms_per_doc": round(1000 * n / len(sides_cpu["new"]), 2),
                        "speedup": round(o / n, 2) if n else None}
    totals = {}
    for corpus_name in ("bench", "farm", "sample", "edge"):
        keys = [k for k in cpu if k.startswith(corpus_name + "/")]
        o = sum(sum(cpu[k]["old"]) for k in keys)
        n = sum(sum(cpu[k]["new"]) for k in keys)
        totals[corpus_name] = {"documents": sum(len(cpu[k]["old"]) for k in keys), "old_cpu_s": round(o, 2),
                               "new_cpu_s": round(n, 2), "speedup": round(o / n, 2) if n else None}
    figures = {"ref": args.ref, "documents": len(old), "identical": len(old) - len(differences),
               "different": differences, "cpu_by_type": by_type, "cpu_by_set": totals,
               "peak_mb": {"old": sides["old"]["peak_mb"], "new": sides["new"]["peak_mb"]}}
    print(f"{'set/type':<16}{'docs':>6}{'old ms/doc':>12}{'new ms/doc':>12}{'speed-up':>10}")
    for key, row in by_type.items():
        print(f"{key:<16}{row['documents']:>6}{row['old_ms_per_doc']:>12}{row['new_ms_per_doc']:>12}"
              f"{row['speedup'] or '-':>10}")
    for key, row in totals.items():
        print(f"{key + ' (all)':<16}{row['documents']:>6}{row['old_cpu_s']:>11}s{row['new_cpu_s']:>11}s"
              f"{row['speedup'] or '-':>10}")
    print(f"peak RSS of the extracting process: old {figures['peak_mb']['old']} MB, new {figures['peak_mb']['new']} MB")
    print(f"identical results: {figures['identical']}/{len(old)}")
    for name, found in differences.items():
        print(f"  {name}: {'; '.join(found[:4])}{' …' if len(found) > 4 else ''}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"JSON: {args.json}")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
