"""Legacy Word (.doc) with antiword (catdoc as the fallback), and RTF (often served as .doc) with striprtf.

antiword draws tables as lines of cells between '|' characters: those lines become a table again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Any

from core.vntext import squash
from crawler.extract import DocumentRefused, Limits, table


def _run(command: list[str], seconds: float) -> tuple[int, str, str]:
    done = subprocess.run(command, capture_output=True, timeout=seconds, check=False)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def _olefile_meta(body: bytes) -> dict[str, Any]:
    import olefile

    meta: dict[str, Any] = {}
    try:
        ole = olefile.OleFileIO(body)
    except OSError:
        return meta
    try:
        props = ole.get_metadata()
        for key in ("title", "author", "create_time", "last_saved_time"):
            value = getattr(props, key, None)
            if value and not str(value).startswith("1601"):  # 1601 is the zero of OLE timestamps
                meta[key] = value.decode("cp1252", "replace") if isinstance(value, bytes) else str(value)
        meta["signed"] = ole.exists("_signatures") or ole.exists("\x05DigitalSignature")
        word = ole.openstream("WordDocument").read(12) if ole.exists("WordDocument") else b""
        if len(word) >= 12 and word[11] & 0x01:  # FIB fEncrypted
            meta["encrypted"] = True
    finally:
        ole.close()
    return meta


def _split_tables(text: str) -> tuple[list[str], list[dict[str, Any]]]:
    lines: list[str] = []
    tables: list[dict[str, Any]] = []
    block: list[list[str]] = []
    heading = ""

    def close() -> None:
        nonlocal block
        if block:
            shaped = table(block, heading=heading)
            if shaped is not None:
                tables.append(shaped)
        block = []

    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            cells = [squash(c) for c in stripped.strip("|").split("|")]
            if block and len(cells) == len(block[-1]) and not cells[0] and any(cells[1:]):
                # antiword wraps long cells onto a continuation line with an empty first cell
                block[-1] = [squash(f"{a} {b}") for a, b in zip(block[-1], cells, strict=True)]
            else:
                block.append(cells)
            lines.append(" | ".join(c for c in cells if c))
            continue
        close()
        line = squash(raw)
        if line:
            lines.append(line)
            heading = line
    close()
    return lines, tables


def read(body: bytes, limits: Limits) -> dict[str, Any]:
    meta = _olefile_meta(body)
    title = meta.pop("title", "")
    if meta.get("encrypted"):
        raise DocumentRefused("encrypted: the Word document is password-protected")
    with tempfile.NamedTemporaryFile(suffix=".doc", delete=False) as handle:
        handle.write(body)
        path = handle.name
    try:
        output = None
        if shutil.which("antiword"):
            code, out, err = _run(["antiword", "-m", "UTF-8.txt", "-w", "0", path], limits.seconds)
            if code == 0 and out.strip():
                output, meta["extractor"] = out, "antiword"
            elif "encrypt" in err.lower():
                raise DocumentRefused("encrypted: the Word document is password-protected")
        if output is None and shutil.which("catdoc"):
            code, out, _ = _run(["catdoc", "-d", "utf-8", "-w", path], limits.seconds)
            if code == 0 and out.strip():
                output, meta["extractor"] = out, "catdoc"
        if output is None:
            if not (shutil.which("antiword") or shutil.which("catdoc")):
                raise DocumentRefused("unsupported: neither antiword nor catdoc is installed to read .doc files")
            raise DocumentRefused("corrupt: antiword and catdoc could not read this Word file")
    finally:
        os.unlink(path)
    lines, tables = _split_tables(output)
    return {"text": "\n".join(lines), "tables": tables, "title": squash(title), "meta": meta}


def read_rtf(body: bytes, limits: Limits) -> dict[str, Any]:
    from striprtf.striprtf import rtf_to_text

    # RTF is 7-bit; 8-bit escapes (\'xx) follow the declared code page, which striprtf handles.
    text = rtf_to_text(body.decode("latin-1"), errors="ignore")
    lines, tables = _split_tables(text)
    return {"text": "\n".join(lines), "tables": tables, "meta": {"extractor": "striprtf"}}
