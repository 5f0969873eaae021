"""`kiosk-server seed-demo`: a fictional but realistic directory around Douai (CPTS Grand Douai).

The plan is drawn from a fixed random seed, so every run gives the same people, places and
hours; workshops and tests can rely on "Dr Marc Dupont, Douai". Running it again adds
nothing but the slots that have come into the four-week horizon since.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db import Database
from server.demo import catalogue as c
from server.models import (
    Absence,
    Motive,
    OpeningHours,
    Place,
    Practice,
    Practitioner,
    Slot,
)
from server.services.communes import communes
from server.services.slots import generate_slots, to_utc
from server.services.specialties import BY_CODE, ensure_specialties
from server.text import fold

SEED = 59178
HORIZON_DAYS = 28
TIMEZONE = ZoneInfo("Europe/Paris")


@dataclass
class Hours:
    """One weekly opening: weekday, times, the place (0 or 1) and which motives it offers."""

    weekday: int
    start: time
    end: time
    place: int
    motives: list[int]
    slot_minutes: int


@dataclass
class DemoPractitioner:
    civility: str
    first_name: str
    last_name: str
    specialty: str
    practice: str | None
    places: list[dict]
    motives: list[c.MotiveSpec]
    bookable: bool
    languages: list[str]
    sector: str
    fee_cents: int
    fees_note: str | None
    payment_means: list[str]
    video: bool
    hours: list[Hours] = field(default_factory=list)
    absence_days: tuple[int, int] | None = None  # (first day from today, length in days)


def demo_plan(seed: int = SEED) -> list[DemoPractitioner]:
    """The whole fictional directory, without touching a database: same seed, same plan."""
    rng = random.Random(seed)
    names = _Names(rng)
    plan: list[DemoPractitioner] = []
    remaining = dict(c.HEADCOUNT)
    for practice, insee, street, members in c.PRACTICES:
        address = _place(rng, insee, street=street, name=practice)
        for specialty, count in members:
            for _ in range(count):
                plan.append(_practitioner(rng, names, specialty, practice, dict(address)))
                remaining[specialty] -= 1
    for specialty, count in remaining.items():
        for _ in range(count):
            insee = _commune_for(rng, specialty)
            plan.append(_practitioner(rng, names, specialty, None, _place(rng, insee)))
    dupont = next(p for p in plan if p.specialty == "medecine-generale" and p.practice is None)
    dupont.civility, dupont.first_name, dupont.last_name = "dr", *c.DUPONT[1:]
    dupont.places[0].update(_commune_fields(c.DOUAI))
    dupont.bookable = True
    for person in plan:
        _add_second_place(rng, person)
        _add_hours(rng, person)
    return plan


def seed_demo(db: Database, *, today: date | None = None, days: int = HORIZON_DAYS) -> dict:
    """Write the demo directory once, then top up `days` (four weeks) of slots; returns counts."""
    today = today or datetime.now(TIMEZONE).date()
    with db.writing() as session:
        ensure_specialties(session)
        first_practice = c.PRACTICES[0][0]
        created = session.scalar(select(Practice.id).where(Practice.name == first_practice)) is None
        if created:
            _write(session, demo_plan(), today)
        generate_slots(session, start=today, days=days)
        return _counts(session, created)


# ------------------------------------------------------------------ planning


class _Names:
    """Fictional full names, never the same twice, and no other Dupont."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[tuple[str, str]] = {c.DUPONT[1:]}

    def draw(self) -> tuple[str, str, str]:
        while True:
            female = self.rng.random() < 0.55
            first = self.rng.choice(c.FIRST_NAMES_F if female else c.FIRST_NAMES_M)
            last = self.rng.choice(c.LAST_NAMES)
            if (first, last) not in self.used:
                self.used.add((first, last))
                return ("mme" if female else "m"), first, last


def _commune_fields(insee: str, address: str = "") -> dict:
    """The commune's fields; an address is placed up to about 1 km from the town centre,
    always at the same spot, so distances in the demo look like real ones."""
    commune = communes().get(insee)
    spot = random.Random(f"{insee} {address}")
    return {
        "commune_insee": insee,
        "postcode": commune.postcodes[0],
        "city": commune.name,
        "lat": round(commune.lat + (spot.uniform(-0.008, 0.008) if address else 0), 5),
        "lng": round(commune.lng + (spot.uniform(-0.012, 0.012) if address else 0), 5),
    }


