"""The kiosks' sync feed: what changed in the directory of their area since a cursor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from server.api.deps import CurrentKiosk, ReadSessionDep, SettingsDep
from server.services import sync

router = APIRouter(tags=["sync"])


@router.get("/sync/directory")
def sync_directory(
    kiosk: CurrentKiosk,
    session: ReadSessionDep,
    settings: SettingsDep,
    since: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> dict[str, Any]:
    """A page of changes: each entry is an entity's current state, or `"deleted": true`.

    Without `since` the whole area comes first. Keep `next_cursor` and call again while
    `has_more` is true; a 409 `resync` means: start again without `since`.
    """
    return sync.directory_page(session, kiosk, settings, since=since, limit=limit)
