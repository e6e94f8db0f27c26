"""One SQLite database of the whole portal, for ``sqlite3`` and Datasette as they are.

Each combined table (``generator.export.tables``) becomes a table with its composite primary
key and foreign keys (every key extended by unit_id and period); empty cells are NULL, integers
and numbers typed, booleans 1/0. ``decisions_fts`` is an FTS5 index (trigram tokenizer: Chinese
has no spaces, and trigrams find any run of three or more characters, e.g. 大额度资金) over the
titles, summaries and execution notes of decisions, declared with ``content="decisions"`` so that
Datasette offers full-text search on the decisions table; ``decisions_fts_short`` finds the words
of one or two characters that trigrams never match (``short_tokens``), so that together they find
what LIKE finds. ``stance_details`` is a view of every stance with the member's name and position
and the decision's title, unit and quarter; ``about`` says what the database is and its licence.

The file is built deterministically: rows inserted in a fixed order into a fresh database with
fixed page size and no journal, then VACUUMed; the same SQLite library gives identical bytes.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.core.model import Portal
from generator.core.schema import REGISTRY_RESOURCE
from generator.export.tables import (
    STANCE_DETAIL_FIELDS,
    STANCE_DETAILS,
    TABLES,
    combined_schema,
    converter,
)

if TYPE_CHECKING:
    from generator.export.slices import Slices

DB_NAME = "gongkai.db"
#: The slice of a package's decisions' ``short_tokens`` (title, summary, execution note), a row each.
SHORT_TOKENS = "short_tokens"
#: The table that says, inside the database, what it is, whose it is and under which licence.
ABOUT_TABLE = "about"
SEARCH_NOTE = (
    "全文检索有两个索引，结果都与 LIKE 相同：decisions_fts 按三字组（trigram）建立，查三个字及以上的词"
    "（如 WHERE decisions_fts MATCH '大额度资金'）；decisions_fts_short 按单字和两字组建立，查一两个字的词"
    "（如 SELECT d.* FROM decisions_fts_short JOIN decisions d ON d.rowid = decisions_fts_short.rowid"
    " WHERE decisions_fts_short MATCH '资金'）。两个索引都覆盖事项名称、事项概要和执行说明。"
)
FTS_TABLE = "decisions_fts"
#: Tables of many short rows, stored by their primary key (``WITHOUT ROWID``): otherwise SQLite keeps
#: the rows and a second B-tree of their key, which for the stances was 5.5 of the database's 52 MB
#: at 20,000 decisions. Not decisions: its full-text indexes point at its rowid.
WITHOUT_ROWID = ("stances", "power_steps")
#: Words of one or two characters, which trigrams never match: every character and every pair of
#: neighbouring characters of each run of letters and digits is a token (``unicode61``).
SHORT_FTS_TABLE = "decisions_fts_short"
FTS_COLUMNS = ("title", "summary", "execution_note")
_WORD_RUN = re.compile(r"[^\W_]+")
_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create_sql(name: str) -> str:
    schema = combined_schema(name, optional_keys=True)
    columns = []
    for field in schema["fields"]:
        column = f"{_quote(field['name'])} {_TYPES.get(field.get('type', 'string'), 'TEXT')}"
        if field.get("constraints", {}).get("required"):
            column += " NOT NULL"
        columns.append(column)
    columns.append("PRIMARY KEY (" + ", ".join(map(_quote, schema["primaryKey"])) + ")")
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        columns.append(
            "FOREIGN KEY ("
            + ", ".join(map(_quote, fk["fields"]))
            + f") REFERENCES {_quote(ref['resource'])} ("
            + ", ".join(map(_quote, ref["fields"]))
            + ")"
        )
    without_rowid = " WITHOUT ROWID" if name in WITHOUT_ROWID else ""
    return f"CREATE TABLE {_quote(name)} (\n  " + ",\n  ".join(columns) + f"\n){without_rowid}"


def short_tokens(text: str) -> str:
    """The tokens of ``decisions_fts_short`` for a text: each character and each pair of
    neighbouring characters of its runs of letters and digits, separated by spaces."""
    tokens: list[str] = []
    for run in _WORD_RUN.findall(text):
        tokens += run
        tokens += (run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(tokens)


_ALIASES = {"stances": "s", "units": "u", "decisions": "d", "members": "m"}
#: The view of ``STANCE_DETAIL_FIELDS``: the same columns, joined the same way as the CSV and XLSX.
STANCE_VIEW_SQL = (
    f"CREATE VIEW {STANCE_DETAILS} AS\nSELECT "
    + ", ".join(
        f'{_ALIASES[source.split(".")[0]]}."{source.split(".")[1]}" AS "{name}"'
        for name, source in STANCE_DETAIL_FIELDS
    )
    + """
