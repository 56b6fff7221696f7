"""PDF: poppler's ``pdftotext`` for the text (fast), pypdf for structure and metadata, pdfplumber for
tables, and OCR for pages with no text layer (signed scans are the common case)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Any

from core.vntext import squash
from crawler.extract import DocumentRefused, Limits, table

_SIGNATURE = re.compile(rb"/Type\s*/Sig\b|/ByteRange\s*\[|/SigFlags\s+[123]")


def _pdftotext(body: bytes, pages: int, seconds: float) -> list[str] | None:
    """Per-page text from pdftotext, or None when it is not installed or fails."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    try:
        done = subprocess.run([binary, "-q", "-enc", "UTF-8", "-l", str(pages), "-", "-"], input=body,
                              capture_output=True, timeout=max(5.0, seconds), check=False)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").split("\f")[:pages]


def _pages_with_paths(body: bytes, pages: int) -> list[int] | None:
    """Indexes, among the first ``pages``, of the pages that draw any path (line, rectangle, curve) or that
    pdfium cannot judge, looked up with pdfium (C, no layout); None when pdfium cannot open the document,
    so that every page is searched.

    pdfplumber's table finder (the "lines" strategy we use) builds tables only from the edges of drawn
    lines, rectangles and curves, i.e. from path objects: a page without one cannot hold a table, and
    skipping it spares the pdfminer layout, most of a PDF's cost. Paths inside form XObjects count."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    def has_path(count: int, get: Any, holder: Any, depth: int) -> bool:
        if count < 0:
            return True  # pdfium could not count: search the page
        for index in range(count):
            obj = get(holder, index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                return True
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and (
                    depth >= 15 or has_path(pdfium_c.FPDFFormObj_CountObjects(obj), pdfium_c.FPDFFormObj_GetObject,
                                            obj, depth + 1)):
                return True  # too deep to be sure counts as a path: the page is searched
        return False

    try:
        document = pypdfium2.PdfDocument(body)
    except Exception:  # noqa: BLE001 - pdfium may refuse what pdfminer reads: search every page then
        return None
    try:
        found = []
        for index in range(min(len(document), pages)):
            page = document[index]
            try:
                if has_path(pdfium_c.FPDFPage_CountObjects(page.raw), pdfium_c.FPDFPage_GetObject, page.raw, 0):
                    found.append(index)
            finally:
                page.close()
        # Pages pdfium does not see (it counts fewer than pypdf did) cannot be judged: they are searched.
        return found + list(range(len(document), pages))
    except Exception:  # noqa: BLE001
        return None
    finally:
        document.close()


_PLAIN = frozenset({float, int, str, bool, bytes, type(None)})


def _fast_objects(page: Any) -> None:
    """Give ``page`` a faster ``process_object`` that returns the same dicts as pdfplumber's own.

    pdfplumber turns every pdfminer character into a dict by running ``resolve_all`` over each of its
    attributes and decoding its colour space name: ~70% of a table search on a text-heavy page. For
    characters, whose attributes are plain numbers, strings and tuples, the same dict is built directly
    (``resolve_all`` is the identity on plain values; decoded names are memoised); every other object
    goes through pdfplumber. tests/test_extract_fast.py checks the dicts are equal on real PDFs."""
    from pdfminer.layout import LTChar
    from pdfplumber import page as plumber_page

    original = page.process_object
    resolve_all = plumber_page.resolve_all
    resolve_and_decode = plumber_page.resolve_and_decode
    attrs = plumber_page.ALL_ATTRS
    norm = page.pdf.unicode_norm
    number = page.page_number
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doctop = page.initial_doctop
    decoded: dict[str, Any] = {}

    def process_object(obj: Any) -> dict[str, Any]:
        if obj.__class__ is not LTChar:
            return original(obj)
        attr = {k: (v if v.__class__ in _PLAIN or (v.__class__ is tuple and _PLAIN.issuperset(map(type, v)))
                    else resolve_all(v)) for k, v in obj.__dict__.items() if k in attrs}
        attr["object_type"] = "char"
        attr["page_number"] = number
        for cs in ("ncs", "scs"):
            if hasattr(obj, cs):
                name = getattr(obj, cs).name
                if name.__class__ is str:
                    if name not in decoded:
                        decoded[name] = resolve_and_decode(name)
                    attr[cs] = decoded[name]
                else:
                    attr[cs] = resolve_and_decode(name)
        text = obj.get_text()
        attr["text"] = plumber_page.normalize_unicode(norm, text) if norm is not None else text
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):
            attr["fontname"] = plumber_page.fix_fontname_bytes(attr["fontname"])
        if "y0" in attr:
            attr["top"] = (height - attr["y1"]) + mb_top
            attr["bottom"] = (height - attr["y0"]) + mb_top
            attr["doctop"] = doctop + attr["top"]
        if "x0" in attr and mb_x0 != 0:
            attr["x0"] = attr["x0"] + mb_x0
            attr["x1"] = attr["x1"] + mb_x0
        return attr

    page.process_object = process_object


def _in(char: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    """pdfplumber's own test (Table.extract's char_in_bbox): the character's centre, half-open box."""
    v_mid = (char["top"] + char["bottom"]) / 2
    h_mid = (char["x0"] + char["x1"]) / 2
    x0, top, x1, bottom = bbox
    return x0 <= h_mid < x1 and top <= v_mid < bottom


