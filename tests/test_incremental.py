"""Incremental builds: a rebuild keeps what is unchanged and gives the site a cold build gives.

Each scenario builds a portal, changes it as a unit or a maintainer would, rebuilds into the same
output (the published site and its state kept, ``generator.core.site_state``) and compares every
file with a cold build of the changed data into a new folder with an empty cache. Only the files
that record the release sequence (the manifest, ``releases/``, 更新记录) may differ, as the release
history says they should.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

import generator.build as build_module
from generator.build import BuildFailed, build, check, output_lock_path
from generator.core import cache as cache_module
from generator.core.site_state import snapshot
from generator.core.urls import PUBLISHING
from generator.release import swap
from generator.release.swap import journal_dir

from .conftest import DEMO_DATA
from .test_history import NEW_TITLE, Q1, correction, reuse_funds_id, withdraw_funds_with_its_entry
from .test_progress import report
from .test_site import add_entries, rewrite_csv, tree_digest

RELEASE_FILES = ("manifest.json", "releases/", "changelog/")


def _site(root: Path) -> dict[str, str]:
    return {path: digest for path, digest in tree_digest(root).items() if not path.startswith(RELEASE_FILES)}


def _cold(data: Path, tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cold build of ``data``: a new output folder and an empty cache of its own."""
    with monkeypatch.context() as patch:
        patch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / f"cache-{name}"))
        out = tmp_path / f"cold-{name}"
        build(data, out, log=None)
    return out


def _differences(a: Path, b: Path) -> list[str]:
    left, right = _site(a), _site(b)
    return sorted(p for p in left.keys() | right.keys() if left.get(p) != right.get(p))


def _touched(before: dict[str, tuple[int, int]], site: Path) -> set[str]:
    after = snapshot(site) or {}
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def flip_a_byte(paths: Iterable[Path]) -> None:
    """Alter each file's middle byte (a cache entry damaged after it was sealed)."""
    for path in paths:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))


def _add_quarter_back(data: Path, held: Path) -> None:
    shutil.move(held, data / "fgw" / "2025Q2")


def _publish_a_held_quarter(data: Path, tmp_path: Path) -> tuple[Path, dict[str, tuple[int, int]], Any]:
    """fgw's 2025Q2 held back, the site built, then fgw publishing it: (the site, its files before,
    the rebuild's summary)."""
    held = tmp_path / "held"
    shutil.move(data / "fgw" / "2025Q2", held)
    out = tmp_path / "site"
    build(data, out, log=None)
    before = snapshot(out) or {}
    _add_quarter_back(data, held)
    return out, before, build(data, out, log=None)


def _three_releases(data: Path, tmp_path: Path) -> Path:
    """``tmp_path/site`` built, then rebuilt after a correction and after an 执行进展 report."""
    out = tmp_path / "site"
    build(data, out, log=None)
    _correct_a_title(data)
    build(data, out, log=None)
    _report_progress(data)
    build(data, out, log=None)
    return out


def _correct_a_title(data: Path) -> None:
    rewrite_csv(data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    add_entries(data / Q1, "corrections", [correction()])


def _report_progress(data: Path) -> None:
    add_entries(data / "fgw" / "2025Q2", "progress", [report()])


def _retitle_portal(data: Path) -> None:
    config = data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("示例市", "样例市", 1), encoding="utf-8")


def _override_a_template(data: Path) -> None:
    templates = data.parent / "overrides" / "templates"
    templates.mkdir(parents=True)
    source = Path(__file__).resolve().parent.parent / "theme" / "templates" / "decision.html"
    text = source.read_text(encoding="utf-8")
    (templates / "decision.html").write_text(
        text.replace("</article>", "<p>本门户自定模板</p></article>", 1), encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("change", "scope", "quarters_kept"),
    [
        # A correction in fgw's 2025Q1: its 2025Q2 pages are kept as they are.
        (_correct_a_title, "unit", 1),
        # A 2025Q2 report on a 2025Q1 decision: that decision's page (2025Q1) shows it.
        (_report_progress, "unit", 0),
        (_retitle_portal, "all", 0),
        (_override_a_template, "all", 0),
    ],
    ids=["correction", "progress-reported-later", "portal-yml", "template"],
)
def test_a_rebuild_after_a_change_equals_a_cold_build(
    mini_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Path], None],
    scope: str,
    quarters_kept: int,
) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = snapshot(out) or {}
    change(mini_data)
    summary = build(mini_data, out, log=None)
    assert not summary.up_to_date
    assert summary.units_rendered == (1 if scope == "unit" else 2)
    assert summary.quarters_kept == quarters_kept
    assert _differences(out, _cold(mini_data, tmp_path, "after", monkeypatch)) == []
    touched = _touched(before, out)
    rmyy_pages = {p for p in touched if p.startswith(("decisions/rmyy/", "hearings/rmyy/", "units/rmyy/"))}
    if scope == "unit":
        # Only the changed unit's pages were rendered and written: the other unit's stay untouched.
        assert rmyy_pages == set()
        assert any(p.startswith("decisions/fgw/") for p in touched)
    else:
        assert rmyy_pages  # a portal-wide change re-renders every unit


