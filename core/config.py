"""The compliance-cycle configuration: one small TOML file (``tctt.toml``).

    [audit]                       # what a scheduled run audits
    registry = "agencies.csv"
    db = "tctt.db"
    out = "report"
    lang = "vi"
    allow_private = false

    [schedule]
    cron = "0 2 * * 1"            # every Monday at 02:00 (local time of the machine)
    log = "tctt-schedule.log"     # what each scheduled run did
    email = true                  # e-mail the gap reports after each run
    send = false                  # false: write .eml files to [email] outbox for review; true: SMTP

    [report]
    deadline = "2027-03-31"       # the date by which the province wants the gaps closed
    scorecard_base_url = "https://stp.example.gov.vn/tctt/"
    persistence_runs = 2          # a new failure is reported after this many consecutive audits

    [email]
    from = "Sở Tư pháp tỉnh Mẫu Sơn <tctt@stp.example.gov.vn>"
    reply_to = ""
    outbox = "outbox"
    rate_per_minute = 30
    max_attempts = 5

    [smtp]
    host = "smtp.example.gov.vn"
    port = 587
    security = "starttls"         # starttls | ssl | none
    timeout = 30
    user = ""                     # or TCTT_SMTP_USER in the environment
    password = ""                 # or TCTT_SMTP_PASSWORD in the environment (never on the command line)
    allow_plain_auth = false      # a user with security = "none" is refused (clear-text password) unless true

    [archive]                     # the evidence archive (WARC) of each run
    dir = ""                      # default: beside the database (<db>.warc)
    max_bytes = 2147483648        # bound of one run's archive; later responses are indexed, not kept
    keep_runs = 0                 # after each scheduled run keep the archives of the newest N runs (0: all)

    [alert]
    to = "operator@stp.example.gov.vn"  # a scheduled cycle that fails e-mails this address ([smtp], [email] from)

Relative paths are read relative to the configuration file. Every key is optional; unknown keys are
refused (a typo must not silently fall back to a default).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ENV_USER = "TCTT_SMTP_USER"
ENV_PASSWORD = "TCTT_SMTP_PASSWORD"
SECURITY_MODES = ("starttls", "ssl", "none")


class ConfigError(Exception):
    """The configuration file is missing or wrong; the message names the file and key."""


@dataclass
class SmtpConfig:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    timeout: float = 30.0
    user: str = ""
    password: str = field(default="", repr=False)
    allow_plain_auth: bool = False  # log in without TLS (security = "none"): refused unless set


@dataclass
class Config:
    path: Path | None = None
    registry: Path | None = None
    db: Path = Path("tctt.db")
    out: Path = Path("out/report")
    lang: str = "vi"
    allow_private: bool = False
    cron: str = "0 2 * * 1"
    log: Path | None = None
    email_after_run: bool = False
    send_after_run: bool = False
    deadline: date | None = None
    scorecard_base_url: str = ""
    persistence_runs: int = 2
    mail_from: str = ""
    reply_to: str = ""
    outbox: Path = Path("outbox")
    rate_per_minute: float = 30.0
    max_attempts: int = 5
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    archive_dir: Path | None = None
    archive_max_bytes: int | None = None
    archive_keep_runs: int = 0
    alert_to: str = ""


_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "audit": {"registry": str, "db": str, "out": str, "lang": str, "allow_private": bool},
    "schedule": {"cron": str, "log": str, "email": bool, "send": bool},
    "report": {"deadline": (str, date), "scorecard_base_url": str, "persistence_runs": int},
    "email": {"from": str, "reply_to": str, "outbox": str, "rate_per_minute": (int, float), "max_attempts": int},
    "smtp": {"host": str, "port": int, "security": str, "timeout": (int, float), "user": str, "password": str,
             "allow_plain_auth": bool},
    "archive": {"dir": str, "max_bytes": int, "keep_runs": int},
    "alert": {"to": str},
}


def load_config(path: str | Path | None, env: dict[str, str] | None = None) -> Config:
    """Read ``path`` (or defaults for ``None``); SMTP credentials from the environment win over the file."""
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    base = Path.cwd()
    if path is not None:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"Không có tệp cấu hình / no configuration file: {path}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cấu hình không hợp lệ / invalid TOML: {exc}") from exc
        base = path.resolve().parent
    where = str(path) if path else "(mặc định / defaults)"
    _check(data, where)

    def section(name: str) -> dict[str, Any]:
        return data.get(name, {})

    def rel(value: str | None) -> Path | None:
        if not value:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else base / p

    audit, sched, report, email, smtp = (section(n) for n in ("audit", "schedule", "report", "email", "smtp"))
    cfg = Config(path=Path(path) if path else None)
    cfg.registry = rel(audit.get("registry"))
    cfg.db = rel(audit.get("db")) or cfg.db
    cfg.out = rel(audit.get("out")) or cfg.out
    cfg.lang = audit.get("lang", cfg.lang)
    cfg.allow_private = audit.get("allow_private", False)
    cfg.cron = sched.get("cron", cfg.cron)
    cfg.log = rel(sched.get("log"))
    cfg.email_after_run = sched.get("email", False)
    cfg.send_after_run = sched.get("send", False)
    cfg.deadline = _date(report.get("deadline"), where)
    cfg.scorecard_base_url = report.get("scorecard_base_url", "")
    cfg.persistence_runs = report.get("persistence_runs", 2)
    cfg.mail_from = email.get("from", "")
    cfg.reply_to = email.get("reply_to", "")
    cfg.outbox = rel(email.get("outbox")) or cfg.outbox
    cfg.rate_per_minute = float(email.get("rate_per_minute", cfg.rate_per_minute))
    cfg.max_attempts = email.get("max_attempts", cfg.max_attempts)
    cfg.smtp = SmtpConfig(
        host=smtp.get("host", "localhost"), port=smtp.get("port", 587), security=smtp.get("security", "starttls"),
        timeout=float(smtp.get("timeout", 30)),
        user=env.get(ENV_USER) or smtp.get("user", ""),
        password=env.get(ENV_PASSWORD) or smtp.get("password", ""),
        allow_plain_auth=smtp.get("allow_plain_auth", False),
    )
    archive, alert = section("archive"), section("alert")
    cfg.archive_dir = rel(archive.get("dir"))
    cfg.archive_max_bytes = archive.get("max_bytes")
    cfg.archive_keep_runs = archive.get("keep_runs", 0)
    cfg.alert_to = alert.get("to", "")
    problems = []
    if cfg.archive_keep_runs < 0:
        problems.append("[archive] keep_runs: ≥ 0")
    if cfg.archive_max_bytes is not None and cfg.archive_max_bytes < 0:
        problems.append("[archive] max_bytes: ≥ 0")
    if cfg.lang not in ("vi", "en"):
        problems.append("[audit] lang: 'vi' hoặc / or 'en'")
    if cfg.persistence_runs < 1:
        problems.append("[report] persistence_runs: ≥ 1")
    if cfg.rate_per_minute <= 0:
        problems.append("[email] rate_per_minute: > 0")
    if cfg.max_attempts < 1:
        problems.append("[email] max_attempts: ≥ 1")
    if cfg.smtp.security not in SECURITY_MODES:
        problems.append(f"[smtp] security: một trong / one of {', '.join(SECURITY_MODES)}")
    if not 0 < cfg.smtp.port < 65536:
        problems.append("[smtp] port: 1–65535")
    if cfg.scorecard_base_url and not cfg.scorecard_base_url.startswith(("http://", "https://")):
        problems.append("[report] scorecard_base_url: phải là địa chỉ http(s) / must be an http(s) URL")
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))
    return cfg


def _check(data: dict[str, Any], where: str) -> None:
    problems = []
    for name, value in data.items():
        if name not in _KEYS:
            problems.append(f"mục lạ / unknown section [{name}]")
            continue
        if not isinstance(value, dict):
            problems.append(f"[{name}] phải là một bảng / must be a table")
            continue
        for key, item in value.items():
            wanted = _KEYS[name].get(key)
            if wanted is None:
                problems.append(f"khóa lạ / unknown key [{name}] {key}")
            elif not isinstance(item, wanted) or (wanted is int and isinstance(item, bool)):
                problems.append(f"[{name}] {key}: kiểu sai / wrong type {type(item).__name__}")
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))


def _date(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: [report] deadline: ngày YYYY-MM-DD / a YYYY-MM-DD date: {value!r}") from exc
