"""A whole expected answer lets the kiosk reply without waiting for a long silence."""

from __future__ import annotations

from kiosk.voice.recognition.base import WholeAnswer


def test_an_expected_phrase_is_whole_whatever_its_case_accents_and_punctuation():
    whole = WholeAnswer(["répéter", "médecin généraliste"])
    assert whole("Répéter.")
    assert whole("repeter")
    assert whole("Médecin, généraliste !")


def test_the_beginning_of_a_longer_phrase_is_not_whole_yet():
    whole = WholeAnswer(["plus", "plus fort", "non"])
    assert not whole("plus")  # "plus fort" may follow
    assert whole("plus fort")
    assert whole("Non.")


def test_other_words_are_not_whole():
    whole = WholeAnswer(["oui", "non"])
    assert not whole("oui mais")
    assert not whole("")
    assert not whole("non non")
