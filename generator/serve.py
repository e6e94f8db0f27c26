"""Preview a built site on 127.0.0.1 (never on other interfaces)."""

from __future__ import annotations

import errno
import functools
import http.server
import os
from pathlib import Path
from typing import ClassVar


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]  # a class-wide table, as the base class means
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".json": "application/json",
        ".csv": "text/csv; charset=utf-8",
    }

    def log_message(self, format: str, *args: object) -> None:  # quiet preview
        return

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """Like a real static host: no directory listings."""
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """404s get the site's own 404 page (Chinese, themed)."""
        page = Path(str(self.directory)) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class PortUnavailable(Exception):
    """The preview port cannot be opened; ``message`` is Chinese and says how to choose another."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def make_server(site_dir: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A preview server on 127.0.0.1:``port`` (0: any free port); ``PortUnavailable`` if the port is
    taken or not allowed."""
    handler = functools.partial(_Handler, directory=str(site_dir))
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OverflowError:
        raise PortUnavailable(f"端口 {port} 无效：端口应在 1–65535 之间。") from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = f"端口 {port} 已被其他程序占用"
        elif error.errno == errno.EACCES:
            reason = f"没有权限使用端口 {port}（1024 以下的端口通常需要管理员权限）"
        else:
            reason = f"无法在端口 {port} 上预览（系统错误：{error.strerror or error}）"
        raise PortUnavailable(
            f"{reason}。请换一个端口：gongkai serve --port 8001，或 make serve PORT=8001。"
        ) from None


def serve(site_dir: Path, port: int, server: http.server.ThreadingHTTPServer | None = None) -> None:
    """Serve ``site_dir`` until Ctrl+C (on ``server`` if already opened, else on ``port``)."""
    server = server or make_server(site_dir, port)
    print(f"预览地址：http://127.0.0.1:{server.server_address[1]}/  （按 Ctrl+C 停止）")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\n已停止预览。")
    finally:
        server.server_close()
