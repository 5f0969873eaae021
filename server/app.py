"""The ASGI application, built by a factory so tests and commands choose the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI

import server.services.sync  # noqa: F401 - logs every directory change for kiosks
from server import dashboard
from server.api import health
from server.api.errors import install_error_handlers
from server.config import Settings
from server.db import Database
from server.middleware import AccessLog, BodySizeLimit

API_PREFIX = "/api/v1"
WORKSHOP_PREFIX = "/atelier"  # the workshops' sandbox: the same API on a database of its own


def create_app(
    settings: Settings | None = None, database: Database | None = None, *, sandbox: bool = False
) -> FastAPI:
    """The server; with `sandbox`, the workshops' copy of its API (no dashboard, no sandbox
    of its own, and the exercise phone)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Routes are synchronous and share one GIL: a few threads keep a writer from being
        # descheduled behind dozens of others while it holds the database.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield

    app = FastAPI(
        title="Kiosque santé — serveur de synchronisation",
        version="1",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database or Database(settings.database_url)
    api = APIRouter(prefix=API_PREFIX)
    for module in _routers(sandbox):
        api.include_router(module.router)
    app.include_router(api)
    if not sandbox:
        app.state.sandbox = Database(settings.workshop_database_url, pool_size=5)
        app.mount(WORKSHOP_PREFIX, create_app(settings, app.state.sandbox, sandbox=True))
        dashboard.mount(app)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(AccessLog)
    return app


def _routers(sandbox: bool) -> list:
    """Every resource router, in the order they appear in the OpenAPI document."""
    from server.api import (  # noqa: PLC0415 - keeps the list in one place
        accounts,
        appointments,
        assistance,
        callbacks,
        communes,
        desk,
        exercise_phone,
        practice,
        practitioners,
        sync,
        verifications,
    )

    return [
        health,
        practitioners,
        communes,
        verifications,
        accounts,
        assistance,
        appointments,
        callbacks,
        desk,
        practice,
        sync,
        *([exercise_phone] if sandbox else []),
    ]
