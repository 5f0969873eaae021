"""Who may see a dashboard page: the session cookie, the checks before each route, and how
a refusal is answered (a redirection to sign in, or a page in French)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse

from server.api.deps import get_db, get_settings
from server.dashboard.pages import page
from server.errors import ApiError
from server.services import counsellors
from server.services.counsellors import SessionCheck, Status

PREFIX = "/conseil"
COOKIE = "conseil_session"
SIGN_IN = f"{PREFIX}/connexion"
EXPIRED = f"{SIGN_IN}?expiree=1"


class Redirect(Exception):
    def __init__(self, location: str, *, forget: bool = False) -> None:
        super().__init__(location)
        self.location, self.forget = location, forget


class Refused(Exception):
    """A request the dashboard will not carry out; the message is shown as is."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class DashboardRoute(APIRoute):
    """Turns the guards' refusals into answers a browser shows, not the API's JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except Redirect as redirect:
                response = RedirectResponse(redirect.location, status_code=303)
                if redirect.forget:
                    forget(response)
                return response
            except (Refused, ApiError) as refused:
                return page(request, "refus.html", {"message": refused.message}, refused.status)

        return guarded


def dashboard_router() -> APIRouter:
    """Routes carry the whole path, so the access log names them in full."""
    return APIRouter(prefix=PREFIX, route_class=DashboardRoute, include_in_schema=False)


def remember(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def forget(response: Response) -> None:
    response.delete_cookie(COOKIE, path=PREFIX, httponly=True, samesite="strict")


def session_token(request: Request) -> str | None:
    return request.cookies.get(COOKIE)


def check(request: Request) -> SessionCheck:
    with get_db(request).reading() as db:
        return counsellors.check_session(db, session_token(request), get_settings(request))


def _complete(request: Request) -> SessionCheck:
    """A complete session; anything else goes back to the sign-in page."""
    found = check(request)
    if found.status is Status.EXPIRED:
        raise Redirect(EXPIRED, forget=True)
    if found.status is not Status.COMPLETE:
        raise Redirect(SIGN_IN)
    return found


def _signed_in(request: Request) -> SessionCheck:
    """A complete session, kept alive: the counsellor is doing something."""
    found = _complete(request)
    if found.needs_touch:
        with get_db(request).writing() as db:
            counsellors.touch(db, found.session_id)
    return found


def _half_signed_in(request: Request) -> SessionCheck:
    """A session that has the password but not yet the code: the code page only."""
    found = check(request)
    if found.status is Status.COMPLETE:
        raise Redirect(f"{PREFIX}/")
    if found.status is Status.EXPIRED:
        raise Redirect(EXPIRED, forget=True)
    if found.status is not Status.PENDING:
        raise Redirect(SIGN_IN)
    return found


def _same_origin(request: Request) -> None:
    """A form posted from another site is refused (with SameSite cookies, a second wall)."""
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise Refused(403, "Ce formulaire vient d'un autre site. Il est refusé.")


SignedIn = Annotated[SessionCheck, Depends(_signed_in)]
# Watching a page is not doing something: the idle time-out still runs.
Watching = Annotated[SessionCheck, Depends(_complete)]
HalfSignedIn = Annotated[SessionCheck, Depends(_half_signed_in)]
SameOrigin = Depends(_same_origin)
