"""Import of the public Annuaire Santé extraction (PS_LibreAcces_Personne_activite).

The real file has over two million pipe-separated lines, one per activity of a health
professional. It is streamed in batches (constant memory) and upserted by RPPS id with the
database's own INSERT … ON CONFLICT, so a monthly re-import updates rows in place. Columns
are found by header name: the 52- and 56-column layouts both work.

Speed: each batch is loaded into temporary tables (COPY on PostgreSQL, one executemany on
SQLite), then compared, upserted and logged by a few set-based statements, so the per-row
work left in Python is mostly parsing the line (bench/rpps_import.py measures it).

Imported practitioners cannot be booked online until a practice gives them opening hours,
and a re-import never touches what a practice set (bookable flag, hours, access details).
Rows that change nothing are not rewritten, so they add nothing to the kiosks' sync feed.
"""

from __future__ import annotations

import io
import re
import sys
from collections import Counter, namedtuple
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    MetaData,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateTable
from tqdm import tqdm

from server.bulk import insert_rows
from server.clock import utcnow
from server.db import Database
from server.models import Place, Practitioner, PractitionerNameToken, name_tokens
from server.services.communes import communes
from server.services.specialties import ensure_specialties, specialty_from_rpps
from server.services.sync import AREA, record_changes_bulk
from server.text import fold

# Our name → the extraction's header name. Only "id" and "last_name" are required.
COLUMNS = {
    "id": "Identifiant PP",
    "civility_exercise": "Code civilité d'exercice",
    "civility_exercise_label": "Libellé civilité d'exercice",
    "civility": "Code civilité",
    "last_name": "Nom d'exercice",
    "first_name": "Prénom d'exercice",
    "profession_code": "Code profession",
    "profession_label": "Libellé profession",
    "savoir_faire_code": "Code savoir-faire",
    "savoir_faire_label": "Libellé savoir-faire",
    "structure": "Identifiant technique de la structure",
    "site_name": "Raison sociale site",
    "site_sign": "Enseigne commerciale site",
    "landmark": "Complément point géographique (coord. structure)",
    "street_number": "Numéro Voie (coord. structure)",
    "repetition": "Indice répétition voie (coord. structure)",
    "street_type_code": "Code type de voie (coord. structure)",
    "street_type": "Libellé type de voie (coord. structure)",
    "street": "Libellé Voie (coord. structure)",
    "postcode": "Code postal (coord. structure)",
    "commune": "Code commune (coord. structure)",
    "city": "Libellé commune (coord. structure)",
    "country": "Code pays (coord. structure)",
    "country_label": "Libellé pays (coord. structure)",
    "phone": "Téléphone (coord. structure)",
    "phone2": "Téléphone 2 (coord. structure)",
}
REQUIRED = ("id", "last_name")
FRANCE_CODES = frozenset({"", "99100", "FR", "FRA"})  # INSEE country code of France is 99100

_PRACTITIONER_FIELDS = ("civility", "first_name", "last_name", "name_key", "profession")
_PRACTITIONER_ROW = ("rpps", *_PRACTITIONER_FIELDS, "specialty_code")  # a parsed person
_PLACE_FIELDS = ("name", "address", "postcode", "commune_insee", "city", "lat", "lng", "phone")
_PLACE_ROW = ("rpps", "structure_ref", *_PLACE_FIELDS)  # a parsed place
_REPETITIONS = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}
_PARTICLES = frozenset(
    ("de", "du", "des", "la", "le", "les", "d", "l", "et", "en", "sur", "sous", "aux", "au")
    + ("lès", "lez", "van", "von", "der", "den")
)
_WORD_PARTS = re.compile(r"([-'’ ])")
_NOT_PHONE = re.compile(r"[^0-9+]")
_fold = lru_cache(maxsize=20_000)(fold)  # names repeat a lot across two million lines


class RppsFormatError(ValueError):
    """The file is not an Annuaire Santé extraction (a required column is missing)."""


@dataclass
class ImportReport:
    rows_read: int = 0
    practitioners_inserted: int = 0
    practitioners_updated: int = 0
    practitioners_unchanged: int = 0
    places_inserted: int = 0
    places_updated: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def __str__(self) -> str:
        reasons = ", ".join(f"{reason}: {count}" for reason, count in sorted(self.skipped.items()))
        return (
            f"{self.rows_read} lignes lues ; praticiens : {self.practitioners_inserted} ajoutés, "
            f"{self.practitioners_updated} mis à jour, {self.practitioners_unchanged} inchangés ; "
            f"lieux : {self.places_inserted} ajoutés, {self.places_updated} mis à jour ; "
            f"{self.skipped_total} lignes ignorées" + (f" ({reasons})" if reasons else "")
        )


