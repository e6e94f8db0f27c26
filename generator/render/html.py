"""Every piece of a page that is built as HTML in Python instead of a template, in one place.

These helpers exist for speed (a member page of a thousand rows, a decision list of thousands of
items, a stance table on every decision page: jinja macros would cost several times as much), and
they bypass the templates' autoescape. So each one escapes every value from data itself, and
nothing else in the generator builds HTML from data (tests/test_mutation_html.py pins their
output with hostile text; docs/mutation.md gives the mutation score).
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from generator.core.model import Decision, MemberRecord
from generator.core.urls import path_for

_CSS_KEYS = {
    # categories, results, execution, stances, preconditions, risk: stable ASCII class names
    "重大事项决策": "major", "重要干部任免": "personnel", "重大项目安排": "project", "大额度资金运作": "funds",
    "通过": "passed", "修改后通过": "amended", "暂缓": "deferred", "不通过": "rejected",
    "未启动": "notstarted", "推进中": "ongoing", "已完成": "done", "已终止": "stopped",
    "同意": "agree", "不同意": "disagree", "弃权": "abstain", "保留意见": "reserve",
    "未完成": "missing", "不适用": "na", "高": "high", "中": "medium", "低": "low",
}  # fmt: skip


def css_key(value: str) -> str:
    return _CSS_KEYS.get(value, "other")


def badge(kind: str, value: str) -> Markup:
    """A coloured label such as 通过 or 大额度资金运作 (a Python helper: jinja macros are slow)."""
    return Markup(f'<span class="gk-badge gk-{kind}-{css_key(value)}">{escape(value)}</span>')


def stance_rows(record: MemberRecord, root: str, *, dissent: bool = False) -> Markup:
    """The rows of a member's 逐项表态记录, newest first (with ``dissent``, only the stances other than
    同意): a Python helper, because a quarter's page may have hundreds of rows, and a row of jinja2
    calls costs five times as much. Data is escaped."""
    # Where a phone lays each row out as a card, the stylesheet labels each value with its column's
    # header (.gk-member-stances td:nth-child(n)::before): not a data-label on each of the thousand
    # rows, which had been a sixth of the page.
    # Its cells carry no class either: the stylesheet tells the columns apart by position
    # (.gk-member-stances td:nth-child(n)), which saves a tenth of the page.
    rows = [
        f'<tr><td>{escape(d.date)}</td><td><a href="{escape(root + path_for(d))}">'
        f"{escape(d.title)}</a></td><td>{badge('cat', d.category)}</td>"
        f"<td>{badge('stance', s.stance)}</td><td>{s.order} / {len(d.stances)}</td>"
        f"<td>{escape(s.remark)}</td><td>{badge('result', d.result)}</td></tr>"
        for d, s in reversed(record.stances)
        if not dissent or s.stance != "同意"
    ]
    return Markup("\n".join(rows))


def unit_decision_items(decisions: list[Decision], root: str) -> Markup:
    """The unit page's decision list items: date, category, title, result and execution, each
    marked with the quarter and category that ``assets/gongkai-filter.js`` filters on. A Python
    helper, because a unit of many quarters lists thousands of decisions. Data is escaped."""
    withheld = '<span class="gk-tag gk-tag--withheld">依法不予公开</span>'
    return Markup(
        "\n".join(
            f'<li class="gk-ditem" data-period="{d.disclosure.period if d.disclosure else ""}" '
            f'data-category="{escape(d.category)}"><p class="gk-ditem__meta"><time datetime="{escape(d.date)}">'
            f"{escape(d.date)}</time>{badge('cat', d.category)}"
            f'<span class="gk-visually-hidden">结果</span>{badge("result", d.result)}'
            f'<span class="gk-label">执行</span>{badge("exec", d.execution_status)}</p>'
            f'<p class="gk-ditem__title"><a href="{escape(root + path_for(d))}">{escape(d.title)}</a>'
            f"{withheld if d.withheld else ''}</p></li>"
            for d in decisions
        )
    )


def decision_stance_rows(d: Decision, root: str, member_paths: dict[tuple[str, str], str]) -> Markup:
    """The 逐位表态 rows of a decision page in speaking order, the principal marked and each name linked
    to the member's page (``member_paths``: (unit, member) → page). A Python helper: it runs for every
    stance of every decision. Data is escaped. On a phone's card only the remark is labelled (the
    order, name, 职务 and stance speak for themselves: gongkai.css). The cells carry no class or
    label: the stylesheet tells the columns apart by position (.gk-stances td:nth-child(n)), which
    saves 0.8 KB of every decision page."""
    assert d.disclosure is not None
    rows = []
    for s in d.stances:
        principal = s.member is not None and s.member.is_principal
        path = member_paths.get((d.disclosure.unit.unit_id, s.member_id))
        name = escape(s.member.name if s.member else s.member_id)
        who = f'<a href="{escape(root + path)}">{name}</a>' if path else escape(s.member_id)
        rows.append(
            ('<tr class="gk-principal">' if principal else "<tr>")
            + f"<td>{s.order}</td><td>{who}"
            + ('<span class="gk-tag">主要负责人</span>' if principal else "")
            + f"</td><td>{escape(s.member.position if s.member else '')}</td>"
            + f"<td>{badge('stance', s.stance)}</td>"
            + f"<td>{'依法不予公开' if d.withheld else escape(s.remark or '')}</td></tr>"
        )
    return Markup("\n".join(rows))


def bar_chart(
    title: str, labels: list[str], values: list[float], unit: str = "", maximum: float | None = None
) -> Markup:
    """A static SVG bar chart with a title and description (for screen readers) and value labels."""
    width, height, top, bottom, left = 560, 260, 34, 44, 8
    top_value = maximum if maximum is not None else max([*values, 1])
    slot = (width - left * 2) / max(len(values), 1)
    bar = min(56, slot * 0.6)
    parts = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + index * slot + (slot - bar) / 2
        h = (height - top - bottom) * (value / top_value if top_value else 0)
        y = height - bottom - h
        shown = f"{value:.1f}".removesuffix(".0") + unit
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" class="gk-bar"><title>{escape(label)}：{escape(shown)}</title></rect>'
            f'<text x="{x + bar / 2:.1f}" y="{y - 6:.1f}" text-anchor="middle" class="gk-bar__value">{escape(shown)}</text>'
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 28:.1f}" text-anchor="middle" class="gk-bar__label">{escape(label)}</text>'
        )
    description = "；".join(
        f"{label} {value:.1f}".removesuffix(".0") + unit for label, value in zip(labels, values, strict=True)
    )
    baseline = f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" class="gk-axis"/>'
    return Markup(
        f'<svg class="gk-chart" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{baseline}{''.join(parts)}</svg>"
    )