def _phone(rng: random.Random) -> str:
    return f"0327{rng.randrange(10**6):06d}"


def _place(rng: random.Random, insee: str, *, street: str | None = None, name: str | None = None):
    ground = rng.random() < 0.8
    in_town = insee in (c.DOUAI, "59569", "59654", "59028")
    address = f"{rng.randrange(1, 160)} {street or rng.choice(c.STREETS)}"
    return {
        "name": name or f"Cabinet {rng.choice(('médical', 'de santé', 'paramédical'))}",
        "address": address,
        **_commune_fields(insee, address),
        "phone": _phone(rng),
        "ground_floor": ground,
        "wheelchair": ground and rng.random() < 0.75,
        "parking": rng.random() < 0.5,
        "public_transport": (
            f"Bus ligne {rng.randrange(1, 9)} — arrêt {rng.choice(c.BUS_STOPS)}"
            if in_town or rng.random() < 0.3
            else None
        ),
    }


def _commune_for(rng: random.Random, specialty: str) -> str:
    """Specialists work in Douai and Sin-le-Noble; first-line care is everywhere."""
    if BY_CODE[specialty].profession == "Médecin" and specialty != "medecine-generale":
        return c.DOUAI if rng.random() < 0.8 else "59569"
    codes = list(c.COMMUNES)
    return rng.choices(codes, weights=[c.COMMUNES[k] for k in codes])[0]


def _practitioner(
    rng: random.Random, names: _Names, specialty: str, practice: str | None, place: dict
) -> DemoPractitioner:
    civility, first, last = names.draw()
    info = BY_CODE[specialty]
    doctor = info.profession in ("Médecin", "Chirurgien-dentiste")
    if specialty in c.CONVENTIONED_ONLY:
        sector = "1"
    elif specialty in ("psychologue", "podologie"):
        sector = "none"
    else:
        sector = rng.choice(("1", "1", "2", "2-optam"))
    fee = c.FEES.get(specialty, c.SPECIALIST_FEE)
    note = None
    if sector in ("2", "2-optam"):
        fee += rng.choice((1000, 2000, 3000))
        note = "Dépassements d'honoraires possibles. Demandez le tarif au secrétariat."
    elif sector == "none":
        note = "Non remboursé par l'Assurance maladie, sauf dispositif Mon soutien psy."
    means = ["card", "cheque", "cash"] if sector == "none" else ["vitale", "card", "cheque"]
    if sector == "1" and rng.random() < 0.6:
        means.insert(1, "tiers_payant")
    if rng.random() < 0.3:
        means.remove("cheque")
    languages = ["fr"] + sorted(rng.sample(c.LANGUAGES, k=rng.choice((0, 0, 0, 0, 1, 1, 2))))
    video = rng.random() < c.VIDEO_SHARE.get(specialty, 0)
    motives = list(c.MOTIVES[specialty])
    if video:
        motives.append(c.VIDEO_MOTIVE)
    if specialty in c.HOME_MOTIVES and (specialty != "medecine-generale" or rng.random() < 0.5):
        motives.append(c.HOME_MOTIVES[specialty])
    return DemoPractitioner(
        civility="dr" if doctor else civility,
        first_name=first,
        last_name=last,
        specialty=specialty,
        practice=practice,
        places=[place],
        motives=motives,
        # Practices' secretariats book online; about a quarter of the others do not.
        bookable=practice is not None or rng.random() < 0.78,
        languages=languages,
        sector=sector,
        fee_cents=fee,
        fees_note=note,
        payment_means=means,
        video=video,
    )


def _add_second_place(rng: random.Random, person: DemoPractitioner) -> None:
    """Some practitioners also receive one day a week in a smaller commune."""
    if person.practice is None and rng.random() < 0.15:
        home = person.places[0]["commune_insee"]
        other = rng.choice([k for k in c.COMMUNES if k != home])
        person.places.append(_place(rng, other))


