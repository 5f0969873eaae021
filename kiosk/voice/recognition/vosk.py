"""vosk (Kaldi): recognises while audio comes in, so the text is ready as speech ends.

With expected phrases it listens only for them (a JSON grammar, plus "[unk]" for anything
else); without, it transcribes freely with the model's own language model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import vosk

from kiosk.voice.recognition.base import SAMPLE_RATE, Heard, WholeAnswer

UNKNOWN = "[unk]"

vosk.SetLogLevel(-2)  # Kaldi's warnings would fill the kiosk's log on every grammar


class VoskRecogniser:
    """One loaded vosk model; each utterance gets its own recogniser over it.

    A new recogniser with a grammar costs under a millisecond (measured), the same as
    SetGrammar on a kept one, and starts with clean state; a free one costs ~60 ms, paid
    when the question starts, not when the person stops.
    """

    sample_rate = SAMPLE_RATE

    def __init__(self, model_dir: Path) -> None:
        self._model = vosk.Model(str(model_dir))

    def listen(self, expected: Sequence[str]) -> VoskUtterance:
        if expected:
            grammar = [phrase.lower() for phrase in expected] + [UNKNOWN]
            # Plain UTF-8: vosk takes "\u00e9" escapes as letters and drops every accented word.
            recogniser = vosk.KaldiRecognizer(
                self._model, SAMPLE_RATE, json.dumps(grammar, ensure_ascii=False)
            )
        else:
            recogniser = vosk.KaldiRecognizer(self._model, SAMPLE_RATE)
        recogniser.SetWords(True)
        return VoskUtterance(recogniser, expected)


class VoskUtterance:
    streaming = True

    def __init__(self, recogniser: vosk.KaldiRecognizer, expected: Sequence[str] = ()) -> None:
        self._recogniser = recogniser
        self._words: list[dict] = []
        self._whole = WholeAnswer(expected)

    def feed(self, pcm: bytes) -> None:
        # At a pause vosk closes a segment: its words must be taken now or FinalResult loses them.
        if self._recogniser.AcceptWaveform(pcm):
            self._words += json.loads(self._recogniser.Result()).get("result", [])

    def prepare(self) -> None:
        """Nothing to start: vosk has recognised the audio as it came."""

    def complete(self) -> bool:
        """The grammar's phrase heard so far is whole (with a grammar only)."""
        partial = json.loads(self._recogniser.PartialResult()).get("partial", "")
        return self._whole(
            " ".join([*(w["word"] for w in self._words), partial]).replace(UNKNOWN, "")
        )

    def result(self) -> Heard:
        self._words += json.loads(self._recogniser.FinalResult()).get("result", [])
        known = [word for word in self._words if word["word"] != UNKNOWN]
        self._words = []
        if not known:
            return Heard("", None)
        text = " ".join(word["word"] for word in known)
        return Heard(text, sum(word["conf"] for word in known) / len(known))
