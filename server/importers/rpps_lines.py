"""Reading an Annuaire Santé extraction (PS_LibreAcces_Personne_activite) into batches.

Parsing two million lines costs about 20 s of Python: large files are parsed in a child
process (a fresh interpreter, holding no database connection or lock) while the parent
writes the previous batches, which uses the machine's second core. At most a few batches are in
flight between the two, so memory stays flat whatever the file's size.

Columns are found by header name: the 52- and 56-column layouts both work.
"""

from __future__ import annotations

import io
import pickle
import re
import subprocess
import sys
from collections import Counter, namedtuple
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

from server.services.communes import communes
from server.services.specialties import specialty_from_rpps
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

PRACTITIONER_FIELDS = ("civility", "first_name", "last_name", "name_key", "profession")
PRACTITIONER_ROW = ("rpps", *PRACTITIONER_FIELDS, "specialty_code")  # a parsed person
PLACE_FIELDS = ("name", "address", "postcode", "commune_insee", "city", "lat", "lng", "phone")
PLACE_ROW = ("rpps", "structure_ref", *PLACE_FIELDS)  # a parsed place
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
    """(person, place or None) of one line, as PRACTITIONER_ROW and PLACE_ROW, or why not."""
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


@dataclass
class Batch:
    """Parsed lines, one row per person and per (person, structure), ready to be written."""

    people: list[tuple]  # PRACTITIONER_ROW
    places: list[tuple]  # PLACE_ROW
    rows: int  # lines read, skipped ones included
    skipped: Counter[str] = field(default_factory=Counter)
    position: int = 0  # bytes of the file read so far, for the progress bar


def read_batches(path: Path, batch_size: int) -> Iterator[Batch]:
    """The file's lines, parsed, `batch_size` lines at a time."""
    specialty = lru_cache(maxsize=4096)(specialty_from_rpps)
    with (
        open(path, "rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace") as text,
    ):
        header = text.readline()
        if not header:
            raise RppsFormatError("Le fichier est vide.")
        columns = _Columns(header.rstrip("\n").split("|"))
        batch = Batch([], [], 0)
        people: dict[str, tuple] = {}
        places: dict[tuple[str, str], tuple] = {}
        for line in text:
            values = columns.values(line.rstrip("\n").split("|"))
            parsed = "wrong_column_count" if values is None else _parse(values, specialty)
            if isinstance(parsed, str):
                batch.skipped[parsed] += 1
            else:
                _merge(people, places, *parsed)
            batch.rows += 1
            if batch.rows >= batch_size:
                yield _done(batch, people, places, raw.tell())
                batch, people, places = Batch([], [], 0), {}, {}
        if batch.rows:
            yield _done(batch, people, places, raw.tell())


def _done(batch: Batch, people: dict, places: dict, position: int) -> Batch:
    batch.people, batch.places = list(people.values()), list(places.values())
    batch.position = position
    return batch


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


# Files smaller than this are parsed in-process: starting a child costs more than parsing.
PARSE_IN_CHILD_FROM = 4_000_000  # bytes, about 12,000 lines


def parsed_batches(path: Path, batch_size: int) -> Iterator[Batch]:
    """read_batches(), from a child process when the file is large.

    The child writes pickled batches to a pipe: it blocks when the parent is a batch behind,
    so at most about two batches are in memory. An error in the child is raised here.
    """
    if Path(path).stat().st_size < PARSE_IN_CHILD_FROM:
        yield from read_batches(path, batch_size)
        return
    command = [sys.executable, "-m", __name__, str(path), str(batch_size)]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as child:
        try:
            while (item := pickle.load(child.stdout)) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
        except EOFError:
            raise RuntimeError("La lecture du fichier s'est arrêtée.") from None
        finally:
            child.kill()  # at once if the writer stopped first; nothing left to do otherwise


def _parse_into(path: Path, batch_size: int, out: BinaryIO) -> None:
    """The child's work: every batch, then None, or the error that stopped it."""
    try:
        for batch in read_batches(path, batch_size):
            pickle.dump(batch, out, pickle.HIGHEST_PROTOCOL)
        pickle.dump(None, out)
    except Exception as error:  # noqa: BLE001 - handed to the parent, which raises it
        pickle.dump(error, out)
    out.flush()


if __name__ == "__main__":
    from server.importers import rpps_lines  # batches pickle under the module's real name

    rpps_lines._parse_into(Path(sys.argv[1]), int(sys.argv[2]), sys.stdout.buffer)
