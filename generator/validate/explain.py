"""How validation explains what it found, in Chinese: Frictionless's errors (English, typed by
``error.type``) turned into catalog findings with the file, row, column and value; and the hints
for a wrongly written value, a CSV parser error and a JSON error."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from typing import Any

from generator.core.findings import Finding
from generator.core.messages import Place, expected_header, primary_key, table_title
from generator.core.schema import field_info, resource_spec, table_schema

FRICTIONLESS_TITLES: dict[str, str] = {
    "error": "错误",
    "data-error": "数据错误",
    "file-error": "文件错误",
    "hash-count": "文件校验和不符",
    "byte-count": "文件大小不符",
    "table-error": "表格错误",
    "field-count": "列数不符",
    "row-count": "行数不符",
    "table-dimensions": "表格尺寸不符",
    "deviated-value": "数值异常偏离",
    "deviated-cell": "单元格内容异常偏离",
    "required-value": "缺少必需的值",
    "header-error": "表头错误",
    "label-error": "列名错误",
    "row-error": "行错误",
    "duplicate-row": "重复的行",
    "row-constraint": "不满足行约束",
    "cell-error": "单元格错误",
    "truncated-value": "值可能被截断",
    "forbidden-value": "禁止使用的值",
    "sequential-value": "值不连续",
    "ascii-value": "含有非 ASCII 字符",
    "metadata-error": "描述信息错误",
    "catalog-error": "数据目录错误",
    "dataset-error": "数据集错误",
    "checklist-error": "校验清单错误",
    "check-error": "校验项错误",
    "detector-error": "探测设置错误",
    "dialect-error": "CSV 格式设置错误",
    "control-error": "格式控制设置错误",
    "inquiry-error": "校验请求错误",
    "inquiry-task-error": "校验任务错误",
    "package-error": "数据包描述错误",
    "pipeline-error": "处理流程错误",
    "step-error": "处理步骤错误",
    "report-error": "报告错误",
    "report-task-error": "报告任务错误",
    "schema-error": "表结构错误",
    "field-error": "字段定义错误",
    "stats-error": "统计信息错误",
    "resource-error": "数据资源错误",
    "source-error": "数据源内容不受支持或不一致",
    "scheme-error": "无法读取数据源",
    "format-error": "无法解析数据文件",
    "encoding-error": "无法按指定编码读取",
    "compression-error": "无法解压数据文件",
}

#: How field types are named to clerks.
TYPE_NAMES: dict[str, str] = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "“是”或“否”",
    "date": "日期（YYYY-MM-DD）",
    "datetime": "日期时间（YYYY-MM-DDThh:mm:ss）",
    "time": "时间（hh:mm:ss）",
    "year": "年份（YYYY）",
}


def type_name(field_type: str) -> str:
    return TYPE_NAMES.get(field_type, field_type)


# --- Frictionless errors --------------------------------------------------------------------------

_CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.DOTALL)
_POSITION_NOTE = re.compile(r"position (\d+)")


def finding_from_frictionless(error: Any, place: Place, *, row: int | None = None) -> Finding:
    """A Chinese ``Finding`` for any ``frictionless.Error`` raised while validating ``place``.

    ``row`` overrides the error's row number (when several files were validated as one stream).
    """
    kind: str = getattr(error, "type", "error")
    if row is None:
        row = getattr(error, "row_number", None)
    column: str | None = getattr(error, "field_name", None) or None
    cell: str | None = getattr(error, "cell", None)
    note: str = getattr(error, "note", "") or ""
    info = field_info(place.table, column) if place.table and column else None

    if kind == "type-error" and info is not None:
        return place.finding(
            "type-error:boolean" if info.type == "boolean" else "type-error",
            row=row,
            column=column,
            value=cell,
            expected=type_name(info.type),
            type_name=type_name(info.type),
            hint=type_hint(info.type, cell or ""),
        )
    if kind == "constraint-error" and info is not None:
        return _constraint_finding(place, row, column, cell, note)
    if kind in ("unique-error", "primary-key"):
        return _duplicate_finding(error, place, kind, row, column, cell, note)
    if kind == "foreign-key":
        names = list(getattr(error, "field_names", []) or [])
        values = [str(v) for v in getattr(error, "field_cells", []) or []]
        ref_table = getattr(error, "reference_name", "") or ""
        ref_fields = list(getattr(error, "reference_field_names", []) or [])
        return foreign_key_finding(place, row, names, values, ref_table, ref_fields)
    if kind == "blank-row":
        return place.finding("blank-row", row=row)
    if kind == "missing-cell" and column:
        count = len(getattr(error, "cells", []) or [])
        missing = len(_field_names(place)) - count
        return place.finding(
            "missing-cell",
            row=row,
            column=column,
            where=place.where(row),
            cells=count,
            missing=missing,
            label=place.label(column),
        )
    if kind == "extra-cell":
        count = len(getattr(error, "cells", []) or [])
        extra = count - len(_field_names(place))
        return place.finding("extra-cell", row=row, value=cell, cells=count, extra=extra)
    if kind in ("missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label"):
        return _label_finding(error, place, kind)
    if kind in ("blank-header", "unmatched-header"):
        return place.finding(kind, row=1, header=expected_header(place.table))
    english = getattr(error, "message", "") or note
    finding = place.finding(
        "frictionless",
        row=row,
        column=column if info else None,
        value=cell,
        kind_title=FRICTIONLESS_TITLES.get(kind, "数据错误"),
        note=english,
    )
    return replace(finding, type=kind)


def _constraint_finding(
    place: Place, row: int | None, column: str | None, cell: str | None, note: str
) -> Finding:
    match = _CONSTRAINT_NOTE.search(note)
    constraint, limit = (match.group(1), match.group(2)) if match else ("", note)
    info = field_info(place.table, column) if place.table else None
    common: dict[str, Any] = {"row": row, "column": column, "value": cell}
    if constraint == "required":
        return place.finding("constraint-error:required", expected="必填", **common)
    if constraint == "enum":
        allowed = "、".join(info.enum) if info and info.enum else limit
        return place.finding(
            "constraint-error:enum", expected=f"以下之一：{allowed}", allowed=allowed, **common
        )
    if constraint == "pattern":
        rule = describe_pattern(_constraint_value(place, column, "pattern") or limit)
        return place.finding("constraint-error:pattern", expected=rule, rule=rule, **common)
    declared = _constraint_value(place, column, constraint) if constraint else None
    limit = str(declared) if declared is not None else limit
    bounds = {
        "minimum": f"不小于 {limit}",
        "maximum": f"不大于 {limit}",
        "exclusiveMinimum": f"大于 {limit}",
        "exclusiveMaximum": f"小于 {limit}",
        "minLength": f"至少 {limit} 个字",
        "maxLength": f"最多 {limit} 个字",
    }
    if constraint in bounds:
        return place.finding(
            f"constraint-error:{constraint}", expected=bounds[constraint], limit=limit, **common
        )
    return place.finding(
        "constraint-error", expected=f"{constraint}：{limit}", constraint=constraint, limit=limit, **common
    )


def _constraint_value(place: Place, column: str | None, constraint: str) -> Any:
    if not place.table:
        return None
    for spec in table_schema(place.table)["fields"]:
        if spec["name"] == column:
            return spec.get("constraints", {}).get(constraint)
    return None


def _duplicate_finding(
    error: Any, place: Place, kind: str, row: int | None, column: str | None, cell: str | None, note: str
) -> Finding:
    match = _POSITION_NOTE.search(note)
    other_row = int(match.group(1)) if match else None
    if kind == "unique-error":
        return place.finding("unique-error", row=row, column=column, value=cell, other_row=other_row)
    key = primary_key(place.table)
    cells = list(getattr(error, "cells", []) or [])
    names = _field_names(place)
    values = [
        cells[names.index(name)] if name in names and names.index(name) < len(cells) else "" for name in key
    ]
    labels = "+".join(f"“{place.label(name)}”" for name in key)
    if other_row is None:
        return place.finding("primary-key:blank", row=row, labels=labels, expected="不能为空")
    return duplicate_key_finding(place, row, key, values, other_row)


def duplicate_key_finding(
    place: Place, row: int | None, key: list[str], values: list[str], other_row: int
) -> Finding:
    """A repeated primary key value (one column or a combination of columns)."""
    if len(key) == 1:
        return place.finding(
            "primary-key",
            row=row,
            column=key[0],
            value=values[0] if values else "",
            expected="表内唯一的编号",
            other_row=other_row,
        )
    labels = "+".join(f"“{place.label(name)}”" for name in key)
    return place.finding(
        "primary-key:composite",
        row=row,
        where=place.where(row),
        value="、".join(values),
        expected="表内唯一的组合",
        labels=labels,
        other_row=other_row,
    )


def foreign_key_finding(
    place: Place,
    row: int | None,
    names: list[str],
    values: list[str],
    ref_table: str,
    ref_fields: list[str],
    hint: str = "",
) -> Finding:
    """A value that does not exist in the referenced table."""
    try:
        ref_file = resource_spec(ref_table)["path"]
        infos = [field_info(ref_table, name) for name in ref_fields]
    except OSError:  # not one of our tables
        ref_file, infos = f"{ref_table}.csv", [None] * len(ref_fields)
    ref_titles = [info.title if info else name for info, name in zip(infos, ref_fields, strict=True)]
    ref_title = "+".join(ref_titles)
    value = "、".join(values)
    column = names[0] if len(names) == 1 else None
    return place.finding(
        "foreign-key",
        row=row,
        column=column,
        where=place.where(row, column),
        value=value,
        expected=f"{ref_file} 中已有的{ref_title}",
        ref_file=ref_file,
        ref_title=ref_title,
        hint=hint,
    )


def _label_finding(error: Any, place: Place, kind: str) -> Finding:
    col = getattr(error, "field_number", None)
    label = getattr(error, "label", "") or ""
    name = getattr(error, "field_name", "") or ""
    where = place.where(1)
    if kind == "missing-label":
        return place.finding(
            kind,
            row=1,
            column=name or None,
            where=where,
            label=place.label(name),
            header=expected_header(place.table),
        )
    if kind == "incorrect-label":
        info = field_info(place.table, name) if place.table else None
        return place.finding(
            kind,
            row=1,
            column=name or None,
            where=where,
            value=label,
            expected=name,
            col=col,
            name=name,
            field_title=info.title if info else name,
        )
    if kind == "duplicate-label":
        match = _POSITION_NOTE.search(getattr(error, "note", "") or "")
        return place.finding(
            kind, row=1, where=where, value=label, col=col, other_col=match.group(1) if match else "?"
        )
    if kind == "extra-label":
        return place.finding(
            kind, row=1, where=where, value=label, col=col, table_title=table_title(place.table)
        )
    return place.finding(kind, row=1, where=where, col=col)


# --- Helpers used by the validator ----------------------------------------------------------------


def _field_names(place: Place) -> list[str]:
    return [f["name"] for f in table_schema(place.table)["fields"]] if place.table else []


def describe_pattern(pattern: str) -> str:
    if pattern == ID_PATTERN:
        return "编号只能由英文字母、数字、连字符“-”和下划线“_”组成，以字母或数字开头，最长 64 个字符"
    return f"应符合格式（正则表达式）{pattern}"


ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
_FULL_WIDTH_DIGITS = re.compile(r"[０-９]")
_LOOSE_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def type_hint(field_type: str, value: str) -> str:
    """A short Chinese hint, starting with a comma, on how to write ``value`` as ``field_type``."""
    if value != value.strip():
        return "，前后不能有空格"
    if _FULL_WIDTH_DIGITS.search(value):
        return "，请使用半角数字（0-9）"
    if field_type == "date":
        if _ISO_DATE.match(value):
            return "，这一天不存在"
        match = _LOOSE_DATE.match(value) or _COMPACT_DATE.match(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return f"，请写成 {datetime.date(year, month, day).isoformat()}"
            except ValueError:
                return "，这一天不存在；日期应写成 YYYY-MM-DD"
        return "，应写成 YYYY-MM-DD，例如 2025-03-15"
    if field_type in ("integer", "number"):
        if "," in value or "，" in value:
            return "，不要使用千分位逗号"
        if re.search(r"[元万亿%％人个条次]", value):
            return "，只填数字，不带单位"
        if field_type == "integer":
            if re.match(r"^-?\d+\.\d+$", value):
                return "，应为整数，不能带小数"
            return "，应为整数，例如 3"
        return "，应为普通数字，例如 1250000 或 95.5"
    if field_type == "boolean":
        return "，只能填“是”或“否”"
    return ""


_CSV_DETAILS: tuple[tuple[str, str], ...] = (
    ("unexpected end of data", "文件在英文双引号括起的单元格内结束，可能有引号没有闭合"),
    ("expected after", "英文双引号后应紧跟逗号或换行，可能是单元格内的引号没有写成两个"),
    ("field larger than field limit", "单元格过长，可能有英文双引号没有闭合"),
    ("line contains nul", "文件中含有空字符（NUL），可能不是文本文件"),
    ("new-line character seen in unquoted field", "未加引号的单元格中有换行符"),
)


def csv_detail(text: str) -> str:
    lowered = text.lower()
    for needle, chinese in _CSV_DETAILS:
        if needle in lowered:
            return chinese
    return f"无法解析（{text}）"


_JSON_DETAILS: tuple[tuple[str, str], ...] = (
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    (
        "Expecting property name enclosed in double quotes",
        "应为英文双引号括起的属性名（也可能是多了一个逗号）",
    ),
    ("Expecting value", "缺少值，或有多余的逗号"),
    ("Extra data", "JSON 结束后还有多余内容"),
    ("Unterminated string", "字符串缺少结束的英文双引号"),
    ("Invalid control character", "字符串中含有控制字符（如换行）"),
    ("Invalid \\escape", "无效的反斜杠转义"),
    ("Illegal trailing comma", "多了一个逗号"),
)


def json_detail(text: str) -> str:
    for needle, chinese in _JSON_DETAILS:
        if text.startswith(needle):
            return chinese
    return text
