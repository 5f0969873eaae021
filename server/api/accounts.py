"""The signed-in person: their account and profile, their relatives, erasure and logout."""

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.api.deps import (
    CurrentAccount,
    CurrentKiosk,
    CurrentSession,
    DatabaseDep,
    ReadSessionDep,
    SettingsDep,
)
from server.api.keyed import Writer
from server.models import Account
from server.schemas_accounts import CodeIn, MeIn, MeOut, RelativeIn, RelativeOut
from server.services import accounts, verification

router = APIRouter(tags=["accounts"])


@router.get("/me")
def get_me(account: CurrentAccount, db: ReadSessionDep) -> MeOut:
    return MeOut.of(db.get(Account, account.id))


@router.put("/me")
def put_me(
    body: MeIn,
    auth: CurrentSession,
    kiosk: CurrentKiosk,
    database: DatabaseDep,
    settings: SettingsDep,
) -> MeOut:
    with database.writing() as db:
        account = accounts.save_me(
            db, settings, session_id=auth.id, kiosk_id=kiosk.id, changes=body.changes()
        )
        return MeOut.of(account)


@router.delete("/me", status_code=204)
def delete_me(account: CurrentAccount, database: DatabaseDep) -> Response:
    with database.writing() as db:
        accounts.erase_account(db, account.id)
        return Response(status_code=204)


@router.post("/me/logout", status_code=204)
def logout(auth: CurrentSession, database: DatabaseDep) -> Response:
    with database.writing() as db:
        accounts.logout(db, auth.id)
        return Response(status_code=204)


@router.post("/me/email/check")
def check_email(
    body: CodeIn, account: CurrentAccount, database: DatabaseDep, settings: SettingsDep
) -> MeOut:
    with database.writing() as db:
        mine = db.get(Account, account.id)
        verification.check_email_code(db, settings, mine, body.code)
        return MeOut.of(mine)


@router.get("/me/relatives")
def list_relatives(account: CurrentAccount, db: ReadSessionDep) -> list[RelativeOut]:
    return [RelativeOut.of(p) for p in accounts.relatives_of(db.get(Account, account.id))]


@router.post("/me/relatives", status_code=201, response_model=RelativeOut)
def add_relative(body: RelativeIn, writer: Writer) -> JSONResponse:
    """Keyed: a kiosk resending it after a network cut gets the same relative, not a twin."""

    def add(db: Session) -> tuple[int, dict]:
        relative = accounts.add_relative(db, writer.account.id, body.changes())
        return 201, RelativeOut.of(relative).model_dump(mode="json")

    return writer.run(["POST /me/relatives", body], add)


@router.put("/me/relatives/{relative_id}")
def update_relative(
    relative_id: int, body: RelativeIn, account: CurrentAccount, database: DatabaseDep
) -> RelativeOut:
    with database.writing() as db:
        return RelativeOut.of(accounts.update_relative(db, account.id, relative_id, body.changes()))


@router.delete("/me/relatives/{relative_id}", status_code=204)
def delete_relative(relative_id: int, account: CurrentAccount, database: DatabaseDep) -> Response:
    with database.writing() as db:
        accounts.delete_relative(db, account.id, relative_id)
        return Response(status_code=204)
