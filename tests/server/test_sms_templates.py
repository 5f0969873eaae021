from datetime import datetime

import pytest

from server.sms.templates import (
    SMS_MAX_SEPTETS,
    AppointmentFacts,
    email_text,
    is_gsm7,
    septets,
    sms_text,
    to_gsm7,
)

APPOINTMENT_KINDS = ["confirmation", "reminder", "change", "cancellation", "waitlist"]
# 13 October 2026, 12:30 UTC = 14:30 in Paris (summer time).
FACTS = AppointmentFacts(
    starts_at=datetime(2026, 10, 13, 12, 30),
    practitioner="Docteur Claire Martin",
    address="12 rue de Bellain, 59500 Douai",
    phone="03 27 00 00 00",
)
LONGEST = AppointmentFacts(
    starts_at=datetime(2026, 9, 30, 7, 45),  # "mercredi 30 septembre 2026", the longest day names
    practitioner="Docteur "
    + "Marie-Hélène Bénédicte Françoise Anne-Sophie Œillet"
    + " "
    + "de La Tour d'Auvergne-Lauraguais ê â î ô û ç œ ’ « » 😀",
    address="Résidence « Les Châtaigniers », bâtiment B, escalier 4, 3e étage, porte gauche, "
    "123 bis avenue du Maréchal Jean-Marie-Gabriel de Lattre de Tassigny, "
    "Centre hospitalier, 59500 Douai",
    phone="03 27 00 00 00",
)


def test_the_gsm7_transliteration_keeps_the_basic_set_and_replaces_the_rest():
    assert to_gsm7("é è ù à ì ò É Ç") == "é è ù à ì ò É Ç"
    assert to_gsm7("ê â î ô û ç œ ’ « »") == 'e a i o u c oe \' " "'
    assert to_gsm7("Noël à l'hôpital 😀") == "Noel à l'hopital "
    assert to_gsm7("14\u202fh\u00a030") == "14 h 30"


def test_the_extension_characters_count_twice():
    assert septets("abc") == 3
    assert septets("€[") == 4


@pytest.mark.parametrize("kind", APPOINTMENT_KINDS)
def test_every_sms_is_gsm7_and_at_most_two_parts_even_with_the_longest_values(kind):
    for facts in (FACTS, LONGEST):
        text = sms_text(kind, facts)
        assert is_gsm7(text), text
        assert septets(text) <= SMS_MAX_SEPTETS, text


@pytest.mark.parametrize("kind", ["confirmation", "reminder", "change", "waitlist"])
def test_a_shortened_address_keeps_the_town_and_the_date_and_time(kind):
    text = sms_text(kind, LONGEST)
    assert "59500 Douai" in text
    assert "mercredi 30 septembre 2026 à 9 h 45" in text
    assert "03 27 00 00 00" in text


def test_the_confirmation_says_everything_in_full_words_in_paris_time():
    assert sms_text("confirmation", FACTS) == (
        "Rendez-vous confirmé le mardi 13 octobre 2026 à 14 h 30 avec Docteur Claire Martin, "
        "12 rue de Bellain, 59500 Douai. Pour annuler : kiosque santé, ou 03 27 00 00 00."
    )


def test_winter_times_are_converted_to_paris_time_too():
    winter = AppointmentFacts(datetime(2026, 12, 1, 13, 30), "Docteur Claire Martin", "Douai", None)
    text = sms_text("reminder", winter)
    assert "mardi 1 décembre 2026 à 14 h 30" in text
    assert text.endswith("Pour annuler : kiosque santé.")


def test_the_code_sms_is_the_agreed_text():
    assert sms_text("code", code="123456", minutes=10) == (
        "Votre code pour le kiosque santé : 123456. Il est valable 10 minutes. "
        "Ne le donnez à personne."
    )


@pytest.mark.parametrize("kind", APPOINTMENT_KINDS)
def test_no_text_uses_abbreviations(kind):
    for text in (sms_text(kind, FACTS), *email_text(kind, FACTS)):
        assert "RDV" not in text and "Dr " not in text


@pytest.mark.parametrize("kind", APPOINTMENT_KINDS)
def test_the_email_has_a_subject_and_the_same_facts_in_full(kind):
    subject, body = email_text(kind, LONGEST)
    assert subject
    assert "mercredi 30 septembre 2026 à 9 h 45" in body
    assert LONGEST.practitioner in body
    if kind != "cancellation":
        assert LONGEST.address in body


def test_an_unknown_language_falls_back_to_french():
    assert sms_text("confirmation", FACTS, language="xx") == sms_text("confirmation", FACTS)
