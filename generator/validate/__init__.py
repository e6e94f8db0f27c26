"""Validate stage: check a whole data tree before anything is built.

``validate_data`` reads top to bottom as named stages:
settings → unit registry → tree layout → packages (in parallel) → rules across packages → report.

Each CSV goes through the same steps: the file exists and is not empty; it is UTF-8 without BOM
(GBK/GB18030 and BOM files are recognised and explained); it parses as CSV; its header is exactly
the canonical one (a package from before a table's later columns may leave them all out, and its
rows then read as if those cells were empty; header and embedded schema must agree); then Frictionless checks every row against the canonical Table Schema from
``generator/schemas`` (types, required, enum, pattern, minimum/maximum, missing and extra cells,
blank rows). A package cannot loosen its own rules: the schemas embedded in its
``datapackage.json`` are compared with the canonical ones but never used.

Keys are checked here rather than by Frictionless, by Frictionless's own rules: primary keys
per file on the cast values (a key whose cells are all empty is an error; a repeated key names
the earlier row), foreign keys within a package (a reference whose cells are all empty is skipped;
otherwise the values must exist in the referenced table). Frictionless re-reads and re-casts the
whole referenced table for every foreign key, and costs several milliseconds to open each
resource; checking keys ourselves lets all files of one table type go through Frictionless as a
single stream, which makes a 20,000-decision tree validate several times faster. On top of
Frictionless, integers, numbers and dates must be written plainly (``2025-03-05``, not
``2025-3-5``; ``1000``, not ``1_000``), because the load stage reads them with plain Python.

Nothing raises for bad input: every problem becomes a ``Finding``; an unexpected exception while
checking a file becomes an ``internal-error`` finding for that file.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import csv
import dataclasses
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from frictionless import Dialect, Resource, Schema

from generator.core.config import (
    CONFIG_FILE,
    REGISTRATION_NUMBERS,
    ConfigError,
    PortalConfig,
    control_character,
    load_config,
)
from generator.core.datatree import (
    DESCRIPTOR,
    ID_RE,
    REGISTRY_CSV,
    FileTooLarge,
    NotRegularFile,
    Period,
    Tree,
    read_regular,
    scan_tree,
    shown_name,
)
from generator.core.findings import Finding, Report
from generator.core.messages import (
    Place,
    csv_detail,
    describe_pattern,
    duplicate_key_finding,
    expected_header,
    finding_from_frictionless,
    json_detail,
    primary_key,
    table_title,
    type_hint,
    type_name,
)
from generator.core.schema import (
    ALL_RESOURCES,
    LATER_COLUMNS,
    OPTIONAL_RESOURCES,
    PACKAGE_RESOURCES,
    REGISTRY_RESOURCE,
    before_later_values,
    earlier_schema,
    field_info,
    present_resources,
    resource_descriptor,
    resource_spec,
    table_schema,
)
from generator.validate.collect import LIMIT_PER_FILE, STABLE_IDS, PackageResult, Table, place_of
from generator.validate.collect import Findings as _Findings
from generator.validate.domain import PACKAGE_CHECKS, check_ids_across_quarters
from generator.validate.privacy import personal_info_findings, personal_info_text_findings

#: Trees with less CSV than this are validated in one process whatever ``jobs`` says.
PARALLEL_MIN_BYTES = 1_000_000
#: Packages are validated in groups of about this much CSV (at least one package each): the
#: rows of a group are held in memory at once.
GROUP_BYTES = 8_000_000

#: Values remembered per table for the checks that span tables: foreign keys, IDs reused across
#: quarters, dates inside the quarter and the principal count.
_EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    "members": ("is_principal",),
    "meetings": ("meeting_id", "date"),
    "decisions": ("decision_id", "withheld", "withheld_basis"),
    "hearings": ("hearing_id", "date", "withheld", "withheld_basis"),
    "units": ("unit_id",),
}
#: Plain spellings required for values that Frictionless would also accept in looser forms.
_PLAIN: dict[str, re.Pattern[str]] = {
    "integer": re.compile(r"-?[0-9]+"),
    "number": re.compile(r"-?[0-9]+(\.[0-9]+)?"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}


@dataclass(frozen=True)
class Bounds:
    """What one file may hold (``portal.yml``: ``max_file_mb``, ``max_cell_chars``, ``max_rows``).

    Every file is measured before it is read and no CSV is read beyond ``max_rows`` data rows, so
    that validation stays within bounded memory and time whatever the tree holds."""

    max_file_mb: int
    max_cell_chars: int
    max_rows: int

    @classmethod
    def of(cls, config: PortalConfig) -> Bounds:
        return cls(config.max_file_mb, config.max_cell_chars, config.max_rows)

    @property
    def max_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024


@cache
def _control_pattern() -> re.Pattern[str]:
    """Control and format characters (NUL, escape, bidirectional overrides, zero-width …) as one
    character class; tabs and line breaks are allowed in text (``config.control_character``)."""
    ranges: list[list[int]] = []
    for code in range(0x110000):
        char = chr(code)
        if control_character(char) is None:
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    return re.compile(f"[{body}]")


def validate_data(data_dir: Path, *, jobs: int | None = None, config: PortalConfig | None = None) -> Report:
    """Validate every file of a data tree and return all findings at once.

    ``config`` is portal.yml as the caller has already read it; without it, it is read here (and
    a portal.yml that cannot be read is one of the findings).

    ``jobs`` is the number of worker processes for the quarterly packages (default: one per
    CPU); ``jobs=1`` validates in this process. The report is the same whatever ``jobs`` is.
    """
    started = time.perf_counter()
    data_dir = Path(data_dir)
    root = data_dir.as_posix()
    out = _Findings()

    registry = _Registry(None)
    results: list[PackageResult] = []
    try:
        # Tree: only regular files and folders; nothing is followed or opened while looking.
        tree = _scan_tree(data_dir, root, out)

        # Settings: portal.yml, and the bounds it sets for every file.
        bounds = _check_config(data_dir, root, out, config)

        # Unit registry: datapackage.json + units.csv at the top of the tree.
        registry = _check_registry(data_dir, root, bounds, out)

        # Layout: every unit directory is registered, every quarter directory is named YYYYQn.
        tasks = _scan_layout(data_dir, root, tree, registry.unit_ids, bounds, out)

        # Packages: every unit-quarter, in parallel worker processes, merged in stable order.
        results = _run_packages(tasks, jobs, out)

        # Across packages: IDs are never reused by a unit in another quarter.
        out.extend(check_ids_across_quarters(root, results))
    except Exception as exc:  # A last resort: the report must still come back.
        out.add(_internal_error(place_of(root, "."), exc))

    return Report(
        errors=_ordered(list(dict.fromkeys(out.items))),  # a link is named by the walk and the reader
        packages_checked=len(results),
        rows_checked=registry.rows + sum(result.rows for result in results),
        units_checked=len(registry.unit_ids or ()),
        root=root,
        truncated=sorted(out.truncated, key=_file_rank),
        limit=LIMIT_PER_FILE,
        seconds=time.perf_counter() - started,
    )


# --- Collecting findings -------------------------------------------------------------------------


_TOP_FILES = {CONFIG_FILE: 0, DESCRIPTOR: 1, REGISTRY_CSV: 2}
_PACKAGE_FILES = {
    DESCRIPTOR: 0,
    **{resource_spec(n)["path"]: i for i, n in enumerate(ALL_RESOURCES, start=1)},
}


def _file_rank(file: str) -> tuple[Any, ...]:
    """Registry files first, then units and their quarters in order, each package's files in
    the documented order; the same order whatever the number of worker processes."""
    parts = file.split("/")
    if len(parts) == 1 and file in _TOP_FILES:
        return (0, _TOP_FILES[file])
    unit = parts[0]
    period = parts[1] if len(parts) > 1 else ""
    inner = _PACKAGE_FILES.get(parts[2], len(_PACKAGE_FILES)) if len(parts) > 2 else -1
    return (1, unit, period, inner, file)


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Grouped by file in tree order, then by row; otherwise in the order found."""
    return sorted(findings, key=lambda f: (_file_rank(f.file), f.row or 0))


