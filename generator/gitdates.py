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
    pathspecs = [f":(glob){prefix}*/*/{name}" for name in files]
    log = _git(top_dir, "log", "--format=@%H %cs", "--name-only", "--", *pathspecs)
    if log is None:
        return {}
    commits: list[tuple[str, str, list[str]]] = []
    for line in log.splitlines():
        if line.startswith("@"):
            commit, date = line[1:].split(" ", 1)
            commits.append((commit, date, []))
        elif line.strip() and commits:
            commits[-1][2].append(line.strip())
    dates: FirstPublished = {}
    for commit, date, paths in commits:
        for path in paths:
            unit_id, period, name = path[len(prefix) :].split("/")
            table = files[name]
            shown = _git(top_dir, "show", f"{commit}:{path}")
            if shown is None:
                continue  # the commit deleted the file
            key_fields = table_schema(table)["primaryKey"]
            for row in csv.DictReader(io.StringIO(shown, newline="")):
                record = "/".join(row.get(f) or "" for f in key_fields)
                key = (unit_id, period, table, record)
                if key not in dates or date < dates[key]:
                    dates[key] = date
    return dates


def _git(where: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(where), *args], capture_output=True, text=True, encoding="utf-8", check=True
        )
    except (OSError, subprocess.CalledProcessError, UnicodeDecodeError):
        return None
    return result.stdout