def test_a_later_quarter_that_reuses_a_withdrawn_id_changes_the_quarter_that_withdrew_it(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2025Q2 reuses the ID of a decision withdrawn from 2025Q1: 2025Q1's page no longer links to
    a tombstone there, though only 2025Q2's package changed (its key holds the quarter's tombstones)."""
    withdraw_funds_with_its_entry(mini_data)
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    reuse_funds_id(mini_data)
    build(mini_data, out, log=None)
    assert _differences(out, _cold(mini_data, tmp_path, "after", monkeypatch)) == []
    assert "此编号后来用于另一条记录" in (out / "units/fgw/2025Q1/index.html").read_text(encoding="utf-8")


def test_a_correction_renders_its_quarter_and_the_units_own_pages_only(
    mini_data: Path, tmp_path: Path
) -> None:
    """A correction in fgw's 2025Q1 renders that quarter's pages (its members' pages of the quarter
    among them) and the unit's own pages (its page, each member's page): not 2025Q2's, which a
    member's page of the whole tenure used to gather."""
    from generator.core.urls import live_paths
    from generator.render.pages import quarter_pages
    from generator.render.scorecard import member_records
    from generator.sources.load import load_portal

    out = tmp_path / "site"
    cold = build(mini_data, out, log=None)
    _correct_a_title(mini_data)
    summary = build(mini_data, out, log=None)
    portal = load_portal(mini_data)
    unit = next(u for u in portal.units if u.unit_id == "fgw")
    corrected = next(d for d in unit.disclosures if str(d.period) == "2025Q1")
    own = quarter_pages(corrected, live_paths(portal))
    assert len([p for p in own if p.template == "member_quarter.html"]) == len(corrected.members) > 0
    assert summary.quarters_kept == 1
    assert summary.pages_rendered == len(own) + 1 + len(member_records(unit)) < cold.pages_rendered


def test_a_later_report_renders_the_decision_it_reports_on_not_its_whole_quarter(
    mini_data: Path, tmp_path: Path
) -> None:
    """2025Q2 reports 执行进展 on one 2025Q1 decision: 2025Q1's key changes, so its quarter page, its
    hearings and its members' pages of the quarter are rendered, and that decision's page; its other
    decision pages keep their own key (``decision_slot``) and stay as published, untouched. (The
    parametrized test above finds the site byte-identical to a cold build.)"""
    from generator.core.urls import live_paths, path_for
    from generator.render.pages import quarter_pages
    from generator.render.scorecard import member_records
    from generator.sources.load import load_portal

    from .test_progress import DECISION

    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = snapshot(out) or {}
    _report_progress(mini_data)
    summary = build(mini_data, out, log=None)
    portal = load_portal(mini_data)
    live = live_paths(portal)
    unit = next(u for u in portal.units if u.unit_id == "fgw")
    q1, q2 = (next(d for d in unit.disclosures if str(d.period) == p) for p in ("2025Q1", "2025Q2"))
    others = [path_for(d) for d in q1.decisions if d.decision_id != DECISION]
    reported = next(path_for(d) for d in q1.decisions if d.decision_id == DECISION)
    assert others
    assert summary.quarters_kept == 0
    assert summary.pages_rendered == (
        len(quarter_pages(q1, live))
        - len(others)
        + len(quarter_pages(q2, live))
        + 1
        + len(member_records(unit))
    )
    touched = _touched(before, out)
    assert reported + "index.html" in touched
    assert not [p for p in touched if p.startswith(tuple(others))]


