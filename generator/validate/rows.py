"""Every row through Frictionless against the canonical Table Schema, with plain spellings of
integers, numbers and dates required on top."""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.core.datatree import (
    shown_name,
)
from generator.core.messages import Place, primary_key
from generator.core.schema import (
    PACKAGE_RESOURCES,
    REGISTRY_RESOURCE,
    table_schema,
)
from generator.validate.base import _EXTRA_COLUMNS, _PLAIN, _internal_error
from generator.validate.collect import Findings as _Findings
from generator.validate.collect import Table
from generator.validate.explain import (
    describe_pattern,
    duplicate_key_finding,
    finding_from_frictionless,
    type_hint,
    type_name,
)

if TYPE_CHECKING:
    from frictionless import Schema


@cache
def _frictionless_schema(table: str) -> Schema:
    """The canonical schema for Frictionless's cell and row checks.

    Keys (primary, foreign, ``unique``) are left out: they are checked per file and per package
    by ``_check_rows`` and ``_check_foreign_keys``, since several files share one stream.
    """
    descriptor = copy.deepcopy(
        {k: v for k, v in table_schema(table).items() if k not in ("primaryKey", "foreignKeys")}
    )
    for spec in descriptor["fields"]:
        spec.get("constraints", {}).pop("unique", None)
    from frictionless import Schema  # imported when a package is checked (~0.3 s), not on every run

    return Schema.from_descriptor(descriptor)


@cache
def _collected_columns(table: str) -> tuple[str, ...]:
    """Columns whose cast values are kept for the checks that span tables."""
    names: list[str] = []
    for fk in table_schema(table).get("foreignKeys", []):
        names.extend(fk["fields"])
    for other in (*PACKAGE_RESOURCES, REGISTRY_RESOURCE):
        for fk in table_schema(other).get("foreignKeys", []):
            if fk["reference"]["resource"] == table:
                names.extend(fk["reference"]["fields"])
    names.extend(_EXTRA_COLUMNS.get(table, ()))
    return tuple(dict.fromkeys(names))


def _check_rows_safely(name: str, tables: list[Table], out: _Findings) -> None:
    """Check the rows of ``tables``; if that fails unexpectedly, retry file by file so that the
    ``internal-error`` names the file that caused it."""
    if not tables:
        return
    batch = _Findings()
    try:
        _check_rows(name, tables, batch)
    except Exception:
        for table in tables:
            single = _Findings()
            try:
                _check_rows(name, [table], single)
            except Exception as exc:
                table.usable = False
                out.add(_internal_error(table.place, exc))
            else:
                out.merge(single.items, single.truncated)
    else:
        out.merge(batch.items, batch.truncated)
    for table in tables:
        table.records = None


