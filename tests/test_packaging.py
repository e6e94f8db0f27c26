"""Gongkai as a portal repository gets it: installed from a wheel (``pip install gongkai`` in the
portal CI files), run in the portal's own folder with relative paths."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import MINI_DATA, ROOT

SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "mkdocs.yml",
    "generator",
    "content",
    "theme",
)


def test_a_wheel_carries_the_theme_and_pages_and_builds_a_portal(tmp_path: Path) -> None:
    # Build the wheel from a copy of the sources (an in-tree build would leave build/ behind).
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "_site"))
        else:
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("gongkai-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/_site/mkdocs.yml" in names
    assert "generator/_site/content/index.md" in names
    assert "generator/_site/theme/templates/decision.html" in names
    assert "generator/_site/theme/overrides/main.html" in names
    assert "generator/schemas/decisions.json" in names
    assert "generator/demo/data/flows.yaml" in names and "generator/demo/data/profiles/fgw.yaml" in names

    # The installed package, away from the checkout: a portal repository builds its site with it.
    installed = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(installed)
    portal = tmp_path / "portal"
    shutil.copytree(MINI_DATA, portal / "data")
    env = {**os.environ, "PYTHONPATH": str(installed)}
    profiles = subprocess.run(  # the demo's unit profiles are data files the wheel carries
        [sys.executable, "-c", "import generator.demo.profiles as p; print(p.__file__, len(p.PROFILES))"],
        cwd=portal.parent, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert profiles == [str(installed / "generator" / "demo" / "profiles.py"), "7"]
    where = subprocess.run(
        [sys.executable, "-c", "import generator.render.shell as s; print(s.__file__); print(s.SITE_FILES)"],
        cwd=portal,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where == [
        str(installed / "generator" / "render" / "shell.py"),
        str(installed / "generator" / "_site"),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--data", "data", "--out", "public"],
        cwd=portal,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    home = (portal / "public" / "index.html").read_text(encoding="utf-8")
    assert "示例数据" in home and "assets/gongkai.css" in home
    assert (portal / "public" / "assets" / "gongkai.css").is_file()
    assert list((portal / "public" / "decisions").rglob("index.html"))
