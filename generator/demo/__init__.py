"""Demo data: the 示例市 sample portal and synthetic data trees of any size.

Both are written by the same code. A data tree is a list of units, each built from a *unit profile*
(the kind of leadership body: 市委, 县委, 部门党组, 医院党委, 国有企业党委, 乡镇党委) that supplies the
members and their portfolios, the power list with its flow charts, the negative list and the decision
templates. ``write_sample_city`` is one fixed preset: the six units of the pilot described in seed 000
(82 meetings, 405 decisions, 172 power-list items, 114 negative-list items), then one township with
seed 004's practices (四不直接分管, 末位表态, 票决 at the 党政联席会议);
``write_demo`` cycles the profiles with numbered names for tests and benchmarks.

Everything is deterministic: the same arguments and seed give byte-identical files. The writer uses
the ``csv`` module only (no frictionless), so 20,000 decisions take a few seconds.

All people are fictitious and named only by surname plus 某. A handful of realistic, schema-valid
irregularities are placed on purpose (see ``IRREGULARITIES``) so that rule checks have something
to find; each kind occurs exactly once in the sample city and at most once in a synthetic tree.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.config import CONFIG_FILE, LICENCES
from generator.core.datatree import DESCRIPTOR, REGISTRY_CSV, Period
from generator.core.files import write_csv, write_json
from generator.core.schema import (
    PACKAGE_RESOURCES,
    REGISTRY_RESOURCE,
    field_names,
    package_descriptor,
    registry_descriptor,
    resource_descriptor,
)
from generator.demo.builder import DemoError, UnitSpec, _UnitBuilder
from generator.demo.profiles import FGW, NYJT, PROFILES, RMYY, SCJG, SWEI, XIANWEI, ZHEN

PORTAL_TITLE = "示例市“三重一大”决策公开平台"
LICENCE_KEY = "CC-BY-4.0"
FIRST_PERIOD = Period(2025, 1)

PORTAL_YML = f"""\
# 示例数据：由 gongkai 的示例数据生成器生成，单位为示例，人物和数据均为虚构。
title: {PORTAL_TITLE}
region: 示例市
publisher: 示例市纪委监委（示例）
demo: true
licence: {LICENCE_KEY}
rules:
  # 示例数据是在 2026 年一次性提交的，按 git 提交日期判断的“按期公开”对它没有意义。
  timely_disclosure:
    enabled: false
