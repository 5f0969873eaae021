"""The text channel: numbered choices, typed answers, the same commands, lines piped in."""

from __future__ import annotations

import io

from kiosk.text.channel import handle, render, run
from kiosk.workflows.flow import Flow
from tests.kiosk.workflows.memory_services import CODE


def play(flow: Flow, *lines: str) -> str:
    out = io.StringIO()
    run(flow, io.StringIO("".join(f"{line}\n" for line in lines)), out)
    return out.getvalue()


def test_choices_are_numbered_and_answered_by_their_number(flow: Flow) -> None:
    shown = play(flow, "1")
    assert "  5. English · العربية" in shown
    assert "  1. Médecin généraliste" in shown
    assert "Écrivez plus pour voir d'autres choix." in shown


def test_a_whole_booking_from_piped_lines(flow: Flow, world) -> None:  # noqa: ANN001
    shown = play(flow, "1", "1", "1", "1", "06 98 76 54 32", CODE, "non", "1", "oui")
    assert "Votre rendez-vous est confirmé." in shown
    assert [a.status for a in world.booked.values()] == ["confirmed"]


def test_the_end_of_the_input_ends_the_session(flow: Flow, world) -> None:  # noqa: ANN001
    play(flow, "1", "1")
    assert world.ended == 1
    assert flow.state.answers == {}


def test_commands_work_in_french_at_every_step(flow: Flow) -> None:
    shown = play(flow, "aide", "répéter", "1", "retour", "arrêter")
    assert "* Un conseiller va venir vous aider." in shown
    assert "Au revoir. Tout est effacé." in shown


def test_a_shortcut_beside_a_typed_answer_is_chosen_with_a_star(flow: Flow) -> None:
    view = None
    for line in ("2", "0698765432"):
        view = handle(flow, view or flow.view(), line)
    assert "  *1. Je n'ai pas reçu le code" in render(view)
    assert handle(flow, view, "*1").step == "sign_in.no_code"


def test_a_review_item_is_changed_by_its_number(flow: Flow) -> None:
    view = flow.view()
    for line in ("1", "1", "1", "1", "0698765432", CODE, "non", "1"):
        view = handle(flow, view, line)
    assert view.step == "booking.review"
    assert "  2. Soignant : Docteur Marie Dupont" in render(view)
    assert handle(flow, view, "modifier 1").step == "booking.for_whom"


def test_errors_are_shown_and_the_question_stays(flow: Flow) -> None:
    view = flow.view()
    for line in ("1", "1", "1", "1"):
        view = handle(flow, view, line)
    view = handle(flow, view, "03 27 00 00 00")
    assert view.step == "sign_in.phone"
    assert "! Numéro de portable : ce numéro est un fixe. Il faut un portable." in render(view)