def _internal_error(place: Place, exc: BaseException) -> Finding:
    return place.finding("internal-error", detail=f"{type(exc).__name__}: {exc}")


# --- Settings ----------------------------------------------------------------------------------


def _scan_tree(data_dir: Path, root: str, out: _Findings) -> Tree:
    """The tree's folders; a finding for every link, FIFO, device or socket in it."""
    try:
        tree = scan_tree(data_dir)
    except OSError as exc:
        out.add(place_of(root, ".").finding("io-error", detail=str(exc)))
        return Tree()
    for entry in tree.special:
        out.add(_special_finding(place_of(root, entry.rel), entry.kind))
    return tree


def _special_finding(place: Place, kind: str) -> Finding:
    """A link, FIFO, device or socket: named by the tree walk, and again (the same finding, kept
    once) by the reader that was to read it."""
    return Place(place.file, place.display).finding(
        "special-file", kind=kind, value=shown_name(place.file.rsplit("/", 1)[-1])
    )


def _check_config(data_dir: Path, root: str, out: _Findings, config: PortalConfig | None = None) -> Bounds:
    """portal.yml is valid, and none of its texts holds a personal number; its bounds (the
    defaults when it cannot be read)."""
    place = place_of(root, CONFIG_FILE)
    try:
        config = config or load_config(data_dir)
    except ConfigError as error:
        out.add(place.finding("config", detail=str(error)))
        return Bounds.of(PortalConfig())
    except Exception as exc:
        out.add(_internal_error(place, exc))
        return Bounds.of(PortalConfig())
    # The site's registration numbers (ICP 备案号, 公安机关备案号, 网站标识码) are public by law and
    # are no one's personal number, though a 14-digit 公安备案号 can pass the bank-card check.
    texts: dict[str, Any] = {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if f.name not in ("extra", *REGISTRATION_NUMBERS)
    }
    texts.update(config.extra)
    for key, text in _strings(texts):
        out.extend(personal_info_text_findings(text, place, key))
    return Bounds.of(config)


