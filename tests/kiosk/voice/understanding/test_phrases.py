"""The phrases expected at each step: a vosk grammar or a Whisper prompt, short and spoken."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kiosk.voice.understanding import (
    command,
    digits,
    expected_phrases,
    pick,
    spoken,
    spoken_date,
    yes_no,
)
from kiosk.workflows.steps import Kind

SLOTS = ["mardi 13 octobre, 14 h", "mardi 13 octobre, 14 h 30", "Dr Claire Martin"]
MOST = 70  # words and phrases; vosk grammars and Whisper prompts stay small


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_short_list_in_words_with_the_commands(kind: Kind) -> None:
    phrases = expected_phrases(kind, SLOTS)
    assert len(phrases) <= MOST
    assert len(set(phrases)) == len(phrases)
    assert {"répéter", "retour", "aide", "arrêter"} <= set(phrases)
    assert all(not re.search(r"\d", phrase) and phrase == phrase.lower() for phrase in phrases)
    assert all(command(phrase) for phrase in phrases if phrase in ("plus fort", "moins vite"))


def test_the_yes_no_phrases_are_understood_as_yes_or_no() -> None:
    answers = [p for p in expected_phrases(Kind.YES_NO) if command(p) is None]
    assert answers and all(yes_no(phrase) is not None for phrase in answers)


def test_each_option_said_as_listed_picks_that_option() -> None:
    phrases = expected_phrases(Kind.SLOT, SLOTS)
    for index, label in enumerate(SLOTS):
        assert spoken(label) in phrases
        assert pick(spoken(label), SLOTS) == index


def test_only_choice_and_slot_steps_offer_more_choices() -> None:
    assert "plus de choix" in expected_phrases(Kind.CHOICE, SLOTS)
    assert "plus de choix" not in expected_phrases(Kind.YES_NO)


def test_digit_words_cover_every_pair() -> None:
    """Every word of "zéro six, soixante-dix-huit, quatre-vingt-onze…" is in the grammar."""
    words = {word for phrase in expected_phrases(Kind.DIGITS) for word in phrase.split()}
    said = "plus trente trois six soixante dix huit quatre vingt onze vingt et un double zéro"
    assert set(said.split()) <= words
    assert digits(said) == "+336789121" + "00"


def test_date_words_cover_a_birth_date() -> None:
    words = {word for phrase in expected_phrases(Kind.DATE) for word in phrase.split()}
    said = "trente et un décembre mille neuf cent cinquante"
    assert set(said.split()) <= words
    assert spoken_date(said, date(2026, 1, 1), past=True) == date(1950, 12, 31)


@pytest.mark.parametrize(
    ("label", "expected"),
    [("mardi 13 octobre, 14 h 30", "mardi treize octobre quatorze heures trente"),
     ("Dr Claire Martin, médecin généraliste", "docteur claire martin médecin généraliste"),
     ("1 h 05", "une heure cinq"), ("Mme Dupont", "madame dupont"), ("9h", "neuf heures")],
)  # fmt: skip
def test_labels_are_said_in_words(label: str, expected: str) -> None:
    assert spoken(label) == expected
