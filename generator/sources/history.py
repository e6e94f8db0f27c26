"""What the build takes from the data's git history, in one walk (``read_history``): when each
decision, hearing and row of 更正记录 was first published (首次公开, 最近更正), when each package was
first committed (按期公开), the date of the data's latest commit (逾期未公开) and the commit itself
(the release manifest).

A record was first published on the committer date (``%cs``, so the same history always gives the
same dates) of the earliest commit whose ``decisions.csv``, ``hearings.csv`` or ``corrections.csv``
holds its primary key. One ``git log --raw -z`` lists the commits that touched those files and the
blob each commit left there (file names exactly as committed, whatever characters they hold), then
one ``git cat-file --batch`` streams every distinct blob once. Paths that were never a valid package
(a folder named ``单位`` or ``fgw\\n``) and blobs larger than ``max_file_mb`` are passed over: the
history of a pull request is as untrusted as its tree. Outside git (or without git) there are no
dates and pages omit them; records not committed yet have none either."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.core.config import ConfigError, PortalConfig, load_config
from generator.core.datatree import DESCRIPTOR, ID_RE, Period
from generator.core.model import FirstPublished, History
from generator.core.schema import resource_spec, table_schema

#: Tables whose records have pages that show 首次公开, and the 更正记录 that give 最近更正.
DATED_TABLES: tuple[str, ...] = ("decisions", "hearings", "corrections")


_NO_BLOB = "0" * 40


def read_history(data_dir: Path, max_file_mb: int | None = None) -> History:
    """Everything the build takes from git, in one walk of the data's history (empty outside git).

    ``max_file_mb`` (``portal.yml``) bounds the blobs read; None reads it from ``portal.yml``."""
    found = (
        _git(data_dir, "rev-parse", "--show-toplevel", "--verify", "-q", "HEAD", check=False) or ""
    ).splitlines()
    if not found:
        return History()
    top_dir = Path(found[0])
    try:
        prefix = data_dir.resolve().relative_to(top_dir.resolve()).as_posix()
    except ValueError:
        return History()
    prefix = "" if prefix == "." else prefix + "/"
    if len(found) < 2:
        return History()  # a repository without a commit yet
    status = _git(data_dir, "status", "--porcelain", "--", ".")
    commit = {"commit": found[1], "dirty": bool(status.strip())} if status is not None else None
    log = _git(
        top_dir, "log", "-z", "--raw", "--no-abbrev", "--no-renames", "--format=@%H %cs",
        "--", f":(literal){prefix}" if prefix else ".",
    )  # fmt: skip
    if log is None:
        return History(commit=commit)
    if max_file_mb is None:
        try:
            max_file_mb = load_config(data_dir).max_file_mb
        except ConfigError:
            max_file_mb = PortalConfig().max_file_mb
    files = {resource_spec(table)["path"]: table for table in DATED_TABLES}
    as_of: dt.date | None = None
    added: dict[str, str] = {}
    # Which blob held which package's table on which date.
    uses: dict[str, list[tuple[str, str, str, str]]] = {}
    for date, blob, status_letter, path in _changes(log):
        if as_of is None and date:
            as_of = dt.date.fromisoformat(date)  # newest first: the latest commit of the data
        parts = path[len(prefix) :].split("/") if path.startswith(prefix) else []
        if len(parts) == 3 and parts[2] == DESCRIPTOR and status_letter == "A":
            added[f"{parts[0]}/{parts[1]}"] = date  # oldest commit wins: the log is newest first
        if len(parts) != 3 or parts[2] not in files or blob == _NO_BLOB:
            continue  # not one of the dated tables, or the commit deleted it
        unit_id, period, name = parts
        if not ID_RE.fullmatch(unit_id) or Period.parse(period) is None:
            continue  # a folder that was never a valid package: nothing of it was published
        uses.setdefault(blob, []).append((unit_id, period, files[name], date))
    dates: FirstPublished = {}
    for blob, text in _blobs(top_dir, list(uses), max_file_mb * 1024 * 1024):
        try:
            rows = csv.DictReader(io.StringIO(text, newline=""))
            for row in rows:
                for unit_id, period, table, date in uses[blob]:
                    record = "/".join(row.get(f) or "" for f in table_schema(table)["primaryKey"])
                    key = (unit_id, period, table, record)
                    if key not in dates or date < dates[key]:
                        dates[key] = date
        except csv.Error:
            continue  # an invalid file in history published nothing more
    return History(first_published=dates, packages_added=added, as_of=as_of, commit=commit)


def first_published(data_dir: Path) -> FirstPublished:
    """The first-published date of every committed decision, hearing and correction; empty outside git."""
    return read_history(data_dir).first_published


def data_commit(data_dir: Path) -> dict[str, Any] | None:
    """The git commit of the data (and whether the data has uncommitted changes), or None."""
    return read_history(data_dir).commit


def _changes(log: str) -> Iterator[tuple[str, str, str, str]]:
    """(commit date, new blob, status letter, path) of every file change in ``git log -z --raw`` output.

    Its tokens end in NUL: ``@<commit> <date>``, then per file ``:<modes> <old> <new> <status>``
    followed by the path; neither of the first two holds a "/", a path always does."""
    date, blob, letter = "", "", ""
    for token in log.split("\0"):
        token = token.removeprefix("\n")
        if blob and "/" in token:
            yield date, blob, letter, token
            blob = ""
        elif token.startswith("@") and "/" not in token:
            date = token.partition(" ")[2]
        elif token.startswith(":") and "/" not in token:
            fields = token.split(" ")
            blob, letter = (fields[3], fields[4][:1]) if len(fields) >= 5 else ("", "")


def _blobs(top_dir: Path, blobs: list[str], limit: int) -> Iterator[tuple[str, str]]:
    """(blob, text) of each blob of at most ``limit`` bytes, streamed by one ``git cat-file --batch``."""
    if not blobs:
        return
    try:
        process = subprocess.Popen(
            ["git", "-C", str(top_dir), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return
    assert process.stdin is not None and process.stdout is not None
    sizes = _sizes(top_dir, blobs)
    wanted = [blob for blob in blobs if 0 <= sizes.get(blob, -1) <= limit]

    def feed() -> None:
        try:
            for blob in wanted:
                process.stdin.write(f"{blob}\n".encode())  # type: ignore[union-attr]
            process.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for _ in wanted:
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                break
            size = int(header[2])
            content = process.stdout.read(size)
            process.stdout.read(1)  # the newline after the content
            yield header[0].decode(), content.decode("utf-8", errors="replace")
    finally:
        process.stdout.close()
        process.kill()
        process.wait()
        writer.join(timeout=5)


def _sizes(top_dir: Path, blobs: list[str]) -> dict[str, int]:
    """The size in bytes of each blob (``git cat-file --batch-check``)."""
    try:
        result = subprocess.run(
            ["git", "-C", str(top_dir), "cat-file", "--batch-check"],
            input="".join(f"{blob}\n" for blob in blobs).encode(),
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return {}
    sizes: dict[str, int] = {}
    for line in result.stdout.decode(errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def _git(where: Path, *args: str, check: bool = True) -> str | None:
    """A git command's output; None if git is missing or (with ``check``) the command fails.
    Without ``check`` the output comes back whatever the exit code (``rev-parse --verify`` of a
    repository without a commit yet prints the top folder, then fails)."""
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(where), *args], capture_output=True, check=check
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    # A name that is not UTF-8 stays readable (and can be given back to git) as it is.
    return result.stdout.decode("utf-8", errors="surrogateescape")
