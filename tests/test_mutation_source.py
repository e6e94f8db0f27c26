"""The bounded reader of published sites (``generator.release.source``), called in the test process.

``gongkai verify`` and ``gongkai fetch-published`` read whatever a hostile mirror or live site
serves through ``Source``; tests/test_hostile_fetch.py drives them through the command line (a
child process, which no mutant reaches). These tests call ``Source`` itself, on folders and on a
real HTTP server in this process, and pin every limit at its edge and every refusal's Chinese text
(docs/mutation.md: they kill the mutants of ``generator/release/source.py``).
"""

from __future__ import annotations

import http.server
import os
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from generator.release.source import (
    MB,
    Limits,
    Source,
    SourceError,
    TooLarge,
    VerifyUsageError,
    _describe,
)

BODY = b"0123456789"


def chunks_of(source: Source, path: str, limit: int) -> list[bytes]:
    chunks: list[bytes] = []
    assert source.stream(path, limit, chunks.append)
    return chunks


# -- limits and messages -------------------------------------------------------------------------


def test_the_default_limits_are_the_documented_ones() -> None:
    # `--max-mb` 2048, manifests 64 MB, 30 s a wait, 1800 s a command (README, gongkai verify --help)
    assert MB == 1 << 20
    assert Limits() == Limits(2048 * MB, 64 * MB, 30.0, 1800.0)


def test_too_large_says_the_limit_and_where_reading_stopped() -> None:
    error = TooLarge(10, "清单上限")
    assert str(error) == "大于清单上限（10 字节），读到第 11 字节即停止读取，已拒绝"
    assert error.limit == 10 and not error.fatal
    assert SourceError("x", fatal=True).fatal and not SourceError("x").fatal


def test_network_errors_are_described_in_chinese() -> None:
    assert (
        _describe(urllib.error.URLError(TimeoutError()), 2.5)
        == "连接或读取超时（超过 2.5 秒没有响应，--timeout）"
    )
    assert _describe(TimeoutError("timed out"), 30) == "连接或读取超时（超过 30 秒没有响应，--timeout）"
    assert _describe(OSError("read timed out"), 1) == "连接或读取超时（超过 1 秒没有响应，--timeout）"
    refused = ConnectionRefusedError(111, "Connection refused")
    assert _describe(urllib.error.URLError(refused), 30) == "无法连接或读取（Connection refused）"
    assert _describe(refused, 30) == "无法连接或读取（Connection refused）"
    assert (
        _describe(urllib.error.URLError("unknown url type: x"), 30) == "无法连接或读取（unknown url type: x）"
    )
    assert _describe(ValueError("bad"), 30) == "无法连接或读取（bad）"
    assert _describe(OSError("no errno"), 30) == "无法连接或读取（no errno）"


# -- a folder ------------------------------------------------------------------------------------


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    root = tmp_path / "mirror"
    (root / "releases" / "1").mkdir(parents=True)
    (root / "a.txt").write_bytes(BODY)
    (root / "releases" / "1" / "manifest.json").write_bytes(b"{}")
    (root / "empty").write_bytes(b"")
    return root


def test_a_folder_is_read_whole_and_counted(mirror: Path) -> None:
    source = Source(str(mirror))
    assert not source.remote and source.target == str(mirror) and source.limits == Limits()
    assert source.read("a.txt", 10) == BODY
    assert source.read("releases/1/manifest.json", 2) == b"{}"
    assert source.read("empty", 0) == b""
    assert source.total_bytes == 12
    assert source.stopped is None


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(mirror: Path) -> None:
    source = Source(str(mirror))
    assert source.read("a.txt", 10, "清单上限") == BODY
    with pytest.raises(TooLarge) as refused:
        source.read("a.txt", 9, "清单上限")
    assert str(refused.value) == "大于清单上限（9 字节），读到第 10 字节即停止读取，已拒绝"
    assert source.total_bytes == 10  # refused by its size before a byte was read
    with pytest.raises(TooLarge, match=r"^大于上限（9 字节）"):
        source.read("a.txt", 9)


