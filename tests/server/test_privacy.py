"""Safety across the whole API: no personal data in logs; one account never sees another's data."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from server.services.worker import run_worker
from tests.factories import add_opening_hours, make_practitioner, make_slot
from tests.server.sms_sign_in import create_account, last_code

FIRST_NAME, LAST_NAME, BIRTH_NAME = "Émilie-Anne", "N'Diaye", "Kouassi"
RELATIVE_FIRST, RELATIVE_LAST = "Zéphyrin", "Belkacem"
PHONE_TYPED, PHONE_E164 = "06 98 76 54 32", "+33698765432"
EMAIL = "emilie.ndiaye@exemple.fr"
PROFILE = {
    "sex": "F",
    "first_name": FIRST_NAME,
    "last_name": LAST_NAME,
    "birth_name": BIRTH_NAME,
    "birth_date": "1947-11-29",
    "address": "17 rue des Glycines",
    "postcode": "59500",
    "city": "Douai",
    "email": EMAIL,
}


def _book_through_the_api(client, db, headers, patient_id) -> int:
    with db.writing() as session:
        practitioner = make_practitioner(session)
        rule = add_opening_hours(session, practitioner, weekdays=[0])[0]
        slot = make_slot(session, practitioner, starts_in=timedelta(days=3), opening=rule)
        slot_id, motive_id = slot.id, practitioner.motives[0].id
    hold = client.post(
        "/api/v1/appointments",
        json={
            "slot_id": slot_id,
            "motive_id": motive_id,
            "patient_id": patient_id,
            "first_visit": True,
        },
        headers={**headers, "Idempotency-Key": "privacy-1"},
    )
    assert hold.status_code == 201, hold.json()
    confirm = client.post(
        f"/api/v1/appointments/{hold.json()['id']}/confirm",
        headers={**headers, "Idempotency-Key": "privacy-2"},
    )
    assert confirm.status_code == 200, confirm.json()
    return hold.json()["id"]


def test_no_log_line_holds_a_name_phone_birth_date_email_or_code(client, db, settings, caplog):
    caplog.set_level(logging.DEBUG)
    headers = create_account(client, db, PHONE_TYPED, **PROFILE)
    code = last_code(db, PHONE_E164)
    relative = client.post(
        "/api/v1/me/relatives",
        json={
            "sex": "M",
            "first_name": RELATIVE_FIRST,
            "last_name": RELATIVE_LAST,
            "birth_date": "2015-06-01",
        },
        headers=headers,
    ).json()
    appointment_id = _book_through_the_api(client, db, headers, relative["id"])
    client.get("/api/v1/me/appointments", headers=headers)
    client.put("/api/v1/me", json={"first_name": "😀" * 3}, headers=headers)  # refused input
    client.post("/api/v1/verifications", json={"phone": "01 23 45 67 89"})  # a landline
    run_worker(db, settings, once=True)
    client.post(f"/api/v1/appointments/{appointment_id}/cancel", headers=headers)
    client.delete("/api/v1/me", headers=headers)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /appointments/{appointment_id}/confirm 200" in logged  # the access log ran
    secrets = [
        FIRST_NAME,
        LAST_NAME,
        BIRTH_NAME,
        RELATIVE_FIRST,
        RELATIVE_LAST,
        "Emilie",
        "Diaye",
        "0698765432",
        "698765432",
        "98 76 54 32",
        "1947-11-29",
        "29/11/1947",
        "2015-06-01",
        EMAIL,
        "Glycines",
        code,
        "0123456789",
        "23 45 67 89",
    ]
    assert [s for s in secrets if s in logged] == []


@pytest.fixture
def two_accounts(client, db):
    """Alice and Bruno, each with a relative and an appointment."""
    people = {}
    for name, phone in (("alice", "06 11 11 11 11"), ("bruno", "07 81 22 22 22")):
        headers = create_account(
            client,
            db,
            phone,
            sex="F",
            first_name=name.title(),
            last_name="Fictive",
            birth_date="1960-01-01",
        )
        relative = client.post(
            "/api/v1/me/relatives",
            json={
                "sex": "M",
                "first_name": "Proche",
                "last_name": name.title(),
                "birth_date": "2010-01-01",
            },
            headers=headers,
        ).json()
        appointment_id = _book_through_the_api(client, db, headers, relative["id"])
        listed = client.get("/api/v1/me/appointments", headers=headers).json()
        waitlist = client.post(
            "/api/v1/waitlist",
            json={
                "practitioner_id": listed["appointments"][0]["practitioner_id"],
                "patient_id": relative["id"],
            },
            headers=headers,
        )
        people[name] = {
            "headers": headers,
            "relative_id": relative["id"],
            "appointment_id": appointment_id,
            "waitlist_id": waitlist.json().get("id"),
        }
    return people


def test_every_id_of_another_account_is_not_found(client, two_accounts):
    alice, bruno = two_accounts["alice"], two_accounts["bruno"]
    assert bruno["waitlist_id"] is not None
    as_alice = alice["headers"]
    attempts = [
        client.put(
            f"/api/v1/me/relatives/{bruno['relative_id']}",
            json={"first_name": "X"},
            headers=as_alice,
        ),
        client.delete(f"/api/v1/me/relatives/{bruno['relative_id']}", headers=as_alice),
        client.post(f"/api/v1/appointments/{bruno['appointment_id']}/confirm", headers=as_alice),
        client.post(f"/api/v1/appointments/{bruno['appointment_id']}/cancel", headers=as_alice),
        client.post(
            f"/api/v1/appointments/{bruno['appointment_id']}/move",
            json={"slot_id": 1},
            headers=as_alice,
        ),
        client.delete(f"/api/v1/waitlist/{bruno['waitlist_id']}", headers=as_alice),
        client.post(
            "/api/v1/waitlist",
            json={"practitioner_id": 1, "patient_id": bruno["relative_id"]},
            headers=as_alice,
        ),
    ]
    assert [a.status_code for a in attempts] == [404] * len(attempts)
    seen = client.get("/api/v1/me", headers=as_alice).json()
    listed = client.get("/api/v1/me/appointments", headers=as_alice).json()["appointments"]
    assert "Bruno" not in str(seen) + str(listed)
    assert [a["id"] for a in listed] == [alice["appointment_id"]]
