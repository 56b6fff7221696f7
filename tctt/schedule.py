"""Scheduled audits: a cron expression from the configuration (croniter), a lock so that two runs never
overlap (filelock), and a log of what each run did.

One cycle = ``tctt audit`` (crawl, score, report, trend pages) in a child process — Twisted's reactor
cannot restart, so every crawl gets a fresh process — then, if configured, the gap reports by e-mail.
``tctt schedule --once`` runs one cycle (for systemd timers and crontab); ``tctt schedule`` keeps
running and starts a cycle at every time the cron expression names.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from croniter import croniter
from filelock import FileLock, Timeout

from core.config import Config
from core.exit_codes import ExitCode

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_LOCKED = ExitCode.OK, ExitCode.FAILURE, ExitCode.BAD_INPUT, ExitCode.LOCKED
log = logging.getLogger("tctt.schedule")


class ScheduleError(Exception):
    """The schedule cannot run (bad cron expression, no registry)."""


def check(cfg: Config) -> None:
    if not croniter.is_valid(cfg.cron):
        raise ScheduleError(f"Biểu thức cron không hợp lệ / invalid cron expression: {cfg.cron!r}")
    if cfg.registry is None:
        raise ScheduleError("Cấu hình thiếu [audit] registry / the configuration lacks [audit] registry")


def next_times(expression: str, start: datetime, count: int = 1) -> list[datetime]:
    it = croniter(expression, start)
    return [it.get_next(datetime) for _ in range(count)]


def lock_path(cfg: Config) -> Path:
    return Path(str(cfg.db) + ".lock")


def setup_logging(cfg: Config) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if cfg.log:
        cfg.log.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(cfg.log, encoding="utf-8"))
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    for handler in handlers:
        handler.setFormatter(fmt)
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def run_cycle(cfg: Config, *, python: str = sys.executable) -> int:
    """Audit, then e-mail if configured; under the lock. Returns an exit code (6: another run holds the lock).
    A cycle that fails (any other non-zero code) e-mails the operator named in ``[alert] to``."""
    tail: list[str] = []
    try:
        code = _cycle(cfg, python, tail)
    except Exception as exc:  # noqa: BLE001 - the operator hears of any failure, then it propagates
        log.exception("chu kỳ lỗi / cycle failed")
        from tctt.alert import send_alert

        send_alert(cfg, EXIT_FAILURE, [*tail, f"{type(exc).__name__}: {exc}"])
        raise
    if code not in (EXIT_OK, EXIT_LOCKED):
        from tctt.alert import send_alert

        send_alert(cfg, code, tail)
    return code


def _cycle(cfg: Config, python: str, tail: list[str]) -> int:
    check(cfg)
    lock = FileLock(str(lock_path(cfg)))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("bỏ qua: một lượt khác đang chạy / skipped: another run holds the lock %s", lock_path(cfg))
        return EXIT_LOCKED
    try:
        command = [python, "-m", "tctt.cli", "audit", "--registry", str(cfg.registry), "--db", str(cfg.db),
                   "--out", str(cfg.out), "--lang", cfg.lang, "--schedule", cfg.cron]
        if cfg.allow_private:
            command.append("--allow-private")
        if cfg.archive_dir:
            command += ["--set", f"TCTT_WARC_DIR={cfg.archive_dir}"]
        if cfg.archive_max_bytes is not None:
            command += ["--set", f"TCTT_WARC_MAX_BYTES={cfg.archive_max_bytes}"]
        log.info("bắt đầu kiểm tra / audit starting: %s", " ".join(command[3:]))
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True)
        for line in (result.stdout + result.stderr).splitlines():
            if line.strip():
                log.info("  %s", line)
                tail.append(line)
        log.info("kiểm tra xong / audit finished: exit %s in %.0f s", result.returncode, time.monotonic() - started)
        if result.returncode != 0:
            log.error("lượt kiểm tra không hoàn tất, không gửi thư / the audit did not complete, no e-mail sent")
            return result.returncode
        _prune_archives(cfg)
        if cfg.email_after_run:
            return _email(cfg)
        return EXIT_OK
    finally:
        lock.release()


def _prune_archives(cfg: Config) -> None:
    """The retention of the evidence archive: the newest ``[archive] keep_runs`` runs keep theirs."""
    if cfg.archive_keep_runs <= 0:
        return
    from core.archive import prune
    from core.store import Store

    store = Store(cfg.db)
    try:
        for gone in prune(store, cfg.archive_keep_runs):
            log.info("lưu trữ / archive: run %s pruned, %s freed (%s bytes)", gone["run_id"], gone["file"], gone["bytes"])
    finally:
        store.close()


def _email(cfg: Config) -> int:
    from core.store import Store
    from tctt.mail import MailError, compose_run, deliver, write_outbox

    store = Store(cfg.db)
    try:
        run_id = int(store.run("latest")["id"])
        try:
            items = compose_run(store, cfg, run_id)
            outcome = (deliver(store, cfg, items, run_id) if cfg.send_after_run
                       else write_outbox(items, cfg.outbox, run_id))
        except MailError as exc:  # no sender, or a login that would go out in clear text
            log.error("%s", exc)
            return EXIT_BAD_INPUT
    finally:
        store.close()
    log.info("thư / e-mail (run %s): sent %d, outbox %d, already sent %d, no address %s, invalid %s, failed %s",
             run_id, len(outcome.sent), len(outcome.written), len(outcome.already_sent), outcome.no_address or "-",
             outcome.invalid_address or "-", [a for a, _ in outcome.failed] or "-")
    return EXIT_OK if not outcome.failed else ExitCode.DELIVERY


def serve(cfg: Config, *, cycle: Callable[[Config], int] = run_cycle, now: Callable[[], datetime] = datetime.now,
          sleep: Callable[[float], None] = time.sleep, max_cycles: int | None = None) -> None:
    """Run ``cycle`` at every time of the cron expression (local time), forever or ``max_cycles`` times."""
    check(cfg)
    done = 0
    while max_cycles is None or done < max_cycles:
        due = next_times(cfg.cron, now())[0]
        log.info("lượt kế tiếp / next run at %s", due.isoformat(timespec="seconds"))
        while (wait := (due - now()).total_seconds()) > 0:
            sleep(min(wait, 60.0))   # wake regularly so a clock change is noticed
        code = cycle(cfg)
        log.info("chu kỳ kết thúc / cycle ended with exit %s", code)
        done += 1