def test_a_big_file_arrives_in_chunks_of_at_most_64_kb(mirror: Path) -> None:
    data = os.urandom(200_000)
    (mirror / "big.bin").write_bytes(data)
    source = Source(str(mirror))
    chunks = chunks_of(source, "big.bin", len(data))
    assert b"".join(chunks) == data
    assert [len(c) for c in chunks] == [65536, 65536, 65536, 200_000 - 3 * 65536]
    assert source.total_bytes == len(data)


def test_missing_files_and_folders_are_none(mirror: Path) -> None:
    source = Source(str(mirror))
    assert source.read("nothing.txt", 10) is None
    assert source.read("releases/9/manifest.json", 10) is None
    assert source.read("a.txt/inside", 10) is None  # a file where a folder should be
    assert not source.stream("nothing.txt", 10, lambda chunk: None)
    assert source.total_bytes == 0


def test_links_anywhere_on_the_path_are_refused(mirror: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    (mirror / "link.txt").symlink_to(outside / "secret.txt")
    (mirror / "linked").symlink_to(outside)
    source = Source(str(mirror))
    for path in ("link.txt", "linked/secret.txt"):
        with pytest.raises(SourceError) as refused:
            source.read(path, 100)
        assert str(refused.value) == "是符号链接或经过符号链接，拒绝读取"
        assert not refused.value.fatal
    assert source.total_bytes == 0


def test_a_fifo_or_a_folder_is_refused_without_waiting(mirror: Path) -> None:
    os.mkfifo(mirror / "pipe")
    source = Source(str(mirror))
    for path in ("pipe", "releases", "releases/1"):
        started = time.monotonic()
        with pytest.raises(SourceError) as refused:
            source.read(path, 100)
        assert str(refused.value) == "不是普通文件（目录、管道或设备），拒绝读取"
        assert time.monotonic() - started < 2


def test_a_target_that_is_neither_folder_nor_address(tmp_path: Path) -> None:
    for target in (str(tmp_path / "none"), "ftp://example.org/", "file:///etc"):
        with pytest.raises(VerifyUsageError) as refused:
            Source(target)
        assert str(refused.value) == f"“{target}”既不是目录，也不是 http(s) 网址。"


def test_a_folder_removed_after_opening_is_said(mirror: Path) -> None:
    source = Source(str(mirror))
    moved = mirror.with_name("moved")
    mirror.rename(moved)
    with pytest.raises(SourceError) as refused:
        source.read("a.txt", 10)
    assert str(refused.value) == f"无法打开目录“{mirror}”（No such file or directory）"


def test_the_total_is_bounded_and_stops_every_later_read(mirror: Path) -> None:
    source = Source(str(mirror), Limits(max_total_bytes=15))
    assert source.read("a.txt", 10) == BODY
    with pytest.raises(SourceError) as stopped:
        source.read("a.txt", 10)
    assert str(stopped.value) == "读取的总量超过上限 0 MB（--max-mb），已停止读取"
    assert stopped.value.fatal and source.stopped is stopped.value
    assert source.total_bytes == 20
    with pytest.raises(SourceError) as again:
        source.read("releases/1/manifest.json", 10)  # even a small file: the command has stopped
    assert again.value is stopped.value


def test_exactly_the_total_is_allowed(mirror: Path) -> None:
    source = Source(str(mirror), Limits(max_total_bytes=12))
    assert source.read("a.txt", 10) == BODY
    assert source.read("releases/1/manifest.json", 10) == b"{}"
    assert source.stopped is None


def test_the_total_in_megabytes(mirror: Path) -> None:
    (mirror / "big.bin").write_bytes(b"x" * (MB + 1))
    source = Source(str(mirror), Limits(max_total_bytes=MB))
    with pytest.raises(SourceError, match=r"^读取的总量超过上限 1 MB（--max-mb），已停止读取$"):
        source.read("big.bin", 2 * MB)


def test_a_passed_deadline_stops_every_read(mirror: Path) -> None:
    source = Source(str(mirror), Limits(deadline=0.2))
    assert source.read("a.txt", 10) == BODY
    time.sleep(0.25)
    with pytest.raises(SourceError) as stopped:
        source.read("a.txt", 10)
    assert str(stopped.value) == "已超过总时限 0.2 秒（--deadline），已停止读取"
    assert stopped.value.fatal and source.stopped is stopped.value
    with pytest.raises(SourceError) as again:
        source.read("releases/1/manifest.json", 10)
    assert again.value is stopped.value


def test_a_deadline_not_yet_passed_reads(mirror: Path) -> None:
    source = Source(str(mirror), Limits(deadline=30))
    time.sleep(0.05)
    assert source.read("a.txt", 10) == BODY


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- http(s) -------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    files: ClassVar[dict[str, bytes]] = {}
    port = 0
    closed_port = 0

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(
        self, code: int, body: bytes, length: bool = True, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path.startswith("/hop/"):  # /hop/N redirects N times, then serves BODY
            hops = int(path.rsplit("/", 1)[1])
            if hops:
                self._send(302, b"", headers={"Location": f"/hop/{hops - 1}"})
            else:
                self._send(200, BODY)
        elif path == "/to-file":
            self._send(302, b"", headers={"Location": "file:///etc/passwd"})
        elif path == "/to-ftp":
            self._send(302, b"", headers={"Location": "FTP://example.org/x"})
        elif path == "/to-https-upper":
            self._send(302, b"", headers={"Location": f"HTTP://127.0.0.1:{self.port}/site/a.txt"})
        elif path == "/error":
            self._send(500, b"boom")
        elif path == "/forbidden":
            self._send(403, b"no")
        elif path == "/slow":
            time.sleep(1.0)
            self._send(200, BODY)
        elif path == "/drip":  # headers at once, then one byte every 0.1 s for 3 s
            self.send_response(200)
            self.send_header("Content-Length", "30")
            self.end_headers()
            for _ in range(30):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
        elif path == "/stall":  # headers, then nothing at all for 3 s
            self.send_response(200)
            self.send_header("Content-Length", "30")
            self.end_headers()
            self.wfile.flush()
            time.sleep(3)
        elif path == "/drip-headers":  # the status line and headers one byte every 0.1 s (3 s in all)
            head = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Padding: " + b"p" * 10 + b"\r\n\r\nok"
            for byte in head:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
            self.close_connection = True
        elif path == "/half":  # headers and half the body, then nothing for 1 s
            self.send_response(200)
            self.send_header("Content-Length", "20")
            self.end_headers()
            self.wfile.write(b"x" * 10)
            self.wfile.flush()
            time.sleep(1)
        elif path == "/to-long-ftp":
            self._send(302, b"", headers={"Location": "ftp://example.org/" + "a" * 300})
        elif path == "/to-https":
            self._send(302, b"", headers={"Location": f"https://127.0.0.1:{self.closed_port}/a.txt"})
        elif path.startswith("/nolength/"):
            self._send(200, self.files.get(path.removeprefix("/nolength"), b""), length=False)
        elif path.startswith("/site/") and path.removeprefix("/site") in self.files:
            self._send(200, self.files[path.removeprefix("/site")])
        else:
            self._send(404, b"not found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _Handler.files = {
        "/a.txt": BODY,
        "/%E5%8D%95%E4%BD%8D%20x.txt": b"chinese",
        "/big.bin": b"y" * 200_000,
        "/eleven": b"x" * 11,
    }
    _Handler.files["/hundred"] = b"z" * 100
    _Handler.closed_port = _closed_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    _Handler.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{_Handler.port}"
    httpd.shutdown()
    httpd.server_close()


def test_an_address_is_read_with_or_without_its_slash(server: str) -> None:
    for target in (f"{server}/site", f"{server}/site/"):
        source = Source(target)
        assert source.remote and source.target == target
        assert source.read("a.txt", 10) == BODY
        assert source.total_bytes == 10
    assert Source(f"{server}/site/").read("单位 x.txt", 100) == b"chinese"  # quoted on the way


def test_https_addresses_are_remote_too() -> None:
    source = Source("https://127.0.0.1:1/")
    assert source.remote


def test_a_missing_file_is_none_and_other_statuses_are_said(server: str) -> None:
    source = Source(f"{server}/site/")
    assert source.read("nothing.txt", 10) is None
    base = Source(f"{server}/")
    with pytest.raises(SourceError) as failed:
        base.read("error", 10)
    assert str(failed.value) == "服务器返回 HTTP 500" and not failed.value.fatal
    with pytest.raises(SourceError, match=r"^服务器返回 HTTP 403$"):
        base.read("forbidden", 10)


def test_an_announced_size_over_the_limit_is_refused_unread(server: str) -> None:
    source = Source(f"{server}/site/")
    with pytest.raises(TooLarge) as refused:
        source.read("eleven", 10, "清单上限")
    assert str(refused.value) == "大于清单上限（10 字节），读到第 11 字节即停止读取，已拒绝"
    assert source.total_bytes == 0
    assert source.read("eleven", 11) == b"x" * 11


def test_an_unannounced_size_is_cut_at_the_limit_plus_one(server: str) -> None:
    source = Source(f"{server}/nolength/")
    assert source.read("eleven", 11) == b"x" * 11
    with pytest.raises(TooLarge, match=r"^大于上限（10 字节）"):
        source.read("eleven", 10)
    assert source.total_bytes == 11 + 11  # the second read stopped at byte 11


def test_a_body_arrives_in_chunks_of_at_most_64_kb(server: str) -> None:
    source = Source(f"{server}/nolength/")
    chunks = chunks_of(source, "big.bin", 200_000)
    assert b"".join(chunks) == b"y" * 200_000
    assert max(len(c) for c in chunks) <= 65536
    assert source.total_bytes == 200_000


def test_the_total_is_bounded_over_the_network(server: str) -> None:
    source = Source(f"{server}/site/", Limits(max_total_bytes=15))
    assert source.read("a.txt", 10) == BODY
    with pytest.raises(SourceError) as stopped:
        source.read("a.txt", 10)
    assert stopped.value.fatal and str(stopped.value).startswith("读取的总量超过上限 0 MB")
    assert source.stopped is stopped.value


def test_redirects_are_followed_to_http_at_most_five_times(server: str) -> None:
    source = Source(f"{server}/")
    assert source.read("hop/5", 10) == BODY
    with pytest.raises(SourceError, match=r"^服务器返回 HTTP 302$"):
        source.read("hop/6", 10)
    assert source.read("to-https-upper", 10) == BODY  # the scheme in any case


def test_redirects_to_other_schemes_are_refused(server: str) -> None:
    source = Source(f"{server}/")
    with pytest.raises(SourceError) as refused:
        source.read("to-file", 10)  # urllib itself refuses file: (a 302 it will not follow)
    assert str(refused.value) == "服务器返回 HTTP 302"
    with pytest.raises(SourceError, match=r"^服务器重定向到非 http\(s\) 地址“ftp://example\.org/x”，已拒绝$"):
        source.read("to-ftp", 10)


def test_a_server_that_does_not_answer_times_out(server: str) -> None:
    source = Source(f"{server}/", Limits(timeout=0.3))
    started = time.monotonic()
    with pytest.raises(SourceError) as failed:
        source.read("slow", 10)
    assert str(failed.value) == "连接或读取超时（超过 0.3 秒没有响应，--timeout）"
    assert not failed.value.fatal
    assert time.monotonic() - started < 0.9


def test_a_refused_connection_is_said() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = Source(f"http://127.0.0.1:{port}/")
    with pytest.raises(SourceError) as failed:
        source.read("a.txt", 10)
    assert str(failed.value) == "无法连接或读取（Connection refused）"


def test_a_dripping_server_is_cut_at_the_deadline(server: str) -> None:
    source = Source(f"{server}/", Limits(timeout=5, deadline=0.5))
    started = time.monotonic()
    with pytest.raises(SourceError) as stopped:
        source.read("drip", 100)
    assert str(stopped.value) == "已超过总时限 0.5 秒（--deadline），已停止读取"
    assert stopped.value.fatal
    assert time.monotonic() - started < 2.5
    with pytest.raises(SourceError) as again:
        source.read("a.txt", 10)
    assert again.value is stopped.value


def test_the_wait_for_a_response_is_cut_to_the_deadline(server: str) -> None:
    source = Source(f"{server}/", Limits(timeout=30, deadline=0.4))
    started = time.monotonic()
    with pytest.raises(SourceError) as stopped:
        source.read("slow", 10)
    assert stopped.value.fatal and "--deadline" in str(stopped.value)
    assert time.monotonic() - started < 0.9


def test_the_watchdog_thread_never_keeps_the_command_alive(server: str) -> None:
    before = set(threading.enumerate())
    source = Source(f"{server}/", Limits(deadline=600))
    watchdogs = [t for t in threading.enumerate() if t not in before and isinstance(t, threading.Timer)]
    assert len(watchdogs) == 1 and watchdogs[0].daemon and watchdogs[0].is_alive()
    del source
    watchdogs[0].join(2)
    assert not watchdogs[0].is_alive()  # cancelled with its source


def test_stream_names_the_limit_by_default(mirror: Path) -> None:
    with pytest.raises(TooLarge) as refused:
        Source(str(mirror)).stream("a.txt", 9, lambda chunk: None)
    assert str(refused.value) == "大于上限（9 字节），读到第 10 字节即停止读取，已拒绝"


def test_a_big_file_is_read_whole(mirror: Path) -> None:
    data = os.urandom(200_000)
    (mirror / "big.bin").write_bytes(data)
    assert Source(str(mirror)).read("big.bin", len(data)) == data


def test_a_dangling_link_or_a_link_to_a_folder_is_a_link(mirror: Path) -> None:
    (mirror / "dangling").symlink_to(mirror / "nowhere")
    (mirror / "to-folder").symlink_to(mirror / "releases")
    source = Source(str(mirror))
    for path in ("dangling", "to-folder"):
        with pytest.raises(SourceError, match=r"^是符号链接或经过符号链接，拒绝读取$"):
            source.read(path, 100)


def test_a_root_replaced_by_a_file_is_said(mirror: Path) -> None:
    source = Source(str(mirror))
    moved = mirror.with_name("moved")
    mirror.rename(moved)
    mirror.write_bytes(b"not a folder")
    with pytest.raises(SourceError) as refused:
        source.read("a.txt", 10)
    assert str(refused.value) == f"无法打开目录“{mirror}”（Not a directory）"


class _SwapAfterCheck:
    """A mirror whose owner swaps ``name`` for something else between the reader's check (``os.stat``
    without following links) and its ``os.open``: the race the open's own flags must win."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, swap: Callable[[], None]) -> None:
        real_stat = os.stat

        def stat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            result = real_stat(path, *args, **kwargs)
            if path == name and kwargs.get("dir_fd") is not None:
                swap()
            return result

        monkeypatch.setattr(os, "stat", stat)


def _swapped(
    mirror: Path, path: str, monkeypatch: pytest.MonkeyPatch, name: str, swap: Callable[[], None]
) -> str:
    source = Source(str(mirror))
    _SwapAfterCheck(monkeypatch, name, swap)
    with pytest.raises(SourceError) as refused:
        source.read(path, 100)
    monkeypatch.undo()
    return str(refused.value)


def test_a_file_swapped_for_a_link_after_the_check_is_refused(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret").write_bytes(b"secret")

    def swap() -> None:
        (mirror / "a.txt").unlink()
        (mirror / "a.txt").symlink_to(tmp_path / "secret")

    assert _swapped(mirror, "a.txt", monkeypatch, "a.txt", swap) == "是符号链接或经过符号链接，拒绝读取"


def test_a_folder_swapped_for_a_link_or_a_file_after_the_check_is_refused(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "elsewhere" / "1").mkdir(parents=True)
    (tmp_path / "elsewhere" / "1" / "manifest.json").write_bytes(b"{}")

    def to_link() -> None:
        (mirror / "releases").rename(tmp_path / "old-releases")
        (mirror / "releases").symlink_to(tmp_path / "elsewhere")

    assert (
        _swapped(mirror, "releases/1/manifest.json", monkeypatch, "releases", to_link)
        == "是符号链接或经过符号链接，拒绝读取"
    )

    (mirror / "releases").unlink()
    (tmp_path / "old-releases").rename(mirror / "releases")  # a real folder again, then a file

    def to_file() -> None:
        (mirror / "releases").rename(tmp_path / "old-releases")
        (mirror / "releases").write_bytes(b"a file")

    assert (
        _swapped(mirror, "releases/1/manifest.json", monkeypatch, "releases", to_file)
        == "是符号链接或经过符号链接，拒绝读取"
    )


def test_a_file_swapped_for_a_fifo_or_a_socket_after_the_check_is_refused(
    mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def to_fifo() -> None:
        (mirror / "a.txt").unlink()
        os.mkfifo(mirror / "a.txt")

    assert (
        _swapped(mirror, "a.txt", monkeypatch, "a.txt", to_fifo)
        == "不是普通文件（目录、管道或设备），拒绝读取"
    )
    (mirror / "a.txt").unlink()
    (mirror / "a.txt").write_bytes(BODY)
    listener = socket.socket(socket.AF_UNIX)

    def to_socket() -> None:
        (mirror / "a.txt").unlink()
        listener.bind(str(mirror / "a.txt"))

    try:
        assert (
            _swapped(mirror, "a.txt", monkeypatch, "a.txt", to_socket)
            == "无法读取（No such device or address）"
        )
    finally:
        listener.close()


def test_an_unannounced_body_is_read_to_exactly_the_limit_plus_one(server: str) -> None:
    source = Source(f"{server}/nolength/")
    with pytest.raises(TooLarge):
        source.read("hundred", 10)
    assert source.total_bytes == 11
    big = Source(f"{server}/nolength/")
    with pytest.raises(TooLarge, match=r"^大于上限（100000 字节）"):
        big.read("big.bin", 100_000)
    assert big.total_bytes == 100_001


def test_a_stalled_server_is_cut_at_the_deadline_not_the_timeout(server: str) -> None:
    source = Source(f"{server}/", Limits(timeout=5, deadline=0.5))
    started = time.monotonic()
    with pytest.raises(SourceError) as stopped:
        source.read("stall", 100)
    assert str(stopped.value) == "已超过总时限 0.5 秒（--deadline），已停止读取"
    assert stopped.value.fatal
    assert time.monotonic() - started < 2


def test_a_body_that_stops_mid_way_times_out(server: str) -> None:
    source = Source(f"{server}/", Limits(timeout=0.3))
    with pytest.raises(SourceError) as failed:
        source.read("half", 100)
    assert str(failed.value) == "连接或读取超时（超过 0.3 秒没有响应，--timeout）"
    assert not failed.value.fatal


def test_a_redirect_to_https_is_followed(server: str) -> None:
    with pytest.raises(SourceError) as failed:
        Source(f"{server}/").read("to-https", 10)
    assert str(failed.value) == "无法连接或读取（Connection refused）"  # followed, nobody listens


def test_a_long_refused_address_is_shown_cut_to_200_characters(server: str) -> None:
    with pytest.raises(SourceError) as refused:
        Source(f"{server}/").read("to-long-ftp", 10)
    shown = ("ftp://example.org/" + "a" * 300)[:200]
    assert str(refused.value) == f"服务器重定向到非 http(s) 地址“{shown}”，已拒绝"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """An https server on 127.0.0.1 with a certificate made for the test (openssl)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    _Handler.files.setdefault("/a.txt", BODY)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}", cert
    httpd.shutdown()
    httpd.server_close()


def test_an_https_address_is_read_and_its_deadline_kept(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test's own certificate
    source = Source(f"{url}/site/")
    assert source.read("a.txt", 10) == BODY
    assert source.read("nothing", 10) is None
    stalled = Source(f"{url}/", Limits(timeout=5, deadline=0.5))
    started = time.monotonic()
    with pytest.raises(SourceError, match="--deadline"):
        stalled.read("stall", 100)
    assert time.monotonic() - started < 2


def test_a_server_dripping_its_headers_is_cut_at_the_deadline(server: str) -> None:
    """Each byte comes within the read timeout, so only the deadline's watchdog, which shuts the
    command's sockets, stops it."""
    source = Source(f"{server}/", Limits(timeout=5, deadline=0.6))
    started = time.monotonic()
    with pytest.raises(SourceError) as stopped:
        source.read("drip-headers", 100)
    assert str(stopped.value) == "已超过总时限 0.6 秒（--deadline），已停止读取"
    assert stopped.value.fatal
    assert time.monotonic() - started < 2
