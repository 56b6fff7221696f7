"""``tctt email``: gap reports per agency — written to an outbox for review, or delivered by SMTP."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.exit_codes import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("email", help="gửi báo cáo thiếu sót cho từng cơ quan / e-mail each agency its gap report")
    p.add_argument("--config", default=None, help="tệp cấu hình TOML / configuration file (tctt.toml)")
    p.add_argument("--db", default=None, help="tệp SQLite / SQLite file (default: [audit] db or tctt.db)")
    p.add_argument("--run", default="latest", help="mã lượt hoặc 'latest' / run id or 'latest' (default)")
    p.add_argument("--outbox", default=None, help="thư mục ghi tệp .eml để xem trước / folder for .eml files to review")
    p.add_argument("--send", action="store_true",
                   help="gửi qua SMTP theo cấu hình (mật khẩu chỉ từ cấu hình hoặc biến môi trường) / deliver through "
                        "SMTP as configured (credentials only from the configuration or the environment)")
    p.add_argument("--attach-pdf", action="store_true",
                   help="đính kèm thông báo kết quả kiểm tra dạng PDF (cần LibreOffice) / attach the official gap "
                        "notice as PDF (needs LibreOffice)")
    p.add_argument("--letterhead", metavar="FILE", help="tiêu đề văn bản cho thông báo đính kèm / letterhead of the "
                   "attached notice (TOML, see tctt templates)")
    p.add_argument("--templates", metavar="DIR", help="mẫu Word tỉnh đã sửa / the province's edited Word templates")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.config import ConfigError, load_config
    from core.store import Store
    from tctt.mail import MailError, compose_run, deliver, write_outbox

    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return ExitCode.BAD_INPUT
    db = Path(args.db) if args.db else cfg.db
    store = Store(db)
    try:
        run_id = int(store.run(args.run)["id"])
        try:
            items = compose_run(store, cfg, run_id)
        except MailError as exc:
            print(exc, file=sys.stderr)
            return ExitCode.BAD_INPUT
        if args.attach_pdf:
            problem = _attach_notices(args, cfg, db, run_id, items)
            if problem:
                print(problem, file=sys.stderr)
                return ExitCode.BAD_INPUT
        if args.send:
            try:
                outcome = deliver(store, cfg, items, run_id)
            except MailError as exc:
                print(exc, file=sys.stderr)
                return ExitCode.BAD_INPUT
        else:
            outcome = write_outbox(items, Path(args.outbox) if args.outbox else cfg.outbox, run_id)
    finally:
        store.close()
    print(report(outcome, sent=args.send))
    return ExitCode.DELIVERY if outcome.failed else ExitCode.OK


def _attach_notices(args: argparse.Namespace, cfg, db: Path, run_id: int, items: list) -> str | None:  # noqa: ANN001
    """Make each addressed agency's PDF notice (kept beside the outbox) and attach it; a problem message or None."""
    from reports.notice import NoticeError
    from rules import load_ruleset
    from tctt.office import attach_pdf, make_documents

    wanted = [item.agency_id for item in items if item.message is not None]
    if not wanted:
        return None
    folder = (Path(args.outbox) if args.outbox else cfg.outbox) / f"run-{run_id}" / "van-ban"
    try:
        docs = make_documents(db, run_id, folder, bands=load_ruleset().bands, letterhead=args.letterhead,
                              templates=args.templates, pdf=True, deadline=cfg.deadline, agencies=wanted)
    except NoticeError as exc:
        return str(exc)
    for item in items:
        if item.message is not None:
            item.message = attach_pdf(item.message, docs.notices[item.agency_id].with_suffix(".pdf"))
    return None


def report(outcome, *, sent: bool) -> str:  # noqa: ANN001 - tctt.mail.Outcome
    lines = [f"Lượt / run {outcome.run_id}:"]
    if sent:
        lines.append(f"  đã gửi / sent: {len(outcome.sent)}" + (f" ({', '.join(outcome.sent)})" if outcome.sent else ""))
        lines.append(f"  đã gửi trước đó, bỏ qua / already sent, skipped: {len(outcome.already_sent)}")
    else:
        lines.append(f"  đã ghi vào hộp thư đi / written to the outbox: {len(outcome.written)}")
        if outcome.written:
            lines.append(f"  {outcome.written[0].parent}")
    for agency in outcome.no_address:
        lines.append(f"  ! {agency}: không có địa chỉ thư điện tử trong sổ đăng ký / no e-mail address in the registry")
    for agency in outcome.invalid_address:
        lines.append(f"  ! {agency}: địa chỉ thư điện tử không hợp lệ, từ chối / invalid e-mail address, refused")
    for agency, error in outcome.failed:
        lines.append(f"  ✗ {agency}: gửi lỗi, sẽ thử lại lần sau / failed, retried next call: {error}")
    for agency in getattr(outcome, "in_progress", []):
        lines.append(f"  … {agency}: một lần gửi khác đang gửi báo cáo này, bỏ qua / another sender is delivering it, skipped")
    for agency in outcome.gave_up:
        lines.append(f"  ✗ {agency}: đã thử quá số lần cho phép / gave up after max_attempts")
    return "\n".join(lines)
