"""Named dependencies for routes: database sessions, settings, and who is calling.

Every kiosk call carries `X-Kiosk-Token`; a person adds `Authorization: Bearer <token>`;
a practice uses `X-Practice-Token`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
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


# FastAPI runs a plain `def` dependency in a worker thread: reading an attribute is cheaper
# than the hop, so these two are async.
async def _settings_dep(request: Request) -> Settings:
    return get_settings(request)


async def _db_dep(request: Request) -> Database:
    return get_db(request)


SettingsDep = Annotated[Settings, Depends(_settings_dep)]
DatabaseDep = Annotated[Database, Depends(_db_dep)]
ReadSessionDep = Annotated[Session, Depends(_read_session, scope="function")]
# Routes write in their own body, `with database.writing() as db:`, never through a
# dependency: a dependency's commit runs in another worker thread after the route returns,
# and under more simultaneous writers than worker threads every thread then waited for the
# SQLite writer lock held by a transaction no thread was left to commit.


# Who-is-calling lookups use their own short session, so a request never holds one
# connection while waiting for another (which would let a full pool deadlock).


# Kiosk tokens are looked up on every call and almost never change: each process keeps
# what it found for a short while. A kiosk removed from the database may thus still be
# served for up to _KIOSK_TTL seconds by a process that saw it just before.
_KIOSK_TTL = 30.0
# (database URL, token hash) → (valid until, detached kiosk)
_kiosks: dict[tuple[str, str], tuple[float, Kiosk]] = {}


def _find_kiosk(database: Database, token_hash: str) -> Kiosk | None:
    with database.reading() as session:
        kiosk = session.scalar(select(Kiosk).where(Kiosk.token_hash == token_hash))
    if kiosk is not None:
        _kiosks[database.url, token_hash] = (time.monotonic() + _KIOSK_TTL, kiosk)
    return kiosk


def _touch_kiosk(database: Database, kiosk: Kiosk, now: datetime) -> None:
    with database.writing() as write:
        write.get(Kiosk, kiosk.id).last_seen_at = now
    kiosk.last_seen_at = now  # the cached copy too, so the next calls skip the write


async def _kiosk(request: Request, x_kiosk_token: Annotated[str | None, Header()] = None) -> Kiosk:
    """Async so the usual case (a cached kiosk) costs no hop to a worker thread."""
    if not x_kiosk_token:
        raise ApiError(401, "kiosk_token_missing", "Cette borne n'est pas reconnue.")
    database, token_hash = get_db(request), hash_token(x_kiosk_token)
    cached = _kiosks.get((database.url, token_hash))
    if cached is not None and cached[0] > time.monotonic():
        kiosk = cached[1]
    else:
        kiosk = await run_in_threadpool(_find_kiosk, database, token_hash)
    if kiosk is None:
        raise ApiError(401, "kiosk_unknown", "Cette borne n'est pas reconnue.")
    now = utcnow()
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at > timedelta(minutes=1):
        await run_in_threadpool(_touch_kiosk, database, kiosk, now)
    return kiosk


CurrentKiosk = Annotated[Kiosk, Depends(_kiosk)]


def bearer_token(authorization: str | None) -> str:
    """The token of `Authorization: Bearer <token>`, or a 401."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(
            401, "not_signed_in", "Connectez-vous d'abord avec votre numéro de portable."
        )
    return token.strip()


def _signed_in(
    request: Request,
    kiosk: CurrentKiosk,
    authorization: Annotated[str | None, Header()] = None,
) -> tuple[AuthSession, Account | None]:
    """The session and its account in one query; `_auth_session` and `_account` share it."""
    database = get_db(request)
    with database.reading() as read:
        auth, account = sessions.signed_in(
            read, bearer_token(authorization), kiosk, get_settings(request)
        )
    if sessions.needs_touch(auth):
        with database.writing() as write:
            sessions.touch(write, auth.id)
    return auth, account


SignedIn = Annotated[tuple[AuthSession, Account | None], Depends(_signed_in)]


async def _auth_session(signed_in: SignedIn) -> AuthSession:
    return signed_in[0]


CurrentSession = Annotated[AuthSession, Depends(_auth_session)]


async def _account(signed_in: SignedIn) -> Account:
    return sessions.with_account(signed_in[1])


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
