"""The voice dialogue, from what was recognised to what is said next (no audio here:
tests/kiosk/voice/test_voice_journeys.py runs real speech through the recogniser)."""

from __future__ import annotations

import pytest

from kiosk.voice.dialogue import OFFER, READ_BACK, STILL_THERE, STUCK, Dialogue, Turn
from kiosk.workflows.exercises import BY_ID
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from tests.kiosk.conftest import TODAY

PHONE_SAID = "zéro six douze trente-quatre cinquante-six soixante-dix-huit"
CODE_SAID = "un deux trois quatre cinq six"  # memory_services.CODE
# A new person books with a general practitioner near here, as a person would say it.
NEW_PERSON = [
    ("prendre un rendez-vous", "booking.what"),
    ("médecin généraliste", "booking.results"),
    ("le premier", "booking.card"),
    ("prendre rendez-vous", "sign_in.phone"),
    (PHONE_SAID, "sign_in.phone"),  # read back
    ("oui c'est ça", "sign_in.code"),
    (CODE_SAID, "sign_in.consent"),  # a code is not read back
    ("d'accord", "sign_in.sex"),
    ("une femme", "sign_in.first_name"),
    ("Émilie-Anne", "sign_in.first_name"),
    ("oui", "sign_in.last_name"),
    ("N'Diaye", "sign_in.last_name"),
    ("oui", "sign_in.birth_date"),
    ("le douze mars mille neuf cent cinquante", "sign_in.birth_date"),
    ("oui", "booking.seen_before"),
    ("non", "booking.slot"),
    ("le premier", "booking.review"),
    ("oui", "booking.done"),
]


@pytest.fixture
def dialogue(flow: Flow) -> Dialogue:
    return Dialogue(flow, today=lambda: TODAY)


def said(turn: Turn) -> str:
    return " ".join(turn.say)


def answer(dialogue: Dialogue, answers: list[tuple[str, str]]) -> None:
    """From the start, the person gives these answers of NEW_PERSON."""
    dialogue.start()
    for text, _ in answers:
        dialogue.heard(text)


def test_the_welcome_says_the_question_each_option_with_its_number_and_how_to_answer(
    dialogue: Dialogue,
):
    turn = dialogue.start()
    assert turn.say[0] == "Bonjour. Que voulez-vous faire ?"
    assert "1 : Prendre un rendez-vous." in turn.say
    assert turn.say[-1] == "Dites le numéro ou le nom."
    assert {"un", "répéter", "aide"} <= set(turn.expected)


def test_in_a_workshop_the_voice_says_first_that_this_is_an_exercise_and_its_goal(world):
    exercise = Flow(JOURNEYS, world, today=lambda: TODAY, exercise=BY_ID["book"])
    turn = Dialogue(exercise, today=lambda: TODAY).start()
    assert turn.say[:2] == [
        "Atelier : c'est un exercice.",
        "Prenez un rendez-vous chez un médecin généraliste.",
    ]
    assert turn.say[2] == "Bonjour. Que voulez-vous faire ?"


def test_a_new_person_books_by_speaking_and_hears_the_summary(dialogue: Dialogue, world):
    dialogue.start()
    for text, step in NEW_PERSON:
        turn = dialogue.heard(text)
        assert dialogue.view.step == step, f"{text!r}: {said(turn)}"
    assert "Rendez-vous médical" in said(turn) or "Docteur Marie Dupont" in said(turn)
    assert world.me().profile.first_name == "Émilie-Anne"


@pytest.mark.parametrize(("said_", "sex"), [("madame", "F"), ("Monsieur.", "M"), ("masculin", "M")])
def test_madame_or_monsieur_answers_the_question_of_sex(dialogue: Dialogue, world, said_, sex):
    dialogue.start()
    for text, _ in NEW_PERSON[:8]:
        turn = dialogue.heard(text)
    assert dialogue.view.step == "sign_in.sex"
    assert {"madame", "monsieur"} <= set(turn.expected)
    dialogue.heard(said_)
    assert dialogue.view.step == "sign_in.first_name"
    for text, _ in NEW_PERSON[9:15]:  # names and birth date: the profile is then saved
        dialogue.heard(text)
    assert world.me().profile.sex == sex


