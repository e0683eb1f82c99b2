"""The app's outer ASGI layer: who may talk to it, how much they may send, what pages may load.

- Host: served on a loopback address, only requests naming a loopback host are answered, so a
  web page elsewhere cannot reach the app through a DNS name re-pointed at 127.0.0.1.
- Cross-site writes: a POST whose Origin is another site (a form on a page elsewhere) is
  refused; the app has no accounts, so this is what keeps other pages from adding articles.
- Size: a request body over the limit is refused with a page (or JSON) that says the limit,
  before it is parsed; the body is read and dropped, so the browser shows the message rather
  than a reset connection.
- Headers: every response gets a Content-Security-Policy (app pages load only the app's own
  stylesheet; a story's page keeps the stricter policy the report sets for itself), no
  framing, no referrer, no content sniffing.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["APP_CSP", "Guard", "human_size"]

# App pages: the app's own stylesheet and images, forms posting to the app, no script.
APP_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


class _TooLarge(Exception):
    pass


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_request_bytes: int,
        allowed_hosts: frozenset[str] | None,
        error_page: Callable[[int, str, str], str],
    ) -> None:
        """``allowed_hosts``: host names answered (None: any); ``error_page(status, title,
        message)``: the HTML of an error page."""
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.allowed_hosts = allowed_hosts
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = urlsplit("//" + headers.get("host", "")).hostname or ""
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            await self._refuse(scope, receive, send, 400, "Unknown host", f"Host {host!r}.")
            return
        if scope["method"] not in _SAFE_METHODS and self._cross_site(headers):
            await self._refuse(
                scope,
                receive,
                send,
                403,
                "Refused",
                "Articles can only be added from the app's own pages.",
            )
            return
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_request_bytes:
            await self._too_large(scope, receive, send, int(declared))
            return
        await self._call_counted(scope, receive, send)

    def _cross_site(self, headers: Headers) -> bool:
        site = headers.get("sec-fetch-site")  # what browsers say about where a request is from
        if site is not None:
            return site not in ("same-origin", "none")
        origin = headers.get("origin")  # older browsers ("null" under no-referrer)
        if origin is None:
            return False  # not a browser (curl, a script on this machine)
        return urlsplit(origin).netloc != headers.get("host", "")

    async def _call_counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        too_large = False
        started = False

        async def counted() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_request_bytes:
                    too_large = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if too_large:  # the app answered the cut body (e.g. "error parsing the body")
                if not started:
                    started = True
                    await self._too_large(scope, receive, send, None)
                return
            if message["type"] == "http.response.start":
                started = True
                message = _with_security_headers(message)
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            if not started:
                await self._too_large(scope, receive, send, None)

    async def _too_large(
        self, scope: Scope, receive: Receive, send: Send, size: int | None
    ) -> None:
        """``size``: the body's declared size (None: it was sent without one)."""
        await _drain(receive, limit=4 * self.max_request_bytes)
        limit = human_size(self.max_request_bytes)
        sent = human_size(size) if size is not None else f"over {limit}"
        await self._refuse(
            scope,
            receive,
            send,
            413,
            "Upload too large",
            f"This upload is {sent}; the limit is {limit} per upload. Send fewer or smaller "
            "files at once.",
        )

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, status: int, title: str, message: str
    ) -> None:
        if scope["path"].startswith("/api/"):
            body = json.dumps({"detail": message}).encode()
            kind = b"application/json"
        else:
            body = self.error_page(status, title, message).encode()
            kind = b"text/html; charset=utf-8"
        start: Message = {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
        await send(_with_security_headers(start))
        await send({"type": "http.response.body", "body": body})


async def _drain(receive: Callable[[], Awaitable[Message]], limit: int) -> None:
    """Read what the client still sends (up to ``limit`` bytes) so that it sees the answer."""
    read = 0
    while read <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _with_security_headers(message: Message) -> Message:
    headers = list(message.get("headers", []))
    names = {name.lower() for name, _ in headers}
    for name, value in (
        (b"content-security-policy", APP_CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-resource-policy", b"same-origin"),
    ):
        if name not in names:
            headers.append((name, value))
    return {**message, "headers": headers}
