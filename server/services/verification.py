"""One-time codes sent by SMS (signing in) or e-mail (proving an address).

Codes are 6 random digits, stored only as an HMAC bound to their verification, valid a few
minutes, usable once, and dead after a few wrong tries. Sending is rate-limited per number
and per kiosk so a kiosk cannot be used to flood someone's phone.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.db import is_sqlite
from server.errors import ApiError
from server.models import Account, Kiosk, Verification
from server.security import hash_code, new_code, same_hash
from server.services import notifications, sessions
from server.services.phones import normalize_mobile

PHONE = "phone"
EMAIL = "email"
MANDATE = "mandate"  # a visitor lets the centre's counsellors act for them
_HOUR = timedelta(hours=1)
_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class CodeSent:
    verification_id: str
    expires_in: int  # seconds
    resend_after: int  # seconds


@dataclass(frozen=True)
class SignedIn:
    session_token: str
    account_exists: bool


def lock_target(db: Session, target: str) -> None:
    """Serialise writers about one phone or e-mail until the transaction ends.

    SQLite already runs one writer at a time (BEGIN IMMEDIATE); PostgreSQL needs a lock so
    two simultaneous requests cannot both pass a rate limit or both create an account.
    """
    if not is_sqlite(db):
        db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": target})


def request_phone_code(db: Session, settings: Settings, *, phone: str, kiosk: Kiosk) -> CodeSent:
    """Send a sign-in code by SMS to a French mobile, within the rate limits."""
    target = normalize_mobile(phone)
    lock_target(db, target)
    if _sent_recently(db, settings, PHONE, target):
        raise ApiError(
            429, "too_soon", "Attendez une minute avant de demander un nouveau code.", "phone"
        )
    if _sent_last_hour(db, Verification.target == target) >= settings.codes_per_phone_per_hour:
        raise ApiError(
            429,
            "too_many_codes",
            "Trop de codes demandés pour ce numéro. Réessayez dans une heure.",
            "phone",
        )
    lock_target(db, f"kiosk:{kiosk.id}")
    if _sent_last_hour(db, Verification.kiosk_id == kiosk.id) >= settings.codes_per_kiosk_per_hour:
        raise ApiError(
            429,
            "kiosk_too_many_codes",
            "Cette borne a demandé trop de codes. Réessayez plus tard.",
        )
    verification, code = _new_verification(db, settings, PHONE, target, kiosk_id=kiosk.id)
    notifications.verification_code_sms(db, target, code, minutes=settings.code_ttl_minutes)
    return CodeSent(
        verification.id, settings.code_ttl_minutes * 60, settings.code_resend_after_seconds
    )


def request_mandate_code(db: Session, settings: Settings, *, account: Account) -> CodeSent:
    """Send the account's phone the code that confirms a consent asked from the dashboard."""
    lock_target(db, account.phone)
    if _sent_recently(db, settings, MANDATE, account.phone):
        raise ApiError(
            429, "too_soon", "Attendez une minute avant de demander un nouveau code.", "phone"
        )
    sent = _sent_last_hour(db, Verification.target == account.phone, MANDATE)
    if sent >= settings.codes_per_phone_per_hour:
        raise ApiError(
            429,
            "too_many_codes",
            "Trop de codes demandés pour ce numéro. Réessayez dans une heure.",
            "phone",
        )
    verification, code = _new_verification(
        db, settings, MANDATE, account.phone, kiosk_id=None, account_id=account.id
    )
    notifications.mandate_code_sms(db, account.phone, code, minutes=settings.code_ttl_minutes)
    return CodeSent(
        verification.id, settings.code_ttl_minutes * 60, settings.code_resend_after_seconds
    )


def check_mandate_code(db: Session, settings: Settings, *, verification_id: str, code: str) -> int:
    """A right code: the account whose phone received it."""
    verification = db.scalar(
        select(Verification)
        .where(Verification.id == verification_id, Verification.purpose == MANDATE)
        .with_for_update()
    )
    if verification is None or verification.account_id is None:
        raise ApiError(
            404, "not_found", "Cette demande de code est introuvable. Demandez un nouveau code."
        )
    _spend(db, settings, verification, code)
    return verification.account_id


def check_phone_code(
    db: Session, settings: Settings, *, verification_id: str, code: str, kiosk: Kiosk
) -> SignedIn:
    """A right code opens a session at this kiosk, linked to the account if there is one."""
    verification = db.scalar(
        select(Verification)
        .where(Verification.id == verification_id, Verification.purpose == PHONE)
        .with_for_update()
    )
    if verification is None or verification.kiosk_id != kiosk.id:
        raise ApiError(
            404, "not_found", "Cette demande de code est introuvable. Demandez un nouveau code."
        )
    _spend(db, settings, verification, code)
    account_id = db.scalar(select(Account.id).where(Account.phone == verification.target))
    token = sessions.open_session(db, phone=verification.target, account_id=account_id, kiosk=kiosk)
    return SignedIn(token, account_id is not None)