def test_typed_data_is_read_back_grouped_and_a_no_asks_again(dialogue: Dialogue):
    answer(dialogue, NEW_PERSON[:4])
    turn = dialogue.heard(PHONE_SAID)
    assert turn.say == [READ_BACK.format(value="06 12 34 56 78")]
    assert turn.expected[:2] == ["oui", "non"]
    again = dialogue.heard("non")
    assert dialogue.view.step == "sign_in.phone" and "encore" in said(again)


def test_a_new_answer_instead_of_yes_or_no_is_read_back_in_its_place(dialogue: Dialogue):
    answer(dialogue, NEW_PERSON[:4])
    dialogue.heard(PHONE_SAID)
    turn = dialogue.heard("zéro sept, quatre-vingt-un, vingt-trois, quarante-cinq, soixante-sept")
    assert turn.say == [READ_BACK.format(value="07 81 23 45 67")]


def test_the_code_is_not_repeated_and_its_screen_lines_stay_silent_on_a_loudspeaker(
    dialogue: Dialogue,
):
    dialogue.start()
    for text, _ in NEW_PERSON[:6]:
        turn = dialogue.heard(text)
    assert dialogue.view.step == "sign_in.code"
    assert "06 12 34 56 78" not in said(turn)  # the screen's line repeats the number


def test_three_misunderstandings_in_a_row_offer_a_counsellor_or_the_screen(dialogue: Dialogue):
    dialogue.start()
    first = dialogue.heard("bla bla")
    assert first.say[0] == "Je n'ai pas compris."
    dialogue.heard("euh")
    third = dialogue.heard("quoi")
    assert third.say == [OFFER]
    assert dialogue.view.step == "welcome.menu"


def test_on_the_telephone_being_stuck_three_times_offers_a_call_back(flow: Flow):
    dialogue = Dialogue(flow, today=lambda: TODAY, remote=True)
    dialogue.start()
    dialogue.heard("bla bla")
    dialogue.heard("euh")
    third = dialogue.heard("quoi")
    assert dialogue.view.step == "call_back.offer"
    assert third.say[:2] == [STUCK, "Voulez-vous qu'un conseiller vous rappelle ?"]
    assert "écran" not in said(third)
    assert dialogue.heard("non").say[0] == "Bonjour. Que voulez-vous faire ?"  # back where it was


def test_on_the_telephone_help_is_a_call_back(flow: Flow, world):
    flow.caller = "+33327000000"
    dialogue = Dialogue(flow, today=lambda: TODAY, remote=True)
    dialogue.start()
    offer = dialogue.heard("aide")
    assert "Nous vous rappelons au 03 27 00 00 00." in offer.say
    assert dialogue.heard("oui").say[0] == "C'est noté. Un conseiller va vous rappeler."
    assert world.call_backs == [("+33327000000", "welcome.menu")]


def test_silence_asks_again_with_an_example_then_checks_then_ends_and_wipes(dialogue: Dialogue):
    dialogue.start()
    dialogue.heard("prendre un rendez-vous")
    first = dialogue.silence()
    assert first.say[0] == "Quel soignant cherchez-vous ?" and "Par exemple" in said(first)
    assert dialogue.silence().say == [STILL_THERE]
    last = dialogue.silence()
    assert last.ended and dialogue.view.step == "welcome.menu"


def test_speech_resets_the_silences(dialogue: Dialogue):
    dialogue.start()
    dialogue.silence()
    dialogue.silence()
    dialogue.heard("répéter")
    assert not dialogue.silence().ended


@pytest.mark.parametrize(
    ("words", "control"),
    [
        ("plus fort", "louder"),
        ("moins fort", "softer"),
        ("moins vite", "slower"),
        ("plus vite", "faster"),
    ],
)
def test_volume_and_rate_commands_work_at_any_step(dialogue: Dialogue, words: str, control: str):
    dialogue.start()
    dialogue.heard("prendre un rendez-vous")
    turn = dialogue.heard(words)
    assert turn.control == control and dialogue.view.step == "booking.what"


