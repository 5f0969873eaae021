"""Signing in (password, then the authenticator app's code) and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response
from starlette.responses import RedirectResponse

from server.api.deps import get_db
from server.dashboard.guard import (
    PREFIX,
    HalfSignedIn,
    Redirect,
    SameOrigin,
    check,
    dashboard_router,
    forget,
    remember,
    session_token,
)
from server.dashboard.pages import page
from server.services import counsellors
from server.services.counsellors import Refusal, Status

router = dashboard_router()

EXPIRED = "Votre session a expiré. Connectez-vous à nouveau."
SIGNED_OUT = "Vous êtes déconnecté. À bientôt."


@router.get("/connexion")
def sign_in_form(request: Request, expiree: str | None = None, sortie: str | None = None):
    if check(request).status is Status.COMPLETE:
        raise Redirect(f"{PREFIX}/")
    notice = EXPIRED if expiree else SIGNED_OUT if sortie else None
    return page(request, "connexion.html", {"notice": notice, "login": ""})


@router.post("/connexion", dependencies=[SameOrigin])
def sign_in(
    request: Request,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    if not login.strip():
        refusal = Refusal("login", "Écrivez votre identifiant.")
    elif not password:
        refusal = Refusal("password", "Écrivez votre mot de passe.")
    else:
        with get_db(request).writing() as db:
            outcome = counsellors.check_password(db, login, password)
            if isinstance(outcome, str):
                counsellors.sign_out(db, session_token(request))  # a session already open
        if isinstance(outcome, str):
            return _signed(request, f"{PREFIX}/code", outcome)
        refusal = outcome
    context = {"login": login.strip(), "error": refusal}
    return page(request, "connexion.html", context)


@router.get("/code")
def code_form(request: Request, _pending: HalfSignedIn):
    return page(request, "code.html", {"code": ""})


@router.post("/code", dependencies=[SameOrigin])
def check_code(
    request: Request, pending: HalfSignedIn, code: Annotated[str, Form()] = ""
) -> Response:
    with get_db(request).writing() as db:
        outcome = counsellors.check_code(db, pending.session_id, code)
    if isinstance(outcome, str):
        return _signed(request, f"{PREFIX}/", outcome)
    return page(request, "code.html", {"code": code, "error": outcome})


@router.post("/deconnexion", dependencies=[SameOrigin])
def sign_out(request: Request) -> Response:
    with get_db(request).writing() as db:
        counsellors.sign_out(db, session_token(request))
    response = RedirectResponse(f"{PREFIX}/connexion?sortie=1", status_code=303)
    forget(response)
    return response


def _signed(request: Request, location: str, token: str) -> Response:
    response = RedirectResponse(location, status_code=303)
    remember(response, request, token)
    return response
