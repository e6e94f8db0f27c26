"""Validation remembered per package (generator.validate.remembered): the same report with or
without the cache, Frictionless not run again on an unchanged package, and a damaged entry a miss."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.core.cache import Cache
from generator.validate import packages, validate_data

from .test_site import rewrite_csv


def _errors(report: object) -> list[dict[str, object]]:
    return [f.to_dict() for f in report.errors]  # type: ignore[attr-defined]


def test_a_remembered_validation_gives_the_same_report_and_skips_unchanged_packages(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrite_csv(mini_data / "fgw" / "2025Q1" / "decisions.csv", {"category": "重大决策"})  # an error
    expected = _errors(validate_data(mini_data, jobs=1))
    assert expected and any(e["file"] == "fgw/2025Q1/decisions.csv" for e in expected)
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    cache = Cache.open(tmp_path / "site")
    assert cache is not None
    checked: list[str] = []
    real = packages._check_group

    def counting(tasks, out, result):  # type: ignore[no-untyped-def]
        checked.extend(f"{t.unit_id}/{t.period}" for t in tasks)
        return real(tasks, out, result)

    monkeypatch.setattr(packages, "_check_group", counting)
    assert _errors(validate_data(mini_data, jobs=1, cache=cache)) == expected
    assert sorted(checked) == ["fgw/2025Q1", "fgw/2025Q2", "rmyy/2025Q1"]
    checked.clear()
    assert _errors(validate_data(mini_data, jobs=1, cache=cache)) == expected  # errors remembered too
    assert checked == []
    # One package changed: only it is validated again.
    rewrite_csv(mini_data / "rmyy" / "2025Q1" / "decisions.csv", {"category": "重大决策"})
    with_rmyy = _errors(validate_data(mini_data, jobs=1))
    checked.clear()
    assert _errors(validate_data(mini_data, jobs=1, cache=cache)) == with_rmyy
    assert checked == ["rmyy/2025Q1"]
    # A flipped byte in a remembered entry: a miss, validated again, the same report.
    for remembered in (tmp_path / "cache").glob("validation/*/package.json"):
        data = bytearray(remembered.read_bytes())
        data[len(data) // 2] ^= 0x01
        remembered.write_bytes(bytes(data))
    checked.clear()
    assert _errors(validate_data(mini_data, jobs=1, cache=cache)) == with_rmyy
    assert sorted(checked) == ["fgw/2025Q1", "fgw/2025Q2", "rmyy/2025Q1"]


def test_the_unit_registry_is_validated_again_only_when_it_changes(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """units.csv and its descriptor are remembered like a package: the same report, Frictionless
    not run on an unchanged registry, and a changed one (or a damaged entry) validated again."""
    from generator.validate import tree

    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    cache = Cache.open(tmp_path / "site")
    assert cache is not None
    checked: list[int] = []
    real = tree._check_registry

    def counting(*args):  # type: ignore[no-untyped-def]
        checked.append(1)
        return real(*args)

    monkeypatch.setattr("generator.validate._check_registry", counting)
    clean = validate_data(mini_data, jobs=1, cache=cache)
    assert clean.valid and clean.units_checked == 2 and checked == [1]
    again = validate_data(mini_data, jobs=1, cache=cache)
    assert (_errors(again), again.units_checked, again.rows_checked) == ([], 2, clean.rows_checked)
    assert checked == [1]  # remembered
    rewrite_csv(mini_data / "units.csv", {"unit_type": "某类单位"})  # not one of the types: an error
    expected = _errors(validate_data(mini_data, jobs=1))
    assert any(e["file"] == "units.csv" for e in expected)
    checked.clear()
    assert _errors(validate_data(mini_data, jobs=1, cache=cache)) == expected and checked == [1]
    assert _errors(validate_data(mini_data, jobs=1, cache=cache)) == expected and checked == [1]
    for remembered in (tmp_path / "cache").glob("validation-registry/*/package.json"):
        data = bytearray(remembered.read_bytes())
        data[len(data) // 2] ^= 0x01
        remembered.write_bytes(bytes(data))
    assert _errors(validate_data(mini_data, jobs=1, cache=cache)) == expected and checked == [1, 1]


def test_a_changed_package_is_validated_by_a_helper_while_this_process_does_other_work(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild validates its changed packages in a helper process while the build recalls the
    unchanged packages' rows (``meanwhile``): the same report, ``meanwhile`` run once and here."""
    from generator.core.workers import usable_processes

    if usable_processes() < 2:
        pytest.skip("one usable process: the packages are validated here, after meanwhile")
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    cache = Cache.open(tmp_path / "site")
    assert cache is not None
    validate_data(mini_data, jobs=1, cache=cache)  # every package remembered
    rewrite_csv(mini_data / "rmyy" / "2025Q1" / "decisions.csv", {"category": "重大决策"})  # an error
    expected = _errors(validate_data(mini_data, jobs=1))
    assert any(e["file"] == "rmyy/2025Q1/decisions.csv" for e in expected)
    where = tmp_path / "checked-by"
    real = packages._check_group

    def recording(tasks, out, result):  # type: ignore[no-untyped-def]
        with where.open("a", encoding="utf-8") as file:  # a helper's memory is its own: a file
            file.write(f"{os.getpid()} {' '.join(f'{t.unit_id}/{t.period}' for t in tasks)}\n")
        return real(tasks, out, result)

    monkeypatch.setattr(packages, "_check_group", recording)
    calls: list[int] = []

    def meanwhile(done):  # type: ignore[no-untyped-def]
        calls.append(os.getpid())
        deadline = time.monotonic() + 60
        while not done():  # says when the helper has finished, so that the work can stop
            assert time.monotonic() < deadline
            time.sleep(0.01)

    report = validate_data(mini_data, cache=cache, meanwhile=meanwhile)
    assert _errors(report) == expected
    assert calls == [os.getpid()]
    pid, checked = where.read_text(encoding="utf-8").split(" ", 1)
    assert int(pid) != os.getpid() and checked.split() == ["rmyy/2025Q1"]
    # Nothing to validate: nothing runs beside, and ``meanwhile`` is not called; nor with
    # ``jobs=1`` (validate in this process), which validates the changed package here.
    calls.clear()
    assert _errors(validate_data(mini_data, cache=cache, meanwhile=lambda _done: calls.append(1))) == expected
    rewrite_csv(mini_data / "rmyy" / "2025Q1" / "decisions.csv", {"category": "重大事项"})
    where.unlink()
    assert _errors(validate_data(mini_data, jobs=1, cache=cache, meanwhile=lambda _done: calls.append(1)))
    assert calls == [] and where.read_text(encoding="utf-8").split(" ", 1)[0] == str(os.getpid())