def test_back_help_more_and_repeat_work_at_every_step(dialogue: Dialogue):
    dialogue.start()
    dialogue.heard("prendre un rendez-vous")
    assert "1 : Médecin généraliste." in dialogue.heard("répéter").say
    more = dialogue.heard("plus de choix")
    assert "1 : Médecin généraliste." not in more.say
    assert dialogue.heard("aide").help_requested
    dialogue.heard("retour")
    dialogue.heard("retour")
    assert dialogue.view.step == "welcome.menu"


def test_back_during_a_read_back_drops_the_value_and_asks_the_question_again(
    dialogue: Dialogue,
):
    answer(dialogue, NEW_PERSON[:4])
    dialogue.heard(PHONE_SAID)
    turn = dialogue.heard("retour")
    assert dialogue.view.step == "sign_in.phone"
    assert turn.say[0] == "Quel est votre numéro de portable ?"


def test_stop_ends_the_session_and_wipes_it(dialogue: Dialogue, world):
    answer(dialogue, NEW_PERSON[:7])
    turn = dialogue.heard("arrêter")
    assert turn.ended and dialogue.view.step == "welcome.menu"
    assert dialogue.flow.state.answers == {}


def test_at_the_review_an_item_can_be_changed_by_naming_it(dialogue: Dialogue):
    answer(dialogue, NEW_PERSON[:-1])
    assert dialogue.view.step == "booking.review"
    dialogue.heard("changer la date")
    assert dialogue.view.step == "booking.slot"


def test_an_impossible_birth_date_is_not_read_back(dialogue: Dialogue):
    answer(dialogue, NEW_PERSON[:13])
    assert dialogue.view.step == "sign_in.birth_date"
    turn = dialogue.heard("le trente et un février mille neuf cent cinquante")
    assert turn.say[0] == "Je n'ai pas compris." and dialogue.view.step == "sign_in.birth_date"


def test_a_near_miss_at_a_choice_is_taken_for_the_option_it_sounds_like(dialogue: Dialogue):
    dialogue.start()
    dialogue.heard("prendre un rendez-vous")
    dialogue.heard("Me d'assain généraliste.")  # as Whisper wrote "médecin généraliste"
    assert dialogue.view.step == "booking.results"


def test_a_near_miss_of_another_way_of_saying_yes_confirms_a_read_back(dialogue: Dialogue):
    answer(dialogue, NEW_PERSON[:5])
    assert dialogue.view.step == "sign_in.phone"  # the number is read back
    dialogue.heard("c'est boue")  # as Whisper wrote "c'est bon"
    assert dialogue.view.step == "sign_in.code"


def test_a_booking_is_confirmed_by_its_own_words_not_by_a_near_miss_of_another_yes(
    dialogue: Dialogue,
):
    answer(dialogue, NEW_PERSON[:17])
    assert dialogue.view.step == "booking.review"
    turn = dialogue.heard("pas un fait")  # near "parfait", which only a yes/no question takes
    assert dialogue.view.step == "booking.review" and turn.say[0] == "Je n'ai pas compris."


def test_a_free_answer_is_never_replaced_by_a_phrase_it_sounds_like(dialogue: Dialogue):
    answer(dialogue, NEW_PERSON[:9])
    assert dialogue.view.step == "sign_in.first_name"
    turn = dialogue.heard("Retours")  # a first name near "retour"
    assert turn.say == [READ_BACK.format(value="Retours")]


def test_after_the_touchscreen_moved_the_flow_it_listens_there_and_says_nothing(
    dialogue: Dialogue, flow: Flow
):
    answer(dialogue, NEW_PERSON[:4])
    dialogue.heard(PHONE_SAID)  # read back, waiting for yes
    flow.back()  # a touch on "Retour"
    turn = dialogue.follow(flow)
    assert turn.say == [] and dialogue.view.step == flow.view().step
    dialogue.heard("oui")  # no value is waiting any more: the yes is an answer at this step
    assert dialogue.view.step != "sign_in.code"
