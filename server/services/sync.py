"""The kiosks' sync feed: a change log written with every directory change, read page by page.

Capture. ORM mapper events on Practitioner, Place, Motive, Slot (and OpeningHours, whose
motives decide what each slot allows) queue (entity, id, practitioner) and one executemany
per flush appends them to `directory_changes`, in the writer's own transaction: no service can
forget, and a rolled-back change leaves no row. Core bulk statements bypass the ORM, so their
authors call `record_changes_bulk` (slot generation, absences, imports).

Order. On SQLite writers are serialized, so the id is commit order and a cursor is an id. On
PostgreSQL ids can commit out of order: each row stores its transaction id, and a reader only
goes up to the snapshot's xmin (every transaction below it has finished); rows of transactions
still running come next time. A kiosk applies entries as idempotent upserts, so seeing a row
twice is harmless; missing one is not.

State, not history. Each entry carries the entity's current state or `deleted`. Only the
practitioners with a place in the kiosk's area are sent, and only future slots. A practitioner
`deleted` entry also means "forget its places, motives and slots": it is sent when one is
deleted or leaves the area. An `area` log row (a place moved, added or removed) re-sends the
practitioner's whole card, because it may have just entered the area.

Cursors are opaque strings: "s:ID" (SQLite), "p:TXID:ID" (PostgreSQL), each the first position
not yet delivered, and "snap:KIND:AFTER_ID:LOG" while a first full copy is being paged through
the tables (the log is compacted, so it cannot rebuild old data).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, event, func, insert, inspect, literal_column, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, object_session

from server.bulk import insert_rows
from server.clock import utcnow
from server.config import Settings
from server.errors import ApiError
from server.models import (
    DirectoryChange,
    Kiosk,
    Motive,
    OpeningHours,
    Place,
    Practitioner,
    Slot,
    opening_hours_motives,
)
from server.services.communes import bounding_box, communes

ENTITIES = ("practitioner", "place", "motive", "slot")
AREA = "area"  # a practitioner's places moved: it may have entered or left an area
COMPACTED = "compacted"  # watermark left by compact_changes: rows up to it were deleted
_PENDING = "sync_pending_changes"
_NEW = "sync_new_practitioners"  # created in the flush under way
_TXID_SQL = "pg_current_xact_id()::text::bigint"
_XMIN_SQL = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_MAX_ID = 2**63 - 1

Change = tuple[str, int, int]  # (entity, entity_id, practitioner_id)
Position = tuple[int, int]  # (txid, id); txid is 0 on SQLite


# ------------------------------------------------------------------ capture


# From this many rows, COPY (PostgreSQL) beats one INSERT statement.
_COPY_FROM = 100


def record_changes_bulk(db: Session, entity: str, rows: Iterable[tuple[int, int]]) -> None:
    """Log changes made with Core statements, which ORM events cannot see.

    `rows` are (entity_id, practitioner_id), appended in the caller's transaction with COPY
    on PostgreSQL (one transaction id read once) and one driver executemany on SQLite: imports
    log millions of rows.
    """
    conn = db.connection()
    changes = [(entity, entity_id, pid) for entity_id, pid in rows]
    if len(changes) < _COPY_FROM:  # a booking's one slot: one plain INSERT is cheapest
        _write(conn, changes)
        return
    same: dict[str, Any] = {"changed_at": utcnow()}
    if conn.dialect.name == "postgresql":
        same["txid"] = conn.exec_driver_sql(f"SELECT {_TXID_SQL}").scalar_one()
    insert_rows(
        conn, DirectoryChange.__table__, ("entity", "entity_id", "practitioner_id"), changes, **same
    )


def insert_logged(db: Session, model: type, rows: list[dict]) -> list[int]:
    """A Core bulk insert of directory rows (slots, places…) that logs them; returns the ids."""
    table = model.__table__
    owner = table.c.id if model is Practitioner else table.c.practitioner_id
    inserted = db.execute(insert(table).returning(table.c.id, owner), rows).all()
    record_changes_bulk(db, _ENTITY_OF[model], inserted)
    return [row[0] for row in inserted]


# Run with every write that changes the directory (each booking), so built once; keyed by
# "is PostgreSQL", which also stores the transaction id.
_INSERT_CHANGE = {
    False: insert(DirectoryChange),
    True: insert(DirectoryChange).values(txid=literal_column(_TXID_SQL)),
}


def _write(conn: Connection, changes: list[Change]) -> None:
    if not changes:
        return
    now = utcnow()
    conn.execute(
        _INSERT_CHANGE[conn.dialect.name == "postgresql"],
        [
            {"entity": e, "entity_id": i, "practitioner_id": p, "changed_at": now}
            for e, i, p in changes
        ],
    )


def _queue(target: Any, changes: Iterable[Change]) -> None:
    session = object_session(target)
    if session is not None:
        session.info.setdefault(_PENDING, []).extend(changes)


_ENTITY_OF = {Practitioner: "practitioner", Place: "place", Motive: "motive", Slot: "slot"}


def _owner(target: Any) -> int:
    return target.id if isinstance(target, Practitioner) else target.practitioner_id


def _columns_changed(target: Any, keys: Iterable[str] | None = None) -> bool:
    state = inspect(target)
    keys = keys if keys is not None else (a.key for a in state.mapper.column_attrs)
    return any(state.attrs[key].history.has_changes() for key in keys)


def _on_insert(_mapper: Mapper, _conn: Connection, target: Any) -> None:
    changes = [(_ENTITY_OF[type(target)], target.id, _owner(target))]
    session = object_session(target)
    created = session.info.setdefault(_NEW, set()) if session is not None else set()
    if isinstance(target, Practitioner):
        created.add(target.id)
    elif isinstance(target, Place) and target.practitioner_id not in created:
        # A new place of an existing practitioner may bring it into an area.
        changes.append((AREA, target.practitioner_id, target.practitioner_id))
    _queue(target, changes)


def _on_update(_mapper: Mapper, _conn: Connection, target: Any) -> None:
    if not _columns_changed(target):
        return  # marked dirty without a net change
    changes = [(_ENTITY_OF[type(target)], target.id, _owner(target))]
    if isinstance(target, Place) and _columns_changed(target, ("lat", "lng")):
        changes.append((AREA, target.practitioner_id, target.practitioner_id))
    _queue(target, changes)


def _on_delete(_mapper: Mapper, conn: Connection, target: Any) -> None:
    changes = [(_ENTITY_OF[type(target)], target.id, _owner(target))]
    if isinstance(target, Place):
        # The database deletes the place's slots by cascade, unseen by the ORM.
        changes += _slots(conn, Slot.place_id == target.id)
        changes.append((AREA, target.practitioner_id, target.practitioner_id))
    if isinstance(target, Motive):
        # The database unlinks it from opening hours: the slots it was allowed in change.
        linked = select(opening_hours_motives.c.opening_hours_id).where(
            opening_hours_motives.c.motive_id == target.id
        )
        changes += _slots(conn, Slot.opening_hours_id.in_(linked))
    _queue(target, changes)


def _on_hours_update(_mapper: Mapper, conn: Connection, target: OpeningHours) -> None:
    """Slots list the motives of their opening hours: log them when those motives change."""
    if inspect(target).attrs.motives.history.has_changes():
        _on_hours_delete(_mapper, conn, target)


def _on_hours_delete(_mapper: Mapper, conn: Connection, target: OpeningHours) -> None:
    """The database unlinks the slots of deleted hours: they allow no motive any more."""
    _queue(target, _slots(conn, Slot.opening_hours_id == target.id))


def _slots(conn: Connection, where: Any) -> list[Change]:
    rows = conn.execute(select(Slot.id, Slot.practitioner_id).where(where))
    return [("slot", slot_id, pid) for slot_id, pid in rows]


def _after_flush(session: Session, _context: Any) -> None:
    changes = session.info.pop(_PENDING, None)
    session.info.pop(_NEW, None)
    if changes:
        order = {name: rank for rank, name in enumerate((*ENTITIES, AREA))}
        # Parents first, so a kiosk meets a practitioner before its places and slots.
        unique = sorted(dict.fromkeys(changes), key=lambda c: order[c[0]])
        _write(session.connection(), unique)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_NEW, None)


for _cls in _ENTITY_OF:
    event.listen(_cls, "after_insert", _on_insert)
    event.listen(_cls, "after_update", _on_update)
    event.listen(_cls, "before_delete", _on_delete)
event.listen(OpeningHours, "before_update", _on_hours_update)
event.listen(OpeningHours, "before_delete", _on_hours_delete)
event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "after_soft_rollback", _forget)


# ------------------------------------------------------------------ cursors


@dataclass(frozen=True)
class Cursor:
    log: Position  # first log position not yet delivered
    snapshot_kind: int | None = None  # index in ENTITIES while copying the tables
    after_id: int = 0


def _bad_cursor() -> ApiError:
    return ApiError(
        422,
        "invalid",
        "Curseur : la valeur n'est pas valide. Recommencez la synchronisation sans curseur.",
        "since",
    )


def _resync() -> ApiError:
    return ApiError(
        409,
        "resync",
        "Les changements demandés sont trop anciens. "
        "Recommencez la synchronisation depuis le début, sans curseur.",
        "since",
    )


def _number(text: str) -> int:
    if not text.isdigit() or len(text) > 19 or int(text) > _MAX_ID:
        raise _bad_cursor()
    return int(text)


def parse_cursor(text: str, dialect: str) -> Cursor:
    """Read a kiosk's cursor; one written by the other database kind asks for a resync."""
    kind, _, rest = text.strip().partition(":")
    if kind == "snap":
        snap_kind, _, rest = rest.partition(":")
        after_id, _, log = rest.partition(":")
        index = _number(snap_kind)
        if index >= len(ENTITIES):
            raise _bad_cursor()
        return Cursor(parse_cursor(log, dialect).log, index, _number(after_id))
    if kind == "s":
        position = (0, _number(rest))
    elif kind == "p":
        txid, _, row_id = rest.partition(":")
        position = (_number(txid), _number(row_id))
    else:
        raise _bad_cursor()
    if (kind == "p") != (dialect == "postgresql"):
        raise _resync()
    return Cursor(position)