FROM stances s
JOIN units u ON u.unit_id = s.unit_id
JOIN decisions d ON d.unit_id = s.unit_id AND d.period = s.period AND d.decision_id = s.decision_id
LEFT JOIN members m ON m.unit_id = s.unit_id AND m.period = s.period AND m.member_id = s.member_id
ORDER BY s.unit_id, s.period, s.decision_id, s."order"
"""
)


def _flag(text: str) -> int | None:
    return (text == "是") * 1 if text else None


def converters(fields: list[dict[str, Any]]) -> list[Callable[[str], Any]]:
    """Per column, the SQLite value of a published text: ``typed``, with booleans as 1/0."""
    return [_flag if f.get("type") == "boolean" else converter(f) for f in fields]


def about_rows(
    portal: Portal, data_through: str, container: str = "本数据库", search: bool = True
) -> list[tuple[str, str]]:
    """What the ``about`` table holds: the portal, its publisher and address, the licence, the
    data's date, how full-text search works and whether the data is fictitious. A workbook's 说明
    (``container`` 本工作簿, no ``search`` note) says the same."""
    config = portal.config
    licence = config.licence_info
    rows = [
        ("标题", config.title),
        ("发布者", config.publisher or config.title),
        ("来源", config.site_url or "（本平台未设置公开网址）"),
        ("数据许可", licence["title"]),
        ("许可网址", licence["path"]),
        ("数据截至", data_through),
        *(
            [
                (
                    "数据版本",
                    f"数据仓库提交 {portal.history.commit['commit'][:12]}（发布清单 manifest.json 的 data.commit）",
                )
            ]
            if portal.history.commit
            else []
        ),
        *([("全文检索", SEARCH_NOTE)] if search else []),
        ("生成工具", "gongkai（公开）"),
    ]
    if config.demo:
        rows.append(("示例数据", f"{container}中的单位、人员和事项均为虚构的示例数据。"))
    return rows


#: What a database holds of each package (unit_id, period): the content key of its slices and its
#: rows in each table.
Held = dict[tuple[str, str], tuple[str, dict[str, int]]]
#: A database written before, for a rebuild to copy from: its file and what it holds.
PreviousDatabase = tuple[Path, Held]


class _NotAsRecorded(Exception):
    """A package's rows in the previous database are not the ones it was recorded with."""


def write_database(
    portal: Portal,
    target: Path,
    packages: Sequence[Slices],
    data_through: str,
    previous: PreviousDatabase | None = None,
) -> Held:
    """Write the database of every table into ``target``, package by package: each package's rows
    typed as the database holds them, and the short tokens of its decisions, are among its slices
    (``generator.export.slices``), so that no table is held whole in memory and a rebuild types and
    tokenizes only the packages that changed.

    With ``previous`` (the database a build wrote before, and what it holds of each package), a
    package whose slices have the same key is copied from it by SQLite itself, in the same order,
    instead of inserted row by row from Python: the rows and row IDs are those a cold build
    inserts, and the file (VACUUMed) is the same. Returns, per package, its slices' key and its rows
    in each table: what the next build needs to copy from this database."""
    reuse = set()
    if previous is not None:
        recorded = previous[1]
        reuse = {p.sort_key for p in packages if p.key and recorded.get(p.sort_key, ("",))[0] == p.key}
    if reuse:
        assert previous is not None
        try:
            return _write(portal, target, packages, data_through, previous, reuse)
        except (sqlite3.Error, ValueError, _NotAsRecorded):
            pass  # the previous database cannot be used: made whole
    return _write(portal, target, packages, data_through, None, set())


