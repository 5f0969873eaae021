"""Search at national scale: "specialty near a commune within 20 km, by next availability",
and a name typed at a kiosk (prefix, small typo, first name too), looked for everywhere.

250,000 generated practitioners and 2 million future slots (bench/national_data.py), queried
through the same service function the API calls, for towns drawn by population and names
drawn from the directory.
"""

from __future__ import annotations

import random
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.common import summary_ms
from bench.databases import fresh_database
from bench.national_data import generate
from server.db import Database
from server.models import Practitioner
from server.services.communes import communes
from server.services.search import search_practitioners

QUERIES = 400
WARM_UP = 20
SPECIALTIES = ["medecine-generale", "dentiste", "kinesitherapie", "pediatrie", "ophtalmologie"]


def run_one(kind: str, *, practitioners: int = 250_000, slots: int = 2_000_000) -> list[dict]:
    with fresh_database(kind) as url:
        db = Database(url, pool_size=2)
        loaded = time.perf_counter()
        counts = generate(db, practitioners=practitioners, slots=slots)
        load_s = time.perf_counter() - loaded
        rows = measure(db)
        db.dispose()
    common = {
        "benchmark": "search_national",
        "database": kind,
        "practitioners": counts["practitioners"],
        "slots": counts["slots"],
        "load_s": round(load_s, 1),
    }
    return [common | row for row in rows]


def measure(db: Database) -> list[dict]:
    """Both kinds of query on a loaded database: p50/p95/p99 of each."""
    rng = random.Random(11)
    return [
        _timed("specialty near town", db, _near_town_queries(rng)),
        _timed("name", db, _name_queries(db, rng)),
    ]


def _near_town_queries(rng: random.Random) -> list[dict]:
    towns = [c for c in communes().all() if c.population > 0]
    weights = [c.population for c in towns]
    return [
        {
            "q": None,
            "specialty": rng.choice(SPECIALTIES),
            "near": rng.choices(towns, weights)[0].insee,
        }
        for _ in range(QUERIES + WARM_UP)
    ]


def _name_queries(db: Database, rng: random.Random) -> list[dict]:
    """Names of random practitioners as people type them: whole, cut short, a letter wrong."""
    with db.reading() as session:
        top = session.scalar(select(Practitioner.id).order_by(Practitioner.id.desc()).limit(1))
        ids = [rng.randint(1, top) for _ in range(QUERIES + WARM_UP)]
        people = dict(
            session.execute(
                select(Practitioner.id, Practitioner.name_key).where(Practitioner.id.in_(ids))
            ).all()
        )
    typed = []
    for pid in ids:
        first, *last = people[pid].split()
        surname = " ".join(last)
        shape = rng.random()
        if shape < 0.4:
            text = surname
        elif shape < 0.6 and len(surname) >= 5:  # one letter wrong, not the first three
            at = rng.randrange(3, len(surname))
            text = surname[:at] + rng.choice("aeiourst") + surname[at + 1 :]
        elif shape < 0.8:
            text = f"{first} {surname}"
        else:
            text = surname[:4]
        typed.append({"q": text, "specialty": None, "near": None})
    return typed


def _timed(label: str, db: Database, queries: list[dict]) -> dict:
    timings, found = [], []
    for n, query in enumerate(queries):
        started = time.perf_counter()
        with db.reading() as session:
            results = _search(session, query)
        if n >= WARM_UP:  # the first queries warm caches
            timings.append(time.perf_counter() - started)
            found.append(len(results))
    return {
        "query": label,
        "queries": len(timings),
        "mean_results": round(sum(found) / len(found), 2),
        **summary_ms(timings),
    }


def _search(session: Session, query: dict) -> list:
    return search_practitioners(
        session, **query, radius_km=20, limit=5, offset=0, order="availability"
    )


def run(kinds: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    return [row for kind in kinds for row in run_one(kind)]
