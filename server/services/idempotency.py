"""Idempotency-Key: a repeated write gets the first answer instead of acting twice.

Kiosks queue their writes and resend them after a network drop, so every write route runs
through `run`. The key is claimed, the work done and its answer stored in ONE transaction:
a stored answer always matches what was really written, a failure leaves no trace, and a
write costs one transaction, not three. A repeat that arrives while the first is running:
- in the same server process, it is refused at once with a 409 (a registry of running keys);
- in another process, its claim waits on the database until the first commits (PostgreSQL
  waits on the unique index, SQLite on the single writer), then it gets the first answer.
A scope may be found inside the transaction itself (who is calling: a signed-in person's
session is read there, saving a transaction per write); the registry is then checked there
too, and a repeat that comes after it waits on the database as above.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from server.db import Database
from server.errors import ApiError
from server.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100

Work = Callable[[Session], tuple[int, Any]]
# Whose keys these are: known beforehand, or found in the write transaction (raising there
# refuses the call before any claim).
Scope = str | Callable[[Session], str]

# Run on every write, so built once. Both databases know INSERT … ON CONFLICT DO NOTHING,
# each through its own dialect; the insert skips a key already there.
_records = IdempotencyRecord.__table__
_CLAIM = {
    dialect: insert(_records)
    .on_conflict_do_nothing(index_elements=["scope", "key"])
    .returning(_records.c.id)
    for dialect, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}
_STORE = update(_records).where(
    _records.c.scope == bindparam("record_scope"), _records.c.key == bindparam("record_key")
)

_running: set[tuple[str, str]] = set()  # (scope, key) being worked on in this process
_running_lock = threading.Lock()


class _Replay(Exception):  # noqa: N818 - not an error: the answer is already known
    def __init__(self, status: int, body: str) -> None:
        self.status, self.body = status, body


def run(
    database: Database, *, scope: Scope, key: str | None, request: Any, work: Work
) -> JSONResponse:
    """Do `work(session)` once per (scope, key); it returns (status, payload) to send as JSON.

    `request` is what makes two calls "the same" (route and body). An ApiError raised by the
    work is an answer too, and is replayed like a success.
    """
    if key is None:
        status, body, _owner = _attempt(database, work, scope)
        return _answer(status, body)
    key = _checked(key)
    digest = hashlib.sha256(
        json.dumps(jsonable_encoder(request), sort_keys=True).encode()
    ).hexdigest()
    try:
        with _registered(scope, key) if isinstance(scope, str) else nullcontext():
            status, body, owner = _attempt(database, work, scope, claim=(key, digest))
            if status >= 400:  # the work rolled back, claim included: keep its refusal
                with database.writing() as session:
                    _claim(session, owner, key, digest, status, body)
    except _Replay as replay:
        return _answer(replay.status, replay.body)
    return _answer(status, body)


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


@contextmanager
def _registered(scope: str, key: str) -> Iterator[None]:
    """Refuse a repeat while this process still works on the first (its claim is not
    committed yet, so the database cannot tell it apart from a new key)."""
    with _running_lock:
        if (scope, key) in _running:
            raise _in_progress()
        _running.add((scope, key))
    try:
        yield
    finally:
        with _running_lock:
            _running.discard((scope, key))


def _attempt(
    database: Database,
    work: Work,
    scope: Scope,
    *,
    claim: tuple[str, str] | None = None,
) -> tuple[int, str, str]:
    """The claim, the work and its answer (status, JSON text, scope) in one transaction.

    A refusal by the work is an answer (returned); one by the scope or the claim is not
    (raised).
    """
    claimed = claim is None
    owner = scope if isinstance(scope, str) else ""
    try:
        with database.writing() as session:
            if not isinstance(scope, str):
                owner = scope(session)
            found_here = claim is not None and not isinstance(scope, str)
            with _registered(owner, claim[0]) if found_here else nullcontext():
                if claim is not None:
                    _claim(session, owner, *claim)
                    claimed = True
                status, payload = work(session)
                body = _json(payload)
                if claim is not None:
                    _store(session, owner, claim[0], status, body)
            return status, body, owner
    except ApiError as error:
        if not claimed:
            raise
        return error.status, _json(error.body()), owner


def _claim(
    session: Session,
    scope: str,
    key: str,
    digest: str,
    status: int | None = None,
    body: str | None = None,
) -> None:
    """Write the record (with its answer if known), or raise _Replay, a 409 or a 422.

    The usual case, a new key, is one statement.
    """
    claimed = (
        session.connection()
        .execute(
            _CLAIM[session.get_bind().dialect.name],
            {
                "scope": scope,
                "key": key,
                "request_hash": digest,
                "status_code": status,
                "response_body": body,
            },
        )
        .first()
    )
    if claimed is not None:
        return
    record = session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
        )
    )
    if record is None or record.status_code is None:
        raise _in_progress()
    if record.request_hash != digest:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "Cette clé a déjà servi pour une autre demande. Utilisez une nouvelle clé.",
            HEADER,
        )
    raise _Replay(record.status_code, record.response_body)


def _store(session: Session, scope: str, key: str, status: int, body: str) -> None:
    session.connection().execute(
        _STORE,
        {"record_scope": scope, "record_key": key, "status_code": status, "response_body": body},
    )


def _in_progress() -> ApiError:
    return ApiError(
        409,
        "idempotency_in_progress",
        "Cette demande est déjà en cours. Attendez un instant puis réessayez.",
        HEADER,
    )


def _json(payload: Any) -> str:
    """Rendered once, as JSONResponse would: the stored answer is the very text sent.

    Payloads are most often plain JSON already (a model dumped in "json" mode): the encoder
    walks them only when the fast path meets something else (a date, a model).
    """
    try:
        return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except TypeError:
        payload = jsonable_encoder(payload)
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class _Rendered(JSONResponse):
    """A JSON answer whose text is already rendered (and stored)."""

    def render(self, content: str) -> bytes:
        return content.encode()


def _answer(status: int, body: str) -> JSONResponse:
    return _Rendered(body, status_code=status)
