"""The exercise phone, only in the workshops' sandbox: the SMS it would have sent to a
number, shown on the kiosk instead of reaching a real telephone."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from server.api.deps import CurrentKiosk, ReadSessionDep
from server.services import workshop

router = APIRouter(tags=["workshops"])


@router.get("/exercise-phone")
def exercise_phone(
    _kiosk: CurrentKiosk, session: ReadSessionDep, to: Annotated[str, Query(max_length=40)]
) -> dict[str, Any]:
    messages = workshop.exercise_messages(session, to=to)
    return {"messages": [{"body": m.body, "at": m.created_at.isoformat()} for m in messages]}