def format_cursor(cursor: Cursor, dialect: str) -> str:
    txid, row_id = cursor.log
    log = f"p:{txid}:{row_id}" if dialect == "postgresql" else f"s:{row_id}"
    if cursor.snapshot_kind is None:
        return log
    return f"snap:{cursor.snapshot_kind}:{cursor.after_id}:{log}"


# ------------------------------------------------------------------ the feed


@dataclass(frozen=True)
class Area:
    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float

    def practitioner_ids(self) -> Any:
        """Practitioners with a place in the box (a subquery)."""
        return select(Place.practitioner_id).where(
            Place.lat.between(self.min_lat, self.max_lat),
            Place.lng.between(self.min_lng, self.max_lng),
        )


def kiosk_area(kiosk: Kiosk, settings: Settings) -> Area:
    commune = communes().get(kiosk.commune_insee)
    if commune is None:
        raise ApiError(
            409, "kiosk_commune_unknown", "La commune de cette borne est inconnue.", None
        )
    return Area(*bounding_box(commune.lat, commune.lng, settings.sync_radius_km))


def directory_page(
    db: Session, kiosk: Kiosk, settings: Settings, *, since: str | None, limit: int
) -> dict[str, Any]:
    """One page of the feed: {"changes", "next_cursor", "has_more"}.

    Without `since`, the kiosk's whole area is copied from the tables first, then the log is
    followed from where it stood when the copy began.
    """
    dialect = db.get_bind().dialect.name
    area = kiosk_area(kiosk, settings)
    if since is None:
        cursor = Cursor(_log_start(db, dialect), snapshot_kind=0)
    else:
        cursor = parse_cursor(since, dialect)
    if cursor.snapshot_kind is not None:
        changes, cursor, has_more = _snapshot_page(db, area, cursor, limit)
    else:
        changes, cursor, has_more = _log_page(db, area, cursor, limit, dialect)
    return {
        "changes": changes,
        "next_cursor": format_cursor(cursor, dialect),
        "has_more": has_more,
    }


