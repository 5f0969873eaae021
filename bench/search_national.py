"""Search at national scale: "specialty near a commune within 20 km, by next availability".

250,000 generated practitioners and 2 million future slots (bench/national_data.py), queried
through the same service function the API calls, for towns drawn by population.
"""

from __future__ import annotations

import random
import time

from server.services.communes import communes
from server.services.search import search_practitioners

from bench.common import fresh_database, summary_ms
from bench.national_data import generate
from server.db import Database

QUERIES = 400
SPECIALTIES = ["medecine-generale", "dentiste", "kinesitherapie", "pediatrie", "ophtalmologie"]


def run_one(kind: str, *, practitioners: int = 250_000, slots: int = 2_000_000) -> dict:
    with fresh_database(kind) as url:
        db = Database(url, pool_size=2)
        loaded = time.perf_counter()
        counts = generate(db, practitioners=practitioners, slots=slots)
        load_s = time.perf_counter() - loaded
        rng = random.Random(11)
        towns = [c for c in communes().all() if c.population > 0]
        weights = [c.population for c in towns]
        timings, found = [], []
        for n in range(QUERIES + 20):
            town = rng.choices(towns, weights)[0]
            specialty = rng.choice(SPECIALTIES)
            started = time.perf_counter()
            with db.reading() as session:
                results = search_practitioners(
                    session,
                    q=None,
                    specialty=specialty,
                    near=town.insee,
                    radius_km=20,
                    limit=5,
                    offset=0,
                    order="availability",
                )
            if n >= 20:  # the first queries warm caches
                timings.append(time.perf_counter() - started)
                found.append(len(results))
        db.dispose()
    return {
        "benchmark": "search_national",
        "database": kind,
        "practitioners": counts["practitioners"],
        "slots": counts["slots"],
        "load_s": round(load_s, 1),
        "queries": len(timings),
        "mean_results": round(sum(found) / len(found), 2),
        **summary_ms(timings),
    }


def run(kinds: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    return [run_one(kind) for kind in kinds]
