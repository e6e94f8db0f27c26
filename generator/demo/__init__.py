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
from datetime import date, timedelta
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

CATEGORIES = {"J": "重大事项决策", "G": "重要干部任免", "X": "重大项目安排", "Z": "大额度资金运作"}

MEMBER_SURNAMES = "张李王赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
CADRE_SURNAMES = "韩冯邓曹彭曾田董潘袁蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵万钱严武戴莫孔汤"


class DemoError(Exception):
    """The demo data cannot be written; the message is Chinese."""


# --------------------------------------------------------------------------------------------------
# Profile building blocks


@dataclass(frozen=True)
class MemberDef:
    position: str
    portfolio: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PowerDef:
    key: str
    category: str
    name: str
    flow: str
    risk: str
    basis: str
    holder: str = ""


@dataclass(frozen=True)
class NegDef:
    applies_to: str
    content: str
    basis: str
    consequence: str


@dataclass(frozen=True)
class Template:
    category: str
    title: str
    summary: str
    power: str
    lead: str
    amount: tuple[int, int, int] | None
    pre: str
    hearing: str | None
    slots: tuple[tuple[str, tuple[str, ...]], ...]


def _t(
    cat: str,
    title: str,
    summary: str,
    power: str,
    lead: str,
    amount: tuple[int, int, int] | None = None,
    pre: str = "major",
    hearing: str | None = None,
    **slots: tuple[str, ...],
) -> Template:
    return Template(CATEGORIES[cat], title, summary, power, lead, amount, pre, hearing, tuple(slots.items()))


@dataclass(frozen=True)
class Profile:
    key: str
    unit_type: str
    principal_title: str
    meeting_type: str
    expanded_type: str | None
    meeting_label: str
    rules_doc: str
    roles: dict[str, str]
    complaint: str
    members: tuple[MemberDef, ...]
    powers: tuple[PowerDef, ...]
    negatives: tuple[NegDef, ...]
    general_negatives: int
    templates: tuple[Template, ...]
    weights: tuple[int, int, int, int]
    pools: tuple[tuple[str, tuple[str, ...]], ...]
    expert_field: str
    public_label: str
    description: str
    synthetic_name: str
    synthetic_short: str
    cadre_reason: str
    #: Every item is decided by ballot (seed 004's townships): 记名票决, or 无记名票决 for personnel.
    ballot: bool = False

    @property
    def negative_count(self) -> int:
        return self.general_negatives + len(self.negatives)


# --------------------------------------------------------------------------------------------------
# Power flow charts: (step, actor role or literal, time limit). Roles are filled from Profile.roles.

FLOWS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "decision": (
        ("提出议题", "{lead}", ""),
        ("调查研究、征求意见", "{dept}", "10个工作日"),
        ("专家论证和风险评估", "{dept}", "15个工作日"),
        ("合法性审查", "{legal}", "5个工作日"),
        ("议题预告，材料会前送达", "{office}", "会前至少1天"),
        ("集体讨论，逐位表态、逐项表决", "{body}", ""),
        ("印发决定，跟踪督查执行", "{office}", "3个工作日"),
    ),
    "policy": (
        ("起草文件", "{dept}", "20个工作日"),
        ("公开征求意见", "{dept}", "不少于30日"),
        ("合法性审查", "{legal}", "5个工作日"),
        ("集体审议", "{body}", ""),
        ("公布实施", "{office}", "20个工作日"),
    ),
    "emergency": (
        ("研判紧急情况", "{lead}", "即时"),
        ("主要负责人临机处置", "{principal}", "即时"),
        ("事后书面通报领导班子", "{office}", "2个工作日"),
        ("补办集体决策程序", "{body}", "下次会议"),
    ),
    "cadre": (
        ("分析研判和动议", "{org}", ""),
        ("民主推荐", "{org}", "10个工作日"),
        ("组织考察", "考察组", "15个工作日"),
        ("酝酿沟通", "{org}", ""),
        ("讨论决定（无记名票决）", "{body}", ""),
        ("任前公示", "{org}", "5个工作日"),
        ("办理任职手续", "{org}", "10个工作日"),
    ),
    "cadre_short": (
        ("提出工作方案", "{org}", "10个工作日"),
        ("集体研究决定", "{body}", ""),
        ("组织实施并备案", "{org}", "15个工作日"),
    ),
    "assess": (
        ("制定考核方案", "{org}", ""),
        ("组织考核评价", "考核组", "30个工作日"),
        ("集体研究考核结果", "{body}", ""),
        ("反馈结果并运用", "{org}", "10个工作日"),
    ),
    "budget": (
        ("编制预算草案", "{finance}", "30个工作日"),
        ("分管领导审核", "{lead}", "5个工作日"),
        ("集体审议", "{body}", ""),
        ("按程序报批", "{finance}", ""),
        ("执行监控和审计监督", "{audit}", ""),
    ),
    "funds": (
        ("提出用款申请", "{dept}", ""),
        ("财务审核", "{finance}", "3个工作日"),
        ("分管领导审签", "{lead}", "2个工作日"),
        ("集体研究决定", "{body}", ""),
        ("资金支付并公开", "{finance}", "5个工作日"),
    ),
    "assets": (
        ("提出处置申请", "{dept}", ""),
        ("资产评估", "评估机构", "20个工作日"),
        ("集体研究决定", "{body}", ""),
        ("报主管部门审批", "{finance}", ""),
        ("公开交易", "{purchase}", ""),
    ),
    "project": (
        ("项目立项申请", "{dept}", ""),
        ("可行性研究和专家论证", "{dept}", "30个工作日"),
        ("社会稳定风险评估", "{dept}", "15个工作日"),
        ("合法性审查", "{legal}", "5个工作日"),
        ("集体决策", "{body}", ""),
        ("公开招标", "{purchase}", "依法定时限"),
        ("竣工验收和审计", "{audit}", ""),
    ),
    "procure": (
        ("提出采购需求", "{dept}", ""),
        ("需求论证和预算审核", "{finance}", "5个工作日"),
        ("集体研究决定", "{body}", ""),
        ("公开招标或政府采购", "{purchase}", "依法定时限"),
        ("履约验收", "{dept}", "10个工作日"),
        ("采购结果公开", "{office}", "2个工作日"),
    ),
    "invest": (
        ("项目初审和可行性研究", "{dept}", "30个工作日"),
        ("尽职调查和专家论证", "第三方机构", "30个工作日"),
        ("法律合规审核", "{legal}", "5个工作日"),
        ("党委前置研究讨论", "{body}", ""),
        ("董事会决策", "董事会", ""),
        ("报国资监管机构备案", "{dept}", "10个工作日"),
        ("投后管理和后评价", "{audit}", ""),
    ),
    "supervise": (
        ("发现问题或线索", "{discipline}", ""),
        ("调查核实", "{discipline}", "30个工作日"),
        ("集体研究处理意见", "{body}", ""),
        ("通报和督促整改", "{office}", "10个工作日"),
    ),
    "audit": (
        ("制定审计计划", "{audit}", ""),
        ("实施审计", "{audit}", "30个工作日"),
        ("审计结果集体研究", "{body}", ""),
        ("督促整改并公开", "{audit}", "60日"),
    ),
    "party": (
        ("提出工作方案", "{party}", ""),
        ("集体研究", "{body}", ""),
        ("组织实施", "{party}", ""),
    ),
    "price": (
        ("提出定价或调价方案", "{dept}", ""),
        ("成本监审", "{dept}", "20个工作日"),
        ("举行价格听证", "{dept}", ""),
        ("合法性审查", "{legal}", "5个工作日"),
        ("集体审议", "{body}", ""),
        ("公布执行", "{office}", ""),
    ),
}

# --------------------------------------------------------------------------------------------------
# Negative list: general items in order of priority, then profile-specific ones.

_ANTI = "《关于加强对“一把手”和领导班子监督的意见》"
_DISC = "《中国共产党纪律处分条例》"

GENERAL_NEGATIVES: tuple[NegDef, ...] = (
    NegDef(
        "主要负责人",
        "不得直接分管财务、人事、物资采购和工程项目，实行“正职统筹、副职分管”。",
        _ANTI,
        "责令调整分工；情节较重的，对主要负责人进行诫勉或组织调整。",
    ),
    NegDef(
        "领导班子",
        "不得临时动议决定“三重一大”事项；遇紧急情况由主要负责人临机处置的，事后应及时向领导班子书面通报。",
        "《关于新形势下党内政治生活的若干准则》",
        "临时动议事项不发生效力，依规依纪追究相关人员责任。",
    ),
    NegDef(
        "主要负责人",
        "讨论决定“三重一大”事项时不得先行表态或定调，应在其他班子成员逐一表态后末位表态。",
        _ANTI,
        "相互提醒纠正；拒不纠正的，按规定向同级或上级纪检监察机关报告并登记。",
    ),
    NegDef(
        "领导班子",
        "不得以传阅、会签、个别征求意见或领导碰头会等方式代替集体讨论决定。",
        "《中国共产党党内监督条例》",
        "决定无效，相关事项重新提交会议研究，并追究相关人员责任。",
    ),
    NegDef(
        "领导班子",
        "议题材料未提前至少1天送达参会班子成员的，不得上会讨论（预告会商）。",
        "",
        "议题退回，延期审议；多次发生的，对议题承办部门负责人进行提醒谈话。",
    ),
    NegDef(
        "领导班子",
        "重大决策事项未经调查研究、专家论证、风险评估、合法性审查和未制定预案的，不得上会讨论（“五不上会”）。",
        "《重大行政决策程序暂行条例》",
        "议题不予上会；造成损失的，依规依纪依法追究责任。",
    ),
    NegDef(
        "领导班子",
        "应到会成员未超过半数的，不得讨论决定“三重一大”事项；讨论干部任免事项，到会成员不足三分之二的，不得表决。",
        "《党政领导干部选拔任用工作条例》",
        "会议决定无效，重新召开会议研究。",
    ),
    NegDef(
        "领导班子",
        "讨论决定干部任免事项，不得采用举手表决等方式代替无记名投票表决。",
        "《党政领导干部选拔任用工作条例》",
        "表决结果无效，重新表决；追究会议主持人责任。",
    ),
    NegDef(
        "班子成员",
        "表态时不得含糊其辞或不明确表态；持不同意见的，应说明理由并如实记录在案。",
        "《关于新形势下党内政治生活的若干准则》",
        "批评教育，责令改正。",
    ),
    NegDef(
        "班子成员",
        "对与本人或其亲属有利害关系的事项，不得不报告、不回避。",
        _DISC,
        "相关事项重新审议；视情节给予诫勉或党纪处分。",
    ),
    NegDef(
        "主要负责人",
        "不得违反规定干预和插手干部选拔任用、工程建设项目招标投标和物资采购活动。",
        _DISC,
        "如实记录并报告，依规依纪严肃处理。",
    ),
    NegDef(
        "班子成员",
        "集体决策作出后，不得擅自改变决定或拒不执行、变相执行。",
        _DISC,
        "依规依纪追究责任；造成重大损失的，实行终身问责。",
    ),
    NegDef(
        "班子成员",
        "不得泄露会议讨论情况和尚未公开的决策事项。",
        _DISC,
        "批评教育或诫勉；造成严重后果的，给予党纪处分。",
    ),
    NegDef(
        "主要负责人",
        "不得利用职务影响为配偶、子女及其配偶和其他特定关系人经商办企业提供便利。",
        "《中国共产党廉洁自律准则》",
        "依规依纪严肃处理。",
    ),
    NegDef(
        "领导班子",
        "不得不按季度公开权力清单、负面清单和“三重一大”决策执行情况（依法需要保密的除外）。",
        "《中国共产党党务公开条例（试行）》",
        "责令限期公开，予以通报批评。",
    ),
    NegDef(
        "班子成员",
        "不得越权审批大额资金，不得拆分资金规避集体决策。",
        _DISC,
        "责令纠正，追回违规支付的资金，依规依纪追究责任。",
    ),
    NegDef(
        "领导班子",
        "不得对决策执行情况不跟踪、不督查、不反馈。",
        "《中国共产党问责条例》",
        "约谈提醒，通报批评；造成损失的，依规问责。",
    ),
    NegDef(
        "主要负责人",
        "不得在会议讨论中搞“一言堂”，以个人意见代替集体决策。",
        "《中国共产党党内监督条例》",
        "相互提醒纠正，依规依纪追究责任。",
    ),
    NegDef(
        "班子成员",
        "发现“三重一大”事项决策、执行中存在苗头性、倾向性问题的，不得知情不报、不提醒纠正。",
        "",
        "追究失职失责责任。",
    ),
)

APPLIES_ORDER = {"主要负责人": 0, "班子成员": 1, "领导班子": 2}

# --------------------------------------------------------------------------------------------------
# The six profiles.

_CADRE_REASON_GOV = (
    "干部任免事项按《党政领导干部选拔任用工作条例》规定程序办理，已完成考察和任职资格审查，"
    "专家论证、风险评估和预案不适用。"
)
_LOCAL = "《中国共产党地方委员会工作条例》"
_BUDGET_LAW = "《中华人民共和国预算法》"
_INVEST = "《政府投资条例》"
_PROCURE_LAW = "《中华人民共和国政府采购法》"
_BID_LAW = "《中华人民共和国招标投标法》"
_CADRE_RULE = "《党政领导干部选拔任用工作条例》"
_GROUP_RULE = "《中国共产党党组工作条例》"
_SOE_RULE = "《中国共产党国有企业基层组织工作条例（试行）》"
_HOSP_RULE = "《关于加强公立医院党的建设工作的意见》"
_ASSETS_RULE = "《行政事业性国有资产管理条例》"
_AUDIT_RULE = "《审计署关于内部审计工作的规定》"

_GOV_POWERS_COMMON = (
    PowerDef("buy_major", "物资采购", "重大政府采购事项", "procure", "高", _PROCURE_LAW),
    PowerDef("buy_service", "物资采购", "政府购买服务重大事项", "procure", "中", "《政府购买服务管理办法》"),
)

