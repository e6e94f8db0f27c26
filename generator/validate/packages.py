"""The packages, validated in worker processes in groups of about ``GROUP_BYTES`` of CSV, merged in
stable order; each group's tables of one type go through Frictionless as one stream."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from generator.core.datatree import (
    DESCRIPTOR,
    Period,
)
from generator.core.findings import Finding
from generator.core.messages import (
    Place,
    table_title,
)
from generator.core.schema import (
    ALL_RESOURCES,
    LATER_COLUMNS,
    PACKAGE_RESOURCES,
    present_resources,
    resource_spec,
    table_schema,
)
from generator.core.workers import Helper
from generator.validate.base import (
    GROUP_BYTES,
    PARALLEL_MIN_BYTES,
    _canonical_texts,
    _ChunkResult,
    _control_pattern,
    _internal_error,
    _Task,
)
from generator.validate.collect import STABLE_IDS, PackageResult, Table, place_of
from generator.validate.collect import Findings as _Findings
from generator.validate.csvfile import _prepare_table
from generator.validate.descriptor import _check_descriptor
from generator.validate.domain import PACKAGE_CHECKS
from generator.validate.rows import _check_rows_safely, _frictionless_schema


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


def standby() -> Helper[_Task]:
    """A helper process for ``runs_beside``, started before the build knows which packages changed:
    it loads Frictionless and builds the schemas (``_warm_up``, about 0.3 s on this machine kind)
    while the build hashes its input, instead of after. ``close`` it when done."""
    return Helper(None, _validated, what="校验数据包", prepare=_warm_up)


def runs_beside(
    meanwhile: Callable[[Callable[[], bool]], None] | None,
    helper: Helper[_Task] | None = None,
) -> Callable[[list[_Task], int | None, _Findings], list[PackageResult]]:
    """``_run_packages``, but a few packages (a rebuild's changed ones: less CSV than
    ``PARALLEL_MIN_BYTES``) are validated by a forked helper process while this one does
    ``meanwhile(done)`` (the build recalls the unchanged packages' rows until ``done()`` says the
    helper has finished), instead of one after the other. The report is the same. ``meanwhile`` is
    called at most once, and only beside a helper process (never with ``jobs=1``: this process).
    ``helper``: a ``standby`` to give the packages to (closed here whether used or not)."""
    if meanwhile is None:
        if helper is not None:
            helper.close()
        return _run_packages

    def run(tasks: list[_Task], jobs: int | None, out: _Findings) -> list[PackageResult]:
        nonlocal helper
        beside, helper = helper, None  # a standby is given work once
        if not tasks or jobs == 1 or _csv_bytes(tasks) >= PARALLEL_MIN_BYTES:
            if beside is not None:
                beside.close()
            return _run_packages(tasks, jobs, out)
        if beside is None:
            beside = Helper([tasks], _validated, what="校验数据包")
        else:  # forked or not: without a helper process, ``result`` does the work here
            beside.give([tasks])
        try:
            if beside.forked:
                assert meanwhile is not None
                meanwhile(beside.ready)
            packages, items, truncated = beside.result(0)
        finally:
            beside.close()
        out.merge(items, truncated)
        return packages

    return run


def _validated(_group: int, tasks: list[_Task]) -> tuple[list[PackageResult], list[Finding], list[str]]:
    """The packages' results, findings and truncated files (a ``Helper``'s work, in its process)."""
    out = _Findings()
    packages = _run_packages(tasks, 1, out)
    return packages, out.items, out.truncated


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
    from frictionless import Dialect, Resource

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
        decisions = tables["decisions"]
        if decisions.usable:
            package.withheld = {
                str(d)
                for d, w in zip(decisions.columns["decision_id"], decisions.columns["withheld"], strict=True)
                if w is True
            }
        progress = tables.get("progress")
        if progress is not None and progress.usable:
            package.progress = [
                (str(d), row, bool(isinstance(note, str) and note.strip()))
                for d, note, row in zip(
                    progress.columns["decision_id"],
                    progress.columns["note"],
                    progress.row_numbers,
                    strict=True,
                )
                if d is not None
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
