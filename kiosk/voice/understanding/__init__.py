"""Spoken French made into the answers the journeys expect.

A recogniser (Whisper or vosk) gives text such as "zéro six, douze, trente-quatre",
"06 12 34", "le 3 mars 1950" or "Oui, c'est ça."; these functions turn it into the values
the steps take, or None when the answer is unclear, so the dialogue can ask again.
Nothing here logs what was said.
"""

from kiosk.voice.understanding.answers import command, spelled, yes_no
from kiosk.voice.understanding.choices import pick
from kiosk.voice.understanding.dates import spoken_date
from kiosk.voice.understanding.numbers import digits, number, say
from kiosk.voice.understanding.phrases import expected_phrases, spoken
from kiosk.voice.understanding.times import spoken_time
from kiosk.voice.understanding.words import MAX_CHARS

__all__ = [
    "MAX_CHARS",
    "command",
    "digits",
    "expected_phrases",
    "number",
    "pick",
    "say",
    "spelled",
    "spoken",
    "spoken_date",
    "spoken_time",
    "yes_no",
]