SWEI = Profile(
    key="swei",
    unit_type="市委",
    principal_title="市委书记",
    meeting_type="常委会会议",
    expanded_type=None,
    meeting_label="市委常委会{year}年第{n}次会议",
    rules_doc="《中共{org}常委会议事决策规则》",
    roles={
        "body": "市委常委会",
        "principal": "市委书记",
        "lead": "分管市委常委",
        "dept": "牵头部门",
        "legal": "市委法规室",
        "office": "市委办公室",
        "org": "市委组织部",
        "finance": "市财政局",
        "audit": "市审计局",
        "purchase": "市公共资源交易中心",
        "discipline": "市纪委监委",
        "party": "市委组织部",
    },
    complaint="示例市纪委监委信访室，电话 0000-12345678，来信地址：示例市示例路1号（示例）",
    members=(
        MemberDef("市委书记", "主持市委全面工作"),
        MemberDef("市委副书记、市长", "主持市政府全面工作", ("gov",)),
        MemberDef("市委副书记", "协助书记负责党的建设、乡村振兴和政法工作", ("rural", "party")),
        MemberDef("市委常委、市纪委书记、市监委主任", "负责党风廉政建设和纪检监察工作", ("discipline",)),
        MemberDef("市委常委、组织部部长", "负责组织、干部人事和人才工作", ("personnel",)),
        MemberDef("市委常委、常务副市长", "分管财政、审计、国有资产和金融工作", ("finance", "audit")),
        MemberDef("市委常委、宣传部部长", "负责宣传、意识形态和文化工作", ("propaganda",)),
        MemberDef("市委常委、秘书长", "负责市委办公室、督查和机要保密工作", ("office",)),
        MemberDef("市委常委、副市长", "分管城乡建设、交通、重大项目和政府采购", ("project", "procure")),
    ),
    powers=(
        PowerDef(
            "dec_implement", "决策部署", "贯彻落实党中央和上级党委重大决策部署", "decision", "中", _LOCAL
        ),
        PowerDef("dec_plan", "决策部署", "全市经济社会发展规划和年度重点工作", "decision", "中", _LOCAL),
        PowerDef("dec_reform", "决策部署", "全市重大改革方案审定", "decision", "中", _LOCAL),
        PowerDef(
            "dec_policy",
            "决策部署",
            "重大政策性文件和规范性文件审定",
            "policy",
            "低",
            "《中国共产党党内法规和规范性文件备案审查规定》",
        ),
        PowerDef(
            "dec_emergency",
            "决策部署",
            "重大突发事件应对和处置",
            "emergency",
            "中",
            "《中华人民共和国突发事件应对法》",
            "市委常委会（紧急情况下由市委书记临机处置，事后书面通报）",
        ),
        PowerDef(
            "dec_livelihood",
            "决策部署",
            "全市民生实事项目确定",
            "decision",
            "低",
            "《重大行政决策程序暂行条例》",
        ),
        PowerDef(
            "dec_rural", "决策部署", "乡村振兴重大事项决策", "decision", "中", "《中国共产党农村工作条例》"
        ),
        PowerDef(
            "dec_ecology",
            "决策部署",
            "生态环境保护重大事项决策",
            "decision",
            "中",
            "《中华人民共和国环境保护法》",
        ),
        PowerDef(
            "dec_safety",
            "决策部署",
            "安全生产和社会稳定重大事项",
            "decision",
            "中",
            "《中华人民共和国安全生产法》",
        ),
        PowerDef(
            "dec_plan_space",
            "决策部署",
            "国土空间规划和城市规划重大事项",
            "decision",
            "高",
            "《中华人民共和国城乡规划法》",
        ),
        PowerDef("cadre_select", "干部人事", "市管领导干部选拔任用", "cadre", "高", _CADRE_RULE),
        PowerDef(
            "cadre_rotate",
            "干部人事",
            "市管干部交流轮岗",
            "cadre_short",
            "中",
            "《党政领导干部交流工作规定》",
        ),
        PowerDef("cadre_recommend", "干部人事", "向上级推荐干部人选", "cadre", "中", _CADRE_RULE),
        PowerDef(
            "cadre_remove",
            "干部人事",
            "市管干部免职、辞职和降职",
            "cadre_short",
            "中",
            "《推进领导干部能上能下规定》",
        ),
        PowerDef(
            "cadre_assess",
            "干部人事",
            "领导班子和领导干部考核评价",
            "assess",
            "中",
            "《党政领导干部考核工作条例》",
        ),
        PowerDef(
            "cadre_org", "干部人事", "机构编制调整事项", "policy", "中", "《中国共产党机构编制工作条例》"
        ),
        PowerDef("cadre_reserve", "干部人事", "优秀年轻干部培养选拔", "cadre_short", "低", _CADRE_RULE),
        PowerDef("fund_budget", "财务资金", "市级财政预算安排和调整建议", "budget", "高", _BUDGET_LAW),
        PowerDef("fund_large", "财务资金", "大额度财政资金调度使用", "funds", "高", _BUDGET_LAW),
        PowerDef("fund_debt", "财务资金", "政府债务举借和专项债券使用", "funds", "高", _BUDGET_LAW),
        PowerDef("fund_assets", "财务资金", "重大国有资产处置", "assets", "高", _ASSETS_RULE),
        PowerDef("fund_special", "财务资金", "专项资金分配方案", "funds", "高", _BUDGET_LAW),
        PowerDef("proj_major", "项目建设", "重大投资项目安排", "project", "高", _INVEST),
        PowerDef("proj_infra", "项目建设", "重大基础设施建设项目", "project", "高", f"{_INVEST}；{_BID_LAW}"),
        PowerDef("proj_invest", "项目建设", "招商引资重大项目决策", "project", "高", "《优化营商环境条例》"),
        PowerDef(
            "proj_ppp",
            "项目建设",
            "政府和社会资本合作项目",
            "project",
            "高",
            "《基础设施和公用事业特许经营管理办法》",
        ),
        *_GOV_POWERS_COMMON,
        PowerDef(
            "sup_discipline",
            "监督问责",
            "党风廉政建设和反腐败工作部署",
            "supervise",
            "低",
            "《中国共产党党内监督条例》",
        ),
        PowerDef(
            "sup_inspect",
            "监督问责",
            "巡察工作计划和巡察结果运用",
            "supervise",
            "中",
            "《中国共产党巡视工作条例》",
        ),
        PowerDef(
            "sup_accountability", "监督问责", "问责事项决定", "supervise", "中", "《中国共产党问责条例》"
        ),
        PowerDef(
            "sup_check",
            "监督问责",
            "审计和“三重一大”决策执行情况督查",
            "audit",
            "中",
            "《中国共产党党内监督条例》",
        ),
        PowerDef(
            "party_base",
            "党的建设",
            "基层党组织建设重大事项",
            "party",
            "低",
            "《中国共产党支部工作条例（试行）》",
        ),
        PowerDef(
            "party_member",
            "党的建设",
            "党员发展和教育管理重大事项",
            "party",
            "低",
            "《中国共产党发展党员工作细则》",
        ),
        PowerDef(
            "party_ideology",
            "党的建设",
            "意识形态工作重大事项",
            "party",
            "中",
            "《党委（党组）意识形态工作责任制实施办法》",
        ),
        PowerDef(
            "party_rectify",
            "党的建设",
            "民主生活会和巡视巡察整改方案",
            "party",
            "低",
            "《县以上党和国家机关党员领导干部民主生活会若干规定》",
        ),
    ),
    negatives=(
        NegDef(
            "领导班子",
            "不得违规干预下级党组织“三重一大”事项决策。",
            _LOCAL,
            "决定无效，依规依纪追究相关人员责任。",
        ),
        NegDef(
            "班子成员",
            "不得违规打招呼、递条子干预干部选拔任用。",
            _CADRE_RULE,
            "如实记录并报告，依规依纪严肃处理。",
        ),
        NegDef(
            "领导班子",
            "不得超越权限或违反程序批准土地出让和规划调整。",
            "《中华人民共和国土地管理法》",
            "相关决定无效，依法依规追究责任。",
        ),
        NegDef(
            "领导班子",
            "不得违规举债上项目，不得搞脱离实际的形象工程、政绩工程。",
            _INVEST,
            "责令停止实施，依规依纪追究决策责任，实行终身问责。",
        ),
        NegDef(
            "主要负责人",
            "不得违规干预司法活动、插手具体案件处理。",
            "《领导干部干预司法活动、插手具体案件处理的记录、通报和责任追究规定》",
            "全面如实记录，予以通报；依规依纪依法追究责任。",
        ),
        NegDef(
            "领导班子",
            "对巡视巡察、审计发现的问题，不得整改不力或虚假整改。",
            "《中国共产党巡视工作条例》",
            "约谈问责，责令重新整改。",
        ),
    ),
    general_negatives=16,
    templates=(
        _t(
            "J",
            "关于贯彻落实{doc}的实施意见",
            "研究贯彻落实{doc}的具体举措，明确{n}个方面{m}项重点任务和责任分工，由市委办公室牵头建立工作台账、按月调度。",
            "dec_implement",
            "office",
            pre="policy",
            doc=(
                "省委全会精神",
                "全省经济工作会议精神",
                "中央八项规定及其实施细则精神",
                "全面深化改革重大部署",
            ),
        ),
        _t(
            "J",
            "{year}年全市{work}工作要点",
            "审议{year}年全市{work}工作要点，确定年度目标任务{m}项，逐项明确牵头市领导、责任单位和完成时限。",
            "dec_plan",
            "gov",
            pre="policy",
            hearing="征求意见",
            work=("经济社会发展", "生态环境保护", "安全生产", "营商环境优化", "民生实事"),
        ),
        _t(
            "J",
            "全市乡村振兴{rv}实施方案",
            "审议全市乡村振兴{rv}实施方案，覆盖{place}等{n}个县（区）{m}个村，计划统筹各级资金约{wan}万元，"
            "实行项目化、清单化推进。",
            "dec_rural",
            "rural",
            (20_000_000, 150_000_000, 100_000),
            hearing="征求意见",
            rv=("示范村创建", "特色产业发展", "农村人居环境整治提升", "衔接资金项目管理", "和美乡村建设"),
        ),
        _t(
            "J",
            "全市{reform}改革实施方案",
            "审议{reform}改革实施方案，明确改革路径、时间表和配套措施，经社会稳定风险评估为低风险，同意按程序印发实施。",
            "dec_reform",
            "gov",
            hearing="专家论证",
            reform=("国资国企", "营商环境", "事业单位", "公立医院综合", "城市管理执法体制", "财政金融"),
        ),
        _t(
            "J",
            "关于对{audit_obj}开展专项审计的意见",
            "同意由市审计局对{audit_obj}开展专项审计，重点检查资金分配、使用和绩效情况，审计结果向市委常委会报告并按规定公开。",
            "sup_check",
            "audit",
            pre="internal",
            audit_obj=(
                "乡村振兴衔接资金",
                "老旧小区改造资金",
                "政府专项债券项目",
                "市属国有企业大额度资金运作",
                "医保基金",
            ),
        ),
        _t(
            "J",
            "{issue}反馈问题整改方案",
            "审议{issue}反馈问题整改方案，共{m}项问题，逐项明确整改措施、责任领导和完成时限，整改情况按规定公开。",
            "party_rectify",
            "office",
            pre="internal",
            issue=("省委巡视", "省委生态环境保护督察", "省审计厅经济责任审计", "安全生产大检查"),
        ),
        _t(
            "J",
            "全市{event}应急预案（修订）",
            "审议修订后的{event}应急预案，调整指挥体系和响应分级，明确{n}类情形的处置措施和物资保障。",
            "dec_emergency",
            "gov",
            hearing="专家论证",
            event=("防汛抗旱", "森林防火", "重大突发公共卫生事件", "安全生产事故", "城市内涝"),
        ),
        _t(
            "J",
            "关于{place}{zone}控制性详细规划调整的决定",
            "同意{place}{zone}控制性详细规划调整方案，调整内容已经专家论证、公示和合法性审查。",
            "dec_plan_space",
            "project",
            hearing="听证会",
            zone=("中心片区", "老城更新片区", "滨河片区", "产业园区"),
        ),
        _t(
            "G",
            "关于{cadre}等{k}名同志职务任免的决定",
            "经民主推荐、组织考察和任前公示，决定任命{cadre}等{k}名同志为市直单位领导班子成员，免去其原任职务。",
            "cadre_select",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{bureau}主要负责人人选的决定",
            "经动议、民主推荐、组织考察和酝酿沟通，确定{cadre}同志为{bureau}主要负责人人选，按程序提请任命。",
            "cadre_select",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{bureau}等单位干部任免的决定",
            "审议{bureau}等{n}个单位领导班子干部任免事项，涉及{k}名同志，拟任人选均已完成考察和任前公示。",
            "cadre_select",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于市管干部交流轮岗的决定",
            "决定对在同一职位任职时间较长的{k}名市管干部进行交流轮岗，涉及财政、自然资源、住建等重点领域岗位。",
            "cadre_rotate",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于向上级推荐{rec}人选的决定",
            "经民主推荐和会议酝酿，决定向上级推荐{cadre}同志为{rec}人选。",
            "cadre_recommend",
            "personnel",
            pre="cadre",
            rec=("省管干部", "省级优秀年轻干部", "省直机关遴选"),
        ),
        _t(
            "G",
            "关于{cadre}同志免职的决定",
            "因{why}，免去{cadre}同志{bureau}领导职务。",
            "cadre_remove",
            "personnel",
            pre="cadre",
            why=("达到任职年龄界限", "工作调动", "受到问责处理", "本人申请辞职"),
        ),
        _t(
            "G",
            "关于选派{k}名干部到乡村振兴一线任职的决定",
            "决定从市直单位选派{k}名优秀年轻干部到乡村振兴重点帮扶村担任驻村第一书记，任期2年。",
            "cadre_reserve",
            "personnel",
            pre="cadre",
        ),
        _t(
            "X",
            "关于{place}老旧小区改造{year}年度实施计划的决定",
            "{year}年计划改造{place}{m}个老旧小区、涉及{hh}户居民，总投资约{wan}万元，改造内容包括管网更新、"
            "加装电梯和停车设施。",
            "proj_major",
            "project",
            (30_000_000, 180_000_000, 10_000),
            hearing="听证会",
        ),
        _t(
            "X",
            "关于{road}建设项目的决定",
            "{road}项目总投资约{wan}万元，资金来源为政府专项债券和市级财政，同意纳入年度重点项目并按法定程序公开招标。",
            "proj_infra",
            "project",
            (80_000_000, 900_000_000, 100_000),
            hearing="专家论证",
            road=("城东快速路", "南湖大桥", "北山大道改造提升", "高铁站综合交通枢纽", "城区雨污分流管网改造"),
        ),
        _t(
            "X",
            "关于{park}{industry}招商引资项目的决定",
            "拟在{park}引进{industry}项目，计划总投资约{wan}万元，同意按市场化原则签订投资协议，项目用地依法公开出让。",
            "proj_invest",
            "gov",
            (100_000_000, 2_000_000_000, 1_000_000),
            hearing="专家论证",
            park=("经开区", "高新区", "临港产业园"),
            industry=("新能源电池", "高端装备制造", "生物医药", "数字经济"),
        ),
        _t(
            "X",
            "{year}年市级重点项目投资计划",
            "审议{year}年市级重点项目{m}个，年度计划投资约{wan}万元，逐项明确责任单位和节点目标。",
            "proj_major",
            "gov",
            (2_000_000_000, 9_000_000_000, 10_000_000),
        ),
        _t(
            "X",
            "关于{ppp}政府和社会资本合作项目的决定",
            "{ppp}项目总投资约{wan}万元，已完成物有所值评价和财政承受能力论证，同意采用特许经营模式实施。",
            "proj_ppp",
            "finance",
            (60_000_000, 600_000_000, 100_000),
            hearing="专家论证",
            ppp=("城市污水处理厂提标改造", "生活垃圾焚烧发电", "城市公共停车设施", "智慧路灯"),
        ),
        _t(
            "Z",
            "关于{fund}大额度资金使用的决定",
            "同意从{fund}中安排资金{wan}万元，用于{use}，由市财政局按项目进度拨付，市审计局跟踪审计。",
            "fund_large",
            "finance",
            (5_000_000, 80_000_000, 10_000),
            pre="routine",
            fund=("市级预备费", "市级产业发展基金", "市本级财政结余资金", "上级转移支付资金"),
            use=("重点企业纾困", "防汛救灾", "城乡居民医保补助", "义务教育学校校舍维修", "粮食安全储备"),
        ),
        _t(
            "Z",
            "{year}年市级财政预算调整方案",
            "因{reason}，调整市级一般公共预算支出约{wan}万元，同意提请市人大常委会审查批准。",
            "fund_budget",
            "finance",
            (50_000_000, 600_000_000, 100_000),
            pre="routine",
            reason=("新增政府专项债券额度", "上级转移支付增加", "重点项目资金需求变化"),
        ),
        _t(
            "Z",
            "关于{use2}专项资金分配方案的决定",
            "{use2}专项资金共{wan}万元，按因素法分配到{place}等{n}个县（区），分配结果在政府网站公开。",
            "fund_special",
            "finance",
            (10_000_000, 120_000_000, 10_000),
            pre="routine",
            use2=("乡村振兴衔接", "工业转型升级", "科技创新", "教育强市", "老旧小区改造补助", "就业创业"),
        ),
        _t(
            "Z",
            "关于{asset}处置的决定",
            "{asset}经评估价值约{wan}万元，同意通过公共资源交易平台公开处置，收入上缴国库。",
            "fund_assets",
            "finance",
            (1_000_000, 60_000_000, 10_000),
            pre="routine",
            asset=(
                "原市农机站闲置办公楼",
                "市属国有企业部分股权",
                "超标准使用年限公务车辆",
                "原市档案馆旧址",
            ),
        ),
        _t(
            "Z",
            "关于{year}年政府专项债券资金使用计划的决定",
            "{year}年新增专项债券额度{wan}万元，拟安排{m}个项目，重点支持城市更新、产业园区和水利设施建设。",
            "fund_debt",
            "finance",
            (500_000_000, 3_000_000_000, 10_000_000),
            hearing="专家论证",
        ),
        _t(
            "Z",
            "关于{buy}政府采购项目的决定",
            "{buy}采购预算{wan}万元，同意采用公开招标方式，由市公共资源交易中心组织实施。",
            "buy_major",
            "procure",
            (5_000_000, 50_000_000, 10_000),
            pre="routine",
            buy=("全市中小学教学设备", "市级政务云服务", "城区新能源公交车辆", "应急救援装备"),
        ),
    ),
    weights=(40, 25, 20, 15),
    pools=(
        ("place", ("示例县", "东城区", "西城区", "南湖区", "北山县", "经开区", "高新区")),
        (
            "bureau",
            (
                "市教育局",
                "市住建局",
                "市交通运输局",
                "市卫生健康委",
                "市农业农村局",
                "市自然资源和规划局",
                "市国资委",
            ),
        ),
    ),
    expert_field="城市规划、财政、法律",
    public_label="群众代表",
    description=(
        "示例市党的领导机关。市委常委会在市委全体会议闭会期间主持经常工作，讨论决定全市经济社会发展重大问题、"
        "重要干部任免、重大项目安排和大额度资金运作。"
    ),
    synthetic_name="中共示例{n}市委员会",
    synthetic_short="示例{n}市委",
    cadre_reason=_CADRE_REASON_GOV,
)