def _check_rows(name: str, tables: list[Table], out: _Findings) -> None:
    """Frictionless on every data row of ``tables`` (files of one table type) as one stream.

    Cell and row errors (types, constraints, missing and extra cells, blank rows) come from
    Frictionless; primary keys and ``unique`` are checked here per file, by Frictionless's rule.
    """
    specs = table_schema(name)["fields"]
    plain = [
        (index, spec["name"], spec.get("type", "string"), _PLAIN[spec.get("type", "string")])
        for index, spec in enumerate(specs)
        if spec.get("type", "string") in _PLAIN
    ]
    # Frictionless matches a pattern with ``re.match("^…$")``, which lets a value end in a line
    # break ("fgw\n"): every pattern is matched to the end of the value here.
    patterns = [
        (index, spec["name"], re.compile(spec["constraints"]["pattern"]))
        for index, spec in enumerate(specs)
        if spec.get("constraints", {}).get("pattern")
    ]
    key = primary_key(name)
    key_set = set(key)
    key_index = [next(i for i, spec in enumerate(specs) if spec["name"] == f) for f in key]
    unique = [spec["name"] for spec in specs if spec.get("constraints", {}).get("unique")]
    collected = _collected_columns(name)

    data: list[list[str]] = [[spec["name"] for spec in specs]]
    origins: list[tuple[Table, int]] = []
    for table in tables:
        assert table.records is not None
        data.extend(table.records[1:])
        origins.extend((table, number) for number in range(2, len(table.records) + 1))
        table.row_numbers, table.rows = [], 0
        table.columns = {column: [] for column in collected}
    seen_keys: dict[int, dict[tuple[Any, ...], int]] = {id(table): {} for table in tables}
    seen_unique: dict[int, dict[str, dict[Any, int]]] = {
        id(table): {f: {} for f in unique} for table in tables
    }

    from frictionless import Dialect, Resource

    resource = Resource(data=data, schema=_frictionless_schema(name), dialect=Dialect(header_rows=[1]))
    with resource:
        for row in resource.row_stream:  # type: ignore[attr-defined]
            table, number = origins[row.row_number - 2]
            place = table.place
            table.row_numbers.append(number)
            bad: set[str] = set()
            blank = False
            # Once a file has more findings than are listed, its other cells are not checked
            # (Frictionless's error objects are costly); keys and values are still collected.
            overflowing = out.overflowing(place.file)
            if not overflowing and not row.valid:
                bad, blank = _row_findings(row, place, number, key_set, out)
            cells: list[Any] = row.cells
            # Plain spellings for integers, numbers and dates.
            for index, column, field_type, pattern in () if overflowing else plain:
                if column in bad or index >= len(cells):
                    continue
                raw = cells[index]
                if isinstance(raw, str) and raw and not pattern.fullmatch(raw):
                    out.add(
                        place.finding(
                            "type-error",
                            row=number,
                            column=column,
                            value=raw,
                            expected=type_name(field_type),
                            type_name=type_name(field_type),
                            hint=type_hint(field_type, raw),
                        )
                    )
            for index, column, compiled in () if overflowing else patterns:
                if column in bad or index >= len(cells):
                    continue
                raw = cells[index]
                # Frictionless has matched ``^…$`` already: only a final line break gets through.
                if isinstance(raw, str) and raw.endswith("\n") and not compiled.fullmatch(raw):
                    rule = describe_pattern(compiled.pattern)
                    out.add(
                        place.finding(
                            "constraint-error:pattern",
                            row=number,
                            column=column,
                            value=shown_name(raw),
                            expected=rule,
                            rule=rule,
                        )
                    )
            # Primary key: as Frictionless, on cast values, within one file.
            if key:
                values = tuple(row[f] for f in key)
                if values.count(None) == len(values):
                    if not blank and not (bad & key_set):
                        labels = "+".join(f"“{place.label(f)}”" for f in key)
                        out.add(
                            place.finding(
                                "primary-key:blank", row=number, where=place.where(number), labels=labels
                            )
                        )
                else:
                    memory = seen_keys[id(table)]
                    earlier = memory.get(values)
                    memory[values] = number
                    if earlier is not None:
                        shown = [str(cells[i]) if i < len(cells) else "" for i in key_index]
                        out.add(duplicate_key_finding(place, number, key, shown, earlier))
            for column in unique:
                value = row[column]
                if value is not None:
                    memory_unique = seen_unique[id(table)][column]
                    earlier = memory_unique.get(value)
                    memory_unique[value] = number
                    if earlier is not None:
                        out.add(
                            place.finding(
                                "unique-error", row=number, column=column, value=str(value), other_row=earlier
                            )
                        )
            for column in collected:
                table.columns[column].append(row[column])
    for table in tables:
        table.rows = len(table.row_numbers)
        table.usable = True


def _row_findings(
    row: Any, place: Place, number: int, key: set[str], out: _Findings
) -> tuple[set[str], bool]:
    """Findings for one invalid row; returns the columns with errors and whether the row is blank."""
    errors = list(row.errors)
    missing = [error for error in errors if error.type == "missing-cell"]
    extras = [error for error in errors if error.type == "extra-cell"]
    missing_fields = {error.field_name for error in missing}
    bad: set[str] = set()
    blank = False
    for error in errors:
        kind = error.type
        column = getattr(error, "field_name", None)
        if column:
            bad.add(column)
        if kind == "blank-row":
            blank = True
        if kind == "missing-cell":
            if error is missing[0]:
                count = len(row.cells)
                out.add(
                    place.finding(
                        "missing-cell",
                        row=number,
                        column=error.field_name,
                        where=place.where(number),
                        value="",
                        expected=f"{count + len(missing)} 个单元格",
                        cells=count,
                        missing=len(missing),
                        label=place.label(error.field_name),
                    )
                )
            continue
        if kind == "extra-cell":
            if error is extras[0]:
                count = len(row.cells)
                out.add(
                    place.finding(
                        "extra-cell",
                        row=number,
                        value="、".join(e.cell for e in extras),
                        expected=f"{count - len(extras)} 个单元格",
                        cells=count,
                        extra=len(extras),
                    )
                )
            continue
        if kind == "constraint-error" and column in missing_fields:
            continue  # Already reported as a missing cell.
        out.add(finding_from_frictionless(error, place, row=number))
    return bad, blank