@cache
def _canonical_texts() -> frozenset[str]:
    """The texts of the canonical resource descriptors (schemas, titles, descriptions): every
    package embeds them, and they hold neither control characters nor personal numbers."""
    return frozenset(
        text
        for name in (*ALL_RESOURCES, REGISTRY_RESOURCE)
        for _, text in _strings(resource_descriptor(name))
    )


def _suspect_text(text: str) -> bool:
    return text not in _canonical_texts()


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every text in a JSON or YAML value, keys included, with where it is (``resources[0].title``)."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for inner_key, inner in value.items():
            name = f"{key}.{inner_key}" if key else str(inner_key)
            if isinstance(inner_key, str):
                yield f"{name}（键名）", inner_key
            yield from _strings(inner, name)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _strings(inner, f"{key}[{index}]")


# --- Unit registry -------------------------------------------------------------------------------


@dataclass
class _Registry:
    #: Registered unit IDs, or ``None`` when units.csv could not be read (then directories are
    #: not checked against it, to avoid one finding per unit for a single broken file).
    unit_ids: list[str] | None
    rows: int = 0


def _check_registry(data_dir: Path, root: str, bounds: Bounds, out: _Findings) -> _Registry:
    descriptor = place_of(root, DESCRIPTOR)
    try:
        _check_descriptor(data_dir / DESCRIPTOR, descriptor, (REGISTRY_RESOURCE,), None, bounds, out)
    except Exception as exc:
        out.add(_internal_error(descriptor, exc))
    table = _check_table(
        data_dir / REGISTRY_CSV, place_of(root, REGISTRY_CSV, REGISTRY_RESOURCE), bounds, out
    )
    if not table.usable:
        return _Registry(None, table.rows)
    ids = [str(value) for value in table.columns["unit_id"] if value is not None]
    return _Registry(ids, table.rows)


