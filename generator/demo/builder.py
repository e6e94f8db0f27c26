"""Writing one unit's quarters of demo data: its members, power and negative lists, meetings,
decisions with every member's stance (the principal last), hearings, and the irregularities placed
on purpose (``IRREGULARITIES``)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from generator.core.datatree import Period
from generator.core.schema import (
    field_names,
)
from generator.demo.calendar import _cn_number, _previous_weekday, _wan, _workdays
from generator.demo.profiles import (
    APPLIES_ORDER,
    CATEGORIES,
    FLOWS,
    GENERAL_NEGATIVES,
    Profile,
    Template,
    load_data,
)

MEMBER_SURNAMES = "张李王赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
CADRE_SURNAMES = "韩冯邓曹彭曾田董潘袁蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵万钱严武戴莫孔汤"


class DemoError(Exception):
    """The demo data cannot be written; the message is Chinese."""


@dataclass(frozen=True)
class UnitSpec:
    unit_id: str
    name: str
    short_name: str
    org: str
    profile: Profile
    meetings: tuple[int, ...]
    decisions: tuple[int, ...]


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


_PHRASES = load_data("phrases.yaml")
REMARKS_RESERVE: tuple[str, ...] = tuple(_PHRASES["remarks_reserve"])
REMARKS_AGAINST: tuple[str, ...] = tuple(_PHRASES["remarks_against"])
REMARKS_ABSTAIN: tuple[str, ...] = tuple(_PHRASES["remarks_abstain"])
REMARKS_AGREE: tuple[str, ...] = tuple(_PHRASES["remarks_agree"])
REMARKS_CADRE_RESERVE: tuple[str, ...] = tuple(_PHRASES["remarks_cadre_reserve"])
REMARKS_CADRE_AGREE: tuple[str, ...] = tuple(_PHRASES["remarks_cadre_agree"])
REMARKS_CADRE_AGAINST: tuple[str, ...] = tuple(_PHRASES["remarks_cadre_against"])
TERMINATED_NOTES: tuple[str, ...] = tuple(_PHRASES["terminated_notes"])
EXEC_DONE: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _PHRASES["exec_done"].items()}
EXEC_PROGRESS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _PHRASES["exec_progress"].items()}
EXEC_NOT_STARTED: tuple[str, ...] = tuple(_PHRASES["exec_not_started"])


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
