"""Shared fixtures: the demo portal built once per test process, and served on 127.0.0.1."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import build
from generator.serve import make_server

ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA = ROOT / "data"
MINI_DATA = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed demo data (示例市) built into a fresh site directory."""
    out = tmp_path_factory.mktemp("demo") / "site"
    build(DEMO_DATA, out, log=None)
    return out


@pytest.fixture(scope="session")
def demo_url(demo_site: Path) -> Iterator[str]:
    server = make_server(demo_site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A private copy of the tiny valid data tree, to change freely."""
    target = tmp_path / "data"
    shutil.copytree(MINI_DATA, target)
    return target
