"""Named dependencies for routes: database sessions, settings, and who is calling.

Every kiosk call carries `X-Kiosk-Token`; a person adds `Authorization: Bearer <token>`;
a practice uses `X-Practice-Token`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.db import Database
from server.errors import ApiError
from server.models import Account, AuthSession, Kiosk, Practice
from server.security import hash_token
from server.services import sessions


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def _read_session(request: Request) -> Iterator[Session]:
    with get_db(request).reading() as session:
        yield session


def _write_session(request: Request) -> Iterator[Session]:
    session = get_db(request).write_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_db)]
ReadSessionDep = Annotated[Session, Depends(_read_session, scope="function")]
# Commits when the route returns, before the answer is sent.
WriteSessionDep = Annotated[Session, Depends(_write_session, scope="function")]


# Who-is-calling lookups use their own short session, so a request never holds one
# connection while waiting for another (which would let a full pool deadlock).


def _kiosk(request: Request, x_kiosk_token: Annotated[str | None, Header()] = None) -> Kiosk:
    if not x_kiosk_token:
        raise ApiError(401, "kiosk_token_missing", "Cette borne n'est pas reconnue.")
    with get_db(request).reading() as session:
        kiosk = session.scalar(select(Kiosk).where(Kiosk.token_hash == hash_token(x_kiosk_token)))
    if kiosk is None:
        raise ApiError(401, "kiosk_unknown", "Cette borne n'est pas reconnue.")
    now = utcnow()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at > timedelta(minutes=1):
        with get_db(request).writing() as write:
            write.get(Kiosk, kiosk.id).last_seen_at = now
    return kiosk


CurrentKiosk = Annotated[Kiosk, Depends(_kiosk)]


def _auth_session(
    request: Request,
    kiosk: CurrentKiosk,
    authorization: Annotated[str | None, Header()] = None,
) -> AuthSession:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(
            401, "not_signed_in", "Connectez-vous d'abord avec votre numéro de portable."
        )
    database = get_db(request)
    with database.reading() as read:
        auth = sessions.authenticate(read, token.strip(), kiosk, get_settings(request))
    if sessions.needs_touch(auth):
        with database.writing() as write:
            sessions.touch(write, auth.id)
    return auth


CurrentSession = Annotated[AuthSession, Depends(_auth_session)]


def _account(request: Request, auth: CurrentSession) -> Account:
    account = None
    if auth.account_id:
        with get_db(request).reading() as session:
            account = session.get(Account, auth.account_id)
    if account is None:
        raise ApiError(403, "no_account", "Créez d'abord votre compte.")
    return account


CurrentAccount = Annotated[Account, Depends(_account)]


def _practice(
    request: Request, x_practice_token: Annotated[str | None, Header()] = None
) -> Practice:
    practice = None
    if x_practice_token:
        with get_db(request).reading() as session:
            practice = session.scalar(
                select(Practice).where(Practice.token_hash == hash_token(x_practice_token))
            )
    if practice is None:
        raise ApiError(401, "practice_unknown", "Ce cabinet n'est pas reconnu.")
    return practice


CurrentPractice = Annotated[Practice, Depends(_practice)]
