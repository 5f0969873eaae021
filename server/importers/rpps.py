"""Import of the public Annuaire Santé extraction (PS_LibreAcces_Personne_activite).

The real file has over two million pipe-separated lines, one per activity of a health
professional. It is read in batches (server/importers/rpps_lines.py, in a child process for
large files) and upserted by RPPS id with the database's own INSERT … ON CONFLICT, so a
monthly re-import updates rows in place.

Speed: each batch is loaded into temporary tables (COPY on PostgreSQL, one executemany on
SQLite), then compared, upserted and logged by a few set-based statements. On a first load
(no practitioner yet) the indexes the import never reads are dropped and built once at the
end: one sort instead of millions of random index updates (bench/rpps_import.py measures it).

Imported practitioners cannot be booked online until a practice gives them opening hours,
and a re-import never touches what a practice set (bookable flag, hours, access details).
Rows that change nothing are not rewritten, so they add nothing to the kiosks' sync feed.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Double,
    ForeignKeyConstraint,
    MetaData,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    func,
    inspect,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateTable
from tqdm import tqdm

from server.bulk import insert_rows
from server.clock import utcnow
from server.db import Database
from server.importers.rpps_lines import (
    PLACE_FIELDS,
    PLACE_ROW,
    PRACTITIONER_FIELDS,
    PRACTITIONER_ROW,
    RppsFormatError,
    parsed_batches,
)
from server.models import Place, Practitioner, PractitionerNameToken, name_tokens
from server.services.specialties import ensure_specialties
from server.services.sync import AREA, record_changes_bulk

__all__ = ["ImportReport", "RppsFormatError", "import_rpps"]


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


# ---------------------------------------------------------------- writing

# Per-connection scratch tables a batch is loaded into (emptied at commit on PostgreSQL).
_scratch = MetaData()
_people = Table(
    "rpps_batch_people",
    _scratch,
    *(Column(name, Text) for name in PRACTITIONER_ROW),
    Column("id", BigInteger),  # the practitioner's id when it existed before the batch
    Column("changed", Boolean, nullable=False, server_default=true()),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DELETE ROWS",
)
_places = Table(
    "rpps_batch_places",
    _scratch,
    *(Column(name, Double if name in ("lat", "lng") else Text) for name in PLACE_ROW),
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
# PostgreSQL: a batch's commit does not wait for the disk. A crash can lose the last batches
# written; running the import again writes them again.
_POSTGRESQL_SETTINGS = ("SET LOCAL synchronous_commit = off",)


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
                        _differs(people, b, PRACTITIONER_FIELDS),
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
            [*PRACTITIONER_ROW, "updated_at", *_INSERT_ONLY],
            select(
                *(b.c[n] for n in PRACTITIONER_ROW),
                bindparam("now", type_=people.c.updated_at.type),
                literal(["fr"], people.c.languages.type),
                literal([], people.c.payment_means.type),
                literal(False),
                literal(False),
            )
            .where(b.c.changed)
            .order_by(b.c.rpps),
        )
        set_ = {n: stmt.excluded[n] for n in (*PRACTITIONER_FIELDS, "updated_at")}
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
                changed=select(_differs(places, bp, PLACE_FIELDS))
                .where(places.c.id == bp.c.id)
                .scalar_subquery()
            ),
        ]
        columns = ("practitioner_id", "structure_ref", *PLACE_FIELDS)
        stmt = insert(places).from_select(
            columns,
            select(*(bp.c[n] for n in columns))
            .where(bp.c.changed)
            .order_by(bp.c.practitioner_id, bp.c.structure_ref),
        )
        self.upsert_places = stmt.on_conflict_do_update(
            index_elements=[places.c.practitioner_id, places.c.structure_ref],
            set_={n: stmt.excluded[n] for n in PLACE_FIELDS},
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
        for setting in _POSTGRESQL_SETTINGS if self.postgresql else _SQLITE_PRAGMAS:
            conn.exec_driver_sql(setting)
        for stmt in (*self.sql.create, *self.sql.empty):
            conn.execute(stmt)
        insert_rows(conn, _people, PRACTITIONER_ROW, people)
        insert_rows(conn, _places, PLACE_ROW, places)
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
    """
    report = ImportReport()
    writer = _Writer(report, db.engine.dialect.name)
    # SQLite's page cache shares the memory budget with the batch; PostgreSQL has its own.
    batch_size = batch_size or (10_000 if writer.postgresql else 5_000)
    with db.writing() as session:
        ensure_specialties(session)
    with (
        tqdm(
            total=Path(path).stat().st_size,
            unit="B",
            unit_scale=True,
            desc="RPPS",
            file=sys.stderr,
            disable=not progress,
        ) as bar,
        _indexes_built_at_the_end(db),
    ):
        for batch in parsed_batches(path, batch_size):
            report.rows_read += batch.rows
            report.skipped.update(batch.skipped)
            if batch.people:
                with db.writing() as session:
                    writer.write(session, batch.people, batch.places)
            bar.update(batch.position - bar.n)
    return report


# The indexes the import never reads (it finds rows by RPPS id and by (practitioner,
# structure), which are unique constraints and stay).
_DEFERRED_INDEXES = (*Practitioner.__table__.indexes, *Place.__table__.indexes)
# PostgreSQL checks each written row's foreign keys with a query of its own; a first load
# checks them all at once when they are added back.
_DEFERRED_KEYS = tuple(
    key
    for model in (Practitioner, Place, PractitionerNameToken)
    for key in model.__table__.foreign_key_constraints
)


@contextmanager
def _indexes_built_at_the_end(db: Database) -> Iterator[None]:
    """On a first load, drop the indexes the import never reads and build them at the end.

    Nobody can search an empty directory, so nothing misses them meanwhile. An import that
    was killed before building them leaves rows behind, so the next import is not a first
    load: it builds the missing indexes before writing anything.
    """
    with db.writing() as session:
        conn = session.connection()
        first_load = session.scalar(select(Practitioner.id).limit(1)) is None
        for index in _DEFERRED_INDEXES:
            if first_load:
                index.drop(conn, checkfirst=True)
            else:
                index.create(conn, checkfirst=True)
        if conn.dialect.name == "postgresql":
            if not first_load:
                _add_missing_keys(conn)
            for key, name in _present_keys(conn).items() if first_load else ():
                conn.exec_driver_sql(f'ALTER TABLE "{key.table.name}" DROP CONSTRAINT "{name}"')
    try:
        yield
    finally:
        if first_load:
            with db.writing() as session:
                conn = session.connection()
                for index in _DEFERRED_INDEXES:
                    index.create(conn, checkfirst=True)
                if conn.dialect.name == "postgresql":
                    _add_missing_keys(conn)


def _present_keys(conn: Connection) -> dict[ForeignKeyConstraint, str]:
    """The deferred foreign keys the database has, with their names there."""
    inspector = inspect(conn)
    present = {}
    for key in _DEFERRED_KEYS:
        for found in inspector.get_foreign_keys(key.table.name):
            if found["constrained_columns"] == list(key.column_keys):
                present[key] = found["name"]
    return present


def _add_missing_keys(conn: Connection) -> None:
    present = _present_keys(conn)
    for key in _DEFERRED_KEYS:
        if key not in present:
            conn.execute(AddConstraint(key))
