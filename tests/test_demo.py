"""The demo data generator: the committed 示例市 portal and synthetic trees of any size."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml
from frictionless import validate

from generator.cli import main
from generator.core.datatree import ID_RE, Period, package_dirs
from generator.core.schema import PACKAGE_RESOURCES, field_names
from generator.demo import IRREGULARITIES, DemoError, write_demo, write_sample_city
from generator.validate import validate_data

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PILOT_UNITS = ["swei", "xianwei", "fgw", "scjg", "rmyy", "nyjt"]  # seed 000's six pilot units
SAMPLE_UNITS = [*PILOT_UNITS, "zhen"]  # and one township (seed 004)
FORBIDDEN_FOR_PRINCIPAL = ("财务", "人事", "采购", "工程")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tree_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seven units (every profile, then a wrap-around) over two quarters."""
    out = tmp_path_factory.mktemp("small") / "data"
    write_demo(out, units=7, quarters=2, decisions_per_quarter=9, seed=7)
    return out


# --- the committed sample city ----------------------------------------------------------------


def test_committed_data_is_exactly_the_generator_output(tmp_path: Path) -> None:
    fresh = tmp_path / "data"
    write_sample_city(fresh)
    committed, generated = tree_files(DATA), tree_files(fresh)
    assert sorted(committed) == sorted(generated), "data/ 的文件列表与 write_sample_city() 不一致，请重新生成"
    changed = [name for name in generated if committed[name] != generated[name]]
    assert not changed, f"data/ 与 write_sample_city() 输出不一致：{changed[:5]}"


def test_sample_city_matches_the_pilot_counts() -> None:
    units = read(DATA / "units.csv")
    assert [u["unit_id"] for u in units] == SAMPLE_UNITS
    assert {u["unit_id"]: u["name"] for u in units if u["unit_id"] in PILOT_UNITS} == {
        "swei": "中共示例市委员会",
        "xianwei": "中共示例县委员会",
        "fgw": "中共示例市发展和改革委员会党组",
        "scjg": "中共示例市城市监督管理局党组",
        "rmyy": "中共示例市人民医院委员会",
        "nyjt": "示例能源集团有限公司党委",
    }
    all_refs = package_dirs(DATA)
    assert [r.key for r in all_refs] == [
        f"{u}/{p}" for u in sorted(SAMPLE_UNITS) for p in ("2025Q1", "2025Q2")
    ]
    refs = [r for r in all_refs if r.unit_id in PILOT_UNITS]
    meetings = sum(len(read(r.path / "meetings.csv")) for r in refs)
    decisions = sum(len(read(r.path / "decisions.csv")) for r in refs)
    assert (meetings, decisions) == (82, 405)
    power = negative = 0
    for unit in PILOT_UNITS:
        q1, q2 = DATA / unit / "2025Q1", DATA / unit / "2025Q2"
        for name in ("members.csv", "power_list.csv", "power_steps.csv", "negative_list.csv"):
            assert (q1 / name).read_bytes() == (q2 / name).read_bytes(), f"{unit} {name} 跨季度应保持不变"
        power += len(read(q1 / "power_list.csv"))
        negative += len(read(q1 / "negative_list.csv"))
    assert (power, negative) == (172, 114)
    assert (DATA / "swei" / "2025Q1" / "meetings.csv").read_text(encoding="utf-8").count("常委会会议") >= 1


def test_sample_township_shows_the_township_practices() -> None:
    """Seed 004: the principal directly runs none of personnel, special funds, construction and
    public trading (四不直接分管), states a position last (末位表态), and the 党政联席会议 votes (票决)."""
    unit = next(u for u in read(DATA / "units.csv") if u["unit_id"] == "zhen")
    assert (unit["unit_type"], unit["short_name"], unit["principal_title"]) == (
        "乡镇党委",
        "示例镇党委",
        "镇党委书记",
    )
    for period in ("2025Q1", "2025Q2"):
        package = DATA / "zhen" / period
        members = read(package / "members.csv")
        principal = next(m for m in members if m["is_principal"] == "是")
        assert principal["position"] == "镇党委书记"
        mayor = next(m for m in members if m["position"].endswith("镇长") and "副" not in m["position"][-3:])
        for leader in (principal, mayor):  # both 党政正职
            assert not any(
                word in leader["portfolio"] for word in ("财务", "人事", "资金", "工程", "交易", "采购")
            )
        others = " ".join(m["portfolio"] for m in members if m not in (principal, mayor))
        assert all(
            word in others
            for word in ("人事", "专项资金", "工程项目", "公共资源交易", "协助镇长负责财务审核")
        )
        negatives = " ".join(n["content"] for n in read(package / "negative_list.csv"))
        assert "四不直接分管" in negatives
        meetings = read(package / "meetings.csv")
        assert meetings and {m["meeting_type"] for m in meetings} == {"党政联席会议"}
        decisions = read(package / "decisions.csv")
        assert len(decisions) >= 16
        for d in decisions:
            expected = "无记名票决" if d["category"] == "重要干部任免" else "记名票决"
            assert d["vote_method"] == expected, (period, d["decision_id"])
        by_decision: dict[str, list[dict[str, str]]] = {}
        for s in read(package / "stances.csv"):
            by_decision.setdefault(s["decision_id"], []).append(s)
        for stances in by_decision.values():
            assert max(stances, key=lambda s: int(s["order"]))["member_id"] == principal["member_id"]
    categories = {
        d["category"] for p in ("2025Q1", "2025Q2") for d in read(DATA / "zhen" / p / "decisions.csv")
    }
    assert categories == {"重大事项决策", "重要干部任免", "重大项目安排", "大额度资金运作"}


