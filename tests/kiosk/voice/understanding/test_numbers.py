"""Phone numbers and codes said in French, by pairs, digit by digit or as Whisper writes them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from text_to_num import text2num

from kiosk.voice.understanding import digits, number, say
from kiosk.workflows.parsers import parse_code, parse_mobile


def pair(n: int) -> str:
    """Two digits as people say them in a phone number: "zéro cinq", "soixante-dix-huit"."""
    return f"zéro {say(n)}" if n < 10 else say(n)


def unhyphenated(text: str) -> str:
    return text.replace("-", " ")


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zéro"), (1, "un"), (17, "dix-sept"), (21, "vingt et un"), (22, "vingt-deux"),
        (70, "soixante-dix"), (71, "soixante et onze"), (78, "soixante-dix-huit"),
        (80, "quatre-vingts"), (81, "quatre-vingt-un"), (91, "quatre-vingt-onze"),
        (99, "quatre-vingt-dix-neuf"), (100, "cent"), (102, "cent deux"), (200, "deux cents"),
        (201, "deux cent un"), (1001, "mille un"), (1950, "mille neuf cent cinquante"),
        (2026, "deux mille vingt-six"), (80_000, "quatre-vingt mille"),
    ],
)  # fmt: skip
def test_numbers_are_spelled_in_traditional_french(n: int, words: str) -> None:
    assert say(n) == words


def test_every_number_below_ten_thousand_is_spelled_as_text2num_reads_it() -> None:
    """text2num is an independent reader: it checks the speller the other tests use."""
    assert all(text2num(say(n), "fr") == n for n in range(10_000))


@pytest.mark.parametrize("n", range(100))
def test_every_pair_said_in_a_phone_number_gives_its_two_digits(n: int) -> None:
    said = f"zéro six, {pair(n)}, trente-quatre, cinquante-six, soixante-dix-huit"
    expected = f"06{n:02d}345678"
    assert digits(said) == expected
    assert digits(unhyphenated(said)) == expected
    assert digits(said.upper()) == expected


@given(st.lists(st.integers(0, 99), min_size=3, max_size=3))
def test_any_mobile_said_by_pairs_is_a_mobile_the_journey_accepts(pairs: list[int]) -> None:
    """With the pauses Whisper writes as commas: see the next test for why they matter."""
    said = ", ".join(["zéro six", "douze", *(pair(n) for n in pairs)])
    assert parse_mobile(digits(said) or "") == "+33612" + "".join(f"{n:02d}" for n in pairs)


@pytest.mark.parametrize(
    ("said", "expected"),
    [("soixante dix", "70"), ("soixante, dix", "6010"), ("quatre-vingts dix", "90"),
     ("quatre-vingts, dix", "8010"), ("vingt quatre-vingts", "2080"),
     ("vingt-quatre vingt", "2420")],
)  # fmt: skip
def test_pairs_that_sound_like_one_number_are_read_as_one_unless_a_pause_or_hyphen_splits_them(
    said: str, expected: str
) -> None:
    """ "Soixante, dix" and "soixante-dix" sound alike: only the recogniser's comma or
    hyphens tell them apart, so the number read is the one heard as a whole."""
    assert digits(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("zéro six douze trente-quatre cinquante-six soixante-dix-huit", "0612345678"),
        ("zéro six un deux trois quatre cinq six sept huit", "0612345678"),
        ("zero six un deux trente quatre cinquante six soixante dix huit", "0612345678"),
        ("plus trente-trois six douze trente-quatre cinquante-six soixante-dix-huit",
         "+33612345678"),
        ("Zéro six, 12, 34, 56, 78.", "0612345678"),
        ("06 12 34 56 78", "0612345678"),
        ("06.12.34.56.78", "0612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0612345678", "0612345678"),
        ("double zéro trente-trois six douze", "0033612"),
        ("double neuf douze", "9912"),
        ("triple sept", "777"),
        ("quatre-vingt-dix-neuf, vingt et un, cent deux", "9921102"),
        ("Euh, alors, mon numéro c'est le zéro six… douze, trente-quatre", "061234"),
        ("ZÉRO SIX DOUZE", "0612"),
        ("zéro six, soixante dix-huit", "0678"),
    ],
)  # fmt: skip
def test_phone_numbers_in_every_usual_spoken_form(said: str, expected: str) -> None:
    assert digits(said) == expected


@pytest.mark.parametrize(
    "said",
    ["cent vingt-trois, quatre cent cinquante-six", "douze, trente-quatre, cinquante-six",
     "un deux trois quatre cinq six", "123 456", "1 2 3 4 5 6", "le code c'est 123456"],
)  # fmt: skip
def test_a_six_digit_code_said_any_way_is_the_code_the_journey_accepts(said: str) -> None:
    assert parse_code(digits(said) or "") == "123456"


@pytest.mark.parametrize(
    "said",
    ["", "   ", "je ne sais pas", "zéro six et puis je sais plus", "plus", "🙂", "???",
     "douze plus six", "double", "oui", "D comme Denise"],
)  # fmt: skip
def test_anything_but_digits_gives_none(said: str) -> None:
    assert digits(said) is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [("cent deux", 102), ("le trois", 3), ("Douze.", 12), ("zéro", 0), ("42", 42),
     ("mille neuf cent cinquante", 1950), ("dix-neuf-cent-trente", 1930)],
)  # fmt: skip
def test_one_number_said_alone(said: str, expected: int) -> None:
    assert number(said) == expected


@pytest.mark.parametrize("said", ["douze trente", "12 h", "trois mars", "beaucoup", ""])
def test_more_than_one_number_or_none_is_not_a_number(said: str) -> None:
    assert number(said) is None
