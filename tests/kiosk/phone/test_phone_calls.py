"""Calls to the kiosk's telephone line from a real SIP telephone (baresip), against the live
server: the journeys by keypad, the caller's own number offered, a hang-up in the middle."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest
import soxr
from sqlalchemy import select

from bench.scripts import Event, cancels, moves, returning_person_books
from kiosk.phone.line import LINE_RATE
from kiosk.voice.dialogue import Turn
from kiosk.workflows.flow import View
from kiosk.workflows.steps import Kind
from server.models import Appointment, AppointmentStatus, AuthSession, CallbackRequest
from tests.kiosk.conftest import PHONE
from tests.kiosk.phone.baresip import Baresip
from tests.kiosk.phone.conftest import Kiosk, free_tcp_port, free_udp_port
from tests.kiosk.voice.audio import speak_neural

Seen = tuple[Turn, View]


def keys(view: View, method: str, value: Any) -> list[str]:
    """What a caller types for one event of a script: each item is answered by a new turn."""
    if view.step == "sign_in.caller":
        return ["1"]  # "Vous appelez du 06 10 00 00 01. Est-ce votre numéro de portable ?"
    if method == "choose":
        return [str(value)]
    if value is True or value is False:
        return ["1" if value else "2"]
    numbers = [str(i) for i, o in enumerate(view.options, 1) if o.value == value]
    if numbers:
        return numbers[:1]
    if view.kind == Kind.DATE:
        day, month, year = value.split("/")
        return [f"{day}{month}{year}#", "1"]
    assert view.kind == Kind.DIGITS, f"{view.step} cannot be answered by keys"
    return [f"{value}#"] if view.private else [f"{value}#", "1"]


def typed(kiosk: Kiosk, phone: Baresip, script: list[Event], until: str = "") -> list[Seen]:
    """The script typed on the telephone's keys (up to the step `until`): each turn of the
    kiosk with the view it was at."""
    phone.dial(kiosk.uri)
    seen = [kiosk.next_turn()]
    for method, argument, *at in script:
        view = seen[-1][1]
        if view.step == until:
            break
        if at and view.step != at[0]:
            continue  # the flow passed that step by itself
        value = argument() if callable(argument) else argument
        for pressed in keys(view, method, value):
            phone.press(pressed)
            seen.append(kiosk.next_turn())
    return seen


def steps(seen: list[Seen]) -> list[str]:
    return [view.step for _, view in seen]


def said_at(seen: list[Seen], step: str) -> str:
    return " ".join(" ".join(turn.say) for turn, view in seen if view.step == step)


def appointments(db) -> list[Appointment]:  # noqa: ANN001
    with db.reading() as session:
        return list(session.scalars(select(Appointment)))


def test_a_person_books_by_keypad_from_a_telephone_without_caller_id(
    kiosk_line, caller, inbox, doctor, holder_id, db
):
    seen = typed(kiosk_line, caller, returning_person_books(PHONE, inbox.code))
    caller.hang_up()
    assert "sign_in.caller" not in steps(seen)  # no number to offer: it is typed
    assert "Ou tapez les chiffres sur le clavier, puis la touche dièse." in said_at(
        seen, "sign_in.phone"
    )
    assert steps(seen)[-1] == "booking.done"
    [booked] = appointments(db)
    assert (booked.status, booked.practitioner_id) == (AppointmentStatus.CONFIRMED, doctor.id)


def test_the_callers_mobile_is_offered_and_the_sms_code_still_proves_it(
    kiosk_line, mobile, inbox, doctor, holder_id
):
    seen = typed(kiosk_line, mobile, returning_person_books(PHONE, inbox.code), "sign_in.code")
    mobile.hang_up()
    assert steps(seen)[-2:] == ["sign_in.caller", "sign_in.code"]
    assert "Vous appelez du 06 10 00 00 01. Est-ce votre numéro de portable ?" in said_at(
        seen, "sign_in.caller"
    )
    assert "Ou tapez 1 pour oui, 2 pour non." in said_at(seen, "sign_in.caller")


def test_an_appointment_is_moved_by_keypad(kiosk_line, mobile, inbox, booked, db):
    seen = typed(kiosk_line, mobile, moves(PHONE, inbox.code))
    mobile.hang_up()
    assert steps(seen)[-1] == "appointments.moved"
    [appointment] = [a for a in appointments(db) if a.status == AppointmentStatus.CONFIRMED]
    assert appointment.slot_id != booked.slot_id


def test_an_appointment_is_cancelled_by_keypad(kiosk_line, mobile, inbox, booked, db):
    seen = typed(kiosk_line, mobile, cancels(PHONE, inbox.code))
    mobile.hang_up()
    assert steps(seen)[-1] == "appointments.cancelled"
    [appointment] = appointments(db)
    assert appointment.status == AppointmentStatus.CANCELLED


def test_hanging_up_before_the_final_yes_books_nothing(
    kiosk_line, caller, inbox, doctor, holder_id, db
):
    """The slot is held and confirmed together, at the final yes: a caller gone at the review
    leaves no appointment, not even a hold to expire, and their session is ended."""
    seen = typed(kiosk_line, caller, returning_person_books(PHONE, inbox.code), "booking.review")
    assert steps(seen)[-1] == "booking.review"
    caller.hang_up()
    kiosk_line.line.stop()  # waits for the call's session to end
    assert appointments(db) == []
    with db.reading() as session:
        assert (
            session.scalars(select(AuthSession).where(AuthSession.revoked_at.is_(None))).all() == []
        )


def test_a_caller_asks_for_help_and_is_called_back_later(kiosk_line, caller, db):
    caller.dial(kiosk_line.uri)
    kiosk_line.next_turn()
    seen = []
    for pressed in ("0", "1", "0327000000#", "1"):  # help, yes, the number, it is right
        caller.press(pressed)
        seen.append(kiosk_line.next_turn())
    assert steps(seen) == [
        "call_back.offer",
        "call_back.phone",
        "call_back.phone",
        "call_back.done",
    ]
    assert "J'ai compris : 03 27 00 00 00. C'est bien ça ?" in said_at(seen, "call_back.phone")
    with db.reading() as session:
        [request] = session.scalars(select(CallbackRequest)).all()
        assert (request.phone, request.step) == ("+33327000000", "welcome.menu")
    caller.press("1")  # "Vous pouvez raccrocher." — or any key: goodbye, and the line hangs up
    turn, _ = kiosk_line.next_turn()
    assert turn.ended and turn.say == ["Au revoir. Tout est effacé."]
    caller.wait_for("CALL_CLOSED")


def test_a_person_books_by_speaking_on_the_phone_with_ranks_and_code_typed(
    kiosk_line, mobile, inbox, doctor, holder_id, db
):
    """Words said by a neural voice, through G.711 at 8 kHz, heard by Whisper: the menu, the
    specialty, "prendre rendez-vous", each yes. Ranks ("le premier") and the SMS code are
    typed: Whisper base does not hear them from the synthetic voices available here."""
    mobile.dial(kiosk_line.uri)
    _, view = kiosk_line.next_turn()
    caller = Talker(kiosk_line, mobile)
    view = caller.says(view, "prendre un rendez-vous")
    view = caller.says(view, "médecin généraliste")
    assert view.step == "booking.results"
    view = caller.types("1")
    view = caller.says(view, "prendre rendez-vous")
    assert view.step == "sign_in.caller"
    view = caller.says(view, "oui")  # "Est-ce votre numéro de portable ?"
    view = caller.types(inbox.code(PHONE) + "#")
    view = caller.says(view, "oui")  # seen before
    if view.step == "booking.motive":  # not passed by itself when the doctor has several
        view = caller.types("1")
    assert view.step == "booking.slot"
    view = caller.types("1")
    view = caller.says(view, "oui")  # the summary is right: book
    assert view.step == "booking.done"
    mobile.hang_up()
    [booked] = appointments(db)
    assert booked.status == AppointmentStatus.CONFIRMED
    assert caller.by_voice >= 5, f"{caller.by_voice} of 6 answers taken by voice"


class Talker:
    """A caller who says each answer, says it again once if the kiosk did not take it, then
    types it, as the kiosk's hint tells them to; counts the answers taken by voice."""

    def __init__(self, kiosk: Kiosk, phone: Baresip) -> None:
        self.kiosk, self.phone, self.by_voice = kiosk, phone, 0

    def says(self, at: View, words: str) -> View:
        for _ in range(2):
            self.phone.say(on_the_line(speak_neural(words, voice="jf_nezumi")))
            _, view = self.kiosk.next_turn()
            if view.step != at.step:
                self.by_voice += 1
                return view
        if at.kind in (Kind.YES_NO, Kind.REVIEW):
            return self.types("1")
        [number] = [n for n, o in enumerate(at.options, 1) if o.label.lower() == words]
        return self.types(str(number))

    def types(self, keys: str) -> View:
        self.phone.press(keys)
        return self.kiosk.next_turn()[1]


