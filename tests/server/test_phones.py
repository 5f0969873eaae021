"""French mobile numbers as people type them: one E.164 form, or a message naming the problem."""

from __future__ import annotations

import csv

import pytest

from server.errors import ApiError
from server.services.phones import format_phone_fr, normalize_mobile
from tests.conftest import REALDATA

CLASSIFIED = REALDATA / "phone_numbers" / "fr_numbers_classified_DERIVED.csv"
LANDLINE = "Ce numéro est un fixe. Il faut un numéro de portable pour recevoir le code."

# The file classifies with the metropolitan (FR) plan only. Overseas numbers are dialled
# the same way from anywhere in France, so these are read in their own territory's plan.
OVERSEAS_IN_FILE = {
    "06 90 12 34 56": "+590690123456",  # Guadeloupe mobile
    "05 90 87 57 49": LANDLINE,  # Guadeloupe landline
    "05 94 12 34 56": LANDLINE,  # Guyane landline
}
BY_KIND = {
    "fixedLine": LANDLINE,
    "tollFree": "numéro spécial",
    "uan": "numéro spécial",
    "premiumRate": "numéro spécial",
    "voip": "09",
}


def _rows() -> list[dict[str, str]]:
    with CLASSIFIED.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _refusal(text: str) -> ApiError:
    with pytest.raises(ApiError) as caught:
        normalize_mobile(text)
    assert caught.value.status == 422
    assert caught.value.field == "phone"
    return caught.value


def test_the_classified_file_is_read_whole() -> None:
    assert len(_rows()) == 29


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["input"])
def test_every_classified_number_gets_the_expected_answer(row: dict[str, str]) -> None:
    text, kind = row["input"], row["libphonenumber_type_by_FR_regex"]
    expected = OVERSEAS_IN_FILE.get(text)
    if expected is None and kind == "mobile":
        expected = f"+33{row['national_significant_number']}"
    if expected is not None and expected.startswith("+"):
        assert normalize_mobile(text) == expected
        return
    error = _refusal(text)
    wanted = expected or BY_KIND.get(kind)
    if wanted is not None:
        assert wanted in error.message
        assert error.error == "not_mobile"
    else:  # INVALID
        assert error.error == "invalid"


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "06/12/34/56/78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "+33 06 12 34 56 78",
        "  06 12 34 56 78  ",
        "06\u00a012\u00a034\u00a056\u00a078",
    ],
)
def test_a_metropolitan_mobile_is_accepted_in_every_usual_format(text: str) -> None:
    assert normalize_mobile(text) == "+33612345678"


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("+262 692 12 34 56", "+262692123456"),  # La Réunion
        ("0692 12 34 56", "+262692123456"),
        ("+590 690 00 12 34", "+590690001234"),  # Guadeloupe, Saint-Martin, Saint-Barthélemy
        ("+594 694 20 12 34", "+594694201234"),  # Guyane
        ("0694 20 12 34", "+594694201234"),
        ("+596 696 20 12 34", "+596696201234"),  # Martinique
        ("+262 639 01 23 45", "+262639012345"),  # Mayotte
        ("0639 01 23 45", "+262639012345"),
        ("+269 639 01 23 45", "+262639012345"),  # Mayotte's code before 2007
        ("07 81 23 45 67", "+33781234567"),
    ],
)
def test_overseas_mobiles_are_accepted(text: str, e164: str) -> None:
    assert normalize_mobile(text) == e164


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("03 27 94 20 00", "fixe"),
        ("+33 1 23 45 67 89", "fixe"),
        ("0262 12 34 56", "fixe"),  # La Réunion landline
        ("08 00 12 34 56", "numéro spécial"),
        ("09 12 34 56 78", "09"),
        ("06 12 34 56 7", "10 chiffres"),
        ("06 12 34 56 789", "10 chiffres"),
        ("6 12 34 56 78", "10 chiffres"),
        ("", "Écrivez votre numéro"),
        ("   ", "Écrivez votre numéro"),
        ("zéro six douze", "seulement des chiffres"),
        ("06 12 34 56 78 📱", "seulement des chiffres"),
        ("+33 6 12 34 56 78 9", "n'existe pas"),
        ("+33 6+12345678", "n'est pas valide"),
        ("+32 470 12 34 56", "français"),  # a Belgian mobile
        ("+44 7911 123456", "français"),
        ("1" * 300, "10 chiffres"),
        ("+" + "3" * 300, "n'existe pas"),
    ],
)
def test_numbers_that_cannot_receive_the_code_are_refused_with_a_clear_message(
    text: str, words: str
) -> None:
    assert words in _refusal(text).message


def test_a_number_is_written_the_french_way() -> None:
    assert format_phone_fr("+33612345678") == "06 12 34 56 78"
    assert format_phone_fr("+590690001234") == "06 90 00 12 34"
    assert format_phone_fr("+262639012345") == "06 39 01 23 45"
