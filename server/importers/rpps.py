"""Import of the public Annuaire Santé extraction (PS_LibreAcces_Personne_activite).

The real file has over two million pipe-separated lines, one per activity of a health
professional. It is streamed in batches (constant memory) and upserted by RPPS id with the
database's own INSERT … ON CONFLICT, so a monthly re-import updates rows in place. Columns
are found by header name: the 52- and 56-column layouts both work.

Imported practitioners cannot be booked online until a practice gives them opening hours,
and a re-import never touches what a practice set (bookable flag, hours, access details).
Rows that change nothing are not rewritten, so they add nothing to the kiosks' sync feed.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from sqlalchemy import Table, bindparam, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from tqdm import tqdm

from server.clock import utcnow
from server.db import Database
from server.models import Place, Practitioner
from server.services.communes import communes
from server.services.search import index_names
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
_PLACE_FIELDS = ("name", "address", "postcode", "commune_insee", "city", "lat", "lng", "phone")
_REPETITIONS = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}
_PARTICLES = frozenset(
    ("de", "du", "des", "la", "le", "les", "d", "l", "et", "en", "sur", "sous", "aux", "au")
    + ("lès", "lez", "van", "von", "der", "den")
)
_WORD_PARTS = re.compile(r"([-'’ ])")
_fold = lru_cache(maxsize=100_000)(fold)  # names repeat a lot across two million lines


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


@lru_cache(maxsize=100_000)
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
    digits = "".join(c for c in raw if c.isdigit() or c == "+")
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


def _address(v: dict[str, str]) -> str:
    number = v["street_number"].strip()
    repetition = v["repetition"].strip().upper()
    if number and repetition:
        number = f"{number} {_REPETITIONS.get(repetition, repetition.lower())}"
    street_type = v["street_type"].strip() or v["street_type_code"].strip()
    street = v["street"].strip() or v["landmark"].strip()
    if street.isupper():  # "Route" + "DE BESANCON" → "Route de Besancon"
        street = readable_case(f"{street_type} {street}".upper())
    elif street_type:
        street = f"{street_type} {street}"
    return " ".join(p for p in (number, street) if p)[:300]


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
        self.names = tuple(COLUMNS)
        self.pick = itemgetter(*(positions.get(fold(COLUMNS[k]), absent) for k in self.names))

    def values(self, line: list[str]) -> dict[str, str] | None:
        if len(line) not in self.widths:
            return None
        padded = line + [""] * (self.width + 1 - len(line))
        return dict(zip(self.names, self.pick(padded), strict=True))


def _parse(
    v: dict[str, str], specialty: Callable[..., str | None]
) -> tuple[dict, dict | None] | str:
    """(practitioner row, place row or None) of one line, or why the line is skipped."""
    rpps = v["id"].strip()
    if not rpps:
        return "missing_id"
    if len(rpps) > 11 or not rpps.isalnum():
        return "invalid_id"
    last_name = readable_case(v["last_name"])[:100]
    if not last_name:
        return "missing_name"
    if v["country"].strip().upper() not in FRANCE_CODES or (
        v["country_label"].strip() and _fold(v["country_label"]) != "france"
    ):
        return "foreign"
    first_name = readable_case(v["first_name"])[:100]
    practitioner = {
        "rpps": rpps,
        "civility": _civility(v["civility_exercise"], v["civility_exercise_label"], v["civility"]),
        "first_name": first_name,
        "last_name": last_name,
        "name_key": f"{_fold(first_name)} {_fold(last_name)}".strip()[:220],
        "profession": v["profession_label"].strip()[:80],
        "specialty_code": specialty(
            v["profession_code"],
            v["profession_label"],
            v["savoir_faire_code"],
            v["savoir_faire_label"],
        ),
    }
    structure = v["structure"].strip()
    if not structure:
        return practitioner, None
    postcode = v["postcode"].strip()[:10] or None
    insee, name, lat, lng = _locate(v["commune"].strip(), postcode or "")
    place = {
        "rpps": rpps,
        "structure_ref": structure[:40],
        "name": (v["site_sign"].strip() or v["site_name"].strip())[:200] or None,
        "address": _address(v),
        "postcode": postcode,
        "commune_insee": insee[:5] if insee else None,
        "city": (v["city"].strip() or name or "")[:100] or None,
        "lat": lat,
        "lng": lng,
        "phone": _phone(v["phone"]) or _phone(v["phone2"]),
    }
    return practitioner, place


class _Upsert:
    """An INSERT … ON CONFLICT DO UPDATE built by SQLAlchemy for the database's dialect.

    On SQLite it runs through the driver's executemany with plain tuples: SQLAlchemy's
    per-row parameter processing would cost more than SQLite itself at two million rows.
    On PostgreSQL, SQLAlchemy hands the rows to psycopg's pipelined executemany.
    The WHERE clause leaves rows that would not change untouched.
    """

    def __init__(
        self, session: Session, table: Table, columns: tuple[str, ...], conflict: tuple[str, ...]
    ) -> None:
        dialect = session.get_bind().dialect
        self.sqlite = dialect.name == "sqlite"
        stmt = (sqlite if self.sqlite else postgresql).insert(table)
        stmt = stmt.values({c: bindparam(c, type_=table.c[c].type) for c in columns})
        updated = [c for c in columns if c not in conflict and c not in _INSERT_ONLY]
        set_ = {c: stmt.excluded[c] for c in updated}
        if "specialty_code" in set_:  # a line without a specialty keeps the known one
            set_["specialty_code"] = func.coalesce(
                stmt.excluded.specialty_code, table.c.specialty_code
            )
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c[c] for c in conflict],
            set_=set_,
            where=or_(*(table.c[c].is_distinct_from(stmt.excluded[c]) for c in updated)),
        )
        self.stmt = stmt
        compiled = stmt.compile(dialect=type(dialect)(paramstyle="qmark"))
        self.sql = str(compiled)
        self.order = compiled.positiontup

    def run(self, session: Session, rows: list[dict]) -> None:
        if not rows:
            return
        if not self.sqlite:
            session.execute(self.stmt, rows)
            return
        params = [tuple(row[c] for c in self.order) for row in rows]
        session.connection().exec_driver_sql(self.sql, params)


_INSERT_ONLY = ("languages", "payment_means", "video", "bookable_online")
_PRACTITIONER_COLUMNS = (
    "rpps",
    *_PRACTITIONER_FIELDS,
    "specialty_code",
    "updated_at",
) + _INSERT_ONLY
_PLACE_COLUMNS = ("practitioner_id", "structure_ref", *_PLACE_FIELDS)


class _Writer:
    """Writes one batch of parsed lines in one transaction and counts what happened.

    What each row holds now is read first, so only new or changed rows are written and
    logged for the kiosks: a monthly re-import of an unchanged file writes nothing.
    """

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self._statements: dict[str, _Upsert] = {}

    def write(self, session: Session, practitioners: dict[str, dict], places: dict) -> None:
        if not self._statements:
            self._statements = {
                "practitioner": _Upsert(
                    session, Practitioner.__table__, _PRACTITIONER_COLUMNS, ("rpps",)
                ),
                "place": _Upsert(
                    session, Place.__table__, _PLACE_COLUMNS, ("practitioner_id", "structure_ref")
                ),
            }
        ids, known = self._practitioners(session, practitioners)
        rows = []
        for place in places.values():
            row = dict(place)
            row["practitioner_id"] = ids[row.pop("rpps")]
            rows.append(row)
        if rows:
            self._places(session, rows, known)

    def _practitioners(
        self, session: Session, rows: dict[str, dict]
    ) -> tuple[dict[str, int], set[int]]:
        """Upsert the batch's people; returns every RPPS id's row id, and those that existed."""
        table = Practitioner.__table__
        fields = [table.c[n] for n in (*_PRACTITIONER_FIELDS, "specialty_code")]
        current = {
            rpps: (pid, tuple(values))
            for rpps, pid, *values in session.execute(
                select(table.c.rpps, table.c.id, *fields).where(
                    table.c.rpps.in_(_padded(list(rows)))
                )
            )
        }
        stmt = self._statements["practitioner"]
        now = utcnow()
        extra = {"video": False, "bookable_online": False, "updated_at": now}
        extra |= {"languages": ["fr"], "payment_means": []}
        if stmt.sqlite:  # the driver gets what SQLAlchemy would have given it
            extra |= {
                "languages": '["fr"]',
                "payment_means": "[]",
                "updated_at": now.strftime("%Y-%m-%d %H:%M:%S.%f"),
            }
        changed = []
        for rpps, row in rows.items():
            known = current.get(rpps)
            if known is not None and not _differs(row, known[1]):
                continue
            changed.append(row | extra)
        stmt.run(session, changed)
        ids = {rpps: pid for rpps, (pid, _) in current.items()}
        new = [row["rpps"] for row in changed if row["rpps"] not in ids]
        if new:
            ids.update(
                session.execute(
                    select(table.c.rpps, table.c.id).where(table.c.rpps.in_(_padded(new)))
                ).all()
            )
        self.report.practitioners_inserted += len(new)
        self.report.practitioners_updated += len(changed) - len(new)
        self.report.practitioners_unchanged += len(rows) - len(changed)
        written = [ids[row["rpps"]] for row in changed]
        index_names(session, written)
        record_changes_bulk(session, "practitioner", [(pid, pid) for pid in written])
        return ids, {pid for pid, _ in current.values()}

    def _places(self, session: Session, rows: list[dict], known: set[int]) -> None:
        """Upsert the batch's places; `known` are practitioners that existed before it."""
        table = Place.__table__
        owners = list({row["practitioner_id"] for row in rows} & known)
        current = {}
        if owners:
            current = {
                (pid, ref): tuple(values)
                for pid, ref, *values in session.execute(
                    select(
                        table.c.practitioner_id,
                        table.c.structure_ref,
                        *(table.c[n] for n in _PLACE_FIELDS),
                    ).where(table.c.practitioner_id.in_(_padded(owners)))
                )
            }
        changed = [
            row
            for row in rows
            if current.get((row["practitioner_id"], row["structure_ref"]))
            != tuple(row[n] for n in _PLACE_FIELDS)
        ]
        self._statements["place"].run(session, changed)
        keys = {(row["practitioner_id"], row["structure_ref"]) for row in changed}
        inserted = len(keys - current.keys())
        self.report.places_inserted += inserted
        self.report.places_updated += len(keys) - inserted
        if not keys:
            return
        written = [
            (place_id, pid)
            for place_id, pid, ref in session.execute(
                select(table.c.id, table.c.practitioner_id, table.c.structure_ref).where(
                    table.c.practitioner_id.in_(_padded(list({pid for pid, _ in keys})))
                )
            )
            if (pid, ref) in keys
        ]
        record_changes_bulk(session, "place", written)
        # A known practitioner's new or moved place may bring it into a kiosk's area.
        moved = sorted({pid for _, pid in written if pid in known})
        record_changes_bulk(session, AREA, [(pid, pid) for pid in moved])


