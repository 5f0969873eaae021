"""Shared fixtures: every database test runs on SQLite AND on a throw-away PostgreSQL.

The schema comes from the real Alembic migrations, applied once per database kind into a
template that each test copies.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from server.app import create_app
from server.config import Settings
from server.db import Database
from server.migrations import upgrade
from server.services.kiosks import add_kiosk

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
DOUAI_INSEE = "59178"


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Migrated template databases: a SQLite file, and a PostgreSQL template database."""
    sqlite_template = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    upgrade(f"sqlite:///{sqlite_template}")
    templates = {"sqlite": str(sqlite_template)}
    cluster = None
    pg_url = os.environ.get("TEST_POSTGRES_URL")
    if not pg_url:
        cluster = f"/tmp/kiosk-test-pg-{uuid.uuid4().hex[:8]}"
        out = subprocess.run(
            [str(ROOT / "scripts" / "pg-cluster.sh"), "start", cluster],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PG_FAST": "1"},
        )
        pg_url = out.stdout.strip().splitlines()[-1]
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS kiosk_template"))
        conn.execute(text("CREATE DATABASE kiosk_template"))
    upgrade(pg_url.rsplit("/", 1)[0] + "/kiosk_template")
    templates["postgresql"] = pg_url
    yield templates
    admin.dispose()
    if cluster:
        subprocess.run([str(ROOT / "scripts" / "pg-cluster.sh"), "stop", cluster], check=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, _templates: dict[str, str], tmp_path: Path
) -> Iterator[str]:
    """A fresh, migrated, empty database of each kind."""
    if request.param == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copy(_templates["sqlite"], target)
        yield f"sqlite:///{target}"
        return
    admin_url = _templates["postgresql"]
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE kiosk_template"))
    admin.dispose()
    yield admin_url.rsplit("/", 1)[0] + "/" + name
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        workshop_database_url=f"sqlite:///{tmp_path / 'workshop.sqlite3'}",
        secret_key="test-secret-key",
        sms_file_path=str(tmp_path / "sms.jsonl"),
        mail_file_path=str(tmp_path / "mail.jsonl"),
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url, pool_size=5)
    yield database
    database.dispose()


@pytest.fixture
def app(settings: Settings, db: Database):
    return create_app(settings, db)


@dataclass(frozen=True)
class KioskCredentials:
    id: int
    token: str


@pytest.fixture
def kiosk(db: Database) -> KioskCredentials:
    """A kiosk device registered in Douai."""
    with db.writing() as session:
        device, token = add_kiosk(session, name="Borne de test", commune_insee=DOUAI_INSEE)
        return KioskCredentials(device.id, token)


@pytest.fixture
def kiosk_token(kiosk: KioskCredentials) -> str:
    return kiosk.token


@pytest.fixture
def client(app, kiosk_token: str) -> Iterator[TestClient]:
    """An HTTP client speaking as a kiosk of Douai."""
    with TestClient(app, headers={"X-Kiosk-Token": kiosk_token}) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The real server under uvicorn on 127.0.0.1, for races between real connections."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