# --- Layout ----------------------------------------------------------------------------------------


def _scan_layout(
    data_dir: Path, root: str, tree: Tree, unit_ids: list[str] | None, bounds: Bounds, out: _Findings
) -> list[_Task]:
    """The quarterly package directories to validate, in stable order (unit, then period)."""
    registered = set(unit_ids) if unit_ids is not None else None
    tasks: list[_Task] = []
    for unit in tree.units:
        place = place_of(root, unit)
        if not ID_RE.fullmatch(unit):
            out.add(place.finding("unit-dir", value=shown_name(unit), expected="单位编号，例如 fgw"))
            continue
        if registered is not None and unit not in registered:
            out.add(place.finding("unregistered-unit", value=unit, expected="units.csv 中登记的单位编号"))
        for name in tree.subdirs.get(unit, []):
            if Period.parse(name) is None:
                out.add(
                    place_of(root, f"{unit}/{name}").finding(
                        "period-dir", value=shown_name(name), expected="YYYYQn，例如 2025Q1"
                    )
                )
                continue
            tasks.append(_Task(str(data_dir), root, unit, name, bounds))
    return tasks


# --- Packages --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    data_dir: str
    root: str
    unit_id: str
    period: str
    bounds: Bounds


@dataclass
class _ChunkResult:
    """What a worker sends back for a run of consecutive packages."""

    packages: list[PackageResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)


def _run_packages(tasks: list[_Task], jobs: int | None, out: _Findings) -> list[PackageResult]:
    """Validate packages in up to ``jobs`` processes; chunks are contiguous, merged in order.

    Trees under ``PARALLEL_MIN_BYTES`` of CSV are validated in-process: starting workers would
    cost more than it saves.
    """
    workers = max(1, min(jobs if jobs is not None else (os.cpu_count() or 1), len(tasks)))
    if workers > 1 and _csv_bytes(tasks) < PARALLEL_MIN_BYTES:
        workers = 1
    chunks = _chunks(tasks, 1 if workers == 1 else workers * 4)
    results: list[_ChunkResult | None] = [None] * len(chunks)
    if workers > 1:
        _warm_up()
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for index, checked in enumerate(pool.map(_check_chunk, chunks)):
                    results[index] = checked
        except Exception:
            pass  # The pool could not start or a worker died: the rest is validated in-process below.
    packages: list[PackageResult] = []
    for result, chunk in zip(results, chunks, strict=True):
        done = result or _check_chunk(chunk)
        out.merge(done.findings, done.truncated)
        packages.extend(done.packages)
    return packages


def _csv_bytes(tasks: list[_Task]) -> int:
    total = 0
    for task in tasks:
        package_dir = Path(task.data_dir) / task.unit_id / task.period
        for name in PACKAGE_RESOURCES:
            with contextlib.suppress(OSError):
                total += (package_dir / resource_spec(name)["path"]).stat().st_size
    return total


def _warm_up() -> None:
    """Build the schemas and load Frictionless's lazily imported parts once, before the workers
    are forked, so that each worker does not pay for it again."""
    _control_pattern()
    _canonical_texts()
    for name in ALL_RESOURCES:
        header = [spec["name"] for spec in table_schema(name)["fields"]]
        with Resource(
            data=[header], schema=_frictionless_schema(name), dialect=Dialect(header_rows=[1])
        ) as resource:
            for _row in resource.row_stream:
                pass


def _chunks(tasks: list[_Task], count: int) -> list[list[_Task]]:
    count = max(1, min(count, len(tasks)))
    size, extra = divmod(len(tasks), count)
    chunks, start = [], 0
    for index in range(count):
        stop = start + size + (1 if index < extra else 0)
        chunks.append(tasks[start:stop])
        start = stop
    return [chunk for chunk in chunks if chunk]