XIANWEI = Profile(
    key="xianwei",
    unit_type="县委",
    principal_title="县委书记",
    meeting_type="常委会会议",
    expanded_type=None,
    meeting_label="县委常委会{year}年第{n}次会议",
    rules_doc="《中共{org}常委会议事决策规则》",
    roles={
        "body": "县委常委会",
        "principal": "县委书记",
        "lead": "分管县委常委",
        "dept": "牵头部门",
        "legal": "县司法局",
        "office": "县委办公室",
        "org": "县委组织部",
        "finance": "县财政局",
        "audit": "县审计局",
        "purchase": "县公共资源交易中心",
        "discipline": "县纪委监委",
        "party": "县委组织部",
    },
    complaint="示例县纪委监委信访室，电话 0000-12345679（示例）",
    members=(
        MemberDef("县委书记", "主持县委全面工作"),
        MemberDef("县委副书记、县长", "主持县政府全面工作", ("gov",)),
        MemberDef("县委副书记", "协助书记负责党的建设、乡村振兴和信访维稳工作", ("rural", "party", "office")),
        MemberDef("县委常委、县纪委书记、县监委主任", "负责党风廉政建设和纪检监察工作", ("discipline",)),
        MemberDef("县委常委、组织部部长", "负责组织、干部人事和人才工作", ("personnel",)),
        MemberDef(
            "县委常委、常务副县长", "分管财政、审计、国有资产和政府采购", ("finance", "audit", "procure")
        ),
        MemberDef("县委常委、宣传部部长", "负责宣传、意识形态和统战工作", ("propaganda",)),
        MemberDef("县委常委、政法委书记", "负责政法、平安建设和社会治理工作", ("governance",)),
        MemberDef("县委常委、副县长", "分管住建、交通、水利和重点项目建设", ("project",)),
    ),
    powers=(
        PowerDef("dec_implement", "决策部署", "贯彻落实上级重大决策部署", "decision", "中", _LOCAL),
        PowerDef("dec_plan", "决策部署", "全县经济社会发展规划和年度目标", "decision", "中", _LOCAL),
        PowerDef("dec_reform", "决策部署", "重大改革事项", "decision", "中", _LOCAL),
        PowerDef(
            "dec_rural", "决策部署", "乡村振兴重大事项", "decision", "中", "《中华人民共和国乡村振兴促进法》"
        ),
        PowerDef(
            "dec_industry",
            "决策部署",
            "县域产业布局和园区建设",
            "decision",
            "中",
            "《重大行政决策程序暂行条例》",
        ),
        PowerDef(
            "dec_policy",
            "决策部署",
            "重大政策性文件审定",
            "policy",
            "低",
            "《中国共产党党内法规和规范性文件备案审查规定》",
        ),
        PowerDef(
            "dec_emergency",
            "决策部署",
            "防汛抗旱和重大突发事件处置",
            "emergency",
            "中",
            "《中华人民共和国突发事件应对法》",
            "县委常委会（紧急情况下由县委书记临机处置，事后书面通报）",
        ),
        PowerDef(
            "dec_governance", "决策部署", "信访维稳和社会治理重大事项", "decision", "中", "《信访工作条例》"
        ),
        PowerDef(
            "dec_livelihood", "决策部署", "民生实事项目确定", "decision", "低", "《重大行政决策程序暂行条例》"
        ),
        PowerDef("cadre_select", "干部人事", "县管干部选拔任用", "cadre", "高", _CADRE_RULE),
        PowerDef("cadre_town", "干部人事", "乡镇党政正职任免", "cadre", "高", _CADRE_RULE),
        PowerDef(
            "cadre_rotate",
            "干部人事",
            "县管干部交流轮岗",
            "cadre_short",
            "中",
            "《党政领导干部交流工作规定》",
        ),
        PowerDef(
            "cadre_assess",
            "干部人事",
            "干部考核和年度考核结果运用",
            "assess",
            "中",
            "《党政领导干部考核工作条例》",
        ),
        PowerDef(
            "cadre_village",
            "干部人事",
            "选派驻村第一书记",
            "cadre_short",
            "低",
            "《中国共产党农村基层组织工作条例》",
        ),
        PowerDef("fund_budget", "财务资金", "县级预算安排和调整建议", "budget", "高", _BUDGET_LAW),
        PowerDef("fund_large", "财务资金", "大额度财政资金使用", "funds", "高", _BUDGET_LAW),
        PowerDef("fund_agri", "财务资金", "涉农资金统筹整合", "funds", "高", _BUDGET_LAW),
        PowerDef("fund_debt", "财务资金", "政府债务管理", "funds", "高", _BUDGET_LAW),
        PowerDef("fund_assets", "财务资金", "国有资产处置", "assets", "高", _ASSETS_RULE),
        PowerDef("proj_major", "项目建设", "重大投资项目安排", "project", "高", _INVEST),
        PowerDef("proj_rural", "项目建设", "农村基础设施和人居环境整治项目", "project", "中", _INVEST),
        PowerDef("proj_invest", "项目建设", "招商引资项目", "project", "高", "《优化营商环境条例》"),
        PowerDef("proj_oldtown", "项目建设", "县城更新和老旧小区改造", "project", "高", _INVEST),
        *_GOV_POWERS_COMMON,
        PowerDef(
            "sup_inspect",
            "监督问责",
            "党风廉政建设和巡察工作",
            "supervise",
            "中",
            "《中国共产党巡视工作条例》",
        ),
        PowerDef(
            "sup_accountability", "监督问责", "问责和容错纠错", "supervise", "中", "《中国共产党问责条例》"
        ),
        PowerDef("sup_town", "监督问责", "乡镇权力运行监督", "audit", "中", "《中国共产党党内监督条例》"),
        PowerDef(
            "party_base", "党的建设", "基层党组织建设", "party", "低", "《中国共产党支部工作条例（试行）》"
        ),
        PowerDef(
            "party_member", "党的建设", "党员发展和教育管理", "party", "低", "《中国共产党发展党员工作细则》"
        ),
        PowerDef(
            "party_ideology",
            "党的建设",
            "意识形态工作",
            "party",
            "中",
            "《党委（党组）意识形态工作责任制实施办法》",
        ),
        PowerDef(
            "party_village",
            "党的建设",
            "村（社区）“两委”班子建设",
            "party",
            "中",
            "《中国共产党农村基层组织工作条例》",
        ),
    ),
    negatives=(
        NegDef(
            "领导班子",
            "不得违规干预乡镇“三重一大”事项决策和村级事务。",
            _LOCAL,
            "决定无效，依规依纪追究相关人员责任。",
        ),
        NegDef(
            "班子成员",
            "不得违规打招呼、递条子干预干部选拔任用。",
            _CADRE_RULE,
            "如实记录并报告，依规依纪严肃处理。",
        ),
        NegDef(
            "领导班子",
            "不得违规举债上项目，不得搞脱离实际的形象工程、政绩工程。",
            _INVEST,
            "责令停止实施，依规依纪追究决策责任，实行终身问责。",
        ),
        NegDef(
            "班子成员",
            "不得截留、挪用涉农资金和衔接资金。",
            "《中华人民共和国乡村振兴促进法》",
            "责令追回资金，依规依纪依法严肃处理。",
        ),
        NegDef(
            "领导班子",
            "不得违反程序征收土地和处置农村集体资产。",
            "《中华人民共和国土地管理法》",
            "相关决定无效，依法依规追究责任。",
        ),
    ),
    general_negatives=15,
    templates=(
        _t(
            "J",
            "关于贯彻落实{doc}的实施方案",
            "研究贯彻落实{doc}的具体举措，明确{m}项重点任务，逐项落实到县领导和责任单位，由县委办公室按月调度。",
            "dec_implement",
            "office",
            pre="policy",
            doc=(
                "市委全会精神",
                "全市经济工作会议精神",
                "中央八项规定及其实施细则精神",
                "全市“三重一大”决策制度监督实效试点工作部署",
            ),
        ),
        _t(
            "J",
            "{year}年全县{work}工作要点",
            "审议{year}年全县{work}工作要点，确定年度目标任务{m}项，明确责任单位和完成时限。",
            "dec_plan",
            "gov",
            pre="policy",
            hearing="征求意见",
            work=("经济社会发展", "县域经济", "安全生产", "民生实事", "营商环境"),
        ),
        _t(
            "J",
            "全县乡村振兴{rv}实施方案",
            "审议全县乡村振兴{rv}实施方案，覆盖{place}等{n}个乡镇{m}个行政村，统筹各级资金约{wan}万元，"
            "项目清单在县政府网站公开。",
            "dec_rural",
            "rural",
            (5_000_000, 60_000_000, 10_000),
            hearing="征求意见",
            rv=("示范村创建", "特色种植产业发展", "农村人居环境整治", "衔接资金项目管理", "高标准农田建设"),
        ),
        _t(
            "J",
            "{place}{issue}工作方案",
            "审议{place}{issue}工作方案，明确工作目标、责任分工和风险防控措施，经社会稳定风险评估为低风险。",
            "dec_governance",
            "governance",
            hearing="征求意见",
            issue=("乡村治理示范创建", "信访积案化解", "土地征收社会稳定风险防控", "平安乡镇创建"),
        ),
        _t(
            "J",
            "县域{industry}产业发展规划",
            "审议县域{industry}产业发展规划，明确发展目标、空间布局和扶持政策，规划已经专家论证和风险评估。",
            "dec_industry",
            "gov",
            hearing="专家论证",
            industry=("新能源", "农产品精深加工", "文旅康养", "现代物流"),
        ),
        _t(
            "J",
            "全县{event}应急预案（修订）",
            "审议修订后的{event}应急预案，明确{n}级响应标准、乡镇和部门职责及物资储备要求。",
            "dec_emergency",
            "gov",
            hearing="专家论证",
            event=("防汛抗旱", "森林防火", "地质灾害防治", "安全生产事故"),
        ),
        _t(
            "J",
            "关于开展{audit_obj}专项审计的决定",
            "同意由县审计局对{audit_obj}开展专项审计，审计发现问题移交县纪委监委和主管部门处理，整改情况按规定公开。",
            "sup_town",
            "audit",
            pre="internal",
            audit_obj=("乡镇“三资”管理", "涉农资金使用", "乡镇工程建设项目", "村级集体经济收支"),
        ),
        _t(
            "G",
            "关于{cadre}等{k}名同志职务任免的决定",
            "经民主推荐、组织考察和任前公示，决定任命{cadre}等{k}名同志为县直单位和乡镇领导班子成员，免去其原任职务。",
            "cadre_select",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{place}党委书记人选的决定",
            "经动议、民主推荐、组织考察和酝酿沟通，确定{cadre}同志为{place}党委书记人选，按程序办理。",
            "cadre_town",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{place}等乡镇干部任免的决定",
            "审议{place}等{n}个乡镇领导班子干部任免事项，涉及{k}名同志，表决前已完成考察和任前公示。",
            "cadre_select",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于县管干部交流轮岗的决定",
            "决定对在同一职位任职满10年的{k}名县管干部进行交流轮岗，重点推进乡镇与县直部门之间双向交流。",
            "cadre_rotate",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于选派{k}名驻村第一书记的决定",
            "决定选派{k}名县直单位干部到{place}等乡村振兴重点村担任驻村第一书记，任期2年。",
            "cadre_village",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{cadre}同志免职的决定",
            "因{why}，免去{cadre}同志{bureau}领导职务。",
            "cadre_select",
            "personnel",
            pre="cadre",
            why=("达到任职年龄界限", "工作调动", "受到问责处理"),
        ),
        _t(
            "G",
            "{year}年度乡镇领导班子和领导干部综合考核结果运用方案",
            "审议乡镇领导班子年度综合考核结果，确定优秀等次班子{n}个，对排名靠后的{k}个乡镇主要负责人进行约谈。",
            "cadre_assess",
            "personnel",
            pre="cadre",
        ),
        _t(
            "X",
            "关于县城老旧小区改造{year}年度实施计划的决定",
            "{year}年计划改造县城{m}个老旧小区，涉及{hh}户居民，总投资约{wan}万元，重点实施管网更新、外墙保温和停车设施改造。",
            "proj_oldtown",
            "project",
            (10_000_000, 80_000_000, 10_000),
            hearing="听证会",
        ),
        _t(
            "X",
            "关于{place}农村{infra}项目的决定",
            "项目总投资约{wan}万元，惠及{place}{n}个行政村，同意纳入年度乡村振兴项目库并按规定公开招标。",
            "proj_rural",
            "project",
            (2_000_000, 30_000_000, 10_000),
            hearing="征求意见",
            infra=("供水保障工程", "道路提档升级", "生活污水治理", "人居环境整治"),
        ),
        _t(
            "X",
            "关于{park}招商引资项目的决定",
            "拟引进的{industry}项目计划总投资约{wan}万元，入驻{park}，同意签订投资协议并实行全程代办服务。",
            "proj_invest",
            "gov",
            (50_000_000, 800_000_000, 1_000_000),
            hearing="专家论证",
            park=("县经济开发区", "县农产品加工园", "县现代物流园"),
            industry=("农产品冷链物流", "光伏组件", "食品加工", "新型建材"),
        ),
        _t(
            "X",
            "{year}年县级重点项目投资计划",
            "审议{year}年县级重点项目{m}个，年度计划投资约{wan}万元，实行县领导包联和月调度制度。",
            "proj_major",
            "gov",
            (500_000_000, 3_000_000_000, 10_000_000),
        ),
        _t(
            "X",
            "关于{road}建设项目的决定",
            "{road}项目总投资约{wan}万元，已完成可行性研究和社会稳定风险评估，同意按程序公开招标实施。",
            "proj_major",
            "project",
            (30_000_000, 400_000_000, 100_000),
            hearing="专家论证",
            road=("县城南环路", "县第二人民医院迁建", "县城防洪堤加固", "县职业教育中心"),
        ),
        _t(
            "Z",
            "关于{fund}大额度资金使用的决定",
            "同意从{fund}中安排资金{wan}万元，用于{use}，由县财政局按进度拨付并跟踪问效。",
            "fund_large",
            "finance",
            (2_000_000, 30_000_000, 10_000),
            pre="routine",
            fund=("县级预备费", "上级转移支付资金", "县本级财政结余资金"),
            use=("防汛救灾", "义务教育薄弱学校改造", "农村低保提标", "乡镇卫生院设备更新"),
        ),
        _t(
            "Z",
            "{year}年县级财政预算调整方案",
            "因{reason}，调整县级一般公共预算支出约{wan}万元，同意提请县人大常委会审查批准。",
            "fund_budget",
            "finance",
            (20_000_000, 200_000_000, 100_000),
            pre="routine",
            reason=("新增政府专项债券额度", "上级转移支付增加", "重点项目资金需求变化"),
        ),
        _t(
            "Z",
            "关于{year}年涉农资金统筹整合方案的决定",
            "统筹整合涉农资金{wan}万元，重点支持乡村振兴产业项目和农村基础设施，项目清单在县政府网站公开。",
            "fund_agri",
            "finance",
            (30_000_000, 150_000_000, 10_000),
            pre="routine",
        ),
        _t(
            "Z",
            "关于{asset}处置的决定",
            "{asset}经评估价值约{wan}万元，同意通过县公共资源交易中心公开处置，收入上缴县级国库。",
            "fund_assets",
            "finance",
            (500_000, 20_000_000, 10_000),
            pre="routine",
            asset=("原县农机公司闲置厂房", "乡镇撤并后闲置办公用房", "县属国有企业部分股权"),
        ),
        _t(
            "Z",
            "关于{year}年政府债务化解计划的决定",
            "{year}年计划化解存量政府债务{wan}万元，明确资金来源和化解时序，确保不发生债务风险。",
            "fund_debt",
            "finance",
            (50_000_000, 300_000_000, 1_000_000),
            hearing="专家论证",
        ),
        _t(
            "Z",
            "关于{buy}政府采购项目的决定",
            "{buy}采购预算{wan}万元，同意采用公开招标方式，由县公共资源交易中心组织实施。",
            "buy_major",
            "procure",
            (1_000_000, 15_000_000, 10_000),
            pre="routine",
            buy=("乡镇卫生院医疗设备", "中小学课桌椅和教学设备", "防汛抢险物资", "农村公路养护服务"),
        ),
    ),
    weights=(35, 25, 22, 18),
    pools=(
        ("place", ("城关镇", "东岭镇", "南河乡", "西坝镇", "北塘镇", "青石乡", "凤凰镇")),
        (
            "bureau",
            (
                "县教育局",
                "县住建局",
                "县交通运输局",
                "县卫生健康局",
                "县农业农村局",
                "县自然资源局",
                "县水利局",
            ),
        ),
    ),
    expert_field="农业、水利、财政、法律",
    public_label="群众代表",
    description="示例县党的领导机关。县委常委会讨论决定全县改革发展稳定中的重大问题和“三重一大”事项。",
    synthetic_name="中共示例{n}县委员会",
    synthetic_short="示例{n}县委",
    cadre_reason=_CADRE_REASON_GOV,
)

_DEPT_CADRE_REASON = (
    "干部任免事项按《党政领导干部选拔任用工作条例》规定程序办理，已完成民主推荐、考察和任前公示，"
    "专家论证、风险评估和预案不适用。"
)