def on_the_line(samples: np.ndarray) -> np.ndarray:
    """16 kHz speech as a telephone sends it: 8 kHz."""
    return soxr.resample(samples, 16000, 8000).astype(np.int16)


@pytest.mark.parametrize("codec", ["PCMU", "PCMA"])
def test_the_caller_hears_the_kiosks_voice_undistorted(kiosk_line, tmp_path, codec):
    """The welcome as the telephone recorded it is the voice the kiosk sent: nothing lost,
    doubled or clipped on the way (resampling, 20 ms packets, G.711 µ-law or A-law, the
    caller's jitter buffer). Whisper base cannot judge what was heard here: it does not
    understand espeak-ng's voice unless told the words, and told them, it writes them whatever
    it hears."""
    caller = Baresip(tmp_path / codec, free_udp_port(), free_tcp_port(), codec=codec)
    try:
        caller.dial(kiosk_line.uri)
        kiosk_line.next_turn()
        time.sleep(4)
        caller.hang_up()
    finally:
        caller.close()
    sent = np.frombuffer(b"".join(kiosk_line.sent), "<i2").astype(np.float64)
    voiced = np.flatnonzero(np.abs(sent) > 300)
    welcome = sent[voiced[0] : voiced[0] + 2 * LINE_RATE]  # its first two seconds
    assert likeness(welcome, caller.heard().astype(np.float64)) > 0.99


