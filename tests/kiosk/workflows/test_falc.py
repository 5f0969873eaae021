"""Every French message follows FALC (ACCESSIBILITY.md), in the catalogue and on screen."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from kiosk.workflows.falc import problems
from kiosk.workflows.i18n import LOCALES
from tests.kiosk.workflows.test_journeys import walk_all


def catalogue_messages() -> list[str]:
    """Every message id; both forms of a message with a count."""
    with (LOCALES / "kiosk.pot").open("rb") as template:
        ids = [m.id for m in read_po(template) if m.id]
    return [form for i in ids for form in ((i,) if isinstance(i, str) else i)]


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("Votre RDV avec le Dr Dupont est confirmé.", "abréviation"),
        ("Choisissez un créneau.", "mot difficile"),
        ("Le rendez-vous est à 14h30.", "heure"),
        ("Le rendez-vous est le 13/10/2026.", "date"),
        (
            "Ceci est une phrase beaucoup trop longue pour être lue facilement par tout le monde.",
            "phrase",
        ),
        ("Appuyez sur VALIDER.", "capitales"),
        ("Votre numéro (portable).", "caractères"),
    ],
)
def test_the_checker_finds_what_breaks_the_rules(text: str, broken: str) -> None:
    assert any(broken in p for p in problems(text)), problems(text)


def test_the_checker_accepts_plain_french() -> None:
    assert problems("Le rendez-vous est le {moment}. Vous allez recevoir un SMS.") == []


def test_every_message_of_the_catalogue_is_falc() -> None:
    messages = catalogue_messages()
    assert len(messages) > 150
    assert {m: problems(m) for m in messages if problems(m)} == {}


def test_every_screen_of_every_journey_reads_as_falc() -> None:
    shown = {text for views in walk_all().values() for v in views for text in v.texts()}
    assert {t: problems(t) for t in shown if problems(t)} == {}
