"""Fresh databases of both kinds for the server benchmarks."""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

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
