import hashlib
import json
from pathlib import Path

import pytest

from core.store import Store
from tctt.cli import EXIT_BAD_INPUT, EXIT_STORE, build_parser, main

HEADER = "id,name,level,parent,province,url,email\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_help_lists_every_command():
    help_text = build_parser().format_help()
    for command in ("demo", "audit", "crawl", "score", "report", "export", "rules"):
        assert command in help_text


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        ("a,A,department,,X,https://a.gov.vn/,\na,B,department,,X,https://b.gov.vn/,\n", 3, "duplicate id"),
        ("a,A,department,,X,gopher://a.gov.vn/,\n", 2, "http(s)"),
    ],
)
def test_bad_registry_exit_2_and_database_unchanged(tmp_path, rows, line, reason, tctt):
    db = tmp_path / "audits.db"
    Store(db).close()
    before = digest(db)
    registry = tmp_path / "bad.csv"
    registry.write_text(HEADER + rows, encoding="utf-8")
    result = tctt("audit", "--registry", str(registry), "--db", str(db), "--out", str(tmp_path / "r"))
    assert result.returncode == EXIT_BAD_INPUT
    assert f"{registry}:{line}:" in result.stderr and reason in result.stderr
    assert digest(db) == before
    assert not (tmp_path / "r").exists()


def test_missing_column_exit_2(tmp_path, tctt):
    registry = tmp_path / "bad.csv"
    registry.write_text("id,name,level,url\na,A,department,https://a.gov.vn/\n", encoding="utf-8")
    result = tctt("crawl", "--registry", str(registry), "--db", str(tmp_path / "x.db"))
    assert result.returncode == EXIT_BAD_INPUT and "missing column" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_loopback_registry_refused_without_allow_private(tmp_path, tctt):
    registry = tmp_path / "r.csv"
    registry.write_text(HEADER + "a,A,department,,X,http://127.0.0.9:9/,\n", encoding="utf-8")
    result = tctt("crawl", "--registry", str(registry), "--db", str(tmp_path / "x.db"))
    assert result.returncode == EXIT_BAD_INPUT and "--allow-private" in result.stderr


def test_export_of_missing_run_is_exit_3(tmp_path, capsys):
    db = tmp_path / "empty.db"
    Store(db).close()
    assert main(["export", "--db", str(db), "--format", "json"]) == EXIT_STORE
    assert "no such run" in capsys.readouterr().err


def test_rules_list_json_and_validate(capsys):
    assert main(["rules", "list", "--format", "json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    # Every checklist item TCTT-01…43 (docs/checklist.md) is covered, each rule with class, weight, dated bases and covers.
    assert {c for rule in listing["rules"] for c in rule["covers"]} == {f"TCTT-{n:02d}" for n in range(1, 44)}
    for rule in listing["rules"]:
        assert rule["class"] in ("essential", "mandatory", "recommended", "manual") and rule["weight"] >= 0
        assert rule["legal_basis"] and rule["covers"]
        assert all(basis["in_force"]["from"] for basis in rule["legal_basis"])
    assert {r["id"] for r in listing["regimes"]} == {"luat-2016", "nghi-dinh-224-2026", "luat-2026"}
    assert main(["rules", "validate"]) == 0
    assert main(["rules", "show", "focal-point"]) == 0
    assert "legal_basis" in capsys.readouterr().out
    assert main(["rules", "show", "no-such-rule"]) == EXIT_BAD_INPUT
