"""The "Aider une personne" pages: a counsellor records a visitor's consent (a code sent to
the visitor's phone), then books, moves and cancels for them, prints a sheet, and the
visitor can withdraw the consent. Real app, both databases, no stand-ins."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.db import Database
from server.models import Appointment, JournalEntry, Motive
from server.services import assistance
from server.services.booking import SLOT_TAKEN
from tests.server.booking_world import World, build_world
from tests.server.dashboard import reading
from tests.server.sms_sign_in import last_code

# Pages: one database is enough here; the services beneath them (presence, help requests,
# workshop, assistance, counsellors) are tested on SQLite and PostgreSQL in their own files.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PHONE = "+33612345678"
TYPED = "06 12 34 56 78"


@pytest.fixture
def world(db: Database, kiosk) -> World:  # noqa: ANN001
    return build_world(db, kiosk.id, phone=PHONE)


def _consent(desk: TestClient, db: Database, duration: str = "visit") -> int:
    """The whole consent through the pages; the person's account id."""
    shown = desk.post("/conseil/personnes", data={"phone": TYPED})
    assert shown.status_code == 200, shown.text
    sent = desk.post("/conseil/personnes/accord", data={"phone": PHONE, "duration": duration})
    assert sent.status_code == 200, sent.text
    verification_id = re.search(r'name="verification_id" value="([^"]+)"', sent.text).group(1)
    confirmed = desk.post(
        "/conseil/personnes/code",
        data={
            "verification_id": verification_id,
            "duration": duration,
            "code": last_code(db, PHONE),
        },
    )
    assert confirmed.status_code == 303, confirmed.text
    return int(confirmed.headers["location"].rsplit("/", 1)[1])


def _book(desk: TestClient, world: World, slot: int = 0) -> None:
    """Review, then confirm, as the counsellor does once everything is chosen."""
    base = f"/conseil/personnes/{world.account_id}/praticiens/{world.practitioner_id}"
    choice = {
        "pour": world.patient_id,
        "motif": world.new_motive_id,
        "premiere": "oui",
        "horaire": world.slot_ids[slot],
    }
    review = desk.get(f"{base}/verifier", params=choice)
    assert review.status_code == 200, review.text
    assert "Première consultation" in review.text and "Confirmer" in review.text
    booked = desk.post(f"{base}/reserver", data=choice)
    assert booked.status_code == 303, booked.text
    assert booked.headers["location"] == f"/conseil/personnes/{world.account_id}?avis=pris"


def _journal(db: Database, account_id: int) -> list[str]:
    with db.reading() as session:
        query = select(JournalEntry.action).where(JournalEntry.account_id == account_id)
        return list(session.scalars(query.order_by(JournalEntry.id)))


def _appointment(db: Database, account_id: int) -> Appointment:
    with db.reading() as session:
        return session.scalars(
            select(Appointment).where(Appointment.account_id == account_id)
        ).one()


def test_the_pages_need_a_signed_in_counsellor(browser: TestClient, world: World) -> None:
    for address in ("/conseil/personnes", f"/conseil/personnes/{world.account_id}"):
        answer = browser.get(address)
        assert answer.status_code == 303 and answer.headers["location"] == "/conseil/connexion"
    posted = browser.post("/conseil/personnes", data={"phone": TYPED})
    assert posted.status_code == 303


def test_the_number_form_is_labelled_and_not_remembered_by_the_browser(desk: TestClient) -> None:
    form = desk.get("/conseil/personnes")
    assert form.status_code == 200
    assert '<label for="phone">Numéro de portable de la personne</label>' in form.text
    field = re.search(r'<input id="phone"[^>]*>', form.text).group(0)
    assert 'autocomplete="off"' in field and 'inputmode="tel"' in field
    assert 'aria-current="page">Aider une personne' in form.text


def test_an_unknown_number_is_said_beside_the_field_and_what_was_typed_is_kept(
    desk: TestClient, world: World
) -> None:
    answer = desk.post("/conseil/personnes", data={"phone": "06 99 88 77 66"})
    assert answer.status_code == 422
    assert "Erreur : Aucun compte pour ce numéro." in reading.text(answer.text)
    field = re.search(r'<input id="phone"[^>]*>', answer.text).group(0)
    assert (
        'value="06 99 88 77 66"' in field and 'aria-describedby="phone-aide phone-erreur"' in field
    )


