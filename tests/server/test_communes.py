"""Communes from the shipped INSEE / La Poste list: found as people type them, measured right."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from server.services.communes import DATA_FILE, bounding_box, communes, distance_km

ROOT = Path(__file__).resolve().parents[2]


def labels(text: str, limit: int = 10) -> list[str]:
    index = communes()
    return [index.label(c) for c in index.find(text, limit=limit)]


def test_the_shipped_file_is_compact_and_covers_all_of_france():
    assert DATA_FILE.stat().st_size < 1_000_000
    assert len(communes()) > 34_900
    assert communes().get("97411").departement == "974"  # La Réunion
    assert communes().get("2A004").name == "Ajaccio"
    assert (ROOT / "server" / "data" / "COMMUNES-LICENCE.txt").read_text().count("Licence Ouverte")


def test_the_file_keeps_the_columns_the_server_needs():
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert header == [
        "insee_com",
        "commune_article",
        "code_postal",
        "insee_dep",
        "lat",
        "lng",
        "population_2021",
        "commune_type",
    ]


def test_douai_by_insee_code_has_its_postcode_and_coordinates():
    douai = communes().get("59178")
    assert (douai.name, douai.postcodes, douai.departement) == ("Douai", ("59500",), "59")
    assert douai.lat == pytest.approx(50.37853, abs=1e-3)
    assert douai.lng == pytest.approx(3.10037, abs=1e-3)
    assert douai.population > 30_000
    assert communes().label(douai) == "Douai (59)"


@pytest.mark.parametrize("typed", ["Douai", "douai", "DOUAI", " douai ", "Doaui", "59500"])
def test_douai_is_first_however_it_is_typed(typed):
    assert labels(typed)[0] == "Douai (59)"


@pytest.mark.parametrize(
    "typed", ["L'Haÿ-les-Roses", "l'hay les roses", "Hay-les-Roses", "L HAY LES ROSES", "94240"]
)
def test_apostrophes_diaereses_hyphens_and_articles_do_not_matter(typed):
    assert labels(typed)[0] == "L'Haÿ-les-Roses (94)"


@pytest.mark.parametrize("typed", ["Saint-Étienne", "saint etienne", "st etienne", "St-Étienne"])
def test_st_means_saint(typed):
    assert labels(typed)[0] == "Saint-Étienne (42)"


def test_homonyms_are_told_apart_by_departement_and_ordered_by_population():
    found = labels("Saint-Denis")
    assert found[:4] == [
        "Saint-Denis (974)",
        "Saint-Denis (93)",
        "Saint-Denis (11)",
        "Saint-Denis (30)",
    ]
    assert labels("Saint-Denis 93")[0] == "Saint-Denis (93)"
    assert labels("Saint-Denis (11)") == ["Saint-Denis (11)"]


def test_a_prefix_finds_the_biggest_towns_first():
    assert labels("lil", limit=1) == ["Lille (59)"]
    assert labels("Valencienne", limit=1) == ["Valenciennes (59)"]


def test_paris_is_a_whole_city_and_its_arrondissements_by_postcode():
    assert labels("Paris")[0] == "Paris (75)"
    assert labels("75011") == ["Paris 11e Arrondissement (75)", "Paris (75)"]
    assert labels("Paris 11")[0] == "Paris 11e Arrondissement (75)"


def test_a_delegated_commune_is_found_by_its_own_name():
    (villotran,) = communes().find("Villotran")
    assert villotran.insee == "60694"
    assert communes().get("60694").name == "Les Hauts-Talican"


@pytest.mark.parametrize("typed", ["", "   ", "🙂", "x" * 300, "00000", "12", "'''", "zzzzqqq"])
def test_nonsense_finds_nothing_and_never_fails(typed):
    assert communes().find(typed) == []


def test_distance_douai_lille_is_about_thirty_kilometres():
    douai, lille = communes().get("59178"), communes().get("59350")
    assert distance_km(douai.lat, douai.lng, lille.lat, lille.lng) == pytest.approx(28.5, abs=1.5)
    assert distance_km(douai.lat, douai.lng, douai.lat, douai.lng) == 0


def test_the_bounding_box_holds_every_point_of_the_circle():
    lat, lng = 50.37853, 3.10037
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, 20)
    for north_south in (min_lat, max_lat):
        assert distance_km(lat, lng, north_south, lng) == pytest.approx(20, abs=0.01)
    for east_west in (min_lng, max_lng):
        assert distance_km(lat, lng, lat, east_west) == pytest.approx(20, abs=0.1)


def test_the_build_script_makes_the_same_file_again(tmp_path):
    import runpy  # noqa: PLC0415

    build = runpy.run_path(str(ROOT / "scripts" / "build-communes.py"))["build"]
    source = ROOT.parent / "shared" / "realdata" / "communes" / "communes.csv"
    target = tmp_path / "communes.csv.gz"
    build(source, target)
    assert target.read_bytes() == DATA_FILE.read_bytes()
