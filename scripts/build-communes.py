#!/usr/bin/env python3
"""Build server/data/communes.csv.gz, the compact list of French communes shipped with the server.

Source: ../shared/realdata/communes/communes.csv (INSEE COG 2024 + La Poste base officielle des
codes postaux, Licence Ouverte 2.0), one row per (commune, postcode). We keep one row per
commune name with its postcodes joined by spaces, only the columns the server needs, and
coordinates to 4 decimals (about 10 m) to stay small.

Two gaps of the source are filled so every commune can be found and measured:
- Paris, Lyon and Marseille only appear as arrondissements: a row for the whole city is added
  (population summed, coordinates averaged over the arrondissements);
- the few rows without coordinates take the average of communes sharing their postcode.

Usage: python scripts/build-communes.py [SOURCE_CSV] [TARGET_GZ]
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "realdata" / "communes" / "communes.csv"
TARGET = ROOT / "server" / "data" / "communes.csv.gz"
COLUMNS = [
    "insee_com",
    "commune_article",
    "code_postal",
    "insee_dep",
    "lat",
    "lng",
    "population_2021",
    "commune_type",
]
CITIES_WITH_ARRONDISSEMENTS = {"75056": "Paris", "69123": "Lyon", "13055": "Marseille"}


def _read(source: Path) -> list[dict[str, str]]:
    with source.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _merge(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], dict]:
    """One entry per (INSEE code, display name, type), postcodes gathered."""
    departement = {r["insee_com"]: r["insee_dep"] for r in rows if r["commune_type"] == "COM"}
    merged: dict[tuple[str, str, str], dict] = {}
    for row in rows:
        key = (row["insee_com"], row["commune_article"], row["commune_type"])
        entry = merged.setdefault(
            key,
            {
                "insee_com": row["insee_com"],
                "commune_article": row["commune_article"],
                "postcodes": [],
                # Delegated communes have no département of their own: the parent's.
                "insee_dep": row["insee_dep"] or departement.get(row["insee_parente"], ""),
                "lat": row["lat"],
                "lng": row["lng"],
                # A delegated commune repeats its parent's population: not its own, so none.
                "population_2021": "0"
                if row["commune_type"] == "COMD"
                else row["population_2021"] or "0",
                "commune_type": row["commune_type"],
                "parent": row["insee_parente"],
            },
        )
        if row["code_postal"] and row["code_postal"] not in entry["postcodes"]:
            entry["postcodes"].append(row["code_postal"])
    return merged


def _add_whole_cities(merged: dict[tuple[str, str, str], dict]) -> None:
    for insee, name in CITIES_WITH_ARRONDISSEMENTS.items():
        parts = [e for e in merged.values() if e["commune_type"] == "ARM" and e["parent"] == insee]
        if not parts:
            continue
        located = [e for e in parts if e["lat"]]
        merged[(insee, name, "COM")] = {
            "insee_com": insee,
            "commune_article": name,
            "postcodes": sorted({p for e in parts for p in e["postcodes"]}),
            "insee_dep": parts[0]["insee_dep"],
            "lat": f"{sum(float(e['lat']) for e in located) / len(located):.5f}",
            "lng": f"{sum(float(e['lng']) for e in located) / len(located):.5f}",
            "population_2021": str(sum(int(e["population_2021"]) for e in parts)),
            "commune_type": "COM",
            "parent": "",
        }


def _fill_missing_coordinates(merged: dict[tuple[str, str, str], dict]) -> None:
    by_postcode: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for entry in merged.values():
        if entry["lat"]:
            for postcode in entry["postcodes"]:
                by_postcode[postcode].append((float(entry["lat"]), float(entry["lng"])))
    for entry in merged.values():
        if entry["lat"]:
            continue
        near = [p for code in entry["postcodes"] for p in by_postcode.get(code, [])]
        if near:
            entry["lat"] = f"{sum(p[0] for p in near) / len(near):.5f}"
            entry["lng"] = f"{sum(p[1] for p in near) / len(near):.5f}"


def build(source: Path = SOURCE, target: Path = TARGET) -> int:
    merged = _merge(_read(source))
    _add_whole_cities(merged)
    _fill_missing_coordinates(merged)
    kept = sorted(
        (e for e in merged.values() if e["lat"]),
        key=lambda e: (e["insee_com"], e["commune_type"] != "COM", e["commune_article"]),
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in kept:
        writer.writerow(
            [
                e["insee_com"],
                e["commune_article"],
                " ".join(e["postcodes"]),
                e["insee_dep"],
                f"{float(e['lat']):.4f}".rstrip("0").rstrip("."),
                f"{float(e['lng']):.4f}".rstrip("0").rstrip("."),
                e["population_2021"],
                e["commune_type"],
            ]
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same source always gives the same bytes.
    with gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(buffer.getvalue().encode("utf-8"))
    return len(kept)


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:3]]
    count = build(*args)
    print(f"{count} communes written to {args[1] if len(args) > 1 else TARGET}")
