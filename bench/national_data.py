"""A generated national directory: 250,000 practitioners and 2 million future slots.

Practitioners are spread over real communes in proportion to their population, so dense
towns have many practitioners nearby, as in France. Rows go in with Core bulk inserts.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from server.services.communes import communes
from sqlalchemy import insert, select, text

from server.clock import utcnow
from server.db import Database
from server.models import Motive, OpeningHours, Place, Practitioner, Slot, opening_hours_motives
from server.services.specialties import SPECIALTIES, ensure_specialties

# Share of practitioners per specialty code, roughly as in the RPPS.
_WEIGHTS = {
    "medecine-generale": 30,
    "infirmier": 20,
    "kinesitherapie": 15,
    "dentiste": 10,
    "sage-femme": 3,
    "pediatrie": 2,
    "ophtalmologie": 2,
    "gynecologie": 2,
    "psychiatrie": 2,
    "dermatologie": 1,
    "cardiologie": 1,
    "orthophonie": 4,
    "podologie": 3,
    "psychologue": 5,
}
_FIRST = ["Marie", "Jean", "Élodie", "Karim", "Sophie", "Luc", "Nadia", "Hugo", "Inès", "Paul"]
_LAST = ["Martin", "Bernard", "Dupont", "Lefebvre", "N'Diaye", "Moreau", "Garcia", "Roux", "Petit"]
_BATCH = 20_000


def generate(
    db: Database, *, practitioners: int = 250_000, slots: int = 2_000_000, seed: int = 7
) -> dict:
    rng = random.Random(seed)
    towns = [c for c in communes().all() if c.population > 0]
    town_weights = [c.population for c in towns]
    codes = [code for code in _WEIGHTS if any(s.code == code for s in SPECIALTIES)]
    code_weights = [_WEIGHTS[c] for c in codes]
    with db.writing() as session:
        ensure_specialties(session)

    slots_each = max(1, slots // practitioners)
    today = utcnow().date()
    first_id = 1
    for start in range(0, practitioners, _BATCH):
        count = min(_BATCH, practitioners - start)
        ids = range(first_id + start, first_id + start + count)
        people, places, motives, rules, links, slot_rows = [], [], [], [], [], []
        for pid in ids:
            town = rng.choices(towns, town_weights)[0]
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            people.append(
                {
                    "id": pid,
                    "civility": "dr",
                    "first_name": first,
                    "last_name": f"{last}{pid}",
                    "name_key": f"{first} {last}{pid}".lower(),
                    "profession": "Médecin",
                    "specialty_code": rng.choices(codes, code_weights)[0],
                    "languages": ["fr"],
                    "payment_means": ["vitale"],
                    "video": False,
                    "bookable_online": rng.random() < 0.8,
                    "updated_at": utcnow(),
                }
            )
            places.append(
                {
                    "id": pid,
                    "practitioner_id": pid,
                    "address": f"{pid % 200 + 1} rue de la République",
                    "postcode": town.postcodes[0],
                    "commune_insee": town.insee,
                    "city": town.name,
                    "lat": town.lat + rng.uniform(-0.01, 0.01),
                    "lng": town.lng + rng.uniform(-0.01, 0.01),
                }
            )
            motives.append(
                {
                    "id": pid,
                    "practitioner_id": pid,
                    "label": "Consultation",
                    "duration_minutes": 20,
                    "open_to_new_patients": True,
                    "modality": "practice",
                    "active": True,
                }
            )
            rules.append(
                {
                    "id": pid,
                    "practitioner_id": pid,
                    "place_id": pid,
                    "weekday": pid % 5,
                    "start_time": time(8, 0),
                    "end_time": time(18, 0),
                    "slot_minutes": 20,
                }
            )
            links.append({"opening_hours_id": pid, "motive_id": pid})
            day0 = rng.randrange(0, 14)
            for n in range(slots_each):
                day = today + timedelta(days=day0 + n // 10)
                begin = datetime.combine(day, time(7, 0)) + timedelta(minutes=20 * (n % 10))
                slot_rows.append(
                    {
                        "practitioner_id": pid,
                        "place_id": pid,
                        "opening_hours_id": pid,
                        "starts_at": begin,
                        "ends_at": begin + timedelta(minutes=20),
                        "taken": rng.random() < 0.5,
                        "closed": False,
                    }
                )
        with db.writing() as session:
            session.execute(insert(Practitioner), people)
            session.execute(insert(Place), places)
            session.execute(insert(Motive), motives)
            session.execute(insert(OpeningHours), rules)
            session.execute(insert(opening_hours_motives), links)
            session.execute(insert(Slot), slot_rows)
    _after_load(db)
    with db.reading() as session:
        total_slots = session.scalar(select(Slot.id).order_by(Slot.id.desc()).limit(1))
    return {"practitioners": practitioners, "slots": total_slots or 0}


def _after_load(db: Database) -> None:
    """Explicit ids leave PostgreSQL sequences behind; statistics help both planners."""
    with db.writing() as session:
        if db.engine.dialect.name == "postgresql":
            for table in ("practitioners", "places", "motives", "opening_hours"):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        session.execute(text("ANALYZE"))