FGW = Profile(
    key="fgw",
    unit_type="部门党组",
    principal_title="党组书记、主任",
    meeting_type="党组会议",
    expanded_type="党组扩大会议",
    meeting_label="党组会议{year}年第{n}次会议",
    rules_doc="《{org}党组“三重一大”决策制度实施办法》",
    roles={
        "body": "党组会议",
        "principal": "党组书记",
        "lead": "分管副主任",
        "dept": "业务科室",
        "legal": "法规科",
        "office": "办公室",
        "org": "人事科",
        "finance": "财务科",
        "audit": "内部审计机构",
        "purchase": "市政府采购中心",
        "discipline": "派驻纪检监察组",
        "party": "机关党委",
    },
    complaint="示例市纪委监委派驻第三纪检监察组，电话 0000-12345680（示例）",
    members=(
        MemberDef("党组书记、主任", "主持全面工作"),
        MemberDef("党组成员、副主任", "分管财务、审计和机关后勤", ("finance", "audit")),
        MemberDef("党组成员、副主任", "分管干部人事、机关党建和社会信用", ("personnel", "party")),
        MemberDef("党组成员、副主任", "分管固定资产投资、重点项目和稽察", ("invest", "project")),
        MemberDef("党组成员、副主任", "分管价格、粮食和物资储备、政府采购", ("price", "procure")),
        MemberDef("党组成员、总经济师", "分管发展规划、经济运行和改革", ("plan",)),
        MemberDef("党组成员、副主任", "分管区域发展、以工代赈和乡村振兴衔接", ("rural",)),
    ),
    powers=(
        PowerDef("plan", "决策部署", "全市发展规划和年度计划编制", "decision", "中", _GROUP_RULE),
        PowerDef("reform", "决策部署", "重大改革政策研究制定", "policy", "中", _GROUP_RULE),
        PowerDef(
            "price",
            "决策部署",
            "价格调整和价格听证事项",
            "price",
            "高",
            "《中华人民共和国价格法》；《政府制定价格听证办法》",
        ),
        PowerDef("key_projects", "决策部署", "重点项目年度计划安排", "decision", "中", _INVEST),
        PowerDef("grain", "决策部署", "粮食和物资储备重大事项", "decision", "中", "《粮食流通管理条例》"),
        PowerDef(
            "rural", "决策部署", "以工代赈和乡村振兴衔接项目", "decision", "中", "《国家以工代赈管理办法》"
        ),
        PowerDef("credit", "决策部署", "社会信用体系建设重大事项", "policy", "低", _GROUP_RULE),
        PowerDef("cadre", "干部人事", "机关科级干部选拔任用", "cadre", "高", _CADRE_RULE),
        PowerDef(
            "rotate", "干部人事", "干部交流轮岗和挂职", "cadre_short", "中", "《党政领导干部交流工作规定》"
        ),
        PowerDef(
            "recruit", "干部人事", "公务员招录和遴选", "cadre_short", "中", "《中华人民共和国公务员法》"
        ),
        PowerDef("assess", "干部人事", "干部考核和奖惩", "assess", "低", "《公务员考核规定》"),
        PowerDef("budget", "财务资金", "部门预算编制和调整", "budget", "中", _BUDGET_LAW),
        PowerDef(
            "pay", "财务资金", "大额资金支付审批", "funds", "高", "《行政事业单位内部控制规范（试行）》"
        ),
        PowerDef("invest_fund", "财务资金", "预算内投资和专项资金分配", "funds", "高", _INVEST),
        PowerDef("assets", "财务资金", "国有资产配置和处置", "assets", "中", _ASSETS_RULE),
        PowerDef("gov_invest", "项目建设", "政府投资项目审批", "project", "高", _INVEST),
        PowerDef(
            "ent_invest",
            "项目建设",
            "企业投资项目核准",
            "project",
            "高",
            "《企业投资项目核准和备案管理条例》",
        ),
        PowerDef("prework", "项目建设", "重大项目前期工作经费安排", "funds", "中", _INVEST),
        PowerDef("inspect", "项目建设", "重点项目稽察", "supervise", "中", _INVEST),
        PowerDef("it_procure", "物资采购", "信息化系统建设采购", "procure", "中", _PROCURE_LAW),
        PowerDef("buy_service", "物资采购", "政府采购和服务外包", "procure", "中", _PROCURE_LAW),
        PowerDef(
            "reserve_procure",
            "物资采购",
            "储备物资采购和轮换",
            "procure",
            "中",
            f"{_PROCURE_LAW}；《粮食流通管理条例》",
        ),
        PowerDef(
            "discipline",
            "监督问责",
            "党风廉政建设责任制落实",
            "supervise",
            "低",
            "《党委（党组）落实全面从严治党主体责任规定》",
        ),
        PowerDef("audit", "监督问责", "内部审计和专项审计", "audit", "中", _AUDIT_RULE),
        PowerDef(
            "party",
            "党的建设",
            "机关党建和意识形态工作",
            "party",
            "低",
            "《中国共产党党和国家机关基层组织工作条例》",
        ),
        PowerDef(
            "party_member",
            "党的建设",
            "党员教育管理和发展党员",
            "party",
            "低",
            "《中国共产党发展党员工作细则》",
        ),
    ),
    negatives=(
        NegDef(
            "班子成员",
            "不得违规审批、核准投资项目或降低审批标准。",
            "《企业投资项目核准和备案管理条例》",
            "撤销违规审批决定，依规依纪依法追究责任。",
        ),
        NegDef(
            "班子成员",
            "在预算内投资和专项资金分配中不得优亲厚友、暗箱操作。",
            _INVEST,
            "责令纠正，追回资金，依规依纪严肃处理。",
        ),
        NegDef(
            "主要负责人",
            "不得违规干预价格成本监审和价格听证。",
            "《政府制定价格听证办法》",
            "相关定价程序重新履行，依规依纪追究责任。",
        ),
        NegDef(
            "班子成员",
            "不得泄露尚未公开的价格调整和项目审批信息。",
            "《中华人民共和国价格法》",
            "依规依纪依法追究责任。",
        ),
    ),
    general_negatives=14,
    templates=(
        _t(
            "J",
            "{year}年全市国民经济和社会发展计划（草案）",
            "审议{year}年全市国民经济和社会发展计划（草案），提出主要预期目标{m}项，同意按程序报市政府审定。",
            "plan",
            "plan",
            pre="policy",
            hearing="征求意见",
        ),
        _t(
            "J",
            "关于{item}价格调整方案的决定",
            "拟对{item}价格进行调整，已完成成本监审和价格听证，调整后居民负担增幅控制在{n}%以内，同意报市政府批准。",
            "price",
            "price",
            hearing="听证会",
            item=("城区居民生活用水", "管道天然气", "城市公交票价", "机动车停放服务收费", "殡葬服务收费"),
        ),
        _t(
            "J",
            "{reform}改革实施方案",
            "审议{reform}改革实施方案，明确{m}项改革任务和时间节点，已公开征求意见并经合法性审查。",
            "reform",
            "plan",
            pre="policy",
            hearing="征求意见",
            reform=("社会信用体系建设", "要素市场化配置", "投资审批制度", "公共资源交易平台整合"),
        ),
        _t(
            "J",
            "关于{year}年地方储备粮{grain}计划的决定",
            "安排地方储备粮{grain}{m}千吨，所需资金约{wan}万元，由承储企业通过省粮食交易平台公开竞价。",
            "grain",
            "price",
            (10_000_000, 60_000_000, 10_000),
            grain=("轮换", "收购", "动用"),
        ),
        _t(
            "J",
            "关于{year}年以工代赈和乡村振兴衔接项目计划的决定",
            "安排以工代赈项目{m}个，中央和省级资金约{wan}万元，预计带动农村劳动力就业{hh}人，项目清单在门户网站公开。",
            "rural",
            "rural",
            (5_000_000, 40_000_000, 10_000),
            hearing="征求意见",
        ),
        _t(
            "J",
            "{year}年全市重点项目{plan2}",
            "审议{year}年全市重点项目{plan2}，共{m}个项目，逐项明确责任单位、投资目标和进度节点。",
            "key_projects",
            "invest",
            pre="policy",
            plan2=("年度计划", "调度方案", "储备清单"),
        ),
        _t(
            "J",
            "关于开展{audit_obj}专项审计的决定",
            "同意委托第三方机构对{audit_obj}开展专项审计，审计结果报党组会议研究并督促整改。",
            "audit",
            "audit",
            pre="internal",
            audit_obj=("中央预算内投资项目", "以工代赈资金", "机关财务收支", "价格调节基金"),
        ),
        _t(
            "G",
            "关于{cadre}等{k}名同志任职的决定",
            "经民主推荐、考察和任前公示，决定任命{cadre}等{k}名同志为机关科室负责人。",
            "cadre",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于机关科级干部交流轮岗的决定",
            "对在同一岗位任职满5年的{k}名科级干部进行交流轮岗，重点涉及项目审批、价格管理等关键岗位。",
            "rotate",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{year}年公开遴选公务员计划的决定",
            "计划公开遴选公务员{k}名，遴选方案报市委组织部备案后实施。",
            "recruit",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于选派{k}名干部到乡村振兴重点帮扶村挂职的决定",
            "选派{k}名机关干部到{place}乡村振兴重点帮扶村挂职，挂职期限2年。",
            "rotate",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "{year}年度机关干部考核结果运用方案",
            "审议年度考核结果，确定优秀等次{n}名，对考核结果靠后的{k}名干部进行提醒谈话。",
            "assess",
            "personnel",
            pre="cadre",
        ),
        _t(
            "X",
            "关于{proj}可行性研究报告审批的决定",
            "{proj}总投资约{wan}万元，经专家评审和节能审查，同意批复可行性研究报告。",
            "gov_invest",
            "invest",
            (50_000_000, 800_000_000, 100_000),
            hearing="专家论证",
            proj=(
                "城区雨污分流改造工程",
                "市第二水厂扩建工程",
                "南湖湿地生态修复工程",
                "市职业技术学院新校区",
                "城北污水处理厂三期工程",
                "东部新城综合管廊工程",
                "北山水库除险加固工程",
                "市中心医院迁建工程",
            ),
        ),
        _t(
            "X",
            "关于{corp}项目核准的决定",
            "{corp}项目总投资约{wan}万元，符合产业政策和国土空间规划，同意予以核准。",
            "ent_invest",
            "invest",
            (100_000_000, 3_000_000_000, 1_000_000),
            hearing="专家论证",
            corp=(
                "北山风电场",
                "渔光互补光伏发电",
                "生物质热电联产",
                "天然气分布式能源",
                "抽水蓄能电站",
                "农光互补光伏发电",
                "氢能产业园",
            ),
        ),
        _t(
            "X",
            "关于{place}{pj}项目初步设计和概算的批复意见",
            "{place}{pj}项目初步设计概算{wan}万元，经专家评审核减{n}%，同意批复。",
            "gov_invest",
            "invest",
            (10_000_000, 200_000_000, 10_000),
            hearing="专家论证",
            pj=("城乡供水一体化", "农村公路提档升级", "中小学校舍改扩建", "公共卫生服务能力提升"),
        ),
        _t(
            "X",
            "关于{year}年重大项目前期工作经费安排的决定",
            "安排前期工作经费{wan}万元，用于{m}个重大项目的可行性研究编制和专家评审。",
            "prework",
            "invest",
            (2_000_000, 15_000_000, 10_000),
            pre="routine",
        ),
        _t(
            "X",
            "关于开展{year}年度重点项目稽察的决定",
            "对{m}个政府投资项目开展稽察，重点检查招标投标、资金使用和工程质量，稽察结果向社会公开。",
            "inspect",
            "invest",
            pre="internal",
        ),
        _t(
            "X",
            "关于{year}年第{qcn}批老旧小区改造项目中央预算内投资申报的决定",
            "汇总{place}等{n}个县（区）老旧小区改造项目{m}个，申报中央预算内投资约{wan}万元。",
            "gov_invest",
            "invest",
            (20_000_000, 150_000_000, 10_000),
            hearing="专家论证",
        ),
        _t(
            "Z",
            "关于{year}年部门预算调整的决定",
            "因工作任务调整，调整部门预算支出约{wan}万元，同意报市财政局审批。",
            "budget",
            "finance",
            (1_000_000, 10_000_000, 10_000),
            pre="routine",
        ),
        _t(
            "Z",
            "关于{item2}大额资金支付的决定",
            "同意支付{item2}费用{wan}万元，已经财务审核和合同审查。",
            "pay",
            "finance",
            (500_000, 5_000_000, 100),
            pre="routine",
            item2=("社会信用信息平台运维", "重大项目库系统升级", "委托第三方评估", "重要商品价格监测"),
        ),
        _t(
            "Z",
            "关于{place}{fundproj}市级补助资金拨付的决定",
            "拨付{place}{fundproj}市级补助资金{wan}万元，按项目进度分期拨付，资金使用情况纳入稽察。",
            "invest_fund",
            "invest",
            (1_000_000, 20_000_000, 10_000),
            pre="routine",
            fundproj=("以工代赈项目", "粮食仓储设施", "社会信用示范创建", "重点项目前期工作"),
        ),
        _t(
            "Z",
            "关于{year}年市级预算内投资计划的决定",
            "安排市级预算内投资{wan}万元，支持{m}个项目，分配结果在门户网站公开。",
            "invest_fund",
            "invest",
            (30_000_000, 200_000_000, 100_000),
            hearing="专家论证",
        ),
        _t(
            "Z",
            "关于{asset}处置的决定",
            "{asset}账面价值约{wan}万元，同意按规定报废处置，处置收入上缴国库。",
            "assets",
            "finance",
            (100_000, 2_000_000, 100),
            pre="routine",
            asset=("报废办公设备", "超年限公务用车", "闲置档案库房设备"),
        ),
        _t(
            "Z",
            "关于{sys}采购项目的决定",
            "{sys}采购预算{wan}万元，同意采用公开招标方式采购。",
            "it_procure",
            "procure",
            (1_000_000, 6_000_000, 100),
            pre="routine",
            sys=("重大项目管理信息系统", "价格监测预警平台", "社会信用信息共享平台升级"),
        ),
        _t(
            "Z",
            "关于{year}年应急储备物资采购和轮换的决定",
            "采购和轮换应急储备物资{m}类，预算约{wan}万元，通过政府采购公开招标。",
            "reserve_procure",
            "procure",
            (2_000_000, 12_000_000, 10_000),
            pre="routine",
        ),
    ),
    weights=(35, 15, 30, 20),
    pools=(("place", ("示例县", "东城区", "西城区", "南湖区", "北山县")),),
    expert_field="宏观经济、工程造价、法律",
    public_label="消费者代表",
    description="负责全市国民经济和社会发展规划、投资项目管理、价格管理和粮食物资储备等工作。",
    synthetic_name="中共示例市第{n}单位党组",
    synthetic_short="第{n}单位党组",
    cadre_reason=_DEPT_CADRE_REASON,
)

SCJG = Profile(
    key="scjg",
    unit_type="部门党组",
    principal_title="党组书记、局长",
    meeting_type="党组会议",
    expanded_type="党组扩大会议",
    meeting_label="党组会议{year}年第{n}次会议",
    rules_doc="《{org}党组“三重一大”决策制度实施办法》",
    roles={
        "body": "党组会议",
        "principal": "党组书记",
        "lead": "分管副局长",
        "dept": "业务科室",
        "legal": "法制科",
        "office": "办公室",
        "org": "政治处",
        "finance": "计划财务科",
        "audit": "内部审计机构",
        "purchase": "市政府采购中心",
        "discipline": "派驻纪检监察组",
        "party": "机关党委",
    },
    complaint="示例市纪委监委派驻第五纪检监察组，电话 0000-12345681；城市管理服务热线 0000-12319（示例）",
    members=(
        MemberDef("党组书记、局长", "主持全面工作"),
        MemberDef("党组成员、副局长", "分管财务、审计和执法装备采购", ("finance", "audit", "procure")),
        MemberDef("党组成员、副局长", "分管干部人事、机关党建和队伍建设", ("personnel", "party")),
        MemberDef("党组成员、副局长", "分管市政设施、老旧小区改造配套和工程项目", ("project",)),
        MemberDef("党组成员、副局长", "分管市容环卫、垃圾分类和数字城管", ("sanitation",)),
        MemberDef("党组成员、综合执法支队支队长", "负责综合执法和执法监督", ("enforce",)),
    ),
    powers=(
        PowerDef("policy_plan", "决策部署", "城市管理重大政策和规划", "policy", "中", _GROUP_RULE),
        PowerDef(
            "rongmao", "决策部署", "市容环境综合整治方案", "decision", "中", "《城市市容和环境卫生管理条例》"
        ),
        PowerDef(
            "penalty",
            "决策部署",
            "重大行政处罚案件集体讨论决定",
            "decision",
            "高",
            "《中华人民共和国行政处罚法》",
        ),
        PowerDef(
            "rules_policy",
            "决策部署",
            "户外广告、占道经营等管理规范制定",
            "policy",
            "中",
            "《城市市容和环境卫生管理条例》",
        ),
        PowerDef(
            "emergency",
            "决策部署",
            "城市管理安全生产和应急处置",
            "emergency",
            "中",
            "《中华人民共和国突发事件应对法》",
            "党组会议（紧急情况下由党组书记临机处置，事后书面通报）",
        ),
        PowerDef("digital", "决策部署", "数字城管和网格化监督", "decision", "低", "《城市管理执法办法》"),
        PowerDef("cadre", "干部人事", "科级干部选拔任用", "cadre", "高", _CADRE_RULE),
        PowerDef(
            "recruit",
            "干部人事",
            "执法人员招录和辅助人员管理",
            "cadre_short",
            "中",
            "《中华人民共和国公务员法》",
        ),
        PowerDef("rotate", "干部人事", "干部交流和考核", "assess", "低", "《党政领导干部交流工作规定》"),
        PowerDef("budget", "财务资金", "部门预算和大额资金使用", "budget", "高", _BUDGET_LAW),
        PowerDef(
            "sanitation_fund",
            "财务资金",
            "环卫作业经费拨付",
            "funds",
            "高",
            "《行政事业单位内部控制规范（试行）》",
        ),
        PowerDef("assets", "财务资金", "罚没物资和国有资产处置", "assets", "高", "《罚没财物管理办法》"),
        PowerDef("municipal", "项目建设", "市政设施维修改造项目", "project", "高", _INVEST),
        PowerDef("oldtown", "项目建设", "老旧小区改造配套项目", "project", "高", _INVEST),
        PowerDef("environ", "项目建设", "环卫设施建设项目", "project", "中", _INVEST),
        PowerDef("smart", "项目建设", "智慧城管平台建设", "project", "中", _INVEST),
        PowerDef("equip_procure", "物资采购", "执法装备和环卫车辆采购", "procure", "高", _PROCURE_LAW),
        PowerDef("outsourcing", "物资采购", "环卫作业服务外包", "procure", "高", "《政府购买服务管理办法》"),
        PowerDef("green", "物资采购", "绿化养护服务采购", "procure", "中", _PROCURE_LAW),
        PowerDef(
            "enforce_sup",
            "监督问责",
            "执法监督和执法过错责任追究",
            "supervise",
            "中",
            "《中华人民共和国行政处罚法》",
        ),
        PowerDef("audit", "监督问责", "内部审计和专项审计", "audit", "中", _AUDIT_RULE),
        PowerDef("complaint", "监督问责", "投诉举报处理和问责", "supervise", "低", "《中国共产党问责条例》"),
        PowerDef(
            "party",
            "党的建设",
            "机关党建和队伍作风建设",
            "party",
            "低",
            "《中国共产党党和国家机关基层组织工作条例》",
        ),
        PowerDef(
            "party_member", "党的建设", "党员发展和教育管理", "party", "低", "《中国共产党发展党员工作细则》"
        ),
    ),
    negatives=(
        NegDef(
            "班子成员",
            "不得违规减免罚款或以罚代管。",
            "《中华人民共和国行政处罚法》",
            "撤销违规决定，依规依纪追究责任。",
        ),
        NegDef(
            "主要负责人",
            "不得干预执法案件办理或为违法当事人说情。",
            "《中华人民共和国行政处罚法》",
            "全面如实记录，依规依纪严肃处理。",
        ),
        NegDef(
            "班子成员",
            "不得在环卫作业、绿化养护等服务外包中指定服务单位。",
            _PROCURE_LAW,
            "采购结果无效，依规依纪依法追究责任。",
        ),
        NegDef(
            "班子成员",
            "不得违规审批户外广告设置和占道经营。",
            "《城市市容和环境卫生管理条例》",
            "撤销违规审批，依规依纪追究责任。",
        ),
    ),
    general_negatives=12,
    templates=(
        _t(
            "J",
            "{year}年全市{work}工作方案",
            "审议{year}年全市{work}工作方案，明确{m}项重点任务和考核办法，已公开征求市民意见。",
            "policy_plan",
            "sanitation",
            pre="policy",
            hearing="征求意见",
            work=("市容环境综合整治", "城市管理精细化", "生活垃圾分类", "违法建设治理", "背街小巷整治"),
        ),
        _t(
            "J",
            "关于{place}{zone}综合整治方案的决定",
            "对{place}{zone}开展综合整治，涉及{m}条道路和{hh}户商户、居民，整治方案已听取群众意见并经风险评估。",
            "rongmao",
            "sanitation",
            hearing="征求意见",
            zone=("火车站周边", "老城区背街小巷", "农贸市场周边", "学校周边"),
        ),
        _t(
            "J",
            "关于{case}案重大行政处罚的集体讨论决定",
            "对{case}案进行集体讨论，认定违法事实清楚、证据确凿，决定依法作出罚款{wan}万元的行政处罚。",
            "penalty",
            "enforce",
            (50_000, 500_000, 1_000),
            pre="internal",
            case=(
                "某房地产公司违法建设",
                "某建筑公司渣土违规运输",
                "某商业综合体违规设置户外广告",
                "某餐饮企业油烟超标排放",
            ),
        ),
        _t(
            "J",
            "{rule}管理办法（修订）",
            "修订{rule}管理办法，明确审批条件、监管责任和处罚标准，已公开征求意见并经合法性审查。",
            "rules_policy",
            "sanitation",
            pre="policy",
            hearing="征求意见",
            rule=("户外广告设置", "占道经营", "城市道路挖掘", "建筑垃圾处置", "共享单车停放"),
        ),
        _t(
            "J",
            "关于开展{audit_obj}专项审计的决定",
            "同意由内部审计机构对{audit_obj}开展专项审计，审计发现问题列入整改台账，整改结果报党组会议。",
            "audit",
            "audit",
            pre="internal",
            audit_obj=("环卫作业经费", "执法罚没款收缴", "市政设施维修资金", "老旧小区改造配套资金"),
        ),
        _t(
            "J",
            "{event}应急预案（修订）",
            "审议修订后的{event}应急预案，明确{n}级响应标准、人员装备和物资保障。",
            "emergency",
            "sanitation",
            hearing="专家论证",
            event=("城市内涝", "冬季冰雪天气道路保畅", "市政设施突发事故", "重大活动市容保障"),
        ),
        _t(
            "G",
            "关于{cadre}等{k}名同志任职的决定",
            "经民主推荐、考察和任前公示，决定任命{cadre}等{k}名同志为科室和执法大队负责人。",
            "cadre",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于执法大队中层干部竞争上岗方案的决定",
            "同意开展执法大队中层干部竞争上岗，设置岗位{k}个，竞争上岗方案在局内公示。",
            "cadre",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{year}年招录城管执法人员和辅助人员的决定",
            "计划招录执法人员{k}名、辅助人员{m}名，招录方案报人力资源和社会保障部门备案。",
            "recruit",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于科级干部交流轮岗的决定",
            "对在执法、审批等关键岗位任职满5年的{k}名科级干部进行交流轮岗。",
            "rotate",
            "personnel",
            pre="cadre",
        ),
        _t(
            "X",
            "关于{place}老旧小区改造配套{item}项目的决定",
            "对{place}{m}个老旧小区实施配套{item}改造，投资约{wan}万元，同意按程序公开招标。",
            "oldtown",
            "project",
            (5_000_000, 60_000_000, 10_000),
            hearing="听证会",
            item=("道路和照明", "排水管网", "绿化提升", "停车设施"),
        ),
        _t(
            "X",
            "关于{road}市政设施维修改造项目的决定",
            "{road}市政设施维修改造项目预算约{wan}万元，包括路面修复、人行道改造和排水设施更新。",
            "municipal",
            "project",
            (2_000_000, 40_000_000, 10_000),
            hearing="专家论证",
            road=("人民路", "解放大道", "滨河路", "建设北路", "文化路"),
        ),
        _t(
            "X",
            "关于{place}{facility}建设项目的决定",
            "{place}{facility}项目总投资约{wan}万元，选址已经听证和社会稳定风险评估。",
            "environ",
            "sanitation",
            (3_000_000, 50_000_000, 10_000),
            hearing="听证会",
            facility=("垃圾中转站", "公共厕所", "建筑垃圾资源化利用厂", "餐厨垃圾处理厂"),
        ),
        _t(
            "X",
            "关于智慧城管平台{phase}建设项目的决定",
            "智慧城管平台{phase}建设项目预算约{wan}万元，已完成专家论证，同意公开招标。",
            "smart",
            "sanitation",
            (2_000_000, 15_000_000, 10_000),
            hearing="专家论证",
            phase=("一期", "二期", "视频监控扩容"),
        ),
        _t(
            "Z",
            "关于{year}年第{qcn}季度环卫作业经费拨付的决定",
            "拨付{place}等{n}个区环卫作业经费{wan}万元，按作业质量考核结果结算。",
            "sanitation_fund",
            "finance",
            (5_000_000, 30_000_000, 10_000),
            pre="routine",
        ),
        _t(
            "Z",
            "关于{equip}设备采购的决定",
            "采购{equip}设备{k}台（套），预算{wan}万元，采用公开招标方式。",
            "equip_procure",
            "procure",
            (500_000, 8_000_000, 100),
            pre="routine",
            equip=("环卫清扫车", "执法记录仪", "洒水车", "高压清洗车", "除雪"),
        ),
        _t(
            "Z",
            "关于{svc}服务外包采购的决定",
            "{svc}服务期3年，预算{wan}万元，通过政府采购公开招标确定服务单位。",
            "outsourcing",
            "procure",
            (3_000_000, 40_000_000, 10_000),
            pre="routine",
            svc=("主城区道路清扫保洁", "公厕运营管理", "数字城管信息采集"),
        ),
        _t(
            "Z",
            "关于城区绿化养护服务采购的决定",
            "城区绿化养护服务面积{m}万平方米，年度预算{wan}万元，通过公开招标确定养护单位。",
            "green",
            "procure",
            (2_000_000, 12_000_000, 10_000),
            pre="routine",
        ),
        _t(
            "Z",
            "关于{year}年部门预算调整的决定",
            "因城市管理任务调整，调整部门预算支出约{wan}万元，同意报市财政局审批。",
            "budget",
            "finance",
            (1_000_000, 8_000_000, 10_000),
            pre="routine",
        ),
        _t(
            "Z",
            "关于{asset}处置的决定",
            "{asset}经评估价值约{wan}万元，同意依法公开处置，收入上缴国库。",
            "assets",
            "finance",
            (50_000, 1_500_000, 100),
            pre="routine",
            asset=("超期无人认领暂扣物品", "报废执法车辆", "闲置环卫设备"),
        ),
    ),
    weights=(30, 15, 30, 25),
    pools=(("place", ("东城区", "西城区", "南湖区", "经开区", "高新区")),),
    expert_field="市政工程、环境卫生、法律",
    public_label="居民代表",
    description="负责全市城市管理、市容环境卫生、市政设施监督和城市管理综合执法等工作。",
    synthetic_name="中共示例市第{n}单位党组",
    synthetic_short="第{n}单位党组",
    cadre_reason=_DEPT_CADRE_REASON,
)

