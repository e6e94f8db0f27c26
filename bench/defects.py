"""The realistic one-line defects that once passed the whole suite, made again one at a time.

    python bench/defects.py

Each defect is applied to this checkout, the tests of its class are run, and the file is restored
(also if the run is interrupted). Every line must say "caught". docs/mutation.md keeps the last
result; ``make mutate`` measures the same habit module by module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: (name, file, the line as it is, the line with the defect, the tests of its class)
CASES: list[tuple[str, str, str, str, list[str]]] = [
    (
        "escaping: stance remark unescaped",
        "generator/render/html.py",
        'data-label="意见说明">{escape(s.remark)}</td>',
        'data-label="意见说明">{s.remark}</td>',
        ["tests/test_escaping_everywhere.py"],
    ),
    (
        "silent edit: compare sizes not bytes",
        "generator/guard/nothing_lost.py",
        "old_file.read_bytes() == new_file.read_bytes()",
        "len(old_file.read_bytes()) == len(new_file.read_bytes())",
        ["tests/test_silent_edits.py"],
    ),
    (
        "mobile prefix narrowed to 1[3-8]",
        "generator/validate/privacy.py",
        "(1[3-9][0-9](?:",
        "(1[3-8][0-9](?:",
        ["tests/test_privacy_boundaries.py"],
    ),
    (
        "swap: delete the old site instead of renaming it aside",
        "generator/release/swap.py",
        "out_dir.rename(trash / out_dir.name)",
        "shutil.rmtree(out_dir)",
        ["tests/test_publish_swap.py"],
    ),
    (
        "phone media query turned inside out",
        "theme/overrides/assets/gongkai.css",
        "@media screen and (max-width: 59.9375em) {",
        "@media screen and (min-width: 59.9375em) {",
        ["tests/test_phone_browser.py"],
    ),
    (
        "last day of a quarter refused",
        "generator/validate/domain.py",
        "not start <= value <= end",
        "not start <= value < end",
        ["tests/test_boundaries.py", "-k", "first_and_last or edges"],
    ),
    (
        "feed cut to its first 100, not newest 100",
        "generator/export/feeds.py",
        "        reverse=True,\n    )[:LIMIT]\n    entries = [_decision_entry",
        "        reverse=False,\n    )[:LIMIT]\n    entries = [_decision_entry",
        ["tests/test_feeds_newest.py"],
    ),
]
ENV = {
    **os.environ,
    "PYTHONPATH": str(ROOT),
    "PAGEFIND_BINARY_PATH": str(ROOT / "node_modules/@pagefind/linux-x64/bin/pagefind_extended"),
}


def main() -> int:
    missed = 0
    for name, file, old, new, tests in CASES:
        missed += not caught(name, file, old, new, tests)
    return 1 if missed else 0


def caught(name: str, file: str, old: str, new: str, tests: list[str]) -> bool:
    path = ROOT / file
    text = path.read_text(encoding="utf-8")
    if text.count(old) != 1:
        print(f"cannot apply | {name} | {file} no longer holds the line (update bench/defects.py)")
        return False
    path.write_text(text.replace(old, new), encoding="utf-8")
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    finally:
        path.write_text(text, encoding="utf-8")
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-200:]
    # A test that fails is what we want; a collection error or crash is not a catch.
    ok = run.returncode == 1
    print(f"{'caught' if ok else 'MISSED'} | {name} | {' '.join(tests)} | {last}", flush=True)
    return ok


if __name__ == "__main__":
    sys.exit(main())
