"""Relatives (proches) through the HTTP API: the holder manages them; nobody else sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.models import Appointment, AppointmentStatus, Patient
from server.services.kiosks import add_practice
from tests.factories import make_appointment
from tests.server.sms_sign_in import create_account

CHILD = {
    "relationship_label": "enfant",
    "sex": "M",
    "first_name": "Léo",
    "last_name": "N'Diaye",
    "birth_date": "12/05/2015",
}


def _add(client, headers, body=CHILD):  # noqa: ANN001, ANN202
    return client.post("/api/v1/me/relatives", json=body, headers=headers)


def test_a_relative_is_added_listed_and_shown_in_me(client, db) -> None:
    headers = create_account(client, db)
    answer = _add(client, headers)
    assert answer.status_code == 201
    relative = answer.json()
    assert relative["relationship_label"] == "enfant"
    assert relative["birth_date"] == "2015-05-12"
    assert relative["profile_complete"] is True
    assert client.get("/api/v1/me/relatives", headers=headers).json() == [relative]
    assert client.get("/api/v1/me", headers=headers).json()["relatives"] == [relative]
    with db.reading() as session:
        row = session.get(Patient, relative["id"])
    assert (row.is_account_holder, row.name_key) == (False, "leo n diaye")


def test_a_relative_sent_again_with_its_key_is_added_once(client, db) -> None:
    headers = {**create_account(client, db), "Idempotency-Key": "relative-once"}
    first, again = _add(client, headers), _add(client, headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert len(client.get("/api/v1/me/relatives", headers=headers).json()) == 1


def test_a_relative_needs_a_first_and_last_name(client, db) -> None:
    headers = create_account(client, db)
    answer = _add(client, headers, {"first_name": "Léo"})
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "invalid",
        "message": "Nom : ce champ est obligatoire.",
        "field": "last_name",
    }
    assert _add(client, headers, {"first_name": " ", "last_name": "Martin"}).json()["field"] == (
        "first_name"
    )


def test_a_relative_is_updated_partially(client, db) -> None:
    headers = create_account(client, db)
    relative_id = _add(client, headers).json()["id"]
    answer = client.put(
        f"/api/v1/me/relatives/{relative_id}",
        json={"first_name": "Léo-Paul", "postcode": "59500"},
        headers=headers,
    )
    assert answer.status_code == 200
    assert answer.json()["first_name"] == "Léo-Paul"
    assert answer.json()["birth_date"] == "2015-05-12"
    with db.reading() as session:
        assert session.get(Patient, relative_id).name_key == "leo paul n diaye"


def test_a_relatives_name_cannot_be_emptied(client, db) -> None:
    headers = create_account(client, db)
    relative_id = _add(client, headers).json()["id"]
    answer = client.put(
        f"/api/v1/me/relatives/{relative_id}", json={"last_name": ""}, headers=headers
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "last_name"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**CHILD, "first_name": "Léo 🦖"}, "first_name"),
        ({**CHILD, "last_name": "N" * 300}, "last_name"),
        ({**CHILD, "birth_date": "31/02/2015"}, "birth_date"),
        ({**CHILD, "birth_date": "2999-01-01"}, "birth_date"),
        ({**CHILD, "relationship_label": "x" * 41}, "relationship_label"),
        ({**CHILD, "sex": "garçon"}, "sex"),
    ],
)
def test_a_relative_gets_the_same_checks_as_the_profile(client, db, body: dict, field: str) -> None:
    headers = create_account(client, db)
    answer = _add(client, headers, body)
    assert answer.status_code == 422
    assert answer.json()["field"] == field
    assert client.get("/api/v1/me/relatives", headers=headers).json() == []


def test_a_relative_is_deleted(client, db) -> None:
    headers = create_account(client, db)
    relative_id = _add(client, headers).json()["id"]
    assert client.delete(f"/api/v1/me/relatives/{relative_id}", headers=headers).status_code == 204
    assert client.get("/api/v1/me/relatives", headers=headers).json() == []
    with db.reading() as session:
        assert session.get(Patient, relative_id) is None


def _book(db, patient_id: int, starts_in: timedelta, status: AppointmentStatus) -> int:  # noqa: ANN001
    with db.writing() as session:
        return make_appointment(session, patient_id=patient_id, starts_in=starts_in, status=status)


def test_a_relative_with_an_appointment_to_come_is_not_deleted(client, db) -> None:
    headers = create_account(client, db)
    relative_id = _add(client, headers).json()["id"]
    _book(db, relative_id, timedelta(days=3), AppointmentStatus.CONFIRMED)
    answer = client.delete(f"/api/v1/me/relatives/{relative_id}", headers=headers)
    assert answer.status_code == 409
    assert answer.json()["error"] == "has_appointments"


def test_deleting_a_relative_keeps_their_past_appointments_anonymous(client, db) -> None:
    headers = create_account(client, db)
    relative_id = _add(client, headers).json()["id"]
    past = _book(db, relative_id, timedelta(days=-3), AppointmentStatus.HONOURED)
    assert client.delete(f"/api/v1/me/relatives/{relative_id}", headers=headers).status_code == 204
    with db.reading() as session:
        assert session.get(Appointment, past).patient_id is None


def test_another_accounts_people_are_not_found(client, db) -> None:
    mine = create_account(client, db)
    theirs = create_account(client, db, "07 81 23 45 67")
    their_relative = _add(client, theirs).json()["id"]
    their_holder = client.get("/api/v1/me", headers=theirs).json()["profile"]["id"]
    my_holder = client.get("/api/v1/me", headers=mine).json()["profile"]["id"]
    with db.writing() as session:
        practice = add_practice(session, name="Cabinet de test", practitioner_ids=[])[0]
        practice_patient = Patient(first_name="Paul", last_name="Cabinet", practice_id=practice.id)
        session.add(practice_patient)
        session.flush()
        practice_patient_id = practice_patient.id
    for other in (their_relative, their_holder, my_holder, practice_patient_id, 999_999):
        put = client.put(f"/api/v1/me/relatives/{other}", json={"city": "Lille"}, headers=mine)
        delete = client.delete(f"/api/v1/me/relatives/{other}", headers=mine)
        assert (put.status_code, delete.status_code) == (404, 404), other
        assert put.json()["error"] == "not_found"
    assert client.get("/api/v1/me/relatives", headers=theirs).json()[0]["city"] is None
    with db.reading() as session:
        assert session.get(Patient, their_relative) is not None
        assert session.scalar(select(Patient.city).where(Patient.id == practice_patient_id)) is None


def test_relatives_need_a_signed_in_account(client, db) -> None:
    assert client.get("/api/v1/me/relatives").status_code == 401
    assert client.post("/api/v1/me/relatives", json=CHILD).status_code == 401
