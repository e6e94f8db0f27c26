"""The machine-readable catalog: DCAT in JSON-LD (``catalog.jsonld``) and ``data.json``.

``data.json`` follows the Project Open Data metadata schema v1.1 (itself DCAT in JSON-LD); both
name the licence, the publisher, the temporal coverage (first to last day of the published
quarters), the update frequency (quarterly, ``R/P3M``) and the download URL of every
distribution. No wall-clock dates: "modified" is the latest date in the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.core.model import Portal
from generator.core.schema import resource_spec
from generator.core.urls import download_dir, path_for, zip_name
from generator.export.bulk import BULK_DIR, COMBINED_ZIP, PACKAGES_ZIP, BulkFile
from generator.export.jsonout import Ledger
from generator.export.sqlite import DB_NAME
from generator.export.tables import NO_DATA_DATE

MEDIA = {
    "csv": ("CSV", "text/csv"),
    "excel-csv": ("CSV（Excel）", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
    "datapackage": ("Data Package", "application/json"),
    "zip": ("ZIP", "application/zip"),
    "sqlite": ("SQLite", "application/vnd.sqlite3"),
}
#: The EU file-type authority's code of each kind (``dct:format`` in DCAT-AP); media types are
#: IANA's registry IRIs (``dcat:mediaType``).
FILE_TYPES = {
    "csv": "CSV",
    "excel-csv": "CSV",
    "xlsx": "XLSX",
    "json": "JSON",
    "datapackage": "JSON",
    "zip": "ZIP",
    "sqlite": "SQL",
}
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "title": {"@id": "dct:title", "@language": "zh"},
    "description": {"@id": "dct:description", "@language": "zh"},
    "publisher": {"@id": "dct:publisher"},
    "name": {"@id": "foaf:name", "@language": "zh"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "issued": {"@id": "dct:issued", "@type": "xsd:date"},
    "modified": {"@id": "dct:modified", "@type": "xsd:date"},
    "accrualPeriodicity": {"@id": "dct:accrualPeriodicity", "@type": "@id"},
    "temporal": {"@id": "dct:temporal"},
    "startDate": {"@id": "dcat:startDate", "@type": "xsd:date"},
    "endDate": {"@id": "dcat:endDate", "@type": "xsd:date"},
    "dataset": {"@id": "dcat:dataset", "@container": "@set"},
    "distribution": {"@id": "dcat:distribution", "@container": "@set"},
    "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "accessURL": {"@id": "dcat:accessURL", "@type": "@id"},
    "mediaType": {"@id": "dcat:mediaType"},
    "format": {"@id": "dct:format"},
    "byteSize": {"@id": "dcat:byteSize", "@type": "xsd:nonNegativeInteger"},
    "keyword": {"@id": "dcat:keyword", "@language": "zh"},
    "identifier": {"@id": "dct:identifier"},
    "landingPage": {"@id": "dcat:landingPage", "@type": "@id"},
    "conformsTo": {"@id": "dct:conformsTo", "@type": "@id"},
    "contactPoint": {"@id": "dcat:contactPoint"},
    "spatial": {"@id": "dct:spatial"},
    "fn": {"@id": "vcard:fn", "@language": "zh"},
    "note": {"@id": "vcard:note", "@language": "zh"},
    "hasURL": {"@id": "vcard:hasURL", "@type": "@id"},
    "prefLabel": {"@id": "skos:prefLabel", "@language": "zh"},
}
QUARTERLY = "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"


def coverage(portal: Portal) -> tuple[str, str]:
    """First and last day of the published quarters."""
    periods = portal.periods
    if not periods:
        return "", ""
    return periods[0].start.isoformat(), periods[-1].end.isoformat()


def data_date(portal: Portal) -> str:
    """The latest date in the data (meetings and hearings): the catalog's "modified"."""
    dates = [m.date for d in portal.disclosures for m in d.meetings]
    dates += [h.date for d in portal.disclosures for h in d.hearings]
    return max(dates, default=NO_DATA_DATE)


def _url(portal: Portal, path: str) -> str:
    base = portal.config.site_url.rstrip("/")
    return f"{base}/{path}" if base else f"/{path}"


def datasets(portal: Portal, bulk: list[BulkFile], sizes: dict[str, int]) -> list[dict[str, Any]]:
    """Neutral description of every dataset: whole-portal tables, bundles, unit-quarter packages."""
    start, end = coverage(portal)
    out: list[dict[str, Any]] = []

    def dist(path: str, kind: str, title: str) -> dict[str, Any]:
        fmt, media = MEDIA[kind]
        return {
            "path": path,
            "format": fmt,
            "mediaType": media,
            "fileType": FILE_TYPES[kind],
            "title": title,
            "byteSize": sizes.get(path, 0),
        }

    tables: dict[str, list[BulkFile]] = {}
    for item in bulk:
        tables.setdefault(item.table, []).append(item)
    whole = tables.pop("", [])
    out.append(
        {
            "id": "all",
            "title": f"{portal.config.title}全部数据",
            "description": "全部单位、全部季度的公开数据：合并数据包、SQLite 数据库和全部季度数据包。",
            "keywords": ["三重一大", "决策公开", "全部数据"],
            "start": start,
            "end": end,
            "landing": "downloads/",
            "distributions": [dist(f"{BULK_DIR}/{f.name}", f.kind, f.name) for f in whole],
        }
    )
    for table, files in tables.items():
        spec = resource_spec(table)
        out.append(
            {
                "id": f"table-{table}",
                "title": f"{spec['title']}（全部单位合并）",
                "description": spec["description"],
                "keywords": ["三重一大", spec["title"]],
                "start": start,
                "end": end,
                "landing": f"data/{table}/",
                "distributions": [dist(f"{BULK_DIR}/{f.name}", f.kind, f.name) for f in files],
            }
        )
    for dis in portal.disclosures:
        unit, period = dis.unit.unit_id, dis.period
        base = download_dir(dis)
        out.append(
            {
                "id": f"{unit}-{period}",
                "title": f"{dis.unit.name}{period.label}公开数据",
                "description": f"{dis.unit.name}{period.label}公开的权力清单、负面清单、决策结果和听证质询结果（数据包）。",
                "keywords": ["三重一大", dis.unit.short_name, period.label],
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "landing": path_for(dis),
                "distributions": [
                    dist(base + zip_name(dis), "zip", zip_name(dis)),
                    dist(f"{base}datapackage.json", "datapackage", "datapackage.json"),
                ],
            }
        )
    return out


