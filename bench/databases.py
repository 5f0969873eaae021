"""Fresh databases of both kinds for the server benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from bench.common import ROOT
from server.migrations import upgrade


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or a throw-away PostgreSQL cluster.

    PostgreSQL keeps its default durability (fsync on): figures are not flattered.
    """
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
            url = f"sqlite:///{folder}/bench.sqlite3"
            upgrade(url)
            yield url
        return
    cluster = f"/tmp/kiosk-bench-pg-{uuid.uuid4().hex[:8]}"
    script = str(ROOT / "scripts" / "pg-cluster.sh")
    env = {k: v for k, v in os.environ.items() if k != "PG_FAST"}
    out = subprocess.run(
        [script, "start", cluster], check=True, capture_output=True, text=True, env=env
    )
    url = out.stdout.strip().splitlines()[-1]
    try:
        upgrade(url)
        yield url
    finally:
        subprocess.run([script, "stop", cluster], check=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    url: str, workers: int = 1, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """The real server under uvicorn on a free port of 127.0.0.1; stop it with terminate()."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "KIOSK_SECRET_KEY": "bench-secret",
        **(extra_env or {}),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "server.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/api/v1/health", timeout=1).ok:
                return server, base
        except requests.ConnectionError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")
