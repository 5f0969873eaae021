"""Signing in with a phone number: ask for an SMS code, then check it."""

from fastapi import APIRouter

from server.api.deps import CurrentKiosk, DatabaseDep, SettingsDep
from server.schemas_accounts import CodeIn, SignedInOut, VerificationIn, VerificationOut
from server.services import verification

router = APIRouter(tags=["verifications"])


@router.post("/verifications", status_code=201)
def request_code(
    body: VerificationIn, kiosk: CurrentKiosk, database: DatabaseDep, settings: SettingsDep
) -> VerificationOut:
    with database.writing() as db:
        sent = verification.request_phone_code(db, settings, phone=body.phone, kiosk=kiosk)
        return VerificationOut(
            verification_id=sent.verification_id,
            expires_in=sent.expires_in,
            resend_after=sent.resend_after,
        )


@router.post("/verifications/{verification_id}/check")
def check_code(
    verification_id: str,
    body: CodeIn,
    kiosk: CurrentKiosk,
    database: DatabaseDep,
    settings: SettingsDep,
) -> SignedInOut:
    with database.writing() as db:
        signed_in = verification.check_phone_code(
            db, settings, verification_id=verification_id, code=body.code, kiosk=kiosk
        )
        return SignedInOut(
            session_token=signed_in.session_token, account_exists=signed_in.account_exists
        )
