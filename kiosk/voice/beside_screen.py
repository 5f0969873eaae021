"""Speech input on the touchscreen: what a person says moves the screen's flow, as a touch would.

The voice dialogue understands what is said (read-back, yes or no, the commands), the screen
shows where the flow went, and the kiosk's voice says the dialogue's reply. The microphone has
its own thread; the dialogue and the flow run on the screen's thread (`on_screen`), so a touch
and a word never move the flow at the same time. Silence is never prompted: a person at a
screen may be reading, and noise the recogniser makes nothing of is ignored.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TypeVar

from kiosk.voice.conversation import Conversation, Mouth
from kiosk.voice.dialogue import Dialogue, Turn
from kiosk.voice.recognition.base import Recogniser
from kiosk.workflows.flow import Flow, View

Result = TypeVar("Result")
OnScreen = Callable[[Callable[[], Result]], Result]


class SpeechInput:
    """The touchscreen's ears (kiosk.screens.devices.Ears)."""

    def __init__(
        self,
        recogniser: Recogniser,
        mouth: Mouth,
        *,
        on_screen: OnScreen,
        private_heard: Callable[[], bool] = lambda: False,
    ) -> None:
        self.on_screen, self.private_heard = on_screen, private_heard
        self.dialogue: Dialogue | None = None
        self._ready = threading.Event()  # the screen shows its first step
        self._moved: Callable[[View], None] = lambda view: None
        self.conversation = Conversation(
            _ScreenDialogue(self), recogniser, mouth, patience=math.inf
        )

    def follow(self, flow: Flow, moved: Callable[[View], None]) -> None:
        """On the screen's thread: the flow is at a new step (a touch, a new person)."""
        if self.dialogue is None or self.dialogue.flow is not flow:  # a new person
            self.dialogue = Dialogue(flow, private_heard=self.private_heard)
            self.conversation.forget()
        self._moved = moved
        self.conversation.expect(self.dialogue.follow(flow))
        self._ready.set()

    def listen(self, audio: Iterable[bytes]) -> None:
        """On the microphone's thread, until the audio ends."""
        self._ready.wait()
        for chunk in audio:
            self.conversation.feed(chunk)

    def heard(self, text: str) -> Turn:
        """On the screen's thread: the dialogue's reply, and the screen shows where it went."""
        assert self.dialogue is not None
        before = self.dialogue.view
        turn = self.dialogue.heard(text)
        if self.dialogue.view is not before:
            self._moved(self.dialogue.view)
        return turn

    def unheard(self) -> Turn:
        """Nothing recognised (noise): listen for the same answers, saying nothing; a value
        read back still waits for its "oui"."""
        assert self.conversation.turn is not None
        return replace(self.conversation.turn, say=[], control=None, help_requested=False)


class _ScreenDialogue:
    """What the conversation (microphone thread) calls, run on the screen's thread."""

    def __init__(self, speech: SpeechInput) -> None:
        self._speech = speech

    def start(self) -> Turn:
        return self._speech.on_screen(self._speech.unheard)

    def heard(self, text: str) -> Turn:
        return self._speech.on_screen(lambda: self._speech.heard(text))

    def silence(self) -> Turn:
        return self._speech.on_screen(self._speech.unheard)
