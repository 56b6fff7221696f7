"""An alert e-mail to the operator when a scheduled cycle fails (``[alert] to`` in the configuration).

Sent through the same SMTP settings as the gap reports ([smtp], [email] from). Vietnamese first, then
English: what failed, the exit code and what it means, when, and the last lines the cycle printed. A
failure to send is logged, never raised: the cycle's own exit code stands.
"""

from __future__ import annotations

import logging
import smtplib
import socket
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from core.config import Config

log = logging.getLogger("tctt.schedule")

MEANINGS = {
    1: ("lỗi không lường trước", "unexpected failure"),
    2: ("dữ liệu vào sai (sổ đăng ký, cấu hình, bộ tiêu chí)", "bad input (registry, configuration, ruleset)"),
    3: ("cơ sở dữ liệu không có dữ liệu cần thiết", "the database does not hold what was asked for"),
    4: ("lượt kiểm tra bị ngắt, chưa hoàn tất", "the run was interrupted and is incomplete"),
    5: ("một số thư báo cáo không gửi được", "some gap-report e-mails could not be sent"),
}


def compose(cfg: Config, code: int, tail: list[str], when: datetime | None = None) -> EmailMessage:
    from tctt.mail import clean_header_text, sender

    when = when or datetime.now().astimezone()
    vi, en = MEANINGS.get(code, ("lỗi", "failure"))
    host = socket.gethostname()
    msg = EmailMessage()
    msg["Subject"] = clean_header_text(f"[TCTT] Kiểm tra định kỳ thất bại (mã {code}) / scheduled audit failed (exit {code})")
    from_addr = sender(cfg)
    msg["From"] = formataddr((from_addr.display_name, from_addr.addr_spec), charset="utf-8")
    msg["To"] = cfg.alert_to
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(idstring="tctt-alert", domain=from_addr.domain or "tctt.invalid")
    lines = [
        f"Chu kỳ kiểm tra định kỳ trên máy {host} thất bại lúc {when:%d/%m/%Y %H:%M} với mã thoát {code}: {vi}.",
        f"Cấu hình: {cfg.path or '(mặc định)'}; sổ đăng ký: {cfg.registry}; cơ sở dữ liệu: {cfg.db}.",
        f"Nhật ký: {cfg.log or '(không ghi tệp)'}.",
        "",
        f"The scheduled audit cycle on {host} failed at {when.isoformat(timespec='minutes')} with exit code "
        f"{code}: {en}.",
        f"Configuration: {cfg.path or '(defaults)'}; registry: {cfg.registry}; database: {cfg.db}.",
        "",
        "Những dòng cuối / last lines:",
        *(tail[-40:] or ["(không có / none)"]),
    ]
    msg.set_content("\n".join(lines), charset="utf-8")
    return msg


def send_alert(cfg: Config, code: int, tail: list[str]) -> bool:
    """E-mail the operator; True when the SMTP server accepted the message."""
    if not cfg.alert_to:
        return False
    from tctt.mail import MailError, _Connection, parse_recipients

    recipients, problem = parse_recipients(cfg.alert_to)
    if problem:
        log.error("địa chỉ nhận cảnh báo không hợp lệ / invalid [alert] to: %r", cfg.alert_to)
        return False
    connection = _Connection(cfg)
    try:
        message = compose(cfg, code, tail)
        connection.get().send_message(message, to_addrs=recipients)
    except (MailError, smtplib.SMTPException, OSError) as exc:
        log.error("không gửi được thư cảnh báo / alert e-mail not sent: %s", exc)
        return False
    finally:
        connection.drop()
    log.info("đã gửi thư cảnh báo tới / alert e-mailed to %s", ", ".join(recipients))
    return True