def send_email_code(db: Session, settings: Settings, account: Account, kiosk_id: int) -> None:
    """E-mail a code proving the account's address, unless the limits say to wait.

    Saving the profile must not fail because of this, so the limits skip the e-mail
    instead of refusing: the code already sent stays valid.
    """
    email = account.email
    lock_target(db, email)
    if (
        _sent_recently(db, settings, EMAIL, email)
        or _sent_last_hour(db, Verification.target == email, purpose=EMAIL)
        >= settings.codes_per_phone_per_hour
    ):
        return
    _verification, code = _new_verification(
        db, settings, EMAIL, email, kiosk_id=kiosk_id, account_id=account.id
    )
    notifications.verification_code_email(db, email, code, minutes=settings.code_ttl_minutes)


def check_email_code(db: Session, settings: Settings, account: Account, code: str) -> None:
    """A right code marks the account's current e-mail address as verified."""
    if account.email_verified_at is not None:
        return
    verification = db.scalar(
        select(Verification)
        .where(
            Verification.purpose == EMAIL,
            Verification.account_id == account.id,
            Verification.target == (account.email or ""),
            Verification.used_at.is_(None),
        )
        .order_by(Verification.created_at.desc())
        .limit(1)
        .with_for_update()
    )
    if verification is None:
        raise ApiError(
            422,
            "no_code",
            "Aucun code n'attend pour cette adresse. Enregistrez de nouveau votre adresse e-mail.",
            "code",
        )
    _spend(db, settings, verification, code)
    account.email_verified_at = utcnow()


def forget_phone(db: Session, phone: str) -> None:
    """Erasure: sign-in codes sent to this phone go with the person.

    E-mail codes belong to the account and go with it (ON DELETE CASCADE).
    """
    db.execute(
        delete(Verification).where(Verification.purpose == PHONE, Verification.target == phone)
    )


def _sent_recently(db: Session, settings: Settings, purpose: str, target: str) -> bool:
    last = db.scalar(
        select(func.max(Verification.created_at)).where(
            Verification.purpose == purpose, Verification.target == target
        )
    )
    wait = timedelta(seconds=settings.code_resend_after_seconds)
    return last is not None and utcnow() - last < wait


def _sent_last_hour(db: Session, condition, purpose: str = PHONE) -> int:  # noqa: ANN001
    since = utcnow() - _HOUR
    return db.scalar(
        select(func.count())
        .select_from(Verification)
        .where(condition, Verification.purpose == purpose, Verification.created_at > since)
    )


def _new_verification(
    db: Session,
    settings: Settings,
    purpose: str,
    target: str,
    *,
    kiosk_id: int | None,
    account_id: int | None = None,
) -> tuple[Verification, str]:
    verification_id = str(uuid.uuid4())
    code = new_code()
    now = utcnow()
    verification = Verification(
        id=verification_id,
        purpose=purpose,
        target=target,
        account_id=account_id,
        kiosk_id=kiosk_id,
        code_hash=hash_code(settings.secret_key, verification_id, code),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.code_ttl_minutes),
        tries_left=settings.code_max_tries,
    )
    db.add(verification)
    return verification, code


def _code_error(error: str, message: str, **details: int) -> ApiError:
    return ApiError(422, error, message, "code", details or None)


def _spend(db: Session, settings: Settings, verification: Verification, code: str) -> None:
    """Accept the code once, or count a wrong try.

    A wrong try is committed before the error is raised: the request fails, but the try
    must stay spent, or a caller could guess forever.
    """
    if verification.used_at is not None:
        raise _code_error("code_used", "Ce code a déjà servi. Demandez un nouveau code.")
    if verification.expires_at <= utcnow():
        raise _code_error("code_expired", "Ce code n'est plus valable. Demandez un nouveau code.")
    if verification.tries_left <= 0:
        raise _code_error("code_blocked", "Trop d'essais avec ce code. Demandez un nouveau code.")
    digits = re.sub(r"[\s.\-]", "", code)
    if not _CODE.match(digits):
        raise _code_error("invalid", "Écrivez les 6 chiffres du code.")
    expected = hash_code(settings.secret_key, verification.id, digits)
    if same_hash(expected, verification.code_hash):
        verification.used_at = utcnow()
        return
    verification.tries_left -= 1
    left = verification.tries_left
    db.commit()
    if left == 0:
        raise _code_error(
            "code_blocked",
            "Ce code n'est pas le bon. Vous n'avez plus d'essai. Demandez un nouveau code.",
        )
    plural = "s" if left > 1 else ""
    raise _code_error(
        "wrong_code",
        f"Ce code n'est pas le bon. Il vous reste {left} essai{plural}.",
        tries_left=left,
    )
