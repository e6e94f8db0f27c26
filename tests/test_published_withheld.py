"""Corrections and withdrawals together with 依法不予公开: what is compared with the previous release is
the data as published (withheld records redacted), and a package with a withheld record keeps its
更正记录 and 撤回记录 in the published view."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from generator.build import build

from .conftest import DEMO_DATA

WITHHELD = ("swei/2025Q2", "nyjt/2025Q1")  # the demo's packages with withheld decisions


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True)


def test_rebuilding_a_portal_with_withheld_items_is_not_a_silent_edit(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for package in WITHHELD:
        assert "是" in (DEMO_DATA / package / "decisions.csv").read_text(encoding="utf-8")
    build(DEMO_DATA, site, log=None)
    build(DEMO_DATA, site, log=None)  # the published copy is redacted: the same data, not an edit
    result = _cli("validate", str(DEMO_DATA), "--published", str(site))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_package_with_a_withheld_record_keeps_its_corrections(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DEMO_DATA, data)
    decisions = data / "fgw/2025Q1/decisions.csv"
    with decisions.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = list(rows[0])
    target = next(r for r in rows if r["decision_id"] not in ("jc2025-0002",) and not r["hearing_id"])
    target.update(withheld="是", withheld_basis="《中华人民共和国保守国家秘密法》第十三条")
    with decisions.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    site = tmp_path / "site"
    build(data, site, log=None)

    page = BeautifulSoup(
        (site / "decisions/fgw/jc2025-0002/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    table = page.select_one(".gk-corrections")
    assert table is not None and "已完成" in table.text, "the correction of the package is still shown"
    assert (site / "downloads/fgw/2025Q1/corrections.csv").is_file()
    assert (site / "downloads/fgw/2025Q1/withdrawals.csv").is_file()
    withheld = (site / f"decisions/fgw/{target['decision_id']}/index.html").read_text(encoding="utf-8")
    assert "依法不予公开" in withheld and target["title"] not in withheld