@lru_cache(maxsize=20_000)
def readable_case(text: str) -> str:
    """'PETITGUYOT' → 'Petitguyot', 'DE RUIJTER' → 'De Ruijter', 'RUE D'ARRAS' → 'Rue d'Arras'.

    The extraction shouts in capitals; kiosks read names aloud and show them large, so they
    get the usual case. Text that already has lower-case letters is kept as written.
    """
    text = " ".join(text.split())
    if not text.isupper():
        return text
    out = []
    for index, part in enumerate(_WORD_PARTS.split(text.lower())):
        if index and part in _PARTICLES:
            out.append(part)
        else:
            out.append(part[:1].upper() + part[1:])
    return "".join(out)


def _phone(raw: str) -> str | None:
    digits = raw if raw.isdigit() else _NOT_PHONE.sub("", raw)
    return digits[:20] or None


@lru_cache(maxsize=256)
def _civility(exercise: str, exercise_label: str, civility: str) -> str | None:
    code = exercise.strip().upper()
    if code in ("DR", "PR"):
        return code.lower()
    if fold(exercise_label).startswith("docteur"):
        return "dr"
    return {"M": "m", "MME": "mme", "MLLE": "mme"}.get(civility.strip().upper())


@lru_cache(maxsize=50_000)
def _locate(insee: str, postcode: str) -> tuple[str | None, str | None, float | None, float | None]:
    """(INSEE code, commune name, lat, lng) of a place, by commune code, else by postcode."""
    directory = communes()
    commune = directory.get(insee) if insee else None
    if commune is None and postcode:
        # find() also tries the text as an INSEE code: keep only a true postcode match.
        commune = next((c for c in directory.find(postcode) if postcode in c.postcodes), None)
    if commune is None:
        return (insee or None, None, None, None)
    return (commune.insee, commune.name, commune.lat, commune.lng)


def _address(v: _Line) -> str:
    number = v.street_number.strip()
    repetition = v.repetition.strip().upper()
    if number and repetition:
        number = f"{number} {_REPETITIONS.get(repetition, repetition.lower())}"
    street = _street(v.street_type.strip() or v.street_type_code.strip(), v.street, v.landmark)
    return f"{number} {street}"[:300] if number and street else (number or street)[:300]


@lru_cache(maxsize=20_000)
def _street(street_type: str, street: str, landmark: str) -> str:
    """ "Route" + "DE BESANCON" → "Route de Besancon" (streets repeat across the file)."""
    street = street.strip() or landmark.strip()
    if street.isupper():
        return readable_case(f"{street_type} {street}".upper())
    return f"{street_type} {street}" if street_type else street


_Line = namedtuple("_Line", COLUMNS)  # our named values of one line


class _Columns:
    """Picks our named values out of a line, by the positions the header gave."""

    def __init__(self, header: list[str]) -> None:
        positions = {fold(name): i for i, name in enumerate(header) if name.strip()}
        self.width = len(header)
        # A trailing '|' gives an empty last name in the header: lines may have it or not.
        self.widths = {self.width, self.width - 1} if not header[-1].strip() else {self.width}
        missing_required = [COLUMNS[k] for k in REQUIRED if fold(COLUMNS[k]) not in positions]
        if missing_required:
            raise RppsFormatError(
                "Ce fichier n'est pas une extraction de l'Annuaire Santé : colonne absente "
                + ", ".join(missing_required)
            )
        absent = self.width  # index of an empty value appended to every line
        self.padding = [""] * (self.width + 1)
        self.pick = itemgetter(*(positions.get(fold(COLUMNS[k]), absent) for k in COLUMNS))

    def values(self, line: list[str]) -> _Line | None:
        if len(line) not in self.widths:
            return None
        line += self.padding[len(line) :]
        return _Line._make(self.pick(line))


