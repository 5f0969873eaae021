"""The home page: the centre's kiosks, the visitors' calls for help, the call-backs to make;
and the buttons that answer them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import Request, Response
from starlette.responses import RedirectResponse

from server.api.deps import get_db, get_settings
from server.dashboard import views
from server.dashboard.guard import PREFIX, SameOrigin, SignedIn, dashboard_router
from server.dashboard.pages import page
from server.models import Counsellor
from server.services import callbacks, help_requests

router = dashboard_router()


@router.get("/")
def home(request: Request, me: SignedIn):
    zone = ZoneInfo(get_settings(request).timezone)
    with get_db(request).reading() as db:
        live = views.live(db, zone)
    return page(request, "accueil.html", {"me": me, "live": live, "here": "accueil"})


@router.post("/aide/{request_id}/j-arrive", dependencies=[SameOrigin])
def coming(request: Request, request_id: int, me: SignedIn) -> Response:
    """The kiosk hears it at its next report and tells the visitor who is coming."""
    with get_db(request).writing() as db:
        help_requests.coming(db, request_id, db.get(Counsellor, me.counsellor_id))
    return _back("aide")


@router.post("/aide/{request_id}/termine", dependencies=[SameOrigin])
def done(request: Request, request_id: int, _me: SignedIn) -> Response:
    with get_db(request).writing() as db:
        help_requests.close(db, request_id)
    return _back("aide")


@router.post("/rappels/{request_id}/fait", dependencies=[SameOrigin])
def called_back(request: Request, request_id: int, _me: SignedIn) -> Response:
    """The number is erased once the person was called."""
    with get_db(request).writing() as db:
        callbacks.mark_done(db, request_id)
    return _back("rappels")


def _back(section: str) -> Response:
    return RedirectResponse(f"{PREFIX}/#{section}", status_code=303)
