"""Live updates of the home page and the workshop page as server-sent events.

Every half second a stream reads what the live part of its page shows; when it changed,
it sends that part again. It stops when the browser leaves, when the session ends, and
after 10 minutes (the browser reconnects by itself). Watching does not keep a session
alive: only the counsellor's own requests do.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Protocol
from zoneinfo import ZoneInfo

import anyio
from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from server.api.deps import get_db, get_settings
from server.dashboard import views, workshop
from server.dashboard.guard import Watching, check, dashboard_router
from server.dashboard.pages import fragment
from server.services.counsellors import Status

router = dashboard_router()

TICK = 0.5  # seconds between two looks at the database
CHECK_SESSION_EVERY = 5.0
KEEP_ALIVE_EVERY = 15.0  # a comment line, so proxies keep the connection open
LONGEST = 600.0


class LivePart(Protocol):
    """What a page's live part shows; the stream sends it again when the fingerprint changes."""

    def fingerprint(self) -> str: ...


@router.get("/flux")
async def live_stream(request: Request, _me: Watching) -> StreamingResponse:
    database, zone = get_db(request), ZoneInfo(get_settings(request).timezone)

    def read() -> views.Live:
        with database.reading() as db:
            return views.live(db, zone)

    return _stream(request, read, "_direct.html")


@router.get("/atelier/flux")
async def workshop_stream(request: Request, _me: Watching) -> StreamingResponse:
    """The workshop page's participants and exercise phone."""
    return _stream(request, lambda: workshop.read_live(request), "_atelier_direct.html")


def _stream(request: Request, read: Callable[[], LivePart], template: str) -> StreamingResponse:
    return StreamingResponse(
        _events(request, read, template),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    request: Request, read: Callable[[], LivePart], template: str
) -> AsyncIterator[str]:
    """`read` runs in a thread; `template` renders what it read as the `live` variable."""
    started = checked = sent = time.monotonic()
    shown = None
    while not await request.is_disconnected():
        now = time.monotonic()
        if now - started >= LONGEST:
            return
        if now - checked >= CHECK_SESSION_EVERY:
            checked = now
            if (await run_in_threadpool(check, request)).status is not Status.COMPLETE:
                yield "event: expired\ndata: \n\n"
                return
        live = await run_in_threadpool(read)
        if live.fingerprint() != shown:
            shown, sent = live.fingerprint(), now
            yield event(fragment(template, {"live": live}))
        elif now - sent >= KEEP_ALIVE_EVERY:
            sent = now
            yield ": toujours là\n\n"
        await anyio.sleep(TICK)


def event(data: str) -> str:
    """One message; each line of the data on its own `data:` line."""
    return "".join(f"data: {line}\n" for line in data.splitlines()) + "\n"
