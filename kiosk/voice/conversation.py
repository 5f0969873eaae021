"""The voice kiosk in real time: audio in, the dialogue, speech out.

Audio comes as 16 kHz 16-bit mono chunks (a microphone, a file, a telephone line), and time
is counted in audio, not on a clock: a file fed at full speed behaves like a person talking.
- a person starting to talk stops the kiosk's voice at once (barge-in);
- their speech goes to the recogniser as it comes; its end (the endpointer, sooner once the
  recogniser has heard a whole expected answer) gives the text to the dialogue, and the
  dialogue's reply to the mouth;
- nothing said for `patience` seconds once the kiosk has finished talking: the dialogue's
  silence turn (the question again with an example, then "still there?", then the end).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from kiosk.voice.dialogue import Turn
from kiosk.voice.recognition.base import SAMPLE_RATE, Recogniser, Utterance
from kiosk.voice.recognition.endpoint import Ended, Endpointer, Started
from kiosk.workflows.steps import Kind

PATIENCE = 8.0  # seconds without an answer before asking again (ACCESSIBILITY.md)
# Seconds of quiet that end an answer: longer where people dictate (a phone number by pairs,
# a date, a name spelled), so that a pause between two parts does not cut the answer.
END_OF_ANSWER = 0.7
END_OF_DICTATION = 1.2
DICTATED = frozenset({Kind.DIGITS, Kind.DATE, Kind.TEXT})
# In a pause this close to the end of the answer, the recogniser may start on it (a Whisper
# decode takes a few tenths of a second): if the person says no more, the text is ready sooner.
HEAD_START = 0.5


class Mouth(Protocol):
    """What speaks (kiosk.voice.speaker.Speaker)."""

    def say(self, texts: list[str], language: str) -> None: ...
    def stop(self) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...
    def louder(self) -> None: ...
    def softer(self) -> None: ...
    def slower(self) -> None: ...
    def faster(self) -> None: ...
    def reset(self) -> None: ...


class Replies(Protocol):
    """What answers the person: kiosk.voice.dialogue.Dialogue, or it run on a screen's thread."""

    def start(self) -> Turn: ...
    def heard(self, text: str) -> Turn: ...
    def silence(self) -> Turn: ...


class Conversation:
    """One kiosk's voice: the people it talks to come one after another."""

    def __init__(
        self,
        dialogue: Replies,
        recogniser: Recogniser,
        mouth: Mouth,
        *,
        endpointer: Endpointer | None = None,
        patience: float = PATIENCE,
        on_turn: Callable[[Turn], None] = lambda turn: None,
    ) -> None:
        self.dialogue, self.recogniser, self.mouth = dialogue, recogniser, mouth
        self.endpointer = endpointer or Endpointer()
        self.patience, self.on_turn = patience, on_turn
        self.turn: Turn | None = None
        self._utterance: Utterance | None = None
        self._prepared = False  # the recogniser was told of this pause
        self._forget = False  # set from another thread: drop the audio heard so far
        self._now = 0.0  # seconds of audio fed
        self._waiting_since = 0.0  # when the kiosk stopped talking, or the person did

    def run(self, audio: Iterable[bytes]) -> None:
        """Talk until the audio ends (the microphone closed, the caller hung up)."""
        self.begin()
        for chunk in audio:
            self.feed(chunk)

    def begin(self) -> None:
        """Say the first step; then `feed` the audio as it comes."""
        self._reply(self.dialogue.start())

    def typed(self, text: str) -> None:
        """An answer given without speech (a telephone's keys), taken as if it were heard."""
        self.mouth.stop()
        self._utterance, self._prepared = None, False
        self.endpointer.reset()
        self._reply(self.dialogue.heard(text))

    def forget(self) -> None:
        """A new person (from any thread): the last one's audio is dropped before the next chunk."""
        self._forget = True

    def feed(self, chunk: bytes) -> None:
        if self._forget:
            self._forget, self._utterance = False, None
            self.endpointer.reset()
        self._now += len(chunk) / (2 * SAMPLE_RATE)
        for event in self.endpointer.feed(chunk):
            if isinstance(event, Started):
                self.mouth.stop()  # barge-in
                assert self.turn is not None
                self._utterance = self.recogniser.listen(self.turn.expected)
            elif isinstance(event, Ended) and self._utterance is not None:
                self._understand(event.rest)
        if self._utterance is not None and self.endpointer.speaking:
            self._utterance.feed(self.endpointer.take())  # recognised while the person talks
            self._maybe_prepare()
            if (self._prepared or self._utterance.streaming) and self._utterance.complete():
                self.endpointer.hurry()  # a whole expected answer before this pause
        if self.endpointer.speaking or not self.mouth.wait(0):
            self._waiting_since = self._now  # still talking, one or the other
        elif self._now - self._waiting_since >= self.patience:
            self._reply(self.dialogue.silence())

    def _maybe_prepare(self) -> None:
        assert self._utterance is not None
        ending_in = self.endpointer.ending_in
        if ending_in is None:
            self._prepared = False  # speech again: a new pause may be the end
        elif ending_in <= HEAD_START and not self._prepared:
            self._utterance.prepare()
            self._prepared = True

    def _understand(self, rest: bytes) -> None:
        utterance, self._utterance, self._prepared = self._utterance, None, False
        assert utterance is not None
        utterance.feed(rest)
        text = utterance.result().text
        self._reply(self.dialogue.heard(text) if text.strip() else self.dialogue.silence())

    def expect(self, turn: Turn) -> None:
        """Listen for the answers of this turn (from any thread)."""
        self.turn = turn
        self.endpointer.end_after(END_OF_DICTATION if turn.kind in DICTATED else END_OF_ANSWER)

    def _reply(self, turn: Turn) -> None:
        self.expect(turn)
        if turn.ended:  # the next person starts afresh: default volume and rate
            self.mouth.reset()
            self.endpointer.reset()
        if turn.control:
            getattr(self.mouth, turn.control)()
        self.mouth.say(turn.say, turn.language)
        self._waiting_since = self._now
        self.on_turn(turn)
