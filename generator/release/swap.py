"""Release stage, last step: swap the staged site in place of the published one.

Readers never see half a site: the old site is renamed aside, the new one renamed in, and the old
one removed in the background. If the second rename fails, the old site is moved back.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import shutil
import tempfile
from pathlib import Path

from generator.core.scratch import remove_in_background
from generator.core.urls import PUBLISHING, SITE_MARKER


class PublishFailed(Exception):
    """The site could not be swapped in; ``message`` is Chinese and says where the old site is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace a directory that Gongkai did not build (e.g. ``--out ~``)."""
    if out_dir.exists() and (
        not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / SITE_MARKER).exists())
    ):
        raise PublishFailed(
            f"输出目录“{out_dir}”已存在，且不是 gongkai 生成的网站。为避免误删其中的文件，拒绝覆盖；请换一个输出目录。"
        )


def publish(staged: Path, out_dir: Path) -> None:
    """Swap the staged site in place of the old one, so that readers never see half a site."""
    failed = f"无法用新生成的网站替换“{out_dir}”"
    trash = None
    if out_dir.exists():
        try:
            trash = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            out_dir.rename(trash / out_dir.name)
        except OSError as error:
            if trash is not None:
                shutil.rmtree(trash, ignore_errors=True)
            raise PublishFailed(f"{failed}（{_os_reason(error)}）：上一次生成的网站保持不变。") from None
    try:
        staged.rename(out_dir)
    except OSError as error:
        reason = _os_reason(error)
        if trash is not None:
            try:
                (trash / out_dir.name).rename(out_dir)
            except OSError:
                raise PublishFailed(
                    f"{failed}（{reason}），也无法把上一次生成的网站移回原处：它现在位于"
                    f"“{trash / out_dir.name}”，请手动将其移回“{out_dir}”。"
                ) from None
            shutil.rmtree(trash, ignore_errors=True)
        raise PublishFailed(f"{failed}（{reason}）：上一次生成的网站保持不变。") from None
    if trash is not None:
        remove_in_background(trash)


def _os_reason(error: OSError) -> str:
    """The system's reason for a failed file operation (its text is the system's own)."""
    return f"系统错误：{error.strerror or error}"


_JOURNAL = "journal.json"


def journal_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.publish-journal"


def publish_changes(
    staged: Path, out_dir: Path, keep: set[str], published: dict[str, tuple[int, int]]
) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """Make ``out_dir`` hold exactly the files of ``staged`` plus the ``keep`` files it already has,
    touching only what differs: a staged file the same as the published one is left alone, a
    published file that is neither staged nor kept is removed. ``published`` is the site's
    snapshot (size and time of every file) that the build checked. Returns the new snapshot and
    the files written or removed.

    The publish is journalled beside the site: each replaced or removed file is first moved into
    the journal, and the journal says what was done. Until it is finished the site holds
    ``PUBLISHING``; a publish cut short (a crash, a power cut) is rolled back by the next run
    (``recover``), so the site is never left as a mix of two builds."""
    from generator.core.site_state import snapshot

    staged_files = snapshot(staged)
    if staged_files is None:
        raise PublishFailed(f"新生成的网站“{staged}”无法读取或含有链接文件，未发布。")
    missing = sorted(p for p in keep if p not in published)
    if missing:  # a bug, never a site with holes
        raise PublishFailed(f"内部错误：要保留的文件不在已发布的网站中（{'、'.join(missing[:3])}），未发布。")
    result: dict[str, tuple[int, int]] = {p: published[p] for p in keep}
    add, replace = [], []
    for path, (size, _time) in sorted(staged_files.items()):
        if path not in published:
            add.append(path)
        elif published[path][0] == size and filecmp.cmp(staged / path, out_dir / path, shallow=False):
            result[path] = published[path]
        else:
            replace.append(path)
    delete = sorted(p for p in published if p not in staged_files and p not in keep)
    if not (add or replace or delete):
        return result, []
    journal = journal_dir(out_dir)
    shutil.rmtree(journal, ignore_errors=True)
    try:
        (journal / "old").mkdir(parents=True)
        _write_journal(journal, {"status": "applying", "add": add, "replace": replace, "delete": delete})
        (out_dir / PUBLISHING).write_text(
            "发布进行中：若此文件一直存在，请重新运行 gongkai build。\n", encoding="utf-8"
        )
        for path in replace + delete:
            old = journal / "old" / path
            old.parent.mkdir(parents=True, exist_ok=True)
            os.rename(out_dir / path, old)
        for path in add + replace:
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staged / path, target)
            status = os.lstat(target)
            result[path] = (status.st_size, status.st_mtime_ns)
        for path in delete:
            _prune(out_dir, path)
        _write_journal(journal, {"status": "done"})
        os.unlink(out_dir / PUBLISHING)
    except OSError as error:
        recover(out_dir)  # raises PublishFailed if even the rollback fails
        raise PublishFailed(
            f"无法把新生成的网站写入“{out_dir}”（{_os_reason(error)}）：已撤销本次发布，上一次生成的网站保持不变。"
        ) from None
    remove_in_background(journal)
    return result, add + replace + delete


def _write_journal(journal: Path, record: dict[str, object]) -> None:
    fresh = journal / f".{_JOURNAL}.new"
    with fresh.open("w", encoding="utf-8") as handle:
        json.dump(record, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(fresh, journal / _JOURNAL)


def _prune(root: Path, path: str) -> None:
    """Remove the folders that the removal of ``path`` left empty (never ``root`` itself)."""
    folder = (root / path).parent
    while folder != root:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def recover(out_dir: Path) -> bool:
    """Finish or roll back an in-place publish that was cut short; return True if there was one.

    A finished journal is only cleaned up; an unfinished one is rolled back file by file (each step
    can be repeated, so a recovery cut short is finished by the next run). A ``PUBLISHING`` marker
    without a journal cannot be rolled back: the build then replaces the whole site."""
    journal = journal_dir(out_dir)
    marker = out_dir / PUBLISHING
    try:
        record = json.loads((journal / _JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        if journal.exists():
            shutil.rmtree(journal, ignore_errors=True)  # made, but nothing done yet
        return False
    except (OSError, ValueError) as error:
        raise PublishFailed(
            f"上一次发布的记录“{journal}”无法读取（{error}）：网站“{out_dir}”可能不完整，请删除该目录后重新生成。"
        ) from None
    if record.get("status") != "done":
        try:
            for path in [*record.get("replace", []), *record.get("delete", [])]:
                old = journal / "old" / path
                if os.path.lexists(old):
                    (out_dir / path).parent.mkdir(parents=True, exist_ok=True)
                    os.replace(old, out_dir / path)
            for path in record.get("add", []):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(out_dir / path)
                    _prune(out_dir, path)
        except OSError as error:
            raise PublishFailed(
                f"无法撤销上一次未完成的发布（{_os_reason(error)}）：网站“{out_dir}”可能不完整，"
                f"旧文件在“{journal / 'old'}”，请删除网站目录后重新生成。"
            ) from None
    with contextlib.suppress(FileNotFoundError):
        os.unlink(marker)
    shutil.rmtree(journal, ignore_errors=True)
    return True
