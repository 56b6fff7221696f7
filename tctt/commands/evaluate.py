"""``tctt evaluate``: measure section finding and every rule against the gold set of sample portals."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.exit_codes import ExitCode

# 7: main's CLI already uses 5 (undelivered e-mail) and 6 (schedule lock).


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="đo độ chính xác trên bộ mẫu chuẩn / measure accuracy on the gold set of sample portals",
        description="Phục vụ bộ cổng mẫu chuẩn trên loopback, kiểm tra và so với nhãn đúng / serve the gold "
                    "portals on loopback, audit them and compare with their labels. Mã thoát / exit codes: 0 xong/"
                    "done, 2 dữ liệu vào sai/bad input, 7 dưới ngưỡng/below threshold (with --check).")
    p.add_argument("--gold", default=None, help="thư mục cổng mẫu / folder of portal specs (default: bundled gold set)")
    p.add_argument("--out", default="out/evaluation", help="thư mục kết quả / output folder (default: %(default)s)")
    p.add_argument("--ruleset", default=None, help="thư mục bộ tiêu chí / ruleset folder (default: bundled core)")
    p.add_argument("--record", action="store_true",
                   help="ghi kết quả vào accuracy.json của bộ tiêu chí / store the figures in the ruleset's accuracy.json")
    p.add_argument("--check", action="store_true",
                   help="mã thoát 7 nếu dưới ngưỡng / exit 7 when below the thresholds")
    p.add_argument("--min-section", type=float, default=0.95, help="ngưỡng tìm Chuyên mục / section accuracy (%(default)s)")
    p.add_argument("--min-f1", type=float, default=0.90, help="ngưỡng F1 tiêu chí thiết yếu / essential-rule F1 (%(default)s)")
    p.add_argument("--synthetic", type=int, default=0, metavar="N",
                   help="thay bộ mẫu bằng N cổng sinh ngẫu nhiên / evaluate N generated portals instead of the gold set")
    p.add_argument("--seed", type=int, default=1, help="hạt giống cho --synthetic / seed of --synthetic (%(default)s)")
    p.add_argument("--realpages", default=None, metavar="DIR",
                   help="bộ trang thật có nhãn / labelled real-page set (default: tests/data/realpages)")
    p.add_argument("--record-thresholds", action="store_true",
                   help="chọn lại ngưỡng Chuyên mục từ số đo và ghi vào core/section_thresholds.json / choose the "
                        "section thresholds from the measurement and store them")
    p.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    p.set_defaults(func=run)


def below_thresholds(result: dict, min_section: float, min_f1: float) -> list[str]:
    """What falls short: section accuracy, or the F1 of an essential rule."""
    problems = []
    if (result["section_accuracy"] or 0) < min_section:
        problems.append(f"section finding / tìm Chuyên mục {result['section_accuracy']} < {min_section}")
    for rule_id, figures in result["rules"].items():
        if figures["class"] == "essential" and figures["labelled"] and (figures["f1"] or 0) < min_f1:
            problems.append(f"{rule_id} F1 {figures['f1']} < {min_f1}")
    return problems


def run(args: argparse.Namespace) -> int:
    from farms.gold import SpecError
    from farms.gold.evaluate import format_table, record_accuracy
    from tctt.evaluation import evaluate

    try:
        gold = evaluate(args.gold, args.out, ruleset_dir=args.ruleset, log_level=args.log_level,
                        synthetic=(args.synthetic, args.seed) if args.synthetic > 0 else None)
    except SpecError as exc:
        print(f"Bộ mẫu không hợp lệ / invalid gold set: {exc}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    print(format_table(gold.result))
    from farms.gold import realpages

    real = None
    if args.realpages is None and not realpages.REALPAGES_DIR.is_dir():
        # An installed copy without the source tree's test data: the gold figure alone.
        print("\nKhông có bộ trang thật / no real-page set here (tests/data/realpages); --realpages DIR",
              file=sys.stderr)
    else:
        try:
            real = realpages.evaluate(args.realpages)
        except realpages.RealPagesError as exc:
            print(exc, file=sys.stderr)
            return ExitCode.BAD_INPUT
        print("\n" + realpages.format_figure(real))
        gold.result["real_pages"] = {k: v for k, v in real.items() if k != "rows"}
        Path(args.out, "evaluation.json").write_text(json.dumps(gold.result, ensure_ascii=False, indent=2),
                                                     encoding="utf-8")
        from reports.evaluation import render_evaluation

        render_evaluation(gold.result, Path(args.out, "index.html"))
    if args.record_thresholds and (args.synthetic or real is None):
        print("--record-thresholds cần bộ mẫu chuẩn và bộ trang thật / --record-thresholds needs the gold set and "
              "the real pages", file=sys.stderr)
    elif args.record_thresholds:
        from farms.gold import thresholds

        chosen = thresholds.measure(gold.result, real)
        print(f"Ngưỡng Chuyên mục / section thresholds: found ≥ {chosen['found']}, absent < {chosen['absent']} "
              f"({chosen['rule']}); đã ghi / recorded: {thresholds.record(chosen)}")
    print(f"\nKết quả / results: {args.out}/evaluation.json, {args.out}/index.html")
    if args.record and args.synthetic:
        print("--record chỉ dùng với bộ mẫu chuẩn / --record needs the gold set, not --synthetic", file=sys.stderr)
    elif args.record:
        print(f"Đã ghi / recorded: {record_accuracy(gold.result, args.ruleset)}")
    problems = below_thresholds(gold.result, args.min_section, args.min_f1)
    for problem in problems:
        print(f"Dưới ngưỡng / below threshold: {problem}", file=sys.stderr)
    return ExitCode.BELOW_THRESHOLD if problems and args.check else ExitCode.OK
