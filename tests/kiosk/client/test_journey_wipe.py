"""A whole visit through the journeys and the real client, then "arrêter": the next person
finds nothing of the previous one in the flow state, the client, the kiosk's files or the logs."""

from __future__ import annotations

import json
import logging

import pytest

from kiosk.client.services import KioskServices
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from tests.kiosk.client.people import add_doctor
from tests.kiosk.client.test_end_session import _files, _traces_in
from tests.server.sms_sign_in import PHONE, last_code


def test_stopping_wipes_the_person_everywhere(
    services: KioskServices, db, files, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    add_doctor(db, last_name="Fictive")
    flow = Flow(JOURNEYS, services)
    for event, value in [("answer", "book"), ("answer", "medecine-generale")]:
        getattr(flow, event)(value)
    flow.choose(1)  # the doctor
    flow.answer("book")
    flow.answer("06 12 34 56 78")
    for value in (last_code(db, PHONE), True, "F", "Zéphyrine", "Quiroga-Vallée", "23/11/1947"):
        assert flow.answer(value).error is None
    assert flow.answer(False).step == "booking.slot"  # never seen: the one motive for newcomers
    flow.choose(1)  # the first time
    done = flow.answer(True)
    assert done.step == "booking.done", done.error
    state = json.dumps(flow.state.to_dict(), ensure_ascii=False).encode()
    assert _traces_in(state)  # the test can see the person before the wipe

    ended = flow.stop()

    assert ended.ended and ended.step == "welcome.menu"
    assert _traces_in(json.dumps(flow.state.to_dict(), ensure_ascii=False).encode()) == []
    assert _traces_in(repr(vars(services)).encode()) == []
    assert _traces_in(_files(files["outbox"], files["replica"])) == []
    assert _traces_in(caplog.text.encode()) == []