def _check_chunk(tasks: list[_Task]) -> _ChunkResult:
    """Validate consecutive packages (runs in a worker process), in groups of at most
    ``GROUP_BYTES`` of CSV (or one package), so that memory does not grow with the tree."""
    out = _Findings()
    result = _ChunkResult()
    group: list[_Task] = []
    size = 0
    for task in tasks:
        task_size = _csv_bytes([task])
        if group and size + task_size > GROUP_BYTES:
            _check_group(group, out, result)
            group, size = [], 0
        group.append(task)
        size += task_size
    if group:
        _check_group(group, out, result)
    result.findings, result.truncated = out.items, out.truncated
    return result


def _check_group(tasks: list[_Task], out: _Findings, result: _ChunkResult) -> None:
    """Validate consecutive packages.

    One table type at a time, every file of that type is read and pre-checked, then all of them
    go through Frictionless as one stream, which saves Frictionless's fixed cost of opening a
    resource (several milliseconds each) for every one of the hundreds of files; their rows are
    let go before the next type is read, so that only one table type is in memory at once.
    """
    packages: list[tuple[_Task, dict[str, Table]]] = []
    descriptors: list[tuple[Place, tuple[str, ...], dict[str, bool]]] = []

    # Descriptors: each package's datapackage.json.
    for task in tasks:
        rel_dir = f"{task.unit_id}/{task.period}"
        package_dir = Path(task.data_dir) / task.unit_id / task.period
        descriptor = place_of(task.root, f"{rel_dir}/{DESCRIPTOR}")
        present = present_resources(package_dir)
        schemas: dict[str, bool] = {}
        try:
            schemas = _check_descriptor(package_dir / DESCRIPTOR, descriptor, present, task, task.bounds, out)
        except Exception as exc:
            out.add(_internal_error(descriptor, exc))
        descriptors.append((descriptor, present, schemas))
        packages.append((task, {}))

    # Tables, one type at a time: each file up to and including its header, then the rows of all
    # of them through Frictionless with the canonical schema.
    for name in ALL_RESOURCES:
        path = resource_spec(name)["path"]
        batch: list[Table] = []
        for (task, tables), (descriptor, present, schemas) in zip(packages, descriptors, strict=True):
            if name not in present:
                continue
            package_dir = Path(task.data_dir) / task.unit_id / task.period
            place = place_of(task.root, f"{task.unit_id}/{task.period}/{path}", name)
            table = _prepare_table(package_dir / path, place, task.bounds, out)
            tables[name] = table
            if table.records is not None:
                batch.append(table)
                if schemas.get(name, table.earlier_header) != table.earlier_header:
                    out.add(_later_columns_finding(descriptor, table, name))
        _check_rows_safely(name, batch, out)

    # Rules across the tables of each package.
    for task, tables in packages:
        package = PackageResult(task.unit_id, task.period, rows=sum(t.rows for t in tables.values()))
        period = Period.parse(task.period)
        assert period is not None
        for check in PACKAGE_CHECKS:
            try:
                check(tables, period, out)
            except Exception as exc:
                out.add(_internal_error(place_of(task.root, f"{task.unit_id}/{task.period}"), exc))
        for name, column in STABLE_IDS.items():
            table = tables[name]
            if table.usable:
                package.ids[name] = [
                    (str(value), row)
                    for value, row in zip(table.columns[column], table.row_numbers, strict=True)
                    if value is not None
                ]
        result.packages.append(package)


# --- datapackage.json ------------------------------------------------------------------------------


def _later_columns_finding(descriptor: Place, table: Table, name: str) -> Finding:
    """The CSV's header and the schema in datapackage.json disagree about the later columns."""
    columns = "、".join(LATER_COLUMNS[name])
    if table.earlier_header:
        state = f"{table.place.display} 的表头没有后来增加的列（{columns}），而描述文件中的表结构有这些列"
    else:
        state = f"{table.place.display} 的表头有后来增加的列（{columns}），而描述文件中的表结构没有这些列"
    return descriptor.finding("later-columns", detail=state, resource=name, resource_title=table_title(name))


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


