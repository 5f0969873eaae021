"""The touchscreen with speech input: a word moves the screen as a touch would, and the voice
listens at the step the touches reach. Real Whisper hears a neural voice's speech, fed as a
microphone's from its own thread, while Kivy's loop runs on this one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hardware.audio import Player
from kiosk.screens.app import on_screen
from kiosk.voice.beside_screen import SpeechInput
from kiosk.voice.recognition.whisper import WhisperRecogniser
from kiosk.voice.speaker import Speaker
from tests.kiosk.screens.conftest import Hand
from tests.kiosk.voice.audio import chunks, silence, speak_neural


@pytest.fixture
def speaker(tmp_path: Path) -> Iterator[Speaker]:
    """The kiosk's real voice, into a sink folder instead of a loudspeaker."""
    player = Player(tmp_path / "sink", headset="no")
    speaker = Speaker(player)
    yield speaker
    speaker.close()
    player.close()


@pytest.fixture
def ears(whisper: WhisperRecogniser, speaker: Speaker) -> SpeechInput:
    return SpeechInput(whisper, speaker, on_screen=on_screen)


def say(hand: Hand, ears: SpeechInput, text: str, voice: str = "jf_nezumi") -> None:
    """The person says `text` into the microphone; the screen's loop runs meanwhile."""
    audio = np.concatenate([silence(0.3), speak_neural(text, voice), silence(1.2)])
    microphone = threading.Thread(target=ears.listen, args=(chunks(audio),))
    microphone.start()
    while microphone.is_alive():
        hand.settle(1)
    hand.settle()


def test_an_answer_said_moves_the_screen_as_a_touch_would(hand: Hand, ears: SpeechInput):
    assert hand.session.view.step == "welcome.menu"
    say(hand, ears, "Je veux prendre un rendez-vous.")
    assert hand.session.view.step == "booking.what"
    assert hand.find("Médecin généraliste", "button")


def test_after_a_touch_the_voice_listens_at_the_step_the_touch_reached(
    hand: Hand, ears: SpeechInput
):
    hand.tap("Prendre un rendez-vous", "button")
    assert "dentiste" in ears.conversation.turn.expected
    say(hand, ears, "Je voudrais un dentiste.")
    assert hand.session.view.step == "booking.results"
    assert hand.session.flow.state.answers["booking.what"] == "dentiste"


def test_a_new_person_gets_a_new_dialogue_over_the_new_flow(hand: Hand, ears: SpeechInput):
    first = ears.dialogue
    hand.tap("Prendre un rendez-vous", "button")
    hand.session.wipe()
    hand.settle()
    assert ears.dialogue is not first
    assert ears.dialogue.flow is hand.session.flow


def test_noise_that_gives_no_words_changes_nothing_on_the_screen(hand: Hand, ears: SpeechInput):
    hand.tap("Prendre un rendez-vous", "button")
    before = hand.session.view
    turn = ears.unheard()
    assert turn.say == [] and turn.expected == ears.conversation.turn.expected
    assert hand.session.view is before
