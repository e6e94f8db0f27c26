"""Rule checks as data: every rule yields an ``Outcome`` for each record it checks (met or broken),
so the same results give the findings list, the compliance rates and the decision pages."""

from __future__ import annotations

import contextlib
import json
import marshal
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from generator.core.cache import Cache
from generator.core.config import ConfigError, PortalConfig
from generator.core.findings import Finding, display_path
from generator.core.messages import fill
from generator.core.model import Disclosure, Portal
from generator.core.schema import field_info, table_of_file

SEVERITIES = ("error", "warning")
SEVERITY_NAMES = {"error": "错误（阻止发布）", "warning": "警示（公开显示）"}


@dataclass(frozen=True)
class RuleInfo:
    slug: str  # stable identifier, used in portal.yml and in JSON reports
    title: str  # short Chinese name, e.g. 一把手末位表态
    summary: str  # what is checked, in plain Chinese
    basis: str  # the document or regulation the rule comes from
    severity: str = "warning"  # default severity
    params: dict[str, Any] = field(default_factory=dict)  # default thresholds
    #: Also judged on a decision withheld by law (依法不予公开): the rule reads only what such a
    #: decision keeps (category, vote method, result, status, stances). Other rules skip it.
    judges_withheld: bool = False
    #: This portal's settings in words for readers, e.g. "议题材料至少提前 {min_days} 天送达": the
    #: ``params`` fill the braces (lists joined with 、). Setting keys never reach a reader's page.
    setting_text: str = ""
    #: What an outcome of this rule says: kind → Chinese template whose placeholders (``{days}``)
    #: are declared by the template itself and given by ``say`` (tests/test_message_placeholders.py).
    messages: dict[str, str] = field(default_factory=dict)

    def say(self, kind: str, **params: Any) -> str:
        """The message ``kind`` filled with ``params``. A placeholder left out raises under
        ``GONGKAI_STRICT_MESSAGES`` (the test suite), else shows as nothing."""
        return fill(f"{self.slug}:{kind}", self.messages[kind], params)

    def describe(self, params: dict[str, Any]) -> str:
        """The settings in force, in plain Chinese (empty for a rule without settings)."""
        words = {
            key: "、".join(map(str, value)) if isinstance(value, list) else value
            for key, value in params.items()
        }
        return self.setting_text.format(**words)


class Outcome(NamedTuple):
    """One rule's verdict on one record. A named tuple, not a dataclass: a portal of 20,000
    decisions has about 200,000 of them, made again from the build cache on every rebuild."""

    rule: str
    unit_id: str
    period: str
    record: str  # "decision:<id>", "meeting:<id>", "member:<id>" or "package"
    passed: bool
    message: str  # plain Chinese, for the reader
    file: str = ""  # CSV path relative to the data directory
    row: int | None = None
    column: str | None = None


def outcomes_file(unit_id: str) -> str:
    """The cache file of a unit's outcomes (one a unit, replaced when its key changes)."""
    return Cache.slot("rules", unit_id)


def recall_outcomes(cache: Cache, unit_id: str, key: str) -> dict[str, list[Outcome]] | None:
    """The outcomes ``RuleReport.remember`` kept for ``unit_id`` under ``key`` (sealed), or None."""
    data = cache.read_keyed(outcomes_file(unit_id), key)
    if data is None:
        return None
    try:
        # Plain values only (marshal: no class is looked up or called while reading); sealed with
        # this user's key, so written by our own build.
        raw = marshal.loads(data)
        make = Outcome._make
        return {str(slug): [make(values) for values in found] for slug, found in raw.items()}
    except (ValueError, TypeError, EOFError, AttributeError):
        return None


@dataclass(frozen=True)
class RuleSettings:
    enabled: bool
    severity: str
    params: dict[str, Any]


CheckFunction = Callable[[Disclosure, RuleSettings, Portal], Iterator[Outcome]]


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    check: CheckFunction


REGISTRY: dict[str, Rule] = {}


def rule(info: RuleInfo) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under ``info.slug``."""

    def register(check: CheckFunction) -> CheckFunction:
        REGISTRY[info.slug] = Rule(info, check)
        return check

    return register


def rule_settings(config: PortalConfig) -> dict[str, RuleSettings]:
    """Every registered rule's settings: defaults overridden by ``rules:`` in portal.yml."""
    raw = config.extra.get("rules") or {}
    if not isinstance(raw, dict):
        raise ConfigError("portal.yml：设置项“rules”应为“规则编号: 设置”的形式。")
    unknown = sorted(set(raw) - set(REGISTRY))
    if unknown:
        raise ConfigError(
            f"portal.yml：未知的规则“{'、'.join(unknown)}”。可用的规则：{'、'.join(sorted(REGISTRY))}。"
        )
    settings = {}
    for slug, registered in sorted(REGISTRY.items()):
        given = raw.get(slug) or {}
        if not isinstance(given, dict):
            raise ConfigError(f"portal.yml：规则“{slug}”的设置应为“键: 值”的形式。")
        enabled = given.get("enabled", True)
        severity = given.get("severity", registered.info.severity)
        if not isinstance(enabled, bool):
            raise ConfigError(f"portal.yml：规则“{slug}”的 enabled 应为 true 或 false，实为“{enabled}”。")
        if severity not in SEVERITIES:
            raise ConfigError(
                f"portal.yml：规则“{slug}”的 severity 应为 error 或 warning，实为“{severity}”。"
            )
        params = dict(registered.info.params)
        for key, value in given.items():
            if key in ("enabled", "severity"):
                continue
            if key not in params:
                known = "、".join(["enabled", "severity", *params]) or "enabled、severity"
                raise ConfigError(f"portal.yml：规则“{slug}”没有设置项“{key}”，可用：{known}。")
            if type(value) is not type(params[key]) and not (
                isinstance(params[key], float) and isinstance(value, int)
            ):
                raise ConfigError(
                    f"portal.yml：规则“{slug}”的“{key}”取值“{value}”类型不对，应与默认值 {params[key]!r} 相同。"
                )
            params[key] = value
        settings[slug] = RuleSettings(enabled, severity, params)
    return settings