def _check_table(path: Path, place: Place, bounds: Bounds, out: _Findings) -> Table:
    """Every check of one CSV file on its own (used for ``units.csv``)."""
    table = _prepare_table(path, place, bounds, out)
    if table.records is not None and place.table is not None:
        _check_rows_safely(place.table, [table], out)
    return table


def _prepare_table(path: Path, place: Place, bounds: Bounds, out: _Findings) -> Table:
    """Read and pre-check one CSV; ``records`` is set when its rows are ready to be checked."""
    table = Table(place)
    try:
        table.records = _read_records(path, place, bounds, out, table)
        if table.records is not None:  # Personal-information guard: every text field of every CSV.
            out.extend(personal_info_findings(table.records, place))
    except Exception as exc:
        table.records = None
        out.add(_internal_error(place, exc))
    return table


def _read_file(path: Path, place: Place, bounds: Bounds, out: _Findings, hint: str) -> bytes | None:
    """The bytes of one file of the tree, or None with a finding: missing, a folder, too large.

    Links, FIFOs, devices and sockets are never opened (``read_regular``); the tree walk has
    reported them already."""
    try:
        return read_regular(path, bounds.max_bytes)
    except FileNotFoundError:
        out.add(place.finding("missing-file", hint=hint))
    except NotRegularFile as exc:
        if exc.kind == "文件夹":
            out.add(place.finding("missing-file:not-a-file", hint=hint))
        else:
            out.add(_special_finding(place, exc.kind))
    except FileTooLarge as exc:
        out.add(
            place.finding(
                "file-too-large",
                value=f"{exc.size / 1024 / 1024:.1f} MB",
                expected=f"不超过 {bounds.max_file_mb} MB",
                size=f"{exc.size / 1024 / 1024:.1f} MB",
                limit=bounds.max_file_mb,
            )
        )
    except OSError as exc:
        out.add(place.finding("io-error", detail=str(exc)))
    return None


def _read_records(
    path: Path, place: Place, bounds: Bounds, out: _Findings, table: Table
) -> list[list[str]] | None:
    name = place.table
    assert name is not None
    # File: exists, is a regular file within the size bound.
    hint = (
        f"每个数据包都必须包含 {path.name}（{table_title(name)}）；"
        f"没有数据时也要保留表头行：{expected_header(name)}"
        if name != REGISTRY_RESOURCE
        else f"数据目录中必须有单位名录 units.csv，表头为：{expected_header(name)}"
    )
    raw = _read_file(path, place, bounds, out, hint)
    if raw is None:
        return None
    # Encoding: UTF-8 without BOM.
    text = _decode(raw, place, out)
    del raw
    if text is None:
        return None
    if not text.strip():
        out.add(place.finding("empty-file", hint=f"表头行为：{expected_header(name)}"))
        return None
    newline = text.find("\n")
    if "\x00" in (
        text if newline < 0 else text[:newline]
    ):  # NUL in the header: not a text file (UTF-16 without BOM …)
        out.add(place.finding("encoding-error:nul", row=1, expected="UTF-8（无 BOM）"))
        return None
    # CSV syntax, at most ``max_rows`` data rows.
    records = _parse_csv(text, place, bounds, out)
    if records is None:
        return None
    # Header: exactly the canonical field names, in order; a package written before the later
    # columns existed may leave them all out, and then reads as if their cells were empty.
    if not _check_header(records[0], place, out):
        return None
    # Cells: within the length bound, no control characters.
    if not _check_cells(text, records, place, bounds, out):
        return None
    full = [spec["name"] for spec in table_schema(name)["fields"]]
    _cut_extra_cells(records, len(full), place, out)
    if records[0] != full:  # the earlier header: pad every row with the later columns, empty
        width = len(records[0])
        padding = [""] * (len(full) - width)
        records = [full] + [row + padding if len(row) == width else row for row in records[1:]]
        table.earlier_header = True
    return records


