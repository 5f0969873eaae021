import numpy as np
import pytest

from kiosk.voice.speech import DEFAULT_RATE, VOICES, Synthesiser, voice_for
from tests.kiosk.voice.conftest import espeak_seconds

SENTENCE = "Vous avez un rendez-vous avec le médecin mardi prochain."


def test_a_french_sentence_becomes_audible_speech_of_a_plausible_length(synthesiser: Synthesiser):
    audio = synthesiser.synthesise(SENTENCE, "fr")
    samples = np.frombuffer(audio.samples, dtype="<i2")

    assert audio.rate == 22050
    assert np.abs(samples).max() > 3000
    words = len(SENTENCE.split())
    assert 0.5 * words / DEFAULT_RATE * 60 < audio.seconds < 2 * words / DEFAULT_RATE * 60


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_voice_is_the_one_of_the_language(synthesiser: Synthesiser, language: str):
    """Each voice reads the same words at its own pace: the nearest reference names the voice."""
    text = "Bonjour, touchez le bouton vert."
    ours = synthesiser.synthesise(text, language).seconds

    references = {code: espeak_seconds(text, voice, DEFAULT_RATE) for code, voice in VOICES.items()}
    assert min(references, key=lambda code: abs(references[code] - ours)) == language


def test_a_slower_rate_gives_longer_audio(synthesiser: Synthesiser):
    slow = synthesiser.synthesise(SENTENCE, "fr", rate=105).seconds
    normal = synthesiser.synthesise(SENTENCE, "fr", rate=150).seconds
    fast = synthesiser.synthesise(SENTENCE, "fr", rate=200).seconds

    assert slow > normal * 1.2 and normal > fast * 1.2


def test_rate_and_voice_changes_are_never_lost_between_sentences(synthesiser: Synthesiser):
    lengths: dict[tuple[str, int], list[float]] = {}
    for _ in range(4):
        for language in ("fr", "en", "ar"):
            for rate in (105, 150, 200):
                audio = synthesiser.synthesise("Choisissez une réponse.", language, rate)
                lengths.setdefault((language, rate), []).append(audio.seconds)

    assert all(max(runs) - min(runs) < 0.06 and min(runs) > 0 for runs in lengths.values())


def test_a_regional_language_code_uses_the_language_voice_and_an_unknown_one_is_refused():
    assert voice_for("fr-BE") == "roa/fr"
    with pytest.raises(ValueError):
        voice_for("xx")


def test_a_restarted_synthesiser_still_speaks(synthesiser: Synthesiser):
    synthesiser.restart()

    assert synthesiser.synthesise("Bonjour.", "fr").seconds > 0.3
