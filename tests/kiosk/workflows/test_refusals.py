"""A refusal from the server is said in the person's language, with its numbers."""

from __future__ import annotations

from kiosk.workflows.flow import Flow
from kiosk.workflows.refusals import refusal
from kiosk.workflows.services import ServiceError
from tests.kiosk.workflows.scenarios import START, run

WRONG = "Ce code n'est pas le bon. Il vous reste {left} essais."


def _wrong_code(tries_left: int) -> ServiceError:
    said = WRONG.format(left=tries_left)
    return ServiceError("wrong_code", said, "code", 422, {"tries_left": tries_left})


def _said(flow: Flow, refused: ServiceError) -> str:
    message, params = refusal(refused, flow.state.language)
    return flow.ctx.t(message, **params)


def test_a_wrong_code_in_english_says_the_tries_left_in_english(flow: Flow) -> None:
    run(flow, [("answer", "language"), ("answer", "en"), ("choose", 2)])
    view = run(flow, [("answer", "06 98 76 54 32")])[-1]
    assert view.step == "sign_in.code"
    wrong = flow.answer("000000")
    assert wrong.error == "This code is wrong. You have 4 tries left."


def test_the_count_chooses_the_form_one_try_or_several(flow: Flow) -> None:
    assert _said(flow, _wrong_code(1)) == "Ce code n'est pas le bon. Il vous reste 1 essai."
    assert _said(flow, _wrong_code(3)) == "Ce code n'est pas le bon. Il vous reste 3 essais."
    run(flow, [("answer", "language"), ("answer", "en")])
    assert _said(flow, _wrong_code(1)) == "This code is wrong. You have 1 try left."


def test_arabic_has_its_own_plural_forms(flow: Flow) -> None:
    run(flow, [("answer", "language"), ("answer", "ar")])
    three, eleven = _said(flow, _wrong_code(3)), _said(flow, _wrong_code(11))
    assert "محاولات" in three and "محاولات" not in eleven  # 3 to 10 take the plural


def test_too_late_gives_the_practice_phone_in_groups_of_two(flow: Flow) -> None:
    refused = ServiceError("too_late", "Trop tard.", None, 409, {"phone": "0327000000"})
    said = _said(flow, refused)
    assert said == "Il est trop tard pour le faire ici. Appelez le cabinet au 03 27 00 00 00."


def test_an_unknown_refusal_keeps_the_server_words_in_french_and_is_general_elsewhere(
    flow: Flow,
) -> None:
    refused = ServiceError("new_rule", "Une règle nouvelle du serveur.", None, 409)
    assert _said(flow, refused) == "Une règle nouvelle du serveur."
    run(flow, START + [("answer", "language"), ("answer", "en")])
    assert _said(flow, refused) == "The service said no. Press Help to talk to a helper."
