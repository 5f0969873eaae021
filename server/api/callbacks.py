"""Call-back requests, recorded by a kiosk's telephone line for the centre's counsellors."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.api.deps import CurrentKiosk, DatabaseDep, SettingsDep
from server.api.keyed import IdempotencyKey
from server.schemas_callbacks import CallbackIn, CallbackOut
from server.security import hash_code
from server.services import callbacks, idempotency

router = APIRouter(tags=["callbacks"])


@router.post("/callbacks", status_code=201, response_model=CallbackOut)
def request_callback(
    body: CallbackIn,
    kiosk: CurrentKiosk,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """The caller need not be signed in: the kiosk's token vouches for its line. Queued by
    the kiosk's outbox, so a resend with the same Idempotency-Key records one request."""

    def work(db: Session) -> tuple[int, dict]:
        created = callbacks.request_callback(db, kiosk=kiosk, phone=body.phone, step=body.step)
        return 201, {"id": created.id}

    # The idempotency record keeps a hash of the request: a keyed one, since a plain hash of
    # a phone number is easily guessed back (there are few numbers).
    phone = hash_code(settings.secret_key, "callback", body.phone)
    request = ["POST /callbacks", phone, body.step]
    return idempotency.run(database, scope=f"kiosk:{kiosk.id}", key=key, request=request, work=work)
