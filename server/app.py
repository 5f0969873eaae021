"""The ASGI application, built by a factory so tests and commands choose the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI

import server.services.sync  # noqa: F401 - logs every directory change for kiosks
from server.api import health
from server.api.errors import install_error_handlers
from server.config import Settings
from server.db import Database
from server.middleware import AccessLog, BodySizeLimit

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
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
    for module in _routers():
        api.include_router(module.router)
    app.include_router(api)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(AccessLog)
    return app


def _routers() -> list:
    """Every resource router, in the order they appear in the OpenAPI document."""
    from server.api import (  # noqa: PLC0415 - keeps the list in one place
        accounts,
        appointments,
        callbacks,
        communes,
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
        appointments,
        callbacks,
        practice,
        sync,
    ]
