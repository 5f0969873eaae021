"""Signing in by SMS code, through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

import pytest
import requests
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server.models import AuthSession, OutboxMessage, Verification
from server.security import hash_code
from server.services.kiosks import add_kiosk
from tests.factories import make_account
from tests.server.sms_sign_in import (
    PHONE,
    TYPED_PHONE,
    age_codes,
    ask_code,
    expire_codes,
    last_code,
)


def _check(client, verification_id: str, code: str):  # noqa: ANN001, ANN202
    return client.post(f"/api/v1/verifications/{verification_id}/check", json={"code": code})


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_asking_for_a_code_queues_an_sms_with_six_digits(client, db, settings) -> None:
    answer = client.post("/api/v1/verifications", json={"phone": TYPED_PHONE})
    assert answer.status_code == 201
    body = answer.json()
    assert body["expires_in"] == 600
    assert body["resend_after"] == 60
    with db.reading() as session:
        message = session.scalar(select(OutboxMessage))
        verification = session.get(Verification, body["verification_id"])
    assert (message.kind, message.channel, message.recipient) == ("code", "sms", PHONE)
    code = last_code(db, PHONE)
    assert len(code) == 6 and code.isdigit()
    # Only a keyed hash of the code is kept.
    assert code not in verification.code_hash
    assert verification.code_hash == hash_code(settings.secret_key, verification.id, code)
    assert verification.tries_left == 5
    assert verification.expires_at - verification.created_at == timedelta(minutes=10)


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+33 (0)6 12 34 56 78",
    ],
)
def test_every_usual_format_reaches_the_same_number(client, db, typed: str) -> None:
    ask_code(client, typed)
    with db.reading() as session:
        assert session.scalar(select(Verification.target)) == PHONE


@pytest.mark.parametrize("typed", ["+262 692 12 34 56", "+590 690 00 12 34", "0639 01 23 45"])
def test_an_overseas_mobile_can_sign_in(client, db, typed: str) -> None:
    verification_id = ask_code(client, typed)
    with db.reading() as session:
        target = session.get(Verification, verification_id).target
    assert _check(client, verification_id, last_code(db, target)).status_code == 200


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("03 27 94 20 00", "not_mobile"),
        ("08 00 12 34 56", "not_mobile"),
        ("09 12 34 56 78", "not_mobile"),
        ("06 12 34", "invalid"),
        ("📱📱📱", "invalid"),
        ("", "invalid"),
    ],
)
def test_a_number_that_cannot_get_an_sms_is_refused_and_nothing_is_sent(
    client, db, typed: str, error: str
) -> None:
    answer = client.post("/api/v1/verifications", json={"phone": typed})
    assert answer.status_code == 422
    assert answer.json()["error"] == error
    assert answer.json()["field"] == "phone"
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_landline_gets_the_plain_message(client) -> None:
    answer = client.post("/api/v1/verifications", json={"phone": "03 27 94 20 00"})
    assert answer.json()["message"] == (
        "Ce numéro est un fixe. Il faut un numéro de portable pour recevoir le code."
    )


def test_a_300_character_phone_is_refused_without_error_500(client) -> None:
    answer = client.post("/api/v1/verifications", json={"phone": "6" * 300})
    assert answer.status_code == 422
    assert answer.json()["field"] == "phone"


def test_the_right_code_opens_a_session_for_a_new_person(client, db) -> None:
    verification_id = ask_code(client)
    answer = _check(client, verification_id, last_code(db, PHONE))
    assert answer.status_code == 200
    assert answer.json()["account_exists"] is False
    token = answer.json()["session_token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 403
    assert me.json()["error"] == "no_account"


def test_the_right_code_signs_in_to_an_existing_account(client, db, kiosk) -> None:
    with db.writing() as session:
        account, _ = make_account(session)
        account_id = account.id
    verification_id = ask_code(client)
    answer = _check(client, verification_id, last_code(db, PHONE))
    assert answer.json()["account_exists"] is True
    with db.reading() as session:
        auth = session.scalar(select(AuthSession))
    assert (auth.account_id, auth.kiosk_id, auth.phone) == (account_id, kiosk.id, PHONE)
    me = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {answer.json()['session_token']}"}
    )
    assert me.status_code == 200


def test_a_code_typed_with_spaces_is_accepted(client, db) -> None:
    verification_id = ask_code(client)
    code = last_code(db, PHONE)
    assert _check(client, verification_id, f"{code[:3]} {code[3:]}").status_code == 200


def test_a_code_works_only_once(client, db) -> None:
    verification_id = ask_code(client)
    code = last_code(db, PHONE)
    assert _check(client, verification_id, code).status_code == 200
    again = _check(client, verification_id, code)
    assert again.status_code == 422
    assert again.json()["error"] == "code_used"


def test_a_wrong_code_says_how_many_tries_are_left(client, db) -> None:
    verification_id = ask_code(client)
    wrong = _wrong(last_code(db, PHONE))
    answers = [_check(client, verification_id, wrong) for _ in range(2)]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].json()["message"] == "Ce code n'est pas le bon. Il vous reste 4 essais."
    assert answers[1].json()["message"] == "Ce code n'est pas le bon. Il vous reste 3 essais."
    assert answers[1].json()["field"] == "code"
    assert answers[1].json()["details"] == {"tries_left": 3}  # for kiosks in other languages


def test_after_five_wrong_tries_even_the_right_code_is_refused(client, db) -> None:
    verification_id = ask_code(client)
    code = last_code(db, PHONE)
    messages = [_check(client, verification_id, _wrong(code)).json()["message"] for _ in range(5)]
    assert messages[3] == "Ce code n'est pas le bon. Il vous reste 1 essai."
    assert "plus d'essai" in messages[4]
    answer = _check(client, verification_id, code)
    assert answer.status_code == 422
    assert answer.json()["error"] == "code_blocked"
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuthSession)) == 0


def test_a_badly_typed_code_does_not_cost_a_try(client, db) -> None:
    verification_id = ask_code(client)
    for typed in ("12345", "abcdef", "1234567", ""):
        answer = _check(client, verification_id, typed)
        assert answer.status_code == 422
        assert answer.json()["field"] == "code"
    with db.reading() as session:
        assert session.get(Verification, verification_id).tries_left == 5


def test_an_expired_code_is_refused(client, db) -> None:
    verification_id = ask_code(client)
    code = last_code(db, PHONE)
    expire_codes(db, PHONE)
    answer = _check(client, verification_id, code)
    assert answer.status_code == 422
    assert answer.json()["error"] == "code_expired"
    assert "Demandez un nouveau code" in answer.json()["message"]


def test_a_new_code_within_a_minute_is_refused(client, db) -> None:
    ask_code(client)
    answer = client.post("/api/v1/verifications", json={"phone": "+33 6 12 34 56 78"})
    assert answer.status_code == 429
    assert answer.json()["message"] == "Attendez une minute avant de demander un nouveau code."
    age_codes(db, PHONE, timedelta(seconds=61))
    assert client.post("/api/v1/verifications", json={"phone": TYPED_PHONE}).status_code == 201


def test_at_most_three_codes_per_number_per_hour(client, db) -> None:
    for _ in range(3):
        ask_code(client)
        age_codes(db, PHONE, timedelta(minutes=2))
    answer = client.post("/api/v1/verifications", json={"phone": TYPED_PHONE})
    assert answer.status_code == 429
    assert answer.json()["error"] == "too_many_codes"
    assert "heure" in answer.json()["message"]
    age_codes(db, PHONE, timedelta(minutes=55))
    assert client.post("/api/v1/verifications", json={"phone": TYPED_PHONE}).status_code == 201


def test_a_kiosk_has_its_own_hourly_limit(app, db, settings, kiosk) -> None:
    app.state.settings = replace(settings, codes_per_kiosk_per_hour=2)
    with TestClient(app, headers={"X-Kiosk-Token": kiosk.token}) as client:
        ask_code(client, "06 12 34 56 78")
        ask_code(client, "06 12 34 56 79")
        answer = client.post("/api/v1/verifications", json={"phone": "06 12 34 56 80"})
    assert answer.status_code == 429
    assert answer.json()["error"] == "kiosk_too_many_codes"


def test_a_code_asked_at_another_kiosk_is_not_found_here(client, app, db) -> None:
    with db.writing() as session:
        _other, other_token = add_kiosk(session, name="Autre borne", commune_insee="59350")
    with TestClient(app, headers={"X-Kiosk-Token": other_token}) as other:
        verification_id = ask_code(other)
    answer = _check(client, verification_id, last_code(db, PHONE))
    assert answer.status_code == 404
    assert _check(client, "not-a-verification", "123456").status_code == 404


def test_without_a_kiosk_token_nothing_is_sent(app, db) -> None:
    with TestClient(app) as anonymous:
        answer = anonymous.post("/api/v1/verifications", json={"phone": TYPED_PHONE})
    assert answer.status_code == 401
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Verification)) == 0


# ------------------------------------------------------------- races, real connections


def _race(count: int, call) -> list:  # noqa: ANN001
    """Run `call` from `count` threads released at the same moment."""
    barrier = threading.Barrier(count)

    def run(_index: int):  # noqa: ANN202
        barrier.wait()
        return call()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_simultaneous_requests_for_one_number_send_a_single_code(live_server, db, kiosk) -> None:
    headers = {"X-Kiosk-Token": kiosk.token}
    url = f"{live_server}/api/v1/verifications"
    statuses = _race(
        8, lambda: requests.post(url, json={"phone": TYPED_PHONE}, headers=headers).status_code
    )
    assert sorted(statuses) == [201] + [429] * 7
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_simultaneous_checks_of_one_code_open_a_single_session(live_server, db, kiosk) -> None:
    headers = {"X-Kiosk-Token": kiosk.token}
    verification_id = requests.post(
        f"{live_server}/api/v1/verifications", json={"phone": TYPED_PHONE}, headers=headers
    ).json()["verification_id"]
    code = last_code(db, PHONE)
    url = f"{live_server}/api/v1/verifications/{verification_id}/check"
    statuses = _race(
        8, lambda: requests.post(url, json={"code": code}, headers=headers).status_code
    )
    assert sorted(statuses) == [200] + [422] * 7
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuthSession)) == 1


def test_simultaneous_wrong_codes_each_cost_a_try(live_server, db, kiosk) -> None:
    headers = {"X-Kiosk-Token": kiosk.token}
    verification_id = requests.post(
        f"{live_server}/api/v1/verifications", json={"phone": TYPED_PHONE}, headers=headers
    ).json()["verification_id"]
    wrong = _wrong(last_code(db, PHONE))
    url = f"{live_server}/api/v1/verifications/{verification_id}/check"
    answers = _race(8, lambda: requests.post(url, json={"code": wrong}, headers=headers).json())
    errors = sorted(answer["error"] for answer in answers)
    assert errors == ["code_blocked"] * 4 + ["wrong_code"] * 4
    with db.reading() as session:
        assert session.get(Verification, verification_id).tries_left == 0
