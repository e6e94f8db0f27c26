"""`gongkai serve` on a port that is taken: a Chinese message with the fix, before any build."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def serve(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "serve", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def test_a_busy_port_is_said_in_chinese_with_the_fix_and_nothing_is_built(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = serve("--data", REPO / "data", "--out", tmp_path / "site", "--port", str(port), cwd=tmp_path)
    assert run.returncode == 2
    assert f"端口 {port} 已被其他程序占用" in run.stderr
    assert "--port" in run.stderr and "PORT=" in run.stderr
    assert "内部错误" not in run.stderr and "Traceback" not in run.stderr and "Errno" not in run.stderr
    assert not (tmp_path / "site").exists()  # said before the build, not after it


def test_a_port_out_of_range_is_said_in_chinese(tmp_path: Path) -> None:
    run = serve("--out", tmp_path / "site", "--no-build", "--port", "70000", cwd=tmp_path)
    assert run.returncode == 2
    assert "端口 70000 无效" in run.stderr and "Traceback" not in run.stderr


def test_the_licence_file_is_the_one_pyproject_names() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "Apache-2.0"' in pyproject and 'license-files = ["LICENSE"]' in pyproject
