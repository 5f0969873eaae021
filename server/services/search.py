"""Find practitioners by name, specialty and place, earliest availability first.

Built for 250,000 practitioners and millions of slots: every step is an index range or
seek. Names: a prefix range in the name-token index. Places: the covering box index, or
the specialty's practitioners when fewer. Next free slots: a seek each in ix_slots_free,
or, with many candidates, a walk through ix_slots_free_start in time order that stops
once the page is full. Only the page is loaded in full.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Literal

from rapidfuzz.distance import OSA
from sqlalchemy import Select, delete, false, func, insert, literal, select, true, tuple_
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.errors import invalid
from server.models import Place, Practitioner, PractitionerNameToken, Slot, name_tokens
from server.services.communes import Commune, bounding_box, communes, distance_km
from server.services.directory import NOT_BOOKABLE_MESSAGE
from server.services.specialties import resolve_specialty, specialty_label
from server.text import fold

Order = Literal["availability", "distance"]
Plan = Literal["box", "specialty", "walk"]
# Beyond this many name candidates the typed name is too vague to rank well anyway.
_NAME_CANDIDATES = 2000
# From this many bookable candidates, walking free slots in time order beats a seek each;
# the walk gives up after this many slots per candidate (it then cost about the seeks).
_WALK_FROM = 1500
_WALK_PER_CANDIDATE = 3
# Counting a specialty's practitioners stops here: beyond, the box is always cheaper.
_COUNT_CAP = 20_000
# A box this crowded (a big city) is walked by free slots for common specialties; the
# walk gives up after one slot per this many places (reading the box costs about that).
_CROWDED_BOX = 10_000
_BOX_PER_SLOT = 8
_WALK_BATCH, _WALK_BATCH_MAX = 256, 8192
# Ids per IN list: below every driver's parameter limit.
_CHUNK = 900
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
    commune: str | None = None,
) -> list[SearchResult]:
    """Practitioners matching the search, best first.

    `q` is a name ("dupond", "dr elodie"), a specialty in everyday words ("kiné") or both
    with a place ("kiné près de Douai"). `near` is a commune name, postcode or INSEE code
    as a person types it; `commune` an INSEE code chosen from a list, exact. `default_near`
    (the kiosk's commune) centres a search that names no place, except a name search, which
    looks everywhere. Not bookable practitioners are listed too, with
    their phone: the person can call.
    """
    query = _understand(q, specialty, near, default_near, commune)
    earliest = (now or utcnow()) + timedelta(
        minutes=(settings or Settings()).min_booking_lead_minutes
    )
    radius = radius_km if query.center is not None else None
    ranked = _rank(db, query, radius, earliest, order, limit, offset)
    return _load(db, ranked, query.center)


def search_centre(
    q: str | None,
    specialty: str | None,
    near: str | None,
    default_near: str | None = None,
    commune: str | None = None,
) -> Commune | None:
    """The commune a search is centred on, to show the person where results are from."""
    return _understand(q, specialty, near, default_near, commune).center


# ---------------------------------------------------------------- understanding


def _understand(
    q: str | None,
    specialty: str | None,
    near: str | None,
    default_near: str | None,
    commune: str | None = None,
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
    if commune:
        center = communes().get(commune.strip().upper())
        if center is None:
            raise invalid(
                "commune", "Nous ne trouvons pas cette commune. Choisissez-la de nouveau."
            )
    elif near:
        center = _commune(near)
    elif not name_words and default_near:
        center = communes().get(default_near)
    else:
        center = None
    if center is None and not name_words and code is None:
        raise invalid("q", "Écrivez un nom, une spécialité ou une commune.")
    return _Query(code, name_words, center)


def _commune(near: str) -> Commune:
    """People type postcodes far more than INSEE codes: "59450" is Sin-le-Noble, not Ors.
    An INSEE code still works ("2A004" for Ajaccio)."""
    index = communes()
    found = next(iter(index.find(near, limit=1)), None) or index.get(near.upper())
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


@dataclass(frozen=True)
class _Candidate:
    practitioner_id: int
    place_id: int
    d2: float  # squared distance to the centre, km²; 0 without a centre
    bookable: bool


def _rank(
    db: Session,
    query: _Query,
    radius_km: float | None,
    earliest: datetime,
    order: Order,
    limit: int,
    offset: int,
) -> list[_Ranked]:
    """The page of practitioners, best name match first, then by `order`.

    Places and slots are looked for only in the name-score groups the page reaches.
    """
    scores = _name_matches(db, query) if query.name_words else None
    if scores is not None and not scores:
        return []
    by_distance = order == "distance" and query.center is not None
    plan, places = _plan(db, query, radius_km) if scores is None else ("box", 0)
    if plan == "walk" and not by_distance:
        walked = _walk_circle(db, query, radius_km, earliest, offset + limit, places)
        if walked is not None:
            return walked[offset : offset + limit]
    if scores is None:
        people = _candidates(db, query, radius_km, None, from_specialty=plan == "specialty")
        return _ordered(db, people, by_distance, earliest, offset, offset + limit)
    ranked, seen = [], 0
    by_score = sorted(scores, key=scores.__getitem__)
    for _, ids in groupby(by_score, key=scores.__getitem__):
        group = _candidates(db, query, radius_km, list(ids), from_specialty=False)
        start, stop = max(offset - seen, 0), min(offset + limit - seen, len(group))
        if start < stop:
            ranked += _ordered(db, group, by_distance, earliest, start, stop)
        seen += len(group)
        if seen >= offset + limit:
            break
    return ranked


def _ordered(
    db: Session,
    people: list[_Candidate],
    by_distance: bool,
    earliest: datetime,
    start: int,
    stop: int,
) -> list[_Ranked]:
    """people[start:stop] by distance, or by next free slot (none last) then distance."""
    if by_distance:
        people = sorted(people, key=lambda c: (c.d2, c.practitioner_id))[start:stop]
        slots = _seek(db, [c.practitioner_id for c in people if c.bookable], earliest)
    else:
        bookable = {c.practitioner_id for c in people if c.bookable}
        slots = (
            _walk(db, bookable.intersection, earliest, stop, len(bookable) * _WALK_PER_CANDIDATE)
            if len(bookable) >= _WALK_FROM
            else None
        )
        if slots is None:
            slots = _seek(db, list(bookable), earliest)
        people = _by_slot(people, slots)[start:stop]
    return [_Ranked(c.practitioner_id, c.place_id, slots.get(c.practitioner_id)) for c in people]


def _by_slot(people: list[_Candidate], slots: dict[int, datetime]) -> list[_Candidate]:
    """By next free slot (none last), then distance, then id for a stable paging."""

    def key(c: _Candidate) -> tuple:
        at = slots.get(c.practitioner_id)
        return (at is None, at or datetime.max, c.d2, c.practitioner_id)

    return sorted(people, key=key)


def _distance2(center: Commune):  # noqa: ANN202 - a SQL expression
    """Squared distance in km² from the centre to a place.

    Equirectangular: exact to a fraction of a percent at these radii, and plain arithmetic
    both databases compute from the index columns.
    """
    scale = math.cos(math.radians(center.lat))
    dy = (Place.lat - center.lat) * _KM_PER_DEGREE
    dx = (Place.lng - center.lng) * (_KM_PER_DEGREE * scale)
    return dy * dy + dx * dx


def _matching(query: _Query, radius_km: float | None, *columns, from_specialty: bool) -> Select:  # noqa: ANN002
    """Places in the circle (if any) of practitioners of the specialty (if any).

    Box first, the covering (lat, lng, practitioner_id) index gives the places and the
    small (specialty_code, id, bookable_online) index answers for each. Specialty first
    (a rare one), the other way round: `+ 0` keeps both databases off the box index.
    """
    stmt = select(*columns).join(Practitioner, Practitioner.id == Place.practitioner_id)
    center = query.center
    if center is not None and radius_km is not None:
        min_lat, max_lat, min_lng, max_lng = bounding_box(center.lat, center.lng, radius_km)
        lat, lng = (Place.lat + 0, Place.lng + 0) if from_specialty else (Place.lat, Place.lng)
        stmt = stmt.where(
            lat.between(min_lat, max_lat),
            lng.between(min_lng, max_lng),
            _distance2(center) <= radius_km * radius_km,
        )
    if query.specialty:
        stmt = stmt.where(Practitioner.specialty_code == query.specialty)
    return stmt


def _plan(db: Session, query: _Query, radius_km: float | None) -> tuple[Plan, int]:
    """How to find the candidates, and how many places the box holds (counted up to need).

    "specialty": the specialty has fewer practitioners in the country than the box has
    places; "walk": a crowded box (a big city) and a common specialty; else "box". The
    counts stop early: each costs about as many index entries as the cheaper way.
    """
    center = query.center
    if center is None or radius_km is None:
        return "box", 0
    members = _COUNT_CAP
    if query.specialty:
        of_specialty = select(Practitioner.id).where(Practitioner.specialty_code == query.specialty)
        members = db.scalar(
            select(func.count()).select_from(of_specialty.limit(_COUNT_CAP).subquery())
        )
    min_lat, max_lat, min_lng, max_lng = bounding_box(center.lat, center.lng, radius_km)
    box = select(Place.id).where(
        Place.lat.between(min_lat, max_lat), Place.lng.between(min_lng, max_lng)
    )
    enough = max(members + 1, _CROWDED_BOX) if members < _COUNT_CAP else _CROWDED_BOX
    places = db.scalar(select(func.count()).select_from(box.limit(enough).subquery()))
    if places > members:
        return "specialty", places
    return ("walk" if places >= _CROWDED_BOX else "box"), places


def _walk_circle(
    db: Session, query: _Query, radius_km: float, earliest: datetime, wanted: int, places: int
) -> list[_Ranked] | None:
    """The first `wanted` by availability in a crowded box, without reading the box.

    The free slots in time order soon hold enough practitioners of a common specialty
    nearby; each new one met is checked with a seek. None when the walk grows as long as
    reading the box would cost.
    """

    def nearby(new: set[int]) -> set[int]:
        ids, kept = sorted(new), set()
        for start in range(0, len(ids), _CHUNK):
            stmt = _matching(query, radius_km, Place.practitioner_id, from_specialty=False)
            kept.update(
                db.scalars(
                    stmt.where(
                        Place.practitioner_id.in_(ids[start : start + _CHUNK]),
                        Practitioner.bookable_online == true(),
                    )
                )
            )
        return kept

    slots = _walk(db, nearby, earliest, wanted, places // _BOX_PER_SLOT)
    if slots is None:
        return None
    people = _by_slot(_candidates(db, query, radius_km, slots, from_specialty=False), slots)
    return [_Ranked(c.practitioner_id, c.place_id, slots[c.practitioner_id]) for c in people]


def _candidates(
    db: Session,
    query: _Query,
    radius_km: float | None,
    ids: Iterable[int] | None,
    *,
    from_specialty: bool,
) -> list[_Candidate]:
    """Each matching practitioner once (among `ids` if given), at the nearest place.

    The nearest place is picked here: cheaper than a window function in the database.
    """
    center = query.center
    d2 = _distance2(center) if center is not None else literal(0.0)
    stmt = _matching(
        query,
        radius_km,
        Place.practitioner_id,
        Place.id,
        d2,
        Practitioner.bookable_online,
        from_specialty=from_specialty,
    )
    if ids is None:
        batches = [stmt]
    else:
        ids = sorted(ids)
        batches = [
            stmt.where(Place.practitioner_id.in_(ids[n : n + _CHUNK]))
            for n in range(0, len(ids), _CHUNK)
        ]
    best: dict[int, _Candidate] = {}
    for batch in batches:
        for pid, place_id, dist, bookable in db.execute(batch):
            known = best.get(pid)
            if known is None or (dist, place_id) < (known.d2, known.place_id):
                best[pid] = _Candidate(pid, place_id, dist, bookable)
    return list(best.values())


def _free_slots(earliest: datetime) -> Select:
    return select(Slot.starts_at, Slot.practitioner_id).where(
        Slot.taken == false(), Slot.closed == false(), Slot.starts_at >= earliest
    )


def _seek(db: Session, ids: list[int], earliest: datetime) -> dict[int, datetime]:
    """Each practitioner's first free slot: one seek in ix_slots_free each."""
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
    found = {}
    for n in range(0, len(ids), _CHUNK):
        stmt = select(Practitioner.id, first).where(Practitioner.id.in_(ids[n : n + _CHUNK]))
        found.update((pid, at) for pid, at in db.execute(stmt) if at is not None)
    return found


def _walk(
    db: Session,
    fits: Callable[[set[int]], set[int]],
    earliest: datetime,
    wanted: int,
    budget: int,
) -> dict[int, datetime] | None:
    """First free slots of the `wanted` earliest practitioners that `fits` keeps, and of
    all tied with the last of them (so ties still sort by distance).

    The country's free slots in time order, a few hundred index entries at a time; each
    practitioner met for the first time is shown to `fits`. None after `budget` slots, or
    when the slots run out: the caller ranks another way.
    """
    first: dict[int, datetime] = {}
    seen: set[int] = set()
    free = _free_slots(earliest)
    keyset = tuple_(*free.selected_columns)

    def note(rows: list) -> None:
        new = {pid for _, pid in rows} - seen
        seen.update(new)
        kept = fits(new) if new else set()
        for starts_at, pid in rows:
            if pid in kept:
                first.setdefault(pid, starts_at)

    after, batch, walked = None, _WALK_BATCH, 0
    while True:
        page = free if after is None else free.where(keyset > after)
        rows = db.execute(page.order_by(Slot.starts_at, Slot.practitioner_id).limit(batch)).all()
        note(rows)
        walked += len(rows)
        if len(first) >= wanted:
            last = sorted(first.values())[wanted - 1]
            if len(rows) == batch and rows[-1][0] == last:
                note(db.execute(page.where(Slot.starts_at == last, keyset > rows[-1])).all())
            return {pid: at for pid, at in first.items() if at <= last}
        if len(rows) < batch or walked >= budget:
            return None
        after, batch = tuple(rows[-1]), min(batch * 2, _WALK_BATCH_MAX)


# ------------------------------------------------------------------------ names


def _max_typos(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def _word_score(wanted: str, token: str) -> int | None:
    """0 exact, 1 prefix ("dup" → "dupont"), 2 small typo ("dupond" → "dupont"), else None."""
    if token == wanted:
        return 0
    if token.startswith(wanted):
        return 1
    typos = _max_typos(wanted)
    return 2 if OSA.distance(wanted, token, score_cutoff=typos) <= typos else None


def _name_matches(db: Session, query: _Query) -> dict[int, int]:
    """Ids whose name matches every typed word, with their score (lower is better).

    The longest typed word (the most selective) is looked up in the token index; the
    other words are checked against the tokens of the few ids found, or looked up too
    when many were found. The wide practitioner rows are never read here.
    """
    words = sorted(query.name_words, key=len, reverse=True)
    alone = len(words) == 1 and not query.specialty
    # A single word: the best matches are the result, so worse ones need not be read.
    scored = _word_matches(db, words[0], _NAME_CANDIDATES if alone else None)
    for n, word in enumerate(words[1:]):
        if len(scored) <= _NAME_CANDIDATES:
            scored = _also_matching(db, scored, words[1 + n :])
            break
        found = _word_matches(db, word, None)
        scored = {pid: s + found[pid] for pid, s in scored.items() if pid in found}
    if query.specialty and scored:
        ids, kept = sorted(scored), set()
        for start in range(0, len(ids), _CHUNK):
            kept.update(
                db.scalars(
                    select(Practitioner.id).where(
                        Practitioner.specialty_code == query.specialty,
                        Practitioner.id.in_(ids[start : start + _CHUNK]),
                    )
                )
            )
        scored = {pid: s for pid, s in scored.items() if pid in kept}
    if len(scored) > _NAME_CANDIDATES:
        kept = sorted(scored.items(), key=lambda item: (item[1], item[0]))[:_NAME_CANDIDATES]
        scored = dict(kept)
    return scored


def _word_matches(db: Session, word: str, enough: int | None) -> dict[int, int]:
    """Ids with a name token fitting one typed word, and the best score of their tokens.

    Tokens are a name's words and each pair joined ("n diaye" → "ndiaye"), so "ndiaye"
    meets N'Diaye. Exact tokens, then tokens the word starts, are index ranges; typos are
    looked for among tokens of about the word's length after its first letters. Stops
    after a score once `enough` ids are found: worse ones would be cut anyway.
    """
    tokens = PractitionerNameToken.__table__
    token = tokens.c.token
    levels = [token == word, (token > word) & (token < _next_prefix(word))]
    typos = _max_typos(word)
    if typos:
        head = word[: 3 if len(word) >= 5 else 2]
        near = (
            select(token)
            .distinct()
            .where(
                token >= head,
                token < _next_prefix(head),
                func.length(token).between(len(word) - typos, len(word) + typos),
            )
        )
        misspelt = [t for t in db.scalars(near) if _word_score(word, t) == 2]
        levels += [token.in_(misspelt[n : n + _CHUNK]) for n in range(0, len(misspelt), _CHUNK)]
    found: dict[int, int] = {}
    for n, level in enumerate(levels):
        for pid in db.scalars(select(tokens.c.practitioner_id).where(level).distinct()):
            found.setdefault(pid, min(n, 2))
        if enough is not None and n < 2 and len(found) >= enough:
            break
    return found


def _next_prefix(prefix: str) -> str:
    """The first string after every string starting with `prefix` (tokens are [a-z0-9])."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _also_matching(db: Session, scored: dict[int, int], words: list[str]) -> dict[int, int]:
    """Those of `scored` whose name also fits every word of `words`, scores added."""
    tokens = PractitionerNameToken.__table__
    held: dict[int, list[str]] = {}
    ids = sorted(scored)
    for start in range(0, len(ids), _CHUNK):
        rows = select(tokens.c.practitioner_id, tokens.c.token).where(
            tokens.c.practitioner_id.in_(ids[start : start + _CHUNK])
        )
        for pid, token in db.execute(rows):
            held.setdefault(pid, []).append(token)
    result = {}
    for pid, total in scored.items():
        for word in words:
            fits = [s for t in held.get(pid, []) if (s := _word_score(word, t)) is not None]
            if not fits:
                break
            total += min(fits)
        else:
            result[pid] = total
    return result


def index_names(db: Session, practitioner_ids: Iterable[int]) -> None:
    """Rebuild the name tokens of these practitioners, after Core bulk writes.

    ORM writes need nothing: an event in server.models keeps the tokens in step.
    """
    tokens = PractitionerNameToken.__table__
    ids = list(practitioner_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        db.execute(delete(tokens).where(tokens.c.practitioner_id.in_(chunk)))
        names = db.execute(
            select(Practitioner.id, Practitioner.name_key).where(Practitioner.id.in_(chunk))
        )
        rows = [
            {"token": t, "practitioner_id": pid} for pid, key in names for t in name_tokens(key)
        ]
        if rows:
            db.execute(insert(tokens), rows)


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
