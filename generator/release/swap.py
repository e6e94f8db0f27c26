"""Release stage, last step: swap the staged site in place of the published one.

Readers never see half a site: the old site is renamed aside, the new one renamed in, and the old
one removed in the background. If the second rename fails, the old site is moved back.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.core.urls import SITE_MARKER


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
        _remove_in_background(trash)


def _os_reason(error: OSError) -> str:
    """The system's reason for a failed file operation (its text is the system's own)."""
    return f"系统错误：{error.strerror or error}"


def _remove_in_background(path: Path) -> None:
    """Delete the replaced site (tens of thousands of files: 10–20 s on a slow disk) without making
    the publisher wait: a detached ``rm -rf``, or here and now where that cannot be started."""
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
