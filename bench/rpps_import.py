"""RPPS import of a generated 2-million-line extraction: rows per second and peak memory.

Each import runs in its own process, so its peak RSS (VmHWM) is the import's alone; the
process that parses large files in parallel adds its own peak (a bound: both peaks may not
coincide). Targets: ≥ 20,000 rows/s and ≤ 200 MB, on SQLite and on PostgreSQL.

    python -m bench.rpps_import [--rows N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, save
from bench.databases import fresh_database
from bench.gen_rpps import generate

_CHILD = """
import json, resource, sys, time
from pathlib import Path

def peak_rss_mb():
    # VmHWM is this program's own peak; ru_maxrss would include the parent's memory at fork.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

from server.db import Database
from server.importers.rpps import import_rpps
from server.services.communes import communes
communes().get("59178")  # loaded before timing, as a running server has it
db = Database(sys.argv[1], pool_size=2)
started = time.perf_counter()
report = import_rpps(db, Path(sys.argv[2]), progress=False)
elapsed = time.perf_counter() - started
print(json.dumps({
    "seconds": elapsed,
    "rows_read": report.rows_read,
    "practitioners": report.practitioners_inserted,
    "places": report.places_inserted,
    "skipped": report.skipped_total,
    "peak_rss_mb": peak_rss_mb(),
    # The parsing process, spawned and waited for by the import.
    "parser_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def run_one(kind: str, path: Path) -> dict:
    with fresh_database(kind) as url:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, url, str(path)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "benchmark": "rpps_import",
        "database": kind,
        "rows": measured["rows_read"],
        "rows_per_s": round(measured["rows_read"] / measured["seconds"]),
        "seconds": round(measured["seconds"], 1),
        "peak_rss_mb": round(measured["peak_rss_mb"] + measured["parser_peak_rss_mb"]),
        "writer_peak_rss_mb": round(measured["peak_rss_mb"]),
        "parser_peak_rss_mb": round(measured["parser_peak_rss_mb"]),
        "practitioners": measured["practitioners"],
        "places": measured["places"],
        "skipped": measured["skipped"],
    }


def run(rows: int = 2_000_000, kinds: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-rpps-") as folder:
        path = generate(Path(folder) / "PS_LibreAcces_Personne_activite.txt", rows)
        for kind in kinds:
            result = run_one(kind, path)
            print(
                f"rpps_import {kind:<10} {result['rows']} rows in {result['seconds']} s: "
                f"{result['rows_per_s']} rows/s, peak {result['peak_rss_mb']} MB",
                flush=True,
            )
            results.append(result)
    save("rpps_import", results)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), action="append")
    args = parser.parse_args()
    run(args.rows, tuple(args.db or ("sqlite", "postgresql")))
