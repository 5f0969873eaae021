"""Counting journeys for the centre's statistics: each journey once, done or given up, with
its last step and its length. Nothing about the person is counted."""

from __future__ import annotations

from kiosk.workflows.flow import Flow
from kiosk.workflows.services import JourneyRun
from tests.kiosk.workflows.memory_services import MemoryServices
from tests.kiosk.workflows.scenarios import BOOK_GP_HERE, START, book_known_person, run


def test_a_confirmed_booking_counts_once_as_done_with_its_length(
    flow: Flow, world: MemoryServices, clock: list[float]
) -> None:
    events = book_known_person()
    run(flow, events[:1])
    clock[0] += 95
    run(flow, events[1:])
    assert flow.view().step == "booking.done"
    assert world.runs == [JourneyRun("Prendre un rendez-vous", True, "booking.done", 95)]
    assert flow.answer("home").step == "welcome.menu"
    assert len(world.runs) == 1


def test_a_session_stopped_midway_counts_as_given_up_where_it_stopped(
    flow: Flow, world: MemoryServices, clock: list[float]
) -> None:
    run(flow, START + BOOK_GP_HERE)
    clock[0] += 40
    flow.stop()
    assert world.runs == [JourneyRun("Prendre un rendez-vous", False, "booking.card", 40)]


def test_the_journey_counted_is_the_one_chosen_even_when_signing_in_comes_first(
    flow: Flow, world: MemoryServices
) -> None:
    run(flow, START + [("choose", 2)])  # Mes rendez-vous: sign in first
    assert flow.view().step.startswith("sign_in.")
    flow.stop()
    assert [r.journey for r in world.runs] == ["Mes rendez-vous"]


def test_a_journey_without_an_end_of_its_own_is_done_when_it_returns_to_the_menu(
    flow: Flow, world: MemoryServices
) -> None:
    run(flow, START + [("choose", 3), ("answer", "06 98 76 54 32"), ("answer", "123456")])
    assert flow.view().step == "account.menu"
    assert flow.answer("home").step == "welcome.menu"
    assert [(r.journey, r.completed) for r in world.runs] == [("Mon compte et mes proches", True)]


def test_the_menu_and_its_help_are_no_journey(flow: Flow, world: MemoryServices) -> None:
    run(flow, START + [("answer", "help")])
    flow.stop()
    assert world.runs == []