RMYY = Profile(
    key="rmyy",
    unit_type="医院党委",
    principal_title="党委书记",
    meeting_type="党委会议",
    expanded_type="党委扩大会议",
    meeting_label="院党委会{year}年第{n}次会议",
    rules_doc="《{org}党委会议事规则》",
    roles={
        "body": "院党委会",
        "principal": "党委书记",
        "lead": "分管院领导",
        "dept": "职能科室",
        "legal": "法务办公室",
        "office": "院办公室",
        "org": "组织人事部",
        "finance": "财务部",
        "audit": "审计科",
        "purchase": "招标采购中心",
        "discipline": "医院纪委",
        "party": "党委办公室",
    },
    complaint="示例市人民医院纪委，电话 0000-12345682；示例市纪委监委派驻第七纪检监察组（示例）",
    members=(
        MemberDef("党委书记", "主持党委全面工作"),
        MemberDef("党委副书记、院长", "负责医院行政和医疗业务全面工作", ("gov",)),
        MemberDef("党委副书记、纪委书记", "负责纪检监察、医德医风和行风建设", ("discipline",)),
        MemberDef("党委委员、副院长", "分管医疗质量、医务管理和重点学科建设", ("medical",)),
        MemberDef("党委委员、副院长", "分管财务、审计、药品耗材和设备采购", ("finance", "audit", "procure")),
        MemberDef("党委委员、副院长", "分管基建、后勤和信息化建设", ("project",)),
        MemberDef("党委委员、副院长", "分管人事、人才引进和科研教学", ("personnel",)),
    ),
    powers=(
        PowerDef("plan", "决策部署", "医院发展规划和年度工作计划", "decision", "中", _HOSP_RULE),
        PowerDef(
            "quality", "决策部署", "医疗质量与安全管理重大事项", "decision", "中", "《医疗质量管理办法》"
        ),
        PowerDef("discipline_plan", "决策部署", "重点学科和专科建设规划", "decision", "中", _HOSP_RULE),
        PowerDef(
            "rules",
            "决策部署",
            "医院内部管理制度制定和修订",
            "policy",
            "低",
            "《关于建立现代医院管理制度的指导意见》",
        ),
        PowerDef(
            "emergency",
            "决策部署",
            "重大医疗纠纷和突发公共卫生事件处置",
            "emergency",
            "高",
            "《突发公共卫生事件应急条例》；《医疗纠纷预防和处理条例》",
            "院党委会（紧急情况下由党委书记、院长临机处置，事后书面通报）",
        ),
        PowerDef(
            "pricing", "决策部署", "医疗服务价格项目和收费调整", "policy", "中", "《中华人民共和国价格法》"
        ),
        PowerDef(
            "duikou",
            "决策部署",
            "对口支援和医联体建设",
            "decision",
            "低",
            "《关于推进医疗联合体建设和发展的指导意见》",
        ),
        PowerDef(
            "cadre",
            "干部人事",
            "中层干部选拔任用",
            "cadre",
            "高",
            f"{_HOSP_RULE}；《事业单位领导人员管理规定》",
        ),
        PowerDef(
            "recruit",
            "干部人事",
            "人才引进和公开招聘",
            "cadre_short",
            "中",
            "《事业单位公开招聘人员暂行规定》",
        ),
        PowerDef("title", "干部人事", "专业技术职务聘任", "cadre_short", "中", "《事业单位人事管理条例》"),
        PowerDef("rotate", "干部人事", "中层干部考核和交流", "assess", "低", "《事业单位领导人员管理规定》"),
        PowerDef(
            "payroll",
            "干部人事",
            "薪酬绩效分配方案",
            "policy",
            "高",
            "《关于深化公立医院薪酬制度改革的指导意见》",
        ),
        PowerDef("budget", "财务资金", "年度预算和大额资金使用", "budget", "高", "《医院财务制度》"),
        PowerDef("pay", "财务资金", "大额资金支付审批", "funds", "高", "《医院财务制度》"),
        PowerDef("research_fund", "财务资金", "科研经费和专项资金管理", "funds", "中", "《医院财务制度》"),
        PowerDef("assets", "财务资金", "国有资产处置", "assets", "中", _ASSETS_RULE),
        PowerDef("infra", "项目建设", "基本建设和院区改扩建项目", "project", "高", _INVEST),
        PowerDef("repair", "项目建设", "修缮和改造工程", "project", "高", _BID_LAW),
        PowerDef("it", "项目建设", "信息化建设项目", "project", "中", _PROCURE_LAW),
        PowerDef(
            "big_equip",
            "物资采购",
            "大型医用设备采购决定权",
            "procure",
            "高",
            f"《大型医用设备配置与使用管理办法（试行）》；{_PROCURE_LAW}",
        ),
        PowerDef(
            "drugs", "物资采购", "药品和医用耗材遴选及采购", "procure", "高", "《医疗机构药事管理规定》"
        ),
        PowerDef("outsource", "物资采购", "后勤服务社会化外包", "procure", "中", _PROCURE_LAW),
        PowerDef(
            "supplier",
            "物资采购",
            "医用耗材供应商管理",
            "procure",
            "高",
            "《医疗机构医用耗材管理办法（试行）》",
        ),
        PowerDef(
            "ethics",
            "监督问责",
            "医德医风和行风建设问责",
            "supervise",
            "中",
            "《医疗机构工作人员廉洁从业九项准则》",
        ),
        PowerDef("audit", "监督问责", "内部审计和专项审计", "audit", "中", _AUDIT_RULE),
        PowerDef(
            "rectify",
            "监督问责",
            "纠正医药购销领域和医疗服务中不正之风",
            "supervise",
            "高",
            "《医疗机构工作人员廉洁从业九项准则》",
        ),
        PowerDef(
            "party", "党的建设", "党支部建设和党员发展", "party", "低", "《中国共产党支部工作条例（试行）》"
        ),
        PowerDef(
            "ideology",
            "党的建设",
            "统战和意识形态工作",
            "party",
            "低",
            "《党委（党组）意识形态工作责任制实施办法》",
        ),
    ),
    negatives=(
        NegDef(
            "班子成员",
            "不得收受药品、医用耗材、医疗设备企业给予的回扣或其他利益。",
            "《医疗机构工作人员廉洁从业九项准则》",
            "依规依纪依法严肃处理，涉嫌犯罪的移送司法机关。",
        ),
        NegDef(
            "主要负责人",
            "不得违规指定药品、医用耗材品牌或供应商。",
            "《医疗机构药事管理规定》",
            "遴选结果无效，依规依纪追究责任。",
        ),
        NegDef(
            "班子成员", "不得违规干预招标采购评审。", _PROCURE_LAW, "采购结果无效，依规依纪依法追究责任。"
        ),
        NegDef(
            "领导班子",
            "不得以设备投放、捆绑耗材等方式开展违规合作。",
            "《医疗器械监督管理条例》",
            "终止合作，依规依纪追究决策责任。",
        ),
        NegDef(
            "领导班子",
            "不得将科室收入与医务人员个人薪酬直接挂钩。",
            "《医疗机构工作人员廉洁从业九项准则》",
            "责令整改，对相关责任人进行问责。",
        ),
    ),
    general_negatives=15,
    templates=(
        _t(
            "J",
            "医院{year}年度工作计划",
            "审议医院{year}年度工作计划，确定医疗质量、学科建设和运营管理等{m}项年度目标。",
            "plan",
            "gov",
            pre="policy",
        ),
        _t(
            "J",
            "关于{dept}重点专科建设方案的决定",
            "支持{dept}申报省级重点专科，三年投入建设资金约{wan}万元，用于人才培养、设备配置和新技术开展。",
            "discipline_plan",
            "medical",
            (2_000_000, 15_000_000, 10_000),
            hearing="专家论证",
            dept=("心血管内科", "神经外科", "儿科", "急诊医学科", "肿瘤科", "康复医学科"),
        ),
        _t(
            "J",
            "医院{rule}（修订）",
            "修订医院{rule}，已征求职工代表意见并经法务审核。",
            "rules",
            "gov",
            pre="policy",
            hearing="征求意见",
            rule=(
                "医疗质量安全核心制度实施细则",
                "绩效考核和薪酬分配办法",
                "医疗纠纷预防和处理办法",
                "科研经费管理办法",
            ),
        ),
        _t(
            "J",
            "关于{item}医疗服务价格项目申报的决定",
            "拟申报{item}医疗服务价格项目{n}项，已完成成本测算，同意报医疗保障部门审批。",
            "pricing",
            "medical",
            pre="policy",
            item=("新增检查", "康复治疗", "中医适宜技术", "日间手术"),
        ),
        _t(
            "J",
            "关于开展{audit_obj}专项审计的决定",
            "同意由审计科对{audit_obj}开展专项审计，审计发现问题列入整改台账，整改情况报院党委会。",
            "audit",
            "audit",
            pre="internal",
            audit_obj=("医用耗材采购", "科研经费使用", "基建工程结算", "药品采购", "医疗设备使用效益"),
        ),
        _t(
            "J",
            "关于参与{lianti}建设的决定",
            "同意医院牵头参与{lianti}建设，派驻专家{n}名，明确双方权责和绩效考核办法。",
            "duikou",
            "medical",
            pre="policy",
            lianti=("县域医共体", "城市医疗集团", "示例县人民医院对口支援", "远程医疗协作网"),
        ),
        _t(
            "J",
            "{event}应急预案（修订）",
            "审议修订后的{event}应急预案，明确应急指挥体系、人员梯队和物资储备。",
            "emergency",
            "medical",
            hearing="专家论证",
            event=("突发公共卫生事件", "重大医疗纠纷", "院内感染暴发", "大规模伤员救治"),
        ),
        _t(
            "G",
            "关于{cadre}等{k}名同志中层干部任职的决定",
            "经竞聘、民主测评和组织考察，决定聘任{cadre}等{k}名同志为临床和职能科室负责人，试用期一年。",
            "cadre",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{dept}主任人选的决定",
            "经民主推荐和组织考察，确定{cadre}同志为{dept}主任人选，任前公示5个工作日。",
            "cadre",
            "personnel",
            pre="cadre",
            dept=("心血管内科", "普外科", "儿科", "急诊医学科", "医务部", "护理部"),
        ),
        _t(
            "G",
            "关于{year}年公开招聘{talent}的决定",
            "计划公开招聘{talent}{m}名，招聘方案报主管部门备案，招聘结果按规定公示。",
            "recruit",
            "personnel",
            pre="cadre",
            talent=("医学博士", "临床医师", "护理人员", "医技人员"),
        ),
        _t(
            "G",
            "关于{year}年专业技术职务聘任方案的决定",
            "同意{year}年专业技术职务聘任方案，拟聘任高级职称{m}名，评聘过程全程公示。",
            "title",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于中层干部交流轮岗的决定",
            "对在药剂、设备、财务等岗位任职满5年的{k}名中层干部进行交流轮岗。",
            "rotate",
            "personnel",
            pre="cadre",
        ),
        _t(
            "X",
            "关于{building}建设项目的决定",
            "{building}项目总投资约{wan}万元，资金来源为财政补助和医院自筹，已完成可行性研究和社会稳定风险评估。",
            "infra",
            "project",
            (30_000_000, 400_000_000, 100_000),
            hearing="专家论证",
            building=("门急诊综合楼", "住院部新楼", "感染性疾病科病房楼", "院区停车楼", "科研教学楼"),
        ),
        _t(
            "X",
            "关于{repair}改造工程的决定",
            "{repair}改造工程预算约{wan}万元，同意按规定公开招标，施工期间做好医疗秩序保障。",
            "repair",
            "project",
            (1_000_000, 12_000_000, 10_000),
            repair=(
                "手术室净化",
                "老住院楼消防",
                "院区供电增容",
                "病房适老化",
                "中心供氧",
                "门诊楼电梯",
                "污水处理站",
                "食堂",
            ),
        ),
        _t(
            "X",
            "关于{it}建设项目的决定",
            "{it}建设项目预算约{wan}万元，已完成专家论证和信息安全评估，同意公开招标。",
            "it",
            "project",
            (2_000_000, 20_000_000, 10_000),
            hearing="专家论证",
            it=("电子病历系统升级", "互联网诊疗平台", "医院数据中心", "区域影像云平台"),
        ),
        _t(
            "Z",
            "关于{equip}设备采购的决定",
            "采购{equip}设备1台，预算{wan}万元，已完成可行性论证和配置许可，采用公开招标方式。",
            "big_equip",
            "procure",
            (3_000_000, 30_000_000, 100),
            hearing="专家论证",
            equip=("3.0T磁共振成像", "64排CT", "数字减影血管造影（DSA）", "医用直线加速器", "腔镜手术机器人"),
        ),
        _t(
            "Z",
            "关于{year}年度{consumable}遴选结果的决定",
            "经药事管理与药物治疗学委员会遴选，{consumable}{m}个品规，年度采购预算约{wan}万元，通过省级集中采购平台采购。",
            "drugs",
            "procure",
            (5_000_000, 50_000_000, 10_000),
            pre="routine",
            consumable=("新增药品", "高值医用耗材", "检验试剂"),
        ),
        _t(
            "Z",
            "关于{year}年医院预算调整的决定",
            "因业务量变化和设备更新需要，调整年度支出预算约{wan}万元，同意报主管部门备案。",
            "budget",
            "finance",
            (2_000_000, 30_000_000, 10_000),
            pre="routine",
        ),
        _t(
            "Z",
            "关于{svc}服务外包的决定",
            "{svc}服务外包期限3年，预算{wan}万元，通过公开招标确定服务单位。",
            "outsource",
            "procure",
            (1_000_000, 15_000_000, 10_000),
            pre="routine",
            svc=("保洁和运送", "医疗废物处置", "职工餐饮", "安保"),
        ),
        _t(
            "Z",
            "关于{fund}大额资金支付的决定",
            "同意支付{fund}{wan}万元，已经财务审核、合同审查和审计确认。",
            "pay",
            "finance",
            (1_000_000, 30_000_000, 100),
            pre="routine",
            fund=("门急诊综合楼工程进度款", "医疗设备采购尾款", "信息化项目合同款", "科研配套经费"),
        ),
    ),
    weights=(25, 20, 25, 30),
    pools=(),
    expert_field="临床医学、医学工程、财务",
    public_label="患者代表",
    description="示例市属三级综合医院，实行党委领导下的院长负责制，院党委会讨论决定医院“三重一大”事项。",
    synthetic_name="中共示例市第{n}人民医院委员会",
    synthetic_short="市第{n}人民医院党委",
    cadre_reason=(
        "中层干部任免按《事业单位领导人员管理规定》和医院干部选拔任用办法办理，已完成民主测评、考察和公示，"
        "专家论证、风险评估和预案不适用。"
    ),
)

