"""Speech, printing, idleness and the Arabic screen, on the real window."""

from __future__ import annotations

import pytest
from kivy.base import EventLoop

from kiosk.screens.kinds.done import Code
from tests.kiosk.screens.conftest import SHORT_IDLE, Hand
from tests.kiosk.screens.doubles import RecordingPrinter, RecordingSpeaker
from tests.kiosk.screens.test_journeys import SHOTS, book_until_phone
from tests.kiosk.workflows.memory_services import CODE


def booked(hand: Hand) -> None:
    """A known person books: the done screen with its ticket."""
    book_until_phone(hand)
    hand.type("0698765432")
    hand.tap("Continuer", "button")
    hand.type(CODE)
    hand.tap("Continuer", "button")
    hand.tap("Non", "button")
    hand.tap(hand.session.view.options[0].short, "button")
    hand.tap("Confirmer", "button")
    assert hand.session.view.step == "booking.done"


def test_each_screen_is_said_on_entry_and_a_touch_silences_it(
    hand: Hand, speaker: RecordingSpeaker
):
    hand.tap("Prendre un rendez-vous", "button")
    assert speaker.said[-1] == (hand.session.view.texts(), "fr")
    stops = speaker.stops
    hand.tap("Écouter", "button")
    assert speaker.stops == stops + 1
    assert speaker.said[-1][0][0] == "Quel soignant cherchez-vous ?"
    hand.tap("Plus fort", "button")
    assert speaker.volume == 1


def test_the_code_is_not_said_on_the_loudspeaker_unless_the_person_asks(
    hand: Hand, speaker: RecordingSpeaker
):
    book_until_phone(hand)
    hand.type("0698765432")
    hand.tap("Continuer", "button")
    hand.type("12")
    heard = speaker.heard()
    assert "06 98 76 54 32" not in " ".join(speaker.said[-3][0] + speaker.said[-1][0])
    assert "1" not in heard[-2:] and "2" not in heard[-2:]
    hand.tap("Dire les chiffres à voix haute", "button")
    assert any("06 98 76 54 32" in text for text in speaker.said[-1][0])


def test_the_ticket_is_printed_and_the_qr_code_carries_the_event(
    hand: Hand, printer: RecordingPrinter
):
    booked(hand)
    code = next(w for w in hand.widgets("picture") if isinstance(w, Code))
    assert code.calendar.startswith("BEGIN:VCALENDAR")
    assert code.texture.size[0] >= 21
    hand.tap("Imprimer", "button")
    lines, qr, caption = printer.tickets[0]
    assert lines[0] == "Rendez-vous médical" and qr == code.calendar
    assert caption == "Ce code ajoute le rendez-vous à votre téléphone."
    assert "Le ticket est imprimé. Prenez-le." in hand.texts()


def test_without_paper_a_clear_message_is_shown_and_the_summary_stays(
    hand: Hand, printer: RecordingPrinter
):
    booked(hand)
    printer.fails = "no_paper"
    hand.tap("Imprimer", "button")
    texts = hand.texts()
    assert "L'imprimante n'a plus de papier. Demandez à un conseiller." in texts
    assert "Votre rendez-vous est confirmé." in texts


def wait_for(hand: Hand, condition, frames: int = 2000) -> None:  # noqa: ANN001
    for _ in range(frames):
        if condition():
            return
        EventLoop.idle()
    raise AssertionError("the screen never changed")


@pytest.mark.parametrize("idle", [SHORT_IDLE])
def test_idle_warns_then_wipes_and_the_welcome_of_a_new_flow_returns(
    hand: Hand, speaker: RecordingSpeaker
):
    book_until_phone(hand)
    hand.type("0612345678")
    first_flow = hand.session.flow
    wait_for(hand, lambda: hand.session.cover is not None)
    assert "Êtes-vous toujours là ?" in hand.texts()
    assert any(t.startswith("Tout sera effacé dans") for t in hand.texts())
    hand.tap("Je continue", "button")
    assert hand.session.cover is None and hand.session.view.step == "sign_in.phone"
    wait_for(hand, lambda: hand.session.view.step == "welcome.menu")
    assert hand.session.flow is not first_flow
    assert speaker.resets == 1
    texts = " ".join(hand.texts())
    assert "06 12" not in texts and "Étape" not in texts
    assert hand.session.draft is None


def test_the_arabic_screen_is_mirrored(hand: Hand):
    hand.tap("English · العربية", "button")
    hand.tap("العربية", "button")
    assert hand.session.view.rtl
    hand.screenshot(SHOTS, "10-arabic-welcome")
    title = hand.widgets("title")[0]
    assert title.halign == "right"
    hand.tap(hand.session.view.options[0].label, "button")
    hand.screenshot(SHOTS, "11-arabic-what")
    back = next(w for w in hand.widgets("button") if w.pictogram == "arrow_back")
    help_ = next(w for w in hand.widgets("button") if w.pictogram == "support_agent")
    assert back.center_x > help_.center_x


def test_text_size_and_high_contrast_keep_what_is_typed(hand: Hand):
    book_until_phone(hand)
    hand.type("0612")
    hand.tap("A++", "button")
    hand.tap("Contraste", "button")
    assert hand.find("06 12_", "field")
    assert hand.session.look.high_contrast and hand.session.look.step == 2
    hand.screenshot(SHOTS, "12-phone-high-contrast-a++")