def dcat(portal: Portal, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The catalog as DCAT-AP 3 wants it: licences, media types, formats, frequencies and landing
    pages as typed resources (IRIs), contact point, publisher and place from ``portal.yml``."""
    config = portal.config
    modified = data_date(portal)
    publisher = {"@type": "foaf:Agent", "name": config.publisher or config.title}
    licence = {"@id": config.licence_info["path"], "@type": "dct:LicenseDocument"}
    contact: dict[str, Any] = {
        "@type": ["vcard:Kind", "vcard:Organization"],
        "fn": config.operator or config.publisher or config.title,
    }
    if config.contact:
        contact["note"] = config.contact
    if config.site_url:
        contact["hasURL"] = _url(portal, "")
    place = {"spatial": {"@type": "dct:Location", "prefLabel": config.region}} if config.region else {}

    def page(path: str) -> dict[str, str]:
        return {"@id": _url(portal, path), "@type": "foaf:Document"}

    return {
        "@context": CONTEXT,
        "@id": _url(portal, "catalog.jsonld"),
        "@type": "dcat:Catalog",
        "title": config.title,
        "description": "“三重一大”决策公开数据目录：各单位按季度公开的权力清单、负面清单、决策结果和听证质询结果。",
        "publisher": publisher,
        "license": licence,
        "modified": modified,
        "landingPage": page(""),
        **place,
        "dataset": [
            {
                "@id": _url(portal, f"catalog.jsonld#{item['id']}"),
                "@type": "dcat:Dataset",
                "identifier": item["id"],
                "title": item["title"],
                "description": item["description"],
                "keyword": item["keywords"],
                "publisher": publisher,
                "license": licence,
                "contactPoint": contact,
                **place,
                "modified": modified,
                "accrualPeriodicity": {"@id": QUARTERLY, "@type": "dct:Frequency"},
                "temporal": {"@type": "dct:PeriodOfTime", "startDate": item["start"], "endDate": item["end"]},
                "landingPage": page(item["landing"]),
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": d["title"],
                        "downloadURL": _url(portal, d["path"]),
                        "accessURL": _url(portal, d["path"]),
                        "mediaType": {"@id": IANA + d["mediaType"], "@type": "dct:MediaType"},
                        "format": {"@id": FILE_TYPE + d["fileType"], "@type": "dct:MediaTypeOrExtent"},
                        "byteSize": d["byteSize"],
                        "license": licence,
                    }
                    for d in item["distributions"]
                ],
            }
            for item in items
        ],
    }


def data_json(portal: Portal, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Project Open Data v1.1 ``data.json``: plain JSON (no remote JSON-LD ``@context`` to fetch;
    the JSON-LD catalog is ``catalog.jsonld``), valid against the POD schema when ``site_url`` (its
    URLs absolute) and ``email`` (its contact point) are set. POD requires the US federal budget's
    bureau and program codes; a body that has none gives the form's empty codes ``000:00`` and
    ``000:000``."""
    config = portal.config
    modified = data_date(portal)
    contact: dict[str, Any] = {
        "@type": "vcard:Contact",
        "fn": config.operator or config.publisher or config.title,
    }
    if config.email:
        contact["hasEmail"] = f"mailto:{config.email}"
    return {
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": [
            {
                "@type": "dcat:Dataset",
                "identifier": _url(portal, f"catalog.jsonld#{item['id']}"),
                "title": item["title"],
                "description": item["description"],
                "keyword": item["keywords"],
                "modified": modified,
                "publisher": {"@type": "org:Organization", "name": config.publisher or config.title},
                "contactPoint": contact,
                "bureauCode": ["000:00"],
                "programCode": ["000:000"],
                "accessLevel": "public",
                "license": config.licence_info["path"],
                **({"spatial": config.region} if config.region else {}),
                "temporal": f"{item['start']}/{item['end']}",
                "accrualPeriodicity": "R/P3M",
                "landingPage": _url(portal, item["landing"]),
                "language": ["zh"],
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": d["title"],
                        "downloadURL": _url(portal, d["path"]),
                        "mediaType": d["mediaType"],
                        "format": d["format"],
                    }
                    for d in item["distributions"]
                ],
            }
            for item in items
        ],
    }


def write_catalog(
    portal: Portal,
    site_dir: Path,
    bulk: list[BulkFile],
    sizes: dict[str, int],
    ledger: Ledger | None = None,
) -> None:
    """Write ``catalog.jsonld`` and ``data.json`` (through ``ledger``, which records their hashes, if given)."""
    items = datasets(portal, bulk, sizes)
    ledger = ledger or Ledger(site_dir)
    for name, data in (("catalog.jsonld", dcat(portal, items)), ("data.json", data_json(portal, items))):
        ledger.write_json(name, data)


__all__ = ["COMBINED_ZIP", "DB_NAME", "PACKAGES_ZIP", "coverage", "data_date", "write_catalog"]
