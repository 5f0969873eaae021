"""The five journeys, end to end, typed into the real `kiosk text` against the real server.

Each test is a conversation: a line typed, then words the next screen must show. The SMS
code is read from the server's SMS file when the code step comes, as a person reads their
phone. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bench.scripts import SmsInbox
from server.models import Appointment, AppointmentStatus, Patient, WaitlistEntry
from tests.factories import make_account
from tests.kiosk.client.people import ARRAS, add_doctor
from tests.kiosk.text.terminal import Terminal

PHONE, NUMBER = "06 10 00 00 01", "+33610000001"  # as typed, as the server keeps it


@pytest.fixture
def terminal(command: list[str]) -> Iterator[Terminal]:
    terminal = Terminal(command)
    assert "Bonjour. Que voulez-vous faire ?" in terminal.screen()
    yield terminal
    assert terminal.close() == 0


@pytest.fixture
def known(db) -> None:
    """A returning person: an account with a full profile."""
    with db.writing() as session:
        make_account(session, phone=NUMBER, first_name="Marie", last_name="Dupont")


def talk(terminal: Terminal, conversation: list[tuple[str, str]]) -> None:
    """Each line typed shows the words expected, and no error unless those are the error."""
    for line, shown in conversation:
        screen = terminal.type(line)
        assert shown in screen, f"typed {line!r}, expected {shown!r}; the screen:\n{screen}"
        errors = [row for row in screen.splitlines() if row.startswith("! ")]
        assert errors in ([], [f"! {shown}"]), f"typed {line!r}; the screen:\n{screen}"


def sign_in(terminal: Terminal, inbox: SmsInbox, then: str) -> None:
    talk(terminal, [(PHONE, "Quel code avez-vous reçu par SMS ?")])
    talk(terminal, [(inbox.code(PHONE.replace(" ", "")), then)])  # read once it is sent


def test_welcome_in_english_then_the_help_page_then_back_in_french(terminal: Terminal) -> None:
    talk(
        terminal,
        [
            ("5", "English"),
            ("2", "Hello. What do you want to do?"),  # English
            ("4", "Back"),  # the help page explains the commands, in English
            ("1", "Hello. What do you want to do?"),
            ("5", "Français"),
            ("1", "Bonjour. Que voulez-vous faire ?"),
            ("aide", "Un conseiller va venir vous aider."),
        ],
    )


def test_a_new_person_creates_an_account_without_a_password(
    terminal: Terminal, inbox: SmsInbox, db
) -> None:
    talk(terminal, [("3", "Quel est votre numéro de portable ?")])
    sign_in(terminal, inbox, then="Êtes-vous d'accord ?")
    talk(
        terminal,
        [
            ("oui", "Êtes-vous une femme ou un homme ?"),
            ("1", "Quel est votre prénom ?"),
            ("Émilie-Anne", "Quel est votre nom ?"),
            ("N'Diaye", "Quelle est votre date de naissance ?"),
            ("31/02/1950", "Date de naissance : cette date n'existe pas."),
            ("3 mars 1950", "Ajouter un proche"),  # the account's menu
        ],
    )
    assert "mot de passe" not in terminal.shown.lower()
    with db.reading() as session:
        holder = session.scalars(select(Patient)).one()
        assert (holder.first_name, holder.last_name) == ("Émilie-Anne", "N'Diaye")
        assert holder.birth_date == date(1950, 3, 3)


def test_relatives_are_added_changed_and_removed(
    terminal: Terminal, inbox: SmsInbox, db, known
) -> None:
    talk(terminal, [("3", "Quel est votre numéro de portable ?")])
    sign_in(terminal, inbox, then="Ajouter un proche")
    talk(
        terminal,
        [
            ("2", "Votre proche est une femme ou un homme ?"),  # Ajouter un proche
            ("2", "Quel est son prénom ?"),
            ("Noé", "nom"),
            ("Dupont", "date de naissance"),
            ("4 juillet 2019", "Qui est cette personne pour vous ?"),
            ("1", "Vérifiez les informations de votre proche."),  # Mon enfant
            ("oui", "Ajouter un proche"),
        ],
    )
    with db.reading() as session:
        relative = session.scalars(select(Patient).where(Patient.first_name == "Noé")).one()
        assert relative.birth_date == date(2019, 7, 4)
    talk(
        terminal,
        [
            ("3", "Quel proche ?"),
            ("1", "Que voulez-vous faire pour ce proche ?"),
            ("1", "Vérifiez les informations de votre proche."),  # change
            ("modifier 2", "Quel est son prénom ?"),
            ("Noah", "Noah"),
            ("oui", "Ajouter un proche"),
            ("3", "Noah"),
            ("1", "Que voulez-vous faire pour ce proche ?"),
            ("2", "Voulez-vous vraiment retirer ce proche ?"),
            ("oui", "Ajouter un proche"),
        ],
    )
    with db.reading() as session:
        mine = select(Patient.first_name).where(Patient.account_id.is_not(None))
        assert session.scalars(mine).all() == ["Marie"]


def test_a_person_searches_by_name_in_another_town_and_books(
    terminal: Terminal, inbox: SmsInbox, db, known
) -> None:
    add_doctor(db, first_name="Claire", last_name="Fictive")
    doctor = add_doctor(db, first_name="Paul", last_name="Arrageois", place=ARRAS)
    talk(
        terminal,
        [
            ("1", "Quel soignant cherchez-vous ?"),
            ("5", "nom"),  # Chercher par le nom
            ("Arrageois", "Paul Arrageois"),
            ("1", "Prendre rendez-vous"),  # the card
            ("1", "Quel est votre numéro de portable ?"),
        ],
    )
    sign_in(terminal, inbox, then="Avez-vous déjà vu ce soignant ?")
    talk(
        terminal,
        [
            ("non", "Choisissez un jour et une heure."),
            ("1", "Vérifiez votre rendez-vous."),
            ("oui", "Votre rendez-vous est confirmé."),
        ],
    )
    with db.reading() as session:
        booked = session.scalars(select(Appointment)).one()
        assert (booked.practitioner_id, booked.status) == (doctor.id, AppointmentStatus.CONFIRMED)


def test_a_search_by_specialty_in_a_town_typed_by_its_postcode(terminal: Terminal, db) -> None:
    add_doctor(db, first_name="Claire", last_name="Fictive")
    add_doctor(db, first_name="Paul", last_name="Arrageois", place=ARRAS)
    talk(
        terminal,
        [
            ("1", "Quel soignant cherchez-vous ?"),
            ("1", "Claire Fictive"),  # a general practitioner near the kiosk
            ("2", "Dans quelle ville ?"),  # Chercher dans une autre ville
            ("62000", "Arras, code postal 62000"),  # two towns share this postcode
            ("1", "Paul Arrageois"),
        ],
    )


def test_my_appointments_move_cancel_and_waiting_list(
    terminal: Terminal, inbox: SmsInbox, db, known
) -> None:
    doctor = add_doctor(db, slots_in=[timedelta(days=2), timedelta(days=3), timedelta(days=4)])
    talk(terminal, [("1", "Quel soignant"), ("1", "Claire Fictive"), ("1", "Prendre")])
    talk(terminal, [("1", "Quel est votre numéro de portable ?")])
    sign_in(terminal, inbox, then="Avez-vous déjà vu ce soignant ?")
    talk(terminal, [("non", "Choisissez"), ("1", "Vérifiez"), ("oui", "confirmé")])
    talk(
        terminal,
        [
            ("1", "Bonjour. Que voulez-vous faire ?"),  # back to the menu, still signed in
            ("2", "Vos rendez-vous"),
            ("1", "Que voulez-vous faire ?"),
            ("1", "Choisissez"),  # Changer l'horaire
            ("1", "Voulez-vous"),
            ("oui", "Votre rendez-vous est changé."),
            ("1", "Bonjour"),
            ("2", "Vos rendez-vous"),
            ("1", "Que voulez-vous faire ?"),
            ("3", "Voulez-vous"),  # Être prévenu d'une place plus tôt
            ("oui", "C'est noté."),
            ("1", "Bonjour"),
            ("2", "Vos rendez-vous"),
            ("1", "Que voulez-vous faire ?"),
            ("2", "Voulez-vous vraiment annuler"),
            ("oui", "Votre rendez-vous est annulé."),
        ],
    )
    with db.reading() as session:
        (cancelled,) = session.scalars(select(Appointment)).all()
        assert cancelled.status == AppointmentStatus.CANCELLED
        assert cancelled.slot_id == doctor.slot_ids[1]  # it had moved to the second time
        assert session.scalars(select(WaitlistEntry)).one().practitioner_id == doctor.id