NYJT = Profile(
    key="nyjt",
    unit_type="国有企业党委",
    principal_title="党委书记、董事长",
    meeting_type="党委会议",
    expanded_type="党委扩大会议",
    meeting_label="集团党委会{year}年第{n}次会议",
    rules_doc="《{org}“三重一大”决策制度实施办法》",
    roles={
        "body": "集团党委会",
        "principal": "党委书记、董事长",
        "lead": "分管领导",
        "dept": "业务部门",
        "legal": "法律合规部",
        "office": "综合办公室",
        "org": "党群工作部（人力资源部）",
        "finance": "财务资产部",
        "audit": "审计部",
        "purchase": "招标采购中心",
        "discipline": "集团纪委",
        "party": "党群工作部",
    },
    complaint="示例能源集团纪委，电话 0000-12345683；示例市纪委监委驻市国资委纪检监察组（示例）",
    members=(
        MemberDef("党委书记、董事长", "主持党委和董事会全面工作"),
        MemberDef("党委副书记、总经理", "负责生产经营管理全面工作", ("gov",)),
        MemberDef("党委副书记、工会主席", "负责党建、干部人事和企业文化", ("personnel", "party")),
        MemberDef("党委委员、纪委书记", "负责纪检监察和合规监督", ("discipline",)),
        MemberDef("党委委员、总会计师", "分管财务、资金、融资担保和审计", ("finance", "audit")),
        MemberDef("党委委员、副总经理", "分管工程建设和新能源项目开发", ("project",)),
        MemberDef("党委委员、副总经理", "分管物资采购、安全生产和能源保供", ("procure",)),
        MemberDef("党委委员、副总经理", "分管战略投资、资产管理和改制重组", ("invest",)),
    ),
    powers=(
        PowerDef("strategy", "决策部署", "集团发展战略和中长期规划", "decision", "中", _SOE_RULE),
        PowerDef("plan", "决策部署", "年度经营计划和投资计划", "decision", "中", _SOE_RULE),
        PowerDef(
            "restructure",
            "决策部署",
            "企业改制重组和产权变动",
            "decision",
            "高",
            "《中华人民共和国企业国有资产法》",
        ),
        PowerDef("rules", "决策部署", "重要规章制度制定", "policy", "低", "《中华人民共和国公司法》"),
        PowerDef(
            "safety",
            "决策部署",
            "安全生产重大事项",
            "emergency",
            "高",
            "《中华人民共和国安全生产法》",
            "集团党委会（紧急情况下由党委书记、董事长临机处置，事后书面通报）",
        ),
        PowerDef("guarantee", "决策部署", "能源保供和应急储备", "decision", "中", "《中华人民共和国能源法》"),
        PowerDef("cadre", "干部人事", "集团管理人员选拔任用", "cadre", "高", _SOE_RULE),
        PowerDef("sub_cadre", "干部人事", "所属企业领导人员任免", "cadre", "高", _SOE_RULE),
        PowerDef(
            "recruit", "干部人事", "员工招聘和人事考察", "cadre_short", "中", "《中华人民共和国劳动合同法》"
        ),
        PowerDef(
            "payroll",
            "干部人事",
            "工资总额和薪酬分配",
            "policy",
            "高",
            "《关于改革国有企业工资决定机制的意见》",
        ),
        PowerDef(
            "pay",
            "财务资金",
            "大额资金支付审批",
            "funds",
            "高",
            "《关于进一步推进国有企业贯彻落实“三重一大”决策制度的意见》",
        ),
        PowerDef(
            "finance_plan",
            "财务资金",
            "年度财务预算决算和融资计划",
            "budget",
            "高",
            "《中华人民共和国公司法》",
        ),
        PowerDef(
            "guarantee_fund", "财务资金", "对外担保和融资", "funds", "高", "《中华人民共和国企业国有资产法》"
        ),
        PowerDef(
            "donate",
            "财务资金",
            "对外捐赠和赞助",
            "funds",
            "中",
            "《关于进一步推进国有企业贯彻落实“三重一大”决策制度的意见》",
        ),
        PowerDef(
            "assets", "财务资金", "资产处置和产权转让", "assets", "高", "《企业国有资产交易监督管理办法》"
        ),
        PowerDef(
            "invest", "项目建设", "对外投资项目决策", "invest", "高", "《中华人民共和国企业国有资产法》"
        ),
        PowerDef("project", "项目建设", "重大工程建设项目", "project", "高", _BID_LAW),
        PowerDef("newenergy", "项目建设", "新能源项目开发", "invest", "高", "《中华人民共和国可再生能源法》"),
        PowerDef("fuel_procure", "物资采购", "大宗物资和燃料采购", "procure", "高", _BID_LAW),
        PowerDef("equip_procure", "物资采购", "工程招标和设备采购", "procure", "高", _BID_LAW),
        PowerDef("supplier", "物资采购", "供应商准入和评价", "procure", "中", _BID_LAW),
        PowerDef("audit", "监督问责", "内部审计和经济责任审计", "audit", "中", _AUDIT_RULE),
        PowerDef(
            "liability",
            "监督问责",
            "违规经营投资责任追究",
            "supervise",
            "高",
            "《关于建立国有企业违规经营投资责任追究制度的意见》",
        ),
        PowerDef(
            "compliance", "监督问责", "合规管理和风险防控", "supervise", "中", "《中华人民共和国公司法》"
        ),
        PowerDef("party", "党的建设", "党委前置研究讨论重大经营管理事项", "party", "中", _SOE_RULE),
        PowerDef("party_base", "党的建设", "基层党组织建设和党员发展", "party", "低", _SOE_RULE),
    ),
    negatives=(
        NegDef(
            "领导班子",
            "不得违规对外提供担保或出借资金。",
            "《中华人民共和国企业国有资产法》",
            "责令纠正，造成损失的依规追究违规经营投资责任。",
        ),
        NegDef(
            "领导班子",
            "不得违规开展金融衍生业务和非主业投资。",
            "《关于建立国有企业违规经营投资责任追究制度的意见》",
            "责令停止，造成损失的实行终身追责。",
        ),
        NegDef(
            "班子成员",
            "不得违规低价转让国有资产或逃避进场交易。",
            "《企业国有资产交易监督管理办法》",
            "交易无效，依规依纪依法追究责任。",
        ),
        NegDef(
            "班子成员",
            "不得规避招标或将依法必须招标的项目化整为零。",
            _BID_LAW,
            "责令改正，依规依纪依法追究责任。",
        ),
        NegDef(
            "主要负责人",
            "不得违规发放薪酬福利和超标准职务消费。",
            "《国有企业领导人员廉洁从业若干规定》",
            "追回违规所得，依规依纪严肃处理。",
        ),
        NegDef(
            "班子成员",
            "不得利用企业资源为本人和特定关系人谋取利益。",
            "《国有企业领导人员廉洁从业若干规定》",
            "依规依纪依法严肃处理，追回违规所得。",
        ),
    ),
    general_negatives=12,
    templates=(
        _t(
            "J",
            "集团{year}年度经营计划",
            "确定营业收入、利润总额和安全生产等{m}项年度指标，经党委前置研究后提交董事会决策。",
            "plan",
            "gov",
            pre="policy",
        ),
        _t(
            "J",
            "关于{sub}改制重组方案的决定",
            "审议{sub}改制重组方案，已完成清产核资、审计评估和职工安置方案，同意提交董事会审议并报国资监管机构批准。",
            "restructure",
            "invest",
            hearing="专家论证",
            sub=("燃气公司", "热力公司", "电力检修公司", "新能源开发公司"),
        ),
        _t(
            "J",
            "集团{rule}（修订）",
            "修订集团{rule}，已经法律合规审核和职工代表大会征求意见。",
            "rules",
            "gov",
            pre="policy",
            hearing="征求意见",
            rule=(
                "“三重一大”决策制度实施办法",
                "合规管理办法",
                "投资管理办法",
                "资金管理办法",
                "安全生产责任制规定",
            ),
        ),
        _t(
            "J",
            "关于{year}年{season}能源保供方案的决定",
            "审议{season}能源保供方案，储备电煤和天然气{m}万吨标准煤当量，明确应急调度机制。",
            "guarantee",
            "procure",
            season=("迎峰度夏", "冬季供暖", "春节期间"),
        ),
        _t(
            "J",
            "关于开展{audit_obj}专项审计的决定",
            "同意由审计部对{audit_obj}开展专项审计，审计结果报集团党委会，发现问题移交纪委处理。",
            "audit",
            "audit",
            pre="internal",
            audit_obj=("大额资金支付", "工程项目结算", "燃料采购", "所属企业负责人经济责任", "对外捐赠"),
        ),
        _t(
            "J",
            "关于{event}安全生产专项整治方案的决定",
            "开展{event}安全生产专项整治，排查隐患{m}项，安排整治资金约{wan}万元，实行挂牌督办。",
            "safety",
            "procure",
            (1_000_000, 20_000_000, 10_000),
            hearing="专家论证",
            event=("燃气管网", "电厂锅炉", "储煤场", "新能源场站"),
        ),
        _t(
            "G",
            "关于{cadre}等{k}名同志职务任免的决定",
            "经民主推荐、组织考察和任前公示，决定聘任{cadre}等{k}名同志为集团部门负责人。",
            "cadre",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{sub}领导班子成员任免的决定",
            "经考察和酝酿，决定{cadre}同志任{sub}总经理，按公司章程履行聘任程序。",
            "sub_cadre",
            "personnel",
            pre="cadre",
            sub=("燃气公司", "热力公司", "电力检修公司", "新能源开发公司"),
        ),
        _t(
            "G",
            "关于{sub}等所属企业干部任免的决定",
            "审议{sub}等所属企业中层以上干部任免事项，涉及{k}名同志，按管理权限履行董事会或执行董事聘任程序。",
            "sub_cadre",
            "personnel",
            pre="cadre",
            sub=("燃气公司", "热力公司", "电力检修公司", "新能源开发公司"),
        ),
        _t(
            "G",
            "关于{year}年公开招聘员工的决定",
            "计划招聘员工{m}名，招聘信息、考察和录用结果按规定公开。",
            "recruit",
            "personnel",
            pre="cadre",
        ),
        _t(
            "X",
            "关于{proj}项目投资的决定",
            "{proj}项目总投资约{wan}万元，内部收益率约{irr}%，已完成可行性研究、尽职调查和法律审核，同意提交董事会决策。",
            "newenergy",
            "project",
            (100_000_000, 2_000_000_000, 1_000_000),
            hearing="专家论证",
            proj=("100兆瓦光伏发电", "50兆瓦风电", "天然气分布式能源站", "储能电站", "城区充电基础设施"),
            irr=("6.8", "7.5", "8.2", "9.1"),
        ),
        _t(
            "X",
            "关于{works}工程的决定",
            "{works}工程总投资约{wan}万元，同意按规定公开招标，工程质量和安全由分管领导负责。",
            "project",
            "project",
            (20_000_000, 300_000_000, 100_000),
            hearing="专家论证",
            works=(
                "城东燃气门站建设",
                "热源厂超低排放改造",
                "110千伏变电站建设",
                "城区燃气管网更新改造",
                "老旧小区改造配套燃气管网",
            ),
        ),
        _t(
            "X",
            "关于参股{target}的决定",
            "拟出资{wan}万元参股{target}，持股比例不超过30%，已完成尽职调查和资产评估。",
            "invest",
            "invest",
            (20_000_000, 200_000_000, 1_000_000),
            hearing="专家论证",
            target=("示例市新能源产业基金", "氢能科技公司", "储能技术公司"),
        ),
        _t(
            "Z",
            "关于{item}大额资金支付的决定",
            "同意支付{item}{wan}万元，已经财务审核和合同审查，按资金管理办法支付。",
            "pay",
            "finance",
            (5_000_000, 80_000_000, 100),
            pre="routine",
            item=("燃料采购货款", "工程进度款", "设备采购预付款", "银行贷款本息"),
        ),
        _t(
            "Z",
            "关于{year}年度融资计划的决定",
            "{year}年度计划融资{wan}万元，主要用于新能源项目建设和债务置换，资产负债率控制在65%以内。",
            "finance_plan",
            "finance",
            (100_000_000, 1_000_000_000, 10_000_000),
            hearing="专家论证",
        ),
        _t(
            "Z",
            "关于为{sub}提供担保的决定",
            "同意为全资子公司{sub}银行贷款提供连带责任担保，担保金额{wan}万元，期限3年。",
            "guarantee_fund",
            "finance",
            (20_000_000, 200_000_000, 1_000_000),
            pre="routine",
            sub=("燃气公司", "新能源开发公司", "热力公司"),
        ),
        _t(
            "Z",
            "关于{year}年{donate}对外捐赠的决定",
            "同意向{donate}项目捐赠{wan}万元，捐赠信息在集团网站公开。",
            "donate",
            "finance",
            (200_000, 2_000_000, 10_000),
            pre="routine",
            donate=("乡村振兴帮扶", "困难学生助学", "防汛救灾"),
        ),
        _t(
            "Z",
            "关于{asset}转让的决定",
            "{asset}经评估价值约{wan}万元，同意通过产权交易机构公开挂牌转让。",
            "assets",
            "invest",
            (5_000_000, 100_000_000, 10_000),
            pre="routine",
            asset=("闲置土地使用权", "所属企业部分股权", "报废发电机组"),
        ),
        _t(
            "Z",
            "关于{year}年度{fuel}采购计划的决定",
            "{year}年度计划采购{fuel}，预算约{wan}万元，通过公开招标和长协采购相结合方式实施。",
            "fuel_procure",
            "procure",
            (50_000_000, 500_000_000, 100_000),
            pre="routine",
            fuel=("电煤", "天然气", "生物质燃料"),
        ),
        _t(
            "Z",
            "关于{equip}设备采购的决定",
            "采购{equip}设备，预算{wan}万元，同意公开招标。",
            "equip_procure",
            "procure",
            (5_000_000, 60_000_000, 100),
            pre="routine",
            equip=("燃气调压", "变压器", "光伏组件", "储能电池"),
        ),
        _t(
            "Z",
            "关于{year}年工资总额预算方案的决定",
            "{year}年工资总额预算{wan}万元，与经济效益挂钩，同意报市国资委备案。",
            "payroll",
            "personnel",
            (50_000_000, 200_000_000, 100_000),
            pre="routine",
        ),
    ),
    weights=(25, 15, 30, 30),
    pools=(),
    expert_field="能源工程、财务、法律",
    public_label="用户代表",
    description="示例市属国有独资能源企业，主营电力、燃气和新能源开发。集团党委前置研究讨论重大经营管理事项。",
    synthetic_name="示例第{n}能源集团有限公司党委",
    synthetic_short="第{n}能源集团党委",
    cadre_reason=(
        "管理人员任免按集团领导人员管理办法规定程序办理，已完成考察和任前公示，专家论证、风险评估和预案不适用。"
    ),
)

_TOWN_RULE = "《示例县乡镇党政正职权力制约监督暂行办法》"

