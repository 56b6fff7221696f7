"""Gap reports by e-mail: compose one message per agency for a run, write it to an outbox or deliver it.

A gap report tells the agency what fails (stable findings only, see ``reports.history``), the legal basis,
how to fix it, what changed since the last report it was sent, the province's deadline and a link to
the full scorecard. It is ``multipart/alternative``: a plain-text part and an HTML part whose CSS is
inlined (css-inline), Vietnamese first.

Delivery is idempotent: each (run, agency) report is a row of the ``deliveries`` table; a report marked
``sent`` is never sent again, a ``failed`` one is retried on the next call (up to ``max_attempts``).
Addresses come from the run's registry snapshot and are validated; names and subjects are stripped of
control characters, so a registry field can never inject a header.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from auditors import decisions as decisions_mod
from core import emails
from core.config import Config
from core.store import Store, now_iso
from reports import build_run_model
from reports.history import load_history, stable_changes, stable_states
from reports.html import agency_filenames, is_http_url
from reports.i18n import fmt_date, fmt_number
from rules import load_ruleset
from tctt.mailclaim import claim

TEMPLATES = Path(__file__).resolve().parents[1] / "reports" / "templates"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_SAFE_ID = re.compile(r"[^A-Za-z0-9.-]+")


class MailError(Exception):
    """The mail configuration cannot work (no sender, bad sender address)."""


def clean_header_text(value: str) -> str:
    """One line of header text: control characters (CR, LF, …) become spaces."""
    return " ".join(_CONTROL.sub(" ", value or "").split())


def parse_recipients(field_value: str | None) -> tuple[list[str], str | None]:
    """(addresses, problem). Several addresses may be separated by ',' or ';' (``core.emails``)."""
    return emails.parse_addresses(field_value)


def sender(cfg: Config) -> Address:
    name, addr = parseaddr(cfg.mail_from or "")
    if not cfg.mail_from or not emails.is_valid(addr) or _CONTROL.search(cfg.mail_from):
        raise MailError("Thiếu hoặc sai địa chỉ gửi ([email] from) / missing or invalid sender address "
                        f"([email] from): {cfg.mail_from!r}")
    return Address(display_name=clean_header_text(name), addr_spec=addr)


# -- composing -------------------------------------------------------------------------------------
@dataclass
class Composed:
    agency_id: str
    name: str
    recipients: list[str]
    problem: str | None           # 'no_address' | 'invalid_address' | None
    subject: str
    text: str
    html: str
    message: Message | None = None
    digest: str = ""


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(num=lambda v: fmt_number(v, "vi", 1), date=lambda v: fmt_date(v, "vi"))
    env.globals["is_http_url"] = is_http_url
    return env


def _text_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(num=lambda v: fmt_number(v, "vi", 1), date=lambda v: fmt_date(v, "vi"))
    return env


def _reference_run(store: Store, agency_id: str, run_id: int, audited_runs: list[int]) -> tuple[int | None, str]:
    """The run of the last report sent to the agency before ``run_id`` (else its previous audit)."""
    rows = list(store.db.query(
        "select max(run_id) as r from deliveries where agency_id = ? and run_id < ? and status = 'sent'",
        [agency_id, run_id]))
    if rows and rows[0]["r"] is not None:
        return int(rows[0]["r"]), "report"
    earlier = [r for r in audited_runs if r < run_id]
    return (earlier[-1], "audit") if earlier else (None, "none")


def compose_run(store: Store, cfg: Config, run: int | str | None = "latest") -> list[Composed]:
    """One gap report per agency of the run (agencies without a valid address are returned with a problem)."""
    ruleset = load_ruleset()
    vi = build_run_model(store, run, bands=ruleset.bands, lang="vi")
    en = build_run_model(store, vi["run"]["id"], bands=ruleset.bands, lang="en")
    run_id = vi["run"]["id"]
    _, history, _ = load_history(store, run_id)
    files = agency_filenames(vi["agencies"])
    en_by_id = {a["id"]: a for a in en["agencies"]}
    from_addr = sender(cfg)
    html_env, text_env = _env(), _text_env()
    out = []
    for agency in vi["agencies"]:
        agency_en = en_by_id[agency["id"]]
        rows = history.get(agency["id"], [])
        audited_runs = [r.run_id for r in rows if r.audited]
        now_states = stable_states(rows, cfg.persistence_runs)
        ref_run, ref_kind = _reference_run(store, agency["id"], run_id, audited_runs)
        before = (stable_states([r for r in rows if r.run_id <= ref_run], cfg.persistence_runs)
                  if ref_run is not None else None)
        changes = stable_changes(before, now_states) if agency["status"] == "audited" else {"fixed": [], "new_failures": []}
        decided = decisions_mod.evaluate(store, run_id, agency["id"], store.findings(run_id, agency["id"]))
        en_findings = {f["rule"]: f for f in agency_en["findings"]}
        gaps, pending, verified, review = [], [], [], []
        for finding in agency["findings"]:
            rule = finding["rule"]
            item = {**finding, "en": en_findings.get(rule, {}), "decision": decided.get(rule)}
            state = now_states.get(rule)
            if finding["status"] not in ("fail", "partial"):
                continue
            decision = decided.get(rule)
            if decision and decision["state"] == "applied":
                verified.append(item)
                continue
            if decision and decision["state"] == "evidence_changed":
                review.append(item)
            if state is not None and state.state == "gap":
                item["new"] = rule in changes["new_failures"]
                gaps.append(item)
            else:
                pending.append(item)
        titles = {f["rule"]: f for f in agency["findings"]}
        base = cfg.scorecard_base_url.rstrip("/") + "/" if cfg.scorecard_base_url else ""
        context = {
            "agency": agency, "agency_en": agency_en, "run": vi["run"], "gaps": gaps, "pending": pending,
            "verified": verified, "review": review,
            "fixed": [titles[r] | {"en": en_findings.get(r, {})} for r in changes["fixed"] if r in titles],
            "new_failures": changes["new_failures"], "reference_run": ref_run, "reference_kind": ref_kind,
            "deadline": cfg.deadline.isoformat() if cfg.deadline else None,
            "scorecard_url": f"{base}agencies/{files[agency['id']]}" if base else None,
            "trend_url": f"{base}trends/{files[agency['id']]}" if base else None,
            "sender_name": from_addr.display_name or from_addr.addr_spec,
            "persistence": cfg.persistence_runs,
        }
        name = clean_header_text(agency["name"])
        subject = clean_header_text(
            f"[TCTT] Kết quả kiểm tra Chuyên mục tiếp cận thông tin – {name} – lượt #{run_id} "
            f"/ Access-to-information audit report")
        html = css_inline.inline(html_env.get_template("email.html.j2").render(**context, subject=subject))
        text = text_env.get_template("email.txt.j2").render(**context)
        recipients, problem = parse_recipients(agency.get("email"))
        item = Composed(agency["id"], name, recipients, problem, subject, text, html)
        item.digest = hashlib.sha256(text.encode()).hexdigest()
        if not problem:
            item.message = _message(item, from_addr, cfg, run_id)
        out.append(item)
    return out


def _message(item: Composed, from_addr: Address, cfg: Config, run_id: int) -> Message:
    # The legacy MIME classes with email.header.Header: the default policy of Python 3.11 drops the
    # space where it folds a long UTF-8 subject into several encoded words ("Chuyên mụctiếp").
    msg = MIMEMultipart("alternative")
    msg["Subject"] = Header(item.subject, "utf-8")
    msg["From"] = formataddr((from_addr.display_name, from_addr.addr_spec), charset="utf-8")
    msg["To"] = ", ".join(formataddr((item.name, addr), charset="utf-8") for addr in item.recipients)
    if cfg.reply_to:
        _, reply = parseaddr(cfg.reply_to)
        if emails.is_valid(reply):
            msg["Reply-To"] = reply
    msg["Date"] = format_datetime(time_now())
    domain = from_addr.domain or "tctt.invalid"
    msg["Message-ID"] = make_msgid(idstring=f"tctt-{run_id}-{_SAFE_ID.sub('-', item.agency_id)[:40]}", domain=domain)
    msg["Content-Language"] = "vi, en"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-TCTT-Run"] = str(run_id)
    msg["X-TCTT-Agency"] = _SAFE_ID.sub("-", item.agency_id)[:80]
    msg.attach(MIMEText(item.text, "plain", "utf-8"))
    msg.attach(MIMEText(item.html, "html", "utf-8"))
    return msg


def time_now():  # noqa: ANN201 - a datetime; a function so the Date header is taken at compose time
    from datetime import UTC, datetime

    return datetime.now(UTC)


# -- outbox and delivery ---------------------------------------------------------------------------
@dataclass
class Outcome:
    run_id: int
    written: list[Path] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    invalid_address: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)  # claimed by another sender running now


def write_outbox(items: list[Composed], outbox: Path, run_id: int) -> Outcome:
    """``<outbox>/run-<id>/<agency>.eml`` (and ``.html``, the HTML part, for review in a browser)."""
    folder = Path(outbox) / f"run-{run_id}"
    folder.mkdir(parents=True, exist_ok=True)
    outcome = Outcome(run_id)
    files = agency_filenames([{"id": i.agency_id} for i in items])
    for item in items:
        if item.problem:
            getattr(outcome, item.problem).append(item.agency_id)
            continue
        assert item.message is not None
        stem = files[item.agency_id].removesuffix(".html")
        (folder / f"{stem}.eml").write_bytes(item.message.as_bytes())
        (folder / f"{stem}.html").write_text(item.html, encoding="utf-8")
        outcome.written.append(folder / f"{stem}.eml")
    return outcome


def refuse_plain_login(cfg: Config) -> None:
    """SMTP authentication only over TLS, unless the configuration says otherwise in so many words."""
    s = cfg.smtp
    if s.user and s.security == "none" and not s.allow_plain_auth:
        raise MailError(
            "[smtp] security = \"none\" với tài khoản: mật khẩu sẽ đi qua mạng không mã hoá; dùng starttls hoặc ssl "
            "(hoặc allow_plain_auth = true nếu máy chủ thư ở cùng máy) / a user with security = \"none\" would send "
            "the password in clear text: use starttls or ssl (or allow_plain_auth = true for a server on this machine)")


class _Connection:
    """One SMTP session opened on first use and reopened after a disconnect."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            s = self.cfg.smtp
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                      context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
            self.smtp = smtp
        return self.smtp

    def drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def deliver(store: Store, cfg: Config, items: list[Composed], run_id: int, *,
            sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> Outcome:
    """Send what has not been sent for this run; record every attempt; keep to ``rate_per_minute``."""
    refuse_plain_login(cfg)
    outcome = Outcome(run_id)
    table = store.db["deliveries"]
    existing = {r["agency_id"]: r for r in store.db.query("select * from deliveries where run_id = ?", [run_id])}
    interval = 60.0 / cfg.rate_per_minute
    connection = _Connection(cfg)
    last_send: float | None = None
    try:
        for item in items:
            row = existing.get(item.agency_id)
            if row and row["status"] == "sent":
                outcome.already_sent.append(item.agency_id)
                continue
            base = {"run_id": run_id, "agency_id": item.agency_id, "recipients": ", ".join(item.recipients),
                    "subject": item.subject, "digest": item.digest}
            if item.problem:
                getattr(outcome, item.problem).append(item.agency_id)
                table.upsert({**base, "status": item.problem, "attempts": 0, "error": None},
                             pk=("run_id", "agency_id"))
                continue
            attempts = int(row["attempts"] or 0) if row else 0
            if attempts >= cfg.max_attempts:
                outcome.gave_up.append(item.agency_id)
                continue
            assert item.message is not None
            # Claimed in the database before SMTP sees it: a concurrent sender skips it (tctt.mailclaim).
            held = claim(store, run_id, item.agency_id)
            if held is not None:
                (outcome.already_sent if held == "sent" else outcome.in_progress).append(item.agency_id)
                continue
            row = next(iter(store.db.query("select * from deliveries where run_id = ? and agency_id = ?",
                                           [run_id, item.agency_id])), row)
            attempts = int(row["attempts"] or 0) if row else 0
            if attempts >= cfg.max_attempts:  # another sender failed it meanwhile
                table.upsert({**base, "status": "failed"}, pk=("run_id", "agency_id"))
                outcome.gave_up.append(item.agency_id)
                continue
            if last_send is not None:
                wait = last_send + interval - clock()
                if wait > 0:
                    sleep(wait)
            stamp = now_iso()
            last_send = clock()
            record = {**base, "message_id": item.message["Message-ID"], "attempts": attempts + 1,
                      "last_attempt_at": stamp,
                      "first_attempt_at": (row or {}).get("first_attempt_at") or stamp}
            try:
                refused = connection.get().send_message(item.message)
                last_send = clock()  # counted from the end of the transaction: a slow connect never shortens a gap
            except (smtplib.SMTPException, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}"
                table.upsert({**record, "status": "failed", "error": error[:500]}, pk=("run_id", "agency_id"))
                outcome.failed.append((item.agency_id, error))
                connection.drop()
                continue
            # Some recipients refused, others accepted: the report went out, so it is not retried
            # (that would duplicate it for the accepted ones); the refusal is kept for the inspector.
            note = f"refused: {refused}"[:500] if refused else None
            table.upsert({**record, "status": "sent", "error": note, "sent_at": now_iso()},
                         pk=("run_id", "agency_id"))
            outcome.sent.append(item.agency_id)
    finally:
        connection.drop()
    return outcome


def deliveries(store: Store, run_id: int) -> list[dict[str, Any]]:
    return list(store.db.query("select * from deliveries where run_id = ? order by agency_id", [run_id]))
