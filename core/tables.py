"""Tables as offices keep them: CSV in any of the forms Excel saves on Vietnamese Windows, or a workbook.

- CSV "UTF-8" (with or without a BOM), "CSV (comma delimited)" in the Windows code page 1258 with the
  list separator of the Vietnamese regional settings (';'), and "Unicode Text" (UTF-16 with a BOM,
  tab-separated). The separator is the one of ',', ';', tab that the header row uses most.
- XLSX (and legacy XLS): the first sheet; the header is its first non-empty row.

Every cell comes back NFC-normalised and stripped (windows-1258 stores tone marks as combining
characters), with the line (CSV) or row number (workbook) an inspector finds it on.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.vntext import nfc

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


class TableError(Exception):
    """The file cannot be read as a table; ``line`` is where (0: the file as a whole)."""

    def __init__(self, message: str, line: int = 0):
        self.line = line
        super().__init__(message)


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed into Excel comes back as 26734.0
    return nfc(str(value)).strip()


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): a BOM decides; else UTF-8 if it decodes; else windows-1258."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise TableError(f"không giải mã được tệp {encoding} / cannot decode the file as {encoding}: {exc}") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace"), "windows-1258"


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_text(text: str) -> Table:
    text = text.lstrip("\ufeff")
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(header)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: list[str] | None = None
    table = Table(columns=[], delimiter=delimiter)
    end = 0
    for record in reader:
        start, end = end + 1, reader.line_num  # a record may span lines (a cell with Alt+Enter): name its first
        if not any(cell.strip() for cell in record):
            continue
        if columns is None:
            columns = [_cell(c).lower() for c in record]
            table.columns = columns
            continue
        table.rows.append((start, _row(columns, [_cell(c) for c in record])))
    return table


def _row(columns: list[str], cells: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, value in zip(columns, cells, strict=False):
        if name:
            row[name] = value
    extra = [c for c in cells[len(columns):] if c]
    if extra:
        row["__extra__"] = extra
    return row


def read_workbook(path: Path) -> Table:
    """The first sheet of an XLSX/XLS workbook; the header is its first non-empty row."""
    try:
        if path.suffix.lower() == ".xls":
            import xlrd

            sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
            records = ((i + 1, sheet.row_values(i)) for i in range(sheet.nrows))
        else:
            from openpyxl import load_workbook

            book = load_workbook(str(path), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            records = ((i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1))
    except Exception as exc:  # noqa: BLE001 - openpyxl/xlrd raise many kinds on a damaged file
        raise TableError(f"không mở được bảng tính / cannot open the workbook: {type(exc).__name__}: {exc}") from exc
    table = Table(columns=[], encoding="xlsx")
    columns: list[str] | None = None
    for number, values in records:
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        if columns is None:
            columns = [c.lower() for c in cells]
            while columns and not columns[-1]:
                columns.pop()
            table.columns = columns
            continue
        table.rows.append((number, _row(columns, cells)))
    return table


def read_table(path: str | Path) -> Table:
    path = Path(path)
    try:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            return read_workbook(path)
        text, encoding = decode(path.read_bytes())
    except OSError as exc:
        raise TableError(f"không đọc được tệp / cannot read file: {exc}") from exc
    try:
        table = read_csv_text(text)
    except csv.Error as exc:
        raise TableError(f"CSV không hợp lệ / invalid CSV: {exc}") from exc
    table.encoding = encoding
    return table


def write_table(path: str | Path, columns: list[str], rows: list[dict[str, Any]]) -> Path:
    """CSV (UTF-8 with a BOM, so Excel shows the diacritics) or, for a .xlsx name, a workbook."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(columns)
        for row in rows:
            sheet.append([_safe(row.get(c, "")) for c in columns])
        book.save(str(path))
        return path
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_safe(row.get(c, "")) for c in columns])
    return path


def _safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula (a portal's title may start with '=')."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text
