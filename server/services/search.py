"""Find practitioners by name, specialty and place, earliest availability first.

Built for 250,000 practitioners: the database narrows candidates with indexes (a bounding
box on places(lat, lng), the practitioners' folded name key, ix_slots_free for the next free
slot), ranks and pages them in one statement, then only the page is loaded in full.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from rapidfuzz.distance import OSA
from sqlalchemy import Select, case, false, func, literal, select, true
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.errors import invalid
from server.models import Place, Practitioner, Slot
from server.services.communes import Commune, bounding_box, communes, distance_km
from server.services.directory import NOT_BOOKABLE_MESSAGE
from server.services.specialties import resolve_specialty, specialty_label
from server.text import fold

Order = Literal["availability", "distance"]
# Beyond this many name candidates the typed name is too vague to rank well anyway.
_NAME_CANDIDATES = 2000
_KM_PER_DEGREE = 111.195
# Titles people put before a name: "docteur Dupont", "Dr. Martin".
_TITLES = frozenset({"dr", "docteur", "doc", "pr", "professeur", "madame", "mme", "monsieur", "m"})
_NEAR_WORDS = re.compile(r"^(.+?)\s+(?:pres de|a cote de|autour de|vers|sur|a)\s+(.+)$")


@dataclass(frozen=True)
class PlaceSummary:
    id: int
    name: str | None
    address: str
    postcode: str | None
    city: str | None
    phone: str | None


@dataclass(frozen=True)
class SearchResult:
    practitioner_id: int
    civility: str | None
    first_name: str
    last_name: str
    specialty_code: str | None
    specialty_label: str | None
    place: PlaceSummary | None
    distance_km: float | None
    next_free_slot: datetime | None  # naive UTC
    bookable_online: bool
    message: str | None  # what to do when booking online is not possible


@dataclass(frozen=True)
class _Query:
    specialty: str | None
    name_words: list[str]
    center: Commune | None


def search_practitioners(
    db: Session,
    *,
    q: str | None,
    specialty: str | None,
    near: str | None,
    radius_km: float,
    limit: int,
    offset: int,
    order: Order = "availability",
    now: datetime | None = None,
    default_near: str | None = None,
    settings: Settings | None = None,
) -> list[SearchResult]:
    """Practitioners matching the search, best first.

    `q` is a name ("dupond", "dr elodie"), a specialty in everyday words ("kiné") or both
    with a place ("kiné près de Douai"). `near` is a commune name, postcode or INSEE code.
    `default_near` (the kiosk's commune) centres a search that names no place, except a
    name search, which looks everywhere. Not bookable practitioners are listed too, with
    their phone: the person can call.
    """
    query = _understand(q, specialty, near, default_near)
    earliest = (now or utcnow()) + timedelta(
        minutes=(settings or Settings()).min_booking_lead_minutes
    )
    radius = radius_km if query.center is not None else None
    ranked = _rank(db, query, radius, earliest, order, limit, offset)
    return _load(db, ranked, query.center)


# ---------------------------------------------------------------- understanding


def _understand(
    q: str | None, specialty: str | None, near: str | None, default_near: str | None
) -> _Query:
    q = (q or "").strip()[:200]
    code = None
    if specialty and specialty.strip():
        code = resolve_specialty(specialty)
        if code is None:
            raise invalid("specialty", "Nous ne connaissons pas cette spécialité.")
    folded = fold(q)
    if q and not folded:
        raise invalid("q", "Recherche : écrivez un nom ou une spécialité avec des lettres.")
    near = (near or "").strip()
    if folded and not near:
        # "kiné près de Douai": the place is in the text.
        said = _NEAR_WORDS.match(folded)
        if said and communes().find(said.group(2), limit=1):
            folded, near = said.group(1), said.group(2)
    name_words: list[str] = []
    if folded:
        as_specialty = resolve_specialty(folded)
        if as_specialty and code in (None, as_specialty):
            code = as_specialty
        else:
            name_words = [w for w in folded.split() if w not in _TITLES][:4]
    if near:
        center = _commune(near)
    elif not name_words and default_near:
        center = communes().get(default_near)
    else:
        center = None
    if center is None and not name_words and code is None:
        raise invalid("q", "Écrivez un nom, une spécialité ou une commune.")
    return _Query(code, name_words, center)


def _commune(near: str) -> Commune:
    index = communes()
    found = index.get(near) if near.isdigit() or len(near) == 5 else None
    found = found or next(iter(index.find(near, limit=1)), None)
    if found is None:
        raise invalid(
            "near", "Nous ne trouvons pas cette commune. Vérifiez le nom ou le code postal."
        )
    return found


# ---------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class _Ranked:
    practitioner_id: int
    place_id: int | None
    next_free_slot: datetime | None


def _next_free_slot(earliest: datetime):  # noqa: ANN202 - a SQL expression
    """The practitioner's first free slot: one seek in ix_slots_free per practitioner."""
    first = (
        select(Slot.starts_at)
        .where(
            Slot.practitioner_id == Practitioner.id,
            Slot.taken == false(),
            Slot.closed == false(),
            Slot.starts_at >= earliest,
        )
        .order_by(Slot.starts_at)
        .limit(1)
        .scalar_subquery()
    )
    return case((Practitioner.bookable_online == true(), first), else_=None)


def _rank(
    db: Session,
    query: _Query,
    radius_km: float | None,
    earliest: datetime,
    order: Order,
    limit: int,
    offset: int,
) -> list[_Ranked]:
    candidates = _candidates(query, radius_km)
    scores = _name_matches(db, query) if query.name_words else None
    if scores is not None:
        if not scores:
            return []
        candidates = candidates.where(Practitioner.id.in_(list(scores)))
    nearest = candidates.subquery("nearest")
    best = select(nearest).where(nearest.c.rank == 1).subquery("best")
    next_slot = _next_free_slot(earliest).label("next_slot")
    ranked = select(best.c.practitioner_id, best.c.place_id, next_slot, best.c.d2).join(
        Practitioner, Practitioner.id == best.c.practitioner_id
    )
    if scores is not None:
        # At most a few thousand names: ranked here, the best match first.
        rows = db.execute(ranked).all()
        rows.sort(key=lambda r: (scores[r[0]], *_order_key(r[2], r[3], order), r[0]))
        return [_Ranked(*row[:3]) for row in rows[offset : offset + limit]]
    if order == "distance" and query.center is not None:
        keys = [best.c.d2]
    else:
        # By the label, so each practitioner's next slot is looked up once.
        keys = [next_slot.asc().nulls_last(), best.c.d2]
    ranked = ranked.order_by(*keys, best.c.practitioner_id).limit(limit).offset(offset)
    return [_Ranked(*row[:3]) for row in db.execute(ranked).all()]


def _order_key(next_slot: datetime | None, d2: float, order: Order) -> tuple:
    if order == "distance":
        return (d2,)
    return (next_slot is None, next_slot or datetime.max, d2)


def _candidates(query: _Query, radius_km: float | None) -> Select:
    """One row per (practitioner, nearest matching place) with the squared distance `d2`."""
    center = query.center
    if center is not None:
        # Equirectangular distance: exact to a fraction of a percent at these radii, and plain
        # arithmetic both databases compute from the index columns.
        scale = math.cos(math.radians(center.lat))
        d2 = ((Place.lat - center.lat) * _KM_PER_DEGREE) * (
            (Place.lat - center.lat) * _KM_PER_DEGREE
        ) + ((Place.lng - center.lng) * _KM_PER_DEGREE * scale) * (
            (Place.lng - center.lng) * _KM_PER_DEGREE * scale
        )
    else:
        d2 = literal(0.0)
    rank = func.row_number().over(partition_by=Place.practitioner_id, order_by=(d2, Place.id))
    stmt = select(
        Place.practitioner_id.label("practitioner_id"),
        Place.id.label("place_id"),
        d2.label("d2"),
        rank.label("rank"),
    ).join(Practitioner, Practitioner.id == Place.practitioner_id)
    if center is not None and radius_km is not None:
        min_lat, max_lat, min_lng, max_lng = bounding_box(center.lat, center.lng, radius_km)
        stmt = stmt.where(
            Place.lat.between(min_lat, max_lat),
            Place.lng.between(min_lng, max_lng),
            d2 <= radius_km * radius_km,
        )
    if query.specialty:
        stmt = stmt.where(Practitioner.specialty_code == query.specialty)
    return stmt


# ------------------------------------------------------------------------ names


def _max_typos(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def _word_score(wanted: str, words: list[str]) -> int | None:
    """0 exact, 1 prefix ("dup" → "dupont"), 2 small typo ("dupond" → "dupont"), else None."""
    best = None
    for word in words:
        if word == wanted:
            return 0
        if word.startswith(wanted):
            best = 1
        elif best is None and OSA.distance(wanted, word, score_cutoff=_max_typos(wanted)) <= (
            _max_typos(wanted)
        ):
            best = 2
    return best


def name_score(name_key: str, wanted: list[str]) -> int | None:
    """How well a practitioner's name matches every typed word; lower is better."""
    split = name_key.split()
    # "N'Diaye" folds to "n diaye": people type "ndiaye", so neighbours also count joined.
    words = split + [a + b for a, b in zip(split, split[1:], strict=False)]
    total = 0
    for word in wanted:
        score = _word_score(word, words)
        if score is None:
            return None
        total += score
    return total


def _name_matches(db: Session, query: _Query) -> dict[int, int]:
    """Ids whose name matches every typed word, with their score (lower is better).

    Candidates hold the first letters of the longest typed word in their folded name key:
    one pass over a narrow index; prefixes and typos are checked here.
    """
    longest = max(query.name_words, key=len)
    head = longest[:3] if len(longest) >= 5 else longest[:2]
    key = Practitioner.name_key
    # Spaces removed so "ndiaye" also meets "n diaye" (N'Diaye).
    stmt = select(Practitioner.id, key).where(func.replace(key, " ", "").like(f"%{head}%"))
    if query.specialty:
        stmt = stmt.where(Practitioner.specialty_code == query.specialty)
    scored = {}
    for pid, name in db.execute(stmt):
        score = name_score(name, query.name_words)
        if score is not None:
            scored[pid] = score
    if len(scored) > _NAME_CANDIDATES:
        kept = sorted(scored.items(), key=lambda item: (item[1], item[0]))[:_NAME_CANDIDATES]
        scored = dict(kept)
    return scored


# ---------------------------------------------------------------------- loading


def _load(db: Session, ranked: list[_Ranked], center: Commune | None) -> list[SearchResult]:
    if not ranked:
        return []
    ids = [r.practitioner_id for r in ranked]
    people = {p.id: p for p in db.scalars(select(Practitioner).where(Practitioner.id.in_(ids)))}
    place_ids = [r.place_id for r in ranked if r.place_id is not None]
    places = {p.id: p for p in db.scalars(select(Place).where(Place.id.in_(place_ids)))}
    results = []
    for r in ranked:
        person = people[r.practitioner_id]
        place = places.get(r.place_id)
        distance = (
            round(distance_km(center.lat, center.lng, place.lat, place.lng), 1)
            if center and place and place.lat is not None and place.lng is not None
            else None
        )
        results.append(
            SearchResult(
                practitioner_id=person.id,
                civility=person.civility,
                first_name=person.first_name,
                last_name=person.last_name,
                specialty_code=person.specialty_code,
                specialty_label=specialty_label(person.specialty_code),
                place=_summary(place) if place else None,
                distance_km=distance,
                next_free_slot=r.next_free_slot,
                bookable_online=person.bookable_online,
                message=None if person.bookable_online else NOT_BOOKABLE_MESSAGE,
            )
        )
    return results


def _summary(place: Place) -> PlaceSummary:
    return PlaceSummary(
        id=place.id,
        name=place.name,
        address=place.address,
        postcode=place.postcode,
        city=place.city,
        phone=place.phone,
    )
