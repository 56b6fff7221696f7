"""Unit tests of the debounce, the cron loop and the configuration (no network)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.config import ConfigError, load_config
from reports.history import AgencyRun, stable_states
from tctt.mail import clean_header_text, parse_recipients
from tctt.schedule import serve


def runs(*statuses: str | None) -> list[AgencyRun]:
    """One rule 'r' over runs; None = agency unreachable in that run."""
    return [AgencyRun(i + 1, None, "audited" if s else "unreachable", None, None, {"r": s} if s else {})
            for i, s in enumerate(statuses)]


@pytest.mark.parametrize(("history", "k", "state", "pending"), [
    (("fail",), 2, "gap", 0),                           # the first audit is the baseline
    (("pass", "fail"), 2, "ok", 1),                     # one night's failure: not yet reported
    (("pass", "fail", "pass"), 2, "ok", 0),             # a flap
    (("pass", "fail", "fail"), 2, "gap", 0),            # confirmed
    (("pass", "fail", None, "fail"), 2, "gap", 0),      # an outage neither confirms nor breaks the streak
    (("pass", "fail", "fail"), 3, "ok", 2),
    (("fail", "pass"), 2, "ok", 0),                     # a fix is reported at once
    (("pass", "partial", "manual", "fail"), 2, "gap", 0),
])
def test_stable_states(history: tuple, k: int, state: str, pending: int):
    result = stable_states(runs(*history), k)["r"]
    assert (result.state, result.pending_runs) == (state, pending)


def test_serve_runs_a_cycle_at_each_cron_time():
    clock = [datetime(2026, 11, 30, 1, 59, 30)]
    fired: list[datetime] = []

    def sleep(seconds: float) -> None:
        clock[0] += timedelta(seconds=seconds)

    def cycle(cfg) -> int:  # noqa: ANN001
        fired.append(clock[0])
        return 0

    cfg = load_config(None)
    cfg.cron, cfg.registry = "0 2 * * 1", Path("r.csv")
    serve(cfg, cycle=cycle, now=lambda: clock[0], sleep=sleep, max_cycles=2)
    assert fired == [datetime(2026, 11, 30, 2, 0), datetime(2026, 12, 7, 2, 0)]


def test_config_credentials_from_environment(tmp_path: Path):
    path = tmp_path / "tctt.toml"
    path.write_text('[smtp]\nuser = "file"\npassword = "file-pw"\n[report]\ndeadline = 2027-01-31\n', encoding="utf-8")
    cfg = load_config(path, env={"TCTT_SMTP_PASSWORD": "env-pw"})
    assert (cfg.smtp.user, cfg.smtp.password, str(cfg.deadline)) == ("file", "env-pw", "2027-01-31")
    assert "env-pw" not in repr(cfg)
    path.write_text('[smtp]\nsecurity = "tls"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="security"):
        load_config(path)


def test_addresses_and_header_text():
    assert parse_recipients("a@b.vn; c@d.gov.vn") == (["a@b.vn", "c@d.gov.vn"], None)
    assert parse_recipients("") == ([], "no_address")
    assert parse_recipients("a@b.vn\nBcc: x@y.vn")[1] == "invalid_address"
    assert parse_recipients("a@b.vn, not an address")[1] == "invalid_address"
    assert clean_header_text("Sở Y tế\r\nBcc: x@y.vn") == "Sở Y tế Bcc: x@y.vn"
