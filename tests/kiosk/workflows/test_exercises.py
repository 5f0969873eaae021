"""Workshop exercises: every screen carries the band and the goal, and each exercise is done
when its journey reaches its goal — not before, not by another journey."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.workflows.exercises import BY_ID, EXERCISES, FREE
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from tests.kiosk.conftest import TODAY
from tests.kiosk.workflows.memory_services import CODE, MemoryServices
from tests.kiosk.workflows.scenarios import Event, book_known_person, run

NEW_ACCOUNT = [("choose", 3), ("answer", "0612345678"), ("answer", CODE), ("answer", True)]
NEW_ACCOUNT += [("answer", "F"), ("answer", "Zoé"), ("answer", "Lefèvre"), ("answer", "2/3/1990")]
RELATIVE = [("answer", "add"), ("answer", "M"), ("answer", "Noé"), ("answer", "Petit")]
RELATIVE += [("answer", "04/07/2019"), ("answer", "enfant"), ("answer", True)]
BOOKED = [*book_known_person(), ("answer", "home"), ("choose", 2), ("choose", 1)]
DONE_BY: dict[str, list[Event]] = {
    "account": NEW_ACCOUNT,
    "relative": NEW_ACCOUNT + RELATIVE,
    "book": book_known_person(),
    "move": BOOKED + [("answer", "move"), ("choose", 2), ("answer", True)],
    "cancel": BOOKED + [("answer", "cancel"), ("answer", True)],
}


def _exercise_flow(world: MemoryServices, exercise: str) -> Flow:
    return Flow(JOURNEYS, world, today=lambda: TODAY, exercise=BY_ID[exercise])


@pytest.mark.parametrize("exercise", sorted(DONE_BY))
def test_each_exercise_is_done_when_its_goal_is_reached_and_not_before(
    world: MemoryServices, exercise: str
) -> None:
    flow = _exercise_flow(world, exercise)
    events = DONE_BY[exercise]
    run(flow, events[:-1])
    assert not flow.state.exercise_done
    run(flow, events[-1:])
    assert flow.state.exercise_done and world.where.exercise_done
    flow.back()
    assert flow.state.exercise_done  # it stays done for the rest of the session


def test_another_journey_does_not_count_for_the_exercise(world: MemoryServices) -> None:
    flow = _exercise_flow(world, "cancel")
    run(flow, book_known_person())
    assert not flow.state.exercise_done


def test_every_screen_of_an_exercise_shows_the_band_the_goal_and_the_hints(
    world: MemoryServices,
) -> None:
    flow = _exercise_flow(world, "book")
    views = run(flow, book_known_person())
    assert all(v.workshop == ["Atelier : c'est un exercice.", BY_ID["book"].goal] for v in views)
    assert all(v.hints[0] == "Touchez Prendre un rendez-vous." for v in views)
    assert views[0].texts()[:2] == views[0].workshop  # said first at the main menu
    assert views[1].texts()[0] == views[1].title  # and not on every step


def test_the_band_is_in_the_language_of_the_session(world: MemoryServices) -> None:
    flow = _exercise_flow(world, "account")
    flow.answer("language")
    view = flow.answer("en")
    assert view.workshop == [
        "Workshop: this is an exercise.",
        "Create your account with your mobile number.",
    ]


def test_an_everyday_session_has_no_band(flow: Flow) -> None:
    assert flow.view().workshop == [] and flow.view().hints == []


def test_answers_refused_in_a_row_are_counted_for_the_dashboard_until_the_step_changes(
    world: MemoryServices,
) -> None:
    flow = _exercise_flow(world, "account")
    run(flow, NEW_ACCOUNT[:1])
    flow.answer("0123")
    flow.answer("01 23 45 67 89")
    assert world.where.mistakes == 2
    run(flow, [("answer", "0612345678")])
    assert world.where.mistakes == 0


def test_the_exercises_offered_have_distinct_ids_and_short_titles() -> None:
    assert len(BY_ID) == len(EXERCISES) and FREE in EXERCISES
    assert all(e.id.isidentifier() and e.id.islower() and len(e.title) <= 80 for e in EXERCISES)
    assert not FREE.done(Flow(JOURNEYS, MemoryServices(date(2026, 11, 23))).state)
