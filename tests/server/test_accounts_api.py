"""The person's account through the HTTP API: creation with consent, profile, e-mail, erasure."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import func, select

from server.models import (
    Account,
    Appointment,
    AppointmentStatus,
    AuthSession,
    OutboxMessage,
    Patient,
    Verification,
)
from server.services.outbox import enqueue
from tests.factories import make_appointment
from tests.server.sms_sign_in import (
    PHONE,
    age_codes,
    create_account,
    expire_codes,
    last_code,
    sign_in_by_sms,
)

FULL_PROFILE = {
    "sex": "F",
    "first_name": "Émilie-Anne",
    "last_name": "N'Diaye",
    "birth_name": "D’Artagnan",
    "birth_date": "1950-03-03",
    "born_in_france": True,
    "birth_commune_insee": "59178",
    "address": "12 bis, rue de la Fiction",
    "postcode": "59500",
    "city": "Douai",
}


def _count(db, model) -> int:  # noqa: ANN001
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def _holder(db) -> Patient:  # noqa: ANN001
    with db.reading() as session:
        return session.scalar(select(Patient).where(Patient.is_account_holder.is_(True)))


# ------------------------------------------------------------------------- creation


def test_without_consent_no_account_is_created(client, db) -> None:
    headers = sign_in_by_sms(client, db)
    for body in ({}, {"consent": False}, {"first_name": "Jean"}):
        answer = client.put("/api/v1/me", json=body, headers=headers)
        assert answer.status_code == 422
        assert answer.json()["field"] == "consent"
        assert answer.json()["message"].startswith("Accord : ")
    assert _count(db, Account) == 0
    assert _count(db, Patient) == 0


def test_before_the_account_exists_me_says_no_account(client, db) -> None:
    headers = sign_in_by_sms(client, db)
    for path in ("/api/v1/me", "/api/v1/me/relatives"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 403
        assert answer.json()["error"] == "no_account"


def test_consent_creates_the_account_of_the_verified_phone(client, db) -> None:
    headers = sign_in_by_sms(client, db, "+33 6 12 34 56 78")
    answer = client.put("/api/v1/me", json={"consent": True}, headers=headers)
    assert answer.status_code == 200
    assert answer.json()["account"] == {
        "phone": "06 12 34 56 78",
        "email": None,
        "email_verified": False,
        "language": "fr",
    }
    assert answer.json()["profile"]["profile_complete"] is False
    assert answer.json()["relatives"] == []
    # The same session now reaches the account.
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with db.reading() as session:
        account = session.scalar(select(Account))
    assert account.phone == PHONE
    assert account.consent_at is not None


def test_account_and_profile_can_be_created_in_one_request(client, db) -> None:
    headers = sign_in_by_sms(client, db)
    answer = client.put("/api/v1/me", json={"consent": True, **FULL_PROFILE}, headers=headers)
    profile = answer.json()["profile"]
    assert profile["first_name"] == "Émilie-Anne"
    assert profile["last_name"] == "N'Diaye"
    assert profile["birth_name"] == "D’Artagnan"
    assert profile["birth_date"] == "1950-03-03"
    assert profile["profile_complete"] is True
    assert _holder(db).name_key == "emilie anne n diaye"


def test_a_second_session_of_the_same_phone_joins_the_existing_account(client, db) -> None:
    first = sign_in_by_sms(client, db)
    age_codes(db, PHONE, timedelta(minutes=2))
    second = sign_in_by_sms(client, db)
    client.put("/api/v1/me", json={"consent": True, "first_name": "Jean"}, headers=first)
    answer = client.put("/api/v1/me", json={"last_name": "Martin"}, headers=second)
    assert answer.status_code == 200
    assert answer.json()["profile"]["first_name"] == "Jean"
    assert _count(db, Account) == 1


# -------------------------------------------------------------------------- profile


def test_only_sex_names_and_birth_date_make_a_profile_complete(client, db) -> None:
    headers = create_account(client, db)
    steps = [
        {"sex": "M"},
        {"first_name": "Jean"},
        {"last_name": "Martin"},
        {"birth_date": "03/03/1950"},
    ]
    complete = [
        client.put("/api/v1/me", json=step, headers=headers).json()["profile"]["profile_complete"]
        for step in steps
    ]
    assert complete == [False, False, False, True]


def test_a_partial_update_keeps_what_was_entered(client, db) -> None:
    headers = create_account(client, db, **FULL_PROFILE)
    answer = client.put("/api/v1/me", json={"city": "Sin-le-Noble"}, headers=headers)
    profile = answer.json()["profile"]
    assert profile["city"] == "Sin-le-Noble"
    assert profile["first_name"] == "Émilie-Anne"
    assert profile["postcode"] == "59500"
    assert profile["birth_date"] == "1950-03-03"


def test_null_clears_an_optional_field(client, db) -> None:
    headers = create_account(client, db, **FULL_PROFILE)
    answer = client.put("/api/v1/me", json={"address": None, "city": ""}, headers=headers)
    assert answer.json()["profile"]["address"] is None
    assert answer.json()["profile"]["city"] is None


def test_names_are_trimmed_and_spaces_collapsed(client, db) -> None:
    headers = create_account(client, db)
    answer = client.put(
        "/api/v1/me",
        json={"first_name": "  Jean   Pierre ", "last_name": "de\tla  Fontaine"},
        headers=headers,
    )
    assert answer.json()["profile"]["first_name"] == "Jean Pierre"
    assert answer.json()["profile"]["last_name"] == "de la Fontaine"
    assert _holder(db).name_key == "jean pierre de la fontaine"


@pytest.mark.parametrize(
    "name", ["Émilie-Anne", "N'Diaye", "D’Artagnan", "Zoë", "Ngọc Anh", "Œdipe", "Le Floc'h"]
)
def test_real_names_are_accepted(client, db, name: str) -> None:
    headers = create_account(client, db)
    answer = client.put("/api/v1/me", json={"first_name": name}, headers=headers)
    assert answer.status_code == 200
    assert answer.json()["profile"]["first_name"] == name


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Jean 😀", "seulement des lettres"),
        ("Jean2", "chiffres"),
        ("Je\x00an", "seulement des lettres"),
        ("Jean\u200b", "seulement des lettres"),
        ("x" * 300, "100 caractères au maximum"),
        ("x" * 101, "100 caractères au maximum"),
        ("- '", "au moins une lettre"),
        (42, "pas valide"),
    ],
)
def test_bad_names_are_refused_naming_the_field_and_nothing_is_lost(
    client, db, value: object, reason: str
) -> None:
    headers = create_account(client, db, **FULL_PROFILE)
    for field, label in (("first_name", "Prénom"), ("last_name", "Nom"), ("birth_name", None)):
        answer = client.put("/api/v1/me", json={field: value, "city": "Lille"}, headers=headers)
        assert answer.status_code == 422
        assert answer.json()["field"] == field
        assert reason in answer.json()["message"]
        if label:
            assert answer.json()["message"].startswith(f"{label} : ")
    profile = client.get("/api/v1/me", headers=headers).json()["profile"]
    assert profile["first_name"] == "Émilie-Anne"
    assert profile["city"] == "Douai"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1950-03-03", "1950-03-03"),
        ("03/03/1950", "1950-03-03"),
        ("3/3/1950", "1950-03-03"),
        ("29/02/2000", "2000-02-29"),
        ("01/01/1900", "1900-01-01"),
    ],
)
def test_a_birth_date_can_be_typed_the_french_or_the_iso_way(
    client, db, typed: str, stored: str
) -> None:
    headers = create_account(client, db)
    answer = client.put("/api/v1/me", json={"birth_date": typed}, headers=headers)
    assert answer.json()["profile"]["birth_date"] == stored


def test_today_is_a_valid_birth_date_for_a_newborn(client, db) -> None:
    headers = create_account(client, db)
    today = date.today().isoformat()
    assert client.put("/api/v1/me", json={"birth_date": today}, headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/1950", "Date de naissance : cette date n'existe pas."),
        ("1950-02-31", "Date de naissance : cette date n'existe pas."),
        ("29/02/1951", "Date de naissance : cette date n'existe pas."),
        ("03/13/1950", "Date de naissance : cette date n'existe pas."),
        ("12/12/2999", "Date de naissance : cette date est dans le futur."),
        ("31/12/1899", "Date de naissance : l'année doit être 1900 ou après."),
        ("le 3 mars", "Date de naissance : écrivez la date comme 03/03/1950."),
        ("1950-3-3", "Date de naissance : écrivez la date comme 03/03/1950."),
    ],
)
def test_impossible_birth_dates_are_refused(client, db, typed: str, message: str) -> None:
    headers = create_account(client, db, **FULL_PROFILE)
    answer = client.put("/api/v1/me", json={"birth_date": typed}, headers=headers)
    assert answer.status_code == 422
    assert answer.json() == {"error": "invalid", "message": message, "field": "birth_date"}
    assert _holder(db).birth_date == date(1950, 3, 3)


def test_a_future_birth_date_tomorrow_is_refused(client, db) -> None:
    headers = create_account(client, db)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    answer = client.put("/api/v1/me", json={"birth_date": tomorrow}, headers=headers)
    assert answer.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"postcode": "5950"}, "postcode"),
        ({"postcode": "ABCDE"}, "postcode"),
        ({"postcode": "595000"}, "postcode"),
        ({"sex": "X"}, "sex"),
        ({"birth_commune_insee": "5917"}, "birth_commune_insee"),
        ({"birth_country": "Maroc 🇲🇦"}, "birth_country"),
        ({"address": "1 rue 😀"}, "address"),
        ({"address": "a" * 301}, "address"),
        ({"city": "c" * 101}, "city"),
        ({"born_in_france": "peut-être"}, "born_in_france"),
        ({"language": "français!"}, "language"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"email": "jean martin@exemple.fr"}, "email"),
    ],
)
def test_other_bad_fields_are_refused_naming_the_field(client, db, body: dict, field: str) -> None:
    headers = create_account(client, db, **FULL_PROFILE)
    answer = client.put("/api/v1/me", json=body, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["field"] == field
    assert " : " in answer.json()["message"]


def test_postcode_spaces_sex_case_and_corsica_are_tidied(client, db) -> None:
    headers = create_account(client, db)
    answer = client.put(
        "/api/v1/me",
        json={"postcode": "59 500", "sex": "f", "birth_commune_insee": "2a004"},
        headers=headers,
    )
    profile = answer.json()["profile"]
    assert (profile["postcode"], profile["sex"], profile["birth_commune_insee"]) == (
        "59500",
        "F",
        "2A004",
    )


def test_born_abroad_keeps_a_country_and_drops_the_commune(client, db) -> None:
    headers = create_account(client, db, **FULL_PROFILE)
    answer = client.put(
        "/api/v1/me",
        json={"born_in_france": False, "birth_country": "Côte d'Ivoire"},
        headers=headers,
    )
    profile = answer.json()["profile"]
    assert profile["birth_country"] == "Côte d'Ivoire"
    assert profile["birth_commune_insee"] is None


def test_the_language_is_kept_on_the_account(client, db) -> None:
    headers = create_account(client, db)
    answer = client.put("/api/v1/me", json={"language": "EN"}, headers=headers)
    assert answer.json()["account"]["language"] == "en"


def test_a_body_that_is_not_json_is_refused_plainly(client, db) -> None:
    headers = create_account(client, db)
    answer = client.put(
        "/api/v1/me", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_json"


# --------------------------------------------------------------------------- e-mail


def test_a_new_email_is_unverified_until_its_code_is_checked(client, db) -> None:
    headers = create_account(client, db)
    answer = client.put("/api/v1/me", json={"email": " Jean.Martin@Exemple.FR "}, headers=headers)
    assert answer.json()["account"]["email"] == "Jean.Martin@exemple.fr"
    assert answer.json()["account"]["email_verified"] is False
    code = last_code(db, "Jean.Martin@exemple.fr", channel="email")
    wrong = client.post(
        "/api/v1/me/email/check", json={"code": f"{(int(code) + 1) % 10**6:06d}"}, headers=headers
    )
    assert wrong.status_code == 422
    assert wrong.json()["message"] == "Ce code n'est pas le bon. Il vous reste 4 essais."
    right = client.post("/api/v1/me/email/check", json={"code": code}, headers=headers)
    assert right.status_code == 200
    assert right.json()["account"]["email_verified"] is True


def test_changing_the_email_makes_it_unverified_and_sends_a_new_code(client, db) -> None:
    headers = create_account(client, db, email="jean@exemple.fr")
    code = last_code(db, "jean@exemple.fr", channel="email")
    client.post("/api/v1/me/email/check", json={"code": code}, headers=headers)
    # The same, already verified address sent again stays verified and sends nothing.
    same = client.put("/api/v1/me", json={"email": "jean@exemple.fr"}, headers=headers)
    assert same.json()["account"]["email_verified"] is True
    changed = client.put("/api/v1/me", json={"email": "jean2@exemple.fr"}, headers=headers)
    assert changed.json()["account"]["email_verified"] is False
    assert len(last_code(db, "jean2@exemple.fr", channel="email")) == 6
    with db.reading() as session:
        sent = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.channel == "email")
        )
    assert sent == 2


def test_an_email_code_for_an_older_address_does_not_verify_the_new_one(client, db) -> None:
    headers = create_account(client, db, email="jean@exemple.fr")
    old_code = last_code(db, "jean@exemple.fr", channel="email")
    client.put("/api/v1/me", json={"email": "jean2@exemple.fr"}, headers=headers)
    answer = client.post("/api/v1/me/email/check", json={"code": old_code}, headers=headers)
    assert answer.status_code == 422
    assert client.get("/api/v1/me", headers=headers).json()["account"]["email_verified"] is False


def test_an_expired_email_code_is_refused(client, db) -> None:
    headers = create_account(client, db, email="jean@exemple.fr")
    code = last_code(db, "jean@exemple.fr", channel="email")
    expire_codes(db, "jean@exemple.fr")
    answer = client.post("/api/v1/me/email/check", json={"code": code}, headers=headers)
    assert answer.json()["error"] == "code_expired"


def test_removing_the_email_clears_it(client, db) -> None:
    headers = create_account(client, db, email="jean@exemple.fr")
    answer = client.put("/api/v1/me", json={"email": None}, headers=headers)
    assert answer.json()["account"]["email"] is None
    assert answer.json()["account"]["email_verified"] is False


# --------------------------------------------------------------------- logout, erasure


def test_logout_ends_the_session(client, db) -> None:
    headers = create_account(client, db)
    assert client.post("/api/v1/me/logout", headers=headers).status_code == 204
    answer = client.get("/api/v1/me", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] == "session_expired"


def test_erasing_the_account_removes_the_people_and_keeps_past_appointments_anonymous(
    client, db
) -> None:
    headers = create_account(client, db, email="jean@exemple.fr", **FULL_PROFILE)
    relative = client.post(
        "/api/v1/me/relatives", json={"first_name": "Léo", "last_name": "N'Diaye"}, headers=headers
    ).json()
    other_headers = create_account(client, db, "07 81 23 45 67", first_name="Autre")
    with db.writing() as session:
        account_id = session.scalar(select(Account.id).where(Account.phone == PHONE))
        holder_id = _holder(db).id
        past = make_appointment(
            session,
            patient_id=holder_id,
            account_id=account_id,
            starts_in=timedelta(days=-3),
            status=AppointmentStatus.HONOURED,
        )
        past_relative = make_appointment(
            session,
            patient_id=relative["id"],
            account_id=account_id,
            starts_in=timedelta(days=-2),
            status=AppointmentStatus.MISSED,
        )
        reminder = enqueue(session, kind="reminder", channel="sms", recipient=PHONE, body="x")
        sent = enqueue(session, kind="confirmation", channel="sms", recipient=PHONE, body="y")
        sent.status = "sent"
        session.flush()
        reminder_id, sent_id = reminder.id, sent.id

    assert client.delete("/api/v1/me", headers=headers).status_code == 204

    with db.reading() as session:
        assert session.scalar(select(Account).where(Account.phone == PHONE)) is None
        assert session.scalar(select(func.count()).select_from(Patient)) == 1  # the other one
        for appointment_id in (past, past_relative):
            kept = session.get(Appointment, appointment_id)
            assert (kept.patient_id, kept.account_id) == (None, None)
        assert session.get(OutboxMessage, reminder_id).status == "cancelled"
        assert session.get(OutboxMessage, sent_id).status == "sent"
        pending_to_email = session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.recipient == "jean@exemple.fr")
        ).all()
        assert pending_to_email == ["cancelled"]
        assert (
            session.scalars(
                select(Verification).where(Verification.target.in_([PHONE, "jean@exemple.fr"]))
            ).all()
            == []
        )
        assert session.scalars(select(AuthSession).where(AuthSession.phone == PHONE)).all() == []
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=other_headers).status_code == 200


def test_after_erasure_the_same_phone_starts_afresh(client, db) -> None:
    headers = create_account(client, db, **FULL_PROFILE)
    client.delete("/api/v1/me", headers=headers)
    age_codes(db, PHONE, timedelta(minutes=2))
    headers = sign_in_by_sms(client, db)
    assert client.get("/api/v1/me", headers=headers).json()["error"] == "no_account"
    answer = client.put("/api/v1/me", json={"consent": True}, headers=headers)
    assert answer.json()["profile"]["first_name"] is None


def test_erasure_cancels_future_appointments_first(client, db) -> None:
    headers = create_account(client, db, **FULL_PROFILE)
    with db.writing() as session:
        account_id = session.scalar(select(Account.id))
        future = make_appointment(
            session,
            patient_id=_holder(db).id,
            account_id=account_id,
            starts_in=timedelta(days=5),
            status=AppointmentStatus.CONFIRMED,
        )
    client.delete("/api/v1/me", headers=headers)
    with db.reading() as session:
        kept = session.get(Appointment, future)
    assert kept.status == AppointmentStatus.CANCELLED
    assert kept.patient_id is None


def test_erasure_needs_a_session(client) -> None:
    assert client.delete("/api/v1/me").status_code == 401


def test_two_sessions_creating_the_account_at_once_make_one_account(
    client, db, live_server, kiosk
) -> None:
    tokens = []
    for _ in range(4):
        tokens.append(sign_in_by_sms(client, db)["Authorization"])
        age_codes(db, PHONE, timedelta(minutes=61))
    barrier = threading.Barrier(len(tokens))

    def create(token: str) -> int:
        barrier.wait()
        return requests.put(
            f"{live_server}/api/v1/me",
            json={"consent": True, "first_name": "Jean"},
            headers={"X-Kiosk-Token": kiosk.token, "Authorization": token},
        ).status_code

    with ThreadPoolExecutor(len(tokens)) as pool:
        assert list(pool.map(create, tokens)) == [200] * len(tokens)
    assert _count(db, Account) == 1
    assert _count(db, Patient) == 1


def test_saving_the_same_unverified_email_again_resends_a_code_at_most_once_a_minute(
    client, db
) -> None:
    headers = create_account(client, db, email="jean@exemple.fr")
    again = client.put("/api/v1/me", json={"email": "jean@exemple.fr"}, headers=headers)
    assert again.status_code == 200

    def sent() -> int:
        with db.reading() as session:
            return session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.recipient == "jean@exemple.fr")
            )

    assert sent() == 1
    age_codes(db, "jean@exemple.fr", timedelta(seconds=61))
    client.put("/api/v1/me", json={"email": "jean@exemple.fr"}, headers=headers)
    assert sent() == 2
    code = last_code(db, "jean@exemple.fr", channel="email")
    answer = client.post("/api/v1/me/email/check", json={"code": code}, headers=headers)
    assert answer.json()["account"]["email_verified"] is True
