"""What people type, in every usual form, becomes a clean value or a short French reason."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.workflows.falc import problems
from kiosk.workflows.parsers import (
    Invalid,
    parse_birth_date,
    parse_code,
    parse_date,
    parse_email,
    parse_mobile,
    parse_name,
    parse_postcode,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33 6 12 34 56 78",
        "0033 6 12 34 56 78",
        "06-12-34-56-78",
        " 06 12 34 56 78 ",
    ],
)
def test_a_mobile_number_in_any_usual_form(typed: str) -> None:
    assert parse_mobile(typed) == "+33612345678"


@pytest.mark.parametrize("typed", ["+262 692 12 34 56", "0692 12 34 56", "+590 690 12 34 56"])
def test_overseas_mobiles_are_welcome(typed: str) -> None:
    assert parse_mobile(typed).startswith(("+262", "+590"))


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("03 27 12 34 56", "fixe"),
        ("06 12 34", "incomplet"),
        ("+44 7911 123456", "français"),
        ("bonjour", "10 chiffres"),
        ("📱", "10 chiffres"),
    ],
)
def test_a_number_that_cannot_get_an_sms_is_explained(typed: str, reason: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_mobile(typed)
    assert refused.value.message.startswith("Numéro de portable :")
    assert reason in refused.value.message


@given(st.text(max_size=60))
def test_any_text_as_a_phone_is_a_number_or_a_reason(text: str) -> None:
    try:
        assert parse_mobile(text).startswith("+")
    except Invalid as refused:
        assert problems(refused.message) == []


@pytest.mark.parametrize("typed", ["123456", "123 456", " 123456 "])
def test_a_code_is_six_digits(typed: str) -> None:
    assert parse_code(typed) == "123456"


@pytest.mark.parametrize("typed", ["12345", "1234567", "12a456", "١٢٣٤٥٦x"])
def test_a_code_of_another_shape_is_refused(typed: str) -> None:
    with pytest.raises(Invalid, match="6 chiffres"):
        parse_code(typed)


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("Émilie-Anne", "Émilie-Anne"),
        ("N’Diaye", "N'Diaye"),
        ("  de  la   Tour ", "de la Tour"),
        ("Ødegård", "Ødegård"),
        ("E\u0301lodie", "Élodie"),
    ],
)
def test_names_keep_accents_hyphens_and_apostrophes(typed: str, clean: str) -> None:
    assert parse_name(typed) == clean


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Jean2", "sans chiffres"),
        ("Zoé 😀", "seulement des lettres"),
        ("", "au moins une lettre"),
        ("--", "au moins une lettre"),
        ("a" * 300, "100 lettres au maximum"),
    ],
)
def test_a_name_that_is_not_a_name_is_explained_with_its_field(typed: str, reason: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_name(typed, "Prénom")
    assert refused.value.params["field"] == "Prénom"
    assert reason in refused.value.message.format(**refused.value.params)


@given(st.text(max_size=120))
def test_any_text_as_a_name_is_a_name_or_a_reason(text: str) -> None:
    try:
        name = parse_name(text)
        assert name == name.strip() and 0 < len(name) <= 100
    except Invalid as refused:
        assert refused.message.startswith("{field} :")


@pytest.mark.parametrize(
    "typed",
    [
        "12/03/1950",
        "12-03-1950",
        "12.03.1950",
        "12 03 1950",
        "1950-03-12",
        "12 mars 1950",
        "12 MARS 1950",
        "12 Mars 1950",
        "12/3/50",
        {"day": 12, "month": 3, "year": 1950},
        date(1950, 3, 12),
    ],
)
def test_a_date_in_every_usual_form(typed: object) -> None:
    assert parse_date(typed, TODAY) == date(1950, 3, 12)


@pytest.mark.parametrize("typed", ["12 March 1950", "12 march 1950", "12 مارس 1950"])
def test_months_in_english_and_arabic_too(typed: str) -> None:
    assert parse_date(typed, TODAY) == date(1950, 3, 12)


def test_arabic_months_of_the_maghreb_and_of_the_east() -> None:
    assert parse_date("4 جويلية 2019", TODAY) == parse_date("4 يوليو 2019", TODAY)
    assert parse_date("1 August 1961", TODAY) == date(1961, 8, 1)


def test_the_first_of_the_month_and_short_month_names() -> None:
    assert parse_date("1er février 1961", TODAY) == date(1961, 2, 1)
    assert parse_date("3 fev 1961", TODAY) == date(1961, 2, 3)
    assert parse_date("3 déc 1961", TODAY) == date(1961, 12, 3)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31/02/1950", "n'existe pas"),
        ("12 brumaire 1950", "mois est inconnu"),
        ("demain", "par exemple"),
        ({"day": 1, "month": None, "year": 2000}, "choisissez"),
    ],
)
def test_a_wrong_date_is_explained_naming_the_field(typed: object, reason: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_birth_date(typed, TODAY)
    assert refused.value.message.startswith("{field} :")
    assert refused.value.params["field"] == "Date de naissance"
    assert reason in refused.value.message


def test_a_birth_date_is_in_the_past_and_after_1900() -> None:
    with pytest.raises(Invalid, match="futur"):
        parse_birth_date("01/01/2030", TODAY)
    with pytest.raises(Invalid, match="trop ancienne"):
        parse_birth_date("01/01/1850", TODAY)
    assert parse_birth_date("23/11/2026", TODAY) == TODAY


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_any_real_birth_date_written_the_french_way_reads_back(born: date) -> None:
    assert parse_birth_date(born.strftime("%d/%m/%Y"), TODAY) == born
    assert parse_birth_date(born.isoformat(), TODAY) == born


@pytest.mark.parametrize(("typed", "clean"), [("59500", "59500"), ("59 500", "59500")])
def test_a_postcode_is_five_digits(typed: str, clean: str) -> None:
    assert parse_postcode(typed) == clean


@given(st.text(max_size=12))
def test_any_text_as_a_postcode_is_five_digits_or_a_reason(text: str) -> None:
    try:
        code = parse_postcode(text)
        assert len(code) == 5 and code.isdigit()
    except Invalid as refused:
        assert refused.message == "Code postal : écrivez les 5 chiffres."


def test_an_email_is_lower_cased_and_checked() -> None:
    assert parse_email(" Jean.Martin@Exemple.FR ") == "jean.martin@exemple.fr"
    for wrong in ("jean", "jean@", "jean@exemple", "a@b@c.fr", "x" * 250 + "@exemple.fr"):
        with pytest.raises(Invalid, match="Adresse e-mail"):
            parse_email(wrong)