def test_a_number_that_is_not_a_mobile_is_refused_in_french(desk: TestClient, world: World) -> None:
    answer = desk.post("/conseil/personnes", data={"phone": "03 27 00 00 00"})
    assert answer.status_code == 422 and "fixe" in answer.text
    assert 'value="03 27 00 00 00"' in answer.text


def test_the_consent_text_is_shown_with_the_durations_and_a_button_to_hear_it(
    desk: TestClient, world: World
) -> None:
    page = desk.post("/conseil/personnes", data={"phone": TYPED})
    words = reading.text(page.text)
    for sentence in assistance.consent_text("visit"):
        assert sentence in words
    for choice in ("Pendant cette visite", "Pendant 1 jour", "Pendant 1 mois", "Pendant 1 an"):
        assert choice in words
    assert "<legend>Durée de l'accord</legend>" in page.text
    assert re.search(r"<button[^>]*data-ecouter[^>]*hidden>Écouter le texte</button>", page.text)
    assert '<script src="/conseil/static/ecouter.js" defer></script>' in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    month = desk.post(
        "/conseil/personnes/accord", data={"phone": PHONE, "duration": "month", "action": "texte"}
    )
    assert "Cet accord dure pendant 1 mois." in month.text
    assert 'value="month" data-phrase="Cet accord dure pendant 1 mois." checked' in month.text


def test_the_listen_script_speaks_french_and_is_served(desk: TestClient) -> None:
    script = desk.get("/conseil/static/ecouter.js")
    assert script.status_code == 200
    assert "speechSynthesis" in script.text and '"fr-FR"' in script.text


def test_the_code_sent_to_the_persons_phone_records_the_consent_and_opens_their_page(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db, "day")
    assert account_id == world.account_id
    page = desk.get(f"/conseil/personnes/{account_id}")
    assert page.status_code == 200
    words = reading.text(page.text)
    assert "L'accord de la personne dure jusqu'au" in words
    assert "Émilie-Anne N'Diaye : titulaire du compte" in words
    assert "Aucun rendez-vous à venir." in words
    assert "Accord donné" in words and "Camille" in words
    assert PHONE not in page.text and "06 12 34 56 78" not in page.text


def test_a_wrong_code_is_said_beside_the_field(
    desk: TestClient, db: Database, world: World
) -> None:
    desk.post("/conseil/personnes", data={"phone": TYPED})
    sent = desk.post("/conseil/personnes/accord", data={"phone": PHONE, "duration": "day"})
    assert "Code reçu par la personne" in sent.text
    field = re.search(r'<input id="code"[^>]*>', sent.text).group(0)
    assert 'inputmode="numeric"' in field
    verification_id = re.search(r'name="verification_id" value="([^"]+)"', sent.text).group(1)
    wrong = "000000" if last_code(db, PHONE) != "000000" else "111111"
    answer = desk.post(
        "/conseil/personnes/code",
        data={"verification_id": verification_id, "duration": "day", "code": wrong},
    )
    assert answer.status_code == 422
    assert "Erreur : Ce code n'est pas le bon." in reading.text(answer.text)
    assert 'aria-describedby="code-aide code-erreur"' in answer.text
    assert f'value="{verification_id}"' in answer.text and 'value="day"' in answer.text
    assert _journal(db, world.account_id) == []


def test_a_known_number_with_a_consent_in_force_goes_straight_to_the_persons_page(
    desk: TestClient, db: Database, world: World
) -> None:
    _consent(desk, db)
    again = desk.post("/conseil/personnes", data={"phone": TYPED})
    assert again.status_code == 303
    assert again.headers["location"] == f"/conseil/personnes/{world.account_id}"


def test_without_consent_the_persons_pages_are_refused_with_a_link_to_ask_for_it(
    desk: TestClient, db: Database, world: World
) -> None:
    account = f"/conseil/personnes/{world.account_id}"
    for address in (
        account,
        f"{account}/recherche?specialite=medecine-generale",
        f"{account}/praticiens/{world.practitioner_id}",
    ):
        refused = desk.get(address)
        assert refused.status_code == 403, address
        assert "Demandez son accord." in refused.text
        assert '<a class="lien-large" href="/conseil/personnes">' in refused.text
    assert _journal(db, world.account_id) == []


