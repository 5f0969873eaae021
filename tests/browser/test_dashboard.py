"""The counsellors' dashboard in headless Chromium, against the real server: signing in with
a password and a TOTP code, a visitor's call for help from a real kiosk session shown within
2 seconds and answered with "J'arrive", and no serious accessibility violation on any page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.client.desk import Workshop
from kiosk.client.outbox import Outbox
from kiosk.client.presence import Presence
from kiosk.client.replica import Replica
from kiosk.client.services import KioskServices
from kiosk.workflows.exercises import BY_ID, EXERCISES
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from server.db import Database
from server.models import JournalEntry
from server.services import counsellors
from tests.browser.axe import describe, serious_violations
from tests.browser.helpers import screenshot
from tests.kiosk.client.conftest import make_api
from tests.server.booking_world import World, build_world
from tests.server.sms_sign_in import last_code

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
PASSWORD = "cheval correct agrafe"


@pytest.fixture
def secret(db: Database) -> str:
    with db.writing() as session:
        return counsellors.add(session, login="camille", name="Camille", password=PASSWORD).secret


@pytest.fixture
def kiosk_services(live_server: str, kiosk, tmp_path: Path) -> Iterator[KioskServices]:  # noqa: ANN001
    """A real kiosk's client, on the same server."""
    api = make_api(live_server, kiosk.token)
    outbox, replica = (
        Outbox(tmp_path / "outbox.sqlite3", api),
        Replica(tmp_path / "replica.sqlite3"),
    )
    yield KioskServices(api, outbox, replica)
    outbox.close()
    replica.close()


def sign_in(page: Page, live_server: str, secret: str, *, audit: bool = False) -> None:
    """Both steps, as a counsellor does; `audit`: each page is checked for accessibility."""
    page.goto(f"{live_server}/conseil/")
    expect(page).to_have_url(f"{live_server}/conseil/connexion")
    page.get_by_label("Identifiant").fill("camille")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    expect(page).to_have_url(f"{live_server}/conseil/code")
    if audit:
        assert_accessible(page)
    page.get_by_label("Code à 6 chiffres").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(f"{live_server}/conseil/")


def assert_accessible(page: Page) -> None:
    found = serious_violations(page)
    assert not found, f"{page.url}\n{describe(found)}"


def test_a_counsellor_signs_in_with_password_and_code_and_every_step_is_accessible(
    page: Page, live_server: str, secret: str, console_errors: list[str]
) -> None:
    page.goto(f"{live_server}/conseil/connexion")
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("camille")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("L'identifiant ou le mot de passe est faux.")).to_be_visible()
    assert page.get_by_label("Identifiant").input_value() == "camille"  # kept
    assert_accessible(page)
    sign_in(page, live_server, secret, audit=True)
    assert_accessible(page)
    screenshot(page, "dashboard-home")
    page.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("status")).to_have_text("Vous êtes déconnecté. À bientôt.")
    assert console_errors == []


def test_a_call_for_help_at_a_kiosk_appears_within_2_seconds_and_the_kiosk_hears_who_comes(
    page: Page, live_server: str, secret: str, kiosk_services: KioskServices
) -> None:
    sign_in(page, live_server, secret)
    page.wait_for_function("document.documentElement.dataset.live === 'open'", timeout=5000)
    flow = Flow(JOURNEYS, kiosk_services)
    flow.answer("book")
    asked = time.monotonic()
    assert flow.help().notice == "Un conseiller va venir vous aider."
    expect(page.get_by_role("button", name="J'arrive : Borne de test")).to_be_visible(timeout=2000)
    shown_after = time.monotonic() - asked
    assert shown_after < 2.0, shown_after
    assert_accessible(page)
    page.get_by_role("button", name="J'arrive : Borne de test").click()
    expect(page.get_by_text("Camille arrive.")).to_be_visible()
    Presence(kiosk_services.desk, kiosk_services.replica).once()
    assert flow.repeat().notice == "Camille arrive pour vous aider."
    flow.stop()  # the visitor leaves: the request is withdrawn
    expect(page.get_by_text("Camille arrive.")).to_have_count(0, timeout=2000)


@pytest.fixture
def sandbox_services(
    live_server: str, kiosk, kiosk_services: KioskServices, tmp_path: Path
) -> Iterator[KioskServices]:  # noqa: ANN001, E501
    """The same kiosk's workshop services: the sandbox at /atelier, its Desk shared."""
    api = make_api(f"{live_server}/atelier", kiosk.token)
    outbox = Outbox(tmp_path / "w-outbox.sqlite3", api)
    replica = Replica(tmp_path / "w-replica.sqlite3")
    yield KioskServices(api, outbox, replica, kiosk_services.desk, workshop=True)
    outbox.close()
    replica.close()


