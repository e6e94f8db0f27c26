"""A package's ``datapackage.json``: its resources and embedded schemas compared with the canonical
ones (never used), its name and quarter matching its folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core.messages import Place, table_title
from generator.core.schema import (
    OPTIONAL_RESOURCES,
    before_later_values,
    earlier_schema,
    resource_spec,
    table_schema,
)
from generator.validate.base import Bounds, _control_pattern, _strings, _suspect_text, _Task
from generator.validate.collect import Findings as _Findings
from generator.validate.csvfile import _read_file
from generator.validate.explain import json_detail
from generator.validate.privacy import personal_info_text_findings


def _check_descriptor(
    path: Path, place: Place, resources: tuple[str, ...], task: _Task | None, bounds: Bounds, out: _Findings
) -> dict[str, bool]:
    """The descriptor exists, is JSON, lists exactly the canonical resources, paths and schemas.

    ``resources`` are the ones the directory holds; an optional resource (更正记录, 撤回记录) is
    listed exactly when its CSV file is there. Returns, for each resource whose embedded schema is
    a canonical one, whether it is the earlier one (without the table's ``LATER_COLUMNS``)."""
    kind = "数据包" if task is not None else "单位名录"
    raw = _read_file(path, place, bounds, out, f"每个{kind}目录都必须有描述文件 datapackage.json。")
    if raw is None:
        return {}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        out.add(place.finding("json-error:encoding"))
        return {}
    if text.startswith("\ufeff"):
        out.add(place.finding("encoding-bom", row=1))
        text = text[1:]
    if not text.strip():
        out.add(place.finding("empty-file", hint="应为 JSON 格式的数据包描述。"))
        return {}
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        out.add(
            place.finding(
                "json-error",
                row=exc.lineno,
                where=place.display,
                line=exc.lineno,
                col=exc.colno,
                detail=json_detail(exc.msg),
            )
        )
        return {}
    except RecursionError:
        out.add(place.finding("json-error", line="?", col="?", detail="嵌套层次过深"))
        return {}

    def problem(detail: str, value: Any = None, expected: str | None = None) -> None:
        out.add(
            place.finding(
                "descriptor", detail=detail, value=None if value is None else str(value), expected=expected
            )
        )

    if not isinstance(descriptor, dict):
        problem("顶层应为 JSON 对象（{…}）。")
        return {}
    # Every text is published (titles, descriptions, extra keys): no control characters and no
    # personal numbers, as in a CSV cell.
    for key, value in _strings(descriptor):
        if not _suspect_text(value):
            continue
        bad = _control_pattern().search(value)
        if bad is not None:
            out.add(
                place.finding(
                    "control-character:descriptor",
                    name=key,
                    value=f"U+{ord(bad.group()):04X}",
                    char=f"U+{ord(bad.group()):04X}",
                    position=bad.start() + 1,
                )
            )
        out.extend(personal_info_text_findings(value, place, key))
    listed = descriptor.get("resources")
    if not isinstance(listed, list):
        problem("缺少资源列表“resources”，或它不是列表（[…]）。", expected="、".join(resources))
        return {}
    seen: set[str] = set()
    schemas: dict[str, bool] = {}
    for index, resource in enumerate(listed, start=1):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            problem(f"resources 中的第 {index} 项应为带有“name”的对象。")
            continue
        name = resource["name"]
        if name in OPTIONAL_RESOURCES and name not in resources and task is not None:
            problem(
                f"resources 中列有资源“{name}”（{table_title(name)}），但文件 {resource_spec(name)['path']} 不存在；"
                "请添加该文件，或从 resources 中删除这一项。",
                value=name,
            )
            continue
        if name not in resources:
            problem(f"resources 中有多余的资源“{name}”，应只包含：{'、'.join(resources)}。", value=name)
            continue
        if name in seen:
            problem(f"资源“{name}”在 resources 中出现了不止一次。", value=name)
            continue
        seen.add(name)
        earlier = _check_resource_entry(resource, name, place, out)
        if earlier is not None:
            schemas[name] = earlier
    for name in resources:
        if name not in seen:
            problem(
                f"resources 中缺少资源“{name}”（{table_title(name)}，文件 {resource_spec(name)['path']}）。",
                expected=name,
            )
    if task is not None:
        _check_package_identity(descriptor, task, problem)
    return schemas


def _check_resource_entry(resource: dict[str, Any], name: str, place: Place, out: _Findings) -> bool | None:
    """Check one resource entry; whether its schema is the earlier one, None if it is no canonical one."""
    expected_path = resource_spec(name)["path"]
    if resource.get("path") != expected_path:
        out.add(
            place.finding(
                "descriptor",
                detail=f"资源“{name}”的 path 应为“{expected_path}”，实为“{resource.get('path')}”。",
                value=str(resource.get("path")),
                expected=expected_path,
            )
        )
    encoding = resource.get("encoding")
    if encoding is not None and str(encoding).lower().replace("_", "-") not in ("utf-8", "utf8"):
        out.add(
            place.finding(
                "descriptor",
                detail=f"资源“{name}”的 encoding 应为“utf-8”，实为“{encoding}”。",
                value=str(encoding),
                expected="utf-8",
            )
        )
    if resource.get("format", "csv") != "csv":
        out.add(
            place.finding(
                "descriptor",
                detail=f"资源“{name}”的 format 应为“csv”，实为“{resource.get('format')}”。",
                value=str(resource.get("format")),
                expected="csv",
            )
        )
    if "dialect" in resource:
        out.add(
            place.finding(
                "descriptor",
                detail=f"资源“{name}”不应声明 dialect：所有 CSV 都用逗号分隔、英文双引号、首行为表头。",
            )
        )
    canonical = table_schema(name)
    if resource.get("schema") in (canonical, before_later_values(name)):
        return False
    earlier = earlier_schema(name)
    if earlier is not None and resource.get("schema") == earlier:
        return True
    out.add(
        place.finding(
            "schema-changed",
            resource=name,
            resource_title=table_title(name),
            diff=_schema_diff(resource.get("schema"), canonical),
            expected="与 generator/schemas 中的标准表结构完全一致",
        )
    )
    return None


def _schema_diff(actual: Any, canonical: dict[str, Any]) -> str:
    """A short Chinese description of how an embedded schema differs from the canonical one."""
    if actual is None:
        return "缺少 schema"
    if not isinstance(actual, dict):
        return "schema 应直接写在描述文件中（JSON 对象），不能引用其他文件"
    notes: list[str] = []
    fields_actual: list[Any] = actual["fields"] if isinstance(actual.get("fields"), list) else []
    by_name = {f.get("name"): f for f in fields_actual if isinstance(f, dict)}
    names_actual = [f.get("name") for f in fields_actual if isinstance(f, dict)]
    names_canonical = [f["name"] for f in canonical["fields"]]
    for spec in canonical["fields"]:
        other = by_name.get(spec["name"])
        if other is None:
            notes.append(f"缺少字段“{spec['name']}”")
            continue
        changed = sorted(k for k in set(spec) | set(other) if spec.get(k) != other.get(k))
        if changed:
            notes.append(f"字段“{spec['name']}”的 {'、'.join(changed)} 不同")
    notes.extend(f"多出字段“{name}”" for name in names_actual if name not in names_canonical)
    if not notes and names_actual != names_canonical:
        notes.append("字段顺序不同")
    for key, label in (("primaryKey", "主键（primaryKey）"), ("foreignKeys", "外键（foreignKeys）")):
        if actual.get(key) != canonical.get(key):
            notes.append(f"{label}不同")
    others = sorted(
        k for k in set(actual) | set(canonical) if k not in ("fields", "primaryKey", "foreignKeys")
    )
    notes.extend(f"“{k}”不同" for k in others if actual.get(k) != canonical.get(k))
    if len(notes) > 5:
        notes = [*notes[:5], f"等 {len(notes)} 处"]
    return "；".join(notes) or "内容不同"


def _check_package_identity(descriptor: dict[str, Any], task: _Task, problem: Callable[..., None]) -> None:
    gongkai = descriptor.get("gongkai")
    if not isinstance(gongkai, dict):
        problem(
            f'缺少“gongkai”信息，应为 {{"unit_id": "{task.unit_id}", "period": "{task.period}"}}。',
            expected=f"unit_id={task.unit_id}, period={task.period}",
        )
        return
    unit_id, period = gongkai.get("unit_id"), gongkai.get("period")
    if unit_id != task.unit_id:
        problem(
            f"gongkai.unit_id 为“{unit_id}”，与所在的单位目录“{task.unit_id}”不一致。",
            value=unit_id,
            expected=task.unit_id,
        )
    if period != task.period:
        problem(
            f"gongkai.period 为“{period}”，与所在的季度目录“{task.period}”不一致。",
            value=period,
            expected=task.period,
        )


# --- One CSV file ------------------------------------------------------------------------------------