def test_booking_through_the_pages_confirms_an_appointment_booked_by_the_counsellor(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    found = desk.get(
        f"/conseil/personnes/{account_id}/recherche", params={"specialite": "medecine-generale"}
    )
    assert found.status_code == 200, found.text
    link = f"/conseil/personnes/{account_id}/praticiens/{world.practitioner_id}"
    assert f'href="{link}">Docteur Claire Fictive</a>' in found.text
    assert "Prochain horaire libre :" in found.text
    chosen = desk.get(
        link, params={"pour": world.patient_id, "motif": world.new_motive_id, "premiere": "oui"}
    )
    assert chosen.status_code == 200
    assert f'value="{world.slot_ids[0]}"' in chosen.text
    assert "<legend>Pour qui est le rendez-vous ?</legend>" in chosen.text
    _book(desk, world)
    booked = _appointment(db, account_id)
    assert (booked.status, booked.booked_by) == ("confirmed", "counsellor")
    page = desk.get(f"/conseil/personnes/{account_id}?avis=pris")
    words = reading.text(page.text)
    assert "Le rendez-vous est pris." in words and "Docteur Claire Fictive" in words
    assert "1 rue de la Fiction, 59500 Douai" in words
    assert re.search(r"\w+ \d+ \w+ \d{4} à \d+ h \d\d", words)
    assert "Rendez-vous pris" in words and booked.reference in words
    assert "Première consultation" not in page.text  # the journal and the list: no motive
    assert _journal(db, account_id) == ["consent_given", "booked", "appointments_seen"]


def test_seeing_the_persons_page_is_journaled_once_per_view(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    desk.get(f"/conseil/personnes/{account_id}")
    desk.get(f"/conseil/personnes/{account_id}")
    assert _journal(db, account_id).count("appointments_seen") == 2


def test_missing_choices_are_named_and_the_others_kept(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    link = f"/conseil/personnes/{account_id}/praticiens/{world.practitioner_id}/verifier"
    answer = desk.get(link, params={"pour": world.patient_id, "motif": world.new_motive_id})
    assert answer.status_code == 422
    words = reading.text(answer.text)
    assert "Erreur : Dites si c'est la première visite chez ce praticien." in words
    assert "Erreur : Choisissez un horaire." in words
    assert f'value="{world.patient_id}" checked' in answer.text
    assert 'aria-describedby="premiere-erreur"' in answer.text


def test_a_time_taken_meanwhile_is_said_in_french_and_the_choices_are_kept(
    client: TestClient, desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    assert world.book(client).status_code == 201  # the person, at the kiosk, was faster
    base = f"/conseil/personnes/{account_id}/praticiens/{world.practitioner_id}"
    choice = {
        "pour": world.patient_id,
        "motif": world.new_motive_id,
        "premiere": "oui",
        "horaire": world.slot_ids[0],
    }
    answer = desk.post(f"{base}/reserver", data=choice)
    assert answer.status_code == 409
    assert SLOT_TAKEN in reading.text(answer.text)
    assert f'value="{world.new_motive_id}" checked' in answer.text
    assert 'value="oui" checked' in answer.text


def test_an_other_visit_motive_for_a_first_visit_is_refused_in_french(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    base = f"/conseil/personnes/{account_id}/praticiens/{world.practitioner_id}"
    choice = {
        "pour": world.patient_id,
        "motif": world.followup_motive_id,
        "premiere": "oui",
        "horaire": world.slot_ids[0],
    }
    answer = desk.post(f"{base}/reserver", data=choice)
    assert answer.status_code == 422
    assert "Erreur : Ce motif est réservé aux patients déjà suivis." in reading.text(answer.text)
    assert 'aria-describedby="motif-erreur"' in answer.text


def test_moving_then_cancelling_through_the_pages(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    _book(desk, world)
    booked = _appointment(db, account_id)
    base = f"/conseil/personnes/{account_id}/rendez-vous/{booked.id}"
    form = desk.get(f"{base}/changer")
    assert form.status_code == 200
    assert f'value="{world.slot_ids[1]}"' in form.text
    assert f'value="{world.slot_ids[0]}"' not in form.text  # its own time is not offered
    review = desk.get(f"{base}/changer/verifier", params={"horaire": world.slot_ids[1]})
    assert review.status_code == 200 and "Nouvel horaire" in review.text
    moved = desk.post(f"{base}/changer", data={"horaire": world.slot_ids[1]})
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/conseil/personnes/{account_id}?avis=change"
    assert _appointment(db, account_id).slot_id == world.slot_ids[1]
    confirm = desk.get(f"{base}/annuler")
    assert confirm.status_code == 200 and "Oui, annuler le rendez-vous" in confirm.text
    cancelled = desk.post(f"{base}/annuler")
    assert cancelled.status_code == 303
    assert cancelled.headers["location"] == f"/conseil/personnes/{account_id}?avis=annule"
    assert _appointment(db, account_id).status == "cancelled"
    assert _journal(db, account_id) == ["consent_given", "booked", "moved", "cancelled"]
    page = desk.get(cancelled.headers["location"])
    assert "Le rendez-vous est annulé." in page.text and "Aucun rendez-vous à venir." in page.text


def test_revoking_the_consent_ends_the_counsellors_access(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    revoked = desk.post(f"/conseil/personnes/{account_id}/retirer")
    assert revoked.status_code == 303
    assert revoked.headers["location"] == "/conseil/personnes?avis=retire"
    notice = desk.get(revoked.headers["location"])
    assert "L'accord est retiré." in reading.text(notice.text)
    assert desk.get(f"/conseil/personnes/{account_id}").status_code == 403
    assert _journal(db, account_id) == ["consent_given", "consent_revoked"]


def test_the_printable_sheet_has_a_qr_code_of_the_appointment_and_no_motive(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    _book(desk, world)
    booked = _appointment(db, account_id)
    sheet = desk.get(f"/conseil/personnes/{account_id}/rendez-vous/{booked.id}/fiche")
    assert sheet.status_code == 200
    assert '<svg class="personne-qr" role="img"' in sheet.text
    assert "data:" not in sheet.text
    words = reading.text(sheet.text)
    assert "Scannez pour ajouter le rendez-vous à votre téléphone." in words
    assert "Docteur Claire Fictive" in words and "03 27 00 00 00" in words
    assert booked.reference in words and "Pour annuler ou changer le rendez-vous" in words
    with db.reading() as session:
        labels = session.scalars(
            select(Motive.label).where(Motive.practitioner_id == world.practitioner_id)
        ).all()
    assert labels and not any(label in sheet.text for label in labels)
    style = desk.get("/conseil/static/conseil.css").text
    assert "@media print" in style and "size: A4" in style


def test_the_qr_code_carries_the_appointment_as_a_calendar_event_without_the_motive(
    desk: TestClient, db: Database, world: World
) -> None:
    from server.dashboard.assistance import AppointmentView, calendar_event  # noqa: PLC0415

    account_id = _consent(desk, db)
    _book(desk, world)
    booked = _appointment(db, account_id)
    shown = AppointmentView(
        id=booked.id,
        when="",
        day="",
        hour="",
        practitioner="Docteur Claire Fictive",
        address="1 rue de la Fiction, 59500 Douai",
        phone="03 27 00 00 00",
        for_whom="Émilie-Anne N'Diaye",
        reference=booked.reference,
        changeable=True,
    )
    event = calendar_event(booked, shown)
    assert event.startswith("BEGIN:VCALENDAR\r\n") and event.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART:{booked.starts_at:%Y%m%dT%H%M%S}Z" in event
    assert f"DTEND:{booked.ends_at:%Y%m%dT%H%M%S}Z" in event
    assert "SUMMARY:Rendez-vous avec Docteur Claire Fictive" in event
    assert "LOCATION:1 rue de la Fiction\\, 59500 Douai" in event
    assert "consultation" not in event.lower()


def test_a_form_posted_from_another_site_is_refused(
    desk: TestClient, db: Database, world: World
) -> None:
    account_id = _consent(desk, db)
    foreign = {"Origin": "https://ailleurs.example"}
    for address, data in (
        ("/conseil/personnes", {"phone": TYPED}),
        (f"/conseil/personnes/{account_id}/retirer", {}),
    ):
        answer = desk.post(address, data=data, headers=foreign)
        assert answer.status_code == 403
        assert "Ce formulaire vient d'un autre site." in reading.text(answer.text)
    assert _journal(db, account_id) == ["consent_given"]
