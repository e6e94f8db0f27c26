"""Shared fixtures: the demo portal built once per test process, and served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import csv
import gzip
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# A finding whose message needs a placeholder it was not given raises in the tests (and in every
# gongkai process they start), instead of showing a gap to a clerk (generator.core.messages).
os.environ["GONGKAI_STRICT_MESSAGES"] = "1"

from generator.build import build
from generator.core.schema import LATER_COLUMNS, field_names, package_descriptor
from generator.core.urls import path_for
from generator.serve import make_server
from generator.sources.load import load_portal

ROOT = Path(__file__).resolve().parent.parent
DEMO_DATA = ROOT / "data"
MINI_DATA = ROOT / "tests" / "fixtures" / "mini"
#: The site's navigation as content/ and mkdocs.yml make it: the tabs, which are also the phone's
#: drawer (开放接口 under 数据说明, in the drawer only).
SITE_NAV = [
    "首页",
    "单位",
    "季度",
    "检索",
    "数据说明",
    "开放接口",
    "数据下载",
    "更新记录",
    "如何阅读",
    "关于本站",
    "网站地图",
]


@pytest.fixture(scope="session", autouse=True)
def _build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Test builds cache into this session's temporary folder, not the user's ~/.cache/gongkai (a
    test about the cache sets its own place)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_CACHE_DIR", str(tmp_path_factory.mktemp("build-cache")))
        yield


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed demo data (示例市) built into a fresh site directory."""
    out = tmp_path_factory.mktemp("demo") / "site"
    build(DEMO_DATA, out, log=None)
    return out


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) for the duration of the block."""
    server = make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def demo_url(demo_site: Path) -> Iterator[str]:
    with serving(demo_site) as url:
        yield url


def demo_site_with_shards(tmp_path_factory: pytest.TempPathFactory, shard_size: int) -> Path:
    """The demo data built with search shards of at most ``shard_size`` documents."""
    data = tmp_path_factory.mktemp(f"sharded-{shard_size}") / "data"
    shutil.copytree(DEMO_DATA, data)
    config = data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"\nsearch_shard_size: {shard_size}\n", encoding="utf-8"
    )
    out = data.parent / "site"
    build(data, out, log=None)
    return out


@pytest.fixture(scope="session")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data built with a search shard size so small that every quarter is a shard of its own."""
    return demo_site_with_shards(tmp_path_factory, 150)


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A private copy of the tiny valid data tree, to change freely."""
    target = tmp_path / "data"
    shutil.copytree(MINI_DATA, target)
    return target


def upgrade_package(package: Path) -> None:
    """Give a package written before the later columns existed (the mini fixture) the current
    header and embedded schema, as ``gongkai import`` and ``gongkai demo`` write them."""
    for table in LATER_COLUMNS:
        path = package / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(field_names(table))
            writer.writerows([[row.get(name) or "" for name in field_names(table)] for row in rows])
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    current = package_descriptor("unit", "unit", "2025Q1", descriptor["licenses"][0])
    descriptor["resources"] = current["resources"]
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def page_types(site: Path) -> dict[str, str]:
    """One page of each kind a reader meets in the built demo ``site``, root-relative, by its
    Chinese name (the browser tests open each: CSP, other hosts, axe-core, keyboard)."""
    portal = load_portal(DEMO_DATA)
    decision = portal.decisions()[0]
    disclosure = decision.disclosure
    assert disclosure is not None
    hearing = next(h for d in portal.disclosures for h in d.hearings)

    def first(pattern: str) -> str:
        return next(site.glob(pattern)).parent.relative_to(site).as_posix() + "/"

    return {
        "首页": "",
        "单位列表": "units/",
        "单位": path_for(disclosure.unit),
        "单位季度": path_for(disclosure),
        "季度列表": "quarters/",
        "季度对比": path_for(disclosure.period),
        "决策事项": path_for(decision),
        "听证": path_for(hearing),
        "班子成员": first("units/*/members/*/index.html"),
        "班子成员季度": first("units/*/members/*/*/index.html"),
        "数据下载": "downloads/",
        "数据说明": "data/",
        "数据字典": first("data/*/index.html"),
        "更新记录": "changelog/",
        "一次发布": first("changelog/*/index.html"),
        "检索": "search/?q=资金",
        "不存在的页面": "no-such-page/",
    }


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    from .test_search_browser import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def search_fragments(bundle: Path) -> dict[str, dict[str, Any]]:
    """Every page's Pagefind fragment in a search ``bundle`` (``pagefind/``, ``pagefind-2/`` …), by its
    URL. A fragment file holds one page's fragment, or (``--max-fragments``) a group of them by hash."""
    fragments: dict[str, dict[str, Any]] = {}
    for path in (bundle / "fragment").iterdir():
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        for fragment in [data] if "url" in data else data.values():
            fragments[fragment["url"]] = fragment
    return fragments


def site_fragments(site: Path) -> dict[str, dict[str, Any]]:
    """Every page's Pagefind fragment in every search bundle of a built ``site``, by its URL."""
    fragments: dict[str, dict[str, Any]] = {}
    for bundle in site.glob("pagefind*/"):
        fragments.update(search_fragments(bundle))
    return fragments
