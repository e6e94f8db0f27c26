"""Validation of a package, remembered: a rebuild does not run Frictionless again on a package
whose bytes did not change.

What validating a package finds depends on nothing but what the key hashes: every entry of the
package's folder (names and bytes; anything but a regular file is marked), the bounds from
portal.yml, the data directory's name as the messages show it, and the generator's code and
schemas. The checks *across* packages (IDs reused in another quarter, 执行进展 on earlier
decisions) run on every build from the remembered results. An entry is used only as the build
cache verified it (sealed, every byte as stored); anything else is a miss: the package is validated.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core.cache import Cache, ContentHash, code_fingerprint
from generator.core.findings import Finding
from generator.validate.base import _Task
from generator.validate.collect import Findings, PackageResult

KIND = "validation"
_FILE = "package.json"


def _entry_bytes(path: Path) -> bytes:
    """A file's bytes for a key; a mark for anything but a regular file (or nothing there)."""
    try:
        status = os.lstat(path)
    except OSError:
        return b"(absent)"
    return path.read_bytes() if stat.S_ISREG(status.st_mode) else f"mode {status.st_mode:o}".encode()


def package_key(task: _Task) -> str:
    digest = ContentHash("gongkai-validation/package")
    digest.add("code", code_fingerprint().encode("ascii"))
    digest.add("task", repr((task.root, task.unit_id, task.period, task.bounds)).encode("utf-8"))
    folder = Path(task.data_dir) / task.unit_id / task.period
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        entries = []
    for item in entries:
        digest.add(item.name, _entry_bytes(Path(item.path)))
    return digest.hexdigest()


def recall(cache: Cache, key: str) -> tuple[list[Finding], list[str], PackageResult] | None:
    """The findings, truncated files and result of the package validated under ``key``, or None."""
    entry = cache.lookup(KIND, key)
    if entry is None:
        return None
    try:
        raw = json.loads((entry.path / _FILE).read_bytes())
        findings = [Finding(**item) for item in raw["findings"]]
        result = PackageResult(
            unit_id=str(raw["unit_id"]),
            period=str(raw["period"]),
            rows=int(raw["rows"]),
            ids={str(t): [(str(i), int(r)) for i, r in rows] for t, rows in raw["ids"].items()},
            withheld={str(d) for d in raw["withheld"]},
            progress=[(str(d), int(r), bool(n)) for d, r, n in raw["progress"]],
        )
        return findings, [str(f) for f in raw["truncated"]], result
    except (OSError, ValueError, TypeError, KeyError):
        return None


def remember(
    cache: Cache, key: str, findings: list[Finding], truncated: list[str], result: PackageResult
) -> None:
    raw: dict[str, Any] = {
        "findings": [dataclasses.asdict(f) for f in findings],
        "truncated": truncated,
        "unit_id": result.unit_id,
        "period": result.period,
        "rows": result.rows,
        "ids": result.ids,
        "withheld": sorted(result.withheld),
        "progress": result.progress,
    }
    _store(cache, KIND, key, raw)


def _store(cache: Cache, kind: str, key: str, raw: dict[str, Any]) -> None:
    """Keep ``raw`` (JSON) as the cache entry ``kind``/``key`` (best effort)."""
    with tempfile.TemporaryDirectory(prefix="gongkai-validation-") as folder:
        (Path(folder) / _FILE).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        with contextlib.suppress(OSError):  # the cache is an optimisation only
            cache.store(kind, key, Path(folder))


_REGISTRY_KIND = "validation-registry"


def run_registry(
    data_dir: Path,
    files: tuple[str, ...],
    context: str,
    out: Findings,
    cache: Cache | None,
    check: Callable[[Findings], tuple[list[str] | None, int]],
) -> tuple[list[str] | None, int]:
    """``check`` (the unit registry's validation: its unit IDs, or None, and its rows) with its
    findings, remembered like a package's under a hash of ``files`` (the registry's descriptor and
    CSV), ``context`` (the data directory's name as messages show it, the bounds) and our code:
    a rebuild does not import and run Frictionless for an unchanged registry."""
    if cache is None:
        return check(out)
    digest = ContentHash("gongkai-validation/registry")
    digest.add("code", code_fingerprint().encode("ascii"))
    digest.add("context", context.encode("utf-8"))
    for name in files:
        digest.add(name, _entry_bytes(data_dir / name))
    key = digest.hexdigest()
    entry = cache.lookup(_REGISTRY_KIND, key)
    if entry is not None:
        try:
            raw = json.loads((entry.path / _FILE).read_bytes())
            findings = [Finding(**item) for item in raw["findings"]]
            ids = None if raw["unit_ids"] is None else [str(i) for i in raw["unit_ids"]]
            out.merge(findings, [str(f) for f in raw["truncated"]])
            return ids, int(raw["rows"])
        except (OSError, ValueError, TypeError, KeyError):
            pass
    fresh = Findings()
    ids, rows = check(fresh)
    out.merge(fresh.items, fresh.truncated)
    if not any(f.type == "internal-error" for f in fresh.items):
        raw_entry = {
            "findings": [dataclasses.asdict(f) for f in fresh.items],
            "truncated": fresh.truncated,
            "unit_ids": ids,
            "rows": rows,
        }
        _store(cache, _REGISTRY_KIND, key, raw_entry)
    return ids, rows


def _belongs(file: str, task: _Task) -> bool:
    folder = f"{task.unit_id}/{task.period}"
    return file == folder or file.startswith(folder + "/")


def split_findings(task: _Task, findings: Findings) -> tuple[list[Finding], list[str]]:
    """The findings and truncated files of one package, out of those of a run of packages."""
    return (
        [f for f in findings.items if _belongs(f.file, task)],
        [f for f in findings.truncated if _belongs(f, task)],
    )


def run_remembered(
    tasks: list[_Task],
    jobs: int | None,
    out: Findings,
    cache: Cache | None,
    run: Any,
) -> list[PackageResult]:
    """``run(tasks, jobs, out)`` (the packages' validation) on the packages the cache does not
    remember; the others' findings and results as remembered. Results in the tasks' order."""
    if cache is None:
        return list(run(tasks, jobs, out))
    known: dict[int, tuple[list[Finding], list[str], PackageResult]] = {}
    todo: list[tuple[int, _Task, str]] = []
    for index, task in enumerate(tasks):
        key = package_key(task)
        hit = recall(cache, key)
        if hit is not None and (hit[2].unit_id, hit[2].period) == (task.unit_id, task.period):
            known[index] = hit
        else:
            todo.append((index, task, key))
    fresh = Findings()
    done = {(r.unit_id, r.period): r for r in run([task for _i, task, _k in todo], jobs, fresh)}
    for index, task, key in todo:
        findings, truncated = split_findings(task, fresh)
        result = done.get((task.unit_id, task.period))
        if result is None:
            continue
        known[index] = (findings, truncated, result)
        if not any(f.type == "internal-error" for f in findings):
            remember(cache, key, findings, truncated, result)
    # Anything found outside the packages' folders (none expected) is kept too.
    out.merge(
        [f for f in fresh.items if not any(_belongs(f.file, t) for _i, t, _k in todo)],
        [f for f in fresh.truncated if not any(_belongs(f, t) for _i, t, _k in todo)],
    )
    results = []
    for index in sorted(known):
        findings, truncated, result = known[index]
        out.merge(findings, truncated)
        results.append(result)
    return results