def test_a_new_quarter_that_changes_a_verdict_on_earlier_decisions_renders_their_pages(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """决策执行跟踪 set to one quarter: once fgw publishes 2025Q2, each 2025Q1 decision is judged
    (its page shows the verdict), with neither its package nor its 执行进展 changed. Its page must be
    rendered again, not kept by its own key: the site equals a cold build."""
    from tests.test_boundaries import configure

    configure(mini_data, "rules:\n  execution_followup:\n    quarters: 1\n")
    out, before, _summary = _publish_a_held_quarter(mini_data, tmp_path)
    assert _differences(out, _cold(mini_data, tmp_path, "verdict", monkeypatch)) == []
    assert "decisions/fgw/jc2025-001/index.html" in _touched(before, out)


def test_a_unit_publishing_its_quarter_writes_only_what_changed(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before, summary = _publish_a_held_quarter(mini_data, tmp_path)
    assert _differences(out, _cold(mini_data, tmp_path, "full", monkeypatch)) == []
    # fgw's 2025Q1 pages are kept: the new quarter reports on none of its decisions and changes no
    # rule's verdict on them.
    assert summary.quarters_kept == 1
    touched = _touched(before, out)
    assert summary.changed_files == len(touched)
    assert not [p for p in touched if p.startswith(("decisions/rmyy/", "units/rmyy/", "api/decisions/rmyy/"))]
    assert "units/fgw/2025Q2/index.html" in touched


def test_a_new_quarter_adds_a_search_shard_and_renders_only_its_unit(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first unit to publish a new quarter puts a new shard first. Shards are numbered from the
    oldest (pagefind/, pagefind-2/, …), so the new one is a new folder and every older one keeps its
    own, untouched; the pages do not name the shards, so only that unit's pages are rendered again."""
    config = mini_data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch_shard_size: 1\n", encoding="utf-8")
    held = tmp_path / "held"
    shutil.move(mini_data / "fgw" / "2025Q2", held)  # 2025Q2: the newest quarter, only fgw has it
    out = tmp_path / "site"
    first = build(mini_data, out, log=None)
    before = snapshot(out) or {}
    _add_quarter_back(mini_data, held)
    summary = build(mini_data, out, log=None)
    assert summary.shards == first.shards + 1
    assert summary.units_rendered == 1
    assert summary.shards_reused == first.shards  # every older shard kept, only the new one indexed
    newest = f"pagefind-{summary.shards}/"
    assert {p.split("/", 1)[0] + "/" for p in _touched(before, out) if p.startswith("pagefind")} == {newest}
    assert _differences(out, _cold(mini_data, tmp_path, "new-quarter", monkeypatch)) == []


def _shards_of(site: Path, label: str) -> list[str]:
    """The bundle folders of the search shards that hold ``label`` (a quarter), newest first."""
    shards = json.loads((site / "search" / "shards.json").read_text(encoding="utf-8"))["shards"]
    return [shard["bundle"] for shard in shards if label in shard["quarters"]]


def test_a_publishing_window_of_rebuilds_ends_as_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quarterly flow as it happens: every unit's newest quarter held back, then the units
    publish it one at a time, each commit a rebuild into the same site. The newest quarter grows
    from one search shard to several (shards of 60 documents here), its date cuts moving as each
    unit's documents land on its dates, and the older quarter's shards stay as they are at every
    step. Halfway and at the end, the site is a cold build's. (At 20,000 decisions such a window
    was measured in ``docs/benchmarks.md``: 2.9 s for the first unit, 5.7 s for the last.)"""
    data = tmp_path / "data"
    shutil.copytree(DEMO_DATA, data)
    config = data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch_shard_size: 60\n", encoding="utf-8")
    held = tmp_path / "held"
    held.mkdir()
    units = sorted(package.parent.name for package in data.glob("*/2025Q2"))
    assert len(units) == 7
    for unit in units:
        shutil.move(data / unit / "2025Q2", held / unit)
    out = tmp_path / "site"
    build(data, out, log=None)
    older = set(_shards_of(out, "2025年第一季度"))
    assert len(older) > 1
    grown = []
    for n, unit in enumerate(units, 1):
        before = snapshot(out) or {}
        shutil.move(held / unit, data / unit / "2025Q2")
        summary = build(data, out, log=None)
        assert summary.units_rendered == 1, unit
        touched = _touched(before, out)
        assert summary.changed_files == len(touched)
        assert not [p for p in touched if p.startswith(tuple(older))], unit  # 2025Q1's shards kept
        others = tuple(
            f"{kind}/{other}/"
            for other in units
            if other != unit
            for kind in ("decisions", "hearings", "units")
        )
        assert not [p for p in touched if p.startswith(others)], unit  # only that unit's pages
        grown.append(len(_shards_of(out, "2025年第二季度")))
        if n in (len(units) // 2, len(units)):
            assert _differences(out, _cold(data, tmp_path, f"window-{n}", monkeypatch)) == [], unit
    assert grown[0] == 1 and grown[-1] > 2 and grown == sorted(grown)


def test_a_rebuild_records_the_folders_it_wrote_into_as_they_are_now(mini_data: Path, tmp_path: Path) -> None:
    """The state a rebuild saves takes the times of the folders it did not write into from the state
    it checked, and looks again at those it wrote into: the next build finds the site as recorded."""
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    _correct_a_title(mini_data)
    assert build(mini_data, out, log=None).changed_files
    assert build(mini_data, out, log=None).up_to_date


def test_a_rebuild_reports_the_whole_builds_time_with_the_work_between_its_stages(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """用时 is the time the build took, not the sum of its stages: the work between them (here the
    site's state saved, on a disk made 0.3 s slower) is shown as 其他."""
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    _correct_a_title(mini_data)
    save_state = build_module.save_state

    def slow_save_state(*args: Any, **kwargs: Any) -> None:
        time.sleep(0.3)
        save_state(*args, **kwargs)

    monkeypatch.setattr(build_module, "save_state", slow_save_state)
    started = time.perf_counter()
    summary = build(mini_data, out, log=None)
    wall = time.perf_counter() - started
    staged = sum(summary.timings.values())
    assert staged + 0.3 <= summary.seconds <= wall
    text = str(summary)
    assert f"用时 {summary.seconds:.1f} 秒" in text
    other = re.search(r"其他 ([0-9.]+) 秒", text)
    assert other and float(other.group(1)) >= 0.3


def test_nothing_changed_means_nothing_done_and_nothing_touched(mini_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = snapshot(out)
    summary = build(mini_data, out, log=None)
    assert summary.up_to_date and "网站已是最新" in str(summary)
    assert snapshot(out) == before
    # A changed byte anywhere in the data is a change (here a comment in portal.yml).
    path = mini_data / "portal.yml"
    path.write_bytes(path.read_bytes() + "\n# 注释\n".encode())
    assert not build(mini_data, out, log=None).up_to_date


def test_a_build_gives_the_records_it_set_aside_back_to_the_collector(
    mini_data: Path, tmp_path: Path
) -> None:
    """A build takes its records out of Python's collections while it runs (``generator.core.collector``);
    a process that goes on after it (the tests, ``gongkai serve``) gets them back, the collector on."""
    assert gc.isenabled() and gc.get_freeze_count() == 0
    build(mini_data, tmp_path / "site", log=None)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    check(mini_data)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_new_version_of_the_generator_renders_everything_again(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = snapshot(out) or {}
    manifest = (out / "manifest.json").read_bytes()
    upgraded = functools.cache(lambda: "0" * 64)  # another version's code: every key changes
    monkeypatch.setattr(cache_module, "code_fingerprint", upgraded)
    for name, module in list(sys.modules.items()):
        if name.startswith("generator.") and hasattr(module, "code_fingerprint"):
            monkeypatch.setattr(module, "code_fingerprint", upgraded)
    summary = build(mini_data, out, log=None)
    # The same data is the same release: no file the manifest covers names the generator's code.
    assert (out / "manifest.json").read_bytes() == manifest
    assert not summary.up_to_date
    # Every record page was rendered again (rewritten only where its bytes differ: none here).
    assert (
        summary.units_rendered == 2
        and _differences(out, _cold(mini_data, tmp_path, "same", monkeypatch)) == []
    )
    assert _touched(before, out) <= {p for p in before if p.startswith(RELEASE_FILES)} | {"sitemap.xml"}


def test_a_site_changed_by_hand_is_rebuilt_whole(mini_data: Path, tmp_path: Path) -> None:
    """The state is used only when the site is exactly as the last publish left it."""
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    page = out / "decisions" / "fgw" / "jc2025-001" / "index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</body>", b"<script>alert(1)</script></body>"))
    summary = build(mini_data, out, log=None)
    assert not summary.up_to_date
    assert page.read_bytes() == good


def _add_a_page(out: Path) -> Path:
    extra = out / "decisions" / "fgw" / "planted.html"
    extra.write_text("<script>alert(1)</script>", encoding="utf-8")
    return extra


def _add_a_folder(out: Path) -> Path:
    (out / "planted").mkdir()
    extra = out / "planted" / "index.html"
    extra.write_text("<script>alert(1)</script>", encoding="utf-8")
    return extra


def _link_a_page(out: Path) -> Path:
    """A page replaced by a link to a file of the same size, its time and its folder's set back."""
    page = out / "decisions" / "fgw" / "jc2025-001" / "index.html"
    status, folder = page.stat(), page.parent.stat()
    elsewhere = out.parent / "elsewhere.html"
    elsewhere.write_bytes(b"x" * status.st_size)
    page.unlink()
    page.symlink_to(elsewhere)
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns), follow_symlinks=False)
    os.utime(page.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))
    return elsewhere


