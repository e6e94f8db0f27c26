"""The catalog judged by the standards' own checkers: ``catalog.jsonld`` against the DCAT-AP 3.0.1
SHACL shapes (pyshacl), ``data.json`` against the Project Open Data 1.1 JSON Schema (jsonschema),
both offline, with the shapes and schemas vendored in ``tests/shapes/``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import rdflib
from jsonschema import Draft4Validator
from pyshacl import validate
from referencing import Registry
from referencing.jsonschema import DRAFT4

from generator.build import build

from .conftest import MINI_DATA

SHAPES = Path(__file__).parent / "shapes"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SETTINGS = (
    "site_url: https://gongkai.example.gov.cn/\n"
    "email: gongkai@example.gov.cn\n"
    "operator: 示例市纪委监委办公室\n"
    "contact: 电话 0000-00000000\n"
)


def dcat_ap_shapes() -> rdflib.Graph:
    shapes = rdflib.Graph()
    for name in ("dcat-ap-SHACL.ttl", "ranges.ttl"):
        shapes.parse(SHAPES / "dcat-ap-3.0.1" / name)
    undefined = [o for o in set(shapes.objects(None, SH.property)) if (o, SH.path, None) not in shapes]
    assert len(undefined) == 5  # the five that ranges.ttl names and never defines
    for shape in undefined:
        shapes.remove((None, SH.property, shape))
    return shapes


def shacl_results(site: Path) -> list[str]:
    data = rdflib.Graph()
    data.parse(
        data=(site / "catalog.jsonld").read_text(encoding="utf-8"),
        format="json-ld",
        base="https://x.example/",
    )
    _, report, _ = validate(data, shacl_graph=dcat_ap_shapes(), inference="none")
    return [
        f"{report.value(r, SH.resultPath)}: {report.value(r, SH.resultMessage)}"
        for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    ]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("catalog")
    built = {}
    for name, extra in (("addressed", SETTINGS), ("plain", "")):
        data = base / name / "data"
        shutil.copytree(MINI_DATA, data)
        config = data / "portal.yml"
        config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
        build(data, base / name / "site", log=None)
        built[name] = base / name / "site"
    return built


def test_the_catalog_passes_the_dcat_ap_3_shapes_with_its_contact_publisher_and_place(
    sites: dict[str, Path],
) -> None:
    for site in sites.values():
        assert shacl_results(site) == []
    catalog = json.loads((sites["addressed"] / "catalog.jsonld").read_text(encoding="utf-8"))
    dataset = catalog["dataset"][0]
    assert (
        dataset["contactPoint"]["fn"] == "示例市纪委监委办公室"
        and dataset["contactPoint"]["note"] == "电话 0000-00000000"
    )
    assert dataset["publisher"]["name"] and dataset["spatial"]["prefLabel"] == "示例市"
    distribution = dataset["distribution"][0]
    assert distribution["mediaType"]["@id"].startswith("https://www.iana.org/assignments/media-types/")


def test_the_shapes_catch_what_the_catalog_used_to_get_wrong(sites: dict[str, Path], tmp_path: Path) -> None:
    """Break the catalog as it was (media type and licence as plain text): the shapes say so."""
    catalog = json.loads((sites["addressed"] / "catalog.jsonld").read_text(encoding="utf-8"))
    catalog["license"] = catalog["license"]["@id"]
    for dataset in catalog["dataset"]:
        dataset["license"] = dataset["license"]["@id"]
        for distribution in dataset["distribution"]:
            distribution["mediaType"] = distribution["mediaType"]["@id"].rsplit("/", 2)[-2] + "/csv"
            distribution["license"] = distribution["license"]["@id"]
    (tmp_path / "catalog.jsonld").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    results = shacl_results(tmp_path)
    assert any("mediaType" in r for r in results) and any("license" in r for r in results)


def pod_validator() -> Draft4Validator:
    schemas = {
        name: json.loads((SHAPES / "pod-1.1" / name).read_text(encoding="utf-8"))
        for name in ("catalog.json", "dataset.json", "distribution.json", "organization.json", "vcard.json")
    }
    registry: Registry[Any] = Registry().with_resources(
        (schema["id"].rstrip("#"), DRAFT4.create_resource(schema)) for schema in schemas.values()
    )
    return Draft4Validator(
        schemas["catalog.json"], registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def test_data_json_is_valid_project_open_data_and_needs_nothing_online(sites: dict[str, Path]) -> None:
    data = json.loads((sites["addressed"] / "data.json").read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in pod_validator().iter_errors(data)]
    assert errors == []
    assert "@context" not in data  # nothing to fetch: the JSON-LD catalog is catalog.jsonld
    urls = [d["landingPage"] for d in data["dataset"]]
    urls += [x["downloadURL"] for d in data["dataset"] for x in d["distribution"]]
    assert all(url.startswith("https://gongkai.example.gov.cn/") for url in urls)
    assert data["dataset"][0]["contactPoint"]["hasEmail"] == "mailto:gongkai@example.gov.cn"
    # Without an address and an e-mail it cannot be valid POD, and the validator says so.
    plain = json.loads((sites["plain"] / "data.json").read_text(encoding="utf-8"))
    assert any("hasEmail" in e.message for e in pod_validator().iter_errors(plain))
