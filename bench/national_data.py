"""A generated national directory: 250,000 practitioners and 2 million future slots.

Practitioners are spread over real communes in proportion to their population, so dense
towns have many practitioners nearby, as in France. Rows go in with Core bulk inserts.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import insert, select, text

from server.clock import utcnow
from server.db import Database
from server.models import Motive, OpeningHours, Place, Practitioner, Slot, opening_hours_motives
from server.services.communes import communes
from server.services.search import index_names
from server.services.specialties import SPECIALTIES, ensure_specialties
from server.text import fold

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
_FIRST = [
    "Marie",
    "Jean",
    "Élodie",
    "Karim",
    "Sophie",
    "Luc",
    "Nadia",
    "Hugo",
    "Inès",
    "Paul",
    "Camille",
    "Léa",
    "Thomas",
    "Nicolas",
    "Julie",
    "Chloé",
    "Mathieu",
    "Aïcha",
    "François",
    "Hélène",
    "Zoé",
    "Maxime",
    "Céline",
    "Yasmine",
    "Antoine",
    "Amélie",
    "Rémi",
    "Noémie",
    "Jérôme",
    "Anaïs",
    "Mohamed",
    "Sébastien",
    "Laëtitia",
    "Benoît",
    "Océane",
    "Joël",
]
# The most frequent French surnames, most frequent first; the rest are built from syllables.
_COMMON = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "N'Diaye",
    "Nguyen",
    "Da Silva",
    "Benali",
    "Le Gall",
    "D'Almeida",
]
_HEADS = [
    "Bou",
    "Char",
    "Del",
    "Fer",
    "Gal",
    "Ler",
    "Mar",
    "Pel",
    "Roch",
    "Ver",
    "Chau",
    "Bel",
    "Cas",
    "Dam",
    "Gui",
    "Lan",
    "Mon",
    "Ri",
    "Sau",
    "Tes",
    "Van",
    "Qué",
    "Lé",
    "Ab",
    "Bar",
    "Bra",
    "Cha",
    "Cour",
    "Dar",
    "Du",
    "Es",
    "Fau",
    "Gar",
    "Gré",
    "Hu",
    "Jo",
    "La",
    "Mal",
    "Mi",
    "Nau",
    "Pa",
    "Pré",
    "Ra",
    "Ro",
    "Sa",
    "Tar",
    "Tou",
    "Va",
    "Vil",
    "Bo",
    "Cro",
    "Fon",
    "Go",
    "Her",
    "Jou",
    "Lou",
    "Mau",
    "Ne",
    "Po",
    "Rou",
]
_MIDS = ["", "a", "e", "i", "o", "an", "en", "on", "er", "el", "ar", "ou"]
_TAILS = [
    "det",
    "lin",
    "mont",
    "rand",
    "chet",
    "vier",
    "nier",
    "teau",
    "gnon",
    "zet",
    "baud",
    "rier",
    "lot",
    "quin",
    "ssac",
    "court",
    "ville",
    "dieu",
    "reau",
    "thon",
    "ot",
]
_ENDS = ["", "e", "s", "x", "t", "au", "in"]
_COMMON_WEIGHTS = [1 / rank for rank in range(1, len(_COMMON) + 1)]
_BATCH = 20_000
_DAYS, _PER_DAY = 28, 30


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
            first, last = rng.choice(_FIRST), _surname(rng)
            people.append(
                {
                    "id": pid,
                    "civility": "dr",
                    "first_name": first,
                    "last_name": last,
                    "name_key": fold(f"{first} {last}"),
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
            # Spread over four weeks of working hours (08:00-18:00 in Paris), one in 20 minutes.
            for n in rng.sample(range(_DAYS * _PER_DAY), slots_each):
                day = today + timedelta(days=1 + n // _PER_DAY)
                begin = datetime.combine(day, time(7, 0)) + timedelta(minutes=20 * (n % _PER_DAY))
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
            index_names(session, ids)
            session.execute(insert(Place), places)
            session.execute(insert(Motive), motives)
            session.execute(insert(OpeningHours), rules)
            session.execute(insert(opening_hours_motives), links)
            session.execute(insert(Slot), slot_rows)
    _after_load(db)
    with db.reading() as session:
        total_slots = session.scalar(select(Slot.id).order_by(Slot.id.desc()).limit(1))
    return {"practitioners": practitioners, "slots": total_slots or 0}


def _surname(rng: random.Random) -> str:
    """A surname: a few people have a common one (the first ones most), as in France."""
    if rng.random() < 0.03:
        return rng.choices(_COMMON, _COMMON_WEIGHTS)[0]
    name = rng.choice(_HEADS) + rng.choice(_MIDS) + rng.choice(_TAILS) + rng.choice(_ENDS)
    if rng.random() < 0.05:  # a compound name
        name += "-" + rng.choice(_COMMON)
    return name


def _after_load(db: Database) -> None:
    """Explicit ids leave PostgreSQL sequences behind; statistics help both planners.

    PostgreSQL also gets the VACUUM autovacuum would soon run: index-only scans need it.
    """
    postgresql = db.engine.dialect.name == "postgresql"
    with db.writing() as session:
        if postgresql:
            for table in ("practitioners", "places", "motives", "opening_hours"):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        else:
            session.execute(text("ANALYZE"))
    if postgresql:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
