"""Assisted booking (server/services/assistance.py): a counsellor acts for a visitor only
under the visitor's consent — confirmed by a code on the visitor's phone or by the visitor at
a kiosk, limited in time, revocable — and every action goes into an append-only journal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from server.config import Settings
from server.db import Database
from server.errors import ApiError
from server.models import Account, Appointment, Counsellor, JournalEntry, Mandate, OutboxMessage
from server.services import assistance, journal
from tests.server.booking_world import World, build_world
from tests.server.sms_sign_in import last_code

PHONE = "+33612345678"


@pytest.fixture
def world(db: Database, kiosk) -> World:  # noqa: ANN001
    return build_world(db, kiosk.id, phone=PHONE)


@pytest.fixture
def camille(db: Database) -> Counsellor:
    with db.writing() as session:
        counsellor = Counsellor(login="camille", name="Camille", password_hash="-", totp_secret="-")
        session.add(counsellor)
        session.flush()
        session.expunge(counsellor)
        return counsellor


def consent_by_code(
    db: Database, settings: Settings, counsellor: Counsellor, duration: str = "visit"
) -> Mandate:
    with db.writing() as session:
        asked = assistance.ask_by_code(session, settings, phone="06 12 34 56 78")
    with db.writing() as session:
        return assistance.confirm_by_code(
            session,
            settings,
            counsellor=counsellor,
            verification_id=asked.verification_id,
            code=last_code(db, PHONE),
            duration=duration,
        )


def book_for(
    db: Database, settings: Settings, counsellor: Counsellor, world: World, slot: int = 0
) -> Appointment:
    with db.writing() as session:
        return assistance.book_for(
            session,
            settings,
            counsellor=counsellor,
            account_id=world.account_id,
            slot_id=world.slot_ids[slot],
            motive_id=world.new_motive_id,
            patient_id=world.patient_id,
            first_visit=True,
        )


def entries(db: Database, account_id: int) -> list[JournalEntry]:
    with db.reading() as session:
        return journal.entries(session, account_id)


def test_without_consent_a_counsellor_can_do_nothing_for_the_visitor(
    db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    with pytest.raises(ApiError) as refused:
        book_for(db, settings, camille, world)
    assert refused.value.status == 403 and "accord" in refused.value.message


def test_the_code_sent_to_the_visitors_phone_confirms_the_consent_for_the_chosen_time(
    db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    mandate = consent_by_code(db, settings, camille, "day")
    assert (mandate.scope, mandate.duration, mandate.confirmed_by) == (
        "appointments",
        "day",
        "sms_code",
    )
    assert mandate.expires_at - mandate.granted_at == timedelta(days=1)
    [given] = entries(db, world.account_id)
    assert (given.action, given.counsellor_name) == ("consent_given", "Camille")


def test_the_code_sms_says_what_it_is_for_and_to_give_it_only_to_the_counsellor(
    db: Database, settings: Settings, world: World
) -> None:
    with db.writing() as session:
        assistance.ask_by_code(session, settings, phone=PHONE)
    with db.reading() as session:
        body = session.scalars(select(OutboxMessage.body)).all()[-1]
    assert "conseiller" in body and "seulement au conseiller devant vous" in body


def test_a_wrong_code_or_an_unknown_number_gives_no_consent(
    db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    with db.writing() as session:
        asked = assistance.ask_by_code(session, settings, phone=PHONE)
    with pytest.raises(ApiError) as wrong, db.writing() as session:
        assistance.confirm_by_code(
            session,
            settings,
            counsellor=camille,
            verification_id=asked.verification_id,
            code="000000",
            duration="day",
        )
    assert wrong.value.field == "code"
    with pytest.raises(ApiError) as unknown, db.writing() as session:
        assistance.ask_by_code(session, settings, phone="06 99 88 77 66")
    assert (unknown.value.status, unknown.value.field) == (404, "phone")
    with db.reading() as session:
        assert session.scalars(select(Mandate)).all() == []


def test_a_duration_outside_the_list_is_refused_naming_the_field(
    db: Database, world: World
) -> None:
    with pytest.raises(ApiError) as refused, db.writing() as session:
        assistance.give_at_kiosk(
            session, account=session.get(Account, world.account_id), duration="forever"
        )
    assert refused.value.field == "duration"


def test_under_consent_the_counsellor_books_moves_and_cancels_and_each_is_journaled(
    db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    consent_by_code(db, settings, camille)
    booked = book_for(db, settings, camille, world)
    assert (booked.status, booked.booked_by) == ("confirmed", "counsellor")
    with db.writing() as session:
        assistance.move_for(
            session,
            settings,
            counsellor=camille,
            account_id=world.account_id,
            appointment_id=booked.id,
            slot_id=world.slot_ids[1],
        )
    with db.writing() as session:
        assistance.cancel_for(
            session,
            settings,
            counsellor=camille,
            account_id=world.account_id,
            appointment_id=booked.id,
        )
    lines = entries(db, world.account_id)
    assert [e.action for e in lines] == ["cancelled", "moved", "booked", "consent_given"]
    assert {e.reference for e in lines[:3]} == {booked.reference}
    assert {e.patient for e in lines[:3]} == {"Émilie-Anne"}  # for whom


def test_the_journal_holds_no_medical_detail(
    db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    consent_by_code(db, settings, camille)
    book_for(db, settings, camille, world)
    columns = set(JournalEntry.__table__.columns.keys())
    assert columns == {
        "id",
        "account_id",
        "counsellor_id",
        "counsellor_name",
        "action",
        "patient",
        "reference",
        "at",
    }
    with db.reading() as session:
        motive_words = {
            m.label for m in session.scalars(select(Appointment)).one().practitioner.motives
        }
    assert not motive_words & {
        str(getattr(e, c)) for e in entries(db, world.account_id) for c in columns
    }


def test_the_journal_is_append_only(
    db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    consent_by_code(db, settings, camille)
    with pytest.raises(journal.AppendOnly), db.writing() as session:
        session.scalars(select(JournalEntry)).one().action = "booked"
    with pytest.raises(journal.AppendOnly), db.writing() as session:
        session.delete(session.scalars(select(JournalEntry)).one())
    assert [e.action for e in entries(db, world.account_id)] == ["consent_given"]


def test_an_ended_consent_stops_the_counsellor(
    db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    consent_by_code(db, settings, camille, "visit")
    with db.writing() as session:
        session.execute(update(Mandate).values(expires_at=Mandate.granted_at))
    with pytest.raises(ApiError):
        book_for(db, settings, camille, world)


def test_the_visitor_gives_reads_and_revokes_the_consent_at_a_kiosk(
    client: TestClient, db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    given = client.put("/api/v1/me/mandate", json={"duration": "month"}, headers=world.headers)
    assert given.status_code == 200 and given.json()["mandate"]["duration"] == "month"
    booked = book_for(db, settings, camille, world)
    seen = client.get("/api/v1/me/helpers", headers=world.headers).json()
    assert [(line["who"], line["action"]) for line in seen["journal"]] == [
        ("Camille", "booked"),
        (None, "consent_given"),
    ]
    assert seen["journal"][0]["reference"] == booked.reference
    revoked = client.delete("/api/v1/me/mandate", headers=world.headers).json()
    assert revoked["mandate"] is None and revoked["journal"][0]["action"] == "consent_revoked"
    with pytest.raises(ApiError):
        book_for(db, settings, camille, world, slot=1)


def test_a_bad_duration_at_the_kiosk_is_a_short_french_message(
    client: TestClient, world: World
) -> None:
    answer = client.put("/api/v1/me/mandate", json={"duration": "toujours"}, headers=world.headers)
    assert answer.status_code == 422
    assert answer.json()["field"] == "duration" and "Durée" in answer.json()["message"]


def test_erasing_the_account_erases_its_consents_and_journal(
    client: TestClient, db: Database, settings: Settings, camille: Counsellor, world: World
) -> None:
    consent_by_code(db, settings, camille)
    assert client.delete("/api/v1/me", headers=world.headers).status_code == 204
    with db.reading() as session:
        assert session.scalars(select(JournalEntry)).all() == []
        assert session.scalars(select(Mandate)).all() == []
