"""One telephone call: the voice dialogue over the line, with the keys beside the voice.

The journeys are kiosk/workflows', the dialogue kiosk/voice's; a call only adds the keypad and
its hints, and ends when either side does. Whatever happens, the caller's session is ended and
forgotten when the call ends: a slot is held and confirmed together at the final yes, so a
caller gone before it leaves nothing booked or held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from kiosk.phone.keypad import Keypad, with_hint
from kiosk.phone.line import CallLine
from kiosk.voice.conversation import Conversation
from kiosk.voice.dialogue import Dialogue, Turn
from kiosk.voice.recognition.base import Recogniser
from kiosk.voice.speaker import Speaker
from kiosk.voice.speech import Synthesiser
from kiosk.workflows.flow import GOODBYE, Flow, View
from kiosk.workflows.i18n import phrase


class PhoneDialogue:
    """The voice dialogue as a telephone says it: each question followed by how to answer it
    with the keys; at the end, goodbye alone (the call ends, no menu for a next person)."""

    def __init__(self, dialogue: Dialogue) -> None:
        self.dialogue = dialogue

    def start(self) -> Turn:
        return self._said(self.dialogue.start(), first=True)

    def heard(self, text: str) -> Turn:
        return self._said(self.dialogue.heard(text))

    def silence(self) -> Turn:
        return self._said(self.dialogue.silence())

    @staticmethod
    def _said(turn: Turn, first: bool = False) -> Turn:
        if turn.ended:
            return replace(turn, say=[phrase(turn.language, GOODBYE)])
        return with_hint(turn, first)


def caller_number(uri: str) -> str | None:
    """The number in a caller's SIP URI ("sip:+33612345678@pbx" → "+33612345678"), if any."""
    user = uri.removeprefix("sips:").removeprefix("sip:").partition("@")[0]
    user = user.partition(";")[0]
    return user if user.lstrip("+").isdigit() else None


def take_call(
    line: CallLine,
    new_flow: Callable[[str | None], Flow],
    recogniser: Recogniser,
    on_turn: Callable[[Turn, View], None] = lambda turn, view: None,
) -> None:
    """Talk with the caller until one side hangs up; then forget them. `on_turn` is told each
    turn and the step it is at (what a counsellor's dashboard, or a test, may follow)."""
    flow = new_flow(caller_number(line.caller))
    speaker = Speaker(line, Synthesiser())
    keypad = Keypad()

    def turned(turn: Turn) -> None:
        keypad.expect(turn)
        on_turn(turn, dialogue.dialogue.view)

    dialogue = PhoneDialogue(Dialogue(flow, private_heard=lambda: line.headset, remote=True))
    conversation = Conversation(dialogue, recogniser, speaker, on_turn=turned)
    try:
        conversation.begin()
        while (item := line.inbox.get()) is not None:
            if isinstance(item, bytes):
                conversation.feed(item)
            elif (answer := keypad.press(item)) is not None:
                conversation.typed(answer)
            turn = conversation.turn
            if turn is not None and turn.ended and speaker.wait(0):
                line.hang_up()  # the session ended (goodbye said): so does the call
    finally:
        flow.stop()
        speaker.close()
