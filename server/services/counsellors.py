"""The centre's counsellors and their dashboard sessions.

Signing in takes two steps: the password opens a session that leads only to the code page;
the code of an authenticator app (TOTP) completes it. Five wrong passwords or codes for a
login within 15 minutes lock it for 15 minutes. A locked login says so only to whom gives its
password: to anyone else it answers as an unknown login does, so that "Trop d'essais" never
tells that a login exists. Only hashes of passwords and session tokens are stored. Nothing here
logs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import cache

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.models import Counsellor, CounsellorSession
from server.security import hash_token, new_token

ISSUER = "Kiosque santé"
MIN_PASSWORD = 12
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
# Moving `last_seen_at` on every page would turn every read into a write.
_TOUCH_EVERY = timedelta(seconds=30)
_LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{1,59}")
# scrypt's cost: 16 MiB and about 50 ms a try.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1

WRONG_PASSWORD = "L'identifiant ou le mot de passe est faux."
WRONG_CODE = "Ce code est faux ou déjà utilisé. Attendez le code suivant, puis écrivez-le."
BAD_CODE = "Le code a 6 chiffres. Écrivez les 6 chiffres."
LOCKED = "Trop d'essais. Attendez 15 minutes, puis réessayez."


class CounsellorError(ValueError):
    """A refused operator command; the message is one line of plain French."""


@dataclass(frozen=True)
class Enrolment:
    """What the new counsellor needs for their authenticator app: shown once."""

    counsellor_id: int
    login: str
    secret: str
    uri: str


@dataclass(frozen=True)
class Refusal:
    """Why sign-in was refused, and the form field the message belongs beside."""

    field: str
    message: str


class Status(Enum):
    NONE = "none"  # no session, ended, or its counsellor disabled
    EXPIRED = "expired"
    PENDING = "pending"  # password given, code not yet
    COMPLETE = "complete"


@dataclass(frozen=True)
class SessionCheck:
    """A session as the dashboard needs it, detached from the database."""

    status: Status
    session_id: int | None = None
    counsellor_id: int | None = None
    name: str = ""
    needs_touch: bool = False


# ------------------------------------------------------------------ passwords


def hash_password(password: str) -> str:
    """A self-describing string: scheme, cost parameters, salt and hash."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return "$".join(
        ["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(stored: str, password: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        candidate = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(candidate, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # The same password typed on two keyboards can come as different code points.
    data = unicodedata.normalize("NFC", password).encode()
    return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=256 * n * r * p, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@cache
def _dummy_hash() -> str:
    """Verified when the login is unknown, so the answer takes as long as for a real one."""
    return hash_password(secrets.token_urlsafe())


# ---------------------------------------------------------------- counsellors


def add(
    db: Session, *, login: str, name: str, password: str, totp_secret: str | None = None
) -> Enrolment:
    """Register a counsellor; `totp_secret` is given only by the demo, others get a new one."""
    login = login.strip().lower()
    name = name.strip()
    if not _LOGIN.fullmatch(login):
        raise CounsellorError(
            "L'identifiant doit avoir de 2 à 60 caractères : lettres sans accent, chiffres, "
            "point, tiret."
        )
    if not 1 <= len(name) <= 80:
        raise CounsellorError("Le nom doit avoir de 1 à 80 caractères.")
    if len(password) < MIN_PASSWORD:
        raise CounsellorError(f"Le mot de passe doit avoir au moins {MIN_PASSWORD} caractères.")
    if find(db, login) is not None:
        raise CounsellorError(f"L'identifiant {login} existe déjà.")
    secret = totp_secret or pyotp.random_base32()
    counsellor = Counsellor(
        login=login, name=name, password_hash=hash_password(password), totp_secret=secret
    )
    db.add(counsellor)
    db.flush()
    uri = pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=ISSUER)
    return Enrolment(counsellor.id, login, secret, uri)


def find(db: Session, login: str) -> Counsellor | None:
    return db.scalar(select(Counsellor).where(Counsellor.login == login.strip().lower()))


def disable(db: Session, login: str) -> None:
    """The counsellor can no longer sign in; their open sessions end now."""
    counsellor = find(db, login)
    if counsellor is None:
        raise CounsellorError(f"Aucun conseiller n'a l'identifiant {login.strip()}.")
    counsellor.active = False
    now = utcnow()
    for session in db.scalars(
        select(CounsellorSession).where(
            CounsellorSession.counsellor_id == counsellor.id, CounsellorSession.ended_at.is_(None)
        )
    ):
        session.ended_at = now


# -------------------------------------------------------------------- sign-in


