"""Every step of every journey, walked without a server (the in-memory world).

Each scenario is a function a person could live through; `test_every_step_is_walked`
replays them all and checks that together they reach every declared step.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.workflows.flow import Flow, View
from kiosk.workflows.journeys import JOURNEYS
from tests.kiosk.conftest import KNOWN_PHONE, TODAY
from tests.kiosk.workflows.memory_services import CODE, MemoryServices
from tests.kiosk.workflows.scenarios import (
    BOOK_GP_HERE,
    KNOWN_PERSON,
    START,
    book_for_new_relative,
    book_known_person,
    book_new_person,
    run,
)

Scenario = Callable[[Flow, MemoryServices, list[float]], list[View]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(function: Scenario) -> Scenario:
    SCENARIOS[function.__name__] = function
    return function


def signed_in_menu(flow: Flow, item: int) -> list[View]:
    return run(flow, START + [("choose", item)] + KNOWN_PERSON)


# ------------------------------------------------------------------- welcome


@scenario
def english_speaker_sees_english(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, [("answer", "language"), ("answer", "en")])
    assert views[-1].title == "Hello. What do you want to do?"
    assert views[-1].options[-1].label == "Français · العربية"
    return views


@scenario
def arabic_is_read_right_to_left(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, [("answer", "language"), ("answer", "ar")])
    assert views[-1].rtl and views[-1].language == "ar"
    return views


@scenario
def help_page_explains_the_commands(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + [("choose", 4)])
    assert any("Retour" in line for line in views[-1].lines)
    views += run(flow, [("answer", True)])
    assert views[-1].step == "welcome.menu"
    return views


# ------------------------------------------------------------------- sign in


@scenario
def a_caller_from_their_mobile_is_offered_that_number(flow, world, clock):  # noqa: ANN001, ANN201
    flow.caller = "0698765432"  # a telephone line's caller ID
    views = run(flow, START + BOOK_GP_HERE + [("answer", "book")])
    assert views[-1].step == "sign_in.caller"
    assert views[-1].title == "Vous appelez du 06 98 76 54 32. Est-ce votre numéro de portable ?"
    views += run(flow, [("answer", True)])
    assert views[-1].step == "sign_in.code"  # the SMS code still proves the number
    views += run(flow, [("answer", CODE)])
    assert views[-1].step == "booking.seen_before"  # signed in, one person: straight on
    return views


@scenario
def a_caller_who_says_no_gives_another_number(flow, world, clock):  # noqa: ANN001, ANN201
    flow.caller = "+33698765432"
    views = run(flow, START + BOOK_GP_HERE + [("answer", "book"), ("answer", False)])
    assert views[-1].step == "sign_in.phone"
    views += run(flow, KNOWN_PERSON)
    assert views[-1].step == "booking.seen_before"
    return views


@scenario
def a_caller_without_caller_id_asks_to_be_called_back(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + [("choose", 1)])
    views.append(flow.call_back())  # the telephone's "aide", or three misunderstandings
    assert views[-1].step == "call_back.offer" and views[-1].lines == []
    views += run(flow, [("answer", True)])
    views.append(flow.answer("0800 00 00 00"))
    assert views[-1].error == "Numéro de téléphone : donnez un numéro de portable ou de fixe."
    views += run(flow, [("answer", "03.27.00.00.00")])
    assert views[-1].step == "call_back.done"
    assert world.call_backs == [("+33327000000", "booking.what")]
    views += run(flow, [("answer", True)])
    assert views[-1].ended and world.ended == 1
    return views


@scenario
def a_caller_who_declines_the_call_back_goes_on_where_they_were(flow, world, clock):  # noqa: ANN001, ANN201
    flow.caller = "+33327000000"
    views = run(flow, START + [("choose", 1)])
    views.append(flow.call_back())
    assert views[-1].lines == ["Nous vous rappelons au 03 27 00 00 00."]
    views += run(flow, [("answer", False)])
    assert views[-1].step == "booking.what" and world.call_backs == []
    return views


def test_a_landline_or_no_caller_id_is_not_offered(flow: Flow) -> None:
    for caller in (None, "0327000000", "anonymous"):
        flow.stop()
        flow.caller = caller
        assert run(flow, START + BOOK_GP_HERE + [("answer", "book")])[-1].step == "sign_in.phone"


@scenario
def new_person_creates_an_account_and_books(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, book_new_person())
    assert views[-1].step == "booking.done"
    assert world.me().profile.first_name == "Émilie-Anne"
    return views


@scenario
def returning_person_is_signed_in_by_the_code_alone(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, book_known_person())
    assert "sign_in.consent" not in [v.step for v in views]
    assert views[-1].step == "booking.done"
    return views


@scenario
def a_patient_of_the_practitioner_is_asked_neither_if_seen_nor_the_motive(flow, world, clock):  # noqa: ANN001, ANN201
    world.visited(KNOWN_PHONE, practitioner_id=1, motive_id=12, days_ago=30)
    views = run(flow, START + BOOK_GP_HERE + [("choose", 1)] + KNOWN_PERSON)
    assert views[-1].step == "booking.slot"  # seen before and motive: known from the last visit
    views += run(flow, [("choose", 1)])
    assert views[-1].step == "booking.review"
    assert "Consultation de suivi" in [item.value.split(",")[0] for item in views[-1].review]
    views.append(flow.change("booking.motive"))  # asked when changed from the review
    assert [o.value for o in views[-1].options] == [11, 12]
    return views


@scenario
def code_not_received_resend_waits_the_minute(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + [("choose", 2), ("answer", "06 98 76 54 32"), ("answer", "no_code")])
    assert views[-1].step == "sign_in.no_code"
    assert "06 98 76 54 32" in views[-1].lines[0]
    early = flow.answer("resend")
    assert early.error == "Attendez encore 60 secondes."
    clock[0] += 61
    views.append(flow.answer("resend"))
    assert views[-1].step == "sign_in.code" and len(world.codes_sent) == 2
    views += run(flow, [("answer", "no_code"), ("answer", "help")])
    assert views[-1].help_requested
    views += run(flow, [("answer", "no_code"), ("answer", "change")])
    assert views[-1].step == "sign_in.phone"
    return views


@scenario
def wrong_code_says_how_many_tries_are_left(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + [("choose", 2), ("answer", "06 98 76 54 32")])
    views.append(flow.answer("000000"))
    assert views[-1].error == "Ce code n'est pas le bon. Il vous reste 4 essais."
    assert views[-1].private
    return views


@scenario
def refusing_the_terms_creates_nothing(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + [("choose", 3), ("answer", "0612345678"), ("answer", CODE)])
    views += run(flow, [("answer", False)])
    assert views[-1].step == "sign_in.refused"
    views += run(flow, [("answer", True)])
    assert views[-1].step == "welcome.menu"
    assert "+33612345678" not in world.accounts
    return views


@scenario
def an_email_can_be_added_and_checked(flow, world, clock):  # noqa: ANN001, ANN201
    steps = [("answer", "0612345678"), ("answer", CODE), ("answer", True), ("answer", "M")]
    steps += [("answer", "Jean"), ("answer", "Martin"), ("answer", "1960-01-31")]
    views = run(flow, START + [("choose", 3)] + steps)
    assert views[-1].step == "account.menu"
    views += run(flow, [("answer", "email"), ("answer", "Jean.Martin@Exemple.fr")])
    assert views[-1].step == "sign_in.email_code"
    assert world.accounts["+33612345678"]["email"] == "jean.martin@exemple.fr"
    views += run(flow, [("answer", CODE)])
    assert views[-1].step == "account.menu"
    return views


@scenario
def the_email_code_can_wait(flow, world, clock):  # noqa: ANN001, ANN201
    steps = [("answer", "0612345678"), ("answer", CODE), ("answer", True), ("answer", "F")]
    steps += [("answer", "Zoé"), ("answer", "Lefèvre"), ("answer", "2/3/1990")]
    views = run(flow, START + [("choose", 3)] + steps)
    views += run(flow, [("answer", "email"), ("answer", "zoe@exemple.fr"), ("answer", "later")])
    assert views[-1].step == "account.menu"
    return views


@scenario
def consenting_to_the_counsellors_help_reading_what_they_did_and_withdrawing_it(
    flow,
    world,
    clock,  # noqa: ANN001
):  # noqa: ANN201
    views = signed_in_menu(flow, 3) + run(flow, [("answer", "helpers")])
    assert views[-1].step == "helpers.overview"
    assert views[-1].lines == [
        "Vous n'avez pas donné votre accord.",
        "Les conseillers n'ont encore rien fait pour vous.",
    ]
    views += run(flow, [("answer", "give"), ("answer", "visit"), ("answer", False)])
    assert views[-1].lines[0] == "Vous n'avez pas donné votre accord."
    views += run(flow, [("answer", "give"), ("answer", "day")])
    assert views[-1].step == "helpers.consent"
    assert views[-1].lines[1] == "Ils peuvent prendre, changer et annuler vos rendez-vous médicaux."
    assert views[-1].lines[-1] == "Cet accord dure 1 jour."
    views += run(flow, [("answer", True)])
    assert views[-1].lines[0] == "Votre accord dure jusqu'au mardi 24 novembre 2026 à 10 h."
    world.counsellor_acted(KNOWN_PHONE, "Camille", "booked", "Noé")
    views += run(flow, [("answer", "back"), ("answer", "helpers")])
    assert views[-1].lines[1:3] == [
        "Lundi 23 novembre 2026 à 11 h 30. Camille a pris un rendez-vous pour Noé.",
        "Lundi 23 novembre 2026 à 10 h. Vous avez donné votre accord.",
    ]
    views += run(flow, [("answer", "revoke"), ("answer", True)])
    assert views[-1].lines[0] == "Vous n'avez pas donné votre accord."
    assert views[-1].lines[1].endswith("Vous avez retiré votre accord.")
    views += run(flow, [("answer", "back")])
    assert views[-1].step == "account.menu"
    return views


# ------------------------------------------------------------------- booking


@scenario
def booking_for_a_new_relative(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, book_for_new_relative())
    assert views[-1].step == "booking.done"
    booked = next(iter(world.booked.values()))
    assert booked.patient_first_name == "Noé"
    return views


@scenario
def a_practitioner_found_by_name_in_another_town(flow, world, clock):  # noqa: ANN001, ANN201
    steps = [("choose", 5), ("answer", "n’diaye"), ("answer", "town"), ("answer", "Arras")]
    views = run(flow, START + [("choose", 1)] + steps)
    assert views[-1].step == "booking.town_pick"
    assert [o.label for o in views[-1].options][0] == "Arras, code postal 62000"
    views += run(flow, [("choose", 1)])
    assert "Élodie N'Diaye" in views[-1].options[0].label
    return views


@scenario
def a_town_nobody_knows_is_said_plainly(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + [("choose", 1), ("choose", 1), ("answer", "town")])
    views.append(flow.answer("Atlantide"))
    assert views[-1].error == "Ville : nous ne trouvons pas cette ville. Vérifiez le nom."
    assert views[-1].value == "Atlantide"
    return views


@scenario
def nobody_found_offers_another_search(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + [("choose", 1), ("choose", 2)])
    assert views[-1].lines == ["Nous ne trouvons personne pour cette recherche."]
    views += run(flow, [("answer", "again")])
    assert views[-1].step == "booking.what"
    return views


@scenario
def a_practitioner_booked_by_phone_shows_the_number(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + BOOK_GP_HERE[:-1] + [("choose", 2)])
    assert "Appelez le 03 27 00 00 00." in views[-1].lines
    assert [o.value for o in views[-1].options] == ["other"]
    views += run(flow, [("answer", "other")])
    assert views[-1].step == "booking.results"
    return views


@scenario
def a_new_patient_sees_only_motives_open_to_new_patients(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, START + BOOK_GP_HERE + [("choose", 1)] + KNOWN_PERSON)
    first_visit = flow.answer(False)
    assert first_visit.step == "booking.slot"  # the only motive open to new patients: chosen
    assert flow.state.answers["booking.motive"] == 11
    assert flow.back().step == "booking.seen_before"
    assert [o.value for o in flow.answer(True).options] == [11, 12]
    return [*views, first_visit]


@scenario
def a_practitioner_who_takes_only_known_patients(flow, world, clock):  # noqa: ANN001, ANN201
    world.motive_lists[1] = [world.motive_lists[1][1]]
    views = run(flow, START + BOOK_GP_HERE + [("choose", 1)] + KNOWN_PERSON + [("answer", False)])
    assert views[-1].lines == ["Ce soignant prend seulement les patients qu'il connaît déjà."]
    views += run(flow, [("answer", "other")])
    assert views[-1].step == "booking.results"
    return views


@scenario
def a_time_taken_meanwhile_sends_back_to_the_times(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, book_known_person()[:-1])
    world.taken.add(flow.state.answers["booking.slot"])
    views.append(flow.answer(True))
    assert views[-1].step == "booking.slot"
    assert views[-1].error == "Cet horaire vient d'être pris. Choisissez un autre horaire."
    views += run(flow, [("choose", 1), ("answer", True)])
    assert views[-1].step == "booking.done"
    return views


@scenario
def another_practitioner_of_the_practice_needs_consent(flow, world, clock):  # noqa: ANN001, ANN201
    from kiosk.workflows.services import ServiceError

    views = run(flow, book_known_person()[:-1])
    hold = world.hold

    def usual_first(**kwargs):  # noqa: ANN003, ANN202 - the practice's rule, seed 003
        if not kwargs["other_practitioner_consent"]:
            said = "Vous êtes suivi par Paul Martin."
            raise ServiceError(
                "usual_practitioner", said, None, 409, {"practitioner": "Paul Martin"}
            )
        return hold(**kwargs)

    world.hold = usual_first
    views.append(flow.answer(True))
    assert views[-1].step == "booking.other_ok"
    assert views[-1].lines == ["Dans ce cabinet, vous voyez d'habitude Paul Martin."]
    views += run(flow, [("answer", True), ("answer", True)])
    assert views[-1].step == "booking.done"
    flow.state.step = "booking.other_ok"
    views += run(flow, [("answer", False)])
    assert views[-1].step == "booking.results"
    return views


@scenario
def no_network_at_the_review_books_nothing_and_keeps_everything(flow, world, clock):  # noqa: ANN001, ANN201
    views = run(flow, book_known_person()[:-1])
    world.offline = True
    views.append(flow.answer(True))
    assert views[-1].step == "booking.review"
    assert views[-1].error == "Le réseau est coupé. Réessayez dans un moment."
    assert not world.booked
    world.offline = False
    views.append(flow.answer(True))
    assert views[-1].step == "booking.done"
    return views


# -------------------------------------------------------------- appointments


def _booked(flow: Flow) -> list[View]:
    views = run(flow, book_known_person() + [("answer", "home"), ("choose", 2)])
    assert views[-1].step == "appointments.list"
    return views


@scenario
def my_appointments_when_there_are_none(flow, world, clock):  # noqa: ANN001, ANN201
    views = signed_in_menu(flow, 2)
    assert views[-1].lines == ["Vous n'avez aucun rendez-vous à venir."]
    views += run(flow, [("answer", "book")])
    assert views[-1].step == "booking.what"
    return views


@scenario
def cancelling_asks_first_then_cancels(flow, world, clock):  # noqa: ANN001, ANN201
    views = _booked(flow) + run(flow, [("choose", 1), ("answer", "cancel")])
    assert views[-1].step == "appointments.cancel"
    views += run(flow, [("answer", False)])
    assert views[-1].step == "appointments.detail"
    views += run(flow, [("answer", "cancel"), ("answer", True)])
    assert views[-1].step == "appointments.cancelled"
    assert next(iter(world.booked.values())).status == "cancelled"
    assert flow.back().notice == "Le rendez-vous est annulé. Vous pouvez en prendre un autre."
    return views


@scenario
def too_late_to_cancel_gives_the_practice_phone(flow, world, clock):  # noqa: ANN001, ANN201
    from dataclasses import replace

    views = _booked(flow)
    only = next(iter(world.booked))
    world.booked[only] = replace(world.booked[only], can_cancel_online=False)
    flow.state.data.pop("appointments")
    views += run(flow, [("choose", 1), ("answer", "cancel")])
    assert views[-1].step == "appointments.too_late"
    assert views[-1].lines == ["Appelez le cabinet au 03 27 00 00 00."]
    views += run(flow, [("answer", True)])
    return views


@scenario
def moving_to_another_time(flow, world, clock):  # noqa: ANN001, ANN201
    views = _booked(flow) + run(flow, [("choose", 1), ("answer", "move"), ("choose", 2)])
    assert views[-1].step == "appointments.move_ok"
    assert views[-1].title.startswith("Voulez-vous changer pour le mardi 24 novembre 2026")
    views += run(flow, [("answer", True)])
    assert views[-1].step == "appointments.moved"
    views += run(flow, [("answer", "end")])
    assert views[-1].ended
    return views


@scenario
def not_moving_after_all(flow, world, clock):  # noqa: ANN001, ANN201
    views = _booked(flow) + run(flow, [("choose", 1), ("answer", "move"), ("choose", 2)])
    views += run(flow, [("answer", False)])
    assert views[-1].step == "appointments.detail"
    return views


@scenario
def joining_the_waiting_list(flow, world, clock):  # noqa: ANN001, ANN201
    views = _booked(flow) + run(flow, [("choose", 1), ("answer", "waitlist"), ("answer", True)])
    assert views[-1].step == "appointments.waiting"
    assert world.waitlist == [(1, world.accounts[KNOWN_PHONE]["holder"].id, 11)]
    views += run(flow, [("answer", "home"), ("choose", 2), ("choose", 1), ("answer", "waitlist")])
    views += run(flow, [("answer", False), ("answer", "list")])
    assert views[-1].step == "appointments.list"
    return views


@scenario
def confirming_a_pending_booking(flow, world, clock):  # noqa: ANN001, ANN201
    slot = world.slot_times(1)[3]
    holder = world.accounts[KNOWN_PHONE]["holder"]
    world.phone = KNOWN_PHONE
    world.hold(slot_id=slot.id, motive_id=11, patient_id=holder.id, first_visit=True)
    views = signed_in_menu(flow, 2)
    assert views[-1].options[0].label.startswith("À confirmer : ")
    views += run(flow, [("choose", 1)])
    assert "Ce rendez-vous attend votre confirmation." in views[-1].lines
    views += run(flow, [("answer", "confirm")])
    assert views[-1].step == "appointments.confirmed"
    return views


# ------------------------------------------------------------------- account


@scenario
def checking_and_changing_my_first_name(flow, world, clock):  # noqa: ANN001, ANN201
    views = signed_in_menu(flow, 3) + run(flow, [("answer", "profile")])
    assert views[-1].step == "account.profile"
    assert views[-1].review[1].value == "Jeanne"
    views.append(flow.change("sign_in.first_name"))
    views += run(flow, [("answer", "Jeanne-Marie")])
    assert views[-1].step == "account.profile"
    views += run(flow, [("answer", True)])
    assert world.accounts[KNOWN_PHONE]["holder"].first_name == "Jeanne-Marie"
    return views


@scenario
def adding_changing_and_removing_a_relative(flow, world, clock):  # noqa: ANN001, ANN201
    views = signed_in_menu(flow, 3) + run(flow, [("answer", "relatives")])
    assert views[-1].lines == ["Vous n'avez encore aucun proche."]
    flow.back()
    relative = [("answer", "F"), ("answer", "Lou"), ("answer", "Petit")]
    relative += [("answer", "01/06/2015"), ("answer", "enfant"), ("answer", True)]
    views += run(flow, [("answer", "add")] + relative)
    assert views[-1].step == "account.menu"
    views += run(flow, [("answer", "relatives"), ("choose", 1), ("answer", "change")])
    assert views[-1].step == "relative.review"
    views.append(flow.change("relative.first_name"))
    views += run(flow, [("answer", "Louise"), ("answer", True)])
    assert world.accounts[KNOWN_PHONE]["relatives"][0].first_name == "Louise"
    views += run(flow, [("answer", "relatives"), ("choose", 1), ("answer", "remove")])
    views += run(flow, [("answer", True)])
    assert world.accounts[KNOWN_PHONE]["relatives"] == []
    views += run(flow, [("answer", "home")])
    assert views[-1].step == "welcome.menu"
    return views


# -------------------------------------------------------------------- checks


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario(name: str, flow: Flow, world: MemoryServices, clock: list[float]) -> None:
    views = SCENARIOS[name](flow, world, clock)
    assert views


def walk_all() -> dict[str, list[View]]:
    walked = {}
    for name, play in SCENARIOS.items():
        world, clock = MemoryServices(TODAY, known_phone=KNOWN_PHONE), [1_000_000.0]
        flow = Flow(JOURNEYS, world, today=lambda: TODAY, clock=lambda c=clock: c[0])
        walked[name] = play(flow, world, clock)
    return walked


def test_every_step_is_walked() -> None:
    seen = {v.step for views in walk_all().values() for v in views}
    declared = {s.id for j in JOURNEYS for s in j.steps}
    assert declared - seen == set()


def test_offline_while_reading_slots_is_said_on_the_step(flow: Flow, world) -> None:  # noqa: ANN001
    run(flow, START + BOOK_GP_HERE + [("choose", 1)] + KNOWN_PERSON + [("answer", True)])
    world.offline = True
    view = flow.choose(1)
    assert view.step == "booking.slot"
    assert view.lines == ["Le réseau est coupé. Réessayez dans un moment."]
    assert view.options == []
