"""One vocabulary: every pattern over folded text lives in core/markers.py with examples it must and must
not match, and no auditor or crawler module compiles a pattern of its own over folded text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core import markers

ROOT = Path(__file__).resolve().parents[1]


def _patterns() -> dict[str, str]:
    """Every pattern of core.markers by name ('FORM_LINE', 'CATALOGUE_FIELDS.date', …)."""
    found: dict[str, str] = {}
    for name, value in vars(markers).items():
        if not name.isupper() or name.startswith("_") or name == "EXAMPLES":
            continue
        if isinstance(value, str):
            found[name] = value
        elif isinstance(value, re.Pattern):
            found[name] = value.pattern
        elif isinstance(value, dict):
            for key, pattern in value.items():
                found[f"{name}.{key}"] = "|".join(pattern) if isinstance(pattern, list) else pattern
    return found


def test_every_marker_has_examples():
    assert sorted(_patterns()) == sorted(markers.EXAMPLES)


@pytest.mark.parametrize("name", sorted(markers.EXAMPLES))
def test_marker_matches_its_examples(name: str):
    pattern = re.compile(_patterns()[name])
    must, must_not = markers.EXAMPLES[name]
    assert must and must_not, name
    for text in must:
        assert pattern.search(text), (name, text)
    for text in must_not:
        assert not pattern.search(text), (name, text)


def _literal_patterns(path: Path) -> list[tuple[int, str]]:
    """(line, pattern) of every ``re.<fn>("literal", …)`` call in a module."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args:
            literal = node.args[0]
            if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                calls.append((node.lineno, literal.value))
    return calls


def test_auditors_compile_no_pattern_of_their_own_over_folded_text():
    """A literal pattern in an auditor module is over URLs or unfolded text, and says so on its line."""
    offenders = []
    for path in sorted((ROOT / "auditors").glob("*.py")):
        source = path.read_text(encoding="utf-8").split("\n")
        offenders += [f"{path.name}:{line}: {pattern}" for line, pattern in _literal_patterns(path)
                      if "# not folded" not in source[line - 1]]
    assert not offenders, offenders


_VOCABULARY = ("quy che", "dau moi", "danh muc thong tin", "co dieu kien", "phieu yeu cau", "yeu cau cung cap",
               "phat ngon", "cung cap thong tin", "tiep can thong tin")
# Crawler modules that still hold section words of their own (to move into core.markers); no new one may.
_CRAWLER_KNOWN = {"classify.py", "reach.py"}


def test_crawler_modules_name_the_section_only_through_markers():
    offenders = set()
    for path in sorted((ROOT / "crawler").rglob("*.py")):
        name = path.relative_to(ROOT / "crawler").as_posix()
        if any(word in pattern for _, pattern in _literal_patterns(path) for word in _VOCABULARY):
            offenders.add(name)
    assert offenders <= _CRAWLER_KNOWN, sorted(offenders - _CRAWLER_KNOWN)
