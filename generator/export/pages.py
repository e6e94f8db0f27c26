"""The open-data pages: 数据下载 (slot) and 数据字典 per table (更新记录: ``generator.release.pages``).

Rendered by jinja2 from ``theme/templates/opendata_*.html`` and ``slot_downloads.html`` /
``slot_changelog.html``; record-like pages go into the MkDocs page shells (``generator.render.shell``).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from generator.core.datatree import override_templates
from generator.core.files import size_text
from generator.core.model import Portal
from generator.core.schema import resource_spec
from generator.core.urls import download_dir, path_for, zip_name
from generator.export.api import citation
from generator.export.bulk import BULK_DIR, BulkFile
from generator.export.catalog import MEDIA, coverage
from generator.render.shell import SITE_FILES, ThemedSite, fill_slots

KIND_LABELS = {
    "csv": "CSV（UTF-8）",
    "excel-csv": "CSV（Excel 专用，带 BOM）",
    "xlsx": "Excel 工作簿（XLSX）",
    "json": "JSON",
    "datapackage": "数据包描述（datapackage.json）",
    "zip": "ZIP 压缩包",
    "sqlite": "SQLite 数据库",
}
CHANGE_LABELS = {"added": "新增", "changed": "更正", "withdrawn": "撤回"}
LIST_LIMIT = 200


#: The name the open-data templates (and portals' overrides of them) call it by.
human_size = size_text


def environment(template_dirs: list[Path] | None = None) -> Environment:
    """The open-data pages' jinja2 environment: a portal's own templates (``template_dirs``) first."""
    env = Environment(
        loader=FileSystemLoader(
            [str(d) for d in [*(template_dirs or []), SITE_FILES / "theme" / "templates"]]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(human_size=human_size, kind_labels=KIND_LABELS, change_labels=CHANGE_LABELS)
    return env


def _downloads_context(
    portal: Portal,
    bulk: list[BulkFile],
    sizes: dict[str, int],
    feeds: list[tuple[str, str, int]],
    site_dir: Path,
) -> dict[str, Any]:
    tables: dict[str, dict[str, Any]] = {}
    whole = []
    for item in bulk:
        entry = {
            "path": f"{BULK_DIR}/{item.name}",
            "name": item.name,
            "kind": KIND_LABELS[item.kind] + (f"；{item.note}" if item.note else ""),
            "size": sizes[f"{BULK_DIR}/{item.name}"],
            "rows": item.rows,
        }
        if item.table:
            spec = resource_spec(item.table)
            tables.setdefault(
                item.table, {"name": item.table, "title": spec["title"], "rows": item.rows, "files": []}
            )
            tables[item.table]["files"].append(entry)
        else:
            whole.append(entry)
    # Each package once: its ZIP, its rows and the page of its quarter, where each of its files is
    # listed with its rows and size (a line a package, not a table: the page grows with the portal).
    quarters: dict[str, dict[str, Any]] = {}
    by_zip = sorted(portal.disclosures, key=lambda d: download_dir(d) + zip_name(d))
    for dis in sorted(by_zip, key=lambda d: d.period, reverse=True):  # newest quarter first
        zip_path = download_dir(dis) + zip_name(dis)
        quarter = quarters.setdefault(
            str(dis.period), {"period": dis.period.label, "id": str(dis.period), "packages": []}
        )
        quarter["packages"].append(
            {
                "unit": dis.unit.name,
                "page": path_for(dis) + "#downloads",
                "zip": {"path": zip_path, "name": zip_name(dis), "size": sizes[zip_path]},
                "rows": sum(dis.table_rows().values()),
            }
        )
    registry = [
        {
            "path": p,
            "name": p.rsplit("/", 1)[1],
            "size": sizes[p],
            "rows": len(portal.units) if p.endswith(".csv") else None,
        }
        for p in ("downloads/datapackage.json", "downloads/units.csv")
    ]
    others = [
        {"path": path, "name": title, "size": _size(site_dir, path, sizes), "rows": entries}
        for path, title, entries in feeds
    ]
    meta = [
        {"path": name, "name": label, "size": _size(site_dir, name, sizes)}
        for name, label in (
            ("catalog.jsonld", "数据目录（DCAT，JSON-LD）"),
            ("data.json", "数据目录（data.json）"),
        )
    ]
    start, end = coverage(portal)
    return {
        "tables": list(tables.values()),
        "whole": whole,
        "quarters": list(quarters.values()),
        "registry": registry,
        "feeds": others,
        "meta": meta,
        "start": start,
        "end": end,
        "licence": portal.config.licence_info,
        "cite": citation(portal, "决策事项名称", "decisions/<单位编号>/<事项编号>/"),
    }


def table_title(name: str) -> str:
    return str(resource_spec(name)["title"])


def write_pages(
    portal: Portal,
    themed: ThemedSite,
    bulk: list[BulkFile],
    sizes: dict[str, int],
    feeds: list[tuple[str, str, int]],
) -> None:
    from generator.render.pages import data_dictionary

    site_dir = themed.site_dir
    env = environment(override_templates(portal.data_dir))
    env.globals.update(table_title=table_title, licence=portal.config.licence_info)
    downloads = site_dir / "downloads" / "index.html"
    if downloads.is_file():
        context = _downloads_context(portal, bulk, sizes, feeds, site_dir)
        fill_slots(
            downloads, {"downloads": env.get_template("slot_downloads.html").render(root="../", **context)}
        )

    shell = themed.shells.get(2)
    if shell is None:
        return
    for table in data_dictionary():
        files = [b for b in bulk if b.table == table["name"]]
        body = env.get_template("opendata_table.html").render(
            root="../../",
            t=table,
            files=[
                {
                    "path": f"{BULK_DIR}/{b.name}",
                    "kind": KIND_LABELS[b.kind] + (f"；{b.note}" if b.note else ""),
                    "size": sizes[f"{BULK_DIR}/{b.name}"],
                    "rows": b.rows,
                }
                for b in files
            ],
            cite=citation(portal, f"{table['title']}（{table['path']}）", f"data/{table['name']}/"),
        )
        target = site_dir / "data" / table["name"] / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shell.fill(escape(f"数据字典：{table['title']}"), body), encoding="utf-8")


__all__ = ["MEDIA", "environment", "human_size", "write_pages"]


def _size(site_dir: Path, path: str, sizes: dict[str, int]) -> int:
    """The size of a written (or kept) file: from ``sizes`` if it has it, else from the staged site."""
    return sizes[path] if path in sizes else (site_dir / path).stat().st_size