def _horizon(db: Session) -> int:
    """PostgreSQL: every transaction below this id has finished (committed or not)."""
    return db.scalar(select(literal_column(_XMIN_SQL)))


def _log_start(db: Session, dialect: str) -> Position:
    """The position from which the log holds everything a copy made now could miss."""
    if dialect == "postgresql":
        return (_horizon(db), 0)
    return (0, (db.scalar(select(func.max(DirectoryChange.id))) or 0) + 1)


def _snapshot_page(
    db: Session, area: Area, cursor: Cursor, limit: int
) -> tuple[list[dict], Cursor, bool]:
    states = _States(db, area)
    kind, after_id = cursor.snapshot_kind or 0, cursor.after_id
    out: list[dict] = []
    while True:
        room = limit - len(out)
        ids = states.area_ids(ENTITIES[kind], after_id, room)
        out += states.entries(ENTITIES[kind], ids)
        if len(ids) == room:  # the page is full: this kind may have more
            return out, Cursor(cursor.log, kind, ids[-1]), True
        kind, after_id = kind + 1, 0
        if kind == len(ENTITIES):  # the copy is done: follow the log from where it began
            return out, Cursor(cursor.log), True


def _log_page(
    db: Session, area: Area, cursor: Cursor, limit: int, dialect: str
) -> tuple[list[dict], Cursor, bool]:
    position = cursor.log
    query = select(
        DirectoryChange.txid,
        DirectoryChange.id,
        DirectoryChange.entity,
        DirectoryChange.entity_id,
        DirectoryChange.practitioner_id,
    ).limit(limit)
    if dialect == "postgresql":
        horizon = _horizon(db)  # taken before reading: all rows below it are visible
        query = query.where(
            tuple_(DirectoryChange.txid, DirectoryChange.id) >= tuple_(*position),
            DirectoryChange.txid < horizon,
        ).order_by(DirectoryChange.txid, DirectoryChange.id)
    else:
        horizon = 0
        query = query.where(DirectoryChange.id >= position[1]).order_by(DirectoryChange.id)
    rows = db.execute(query).all()
    _check_not_compacted(db, position, dialect)  # after reading: a compaction since shows
    if len(rows) == limit:
        last = rows[-1]
        next_position = (last.txid or 0, last.id + 1)
    elif dialect == "postgresql":
        next_position = max(position, (horizon, 0))
    else:
        next_position = (0, rows[-1].id + 1) if rows else position
    changes = [(r.entity, r.entity_id, r.practitioner_id) for r in rows if r.entity != COMPACTED]
    return _States(db, area).for_changes(changes), Cursor(next_position), len(rows) == limit


