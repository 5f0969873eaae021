"""The Annuaire Santé (RPPS) import: real sample rows, both layouts, upserts, odd lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from server.db import Database
from server.importers.rpps import RppsFormatError, import_rpps
from server.importers.rpps_lines import PARSE_IN_CHILD_FROM, readable_case
from server.models import DirectoryChange, Place, Practitioner, PractitionerNameToken

ROOT = Path(__file__).resolve().parents[2]
REAL_SAMPLE = ROOT.parent / "shared" / "realdata" / "rpps" / "sample_rows_pre2023_52cols.txt"
FICTIONAL_56 = ROOT / "tests" / "fixtures" / "rpps_56cols_fictional.txt"


def _practitioners(db: Database) -> dict[str, Practitioner]:
    with db.reading() as session:
        rows = session.scalars(select(Practitioner)).all()
        for row in rows:
            _ = row.places
        return {p.rpps: p for p in rows}


def _count(db: Database, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("shouted", "readable"),
    [
        ("PETITGUYOT", "Petitguyot"),
        ("DE RUIJTER", "De Ruijter"),
        ("JEAN-MARC", "Jean-Marc"),
        ("N'DIAYE-DUPONT", "N'Diaye-Dupont"),
        ("ÉLODIE", "Élodie"),
        ("RUE D'ARRAS", "Rue d'Arras"),
        ("ROUTE DE BESANCON", "Route de Besancon"),
        ("Pontarlier", "Pontarlier"),
    ],
)
def test_names_in_capitals_are_given_their_usual_case(shouted: str, readable: str) -> None:
    assert readable_case(shouted) == readable


def test_the_real_sample_rows_import_with_readable_names_and_the_foreign_one_skipped(
    db: Database,
) -> None:
    report = import_rpps(db, REAL_SAMPLE, progress=False)

    assert report.rows_read == 4
    assert report.practitioners_inserted == 3
    assert dict(report.skipped) == {"foreign": 1}  # GUIGNARD works in the United Kingdom
    people = _practitioners(db)
    assert set(people) == {"012600631", "10100271385", "759124159"}

    audio = people["012600631"]
    assert (audio.civility, audio.first_name, audio.last_name) == ("m", "Alexandre", "Petitguyot")
    assert audio.profession == "Audioprothésiste"
    assert audio.specialty_code is None
    assert audio.name_key == "alexandre petitguyot"
    # No commune code in the row: placed by its postcode.
    assert audio.places[0].address == "9 Route de Besancon"
    assert audio.places[0].commune_insee == "25462"
    assert audio.places[0].lat is not None

    gp = people["10100271385"]
    assert (gp.civility, gp.last_name, gp.specialty_code) == ("dr", "Leger", "medecine-generale")
    place = gp.places[0]
    assert place.structure_ref == "F250000700"
    assert (place.commune_insee, place.city, place.postcode) == ("25462", "Pontarlier", "25304")
    assert place.address == "2 Faubourg Saint Etienne"
    assert place.phone == "0381385454"

    speech = people["759124159"]
    assert (speech.civility, speech.first_name, speech.last_name) == (
        "mme",
        "Isabelle",
        "De Ruijter",
    )
    assert speech.specialty_code == "orthophonie"
    assert speech.places[0].phone == "0148237096"
    assert all(not p.bookable_online for p in people.values())


def test_a_56_column_file_is_read_by_column_names(db: Database) -> None:
    report = import_rpps(db, FICTIONAL_56, progress=False)

    assert report.rows_read == 9
    assert report.practitioners_inserted == 5
    assert report.places_inserted == 5
    assert dict(report.skipped) == {"foreign": 1, "wrong_column_count": 1, "missing_id": 1}
    people = _practitioners(db)
    specialties = {rpps: p.specialty_code for rpps, p in people.items()}
    assert specialties == {
        "19900000001": "medecine-generale",
        "19900000002": "kinesitherapie",
        "19900000003": None,  # pharmacists are not booked here
        "19900000004": "ophtalmologie",
        "19900000006": "infirmier",
    }
    gp = people["19900000001"]
    assert (gp.first_name, gp.last_name, gp.name_key) == (
        "Élodie",
        "N'Diaye-Dupont",
        "elodie n diaye dupont",
    )
    douai, sin = gp.places
    assert (douai.commune_insee, douai.address, douai.phone) == (
        "59178",
        "12 Rue de la Gare",
        "0327000001",
    )
    assert douai.name == "CABINET DU DR N'DIAYE-DUPONT"
    # The second site has only a postcode: Sin-le-Noble is found from it.
    assert (sin.commune_insee, sin.city) == ("59569", "Sin-le-Noble")
    assert sin.lat == pytest.approx(50.367, abs=0.01)
    assert people["19900000002"].last_name == "De la Tour"
    assert people["19900000002"].places[0].address == "5 Rue d'Arras"
    assert people["19900000006"].places == []


def test_importing_again_updates_rows_in_place_without_duplicates(
    db: Database, tmp_path: Path
) -> None:
    import_rpps(db, FICTIONAL_56, progress=False)
    changed = tmp_path / "changed.txt"
    changed.write_text(
        FICTIONAL_56.read_text(encoding="utf-8").replace("0327000005", "0327999999"),
        encoding="utf-8",
    )

    report = import_rpps(db, changed, progress=False)

    assert (report.practitioners_inserted, report.practitioners_updated) == (0, 0)
    assert report.practitioners_unchanged == 5
    assert (report.places_inserted, report.places_updated) == (0, 1)
    assert _count(db, Practitioner) == 5
    assert _count(db, Place) == 5
    assert _practitioners(db)["19900000004"].places[0].phone == "0327999999"


def test_a_reimport_never_touches_what_a_practice_set(db: Database, tmp_path: Path) -> None:
    import_rpps(db, FICTIONAL_56, progress=False)
    with db.writing() as session:
        gp = session.scalar(select(Practitioner).where(Practitioner.rpps == "19900000001"))
        gp.bookable_online = True
        gp.languages = ["fr", "en"]
        gp.places[0].wheelchair = True
    renamed = tmp_path / "renamed.txt"
    renamed.write_text(
        FICTIONAL_56.read_text(encoding="utf-8").replace("N'DIAYE-DUPONT|", "N'DIAYE|"),
        encoding="utf-8",
    )

    report = import_rpps(db, renamed, progress=False)

    assert report.practitioners_updated == 1
    gp = _practitioners(db)["19900000001"]
    assert (gp.last_name, gp.bookable_online, gp.languages) == ("N'Diaye", True, ["fr", "en"])
    assert gp.places[0].wheelchair is True


def test_imported_rows_are_logged_for_the_kiosks_sync_once(db: Database) -> None:
    import_rpps(db, FICTIONAL_56, progress=False)
    with db.reading() as session:
        logged = session.execute(select(DirectoryChange.entity, DirectoryChange.entity_id)).all()
        place_ids = set(session.scalars(select(Place.id)))
        practitioner_ids = set(session.scalars(select(Practitioner.id)))
    assert {i for e, i in logged if e == "practitioner"} == practitioner_ids
    assert {i for e, i in logged if e == "place"} == place_ids

    import_rpps(db, FICTIONAL_56, progress=False)  # nothing changed: nothing more to sync

    assert _count(db, DirectoryChange) == len(logged)


def test_small_batches_give_the_same_result(db: Database) -> None:
    report = import_rpps(db, FICTIONAL_56, progress=False, batch_size=1)

    assert report.practitioners_inserted == 5
    assert report.places_inserted == 5
    assert _count(db, Place) == 5


def test_a_file_that_is_not_an_extraction_is_refused(db: Database, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("nom;prénom\nDupont;Marc\n", encoding="utf-8")

    with pytest.raises(RppsFormatError, match="Identifiant PP"):
        import_rpps(db, other, progress=False)


def test_a_line_without_a_specialty_keeps_the_known_one_and_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    import_rpps(db, FICTIONAL_56, progress=False)
    plain = tmp_path / "plain.txt"
    plain.write_text(
        FICTIONAL_56.read_text(encoding="utf-8").replace(
            "|S|Spécialité ordinale|SM38|Ophtalmologie|", "|||||"
        ),
        encoding="utf-8",
    )

    report = import_rpps(db, plain, progress=False)

    assert (report.practitioners_updated, report.practitioners_unchanged) == (0, 5)
    assert _practitioners(db)["19900000004"].specialty_code == "ophtalmologie"


def test_a_new_place_of_a_known_practitioner_is_logged_as_an_area_change(
    db: Database, tmp_path: Path
) -> None:
    import_rpps(db, FICTIONAL_56, progress=False)
    moved = tmp_path / "moved.txt"
    moved.write_text(
        FICTIONAL_56.read_text(encoding="utf-8").replace("C99000000000004", "C99000000000044"),
        encoding="utf-8",
    )

    report = import_rpps(db, moved, progress=False)

    assert (report.places_inserted, report.places_updated) == (1, 0)
    pid = _practitioners(db)["19900000003"].id  # its structure C…04 is new
    with db.reading() as session:
        area = session.scalars(
            select(DirectoryChange.entity_id).where(DirectoryChange.entity == "area")
        ).all()
    assert area == [pid]


def test_the_import_shows_a_progress_bar(db: Database, capsys: pytest.CaptureFixture) -> None:
    import_rpps(db, FICTIONAL_56)

    shown = capsys.readouterr().err
    assert "RPPS" in shown
    assert "100%" in shown


def _large_file(tmp_path: Path, rows: int = 14_000) -> Path:
    """A generated extraction big enough to be parsed in a child process."""
    from bench.gen_rpps import generate

    path = generate(tmp_path / "large.txt", rows)
    assert path.stat().st_size >= PARSE_IN_CHILD_FROM
    return path


def _indexes_and_keys(db: Database) -> set[tuple[str, str]]:
    inspector = inspect(db.engine)
    found = set()
    for table in ("practitioners", "places", "practitioner_name_tokens"):
        found |= {(table, index["name"]) for index in inspector.get_indexes(table)}
        found |= {
            (table, str(key["constrained_columns"])) for key in inspector.get_foreign_keys(table)
        }
    return found


def test_a_large_file_is_parsed_aside_and_a_second_import_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = _large_file(tmp_path)
    before = _indexes_and_keys(db)

    first = import_rpps(db, path, progress=False, batch_size=1_000)
    second = import_rpps(db, path, progress=False, batch_size=1_000)

    assert first.rows_read == second.rows_read == 14_000
    assert first.practitioners_inserted == _count(db, Practitioner) > 9_000
    assert first.places_inserted == _count(db, Place) > 13_000
    assert (second.practitioners_inserted, second.practitioners_updated) == (0, 0)
    # A person whose lines straddle two batches counts once per batch, the same both times.
    assert (
        second.practitioners_unchanged
        == first.practitioners_inserted + first.practitioners_unchanged
    )
    assert (second.places_inserted, second.places_updated) == (0, 0)
    assert dict(second.skipped) == dict(first.skipped)
    # The indexes dropped for the first load are all back.
    assert _indexes_and_keys(db) == before


def test_a_large_reimport_updates_changed_rows_and_their_name_tokens(
    db: Database, tmp_path: Path
) -> None:
    path = _large_file(tmp_path)
    import_rpps(db, path, progress=False)
    renamed = tmp_path / "renamed.txt"
    renamed.write_text(
        path.read_text(encoding="utf-8").replace("|BLANCHARD|", "|BLANCHE|"), encoding="utf-8"
    )

    report = import_rpps(db, renamed, progress=False)

    assert report.practitioners_updated > 0
    assert report.practitioners_inserted == 0
    with db.reading() as session:
        renamed_ids = set(
            session.scalars(select(Practitioner.id).where(Practitioner.last_name == "Blanche"))
        )
        tokens = set(
            session.scalars(
                select(PractitionerNameToken.practitioner_id).where(
                    PractitionerNameToken.token == "blanche"
                )
            )
        )
        blanchard = set(
            session.scalars(
                select(PractitionerNameToken.practitioner_id).where(
                    PractitionerNameToken.token == "blanchard"
                )
            )
        )
        still_blanchard = set(  # "Martin-Blanchard" was not renamed
            session.scalars(
                select(Practitioner.id).where(Practitioner.name_key.contains("blanchard"))
            )
        )
    assert len(renamed_ids) == report.practitioners_updated
    assert tokens == renamed_ids
    assert blanchard == still_blanchard


def test_an_import_killed_during_a_first_load_gets_its_indexes_back_next_time(
    db: Database,
) -> None:
    before = _indexes_and_keys(db)
    import_rpps(db, FICTIONAL_56, progress=False)
    with db.writing() as session:  # what a first load killed before its end leaves behind
        session.execute(text("DROP INDEX ix_places_lat_lng"))
        session.execute(text("DROP INDEX ix_practitioners_name_key"))
    assert _indexes_and_keys(db) != before

    import_rpps(db, FICTIONAL_56, progress=False)

    assert _indexes_and_keys(db) == before


def test_a_large_file_that_is_not_an_extraction_is_refused(db: Database, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("nom;prénom\n" + "Dupont;Marc\n" * 400_000, encoding="utf-8")
    assert other.stat().st_size >= PARSE_IN_CHILD_FROM

    with pytest.raises(RppsFormatError, match="Identifiant PP"):
        import_rpps(db, other, progress=False)