#: A township (seed 004): the 党政联席会议 decides by ballot, the 党政正职 state their positions last,
#: and the principal directly runs none of personnel, special funds, construction or public trading
#: (四不直接分管): those go to other members, one of whom assists the 镇长 with the financial review.
ZHEN = Profile(
    key="zhen",
    unit_type="乡镇党委",
    principal_title="镇党委书记",
    meeting_type="党政联席会议",
    expanded_type=None,
    meeting_label="镇党政联席会议{year}年第{n}次会议",
    rules_doc="《{org}党政联席会议议事规则》",
    roles={
        "body": "镇党政联席会议",
        "principal": "镇党委书记",
        "lead": "分管班子成员",
        "dept": "镇相关站所",
        "legal": "镇法律顾问",
        "office": "党政办公室",
        "org": "党建办公室",
        "finance": "镇财政所",
        "audit": "县审计局",
        "purchase": "镇“三资”管理中心（10万元以上由县公共资源交易中心）",
        "discipline": "镇纪委",
        "party": "党建办公室",
    },
    complaint="示例镇纪委，电话 0000-12345690；示例县纪委监委（示例）",
    members=(
        MemberDef("镇党委书记", "主持镇党委全面工作，负责统筹协调和监督管理"),
        MemberDef("镇党委副书记、镇长", "主持镇政府全面工作，负责经济社会发展统筹", ("gov",)),
        MemberDef("镇党委副书记", "分管党建、组织人事、编外用工和精神文明建设", ("personnel", "party")),
        MemberDef("镇党委委员、纪委书记", "负责纪检监察和用权监督", ("discipline",)),
        MemberDef(
            "镇党委委员、副镇长",
            "协助镇长负责财务审核，分管财政、专项资金和农村集体“三资”管理",
            ("finance", "audit"),
        ),
        MemberDef("镇党委委员、副镇长", "分管村镇建设、工程项目和公共资源交易", ("project", "procure")),
        MemberDef("镇党委委员、副镇长", "分管农业农村、乡村振兴和民生实事", ("agri",)),
    ),
    powers=(
        PowerDef("plan", "决策部署", "全镇经济社会发展和民生实事重大事项", "decision", "中", _LOCAL),
        PowerDef("rules", "决策部署", "镇重要管理制度制定", "policy", "低", _LOCAL),
        PowerDef(
            "emergency",
            "决策部署",
            "防汛抗旱等突发事件应急处置",
            "emergency",
            "高",
            "《中华人民共和国突发事件应对法》",
            "镇党政联席会议（紧急情况下由镇党委书记临机处置，事后书面通报）",
        ),
        PowerDef("nomination", "干部人事", "科级干部初始提名", "cadre", "高", _CADRE_RULE),
        PowerDef(
            "section", "干部人事", "股级干部选拔任用", "cadre", "高", "《示例县股级干部选拔任用工作规定》"
        ),
        PowerDef(
            "hire", "干部人事", "编外人员聘用", "cadre_short", "中", "《示例县机关事业单位编外用工管理办法》"
        ),
        PowerDef("spend", "财务资金", "财政经费支出", "funds", "高", _BUDGET_LAW),
        PowerDef("special_fund", "财务资金", "专项资金管理", "funds", "高", _BUDGET_LAW),
        PowerDef("project", "项目建设", "工程项目建设", "project", "高", _BID_LAW),
        PowerDef("trade", "物资采购", "公共资源交易和农村产权交易", "procure", "高", _BID_LAW),
        PowerDef("inspect", "监督问责", "用权专项巡查和公开质询", "supervise", "中", _TOWN_RULE),
        PowerDef("party", "党的建设", "村级党组织建设和党员发展", "party", "低", _LOCAL),
    ),
    negatives=(
        NegDef(
            "主要负责人",
            "党政正职不得直接分管人事、专项资金、工程项目建设和公共资源交易（“四不直接分管”），"
            "分别交由班子其他成员负责，并确定一名班子成员协助镇长负责财务审核。",
            _TOWN_RULE,
            "责令调整分工；情节较重的，对党政正职进行诫勉或组织调整。",
        ),
        NegDef(
            "主要负责人",
            "党政正职经手支出的公务费用，应本人经办签字，不得由他人代签代办。",
            _TOWN_RULE,
            "责令纠正，依规依纪追究责任。",
        ),
        NegDef(
            "主要负责人",
            "特定关系人在本镇辖区从事经营性活动的，不得隐瞒不报，应向县纪委备案。",
            _TOWN_RULE,
            "依规依纪严肃处理。",
        ),
        NegDef(
            "领导班子",
            "公车运行、公务接待、招商引资三项费用不得混列，应财务单列、按季度审核并报县财政部门备案。",
            _TOWN_RULE,
            "责令纠正，予以通报批评。",
        ),
        NegDef(
            "领导班子",
            "涉及全镇经济社会发展、民生实事的重大事项，未事先征求群众意见的，不得提交会议决策。",
            _TOWN_RULE,
            "议题不予上会；已作决定的，重新征求意见后再行研究。",
        ),
        NegDef(
            "班子成员",
            "10万元以上工程项目不得规避县公共资源交易中心统一招标，不得化整为零。",
            _BID_LAW,
            "责令改正，依规依纪依法追究责任。",
        ),
    ),
    general_negatives=12,
    templates=(
        _t(
            "J",
            "示例镇{year}年{plan}实施方案",
            "审议{plan}实施方案，明确{m}项重点任务和责任分工，方案已事先征求村民代表和群众意见。",
            "plan",
            "agri",
            pre="policy",
            hearing="征求意见",
            plan=("乡村振兴重点工作", "农村人居环境整治", "民生实事项目", "防汛抗旱应急准备"),
        ),
        _t(
            "J",
            "关于修订《示例镇{rule}》的决定",
            "修订{rule}，已经合法性审查并征求班子成员和站所意见。",
            "rules",
            "gov",
            pre="policy",
            rule=("财务管理制度", "公务接待管理办法", "村级小微权力清单", "农村集体“三资”管理办法"),
        ),
        _t(
            "J",
            "关于开展{obj}用权专项巡查的决定",
            "由镇纪委对{obj}开展用权专项巡查，巡查结果报党政联席会议并在一定范围内公开。",
            "inspect",
            "discipline",
            pre="internal",
            obj=("村级工程项目", "专项资金使用", "农村产权交易", "编外用工"),
        ),
        _t(
            "G",
            "关于{cadre}等{k}名同志股级干部选拔任用的决定",
            "经民主推荐、组织考察和任前公示，决定任用{cadre}等{k}名同志为镇属站所负责人，按规定报县委组织部备案。",
            "section",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于副科级领导职务初始提名人选的决定",
            "经民主推荐和会议票决，确定{cadre}同志为副科级领导职务初始提名人选，报县委组织部考察。",
            "nomination",
            "personnel",
            pre="cadre",
        ),
        _t(
            "G",
            "关于{year}年聘用编外人员的决定",
            "按编外用工管理程序聘用编外人员{k}名，招聘公告、考试成绩和聘用结果均已公开。",
            "hire",
            "personnel",
            pre="cadre",
        ),
        _t(
            "X",
            "关于{proj}工程的决定",
            "{proj}工程总投资约{wan}万元，已事先征求群众意见，由县公共资源交易中心统一招标。",
            "project",
            "project",
            (1_000_000, 30_000_000, 10_000),
            hearing="征求意见",
            proj=(
                "镇区污水管网改造",
                "农村公路提档升级",
                "农贸市场改造",
                "中心小学运动场建设",
                "高标准农田建设",
            ),
        ),
        _t(
            "X",
            "关于{village}人居环境整治项目的决定",
            "{village}人居环境整治项目投资约{wan}万元，10万元以下部分由镇“三资”管理中心招标，已征求村民意见。",
            "project",
            "project",
            (200_000, 3_000_000, 10_000),
            hearing="征求意见",
            village=("东村", "西村", "南湾村", "北岭村", "河口村"),
        ),
        _t(
            "Z",
            "关于{year}年第{qcn}季度财政经费支出安排的决定",
            "本季度安排财政经费支出{wan}万元，已经镇财政所审核和协助镇长负责财务审核的班子成员审签。",
            "spend",
            "finance",
            (1_000_000, 8_000_000, 1_000),
            pre="routine",
        ),
        _t(
            "Z",
            "关于{fund}专项资金使用方案的决定",
            "{fund}专项资金{wan}万元，按项目进度拨付，使用情况在镇政务公开栏公示。",
            "special_fund",
            "finance",
            (500_000, 10_000_000, 10_000),
            pre="routine",
            fund=("乡村振兴衔接", "农村人居环境整治", "防汛救灾", "高标准农田建设"),
        ),
        _t(
            "Z",
            "关于{asset}公开交易的决定",
            "{asset}经评估价值约{wan}万元，同意通过县农村产权交易平台公开交易，收益归村集体所有。",
            "trade",
            "procure",
            (100_000, 3_000_000, 1_000),
            pre="routine",
            asset=("村集体闲置厂房租赁", "集体林地经营权流转", "农村土地经营权流转"),
        ),
        _t(
            "Z",
            "关于{year}年第{qcn}季度“三项费用”审核的决定",
            "审核本季度公车运行、公务接待、招商引资三项费用共{wan}万元，经镇长签字后报县财政部门备案。",
            "spend",
            "finance",
            (50_000, 400_000, 100),
            pre="routine",
        ),
    ),
    weights=(25, 15, 30, 30),
    pools=(),
    expert_field="农业农村、工程建设、财务",
    public_label="村民代表",
    description="示例县所辖镇的党委。镇党政联席会议讨论决定全镇“三重一大”事项，党政正职“四不直接分管”、末位表态，重大事项票决。",
    synthetic_name="中共示例第{n}镇委员会",
    synthetic_short="第{n}镇党委",
    cadre_reason=(
        "股级干部、初始提名人选和编外人员按规定程序办理，已完成民主推荐、考察和公示，专家论证、风险评估和预案不适用。"
    ),
    ballot=True,
)

PROFILES: tuple[Profile, ...] = (SWEI, XIANWEI, FGW, SCJG, RMYY, NYJT, ZHEN)

# --------------------------------------------------------------------------------------------------
# Units and trees


@dataclass(frozen=True)
class UnitSpec:
    unit_id: str
    name: str
    short_name: str
    org: str
    profile: Profile
    meetings: tuple[int, ...]
    decisions: tuple[int, ...]


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


# --------------------------------------------------------------------------------------------------
# One unit's packages

_HOLIDAY_RANGES: dict[int, tuple[tuple[int, int, int, int], ...]] = {
    2025: ((1, 1, 1, 1), (1, 28, 2, 4), (4, 4, 4, 6), (5, 1, 5, 5), (5, 31, 6, 2), (10, 1, 10, 8)),
    2026: ((1, 1, 1, 3), (2, 15, 2, 23), (4, 4, 4, 6), (5, 1, 5, 5), (6, 19, 6, 21), (10, 1, 10, 7)),
}
_DEFAULT_HOLIDAYS = ((1, 1, 1, 1), (5, 1, 5, 3), (10, 1, 10, 7))


