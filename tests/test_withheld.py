"""依法不予公开: a decision (and its hearing) withheld by law is published as a placeholder with its
legal basis, and its withheld fields reach no page, search index, download, database or API file.

The story: 市发改委党组 marks one decision and its hearing as withheld; every withheld field carries
a marker string. After a real build, every file of the site (and of the build cache) is read, zips
and XLSX unpacked, Pagefind's gzip files decompressed: the marker is nowhere, the placeholder page
shows the basis, the downloads carry the placeholder and still pass ``frictionless validate``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import BuildFailed, build, check
from generator.core.datatree import package_dirs
from generator.core.schema import field_names
from generator.guard.redact import DECISION_TITLE, HEARING_SUBJECT, redact_data
from generator.rules import check_portal
from generator.sources.load import load_portal
from generator.validate import validate_data
from tests.test_cache_hostile import unpack

from .conftest import DEMO_DATA, MINI_DATA, search_fragments, upgrade_package

MARKER = "机密标记QZXMARK"
AMOUNT = "987654321"
BASIS = "《中华人民共和国保守国家秘密法》第十三条"
PACKAGE = "fgw/2025Q1"
DECISION = "jc2025-001"
HEARING = "tz2025-001"
FRICTIONLESS = str(Path(sys.executable).parent / "frictionless")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, table: str, rows: list[dict[str, str]]) -> None:
    names = field_names(table)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[row.get(name) or "" for name in names] for row in rows])


def withhold(data: Path, *, basis: str = BASIS, hearing: bool = True) -> None:
    """Withhold DECISION (and its hearing) in PACKAGE, with MARKER in every field that is withheld."""
    package = data / PACKAGE
    upgrade_package(package)
    decisions = _rows(package / "decisions.csv")
    for row in decisions:
        if row["decision_id"] == DECISION:
            row.update(
                title=f"关于{MARKER}项目的决定",
                summary=f"同意{MARKER}项目。",
                amount_yuan=AMOUNT,
                pre_expert_review="不适用",
                exemption_reason=f"{MARKER}无需论证",
                execution_note=f"{MARKER}正在推进",
                withheld="是",
                withheld_basis=basis,
            )
    _write(package / "decisions.csv", "decisions", decisions)
    stances = _rows(package / "stances.csv")
    for row in stances:
        if row["decision_id"] == DECISION and row["order"] == "1":
            row.update(stance="不同意", remark=f"{MARKER}风险较大")
    _write(package / "stances.csv", "stances", stances)
    hearings = _rows(package / "hearings.csv")
    for row in hearings:
        if row["hearing_id"] == HEARING:
            row.update(
                subject=f"{MARKER}听证会",
                participants=f"{MARKER}代表9人",
                outcome=f"{MARKER}获得支持",
                satisfaction_rate="97.3",
                withheld="是" if hearing else "",
                withheld_basis=basis if hearing else "",
            )
    _write(package / "hearings.csv", "hearings", hearings)


@pytest.fixture(scope="module")
def withheld_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("withheld") / "data"
    shutil.copytree(MINI_DATA, data)
    withhold(data)
    out = data.parent / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_CACHE_DIR", str(data.parent / "cache"))  # read below with the site
        build(data, out, log=None)
    return out


def _contents(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """A file's bytes, and, for zips (XLSX included), gzip files and the cache's packs of search
    bundles, what they contain."""
    yield name, data
    if name.endswith(".pack"):
        for inner, content in unpack(Path(name))[1].items():
            yield from _contents(f"{name}!{inner}", content)
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                yield from _contents(f"{name}!{info.filename}", archive.read(info))
    elif data[:2] == b"\x1f\x8b":
        yield from _contents(f"{name}!gunzip", gzip.decompress(data))


def test_withheld_fields_reach_no_file_of_the_site(withheld_site: Path) -> None:
    checked, unpacked, packed = 0, 0, 0
    roots = [withheld_site, withheld_site.parent / "cache"]
    assert any((withheld_site.parent / "cache" / "pagefind").iterdir())
    for path in sorted(p for root in roots for p in root.rglob("*") if p.is_file()):
        for name, data in _contents(str(path), path.read_bytes()):
            checked += 1
            unpacked += "!" in name
            packed += ".pack!" in name
            lowered = data.lower()
            assert MARKER.encode() not in data and b"qzxmark" not in lowered, name
            assert MARKER.encode("utf-16-le") not in data, name  # SQLite may store text as UTF-16
            assert AMOUNT.encode() not in data, name
    kinds = {p.suffix for p in withheld_site.rglob("*") if p.is_file()}
    assert {".html", ".json", ".csv", ".xlsx", ".db", ".zip", ".pf_fragment"} <= kinds
    # the zips, workbooks and Pagefind files were opened, those of the search bundles in the cache too
    assert checked > 500 and unpacked > 100 and packed > 10


def test_placeholder_page_keeps_the_url_and_shows_the_basis(withheld_site: Path) -> None:
    page = withheld_site / "decisions" / "fgw" / DECISION / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.gk-decision")
    assert article is not None
    assert article.h1.get_text(strip=True) == DECISION_TITLE
    notice = article.select_one(".gk-withheld").get_text(" ", strip=True)
    assert "依法不予公开" in notice and BASIS in notice
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in article.select("dt")
    }
    assert facts["不予公开依据"] == BASIS
    assert facts["事项类别"] == "重大项目安排" and "2025-0" in facts["会议"]
    assert facts["涉及金额"] == facts["执行说明"] == facts["权力依据"] == "依法不予公开"
    remarks = [
        row.select("td")[4].get_text(strip=True) for row in article.select("table.gk-stances tbody tr")
    ]
    assert remarks and set(remarks) == {"依法不予公开"}
    stances = [
        row.select("td")[3].get_text(strip=True) for row in article.select("table.gk-stances tbody tr")
    ]
    assert stances[0] == "不同意"  # who stated which position stays public
    hearing = withheld_site / "hearings" / "fgw" / HEARING / "index.html"
    text = BeautifulSoup(hearing.read_text(encoding="utf-8"), "html.parser").select_one("article").get_text()
    assert HEARING_SUBJECT in text and BASIS in text


def test_unit_quarter_page_lists_the_placeholder(withheld_site: Path) -> None:
    page = withheld_site / "units" / "fgw" / "2025Q1" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = [
        a for a in soup.select("table.gk-decisions a") if a["href"].endswith(f"decisions/fgw/{DECISION}/")
    ]
    assert links and links[0].get_text(strip=True) == DECISION_TITLE
    assert links[0].parent.select_one(".gk-tag--withheld").get_text(strip=True) == "依法不予公开"


def test_downloads_carry_the_placeholder_and_pass_frictionless(withheld_site: Path, tmp_path: Path) -> None:
    folder = withheld_site / "downloads" / "fgw" / "2025Q1"
    row = next(r for r in _rows(folder / "decisions.csv") if r["decision_id"] == DECISION)
    assert row["title"] == DECISION_TITLE and row["summary"] == "依法不予公开"
    assert row["withheld"] == "是" and row["withheld_basis"] == BASIS
    assert (
        row["amount_yuan"] == row["execution_note"] == row["exemption_reason"] == row["power_item_id"] == ""
    )
    assert row["category"] == "重大项目安排" and row["result"]  # the skeleton stays
    hearing = next(r for r in _rows(folder / "hearings.csv") if r["hearing_id"] == HEARING)
    assert hearing["subject"] == HEARING_SUBJECT and hearing["satisfaction_rate"] == ""
    other = next(r for r in _rows(folder / "decisions.csv") if r["decision_id"] != DECISION)
    assert other["title"] and other["withheld"] in ("否", "")
    with zipfile.ZipFile(next(folder.glob("*.zip"))) as archive:
        archive.extractall(tmp_path)
    unzipped = tmp_path / "datapackage.json"  # the package at the top of its zip
    for descriptor in (
        folder / "datapackage.json",
        unzipped,
        withheld_site / "downloads/all/datapackage.json",
    ):
        result = subprocess.run(
            [FRICTIONLESS, "validate", str(descriptor)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    api = json.loads((withheld_site / "api" / "decisions" / "fgw" / f"{DECISION}.json").read_text("utf-8"))
    assert DECISION_TITLE in json.dumps(api, ensure_ascii=False)


def test_search_index_holds_the_placeholder_and_its_basis(withheld_site: Path) -> None:
    fragments = search_fragments(withheld_site / "pagefind")
    placeholder = fragments[f"/decisions/fgw/{DECISION}/"]
    assert placeholder["meta"]["title"] == DECISION_TITLE
    content = placeholder["content"].replace("\u200b", "")  # Pagefind marks word breaks with U+200B
    assert "依法不予公开" in content and BASIS in content
    hearing = fragments[f"/hearings/fgw/{HEARING}/"]
    assert HEARING_SUBJECT in hearing["meta"]["title"]


def test_rules_judge_only_what_a_withheld_decision_keeps(withheld_site: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    withhold(data)
    view = redact_data(data, tmp_path / "view")
    report = check_portal(load_portal(data, view.sources))
    judged = {o.rule for o in report.for_record("fgw", f"decision:{DECISION}")}
    # 不同意 without a published reason, 不适用 without a published exemption reason, no published
    # power item: none of these may be reported against a withheld decision.
    assert not judged & {"dissent_recorded", "five_preconditions", "power_basis", "negative_list"}
    assert "last_stance" in judged
    assert not [o for o in report.findings if o.record == f"decision:{DECISION}"]
    # The same decision, published, is judged by every rule (the test above can fail).
    public = {o.rule for o in check_portal(load_portal(MINI_DATA)).for_record("fgw", f"decision:{DECISION}")}
    assert {"power_basis", "five_preconditions"} <= public


def test_only_packages_with_withheld_records_are_copied(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    withhold(data)
    view = redact_data(data, tmp_path / "view")
    assert list(view.sources) == [PACKAGE] and view.withheld == 2
    assert len(package_dirs(data)) == 3  # the other two packages are read where they are
    portal = load_portal(data, view.sources)
    decision = next(d for d in portal.decisions() if d.decision_id == DECISION)
    assert decision.withheld and decision.title == DECISION_TITLE and decision.amount_yuan is None
    assert portal.data_dir == data  # git-based checks still read the real data directory


def test_packages_written_before_the_withheld_columns_stay_valid(tmp_path: Path) -> None:
    header = (MINI_DATA / PACKAGE / "decisions.csv").read_text(encoding="utf-8").partition("\n")[0]
    assert "withheld" not in header  # the fixture is in the earlier format
    assert validate_data(MINI_DATA, jobs=1).valid
    assert not any(d.withheld for d in load_portal(MINI_DATA).decisions())


def _errors(data: Path) -> list[str]:
    report = validate_data(data, jobs=1)
    assert not report.valid
    return [f.message for f in report.errors]


def test_withheld_without_basis_is_a_validation_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    withhold(data, basis="")
    messages = _errors(data)
    assert any(
        "fgw/2025Q1/decisions.csv 第 2 行“不予公开依据（withheld_basis）”" in m and "必须填写" in m
        for m in messages
    ), messages
    assert any("fgw/2025Q1/hearings.csv 第 2 行" in m and "withheld_basis" in m for m in messages), messages
    with pytest.raises(BuildFailed) as failed:
        build(data, tmp_path / "site", log=None)
    assert "未生成网站" in failed.value.message and not (tmp_path / "site").exists()


def test_a_basis_needs_the_withheld_mark_and_a_hearing_follows_its_decision(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    withhold(data, hearing=False)
    package = data / PACKAGE
    decisions = _rows(package / "decisions.csv")
    decisions[1].update(withheld="否", withheld_basis=BASIS)
    _write(package / "decisions.csv", "decisions", decisions)
    messages = _errors(data)
    assert any(
        "decisions.csv 第 3 行“依法不予公开（withheld）”" in m and "未填“是”" in m for m in messages
    ), messages
    assert any(
        "hearings.csv 第 2 行“关联决策事项（decision_id）”" in m and f"“{DECISION}”依法不予公开" in m
        for m in messages
    ), messages


def test_cli_exit_code_and_message_without_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    withhold(data, basis="")
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(data)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert run.returncode == 1 and "Traceback" not in run.stdout + run.stderr
    assert "不予公开依据（withheld_basis）" in run.stdout + run.stderr


def test_demo_portal_publishes_its_withheld_items_as_placeholders(demo_site: Path) -> None:
    withheld = [
        (ref, row)
        for ref in package_dirs(DEMO_DATA)
        for row in _rows(ref.path / "decisions.csv")
        if row["withheld"] == "是"
    ]
    assert len(withheld) == 2
    for ref, row in withheld:
        page = (demo_site / "decisions" / ref.unit_id / row["decision_id"] / "index.html").read_text("utf-8")
        assert DECISION_TITLE in page and row["withheld_basis"] in page
        assert row["title"] not in page and row["summary"] not in page
        published = (demo_site / "downloads" / ref.unit_id / str(ref.period) / "decisions.csv").read_text(
            "utf-8"
        )
        assert row["title"] not in published and row["summary"] not in published
        listing = (demo_site / "units" / ref.unit_id / str(ref.period) / "index.html").read_text("utf-8")
        assert row["title"] not in listing and DECISION_TITLE in listing


def test_a_fully_quoted_csv_is_redacted_too(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    withhold(data)
    for table in ("decisions", "stances", "hearings"):
        path = data / PACKAGE / f"{table}.csv"
        rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    assert validate_data(data, jobs=1).valid  # the same table, every cell in quotes
    view = redact_data(data, tmp_path / "view")
    published = view.sources[PACKAGE]
    for path in published.iterdir():
        assert MARKER not in path.read_text(encoding="utf-8"), path.name


def test_header_and_embedded_schema_must_agree_about_the_withheld_columns(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    earlier = (data / PACKAGE / "datapackage.json").read_bytes()
    upgrade_package(data / PACKAGE)
    (data / PACKAGE / "datapackage.json").write_bytes(earlier)  # new header, earlier schema
    messages = _errors(data)
    assert len(messages) == 2, messages  # decisions and hearings
    assert all("fgw/2025Q1/datapackage.json" in m and "表头有后来增加的列" in m for m in messages), messages


def test_gongkai_check_judges_the_published_view_as_the_build_does(tmp_path: Path) -> None:
    """``gongkai check`` and the build share their first stages: the rules see a withheld decision
    as published (redacted), so check never reports what the site would not."""
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    withhold(data)
    checked = check(data)
    assert checked.validation.valid and checked.rules is not None and checked.portal is not None
    judged = {o.rule for o in checked.rules.for_record("fgw", f"decision:{DECISION}")}
    assert "last_stance" in judged and not judged & {"power_basis", "five_preconditions"}
    decision = next(d for d in checked.portal.decisions() if d.decision_id == DECISION)
    assert decision.withheld and decision.amount_yuan is None
