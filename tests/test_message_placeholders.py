"""Every finding gives the placeholders its message declares: a template naming one its finding
does not give fails here (statically, for every call with a literal catalog key), and everywhere
else in the suite (``GONGKAI_STRICT_MESSAGES``, set in conftest, makes ``render`` raise)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.core.messages import MESSAGES, STRICT_ENV, MissingPlaceholder, Place, finding_type, render

GENERATOR = Path(__file__).parent.parent / "generator"


def _calls() -> list[tuple[str, int, str, set[str] | None]]:
    """(file, line, catalog key, keywords given — None when given as ``**params``) of every
    ``….finding("key", …)`` and ``render("key", …)`` with a literal key."""
    found = []
    for path in sorted(GENERATOR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            key = node.args[0]
            if name not in ("finding", "render") or not isinstance(key, ast.Constant):
                continue
            given = None if any(k.arg is None for k in node.keywords) else {str(k.arg) for k in node.keywords}
            if given is not None and name == "finding":
                given |= {"where", "value"}  # Place.finding always gives both
            found.append((path.relative_to(GENERATOR).as_posix(), node.lineno, str(key.value), given))
    return found


def test_every_literal_finding_gives_what_its_message_needs() -> None:
    calls = _calls()
    assert len(calls) > 60  # the walk found the validation's findings
    gaps = []
    for file, line, key, given in calls:
        entry = MESSAGES.get(key) or MESSAGES.get(finding_type(key))
        assert entry is not None, f"{file}:{line}: “{key}” is not in the catalog"
        if given is not None and entry.required - given:
            gaps.append(f"{file}:{line} {key}: {sorted(entry.required - given)}")
    assert not gaps, "findings without the placeholders their message needs:\n" + "\n".join(gaps)


def test_every_declared_optional_placeholder_is_in_its_template() -> None:
    for key, entry in MESSAGES.items():
        assert entry.optional <= entry.placeholders, key


def test_a_missing_placeholder_fails_a_test_not_a_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    place = Place("fgw/2025Q1/decisions.csv", "data/fgw/2025Q1/decisions.csv", "decisions")
    with pytest.raises(MissingPlaceholder, match="detail"):
        place.finding("io-error")
    monkeypatch.delenv(STRICT_ENV)
    assert render("io-error", where="data/x.csv") == ("无法读取文件", "data/x.csv：无法读取文件（）。")


def test_every_rule_message_is_given_exactly_the_placeholders_its_template_declares() -> None:
    """Rule breaches are worded like validation's findings: each rule declares its templates
    (``RuleInfo.messages``) and every ``INFO.say(kind, …)`` gives exactly their placeholders."""
    import importlib

    from generator.core.messages import placeholders
    from generator.rules.base import REGISTRY

    checked = 0
    for slug, rule in REGISTRY.items():
        module = importlib.import_module(rule.check.__module__)
        path = Path(module.__file__ or "")
        said = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "say"
            ):
                continue
            kind = node.args[0]
            assert isinstance(kind, ast.Constant), f"{path.name}:{node.lineno}: the kind is literal"
            template = rule.info.messages.get(str(kind.value))
            assert template is not None, f"{slug}: no message “{kind.value}”"
            given = {str(k.arg) for k in node.keywords}
            assert given == placeholders(template), (
                f"{path.name}:{node.lineno} {kind.value}: {given} ≠ {placeholders(template)}"
            )
            said.add(kind.value)
            checked += 1
        assert said == set(rule.info.messages), (
            f"{slug}: messages never said: {set(rule.info.messages) - said}"
        )
        assert "message=f" not in path.read_text(encoding="utf-8"), f"{slug}: a message written inline"
    assert checked >= 30


def test_a_rule_message_missing_a_placeholder_fails_a_test(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.rules.base import REGISTRY

    info = REGISTRY["recorded"].info
    with pytest.raises(MissingPlaceholder, match="recorded:missing"):
        info.say("missing", title="2025年第3次党组会议")
    monkeypatch.delenv(STRICT_ENV)
    assert info.say("missing", title="2025年第3次党组会议") == "2025年第3次党组会议（）未全程纪实。"
