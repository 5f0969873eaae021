"""Idempotency-Key: a repeated write gets the first answer instead of acting twice.

Kiosks queue their writes and resend them after a network drop, so every write route runs
through `run`. The key is claimed in its own committed transaction BEFORE the work, so a
concurrent repeat sees it and gets a 409; the answer is stored in the same transaction as
the work, so a stored answer always matches what was really written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.db import Database
from server.errors import ApiError
from server.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100
# A claim older than this belongs to a request that died half-way: it may be taken over.
ABANDONED_AFTER = timedelta(minutes=2)

Work = Callable[[Session], tuple[int, Any]]


def run(
    database: Database, *, scope: str, key: str | None, request: Any, work: Work
) -> JSONResponse:
    """Do `work(session)` once per (scope, key); it returns (status, payload) to send as JSON.

    `request` is what makes two calls "the same" (route and body). An ApiError raised by the
    work is an answer too, and is replayed like a success.
    """
    if key is None:
        return _answer(*_attempt(database, work))
    key = _checked(key)
    digest = hashlib.sha256(
        json.dumps(jsonable_encoder(request), sort_keys=True).encode()
    ).hexdigest()
    replay = _claim(database, scope, key, digest)
    if replay is not None:
        return replay
    try:
        status, payload = _attempt(database, work, scope=scope, key=key)
    except BaseException:
        _release(database, scope, key)
        raise
    if status >= 400:  # the work rolled back: keep its refusal as the answer
        with database.writing() as session:
            _store(session, scope, key, status, payload)
    return _answer(status, payload)


def purge(db: Session, *, before: datetime) -> int:
    """Forget answers older than `before` (called by the worker); returns how many."""
    result = db.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < before))
    return result.rowcount


def _checked(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ApiError(
            422,
            "invalid",
            f"La clé d'idempotence doit avoir entre 1 et {MAX_KEY_LENGTH} caractères.",
            HEADER,
        )
    return key


def _claim(database: Database, scope: str, key: str, digest: str) -> JSONResponse | None:
    """Commit an in-progress record, or return the answer to replay (or raise 409/422)."""
    try:
        with database.writing() as session:
            record = session.scalar(_lookup(scope, key))
            if record is None:
                session.add(IdempotencyRecord(scope=scope, key=key, request_hash=digest))
                return None
            if record.request_hash != digest:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    "Cette clé a déjà servi pour une autre demande. Utilisez une nouvelle clé.",
                    HEADER,
                )
            if record.status_code is not None:
                return JSONResponse(
                    json.loads(record.response_body), status_code=record.status_code
                )
            if utcnow() - record.created_at < ABANDONED_AFTER:
                raise _in_progress()
            record.created_at = utcnow()
            return None
    except IntegrityError:  # the same key claimed at the same instant (PostgreSQL)
        raise _in_progress() from None


def _attempt(
    database: Database, work: Work, *, scope: str | None = None, key: str | None = None
) -> tuple[int, Any]:
    """The work in one transaction, with its answer stored in that same transaction."""
    try:
        with database.writing() as session:
            status, payload = work(session)
            payload = jsonable_encoder(payload)
            if key is not None:
                _store(session, scope, key, status, payload)
            return status, payload
    except ApiError as error:
        return error.status, error.body()


def _store(session: Session, scope: str, key: str, status: int, payload: Any) -> None:
    record = session.scalar(_lookup(scope, key))
    record.status_code = status
    record.response_body = json.dumps(payload)


def _release(database: Database, scope: str, key: str) -> None:
    """An unexpected failure is not an answer: let the client try again with the same key."""
    with database.writing() as session:
        session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
            )
        )


def _lookup(scope: str, key: str):  # noqa: ANN202 - a select statement
    return select(IdempotencyRecord).where(
        IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
    )


def _in_progress() -> ApiError:
    return ApiError(
        409,
        "idempotency_in_progress",
        "Cette demande est déjà en cours. Attendez un instant puis réessayez.",
        HEADER,
    )


def _answer(status: int, payload: Any) -> JSONResponse:
    return JSONResponse(payload, status_code=status)
