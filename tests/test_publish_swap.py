"""The swap itself: when the new site is built but cannot be moved into place (the last rename
fails), the old site stays whole where it was and the publisher gets a Chinese message, no
traceback. The failure is real: the build's staging folder is locked just before the swap (read-only
for a normal user, the immutable attribute for root, whom permissions do not stop), so only the
final rename of the staged site out of it can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import BuildFailed, build

from .test_site import tree_digest

LAST_STAGE = "· 检索索引（收尾）"  # logged right before the staged site is swapped in


class _Lock:
    """Make renaming an entry out of a directory fail for real, and undo it."""

    def __init__(self) -> None:
        self.locked: list[Path] = []

    def lock(self, folder: Path) -> None:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
        else:
            folder.chmod(0o555)
        self.locked.append(folder)

    def unlock(self) -> None:
        for folder in self.locked:
            self.unlock_folder(folder)

    @staticmethod
    def unlock_folder(folder: Path) -> None:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=False, capture_output=True)
        else:
            folder.chmod(0o755)


@pytest.fixture
def lock(tmp_path: Path) -> Iterator[_Lock]:
    """A lock shown to work here (chattr needs a filesystem that keeps the attribute)."""
    probe, locks = tmp_path / "probe", _Lock()
    (probe / "inner").mkdir(parents=True)
    try:
        _Lock().lock(probe)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("cannot make a rename fail here (no chattr, or a filesystem without it)")
    try:
        (probe / "inner").rename(tmp_path / "moved")
    except OSError:
        pass
    else:
        pytest.skip("a locked folder still lets its entries be renamed here")
    finally:
        _Lock.unlock_folder(probe)
        shutil.rmtree(probe, ignore_errors=True)
    try:
        yield locks
    finally:
        locks.unlock()


def test_a_publish_whose_final_rename_fails_leaves_the_old_site_whole(
    mini_data: Path, tmp_path: Path, lock: _Lock, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(mini_data, out, log=None)
    before = tree_digest(out)
    # A new cache: no state of the published site, so the build publishes the whole site by the swap
    # (the in-place publish of a rebuild is tested in test_incremental.py).
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "new-cache"))

    def log(line: str) -> None:
        if line.startswith(LAST_STAGE) and not lock.locked:
            (staging,) = tmp_path.glob(".site.building-*")
            assert (staging / "site" / "index.html").is_file(), "the new site is built, ready to swap"
            lock.lock(staging)

    with pytest.raises(BuildFailed) as failed:
        build(mini_data, out, log=log)
    assert lock.locked, "the build reached the swap"
    message = failed.value.message
    assert f"无法用新生成的网站替换“{out}”" in message, message
    assert "上一次生成的网站保持不变" in message
    assert "Traceback" not in message
    assert tree_digest(out) == before, "the old site is whole, byte for byte"
    assert not list(tmp_path.glob(".site.old-*")), "no half-moved copy of the old site left aside"
    lock.unlock()
    # Once the folder can be written again, the same build publishes (the same site: same data).
    build(mini_data, out, log=None)
    assert tree_digest(out) == before
