"""What people do, step by step, written once and replayed by several tests.

Each event is (method of Flow, argument): ("choose", 2) taps the 2nd option shown,
("answer", "06 12 34 56 78") types a value.
"""

from __future__ import annotations

from typing import Any

from kiosk.workflows.flow import Flow, View
from tests.kiosk.workflows.memory_services import CODE

Event = tuple[str, Any]

START: list[Event] = []  # the main menu, in French, is the first screen
# Menu "Prendre un rendez-vous", a general practitioner, the first found near here: the card.
BOOK_GP_HERE = [("choose", 1), ("choose", 1), ("choose", 1)]
NEW_PERSON = [
    ("answer", "06 12 34 56 78"),
    ("answer", CODE),
    ("answer", True),
    ("answer", "F"),
    ("answer", "Émilie-Anne"),
    ("answer", "N'Diaye"),
    ("answer", "12 mars 1950"),
]
KNOWN_PERSON = [("answer", "06 98 76 54 32"), ("answer", CODE)]
# Seen before? no; the only motive open to new patients is chosen alone; the first time; confirm.
AFTER_CARD = [("answer", False), ("choose", 1), ("answer", True)]


def book_new_person() -> list[Event]:
    return START + BOOK_GP_HERE + [("choose", 1)] + NEW_PERSON + AFTER_CARD


def book_known_person() -> list[Event]:
    return START + BOOK_GP_HERE + [("choose", 1)] + KNOWN_PERSON + AFTER_CARD


def book_for_new_relative() -> list[Event]:
    for_a_relative = [("answer", "book_other")]  # "Prendre rendez-vous pour un proche"
    relative = [
        ("choose", 2),  # Une autre personne
        ("answer", "M"),
        ("answer", "Noé"),
        ("answer", "Petit"),
        ("answer", {"day": 4, "month": 7, "year": 2019}),
        ("answer", "enfant"),
        ("answer", True),
    ]
    rest = [("answer", False), ("choose", 1), ("answer", True)]
    return START + BOOK_GP_HERE + for_a_relative + KNOWN_PERSON + relative + rest


def run(flow: Flow, events: list[Event]) -> list[View]:
    """Replay the events; every view shown is returned, the first one included."""
    views = [flow.view()]
    for method, argument in events:
        views.append(getattr(flow, method)(argument))
        assert views[-1].error is None, (method, argument, views[-1].error)
    return views