# 页脚的网站标识（示例值，均为虚构；真实网站填写本单位的备案信息）。
sponsor: 示例市纪委监委（示例）
operator: 示例市纪委监委办公室（示例）
contact: 电话 0000-00000000（示例）
icp: 示ICP备00000000号（示例）
police_record: 示公网安备00000000000000号（示例）
site_code: 0000000000（示例）
"""

#: The deliberate irregularities (still valid against the schemas) that rule checks should find.
IRREGULARITIES: dict[str, str] = {
    "notice_same_day": "议题材料在会议当天才送达（议题预告日期等于会议日期）",
    "not_recorded": "会议未全程纪实（全程纪实为“否”）",
    "dissent_no_remark": "班子成员表态“不同意”但未记录理由",
    "no_power_item": "决策事项未关联权力清单事项",
    "pre_incomplete": "重大决策“风险评估”未完成且未说明理由即上会并通过",
    "cadre_show_of_hands": "重要干部任免事项采用举手表决而非无记名票决",
    "principal_not_last": "主要负责人没有最后表态（倒数第二位发言）",
    "principal_leads_funds": "大额度资金运作事项由主要负责人直接牵头",
}


# --------------------------------------------------------------------------------------------------
# Units and trees


#: The 示例市 pilot (seed 000): 6 units, 2 quarters, 82 meetings, 405 decisions, 172 + 114 list items.
SAMPLE_CITY: tuple[UnitSpec, ...] = (
    UnitSpec("swei", "中共示例市委员会", "示例市委", "示例市委", SWEI, (10, 9), (48, 47)),
    UnitSpec("xianwei", "中共示例县委员会", "示例县委", "示例县委", XIANWEI, (8, 8), (40, 38)),
    UnitSpec(
        "fgw",
        "中共示例市发展和改革委员会党组",
        "市发改委党组",
        "示例市发展和改革委员会",
        FGW,
        (6, 7),
        (30, 32),
    ),
    UnitSpec(
        "scjg",
        "中共示例市城市监督管理局党组",
        "市城市监督管理局党组",
        "示例市城市监督管理局",
        SCJG,
        (6, 6),
        (28, 27),
    ),
    UnitSpec("rmyy", "中共示例市人民医院委员会", "市人民医院党委", "示例市人民医院", RMYY, (6, 6), (30, 31)),
    UnitSpec(
        "nyjt", "示例能源集团有限公司党委", "能源集团党委", "示例能源集团有限公司", NYJT, (5, 5), (27, 27)
    ),
)

#: Beyond the pilot: one township (seed 004's case is ten of them), with its own practices.
SAMPLE_TOWNSHIP = UnitSpec("zhen", "中共示例县示例镇委员会", "示例镇党委", "示例镇", ZHEN, (5, 6), (16, 18))

#: Where the sample city's irregularities are: kind → (unit_id, quarter index).
SAMPLE_IRREGULARITIES: dict[str, tuple[str, int]] = {
    "dissent_no_remark": ("xianwei", 0),
    "not_recorded": ("nyjt", 0),
    "cadre_show_of_hands": ("rmyy", 0),
    "no_power_item": ("fgw", 1),
    "notice_same_day": ("scjg", 1),
    "pre_incomplete": ("rmyy", 1),
    "principal_not_last": ("swei", 1),
    "principal_leads_funds": ("nyjt", 1),
}

#: The sample city's items withheld by law (依法不予公开): (unit_id, quarter index) → the legal basis
#: and whether the withheld decision is one with a hearing (then the hearing is withheld too).
SAMPLE_WITHHELD: dict[tuple[str, int], tuple[str, bool]] = {
    ("swei", 1): ("《中华人民共和国保守国家秘密法》第十三条", False),
    ("nyjt", 0): ("《中华人民共和国政府信息公开条例》第十五条（涉及商业秘密）", True),
}


@dataclass
class Totals:
    units: int = 0
    packages: int = 0
    meetings: int = 0
    decisions: int = 0
    stances: int = 0
    hearings: int = 0
    power_items: int = 0
    negative_items: int = 0
    irregularities: list[str] = field(default_factory=list)


def write_demo(out: Path, units: int, quarters: int, decisions_per_quarter: int, seed: int = 2025) -> str:
    """Write a synthetic, valid data tree of any size into ``out``; return a short Chinese summary."""
    for label, value in (
        ("单位数", units),
        ("季度数", quarters),
        ("每季度决策事项数", decisions_per_quarter),
    ):
        if value < 1:
            raise DemoError(f"{label}应为正整数，实为 {value}。")
    meetings = min(decisions_per_quarter, max(1, min(30, -(-decisions_per_quarter // 5))))
    specs = []
    for index in range(units):
        profile = PROFILES[index % len(PROFILES)]
        number = index + 1
        specs.append(
            UnitSpec(
                unit_id=f"{profile.key}{number:03d}",
                name=profile.synthetic_name.format(n=number),
                short_name=profile.synthetic_short.format(n=number),
                org=profile.synthetic_short.format(n=number).removesuffix("党委").removesuffix("党组"),
                profile=profile,
                meetings=(meetings,) * quarters,
                decisions=(decisions_per_quarter,) * quarters,
            )
        )
    placer = random.Random(f"gongkai-demo:{seed}:irregularities")
    irregular: dict[tuple[str, int], list[str]] = {}
    for kind in IRREGULARITIES:
        key = (specs[placer.randrange(units)].unit_id, placer.randrange(quarters))
        irregular.setdefault(key, []).append(kind)
    totals = _write_tree(out, specs, quarters, seed, irregular)
    periods = _periods(quarters)
    span = str(periods[0]) if quarters == 1 else f"{periods[0]}—{periods[-1]}"
    return (
        f"{totals.units} 个单位、{quarters} 个季度（{span}）、{totals.packages} 个数据包、"
        f"{totals.meetings} 次会议、{totals.decisions} 项决策事项、{totals.stances} 条表态记录"
    )


def write_sample_city(out: Path) -> str:
    """Write the 示例市 demo portal (seed 000's pilot and one township) into ``out``; return a short
    Chinese summary."""
    irregular: dict[tuple[str, int], list[str]] = {}
    for kind, key in SAMPLE_IRREGULARITIES.items():
        irregular.setdefault(key, []).append(kind)
    totals = _write_tree(out, [*SAMPLE_CITY, SAMPLE_TOWNSHIP], 2, 2025, irregular, SAMPLE_WITHHELD)
    _write_sample_history(out)
    return (
        f"示例市：{totals.units} 个单位、2 个季度、{totals.meetings} 次会议、{totals.decisions} 项决策事项、"
        f"权力清单 {totals.power_items} 项、负面清单 {totals.negative_items} 项、{totals.hearings} 条听证论证记录"
    )


#: The 示例市 demo's 更正记录 and 撤回记录 (fictitious, like the rest): one package shows both.
SAMPLE_HISTORY: dict[str, tuple[str, list[list[str]]]] = {
    "corrections": (
        "fgw/2025Q1",
        [
            [
                "decisions",
                "jc2025-0002",
                "execution_status",
                "推进中",
                "已完成",
                "资金已于季度内支付完毕，原公开的执行状态未及时更新",
                "2025-04-08",
            ]
        ],
    ),
    "withdrawals": (
        "fgw/2025Q1",
        [
            [
                "decisions",
                "jc2025-0099",
                "关于价格监测点设备更新采购的决定",
                "经核查该事项属部门日常采购，不属于“三重一大”事项，误列入公开，予以撤回",
                "2025-04-08",
            ]
        ],
    ),
}


def _write_sample_history(out: Path) -> None:
    """Add the sample 更正记录 and 撤回记录 files and list them in their packages' descriptors."""
    for name, (package, rows) in SAMPLE_HISTORY.items():
        target = out / package
        write_csv(target / f"{name}.csv", field_names(name), rows)
        descriptor = json.loads((target / DESCRIPTOR).read_text(encoding="utf-8"))
        descriptor["resources"].append(resource_descriptor(name))
        write_json(target / DESCRIPTOR, descriptor)


def _periods(quarters: int) -> list[Period]:
    periods = []
    year, quarter = FIRST_PERIOD.year, FIRST_PERIOD.quarter
    for _ in range(quarters):
        periods.append(Period(year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return periods


def _prepare_out(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise DemoError(f"输出路径 {out} 不是目录。")
        if any(out.iterdir()):
            raise DemoError(f"输出目录 {out} 不为空，请指定一个空目录或尚不存在的目录。")
    out.mkdir(parents=True, exist_ok=True)


def _write_tree(
    out: Path,
    specs: list[UnitSpec],
    quarters: int,
    seed: int,
    irregular: dict[tuple[str, int], list[str]],
    withheld: dict[tuple[str, int], tuple[str, bool]] | None = None,
) -> Totals:
    _prepare_out(out)
    licence = LICENCES[LICENCE_KEY]
    (out / CONFIG_FILE).write_text(PORTAL_YML, encoding="utf-8")
    write_json(out / DESCRIPTOR, registry_descriptor(PORTAL_TITLE, licence))
    write_csv(
        out / REGISTRY_CSV,
        field_names(REGISTRY_RESOURCE),
        [
            [
                s.unit_id,
                s.name,
                s.short_name,
                s.profile.unit_type,
                s.profile.principal_title,
                s.profile.description,
            ]
            for s in specs
        ],
    )
    headers = {name: field_names(name) for name in PACKAGE_RESOURCES}
    periods = _periods(quarters)
    totals = Totals(units=len(specs))
    for index, spec in enumerate(specs):
        unit = _UnitBuilder(spec, random.Random(f"gongkai-demo:{seed}:{index}:{spec.unit_id}"), periods)
        totals.power_items += len(unit.power_rows)
        totals.negative_items += len(unit.negative_rows)
        for q_index, period in enumerate(periods):
            kinds = irregular.get((spec.unit_id, q_index), [])
            tables = unit.package(q_index, kinds, (withheld or {}).get((spec.unit_id, q_index)))
            target = out / spec.unit_id / str(period)
            target.mkdir(parents=True)
            write_json(target / DESCRIPTOR, package_descriptor(spec.unit_id, spec.name, str(period), licence))
            for name in PACKAGE_RESOURCES:
                write_csv(target / f"{name}.csv", headers[name], tables[name])
            totals.packages += 1
            totals.meetings += len(tables["meetings"])
            totals.decisions += len(tables["decisions"])
            totals.stances += len(tables["stances"])
            totals.hearings += len(tables["hearings"])
            totals.irregularities.extend(unit.applied)
    return totals