@dataclass
class RuleReport:
    settings: dict[str, RuleSettings]
    outcomes: list[Outcome] = field(default_factory=list)
    root: str = ""
    #: Each unit's rules key (``generator.rules.rules_key``): its outcomes are a function of it.
    unit_keys: dict[str, str] = field(default_factory=dict)
    #: The outcomes judged in this build (not taken from the cache), by unit: (key, by rule slug).
    fresh: dict[str, tuple[str, dict[str, list[Outcome]]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._indexed = -1
        self.index()  # the data directory as given, to name files the way validation does

    def remember(self, cache: Cache | None) -> None:
        """Keep the outcomes judged in this build for the next one (sealed; best effort)."""
        if cache is None:
            return
        for unit_id, (key, outcomes) in sorted(self.fresh.items()):
            plain = {slug: [tuple(o) for o in found] for slug, found in outcomes.items()}
            with contextlib.suppress(OSError):  # the cache is an optimisation only
                cache.write_keyed(outcomes_file(unit_id), key, marshal.dumps(plain))
        self.fresh.clear()

    @property
    def findings(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.findings if self.settings[o.rule].severity == "error"]

    @property
    def enabled_rules(self) -> list[Rule]:
        return [REGISTRY[slug] for slug, s in self.settings.items() if s.enabled]

    def for_record(self, unit_id: str, record: str) -> list[Outcome]:
        return self._by_record.get((unit_id, record), [])

    def for_package(self, unit_id: str, period: str) -> list[Outcome]:
        return self._by_package.get((unit_id, period), [])

    def rates(self, unit_id: str | None, period: str | None) -> dict[str, tuple[int, int]]:
        """rule slug → (records meeting it, records checked), for a unit and/or a period (None = all).

        Counted once per package in ``index()``: scorecards ask for these on every page."""
        met: Counter[str] = Counter()
        checked: Counter[str] = Counter()
        for (unit, quarter), counts in self._counts.items():
            if (unit_id is None or unit == unit_id) and (period is None or quarter == period):
                for slug, (yes, total) in counts.items():
                    met[slug] += yes
                    checked[slug] += total
        return {slug: (met[slug], checked[slug]) for slug in checked}

    def index(self) -> None:
        if self._indexed == len(self.outcomes):
            return  # indexed as they are (outcomes are only ever added)
        self._indexed = len(self.outcomes)
        self._by_record: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
        self._by_package: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
        self._counts: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
        for o in self.outcomes:
            self._by_record[(o.unit_id, o.record)].append(o)
            self._by_package[(o.unit_id, o.period)].append(o)
            counts = self._counts[(o.unit_id, o.period)].setdefault(o.rule, [0, 0])
            counts[0] += o.passed
            counts[1] += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": not self.errors,
            "rules": {
                slug: {
                    "title": REGISTRY[slug].info.title,
                    "basis": REGISTRY[slug].info.basis,
                    "enabled": s.enabled,
                    "severity": s.severity,
                    "params": s.params,
                    "met": self.rates(None, None).get(slug, (0, 0))[0],
                    "checked": self.rates(None, None).get(slug, (0, 0))[1],
                }
                for slug, s in self.settings.items()
            },
            "findings": [{**o._asdict(), "severity": self.settings[o.rule].severity} for o in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def as_findings(self, outcomes: list[Outcome] | None = None) -> list[Finding]:
        """Rule breaches in the shape of every other finding (``generator.core.findings``): the
        rule's slug as type, its Chinese title, the message, file, row and column."""
        found = []
        for o in self.findings if outcomes is None else outcomes:
            table = table_of_file(o.file.rsplit("/", 1)[-1])
            info = field_info(table, o.column) if table and o.column else None
            found.append(
                Finding(
                    type=o.rule,
                    title=REGISTRY[o.rule].info.title,
                    message=o.message,
                    file=o.file or f"{o.unit_id}/{o.period}",
                    row=o.row,
                    column=o.column,
                    column_title=info.title if info else None,
                )
            )
        return found

    def to_text(self) -> str:
        lines = []
        for o in self.findings:
            path = display_path(self.root, o.file or f"{o.unit_id}/{o.period}")
            where = f"{path} 第 {o.row} 行" if o.row else path
            level = "错误" if self.settings[o.rule].severity == "error" else "警示"
            lines.append(f"[{level}] {where}：【{REGISTRY[o.rule].info.title}】{o.message}")
        checked = len(self.outcomes)
        if self.errors:
            lines.append(
                f"规则检查未通过：{len(self.errors)} 项错误阻止发布，另有 {len(self.findings) - len(self.errors)} 项警示。"
            )
        elif self.findings:
            lines.append(
                f"规则检查完成：共检查 {checked} 项，{len(self.findings)} 项警示将在网站上公开显示。"
            )
        else:
            lines.append(f"规则检查完成：共检查 {checked} 项，全部符合。")
        return "\n".join(lines)