def _workdays(period: Period) -> list[date]:
    ranges = _HOLIDAY_RANGES.get(period.year, _DEFAULT_HOLIDAYS)
    holidays = set()
    for m1, d1, m2, d2 in ranges:
        day = date(period.year, m1, d1)
        while day <= date(period.year, m2, d2):
            holidays.add(day)
            day += timedelta(days=1)
    day = date(period.year, period.first_month, 1)
    end_month = period.first_month + 2
    end = date(period.year + 1, 1, 1) if end_month == 12 else date(period.year, end_month + 1, 1)
    days = []
    while day < end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _previous_weekday(day: date, count: int) -> date:
    while count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def _wan(amount: int) -> str:
    if amount % 10_000 == 0:
        return str(amount // 10_000)
    return f"{amount / 10_000:.2f}".rstrip("0").rstrip(".")


@dataclass
class _Member:
    member_id: str
    name: str
    position: str
    portfolio: str
    rank: int
    tags: tuple[str, ...]
    principal: bool


@dataclass
class _Meeting:
    meeting_id: str
    row: list[str]
    day: date
    present: list[_Member]
    absent: _Member | None


@dataclass
class _Decision:
    row: dict[str, str]
    meeting: _Meeting
    template: Template
    lead: _Member
    stances: list[list[str]]
    hearing_type: str | None = None


REMARKS_RESERVE = (
    "对资金测算依据有保留意见，建议进一步核实工程量和单价。",
    "建议进一步论证实施时序，与年度财力相匹配。",
    "对实施方案中的进度安排有保留意见，建议分步实施。",
    "建议补充征求基层和群众意见后再实施。",
    "对后期运营维护经费来源有保留意见。",
)
REMARKS_AGAINST = (
    "认为前期论证不充分，不同意提交本次会议决定。",
    "资金来源不明确，存在新增债务风险，不同意。",
    "与现行政策规定衔接不够，建议修改后另行上会，本次不同意。",
    "认为实施时机不成熟，不同意。",
)
REMARKS_ABSTAIN = ("本人对相关情况了解不够，弃权。", "因与相关单位有工作往来，主动申请回避表决，弃权。")
REMARKS_AGREE = (
    "同意，建议加强资金使用全过程监管。",
    "同意，建议纪检监察机构跟踪监督。",
    "同意，建议按季度报告执行进展。",
    "同意，建议严格落实招标采购程序。",
    "同意，建议做好政策解读和舆情应对。",
)
REMARKS_CADRE_RESERVE = ("对个别人选的岗位匹配度有保留意见，建议加强任职后跟踪考核。",)
REMARKS_CADRE_AGREE = ("同意，建议加强任职后跟踪管理。", "同意，建议做好任前廉政谈话。")
REMARKS_CADRE_AGAINST = ("认为个别人选任职经历与拟任岗位要求差距较大，不同意。",)

TERMINATED_NOTES = (
    "因上级政策调整，停止实施，已向领导班子书面报告。",
    "经复核，相关需求已由上级专项资金解决，不再执行，已书面通报班子成员。",
    "因选址调整，原方案终止实施，另行提交会议研究。",
)

EXEC_DONE: dict[str, tuple[str, ...]] = {
    "重大事项决策": (
        "已于{y}年{mo}月印发实施，{office}已开展跟踪督查。",
        "各项任务已分解落实，经{office}督查已按期完成。",
    ),
    "重要干部任免": (
        "已完成任前公示，公示期间未收到反映，于{y}年{mo}月办理任职手续。",
        "已按程序办理任免手续，并报上级组织部门备案。",
    ),
    "重大项目安排": (
        "已于{y}年{mo}月完成招标和合同签订，决策事项执行完毕，后续建设纳入项目台账监管。",
        "已于{y}年{mo}月完成立项和资金安排，执行情况已向领导班子报告。",
    ),
    "大额度资金运作": (
        "资金已于{y}年{mo}月按程序拨付到位，{finance}已建立使用台账。",
        "已按决定执行完毕，资金使用情况已公开。",
    ),
}
EXEC_PROGRESS: dict[str, tuple[str, ...]] = {
    "重大事项决策": (
        "正在组织实施，已完成阶段性任务{p}%，预计{y2}年{mo2}月完成。",
        "任务已分解到责任单位，{office}按月跟踪督办。",
    ),
    "重要干部任免": ("正在任前公示，公示结束后办理任职手续。", "已完成谈话，正在办理任职手续。"),
    "重大项目安排": (
        "已完成可行性研究和初步设计，正在组织招标，预计{y2}年{mo2}月开工。",
        "项目已开工，完成投资约{p}%，{audit}跟踪审计。",
    ),
    "大额度资金运作": (
        "已拨付首期资金，其余资金按项目进度拨付。",
        "正在履行采购程序，预计{y2}年{mo2}月完成。",
    ),
}
EXEC_NOT_STARTED = ("正在办理前期手续，计划于{y2}年{mo2}月启动。", "待上级批复后启动实施。")


class _UnitBuilder:
    """Builds the static lists of one unit and then its quarterly packages in order."""

    def __init__(self, spec: UnitSpec, rng: random.Random, periods: list[Period]) -> None:
        self.spec = spec
        self.profile = spec.profile
        self.rng = rng
        self.periods = periods
        self.counters: dict[tuple[int, str], int] = {}
        self.applied: list[str] = []
        profile = self.profile
        self.roles = dict(profile.roles)
        surnames = rng.sample(MEMBER_SURNAMES, len(profile.members))
        self.members = [
            _Member(
                member_id=f"cy{rank:02d}",
                name=f"{surnames[rank - 1]}某",
                position=m.position,
                portfolio=m.portfolio,
                rank=rank,
                tags=m.tags,
                principal=rank == 1,
            )
            for rank, m in enumerate(profile.members, start=1)
        ]
        self.principal = self.members[0]
        self.others = self.members[1:]
        rules = profile.rules_doc.format(org=spec.org)
        self.power_ids: dict[str, str] = {}
        self.power_flows = {power.key: power.flow for power in profile.powers}
        self.power_rows: list[list[str]] = []
        self.step_rows: list[list[str]] = []
        for index, power in enumerate(profile.powers, start=1):
            item_id = f"ql{index:03d}"
            self.power_ids[power.key] = item_id
            steps = FLOWS[power.flow]
            holder = power.holder or self.roles["body"]
            self.power_rows.append(
                [
                    item_id,
                    power.category,
                    power.name,
                    holder,
                    f"{power.basis}；{rules}第{_cn_number(index + 5)}条",
                    "→".join(step for step, _, _ in steps) + "。",
                    profile.complaint,
                    power.risk,
                ]
            )
            for step_no, (step, actor, limit) in enumerate(steps, start=1):
                self.step_rows.append([item_id, str(step_no), step, actor.format(**self.roles), limit])
        for template in profile.templates:
            if template.power not in self.power_ids:
                raise DemoError(f"示例数据模板“{template.title}”引用了不存在的权力事项“{template.power}”。")
        negatives = list(GENERAL_NEGATIVES[: profile.general_negatives]) + list(profile.negatives)
        negatives.sort(key=lambda n: APPLIES_ORDER[n.applies_to])
        self.negative_rows = []
        for index, neg in enumerate(negatives, start=1):
            own = f"{rules}第{_cn_number(index + 20)}条"
            basis = f"{neg.basis}；{own}" if neg.basis else own
            self.negative_rows.append([f"fm{index:03d}", neg.applies_to, neg.content, basis, neg.consequence])
        self.member_rows = [
            [m.member_id, m.name, m.position, "是" if m.principal else "否", str(m.rank), m.portfolio]
            for m in self.members
        ]
        self.by_category: dict[str, list[Template]] = {c: [] for c in CATEGORIES.values()}
        for template in profile.templates:
            self.by_category[template.category].append(template)
        self.category_names = [c for c in CATEGORIES.values() if self.by_category[c]]
        self.used_titles: set[str] = set()
        self.decisions_made = 0
        self.category_weights = [
            w for c, w in zip(CATEGORIES.values(), profile.weights, strict=True) if self.by_category[c]
        ]

    # ids ------------------------------------------------------------------------------------------

    def _next(self, year: int, kind: str) -> int:
        key = (year, kind)
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def _lead(self, tag: str, absent: _Member | None) -> _Member:
        for member in self.others:
            if tag in member.tags and member is not absent:
                return member
        for member in self.others:
            if member is not absent:
                return member
        return self.principal

    # package --------------------------------------------------------------------------------------

    def package(
        self, q_index: int, kinds: list[str], withheld: tuple[str, bool] | None = None
    ) -> dict[str, list[list[str]]]:
        rng = self.rng
        period = self.periods[q_index]
        year = period.year
        age = len(self.periods) - 1 - q_index
        n_meetings = self.spec.meetings[q_index]
        n_decisions = self.spec.decisions[q_index]
        self.applied = []
        workdays = _workdays(period)
        candidates = workdays[4:]
        if n_meetings <= len(candidates):
            days = sorted(rng.sample(candidates, n_meetings))
        else:
            days = sorted(rng.choices(candidates, k=n_meetings))

        meetings: list[_Meeting] = []
        for day in days:
            number = self._next(year, "meeting")
            expanded = self.profile.expanded_type is not None and rng.random() < 0.12
            mtype = self.profile.meeting_type
            title = self.profile.meeting_label.format(year=year, n=number)
            if expanded and self.profile.expanded_type:
                mtype = self.profile.expanded_type
                title = title.replace("会议", "扩大会议", 1)
            notice = _previous_weekday(day, rng.choices((1, 2, 3), weights=(55, 33, 12))[0])
            absent = rng.choice(self.others) if rng.random() < 0.22 else None
            present = [m for m in self.members if m is not absent]
            meeting_id = f"hy{year}-{number:03d}"
            row = [
                meeting_id,
                mtype,
                title,
                day.isoformat(),
                notice.isoformat(),
                str(len(self.members)),
                str(len(present)),
                self.principal.member_id,
                "是",
            ]
            meetings.append(_Meeting(meeting_id, row, day, present, absent))

        per_meeting = [1] * n_meetings
        for _ in range(n_decisions - n_meetings):
            per_meeting[rng.randrange(n_meetings)] += 1

        decisions: list[_Decision] = []
        for meeting, count in zip(meetings, per_meeting, strict=True):
            for agenda in range(1, count + 1):
                decisions.append(self._decision(meeting, agenda, period, age))

        self._apply_irregularities(kinds, meetings, decisions)

        hearings = self._hearings(decisions, workdays, period)
        hearing_rows = []
        for _day, subject_row, decision in sorted(hearings, key=lambda h: h[0]):
            hearing_id = f"tz{year}-{self._next(year, 'hearing'):03d}"
            hearing_rows.append([hearing_id, *subject_row])
            if decision is not None:
                decision.row["hearing_id"] = hearing_id
        if withheld is not None:
            self._withhold(decisions, hearing_rows, *withheld)

        decision_rows = []
        stance_rows = []
        decision_fields = field_names("decisions")
        for decision in decisions:
            decision_rows.append([decision.row[name] for name in decision_fields])
            stance_rows.extend(decision.stances)
        return {
            "members": self.member_rows,
            "power_list": self.power_rows,
            "power_steps": self.step_rows,
            "negative_list": self.negative_rows,
            "meetings": [m.row for m in meetings],
            "decisions": decision_rows,
            "stances": stance_rows,
            "hearings": hearing_rows,
        }

    def _decision(self, meeting: _Meeting, agenda: int, period: Period, age: int) -> _Decision:
        rng = self.rng
        year = period.year
        # A unit rarely decides the same titled matter twice: retry a few times, then accept a repeat.
        # Large synthetic units run out of distinct titles, so they stop retrying (keeps them fast).
        values: dict[str, str] = {
            "year": str(year),
            "qcn": "一二三四"[period.quarter - 1],
            "n": str(rng.randint(2, 6)),
            "m": str(rng.randint(6, 36)),
            "k": str(rng.randint(2, 6)),
            "hh": str(rng.randrange(300, 3200, 10)),
            "cadre": f"{rng.choice(CADRE_SURNAMES)}某",
        }
        self.decisions_made += 1
        attempts = 12 if self.decisions_made <= 150 else 1
        for _attempt in range(attempts):
            category = rng.choices(self.category_names, weights=self.category_weights)[0]
            template = rng.choice(self.by_category[category])
            for name, options in self.profile.pools:
                values[name] = rng.choice(options)
            for name, options in template.slots:
                values[name] = rng.choice(options)
            title = template.title.format_map(values)
            if title not in self.used_titles:
                break
        self.used_titles.add(title)
        amount = ""
        if template.amount is not None:
            lo, hi, step = template.amount
            value = rng.randrange(lo, hi + 1, step)
            amount = str(value)
            values["wan"] = _wan(value)
        summary = template.summary.format_map(values)

        is_cadre = category == "重要干部任免"
        if is_cadre:
            vote = "无记名票决"
        elif category == "重大事项决策" and template.pre in ("major", "policy"):
            vote = "记名票决" if rng.random() < 0.3 else "逐位表态"
        else:
            vote = "逐位表态"
        if self.profile.ballot and not is_cadre:
            vote = "记名票决"

        r = rng.random()
        if is_cadre:
            result = "通过" if r < 0.95 else ("修改后通过" if r < 0.98 else "暂缓")
        else:
            result = (
                "通过" if r < 0.86 else ("修改后通过" if r < 0.945 else ("暂缓" if r < 0.985 else "不通过"))
            )

        pre, reason = self._preconditions(template)
        lead = self._lead(template.lead, meeting.absent)
        number = self._next(year, "decision")
        decision_id = f"jc{year}-{number:04d}"
        status, note = self._execution(category, result, meeting.day, period, age, lead)
        row = {
            "decision_id": decision_id,
            "meeting_id": meeting.meeting_id,
            "agenda_no": str(agenda),
            "category": category,
            "title": title,
            "summary": summary,
            "power_item_id": self.power_ids[template.power],
            "amount_yuan": amount,
            "vote_method": vote,
            "result": result,
            "pre_research": pre[0],
            "pre_expert_review": pre[1],
            "pre_risk_assessment": pre[2],
            "pre_legality_review": pre[3],
            "pre_contingency_plan": pre[4],
            "exemption_reason": reason,
            "lead_member_id": lead.member_id,
            "hearing_id": "",
            "execution_status": status,
            "execution_note": note,
            "withheld": "否",
            "withheld_basis": "",
        }
        stances = self._stances(decision_id, meeting, lead, result, is_cadre)
        return _Decision(row, meeting, template, lead, stances)

    def _preconditions(self, template: Template) -> tuple[tuple[str, str, str, str, str], str]:
        done, na = "已完成", "不适用"
        if template.pre == "major":
            return (done, done, done, done, done), ""
        if template.pre == "policy":
            if self.rng.random() < 0.5:
                return (done, done, done, done, done), ""
            return (done, done, done, done, na), "属政策性文件，按文件规定组织实施，无需单独制定预案。"
        if template.pre == "cadre":
            return (done, na, na, done, na), self.profile.cadre_reason
        if template.pre == "routine":
            return (
                (done, na, na, done, na),
                "属预算内常规资金安排或依法采购事项，已经财务审核和合法性审查，不涉及社会稳定风险，专家论证和预案不适用。",
            )
        return (
            (done, na, na, done, na),
            "属内部管理和监督事项，不涉及公众切身利益，专家论证、风险评估和预案不适用。",
        )

    def _execution(
        self, category: str, result: str, day: date, period: Period, age: int, lead: _Member
    ) -> tuple[str, str]:
        rng = self.rng
        if result == "暂缓":
            return "未启动", f"会议决定暂缓，由{lead.position}{lead.name}牵头补充论证后另行提交会议研究。"
        if result == "不通过":
            return "已终止", "会议未通过，不予实施。"
        if category == "重要干部任免":
            weights = (92, 8, 0, 0) if age else (80, 20, 0, 0)
        else:
            weights = (72, 23, 3, 2) if age else (24, 50, 23, 3)
        status = rng.choices(("已完成", "推进中", "未启动", "已终止"), weights=weights)[0]
        last_month = period.first_month + 2
        later = last_month + rng.randint(1, 6)
        values = {
            "y": str(period.year),
            "mo": str(rng.randint(day.month, last_month)),
            "y2": str(period.year + (later - 1) // 12),
            "mo2": str((later - 1) % 12 + 1),
            "p": str(rng.randrange(30, 90, 5)),
            "office": self.roles["office"],
            "finance": self.roles["finance"],
            "audit": self.roles["audit"],
        }
        if status == "已完成":
            text = rng.choice(EXEC_DONE[category])
        elif status == "推进中":
            text = rng.choice(EXEC_PROGRESS[category])
        elif status == "未启动":
            text = rng.choice(EXEC_NOT_STARTED)
        else:
            text = rng.choice(TERMINATED_NOTES)
        return status, text.format_map(values)

    def _stances(
        self, decision_id: str, meeting: _Meeting, lead: _Member, result: str, is_cadre: bool
    ) -> list[list[str]]:
        rng = self.rng
        others = [m for m in reversed(meeting.present) if not m.principal]
        if lead in others:
            others.remove(lead)
            others.insert(0, lead)
        agree_notes = REMARKS_CADRE_AGREE if is_cadre else REMARKS_AGREE
        reserve_notes = REMARKS_CADRE_RESERVE if is_cadre else REMARKS_RESERVE
        against_notes = REMARKS_CADRE_AGAINST if is_cadre else REMARKS_AGAINST
        said: list[tuple[str, str]] = []
        if result == "通过":
            dissent_used = False
            for member in others:
                r = rng.random()
                if member is not lead and not dissent_used and r < 0.05:
                    dissent_used = True
                    if r < 0.03:
                        said.append(("保留意见", rng.choice(reserve_notes)))
                    elif r < 0.042:
                        said.append(("不同意", rng.choice(against_notes)))
                    else:
                        said.append(("弃权", rng.choice(REMARKS_ABSTAIN)))
                elif r > 0.9:
                    said.append(("同意", rng.choice(agree_notes)))
                else:
                    said.append(("同意", ""))
            closing = (
                "同意",
                "同意。请牵头班子成员抓好落实，按期报告执行情况。" if rng.random() < 0.3 else "",
            )
        elif result == "修改后通过":
            reserving = set(rng.sample(range(1, len(others)), min(len(others) - 1, rng.randint(1, 2))))
            for index, _member in enumerate(others):
                if index in reserving:
                    said.append(("保留意见", rng.choice(reserve_notes)))
                else:
                    said.append(("同意", ""))
            closing = ("同意", "同意按会议讨论意见修改完善后实施。")
        elif result == "暂缓":
            reserving = set(rng.sample(range(1, len(others)), min(len(others) - 1, max(1, len(others) // 3))))
            for index, _member in enumerate(others):
                said.append(("保留意见", rng.choice(reserve_notes)) if index in reserving else ("同意", ""))
            closing = ("保留意见", "建议暂缓决定，补充论证后再提交会议研究。")
        else:
            against = set(rng.sample(range(1, len(others)), min(len(others) - 1, len(others) // 2 + 1)))
            for index, _member in enumerate(others):
                said.append(("不同意", rng.choice(against_notes)) if index in against else ("同意", ""))
            closing = ("不同意", "多数成员不同意，本事项不予通过，由牵头部门重新研究。")
        rows = [
            [decision_id, str(order), member.member_id, stance, remark]
            for order, (member, (stance, remark)) in enumerate(zip(others, said, strict=True), start=1)
        ]
        rows.append([decision_id, str(len(others) + 1), self.principal.member_id, closing[0], closing[1]])
        return rows

    def _hearings(
        self, decisions: list[_Decision], workdays: list[date], period: Period
    ) -> list[tuple[date, list[str], _Decision | None]]:
        rng = self.rng
        profile = self.profile
        found: list[tuple[date, list[str], _Decision | None]] = []
        for decision in decisions:
            kind = decision.template.hearing
            if kind is None or rng.random() >= 0.4:
                continue
            before = [d for d in workdays if d < decision.meeting.day]
            day = rng.choice(before[-25:])
            core = decision.row["title"].removeprefix("关于").removesuffix("的决定").removesuffix("的意见")
            subject = {
                "听证会": f"{core}听证会",
                "专家论证": f"{core}专家论证",
                "征求意见": f"{core}公开征求意见",
            }[kind]
            found.append((day, self._hearing_row(kind, day, subject, decision.row["decision_id"]), decision))
        kind = ("民主评议", "质询", "征求意见")[(period.quarter + len(profile.key)) % 3]
        day = rng.choice(workdays)
        subject = {
            "民主评议": f"{period.label}领导班子落实“三重一大”决策制度情况民主评议",
            "质询": f"主要负责人{period.label}履行“三重一大”决策制度情况质询",
            "征求意见": f"{period.year}年权力清单和负面清单修订公开征求意见",
        }[kind]
        found.append((day, self._hearing_row(kind, day, subject, ""), None))
        return found

    def _hearing_row(self, kind: str, day: date, subject: str, decision_id: str) -> list[str]:
        rng = self.rng
        profile = self.profile
        satisfaction = ""
        if kind == "听证会":
            a, b, c, d = rng.randint(8, 20), rng.randint(1, 4), rng.randint(1, 3), rng.randint(2, 5)
            participants = f"{profile.public_label}{a}人、人大代表{b}人、政协委员{c}人、专家{d}人"
            count = a + b + c + d
            received = rng.randint(count // 2, count * 2)
            adopted = int(received * rng.uniform(0.3, 0.8))
            outcome = f"多数参加人员支持实施方案，提出意见{received}条，采纳{adopted}条，已据此完善方案，未采纳意见已说明理由。"
            if rng.random() < 0.5:
                satisfaction = f"{rng.uniform(82, 98):.1f}"
        elif kind == "专家论证":
            count = rng.randint(5, 9)
            participants = f"{profile.expert_field}等领域专家{count}人"
            received = rng.randint(count, count * 3)
            adopted = int(received * rng.uniform(0.5, 0.95))
            outcome = f"专家组认为方案总体可行，提出修改意见{received}条，采纳{adopted}条，论证意见随议题材料提交会议。"
        elif kind == "征求意见":
            a, b = rng.randint(20, 300), rng.randint(5, 30)
            participants = f"社会公众网上留言{a}人次、座谈会代表{b}人"
            count = a + b
            received = rng.randint(10, 150)
            adopted = int(received * rng.uniform(0.2, 0.6))
            outcome = f"通过门户网站和座谈会公开征求意见，收到意见建议{received}条，采纳{adopted}条，采纳情况已公开反馈。"
        elif kind == "质询":
            a, b = rng.randint(11, 21), rng.randint(3, 10)
            participants = f"纪委委员{a}人、列席人员{b}人"
            count = a + b
            received = rng.randint(4, 12)
            adopted = rng.randint(1, received)
            outcome = (
                f"委员就决策程序和执行情况提出问题{received}个，主要负责人当场答复，{adopted}项列入整改清单。"
            )
            satisfaction = f"{rng.uniform(85, 99):.1f}"
        else:
            a, b = rng.randint(30, 120), rng.randint(20, 80)
            participants = f"{profile.public_label}{a}人、干部职工代表{b}人"
            count = a + b
            received = rng.randint(5, 40)
            adopted = int(received * rng.uniform(0.4, 0.9))
            outcome = f"组织民主评议，收到意见建议{received}条，采纳{adopted}条并列入整改清单。"
            satisfaction = f"{rng.uniform(88, 99.5):.1f}"
        return [
            kind,
            day.isoformat(),
            subject,
            decision_id,
            participants,
            str(count),
            str(received),
            str(adopted),
            outcome,
            satisfaction,
            "否",
            "",
        ]

    def _withhold(
        self, decisions: list[_Decision], hearing_rows: list[list[str]], basis: str, with_hearing: bool
    ) -> None:
        """Mark the last money or project decision (with or without a hearing) as withheld by law;
        its hearing, if any, is withheld too. Chosen without the random generator, so that every
        other value of the demo stays as it was."""
        kinds = ("大额度资金运作", "重大项目安排")
        chosen = next(
            d
            for d in reversed(decisions)
            if d.row["category"] in kinds and bool(d.row["hearing_id"]) == with_hearing
        )
        chosen.row["withheld"], chosen.row["withheld_basis"] = "是", basis
        for row in hearing_rows:
            if row[4] == chosen.row["decision_id"]:
                row[-2:] = ["是", basis]

    # irregularities ------------------------------------------------------------------------------

    def _apply_irregularities(
        self, kinds: list[str], meetings: list[_Meeting], decisions: list[_Decision]
    ) -> None:
        rng = self.rng
        for kind in kinds:
            if kind == "notice_same_day":
                meeting = meetings[rng.randrange(len(meetings))]
                meeting.row[4] = meeting.row[3]
            elif kind == "not_recorded":
                meeting = meetings[rng.randrange(len(meetings))]
                meeting.row[8] = "否"
            elif kind == "dissent_no_remark":
                chosen = next(
                    (
                        d
                        for d in decisions
                        if d.row["result"] == "通过"
                        and len(d.stances) >= 4
                        and all(s[3] == "同意" for s in d.stances)
                    ),
                    None,
                )
                if chosen is None:
                    continue
                target = next(s for s in chosen.stances[1:-1])
                target[3], target[4] = "不同意", ""
            elif kind == "no_power_item":
                chosen = next((d for d in decisions if d.row["category"] == "重大事项决策"), decisions[0])
                chosen.row["power_item_id"] = ""
            elif kind == "pre_incomplete":
                chosen = next(
                    (d for d in decisions if d.template.pre == "major" and d.row["result"] == "通过"),
                    None,
                )
                if chosen is None:
                    continue
                chosen.row["pre_risk_assessment"] = "未完成"
                chosen.row["exemption_reason"] = ""
            elif kind == "cadre_show_of_hands":
                cadres = [d for d in decisions if d.row["category"] == "重要干部任免"]
                appointments = [d for d in cadres if self.power_flows[d.template.power] == "cadre"]
                chosen = next(iter(appointments or cadres), None)
                if chosen is None:
                    continue
                chosen.row["vote_method"] = "举手表决"
            elif kind == "principal_not_last":
                chosen = next((d for d in decisions if len(d.stances) >= 4), None)
                if chosen is None:
                    continue
                last, before = chosen.stances[-1], chosen.stances[-2]
                last[2:], before[2:] = before[2:], last[2:]  # same speaking slots, speakers swapped
            elif kind == "principal_leads_funds":
                principal = self.principal
                chosen = next((d for d in decisions if d.row["category"] == "大额度资金运作"), None)
                if chosen is None:
                    continue
                chosen.row["lead_member_id"] = principal.member_id
            self.applied.append(kind)
