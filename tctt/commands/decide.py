"""``tctt decide``: record, list or revoke an inspector's decision on a finding ("đã xác minh")."""

from __future__ import annotations

import argparse
import sys

from auditors.decisions import KINDS
from core.exit_codes import ExitCode


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("decide", help="quyết định của cán bộ kiểm tra / inspector decisions on findings")
    dsub = p.add_subparsers(dest="decide_command", required=True, metavar="SUBCOMMAND")
    q = dsub.add_parser("add", help="ghi một quyết định / record a decision")
    q.add_argument("--db", default="tctt.db")
    q.add_argument("--run", default="latest", help="lượt có bằng chứng đã xem / run whose evidence was examined")
    q.add_argument("--agency", required=True)
    q.add_argument("--rule", required=True)
    q.add_argument("--as", dest="kind", required=True, choices=KINDS,
                   help="compliant = chấp nhận là đạt / accepted as compliant; excused = miễn trừ / excused")
    q.add_argument("--reason", required=True, help="lý do / reason")
    q.add_argument("--inspector", required=True, help="họ tên cán bộ / inspector's name")
    q.add_argument("--expires", required=True, help="ngày hết hạn YYYY-MM-DD / expiry date")
    q = dsub.add_parser("section", help="xác nhận hoặc bác bỏ ứng viên Chuyên mục / confirm or reject a "
                                        "section candidate",
                        description="Khi máy chưa chắc một trang có phải Chuyên mục không (kết quả \"manual\"), "
                                    "thanh tra viên kết luận; kết luận áp dụng cho các lượt sau (chấm lại bằng "
                                    "tctt score) / when the crawler is unsure whether a page is the section "
                                    "(finding \"manual\"), the inspector decides; the decision holds for later "
                                    "runs (re-score with tctt score).")
    q.add_argument("--db", default="tctt.db")
    q.add_argument("--run", default="latest", help="lượt có ứng viên đã xem / run whose candidates were examined")
    q.add_argument("--agency", required=True)
    q.add_argument("--url", required=True, help="địa chỉ ứng viên / the candidate's URL")
    q.add_argument("--as", dest="verdict", required=True, choices=("confirmed", "rejected"),
                   help="confirmed = đúng là Chuyên mục / is the section; rejected = không phải / is not")
    q.add_argument("--reason", required=True, help="lý do / reason")
    q.add_argument("--inspector", required=True, help="họ tên cán bộ / inspector's name")
    q = dsub.add_parser("section-revoke", help="thu hồi kết luận về Chuyên mục / revoke a section decision")
    q.add_argument("id", type=int)
    q.add_argument("--db", default="tctt.db")
    q = dsub.add_parser("list", help="liệt kê quyết định / list decisions")
    q.add_argument("--db", default="tctt.db")
    q = dsub.add_parser("revoke", help="thu hồi quyết định / revoke a decision")
    q.add_argument("id", type=int)
    q.add_argument("--db", default="tctt.db")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from auditors import decisions
    from core import sectionstatus
    from core.store import Store

    store = Store(args.db)
    try:
        if args.decide_command == "section":
            decision_id = sectionstatus.record(store, agency_id=args.agency, url=args.url, verdict=args.verdict,
                                               reason=args.reason, inspector=args.inspector, run=args.run)
            print(f"Đã ghi kết luận về Chuyên mục / section decision recorded: #{decision_id}. Chấm lại để áp dụng / "
                  "re-score to apply it: tctt score")
        elif args.decide_command == "section-revoke":
            sectionstatus.revoke(store, args.id)
            print(f"Đã thu hồi / revoked: section #{args.id}")
        elif args.decide_command == "add":
            decision_id = decisions.record(store, agency_id=args.agency, rule_id=args.rule, kind=args.kind,
                                           reason=args.reason, inspector=args.inspector, expires=args.expires,
                                           run=args.run)
            print(f"Đã ghi quyết định / decision recorded: #{decision_id}")
        elif args.decide_command == "revoke":
            decisions.revoke(store, args.id)
            print(f"Đã thu hồi / revoked: #{args.id}")
        else:
            for row in decisions.all_decisions(store):
                state = "thu hồi / revoked" if row["revoked_at"] else f"hết hạn / expires {row['expires']}"
                print(f"#{row['id']} {row['agency_id']}/{row['rule_id']} {row['decision']} (lượt / run {row['run_id']}, "
                      f"{row['inspector']}, {state}): {row['reason']}")
            for row in sectionstatus.all_decisions(store):
                state = "thu hồi / revoked" if row["revoked_at"] else "đang áp dụng / standing"
                print(f"section #{row['id']} {row['agency_id']} {row['verdict']} {row['url']} (lượt / run "
                      f"{row['run_id']}, {row['inspector']}, {state}): {row['reason']}")
    except (decisions.DecisionError, sectionstatus.SectionDecisionError) as exc:
        print(exc, file=sys.stderr)
        return ExitCode.BAD_INPUT
    finally:
        store.close()
    return 0
