"""The Table Schemas of a disclosure package, and helpers built on them.

The JSON files in ``generator/schemas/`` are the single source of truth: validation uses them,
``gongkai demo`` writes them into every ``datapackage.json``, and the data dictionary on the
site is generated from their Chinese titles and descriptions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

#: Resources of a unit's quarterly package, in the order they are validated and documented.
PACKAGE_RESOURCES: tuple[str, ...] = (
    "members",
    "power_list",
    "power_steps",
    "negative_list",
    "meetings",
    "decisions",
    "stances",
    "hearings",
)
#: Optional resources of a package: the 更正记录 and 撤回记录 of records already published, and the
#: 执行进展 of earlier quarters' decisions (决策跟踪反馈). A package
#: that has neither stays valid; one that has the CSV file lists it in ``datapackage.json``.
OPTIONAL_RESOURCES: tuple[str, ...] = ("corrections", "withdrawals", "progress")
#: Every resource a package may hold, in the documented order.
ALL_RESOURCES: tuple[str, ...] = (*PACKAGE_RESOURCES, *OPTIONAL_RESOURCES)
#: The portal-wide unit registry (``data/units.csv``).
REGISTRY_RESOURCE = "units"

#: Columns added after the first schema version, at the end of their table: a package written
#: before they existed may leave out all of them (header, and the schema in ``datapackage.json``);
#: its rows read as if those cells were empty.
LATER_COLUMNS: dict[str, tuple[str, ...]] = {
    "decisions": ("withheld", "withheld_basis"),
    "hearings": ("withheld", "withheld_basis"),
}

#: Values added to a column's allowed values after the first schema version: a package written
#: before them embeds the list without them in ``datapackage.json``, and stays valid (its rows are
#: checked against the current list, which only adds values).
LATER_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "meetings": {"meeting_type": ("党政联席会议",)},
}

PROFILE = "tabular-data-package"
SCHEMA_VERSION = 1


@cache
def resource_spec(name: str) -> dict[str, Any]:
    """The resource descriptor (name, path, title, description, schema) of one table."""
    with (SCHEMA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    return spec


@cache
def table_of_file(filename: str) -> str | None:
    """The table a package's CSV file holds (``decisions.csv`` → ``decisions``), or None."""
    return next((name for name in ALL_RESOURCES if resource_spec(name)["path"] == filename), None)


def table_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = resource_spec(name)["schema"]
    return schema


def field_names(name: str) -> list[str]:
    return [field["name"] for field in table_schema(name)["fields"]]


@cache
def earlier_schema(name: str) -> dict[str, Any] | None:
    """The table's schema without its ``LATER_COLUMNS`` (as older packages embed it), or None."""
    later = LATER_COLUMNS.get(name)
    if not later:
        return None
    schema = dict(table_schema(name))
    schema["fields"] = [f for f in schema["fields"] if f["name"] not in later]
    return schema


@cache
def before_later_values(name: str) -> dict[str, Any] | None:
    """The table's schema without its ``LATER_VALUES`` (as older packages embed it), or None."""
    later = LATER_VALUES.get(name)
    if not later:
        return None
    fields = []
    for spec in table_schema(name)["fields"]:
        if spec["name"] in later:
            constraints = dict(spec["constraints"])
            constraints["enum"] = [v for v in constraints["enum"] if v not in later[spec["name"]]]
            spec = {**spec, "constraints": constraints}
        fields.append(spec)
    return {**table_schema(name), "fields": fields}


@dataclass(frozen=True)
class FieldInfo:
    table: str
    name: str
    title: str
    type: str
    description: str
    required: bool
    enum: tuple[str, ...]

    @property
    def label(self) -> str:
        """How a column is named to users: Chinese title with the CSV header, e.g. 会议日期（date）."""
        return f"{self.title}（{self.name}）"


@cache
def field_info(table: str, field: str) -> FieldInfo | None:
    for spec in table_schema(table)["fields"]:
        if spec["name"] == field:
            constraints = spec.get("constraints", {})
            return FieldInfo(
                table=table,
                name=spec["name"],
                title=spec.get("title", spec["name"]),
                type=spec.get("type", "string"),
                description=spec.get("description", ""),
                required=bool(constraints.get("required", False)),
                enum=tuple(constraints.get("enum", ())),
            )
    return None


def record_id(table: str, row: dict[str, Any]) -> str:
    """How corrections and withdrawals name a record: its primary key, parts joined by ``/``
    (``jc2025-001`` for a decision, ``jc2025-001/2`` for its second stance)."""
    return "/".join(str(row.get(name) or "") for name in table_schema(table).get("primaryKey", []))


@cache
def dependent_tables(table: str) -> tuple[str, ...]:
    """Tables whose rows belong to a row of ``table``: their primary key holds a foreign key to it
    (a decision's stances, a power item's steps). Withdrawing the row withdraws them too."""
    return tuple(
        name
        for name in PACKAGE_RESOURCES
        for fk in table_schema(name).get("foreignKeys", [])
        if fk["reference"]["resource"] == table and set(fk["fields"]) <= set(table_schema(name)["primaryKey"])
    )


def present_resources(package_dir: Path) -> tuple[str, ...]:
    """The resources of a package directory: the required ones and the optional ones it has."""
    optional = tuple(n for n in OPTIONAL_RESOURCES if (package_dir / resource_spec(n)["path"]).exists())
    return (*PACKAGE_RESOURCES, *optional)


def resource_descriptor(name: str) -> dict[str, Any]:
    """A complete, self-contained resource descriptor as written into ``datapackage.json``."""
    spec = resource_spec(name)
    return {
        "name": spec["name"],
        "path": spec["path"],
        "title": spec["title"],
        "description": spec["description"],
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": spec["schema"],
    }


def package_descriptor(
    unit_id: str,
    unit_name: str,
    period: str,
    licence: dict[str, str],
    resources: tuple[str, ...] = PACKAGE_RESOURCES,
) -> dict[str, Any]:
    """The ``datapackage.json`` of one unit's quarterly disclosure (``resources``: the ones it holds)."""
    year, quarter = period[:4], period[5]
    return {
        "profile": PROFILE,
        "name": f"{unit_id}-{period.lower()}",
        "title": f"{unit_name}{year}年第{quarter}季度公开数据",
        "description": f"{unit_name}{year}年第{quarter}季度公开的权力清单、负面清单、决策结果和听证质询结果。",
        "licenses": [licence],
        "gongkai": {"unit_id": unit_id, "period": period, "schema_version": SCHEMA_VERSION},
        "resources": [resource_descriptor(name) for name in resources],
    }


def registry_descriptor(title: str, licence: dict[str, str]) -> dict[str, Any]:
    """The ``datapackage.json`` of the unit registry (``data/units.csv``)."""
    return {
        "profile": PROFILE,
        "name": "units",
        "title": f"{title}单位名录",
        "licenses": [licence],
        "gongkai": {"schema_version": SCHEMA_VERSION},
        "resources": [resource_descriptor(REGISTRY_RESOURCE)],
    }
