"""The benchmarks' memory figure: every address space of a build's process tree counted once.

``bench/bench.py`` sums the resident memory of the build and its descendants. A child started by
``subprocess`` (Pagefind, git, rm) runs in its parent's address space between ``vfork`` and its
``exec``; summed naively, a build holding 7 GB showed 14 GB for those moments. A ``fork``ed child
(the render helper) has memory of its own and must count.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from bench import measure

pytestmark = pytest.mark.skipif(platform.machine() != "x86_64", reason="kcmp(2) numbers are x86_64's")

#: A process that holds (and touches) this much memory, then does something for about two seconds.
HELD_MB = 300

_HOLD = f"""
import os, subprocess, sys, time
held = bytearray({HELD_MB} * 1024 * 1024)
for i in range(0, len(held), 4096):
    held[i] = 1
mode = sys.argv[1]
if mode == "spawn":  # many short children, each started by vfork, as subprocess does
    end = time.monotonic() + 2
    while time.monotonic() < end:
        subprocess.run(["true"])
else:  # one forked child that writes its own copy of every page, as the render helper does
    child = os.fork()
    if child == 0:
        for i in range(0, len(held), 4096):
            held[i] = 2
        time.sleep(1.5)
        os._exit(0)
    time.sleep(2)
    os.waitpid(child, 0)
"""


def _peak(mode: str) -> float:
    seconds, peak = measure([sys.executable, "-c", _HOLD, mode])
    assert seconds > 1.5
    return peak


def test_children_started_by_subprocess_are_not_counted_twice() -> None:
    peak = _peak("spawn")
    assert HELD_MB <= peak < HELD_MB * 1.5, peak


def test_a_forked_child_with_memory_of_its_own_counts() -> None:
    assert subprocess.run(["true"]).returncode == 0
    peak = _peak("fork")
    assert peak >= HELD_MB * 1.8, peak
