"""ASGI middleware of the HTTP API: nosniff, internal errors, allowed hosts, bearer token,
body size.

Plain ASGI classes (no ``BaseHTTPMiddleware``), so streaming responses pass straight through.
Every response they make themselves is JSON ``{"detail": "..."}``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Collection

from fastapi import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("api.http")


class HttpMiddleware:
    """A pure ASGI middleware (Starlette's BaseHTTPMiddleware buffers streamed responses) that
    acts on HTTP requests in ``handle``; lifespan and other scopes pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class NoSniff(HttpMiddleware):
    """Send ``X-Content-Type-Options: nosniff`` with every response, so a browser never
    guesses HTML from a JSON body that quotes ``<script>`` out of an article."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        await self.app(scope, receive, send_with_header)


class InternalErrors(HttpMiddleware):
    """Turn an unhandled exception into ``500 {"detail": "internal error"}`` and log it.

    The traceback goes to the log, never to the client. Once a response has started (a
    stream), nothing can be sent any more: the exception propagates and the server closes
    the connection.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            await JSONResponse({"detail": "internal error"}, status_code=500)(scope, receive, send)


class AllowedHosts(HttpMiddleware):
    """Reject requests whose Host header is not one of ``hosts`` (DNS-rebinding pages)."""

    def __init__(self, app: ASGIApp, hosts: Collection[str]) -> None:
        super().__init__(app)
        self.hosts = {h.lower() for h in hosts}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = Headers(scope=scope).get("host", "").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in self.hosts:
            detail = f"host {host!r} is not served here; use one of {sorted(self.hosts)}"
            await JSONResponse({"detail": detail}, status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BearerToken(HttpMiddleware):
    """Require ``Authorization: Bearer <token>`` on every path but ``open_paths``."""

    def __init__(
        self, app: ASGIApp, token: str, open_paths: Collection[str] = ("/health",)
    ) -> None:
        super().__init__(app)
        self._token = token.encode("utf-8")
        self.open_paths = frozenset(open_paths)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] in self.open_paths:
            await self.app(scope, receive, send)
            return
        scheme, _, credentials = Headers(scope=scope).get("authorization", "").partition(" ")
        given = credentials.strip().encode("latin-1")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given, self._token):
            response = JSONResponse(
                {"detail": "missing or wrong token: send 'Authorization: Bearer <RAG_API_TOKEN>'"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyLimit(HttpMiddleware):
    """Answer ``413`` to a request body over ``max_bytes``, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    def _detail(self) -> str:
        return f"request body too large: the limit is {self.max_bytes} bytes"

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await JSONResponse({"detail": self._detail()}, status_code=413)(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI re-raises an HTTPException met while reading the body, and its
                    # exception handler turns it into the JSON response.
                    raise HTTPException(status_code=413, detail=self._detail())
            return message

        await self.app(scope, limited_receive, send)
