"""The real `kiosk text` command against the live server, and the SMS it sends."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.scripts import SmsInbox
from server.services.worker import run_worker

KIOSK = str(Path(sys.executable).with_name("kiosk"))


@pytest.fixture
def command(live_server: str, kiosk, tmp_path: Path) -> list[str]:
    return [
        KIOSK,
        "text",
        "--server",
        live_server,
        f"--token={kiosk.token}",
        "--data",
        str(tmp_path),
    ]


@pytest.fixture
def inbox(db, settings) -> SmsInbox:
    """The server's SMS file; its worker runs when a code is awaited, as it would anyway."""
    return SmsInbox(settings.sms_file_path, deliver=lambda: run_worker(db, settings, once=True))
