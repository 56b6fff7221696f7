"""The documentation cannot drift from the code: every command is documented and has help, and the
README's exit-code table is the one the code uses."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from core.exit_codes import MEANINGS, ExitCode
from tctt.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001 - argparse offers no public walk
    return dict(sub.choices)


def test_every_command_has_help_and_is_in_the_readme():
    commands = _commands()
    assert {"demo", "audit", "crawl", "score", "report", "export", "rules"} <= set(commands)
    for name, command in commands.items():
        assert command.format_help().strip(), name
        assert f"tctt {name}" in README, f"`tctt {name}` is not documented in README.md"


def test_readme_exit_code_table_is_the_codes_table():
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", README, flags=re.MULTILINE))
    assert {int(code) for code in rows} == {int(code) for code in ExitCode}
    for code, (_vi, en) in MEANINGS.items():
        assert rows[str(int(code))] == en, code


def test_help_states_every_exit_code():
    text = " ".join(build_parser().format_help().split())
    for code, (vi, en) in MEANINGS.items():
        assert f"{int(code)} {vi} / {en}" in text


DOCS = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # noqa: SLF001 - argparse offers no public walk
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return dict(action.choices)
    return {}


def test_every_tctt_command_the_docs_mention_exists():
    commands = _commands()
    mentioned = 0
    for name, text in DOCS.items():
        for command, sub in re.findall(r"\btctt ([a-z][a-z_-]*)(?: ([a-z][a-z-]*))?", text):
            mentioned += 1
            assert command in commands, f"{name} mentions `tctt {command}`, which does not exist"
            subs = _subcommands(commands[command])
            if subs and sub:
                assert sub in subs, f"{name} mentions `tctt {command} {sub}`, which does not exist"
    assert mentioned > 50  # the pattern still finds the commands the docs show


def test_no_text_points_outside_the_repository():
    for name, text in DOCS.items():
        assert "../shared" not in text, name


def test_readme_stays_a_users_page():
    assert README.count("\n") <= 250
    for link in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / link).exists(), link
