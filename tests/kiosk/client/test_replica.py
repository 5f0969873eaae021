"""The kiosk's copy of the directory: kept fresh from the feed, it answers when offline."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from kiosk.client.services import KioskServices
from kiosk.workflows.services import Offline
from server.clock import utcnow
from server.models import DirectoryChange, Place, Practitioner, Slot
from server.services.sync import compact_changes
from tests.conftest import DOUAI_INSEE
from tests.kiosk.client.conftest import closed_port_url
from tests.kiosk.client.people import ARRAS, SIN_LE_NOBLE, Doctor, add_doctor

LYON = {"commune_insee": "69123", "postcode": "69001", "city": "Lyon", "lat": 45.764, "lng": 4.8357}


@pytest.fixture
def area(db) -> dict[str, Doctor]:
    """General practitioners around Douai (one not bookable, one 25 km away), a
    physiotherapist, and one in Lyon, outside the kiosk's area."""
    return {
        "near": add_doctor(db, last_name="Voisin", place=SIN_LE_NOBLE),
        "later": add_doctor(db, last_name="Tardif", slots_in=[timedelta(days=5)]),
        "phone_only": add_doctor(db, last_name="Téléphone", bookable_online=False),
        "far": add_doctor(db, last_name="Lointain", place=ARRAS),
        "kine": add_doctor(
            db, first_name="Élodie", last_name="Lefèvre", specialty=("kine", "Kinésithérapeute")
        ),
        "lyon": add_doctor(db, last_name="Lyonnais", place=LYON),
    }


def _go_offline(services: KioskServices) -> None:
    services.api.base_url = closed_port_url()


def _synced(services: KioskServices) -> KioskServices:
    services.home()
    services.replica.sync(services.api, page_size=3)
    return services


def test_offline_search_by_specialty_is_near_the_kiosk_soonest_then_nearest(
    services: KioskServices, area: dict[str, Doctor]
) -> None:
    _go_offline(_synced(services))
    page = services.search(specialty="medecine-generale", name=None, near=DOUAI_INSEE)
    assert page.offline is True and page.near.insee == DOUAI_INSEE
    assert [f.id for f in page.results] == [
        area["near"].id,  # free in 2 days, 2 km away
        area["later"].id,  # free in 5 days
        area["phone_only"].id,  # cannot be booked online: listed with its phone
    ]
    near, _, phone_only = page.results
    assert near.city == "Sin-le-Noble" and 1 < near.distance_km < 5
    assert near.next_free_slot.utcoffset() is not None
    assert phone_only.next_free_slot is None and phone_only.phone == "0327000000"
    assert not phone_only.bookable_online


def test_offline_search_by_name_ignores_accents_and_case(
    services: KioskServices, area: dict[str, Doctor]
) -> None:
    _go_offline(_synced(services))
    page = services.search(specialty=None, name="Dr LEFEVRE elo", near=DOUAI_INSEE)
    assert [f.id for f in page.results] == [area["kine"].id]
    assert services.search(specialty=None, name="lyonnais", near=DOUAI_INSEE).results == []


def test_offline_results_come_page_by_page(services: KioskServices, area) -> None:
    _go_offline(_synced(services))
    first = services.search(specialty="medecine-generale", name=None, near=DOUAI_INSEE, limit=2)
    rest = services.search(
        specialty="medecine-generale", name=None, near=DOUAI_INSEE, offset=2, limit=2
    )
    assert len(first.results) == 2 and [f.id for f in rest.results] == [area["phone_only"].id]


def test_card_motives_and_slots_offline_match_the_servers(
    services: KioskServices, area: dict[str, Doctor]
) -> None:
    doctor = area["near"]
    online = (
        services.card(doctor.id),
        services.motives(doctor.id),
        services.slots(doctor.id, doctor.motive_ids[0], date.today()),
    )
    _go_offline(_synced(services))
    offline = (
        services.card(doctor.id),
        services.motives(doctor.id),
        services.slots(doctor.id, doctor.motive_ids[0], date.today()),
    )
    assert offline == online
    assert [s.id for s in offline[2]] == doctor.slot_ids


def test_offline_what_the_copy_does_not_hold_is_offline(services: KioskServices, area) -> None:
    _go_offline(_synced(services))
    with pytest.raises(Offline):
        services.card(area["lyon"].id)
    with pytest.raises(Offline):
        services.motives(area["lyon"].id)


def test_offline_communes_are_found_among_those_known(services: KioskServices, area) -> None:
    _go_offline(_synced(services))
    assert services.home().insee == DOUAI_INSEE
    assert [c.insee for c in services.find_communes("sin le")] == ["59569"]
    assert [c.label for c in services.find_communes("douai")] == ["Douai (59)"]


def test_the_copy_follows_bookings_moves_and_departures(
    services: KioskServices, db, area: dict[str, Doctor]
) -> None:
    _synced(services)
    with db.writing() as session:
        session.get(Slot, area["near"].slot_ids[0]).taken = True
        leaving = session.scalars(
            select(Place).where(Place.practitioner_id == area["later"].id)
        ).one()
        leaving.lat, leaving.lng = LYON["lat"], LYON["lng"]
        session.get(Practitioner, area["kine"].id).last_name = "Nouveau"
    assert services.replica.sync(services.api, page_size=2) > 0
    _go_offline(services)
    doctor = area["near"]
    free = services.slots(doctor.id, doctor.motive_ids[0], date.today())
    assert [s.id for s in free] == doctor.slot_ids[1:]
    page = services.search(specialty="medecine-generale", name=None, near=DOUAI_INSEE)
    assert area["later"].id not in [f.id for f in page.results]
    with pytest.raises(Offline):
        services.card(area["later"].id)
    assert services.card(area["kine"].id).last_name == "Nouveau"


def test_a_copy_told_to_start_again_copies_the_area_anew(
    services: KioskServices, db, area: dict[str, Doctor]
) -> None:
    _synced(services)
    newcomer = add_doctor(db, last_name="Arrivant")
    with db.writing() as session:
        session.execute(update(DirectoryChange).values(changed_at=utcnow() - timedelta(days=40)))
        assert compact_changes(session, older_than_days=30) > 0
    services.replica.sync(services.api)  # the server answers 409 "resync" first
    _go_offline(services)
    assert services.card(newcomer.id).last_name == "Arrivant"
    page = services.search(specialty="medecine-generale", name=None, near=DOUAI_INSEE)
    assert len(page.results) == 4


def test_a_copy_cut_off_midway_keeps_the_previous_one(
    services: KioskServices, files, area: dict[str, Doctor]
) -> None:
    _synced(services)
    with sqlite3.connect(files["replica"]) as other:  # as if it had never synced: copy again
        other.execute("DELETE FROM meta WHERE name = 'cursor'")
    _go_offline(services)
    with pytest.raises(Offline):
        services.replica.sync(services.api)
    assert services.card(area["near"].id).last_name == "Voisin"
