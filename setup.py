"""Packaging hook (the metadata is in pyproject.toml).

A Gongkai installed from a wheel (``pip install gongkai``, as the portal CI files do) renders
sites with the same MkDocs configuration, hand-written pages and theme as a source checkout:
``mkdocs.yml``, ``content/`` and ``theme/`` live at the top of the repository, so the wheel
carries a copy of them as ``generator/_site/`` (found by ``generator.render.shell.SITE_FILES``). An
editable install reads them from the checkout instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_FILES = ("mkdocs.yml", "content", "theme")


class BuildWithSiteFiles(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "generator" / "_site"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name in SITE_FILES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithSiteFiles})
