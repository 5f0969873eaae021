"""The real `kiosk text` command against the live server (its SMS: tests/kiosk/conftest.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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
