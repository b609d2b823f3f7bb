"""ASGI guard: the web view answers GET and HEAD only; any other method gets 405.

Datasette has no write endpoints unless configured to, and the store file is opened
immutable; this makes "no writes through the web" hold even if a plugin or a future
setting offered one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

ASGIApp = Callable[
    [dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]
]
ALLOWED = frozenset({"GET", "HEAD"})


def read_only(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so that every non-GET/HEAD HTTP request is refused with 405."""

    async def guarded(scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("method") not in ALLOWED:
            await send(
                {
                    "type": "http.response.start",
                    "status": 405,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"allow", b"GET, HEAD"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b"read-only view: GET only\n"})
            return
        await app(scope, receive, send)

    return guarded