def _check_not_compacted(db: Session, position: Position, dialect: str) -> None:
    mark = db.execute(
        select(DirectoryChange.txid, DirectoryChange.entity_id)
        .where(DirectoryChange.practitioner_id == 0, DirectoryChange.entity == COMPACTED)
        .order_by(DirectoryChange.id.desc())
        .limit(1)
    ).first()
    if mark is None:
        return
    deleted_up_to = ((mark.txid or 0) if dialect == "postgresql" else 0, mark.entity_id)
    if position <= deleted_up_to:
        raise _resync()


def compact_changes(db: Session, older_than_days: int = 30) -> int:
    """Delete log rows older than the given age; returns how many went.

    A watermark row remembers the last deleted position, so a kiosk whose cursor is older is
    told to start again (409) instead of silently missing changes. On SQLite it also keeps the
    largest id in the table, so ids are never reused.
    """
    dialect = db.get_bind().dialect.name
    cutoff = utcnow() - timedelta(days=older_than_days)
    order = (DirectoryChange.txid.desc(), DirectoryChange.id.desc())
    last = db.execute(
        select(DirectoryChange.txid, DirectoryChange.id)
        .where(DirectoryChange.changed_at < cutoff)
        .order_by(*(order if dialect == "postgresql" else order[1:]))
        .limit(1)
    ).first()
    if last is None:
        return 0
    if dialect == "postgresql":
        up_to = tuple_(DirectoryChange.txid, DirectoryChange.id) <= tuple_(last.txid, last.id)
    else:
        up_to = DirectoryChange.id <= last.id
    # The watermark goes in first: on SQLite an emptied table would reuse ids.
    db.execute(
        insert(DirectoryChange).values(
            txid=last.txid,
            entity=COMPACTED,
            entity_id=last.id,
            practitioner_id=0,
            changed_at=utcnow(),
        )
    )
    deleted = db.execute(
        delete(DirectoryChange).where(up_to).execution_options(synchronize_session=False)
    ).rowcount
    return deleted


# ------------------------------------------------------------------ current state


