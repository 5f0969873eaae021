"""What every benchmark needs: fresh databases of both kinds, timing summaries, results on disk."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from server.migrations import upgrade

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


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


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
    }


def save(name: str, rows: list[dict]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    return path
