"""The counsellors' dashboard: French web pages at /conseil, served by the sync server."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from server.dashboard import assistance, desk, sheets, sign_in, statistics, stream, workshop
from server.dashboard.guard import PREFIX
from server.dashboard.pages import HERE


def mount(app: FastAPI) -> None:
    for module in (sign_in, desk, workshop, assistance, sheets, statistics, stream):
        app.include_router(module.router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="conseil-static")
