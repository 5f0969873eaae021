"""A kiosk's client (Api, Outbox, Replica, KioskServices) talking to the real server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.client.api import Api
from kiosk.client.outbox import Outbox
from kiosk.client.replica import Replica
from kiosk.client.services import KioskServices


def closed_port_url() -> str:
    """The address of a port nobody listens on: the server is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def make_api(base_url: str, token: str) -> Api:
    """Short pauses between retries: tests need no real back-off."""
    return Api(base_url, token, timeout=(2.0, 30.0), retries=2, backoff=0.01)


@pytest.fixture
def api(live_server: str, kiosk) -> Iterator[Api]:
    client = make_api(live_server, kiosk.token)
    yield client
    client.close()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {"outbox": tmp_path / "outbox.sqlite3", "replica": tmp_path / "replica.sqlite3"}


@pytest.fixture
def services(api: Api, files: dict[str, Path]) -> Iterator[KioskServices]:
    outbox, replica = Outbox(files["outbox"], api), Replica(files["replica"])
    yield KioskServices(api, outbox, replica)
    outbox.close()
    replica.close()
