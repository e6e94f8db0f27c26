"""首次公开 and 最近更正 from the data tree's git history: when each decision and hearing, and each
row of 更正记录, was first published.

A record was first published on the committer date (``%cs``, so the same history always gives the
same dates) of the earliest commit whose ``decisions.csv``, ``hearings.csv`` or ``corrections.csv``
holds its primary key. One ``git log`` lists the commits that touched those files, then one
``git show`` per commit and file reads the keys they held. Outside git (or without git) there are
no dates and pages omit them; records not committed yet have none either."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

from generator.layout import ID_RE, Period
from generator.schema import resource_spec, table_schema

#: Tables whose records have pages that show 首次公开, and the 更正记录 that give 最近更正.
DATED_TABLES: tuple[str, ...] = ("decisions", "hearings", "corrections")

#: (unit_id, period, table, record id) → ISO date of the first commit that held the record.
FirstPublished = dict[tuple[str, str, str, str], str]


def first_published(data_dir: Path) -> FirstPublished:
    """The first-published date of every committed decision, hearing and correction; empty outside git."""
    top = _git(data_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return {}
    top_dir = Path(top.strip())
    try:
        prefix = data_dir.resolve().relative_to(top_dir.resolve()).as_posix()
    except ValueError:
        return {}
    prefix = "" if prefix == "." else prefix + "/"
    files = {resource_spec(table)["path"]: table for table in DATED_TABLES}
    pathspecs = [f":(glob){_glob_escape(prefix)}*/*/{name}" for name in files]
    # -z: file names exactly as committed (never quoted, whatever characters they hold), each
    # ended by NUL; a commit's line holds no "/", a file name always does.
    log = _git(top_dir, "log", "-z", "--format=@%H %cs", "--name-only", "--", *pathspecs)
    if log is None:
        return {}
    commits: list[tuple[str, str, list[str]]] = []
    for token in log.split("\0"):
        token = token.removeprefix("\n")
        if not token:
            continue
        if "/" not in token:
            commit, _, date = token.removeprefix("@").partition(" ")
            commits.append((commit, date, []))
        elif commits:
            commits[-1][2].append(token)
    dates: FirstPublished = {}
    for commit, date, paths in commits:
        for path in paths:
            parts = path[len(prefix) :].split("/") if path.startswith(prefix) else []
            if len(parts) != 3 or parts[2] not in files:
                continue
            unit_id, period, name = parts
            if not ID_RE.fullmatch(unit_id) or Period.parse(period) is None:
                continue  # a folder that was never a valid package: nothing of it was published
            table = files[name]
            shown = _git(top_dir, "show", f"{commit}:{path}")
            if shown is None:
                continue  # the commit deleted the file
            key_fields = table_schema(table)["primaryKey"]
            try:
                rows = list(csv.DictReader(io.StringIO(shown, newline="")))
            except csv.Error:
                continue  # an invalid file in history published nothing
            for row in rows:
                record = "/".join(row.get(f) or "" for f in key_fields)
                key = (unit_id, period, table, record)
                if key not in dates or date < dates[key]:
                    dates[key] = date
    return dates


def _glob_escape(text: str) -> str:
    """``text`` matched literally inside a ``:(glob)`` pathspec."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)


def _git(where: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(where), *args], capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    # A name or a file that is not UTF-8 stays readable (and can be given back to git) as it is.
    return result.stdout.decode("utf-8", errors="surrogateescape")
