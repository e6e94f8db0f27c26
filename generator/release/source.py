"""Reading a published site that may be hostile: a folder on disk or an http(s) address.

``gongkai verify`` and ``gongkai fetch-published`` read whatever a live site or a mirror serves, and
the build reads the previous site's release history. Every read here is bounded: a path is read
only after the manifest checks have allowed it (``manifest.path_problem``); on disk it is opened
component by component below the root without following a symbolic link, and only a regular file
is read (never a FIFO or a device); a file is read at most to its announced size plus one byte, all
reads together to ``Limits.max_total_bytes``, each connection or read waits at most
``Limits.timeout`` seconds and the whole command ``Limits.deadline`` seconds; over the network only
http(s) is spoken, redirects included. A refusal is a ``SourceError`` with a Chinese message.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import os
import socket
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1 << 20
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """How much a command reads from a site, and for how long."""

    #: All files read by one command together (``--max-mb``).
    max_total_bytes: int = 2048 * MB
    #: One release manifest (``manifest.json``, ``releases/<n>/manifest.json``): a portal of
    #: 100,000 decisions writes a manifest of about 20 MB.
    max_manifest_bytes: int = 64 * MB
    #: Seconds to wait for a connection or for the next bytes of a response (``--timeout``).
    timeout: float = 30.0
    #: Seconds the whole command may take (``--deadline``).
    deadline: float = 1800.0


class VerifyUsageError(ValueError):
    """The target is neither a directory nor an http(s) address (Chinese message)."""


class SourceError(Exception):
    """A file could not be read, or was refused (Chinese message, without the path).

    ``fatal``: the whole command must stop (total size or deadline exceeded)."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


