"""Signed-in sessions at a shared kiosk: idle expiry, absolute expiry, revocation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.errors import ApiError
from server.models import Account, AuthSession, Kiosk
from server.security import hash_token, new_token

# Touching `last_seen_at` on every call would turn every read into a write.
_TOUCH_EVERY = timedelta(seconds=30)
# Run on every signed-in call: built once.
_SIGNED_IN = (
    select(AuthSession, Account)
    .outerjoin(Account, Account.id == AuthSession.account_id)
    .where(AuthSession.token_hash == bindparam("token_hash"))
)


def open_session(db: Session, *, phone: str, account_id: int | None, kiosk: Kiosk) -> str:
    """Create a session for a verified phone; returns the token, shown once."""
    token = new_token()
    db.add(
        AuthSession(
            token_hash=hash_token(token), phone=phone, account_id=account_id, kiosk_id=kiosk.id
        )
    )
    return token


def _expired() -> ApiError:
    return ApiError(401, "session_expired", "Votre session est terminée. Reconnectez-vous.")


def signed_in(
    db: Session, token: str, kiosk: Kiosk, settings: Settings
) -> tuple[AuthSession, Account | None]:
    """The live session for this token at this kiosk and its account (None until one is
    created), or a 401; one query, since every signed-in call needs both."""
    row = db.execute(_SIGNED_IN, {"token_hash": hash_token(token)}).first()
    found, account = row if row is not None else (None, None)
    now = utcnow()
    if (
        found is None
        or found.kiosk_id != kiosk.id
        or found.revoked_at is not None
        or now - found.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
        or now - found.created_at > timedelta(minutes=settings.session_absolute_minutes)
    ):
        raise _expired()
    return found, account


def with_account(account: Account | None) -> Account:
    """The account a signed-in person acts for, or a 403 while they have none yet."""
    if account is None:
        raise ApiError(403, "no_account", "Créez d'abord votre compte.")
    return account


def account_in_write(
    db: Session, token: str, kiosk: Kiosk, settings: Settings
) -> tuple[AuthSession, Account]:
    """`signed_in` inside the caller's write transaction, the touch included when due: a
    keyed write then costs one transaction, not a read, a write and a hop between them."""
    auth, account = signed_in(db, token, kiosk, settings)
    if needs_touch(auth):
        auth.last_seen_at = utcnow()  # loaded in this session: written at its commit
    return auth, with_account(account)


def needs_touch(auth: AuthSession) -> bool:
    return utcnow() - auth.last_seen_at > _TOUCH_EVERY


def touch(db: Session, auth_id: int) -> None:
    """Moves the idle deadline; done at most every 30 seconds so reads stay reads."""
    found = db.get(AuthSession, auth_id)
    if found is not None:
        found.last_seen_at = utcnow()


def revoke(db: Session, auth: AuthSession) -> None:
    auth.revoked_at = utcnow()


def revoke_all_for_account(db: Session, account_id: int) -> None:
    now = utcnow()
    for auth in db.scalars(
        select(AuthSession).where(
            AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None)
        )
    ):
        auth.revoked_at = now
