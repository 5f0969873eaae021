"""Calls to the kiosk's telephone line from a real SIP telephone (baresip), against the live
server: the journeys by keypad, a hang-up in the middle, and what the caller heard."""

from __future__ import annotations

from typing import Any

from bench.scripts import Event, returning_person_books
from kiosk.workflows.flow import View
from kiosk.workflows.steps import Kind
from tests.kiosk.conftest import PHONE
from tests.kiosk.phone.baresip import Baresip
from tests.kiosk.phone.conftest import Kiosk


def keys(view: View, method: str, value: Any) -> list[str]:
    """What a caller types for one event of a script: each item is answered by a new turn."""
    if method == "choose":
        return [str(value)]
    if value is True or value is False:
        return ["1" if value else "2"]
    numbers = [str(i) for i, o in enumerate(view.options, 1) if o.value == value]
    if numbers:
        return numbers[:1]
    if view.kind == Kind.DATE:
        day, month, year = value.split("/")
        return [f"{day}{month}{year}#", "1"]
    assert view.kind == Kind.DIGITS, f"{view.step} cannot be answered by keys"
    return [f"{value}#"] if view.private else [f"{value}#", "1"]


def typed(kiosk: Kiosk, caller: Baresip, script: list[Event]) -> list[str]:
    """The script typed on the telephone's keys; the steps the call went through."""
    caller.dial(kiosk.uri)
    _, view = kiosk.next_turn()
    steps = [view.step]
    for method, argument, *at in script:
        if at and view.step != at[0]:
            continue  # the flow passed that step by itself
        value = argument() if callable(argument) else argument
        for pressed in keys(view, method, value):
            caller.press(pressed)
            _, view = kiosk.next_turn()
        steps.append(view.step)
    return steps


def test_a_returning_person_books_by_keypad_alone(
    kiosk_line, caller, services, inbox, doctor, holder_id
):
    steps = typed(kiosk_line, caller, returning_person_books(PHONE, inbox.code))
    assert steps[-1] == "booking.done"
    caller.hang_up()