def test_older_packages_without_the_new_meeting_type_stay_valid(mini_data: Path) -> None:
    """党政联席会议 was added to the meeting types later: the mini fixture's packages embed the
    earlier list and are still valid, while their rows may not use a value outside any list."""
    assert "党政联席会议" not in (mini_data / "fgw" / "2025Q1" / "datapackage.json").read_text(
        encoding="utf-8"
    )
    report = validate_data(mini_data, jobs=1)
    assert report.valid, [f.message for f in report.errors][:3]


def test_portal_settings() -> None:
    settings = yaml.safe_load((DATA / "portal.yml").read_text(encoding="utf-8"))
    assert settings == {
        "title": "示例市“三重一大”决策公开平台",
        "region": "示例市",
        "publisher": "示例市纪委监委（示例）",
        "demo": True,
        "licence": "CC-BY-4.0",
        "rules": {"timely_disclosure": {"enabled": False}},
        "sponsor": "示例市纪委监委（示例）",
        "operator": "示例市纪委监委办公室（示例）",
        "contact": "电话 0000-00000000（示例）",
        "icp": "示ICP备00000000号（示例）",
        "police_record": "示公网安备00000000000000号（示例）",
        "site_code": "0000000000（示例）",
    }


def irregularities(root: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    for ref in package_dirs(root):
        principal = next(m["member_id"] for m in read(ref.path / "members.csv") if m["is_principal"] == "是")
        by_decision: dict[str, list[dict[str, str]]] = {}
        for s in read(ref.path / "stances.csv"):
            by_decision.setdefault(s["decision_id"], []).append(s)
        found["principal_not_last"] += sum(
            max(stances, key=lambda s: int(s["order"]))["member_id"] != principal
            for stances in by_decision.values()
        )
        for m in read(ref.path / "meetings.csv"):
            found["notice_same_day"] += m["notice_date"] == m["date"]
            found["not_recorded"] += m["recorded"] == "否"
        for s in read(ref.path / "stances.csv"):
            found["dissent_no_remark"] += s["stance"] == "不同意" and not s["remark"]
        for d in read(ref.path / "decisions.csv"):
            found["no_power_item"] += not d["power_item_id"]
            pre = [d[f] for f in field_names("decisions") if f.startswith("pre_")]
            found["pre_incomplete"] += "未完成" in pre and not d["exemption_reason"]
            found["cadre_show_of_hands"] += (
                d["category"] == "重要干部任免" and d["vote_method"] != "无记名票决"
            )
            found["principal_leads_funds"] += (
                d["category"] == "大额度资金运作" and d["lead_member_id"] == principal
            )
    return found


def test_sample_city_has_each_deliberate_irregularity_exactly_once() -> None:
    assert irregularities(DATA) == Counter(dict.fromkeys(IRREGULARITIES, 1))


# --- validity and consistency of every package ---------------------------------------------------


@pytest.mark.parametrize("which", ["sample", "synthetic"])
def test_every_package_passes_frictionless_validation(which: str, small_tree: Path) -> None:
    root = DATA if which == "sample" else small_tree
    descriptors = [root / "datapackage.json"] + [r.path / "datapackage.json" for r in package_dirs(root)]
    assert len(descriptors) > 1
    for descriptor in descriptors:
        report = validate(str(descriptor))
        assert report.valid, (descriptor, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5])


