"""Validation of the tree around the packages: the walk (only regular files and folders), portal.yml
and the bounds it sets, the unit registry, and the layout of unit and quarter folders."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.config import (
    CONFIG_FILE,
    REGISTRATION_NUMBERS,
    ConfigError,
    PortalConfig,
    load_config,
)
from generator.core.datatree import (
    DESCRIPTOR,
    ID_RE,
    REGISTRY_CSV,
    Period,
    Tree,
    scan_tree,
    shown_name,
)
from generator.core.schema import (
    REGISTRY_RESOURCE,
)
from generator.validate.base import Bounds, _internal_error, _special_finding, _strings, _Task
from generator.validate.collect import Findings as _Findings
from generator.validate.collect import place_of
from generator.validate.csvfile import _check_table
from generator.validate.descriptor import _check_descriptor
from generator.validate.privacy import personal_info_text_findings


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
