"""Dates said in French: birth dates (past) and appointment days (future)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.voice.understanding import say, spoken_date
from kiosk.workflows.parsers import MONTHS

TODAY = date(2026, 11, 23)  # a Monday
MONTH_NAMES = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre"]  # fmt: skip


def day_words(day: int) -> str:
    return "premier" if day == 1 else say(day)


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("day", [1, 2, 9, 13, 21, 28])
def test_every_month_said_in_words_with_its_year_gives_the_date(month: int, day: int) -> None:
    born = date(1950 + month, month, day)
    said = f"le {day_words(day)} {MONTH_NAMES[month - 1]} {say(born.year)}"
    assert spoken_date(said, TODAY, past=True) == born
    assert spoken_date(said.replace("é", "e").replace("û", "u"), TODAY, past=True) == born
    assert spoken_date(f"{day} {MONTHS[month - 1]} {born.year}", TODAY, past=True) == born


@pytest.mark.parametrize(
    "said",
    ["le 3 mars 1950", "trois mars mille neuf cent cinquante", "trois mars dix-neuf cent cinquante",
     "Le trois mars 1950.", "03/03/1950", "3.3.1950", "03-03-50", "trois mars cinquante",
     "je suis née le trois mars dix-neuf cinquante", "euh, le 3 mars de l'année 1950",
     "le trois, trois, mille neuf cent cinquante", "TROIS MARS 1950", "mardi 3 mars 1950"],
)  # fmt: skip
def test_a_birth_date_in_every_usual_spoken_form(said: str) -> None:
    assert spoken_date(said, TODAY, past=True) == date(1950, 3, 3)


@pytest.mark.parametrize(
    ("said", "past", "expected"),
    [("trois mars cinquante", True, date(1950, 3, 3)),
     ("trois mars vingt-six", True, date(2026, 3, 3)),
     ("trois décembre vingt-six", True, date(1926, 12, 3)),  # not after today
     ("trois mars vingt-sept", True, date(1927, 3, 3)),
     ("trois mars vingt-sept", False, date(2027, 3, 3)),
     ("trois décembre vingt-six", False, date(2026, 12, 3)),
     ("03/03/27", False, date(2027, 3, 3))],
)  # fmt: skip
def test_a_two_digit_year_is_the_latest_past_one_or_the_next_future_one(
    said: str, past: bool, expected: date
) -> None:
    assert spoken_date(said, TODAY, past=past) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [("premier avril", date(2027, 4, 1)), ("le 23 novembre", TODAY),
     ("le vingt-quatre novembre", date(2026, 11, 24)),
     ("trente et un décembre", date(2026, 12, 31)),
     ("29 février", date(2028, 2, 29)), ("demain", date(2026, 11, 24)),
     ("après-demain", date(2026, 11, 25)), ("apres demain", date(2026, 11, 25)),
     ("aujourd’hui", TODAY), ("mardi", date(2026, 11, 24)), ("lundi", date(2026, 11, 30)),
     ("lundi prochain", date(2026, 11, 30)), ("dimanche qui vient", date(2026, 11, 29)),
     ("mardi 1er décembre", date(2026, 12, 1))],
)  # fmt: skip
def test_an_appointment_day_without_a_year_is_the_next_one_from_today(
    said: str, expected: date
) -> None:
    assert spoken_date(said, TODAY, past=False) == expected


@pytest.mark.parametrize("offset", range(7))
def test_a_weekday_alone_is_always_within_the_next_seven_days(offset: int) -> None:
    today = TODAY + timedelta(days=offset)
    for name in ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"):
        day = spoken_date(name, today, past=False)
        assert day is not None and 1 <= (day - today).days <= 7


@pytest.mark.parametrize("said", ["premier avril", "demain", "mardi", "le 3 mars"])
def test_a_birth_date_needs_a_year(said: str) -> None:
    assert spoken_date(said, TODAY, past=True) is None


@pytest.mark.parametrize(
    "said",
    ["31 février 1950", "trente et un avril", "30/02/1950", "le 32 mars 1950", "13/13/1950",
     "29 février 1951", "zéro mars 1950"],
)  # fmt: skip
def test_impossible_dates_give_none(said: str) -> None:
    assert spoken_date(said, TODAY, past=True) is None
    assert spoken_date(said, TODAY, past=False) is None


@pytest.mark.parametrize(
    "said",
    ["", "je ne sais plus", "mars", "mille neuf cent cinquante", "le 3 mars 1950 ou le 4 mars",
     "3 mars 195", "🎂", "trois trucs 1950"],
)  # fmt: skip
def test_anything_but_one_date_gives_none(said: str) -> None:
    assert spoken_date(said, TODAY, past=True) is None
