"""One delivery per gap report, whatever runs at the same time: each (run, agency) is claimed in the
database, in one statement, before its message is handed to SMTP.

Two ``tctt email --send`` started together (by hand, by the schedule, on two machines sharing the file)
both read "not sent" and both sent. Now a sender first turns the delivery row to ``sending``, and only
the one whose update changed the row sends; the other skips it. A claim whose sender died (no ``sent``,
no ``failed`` after ``STALE_SECONDS``) may be taken again: by then that sender's SMTP session has long
timed out, so at most it delivered the message and could not record it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.store import Store, now_iso

STALE_SECONDS = 3600
SENDING = "sending"


def claim(store: Store, run_id: int, agency_id: str, stale_seconds: float = STALE_SECONDS) -> str | None:
    """None when this sender now owns the delivery; otherwise the status that keeps it from sending
    ('sent', or 'sending' when another sender holds it)."""
    conn = store.db.conn
    conn.execute("insert or ignore into deliveries (run_id, agency_id, attempts) values (?, ?, 0)",
                 [run_id, agency_id])
    stale = (datetime.now(UTC) - timedelta(seconds=stale_seconds)).isoformat(timespec="seconds")
    changed = conn.execute(
        "update deliveries set status = ?, last_attempt_at = ? where run_id = ? and agency_id = ? and "
        "(status is null or status not in ('sent', ?) or (status = ? and coalesce(last_attempt_at, '') < ?))",
        [SENDING, now_iso(), run_id, agency_id, SENDING, SENDING, stale]).rowcount
    if changed == 1:
        return None
    row = conn.execute("select status from deliveries where run_id = ? and agency_id = ?",
                       [run_id, agency_id]).fetchone()
    return row[0] if row else SENDING
