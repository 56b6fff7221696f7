"""``tctt rules``: list, show, validate the ruleset or write its HTML reference."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.exit_codes import ExitCode
from tctt.commands._shared import ruleset_of, say, with_lang, with_ruleset


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="bộ tiêu chí / the ruleset")
    rules_sub = p.add_subparsers(dest="rules_command", required=True, metavar="SUBCOMMAND")
    q = rules_sub.add_parser("list", help="liệt kê tiêu chí / list the rules")
    q.add_argument("--format", choices=("text", "json"), default="text")
    with_ruleset(q)
    q = rules_sub.add_parser("show", help="xem một tiêu chí / show one rule's YAML")
    q.add_argument("id")
    with_ruleset(q)
    q = rules_sub.add_parser("validate", help="kiểm tra bộ tiêu chí / validate a ruleset folder")
    q.add_argument("path", nargs="?", default=None, help="thư mục / folder (default: bundled core)")
    q.add_argument("--overlay", action="append", default=None, metavar="FILE", help="kiểm tra cả tệp điều chỉnh / also validate an overlay")
    q = rules_sub.add_parser("docs", help="viết tài liệu tiêu chí HTML / write the HTML rules reference")
    q.add_argument("--out", default="out/rules", help="thư mục / output folder (default: %(default)s)")
    with_lang(q)
    with_ruleset(q)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from auditors import param_schemas
    from rules import RuleError, apply_overlay, load_ruleset

    if args.rules_command == "validate":
        try:
            ruleset = load_ruleset(args.path, known_auditors=param_schemas())
            for path in args.overlay or []:
                ruleset = apply_overlay(ruleset, path, known_auditors=param_schemas())
        except RuleError as exc:
            say("Bộ tiêu chí không hợp lệ / invalid ruleset:")
            for problem in exc.problems:
                say(f"  {problem}")
            return ExitCode.BAD_INPUT
        print(f"Hợp lệ / valid: {ruleset.id} {ruleset.label}, {len(ruleset.rules)} tiêu chí / rules")
        return ExitCode.OK
    ruleset = ruleset_of(args)
    if args.rules_command == "show":
        try:
            rule = ruleset.rule(args.id)
        except KeyError:
            say(f"Không có tiêu chí / no such rule: {args.id}")
            return ExitCode.BAD_INPUT
        print(Path(rule.source).read_text(encoding="utf-8"))
        return ExitCode.OK
    if args.rules_command == "docs":
        from reports.rulesdoc import write_rules_reference

        index = write_rules_reference(ruleset, args.out, lang=args.lang)
        print(f"Tài liệu tiêu chí / rules reference: {index.resolve()}")
        return ExitCode.OK
    from rules import accuracy_for, basis_row

    # The precision/recall measured on the gold set for this very version (tctt evaluate --record).
    accuracy = accuracy_for(ruleset.path, ruleset.id, ruleset.version) or {}
    measured = accuracy.get("rules") or {}
    rows = [{"id": r.id, "class": r.rule_class, "weight": r.weight, "mode": r.mode, "title": r.title,
             "covers": r.covers, "legal_basis": [basis_row(b) for b in r.legal_basis], "transition": r.transition,
             "criteria": r.criteria, "class_from": r.class_from, "limits": r.limits,
             "check": {"auditor": r.auditor, "params": r.params}, "accuracy": measured.get(r.id)}
            for r in ruleset.rules]
    if args.format == "json":
        print(json.dumps({"ruleset": ruleset.id, "version": ruleset.version, "overlays": ruleset.overlays,
                          "regimes": ruleset.regimes, "rules": rows,
                          "accuracy": {k: v for k, v in accuracy.items() if k != "rules"} or None},
                         ensure_ascii=False, indent=2))
    else:
        print(f"{ruleset.id} {ruleset.version} — {ruleset.title['vi']}")
        if accuracy:
            print(f"  Độ chính xác / accuracy ({accuracy.get('gold_portals')} cổng mẫu / gold portals, "
                  f"{(accuracy.get('measured_at') or '')[:10]}): tìm Chuyên mục / section {accuracy.get('section_accuracy')}")
            print("  (mức khớp với chính sách gán nhãn trên cổng mẫu tự tạo, không phải tính đúng pháp lý / agreement with "
                  "the labelling policy on generated portals, not legal correctness)")
        else:
            print("  Độ chính xác chưa được đo cho phiên bản này / accuracy not measured for this version (tctt evaluate --record)")
        for r in ruleset.rules:
            figures = measured.get(r.id) or {}
            f1 = "  —  " if figures.get("f1") is None else f"{figures['f1']:.3f}"
            print(f"  {r.id:<24} {r.rule_class:<12} {r.weight:>3g}  {','.join(r.covers):<30} F1 {f1}  {r.title['vi']}")
    return ExitCode.OK
