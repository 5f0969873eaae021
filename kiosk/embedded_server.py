"""A sync server of its own, for a kiosk started without one: embedded SQLite, demo data.

It runs the `kiosk-server` command in child processes (the kiosk never imports the server:
they only speak HTTP), in a folder of its own, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

DEMO_COMMUNE = "59178"  # Douai, where the demo directory lives


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command() -> list[str]:
    found = shutil.which("kiosk-server") or str(Path(sys.executable).with_name("kiosk-server"))
    return [found]


@dataclass(frozen=True)
class Embedded:
    base_url: str
    kiosk_token: str
    env: dict[str, str]  # how to reach its data: `kiosk-server sms-outbox` with this env


@contextmanager
def embedded_server(folder: Path) -> Iterator[Embedded]:
    """A demo server and its notification worker living in `folder`, stopped on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "KIOSK_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'server.sqlite3'}",
    }

    def run(*args: str) -> str:
        done = subprocess.run([*_command(), *args], env=env, check=True, capture_output=True)
        return done.stdout.decode()

    run("migrate")
    run("seed-demo")
    token = run("kiosk", "add", "Borne texte", "--commune", DEMO_COMMUNE).split()[-1]
    port = _free_port()
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    children = [
        subprocess.Popen([*_command(), "serve", "--port", str(port)], **quiet),
        subprocess.Popen([*_command(), "worker"], **quiet),
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base)
        yield Embedded(base, token, env)
    finally:
        for child in children:
            child.terminate()
            child.wait(timeout=10)


def _wait_for(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/api/v1/health", timeout=1).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("the embedded server did not start")
