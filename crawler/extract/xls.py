"""Legacy XLS (BIFF) with xlrd: every sheet becomes a table."""

from __future__ import annotations

from typing import Any

from crawler.extract import DocumentRefused, Limits, table

MAX_ROWS = 2000
MAX_COLUMNS = 40


def read(body: bytes, limits: Limits) -> dict[str, Any]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=body, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        message = str(exc)
        if "encrypt" in message.lower() or "password" in message.lower():
            raise DocumentRefused("encrypted: the workbook is password-protected") from exc
        raise DocumentRefused(f"corrupt: {message}"[:300]) from exc
    tables: list[dict[str, Any]] = []
    lines: list[str] = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        rows: list[list[str]] = []
        links: list[list[str]] = []
        for r in range(min(sheet.nrows, MAX_ROWS)):
            cells = []
            for c in range(min(sheet.ncols, MAX_COLUMNS)):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    y, m, d, *_ = xlrd.xldate_as_tuple(cell.value, book.datemode)
                    cells.append(f"{d:02d}/{m:02d}/{y}")
                elif cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
                    cells.append(str(int(cell.value)))
                else:
                    cells.append(str(cell.value))
            rows.append(cells)
            links.append([link.url_or_path for (row, _col), link in sheet.hyperlink_map.items()
                          if row == r and getattr(link, "url_or_path", None)])
        for cells in rows:
            if any(cells):
                lines.append(" | ".join(c for c in cells if c))
        shaped = table(rows, row_links=links)
        if shaped is not None:
            if not shaped["caption"]:
                shaped["caption"] = sheet.name
            tables.append(shaped)
        book.unload_sheet(index)
    return {"text": "\n".join(lines), "tables": tables, "pages": book.nsheets,
            "meta": {"extractor": "xlrd", "sheets": book.nsheets, "codepage": book.encoding}}
