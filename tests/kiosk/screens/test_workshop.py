"""A workshop on the touchscreen: set, reset and ended by a counsellor from the dashboard;
the band, the hints and the exercise phone on the real window."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from kiosk.workflows.exercises import BY_ID
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from tests.kiosk.conftest import KNOWN_PHONE, TODAY
from tests.kiosk.screens.conftest import Hand
from tests.kiosk.screens.doubles import RecordingSpeaker
from tests.kiosk.workflows.memory_services import MemoryServices

BAND = "Atelier : c'est un exercice. Prenez un rendez-vous chez un médecin généraliste."


@pytest.fixture
def setting() -> list[tuple[str, int] | None]:
    """What the dashboard set for this kiosk: (exercise, resets), or None."""
    return [None]


@pytest.fixture
def mode(setting: list) -> Callable[[], object]:
    return lambda: setting[0]


@pytest.fixture
def new_flow(setting: list, clock: list[float]) -> Callable[[], Flow]:
    everyday = MemoryServices(TODAY, known_phone=KNOWN_PHONE)
    sandbox = MemoryServices(TODAY)

    def new() -> Flow:
        if setting[0] is None:
            return Flow(JOURNEYS, everyday, today=lambda: TODAY, clock=lambda: clock[0])
        exercise = BY_ID[setting[0][0]]
        return Flow(JOURNEYS, sandbox, today=lambda: TODAY, exercise=exercise)

    return new


def news(hand: Hand) -> None:
    hand.session._news()
    hand.settle()


def test_a_workshop_set_on_an_idle_kiosk_starts_at_once_with_its_band(
    hand: Hand, setting: list
) -> None:
    assert BAND not in hand.texts()
    setting[0] = ("book", 0)
    news(hand)
    assert BAND in hand.texts()
    assert hand.session.flow.exercise is BY_ID["book"]


def test_a_real_person_is_never_cut_the_workshop_waits_for_the_end_of_their_session(
    hand: Hand, setting: list
) -> None:
    hand.tap("Prendre un rendez-vous", "button")
    setting[0] = ("book", 0)
    news(hand)
    assert hand.session.view.step == "booking.what" and hand.session.flow.exercise is None
    hand.session.wipe()
    hand.settle()
    assert BAND in hand.texts()


def test_a_reset_takes_the_participant_back_to_the_start_of_the_exercise(
    hand: Hand, setting: list
) -> None:
    setting[0] = ("book", 0)
    news(hand)
    hand.tap("Prendre un rendez-vous", "button")
    setting[0] = ("book", 1)
    news(hand)
    assert hand.session.view.step == "welcome.menu" and BAND in hand.texts()


def test_the_end_of_the_workshop_cuts_the_exercise(hand: Hand, setting: list) -> None:
    setting[0] = ("book", 0)
    news(hand)
    hand.tap("Prendre un rendez-vous", "button")
    setting[0] = None
    news(hand)
    assert hand.session.view.step == "welcome.menu" and BAND not in hand.texts()


def test_a_hint_is_shown_and_said_in_turn(
    hand: Hand, setting: list, speaker: RecordingSpeaker
) -> None:
    setting[0] = ("book", 0)
    news(hand)
    hand.tap("Un indice", "button")
    assert "Touchez Prendre un rendez-vous." in hand.texts()
    assert speaker.heard()[-1] == "Touchez Prendre un rendez-vous."
    hand.tap("Un indice", "button")
    assert "Choisissez Médecin généraliste." in hand.texts()


def test_the_code_arrives_on_the_exercise_phone(hand: Hand, setting: list) -> None:
    setting[0] = ("account", 0)
    news(hand)
    hand.tap("Mon compte et mes proches", "button")
    hand.type("0612345678")
    hand.tap("Continuer", "button")
    hand.session._phone_asked = 0.0
    news(hand)
    deadline = time.monotonic() + 5
    while "Téléphone d'exercice : Code : 123456" not in hand.texts():
        assert time.monotonic() < deadline, hand.texts()
        hand.settle()
