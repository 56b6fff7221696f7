"""A database written by the previous release opens, is migrated to the current layout, and can be
re-scored and reported; a database from a newer release is refused with a clear message."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from core import storeschema
from core.store import SCHEMA_VERSION, Store, StoreError
from tctt import stages

PREVIOUS = Path(__file__).parent / "data" / "store-v1.db"  # `tctt demo` of the release before versioning, 3 agencies


def _layout(path: Path) -> dict[str, set[str]]:
    conn = sqlite3.connect(str(path))
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
        return {t: {r[1] for r in conn.execute(f"pragma table_info({t})")} for t in tables}
    finally:
        conn.close()


def test_previous_release_database_is_migrated_to_the_current_layout(tmp_path: Path):
    old = tmp_path / "old.db"
    shutil.copy(PREVIOUS, old)
    assert sqlite3.connect(str(old)).execute("pragma user_version").fetchone()[0] == 0
    Store(old).close()
    Store(tmp_path / "new.db").close()
    assert sqlite3.connect(str(old)).execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
    new_layout, old_layout = _layout(tmp_path / "new.db"), _layout(old)
    for table, columns in new_layout.items():
        assert columns <= old_layout.get(table, set()), f"{table} lacks {columns - old_layout.get(table, set())}"


def test_previous_release_database_is_rescored_and_reported(tmp_path: Path):
    old = tmp_path / "old.db"
    shutil.copy(PREVIOUS, old)
    outcome = stages.score(old)
    assert outcome is not None
    index, model = stages.report(old, tmp_path / "report")
    assert index.exists()
    audited = {a["id"] for a in model["agencies"] if a["status"] == "audited"}
    assert audited == {"so-tu-phap", "doc-xlsx"}
    assert all(a["findings"] for a in model["agencies"] if a["id"] in audited)


def test_a_database_from_a_newer_release_is_refused(tmp_path: Path):
    newer = tmp_path / "newer.db"
    Store(newer).close()
    conn = sqlite3.connect(str(newer))
    conn.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer tctt-audit"):
        Store(newer)


def test_migration_steps_are_explicit_and_run_once(tmp_path: Path):
    old = tmp_path / "old.db"
    shutil.copy(PREVIOUS, old)
    db = sqlite_utils.Database(str(old))
    assert storeschema.schema_version(db) == 0
    assert storeschema.migrate(db) == sorted(storeschema.MIGRATIONS)  # every numbered step, in order
    assert storeschema.schema_version(db) == SCHEMA_VERSION
    assert storeschema.migrate(db) == []  # a current file needs none
    db.close()
