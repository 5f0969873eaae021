"""Communes as a person types them, for the "near" field of the search."""

from typing import Annotated

from fastapi import APIRouter, Query

from server.api.deps import CurrentKiosk
from server.schemas_directory import CommuneOut
from server.services.communes import communes

router = APIRouter(tags=["communes"])


@router.get("/communes")
def find_communes(
    _kiosk: CurrentKiosk, q: Annotated[str, Query(max_length=200)] = ""
) -> list[CommuneOut]:
    """Up to 10 communes matching a name or a postcode, the best first."""
    return [CommuneOut.of(c) for c in communes().find(q, limit=10)]
