"""OCR of scanned pages with the ``tesseract`` command (Debian: tesseract-ocr, tesseract-ocr-vie).

Pages are rendered with pypdfium2 (a dependency of pdfplumber). Where tesseract or its Vietnamese model
is missing, the evidence says so and the document stays "not machine-readable" without OCR text.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from typing import Any

from core.vntext import squash
from crawler.extract import Limits

DPI = 200
# One thread per tesseract: its OpenMP threads spin-wait, which cost ~4x the CPU for the same text on
# this 2-core machine, where the workers and the crawler already keep the cores busy. Same output.
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


@functools.cache
def available(lang: str) -> str | None:
    """None when OCR can run, else the reason it cannot (said once per worker)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return "tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
    try:
        langs = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"tesseract does not run: {exc}"
    if lang not in langs.split():
        return f"the tesseract '{lang}' model is not installed (apt-get install tesseract-ocr-{lang})"
    return None


def image(data: bytes, lang: str, seconds: float) -> tuple[str, float | None]:
    """(text, mean word confidence 0–100) of one image (any format leptonica reads: PNM, PNG, TIFF…)."""
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", lang, "--psm", "3", "tsv"], input=data,
                          capture_output=True, timeout=seconds, check=False, env=_ENV)
    rows = csv.DictReader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences = []
    for row in rows:
        word = (row.get("text") or "").strip()
        if not word or row.get("conf") in (None, "-1"):
            continue
        lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(word)
        confidences.append(float(row["conf"]))
    text = "\n".join(squash(" ".join(words)) for words in lines.values())
    return text, (round(sum(confidences) / len(confidences), 1) if confidences else None)


def encode(picture: Any) -> bytes:
    """A rendered page as tesseract takes it best: PNG at zlib level 1. The same pixels as the default
    level 6 at half the encoding time; uncompressed PGM or TIFF (4 MB a page) cost tesseract more to read
    from its stdin than they save (measured: 490 ms vs 495 ms PNG-6 vs 516–572 ms a page)."""
    buf = io.BytesIO()
    picture.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def pdf_pages(body: bytes, limits: Limits) -> tuple[str, dict[str, Any]]:
    """OCR the first pages of a PDF: (text, evidence about the OCR)."""
    if not limits.ocr:
        return "", {"done": False, "reason": "OCR is turned off (TCTT_DOC_OCR)"}
    missing = available(limits.ocr_lang)
    if missing:
        return "", {"done": False, "reason": missing}
    import pypdfium2

    pdf = pypdfium2.PdfDocument(body)
    texts, confidences = [], []
    try:
        count = min(len(pdf), limits.ocr_pages)
        for index in range(count):
            bitmap = pdf[index].render(scale=DPI / 72, grayscale=True)
            text, confidence = image(encode(bitmap.to_pil()), limits.ocr_lang, max(10.0, limits.seconds / 2))
            texts.append(text)
            if confidence is not None:
                confidences.append(confidence)
    finally:
        pdf.close()
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return "\n".join(texts), {"done": True, "engine": "tesseract", "lang": limits.ocr_lang, "pages": count,
                              "confidence": mean}


# Images read by OCR are banners and small pictures, not posters: anything larger is left unread.
IMAGE_MAX_PIXELS = 2_500_000
IMAGE_MAX_SIDE = 4000
_MIN_TEXT_HEIGHT = 120  # banners are often ~60 px high: enlarged, tesseract reads their letters


def read_image(body: bytes, limits: Limits) -> dict[str, Any]:
    """The text of a small image (a banner whose only words are in the picture), by OCR."""
    from PIL import Image, UnidentifiedImageError

    if not limits.ocr:
        return {"error": "image not read: OCR is turned off (TCTT_DOC_OCR)", "scanned": True}
    missing = available(limits.ocr_lang)
    if missing:
        return {"error": f"image not read: {missing}", "scanned": True}
    try:
        picture = Image.open(io.BytesIO(body))
        width, height = picture.size
        if width * height > IMAGE_MAX_PIXELS or max(width, height) > IMAGE_MAX_SIDE:
            return {"error": f"image not read: {width}x{height} pixels is larger than a banner", "scanned": True}
        picture = picture.convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        return {"error": f"image not read: {type(exc).__name__}", "scanned": True}
    if height < _MIN_TEXT_HEIGHT:
        scale = max(2, round(_MIN_TEXT_HEIGHT * 2 / max(height, 1)))
        picture = picture.resize((width * scale, height * scale), Image.Resampling.LANCZOS)
    text, confidence = image(encode(picture), limits.ocr_lang, max(10.0, limits.seconds / 2))
    return {"text": text, "scanned": True, "pages": 1,
            "meta": {"ocr": {"done": True, "engine": "tesseract", "lang": limits.ocr_lang, "confidence": confidence,
                             "size": [width, height]}}}
