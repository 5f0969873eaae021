"""The voice kiosk in real time: synthesised speech through the real endpointer and Whisper,
the dialogue, and the real speaker (writing what it says at the pace of a loudspeaker)."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.voice.conversation import Conversation
from kiosk.voice.dialogue import Dialogue, Turn
from kiosk.voice.recognition.whisper import WhisperRecogniser
from kiosk.voice.speaker import Speaker
from kiosk.workflows.flow import Flow
from tests.kiosk.conftest import TODAY
from tests.kiosk.voice.audio import HUMAN_CLIPS, chunks, read_clip, silence, speak


@pytest.fixture
def turns() -> list[Turn]:
    return []


@pytest.fixture
def conversation(
    flow: Flow, whisper: WhisperRecogniser, speaker: Speaker, turns: list[Turn]
) -> Conversation:
    dialogue = Dialogue(flow, today=lambda: TODAY)
    conversation = Conversation(dialogue, whisper, speaker, on_turn=turns.append)
    conversation.run([])  # the welcome is said
    return conversation


def feed(conversation: Conversation, *parts: np.ndarray) -> None:
    for chunk in chunks(np.concatenate(parts)):
        conversation.feed(chunk)


def test_the_welcome_is_said_as_soon_as_the_conversation_starts(
    conversation: Conversation, speaker: Speaker, turns: list[Turn]
):
    assert turns[0].say[0] == "Bonjour. Que voulez-vous faire ?"
    assert not speaker.wait(0)  # it is being said


def test_a_person_who_starts_talking_silences_the_kiosk_at_once(
    conversation: Conversation, speaker: Speaker, turns: list[Turn]
):
    assert not speaker.wait(0)
    feed(conversation, silence(0.3), speak("répéter")[:8000])  # half a second into the word
    assert speaker.wait(timeout=1.0) and len(turns) == 1  # silent (the welcome lasts 10 s)


def test_a_spoken_repeat_says_the_question_again(
    conversation: Conversation, speaker: Speaker, turns: list[Turn]
):
    speaker.stop()  # the person listened to the end
    assert speaker.wait(timeout=2.0)
    feed(conversation, silence(0.5), speak("répéter"), silence(1.0))
    assert len(turns) == 2 and turns[1].say == turns[0].say


def test_eight_seconds_of_silence_bring_the_question_again_with_an_example(
    conversation: Conversation, speaker: Speaker, turns: list[Turn]
):
    speaker.stop()
    assert speaker.wait(timeout=2.0)
    feed(conversation, silence(7.5))
    assert len(turns) == 1
    feed(conversation, silence(0.6))
    assert len(turns) == 2 and "Par exemple, dites : un." in turns[1].say


def test_while_the_kiosk_talks_the_silence_is_not_counted(
    conversation: Conversation, turns: list[Turn]
):
    feed(conversation, silence(9.0))  # fed faster than the welcome takes to be said
    assert len(turns) == 1


@pytest.mark.parametrize("clip", ["oov_1", "oov_2", "oov_3", "oov_4"])
def test_a_recorded_sentence_that_is_no_answer_does_not_confirm_a_read_back(
    conversation: Conversation, speaker: Speaker, turns: list[Turn], clip: str
):
    """ "une chocolatine si vous plaît", "c'est normal qu'il pleut autant en île"…: said by
    people where the kiosk asks "J'ai compris : 06 12 34 56 78. C'est bien ça ?"."""
    for text in ("prendre un rendez-vous", "médecin généraliste", "le premier"):
        conversation.typed(text)
    conversation.typed("prendre rendez-vous")
    conversation.typed("zéro six douze trente-quatre cinquante-six soixante-dix-huit")
    assert turns[-1].say == ["J'ai compris : 06 12 34 56 78. C'est bien ça ?"]
    speaker.stop()
    feed(conversation, silence(0.5), read_clip(HUMAN_CLIPS / f"{clip}.wav"), silence(1.5))
    assert conversation.dialogue.view.step == "sign_in.phone"  # the number is not taken
    assert turns[-1].say[0] == "Je n'ai pas compris."
