"""The agency registry: CSV or YAML, one agency per row, validated as a whole before anything is used.

Columns: id, name, level, parent, province, url, email, and optionally section_url. A single bad row
refuses the whole file (nothing is half-imported); every problem is reported with file and line.
"""

from __future__ import annotations

import csv
import ipaddress
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from tctt.addresses import effective

REQUIRED_COLUMNS = ("id", "name", "level", "parent", "province", "url", "email")
OPTIONAL_COLUMNS = ("section_url",)
LEVELS = ("ministry", "province", "department", "commune", "other")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return [], [], [f"{path}:0: không tìm thấy tệp / file not found"]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [], [f"{path}:0: không đọc được tệp (cần UTF-8) / cannot read file (UTF-8 expected): {exc}"]
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path, text)
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in (reader.fieldnames or [])]
    rows = []
    for record in reader:
        extra = record.pop(None, None)
        row = {(k or "").strip(): (v or "").strip() for k, v in record.items()}
        if extra:
            row["__extra__"] = extra
        rows.append((reader.line_num, row))
    return rows, columns, []


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
        if row["email"] and not _EMAIL.match(row["email"]):
            problems.append(f"{where}: thư điện tử không hợp lệ / invalid email {row['email']!r}")
        agencies.append(
            Agency(id=row["id"], name=row["name"], level=row["level"], parent=row["parent"],
                   province=row["province"], url=row["url"], email=row["email"],
                   section_url=row.get("section_url", ""), line=line)
        )
    if problems:
        raise RegistryError(problems)
    return agencies
