"""Mutation testing of the modules that guard users (``make mutate``; docs/mutation.md).

Each module is run on its own, with only the tests that exercise it, in a scratch folder
``mutation-work/<module>/`` that holds a generated ``pyproject.toml`` (mutmut's ``[tool.mutmut]``
settings) and links to this checkout's ``generator/``, ``tests/`` and ``data/``. mutmut copies
them into ``mutants/`` there, mutates only the one module and runs the module's tests against
every mutant. The counts are written to ``mutation-work/<module>/result.json`` and the table in
docs/mutation.md is refreshed from all results (``bench/mutation_report.py``).

    python bench/mutate.py                       # every module in MODULES, in order
    python bench/mutate.py generator/validate/privacy.py  # one module
    python bench/mutate.py --fresh generator/validate/privacy.py  # forget the earlier run first

It needs mutmut (the ``mutate`` extra of pyproject.toml), in a virtualenv of its own:
``make mutate`` makes one in ``.mutvenv``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "mutation-work"

#: Module → the tests that exercise it in-process (mutmut runs, per mutant, only those of them that
#: reach the mutated function). Tests that start ``python -m generator.cli`` in a subprocess import
#: the unmutated code, so they are left out: they would only cost time.
KILLS = "tests/test_mutation_kills.py"
MODULES: dict[str, list[str]] = {
    "generator/validate/privacy.py": ["tests/test_privacy.py", f"{KILLS}::TestPrivacy", "-k", "not command"],
    "generator/rules/quorum.py": [
        "tests/test_rules.py::test_quorum_two_thirds_for_appointments",
        "tests/test_rules.py::test_quorum_threshold_is_configurable",
        f"{KILLS}::TestQuorum",
    ],
    "generator/rules/last_stance.py": [
        "tests/test_rules.py::test_principal_states_last",
        "tests/test_rules.py::test_every_member_present_states_a_position",
        f"{KILLS}::TestLastStance",
    ],
    "generator/rules/advance_notice.py": [
        "tests/test_rules.py::test_advance_notice",
        f"{KILLS}::TestAdvanceNotice",
    ],
    **{
        f"generator/rules/{name}.py": [f"tests/test_rules.py::{test}", f"{KILLS}::{kills}"]
        for name, test, kills in (
            ("recorded", "test_full_record", "TestRules"),
            ("five_preconditions", "test_five_preconditions", "TestRules"),
            ("ballot", "test_personnel_items_by_secret_ballot", "TestRules"),
            (
                "principal_portfolio",
                "test_principal_does_not_run_finance_personnel_procurement_or_projects",
                "TestRules",
            ),
            ("dissent", "test_dissent_is_recorded_with_reasons", "TestRules"),
            ("power_basis", "test_every_decision_cites_its_power_item", "TestRules"),
            (
                "negative_list",
                "test_money_item_led_by_the_principal_touches_the_negative_list",
                "TestRules",
            ),
            ("execution", "test_decision_not_started_two_quarters_later", "TestRules"),
            ("timely", "test_disclosure_on_time_by_git_commit_date", "TestRules"),
        )
    },
    "generator/rules/_util.py": [f"{KILLS}::TestRules", f"{KILLS}::TestQuorum"],
    "generator/rules/base.py": [
        "tests/test_rules.py",
        f"{KILLS}::TestRules",
        f"{KILLS}::TestRuleSettings",
        "-k",
        "not demo_ and not test_bad_rule_settings and not test_error_severity and not test_warnings_publish "
        "and not overdue_are_shown and not member_pages_show and not how_to_cite",
    ],
    # Only redact's fast tests: tests/test_published_withheld.py builds portals (about 25 s for each
    # mutant), too slow for a habit.
    "generator/guard/redact.py": [
        "tests/test_withheld.py::test_only_packages_with_withheld_records_are_copied",
        "tests/test_withheld.py::test_packages_written_before_the_withheld_columns_stay_valid",
        "tests/test_withheld.py::test_a_fully_quoted_csv_is_redacted_too",
        "tests/test_withheld.py::test_header_and_embedded_schema_must_agree_about_the_withheld_columns",
        f"{KILLS}::TestRedact",
    ],
    # The published-records check, called on a release made by copying packages (no build): every
    # existing test of it builds a portal first, seconds for each mutant.
    "generator/guard/nothing_lost.py": [f"{KILLS}::TestPublished"],
    # The release chain and verify, on a two-release site written by write_manifest alone (no build).
    "generator/release/verify.py": [f"{KILLS}::TestVerify"],
    "generator/release/manifest.py": ["tests/test_mutation_manifest.py", f"{KILLS}::TestVerify"],
    # The bounded reader, on folders and on an HTTP server in the test process.
    "generator/release/source.py": ["tests/test_mutation_source.py", f"{KILLS}::TestVerify"],
    # Validation's domain checks, through validate_data in the test process on small trees.
    # (tests/test_validate.py and tests/test_boundaries.py check the same rules on whole trees, about
    # 1 s a mutant, half of it in `gongkai validate` subprocesses that no mutant reaches.)
    "generator/validate/domain.py": ["tests/test_mutation_validate.py"],
    # The HTML built in Python (every escape outside the templates), with hostile text.
    "generator/render/html.py": ["tests/test_mutation_html.py"],
    # The workbook import's parsing, called in the test process (the import tests of
    # tests/test_publish.py run the command in a subprocess and cannot kill a mutant).
    **{
        module: [
            "tests/test_publish.py::test_cells_are_normalised",
            f"{KILLS}::TestImporter",
            "tests/test_mutation_importer.py",
        ]
        for module in (
            "generator/intake/importer.py",
            "generator/intake/normalise.py",
            "generator/intake/workbook_archive.py",
            "generator/intake/sheet_findings.py",
        )
    },
}


def slug(module: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", module.removesuffix(".py")).strip("-")


def settings(module: str, tests: list[str]) -> str:
    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"

    return (
        "[tool.mutmut]\n"
        'source_paths = ["generator"]\n'
        f"only_mutate = {toml_list([module])}\n"
        'also_copy = ["tests", "data"]\n'
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:xdist", "-q"]\n'
    )


def written(test: str) -> bool:
    """False for a test file or class of MODULES not written yet: it is left out of the run."""
    if not test.startswith("tests/"):
        return True
    path, _, name = test.partition("::")
    if not (ROOT / path).exists():
        return False
    return not name.startswith("Test") or f"class {name}" in (ROOT / path).read_text(encoding="utf-8")


def undecorate(path: Path) -> None:
    """mutmut leaves decorated functions alone, and every rule's ``check`` is registered by the
    decorator ``@rule(INFO)``. In the scratch copy the decorator is applied as a call after the
    function instead (``check = rule(INFO)(check)``): the same registration, and mutable."""
    text = path.read_text(encoding="utf-8")
    if "\n@rule(INFO)\ndef check(" in text:
        text = text.replace("\n@rule(INFO)\ndef check(", "\ndef check(") + "\n\ncheck = rule(INFO)(check)\n"
        path.write_text(text, encoding="utf-8")


def run_module(module: str, *, fresh: bool, children: int) -> dict[str, object]:
    work = WORK / slug(module)
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    # A copy of the package (not a link), so that a rule's check can be made mutable below.
    shutil.copytree(
        ROOT / "generator",
        work / "generator",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    undecorate(work / module)
    for name in ("tests", "data"):
        link = work / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    tests = [t for t in MODULES[module] if written(t)]
    (work / "pyproject.toml").write_text(settings(module, tests), encoding="utf-8")
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    started = time.monotonic()
    with (work / "mutmut.log").open("w", encoding="utf-8") as log:
        subprocess.run(
            [str(mutmut), "run", "--max-children", str(children)],
            cwd=work,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = round(time.monotonic() - started)
    listing = subprocess.run(
        [str(mutmut), "results", "--all", "true"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    statuses: dict[str, str] = {}
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            statuses[name] = status
    result = {
        "module": module,
        "seconds": seconds,
        "total": len(statuses),
        "killed": sum(s in ("killed", "timeout", "caught by type check") for s in statuses.values()),
        "survived": sorted(n for n, s in statuses.items() if s == "survived"),
        "other": {n: s for n, s in statuses.items() if s not in ("killed", "survived", "timeout")},
    }
    (work / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("modules", nargs="*", help="modules to run (default: all of MODULES)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results of these modules")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once")
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    for module in modules:
        if module not in MODULES:
            parser.error(f"{module}: not in MODULES of bench/mutate.py")
    for module in modules:
        result = run_module(module, fresh=args.fresh, children=args.children)
        print(
            f"{module}: {result['killed']}/{result['total']} killed, "
            f"{len(result['survived'])} survived ({result['seconds']} s)"
        )
    subprocess.run([sys.executable, str(ROOT / "bench" / "mutation_report.py")], check=True)


if __name__ == "__main__":
    main()