def _extract(found_table: Any, chars: list[dict[str, Any]]) -> list[list[str | None]]:
    """``found_table.extract()`` — the same cells, texts and order — without testing every character of
    the page against every row: characters are sorted once by their vertical centre and each row takes
    the band of them its box can hold (bisect), then pdfplumber's own test in page order."""
    from bisect import bisect_left

    from pdfplumber import utils

    keyed = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
    mids = [mid for mid, _ in keyed]
    rows: list[list[str | None]] = []
    for row in found_table.rows:
        box = row.bbox
        band = sorted(i for _, i in keyed[bisect_left(mids, box[1]):bisect_left(mids, box[3])])
        row_chars = [chars[i] for i in band if _in(chars[i], box)]
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            cell_chars = [c for c in row_chars if _in(c, cell)]
            cells.append(utils.extract_text(cell_chars) if cell_chars else "")
        rows.append(cells)
    return rows


def _shapes(page: Any) -> Any:
    """A stand-in for ``page`` holding only its drawn shapes (no characters), enough for pdfplumber's
    table finder: with the "lines" strategy it reads nothing but ``page.edges``. Characters are most of
    a page's objects; they are converted only when a table was found."""
    from pdfminer.layout import LTChar, LTContainer
    from pdfplumber.container import Container

    assert page.pdf.laparams is None  # else pdfplumber would also list the containers themselves

    def flatten(objs: list[Any]) -> Any:  # pdfplumber's Page.iter_layout_objects, without laparams
        for obj in objs:
            if isinstance(obj, LTContainer):
                yield from flatten(obj._objs)
            else:
                yield obj

    objects: dict[str, list[dict[str, Any]]] = {}
    for obj in flatten(page.layout._objs):
        if obj.__class__ is LTChar:  # pdfplumber's "char" kind is exactly this class
            continue
        shaped = page.process_object(obj)
        if shaped["object_type"] != "anno":
            objects.setdefault(shaped["object_type"], []).append(shaped)

    class Shapes(Container):
        bbox = page.bbox

        @property
        def objects(self) -> dict[str, list[dict[str, Any]]]:
            return objects

    return Shapes()


def _tables(body: bytes, pages: int) -> list[dict[str, Any]]:
    import pdfplumber
    from pdfplumber.table import TableFinder, TableSettings

    searched = _pages_with_paths(body, pages)
    if searched == []:
        return []  # no page draws a line: pdfplumber would find no table (see _pages_with_paths)
    settings = TableSettings.resolve(None)  # what page.find_tables() uses
    found: list[dict[str, Any]] = []
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        for index, page in enumerate(pdf.pages[:pages]):
            if searched is not None and index not in searched:
                continue
            tables = TableFinder(_shapes(page), settings).tables
            if not tables:
                continue
            _fast_objects(page)
            links = [(link.get("top", 0), link.get("bottom", 0), link.get("uri")) for link in page.hyperlinks
                     if link.get("uri")]
            for found_table in tables:
                rows = _extract(found_table, page.chars)
                top = found_table.bbox[1]
                heading = ""
                if top > 5:
                    above = page.crop((0, max(0, top - 60), page.width, top)).extract_text() or ""
                    lines = [squash(line) for line in above.splitlines() if squash(line)]
                    heading = lines[-1] if lines else ""
                row_links = []
                for row in found_table.rows:
                    y0, y1 = row.bbox[1], row.bbox[3]
                    row_links.append([uri for t, b, uri in links if t >= y0 - 1 and b <= y1 + 1])
                shaped = table([[c or "" for c in r] for r in rows], heading=heading,
                               row_links=row_links if len(row_links) == len(rows) else None)
                if shaped is not None:
                    found.append(shaped)
    return found


def read(body: bytes, limits: Limits) -> dict[str, Any]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    meta: dict[str, Any] = {"signed": bool(_SIGNATURE.search(body))}
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - unknown crypto is as unreadable as a password
                raise DocumentRefused(f"encrypted: the PDF cannot be decrypted ({type(exc).__name__})") from exc
            if not ok:
                raise DocumentRefused("encrypted: the PDF is password-protected")
            meta["encrypted"] = "owner password only (readable)"
        pages = len(reader.pages)
        info = reader.metadata or {}
        title = squash(str(info.get("/Title") or ""))
        for key, name in (("/Author", "author"), ("/CreationDate", "created"), ("/ModDate", "modified"),
                          ("/Producer", "producer")):
            if info.get(key):
                meta[name] = squash(str(info.get(key)))[:200]
        texts = _pdftotext(body, min(pages, limits.max_pages), limits.seconds)
        meta["extractor"] = "pdftotext" if texts is not None else "pypdf"
        if texts is None:
            texts = [page.extract_text() or "" for page in reader.pages[:limits.max_pages]]
    except DocumentRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError) as exc:
        raise DocumentRefused(f"corrupt: {type(exc).__name__}: {exc}"[:300]) from exc
    empty = [i for i, text in enumerate(texts) if len(squash(text)) < 5]
    result: dict[str, Any] = {"pages": pages, "title": title, "meta": meta}
    if texts and len(empty) == len(texts):
        # No text layer at all: a scan. Not machine-readable whatever OCR makes of it.
        result["scanned"] = True
        meta["text_layer"] = False
        from crawler.extract import ocr

        ocr_text, ocr_meta = ocr.pdf_pages(body, limits)
        meta["ocr"] = ocr_meta
        result["text"] = ocr_text
        if not ocr_text:
            result["error"] = "no text layer: scanned image (not machine-readable)"
        return result
    if empty:
        meta["pages_without_text"] = [i + 1 for i in empty][:50]
    result["text"] = "\n".join(squash_lines(t) for t in texts)
    try:
        result["tables"] = _tables(body, min(pages, limits.table_pages))
        meta["extractor"] += "+pdfplumber"
    except Exception as exc:  # noqa: BLE001 - tables are a bonus; the text stands on its own
        meta["tables_error"] = f"{type(exc).__name__}: {exc}"[:200]
    return result


def squash_lines(text: str) -> str:
    return "\n".join(line for line in (squash(x) for x in text.splitlines()) if line)
