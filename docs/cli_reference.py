"""Write docs/cli.md from the real ``gongkai --help`` of every command.

python docs/cli_reference.py          # rewrite docs/cli.md
python docs/cli_reference.py --check  # exit 1 if docs/cli.md is stale (tests/test_docs.py)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"


def reference() -> str:
    """The page: the top-level help, then each command's, as argparse prints them at 100 columns."""
    os.environ["COLUMNS"] = "100"  # argparse wraps at the terminal's width: fixed, so the page is stable
    sys.path.insert(0, str(ROOT))
    from generator.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    parts = [
        "# `gongkai` 命令参考\n",
        "由 `python docs/cli_reference.py` 根据各命令的 `--help` 生成，请勿手工修改"
        "（`tests/test_docs.py` 检查它与代码一致）。\n",
        "```text\n" + parser.format_help().rstrip() + "\n```\n",
    ]
    for name, sub in commands.choices.items():
        parts.append(f"## gongkai {name}\n")
        parts.append("```text\n" + sub.format_help().rstrip() + "\n```\n")
    return "\n".join(parts)


def main() -> int:
    text = reference()
    if "--check" in sys.argv[1:]:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != text:
            print(
                "docs/cli.md 与 gongkai --help 不一致：请运行 python docs/cli_reference.py", file=sys.stderr
            )
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
