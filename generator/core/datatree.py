"""Where things live in a data tree.

data/
  portal.yml                 portal settings (optional)
  datapackage.json           the unit registry's package
  units.csv                  the unit registry
  <unit_id>/<YYYY>Q<n>/      one unit's quarterly disclosure: datapackage.json + CSV files
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

#: Matched with ``fullmatch``: ``$`` alone would accept a name ending in a line break.
PERIOD_RE = re.compile(r"(\d{4})Q([1-4])")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
REGISTRY_CSV = "units.csv"
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter, written 2025Q1."""

    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Period | None:
        match = PERIOD_RE.fullmatch(text)
        return cls(int(match.group(1)), int(match.group(2))) if match else None

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def label(self) -> str:
        """The Chinese name, e.g. 2025年第一季度."""
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    @property
    def first_month(self) -> int:
        return 3 * self.quarter - 2

    @property
    def ordinal(self) -> int:
        """Quarters since year 0: the difference of two ordinals is their distance in quarters."""
        return self.year * 4 + self.quarter - 1

    @property
    def start(self) -> dt.date:
        """The quarter's first day."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The quarter's last day."""
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Period:
        return Period(self.year + (self.quarter == 4), 1 if self.quarter == 4 else self.quarter + 1)

    def contains(self, iso_date: str) -> bool:
        year, month = int(iso_date[:4]), int(iso_date[5:7])
        return year == self.year and self.first_month <= month <= self.first_month + 2


@dataclass(frozen=True)
class PackageRef:
    """One unit-quarter directory in the data tree."""

    unit_id: str
    period: Period
    path: Path

    @property
    def key(self) -> str:
        return f"{self.unit_id}/{self.period}"


def package_dirs(data_dir: Path) -> list[PackageRef]:
    """Every ``<unit>/<YYYY>Q<n>/`` directory, in stable order (unit, then period); only real
    folders (``scan_tree``), never a link."""
    tree = scan_tree(data_dir)
    return [
        PackageRef(unit, period, Path(data_dir) / unit / name)
        for unit in tree.units
        for name in tree.subdirs[unit]
        if (period := Period.parse(name)) is not None
    ]


# --- The tree as it is on disk: regular files and folders only -------------------------------------

#: What the data tree may not hold, by ``stat`` file type, as named to the clerk.
SPECIAL_KINDS: dict[int, str] = {
    stat.S_IFLNK: "符号链接",
    stat.S_IFIFO: "命名管道（FIFO）",
    stat.S_IFCHR: "字符设备",
    stat.S_IFBLK: "块设备",
    stat.S_IFSOCK: "套接字",
}


@dataclass(frozen=True)
class SpecialEntry:
    """A link, FIFO, device or socket in the data tree."""

    #: Path relative to the data directory (posix).
    rel: str
    #: What it is, in Chinese (``SPECIAL_KINDS``).
    kind: str


@dataclass
class Tree:
    """The data tree's folders, found without following any link or opening any file."""

    #: Unit folders (real, not hidden), sorted.
    units: list[str] = field(default_factory=list)
    #: For each unit folder, its real, not hidden sub-folders (the quarters), sorted.
    subdirs: dict[str, list[str]] = field(default_factory=dict)
    #: Everything that is neither a regular file nor a folder, in path order.
    special: list[SpecialEntry] = field(default_factory=list)
    #: Regular files larger than the ``max_bytes`` given to ``scan_tree``: (path, size), in path order.
    large: list[tuple[str, int]] = field(default_factory=list)