def _padded(values: list) -> list:
    """The list repeated up to a power-of-two length, for an IN (…) filter.

    Drivers cache one prepared statement per SQL text, and every IN length is another
    text: thousands of lengths would hold hundreds of megabytes.
    """
    size = 1 << max(len(values) - 1, 0).bit_length()
    return values + values[-1:] * (size - len(values))


def _differs(row: dict, known: tuple) -> bool:
    """Whether a line changes a known practitioner (a missing specialty changes nothing)."""
    *fields, specialty = known
    if tuple(row[n] for n in _PRACTITIONER_FIELDS) != tuple(fields):
        return True
    return row["specialty_code"] is not None and row["specialty_code"] != specialty


def import_rpps(
    db: Database, path: Path, *, progress: bool = True, batch_size: int = 5000
) -> ImportReport:
    """Upsert every practitioner and practice place of an Annuaire Santé extraction.

    One transaction per batch: memory stays flat and an interrupted import keeps what it
    wrote (running it again finishes the job). Bad lines are counted in the report, never fatal.
    """
    report = ImportReport()
    writer = _Writer(report)
    with db.writing() as session:
        ensure_specialties(session)
    specialty = lru_cache(maxsize=4096)(specialty_from_rpps)
    size = Path(path).stat().st_size
    with (
        open(path, "rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as text,
        tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc="RPPS",
            file=sys.stderr,
            disable=not progress,
        ) as bar,
    ):
        lines = csv.reader(text, delimiter="|", quoting=csv.QUOTE_NONE)
        header = next(lines, None)
        if header is None:
            raise RppsFormatError("Le fichier est vide.")
        columns = _Columns(header)
        practitioners: dict[str, dict] = {}
        places: dict[tuple[str, str], dict] = {}
        pending = 0
        position = 0
        for line in _lines(lines):
            report.rows_read += 1
            values = columns.values(line) if line is not None else None
            if values is None:
                parsed = "unreadable_line" if line is None else "wrong_column_count"
            else:
                parsed = _parse(values, specialty)
            if isinstance(parsed, str):
                report.skipped[parsed] += 1
            else:
                _merge(practitioners, places, *parsed)
            pending += 1
            if pending >= batch_size:
                _flush(db, writer, practitioners, places)
                pending = 0
                bar.update(raw.tell() - position)
                position = raw.tell()
        _flush(db, writer, practitioners, places)
        bar.update(size - position)
    return report


def _lines(reader):
    """Each line as a list of values, or None for a line the csv module cannot read."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield None


def _merge(practitioners: dict, places: dict, practitioner: dict, place: dict | None) -> None:
    """One row per person and per (person, structure) in a batch: ON CONFLICT needs that.

    A person's specialty comes from whichever of their lines names one.
    """
    previous = practitioners.get(practitioner["rpps"])
    if previous is not None and practitioner["specialty_code"] is None:
        practitioner["specialty_code"] = previous["specialty_code"]
    practitioners[practitioner["rpps"]] = practitioner
    if place is not None:
        places[(place["rpps"], place["structure_ref"])] = place


def _flush(db: Database, writer: _Writer, practitioners: dict, places: dict) -> None:
    if practitioners:
        with db.writing() as session:
            writer.write(session, practitioners, places)
    practitioners.clear()
    places.clear()
