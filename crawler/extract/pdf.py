"""PDF: pdfium for the text (in process, C), laid out as poppler's ``pdftotext`` lays it; pypdf for structure
and metadata, pdfplumber for tables, and OCR for pages with no text layer (signed scans are the common
case). ``pdftotext`` itself reads what pdfium cannot open or lay out (text drawn over text), pypdf what
neither reads.

pdfium first because a PDF read by ``pdftotext`` costs a program start (~4 ms of CPU before the first
byte, most of the ~6 ms a one-page document takes), paid for each of the thousands of PDFs an audit reads;
pdfium reads the same page in ~1.3 ms in the worker already running. On the 1,600 PDFs of the benchmark
farm, the sample province and the extraction benchmark, the text is pdftotext's, line for line
(tests/test_extract_fast.py checks it on the hard cases)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Any

from core.vntext import squash
from crawler.extract import DocumentRefused, Limits, table

_SIGNATURE = re.compile(rb"/Type\s*/Sig\b|/ByteRange\s*\[|/SigFlags\s+[123]")

# Marks pdfium puts in its text (soft hyphens, NULs); line breaks inside a run are spaces
_PDFIUM_NOISE = str.maketrans({"\x02": None, "\ufffe": None, "\x00": None, "\r": " ", "\n": " "})


def _same_line(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two text boxes (left, bottom, right, top) share most of their height: one line."""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _run_start(textpage: Any, box: tuple[float, float, float, float], after: int) -> int | None:
    """Index of the first character of the run drawn in ``box``, which comes after character ``after``.

    pdfium finds a character by its tight box, which a glyph missing from its font has flat: the run is
    probed further right, then followed back over characters whose loose box still lies in the run's."""
    middle, height = (box[1] + box[3]) / 2, box[3] - box[1]
    found = None
    for dx in (0.1, 0.5 * height, height, 2 * height):
        if box[0] + dx > box[2]:
            break  # a run narrower than the probe: nothing found, another reader is used
        found = textpage.get_index(box[0] + dx, middle, 0.5, 0.5)
        if found is not None and found >= 0:
            break
    if found is None or found < 0 or found <= after:
        return None
    while found - 1 > after:
        left, bottom, _, top = textpage.get_charbox(found - 1, loose=True)
        if left < box[0] - 0.5 or top < box[1] or bottom > box[3]:
            break
        found -= 1
    return found


def _page_lines(textpage: Any, page_box: tuple[float, float, float, float]) -> str | None:
    """A page's text as pdftotext lays it out: one line per run of text, a run ending where the next text
    starts on another line or after a gap wider than 1.2 times the line's height (a table
    cell, a column), text outside the page left out; None when pdfium's runs cannot be matched to its
    text (text drawn over text, characters it cannot place), so another reader is used.

    pdfium's own line breaks join the cells of a table row, and the two columns of a decision's heading,
    into one line; a run per text object would split a line wherever the font changes. A run's text is
    the page's text from the character its box starts at to the next run's first character: the text
    inside a box would also take characters of a neighbour that overflows into it."""
    whole = textpage.get_text_range()
    if len(whole) != textpage.count_chars():
        return None  # character indexes and text offsets would not match
    boxes: list[tuple[float, float, float, float]] = []
    starts: list[int] = []
    for index in range(textpage.count_rects()):
        box = textpage.get_rect(index)
        start = _run_start(textpage, box, starts[-1] if starts else -1)
        if start is None:
            return None
        boxes.append(box)
        starts.append(start)
    if not boxes:
        return "" if not whole.strip() else None
    starts[0] = 0
    left_edge, right_edge = page_box[0] - 1, page_box[2] + 1
    lines: list[str] = []
    line = ""
    last: tuple[float, float, float, float] | None = None
    for box, start, end in zip(boxes, starts, [*starts[1:], len(whole)], strict=True):
        if box[0] < left_edge or box[2] > right_edge:  # partly off the page: what the page shows of it
            edge = 0.3 * (box[3] - box[1])  # pdftotext keeps a character whose middle is on the page
            box = (max(box[0], page_box[0] - edge), box[1], min(box[2], page_box[2] + edge), box[3])
            text = textpage.get_text_bounded(*box).translate(_PDFIUM_NOISE) if box[0] < box[2] else ""
        else:
            text = whole[start:end].translate(_PDFIUM_NOISE)
        if last is not None and _same_line(last, box):
            gap = box[0] - last[2]
            height = max(last[3] - last[1], box[3] - box[1])
            if gap < -0.1 * height:
                return None  # text drawn over other text (an overflowing cell): pdfium's runs mislead
            if gap <= 1.2 * height:
                spaced = gap > 0.15 * height and not line[-1:].isspace() and not text[:1].isspace()
                line += (" " if spaced else "") + text
                last = (min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3]))
                continue
        if line.strip():
            lines.append(line)
        line, last = text, box
    if line.strip():
        lines.append(line)
    return "\n".join(lines)


def _pdfium_text(body: bytes, pages: int) -> list[str] | None:
    """Per-page text from pdfium (see ``_page_lines``), or None when pdfium cannot open the document or
    lay out one of its pages, so that another reader tries."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(body)
    except Exception:  # noqa: BLE001 - pdfium refuses some files pdftotext or pypdf still read
        return None
    texts: list[str] = []
    try:
        for index in range(min(len(document), pages)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = _page_lines(textpage, page.get_bbox())
                finally:
                    textpage.close()
            finally:
                page.close()
            if text is None:
                return None
            texts.append(text)
    except Exception:  # noqa: BLE001
        return None
    finally:
        document.close()
    return texts


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
        texts = _pdfium_text(body, min(pages, limits.max_pages))
        meta["extractor"] = "pdfium"
        if texts is None:
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
