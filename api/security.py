"""What every response and request goes through: the Host check, body limits, security
headers, and an access log that never records a driver's token.

- Host: the service answers only to the names it is configured with (loopback, the host of
  ``AIDROUTE_PUBLIC_URL``, ``AIDROUTE_ALLOWED_HOSTS``). A web page that rebinds its own DNS
  name to 127.0.0.1 gets 400, not recipients' data.
- Bodies: a JSON body over ``AIDROUTE_MAX_BODY_BYTES`` (an upload over
  ``AIDROUTE_MAX_UPLOAD_BYTES``) is refused with 413 before it is read whole.
- Headers: a Content-Security-Policy (pages load nothing from elsewhere but the configured
  map tiles), ``nosniff``, no framing, ``Referrer-Policy: no-referrer`` (drivers' pages and
  invite links carry secrets in their URL), ``Cache-Control: no-store`` on everything that is
  not a static asset.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from api.settings import Settings

Scope = dict[str, Any]

TOKEN_PATH = re.compile(r"/(d|invite)/[^/\s?\"]+")


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(settings: Settings, html: bool) -> str:
    if not html:
        return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    tiles = _origin(settings.tile_url) if settings.tile_url else ""
    tile_hosts = " ".join(
        {tiles, tiles.replace("://a.", "://b."), tiles.replace("://a.", "://c.")} - {""}
    )
    return (
        "default-src 'self'; "
        # The map pages (Leaflet, folium) are built with inline scripts and styles.
        "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob: {tile_hosts}".rstrip()
        + "; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'; object-src 'none'"
    )


def _reply(status: int, detail: str) -> tuple[dict[str, Any], bytes]:
    body = json.dumps({"detail": detail, "problems": []}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    return start, body


class Guard:
    """ASGI middleware: host check, body limit and security headers."""

    def __init__(self, app: Any, settings: Settings):
        self.app = app
        self.settings = settings
        self.hosts = settings.host_names()
        self.csp_json = content_security_policy(settings, html=False)
        self.csp_html = content_security_policy(settings, html=True)

    def _host_ok(self, scope: Scope) -> bool:
        host = ""
        for name, value in scope.get("headers", ()):
            if name == b"host":
                host = value.decode("latin-1")
                break
        if not host:
            return False
        hostname = urlsplit(f"//{host}").hostname or ""
        return hostname.lower() in self.hosts or f"[{hostname}]" in self.hosts

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._host_ok(scope):
            start, body = _reply(
                400, "unknown host name: set AIDROUTE_PUBLIC_URL or AIDROUTE_ALLOWED_HOSTS"
            )
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        path: str = scope.get("path", "")
        upload = path.startswith("/imports")
        # An upload's body is the file plus the form around it.
        limit = (
            self.settings.max_upload_bytes + 64 * 1024 if upload else self.settings.max_body_bytes
        )
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = True
                if too_big:
                    await self._too_large(send, limit)
                    return
        declared = any(name == b"content-length" for name, _ in scope.get("headers", ()))
        if not declared and scope.get("method") in ("POST", "PUT", "PATCH"):
            # A streamed body: read it here, up to the limit, then hand it on.
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > limit:
                    await self._too_large(send, limit)
                    return
                more = message.get("more_body", False)
            buffered = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

            async def replay() -> Any:
                return buffered.pop() if buffered else await receive()

            receive = replay

        started = False

        async def with_headers(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = self._headers(path, list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _too_large(self, send: Any, limit: int) -> None:
        mb = limit / 1e6
        start, body = _reply(
            413, f"the request is larger than {mb:.1f} MB: split the file or remove columns"
        )
        start["headers"] = self._headers("", start["headers"])
        await send(start)
        await send({"type": "http.response.body", "body": body})

    def _headers(self, path: str, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        have = {k.lower() for k, _ in headers}
        ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        html = ctype.startswith(b"text/html")
        static = path.startswith(("/static/", "/docs/assets/"))
        add = {
            b"x-content-type-options": b"nosniff",
            b"x-frame-options": b"DENY",
            b"referrer-policy": b"no-referrer",
            b"content-security-policy": (self.csp_html if html else self.csp_json).encode(),
            b"cross-origin-opener-policy": b"same-origin",
        }
        if not static:
            add[b"cache-control"] = b"no-store"
        for key, value in add.items():
            if key not in have or key == b"cache-control":
                headers = [(k, v) for k, v in headers if k.lower() != key]
                headers.append((key, value))
        return headers


class RedactTokens(logging.Filter):
    """Access-log lines show ``/d/…`` instead of a driver's (or an invite's) secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                TOKEN_PATH.sub(r"/\1/…", a) if isinstance(a, str) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = TOKEN_PATH.sub(r"/\1/…", record.msg)
        return True


def redact_access_log() -> None:
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
