"""The official administrative units (34 provinces and 3,321 communes, wards and special zones after the 2025
reorganisation, with the codes of the General Statistics Office), and matching names against them.

The table ships as ``core/data/units.csv`` (rebuilt by ``scripts/units_from_vietnam_provinces.py`` from the
``vietnam-provinces`` package). Matching folds case and diacritics first (rapidfuzz scores raw diacritics
badly) and compares the unit's own name without its kind ("Xã", "Phường", "UBND"…).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from core.vntext import fold, slug_words

UNITS_CSV = Path(__file__).resolve().parent / "data" / "units.csv"

PROVINCE_TYPES = ("tỉnh", "thành phố trung ương")
COMMUNE_TYPES = ("xã", "phường", "đặc khu")

# Words that name a unit's kind or its People's Committee, not the unit itself (folded).
_KIND_WORDS = re.compile(
    r"^(?:(?:cong|trang) thong tin dien tu |cong ttdt |trang ttdt |website )?"
    r"(?:uy ban nhan dan |ubnd |hdnd va ubnd |hdnd - ubnd |dang uy - hdnd - ubnd )?"
    r"(?:thanh pho truc thuoc trung uong |thanh pho trung uong |thanh pho |tp\.? |tinh |dac khu |phuong |xa |thi tran )?")


@dataclass(frozen=True)
class Unit:
    code: int
    name: str          # "Xã Tân Phú", "Tỉnh Lâm Đồng"
    type: str          # tỉnh | thành phố trung ương | xã | phường | đặc khu
    province: int | None  # the province's code, None for a province
    codename: str      # "tan_phu", "lam_dong"

    @property
    def level(self) -> str:
        """The registry level of the unit's People's Committee."""
        return "province" if self.province is None else "commune"

    @property
    def unit_id(self) -> str:
        """The registry id of the unit's People's Committee: stable across runs because the code is."""
        return f"tinh-{self.code:02d}" if self.province is None else f"xa-{self.code:05d}"

    @property
    def short(self) -> str:
        """The folded name without its kind: 'tan phu'."""
        return bare_name(self.name)


def bare_name(name: str) -> str:
    """A unit's or agency's folded name without the kind words: 'UBND xã Tân Phú' → 'tan phu'."""
    text = slug_words(name)
    return _KIND_WORDS.sub("", text).strip()


@functools.lru_cache(maxsize=1)
def all_units() -> tuple[Unit, ...]:
    with UNITS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(Unit(int(r["code"]), r["name"], r["type"], int(r["province"]) if r["province"] else None,
                          r["codename"]) for r in rows)


@functools.lru_cache(maxsize=1)
def _index() -> dict[int | None, list[Unit]]:
    index: dict[int | None, list[Unit]] = {}
    for unit in all_units():
        index.setdefault(unit.province, []).append(unit)
    return index


def provinces() -> list[Unit]:
    return list(_index()[None])


def communes(province_code: int) -> list[Unit]:
    return list(_index().get(province_code, []))


def by_code(code: int | str | None) -> Unit | None:
    """The unit of a code (an int, '26734', or a registry id 'xa-26734' / 'tinh-68'); None when unknown.
    A bare number names the commune when a province shares it (4: Phường Ba Đình and Tỉnh Cao Bằng)."""
    text = str(code if code is not None else "").strip()
    kind, _, digits = text.rpartition("-")
    if not digits.isdigit() or kind not in ("", "tinh", "xa"):
        return None
    provinces_, communes_ = _by_code()
    if kind == "tinh":
        return provinces_.get(int(digits))
    if kind == "xa":
        return communes_.get(int(digits))
    return communes_.get(int(digits)) or provinces_.get(int(digits))


@functools.lru_cache(maxsize=1)
def _by_code() -> tuple[dict[int, Unit], dict[int, Unit]]:
    return ({u.code: u for u in all_units() if u.province is None},
            {u.code: u for u in all_units() if u.province is not None})


def match_province(name: str, *, threshold: float = 88) -> Unit | None:
    """The province a name, a slug or a host label names: 'Lâm Đồng', 'tỉnh Lâm Đồng', 'lamdong', 'TP. HCM'."""
    key = bare_name(name)
    if not key:
        return None
    compact = key.replace(" ", "")
    for unit in provinces():
        if compact in (unit.short.replace(" ", ""), unit.codename.replace("_", "")):
            return unit
    alias = _ALIASES.get(compact)
    if alias:
        return next(u for u in provinces() if u.codename == alias)
    found = process.extractOne(key, {u.code: u.short for u in provinces()}, scorer=fuzz.ratio,
                               score_cutoff=threshold)
    return by_code(f"tinh-{found[2]}") if found else None


# Names still in use for a province under another name: Hồ Chí Minh City's domain, Huế before 2025.
_ALIASES = {"hcm": "ho_chi_minh", "tphcm": "ho_chi_minh", "hochiminhcity": "ho_chi_minh", "saigon": "ho_chi_minh",
            "thuathienhue": "hue"}


@dataclass(frozen=True)
class UnitMatch:
    unit: Unit
    score: float      # 0–100, after folding
    how: str          # "name", "host" (the host label or path slug), "name+host"


def match_commune(province_code: int, name: str = "", slug: str = "", *, threshold: float = 90) -> UnitMatch | None:
    """The commune of a province that a name ('UBND xã Tân Phú', 'Phường 3') or a host/path slug ('tanphu',
    'xa-tan-phu') names, or None when nothing scores ``threshold`` or more — or when two units tie (a kind
    word the name lacks would be needed to tell 'Xã Tân Phú' from 'Phường Tân Phú')."""
    units = communes(province_code)
    if not units:
        return None
    kind = _kind_of(name) or _kind_of(slug.replace("-", " ").replace("_", " "))
    best: UnitMatch | None = None
    if bare_name(name):
        key = bare_name(name)
        scored = process.extract(key, {i: u.short for i, u in enumerate(units)}, scorer=fuzz.ratio,
                                 score_cutoff=threshold, limit=5)
        best = _pick([(units[i], s) for _, s, i in scored], kind, "name")
    if slug:
        compact = re.sub(r"[^a-z0-9]", "", bare_name(slug.replace("-", " ").replace("_", " ")))
        exact = [(u, 100.0) for u in units if u.codename.replace("_", "") == compact]
        by_host = _pick(exact, kind, "host")
        if by_host and best and by_host.unit == best.unit:
            return UnitMatch(best.unit, max(best.score, by_host.score), "name+host")
        if by_host and (best is None or best.score < 100):
            return by_host if best is None else None  # name and host disagree: no guess
    return best


def _kind_of(text: str) -> str | None:
    folded = fold(text)
    for kind, pattern in (("đặc khu", r"\bdac khu\b"), ("phường", r"\bphuong\b"), ("xã", r"\bxa\b")):
        if re.search(pattern, folded):
            return kind
    return None


def _pick(scored: list[tuple[Unit, float]], kind: str | None, how: str) -> UnitMatch | None:
    if kind:
        scored = [(u, s) for u, s in scored if u.type == kind] or []
    if not scored:
        return None
    scored.sort(key=lambda item: -item[1])
    if len(scored) > 1 and scored[1][1] == scored[0][1]:
        return None  # a tie: two units answer to the name
    return UnitMatch(scored[0][0], float(scored[0][1]), how)