def check_password(db: Session, login: str, password: str) -> str | Refusal:
    """First step: the token of a session that opens only the code page, or why not."""
    counsellor = _for_update(db, login)
    if counsellor is None or not counsellor.active:
        verify_password(_dummy_hash(), password)
        return Refusal("password", WRONG_PASSWORD)
    now = utcnow()
    right = verify_password(counsellor.password_hash, password)
    if _locked(counsellor, now):
        return Refusal("password", LOCKED if right else WRONG_PASSWORD)
    if not right:
        _failed(counsellor, now)  # the try that locks answers as the others do
        return Refusal("password", WRONG_PASSWORD)
    token = new_token()
    db.add(CounsellorSession(token_hash=hash_token(token), counsellor_id=counsellor.id))
    return token


def check_code(db: Session, session_id: int, code: str) -> str | Refusal:
    """Second step: completes the session and gives it a new token, or says why not.

    A code's time step is accepted once: a code seen over a shoulder cannot be used again.
    """
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isdigit():
        return Refusal("code", BAD_CODE)
    session = db.get(CounsellorSession, session_id)
    counsellor = db.get(Counsellor, session.counsellor_id, with_for_update=True)
    now = utcnow()
    if _locked(counsellor, now):
        return Refusal("code", LOCKED)
    step = _matching_step(counsellor, digits)
    if step is None:  # past the password: the login is known, a lock may be told
        return Refusal("code", LOCKED if _failed(counsellor, now) else WRONG_CODE)
    counsellor.totp_last_step = step
    counsellor.failures, counsellor.first_failure_at = 0, None
    token = new_token()  # a new token once signed in: one seen before cannot be promoted
    session.token_hash = hash_token(token)
    session.second_factor_at = session.last_seen_at = now
    return token


def _matching_step(counsellor: Counsellor, digits: str) -> int | None:
    """The time step (30 s) the code belongs to: this one or a neighbour, for clock drift."""
    totp = pyotp.TOTP(counsellor.totp_secret)
    current = int(time.time()) // totp.interval
    for step in (current - 1, current, current + 1):
        if step > counsellor.totp_last_step and hmac.compare_digest(
            totp.generate_otp(step), digits
        ):
            return step
    return None


def _for_update(db: Session, login: str) -> Counsellor | None:
    """Locked, so two wrong tries at once both count."""
    query = select(Counsellor).where(Counsellor.login == login.strip().lower())
    return db.scalar(query.with_for_update())


def _locked(counsellor: Counsellor, now: datetime) -> bool:
    return counsellor.locked_until is not None and now < counsellor.locked_until


def _failed(counsellor: Counsellor, now: datetime) -> bool:
    """Count a wrong password or code; True when it is the fifth in the window and locks."""
    if counsellor.first_failure_at is None or now - counsellor.first_failure_at > FAILURE_WINDOW:
        counsellor.failures, counsellor.first_failure_at = 0, now
    counsellor.failures += 1
    if counsellor.failures < MAX_FAILURES:
        return False
    counsellor.locked_until = now + LOCKOUT
    counsellor.failures, counsellor.first_failure_at = 0, None
    return True


# ------------------------------------------------------------------- sessions


def check_session(db: Session, token: str | None, settings: Settings) -> SessionCheck:
    """Where a session stands: 15 minutes idle or 8 hours in all end it."""
    if not token:
        return SessionCheck(Status.NONE)
    row = db.execute(
        select(CounsellorSession, Counsellor)
        .join(Counsellor, Counsellor.id == CounsellorSession.counsellor_id)
        .where(CounsellorSession.token_hash == hash_token(token))
    ).first()
    if row is None or row[0].ended_at is not None or not row[1].active:
        return SessionCheck(Status.NONE)
    session, counsellor = row
    now = utcnow()
    if now - session.last_seen_at > timedelta(
        minutes=settings.counsellor_idle_minutes
    ) or now - session.created_at > timedelta(hours=settings.counsellor_session_hours):
        return SessionCheck(Status.EXPIRED)
    return SessionCheck(
        Status.COMPLETE if session.second_factor_at else Status.PENDING,
        session.id,
        counsellor.id,
        counsellor.name,
        needs_touch=now - session.last_seen_at > _TOUCH_EVERY,
    )


def touch(db: Session, session_id: int) -> None:
    """The counsellor did something: the idle deadline moves."""
    db.get(CounsellorSession, session_id).last_seen_at = utcnow()


def sign_out(db: Session, token: str | None) -> None:
    if token:
        session = db.scalar(
            select(CounsellorSession).where(CounsellorSession.token_hash == hash_token(token))
        )
        if session is not None and session.ended_at is None:
            session.ended_at = utcnow()
