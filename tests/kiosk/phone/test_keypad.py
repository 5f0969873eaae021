"""The telephone's keys, read as the words a caller could have said at each kind of step."""

from __future__ import annotations

import pytest

from kiosk.phone.call import caller_number
from kiosk.phone.keypad import Keypad, with_hint
from kiosk.phone.line import account, address
from kiosk.voice.dialogue import Turn
from kiosk.voice.understanding import expected_phrases
from kiosk.workflows.steps import Kind


def turn(kind: Kind, expected: list[str] | None = None, **flags: object) -> Turn:
    return Turn(["Question ?"], "fr", expected or [], kind, **flags)  # type: ignore[arg-type]


def pressed(kind_or_turn: Kind | Turn, keys: str) -> list[str | None]:
    keypad = Keypad()
    keypad.expect(kind_or_turn if isinstance(kind_or_turn, Turn) else turn(kind_or_turn))
    return [keypad.press(key) for key in keys]


def test_at_a_yes_or_no_question_1_is_yes_2_is_no_and_0_asks_for_help():
    assert pressed(Kind.YES_NO, "1205") == ["oui", "non", "aide", None]


def test_a_read_back_is_a_yes_or_no_question_whatever_the_step():
    read_back = turn(Kind.DIGITS, expected_phrases("yes_no"))
    assert pressed(read_back, "12") == ["oui", "non"]


@pytest.mark.parametrize("kind", [Kind.CHOICE, Kind.SLOT, Kind.DONE, Kind.INFO])
def test_in_a_list_a_digit_is_the_options_number_9_more_choices_0_help(kind: Kind):
    assert pressed(kind, "3905") == ["3", "plus de choix", "aide", "5"]


def test_digits_are_gathered_until_the_hash_key_and_0_is_a_digit_there():
    assert pressed(Kind.DIGITS, "0612345678#") == [None] * 10 + ["0612345678"]
    assert pressed(Kind.DIGITS, "#") == [None]  # nothing typed yet: nothing to give


def test_a_date_typed_in_eight_or_six_digits_is_given_as_day_month_year():
    assert pressed(Kind.DATE, "03031950#")[-1] == "03 03 1950"
    assert pressed(Kind.DATE, "030350#")[-1] == "03 03 50"


def test_star_repeats_everywhere_and_forgets_the_digits_typed():
    keypad = Keypad()
    keypad.expect(turn(Kind.DIGITS))
    assert [keypad.press(k) for k in "06*12#"] == [None, None, "répéter", None, None, "12"]


def test_a_new_question_drops_the_keys_typed_for_the_last_one():
    keypad = Keypad()
    keypad.expect(turn(Kind.DIGITS))
    keypad.press("0")
    keypad.expect(turn(Kind.DIGITS))
    assert [keypad.press(k) for k in "7#"] == [None, "7"]


def test_each_question_ends_with_how_to_answer_it_with_the_keys():
    assert with_hint(turn(Kind.YES_NO)).say[-1] == "Ou tapez 1 pour oui, 2 pour non."
    assert with_hint(turn(Kind.CHOICE)).say[-1] == "Ou tapez son numéro sur le clavier."
    assert with_hint(turn(Kind.TEXT)).say == ["Question ?"]  # a name is said, not typed
    first = with_hint(turn(Kind.CHOICE), first=True).say
    assert first[-1] == "Pour tout entendre encore, tapez étoile."
    assert with_hint(turn(Kind.CHOICE, control="louder")).say == ["Question ?"]


def test_the_callers_number_is_read_from_their_sip_address():
    assert caller_number("sip:+33612345678@pbx.centre.test") == "+33612345678"
    assert caller_number("sip:0612345678@10.0.0.1;user=phone") == "0612345678"
    assert caller_number("sip:anonymous@anonymous.invalid") is None


def test_addresses_and_extensions_are_read_from_the_command_line(tmp_path):
    assert address("127.0.0.1:5062") == ("127.0.0.1", 5062)
    assert address("pbx.centre.test") == ("pbx.centre.test", 5060)
    secret = tmp_path / "password"
    secret.write_text("s3cret\n")
    extension = account("sip:borne@pbx.centre.test:5070", secret)
    assert (extension.user, extension.registrar, extension.password) == (
        "borne",
        ("pbx.centre.test", 5070),
        "s3cret",
    )
    with pytest.raises(ValueError, match="sip:USER@HOST"):
        account("pbx.centre.test", None)
