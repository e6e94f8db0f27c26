"""A live site or a mirror turned against the portal: ``gongkai fetch-published``, ``gongkai verify``
and the build's carry-over of ``releases/`` read it as hostile. Hostile sites are served on
127.0.0.1 by http.server in a thread, or are folders."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import posixpath
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.build import BuildFailed, build
from generator.cli import main
from generator.release.fetch import fetch_published
from generator.release.manifest import dumps, entry_digests, file_changes, list_sha256, shared
from generator.release.source import MB, Limits, Source, TooLarge

from .conftest import MINI_DATA, serving

PAYLOAD = b"import os; os.system('echo pwned > /tmp/gongkai-pwned')\n"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini data published once: the live site (release 1)."""
    site = tmp_path_factory.mktemp("live") / "site"
    build(MINI_DATA, site, log=None)
    return site


def _entry(path: str, data: bytes) -> dict[str, Any]:
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def rewrite_manifest(site: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """A self-consistent hostile release: ``manifest.json`` changed, and ``releases/<n>/`` the head
    it names with its file count, list hash and file changes made to match (where its entries
    allow: a malformed one is refused before any of that is looked at)."""
    manifest = json.loads((site / "manifest.json").read_bytes())
    path = f"releases/{manifest['release']}/manifest.json"
    head = json.loads((site / path).read_bytes())
    before = copy.deepcopy(manifest)
    change(manifest)
    try:
        manifest["file_count"] = len(manifest["files"])
        manifest["files_sha256"] = list_sha256(entry_digests(manifest["files"]))
        if head["file_changes"] is not None:
            earlier = {entry["path"]: entry for entry in before["files"]}
            for entry in head["file_changes"]["added"]:
                del earlier[entry["path"]]
            for entry in head["file_changes"]["changed"]:
                earlier[entry["path"]] = {"path": entry["path"], **entry["before"]}
            for entry in head["file_changes"]["removed"]:
                earlier[entry["path"]] = entry
            head["file_changes"] = file_changes(
                sorted(earlier.values(), key=lambda e: e["path"]), manifest["files"]
            )
    except (KeyError, TypeError, AttributeError):
        pass
    raw = dumps({**shared(manifest), "file_changes": head["file_changes"]})
    (site / path).write_bytes(raw)
    manifest["head"] = {"path": path, "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
    (site / "manifest.json").write_bytes(dumps(manifest))


def tree(root: Path) -> set[str]:
    """Every path under ``root`` (links not followed)."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _hostile_copy(live: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "served"
    shutil.copytree(live, copy)
    return copy


@contextlib.contextmanager
def hostile_server(respond: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[tuple[str, dict[str, int]]]:
    """An http.server on 127.0.0.1 whose every GET is answered by ``respond``; yields its address and
    counters (requests, bytes of bodies written)."""
    counts = {"requests": 0, "sent": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            counts["requests"] += 1
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                respond(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", counts
    finally:
        server.shutdown()
        server.server_close()


def _send(handler: BaseHTTPRequestHandler, body: bytes | None, status: int = 200) -> None:
    handler.send_response(status if body is not None else 404)
    handler.send_header("Content-Length", str(len(body or b"")))
    handler.end_headers()
    handler.wfile.write(body or b"")


def _file_of(site: Path) -> Callable[[str], bytes | None]:
    def read(url_path: str) -> bytes | None:
        path = site / url_path.lstrip("/")
        return path.read_bytes() if path.is_file() else None

    return read


# --- 1. Paths from a manifest ------------------------------------------------------------------------------------


OUTSIDE = [
    ("changes", "../planted.pth"),
    ("changes", "releases/../../planted.pth"),
    ("changes", "ABSOLUTE"),
    ("changes", "releases/1/evil.html"),  # inside, but not a shape the site has
    ("files", "downloads/../../decisions.csv"),  # a data table's shape, two levels up
    ("files", "downloads\\..\\..\\planted.csv"),
]


@pytest.mark.parametrize(("kind", "path"), OUTSIDE)
def test_a_manifest_path_outside_the_output_folder_is_refused_and_nothing_is_written(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, path: str
) -> None:
    served = _hostile_copy(live, tmp_path)
    sentinel = tmp_path / "outside" / "planted.pth"
    if path == "ABSOLUTE":
        path = str(sentinel)
    # The payload is where a naive reader finds it: the address the path resolves to on the site.
    found = served / posixpath.normpath("/" + path).lstrip("/")
    found.parent.mkdir(parents=True, exist_ok=True)
    found.write_bytes(PAYLOAD)
    entry = _entry(path, PAYLOAD)

    def plant(manifest: dict[str, Any]) -> None:
        if kind == "changes":
            manifest["changes"] = entry
        else:
            manifest["files"].append(entry)

    rewrite_manifest(served, plant)
    work = tmp_path / "work"
    work.mkdir()
    before = tree(tmp_path)
    with serving(served) as url:
        assert main(["fetch-published", url, "--out", str(work / "public")]) == 1
    err = capsys.readouterr().err
    assert "manifest.json：" in err and "已拒绝" in err and "没有写入任何文件" in err
    assert path.replace("\\", "\\\\")[:40] in err or path[:40] in err
    assert "Traceback" not in err
    assert tree(tmp_path) == before  # nothing written anywhere: not in work/, not outside it
    assert not sentinel.exists() and not (work / "public").exists()


def test_verify_of_a_folder_never_reads_what_its_manifest_points_outside(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _hostile_copy(live, tmp_path)
    secret = tmp_path / "secret"
    secret.write_bytes(b"the office's private key\n")
    passwd = Path("/etc/passwd").read_bytes()
    hostile = [
        "/etc/passwd",
        "../secret",
        "downloads/../../secret",
        "api/../../secret",
        "downloads//units.csv",
        "downloads/./units.csv",
        "downloads/.hidden",
        "downloads/a\x00b",
        "downloads/a\nb",
        "downloads\\units.csv",
        "",
    ]

    def plant(manifest: dict[str, Any]) -> None:
        # Wrong sizes and hashes: a naive verify would print the real ones.
        manifest["files"] += [{"path": path, "size": 1, "sha256": "0" * 64} for path in hostile]

    rewrite_manifest(site, plant)
    assert main(["verify", str(site)]) == 1
    err = capsys.readouterr().err
    assert err.count("已拒绝（未读取、未写入）") == len(hostile)
    for size in (len(passwd), secret.stat().st_size):
        assert f"实际 {size} 字节" not in err
    for data in (passwd, secret.read_bytes()):
        assert hashlib.sha256(data).hexdigest()[:12] not in err
    assert "实际" not in err and "Traceback" not in err
    assert "“downloads/a\\x00b”含控制字符" in err and "“/etc/passwd”是绝对路径" in err


def test_a_link_in_a_local_mirror_is_not_followed(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    # A file link: the manifest announces the linked file, so a reader that follows it would copy it.
    mirror = tmp_path / "mirror"
    shutil.copytree(live, mirror)
    secret = outside / "decisions.csv"
    secret.write_bytes(b"decision_id\nsecret\n")
    table = mirror / "downloads/fgw/2025Q1/decisions.csv"
    table.unlink()
    table.symlink_to(secret)

    def announce(manifest: dict[str, Any]) -> None:
        for entry in manifest["files"]:
            if entry["path"] == "downloads/fgw/2025Q1/decisions.csv":
                entry.update(_entry(entry["path"], secret.read_bytes()))

    rewrite_manifest(mirror, announce)
    assert main(["fetch-published", str(mirror), "--out", str(tmp_path / "a")]) == 1
    err = capsys.readouterr().err
    assert "downloads/fgw/2025Q1/decisions.csv：是符号链接或经过符号链接，拒绝读取" in err
    assert not (tmp_path / "a").exists()
    assert main(["verify", str(mirror)]) == 1
    assert "是符号链接" in capsys.readouterr().err

    # A folder link (same bytes behind it), and a linked manifest.
    mirror2 = tmp_path / "mirror2"
    shutil.copytree(live, mirror2)
    shutil.move(mirror2 / "downloads/rmyy", outside / "rmyy")
    (mirror2 / "downloads/rmyy").symlink_to(outside / "rmyy", target_is_directory=True)
    assert main(["fetch-published", str(mirror2), "--out", str(tmp_path / "b")]) == 1
    assert "downloads/rmyy/2025Q1/datapackage.json：是符号链接或经过符号链接" in capsys.readouterr().err
    mirror3 = tmp_path / "mirror3"
    shutil.copytree(live, mirror3)
    shutil.move(mirror3 / "manifest.json", outside / "manifest.json")
    (mirror3 / "manifest.json").symlink_to(outside / "manifest.json")
    assert main(["verify", str(mirror3)]) == 1
    assert "manifest.json（是符号链接" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_a_fifo_in_a_local_mirror_is_refused_without_blocking(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror = tmp_path / "mirror"
    shutil.copytree(live, mirror)
    (mirror / "downloads/units.csv").unlink()
    os.mkfifo(mirror / "downloads/units.csv")
    assert main(["verify", str(mirror)]) == 1
    assert "downloads/units.csv：不是普通文件" in capsys.readouterr().err


# --- 2. releases/ carried over by the build ----------------------------------------------------------------------


def test_a_file_planted_under_releases_is_not_carried_into_the_next_build(
    mini_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    build(mini_data, site, log=None)
    (site / "releases/1/evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (site / "releases/7").mkdir()
    (site / "releases/7/manifest.json").write_text("{}", encoding="utf-8")
    assert main(["verify", str(site)]) == 1
    err = capsys.readouterr().err
    assert "releases/1/evil.html：不属于任何一次发布的清单或更新记录" in err
    assert "releases/7/：不属于任何一次发布的目录" in err

    config = mini_data / "portal.yml"  # a change, so that the build publishes release 2
    config.write_text(
        config.read_text(encoding="utf-8").replace("title: 示例市", "title: 样例市"), encoding="utf-8"
    )
    build(mini_data, site, log=None)
    assert sorted(tree(site / "releases")) == [
        "1",
        "1/changes.json",
        "1/manifest.json",
        "2",
        "2/changes.json",
        "2/manifest.json",
    ]
    assert main(["verify", str(site)]) == 0


def test_a_broken_or_linked_history_stops_the_build(mini_data: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(mini_data, site, log=None)
    changes = site / "releases/1/changes.json"
    outside = tmp_path / "changes.json"
    shutil.move(changes, outside)
    changes.symlink_to(outside)
    config = mini_data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("title: 示例市", "title: 样例市"), encoding="utf-8"
    )
    before = {path: (site / path).read_bytes() for path in ("manifest.json", "releases/1/manifest.json")}
    with pytest.raises(BuildFailed, match=r"releases/1/changes\.json：是符号链接") as failure:
        build(mini_data, site, log=None)
    assert "无法接续哈希链" in failure.value.message
    assert {path: (site / path).read_bytes() for path in before} == before
    changes.unlink()
    with pytest.raises(BuildFailed, match=r"releases/1/changes\.json：文件缺失"):
        build(mini_data, site, log=None)


def test_a_hostile_manifest_in_the_previous_site_stops_the_build(mini_data: Path, tmp_path: Path) -> None:
    """The change list reads the previous site's tables by the paths its manifest lists."""
    site = tmp_path / "site"
    build(mini_data, site, log=None)
    secret = tmp_path / "decisions.csv"
    secret.write_text("decision_id,title\nx,secret\n", encoding="utf-8")
    rewrite_manifest(
        site, lambda manifest: manifest["files"].append(_entry("downloads/../../decisions.csv", b"changed"))
    )
    config = mini_data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("title: 示例市", "title: 样例市"), encoding="utf-8"
    )
    with pytest.raises(BuildFailed) as failure:
        build(mini_data, site, log=None)
    message = failure.value.message
    assert "manifest.json：文件条目" in message and "“downloads/../../decisions.csv”含“..”" in message
    assert "secret" not in message


# --- 3. Sizes, totals, timeouts, redirects -----------------------------------------------------------------------


def test_an_oversize_body_is_refused_without_reading_it(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """200 MB of zeros for a table the manifest announces at about 1 KB, with no Content-Length: the
    client stops at the announced size + 1 byte."""
    read = _file_of(live)
    zeros = bytes(1 << 16)

    def respond(handler: BaseHTTPRequestHandler) -> None:
        if handler.path.endswith("/2025Q1/decisions.csv"):
            handler.send_response(200)
            handler.end_headers()  # HTTP/1.0, no length: the body ends when the server closes
            for _ in range(200 * 16):
                handler.wfile.write(zeros)
                counts["sent"] += len(zeros)
        else:
            _send(handler, read(handler.path))

    with hostile_server(respond) as (url, counts):
        started = time.monotonic()
        assert main(["fetch-published", url, "--out", str(tmp_path / "public")]) == 1
        seconds = time.monotonic() - started
        time.sleep(0.2)
        sent = counts["sent"]
        source = Source(url)  # the client itself reads the announced size + 1 byte, no more
        with pytest.raises(TooLarge):
            source.read("downloads/fgw/2025Q1/decisions.csv", 1000)
        assert source.total_bytes == 1001
    assert sent < 16 * MB, f"the server wrote {sent / MB:.1f} MB"  # kernel buffers, not the client
    assert seconds < 5
    err = capsys.readouterr().err
    assert "decisions.csv：文件内容与发布清单不符（大于发布清单记录的大小" in err and "即停止读取" in err
    assert not (tmp_path / "public").exists()


def test_an_announced_oversize_body_and_a_huge_manifest_are_refused(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    read = _file_of(live)

    def respond(handler: BaseHTTPRequestHandler) -> None:
        if handler.path.endswith("/units.csv"):
            handler.send_response(200)
            handler.send_header("Content-Length", str(1500 * MB))  # 1.5 GB, announced
            handler.end_headers()
            handler.wfile.write(bytes(1 << 20))
            counts["sent"] += 1 << 20
        else:
            _send(handler, read(handler.path))

    with hostile_server(respond) as (url, counts):
        assert main(["fetch-published", url, "--out", str(tmp_path / "public")]) == 1
    assert "downloads/units.csv：文件内容与发布清单不符（大于发布清单记录的大小" in capsys.readouterr().err

    # A manifest larger than the manifest limit is not read whole, and not parsed.
    huge = tmp_path / "huge"
    huge.mkdir()
    (huge / "manifest.json").write_bytes(b"{" + b" " * (3 * MB) + b"}")
    report = fetch_published(str(huge), tmp_path / "p", limits=Limits(max_manifest_bytes=1 * MB))
    assert "无法读取发布清单 manifest.json（大于发布清单的大小上限（1048576 字节）" in report.problems[0]


def test_the_total_is_capped(live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mirror = _hostile_copy(live, tmp_path)
    big = b"unit_id,name\n" + b"x,y\n" * (700_000)  # 2.8 MB, announced as such
    (mirror / "downloads/units.csv").write_bytes(big)

    def announce(manifest: dict[str, Any]) -> None:
        for entry in manifest["files"]:
            if entry["path"] == "downloads/units.csv":
                entry.update(_entry(entry["path"], big))

    rewrite_manifest(mirror, announce)
    assert main(["fetch-published", str(mirror), "--out", str(tmp_path / "p"), "--max-mb", "1"]) == 1
    err = capsys.readouterr().err
    assert "读取的总量超过上限 1 MB（--max-mb），已停止读取" in err
    assert err.count("--max-mb") == 1  # said once, not once per file
    assert not (tmp_path / "p").exists()


def test_a_server_that_never_answers_times_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # accepts connections (the kernel does), never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        started = time.monotonic()
        assert main(["fetch-published", url, "--out", str(tmp_path / "p"), "--timeout", "0.5"]) == 1
        assert main(["verify", url, "--timeout", "0.5"]) == 1
        assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert err.count("连接或读取超时（超过 0.5 秒没有响应，--timeout）") == 2
    assert "Traceback" not in err and not (tmp_path / "p").exists()


def test_a_server_that_drips_its_headers_is_cut_off_at_the_deadline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A byte every 0.1 s never lets a 1 s read timeout fire: the deadline shuts the connection."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"HTTP/1.0 200 OK\r\n")
        for _ in range(600):
            handler.wfile.write(b"X")
            time.sleep(0.1)

    with hostile_server(respond) as (url, _counts):
        started = time.monotonic()
        code = main(["verify", url, "--timeout", "1", "--deadline", "1.5"])
        seconds = time.monotonic() - started
    assert code == 1 and seconds < 4, seconds
    assert "已超过总时限 1.5 秒（--deadline），已停止读取" in capsys.readouterr().err


def test_redirects_stay_on_http(live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "ftp://127.0.0.1:1/manifest.json")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with hostile_server(respond) as (url, _counts):
        assert main(["verify", url]) == 1
    assert "服务器重定向到非 http(s) 地址“ftp://127.0.0.1:1/manifest.json”，已拒绝" in capsys.readouterr().err


# --- 4. The release chain ----------------------------------------------------------------------------------------


def _manifest(number: int, previous_sha: str | None) -> bytes:
    return dumps(
        {
            "format": "gongkai-release-manifest",
            "version": 1,
            "release": number,
            "previous": {
                "release": number - 1,
                "path": f"releases/{number - 1}/manifest.json",
                "sha256": previous_sha,
            }
            if previous_sha
            else None,
            "changes": None,
            "files": [],
        }
    )


def _chain_server(
    current: int, manifest_of: Callable[[int], bytes]
) -> Callable[[BaseHTTPRequestHandler], None]:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        parts = handler.path.strip("/").split("/")
        if parts == ["manifest.json"]:
            _send(handler, manifest_of(current))
        elif (
            len(parts) == 3 and parts[0] == "releases" and parts[1].isdigit() and parts[2] == "manifest.json"
        ):
            _send(handler, manifest_of(int(parts[1])))
        else:
            _send(handler, None)

    return respond


def test_an_impossible_release_number_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = "ab" * 32
    with hostile_server(_chain_server(10**12, lambda n: _manifest(n, fake))) as (url, counts):
        started = time.monotonic()
        assert main(["fetch-published", url, "--out", str(tmp_path / "p")]) == 1
        assert time.monotonic() - started < 5
        assert counts["requests"] == 1
    err = capsys.readouterr().err
    assert "manifest.json：发布序号（release）1000000000000 不在 1 至 100,000 之间" in err
    for bad in ('"12"', "0", "-3", "2.5", "true", "null"):
        site = tmp_path / f"bad{bad.strip(chr(34))}"
        site.mkdir()
        (site / "manifest.json").write_bytes(
            _manifest(1, None).replace(b'"release": 1', f'"release": {bad}'.encode())
        )
        assert main(["verify", str(site)]) == 1
        assert "发布序号（release）" in capsys.readouterr().err


def test_a_dynamic_chain_that_never_ends_ends_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every manifest made up on the fly: the chain breaks at the first link.
    fake = "cd" * 32
    with hostile_server(_chain_server(99_999, lambda n: _manifest(n, fake))) as (url, counts):
        assert main(["fetch-published", url, "--out", str(tmp_path / "p")]) == 1
        assert counts["requests"] <= 3
    assert "releases/99998/manifest.json：第 99998 次发布的清单已被改写" in capsys.readouterr().err

    # A consistent chain of 60,000 releases, served as fast as it is asked: the deadline ends it.
    chain = [b""]
    for number in range(1, 60_001):
        chain.append(_manifest(number, hashlib.sha256(chain[-1]).hexdigest() if number > 1 else None))
    with hostile_server(_chain_server(60_000, lambda n: chain[n] if 0 < n <= 60_000 else None)) as (
        url,
        counts,
    ):
        started = time.monotonic()
        assert main(["fetch-published", url, "--out", str(tmp_path / "p"), "--deadline", "1.5"]) == 1
        assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert "已超过总时限 1.5 秒（--deadline），已停止读取" in err
    assert not (tmp_path / "p").exists() and not list(tmp_path.glob(".p.*"))


# --- 5. The address in CI ----------------------------------------------------------------------------------------


def test_on_a_pull_request_the_address_never_comes_from_the_data_under_review(
    live: Path,
    mini_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GONGKAI_SITE_URL", raising=False)
    monkeypatch.delenv("CI_MERGE_REQUEST_IID", raising=False)
    config = mini_data / "portal.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nsite_url: https://attacker.example/\n", encoding="utf-8"
    )
    for name, value in (("GITHUB_EVENT_NAME", "pull_request"), ("CI_MERGE_REQUEST_IID", "7")):
        monkeypatch.setenv(name, value)
        assert main(["fetch-published", "--data", str(mini_data), "--out", str(tmp_path / "p")]) == 2
        err = capsys.readouterr().err
        assert "不能取自待审的数据" in err and "GONGKAI_SITE_URL" in err
        monkeypatch.delenv(name)
    assert not (tmp_path / "p").exists()

    # The CI setting gives the address, on a pull request or not.
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    with serving(live) as url:
        monkeypatch.setenv("GONGKAI_SITE_URL", url)
        assert main(["fetch-published", "--data", str(mini_data), "--out", str(tmp_path / "p")]) == 0
    assert "已取回" in capsys.readouterr().out


def test_the_ci_files_take_the_address_from_the_ci_settings() -> None:
    import yaml

    ci = Path(__file__).resolve().parent.parent / "portal-ci"
    workflow = yaml.safe_load((ci / "github/workflows/gongkai.yml").read_text(encoding="utf-8"))
    fetches = [
        step
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "fetch-published" in step.get("run", "")
    ]
    assert len(fetches) == 2
    for step in fetches:
        assert step["env"]["GONGKAI_SITE_URL"] == "${{ vars.GONGKAI_SITE_URL }}"
    gitlab = (ci / "gitlab-ci.yml").read_text(encoding="utf-8")
    assert "GONGKAI_SITE_URL" in gitlab
    readme = (ci / "README.md").read_text(encoding="utf-8")
    assert readme.count("GONGKAI_SITE_URL") >= 4
