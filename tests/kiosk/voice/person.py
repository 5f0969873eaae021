"""What a person says to the voice kiosk for each event of a journey script (bench/scripts.py).

A choice is said by its words ("médecin généraliste"), a rank by its number ("deux"), yes and
no as such; a phone number by pairs, a code digit by digit, a date in words; typed data is
confirmed with "oui" when the kiosk reads it back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import format_date

from bench.scripts import Event, UnexpectedError
from kiosk.voice.dialogue import Dialogue
from kiosk.voice.understanding import say
from kiosk.workflows.flow import View
from kiosk.workflows.steps import Kind


def said_by_pairs(number: str) -> str:
    """ "0612345678" → "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit"."""
    pairs = [number[i : i + 2] for i in range(0, len(number), 2)]
    return ", ".join(f"zéro {say(int(p))}" if p.startswith("0") else say(int(p)) for p in pairs)


def said_digit_by_digit(number: str) -> str:
    return ", ".join(say(int(digit)) for digit in number)


def said_date(day: str) -> str:
    """ "12/03/1950" → "le douze mars mille neuf cent cinquante"."""
    moment = datetime.strptime(day, "%d/%m/%Y")
    first = "premier" if moment.day == 1 else say(moment.day)
    return f"le {first} {format_date(moment, 'MMMM', locale='fr')} {say(moment.year)}"


def utterances(view: View, method: str, value: Any) -> list[str]:
    """What the person says at `view` for the event (method, value) of a script."""
    if method == "choose":
        return [say(value)]
    if value is True or value is False:
        return ["oui" if value else "non"]
    labels = [o.label for o in view.options if o.value == value]
    if labels:
        return [labels[0].lower()]
    if view.kind == Kind.DIGITS:
        return [said_digit_by_digit(value)] if view.private else [said_by_pairs(value), "oui"]
    if view.kind == Kind.DATE:
        return [said_date(value), "oui"]
    return [value, "oui"]  # a name, read back


def speak_replay(dialogue: Dialogue, events: list[Event]) -> list[View]:
    """The script said to the dialogue, answer by answer; every view reached, the first too."""
    views = [dialogue.view]
    for method, argument, *at in events:
        if at and dialogue.view.step != at[0]:
            continue  # the flow passed that step by itself
        shown = dialogue.view
        value = argument() if callable(argument) else argument
        for words in utterances(shown, method, value):
            dialogue.heard(words)
        if dialogue.view is shown or dialogue.view.error:
            raise UnexpectedError(f"{shown.step}: {method} {value!r} not understood")
        views.append(dialogue.view)
    return views
