"""Review a proposed registry against the one in use: what a re-discovery adds, drops or changes, and the
merge of the rows an inspector accepts.

Rows are paired by id (the official unit code where there is one, so a commune that moved to a new address
keeps its id and its history), then, for rows whose id changed, by address. The inspector decides per row
with ``--accept``/``--reject`` or in a ``decision`` column of the proposal opened in Excel; what is
decided neither way stays as it was and is reported as pending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.registry import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from core.tables import TableError, read_table
from crawler.subportals import portal_key

COMPARED = ("name", "level", "parent", "province", "url", "unit_code", "link_status")
ACCEPT_WORDS = {"accept", "accepted", "yes", "y", "x", "ok", "nhan", "nhận", "đồng ý", "dong y", "chấp nhận",
                "chap nhan", "có", "co"}
REJECT_WORDS = {"reject", "rejected", "no", "n", "bỏ", "bo", "không", "khong", "từ chối", "tu choi", "loại", "loai"}


class ReviewError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Change:
    id: str
    kind: str                      # added | removed | changed
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    old_id: str = ""               # set when the pair was made by address, the id having changed

    def as_dict(self) -> dict[str, Any]:
        row = self.new or self.old or {}
        return {"id": self.id, "kind": self.kind, "name": row.get("name", ""), "old_id": self.old_id or None,
                "fields": {k: {"old": a, "new": b} for k, a, b in ((k, *v) for k, v in self.fields.items())},
                "confidence": (self.new or {}).get("confidence") or None,
                "link_status": (self.new or {}).get("link_status") or None,
                "evidence": (self.new or {}).get("evidence") or None}


def read_rows(path: str | Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of a registry or a proposal (CSV in any Excel form, XLSX)."""
    try:
        table = read_table(path)
    except TableError as exc:
        raise ReviewError([f"{path}:{exc.line}: {exc}"]) from exc
    if not Path(path).exists():
        raise ReviewError([f"{path}:0: không tìm thấy tệp / file not found"])
    missing = [c for c in ("id", "name", "url") if c not in table.columns]
    if missing:
        raise ReviewError([f"{path}:1: thiếu cột / missing column(s): {', '.join(missing)}"])
    rows = []
    for line, row in table.rows:
        row = {k: v for k, v in row.items() if not k.startswith("__")}
        row["__line__"] = line
        rows.append(row)
    return table.columns, rows


def diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    old_by_id = {r["id"]: r for r in old if r.get("id")}
    new_by_id = {r["id"]: r for r in new if r.get("id")}
    changes: list[Change] = []
    unpaired_new = [r for r in new if r.get("id") and r["id"] not in old_by_id]
    unpaired_old = {portal_key(r["url"]): r for r in old if r.get("id") and r["id"] not in new_by_id and r.get("url")}
    for row in new:
        rid = row.get("id")
        if not rid:
            continue
        if rid in old_by_id:
            fields = _fields(old_by_id[rid], row)
            if fields:
                changes.append(Change(rid, "changed", old_by_id[rid], row, fields))
    for row in unpaired_new:
        before = unpaired_old.pop(portal_key(row["url"]), None) if row.get("url") else None
        if before is not None:
            fields = _fields(before, row)
            fields["id"] = (before["id"], row["id"])
            changes.append(Change(row["id"], "changed", before, row, fields, old_id=before["id"]))
        else:
            changes.append(Change(row["id"], "added", None, row))
    for row in old:
        if row.get("id") and row["id"] not in new_by_id and row in unpaired_old.values():
            changes.append(Change(row["id"], "removed", row, None))
    order = {"changed": 0, "added": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.kind], c.id))


def _fields(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[str, str]]:
    out = {}
    for column in COMPARED:
        if column not in new or column not in old:
            continue
        a, b = (old.get(column) or "").strip(), (new.get(column) or "").strip()
        if column == "url" and a and b and portal_key(a) == portal_key(b):
            continue
        if a != b:
            out[column] = (a, b)
    return out


def _decision(row: dict[str, Any] | None) -> str | None:
    word = ((row or {}).get("decision") or (row or {}).get("quyet_dinh") or "").strip().lower()
    if word in ACCEPT_WORDS:
        return "accept"
    if word in REJECT_WORDS:
        return "reject"
    return None


@dataclass
class Merged:
    columns: list[str]
    rows: list[dict[str, Any]]
    applied: list[Change]
    rejected: list[Change]
    pending: list[Change]


def merge(base_columns: list[str], base: list[dict[str, Any]], proposed: list[dict[str, Any]], *,
          accept: set[str] | None = None, reject: set[str] | None = None, accept_all: bool = False,
          min_confidence: float | None = None) -> Merged:
    """The base registry with the accepted changes applied. E-mail, section_url and any column the office
    added are kept from the base: discovery does not know them."""
    accept, reject = accept or set(), reject or set()
    changes = diff(base, proposed)
    applied, rejected, pending = [], [], []
    for change in changes:
        decision = ("reject" if change.id in reject or change.old_id in reject else
                    "accept" if change.id in accept or change.old_id in accept else _decision(change.new)
                    or ("accept" if accept_all else None))
        if decision == "accept" and min_confidence is not None and change.new is not None:
            try:
                if float(change.new.get("confidence") or 1) < min_confidence:
                    decision = None
            except ValueError:
                pass
        (applied if decision == "accept" else rejected if decision == "reject" else pending).append(change)
    rows = [dict(r) for r in base]
    index = {r["id"]: i for i, r in enumerate(rows)}
    removed: set[str] = set()
    for change in applied:
        if change.kind == "removed":
            removed.add(change.id)
        elif change.kind == "changed":
            row = rows[index[change.old_id or change.id]]
            for column, (_, value) in change.fields.items():
                row[column] = value
        else:
            assert change.new is not None
            rows.append({c: change.new.get(c, "") for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)})
    rows = [r for r in rows if r["id"] not in removed]
    # An accepted new id (a body now matched to its official code) takes its children along.
    renamed = {c.fields["id"][0]: c.fields["id"][1] for c in applied if "id" in c.fields}
    for row in rows:
        row["parent"] = renamed.get(row.get("parent", ""), row.get("parent", ""))
    columns = list(dict.fromkeys([*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS,
                                  *(c for c in base_columns if c and not c.startswith("__"))]))
    for row in rows:
        row.pop("__line__", None)
    return Merged(columns, rows, applied, rejected, pending)
