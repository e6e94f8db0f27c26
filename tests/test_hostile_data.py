"""The data tree as hostile input: a pull request from a unit's office may hold links, FIFOs, names
ending in a line break, any file name in its git history, personal numbers outside the CSVs,
control characters and files of any size. Each is refused with a Chinese message naming the file
(and row, column or key), by every command that reads the tree, without hanging or a traceback,
and nothing of it is published."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import BuildFailed, build
from generator.sources.history import first_published
from generator.validate import validate_data
from generator.validate.privacy import id_check_digit, luhn_ok

from .conftest import MINI_DATA

REPO = Path(__file__).resolve().parents[1]
Q1 = Path("fgw") / "2025Q1"
MINI_SOURCE = MINI_DATA / Q1  # a folder of CSVs, as gongkai import takes it
SECRET = "机密：不在数据目录中的文件"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(MINI_DATA, target)
    return target


def gongkai(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess; a hang fails the test instead of blocking it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
    )


def types(data: Path) -> dict[str, list[str]]:
    """Finding type → messages."""
    found: dict[str, list[str]] = {}
    for finding in validate_data(data, jobs=1).errors:
        found.setdefault(finding.type, []).append(finding.message)
    return found


def refused_everywhere(data: Path, tmp_path: Path, name: str) -> None:
    """validate, check, build, status and new-quarter all refuse the tree, promptly, naming ``name``."""
    site = tmp_path / "site"
    shutil.copytree(MINI_SOURCE, tmp_path / "clean-source", dirs_exist_ok=True)
    for args in (
        ("validate", str(data)),
        ("check", str(data)),
        ("build", "--data", str(data), "--out", str(site)),
        ("status", "--data", str(data)),
        ("new-quarter", "fgw", "2025Q3", "--data", str(data)),
        # import copies the unit's other quarters into its staging tree: it must not follow a link
        (
            "import",
            str(tmp_path / "clean-source"),
            "--unit",
            "fgw",
            "--quarter",
            "2025Q3",
            "--data",
            str(data),
        ),
    ):
        started = time.monotonic()
        run = gongkai(*args)
        assert time.monotonic() - started < 60
        assert run.returncode != 0, (args, run.stdout)
        output = run.stdout + run.stderr
        assert "Traceback" not in output
        assert name in output, (args, output)
        assert "只能有普通文件和文件夹" in output, (args, output)
    assert not site.exists(), "nothing is published"
    assert not (data / "fgw" / "2025Q3").exists()


# --- 1. Only regular files and folders ------------------------------------------------------------


def test_a_link_to_a_file_outside_the_tree_is_refused_and_never_read(data: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    shutil.copy(data / Q1 / "hearings.csv", outside)
    with outside.open("a", encoding="utf-8") as handle:
        handle.write(f"tz2025-099,2025-03-01,听证,{SECRET},结果,,,否,\n")
    (data / Q1 / "hearings.csv").unlink()
    (data / Q1 / "hearings.csv").symlink_to(outside)

    found = types(data)
    assert len(found["special-file"]) == 1, "named once, by the walk and the reader alike"
    message = found["special-file"][0]
    assert "fgw/2025Q1/hearings.csv" in message and "符号链接" in message
    assert not any(SECRET in m for ms in found.values() for m in ms)
    refused_everywhere(data, tmp_path, "fgw/2025Q1/hearings.csv")
    with pytest.raises(BuildFailed) as failure:
        build(data, tmp_path / "site2", log=None)
    assert SECRET not in failure.value.message
    assert not (tmp_path / "site2").exists()


def test_a_linked_unit_folder_is_refused(data: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.move(data / "rmyy", elsewhere)
    (data / "rmyy").symlink_to(elsewhere, target_is_directory=True)
    found = types(data)
    assert any("rmyy" in m and "符号链接" in m for m in found["special-file"])
    assert "missing-file" not in found, "the link is not followed to look for its files"
    refused_everywhere(data, tmp_path, "rmyy")


def test_a_link_inside_the_tree_is_refused_too(data: Path) -> None:
    (data / "fgw" / "2025Q3").symlink_to(data / "fgw" / "2025Q2", target_is_directory=True)
    (data / "fgw/2025Q2/notes.txt").symlink_to(data / "units.csv")
    found = types(data)
    files = sorted(m.split("：")[0] for m in found["special-file"])
    assert files == [f"{data.as_posix()}/fgw/2025Q2/notes.txt", f"{data.as_posix()}/fgw/2025Q3"]


@pytest.mark.parametrize("name", ["decisions.csv", "corrections.csv", "datapackage.json", "units.csv"])
def test_a_fifo_is_never_opened(data: Path, tmp_path: Path, name: str) -> None:
    path = data / (name if name == "units.csv" else Q1 / name)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    rel = path.relative_to(data).as_posix()
    found = types(data)
    assert any(rel in m and "命名管道" in m for m in found["special-file"])
    refused_everywhere(data, tmp_path, rel)


def test_a_socket_or_a_device_is_refused(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        monkeypatch.chdir(data / "rmyy" / "2025Q1")  # a socket's path is limited to 108 bytes
        server.bind("hearings.csv.sock")
        monkeypatch.undo()
        try:  # a device can be made only with the right to (root in a container)
            os.mknod(data / "fgw" / "2025Q2" / "hearings.csv.dev", stat.S_IFCHR | 0o600, os.makedev(1, 3))
            device = True
        except (PermissionError, OSError):
            device = False
        found = types(data)["special-file"]
        assert any("rmyy/2025Q1/hearings.csv.sock" in m and "套接字" in m for m in found)
        assert not device or any("fgw/2025Q2/hearings.csv.dev" in m and "字符设备" in m for m in found)
        refused_everywhere(data, tmp_path, "rmyy/2025Q1/hearings.csv.sock")
    finally:
        server.close()


def test_a_fifo_as_portal_yml_is_never_opened(data: Path, tmp_path: Path) -> None:
    (data / "portal.yml").unlink()
    os.mkfifo(data / "portal.yml")
    refused_everywhere(data, tmp_path, "portal.yml")


# --- 2. IDs and quarters matched to the end ---------------------------------------------------------


def test_folder_names_ending_in_a_line_break_are_refused(data: Path, tmp_path: Path) -> None:
    shutil.copytree(data / "fgw", data / "fgw\n")
    shutil.copytree(data / "rmyy" / "2025Q1", data / "rmyy" / "2025Q2\n")
    found = types(data)
    assert "internal-error" not in found
    assert any("fgw<U+000A>" in m for m in found["unit-dir"])
    assert any("2025Q2<U+000A>" in m for m in found["period-dir"])
    assert not any("\n" in m for ms in found.values() for m in ms), "every message is one line"
    run = gongkai("build", "--data", str(data), "--out", str(tmp_path / "site"))
    assert run.returncode == 1 and "内部错误" not in run.stderr and "Traceback" not in run.stderr
    assert "单位目录名错误" in run.stderr and "季度目录名错误" in run.stderr


def test_an_id_ending_in_a_line_break_is_refused(data: Path) -> None:
    text = (data / "units.csv").read_text(encoding="utf-8")
    (data / "units.csv").write_text(text.replace("\nrmyy,", '\n"rmyy\n",', 1), encoding="utf-8")
    decisions = (data / Q1 / "decisions.csv").read_text(encoding="utf-8")
    (data / Q1 / "decisions.csv").write_text(
        decisions.replace("\njc2025-001,", '\n"jc2025-001\n",', 1), encoding="utf-8"
    )
    report = validate_data(data, jobs=1)
    bad = {(f.file, f.row, f.column) for f in report.errors if f.type == "constraint-error"}
    assert ("units.csv", 3, "unit_id") in bad
    assert (Q1.as_posix() + "/decisions.csv", 2, "decision_id") in bad


# --- 3. Git history with any file name ----------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "示例", "GIT_AUTHOR_EMAIL": "demo@example.org"}
    env.update(GIT_COMMITTER_NAME="示例", GIT_COMMITTER_EMAIL="demo@example.org")
    env.update(GIT_AUTHOR_DATE="2025-04-08T10:00:00+08:00", GIT_COMMITTER_DATE="2025-04-08T10:00:00+08:00")
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_git_history_with_any_file_name_does_not_break_the_build(tmp_path: Path) -> None:
    repo = tmp_path / "portal"
    data = repo / "data"
    shutil.copytree(MINI_DATA, data)
    odd = ["单位", 'a b"c', "tab\there", "line\nbreak", "back\\slash", "*"]
    for name in odd:
        (data / name / "2025Q1").mkdir(parents=True)
        shutil.copy(data / Q1 / "decisions.csv", data / name / "2025Q1" / "decisions.csv")
    (data / "fgw" / "2025Q1 x").mkdir()
    shutil.copy(data / Q1 / "hearings.csv", data / "fgw" / "2025Q1 x" / "hearings.csv")
    # A file over max_file_mb in history is never read (a pull request's history is untrusted too).
    set_bounds(data, max_file_mb=1)
    (data / "fgw" / "2024Q4").mkdir()
    huge = (data / Q1 / "decisions.csv").read_text(encoding="utf-8").replace("jc2025-001", "jc-huge")
    (data / "fgw" / "2024Q4" / "decisions.csv").write_text(huge + "\n" * (1024 * 1024), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "误提交")
    for name in [*odd, "fgw/2025Q1 x", "fgw/2024Q4"]:
        shutil.rmtree(data / name)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "删除")

    dates = first_published(data)
    assert dates[("fgw", "2025Q1", "decisions", "jc2025-001")] == "2025-04-08"
    assert {unit for unit, *_ in dates} == {"fgw", "rmyy"}
    assert not any(record == "jc-huge" for *_, record in dates)
    site = tmp_path / "site"
    build(data, site, log=None)
    html = (site / "decisions/fgw/jc2025-001/index.html").read_text(encoding="utf-8")
    assert '首次公开：<time datetime="2025-04-08">' in html


# --- 4. Personal numbers in every published text -----------------------------------------------------


def id_ending_in_x() -> str:
    for sequence in range(1000):
        first17 = f"32010219800101{sequence:03d}"
        if id_check_digit(first17) == "X":
            return first17 + "X"
    raise AssertionError("no ID ending in X")


def bank_card(length: int) -> str:
    body = "62" + "1" * (length - 3)
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


MOBILES = [f"{prefix}12345678" for prefix in range(130, 200)]


def test_personal_numbers_in_a_package_descriptor_are_refused(data: Path) -> None:
    path = data / Q1 / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["description"] += f"联系人身份证 {id_ending_in_x()}"
    descriptor["contributors"] = [{"title": "联系人", "phone": "199-1234-5678"}]
    descriptor["extra"] = {"cards": [bank_card(n) for n in range(16, 20)], "mobiles": " ".join(MOBILES)}
    descriptor["resources"][0]["title"] += "（电话 13912345678）"
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    report = validate_data(data, jobs=1)
    found = [f for f in report.errors if f.type == "personal-info"]
    assert {f.file for f in found} == {Q1.as_posix() + "/datapackage.json"}
    keys = [f.column for f in found]
    assert keys.count("description") == 1
    assert keys.count("contributors[0].phone") == 1
    assert sorted(k for k in keys if k.startswith("extra.cards")) == [f"extra.cards[{i}]" for i in range(4)]
    assert keys.count("extra.mobiles") == len(MOBILES) == 70
    assert keys.count("resources[0].title") == 1
    assert all(id_ending_in_x() not in f.message and "199-1234-5678" not in f.message for f in found)
    message = next(f.message for f in found if f.column == "contributors[0].phone")
    assert "datapackage.json" in message and "contributors[0].phone" in message and "手机号码" in message


def test_personal_numbers_in_the_registry_and_portal_yml_are_refused(data: Path, tmp_path: Path) -> None:
    path = data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["maintainer"] = {"name": "某某", "id": id_ending_in_x().lower()}
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    config = data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "contact: 热线 12345，手机 186 1234 5678\n"
        + "footer:\n  hotline: 12345\n  mobile: 186 1234 5678\n"
        # registration numbers are public: a 14-digit 公安备案号 passing Luhn is no bank card
        + "police_record: 示公网安备00000000000000号\nicp: 示ICP备00000000号\n"
        + f"footer_note: 账号 {bank_card(19)}\n",
        encoding="utf-8",
    )
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "publisher: 示例市纪委监委", "publisher: 示例市纪委监委 15912345678"
        )
    )
    found = {(f.file, f.column) for f in validate_data(data, jobs=1).errors if f.type == "personal-info"}
    assert found == {
        ("datapackage.json", "maintainer.id"),
        ("portal.yml", "publisher"),
        ("portal.yml", "contact"),
        ("portal.yml", "footer.mobile"),
        ("portal.yml", "footer_note"),
    }
    with pytest.raises(BuildFailed):
        build(data, tmp_path / "site", log=None)


# --- 5. Control characters ---------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e", "\u202a", "\u2066", "\u2069"])
def test_a_control_character_in_a_cell_is_refused(data: Path, char: str) -> None:
    path = data / Q1 / "decisions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("关于城东综合交通枢纽", f"关于城东{char}综合交通枢纽", 1), encoding="utf-8")
    found = [f for f in validate_data(data, jobs=1).errors if f.type == "control-character"]
    code = f"U+{ord(char):04X}"
    assert [(f.file, f.row, f.column, f.value) for f in found] == [
        (Q1.as_posix() + "/decisions.csv", 2, "title", code)
    ]
    assert "第 2 行" in found[0].message and "title" in found[0].message and code in found[0].message


def test_tabs_and_line_breaks_in_long_text_stay_allowed(data: Path) -> None:
    path = data / Q1 / "decisions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][5] = "总投资 3.2 亿元，\r\n分两期\t建设。\n"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    assert validate_data(data, jobs=1).valid


def test_a_control_character_in_a_descriptor_is_refused(data: Path) -> None:
    path = data / Q1 / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["title"] = "示例\u202e市"
    descriptor["extra"] = {"note": "a\x00b"}
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    found = [f for f in validate_data(data, jobs=1).errors if f.type == "control-character"]
    assert sorted(f.value for f in found) == ["U+0000", "U+202E"]
    assert any("“title”" in f.message for f in found) and any("“extra.note”" in f.message for f in found)


# --- 6. Bounds ---------------------------------------------------------------------------------------


def set_bounds(data: Path, **bounds: int) -> None:
    config = data / "portal.yml"
    lines = "".join(f"{key}: {value}\n" for key, value in bounds.items())
    config.write_text(config.read_text(encoding="utf-8") + lines, encoding="utf-8")


def test_a_file_over_the_size_bound_is_not_read(data: Path) -> None:
    set_bounds(data, max_file_mb=1)
    path = data / Q1 / "decisions.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("x" * (1024 * 1024))
    (data / "rmyy/2025Q1/datapackage.json").write_text(" " * (1024 * 1024 + 1), encoding="utf-8")
    found = [f for f in validate_data(data, jobs=1).errors if f.type == "file-too-large"]
    assert [f.file for f in found] == [Q1.as_posix() + "/decisions.csv", "rmyy/2025Q1/datapackage.json"]
    assert "1 MB" in found[0].message and "max_file_mb" in found[0].message


def test_a_cell_over_the_length_bound_is_refused(data: Path) -> None:
    set_bounds(data, max_cell_chars=100)
    path = data / Q1 / "decisions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("分两期建设。", "分两期建设。" + "很长" * 60, 1), encoding="utf-8")
    found = [f for f in validate_data(data, jobs=1).errors if f.type == "cell-too-long"]
    assert [(f.file, f.row, f.column) for f in found] == [(Q1.as_posix() + "/decisions.csv", 2, "summary")]
    assert "100" in found[0].message and "max_cell_chars" in found[0].message


def test_a_csv_over_the_row_bound_is_refused(data: Path) -> None:
    set_bounds(data, max_rows=3)
    found = [f for f in validate_data(data, jobs=1).errors if f.type == "too-many-rows"]
    assert found, "the mini data has tables of more than 3 rows"
    first = found[0]
    assert first.row == 5 and "3 行" in first.message and "max_rows" in first.message


def test_a_row_of_a_million_cells_is_refused_promptly(data: Path) -> None:
    path = data / Q1 / "decisions.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] += "," * 1_000_000
    path.write_text("\n".join(lines), encoding="utf-8")
    started = time.monotonic()
    found = [f for f in validate_data(data, jobs=1).errors if f.type == "extra-cell"]
    assert time.monotonic() - started < 30
    assert [(f.file, f.row) for f in found] == [(Q1.as_posix() + "/decisions.csv", 2)]
    assert "这一行有 1000020 个单元格" in found[0].message and len(found[0].message) < 500


def test_a_link_deep_down_in_nested_folders_is_found(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(data / Q1)
    for _ in range(1200):  # deeper than Python's recursion limit
        os.mkdir("d")
        os.chdir("d")
    os.symlink("/etc/passwd", "x.csv")
    monkeypatch.undo()
    try:
        found = [f for f in validate_data(data, jobs=1).errors]
        assert [f.type for f in found] == ["special-file"]
        assert found[0].file.endswith("/d/d/x.csv")
    finally:  # removed here, bottom up: shutil.rmtree (and pytest's clean-up) would recurse too deep
        monkeypatch.chdir(data / Q1)
        for _ in range(1200):
            os.chdir("d")
        os.unlink("x.csv")
        for _ in range(1200):
            os.chdir("..")
            os.rmdir("d")
        monkeypatch.undo()


def test_status_and_new_quarter_read_no_file_over_the_size_bound(data: Path) -> None:
    set_bounds(data, max_file_mb=1)
    with (data / "fgw/2025Q2/members.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n" * (1024 * 1024 + 1))
    for args in (("status", "--data", str(data)), ("new-quarter", "fgw", "2025Q3", "--data", str(data))):
        run = gongkai(*args)
        assert run.returncode == 2 and "Traceback" not in run.stderr
        assert "fgw/2025Q2/members.csv（1.0 MB）" in run.stderr and "max_file_mb" in run.stderr
    assert not (data / "fgw/2025Q3").exists()