def _parse(v: _Line, specialty: Callable[..., str | None]) -> tuple[tuple, tuple | None] | str:
    """(person, place or None) of one line, as _PRACTITIONER_ROW and _PLACE_ROW, or why not."""
    rpps = v.id.strip()
    if not rpps:
        return "missing_id"
    if len(rpps) > 11 or not rpps.isalnum():
        return "invalid_id"
    last_name = readable_case(v.last_name)[:100]
    if not last_name:
        return "missing_name"
    if v.country.strip().upper() not in FRANCE_CODES or (
        v.country_label.strip() and _fold(v.country_label) != "france"
    ):
        return "foreign"
    first_name = readable_case(v.first_name)[:100]
    practitioner = (
        rpps,
        _civility(v.civility_exercise, v.civility_exercise_label, v.civility),
        first_name,
        last_name,
        f"{_fold(first_name)} {_fold(last_name)}".strip()[:220],
        v.profession_label.strip()[:80],
        specialty(v.profession_code, v.profession_label, v.savoir_faire_code, v.savoir_faire_label),
    )
    structure = v.structure.strip()
    if not structure:
        return practitioner, None
    postcode = v.postcode.strip()[:10] or None
    insee, name, lat, lng = _locate(v.commune.strip(), postcode or "")
    place = (
        rpps,
        structure[:40],
        (v.site_sign.strip() or v.site_name.strip())[:200] or None,
        _address(v),
        postcode,
        insee[:5] if insee else None,
        (v.city.strip() or name or "")[:100] or None,
        lat,
        lng,
        _phone(v.phone) or _phone(v.phone2),
    )
    return practitioner, place


# ---------------------------------------------------------------- writing

# Per-connection scratch tables a batch is loaded into (emptied at commit on PostgreSQL).
_scratch = MetaData()
_people = Table(
    "rpps_batch_people",
    _scratch,
    *(Column(name, Text) for name in _PRACTITIONER_ROW),
    Column("id", BigInteger),  # the practitioner's id when it existed before the batch
    Column("changed", Boolean, nullable=False, server_default=true()),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DELETE ROWS",
)
_places = Table(
    "rpps_batch_places",
    _scratch,
    *(Column(name, Double if name in ("lat", "lng") else Text) for name in _PLACE_ROW),
    Column("practitioner_id", BigInteger),
    Column("id", BigInteger),  # the place's id when it existed before the batch
    Column("changed", Boolean, nullable=False, server_default=true()),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DELETE ROWS",
)
_INSERT_ONLY = ("languages", "payment_means", "video", "bookable_online")
# SQLite, for the import's connection: more of the indexes being filled stay in memory, and
# the write-ahead log is copied back into the database file less often (each copy rewrites
# the same index pages and waits for the disk).
_SQLITE_PRAGMAS = ("PRAGMA cache_size = -32768", "PRAGMA wal_autocheckpoint = 8192")


def _differs(table: Table, batch: Table, fields: Iterable[str]) -> Any:
    return or_(*(table.c[n].is_distinct_from(batch.c[n]) for n in fields))