def _cut_extra_cells(records: list[list[str]], width: int, place: Place, out: _Findings) -> None:
    """A row with more cells than the table has fields gets its ``extra-cell`` finding here, and
    its extra cells are dropped before the row checks: Frictionless takes time growing faster than
    the number of extra cells (a 1 MB row of commas ran for more than 5 minutes)."""
    for number, record in enumerate(records[1:], start=2):
        if len(record) <= width:
            continue
        extras = record[width:]
        if not out.overflowing(place.file):
            shown = "、".join(extras[:10]) + ("……" if len(extras) > 10 else "")
            out.add(
                place.finding(
                    "extra-cell",
                    row=number,
                    value=shown,
                    expected=f"{width} 个单元格",
                    cells=len(record),
                    extra=len(extras),
                )
            )
        del record[width:]


def _check_cells(text: str, records: list[list[str]], place: Place, bounds: Bounds, out: _Findings) -> bool:
    """Every cell within ``max_cell_chars`` and free of control characters (tabs and line breaks
    are allowed); False when a cell is not (its rows are then not checked further)."""
    control = _control_pattern()
    has_control = control.search(text) is not None
    if not has_control and len(text) <= bounds.max_cell_chars:
        return True
    header = records[0]
    ok = True
    for number, record in enumerate(records[1:], start=2):
        if not has_control and max(map(len, record), default=0) <= bounds.max_cell_chars:
            continue
        for index, cell in enumerate(record):
            too_long = len(cell) > bounds.max_cell_chars
            bad = control.search(cell) if has_control else None
            if not too_long and bad is None:
                continue
            ok = False
            column = header[index] if index < len(header) else None
            where = place.where(number, column) if column else f"{place.where(number)}第 {index + 1} 列"
            if too_long:
                out.add(
                    place.finding(
                        "cell-too-long",
                        row=number,
                        column=column,
                        where=where,
                        value=f"{len(cell)} 个字符",
                        expected=f"不超过 {bounds.max_cell_chars} 个字符",
                        length=len(cell),
                        limit=bounds.max_cell_chars,
                    )
                )
            if bad is not None:
                char = f"U+{ord(bad.group()):04X}"
                out.add(
                    place.finding(
                        "control-character",
                        row=number,
                        column=column,
                        where=where,
                        value=char,
                        expected="不含控制字符",
                        char=char,
                        position=bad.start() + 1,
                    )
                )
            if out.overflowing(place.file):
                return False
    return ok


def _decode(raw: bytes, place: Place, out: _Findings) -> str | None:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        out.add(place.finding("encoding-error:utf16", expected="UTF-8（无 BOM）"))
        return None
    if raw.startswith(codecs.BOM_UTF8):
        out.add(place.finding("encoding-bom", row=1, expected="UTF-8（无 BOM）"))
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 4].hex(" ")
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            out.add(
                place.finding(
                    "encoding-error",
                    row=line,
                    detail=f"第 {line} 行有无法识别的字节 {bad}",
                    expected="UTF-8（无 BOM）",
                )
            )
            return None
        lines = text.splitlines()
        shown = lines[line - 1] if line - 1 < len(lines) else ""
        if len(shown) > 80:
            shown = shown[:80] + "……"
        row = _record_of_line(text, line)
        out.add(place.finding("encoding-gbk", row=row, value=shown, line=shown, expected="UTF-8（无 BOM）"))
        return text  # Go on with the GB18030 text so that every other problem is reported too.


def _record_of_line(text: str, line: int) -> int:
    """The spreadsheet row (CSV record) that contains physical line ``line``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    record = 0
    try:
        for record, _ in enumerate(reader, start=1):
            if reader.line_num >= line:
                return record
    except csv.Error:
        pass
    return max(record, 1) if record else line


#: A line as ``io.StringIO(newline="")`` reads it: ended by \r\n, \r or \n, or the last one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text``, each with its ``\n``, one at a time (``io.StringIO`` would hold a
    copy of the whole text at four bytes a character)."""
    for match in _LINE.finditer(text):
        yield match.group()


