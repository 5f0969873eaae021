"""Practitioner search: names with typos, everyday specialty words, places, availability order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import false, select

from server.clock import utcnow
from server.errors import ApiError
from server.models import Slot
from server.services.communes import communes
from server.services.search import NOT_BOOKABLE_MESSAGE, search_practitioners
from server.services.specialties import ensure_specialties
from server.text import fold
from tests.factories import make_practitioner, make_slot


def place_in(insee: str) -> dict:
    """A place at the centre of a real commune of the shipped list."""
    commune = communes().get(insee)
    return {
        "commune_insee": commune.insee,
        "postcode": commune.postcodes[0],
        "city": commune.name,
        "lat": commune.lat,
        "lng": commune.lng,
    }


SIN_LE_NOBLE = place_in("59569")  # about 2 km from Douai
LILLE = place_in("59350")  # about 30 km
ARRAS = place_in("62041")  # about 25 km
KINE = ("kinesitherapie", "Kinésithérapeute")
DENTISTE = ("dentiste", "Dentiste")


def search(session, **kwargs):
    args = {
        "q": None,
        "specialty": None,
        "near": None,
        "radius_km": 20,
        "limit": 10,
        "offset": 0,
        "order": "availability",
    }
    args.update(kwargs)
    return search_practitioners(session, **args)


def names(results) -> list[str]:
    return [r.last_name for r in results]


@pytest.fixture
def directory(db):
    """A small directory around Douai, with slots at known distances in time."""
    with db.writing() as s:
        ensure_specialties(s)
        soon = make_practitioner(s, first_name="Élodie", last_name="Dupont")
        make_slot(s, soon, starts_in=timedelta(days=1))
        later = make_practitioner(s, first_name="Karim", last_name="N'Diaye", place=SIN_LE_NOBLE)
        make_slot(s, later, starts_in=timedelta(days=3))
        make_practitioner(s, first_name="Jean", last_name="Lefebvre-Martin")  # no slot
        make_practitioner(s, first_name="Paul", last_name="Roux", bookable_online=False)
        make_practitioner(s, first_name="Sophie", last_name="Garcia", place=LILLE)
        kine = make_practitioner(s, first_name="Luc", last_name="Moreau", specialty=KINE)
        make_slot(s, kine, starts_in=timedelta(days=2))
        make_practitioner(s, first_name="Inès", last_name="Petit", specialty=DENTISTE, place=ARRAS)
    return db


def test_specialty_near_a_commune_lists_the_earliest_availability_first(directory):
    with directory.reading() as s:
        results = search(s, specialty="medecine-generale", near="Douai")
    assert names(results) == ["Dupont", "N'Diaye", "Lefebvre-Martin", "Roux"]
    assert results[0].next_free_slot < results[1].next_free_slot
    assert results[2].next_free_slot is None
    assert results[0].specialty_label == "Médecin généraliste"
    assert results[0].place.city == "Douai" and results[0].place.phone == "0327000000"


def test_lille_is_outside_twenty_kilometres_of_douai_but_inside_forty(directory):
    with directory.reading() as s:
        assert "Garcia" not in names(search(s, specialty="medecine-generale", near="Douai"))
        wider = search(s, specialty="medecine-generale", near="Douai", radius_km=40)
    garcia = next(r for r in wider if r.last_name == "Garcia")
    assert 25 < garcia.distance_km < 35


def test_distance_order_puts_the_nearest_first(directory):
    with directory.reading() as s:
        results = search(s, specialty="medecine-generale", near="59569", order="distance")
    assert results[0].last_name == "N'Diaye"
    assert results[0].distance_km < 0.5
    distances = [r.distance_km for r in results]
    assert distances == sorted(distances)


def test_a_practitioner_without_online_booking_appears_with_a_phone_and_a_message(directory):
    with directory.reading() as s:
        (roux,) = search(s, q="roux", near="Douai")
    assert roux.bookable_online is False
    assert roux.next_free_slot is None
    assert roux.message == NOT_BOOKABLE_MESSAGE
    assert roux.place.phone == "0327000000"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("dupond", "Dupont"),
        ("Dupont", "Dupont"),
        ("dup", "Dupont"),
        ("elodie", "Dupont"),
        ("ÉLODIE dupont", "Dupont"),
        ("docteur Dupont", "Dupont"),
        ("ndiaye", "N'Diaye"),
        ("n'diaye", "N'Diaye"),
        ("diaye", "N'Diaye"),
        ("lefebvre", "Lefebvre-Martin"),
        ("lefevre martin", "Lefebvre-Martin"),
        ("martin", "Lefebvre-Martin"),
    ],
)
def test_a_name_is_found_whatever_accents_case_prefix_or_small_typo(directory, typed, found):
    with directory.reading() as s:
        assert names(search(s, q=typed))[:1] == [found]


def test_a_name_far_from_everything_finds_nobody(directory):
    with directory.reading() as s:
        assert search(s, q="zyxwvu") == []
        assert search(s, q="x" * 300) == []


def test_a_specialty_word_in_q_is_a_specialty_search(directory):
    with directory.reading() as s:
        assert names(search(s, q="kiné", near="Douai")) == ["Moreau"]
        assert names(search(s, q="Kinésithérapeute près de Douai")) == ["Moreau"]
        assert names(search(s, q="kine a douai")) == ["Moreau"]


def test_the_specialty_accepts_everyday_words(directory):
    with directory.reading() as s:
        assert names(search(s, specialty="dentiste", near="Arras")) == ["Petit"]
        assert names(search(s, specialty="Dentiste", near="62000")) == ["Petit"]


def test_without_a_place_a_specialty_search_uses_the_kiosk_commune(directory):
    with directory.reading() as s:
        results = search(s, specialty="kiné", default_near="59178")
    assert names(results) == ["Moreau"]
    assert results[0].distance_km is not None


def test_paging_goes_on_where_the_first_page_stopped(directory):
    with directory.reading() as s:
        everyone = names(search(s, specialty="medecine-generale", near="Douai"))
        first = names(search(s, specialty="medecine-generale", near="Douai", limit=2))
        second = names(search(s, specialty="medecine-generale", near="Douai", limit=2, offset=2))
    assert first + second == everyone


def test_a_taken_or_too_close_slot_is_not_the_next_availability(db):
    with db.writing() as s:
        ensure_specialties(s)
        person = make_practitioner(s, last_name="Bernard")
        taken = make_slot(s, person, starts_in=timedelta(hours=5))
        taken.taken = True
        make_slot(s, person, starts_in=timedelta(minutes=10))
        free = make_slot(s, person, starts_in=timedelta(hours=8))
        free_start = free.starts_at
    with db.reading() as s:
        (result,) = search(s, q="bernard", near="Douai")
    assert result.next_free_slot == free_start


def test_a_practitioner_with_two_places_appears_once_at_the_nearest(db):
    from server.models import Place  # noqa: PLC0415

    with db.writing() as s:
        ensure_specialties(s)
        person = make_practitioner(s, last_name="Garcia", place=LILLE)
        person.places.append(Place(address="2 rue de la Gare", phone="0327111111", **SIN_LE_NOBLE))
    with db.reading() as s:
        results = search(s, specialty="medecine-generale", near="Douai")
    assert names(results) == ["Garcia"]
    assert results[0].place.city == "Sin-le-Noble"


@pytest.mark.parametrize("near", ["Nulle-Part-sur-Mer", "00000", "🙂", "x" * 300])
def test_an_unknown_commune_is_refused_in_plain_french(directory, near):
    with directory.reading() as s, pytest.raises(ApiError) as error:
        search(s, specialty="dentiste", near=near)
    assert error.value.status == 422
    assert error.value.field == "near"
    assert "commune" in error.value.message


def test_an_unknown_specialty_is_refused_in_plain_french(directory):
    with directory.reading() as s, pytest.raises(ApiError) as error:
        search(s, specialty="astrologue", near="Douai")
    assert error.value.field == "specialty"


@pytest.mark.parametrize("q", ["   ", "🦷🦷", "!!!"])
def test_an_empty_search_asks_for_something_to_look_for(directory, q):
    with directory.reading() as s, pytest.raises(ApiError) as error:
        search(s, q=q)
    assert error.value.field == "q"


def dense_town(db, people: int = 3200, *, everyone: bool = False) -> tuple[list[int], list[int]]:
    """Enough practitioners around Paris that the search walks free slots in time order.

    Practitioner i sits further from the centre as i grows, so among equal next slots the
    expected order is by i. Returns the general practitioners (or `everyone`) in the
    expected order: those with a free slot (by slot, then i), then those without (by i).
    """
    from sqlalchemy import insert  # noqa: PLC0415

    from server.models import Place, Practitioner  # noqa: PLC0415

    paris = communes().get("75056")
    now = utcnow()
    hours = [now + timedelta(days=1, hours=k) for k in range(5)]
    persons, places, slots = [], [], []
    with_slot, without = {}, []
    for i in range(people):
        pid = 10_000 + i
        gp, bookable = i % 4 != 0, i % 13 != 0
        persons.append(
            {
                "id": pid,
                "first_name": "Camille",
                "last_name": f"Dense{i}",
                "name_key": f"camille dense{i}",
                "profession": "Médecin",
                "specialty_code": "medecine-generale" if gp else "dentiste",
                "languages": ["fr"],
                "payment_means": [],
                "video": False,
                "bookable_online": bookable,
            }
        )
        places.append(
            {"id": pid, "practitioner_id": pid, "lat": paris.lat + i * 1e-5, "lng": paris.lng}
        )

        def slot(starts_at, *, taken=False, pid=pid):
            slots.append(
                {
                    "practitioner_id": pid,
                    "place_id": pid,
                    "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(minutes=15),
                    "taken": taken,
                    "closed": False,
                }
            )

        if i % 3 == 0:
            slot(hours[0], taken=True)
        if i % 11 == 0:
            slot(now + timedelta(minutes=5))  # too soon to book
        if i % 7 != 0:
            slot(hours[i % 5] + timedelta(minutes=30 * (i % 3 == 0)))
        if (gp or everyone) and bookable and i % 7 != 0:
            with_slot[pid] = (i % 5, i % 3 == 0, i)
        elif gp or everyone:
            without.append(pid)
    with db.writing() as s:
        ensure_specialties(s)
        s.execute(insert(Practitioner), persons)
        s.execute(insert(Place), places)
        s.execute(insert(Slot), slots)
    return sorted(with_slot, key=with_slot.get), without


def test_in_a_dense_town_pages_follow_the_next_free_slot_then_the_distance(db):
    with_slot, without = dense_town(db)
    expected = with_slot + without

    def page(offset: int, limit: int = 10) -> list[int]:
        with db.reading() as s:
            found = search(
                s, specialty="medecine-generale", near="Paris", limit=limit, offset=offset
            )
        return [r.practitioner_id for r in found]

    assert page(0) == expected[:10]
    assert page(10) == expected[10:20]
    assert page(400, 30) == expected[400:430]
    # Past the last practitioner with a free slot: those without follow, nearest first.
    edge = len(with_slot) - 5
    assert page(edge) == expected[edge : edge + 10]


def test_in_a_crowded_city_everyone_nearby_comes_by_next_free_slot_then_distance(db):
    with_slot, without = dense_town(db, 10_500, everyone=True)
    expected = with_slot + without
    with db.reading() as s:
        first = search(s, near="Paris", limit=10)
        later = search(s, near="Paris", limit=10, offset=200)
    assert [r.practitioner_id for r in first] == expected[:10]
    assert [r.practitioner_id for r in later] == expected[200:210]
    assert first[0].place.id == first[0].practitioner_id


def test_in_a_dense_town_the_next_free_slot_and_the_place_are_the_right_ones(db):
    with_slot, _ = dense_town(db)
    with db.reading() as s:
        (first,) = search(s, specialty="medecine-generale", near="Paris", limit=1)
        slot = s.execute(
            select(Slot.starts_at).where(
                Slot.practitioner_id == first.practitioner_id, Slot.taken == false()
            )
        ).scalar_one()
    assert first.practitioner_id == with_slot[0]
    assert first.next_free_slot == slot
    assert first.place.id == first.practitioner_id
    assert first.distance_km < 1


def test_a_renamed_practitioner_is_found_by_the_new_name_only(directory):
    from server.models import Practitioner  # noqa: PLC0415

    with directory.writing() as s:
        roux = s.scalars(select(Practitioner).where(Practitioner.last_name == "Roux")).one()
        roux.last_name = "Rousseau-Vidal"
        roux.name_key = fold(f"{roux.first_name} {roux.last_name}")
    with directory.reading() as s:
        assert names(search(s, q="vidal")) == ["Rousseau-Vidal"]
        assert search(s, q="roux") == []


def test_names_written_in_bulk_are_found_once_indexed(db):
    from sqlalchemy import insert  # noqa: PLC0415

    from server.models import Place, Practitioner  # noqa: PLC0415
    from server.services.search import index_names  # noqa: PLC0415

    with db.writing() as s:
        ensure_specialties(s)
        s.execute(
            insert(Practitioner),
            [
                {
                    "id": 900 + n,
                    "first_name": "Anaïs",
                    "last_name": last,
                    "name_key": fold(f"Anaïs {last}"),
                    "profession": "Médecin",
                    "specialty_code": "medecine-generale",
                    "languages": ["fr"],
                    "payment_means": [],
                }
                for n, last in enumerate(["D'Almeida", "Le Gall"])
            ],
        )
        s.execute(
            insert(Place),
            [{"practitioner_id": 900, **SIN_LE_NOBLE}, {"practitioner_id": 901, **LILLE}],
        )
        index_names(s, [900, 901])
    with db.reading() as s:
        assert names(search(s, q="dalmeida")) == ["D'Almeida"]
        assert names(search(s, q="anais le gal")) == ["Le Gall"]
