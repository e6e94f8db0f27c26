"""A workbook is a zip file: before openpyxl opens it, its archive is measured against the bounds
(members, decompressed size, compression ratio, worksheet rows), so that a few MB on disk cannot
unpack to gigabytes or rows without end."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from generator.intake import (
    PublishError,
)
from generator.intake.base import (
    _MB,
    DEFAULT_BOUNDS,
    MAX_RATIO,
    MAX_WORKBOOK_MEMBERS,
    RATIO_MIN_BYTES,
    Bounds,
)


def check_workbook_archive(path: Path, bounds: Bounds = DEFAULT_BOUNDS) -> None:
    """Refuse a workbook before openpyxl opens it if it is not a zip, or unpacks to more than
    ``bounds.workbook_mb`` (the sizes its zip directory declares, which are all that Python's
    zipfile ever unpacks), or holds a member packed beyond any spreadsheet's ratio (a zip bomb)."""
    limit = bounds.workbook_mb * _MB
    name = path.name
    unreadable = f"无法打开工作簿“{name}”：文件已损坏或不是 .xlsx 格式"
    size = path.stat().st_size
    if size > limit:
        raise PublishError(
            f"工作簿“{name}”有 {size / _MB:.1f} MB，超过上限 {bounds.workbook_mb} MB"
            "（portal.yml 的 max_workbook_mb）；请删除多余的工作表、图片和空行后重新保存，或分次导入。"
        )
    try:
        with path.open("rb") as handle:
            end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # the zip's own count
        if end is None:
            raise PublishError(f"{unreadable}（不是 zip 压缩包）。")
        if end[zipfile._ECD_ENTRIES_TOTAL] > MAX_WORKBOOK_MEMBERS:  # type: ignore[attr-defined]
            raise PublishError(f"{unreadable}（压缩包内文件多达 {end[zipfile._ECD_ENTRIES_TOTAL]} 个）。")  # type: ignore[attr-defined]
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        raise PublishError(f"{unreadable}（{type(error).__name__}）。") from None
    total = sum(member.file_size for member in members)
    if total > limit:
        raise PublishError(
            f"工作簿“{name}”解压后有 {total / _MB:,.0f} MB，超过上限 {bounds.workbook_mb} MB"
            "（portal.yml 的 max_workbook_mb）；文件可能已损坏或被改造过，请在 Excel 中另存为新的 .xlsx 后重试。"
        )
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PublishError(f"{unreadable}（其中“{member.filename}”使用了 Excel 不使用的压缩方式）。")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise PublishError(
                f"工作簿“{name}”中的“{member.filename}”压缩比高达 {ratio:,.0f} 倍（正常的工作簿不超过 {MAX_RATIO} 倍），"
                "可能是被改造过的文件，不予读取；请在 Excel 中另存为新的 .xlsx 后重试。"
            )
    # Every XML part, not only xl/worksheets/: the workbook's relationships may put a sheet anywhere.
    for member in (m for m in members if m.filename.lower().endswith(".xml")):
        try:
            with zipfile.ZipFile(path) as archive:
                rows = _count_rows(archive, member)
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
            raise PublishError(f"{unreadable}（{type(error).__name__}）。") from None
        if rows > bounds.rows + 2:
            raise PublishError(
                f"工作簿“{name}”的工作表文件“{member.filename}”有 {rows:,} 行（包括带格式的空行），"
                f"超过上限 {bounds.rows:,} 行（portal.yml 的 max_rows）；请删除多余的行，或分次导入。"
            )


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """The ``<row>`` elements of a worksheet, counted on the stream without parsing it: openpyxl
    would otherwise read a sheet without a size declaration whole before the first row."""
    count, carry = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            cut = len(buffer) if cut < 0 else cut
            count += len(_ROW_TAG.findall(buffer, 0, cut))
            carry = buffer[cut:]
    return count + len(_ROW_TAG.findall(carry))
