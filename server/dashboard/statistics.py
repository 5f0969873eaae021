"""The statistics page: journeys started, completed, and where people gave up, by week."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import Request

from server.api.deps import get_db, get_settings
from server.dashboard import views
from server.dashboard.guard import SignedIn, dashboard_router
from server.dashboard.pages import page

router = dashboard_router()


@router.get("/statistiques")
def statistics_page(request: Request, me: SignedIn):
    today = datetime.now(ZoneInfo(get_settings(request).timezone)).date()
    with get_db(request).reading() as db:
        weeks = views.weeks(db, today)
    context = {"me": me, "weeks": weeks, "weeks_shown": views.STATISTICS_WEEKS}
    return page(request, "statistiques.html", context | {"here": "statistiques"})
