"""The exit codes of every ``tctt`` command: one table, shown by ``tctt --help`` and the README.

A script that runs the tool (cron, CI, an inspector's batch file) can tell a finished audit from bad
input, a missing run, an interrupted crawl, undelivered mail or a busy schedule by the code alone.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1
    BAD_INPUT = 2
    NOT_IN_STORE = 3
    INCOMPLETE = 4
    DELIVERY = 5
    LOCKED = 6
    BELOW_THRESHOLD = 7
    ESSENTIAL_GAP = 8        # tctt check
    UNREACHABLE = 9          # tctt check, tctt discover
    BLOCKED = 10             # tctt check
    NO_CONTACT = 11          # tctt audit, tctt crawl: a public crawl without TCTT_CONTACT
    MISSING_EXTRA = 12       # tctt cluster, tctt worker without the [cluster] extra


# Vietnamese / English meaning of each code, as --help and the README state it.
MEANINGS: dict[ExitCode, tuple[str, str]] = {
    ExitCode.OK: ("xong", "done"),
    ExitCode.FAILURE: ("lỗi ngoài dự kiến", "unexpected failure"),
    ExitCode.BAD_INPUT: ("dữ liệu vào sai (sổ đăng ký, tham số, bộ tiêu chí)",
                         "bad input (registry, arguments, ruleset)"),
    ExitCode.NOT_IN_STORE: ("CSDL không có lượt được hỏi", "the database does not hold the run asked for"),
    ExitCode.INCOMPLETE: ("lượt thu thập bị ngắt (đánh dấu chưa hoàn tất)",
                          "the crawl was interrupted (the run is marked incomplete)"),
    ExitCode.DELIVERY: ("có thư chưa gửi được (gửi lại lần sau)",
                        "some e-mails could not be delivered (retried on the next call)"),
    ExitCode.LOCKED: ("một lượt theo lịch khác đang giữ khóa", "another scheduled run holds the lock"),
    ExitCode.BELOW_THRESHOLD: ("độ chính xác đo được dưới ngưỡng (tctt evaluate --check)",
                               "measured accuracy below the thresholds (tctt evaluate --check)"),
    ExitCode.ESSENTIAL_GAP: ("tctt check: có tiêu chí thiết yếu chưa đạt (không đạt hoặc đạt một phần)",
                             "tctt check: an essential rule is not met (fail or partial)"),
    ExitCode.UNREACHABLE: ("tctt check, tctt discover: không truy cập được cổng hoặc cổng trả lỗi",
                           "tctt check, tctt discover: the portal is unreachable or answered with an error"),
    ExitCode.BLOCKED: ("tctt check: cổng chặn trình thu thập hoặc robots.txt cấm",
                       "tctt check: the portal blocks the crawler or robots.txt forbids it"),
    ExitCode.NO_CONTACT: ("tctt audit, tctt crawl: thu thập cổng công khai mà chưa đặt TCTT_CONTACT",
                          "tctt audit, tctt crawl: a public crawl without an operator contact (TCTT_CONTACT)"),
    # No hyphenated word here: --help wraps lines at hyphens, and the table must read the same in both.
    ExitCode.MISSING_EXTRA: ("tctt cluster, tctt worker: thiếu gói tùy chọn [cluster]",
                             "tctt cluster, tctt worker: the optional [cluster] extra is not installed"),
}


def epilog() -> str:
    """The exit-code table for ``--help``."""
    return "Mã thoát / exit codes: " + "; ".join(f"{int(code)} {vi} / {en}" for code, (vi, en) in MEANINGS.items())
