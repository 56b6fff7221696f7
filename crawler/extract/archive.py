"""ZIP and RAR: list what they hold and read the members that can be read. Also the guard every
zip-based format (DOCX, XLSX) passes first: declared sizes and compression ratios are checked before
a single byte is inflated, so a decompression bomb is refused, not expanded."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from crawler.extract import DocumentRefused, Limits

MAX_DEPTH = 1


def _name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # Vietnamese Windows archivers write names in cp1258 without the UTF-8 flag
        return info.filename.encode("cp437").decode("cp1258")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def check_zip(body: bytes, limits: Limits) -> list[zipfile.ZipInfo]:
    """The archive's entries, or DocumentRefused when it is a bomb, too big or not a zip at all."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(body)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentRefused(f"corrupt: not a readable zip archive ({exc})"[:300]) from exc
    if len(infos) > limits.max_members:
        raise DocumentRefused(f"too many entries: {len(infos)} > {limits.max_members}")
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > limits.max_unpacked:
        raise DocumentRefused(f"decompression bomb: {unpacked} bytes unpacked from {len(body)} "
                              f"(limit {limits.max_unpacked})")
    worst = max((i.file_size / max(1, i.compress_size) for i in infos), default=0)
    if unpacked > 1_000_000 and (unpacked / packed > limits.max_ratio or worst > limits.max_ratio):
        raise DocumentRefused(f"decompression bomb: compression ratio {worst:.0f}:1 > {limits.max_ratio}:1")
    return infos


def _members(listing: list[tuple[str, int]], read_member: Any, limits: Limits, depth: int) -> dict[str, Any]:
    from crawler.extract import extract

    texts: list[str] = []
    tables: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    for name, size in listing[:200]:
        entry: dict[str, Any] = {"name": name, "size": size}
        members.append(entry)
        if name.endswith("/") or size == 0:
            continue
        if depth >= MAX_DEPTH:
            entry["error"] = "not read: archive nested too deep"
            continue
        data = read_member(name)
        if data is None:
            entry["error"] = "not read: the archive tool cannot extract it"
            continue
        inner = extract(data, name, limits, depth=depth + 1)
        entry.update(doc_type=inner["doc_type"], error=inner.get("error"))
        if inner.get("text"):
            texts.append(f"[{name}]\n{inner['text']}")
        for found in inner.get("tables") or []:
            found["caption"] = found.get("caption") or name
            tables.append(found)
    return {"text": "\n".join(texts), "tables": tables, "meta": {"members": members, "extractor": "archive"}}


def read_zip(body: bytes, limits: Limits, depth: int) -> dict[str, Any]:
    archive = zipfile.ZipFile(io.BytesIO(body))
    infos = [i for i in archive.infolist() if not i.is_dir()]
    names = {_name(i): i for i in infos}

    def read_member(name: str) -> bytes | None:
        info = names[name]
        if info.flag_bits & 0x1:
            return None  # encrypted member
        return archive.read(info)

    return _members([(name, info.file_size) for name, info in names.items()], read_member, limits, depth)


def read_rar(body: bytes, limits: Limits, depth: int) -> dict[str, Any]:
    import rarfile

    try:
        archive = rarfile.RarFile(io.BytesIO(body))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (rarfile.Error, OSError) as exc:
        raise DocumentRefused(f"corrupt: not a readable RAR archive ({exc})"[:300]) from exc
    if archive.needs_password():
        raise DocumentRefused("encrypted: the RAR archive is password-protected")
    unpacked = sum(i.file_size or 0 for i in infos)
    if unpacked > limits.max_unpacked or (unpacked > 1_000_000 and unpacked / max(1, len(body)) > limits.max_ratio):
        raise DocumentRefused(f"decompression bomb: {unpacked} bytes unpacked from {len(body)}")
    by_name = {i.filename: i for i in infos}

    def read_member(name: str) -> bytes | None:
        try:
            return archive.read(by_name[name])
        except (rarfile.Error, OSError):
            return None

    return _members([(i.filename, i.file_size or 0) for i in infos], read_member, limits, depth)
