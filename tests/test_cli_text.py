"""`gongkai --help` and every usage error speak Chinese, argparse's own words included."""

from __future__ import annotations

import argparse
import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import build_parser
from generator.core.cli_text import TEXTS

REPO = Path(__file__).resolve().parent.parent
#: argparse texts that only a programmer's mistake in building the parser can show, never a user.
PROGRAMMER_ONLY = {
    "'required' is an invalid argument for positionals",
    "%r is not callable",
    ".__call__() not defined",
    'argument "-" with mode %r',
    "cannot have multiple subparser arguments",
    "cannot merge actions - two groups are named %r",
    "conflicting subparser alias: %s",
    "conflicting subparser: %s",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "mutually exclusive arguments must be optional",
}
ENGLISH = re.compile(r"usage|options|positional|show this|help message|error:|arguments?\b|invalid|expected")


def gongkai(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_every_text_argparse_can_show_a_user_is_translated() -> None:
    source = inspect.getsource(argparse)
    texts = set(re.findall(r"""\b_\(\s*'((?:[^'\\]|\\.)*)'\s*\)""", source))
    texts |= set(re.findall(r"""\b_\(\s*"((?:[^"\\]|\\.)*)"\s*\)""", source))
    texts = {t.encode().decode("unicode_escape") for t in texts}
    missing = sorted(texts - PROGRAMMER_ONLY - set(TEXTS))
    assert texts and not missing, f"argparse texts not translated: {missing}"


@pytest.mark.parametrize("command", [None, *commands()])
def test_help_is_chinese(command: str | None) -> None:
    run = gongkai(*([command] if command else []), "--help")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("用法：gongkai")
    assert "选项：" in run.stdout and "显示本帮助并退出" in run.stdout
    assert not ENGLISH.search(run.stdout.replace("--", " ").lower()), run.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build", "--bogus"], "无法识别的参数：--bogus"),
        (["serve", "--port", "x"], "参数 --port：“x”不是整数"),
        (["bogus"], "无效的取值 'bogus'"),
        (["demo", "--units"], "参数 --units：需要一个值"),
        (["demo"], "缺少必需的参数：--out"),
        (["validate", "--format", "xml"], "无效的取值 'xml'"),
    ],
)
def test_usage_errors_are_chinese(args: list[str], expected: str) -> None:
    run = gongkai(*args)
    assert run.returncode == 2
    assert expected in run.stderr, run.stderr
    assert run.stderr.startswith("用法：")
    assert not ENGLISH.search(run.stderr.replace("--", " ").lower()), run.stderr


def test_the_command_says_everything_before_it_ends(tmp_path: Path) -> None:
    """The command ends its process at once (``generator.cli.run``, no interpreter shutdown): all it
    printed into a pipe still arrives, with its exit status."""
    mini = REPO / "tests" / "fixtures" / "mini"
    done = gongkai("validate", str(mini), "--format", "json")
    assert done.returncode == 0 and '"valid": true' in done.stdout and done.stdout.endswith("}\n")
    broken = tmp_path / "data"
    shutil.copytree(mini, broken)
    (broken / "fgw" / "2025Q1" / "decisions.csv").write_text("decision_id\n", encoding="utf-8")
    failed = gongkai("validate", str(broken))
    assert failed.returncode == 1 and "decisions.csv" in failed.stdout + failed.stderr
    assert failed.stdout.rstrip().endswith("。")  # the summary line, last
