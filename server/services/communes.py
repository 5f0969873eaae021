"""French communes: find one from what a person types, and measure distances.

The list ships with the server (server/data/communes.csv.gz, INSEE and La Poste data under
Licence Ouverte 2.0, see COMMUNES-LICENCE.txt) and is loaded once per process on first use.
Names match whatever the accents, case, hyphens or apostrophes ("st etienne", "l hay les
roses"); homonyms come ordered by population and carry their département to tell them apart.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from server.text import fold

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "communes.csv.gz"
EARTH_RADIUS_KM = 6371.0088

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ARTICLES = frozenset({"l", "le", "la", "les"})
_POSTCODE = re.compile(r"^\d{5}$")
# "Saint-Denis 93", "Saint-Denis (974)", "Ajaccio 2A": a trailing département narrows homonyms.
_DEPARTEMENT_SUFFIX = re.compile(r"^(.*?)[\s(]+(\d{2,3}|2a|2b)\)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    postcodes: tuple[str, ...]
    departement: str
    lat: float
    lng: float
    population: int


def name_key(text: str) -> str:
    """The matching form of a commune name: folded, "st" spelled "saint", no leading article."""
    words = [_ABBREVIATIONS.get(w, w) for w in fold(text).split()]
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


class CommuneIndex:
    """All communes in memory: by INSEE code, by postcode, and by name key (sorted for prefixes)."""

    def __init__(self, rows: list[tuple[Commune, bool]]) -> None:
        self._by_insee: dict[str, Commune] = {}
        self._by_postcode: dict[str, list[Commune]] = defaultdict(list)
        by_key: dict[str, list[Commune]] = defaultdict(list)
        for commune, is_main in rows:
            if is_main:
                self._by_insee.setdefault(commune.insee, commune)
            for postcode in commune.postcodes:
                self._by_postcode[postcode].append(commune)
            by_key[name_key(commune.name)].append(commune)
        for group in by_key.values():
            group.sort(key=_by_population)
        for group in self._by_postcode.values():
            # "75011" is the 11th arrondissement before Paris as a whole: fewest postcodes first.
            group.sort(key=lambda c: (len(c.postcodes), -c.population))
        self._by_key = dict(by_key)
        self._keys = sorted(self._by_key)

    def __len__(self) -> int:
        return len(self._by_insee)

    def all(self) -> list[Commune]:
        """Every commune once (arrondissements included, delegated communes not)."""
        return list(self._by_insee.values())

    def get(self, insee: str) -> Commune | None:
        return self._by_insee.get((insee or "").strip().upper())

    def find(self, text: str, limit: int = 10) -> list[Commune]:
        """Communes matching a name, a postcode ("59500") or an INSEE code, best first.

        Exact names come before names that merely start with the text; a small typo (one letter
        wrong, missing, extra or swapped) is forgiven only when nothing else matches.
        """
        text = (text or "").strip()[:100]
        if _POSTCODE.match(text):
            found = list(self._by_postcode.get(text, []))
            by_code = self.get(text)
            if by_code and by_code not in found:
                found.append(by_code)
            return found[:limit]
        suffix = _DEPARTEMENT_SUFFIX.match(text)
        if suffix and fold(suffix.group(1)):
            departement = suffix.group(2).upper().lstrip("0").zfill(2)
            found = self._by_name(name_key(suffix.group(1)), departement)
            if found:
                return found[:limit]
        # No such département: "Paris 11" means an arrondissement.
        return self._by_name(name_key(text), None)[:limit]

    def label(self, commune: Commune) -> str:
        """What a person reads: "Douai (59)"."""
        return f"{commune.name} ({commune.departement})"

    def _by_name(self, key: str, departement: str | None) -> list[Commune]:
        if not key:
            return []
        return self._exact_or_prefix(key, departement) or self._fuzzy(key, departement)

    def _keep(self, communes: list[Commune], departement: str | None) -> list[Commune]:
        if departement is None:
            return communes
        return [c for c in communes if c.departement == departement]

    def _exact_or_prefix(self, key: str, departement: str | None) -> list[Commune]:
        exact = self._keep(self._by_key.get(key, []), departement)
        start = bisect.bisect_left(self._keys, key)
        end = bisect.bisect_left(self._keys, key + "\uffff")
        prefixed = [
            c
            for k in self._keys[start:end]
            if k != key
            for c in self._keep(self._by_key[k], departement)
        ]
        return exact + sorted(prefixed, key=_by_population)

    def _fuzzy(self, key: str, departement: str | None) -> list[Commune]:
        if len(key) < 4:
            return []
        cutoff = 1 if len(key) < 9 else 2
        matches = process.extract(
            key,
            self._keys,
            scorer=OSA.distance,
            score_cutoff=cutoff,
            limit=50,
        )
        found = [c for k, _, _ in matches for c in self._keep(self._by_key[k], departement)]
        return sorted(found, key=_by_population)


def _by_population(commune: Commune) -> int:
    return -commune.population


def _load(path: Path) -> CommuneIndex:
    rows: list[tuple[Commune, bool]] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            commune = Commune(
                insee=row["insee_com"],
                name=row["commune_article"],
                postcodes=tuple(row["code_postal"].split()),
                departement=row["insee_dep"],
                lat=float(row["lat"]),
                lng=float(row["lng"]),
                population=int(row["population_2021"] or 0),
            )
            # A delegated commune (COMD) shares its parent's INSEE code: found by name only.
            rows.append((commune, row["commune_type"] != "COMD"))
    return CommuneIndex(rows)


@cache
def communes() -> CommuneIndex:
    """The process-wide index, loaded on first use (about 35,000 communes)."""
    return _load(DATA_FILE)


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) around every point within radius_km, for an index."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlng = min(180.0, math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat)))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng
