"""Whole journeys driven by touches on the real widgets, over the in-memory world."""

from __future__ import annotations

from pathlib import Path

from tests.kiosk.screens.conftest import Hand
from tests.kiosk.screens.doubles import RecordingPrinter, RecordingSpeaker
from tests.kiosk.workflows.memory_services import CODE

SHOTS = Path("/tmp/kiosk-screens")


def book_until_phone(hand: Hand) -> None:
    hand.tap("Prendre un rendez-vous", "button")
    hand.tap("Médecin généraliste", "button")
    hand.tap(hand.session.view.options[0].label, "button")
    hand.tap("Prendre rendez-vous", "button")


def test_a_new_person_books_from_the_welcome_menu_to_the_done_screen(
    hand: Hand, speaker: RecordingSpeaker, printer: RecordingPrinter
):
    SHOTS.mkdir(exist_ok=True)
    hand.screenshot(SHOTS, "01-welcome")
    book_until_phone(hand)
    assert hand.session.view.step == "sign_in.phone"
    hand.type("0612345678")
    assert hand.find("06 12 34 56 78_", "field")
    hand.screenshot(SHOTS, "02-phone")
    hand.tap("Continuer", "button")
    assert hand.session.view.step == "sign_in.code"
    hand.type(CODE)
    hand.screenshot(SHOTS, "03-code")
    hand.tap("Continuer", "button")
    hand.screenshot(SHOTS, "04-consent")
    hand.tap("Oui", "button")
    hand.tap("Une femme", "button")
    assert hand.session.view.step == "sign_in.first_name"
    hand.tap("Majuscule", "button")
    hand.type("émilie-")
    hand.tap("Majuscule", "button")
    hand.type("anne")
    hand.screenshot(SHOTS, "05-first-name")
    hand.tap("Continuer", "button")
    hand.tap("Majuscule", "button")
    hand.type("martin")
    hand.tap("Continuer", "button")
    assert hand.session.view.step == "sign_in.birth_date"
    for _ in range(4):
        hand.tap("−10", "button")
    hand.screenshot(SHOTS, "06-birth-date")
    hand.tap("Continuer", "button")
    assert hand.session.view.step == "booking.seen_before", hand.session.view.error
    hand.tap("Non", "button")
    hand.screenshot(SHOTS, "07-slot")
    slot = hand.session.view.options[0]
    hand.tap(slot.short, "button")
    assert hand.session.view.step == "booking.review"
    hand.screenshot(SHOTS, "08-review")
    assert "Pour : Émilie-Anne Martin" in hand.texts()
    hand.tap("Confirmer", "button")
    assert hand.session.view.step == "booking.done"
    hand.screenshot(SHOTS, "09-done")
    said = speaker.heard()
    assert "Votre rendez-vous est confirmé." in said
    assert all(CODE not in s for s in said)
    hand.tap("Terminer", "button")
    assert hand.session.view.step == "welcome.menu"
    assert speaker.resets == 1
    assert not any("Émilie" in text for text in hand.texts())


def test_back_shows_the_name_typed_before(hand: Hand):
    book_until_phone(hand)
    hand.type("0698765432")
    hand.tap("Continuer", "button")
    hand.type(CODE)
    hand.tap("Continuer", "button")
    hand.tap("Retour", "button")
    hand.tap("Retour", "button")
    assert hand.session.view.step == "sign_in.phone"
    assert hand.find("06 98 76 54 32_", "field")


def test_a_wrong_number_is_named_and_stays_in_the_field(hand: Hand):
    book_until_phone(hand)
    hand.type("0612")
    hand.tap("Continuer", "button")
    error = hand.widgets("error")[0].words
    assert error.startswith("Numéro de portable")
    assert hand.find("06 12_", "field")