class _Statements:
    """The batch's set-based statements, built once for the database's dialect."""

    def __init__(self, dialect: str) -> None:
        insert = (postgresql if dialect == "postgresql" else sqlite).insert
        people, places = Practitioner.__table__, Place.__table__
        b, bp = _people, _places
        self.create = [CreateTable(t, if_not_exists=True) for t in (b, bp)]
        self.empty = [delete(b), delete(bp)]
        # Scalar subqueries, never joins: each batch row is one index lookup, whatever the
        # planner would guess for a small batch against millions of rows.
        self.find_people = update(b).values(
            id=select(people.c.id).where(people.c.rpps == b.c.rpps).scalar_subquery()
        )
        # A line without a specialty changes nothing: the person keeps the known one.
        self.mark_people = (
            update(b)
            .where(b.c.id.is_not(None))
            .values(
                changed=select(
                    or_(
                        _differs(people, b, _PRACTITIONER_FIELDS),
                        and_(
                            b.c.specialty_code.is_not(None),
                            b.c.specialty_code.is_distinct_from(people.c.specialty_code),
                        ),
                    )
                )
                .where(people.c.id == b.c.id)
                .scalar_subquery()
            )
        )
        stmt = insert(people).from_select(
            [*_PRACTITIONER_ROW, "updated_at", *_INSERT_ONLY],
            select(
                *(b.c[n] for n in _PRACTITIONER_ROW),
                bindparam("now", type_=people.c.updated_at.type),
                literal(["fr"], people.c.languages.type),
                literal([], people.c.payment_means.type),
                literal(False),
                literal(False),
            )
            .where(b.c.changed)
            .order_by(b.c.rpps),
        )
        set_ = {n: stmt.excluded[n] for n in (*_PRACTITIONER_FIELDS, "updated_at")}
        set_["specialty_code"] = func.coalesce(
            stmt.excluded.specialty_code, people.c.specialty_code
        )
        self.upsert_people = stmt.on_conflict_do_update(
            index_elements=[people.c.rpps], set_=set_
        ).returning(people.c.id, people.c.name_key)
        tokens = PractitionerNameToken.__table__
        self.forget_names = delete(tokens).where(
            tokens.c.practitioner_id.in_(select(b.c.id).where(b.c.changed, b.c.id.is_not(None)))
        )
        self.count_people = select(
            func.count().filter(b.c.changed & b.c.id.is_(None)),
            func.count().filter(b.c.changed & b.c.id.is_not(None)),
            func.count().filter(~b.c.changed),
        )
        self.find_places = update(bp).values(
            practitioner_id=select(people.c.id).where(people.c.rpps == bp.c.rpps).scalar_subquery()
        )
        same_place = and_(
            places.c.practitioner_id == bp.c.practitioner_id,
            places.c.structure_ref == bp.c.structure_ref,
        )
        self.mark_places = [
            update(bp).values(id=select(places.c.id).where(same_place).scalar_subquery()),
            update(bp)
            .where(bp.c.id.is_not(None))
            .values(
                changed=select(_differs(places, bp, _PLACE_FIELDS))
                .where(places.c.id == bp.c.id)
                .scalar_subquery()
            ),
        ]
        columns = ("practitioner_id", "structure_ref", *_PLACE_FIELDS)
        stmt = insert(places).from_select(
            columns,
            select(*(bp.c[n] for n in columns))
            .where(bp.c.changed)
            .order_by(bp.c.practitioner_id, bp.c.structure_ref),
        )
        self.upsert_places = stmt.on_conflict_do_update(
            index_elements=[places.c.practitioner_id, places.c.structure_ref],
            set_={n: stmt.excluded[n] for n in _PLACE_FIELDS},
        ).returning(places.c.id, places.c.practitioner_id)
        self.count_places = select(
            func.count().filter(bp.c.changed & bp.c.id.is_(None)),
            func.count().filter(bp.c.changed & bp.c.id.is_not(None)),
        )
        # Known practitioners with a new or moved place: they may have entered a kiosk's area.
        self.moved = (
            select(bp.c.practitioner_id)
            .where(bp.c.changed, bp.c.practitioner_id.in_(select(b.c.id)))
            .distinct()
            .order_by(bp.c.practitioner_id)
        )


class _Writer:
    """Writes one batch of parsed lines in one transaction and counts what happened.

    Each row is first compared with what the table holds, so only new or changed rows are
    written and logged for the kiosks: a monthly re-import of an unchanged file writes nothing.
    """

    def __init__(self, report: ImportReport, dialect: str) -> None:
        self.report = report
        self.postgresql = dialect == "postgresql"
        self.sql = _Statements(dialect)

    def write(self, session: Session, people: Sequence[tuple], places: Sequence[tuple]) -> None:
        conn = session.connection()
        if not self.postgresql:
            for pragma in _SQLITE_PRAGMAS:
                conn.exec_driver_sql(pragma)
        for stmt in (*self.sql.create, *self.sql.empty):
            conn.execute(stmt)
        insert_rows(conn, _people, _PRACTITIONER_ROW, people)
        insert_rows(conn, _places, _PLACE_ROW, places)
        self._practitioners(session, conn)
        if places:
            self._places(session, conn)

    def _practitioners(self, session: Session, conn: Connection) -> None:
        sql, report = self.sql, self.report
        conn.execute(sql.find_people)
        conn.execute(sql.mark_people)
        inserted, updated, unchanged = conn.execute(sql.count_people).one()
        report.practitioners_inserted += inserted
        report.practitioners_updated += updated
        report.practitioners_unchanged += unchanged
        if not inserted + updated:
            return
        if updated:
            conn.execute(sql.forget_names)
        written = conn.execute(sql.upsert_people, {"now": utcnow()}).all()
        insert_rows(
            conn,
            PractitionerNameToken.__table__,
            ("token", "practitioner_id"),
            sorted((token, pid) for pid, key in written for token in name_tokens(key)),
        )
        record_changes_bulk(session, "practitioner", [(pid, pid) for pid, _ in written])

    def _places(self, session: Session, conn: Connection) -> None:
        sql, report = self.sql, self.report
        for stmt in (sql.find_places, *sql.mark_places):
            conn.execute(stmt)
        inserted, updated = conn.execute(sql.count_places).one()
        report.places_inserted += inserted
        report.places_updated += updated
        if not inserted + updated:
            return
        written = conn.execute(sql.upsert_places).all()
        record_changes_bulk(session, "place", written)
        record_changes_bulk(session, AREA, [(pid, pid) for pid in conn.scalars(sql.moved)])


