"""Releases in a hash chain, the 更新记录, and ``gongkai verify`` on a directory and on a mirror."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import build
from generator.cli import main

from .conftest import serving
from .test_site import add_entries, rewrite_csv


@pytest.fixture
def two_releases(mini_data: Path, tmp_path: Path) -> Path:
    """Release 1 of the mini data, then release 2 with one decision corrected and another withdrawn."""
    site = tmp_path / "site"
    build(mini_data, site, log=None)
    q1, q2 = mini_data / "fgw" / "2025Q1", mini_data / "fgw" / "2025Q2"
    rewrite_csv(q1 / "decisions.csv", {"execution_status": "已完成"})
    add_entries(q1, "corrections", [{"table": "decisions", "record_id": "jc2025-001", "field": "execution_status",
                "old_value": "推进中", "new_value": "已完成", "reason": "项目已竣工", "corrected_on": "2025-07-02"}])  # fmt: skip
    for name in ("decisions.csv", "stances.csv"):
        lines = (q2 / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (q2 / name).write_text(
            "".join(line for line in lines if not line.startswith("jc2025-004,")), encoding="utf-8"
        )
    add_entries(q2, "withdrawals", [{"table": "decisions", "record_id": "jc2025-004", "label": "营商环境优化行动方案",
                "reason": "方案重新起草", "withdrawn_on": "2025-07-02"}])  # fmt: skip
    build(mini_data, site, log=None)
    return site


def test_an_untouched_site_verifies(demo_site: Path, capsys) -> None:
    assert main(["verify", str(demo_site)]) == 0
    assert "校验通过" in capsys.readouterr().out


def test_rebuilding_unchanged_data_is_the_same_release(mini_data: Path, tmp_path: Path) -> None:
    build(mini_data, tmp_path / "site", log=None)
    first = (tmp_path / "site" / "manifest.json").read_bytes()
    build(mini_data, tmp_path / "site", log=None)
    assert (tmp_path / "site" / "manifest.json").read_bytes() == first
    assert json.loads(first)["release"] == 1 and json.loads(first)["previous"] is None


def test_second_release_chains_to_the_first_and_lists_changes(two_releases: Path, capsys) -> None:
    manifest = json.loads((two_releases / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["release"] == 2 and manifest["previous"]["release"] == 1
    changes = json.loads((two_releases / "releases/2/changes.json").read_text(encoding="utf-8"))
    changed = [r for r in changes["records"] if r["change"] == "changed"]
    assert changed == [
        {
            "table": "decisions",
            "unit_id": "fgw",
            "period": "2025Q1",
            "key": {"decision_id": "jc2025-001"},
            "change": "changed",
            "label": "关于城东综合交通枢纽项目立项的决定",
            "fields": {"execution_status": ["推进中", "已完成"]},
        }
    ]
    withdrawn = {(r["table"], r["period"]) for r in changes["records"] if r["change"] == "withdrawn"}
    assert ("decisions", "2025Q2") in withdrawn
    page = BeautifulSoup((two_releases / "changelog/2/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "推进中" in page.select_one("del").text and "已完成" in page.select_one("ins").text
    index = BeautifulSoup((two_releases / "changelog/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "第 2 次发布" in index.text and "第 1 次发布" in index.text
    assert main(["verify", str(two_releases)]) == 0


def test_verify_catches_a_changed_file_and_a_rewritten_earlier_manifest(two_releases: Path, capsys) -> None:
    target = two_releases / "downloads" / "fgw" / "2025Q1" / "decisions.csv"
    target.write_bytes(target.read_bytes().replace("已完成".encode(), "未完成".encode(), 1))
    earlier = two_releases / "releases" / "1" / "manifest.json"
    data = json.loads(earlier.read_text(encoding="utf-8"))
    data["file_count"] -= 1  # the head of release 1 claims one file fewer
    earlier.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert main(["verify", str(two_releases)]) == 1
    err = capsys.readouterr().err
    assert "校验未通过" in err
    assert "downloads/fgw/2025Q1/decisions.csv：文件内容与发布清单不符" in err
    assert "releases/1/manifest.json：第 1 次发布的清单已被改写" in err


def test_verify_reports_a_missing_file_over_http(two_releases: Path, capsys) -> None:
    (two_releases / "api" / "units.json").unlink()
    with serving(two_releases) as url:
        assert main(["verify", url]) == 1
    assert "api/units.json：文件缺失" in capsys.readouterr().err


def test_verify_passes_on_a_mirror_over_http(demo_site: Path, capsys) -> None:
    with serving(demo_site) as url:
        assert main(["verify", url]) == 0


def test_verify_usage_errors_are_chinese(tmp_path: Path, capsys) -> None:
    assert main(["verify", str(tmp_path / "nowhere")]) == 2
    assert "既不是目录" in capsys.readouterr().err
    assert main(["verify", str(tmp_path)]) == 1
    assert "找不到发布清单" in capsys.readouterr().err