def _parse_csv(text: str, place: Place, bounds: Bounds, out: _Findings) -> list[list[str]] | None:
    """The records of a CSV text, header first; None with a finding for a syntax error or more
    than ``max_rows`` data rows (reading stops there)."""
    # A cell may be as long as the file: its length is checked with a clear message afterwards.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(_lines(text), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            if len(records) > bounds.max_rows:  # header + max_rows data rows already read
                row = len(records) + 1
                out.add(
                    place.finding(
                        "too-many-rows",
                        row=row,
                        first_row=row,
                        where=place.display,
                        value=f"超过 {bounds.max_rows} 行",
                        expected=f"不超过 {bounds.max_rows} 行数据",
                        limit=bounds.max_rows,
                    )
                )
                return None
            records.append(record)
    except csv.Error as exc:
        row = len(records) + 1
        out.add(place.finding("csv-syntax", row=row, detail=csv_detail(str(exc))))
        return None
    return records


def _check_header(header: list[str], place: Place, out: _Findings) -> bool:
    table = place.table
    expected = [spec["name"] for spec in table_schema(table)["fields"]] if table else []
    later = LATER_COLUMNS.get(table or "", ())
    if header == expected or (later and header == expected[: -len(later)]):
        return True
    where = place.where(1)
    listing = ",".join(expected)
    if not any(label.strip() for label in header):
        out.add(place.finding("blank-header", row=1, where=where, header=listing, expected=listing))
        return False
    seen: dict[str, int] = {}
    flawed = False
    for col, label in enumerate(header, start=1):
        if not label.strip():
            out.add(place.finding("blank-label", row=1, where=where, col=col, expected=listing))
            flawed = True
        elif label in seen:
            out.add(
                place.finding(
                    "duplicate-label",
                    row=1,
                    where=where,
                    value=label,
                    col=col,
                    other_col=seen[label],
                    expected=listing,
                )
            )
            flawed = True
        else:
            seen[label] = col
    missing = [name for name in expected if name not in seen]
    extras = [(col, label) for label, col in seen.items() if label not in expected]
    if not missing and not extras and not flawed:
        out.add(place.finding("label-order", row=1, where=where, header=listing, expected=listing))
        return False
    for col, label in extras:
        positional = expected[col - 1] if col - 1 < len(expected) else None
        guess = positional if positional in missing else _guess_field(table, label, missing)
        if guess is None:
            out.add(
                place.finding(
                    "extra-label",
                    row=1,
                    where=where,
                    value=label,
                    col=col,
                    table_title=table_title(table),
                    expected=listing,
                )
            )
            continue
        missing.remove(guess)
        info = field_info(table, guess) if table else None
        out.add(
            place.finding(
                "incorrect-label",
                row=1,
                column=guess,
                where=where,
                value=label,
                expected=guess,
                col=col,
                name=guess,
                field_title=info.title if info else guess,
                hint=_label_hint(label, guess, info.title if info else ""),
            )
        )
    if len(missing) == 1:
        out.add(
            place.finding(
                "missing-label",
                row=1,
                column=missing[0],
                where=where,
                label=place.label(missing[0]),
                header=listing,
                expected=listing,
            )
        )
    elif missing:
        out.add(
            place.finding(
                "missing-label:many",
                row=1,
                column=missing[0],
                where=where,
                count=len(missing),
                labels="、".join(f"“{place.label(name)}”" for name in missing),
                header=listing,
                expected=listing,
            )
        )
    return False


def _guess_field(table: str | None, label: str, candidates: list[str]) -> str | None:
    """A missing field that ``label`` was probably meant to be (spacing, case or Chinese title)."""
    plain = label.strip().lower()
    for name in candidates:
        info = field_info(table, name) if table else None
        if plain == name.lower() or (info is not None and label.strip() == info.title):
            return name
    return None


def _label_hint(label: str, name: str, title: str) -> str:
    if label.strip() == name:
        return "列名前后有多余的空格。"
    if label.strip().lower() == name.lower():
        return "字段名区分大小写。"
    if title and label.strip() == title:
        return f"表头应使用英文字段名，中文名“{title}”只用于显示。"
    return ""


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


__all__ = ["LIMIT_PER_FILE", "validate_data"]