def likeness(expected: np.ndarray, heard: np.ndarray) -> float:
    """The best normalised correlation of `expected` anywhere in `heard` (1: the same sound),
    whatever the polarity: aiortp's A-law turns the wave upside down, which no ear hears."""
    size = len(expected) + len(heard)
    spectrum = np.fft.rfft(heard, size) * np.conj(np.fft.rfft(expected, size))
    products = np.fft.irfft(spectrum, size)[: len(heard) - len(expected) + 1]
    energy = np.convolve(heard**2, np.ones(len(expected)), "valid")
    return float(np.max(np.abs(products) / (np.linalg.norm(expected) * np.sqrt(energy) + 1e-9)))


def test_two_calls_at_once_are_two_sessions(kiosk_line, caller, mobile):
    caller.dial(kiosk_line.uri)
    mobile.dial(kiosk_line.uri)
    kiosk_line.next_turn(caller)
    kiosk_line.next_turn(mobile)
    caller.press("1")  # Prendre un rendez-vous
    mobile.press("2")  # Mes rendez-vous: signing in first, from this mobile
    assert kiosk_line.next_turn(caller)[1].step == "booking.what"
    assert kiosk_line.next_turn(mobile)[1].step == "sign_in.caller"
    mobile.hang_up()
    caller.press("*")
    assert kiosk_line.next_turn(caller)[1].step == "booking.what"  # the other call goes on
    caller.hang_up()
