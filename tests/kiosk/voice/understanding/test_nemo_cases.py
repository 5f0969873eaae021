"""NVIDIA NeMo's French inverse-normalisation cases ("spoken~written") that the kiosk can meet.

Scope rules, applied to the written side, never a list of skipped lines:
- telephone: every case; digits compared, the leading trunk "0" optional (NeMo writes it
  even when it was not said: "deux douze…" → "02 12…").
- date: every case written "day month [year]"; without a year, the next such day.
- time: every case written "H h [MM]".
- cardinal: whole numbers from 0 to 999 999 written in digits. Out: negatives (never asked),
  millions and more (nobody says them at a kiosk), and the cases NeMo leaves in words
  ("zéro", "un") or only partly converts ("quarante trois" → "40 trois": we read 43).
"""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest

from kiosk.voice.understanding import digits, number, spoken_date, spoken_time
from kiosk.workflows.parsers import MONTHS, fold

NEMO = Path(__file__).resolve().parents[4].parent / "shared/realdata/fr_itn/nemo_fr_itn"
TODAY = date(2026, 11, 23)
_WRITTEN_DATE = re.compile(r"(\d{1,2})(?:ᵉʳ)? (\w+)(?: (\d{4}))?")
_WRITTEN_TIME = re.compile(r"(\d{1,2}) h(?: (\d{2}))?")
_CARDINAL_LIMIT = 1_000_000


def cases(kind: str) -> list[tuple[str, str]]:
    lines = (NEMO / f"test_cases_{kind}.txt").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("~", 1)) for line in lines if "~" in line]  # type: ignore[misc]


def in_scope_cardinals() -> list[tuple[str, int]]:
    return [
        (spoken, int(written))
        for spoken, written in cases("cardinal")
        if written.isdigit() and int(written) < _CARDINAL_LIMIT
    ]


def test_every_telephone_case_gives_its_digits() -> None:
    telephone = cases("telephone")
    assert telephone
    for spoken, written in telephone:
        heard = digits(spoken)
        assert heard is not None, spoken
        assert heard.removeprefix("0") == written.replace(" ", "").removeprefix("0"), spoken


@pytest.mark.parametrize(("spoken", "written"), cases("date"))
def test_every_written_day_and_month_case_gives_that_date(spoken: str, written: str) -> None:
    match = _WRITTEN_DATE.fullmatch(written)
    assert match, f"out of the date scope rule: {written}"
    day, month, year = int(match.group(1)), MONTHS.index(fold(match.group(2))) + 1, match.group(3)
    if year:
        assert spoken_date(spoken, TODAY, past=True) == date(int(year), month, day)
    else:
        heard = spoken_date(spoken, TODAY, past=False)
        assert heard is not None and heard >= TODAY
        assert (heard.day, heard.month) == (day, month)


@pytest.mark.parametrize(("spoken", "written"), cases("time"))
def test_every_written_clock_time_case_gives_that_time(spoken: str, written: str) -> None:
    match = _WRITTEN_TIME.fullmatch(written)
    assert match, f"out of the time scope rule: {written}"
    assert spoken_time(spoken) == time(int(match.group(1)), int(match.group(2) or 0))


def test_every_cardinal_in_the_kiosk_range_gives_its_value() -> None:
    scoped = in_scope_cardinals()
    assert len(scoped) >= 70, "the scope rule should keep most NeMo cardinals"
    wrong = [(spoken, value, number(spoken)) for spoken, value in scoped if number(spoken) != value]
    assert not wrong


def test_the_cardinals_said_digit_by_digit_are_the_same_digits() -> None:
    """The same cases read by `digits`, as a code or a phone pair would be."""
    for spoken, value in in_scope_cardinals():
        assert digits(spoken) == str(value), spoken


def test_the_cases_that_ran_are_counted() -> None:
    """At least this many real cases run: fewer means the data or a scope rule changed."""
    counts = {
        "telephone": len(cases("telephone")),
        "date": len(cases("date")),
        "time": len(cases("time")),
        "cardinal": len(in_scope_cardinals()),
    }
    print("NeMo cases run:", counts, "of cardinals", len(cases("cardinal")))
    assert (counts["telephone"], counts["date"], counts["time"]) == (5, 6, 18)  # all of them
    assert counts["cardinal"] >= 70
