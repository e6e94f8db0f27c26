"""A portal's CI builds on a fresh machine: ``gongkai fetch-published`` brings back what the live
site published, so that the build there still refuses silent edits, continues the release hash
chain and lists what changed. The live site is a built site served on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from generator.build import BuildFailed, build
from generator.cli import main
from generator.release.verify import verify

from .conftest import MINI_DATA, serving
from .test_history import NEW_TITLE, Q1, correction
from .test_site import add_entries, rewrite_csv, tree_digest


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini data published once: the live site."""
    site = tmp_path_factory.mktemp("live") / "site"
    build(MINI_DATA, site, log=None)
    return site


def test_a_fresh_ci_machine_fetches_the_record_and_the_build_keeps_it(
    live: Path, mini_data: Path, tmp_path: Path, capsys
) -> None:
    public = tmp_path / "public"
    with serving(live) as url:
        assert main(["fetch-published", url, "--out", str(public)]) == 0
    out = capsys.readouterr().out
    assert "第 1 次发布" in out and "SHA-256 和哈希链均已核对" in out
    fetched = sorted(str(p.relative_to(public)) for p in public.rglob("*") if p.is_file())
    assert "manifest.json" in fetched and "releases/1/manifest.json" in fetched
    assert "releases/1/changes.json" in fetched
    assert "downloads/fgw/2025Q1/datapackage.json" in fetched
    assert "downloads/fgw/2025Q1/decisions.csv" in fetched and "downloads/fgw/2025Q1/stances.csv" in fetched
    assert "downloads/units.csv" in fetched  # the change list compares the registry too
    assert not [p for p in fetched if p.endswith((".html", ".zip")) or p.startswith(("api/", "pagefind"))]
    for path in fetched:  # every fetched file is the live one, byte for byte
        if path != ".gongkai-site":
            assert (public / path).read_bytes() == (live / path).read_bytes(), path

    # A silent edit of a published decision is refused, and the fetched record stays as it was.
    before = tree_digest(public)
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    with pytest.raises(BuildFailed, match="已公开的记录被修改或删除"):
        build(mini_data, public, log=None)
    assert tree_digest(public) == before

    # With its correction the edit is published as release 2, chained to the live release 1.
    add_entries(mini_data / Q1, "corrections", [correction()])
    build(mini_data, public, log=None)
    manifest = json.loads((public / "manifest.json").read_text(encoding="utf-8"))
    live_head = (live / "releases/1/manifest.json").read_bytes()
    assert manifest["release"] == 2
    assert manifest["previous"]["sha256"] == hashlib.sha256(live_head).hexdigest()
    assert (
        json.loads((live / "manifest.json").read_bytes())["head"]["sha256"] == manifest["previous"]["sha256"]
    )
    assert (public / "releases/1/manifest.json").read_bytes() == live_head
    changes = json.loads((public / "releases/2/changes.json").read_text(encoding="utf-8"))
    assert changes["counts"] == {"added": 0, "changed": 1, "withdrawn": 0}
    assert verify(str(public)).ok
    assert (public / "decisions/fgw/jc2025-001/index.html").is_file()


def test_an_altered_live_site_is_refused_and_nothing_is_written(live: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "live"
    shutil.copytree(live, copy)
    decisions = copy / "downloads/fgw/2025Q1/decisions.csv"
    decisions.write_text(decisions.read_text(encoding="utf-8").replace("关于", "关於", 1), encoding="utf-8")
    (copy / "releases/1/changes.json").unlink()
    public = tmp_path / "public"
    with serving(copy) as url:
        assert main(["fetch-published", url, "--out", str(public)]) == 1
    err = capsys.readouterr().err
    assert "没有写入任何文件" in err
    assert "downloads/fgw/2025Q1/decisions.csv：文件内容与发布清单不符" in err
    assert "releases/1/changes.json：文件缺失" in err
    assert "Traceback" not in err
    assert not public.exists() and not list(tmp_path.glob(".public.*"))


def test_a_rewritten_earlier_release_breaks_the_chain(
    live: Path, mini_data: Path, tmp_path: Path, capsys
) -> None:
    second = tmp_path / "second"
    shutil.copytree(live, second)
    rewrite_csv(mini_data / Q1 / "decisions.csv", {"title": NEW_TITLE})
    add_entries(mini_data / Q1, "corrections", [correction()])
    build(mini_data, second, log=None)
    first = second / "releases/1/manifest.json"
    first.write_bytes(first.read_bytes().replace(b'"release": 1', b'"release": 1 '))
    assert main(["fetch-published", str(second), "--out", str(tmp_path / "public")]) == 1
    assert "releases/1/manifest.json：第 1 次发布的清单已被改写" in capsys.readouterr().err
    assert not (tmp_path / "public").exists()


def test_the_first_publication_needs_to_be_said(mini_data: Path, tmp_path: Path, capsys) -> None:
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    public = tmp_path / "public"
    with serving(nothing) as url:
        assert main(["fetch-published", url, "--out", str(public)]) == 1
        assert "--first-release" in capsys.readouterr().err
        assert main(["fetch-published", url, "--out", str(public), "--first-release"]) == 0
    assert "按首次发布处理" in capsys.readouterr().out
    assert public.is_dir() and not list(public.iterdir())
    assert main(["validate", str(mini_data), "--published", str(public)]) == 0
    build(mini_data, public, log=None)
    assert json.loads((public / "manifest.json").read_text(encoding="utf-8"))["release"] == 1


def test_the_address_comes_from_portal_yml_and_usage_errors_are_chinese(
    live: Path, mini_data: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GONGKAI_SITE_URL", "GITHUB_EVENT_NAME", "CI_MERGE_REQUEST_IID"):  # not a pull request
        monkeypatch.delenv(name, raising=False)
    public = tmp_path / "public"
    assert main(["fetch-published", "--data", str(mini_data), "--out", str(public)]) == 2
    assert "site_url" in capsys.readouterr().err
    with serving(live) as url:
        config = mini_data / "portal.yml"
        config.write_text(config.read_text(encoding="utf-8") + f"\nsite_url: {url}\n", encoding="utf-8")
        assert main(["fetch-published", "--data", str(mini_data), "--out", str(public)]) == 0
        assert main(["fetch-published", url, "--out", str(public)]) == 2
    assert "已存在且不为空" in capsys.readouterr().err
    assert main(["fetch-published", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")]) == 2
    assert "既不是目录" in capsys.readouterr().err
