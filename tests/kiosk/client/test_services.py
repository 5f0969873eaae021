"""The journeys' door to the server, online: every answer is what the real server said."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.client.services import KioskServices, open_services
from kiosk.workflows.services import Appointment, Offline, ServiceError, dump, load
from server.models import Appointment as AppointmentRow
from server.models import AppointmentStatus
from tests.conftest import DOUAI_INSEE
from tests.kiosk.client.conftest import closed_port_url
from tests.kiosk.client.people import ARRAS, add_doctor, add_person, sign_in_at_kiosk


def test_home_is_the_commune_of_the_kiosk(services: KioskServices) -> None:
    home = services.home()
    assert (home.insee, home.name, home.label) == (DOUAI_INSEE, "Douai", "Douai (59)")


def test_communes_are_found_by_name_or_postcode(services: KioskServices) -> None:
    assert services.find_communes("douai")[0].insee == DOUAI_INSEE
    assert DOUAI_INSEE in [c.insee for c in services.find_communes("59500")]


def test_search_finds_practitioners_by_specialty_near_a_commune_soonest_first(
    services: KioskServices, db
) -> None:
    later = add_doctor(db, last_name="Tardif", slots_in=[timedelta(days=5)])
    sooner = add_doctor(db, last_name="Rapide", slots_in=[timedelta(days=2)])
    add_doctor(db, last_name="Lointain", place=ARRAS)
    page = services.search(specialty="medecine-generale", name=None, near=DOUAI_INSEE)
    assert [f.id for f in page.results] == [sooner.id, later.id]
    first = page.results[0]
    assert (first.last_name, first.specialty, first.city) == (
        "Rapide",
        "medecine-generale",
        "Douai",
    )
    assert first.specialty_label and first.bookable_online and first.distance_km is not None
    assert first.next_free_slot.utcoffset() is not None  # local time of the practice
    assert page.near.insee == DOUAI_INSEE and page.offline is False


def test_search_by_name_ignores_accents_and_case(services: KioskServices, db) -> None:
    doctor = add_doctor(db, first_name="Élodie", last_name="Lefèvre")
    page = services.search(specialty=None, name="ELODIE lefevre", near=DOUAI_INSEE)
    assert [f.id for f in page.results] == [doctor.id]


def test_card_motives_and_slots_come_from_the_server(services: KioskServices, db) -> None:
    doctor = add_doctor(db, languages=["fr", "ar"], payment_means=["vitale", "cash"])
    card = services.card(doctor.id)
    assert (card.first_name, card.specialty, card.convention_sector) == (
        "Claire",
        "medecine-generale",
        "1",
    )
    assert card.languages == ["fr", "ar"] and card.payment_means == ["vitale", "cash"]
    assert card.places[0].address == "1 rue de la Fiction" and card.places[0].wheelchair
    motives = services.motives(doctor.id)
    assert [m.id for m in motives] == doctor.motive_ids
    assert [m.open_to_new_patients for m in motives] == [True, False]
    slots = services.slots(doctor.id, doctor.motive_ids[0], date.today())
    assert [s.id for s in slots] == doctor.slot_ids
    assert slots[0].starts_at < slots[1].starts_at


def test_a_person_signs_in_with_the_code_sent_by_sms(services: KioskServices, db) -> None:
    patient_id = add_person(db)
    assert sign_in_at_kiosk(services, db) is True
    me = services.me()
    assert me.phone == "06 12 34 56 78"
    assert (me.profile.id, me.profile.first_name) == (patient_id, "Émilie-Anne")


def test_a_new_number_signs_in_then_creates_the_account(services: KioskServices, db) -> None:
    assert sign_in_at_kiosk(services, db) is False
    me = services.save_profile(
        {"sex": "F", "first_name": "Inès", "last_name": "Fictive", "birth_date": date(1980, 5, 4)},
        consent=True,
    )
    assert (me.profile.first_name, me.profile.birth_date) == ("Inès", date(1980, 5, 4))
    child = services.add_relative(
        {
            "first_name": "Noé",
            "last_name": "Fictive",
            "birth_date": "2015-02-01",
            "relationship": "enfant",
        }
    )
    assert child.relationship == "enfant"
    assert services.update_relative(child.id, {"first_name": "Noa"}).first_name == "Noa"
    services.remove_relative(child.id)
    assert services.me().relatives == []


def test_hold_then_confirm_books_the_slot(services: KioskServices, db) -> None:
    doctor = add_doctor(db)
    patient_id = add_person(db)
    sign_in_at_kiosk(services, db)
    held = services.hold(
        slot_id=doctor.slot_ids[0],
        motive_id=doctor.motive_ids[0],
        patient_id=patient_id,
        first_visit=True,
    )
    assert held.status == "pending" and held.practitioner_id == doctor.id
    confirmed = services.confirm(held.id)
    assert confirmed.status == "confirmed" and confirmed.reference == held.reference
    assert load(Appointment, dump(confirmed)) == confirmed  # fits in the flow state
    assert [a.id for a in services.appointments()] == [held.id]
    moved = services.move(held.id, doctor.slot_ids[1])
    assert moved.starts_at > held.starts_at
    assert services.cancel(held.id).status == "cancelled"


def test_a_refusal_carries_the_servers_french_message_and_field(
    services: KioskServices, db
) -> None:
    with pytest.raises(ServiceError) as refused:
        services.request_code("12")
    assert refused.value.status == 422 and refused.value.field == "phone"
    assert "portable" in refused.value.message.lower()
    with pytest.raises(ServiceError) as unknown:
        services.card(999_999)
    assert (unknown.value.code, unknown.value.status) == ("not_found", 404)
    assert unknown.value.message == "Ce praticien est introuvable."


def test_a_refused_write_is_not_kept_for_later(services: KioskServices, db) -> None:
    add_person(db)
    sign_in_at_kiosk(services, db)
    with pytest.raises(ServiceError) as refused:
        services.hold(slot_id=999_999, motive_id=1, patient_id=1, first_visit=True)
    assert refused.value.status in (404, 409, 422) and refused.value.message
    assert services.outbox.pending() == []


def test_a_confirm_that_cannot_be_sent_is_never_shown_confirmed(
    services: KioskServices, db, live_server: str
) -> None:
    doctor = add_doctor(db)
    patient_id = add_person(db)
    sign_in_at_kiosk(services, db)
    held = services.hold(
        slot_id=doctor.slot_ids[0],
        motive_id=doctor.motive_ids[0],
        patient_id=patient_id,
        first_visit=True,
    )
    services.api.base_url = closed_port_url()  # the network drops
    with pytest.raises(Offline) as offline:
        services.confirm(held.id)
    assert offline.value.queued is True
    with db.reading() as session:
        assert session.get(AppointmentRow, held.id).status == AppointmentStatus.PENDING
    services.api.base_url = live_server  # it is back
    assert services.outbox.drain() == 1
    assert services.outbox.drain() == 0
    with db.reading() as session:
        assert session.get(AppointmentRow, held.id).status == AppointmentStatus.CONFIRMED
        assert session.scalar(select(func.count()).select_from(AppointmentRow)) == 1


def test_personal_reads_need_a_signed_in_person(services: KioskServices) -> None:
    with pytest.raises(ServiceError) as refused:
        services.me()
    assert refused.value.code == "not_signed_in" and refused.value.status == 401


def test_a_kiosk_opens_its_services_with_its_files_in_one_folder(
    live_server: str, kiosk, tmp_path
) -> None:
    services = open_services(live_server, kiosk.token, tmp_path / "borne")
    assert services.home().insee == DOUAI_INSEE
    assert sorted(p.name for p in (tmp_path / "borne").glob("*.sqlite3")) == [
        "outbox.sqlite3",
        "replica.sqlite3",
    ]


def test_a_search_in_another_town_chosen_from_the_list_is_centred_on_it(
    services: KioskServices, db
) -> None:
    there = add_doctor(db, last_name="Arrageois", place=ARRAS)
    add_doctor(db, last_name="Douaisien")
    page = services.search(specialty="medecine-generale", name=None, near=ARRAS["commune_insee"])
    assert [f.id for f in page.results] == [there.id]
    assert page.near.name == "Arras"
