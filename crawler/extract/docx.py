"""DOCX with python-docx: paragraphs and tables in document order; a table's heading is the
paragraph just before it."""

from __future__ import annotations

import io
from typing import Any

from core.vntext import squash
from crawler.extract import Limits, table


def read(body: bytes, limits: Limits) -> dict[str, Any]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(body))
    lines: list[str] = []
    tables: list[dict[str, Any]] = []
    last_paragraph = ""
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = squash(block.text)
            if text:
                lines.append(text)
                last_paragraph = text
        elif isinstance(block, Table):
            rows: list[list[str]] = []
            links: list[list[str]] = []
            for row in block.rows:
                cells = []
                row_links = []
                for cell in row.cells:
                    cells.append(squash(cell.text))
                    for paragraph in cell.paragraphs:
                        row_links += [h.address for h in paragraph.hyperlinks if h.address]
                rows.append(cells)
                links.append(row_links)
            for cells in rows:
                lines.append(" | ".join(c for c in cells if c))
            shaped = table(rows, heading=last_paragraph, row_links=links)
            if shaped is not None:
                tables.append(shaped)
    props = document.core_properties
    meta: dict[str, Any] = {"extractor": "python-docx"}
    if props.author:
        meta["author"] = props.author[:200]
    if props.created:
        meta["created"] = props.created.isoformat()
    meta["signed"] = False
    # Without docProps/core.xml python-docx invents a title ("Word Document"): only a real one counts.
    import zipfile

    has_core = "docProps/core.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    return {"text": "\n".join(lines), "tables": tables, "title": squash(props.title or "") if has_core else "",
            "meta": meta}