class _States:
    """Loads and serializes the current state of entities, limited to one area."""

    def __init__(self, db: Session, area: Area) -> None:
        self.db = db
        self.area = area
        self.now = utcnow()

    def area_ids(self, entity: str, after_id: int, limit: int) -> list[int]:
        model = _MODELS[entity]
        owner = model.id if model is Practitioner else model.practitioner_id
        query = select(model.id).where(model.id > after_id, owner.in_(self.area.practitioner_ids()))
        if model is Slot:
            query = query.where(Slot.starts_at >= self.now)
        return list(self.db.scalars(query.order_by(model.id).limit(limit)))

    def entries(self, entity: str, ids: list[int]) -> list[dict]:
        """Entries of these entities, in the given order; missing ones come as deleted."""
        found = self._load(entity, ids)
        return [found.get(i) or _deleted(entity, i) for i in ids]

    def for_changes(self, changes: list[Change]) -> list[dict]:
        """One entry per changed entity, for the practitioners of the area."""
        owners = {pid for _, _, pid in changes}
        inside = (
            set(
                self.db.scalars(
                    self.area.practitioner_ids().where(Place.practitioner_id.in_(owners))
                )
            )
            if owners
            else set()
        )
        keys: dict[tuple[str, int], None] = {}
        leaving: set[int] = set()
        for entity, entity_id, pid in changes:
            if entity == AREA and pid not in inside:
                leaving.add(pid)  # left the area, or was deleted
                keys.setdefault(("practitioner", pid))
            elif entity == AREA:
                keys.update((key, None) for key in self._card(pid) if key not in keys)
            elif pid in inside or entity == "practitioner":
                keys.setdefault((entity, entity_id))
        by_entity: dict[str, list[int]] = {}
        for entity, entity_id in keys:
            by_entity.setdefault(entity, []).append(entity_id)
        found = {e: self._load(e, ids) for e, ids in by_entity.items()}
        out = []
        for entity, entity_id in keys:
            entry = found[entity].get(entity_id)
            if entity == "practitioner" and entity_id not in inside:
                if entry is None or entity_id in leaving:
                    out.append(_deleted(entity, entity_id))
                continue  # otherwise an edit of a practitioner the kiosk never had
            out.append(entry or _deleted(entity, entity_id))
        return out

    def _card(self, practitioner_id: int) -> list[tuple[str, int]]:
        """Every entity of one practitioner, for when it enters an area."""
        keys = [("practitioner", practitioner_id)]
        for entity in ENTITIES[1:]:
            model = _MODELS[entity]
            query = select(model.id).where(model.practitioner_id == practitioner_id)
            if model is Slot:
                query = query.where(Slot.starts_at >= self.now)
            keys += [(entity, i) for i in self.db.scalars(query.order_by(model.id))]
        return keys

    def _load(self, entity: str, ids: list[int]) -> dict[int, dict]:
        if not ids:
            return {}
        model = _MODELS[entity]
        rows = self.db.scalars(select(model).where(model.id.in_(ids))).all()
        if model is Slot:
            rows = [s for s in rows if s.starts_at >= self.now]
            allowed = self._motives_of({s.opening_hours_id for s in rows} - {None})
            return {s.id: _slot(s, allowed.get(s.opening_hours_id, [])) for s in rows}
        serialize = _SERIALIZERS[entity]
        return {row.id: _entry(entity, row.id, serialize(row)) for row in rows}

    def _motives_of(self, hours_ids: set[int]) -> dict[int, list[int]]:
        allowed: dict[int, list[int]] = {}
        if hours_ids:
            link = opening_hours_motives.c
            rows = self.db.execute(
                select(link.opening_hours_id, link.motive_id)
                .where(link.opening_hours_id.in_(hours_ids))
                .order_by(link.motive_id)
            )
            for hours_id, motive_id in rows:
                allowed.setdefault(hours_id, []).append(motive_id)
        return allowed


_MODELS = {"practitioner": Practitioner, "place": Place, "motive": Motive, "slot": Slot}


def _entry(entity: str, entity_id: int, data: dict) -> dict:
    return {"entity": entity, "id": entity_id, "deleted": False, "data": data}


def _deleted(entity: str, entity_id: int) -> dict:
    return {"entity": entity, "id": entity_id, "deleted": True}


def practitioner_data(p: Practitioner) -> dict:
    """The public card: what a kiosk shows and searches offline."""
    return {
        "rpps": p.rpps,
        "civility": p.civility,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "profession": p.profession,
        "specialty_code": p.specialty_code,
        "languages": list(p.languages or []),
        "convention_sector": p.convention_sector,
        "consultation_fee_cents": p.consultation_fee_cents,
        "fees_note": p.fees_note,
        "payment_means": list(p.payment_means or []),
        "video": p.video,
        "bookable_online": p.bookable_online,
    }


def place_data(p: Place) -> dict:
    return {
        "practitioner_id": p.practitioner_id,
        "name": p.name,
        "address": p.address,
        "postcode": p.postcode,
        "commune_insee": p.commune_insee,
        "city": p.city,
        "lat": p.lat,
        "lng": p.lng,
        "phone": p.phone,
        "ground_floor": p.ground_floor,
        "wheelchair": p.wheelchair,
        "parking": p.parking,
        "public_transport": p.public_transport,
    }


def motive_data(m: Motive) -> dict:
    return {
        "practitioner_id": m.practitioner_id,
        "label": m.label,
        "duration_minutes": m.duration_minutes,
        "open_to_new_patients": m.open_to_new_patients,
        "modality": m.modality.value,
        "active": m.active,
    }


def _slot(s: Slot, motive_ids: list[int]) -> dict:
    return _entry(
        "slot",
        s.id,
        {
            "practitioner_id": s.practitioner_id,
            "place_id": s.place_id,
            "starts_at": s.starts_at.isoformat(),
            "ends_at": s.ends_at.isoformat(),
            "free": not s.taken and not s.closed,
            "motive_ids": motive_ids,
        },
    )


_SERIALIZERS = {"practitioner": practitioner_data, "place": place_data, "motive": motive_data}
