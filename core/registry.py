"""The agency registry: CSV, XLSX or YAML, one agency per row, validated as a whole before anything is used.

Columns: id, name, level, parent, province, url, email, and optionally section_url and unit_code (the
official code of the administrative unit whose People's Committee the agency is). A single bad row
refuses the whole file (nothing is half-imported); every problem is reported with file and line.

Registries come as offices keep them (see ``core.tables``): CSV saved by Excel on Vietnamese Windows
(';' separators, windows-1258 or UTF-16 with a BOM), the first sheet of an XLSX workbook, several
e-mail addresses in one cell. ``parent`` must name an agency of the same registry.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from core import emails
from core.addresses import effective

REQUIRED_COLUMNS = ("id", "name", "level", "parent", "province", "url", "email")
OPTIONAL_COLUMNS = ("section_url", "unit_code")
LEVELS = ("ministry", "province", "department", "commune", "other")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_EMAIL_SEPARATORS = re.compile(r"[,;\s]+")  # one cell may hold several addresses (Excel: Alt+Enter too)


class RegistryError(Exception):
    """The registry is refused. ``problems`` holds 'file:line: reason' strings (Vietnamese / English)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    level: str
    parent: str
    province: str
    url: str
    email: str
    section_url: str
    line: int
    unit_code: str = ""

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local, reserved or unspecified IP literals and 'localhost'."""
    host = (host or "").strip("[]").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        address = effective(ipaddress.ip_address(host))  # NAT64, 6to4…: the IPv4 address they carry
    except ValueError:
        return False
    return not address.is_global


def _check_url(value: str, column: str, *, allow_private: bool) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return f"cột {column}: địa chỉ phải bắt đầu bằng http:// hoặc https:// / {column} must be an http(s) URL: {value!r}"
    if not parts.hostname:
        return f"cột {column}: thiếu tên miền / {column} has no host: {value!r}"
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return f"cột {column}: cổng không hợp lệ / {column} has an invalid port: {value!r}"
    if not allow_private and is_private_host(parts.hostname):
        return (f"cột {column}: địa chỉ nội bộ/loopback bị từ chối (dùng --allow-private) / "
                f"{column} is a private or loopback address, refused without --allow-private: {value!r}")
    return None


def _read_rows(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str], list[str]]:
    """Rows with their line numbers, the columns present, and file-level problems."""
    from core.tables import TableError, read_table

    if not path.exists():
        return [], [], [f"{path}:0: không tìm thấy tệp / file not found"]
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            return [], [], [f"{path}:0: không đọc được tệp (cần UTF-8) / cannot read file (UTF-8 expected): {exc}"]
        return _read_yaml(path, text)
    try:
        table = read_table(path)
    except TableError as exc:
        return [], [], [f"{path}:{exc.line}: {exc}"]
    return table.rows, table.columns, []


def _read_yaml(path: Path, text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[str], list[str]]:
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [], [f"{path}:{mark.line + 1 if mark else 0}: lỗi cú pháp YAML / YAML syntax error"]
    if isinstance(data, dict) and "agencies" in data:
        data = data["agencies"]
        node = next((v for k, v in node.value if k.value == "agencies"), node) if node else node
    if not isinstance(data, list):
        return [], [], [f"{path}:1: cần một danh sách cơ quan / expected a list of agencies"]
    rows, columns = [], set()
    for index, item in enumerate(data):
        line = node.value[index].start_mark.line + 1 if node is not None else index + 1
        if not isinstance(item, dict):
            rows.append((line, {"__invalid__": True}))
            continue
        clean = {str(k): ("" if v is None else str(v)).strip() for k, v in item.items()}
        columns.update(clean)
        rows.append((line, clean))
    return rows, sorted(columns), []


def load_registry(path: str | Path, *, allow_private: bool = False) -> list[Agency]:
    """Parse and validate a registry file. Raises RegistryError with every problem found."""
    path = Path(path)
    rows, columns, problems = _read_rows(path)
    if problems:
        raise RegistryError(problems)
    if path.suffix.lower() not in (".yaml", ".yml"):
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise RegistryError([f"{path}:1: thiếu cột / missing column(s): {', '.join(missing)}"])
    if not rows:
        raise RegistryError([f"{path}:1: sổ đăng ký không có cơ quan nào / the registry lists no agency"])
    agencies: list[Agency] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        where = f"{path}:{line}"
        if row.get("__invalid__"):
            problems.append(f"{where}: mỗi mục phải là một bảng khóa–giá trị / each entry must be a mapping")
            continue
        if row.get("__extra__"):
            problems.append(f"{where}: thừa cột so với tiêu đề / more fields than header columns")
            continue
        missing = [c for c in REQUIRED_COLUMNS if c not in row]
        if missing:
            problems.append(f"{where}: thiếu trường / missing field(s): {', '.join(missing)}")
            continue
        for column in ("id", "name", "level", "url"):
            if not row[column]:
                problems.append(f"{where}: trường {column} bỏ trống / {column} is empty")
        if not row["id"] or not row["url"] or not row["name"] or not row["level"]:
            continue
        if not _ID.match(row["id"]):
            problems.append(f"{where}: mã cơ quan không hợp lệ / invalid id {row['id']!r} (letters, digits, . _ -)")
        elif row["id"] in first_line:
            problems.append(f"{where}: trùng mã cơ quan / duplicate id {row['id']!r} (first on line {first_line[row['id']]})")
        else:
            first_line[row["id"]] = line
        if row["level"] not in LEVELS:
            problems.append(f"{where}: cấp không hợp lệ / invalid level {row['level']!r} (one of {', '.join(LEVELS)})")
        for column in ("url", "section_url"):
            if row.get(column):
                problem = _check_url(row[column], column, allow_private=allow_private)
                if problem:
                    problems.append(f"{where}: {problem}")
        if row.get("unit_code"):
            problem = _unit_problem(row["unit_code"], row["level"])
            if problem:
                problems.append(f"{where}: {problem}")
        addresses = [e for e in _EMAIL_SEPARATORS.split(row["email"]) if e]
        for address in addresses:
            if not emails.is_valid(address):  # the one definition (core.emails)
                problems.append(f"{where}: thư điện tử không hợp lệ / invalid email {address!r}")
        agencies.append(
            Agency(id=row["id"], name=row["name"], level=row["level"], parent=row["parent"],
                   province=row["province"], url=row["url"], email=", ".join(addresses),
                   section_url=row.get("section_url", ""), line=line, unit_code=row.get("unit_code", ""))
        )
    problems.extend(_parent_problems(path, agencies, first_line))
    if problems:
        raise RegistryError(problems)
    return agencies


def _unit_problem(code: str, level: str) -> str | None:
    """A unit_code must be an official code of the agency's level (a province's for a province, a commune's,
    ward's or special zone's for a commune)."""
    from core import units

    if level not in ("province", "commune"):
        return (f"cột unit_code chỉ dành cho UBND tỉnh và xã / unit_code is for provinces and communes only, "
                f"not level {level!r}")
    unit = units.by_code(f"{'tinh' if level == 'province' else 'xa'}-{code}") if code.isdigit() else None
    if unit is None:
        return (f"mã đơn vị hành chính {code!r} không có trong danh mục chính thức ({level}) / unit_code {code!r} "
                f"is not an official {level} code")
    return None


def _parent_problems(path: Path, agencies: list[Agency], first_line: dict[str, int]) -> list[str]:
    """``parent`` names an agency of this registry, and following parents never loops."""
    problems = []
    parents = {a.id: a.parent for a in agencies if a.id in first_line and first_line[a.id] == a.line}
    for agency in agencies:
        if not agency.parent:
            continue
        if agency.parent == agency.id:
            problems.append(f"{path}:{agency.line}: cơ quan không thể là cấp trên của chính nó / "
                            f"an agency cannot be its own parent: {agency.parent!r}")
        elif agency.parent not in parents:
            problems.append(f"{path}:{agency.line}: cột parent ghi {agency.parent!r}, không có cơ quan nào mang mã này "
                            f"trong sổ đăng ký / parent {agency.parent!r} names no agency of this registry")
        else:
            seen, current = {agency.id}, agency.parent
            while current and current not in seen:
                seen.add(current)
                current = parents.get(current, "")
            if current == agency.id:
                problems.append(f"{path}:{agency.line}: cấp trên lặp vòng / parents form a loop through "
                                f"{agency.id!r}")
    return problems