class TooLarge(SourceError):
    """The file is larger than its limit: reading stopped at ``limit`` + 1 bytes."""

    def __init__(self, limit: int, what: str) -> None:
        super().__init__(f"大于{what}（{limit} 字节），读到第 {limit + 1} 字节即停止读取，已拒绝")
        self.limit = limit


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed only to http(s) addresses (never ``file:`` or ``ftp:``), at most 5."""

    max_redirections = 5

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise SourceError(f"服务器重定向到非 http(s) 地址“{newurl[:200]}”，已拒绝")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Sockets:
    """The sockets of a command's connections, shut down all at once when its deadline passes
    (a server dripping its headers a byte at a time would outlast every read timeout)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self.expired = False

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)
            expired = self.expired
        if expired:
            self._shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._open)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _tracking(base: type[http.client.HTTPConnection], sockets: _Sockets) -> type[http.client.HTTPConnection]:
    class Tracked(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            sockets.track(self.sock)

    return Tracked


class _HttpHandler(urllib.request.HTTPHandler):
    def __init__(self, sockets: _Sockets) -> None:
        super().__init__()
        self._sockets = sockets

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        return super().do_open(_tracking(http_class, self._sockets), req, **kwargs)


class _HttpsHandler(urllib.request.HTTPSHandler):
    def __init__(self, sockets: _Sockets) -> None:
        super().__init__()
        self._sockets = sockets

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        return super().do_open(_tracking(http_class, self._sockets), req, **kwargs)


def _opener(sockets: _Sockets) -> urllib.request.OpenerDirector:
    """urllib's opener with only the http(s) handlers: no ``file:``, ``ftp:`` or ``data:``."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _HttpHandler(sockets),
        _HttpsHandler(sockets),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


class Source:
    """A published site (folder or http(s) address) read within ``limits``; thread-safe."""

    def __init__(self, target: str, limits: Limits | None = None) -> None:
        self.target = target
        self.limits = limits or Limits()
        self.remote = target.startswith(("http://", "https://"))
        self._ends = time.monotonic() + self.limits.deadline
        self._lock = threading.Lock()
        self._total = 0
        #: The first fatal error (total size, deadline): every later read fails with it.
        self.stopped: SourceError | None = None
        if self.remote:
            self._base = target if target.endswith("/") else target + "/"
            self._sockets = _Sockets()
            self._opener = _opener(self._sockets)
            watchdog = threading.Timer(self.limits.deadline, self._sockets.expire)
            watchdog.daemon = True
            watchdog.start()
            # Stopped with the source: a command's watchdog never outlives it by much.
            weakref.finalize(self, watchdog.cancel)
        else:
            self._root = Path(target)
            if not self._root.is_dir():
                raise VerifyUsageError(f"“{target}”既不是目录，也不是 http(s) 网址。")

    @property
    def total_bytes(self) -> int:
        return self._total

    def read(self, path: str, limit: int, what: str = "上限") -> bytes | None:
        """The whole file (at most ``limit`` bytes), or None if it does not exist."""
        chunks: list[bytes] = []
        return b"".join(chunks) if self.stream(path, limit, chunks.append, what) else None

    def stream(self, path: str, limit: int, sink: Callable[[bytes], object], what: str = "上限") -> bool:
        """Pass the file's bytes to ``sink`` chunk by chunk; False if the file does not exist.

        Raises ``SourceError``: larger than ``limit`` (``TooLarge``; ``what`` names the limit), a
        link or not a regular file, the total or the deadline exceeded, a network or disk error."""
        self._check_time()
        if self.remote:
            return self._stream_http(path, limit, sink, what)
        fd = self._open_local(path)
        if fd is None:
            return False
        with os.fdopen(fd, "rb", buffering=0) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise TooLarge(limit, what)
            self._pump(handle.read, limit, sink, what)
        return True

    # -- limits ------------------------------------------------------------------------------

    def _stop(self, error: SourceError) -> SourceError:
        with self._lock:
            if self.stopped is None:
                self.stopped = error
            return self.stopped

    def _check_time(self) -> float:
        """Seconds left before the deadline (raises when none are)."""
        if self.stopped is not None:
            raise self.stopped
        left = self._ends - time.monotonic()
        if left <= 0 or (self.remote and self._sockets.expired):
            raise self._stop(
                SourceError(f"已超过总时限 {self.limits.deadline:g} 秒（--deadline），已停止读取", fatal=True)
            )
        return left

    def _pump(
        self, read: Callable[[int], bytes], limit: int, sink: Callable[[bytes], object], what: str
    ) -> None:
        """Read chunks of at most 64 KB, and never past ``limit`` + 1 bytes in all."""
        count = 0
        while chunk := read(min(_CHUNK, limit + 1 - count)):
            count += len(chunk)
            with self._lock:
                self._total += len(chunk)
                over = self._total > self.limits.max_total_bytes
            if count > limit:
                raise TooLarge(limit, what)
            if over:
                raise self._stop(
                    SourceError(
                        f"读取的总量超过上限 {self.limits.max_total_bytes // MB} MB（--max-mb），已停止读取",
                        fatal=True,
                    )
                )
            self._check_time()
            sink(chunk)
        self._check_time()  # an end of the body forced by the deadline's watchdog is the deadline's

    # -- a folder ----------------------------------------------------------------------------

    def _open_local(self, path: str) -> int | None:
        """An open descriptor of ``root/path``, walked one component at a time below the root
        without following links; None if it does not exist."""
        parts = path.split("/")
        try:
            fd = os.open(self._root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as error:
            raise SourceError(f"无法打开目录“{self.target}”（{error.strerror}）") from None
        try:
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                try:
                    mode = os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode
                except (FileNotFoundError, NotADirectoryError):
                    os.close(fd)
                    return None
                if stat.S_ISLNK(mode):
                    raise SourceError("是符号链接或经过符号链接，拒绝读取")
                if last and not stat.S_ISREG(mode):
                    raise SourceError("不是普通文件（目录、管道或设备），拒绝读取")
                if not last and not stat.S_ISDIR(mode):
                    os.close(fd)
                    return None
                flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
                flags |= os.O_NONBLOCK if last else os.O_DIRECTORY
                try:
                    inner = os.open(part, flags, dir_fd=fd)
                except OSError as error:  # replaced between the check and the open
                    if error.errno in (errno.ELOOP, errno.ENOTDIR):
                        raise SourceError("是符号链接或经过符号链接，拒绝读取") from None
                    raise SourceError(f"无法读取（{error.strerror}）") from None
                os.close(fd)
                fd = inner
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise SourceError("不是普通文件（目录、管道或设备），拒绝读取")
            return fd
        except BaseException:
            os.close(fd)
            raise

    # -- http(s) -----------------------------------------------------------------------------

    def _stream_http(self, path: str, limit: int, sink: Callable[[bytes], object], what: str) -> bool:
        url = urllib.parse.urljoin(self._base, urllib.parse.quote(path))
        timeout = min(self.limits.timeout, self._check_time())
        try:
            response = self._opener.open(url, timeout=timeout)
        except urllib.error.HTTPError as error:
            error.close()
            if error.code == 404:
                return False
            raise SourceError(f"服务器返回 HTTP {error.code}") from None
        except SourceError:
            raise
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
            self._check_time()  # a wait cut short by the deadline is the deadline's
            raise SourceError(_describe(error, self.limits.timeout)) from None
        with response:
            length = response.headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > limit:
                raise TooLarge(limit, what)
            try:
                self._pump(response.read1, limit, sink, what)
            except SourceError:
                raise
            except (OSError, ValueError, http.client.HTTPException) as error:  # timeouts, resets, bad framing
                self._check_time()
                raise SourceError(_describe(error, self.limits.timeout)) from None
        return True


def _describe(error: BaseException, timeout: float) -> str:
    """A network error in Chinese."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"连接或读取超时（超过 {timeout:g} 秒没有响应，--timeout）"
    if isinstance(reason, OSError) and reason.strerror:
        return f"无法连接或读取（{reason.strerror}）"
    return f"无法连接或读取（{reason}）"
