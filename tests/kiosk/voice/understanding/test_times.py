"""Times of day said in French, in words or as Whisper writes them."""

from __future__ import annotations

from datetime import time

import pytest

from kiosk.voice.understanding import say, spoken_time

QUARTERS = [time(hour, minute) for hour in range(24) for minute in (0, 15, 30, 45)]


def hours_words(hour: int) -> str:
    return "une heure" if hour == 1 else f"{say(hour)} heures"


@pytest.mark.parametrize("moment", QUARTERS, ids=str)
def test_every_quarter_hour_said_on_the_24_hour_clock(moment: time) -> None:
    minutes = f" {say(moment.minute)}" if moment.minute else ""
    assert spoken_time(hours_words(moment.hour) + minutes) == moment
    assert spoken_time(f"{moment.hour} h {moment.minute:02d}") == moment
    assert spoken_time(f"{moment.hour}h{moment.minute:02d}") == moment
    assert spoken_time(f"{moment:%H:%M}") == moment


@pytest.mark.parametrize("moment", [q for q in QUARTERS if 1 <= q.hour <= 10], ids=str)
def test_every_quarter_hour_said_with_quarters_and_halves(moment: time) -> None:
    fraction = {0: "", 15: " et quart", 30: " et demie", 45: " et trois quarts"}[moment.minute]
    assert spoken_time(hours_words(moment.hour) + fraction) == moment
    if moment.minute == 45:
        assert spoken_time(f"{hours_words(moment.hour + 1)} moins le quart") == moment


@pytest.mark.parametrize(
    ("said", "expected"),
    [("quatorze heures trente", time(14, 30)), ("14 h 30", time(14, 30)),
     ("deux heures de l'après-midi", time(14)), ("deux heures de l’apres-midi", time(14)),
     ("huit heures du soir", time(20)), ("huit heures du matin", time(8)),
     ("neuf heures et demie du soir", time(21, 30)), ("midi", time(12)),
     ("midi et demi", time(12, 30)), ("midi moins le quart", time(11, 45)),
     ("neuf heures et quart", time(9, 15)), ("minuit moins cinq", time(23, 55)),
     ("dix heures dix minutes", time(10, 10)), ("onze heures moins vingt", time(10, 40)),
     ("à quatorze heures", time(14)), ("Vers midi.", time(12)), ("euh, 9 h", time(9)),
     ("quatorze trente", time(14, 30)), ("QUATORZE HEURES", time(14)),
     ("quatorze heures quarante-cinq", time(14, 45)), ("huit heures sept", time(8, 7))],
)  # fmt: skip
def test_times_in_every_usual_spoken_form(said: str, expected: time) -> None:
    assert spoken_time(said) == expected


@pytest.mark.parametrize(
    "said",
    ["", "vingt-cinq heures", "quatorze heures soixante", "bonjour", "le matin", "3 mars",
     "quatorze heures ou quinze heures", "⏰", "quatorze"],
)  # fmt: skip
def test_anything_but_one_time_gives_none(said: str) -> None:
    assert spoken_time(said) is None
