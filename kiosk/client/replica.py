"""The kiosk's copy of the directory of its area, so search still works without network.

Kept fresh from GET /api/v1/sync/directory: each entry is an entity's current state (upserted)
or `deleted`; a deleted practitioner takes its places, motives and slots along. A first copy
(or a restart asked by a 409 `resync`) is applied in one transaction, so the previous copy
stays usable until the new one is complete; later pages commit one by one with their cursor.

Answers are built as the server builds them, from public data only: near a commune within
RADIUS_KM, the next free time first, then the nearest. Free times may be out of date, which
is why results say `offline`.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.client.api import Api
from kiosk.workflows.services import (
    Card,
    Commune,
    Found,
    Motive,
    Place,
    SearchPage,
    ServiceError,
    Slot,
)

RADIUS_KM = 20.0
SLOT_DAYS = 7  # as the server: from the start day to 7 days after, both included
EARTH_RADIUS_KM = 6371.0088
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Titles people put before a name: "docteur Dupont", "Dr. Martin".
_TITLES = frozenset({"dr", "docteur", "doc", "pr", "professeur", "madame", "mme", "monsieur", "m"})
_DIRECTORY = ("practitioners", "places", "motives", "slots")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS practitioners (
    id INTEGER PRIMARY KEY, name_key TEXT NOT NULL, specialty_code TEXT,
    bookable_online INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_practitioners_specialty ON practitioners (specialty_code);
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY, practitioner_id INTEGER NOT NULL, commune_insee TEXT,
    postcode TEXT, city TEXT, lat REAL, lng REAL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_places_practitioner ON places (practitioner_id);
CREATE TABLE IF NOT EXISTS motives (
    id INTEGER PRIMARY KEY, practitioner_id INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_motives_practitioner ON motives (practitioner_id);
CREATE TABLE IF NOT EXISTS slots (
    id INTEGER PRIMARY KEY, practitioner_id INTEGER NOT NULL, starts_at TEXT NOT NULL,
    free INTEGER NOT NULL, motive_ids TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ix_slots_practitioner ON slots (practitioner_id, starts_at);
CREATE TABLE IF NOT EXISTS communes (
    insee TEXT PRIMARY KEY, name TEXT NOT NULL, postcode TEXT, label TEXT NOT NULL,
    lat REAL, lng REAL);
CREATE TABLE IF NOT EXISTS specialty_labels (code TEXT PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation turned to single spaces (as the server matches)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_ALNUM.sub(" ", bare).strip()


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class _Centre:
    commune: Commune | None
    lat: float
    lng: float


class Replica:
    """The directory of the kiosk's area in a SQLite file."""

    def __init__(self, path: str | Path, *, timezone: str = "Europe/Paris") -> None:
        self.path, self.zone = str(path), ZoneInfo(timezone)
        # One connection per thread: the upkeep thread syncs while a person searches.
        self._per_thread = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._db.executescript(_SCHEMA)

    @property
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._per_thread, "db", None)
        if db is None:
            # Used by its own thread only; `close` may come from another once that one is done.
            db = sqlite3.connect(
                self.path, isolation_level=None, timeout=30, check_same_thread=False
            )
            db.execute("PRAGMA journal_mode=WAL")
            with self._connections_lock:
                self._connections.append(db)
            self._per_thread.db = db
        return db

    def close(self) -> None:
        with self._connections_lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._per_thread = threading.local()

    # ------------------------------------------------------------------ keeping it fresh

    def sync(self, api: Api, *, page_size: int = 500) -> int:
        """Fetch every change since the last sync; returns how many entries were applied.

        Raises Offline when the server cannot be reached (what was committed stays).
        """
        cursor, applied = self._meta("cursor"), 0
        if cursor is None:
            return self._copy(api, page_size)
        while True:
            try:
                page = api.get("/sync/directory", {"since": cursor, "limit": page_size})
            except ServiceError as error:
                if error.code != "resync":
                    raise
                return applied + self._copy(api, page_size)
            with self._transaction():
                self._apply(page["changes"])
                self._set_meta("cursor", page["next_cursor"])
            applied += len(page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                self._drop_past_slots()
                self._synced()
                return applied

    def _copy(self, api: Api, page_size: int) -> int:
        """A whole new copy, replacing the old one only once it is complete."""
        applied, cursor = 0, None
        with self._transaction():
            for table in _DIRECTORY:
                self._db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
            while True:
                params = {"limit": page_size} | ({"since": cursor} if cursor else {})
                page = api.get("/sync/directory", params)
                self._apply(page["changes"])
                applied += len(page["changes"])
                cursor = page["next_cursor"]
                if not page["has_more"]:
                    break
            self._set_meta("cursor", cursor)
        self._drop_past_slots()
        self._synced()
        return applied

    def _synced(self) -> None:
        self._set_meta("synced_at", datetime.now(UTC).isoformat())

    @property
    def last_sync(self) -> datetime | None:
        """When the replica last caught up with the server (UTC), or None if never."""
        synced = self._meta("synced_at")
        return datetime.fromisoformat(synced) if synced else None

    def _apply(self, changes: Iterable[dict[str, Any]]) -> None:
        for change in changes:
            entity, entity_id = change["entity"], change["id"]
            if change["deleted"]:
                self._delete(entity, entity_id)
            else:
                self._upsert(entity, entity_id, change["data"])

    def _upsert(self, entity: str, entity_id: int, data: dict[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False)
        if entity == "practitioner":
            self._db.execute(
                "INSERT OR REPLACE INTO practitioners VALUES (?, ?, ?, ?, ?)",
                (
                    entity_id,
                    fold(f"{data['first_name']} {data['last_name']}"),
                    data.get("specialty_code"),
                    bool(data.get("bookable_online")),
                    text,
                ),
            )
        elif entity == "place":
            self._db.execute(
                "INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entity_id,
                    data["practitioner_id"],
                    data.get("commune_insee"),
                    data.get("postcode"),
                    data.get("city"),
                    data.get("lat"),
                    data.get("lng"),
                    text,
                ),
            )
        elif entity == "motive":
            self._db.execute(
                "INSERT OR REPLACE INTO motives VALUES (?, ?, ?)",
                (entity_id, data["practitioner_id"], text),
            )
        elif entity == "slot":
            self._db.execute(
                "INSERT OR REPLACE INTO slots VALUES (?, ?, ?, ?, ?)",
                (
                    entity_id,
                    data["practitioner_id"],
                    data["starts_at"],
                    bool(data["free"]),
                    json.dumps(data.get("motive_ids") or []),
                ),
            )

    def _delete(self, entity: str, entity_id: int) -> None:
        if entity == "practitioner":
            for table in _DIRECTORY[1:]:
                self._db.execute(
                    f"DELETE FROM {table} WHERE practitioner_id = ?",  # noqa: S608
                    (entity_id,),
                )
        table = {"practitioner": "practitioners", "place": "places", "motive": "motives"}.get(
            entity, "slots"
        )
        self._db.execute(f"DELETE FROM {table} WHERE id = ?", (entity_id,))  # noqa: S608

    def _drop_past_slots(self) -> None:
        self._db.execute("DELETE FROM slots WHERE starts_at < ?", (_utc_text(_now()),))

    # ------------------------------------------------------- what online answers teach

    def remember_communes(self, communes: Iterable[dict[str, Any]]) -> None:
        """Communes seen in the server's answers, to find them and place them offline."""
        with self._transaction():
            for c in communes:
                self._db.execute(
                    "INSERT INTO communes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (insee) DO UPDATE"
                    " SET name = excluded.name, postcode = excluded.postcode,"
                    " label = excluded.label, lat = coalesce(excluded.lat, communes.lat),"
                    " lng = coalesce(excluded.lng, communes.lng)",
                    (c["insee"], c["name"], c.get("postcode"), c["label"])
                    + (c.get("lat"), c.get("lng")),
                )

    def remember_specialty(self, code: str | None, label: str | None) -> None:
        if code and label:
            self._db.execute("INSERT OR REPLACE INTO specialty_labels VALUES (?, ?)", (code, label))

    def set_home(self, insee: str) -> None:
        self._set_meta("home", insee)

    def home(self) -> Commune | None:
        insee = self._meta("home")
        return self.commune(insee) if insee else None

    # ------------------------------------------------------------------ answering

    def commune(self, insee: str) -> Commune | None:
        found = self.find_communes(insee)
        return next((c for c in found if c.insee == insee), None)

    def find_communes(self, text: str, limit: int = 10) -> list[Commune]:
        """Communes known here (seen online, or where a practitioner works) by name, postcode
        or INSEE code: exact names first."""
        key, text = fold(text), text.strip()
        if not key:
            return []
        known = {
            insee: Commune(insee, name, postcode, label)
            for insee, name, postcode, label in self._db.execute(
                "SELECT insee, name, postcode, label FROM communes"
            )
        }
        for insee, city, postcode in self._db.execute(
            "SELECT DISTINCT commune_insee, city, postcode FROM places"
            " WHERE commune_insee IS NOT NULL AND city IS NOT NULL"
        ):
            label = f"{city} ({_departement(insee)})"
            known.setdefault(insee, Commune(insee, city, postcode, label))
        exact = [c for c in known.values() if text in (c.insee, c.postcode) or fold(c.name) == key]
        starting = [c for c in known.values() if c not in exact and fold(c.name).startswith(key)]
        return (exact + sorted(starting, key=lambda c: c.name))[:limit]

    def search(
        self,
        *,
        specialty: str | None,
        name: str | None,
        near: str,
        offset: int = 0,
        limit: int = 5,
    ) -> SearchPage:
        centre = self._centre(near)
        words = [w for w in fold(name or "").split() if w not in _TITLES]
        query = "SELECT id, name_key, data FROM practitioners"
        args: tuple[Any, ...] = ()
        if specialty:
            query, args = query + " WHERE specialty_code = ?", (specialty,)
        now = _utc_text(_now())
        found = []
        for pid, name_key, data in self._db.execute(query, args).fetchall():
            names = name_key.split()
            if not all(any(n.startswith(w) for n in names) for w in words):
                continue
            line = self._found(pid, json.loads(data), centre, now)
            if line is not None:
                found.append(line)
        never = datetime.max.replace(tzinfo=UTC)
        found.sort(
            key=lambda f: (
                f.next_free_slot or never,
                f.distance_km if f.distance_km is not None else math.inf,
                f.last_name,
                f.id,
            )
        )
        return SearchPage(
            found[offset : offset + limit], near=centre.commune if centre else None, offline=True
        )

    def card(self, practitioner_id: int) -> Card | None:
        row = self._db.execute(
            "SELECT data FROM practitioners WHERE id = ?", (practitioner_id,)
        ).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        places = [
            _place(json.loads(p))
            for (p,) in self._db.execute(
                "SELECT data FROM places WHERE practitioner_id = ? ORDER BY id", (practitioner_id,)
            )
        ]
        return Card(
            id=practitioner_id,
            civility=data.get("civility"),
            first_name=data["first_name"],
            last_name=data["last_name"],
            specialty=data.get("specialty_code"),
            specialty_label=self._specialty_label(data.get("specialty_code")),
            places=places,
            phone=next((p.phone for p in places if p.phone), None),
            convention_sector=data.get("convention_sector"),
            consultation_fee_cents=data.get("consultation_fee_cents"),
            payment_means=list(data.get("payment_means") or []),
            languages=list(data.get("languages") or []),
            video=bool(data.get("video")),
            bookable_online=bool(data.get("bookable_online")),
        )

    def motives(self, practitioner_id: int) -> list[Motive] | None:
        """Active motives, or None when the practitioner is not in the copy."""
        if self.card(practitioner_id) is None:
            return None
        out = []
        for motive_id, text in self._db.execute(
            "SELECT id, data FROM motives WHERE practitioner_id = ? ORDER BY id",
            (practitioner_id,),
        ):
            data = json.loads(text)
            if data.get("active", True):
                out.append(
                    Motive(
                        id=motive_id,
                        label=data["label"],
                        duration_minutes=data["duration_minutes"],
                        open_to_new_patients=bool(data["open_to_new_patients"]),
                        modality=data["modality"],
                    )
                )
        return out

    def slots(self, practitioner_id: int, motive_id: int, start: date) -> list[Slot] | None:
        """Free times offering this motive from `start` (local day) for SLOT_DAYS more days."""
        card = self.card(practitioner_id)
        if card is None:
            return None
        if not card.bookable_online:
            return []
        begin = max(_now(), datetime.combine(start, time(0), self.zone).astimezone(UTC))
        end = datetime.combine(start + timedelta(days=SLOT_DAYS + 1), time(0), self.zone)
        rows = self._db.execute(
            "SELECT id, starts_at, motive_ids FROM slots WHERE practitioner_id = ? AND free"
            " AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id",
            (practitioner_id, _utc_text(begin), _utc_text(end.astimezone(UTC))),
        )
        return [
            Slot(slot_id, self._local(starts_at))
            for slot_id, starts_at, motive_ids in rows
            if motive_id in (json.loads(motive_ids) or [motive_id])  # none listed: all
        ]

    # ------------------------------------------------------------------ helpers

    def _found(
        self, pid: int, data: dict[str, Any], centre: _Centre | None, now: str
    ) -> Found | None:
        """One result line, from the practitioner's nearest place; None when too far."""
        places = self._db.execute(
            "SELECT lat, lng, data FROM places WHERE practitioner_id = ? ORDER BY id", (pid,)
        ).fetchall()
        best, best_km = None, None
        for lat, lng, text in places:
            km = None
            if centre is not None and lat is not None and lng is not None:
                km = distance_km(centre.lat, centre.lng, lat, lng)
            if best is None or (km is not None and (best_km is None or km < best_km)):
                best, best_km = json.loads(text), km
        if centre is not None and (best_km is None or best_km > RADIUS_KM):
            return None
        bookable = bool(data.get("bookable_online"))
        next_slot = None
        if bookable:
            (first,) = self._db.execute(
                "SELECT min(starts_at) FROM slots WHERE practitioner_id = ? AND free"
                " AND starts_at >= ?",
                (pid, now),
            ).fetchone()
            next_slot = self._local(first) if first else None
        return Found(
            id=pid,
            civility=data.get("civility"),
            first_name=data["first_name"],
            last_name=data["last_name"],
            specialty=data.get("specialty_code"),
            specialty_label=self._specialty_label(data.get("specialty_code")),
            address=best.get("address") if best else None,
            city=best.get("city") if best else None,
            phone=best.get("phone") if best else None,
            distance_km=round(best_km, 1) if best_km is not None else None,
            next_free_slot=next_slot,
            bookable_online=bookable,
        )

    def _centre(self, near: str) -> _Centre | None:
        """Where the search is centred: the commune's own coordinates when the server gave
        them, else the middle of the practices in that commune."""
        commune = next(iter(self.find_communes(near, limit=1)), None)
        if commune is None:
            return None
        row = self._db.execute(
            "SELECT lat, lng FROM communes WHERE insee = ? AND lat IS NOT NULL", (commune.insee,)
        ).fetchone()
        if row is None:
            row = self._db.execute(
                "SELECT avg(lat), avg(lng) FROM places WHERE commune_insee = ? AND lat IS NOT NULL",
                (commune.insee,),
            ).fetchone()
        if row is None or row[0] is None:
            return None
        return _Centre(commune, row[0], row[1])

    def _specialty_label(self, code: str | None) -> str | None:
        row = self._db.execute(
            "SELECT label FROM specialty_labels WHERE code = ?", (code,)
        ).fetchone()
        return row[0] if row else None

    def _local(self, utc_text: str) -> datetime:
        return datetime.fromisoformat(utc_text).replace(tzinfo=UTC).astimezone(self.zone)

    def _meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _now() -> datetime:
    return datetime.now(UTC)


def _utc_text(moment: datetime) -> str:
    """As the feed writes times: naive UTC in ISO form, which sorts as text."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def _departement(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]


def _place(data: dict[str, Any]) -> Place:
    return Place(
        address=data["address"],
        postcode=data.get("postcode"),
        city=data.get("city"),
        phone=data.get("phone"),
        ground_floor=data.get("ground_floor"),
        wheelchair=data.get("wheelchair"),
        parking=data.get("parking"),
        public_transport=data.get("public_transport"),
    )
