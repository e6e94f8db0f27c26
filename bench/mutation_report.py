"""Refresh the score table of docs/mutation.md from ``mutation-work/*/result.json``.

The table sits between the two ``mutation-scores`` markers: a module with a result in this checkout
gets its row rewritten, the rows of the others stay as they were. The rest of the page (how to run it,
why each surviving mutant is equivalent) is written by hand. A surviving mutant that the page does
not name is counted as "unexplained" and printed, so a new survivor cannot hide.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "mutation.md"
BEGIN, END = "<!-- mutation-scores:begin -->", "<!-- mutation-scores:end -->"


def main() -> int:
    page = PAGE.read_text(encoding="utf-8")
    head, _, rest = page.partition(BEGIN)
    _, _, tail = rest.partition(END)
    explained = head + tail
    rows = [
        "| module | mutants | killed | survived: equivalent (listed below) | survived: unexplained | score | "
        "score of the non-equivalent | time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    # A module run here replaces its row; the rows of modules not run in this checkout are kept.
    kept = {
        match.group(1): line
        for line in rest.partition(END)[0].splitlines()
        if (match := re.match(r"\| `([^`]+)` \|", line))
    }
    fresh: dict[str, str] = {}
    unexplained_all: list[str] = []
    for path in sorted((ROOT / "mutation-work").glob("*/result.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        total, killed, survived = result["total"], result["killed"], result["survived"]
        # A mutant is named on the page by its short name: ``x_check__mutmut_8`` of its module.
        unexplained = [n for n in survived if not re.search(rf"`{re.escape(short(n))}`", explained)]
        equivalent = len(survived) - len(unexplained)
        not_run = total - killed - len(survived)
        unexplained_all += unexplained
        score = f"{100 * killed / total:.1f} %" if total else "–"
        real = total - equivalent
        real_score = f"{100 * killed / real:.1f} %" if real else "–"
        note = f" ({not_run} not run)" if not_run else ""
        fresh[result["module"]] = (
            f"| `{result['module']}` | {total}{note} | {killed} | {equivalent} | {len(unexplained)} | "
            f"{score} | {real_score} | {result['seconds']} s |"
        )
    rows += [fresh.pop(module, line) for module, line in kept.items()] + list(fresh.values())
    table = "\n".join(rows)
    PAGE.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")
    print(table)
    for name in unexplained_all:
        print(f"unexplained survivor: {name}  (kill it with a test, or list it in docs/mutation.md)")
    return 0


def short(name: str) -> str:
    """``generator.rules.quorum.x_check__mutmut_8`` → ``quorum.x_check__mutmut_8``."""
    module, _, function = name.rpartition(".")
    return f"{module.rpartition('.')[2]}.{function}"


if __name__ == "__main__":
    sys.exit(main())
