"""Whatever a recogniser returns, every function answers None rather than failing or guessing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.voice.understanding import (
    MAX_CHARS,
    command,
    digits,
    number,
    pick,
    spelled,
    spoken_date,
    spoken_time,
    yes_no,
)

TODAY = date(2026, 11, 23)
LABELS = ["Médecin généraliste", "Pédiatre", "mardi 13 octobre, 14 h 30"]
READERS: dict[str, Callable[[str], object]] = {
    "command": command,
    "yes_no": yes_no,
    "digits": digits,
    "number": number,
    "spelled": spelled,
    "spoken_time": spoken_time,
    "date_past": lambda text: spoken_date(text, TODAY, past=True),
    "date_future": lambda text: spoken_date(text, TODAY, past=False),
    "pick": lambda text: pick(text, LABELS),
}
JUNK = ["", " ", "\n\t", "...", "?!", "🙂👍", "♪ ♪", "-", "'", "’", "[Musique]", "\x00", "١٢٣"]


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize("junk", JUNK)
def test_silence_noise_and_emoji_give_none(reader: Callable[[str], object], junk: str) -> None:
    assert reader(junk) is None


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_very_long_text_gives_none_without_error(reader: Callable[[str], object]) -> None:
    """A real answer, repeated past the limit: a recogniser gone astray, never parsed."""
    for answer in ("oui ", "zéro six ", "le 3 mars 1950 ", "retour ", "D "):
        long = answer * (MAX_CHARS // len(answer) + 1)
        assert reader(long) is None
    assert reader("a" * 1_000_000) is None


@given(st.text(max_size=MAX_CHARS))
def test_any_text_at_all_is_read_without_error(text: str) -> None:
    for reader in READERS.values():
        reader(text)


def test_a_whole_answer_is_read_just_under_the_limit() -> None:
    said = "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit".ljust(MAX_CHARS)
    assert digits(said) == "0612345678"
