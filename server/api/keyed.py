"""A signed-in person's write under an Idempotency-Key: sent again after a network cut, it is
answered again, never done twice. Used by every route that changes a person's bookings or people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.api.deps import CurrentKiosk, bearer_token, get_db, get_settings
from server.config import Settings
from server.db import Database
from server.models import Account, Kiosk
from server.services import idempotency, sessions

IdempotencyKey = Annotated[str | None, Header(alias=idempotency.HEADER)]


class _Writer:
    """A signed-in person's keyed write: their session is read inside the write's own
    transaction, so a write is one transaction and one hop to a worker thread."""

    def __init__(self, request: Request, kiosk: Kiosk, token: str, key: str | None) -> None:
        self.database: Database = get_db(request)
        self.settings: Settings = get_settings(request)
        self.kiosk, self.token, self.key = kiosk, token, key
        self.kiosk_id: int | None = None
        self.account: Account | None = None

    def _scope(self, db: Session) -> str:
        auth, self.account = sessions.account_in_write(db, self.token, self.kiosk, self.settings)
        self.kiosk_id = auth.kiosk_id
        return f"account:{self.account.id}"

    def run(self, request: list, work: Callable[[Session], tuple[int, dict]]) -> JSONResponse:
        """Every write of a signed-in person goes through the Idempotency-Key, scoped to them."""
        return idempotency.run(
            self.database, scope=self._scope, key=self.key, request=request, work=work
        )


async def _writer(
    request: Request,
    kiosk: CurrentKiosk,
    authorization: Annotated[str | None, Header()] = None,
    key: IdempotencyKey = None,
) -> _Writer:
    """Async: it only reads headers, so it costs no hop to a worker thread."""
    return _Writer(request, kiosk, bearer_token(authorization), key)


Writer = Annotated[_Writer, Depends(_writer)]
