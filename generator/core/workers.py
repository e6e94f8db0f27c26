"""A second process: work split in two, the other half done by a forked copy of this process.

Used by the render stage (record pages) and by the open-data stage (bulk downloads and JSON API).

The render stage is pure CPU (jinja2 and string building) and this is a 2-core machine kind: a forked
child shares the loaded portal, rule report and templates copy-on-write, renders its share of the
pages straight into the staged site, and sends back, one group of work at a time as it finishes each,
what the parent needs (the paths it wrote and its compact search documents). Every page is written
by exactly one process and does not depend on which, so the site is byte for byte the same as a
single-process build.

Where fork is unavailable, only one core is usable, or ``GONGKAI_RENDER_PROCESSES=1`` is set, the
"other half" is done in this process when its result is asked for: same results, one core.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")
PROCESSES_ENV = "GONGKAI_RENDER_PROCESSES"


class WorkerFailed(RuntimeError):
    """The helper process failed or died; the message is Chinese."""


def usable_processes() -> int:
    configured = os.environ.get(PROCESSES_ENV, "").strip()
    if configured.isdigit() and int(configured) >= 1:
        return min(int(configured), 2)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 else 1


def split(items: Sequence[T], weight: Callable[[T], float]) -> tuple[list[T], list[T]]:
    """Two shares of about equal weight (heaviest first, each to the lighter share), in input order."""
    shares: tuple[list[int], list[int]] = ([], [])
    loads = [0.0, 0.0]
    for index in sorted(range(len(items)), key=lambda i: -weight(items[i])):
        lighter = 0 if loads[0] <= loads[1] else 1
        shares[lighter].append(index)
        loads[lighter] += weight(items[index])
    return [items[i] for i in sorted(shares[0])], [items[i] for i in sorted(shares[1])]


class Helper(Generic[T]):
    """Runs ``work(group, items)`` for every group, in order, in a forked child (or lazily here);
    ``result(group)`` returns what it returned (which must pickle).

    ``groups`` None: the child is started before its work is known (a *standby*). It runs
    ``prepare()`` at once (imports, schemas: what the work would otherwise pay for first) while this
    process goes on, then waits for ``give(groups)``; one never given work is ended by ``close``."""

    def __init__(
        self,
        groups: list[list[T]] | None,
        work: Callable[[int, list[T]], Any],
        what: str = "生成记录页面",
        prepare: Callable[[], None] | None = None,
    ) -> None:
        self.groups, self.work, self.what = groups or [], work, what  # ``what``: the work, in Chinese
        self.prepare = prepare
        self.results: dict[int, Any] = {}
        self.process: Any = None
        self.conn: Connection | None = None
        deferred = groups is None
        if (
            usable_processes() >= 2
            and (deferred or any(self.groups))
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            context = multiprocessing.get_context("fork")
            parent, child = context.Pipe(duplex=deferred)
            for stream in (sys.stdout, sys.stderr):  # or the child would print the parent's buffer again
                with contextlib.suppress(Exception):
                    stream.flush()
            self.process = context.Process(target=self._child, args=(child, deferred, parent), daemon=True)
            self.process.start()
            child.close()
            self.conn = parent

    def give(self, groups: list[list[T]]) -> None:
        """The work of a standby (``groups`` None when made)."""
        self.groups = groups
        if self.conn is not None:
            self.conn.send(groups)

    def _child(self, conn: Connection, deferred: bool = False, other: Connection | None = None) -> None:
        if other is not None:
            # This process's copy of the parent's end: closed, so that a parent that is gone (even
            # killed) ends the wait for work below (``EOFError``), not leaves it waiting for ever.
            other.close()
        groups = self.groups
        if deferred:
            if self.prepare is not None:
                with contextlib.suppress(Exception):  # only a warm-up: the work itself reports
                    self.prepare()
            try:
                groups = conn.recv()
            except (EOFError, OSError):  # never given work: the parent has gone on without it
                os._exit(0)
        for group, items in enumerate(groups):
            try:
                conn.send(("ok", group, self.work(group, items)))
            except BaseException as error:  # reported to the parent, which fails the build
                detail = "".join(traceback.format_exception_only(type(error), error)).strip()
                conn.send(("error", group, detail))
                conn.close()
                os._exit(1)
        conn.close()

    @property
    def forked(self) -> bool:
        """Whether the work runs in a child process (else ``result`` does it here)."""
        return self.conn is not None

    def ready(self) -> bool:
        """Whether the child has sent a result that ``result`` has not taken yet (never without one)."""
        return self.conn is not None and (bool(self.results) or self.conn.poll())

    def result(self, group: int) -> Any:
        if self.conn is None:
            return self.work(group, self.groups[group])
        while group not in self.results:
            try:
                status, done, payload = self.conn.recv()
            except (EOFError, OSError):
                self.process.join()
                raise WorkerFailed(
                    f"{self.what}的辅助进程意外退出（退出码 {self.process.exitcode}）：可能是内存不足。"
                    f"可设置环境变量 {PROCESSES_ENV}=1 改用单个进程生成。"
                ) from None
            if status == "error":
                raise WorkerFailed(f"{self.what}时出错（辅助进程）：{payload}")
            self.results[done] = payload
        return self.results.pop(group)

    def close(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.process = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None