@pytest.mark.parametrize("which", ["sample", "synthetic"])
def test_packages_are_internally_consistent(which: str, small_tree: Path) -> None:
    root = DATA if which == "sample" else small_tree
    seen_ids: dict[str, set[str]] = {}
    for ref in package_dirs(root):
        period: Period = ref.period
        for name in PACKAGE_RESOURCES:
            raw = (ref.path / f"{name}.csv").read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
            assert raw.decode("utf-8").split("\n", 1)[0] == ",".join(field_names(name))
        members = {m["member_id"]: m for m in read(ref.path / "members.csv")}
        principals = [m for m in members.values() if m["is_principal"] == "是"]
        assert 5 <= len(members) <= 9 and len(principals) == 1 and principals[0]["rank"] == "1"
        assert not any(word in principals[0]["portfolio"] for word in FORBIDDEN_FOR_PRINCIPAL)
        assert len({m["name"] for m in members.values()}) == len(members)
        principal = principals[0]["member_id"]

        steps = Counter(s["item_id"] for s in read(ref.path / "power_steps.csv"))
        power_ids = [p["item_id"] for p in read(ref.path / "power_list.csv")]
        assert set(steps) == set(power_ids) and all(3 <= n <= 7 for n in steps.values())

        meetings = {m["meeting_id"]: m for m in read(ref.path / "meetings.csv")}
        for m in meetings.values():
            day, notice = date.fromisoformat(m["date"]), date.fromisoformat(m["notice_date"])
            assert period.contains(m["date"]) and day.weekday() < 5 and notice <= day
            assert m["host_member_id"] == principal and m["members_total"] == str(len(members))
            assert int(m["members_present"]) in (len(members), len(members) - 1)

        decisions = read(ref.path / "decisions.csv")
        hearings = {h["hearing_id"]: h for h in read(ref.path / "hearings.csv")}
        for h in hearings.values():
            assert period.contains(h["date"]) and int(h["opinions_adopted"]) <= int(h["opinions_received"])
        for d in decisions:
            if d["hearing_id"]:
                assert hearings[d["hearing_id"]]["decision_id"] == d["decision_id"]
            if d["category"] == "重要干部任免":
                assert not d["amount_yuan"]
        linked = {h["decision_id"]: h["hearing_id"] for h in hearings.values() if h["decision_id"]}
        assert linked == {d["decision_id"]: d["hearing_id"] for d in decisions if d["hearing_id"]}

        # ids never reused within a unit across quarters
        for kind, ids in (
            ("meeting", list(meetings)),
            ("decision", [d["decision_id"] for d in decisions]),
            ("hearing", list(hearings)),
        ):
            assert all(ID_RE.match(i) for i in ids)
            bucket = seen_ids.setdefault(f"{ref.unit_id}:{kind}", set())
            assert not bucket & set(ids), f"{ref.key} 重复使用了{kind}编号"
            bucket.update(ids)


@pytest.mark.parametrize("which", ["sample", "synthetic"])
def test_every_present_member_states_once_and_the_principal_last(which: str, small_tree: Path) -> None:
    root = DATA if which == "sample" else small_tree
    for ref in package_dirs(root):
        members = read(ref.path / "members.csv")
        principal = next(m["member_id"] for m in members if m["is_principal"] == "是")
        present = {m["meeting_id"]: int(m["members_present"]) for m in read(ref.path / "meetings.csv")}
        by_decision: dict[str, list[dict[str, str]]] = {}
        for s in read(ref.path / "stances.csv"):
            by_decision.setdefault(s["decision_id"], []).append(s)
        decisions = read(ref.path / "decisions.csv")
        assert set(by_decision) == {d["decision_id"] for d in decisions}
        for d in decisions:
            stances = sorted(by_decision[d["decision_id"]], key=lambda s: int(s["order"]))
            assert [int(s["order"]) for s in stances] == list(range(1, len(stances) + 1))
            assert len(stances) == present[d["meeting_id"]]
            assert len({s["member_id"] for s in stances}) == len(stances)
            if stances[-1]["member_id"] != principal:  # only the planted irregularity, counted below
                assert stances[-2]["member_id"] == principal, f"{ref.key} {d['decision_id']} 一把手未末位表态"


# --- write_demo ----------------------------------------------------------------------------------


def test_write_demo_is_deterministic(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    summary = write_demo(first, 3, 2, 12)
    assert write_demo(second, 3, 2, 12) == summary
    assert tree_files(first) == tree_files(second)
    write_demo(other, 3, 2, 12, seed=99)
    assert tree_files(other) != tree_files(first)
    assert "3 个单位" in summary and "72 项决策事项" in summary


def test_write_demo_sizes_and_periods(small_tree: Path, tmp_path: Path) -> None:
    refs = package_dirs(small_tree)
    assert len(refs) == 7 * 2
    assert all(len(read(r.path / "decisions.csv")) == 9 for r in refs)
    units = read(small_tree / "units.csv")
    assert len(units) == 7 and len({u["name"] for u in units}) == 7
    found = irregularities(small_tree)
    assert all(found[kind] <= 1 for kind in IRREGULARITIES)
    long = tmp_path / "long"
    write_demo(long, units=1, quarters=6, decisions_per_quarter=2)
    periods = [str(r.period) for r in package_dirs(long)]
    assert periods == ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    ids = [d["decision_id"] for r in package_dirs(long) for d in read(r.path / "decisions.csv")]
    assert len(ids) == len(set(ids)) == 12


def test_write_demo_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(DemoError, match="不为空"):
        write_demo(tmp_path, 1, 1, 1)
    with pytest.raises(DemoError, match="不为空"):
        write_sample_city(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    write_demo(empty, 1, 1, 1)
    assert (empty / "units.csv").exists()


def test_cli_demo_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    args = ["demo", "--out", str(out), "--units", "2", "--quarters", "3", "--decisions-per-quarter", "5"]
    assert main(args) == 0
    assert "已在" in capsys.readouterr().out
    refs = package_dirs(out)
    assert len(refs) == 2 * 3
    assert sorted({str(r.period) for r in refs}) == ["2025Q1", "2025Q2", "2025Q3"]
    assert main(args) == 2
    assert "不为空" in capsys.readouterr().err