def import_rpps(
    db: Database, path: Path, *, progress: bool = True, batch_size: int | None = None
) -> ImportReport:
    """Upsert every practitioner and practice place of an Annuaire Santé extraction.

    One transaction per batch: memory stays flat and an interrupted import keeps what it
    wrote (running it again finishes the job). Bad lines are counted in the report, never fatal.
    On PostgreSQL a batch is written by a second thread while the next one is parsed.
    """
    report = ImportReport()
    writer = _Writer(report, db.engine.dialect.name)
    # SQLite's page cache shares the memory budget with the batch; PostgreSQL has its own.
    batch_size = batch_size or (10_000 if writer.postgresql else 5_000)
    with db.writing() as session:
        ensure_specialties(session)
    specialty = lru_cache(maxsize=4096)(specialty_from_rpps)
    size = Path(path).stat().st_size
    with (
        open(path, "rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace") as text,
        tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc="RPPS",
            file=sys.stderr,
            disable=not progress,
        ) as bar,
        _Background(db, writer) as background,
    ):
        header = text.readline()
        if not header:
            raise RppsFormatError("Le fichier est vide.")
        columns = _Columns(header.rstrip("\n").split("|"))
        people: dict[str, tuple] = {}
        places: dict[tuple[str, str], tuple] = {}
        skipped = report.skipped
        pending = 0
        position = 0
        for line in text:
            values = columns.values(line.rstrip("\n").split("|"))
            parsed = "wrong_column_count" if values is None else _parse(values, specialty)
            if isinstance(parsed, str):
                skipped[parsed] += 1
            else:
                _merge(people, places, *parsed)
            pending += 1
            if pending >= batch_size:
                report.rows_read += pending
                background.write(people, places)
                people, places, pending = {}, {}, 0
                bar.update(raw.tell() - position)
                position = raw.tell()
        report.rows_read += pending
        background.write(people, places)
        background.wait()
        bar.update(size - position)
    return report


def _merge(people: dict, places: dict, person: tuple, place: tuple | None) -> None:
    """One row per person and per (person, structure) in a batch: ON CONFLICT needs that.

    A person's specialty comes from whichever of their lines names one.
    """
    rpps = person[0]
    previous = people.get(rpps)
    if previous is not None and person[-1] is None:
        person = (*person[:-1], previous[-1])
    people[rpps] = person
    if place is not None:
        places[rpps, place[1]] = place


class _Background:
    """Writes one batch at a time in a worker thread; a writing error reaches the caller.

    Only for PostgreSQL: its driver waits for the server without the GIL. SQLite's
    executemany takes the GIL back at every row, so a parsing thread would slow it down.
    """

    def __init__(self, db: Database, writer: _Writer) -> None:
        self.db, self.writer = db, writer
        threaded = db.engine.dialect.name == "postgresql"
        self.pool = ThreadPoolExecutor(1, "rpps-import") if threaded else None
        self.running: Future | None = None

    def __enter__(self) -> _Background:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)

    def write(self, people: dict, places: dict) -> None:
        self.wait()  # at most one batch in the database and one being parsed
        if not people:
            return
        batch = (list(people.values()), list(places.values()))
        if self.pool is None:
            self._write(*batch)
        else:
            self.running = self.pool.submit(self._write, *batch)

    def wait(self) -> None:
        running, self.running = self.running, None
        if running is not None:
            running.result()

    def _write(self, people: list[tuple], places: list[tuple]) -> None:
        with self.db.writing() as session:
            self.writer.write(session, people, places)