def special_kind(mode: int) -> str | None:
    """The Chinese name of a file type the data tree may not hold, or None for a file or folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return SPECIAL_KINDS.get(stat.S_IFMT(mode), "特殊文件")


def scan_tree(data_dir: Path, max_bytes: int | None = None) -> Tree:
    """Walk the data tree with ``lstat`` only: links are never followed and nothing is opened,
    so that a FIFO cannot block and a link cannot lead outside the tree. Hidden folders
    (``.git`` …) are not entered; every command that reads the tree goes through this walk."""
    tree = Tree()
    # Folders still to look into, as (path, relative path with a final "/"); no recursion, so
    # that a tree nested thousands of levels deep is walked like any other.
    pending: list[tuple[str, str]] = [(str(data_dir), "")]
    while pending:
        folder, rel = pending.pop()
        with os.scandir(folder) as entries:
            listing = sorted(entries, key=lambda entry: entry.name)
        subdirs: list[str] = []
        for entry in listing:
            info = entry.stat(follow_symlinks=False)
            kind = special_kind(info.st_mode)
            if kind is not None:
                tree.special.append(SpecialEntry(rel + entry.name, kind))
            elif max_bytes is not None and stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
                tree.large.append((rel + entry.name, info.st_size))
            elif entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                subdirs.append(entry.name)
                pending.append((entry.path, f"{rel}{entry.name}/"))
        if not rel:
            tree.units = subdirs
        elif rel.count("/") == 1:
            tree.subdirs[rel[:-1]] = subdirs
    tree.special.sort(key=lambda entry: entry.rel)
    tree.large.sort()
    return tree


def check_regular_tree(data_dir: Path, max_file_mb: int | None = None) -> str | None:
    """None when the data tree holds only regular files and folders (each of at most
    ``max_file_mb``); otherwise a Chinese message naming every link, FIFO, device or socket, or
    every file too large (for the commands that stop at the first problem)."""
    tree = scan_tree(data_dir, None if max_file_mb is None else max_file_mb * 1024 * 1024)

    def name(rel: str) -> str:
        return shown_name((Path(data_dir) / rel).as_posix())

    if tree.special:
        listed = "；".join(f"{name(e.rel)}（{e.kind}）" for e in tree.special[:20])
        more = f"等 {len(tree.special)} 处" if len(tree.special) > 20 else ""
        return (
            f"数据目录中只能有普通文件和文件夹，以下不是：{listed}{more}。"
            "请删除它们；如需要其中的数据，请把文件本身复制到这里。"
        )
    if tree.large:
        listed = "；".join(f"{name(rel)}（{size / 1024 / 1024:.1f} MB）" for rel, size in tree.large[:20])
        return (
            f"以下文件超过上限 {max_file_mb} MB：{listed}。请检查文件是否有误；"
            "如确需公开这么大的文件，可在 portal.yml 中调高上限 max_file_mb。"
        )
    return None


class NotRegularFile(OSError):
    """A path to be read is a link, FIFO, device, socket or folder: ``kind`` says which."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path}：是{kind}，不是普通文件")
        self.kind = kind


class FileTooLarge(OSError):
    """A file is larger than the bound it is read under."""

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(f"{path}：文件大小 {size} 字节，超过上限 {limit} 字节")
        self.size, self.limit = size, limit


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The file is looked at with ``lstat`` before it is opened (a FIFO is never opened, a link
    never followed), opened without following a link and without blocking, and checked again
    once open; it is read only if its size is within ``limit`` (``FileTooLarge`` otherwise) and
    never beyond ``limit`` bytes even if it grows meanwhile. ``FileNotFoundError`` if missing."""
    kind = special_kind(os.lstat(path).st_mode)
    if kind is None and stat.S_ISDIR(os.lstat(path).st_mode):
        kind = "文件夹"
    if kind is not None:
        raise NotRegularFile(path, kind)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, special_kind(info.st_mode) or "文件夹")
        if info.st_size > limit:
            raise FileTooLarge(path, info.st_size, limit)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, len(data), limit)
    return data


def shown_name(text: str) -> str:
    """A file or folder name safe to print: control and format characters as <U+XXXX>."""
    return "".join(
        f"<U+{ord(char):04X}>" if unicodedata.category(char) in ("Cc", "Cf") else char for char in text
    )


#: A portal's own look, beside its data/ folder: ``templates/`` (jinja2 templates that replace the
#: default ones of the same name, the open-data pages' included) and ``extra.css`` (added to every
#: page after the default styles). See docs/operator.md.
OVERRIDES_DIR = "overrides"


def portal_overrides(data_dir: Path) -> Path | None:
    """The portal's overrides folder (``<portal>/overrides/`` beside ``data/``), if it has one."""
    folder = data_dir.absolute().parent / OVERRIDES_DIR
    return folder if folder.is_dir() else None


def override_templates(data_dir: Path) -> list[Path]:
    """The portal's template folder, first in the search path of every jinja2 environment, or []."""
    folder = portal_overrides(data_dir)
    return [folder / "templates"] if folder is not None and (folder / "templates").is_dir() else []
