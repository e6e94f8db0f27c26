"""Choices a clerk makes in Chinese, turned into the codes the data packages hold.

In the workbook every coded column offers Chinese choices: 更正记录 and 撤回记录 name the table by
its title (决策事项) and 更正字段 the column by its title (事项名称); 主持人, 牵头班子成员 and the
member of a stance are chosen by name from the 班子成员 sheet. ``resolve_choices`` maps each back to
its code (``decisions``, ``title``, ``cy01``); a code typed as it is still works. A name that
matches no member, or two members, is a problem named by sheet, row and Chinese column.
"""

from __future__ import annotations

from generator.core.schema import PACKAGE_RESOURCES, field_info, field_names, resource_spec, table_schema
from generator.intake.base import Problem, SourceTable

#: Columns that name a table (code or Chinese title).
TABLE_COLUMNS: tuple[tuple[str, str], ...] = (("corrections", "table"), ("withdrawals", "table"))
#: Columns that name a field of the table named in the same row (code or Chinese title).
FIELD_COLUMNS: tuple[tuple[str, str, str], ...] = (("corrections", "field", "table"),)
#: Columns that name a member (member_id or the member's name on the 班子成员 sheet).
MEMBER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("meetings", "host_member_id"),
    ("decisions", "lead_member_id"),
    ("stances", "member_id"),
)


def table_titles() -> dict[str, str]:
    """Chinese title → table code, for the tables a correction or withdrawal can name."""
    return {str(resource_spec(t)["title"]): t for t in PACKAGE_RESOURCES}


def field_titles(table: str) -> dict[str, str]:
    """Chinese title → field name, for the fields of ``table``."""
    return {str(f.get("title", f["name"])): f["name"] for f in table_schema(table)["fields"]}


def all_field_titles() -> list[str]:
    """Every field title a correction can name, once each, in table order (the drop-down list)."""
    return list(dict.fromkeys(title for t in PACKAGE_RESOURCES for title in field_titles(t)))


def resolve_choices(tables: dict[str, SourceTable]) -> list[Problem]:
    """Turn the Chinese choices of ``tables`` into codes, in place; the problems of those that
    name nothing known."""
    titles = table_titles()
    for table, column in TABLE_COLUMNS:
        source = tables.get(table)
        if source is not None:
            at = field_names(table).index(column)
            for row in source.rows:
                row[at] = titles.get(row[at], row[at])
    for table, column, table_column in FIELD_COLUMNS:
        source = tables.get(table)
        if source is not None:
            at, of = field_names(table).index(column), field_names(table).index(table_column)
            for row in source.rows:
                if row[of] in PACKAGE_RESOURCES:
                    row[at] = field_titles(row[of]).get(row[at], row[at])
    members = tables.get("members")
    if members is None:
        return []
    name_at, id_at = field_names("members").index("name"), field_names("members").index("member_id")
    ids = {row[id_at] for row in members.rows}
    by_name: dict[str, list[str]] = {}
    for row in members.rows:
        by_name.setdefault(row[name_at], []).append(row[id_at])
    problems: list[Problem] = []
    for table, column in MEMBER_COLUMNS:
        source = tables.get(table)
        if source is None:
            continue
        at = field_names(table).index(column)
        info = field_info(table, column)
        title = info.title if info else column
        for row, origin in zip(source.rows, source.origins, strict=True):
            value = row[at]
            if not value or value in ids:
                continue
            found = by_name.get(value, [])
            if len(found) == 1:
                row[at] = found[0]
            elif len(found) > 1:
                problems.append(
                    Problem(
                        "ambiguous-member",
                        f"{source.label} 第 {origin} 行“{title}”：班子成员中有 {len(found)} 人名为“{value}”"
                        f"（成员编号 {'、'.join(found)}），请改填其中一人的成员编号。",
                        source.label,
                        origin,
                        title,
                    )
                )
    return problems
