"""Unit profiles of the demo data, read from ``generator/demo/data/`` (YAML, so that adding a kind of
unit or changing its power list needs no Python): the kind of leadership body (市委, 县委, 部门党组,
医院党委, 国有企业党委, 乡镇党委) with its members and portfolios, its power list with flow charts,
its negative list and its decision templates.

    data/flows.yaml            power flow charts: step, actor (a {role} of the profile), time limit
    data/negatives.yaml        the general negative-list items, in order of priority
    data/profiles/<key>.yaml   one profile each (the fields of ``Profile``)
    data/phrases.yaml          remarks, notes on terminated decisions and execution notes
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"
CATEGORIES = {"J": "重大事项决策", "G": "重要干部任免", "X": "重大项目安排", "Z": "大额度资金运作"}
#: Who a negative-list item applies to, in the order the list shows them.
APPLIES_ORDER = {"主要负责人": 0, "班子成员": 1, "领导班子": 2}
#: The profiles of the sample city, in its order (the pilot's six units, then the township).
PROFILE_KEYS = ("swei", "xianwei", "fgw", "scjg", "rmyy", "nyjt", "zhen")


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


def load_data(name: str) -> Any:
    """A YAML file of ``generator/demo/data/``."""
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _template(item: dict[str, Any]) -> Template:
    amount = item.get("amount")
    return Template(
        item["category"],
        item["title"],
        item["summary"],
        item["power"],
        item["lead"],
        tuple(amount) if amount is not None else None,
        item.get("pre", "major"),
        item.get("hearing"),
        tuple((name, tuple(values)) for name, values in item["slots"].items()),
    )


@cache
def load_profile(key: str) -> Profile:
    """The profile ``data/profiles/<key>.yaml``."""
    d = load_data(f"profiles/{key}.yaml")
    typed = {  # the fields that are not plain text, as the dataclass holds them
        "roles": dict(d["roles"]),
        "members": tuple(
            MemberDef(m["position"], m["portfolio"], tuple(m.get("tags", ()))) for m in d["members"]
        ),
        "powers": tuple(PowerDef(**p) for p in d["powers"]),
        "negatives": tuple(NegDef(**n) for n in d["negatives"]),
        "templates": tuple(_template(t) for t in d["templates"]),
        "weights": tuple(d["weights"]),
        "pools": tuple((name, tuple(values)) for name, values in d["pools"].items()),
    }
    return Profile(**{**d, **typed})


FLOWS: dict[str, tuple[tuple[str, str, str], ...]] = {
    name: tuple((step, actor, limit) for step, actor, limit in steps)
    for name, steps in load_data("flows.yaml").items()
}
GENERAL_NEGATIVES: tuple[NegDef, ...] = tuple(NegDef(**item) for item in load_data("negatives.yaml"))
PROFILES: tuple[Profile, ...] = tuple(load_profile(key) for key in PROFILE_KEYS)
SWEI, XIANWEI, FGW, SCJG, RMYY, NYJT, ZHEN = PROFILES