def _add_hours(rng: random.Random, person: DemoPractitioner) -> None:
    """Half-days of the week, each given to one place and a set of motives, never overlapping."""
    if not person.bookable:
        return
    kind = person.specialty if person.specialty in c.MORNING else "default"
    morning, afternoon = c.MORNING[kind], c.AFTERNOON[kind]
    half_days = [(day, part) for day in range(5) for part in (morning, afternoon)]
    half_days.remove((rng.choice((2, 4)), afternoon))  # a free afternoon
    if rng.random() < c.SATURDAY_SHARE.get(person.specialty, 0.05):
        half_days.append((5, morning))
    practice = [i for i, m in enumerate(person.motives) if m.modality.value == "practice"]
    base = min(person.motives[i].minutes for i in practice)
    short = [i for i in practice if person.motives[i].minutes <= base]
    long = [i for i in practice if person.motives[i].minutes > base]
    special = {m.modality.value: i for i, m in enumerate(person.motives) if i not in practice}
    rng.shuffle(half_days)
    dedicated = []
    if long:
        dedicated.append((0, long, max(person.motives[i].minutes for i in long)))
    for index in special.values():
        dedicated.append((0, [index], person.motives[index].minutes))
    if len(person.places) > 1:
        dedicated.append((1, short, base))
    for (weekday, (start, end)), (place, motives, minutes) in zip(
        half_days, dedicated, strict=False
    ):
        person.hours.append(Hours(weekday, start, end, place, motives, minutes))
    for weekday, (start, end) in half_days[len(dedicated) :]:
        person.hours.append(Hours(weekday, start, end, 0, short, base))
    if rng.random() < 0.06:
        person.absence_days = (rng.randrange(3, 20), rng.randrange(2, 6))


# ------------------------------------------------------------------ writing


def _write(session: Session, plan: list[DemoPractitioner], today: date) -> None:
    practices = {name: Practice(name=name) for name, *_ in c.PRACTICES}
    session.add_all(practices.values())
    session.flush()
    for person in plan:
        practitioner = Practitioner(
            civility=person.civility,
            first_name=person.first_name,
            last_name=person.last_name,
            name_key=fold(f"{person.first_name} {person.last_name}"),
            profession=BY_CODE[person.specialty].profession,
            specialty_code=person.specialty,
            languages=person.languages,
            convention_sector=person.sector,
            consultation_fee_cents=person.fee_cents,
            fees_note=person.fees_note,
            payment_means=person.payment_means,
            video=person.video,
            bookable_online=person.bookable,
            practice_id=practices[person.practice].id if person.practice else None,
        )
        practitioner.places = [Place(**place) for place in person.places]
        if person.bookable:
            practitioner.motives = [
                Motive(
                    label=m.label,
                    duration_minutes=m.minutes,
                    open_to_new_patients=m.new_patients,
                    modality=m.modality,
                )
                for m in person.motives
            ]
        session.add(practitioner)
        session.flush()
        for hours in person.hours:
            rule = OpeningHours(
                practitioner_id=practitioner.id,
                place_id=practitioner.places[hours.place].id,
                weekday=hours.weekday,
                start_time=hours.start,
                end_time=hours.end,
                slot_minutes=hours.slot_minutes,
            )
            rule.motives = [practitioner.motives[i] for i in hours.motives]
            session.add(rule)
        if person.absence_days:
            first, length = person.absence_days
            start = today + timedelta(days=first)
            session.add(
                Absence(
                    practitioner_id=practitioner.id,
                    starts_at=to_utc(start, time(0), TIMEZONE),
                    ends_at=to_utc(start + timedelta(days=length), time(0), TIMEZONE),
                    reason="absence",
                )
            )
    session.flush()


def _counts(session: Session, created: bool) -> dict:
    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where))

    return {
        "created": created,
        "practitioners": count(Practitioner),
        "bookable_online": count(Practitioner, Practitioner.bookable_online.is_(True)),
        "specialties": session.scalar(
            select(func.count(func.distinct(Practitioner.specialty_code)))
        ),
        "practices": count(Practice),
        "places": count(Place),
        "motives": count(Motive),
        "opening_hours": count(OpeningHours),
        "absences": count(Absence),
        "slots": count(Slot),
    }