@pytest.mark.parametrize("change", [_add_a_page, _add_a_folder, _link_a_page])
def test_a_file_or_folder_planted_in_the_site_is_seen_though_no_published_file_changed(
    mini_data: Path, tmp_path: Path, change
) -> None:
    """The check reads no folder's list: a name added anywhere changes its folder's time."""
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = snapshot(out)
    planted = change(out)
    summary = build(mini_data, out, log=None)
    assert not summary.up_to_date  # a full build, which replaces the whole site
    assert snapshot(out) is not None and set(snapshot(out) or {}) == set(before or {})
    assert not (out / "planted").exists() and not (out / "decisions" / "fgw" / "planted.html").exists()
    assert planted.exists() == (change is _link_a_page)  # the link's target is outside the site


def test_a_site_changed_by_hand_is_rebuilt_whole_also_when_the_data_changed(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site is checked against the state before anything of it is kept: a page of a unit whose
    data did not change, altered by hand, is not kept."""
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    page = sorted((out / "decisions" / "rmyy").glob("*/index.html"))[0]
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</body>", b"<script>alert(1)</script></body>"))
    _correct_a_title(mini_data)  # fgw's data: rmyy's pages would be kept from a trusted state
    summary = build(mini_data, out, log=None)
    assert summary.units_rendered == 2  # every unit rendered again: a full build
    assert page.read_bytes() == good
    assert _differences(out, _cold(mini_data, tmp_path, "after-correction", monkeypatch)) == []


def test_a_bulk_download_changed_by_hand_is_not_kept_when_only_the_look_changed(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new stylesheet leaves the bulk downloads' key as it was, so a trusted state would keep the
    published ones: the site is checked against the state first, and a file altered by hand is not."""
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    bulk = out / "downloads" / "all" / "decisions.csv"
    good = bulk.read_bytes()
    # Replaced, as an editor saves (a new file; writing into the published one would also alter the
    # cache's copy, which is hard-linked to it, and the cache would refuse it).
    altered = bulk.with_name("altered.csv")
    altered.write_bytes(good.replace(b"\n", b"\n=HYPERLINK(1)", 1))
    altered.replace(bulk)
    (mini_data.parent / "overrides").mkdir()
    (mini_data.parent / "overrides" / "extra.css").write_text(".gk-x { color: red; }\n", encoding="utf-8")
    build(mini_data, out, log=None)
    assert bulk.read_bytes() == good
    assert _differences(out, _cold(mini_data, tmp_path, "restyled", monkeypatch)) == []


def test_a_flipped_byte_in_the_cached_search_documents_only_costs_time(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "own-cache"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    flip_a_byte(cache.glob("unit-documents/*/documents.bin"))
    _correct_a_title(mini_data)  # fgw changes; rmyy's documents come from the (altered) cache
    build(mini_data, out, log=None)
    monkeypatch.delenv("GONGKAI_CACHE_DIR")
    assert _differences(out, _cold(mini_data, tmp_path, "flipped", monkeypatch)) == []


class _OsFailingRename:
    """The ``os`` module as ``generator.release.swap`` sees it, with a ``rename`` that raises
    ``error`` on its ``at``-th call (and after): the publish, and only it, is cut short."""

    def __init__(self, at: int, error: BaseException) -> None:
        self.at, self.error, self.calls = at, error, 0

    def rename(self, source: object, target: object) -> None:
        self.calls += 1
        if self.calls >= self.at:
            raise self.error
        os.rename(source, target)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)


def test_an_interrupted_publish_is_refused_by_verify_and_rolled_back_by_the_next_build(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    good = tree_digest(out)
    _correct_a_title(mini_data)
    with monkeypatch.context() as patch:
        # The process stops at the fourth rename (KeyboardInterrupt: no handler of ours runs).
        patch.setattr(swap, "os", _OsFailingRename(4, KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            build(mini_data, out, log=None)
    assert (out / PUBLISHING).is_file() and journal_dir(out).is_dir()  # half published
    verify = subprocess.run(
        [sys.executable, "-m", "generator.cli", "verify", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode != 0 and "发布未完成" in verify.stdout + verify.stderr
    # The next run rolls the half publish back first, then publishes the new site whole.
    build(mini_data, out, log=None)
    assert not (out / PUBLISHING).exists() and not journal_dir(out).exists()
    assert _differences(out, _cold(mini_data, tmp_path, "after", monkeypatch)) == []
    assert tree_digest(out) != good


def test_a_failed_publish_leaves_the_last_good_site(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    good = tree_digest(out)
    _correct_a_title(mini_data)
    with monkeypatch.context() as patch:
        patch.setattr(swap, "os", _OsFailingRename(4, OSError(28, "No space left on device")))
        with pytest.raises(BuildFailed, match="已撤销本次发布"):
            build(mini_data, out, log=None)
    assert tree_digest(out) == good
    assert not (out / PUBLISHING).exists()
    assert not build(mini_data, out, log=None).up_to_date  # and the next build publishes
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["release"] == 2


def test_on_a_fresh_ci_runner_the_cache_gives_the_unchanged_units_pages(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI runner starts without the published site, with the cache kept between runs
    (portal-ci/): with GONGKAI_CACHE_PAGES=1 the pages of a unchanged unit come from the cache."""
    cache = tmp_path / "ci-cache"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))
    monkeypatch.setenv("GONGKAI_CACHE_PAGES", "1")
    build(mini_data, tmp_path / "run-1", log=None)
    _correct_a_title(mini_data)
    summary = build(mini_data, tmp_path / "run-2", log=None)  # a new runner: an empty output folder
    assert summary.units_rendered == 1  # fgw changed; rmyy's pages came from the cache
    monkeypatch.delenv("GONGKAI_CACHE_PAGES")
    assert _differences(tmp_path / "run-2", _cold(mini_data, tmp_path, "ci", monkeypatch)) == []
    # A flipped byte in a cached page: that unit is rendered again, the site is still right.
    monkeypatch.setenv("GONGKAI_CACHE_PAGES", "1")
    page = next(cache.glob("unit-pages/*/decisions/rmyy/*/index.html"))
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 0x01
    page.write_bytes(bytes(data))
    _report_progress(mini_data)
    summary = build(mini_data, tmp_path / "run-3", log=None)
    assert summary.units_rendered == 2
    monkeypatch.delenv("GONGKAI_CACHE_PAGES")
    assert _differences(tmp_path / "run-3", _cold(mini_data, tmp_path, "ci-3", monkeypatch)) == []


def test_gongkai_build_full_renders_every_unit_and_swaps_the_whole_site(
    mini_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    summary = build(mini_data, out, log=None, full=True)
    assert not summary.up_to_date and summary.units_rendered == 2
    assert build(mini_data, out, log=None).up_to_date  # and the state it leaves serves the next build


def test_one_build_at_a_time_into_an_output(mini_data: Path, tmp_path: Path) -> None:
    """A rebuild writes into the published site: a second build into it waits its turn, refused."""
    import fcntl

    out = tmp_path / "site"
    build(mini_data, out, log=None)
    holder = os.open(output_lock_path(out), os.O_RDWR)  # in the output's cache folder, not beside it
    try:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another build is running
        _correct_a_title(mini_data)
        with pytest.raises(BuildFailed, match="另一个 gongkai build 正在生成"):
            build(mini_data, out, log=None)
    finally:
        os.close(holder)
    assert not build(mini_data, out, log=None).up_to_date  # once it is done, the build runs


def test_a_new_data_commit_is_named_in_the_downloads_it_did_not_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbooks' 说明 and the database's ``about`` name the data's git commit: a commit that
    changes no data file still gives downloads that name it, as a cold build's do."""
    from .test_history import _git

    repo = tmp_path / "portal"
    data = repo / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", data)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "2025 年第一季度", date="2025-04-08")
    out = tmp_path / "site"
    build(data, out, log=None)
    _git(repo, "commit", "-q", "--allow-empty", "-m", "说明", date="2025-04-09")
    summary = build(data, out, log=None)
    assert not summary.up_to_date
    assert _differences(out, _cold(data, tmp_path, "after", monkeypatch)) == []


def test_earlier_release_manifests_are_checked_once_not_on_every_build(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each build carries the hash chain of every earlier release over. A manifest lists every
    file, so checking all of them again on each build would cost more with every quarter: a
    manifest one build checked is remembered (sealed in the cache, by the SHA-256 of its bytes)
    and only hashed by the next. A forged or lost memory only costs the checks again."""
    from generator.release import verify

    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    out = _three_releases(mini_data, tmp_path)
    parsed: list[str] = []
    real = verify.parse_manifest

    def counted(name: str, raw: bytes, release: int | None = None, **options: bool) -> dict[str, object]:
        parsed.append(name)
        return real(name, raw, release, **options)

    monkeypatch.setattr(verify, "parse_manifest", counted)
    _retitle_portal(mini_data)
    build(mini_data, out, log=None)  # release 4: releases 1 and 2 remembered, 3 read as current
    assert parsed == ["manifest.json", "releases/3/manifest.json"]  # the current one and its head
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["release"] == 4
    memory = next((tmp_path / "cache").rglob("checked-manifests.json"))
    memory.write_bytes(memory.read_bytes().replace(b'"release": 1', b'"release": 9'))  # seal broken
    parsed.clear()
    (mini_data / "portal.yml").write_text(
        (mini_data / "portal.yml").read_text(encoding="utf-8").replace("样例市", "示例市", 1),
        encoding="utf-8",
    )
    build(mini_data, out, log=None)
    assert parsed == [
        "manifest.json",
        "releases/4/manifest.json",
        "releases/3/manifest.json",
        "releases/2/manifest.json",
        "releases/1/manifest.json",
    ]
    monkeypatch.delenv("GONGKAI_CACHE_DIR")
    assert _differences(out, _cold(mini_data, tmp_path, "chain", monkeypatch)) == []


def test_a_one_unit_rebuild_starts_pagefind_before_it_renders_the_units_pages(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-indexing the changed quarter's search shard is the longest part of a unit's rebuild: it
    starts as soon as the unit's search documents are in, while its pages are still to be rendered."""
    from generator import search

    out = tmp_path / "site"
    build(mini_data, out, log=None)
    _correct_a_title(mini_data)
    seen: list[tuple[int, bool]] = []
    shard_done = search.Indexer.shard_done

    def spy(self: search.Indexer, shard: int) -> None:
        page = self.site_dir / "decisions" / "fgw" / "jc2025-001" / "index.html"
        seen.append((shard, page.exists()))
        shard_done(self, shard)

    monkeypatch.setattr(search.Indexer, "shard_done", spy)
    summary = build(mini_data, out, log=None)
    assert summary.units_rendered == 1
    assert seen and not any(rendered for _shard, rendered in seen), seen
    assert NEW_TITLE in (out / "decisions" / "fgw" / "jc2025-001" / "index.html").read_text(encoding="utf-8")
    assert _differences(out, _cold(mini_data, tmp_path, "after", monkeypatch)) == []


@pytest.mark.parametrize("recorded", ["as-written", "wrong-counts"])
def test_a_rebuild_copies_the_unchanged_packages_rows_from_the_last_database(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: str
) -> None:
    """The database is written again on every change of the data, but the rows of each package whose
    slices did not change are copied by SQLite from the database the last build wrote (kept in the
    cache, sealed), in a cold build's order: the file is byte for byte a cold build's. A previous
    database that does not hold what it was recorded with is not used: the database is made whole."""
    from generator.core.workers import PROCESSES_ENV
    from generator.export import bulk, sqlite

    monkeypatch.setenv(PROCESSES_ENV, "1")  # the bulk work runs in this process, where the spy sees it
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))  # no other test's bulk files
    copied: list[set[tuple[str, str]]] = []
    write = sqlite._write

    def spy(*args: Any) -> Any:
        copied.append(set(args[-1]))
        return write(*args)

    monkeypatch.setattr(sqlite, "_write", spy)
    if recorded == "wrong-counts":
        previous = bulk._previous_database

        def one_row_more(*args: Any) -> Any:
            found = previous(*args)
            if found is None:
                return None
            path, held = found
            return path, {
                package: (key, {t: n + 1 for t, n in rows.items()}) for package, (key, rows) in held.items()
            }

        monkeypatch.setattr(bulk, "_previous_database", one_row_more)
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    assert copied == [set()]
    copied.clear()
    _correct_a_title(mini_data)
    build(mini_data, out, log=None)
    packages = {(p.parent.name, p.name) for p in mini_data.glob("*/20??Q?")}
    unchanged = packages - {(Q1.parent.name, Q1.name)}
    assert len(unchanged) >= 2
    assert copied == ([unchanged] if recorded == "as-written" else [unchanged, set()])
    db = "downloads/all/gongkai.db"
    assert _differences(out, _cold(mini_data, tmp_path, "after", monkeypatch)) == []
    assert (out / db).read_bytes() == (tmp_path / "cold-after" / db).read_bytes()


def test_pagefind_runs_overlap_within_their_document_budget_and_index_the_same(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where one unit is rendered (a quarterly commit, a correction: no render helper process), the
    shards of a quarter (what a new quarter re-indexes) are indexed by Pagefind runs at once, as long
    as their documents together stay within ``OVERLAP_DOCUMENTS`` (Pagefind's memory grows with
    them); the bundles are those of one run at a time."""
    from generator import search

    shutil.rmtree(mini_data / "rmyy")  # a portal of one unit: every build renders one unit
    registry = mini_data / "units.csv"
    lines = registry.read_text(encoding="utf-8").splitlines(keepends=True)
    registry.write_text("".join(line for line in lines if not line.startswith("rmyy,")), encoding="utf-8")
    config = mini_data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch_shard_size: 2\n", encoding="utf-8")
    at_launch: list[list[int]] = []  # documents of the runs under way, and of the one launched
    launch = search.Indexer._launch
    monkeypatch.setattr(search, "OVERLAP_DOCUMENTS", 3)  # a shard and a half

    def spy(self: search.Indexer, shard: int, documents: Path, size: int) -> object:
        at_launch.append([*(run.size for run in self.running), size])
        return launch(self, shard, documents, size)

    monkeypatch.setattr(search.Indexer, "_launch", spy)
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    overlapped = [sizes for sizes in at_launch if len(sizes) > 1]
    assert overlapped, at_launch
    assert all(sum(sizes) <= 3 for sizes in overlapped), at_launch
    monkeypatch.setattr(search, "OVERLAP_DOCUMENTS", 0)  # one run at a time
    at_launch.clear()
    one_at_a_time = _cold(mini_data, tmp_path, "one-at-a-time", monkeypatch)
    assert all(len(sizes) == 1 for sizes in at_launch), at_launch
    assert _differences(out, one_at_a_time) == []


def test_a_reindexed_shard_writes_only_its_changed_files_and_caches_them_all(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A correction re-indexes its quarter's shard. Pagefind writes the whole bundle again, but the
    site is given only the files that differ from the published ones (creating thousands of files
    was a third of such a rebuild). The cache still holds the whole bundle: a new runner with that
    cache and no site gets a complete, identical search index from it."""
    cache = tmp_path / "shared-cache"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = snapshot(out) or {}
    _correct_a_title(mini_data)
    from generator import search

    staged: dict[str, int] = {}  # bundle folder → files written into the site being built
    finish = search.Indexer.finish

    def spy(self: search.Indexer) -> search.IndexResult:
        result = finish(self)
        for bundle in self.plan.bundles:
            staged[bundle] = sum(1 for p in (self.site_dir / bundle).rglob("*") if p.is_file())
        return result

    monkeypatch.setattr(search.Indexer, "finish", spy)
    summary = build(mini_data, out, log=None)
    monkeypatch.undo()
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))
    assert summary.shards_reused == summary.shards - 1  # one shard re-indexed
    touched = {p for p in _touched(before, out) if p.startswith("pagefind")}
    reindexed = {p.split("/", 1)[0] + "/" for p in touched}
    assert len(reindexed) == 1
    bundle = reindexed.pop()
    in_bundle = [p for p in snapshot(out) or {} if p.startswith(bundle)]
    assert 0 < staged[bundle] < len(in_bundle) / 2, (staged, len(in_bundle))
    assert _differences(out, _cold(mini_data, tmp_path, "after", monkeypatch)) == []
    fresh = build(mini_data, tmp_path / "new-runner", log=None)  # the same cache, no published site
    assert fresh.shards_reused == fresh.shards
    assert _differences(tmp_path / "new-runner", out) == []


def test_mkdocs_runs_again_only_when_what_it_reads_changes(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.render import shell

    runs: list[str] = []
    real = shell._run_mkdocs

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append("mkdocs")
        return real(*args, **kwargs)

    monkeypatch.setattr(shell, "_run_mkdocs", counted)
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))  # a cache of its own: empty
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    _correct_a_title(mini_data)
    build(mini_data, out, log=None)
    assert runs == ["mkdocs"]  # the correction's rebuild took MkDocs' pages and shells from the cache
    assert _differences(out, _cold(mini_data, tmp_path, "after-correction", monkeypatch)) == []
    runs.clear()
    _retitle_portal(mini_data)
    build(mini_data, out, log=None)
    assert runs == ["mkdocs"]  # portal.yml changed: MkDocs ran again
    assert "样例市" in (out / "index.html").read_text(encoding="utf-8")


def test_templates_are_compiled_once_and_a_damaged_compiled_template_is_compiled_again(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from generator.render.pages import SealedBytecodeCache

    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kw: Any) -> Any:
        # The record pages' templates (the open-data pages' few have an environment of their own).
        if isinstance(self.bytecode_cache, SealedBytecodeCache) and name is not None:
            compiled.append(name)
        return real(self, source, name, *args, **kw)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    cache = tmp_path / "cache"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))  # a cache of its own: empty
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    assert "decision.html" in compiled
    compiled.clear()
    build(mini_data, out, log=None, full=True)  # every page rendered again
    assert compiled == []  # every template's compiled code came from the cache
    damaged = sorted(cache.glob("template-*"))
    assert damaged
    flip_a_byte(damaged)
    build(mini_data, out, log=None, full=True)
    assert "decision.html" in compiled  # a damaged entry is compiled again, never loaded
    assert _differences(out, _cold(mini_data, tmp_path, "same", monkeypatch)) == []


def test_a_packages_zip_is_made_again_only_when_its_files_change(mini_data: Path, tmp_path: Path) -> None:
    """The size and hash of each package's zip are kept (sealed) under a key of its files' hashes:
    a rebuild zips only the packages that changed, and a zip made later is the same bytes."""
    from generator.core.cache import Cache
    from generator.export.downloads import plan_downloads
    from generator.sources.load import load_portal

    (tmp_path / "cache").mkdir()
    cache = Cache(tmp_path / "cache", b"k" * 32)

    def zips() -> dict[str, tuple[bool, bytes, tuple[int, str] | None]]:
        plan = plan_downloads(load_portal(mini_data), cache)
        return {d.path: (d.content is not None, d.data(), d.digest) for d in plan if d.path.endswith(".zip")}

    first = zips()
    assert len(first) == 3 and all(made for made, _data, _digest in first.values())
    again = zips()
    assert not any(made for made, _data, _digest in again.values())  # none zipped again
    assert {p: (data, digest) for p, (_m, data, digest) in again.items()} == {
        p: (data, digest) for p, (_m, data, digest) in first.items()
    }
    for _made, data, digest in again.values():
        assert digest == (len(data), hashlib.sha256(data).hexdigest())
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"execution_note": "已签订合同"})
    changed = zips()
    assert {p for p, (made, _d, _h) in changed.items() if made} == {"downloads/fgw/2025Q1/fgw-2025Q1.zip"}
    assert (
        changed["downloads/fgw/2025Q1/fgw-2025Q1.zip"][1] != first["downloads/fgw/2025Q1/fgw-2025Q1.zip"][1]
    )
    # A damaged memo is no memo: every zip is made again.
    for memo in (tmp_path / "cache").glob("zips-*"):
        data = bytearray(memo.read_bytes())
        data[-2] ^= 1
        memo.write_bytes(bytes(data))
    assert all(made for made, _data, _digest in zips().values())


def test_the_manifest_the_last_build_wrote_is_not_checked_entry_by_entry_again(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The published manifest lists every file (74,000 at 20,000 decisions): the build that wrote it
    remembers its SHA-256 (sealed), and the next build parses those bytes without checking every
    entry again. A manifest whose bytes differ (changed by hand, or another build's) is checked."""
    from generator.release import manifest as manifest_module
    from generator.release import verify

    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    checked: list[str] = []
    real = manifest_module.manifest_problems

    def counted(name: str, data: object, release: int | None = None, **options: bool) -> list[str]:
        checked.append(name)
        return real(name, data, release, **options)

    monkeypatch.setattr(verify, "manifest_problems", counted)
    _retitle_portal(mini_data)
    build(mini_data, out, log=None)
    assert checked == []
    # The same manifest, its bytes changed (valid JSON, one more space): checked as a stranger's,
    # with the head of its release it names.
    path = out / "manifest.json"
    changed = path.read_bytes().replace(b'"release":', b'"release": ', 1)
    number = json.loads(changed)["release"]
    path.write_bytes(changed)
    _correct_a_title(mini_data)
    build(mini_data, out, log=None)
    assert checked == ["manifest.json", f"releases/{number}/manifest.json"]


def test_every_releases_page_names_its_manifest_and_file_count_as_the_chain_was_checked(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 更新记录 page of each earlier release says how many files its manifest lists, taken from
    the chain as it was checked (remembered in the cache, not parsed again on every build): the
    same count as the manifest itself, release after release, with or without the cache."""
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    out = _three_releases(mini_data, tmp_path)
    _retitle_portal(mini_data)
    build(mini_data, out, log=None)

    def counts(site: Path) -> dict[int, str]:
        shown = {}
        for number in range(1, 5):
            manifest = json.loads((site / f"releases/{number}/manifest.json").read_text(encoding="utf-8"))
            page = (site / f"changelog/{number}/index.html").read_text(encoding="utf-8")
            listed = f"（共 {manifest['file_count']} 个文件，记有文件列表的 SHA-256"
            assert listed in page, (number, listed)
            shown[number] = page[page.index("数据截至") : page.index("可用 <code>")]
        return shown

    remembered = counts(out)
    shutil.rmtree(tmp_path / "cache")  # every manifest parsed again
    _retitle_portal(mini_data)
    build(mini_data, out, log=None)
    assert {n: text for n, text in counts(out).items() if n < 4} == {n: remembered[n] for n in range(1, 4)}


def test_a_rebuild_leaves_the_earlier_releases_files_where_they_are(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The earlier releases' manifests and change lists, verified by the hash chain, stay in the
    published site untouched by a rebuild (not copied and compared again: a rebuild's cost does not
    grow with the number of releases); the site verifies, and equals a cold build but for its
    release history."""
    from generator.release.verify import verify

    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    out = _three_releases(mini_data, tmp_path)
    earlier = [f"releases/{n}/{name}" for n in (1, 2, 3) for name in ("manifest.json", "changes.json")]
    earlier = [path for path in earlier if (out / path).is_file()]
    assert len(earlier) >= 5
    before = snapshot(out) or {}
    stamps = {path: os.stat(out / path).st_ino for path in earlier}
    compared: list[str] = []
    real = swap.filecmp.cmp

    def comparing(a: Any, b: Any, shallow: bool = True) -> bool:
        compared.append(Path(b).relative_to(out).as_posix())
        return real(a, b, shallow=shallow)

    monkeypatch.setattr(swap.filecmp, "cmp", comparing)
    _retitle_portal(mini_data)
    build(mini_data, out, log=None)
    assert compared and not set(compared) & set(earlier)  # never staged: nothing to compare
    touched = _touched(before, out)
    assert not touched & set(earlier)
    assert {path: os.stat(out / path).st_ino for path in earlier} == stamps
    assert "releases/4/manifest.json" in touched
    report = verify(str(out))
    assert report.ok, report.problems
    assert _differences(out, _cold(mini_data, tmp_path, "after", monkeypatch)) == []
