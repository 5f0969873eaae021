"""The engine every channel relies on: events, global commands, state that can be saved."""

from __future__ import annotations

import json

import pytest

from kiosk.workflows.flow import Flow, FlowState
from kiosk.workflows.journeys import JOURNEYS
from kiosk.workflows.steps import END, RETURN, Kind
from tests.kiosk.conftest import TODAY
from tests.kiosk.workflows.scenarios import BOOK_GP_HERE, START, book_known_person, run


def test_a_session_starts_with_the_menu_and_the_other_languages_in_their_own_words(
    flow: Flow,
) -> None:
    view = flow.view()
    assert view.step == "welcome.menu"
    assert view.options[-1].label == "English · العربية"
    assert [o.value for o in flow.answer("language").options] == ["fr", "en", "ar"]


def test_back_returns_to_the_previous_question_with_its_answer_kept(flow: Flow) -> None:
    run(flow, START + [("choose", 1), ("choose", 5), ("answer", "Dupont")])
    view = flow.back()
    assert view.step == "booking.name"
    assert view.value == "Dupont"


def test_back_at_the_very_start_says_so(flow: Flow) -> None:
    view = flow.back()
    assert view.step == "welcome.menu"
    assert view.notice == "Vous êtes au début."
    assert not view.can_go_back


def test_repeat_shows_the_same_question_again(flow: Flow) -> None:
    before = run(flow, START)[-1]
    again = flow.repeat()
    assert (again.step, again.title, again.options) == (before.step, before.title, before.options)


def test_help_calls_a_counsellor_and_stays_on_the_step(flow: Flow, world) -> None:  # noqa: ANN001
    run(flow, START + BOOK_GP_HERE)
    view = flow.help()
    assert world.help_asked == [view.step]
    assert view.help_requested
    assert view.notice == "Un conseiller va venir vous aider."
    assert view.step == "booking.card"
    assert not flow.repeat().help_requested


def test_the_counsellor_on_their_way_is_named_until_they_are_done(flow: Flow, world) -> None:  # noqa: ANN001
    flow.help()
    world.helper = "Camille"
    assert flow.repeat().notice == "Camille arrive pour vous aider."
    assert flow.choose(1).notice == "Camille arrive pour vous aider."
    world.helper = None
    assert flow.repeat().notice is None


def test_help_without_network_sends_the_person_to_the_front_desk(flow: Flow, world) -> None:  # noqa: ANN001
    world.offline = True
    view = flow.help()
    assert view.notice == "Le réseau est coupé. Allez voir l'accueil du centre."
    assert world.help_asked == []


def test_each_screen_tells_the_dashboard_the_journey_and_step_only(flow: Flow, world) -> None:  # noqa: ANN001
    run(flow, START + [("choose", 1)])
    assert world.where.journey == "Prendre un rendez-vous"
    assert world.where.step == flow.view().step
    assert world.where.progress == flow.view().progress


def test_stop_ends_the_session_and_forgets_everything(flow: Flow, world) -> None:  # noqa: ANN001
    run(flow, book_known_person()[:-1])
    view = flow.stop()
    assert view.ended and view.step == "welcome.menu"
    assert world.ended == 1
    assert flow.state == FlowState(step="welcome.menu")


def test_after_a_confirmed_booking_back_explains_instead_of_undoing(flow: Flow) -> None:
    run(flow, book_known_person())
    view = flow.back()
    assert view.step == "booking.done"
    assert view.notice == (
        "Le rendez-vous est confirmé. Pour le changer, allez dans Mes rendez-vous."
    )


def test_more_shows_five_other_options_and_says_when_there_are_no_more(flow: Flow) -> None:
    first = run(flow, START + [("choose", 1)])[-1]
    assert len(first.options) == 5 and first.more
    second = flow.more()
    assert {o.value for o in second.options}.isdisjoint({o.value for o in first.options})
    assert flow.back().options == first.options
    while flow.view().more:
        flow.more()
    assert flow.more().notice == "Ce sont tous les choix."


def test_a_number_outside_the_list_is_refused_plainly(flow: Flow) -> None:
    view = flow.choose(9)
    assert view.error == "Choisissez une réponse dans la liste."
    assert view.step == "welcome.menu"


def test_a_typed_label_is_understood_like_a_tap(flow: Flow) -> None:
    run(flow, START + BOOK_GP_HERE + [("choose", 1)])
    run(flow, [("answer", "06 98 76 54 32"), ("answer", "123456")])
    assert flow.view().step == "booking.seen_before"
    assert flow.answer("Oui").step == "booking.motive"


def test_a_wrong_answer_names_the_field_and_keeps_what_was_typed(flow: Flow) -> None:
    run(flow, START + BOOK_GP_HERE + [("choose", 1)])
    view = flow.answer("06 12 34")
    assert view.step == "sign_in.phone"
    assert view.error.startswith("Numéro de portable :")
    assert view.value == "06 12 34"


def test_the_state_is_plain_json_and_a_journey_resumes_from_it(flow: Flow, world) -> None:  # noqa: ANN001
    events = book_known_person()
    run(flow, events[:-3])
    saved = json.dumps(flow.state.to_dict())
    resumed = Flow(JOURNEYS, world, FlowState.from_dict(json.loads(saved)), today=lambda: TODAY)
    assert resumed.view() == flow.view()
    assert run(resumed, events[-3:])[-1].step == "booking.done"


def test_a_review_item_changed_goes_straight_back_to_the_review(flow: Flow) -> None:
    run(flow, book_known_person()[:-1])
    assert flow.view().kind == Kind.REVIEW
    view = flow.change("booking.for_whom")
    assert view.step == "booking.for_whom"
    assert flow.choose(1).step == "booking.review"


def test_a_review_books_only_on_a_clear_confirm(flow: Flow, world) -> None:  # noqa: ANN001
    run(flow, book_known_person()[:-1])
    view = flow.answer("euh")
    assert (view.step, view.error) == ("booking.review", "Choisissez une réponse dans la liste.")
    assert world.booked == {}


def test_only_the_items_of_the_review_can_be_changed(flow: Flow) -> None:
    run(flow, book_known_person()[:-1])
    assert flow.change("sign_in.phone").error == "Choisissez une réponse dans la liste."


def test_progress_says_which_step_of_how_many(flow: Flow) -> None:
    view = run(flow, START + [("choose", 1)])[-1]
    assert view.progress == (1, 6)
    assert view.progress_text == "Étape 1 sur 6"


def test_every_transition_leads_to_a_declared_step() -> None:
    steps = {s.id for j in JOURNEYS for s in j.steps}
    for journey in JOURNEYS:
        for source, target in journey.edges():
            assert target in steps | {END, RETURN}, (source, target)


def test_a_journey_can_be_listed_as_a_diagram() -> None:
    booking = next(j for j in JOURNEYS if j.name == "booking")
    diagram = booking.mermaid()
    assert diagram.startswith("flowchart TD")
    assert "booking_review --> booking_done" in diagram


def test_a_rule_choosing_an_undeclared_step_is_a_programming_error(flow: Flow) -> None:
    from dataclasses import replace

    flow.steps["welcome.menu"] = replace(flow.steps["welcome.menu"], next=lambda c: "x")
    with pytest.raises(RuntimeError, match="not declared"):
        flow.choose(1)


def test_the_journeys_document_is_generated_from_the_code() -> None:
    from kiosk.workflows.i18n import LOCALES
    from kiosk.workflows.listing import listing

    document = (LOCALES.parent / "docs" / "journeys.md").read_text(encoding="utf-8")
    assert document == listing(), "run: python -m kiosk.workflows.listing > docs/journeys.md"
