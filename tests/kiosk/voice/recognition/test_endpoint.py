"""The endpointer finds where a person starts and stops speaking, from audio alone."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.voice.recognition.base import SAMPLE_RATE
from kiosk.voice.recognition.endpoint import Ended, Endpointer, Started
from tests.kiosk.voice.audio import HUMAN_CLIPS, chunks, read_clip, silence, speak


def feed_all(endpointer: Endpointer, samples: np.ndarray, ms: int = 30) -> list:
    return [event for chunk in chunks(samples, ms) for event in endpointer.feed(chunk)]


@pytest.fixture(scope="module")
def phrase() -> np.ndarray:
    return speak("je voudrais un rendez-vous")


def test_speech_between_silences_is_one_utterance_with_sensible_bounds(phrase):
    events = feed_all(Endpointer(), np.concatenate([silence(1.0), phrase, silence(1.5)]))
    assert [type(e) for e in events] == [Started, Ended]
    started, ended = events
    spoken = len(phrase) / SAMPLE_RATE
    assert 0.6 <= started.at <= 1.05  # the pre-roll keeps what came just before
    assert ended.start == started.at
    assert 1.0 + spoken + 0.6 <= ended.end <= 1.0 + spoken + 0.8  # the 0.7 s of quiet that ended it
    assert len(ended.audio) == round((ended.end - ended.start) * SAMPLE_RATE) * 2


def test_the_audio_given_at_the_start_is_how_the_utterance_begins(phrase):
    started, ended = feed_all(Endpointer(), np.concatenate([silence(1.0), phrase, silence(1)]))
    assert ended.audio.startswith(started.audio)


def test_the_first_syllable_is_not_cut(phrase):
    _, ended = feed_all(Endpointer(), np.concatenate([silence(1.0), phrase, silence(1)]))
    first_sound = 1.0 + np.argmax(np.abs(phrase) > 500) / SAMPLE_RATE
    assert ended.start <= first_sound - 0.2


def test_silence_alone_is_no_utterance_and_the_quiet_time_grows():
    endpointer = Endpointer()
    assert feed_all(endpointer, silence(4.0)) == []
    assert endpointer.quiet_for == pytest.approx(4.0, abs=0.03)
    assert feed_all(endpointer, silence(5.0)) == []
    assert endpointer.quiet_for >= 8.0  # long enough for the dialogue to re-prompt


def test_the_quiet_time_is_zero_while_speaking_and_counts_again_after(phrase):
    endpointer = Endpointer()
    feed_all(endpointer, np.concatenate([silence(1.0), phrase[: SAMPLE_RATE // 2]]))
    assert endpointer.speaking and endpointer.quiet_for == 0.0
    feed_all(endpointer, np.concatenate([phrase[SAMPLE_RATE // 2 :], silence(3.0)]))
    assert not endpointer.speaking
    assert 2.0 <= endpointer.quiet_for <= 3.0


def test_a_short_pause_inside_a_sentence_does_not_end_it(phrase):
    audio = np.concatenate([silence(0.5), phrase, silence(0.3), phrase, silence(1.0)])
    assert [type(e) for e in feed_all(Endpointer(), audio)] == [Started, Ended]


def test_two_answers_apart_are_two_utterances(phrase):
    audio = np.concatenate([silence(0.5), phrase, silence(1.5), phrase, silence(1.0)])
    assert [type(e) for e in feed_all(Endpointer(), audio)] == [Started, Ended, Started, Ended]


def test_the_trailing_silence_is_configurable(phrase):
    audio = np.concatenate([silence(0.5), phrase, silence(0.5), phrase, silence(1.5)])
    assert len(feed_all(Endpointer(trailing_silence=0.7), audio)) == 2
    assert len(feed_all(Endpointer(trailing_silence=0.3), audio)) == 4


def test_a_click_is_not_speech():
    rng = np.random.default_rng(1)
    click = (rng.standard_normal(SAMPLE_RATE // 50) * 8000).astype("<i2")
    endpointer = Endpointer()
    assert feed_all(endpointer, np.concatenate([silence(1.0), click, silence(1.0)])) == []


def test_the_size_of_the_chunks_does_not_change_the_result(phrase):
    audio = np.concatenate([silence(1.0), phrase, silence(1.0)])
    in_frames = feed_all(Endpointer(), audio, ms=10)
    in_one_block = Endpointer().feed(audio.tobytes())
    odd_chunks = feed_all(Endpointer(), audio, ms=7)
    assert in_frames == in_one_block == odd_chunks


def test_endless_sound_is_cut_at_the_longest_utterance():
    long_speech = speak("je parle sans m'arrêter " * 6, speed=200)
    events = feed_all(Endpointer(max_utterance=2.0), long_speech)
    ended = next(e for e in events if isinstance(e, Ended))
    assert ended.end - ended.start == pytest.approx(2.0, abs=0.05)


def test_reset_forgets_speech_in_progress(phrase):
    endpointer = Endpointer()
    feed_all(endpointer, np.concatenate([silence(0.5), phrase]))
    endpointer.reset()
    assert not endpointer.speaking and endpointer.quiet_for == 0.0
    assert feed_all(endpointer, silence(1.0)) == []


def test_take_hands_out_each_part_of_the_utterance_once_and_the_end_gives_the_rest(phrase):
    endpointer, taken, rest = Endpointer(), [], b""
    for chunk in chunks(np.concatenate([silence(0.5), phrase, silence(1.0)]), 30):
        for event in endpointer.feed(chunk):
            if isinstance(event, Ended):
                rest, whole = event.rest, event.audio
        taken.append(endpointer.take())
    assert b"".join(taken) + rest == whole  # in order, nothing twice, nothing missing


def test_a_hurried_utterance_ends_after_a_short_pause(phrase):
    audio = np.concatenate([silence(0.5), phrase, silence(0.4), phrase, silence(1.5)])
    endpointer, ends = Endpointer(trailing_silence=0.7, quick_trailing_silence=0.24), 0
    for chunk in chunks(audio, 30):
        for event in endpointer.feed(chunk):
            ends += isinstance(event, Ended)
        if endpointer.speaking:
            endpointer.hurry()  # as when the recogniser has heard a whole answer
    assert ends == 2
    assert len(feed_all(Endpointer(trailing_silence=0.7), audio)) == 2  # one Started, one Ended


def test_room_noise_after_the_last_word_does_not_hold_the_end_back():
    """The human clips end with room noise, which webrtcvad took for speech (up to 1.5 s more)."""
    trailing = 0.7
    for path in sorted(HUMAN_CLIPS.glob("*.wav")):
        clip = read_clip(path)
        audio = np.concatenate([silence(0.5), clip, silence(2.0)])
        found = [
            e.end
            for e in feed_all(Endpointer(trailing_silence=trailing), audio)
            if isinstance(e, Ended)
        ]
        assert len(found) == 1, path.stem  # no sentence cut in two
        assert found[0] - 0.5 - last_word_end(clip) < trailing + 0.35, path.stem


def last_word_end(clip: np.ndarray) -> float:
    """Seconds to the last 10 ms louder than a twentieth of the loudest."""
    frames = clip[: len(clip) // 160 * 160].astype(np.float64).reshape(-1, 160)
    loudness = np.sqrt((frames**2).mean(axis=1))
    return (np.flatnonzero(loudness > loudness.max() / 20)[-1] + 1) * 160 / SAMPLE_RATE


def test_in_a_pause_it_tells_how_much_more_quiet_would_end_the_utterance(phrase):
    endpointer, seen = Endpointer(trailing_silence=0.7), []
    for chunk in chunks(np.concatenate([silence(0.5), phrase, silence(1.0)]), 30):
        endpointer.feed(chunk)
        seen.append(endpointer.ending_in)
    pause = [left for left in seen if left is not None]
    assert seen[0] is None and seen[-1] is None  # before speech, after its end
    assert pause and min(pause) >= 0 and max(pause) <= 0.7
    assert pause[-1] < 0.1  # counted down to the end
