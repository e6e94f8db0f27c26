"""The docs that can drift from the code are checked against it: the command reference is the real
``--help``, ARCHITECTURE.md names only modules that exist and every stage folder there is, and
the README's links lead somewhere."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "generator"


def architecture() -> str:
    return (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_the_command_reference_is_the_real_help() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "cli_reference.py"), "--check"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


def test_every_command_is_in_the_reference() -> None:
    from generator.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in commands.choices if f"## gongkai {name}\n" not in page]
    assert not missing, f"commands missing from docs/cli.md: {missing}"


def named_paths(text: str) -> set[str]:
    """Every ``generator/…`` path and every ``stage/module.py`` the page names in backticks."""
    names = set(re.findall(r"generator/[\w/]+(?:\.py)?", text))
    names |= {
        f"generator/{m}"
        for m in re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)", text)
        if not m.startswith(("generator/", "tests/", "docs/", "bench/"))
    }
    return names


def test_architecture_names_only_what_exists() -> None:
    text = architecture()
    missing = sorted(p for p in named_paths(text) if not (ROOT / p).exists())
    assert not missing, f"ARCHITECTURE.md names what does not exist: {missing}"
    for test in re.findall(r"`(tests/[\w/]+\.py)`", text):
        assert (ROOT / test).is_file(), test


def test_architecture_names_every_stage_folder_and_top_module() -> None:
    text = architecture()
    folders = sorted(p.name for p in GENERATOR.iterdir() if (p / "__init__.py").is_file())
    modules = sorted(p.name for p in GENERATOR.glob("*.py") if p.name != "__init__.py")
    missing = [f"{f}/" for f in folders if f"{f}/" not in text] + [m for m in modules if m not in text]
    assert not missing, f"ARCHITECTURE.md does not say where these are: {missing}"


def test_the_readme_links_lead_somewhere() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    local = [link for link in links if not link.startswith(("http://", "https://"))]
    assert local and all((ROOT / link).exists() for link in local), [
        p for p in local if not (ROOT / p).exists()
    ]