def _write(
    portal: Portal,
    target: Path,
    packages: Sequence[Slices],
    data_through: str,
    previous: PreviousDatabase | None,
    reuse: set[tuple[str, str]],
) -> Held:
    from generator.export.slices import db_rows
    from generator.export.tables import registry_table

    held: Held = {p.sort_key: (p.key, {}) for p in packages}
    fd, tmp = tempfile.mkstemp(prefix=".gongkai-db-", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        connection = sqlite3.connect(tmp, isolation_level=None, uri=True)
        try:
            for pragma in (
                "page_size = 4096",
                "journal_mode = OFF",
                "synchronous = OFF",
                "foreign_keys = OFF",
                "cache_size = -262144",  # 256 MiB (KiB when negative): the whole file, 45 MB at 20,000
            ):
                connection.execute(f"PRAGMA {pragma}")
            if previous is not None:  # read only, never locked or changed (it is the cache's)
                connection.execute(
                    "ATTACH DATABASE ? AS previous",
                    (previous[0].absolute().as_uri() + "?mode=ro&immutable=1",),
                )
            connection.execute("BEGIN")
            for name in TABLES:
                fields = combined_schema(name)["fields"]
                connection.execute(_create_sql(name))
                insert = f"INSERT INTO {_quote(name)} VALUES ({', '.join('?' * len(fields))})"
                if name == REGISTRY_RESOURCE:
                    convert = converters(fields)
                    connection.executemany(
                        insert,
                        (
                            [c(text) for c, text in zip(convert, row, strict=True)]
                            for row in registry_table(portal).rows
                        ),
                    )
                    continue
                copy = (
                    f"INSERT INTO main.{_quote(name)} SELECT * FROM previous.{_quote(name)}"
                    " WHERE unit_id = ? AND period = ?" + ("" if name in WITHOUT_ROWID else " ORDER BY rowid")
                )
                for package in packages:
                    before = connection.total_changes
                    if package.sort_key in reuse:
                        assert previous is not None
                        connection.execute(copy, package.sort_key)
                        if connection.total_changes - before != previous[1][package.sort_key][1].get(name, 0):
                            raise _NotAsRecorded(name)
                    elif rows := db_rows(package, name):
                        connection.executemany(insert, rows)
                    if count := connection.total_changes - before:
                        held[package.sort_key][1][name] = count
            columns = ", ".join(FTS_COLUMNS)
            connection.execute(
                f'CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, content="decisions", tokenize="trigram")'
            )
            connection.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
            # Its tokens are already split (``short_tokens``: letters and digits, spaces between):
            # the ascii tokenizer splits at the spaces and folds A-Z as LIKE does, in 40 % of the
            # time unicode61 takes; a one-token query needs no positions (detail='none').
            connection.execute(
                f"CREATE VIRTUAL TABLE {SHORT_FTS_TABLE} USING fts5({columns}, content='', "
                "tokenize='ascii', detail='none')"
            )
            tokens = (t for package in packages for t in db_rows(package, SHORT_TOKENS))
            connection.executemany(
                f"INSERT INTO {SHORT_FTS_TABLE}(rowid, {columns}) VALUES (?{', ?' * len(FTS_COLUMNS)})",
                ([n, *row] for n, row in enumerate(tokens, 1)),
            )
            connection.execute(STANCE_VIEW_SQL)
            connection.execute(f"CREATE TABLE {ABOUT_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.executemany(
                f"INSERT INTO {ABOUT_TABLE} VALUES (?, ?)", about_rows(portal, data_through)
            )
            connection.execute("COMMIT")
            if previous is not None:
                connection.execute("DETACH DATABASE previous")
            connection.execute("VACUUM")
        finally:
            connection.close()
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return held
