"""The HTML that Python builds (``generator.render.html``), called in the test process with hostile text.

These helpers bypass the templates' autoescape, so each must escape every value from data itself:
a stance remark, a member's name or position, a title, a date, a category. The tests give them
script, event-handler, ``javascript:``, template and Markdown text and pin the exact markup (and so
kill the mutants of ``generator/render/html.py``: docs/mutation.md).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.core.datatree import Period
from generator.core.model import Decision, Disclosure, Meeting, Member, MemberRecord, Stance, Unit
from generator.render.html import (
    badge,
    bar_chart,
    css_key,
    decision_stance_rows,
    stance_rows,
    unit_decision_items,
)

EVIL = '<script>alert(1)</script>" onerror="x" {{ 7*7 }} [点我](javascript:alert(1)) &amp; \'q\''
EVIL_HTML = (
    "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onerror=&quot;x&quot; {{ 7*7 }} "
    "[点我](javascript:alert(1)) &amp;amp; &#x27;q&#x27;"
)


def unit() -> Unit:
    return Unit("u1", "示例市某局党组", "某局", "部门党组", "党组书记", "")


def disclosure(owner: Unit) -> Disclosure:
    dis = Disclosure(owner, Period(2025, 2), Path("u1/2025Q2"), [], [], [], [], [], [])
    owner.disclosures.append(dis)
    return dis


def decision(dis: Disclosure, decision_id: str = "D1", **changes: object) -> Decision:
    d = Decision(
        decision_id=decision_id,
        meeting_id="M1",
        agenda_no=1,
        category="大额度资金运作",
        title="某项资金安排",
        summary="",
        power_item_id="P1",
        amount_yuan=None,
        vote_method="举手表决",
        result="通过",
        pre_research="已完成",
        pre_expert_review="已完成",
        pre_risk_assessment="已完成",
        pre_legality_review="已完成",
        pre_contingency_plan="已完成",
        exemption_reason="",
        lead_member_id="m2",
        hearing_id="",
        execution_status="推进中",
        execution_note="",
        disclosure=dis,
    )
    date = str(changes.pop("date", "2025-05-06"))
    d = replace(d, **changes)  # type: ignore[arg-type]
    d.meeting = Meeting(f"M-{decision_id}", "党组会议", "会议", date, "", 9, 9, "m1", True)
    dis.decisions.append(d)
    return d


PRINCIPAL = Member("m1", "张某", "党组书记", True, 1, "全面工作")
DEPUTY = Member("m2", "李某", "副局长", False, 2, "财务")


def test_css_keys_are_stable_ascii_names() -> None:
    assert [css_key(v) for v in ("重大事项决策", "重要干部任免", "重大项目安排", "大额度资金运作")] == [
        "major",
        "personnel",
        "project",
        "funds",
    ]
    assert [css_key(v) for v in ("通过", "修改后通过", "暂缓", "不通过")] == [
        "passed",
        "amended",
        "deferred",
        "rejected",
    ]
    assert [css_key(v) for v in ("未启动", "推进中", "已完成", "已终止")] == [
        "notstarted",
        "ongoing",
        "done",
        "stopped",
    ]
    assert [css_key(v) for v in ("同意", "不同意", "弃权", "保留意见")] == [
        "agree",
        "disagree",
        "abstain",
        "reserve",
    ]
    assert [css_key(v) for v in ("未完成", "不适用", "高", "中", "低")] == [
        "missing",
        "na",
        "high",
        "medium",
        "low",
    ]
    assert css_key(EVIL) == "other" and css_key("") == "other"


def test_a_badge_escapes_its_text_and_never_puts_it_in_the_class() -> None:
    assert badge("cat", "大额度资金运作") == Markup(
        '<span class="gk-badge gk-cat-funds">大额度资金运作</span>'
    )
    assert badge("stance", EVIL) == Markup(f'<span class="gk-badge gk-stance-other">{EVIL_HTML}</span>')
    assert isinstance(badge("x", "y"), Markup)


def test_a_members_stance_rows_escape_every_value_newest_first() -> None:
    owner = unit()
    dis = disclosure(owner)
    old = decision(dis, "D1", title=EVIL, date="2025-04-01")
    new = decision(dis, "D2", title="第二项", date='2025-05-06"><b>', category=EVIL, result=EVIL)
    old.stances = [Stance(1, "m2", "同意", ""), Stance(2, "m1", "不同意", EVIL)]
    new.stances = [Stance(1, "m1", EVIL, "理由")]
    record = MemberRecord(owner, PRINCIPAL, stances=[(old, old.stances[1]), (new, new.stances[0])])
    html = stance_rows(record, "../../")
    assert isinstance(html, Markup)
    assert html == Markup(
        "<tr><td>2025-05-06&quot;&gt;&lt;b&gt;</td><td>"
        '<a href="../../decisions/u1/D2/">第二项</a></td>'
        f'<td><span class="gk-badge gk-cat-other">{EVIL_HTML}</span></td>'
        f'<td><span class="gk-badge gk-stance-other">{EVIL_HTML}</span></td>'
        "<td>1 / 1</td>"
        "<td>理由</td>"
        f'<td><span class="gk-badge gk-result-other">{EVIL_HTML}</span></td></tr>'
        "\n"
        "<tr><td>2025-04-01</td><td>"
        f'<a href="../../decisions/u1/D1/">{EVIL_HTML}</a></td>'
        '<td><span class="gk-badge gk-cat-funds">大额度资金运作</span></td>'
        '<td><span class="gk-badge gk-stance-disagree">不同意</span></td>'
        "<td>2 / 2</td>"
        f"<td>{EVIL_HTML}</td>"
        '<td><span class="gk-badge gk-result-passed">通过</span></td></tr>'
    )
    assert stance_rows(MemberRecord(owner, PRINCIPAL), "../") == Markup("")


def test_the_unit_decision_list_escapes_every_value() -> None:
    owner = unit()
    dis = disclosure(owner)
    plain = decision(dis, "D1", title=EVIL, execution_status=EVIL)
    withheld = decision(
        dis, "D2", title="依法不予公开", category='x" data-x="1', date="2025-06-30", withheld=True
    )
    html = unit_decision_items([withheld, plain], "../../")
    assert isinstance(html, Markup)
    assert html == Markup(
        '<li class="gk-ditem" data-period="2025Q2" data-category="x&quot; data-x=&quot;1">'
        '<p class="gk-ditem__meta"><time datetime="2025-06-30">2025-06-30</time>'
        '<span class="gk-badge gk-cat-other">x&quot; data-x=&quot;1</span>'
        '<span class="gk-visually-hidden">结果</span><span class="gk-badge gk-result-passed">通过</span>'
        '<span class="gk-label">执行</span><span class="gk-badge gk-exec-ongoing">推进中</span></p>'
        '<p class="gk-ditem__title"><a href="../../decisions/u1/D2/">依法不予公开</a>'
        '<span class="gk-tag gk-tag--withheld">依法不予公开</span></p></li>'
        "\n"
        '<li class="gk-ditem" data-period="2025Q2" data-category="大额度资金运作">'
        '<p class="gk-ditem__meta"><time datetime="2025-05-06">2025-05-06</time>'
        '<span class="gk-badge gk-cat-funds">大额度资金运作</span>'
        '<span class="gk-visually-hidden">结果</span><span class="gk-badge gk-result-passed">通过</span>'
        f'<span class="gk-label">执行</span><span class="gk-badge gk-exec-other">{EVIL_HTML}</span></p>'
        f'<p class="gk-ditem__title"><a href="../../decisions/u1/D1/">{EVIL_HTML}</a></p></li>'
    )
    assert unit_decision_items([], "../") == Markup("")


def test_the_unit_decision_list_without_a_package_has_no_period() -> None:
    owner = unit()
    d = decision(disclosure(owner), "D1")
    item = unit_decision_items([d], "")
    assert item.startswith('<li class="gk-ditem" data-period="2025Q2" ')
    d.disclosure = None
    with pytest.raises(AssertionError):  # a decision's page needs its package
        unit_decision_items([d], "")


def test_a_decisions_stance_rows_escape_names_positions_and_remarks() -> None:
    owner = unit()
    dis = disclosure(owner)
    evil_member = Member("m3", EVIL, EVIL, False, 3, "")
    d = decision(dis, "D1")
    d.stances = [
        Stance(1, "m3", "同意", EVIL, evil_member),
        Stance(2, "m9<x>", "弃权", "", None),
        Stance(3, "m1", "同意", "", PRINCIPAL),
    ]
    paths = {("u1", "m3"): 'units/u1/members/m3/"x', ("u1", "m1"): "units/u1/members/m1/"}
    html = decision_stance_rows(d, "../../", paths)
    assert isinstance(html, Markup)
    assert html == Markup(
        "<tr><td>1</td><td>"
        f'<a href="../../units/u1/members/m3/&quot;x">{EVIL_HTML}</a>'
        f"</td><td>{EVIL_HTML}</td>"
        '<td><span class="gk-badge gk-stance-agree">同意</span></td>'
        f"<td>{EVIL_HTML}</td></tr>"
        "\n"
        "<tr><td>2</td><td>m9&lt;x&gt;"
        "</td><td></td>"
        '<td><span class="gk-badge gk-stance-abstain">弃权</span></td>'
        "<td></td></tr>"
        "\n"
        '<tr class="gk-principal"><td>3</td>'
        '<td><a href="../../units/u1/members/m1/">张某</a>'
        '<span class="gk-tag">主要负责人</span>'
        "</td><td>党组书记</td>"
        '<td><span class="gk-badge gk-stance-agree">同意</span></td>'
        "<td></td></tr>"
    )


def test_a_withheld_decision_shows_no_remark() -> None:
    owner = unit()
    d = decision(disclosure(owner), "D1", withheld=True)
    d.stances = [Stance(1, "m2", "不同意", "不应公开的理由", DEPUTY)]
    html = decision_stance_rows(d, "", {})
    assert "不应公开的理由" not in html
    assert html.endswith("<td>依法不予公开</td></tr>")
    assert "<td>m2</td>" in html  # no page: the member's number
    d.disclosure = None
    with pytest.raises(AssertionError):
        decision_stance_rows(d, "", {})


def test_a_bar_chart_is_exact_and_escapes_its_labels() -> None:
    # 2 slots of 272 px, bars 56 px wide in their middle; heights 182 px × value / largest value
    chart = bar_chart(EVIL, ["2025Q1", EVIL], [3, 4.25], " 项")
    assert isinstance(chart, Markup)
    assert chart == Markup(
        '<svg class="gk-chart" viewBox="0 0 560 260" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{EVIL_HTML}</title><desc>2025Q1 3 项；{EVIL_HTML} 4.2 项</desc>"
        '<line x1="8" y1="216" x2="552" y2="216" class="gk-axis"/>'
        '<rect x="116.0" y="87.5" width="56.0" height="128.5" class="gk-bar"><title>2025Q1：3 项</title></rect>'
        '<text x="144.0" y="81.5" text-anchor="middle" class="gk-bar__value">3 项</text>'
        '<text x="144.0" y="244.0" text-anchor="middle" class="gk-bar__label">2025Q1</text>'
        f'<rect x="388.0" y="34.0" width="56.0" height="182.0" class="gk-bar"><title>{EVIL_HTML}：4.2 项</title></rect>'
        '<text x="416.0" y="28.0" text-anchor="middle" class="gk-bar__value">4.2 项</text>'
        f'<text x="416.0" y="244.0" text-anchor="middle" class="gk-bar__label">{EVIL_HTML}</text></svg>'
    )


def test_a_bar_chart_with_a_maximum_zeros_and_many_bars() -> None:
    chart = bar_chart("符合率", ["甲", "乙"], [50, 0], "%", 100)
    assert (
        '<rect x="116.0" y="125.0" width="56.0" height="91.0" class="gk-bar"><title>甲：50%</title></rect>'
        in chart
    )
    assert '<text x="144.0" y="119.0" text-anchor="middle" class="gk-bar__value">50%</text>' in chart
    assert (
        '<rect x="388.0" y="216.0" width="56.0" height="0.0" class="gk-bar"><title>乙：0%</title></rect>'
        in chart
    )
    assert "<desc>甲 50%；乙 0%</desc>" in chart
    empty = bar_chart("无", [], [])
    assert empty == Markup(
        '<svg class="gk-chart" viewBox="0 0 560 260" role="img" xmlns="http://www.w3.org/2000/svg">'
        '<title>无</title><desc></desc><line x1="8" y1="216" x2="552" y2="216" class="gk-axis"/></svg>'
    )
    zeros = bar_chart("零", ["甲"], [0], "", 0)
    assert '<rect x="252.0" y="216.0" width="56.0" height="0.0" class="gk-bar">' in zeros
    many = bar_chart("多", [str(n) for n in range(20)], [1.0] * 20)
    assert (
        '<rect x="13.4" y="34.0" width="16.3" height="182.0" class="gk-bar"><title>0：1</title></rect>'
        in many
    )
    assert '<text x="21.6" y="28.0" text-anchor="middle" class="gk-bar__value">1</text>' in many
    with pytest.raises(ValueError):
        bar_chart("错", ["甲"], [1, 2])
