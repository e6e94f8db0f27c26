"""Validate stage: check a whole data tree before anything is built.

``validate_data`` reads top to bottom as named stages:
settings → unit registry → tree layout → packages (in parallel) → rules across packages → report.
One module per job: ``tree`` (the walk, portal.yml, registry, layout), ``packages`` (worker
processes and groups), ``descriptor`` (datapackage.json), ``csvfile`` (reading and decoding one
CSV), ``header``, ``rows`` (Frictionless and plain spellings), ``domain`` (keys, dates, the
principal, withheld records: small registered checks), ``privacy`` (personal numbers), ``base``
and ``collect`` (what they share).

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

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core.cache import Cache
from generator.core.config import CONFIG_FILE, PortalConfig
from generator.core.datatree import DESCRIPTOR, REGISTRY_CSV
from generator.core.findings import Finding, Report
from generator.core.schema import ALL_RESOURCES, resource_spec
from generator.core.workers import Helper
from generator.validate.base import _internal_error
from generator.validate.collect import LIMIT_PER_FILE, PackageResult, place_of
from generator.validate.collect import Findings as _Findings
from generator.validate.domain import check_ids_across_quarters, check_progress
from generator.validate.packages import runs_beside
from generator.validate.remembered import run_registry, run_remembered
from generator.validate.tree import _check_config, _check_registry, _Registry, _scan_layout, _scan_tree


def validate_data(
    data_dir: Path,
    *,
    jobs: int | None = None,
    config: PortalConfig | None = None,
    cache: Cache | None = None,
    meanwhile: Callable[[Callable[[], bool]], None] | None = None,
    helper: Helper[Any] | None = None,
) -> Report:
    """Validate every file of a data tree and return all findings at once.

    ``config`` is portal.yml as the caller has already read it; without it, it is read here (and
    a portal.yml that cannot be read is one of the findings).

    ``jobs`` is the number of worker processes for the quarterly packages (default: one per
    CPU); ``jobs=1`` validates in this process. The report is the same whatever ``jobs`` is.

    ``cache`` (the build's) remembers each package's validation under a hash of its bytes
    (``generator.validate.remembered``): the report is the same with or without it.

    ``meanwhile(done)``: work for this process while a helper process validates the few packages
    the cache does not remember, to stop once ``done()`` (``runs_beside``); called at most once.
    ``helper``: a helper process started earlier for it (``standby``), closed here used or not.
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
        def check_registry(found: _Findings) -> tuple[list[str] | None, int]:
            checked = _check_registry(data_dir, root, bounds, found)
            return checked.unit_ids, checked.rows

        registry = _Registry(
            *run_registry(
                data_dir, (DESCRIPTOR, REGISTRY_CSV), repr((root, bounds)), out, cache, check_registry
            )
        )

        # Layout: every unit directory is registered, every quarter directory is named YYYYQn.
        tasks = _scan_layout(data_dir, root, tree, registry.unit_ids, bounds, out)

        # Packages: every unit-quarter, in parallel worker processes, merged in stable order.
        results = run_remembered(tasks, jobs, out, cache, runs_beside(meanwhile, helper))

        # Across packages: IDs are never reused by a unit in another quarter.
        out.extend(check_ids_across_quarters(root, results))
        # 执行进展 reports on decisions of earlier quarters.
        out.extend(check_progress(root, results))
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


__all__ = ["LIMIT_PER_FILE", "validate_data"]