def test_a_workshop_is_started_followed_reset_and_ended_from_the_dashboard(
    page: Page,
    live_server: str,
    secret: str,
    kiosk_services: KioskServices,
    sandbox_services: KioskServices,
) -> None:
    offered = [{"id": e.id, "title": e.title} for e in EXERCISES]
    presence = Presence(kiosk_services.desk, kiosk_services.replica, exercises=offered)
    presence.once()
    sign_in(page, live_server, secret)
    page.get_by_role("link", name="Atelier").click()
    assert_accessible(page)
    page.get_by_label("Prendre un rendez-vous").check()
    page.get_by_role("button", name="Commencer").click()
    presence.once()
    assert kiosk_services.desk.workshop == Workshop("book", 0)
    exercise = Flow(JOURNEYS, sandbox_services, exercise=BY_ID["book"])
    exercise.answer("book")
    sandbox_services.request_code("06 12 34 56 78")
    presence.once()
    page.wait_for_function("document.documentElement.dataset.live === 'open'", timeout=5000)
    expect(page.get_by_text("Prendre un rendez-vous, étape 1 sur")).to_be_visible(timeout=3000)
    expect(page.get_by_text("06 12 34 56 78")).to_be_visible(timeout=3000)  # the exercise phone
    assert_accessible(page)
    screenshot(page, "dashboard-workshop")
    page.get_by_role("button", name="Recommencer l'exercice : Borne de test").click()
    presence.once()
    assert kiosk_services.desk.workshop == Workshop("book", 1)
    page.get_by_role("button", name="Terminer l'atelier").click()
    assert_accessible(page)
    page.get_by_role("button", name="Terminer l'atelier").click()
    presence.once()
    assert kiosk_services.desk.workshop is None


@pytest.fixture
def world(db: Database, kiosk) -> World:  # noqa: ANN001
    return build_world(db, kiosk.id, phone="+33612345678")


def test_a_counsellor_books_for_a_visitor_under_a_consent_confirmed_by_sms_code(
    page: Page, live_server: str, secret: str, db: Database, world: World
) -> None:
    sign_in(page, live_server, secret)
    page.get_by_role("link", name="Aider une personne").click()
    assert_accessible(page)
    page.get_by_label("Numéro de portable de la personne").fill("06 12 34 56 78")
    page.get_by_role("button", name="Continuer").click()
    expect(
        page.get_by_text("Ils peuvent prendre, changer et annuler vos rendez-vous médicaux.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Pendant 1 jour").check()
    page.get_by_role("button", name="Envoyer le code à la personne").click()
    assert_accessible(page)
    page.get_by_label("Code reçu par la personne").fill(last_code(db, "+33612345678"))
    page.get_by_role("button", name="Confirmer l'accord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous de la personne")
    expect(page.get_by_role("main")).to_contain_text("Émilie-Anne")
    assert_accessible(page)
    page.get_by_role("link", name="Prendre un rendez-vous").click()
    page.get_by_label("Spécialité").select_option("medecine-generale")
    page.get_by_role("button", name="Chercher").click()
    assert_accessible(page)
    page.get_by_role("link", name="Docteur Claire Fictive").click()
    page.get_by_role("group", name="Pour qui est le rendez-vous ?").get_by_label(
        "Émilie-Anne"
    ).first.check()
    page.get_by_label("Première consultation").check()
    page.get_by_role("group", name="Est-ce la première visite chez ce praticien ?").get_by_label(
        "Oui"
    ).check()
    page.get_by_role("button", name="Voir les horaires libres").click()
    page.get_by_role("group", name="Horaire").get_by_role("radio").first.check()
    assert_accessible(page)
    page.get_by_role("button", name="Vérifier le rendez-vous").click()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Le rendez-vous est pris.")).to_be_visible()
    expect(page.get_by_text("Rendez-vous pris").first).to_be_visible()  # in the journal
    assert_accessible(page)
    screenshot(page, "dashboard-person")
    with db.reading() as session:
        actions = session.scalars(select(JournalEntry.action).order_by(JournalEntry.id)).all()
    assert actions[0] == "consent_given" and {"appointments_seen", "booked"} <= set(actions)
    page.get_by_role("link", name="Imprimer").first.click()
    assert page.locator("main svg").count() == 1  # the QR code of the appointment
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Changer l'horaire").first.click()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Annuler").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Oui, annuler le rendez-vous").click()
    expect(page.get_by_text("Rendez-vous annulé").first).to_be_visible()  # in the journal
    page.get_by_role("button", name="Retirer l'accord").click()
    assert_accessible(page)
    with db.reading() as session:
        actions = session.scalars(select(JournalEntry.action).order_by(JournalEntry.id)).all()
    assert "cancelled" in actions and actions[-1] == "consent_revoked"


def test_the_printable_help_sheets_are_accessible(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/fiches/")
    assert_accessible(page)
    links = page.get_by_role("main").get_by_role("link")
    assert links.count() == 5
    for n in range(links.count()):
        page.goto(f"{live_server}/fiches/")
        page.get_by_role("main").get_by_role("link").nth(n).click()
        expect(page.locator("img").first).to_be_visible()
        assert_accessible(page)
