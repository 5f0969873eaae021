"""A free recogniser's near misses at a step whose answers are all known."""

from __future__ import annotations

import csv

import pytest

from kiosk.voice.understanding import expected_phrases
from kiosk.voice.understanding.sounds import closed_set, sound, sounds_like
from tests.conftest import REALDATA

SPECIALTIES = ["Médecin généraliste", "Dentiste", "Kinésithérapeute", "Médecin des yeux", "Nom"]
AT_A_CHOICE = expected_phrases("choice", SPECIALTIES)
AT_A_YES_NO = expected_phrases("yes_no")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("plus fort", "plie fort"),
        ("quatre", "katr"),
        ("c'est ça", "sessa"),
        ("cent", "sang"),
        ("vingt", "vin"),
        ("trois", "troi"),
        ("deux", "d'eux"),
        ("médecin", "mes des saints"),
    ],
)
def test_spellings_of_one_sound_share_a_key(one: str, other: str):
    assert sound(one) == sound(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("un", "une"), ("non", "nous"), ("dent", "don"), ("sept", "seize"), ("chat", "gars")],
)
def test_different_sounds_keep_different_keys(one: str, other: str):
    assert sound(one) != sound(other)


@pytest.mark.parametrize(
    ("heard", "meant"),
    [  # what Whisper base wrote for synthesised answers
        ("d'autiste", "dentiste"),
        ("Me d'assain généraliste.", "médecin généraliste"),
        ("D'oeuf !", "deux"),
        ("plie fort", "plus fort"),
    ],
)
def test_a_near_miss_is_taken_for_the_answer_it_sounds_like(heard: str, meant: str):
    assert sounds_like(heard, AT_A_CHOICE) == meant


def test_pas_du_is_taken_for_pas_du_tout_where_yes_or_no_is_asked():
    assert sounds_like("Pas du...", AT_A_YES_NO) == "pas du tout"


@pytest.mark.parametrize(
    "heard",
    [
        "à tour",  # as near "quatre" as "retour": neither is taken
        "Mouabite !",
        "Martin",
        "",
        "😀",
        "euh",
        "x" * 400,
    ],
)
def test_nothing_is_taken_when_no_answer_is_clearly_the_closest(heard: str):
    assert sounds_like(heard, AT_A_CHOICE) is None


@pytest.mark.parametrize(
    "heard", ["Je prends le deuxième.", "3", "oui merci", "Dentiste, s'il vous plaît"]
)
def test_an_answer_said_word_for_word_is_left_to_the_parsers(heard: str):
    assert sounds_like(heard, [*AT_A_CHOICE, *AT_A_YES_NO]) is None


@pytest.mark.parametrize(
    ("heard", "meant"),
    [  # what Whisper base wrote for synthesised answers
        ("c'est boue", "c'est bon"),
        ("c'est tout pas", "surtout pas"),
        ("pas un fait", "parfait"),
        ("c'est fou", "c'est faux"),
        ("lottement", "lentement"),
    ],
)
def test_a_near_miss_of_another_way_of_saying_yes_no_or_a_command_is_taken_for_it(
    heard: str, meant: str
):
    assert sounds_like(heard, closed_set(AT_A_YES_NO, yes_no=True)) == meant


def test_other_ways_of_saying_yes_or_no_count_only_where_yes_or_no_is_asked():
    at_a_choice = closed_set(AT_A_CHOICE, yes_no=False)
    assert "au secours" in at_a_choice and "c'est bon" not in at_a_choice
    assert sounds_like("pas un fait", at_a_choice) is None


def test_the_step_s_expected_phrases_come_first_and_short_ways_are_left_out():
    at_a_yes_no = closed_set(AT_A_YES_NO, yes_no=True)
    assert at_a_yes_no[: len(AT_A_YES_NO)] == AT_A_YES_NO
    assert {"c'est bon", "surtout pas", "au secours"} <= set(at_a_yes_no)
    assert not {"ok", "si", "fin", "plus"} & set(at_a_yes_no)  # said word for word only


def test_ending_the_visit_is_never_taken_from_a_near_miss_of_its_other_ways():
    assert not {"au revoir", "c'est fini", "terminer", "quitter"} & set(
        closed_set(AT_A_YES_NO, yes_no=True)
    )
    assert sounds_like("oh revoir", closed_set(AT_A_CHOICE, yes_no=False)) is None


def test_a_town_said_where_yes_or_no_is_asked_is_hardly_ever_taken_for_an_answer():
    with (REALDATA / "communes" / "communes_59_nord.csv").open(encoding="utf-8") as table:
        towns = [row["commune"] for row in csv.DictReader(table)]
    taken = [town for town in towns if sounds_like(town, closed_set(AT_A_YES_NO, yes_no=True))]
    assert len(towns) > 600 and len(taken) <= len(towns) // 100
