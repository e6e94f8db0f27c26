"""portal.yml as hostile input: control characters, addresses that are not web addresses, and the
input bounds, each refused by ``gongkai validate`` and ``gongkai build`` with a Chinese message
naming the file and the line or setting, with nothing built."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.core.config import PortalConfig, load_config

ROOT = Path(__file__).resolve().parent.parent


def gongkai(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("publisher: 示例\x00市\n", "第 1 行：含有不可见的控制字符（U+0000）"),
        ("title: 示例\n\npublisher: 示例\x1b[31m市\n", "第 3 行：含有不可见的控制字符（U+001B）"),
        ("title: 示例\u202e市\n", "第 1 行：含有不可见的控制字符（U+202E）"),
        ('publisher: "示例\\0市"\n', "设置项“publisher”含有不可见的控制字符（U+0000）"),
        ('title: "示例\\n市"\n', "设置项“title”含有不可见的控制字符（换行符或制表符）"),
        ('rules:\n  x:\n    note: "a\\x07b"\n', "设置项“rules.x.note”含有不可见的控制字符（U+0007）"),
        (
            "site_url: javascript:alert(1)//\n",
            "设置项“site_url”的值“javascript:alert(1)//”不是网站的公开网址",
        ),
        ("site_url: data:text/html,x\n", "不是网站的公开网址"),
        ("site_url: //evil.example/\n", "不是网站的公开网址"),
        ("site_url: 'https://a.example/\"><script>alert(1)</script>'\n", "不是网站的公开网址"),
        ("site_url: https://a.example/?x=1\n", "不是网站的公开网址"),
        ("max_rows: 0\n", "设置项“max_rows”应为正整数"),
        ("max_cell_chars: -5\n", "设置项“max_cell_chars”应为正整数"),
        ("max_file_mb: 很大\n", "设置项“max_file_mb”应为整数"),
    ],
)
def test_hostile_settings_are_refused_naming_the_file_and_place(
    mini_data: Path, tmp_path: Path, text: str, expected: str
) -> None:
    (mini_data / "portal.yml").write_text(text, encoding="utf-8")
    validated = gongkai("validate", str(mini_data))
    assert validated.returncode == 1, validated.stdout + validated.stderr
    assert "portal.yml" in validated.stdout and expected in validated.stdout, validated.stdout
    assert "Traceback" not in validated.stdout + validated.stderr
    out = tmp_path / "site"
    built = gongkai("build", "--data", str(mini_data), "--out", str(out))
    assert built.returncode != 0
    assert expected in built.stdout + built.stderr
    assert "Traceback" not in built.stdout + built.stderr
    assert not out.exists()


def test_a_bom_and_ordinary_settings_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "portal.yml").write_text(
        "\ufefftitle: 示例市公开平台  # 注释\nsite_url: https://gongkai.example.gov.cn/sub/\nmax_rows: 5\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert (config.title, config.site_url, config.max_rows) == (
        "示例市公开平台",
        "https://gongkai.example.gov.cn/sub/",
        5,
    )
    assert PortalConfig().max_file_mb > 0
