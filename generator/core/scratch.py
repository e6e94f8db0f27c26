"""A build's work folders, and a build stopped by a signal.

A build writes into work folders: the staged site beside the output folder
(``.<out>.building-<pid>-…``) and, on tmpfs, the published view of the data and the search
documents (``/dev/shm/gongkai-published-<pid>-…``, ``gongkai-search-<pid>-…``). Each name holds the
id of the process that made it, so a later build can tell a killed build's leftovers (its process
is gone) from a running build's, and ``sweep`` removes them. ``Interrupts`` turns SIGTERM and
SIGINT into an ``Interrupted`` exception, so a stopped build removes its own folders on the way out
like any failed build; SIGKILL cannot be caught, and there the next build's sweep cleans up.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

#: Work folders made before they were named by process (no pid) are swept once this old.
LEGACY_AGE_SECONDS = 24 * 3600
_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def make_dir(prefix: str, parent: Path | str | None) -> Path:
    """A new private folder ``<prefix><pid>-<random>`` in ``parent`` (None: the system's temporary folder)."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0
    return True


def sweep(parent: Path, prefix: str, legacy: bool = False) -> list[Path]:
    """Remove this user's folders ``<prefix><pid>-…`` in ``parent`` whose process is gone; with
    ``legacy``, also ``<prefix><8 characters>`` folders (named before the pid was) older than a day.
    Returns what was removed."""
    named = re.compile(re.escape(prefix) + r"(\d{1,10})-[A-Za-z0-9_]+")
    unnamed = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    now = time.time()
    for item in entries:
        if not item.name.startswith(prefix):
            continue
        try:
            status = item.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.geteuid():
            continue
        match = named.fullmatch(item.name)
        if match:
            stale = not alive(int(match.group(1)))
        else:
            stale = (
                legacy and bool(unnamed.fullmatch(item.name)) and now - status.st_mtime > LEGACY_AGE_SECONDS
            )
        if stale:
            shutil.rmtree(item.path, ignore_errors=True)
            removed.append(Path(item.path))
    return removed


class Interrupted(BaseException):
    """SIGTERM or SIGINT stopped the build. A ``BaseException`` (like ``KeyboardInterrupt``), so that
    no ``except Exception`` on the way out swallows it."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        super().__init__(self.signal_name)


class Interrupts:
    """Within ``with Interrupts() as interrupts:`` (in the main thread), SIGTERM or SIGINT raises
    ``Interrupted`` in the main thread, once: a second signal does not cut the clean-up short.
    ``deferred()`` holds a signal back over a step that must not be cut in two. In a forked child
    the signals keep their ordinary effect. Elsewhere than the main thread this does nothing."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._owner = os.getpid()
        self._deferring = 0
        self._raised = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._owner = os.getpid()
            for signum in _SIGNALS:
                if signal.getsignal(signum) is not signal.SIG_IGN:  # ignored by who started us: stays so
                    self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if os.getpid() != self._owner:  # a forked helper process: stop as the signal says
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if self.received is not None:
            return
        self.received = signum
        if not self._deferring:
            self._raised = True
            raise Interrupted(signum)

    @contextlib.contextmanager
    def deferred(self, then_raise: bool = True) -> Iterator[None]:
        """A signal arriving within the block takes effect at its end (``then_raise``), or not at all
        (the step it would have stopped is the last: the build has done its work)."""
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
        if then_raise and not self._deferring and self.received is not None and not self._raised:
            self._raised = True
            raise Interrupted(self.received)


def remove_in_background(path: Path) -> None:
    """Delete ``path`` (a replaced site, a shard's search documents: thousands of files) without
    making the build wait: a detached ``rm -rf``, or here and now where that cannot be started."""
    try:
        subprocess.Popen(
            ["rm", "-rf", "--", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
