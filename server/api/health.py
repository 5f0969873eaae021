from fastapi import APIRouter
from sqlalchemy import text

from server.api.deps import ReadSessionDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(session: ReadSessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok", "database": session.get_bind().dialect.name}
