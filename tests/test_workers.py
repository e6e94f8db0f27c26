"""The render stage's helper process: same site as one process, failures reported in Chinese."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from generator.core.workers import PROCESSES_ENV, Helper, WorkerFailed, split, usable_processes
from generator.render import pages
from generator.sources.load import load_portal
from tests.conftest import DEMO_DATA, ROOT
from tests.test_site import tree_digest


def test_two_render_processes_build_the_same_site_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DEMO_DATA, data)
    config = data / "portal.yml"  # every quarter a search shard of its own: work split per shard
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch_shard_size: 150\n", encoding="utf-8")
    monkeypatch.setenv(PROCESSES_ENV, "1")
    assert usable_processes() == 1
    one = build(data, tmp_path / "one", log=None)
    monkeypatch.setenv(PROCESSES_ENV, "2")
    assert usable_processes() == 2
    two = build(data, tmp_path / "two", log=None)
    assert one.shards == two.shards > 1 and one.pages == two.pages and one.indexed == two.indexed
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_a_portal_past_the_helpers_size_is_rendered_by_one_process_into_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = load_portal(DEMO_DATA)
    decisions = len(portal.decisions())
    monkeypatch.setattr(pages, "HELPER_MAX_DECISIONS", decisions)
    assert not pages.renders_alone(portal, ())
    monkeypatch.setattr(pages, "HELPER_MAX_DECISIONS", decisions - 1)
    assert pages.renders_alone(portal, ())
    # A build of it forks no helper for its record pages (the open-data workers still run), and
    # its site is the one two render processes make.
    forked: list[str] = []

    class Watched(Helper[object]):
        def __init__(self, groups: list[list[object]], work: Any, what: str = "生成记录页面") -> None:
            super().__init__(groups, work, what)
            if self.process is not None:
                forked.append(what)

    monkeypatch.setenv(PROCESSES_ENV, "2")
    monkeypatch.setattr(pages, "Helper", Watched)
    build(DEMO_DATA, tmp_path / "alone", log=None)
    assert "生成记录页面" not in forked
    monkeypatch.setattr(pages, "HELPER_MAX_DECISIONS", decisions)
    build(DEMO_DATA, tmp_path / "shared", log=None)
    assert "生成记录页面" in forked
    assert tree_digest(tmp_path / "alone") == tree_digest(tmp_path / "shared")


def test_split_balances_weight_and_keeps_order() -> None:
    items = [5, 1, 2, 3, 4, 6]
    mine, theirs = split(items, float)
    assert sorted(mine + theirs) == sorted(items)
    assert abs(sum(mine) - sum(theirs)) <= 1
    assert mine == [x for x in items if x in mine] and theirs == [x for x in items if x in theirs]


def _work(group: int, items: list[int]) -> int:
    if items and items[0] < 0:
        raise ValueError(f"坏数据 {items[0]}")
    return sum(items) * 10


def test_helper_returns_each_group_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "2")
    helper = Helper([[1, 2], [], [3]], _work)
    try:
        assert helper.process is not None, "with two cores the work runs in a forked process"
        assert [helper.result(n) for n in range(3)] == [30, 0, 30]
    finally:
        helper.close()


def test_a_failure_in_the_helper_process_is_reported_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "2")
    helper = Helper([[1], [-7]], _work)
    try:
        assert helper.result(0) == 10
        with pytest.raises(WorkerFailed, match="生成记录页面时出错（辅助进程）：ValueError: 坏数据 -7"):
            helper.result(1)
    finally:
        helper.close()


def test_without_a_helper_process_the_work_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "1")
    helper = Helper([[4]], _work)
    assert helper.process is None
    assert helper.result(0) == 40
    helper.close()


_PREPARED: list[int] = []


def _prepare_for_standby() -> None:
    _PREPARED.append(os.getpid())
    Path(os.environ["GONGKAI_TEST_MARKER"]).write_text(str(os.getpid()), encoding="utf-8")


def _standby_work(_group: int, items: list[int]) -> tuple[int, bool]:
    return sum(items) * 10, os.getpid() in _PREPARED  # the prepared state is the work's


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_standby_prepares_at_once_and_does_the_work_it_is_given_later(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A rebuild starts its validation helper before it knows which packages changed: the child
    loads what the work needs at once, then does the work given to it, with what it loaded."""
    monkeypatch.setenv(PROCESSES_ENV, "2")
    marker = tmp_path / "prepared"
    monkeypatch.setenv("GONGKAI_TEST_MARKER", str(marker))
    helper: Helper[int] = Helper(None, _standby_work, prepare=_prepare_for_standby)
    try:
        assert helper.process is not None
        assert _wait_for(marker.exists), "prepare runs before any work is given"
        assert marker.read_text(encoding="utf-8") == str(helper.process.pid)
        assert not helper.ready()
        helper.give([[1, 2], [3]])
        assert _wait_for(helper.ready), "the work given is done"
        assert [helper.result(0), helper.result(1)] == [(30, True), (30, True)]
    finally:
        helper.close()
    assert _PREPARED == []  # prepared in the child, not here


def test_a_standby_never_given_work_ends_quietly_when_closed(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "2")
    helper: Helper[int] = Helper(None, _standby_work, prepare=lambda: time.sleep(30))
    child = helper.process
    assert child is not None
    started = time.monotonic()
    helper.close()
    assert time.monotonic() - started < 5
    assert not child.is_alive()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_a_standby_without_a_helper_process_does_its_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROCESSES_ENV, "1")
    helper: Helper[int] = Helper(None, _standby_work, prepare=_prepare_for_standby)
    assert helper.process is None
    helper.give([[4]])
    assert helper.result(0) == (40, False)  # nothing prepared here: the work needs no warm-up
    helper.close()


def _ended(pid: int) -> bool:
    """Whether process ``pid`` has ended (gone, or a zombie nobody has reaped yet)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return True
    return any(line.startswith("State:") and "Z" in line.split()[1] for line in status.splitlines())


def test_a_standby_whose_build_is_killed_does_not_wait_for_ever(tmp_path: Path) -> None:
    """A build killed outright (SIGKILL, no clean-up) leaves no helper process behind waiting for
    work that will never come: the standby sees its parent's end of the pipe close, and ends."""
    script = (
        "import os, signal\n"
        "from generator.core.workers import Helper\n"
        "helper = Helper(None, lambda group, items: items)\n"
        "print(helper.process.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = dict(os.environ, **{PROCESSES_ENV: "2", "PYTHONPATH": str(ROOT)})
    printed = tmp_path / "pid"
    with printed.open("w", encoding="utf-8") as out:  # a file, not a pipe: a child left behind holds it
        result = subprocess.run([sys.executable, "-c", script], stdout=out, env=env, check=False, timeout=60)
    assert result.returncode == -9
    child = int(printed.read_text(encoding="utf-8").split()[0])
    try:
        assert _wait_for(lambda: _ended(child)), "the standby went on waiting after its build was killed"
    finally:
        if not _ended(child):
            os.kill(child, signal.SIGKILL)
