"""Review of a proposed registry: diff by id (then by address), merge of the inspector's decisions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.registry import load_registry
from core.tables import write_table
from tctt.registry_review import diff, merge

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["id", "name", "level", "parent", "province", "url", "email", "unit_code", "note"]
BASE = [
    {"id": "tinh-68", "name": "UBND tỉnh Lâm Đồng", "level": "province", "parent": "", "province": "Lâm Đồng",
     "url": "https://lamdong.gov.vn/", "email": "vp@lamdong.gov.vn", "unit_code": "68", "note": "đã xác minh"},
    {"id": "lam-dong-so-y-te", "name": "Sở Y tế tỉnh Lâm Đồng", "level": "department", "parent": "tinh-68",
     "province": "Lâm Đồng", "url": "https://syt.lamdong.gov.vn/", "email": "syt@lamdong.gov.vn", "unit_code": "",
     "note": ""},
    {"id": "lam-dong-so-ngoai-vu", "name": "Sở Ngoại vụ tỉnh Lâm Đồng", "level": "department", "parent": "tinh-68",
     "province": "Lâm Đồng", "url": "https://sngv.lamdong.gov.vn/", "email": "", "unit_code": "", "note": ""},
]
PROPOSED = [
    {**BASE[0], "email": "", "note": ""},
    {**BASE[1], "id": "lam-dong-so-y-te-2", "name": "Sở Y tế", "email": "", "decision": "chấp nhận"},
    {"id": "xa-24886", "name": "Ủy ban nhân dân xã Đam Rông 1", "level": "commune", "parent": "tinh-68",
     "province": "Lâm Đồng", "url": "https://damrong1.lamdong.gov.vn/", "email": "", "unit_code": "24886",
     "confidence": "0.95", "decision": ""},
    {"id": "lam-dong-benh-vien", "name": "Bệnh viện Đa khoa", "level": "other", "parent": "lam-dong-so-y-te-2",
     "province": "Lâm Đồng", "url": "https://bvdk.syt.lamdong.gov.vn/", "email": "", "unit_code": "",
     "confidence": "0.60", "decision": "x"},
]


def test_diff_pairs_by_id_then_address():
    changes = {c.id: c for c in diff(BASE, PROPOSED)}
    assert changes["lam-dong-so-y-te-2"].kind == "changed"
    assert changes["lam-dong-so-y-te-2"].fields["id"] == ("lam-dong-so-y-te", "lam-dong-so-y-te-2")
    assert changes["xa-24886"].kind == "added" and changes["lam-dong-so-ngoai-vu"].kind == "removed"
    assert "tinh-68" not in changes  # an empty e-mail in a proposal is not a change: discovery does not know it


def test_merge_keeps_the_office_columns_and_leaves_undecided_changes():
    result = merge(COLUMNS, BASE, PROPOSED)
    rows = {r["id"]: r for r in result.rows}
    assert rows["tinh-68"]["note"] == "đã xác minh" and rows["tinh-68"]["email"] == "vp@lamdong.gov.vn"
    assert "lam-dong-so-y-te-2" in rows and rows["lam-dong-so-y-te-2"]["email"] == "syt@lamdong.gov.vn"
    assert "lam-dong-benh-vien" in rows  # 'x' in the decision column
    assert {c.id for c in result.pending} == {"xa-24886", "lam-dong-so-ngoai-vu"}
    assert "lam-dong-so-ngoai-vu" in rows


def test_a_merge_leaving_a_dangling_parent_is_refused(tmp_path):
    base, proposed = tmp_path / "base.csv", tmp_path / "proposed.csv"
    write_table(base, COLUMNS, BASE)
    write_table(proposed, [*COLUMNS, "confidence", "decision"], PROPOSED)
    out = tmp_path / "merged.csv"
    args = [sys.executable, "-m", "tctt.cli", "registry", "merge", str(base), str(proposed), "--out", str(out)]
    refused = subprocess.run([*args, "--reject", "lam-dong-so-y-te-2"], capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 2 and "lam-dong-so-y-te-2" in refused.stderr and not out.exists()
    accepted = subprocess.run([*args, "--accept", "all", "--min-confidence", "0.9"], capture_output=True, text=True,
                              cwd=ROOT)
    assert accepted.returncode == 0, accepted.stderr
    ids = {a.id for a in load_registry(out)}
    assert "xa-24886" in ids and "lam-dong-so-ngoai-vu" not in ids


def test_an_accepted_new_id_takes_its_children_along():
    base = [BASE[0], BASE[1], {**PROPOSED[3], "parent": "lam-dong-so-y-te", "decision": ""}]
    result = merge(COLUMNS, base, [BASE[0], {**BASE[1], "id": "lam-dong-so-y-te-2"}], accept={"lam-dong-so-y-te-2"},
                   reject={"lam-dong-benh-vien"})
    rows = {r["id"]: r for r in result.rows}
    assert rows["lam-dong-benh-vien"]["parent"] == "lam-dong-so-y-te-2"
