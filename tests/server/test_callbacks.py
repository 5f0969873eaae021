"""Call-back requests from a kiosk's telephone line, through the API, the service and the CLI,
on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.cli import main
from server.clock import utcnow
from server.errors import ApiError
from server.models import CallbackRequest, IdempotencyRecord, Kiosk
from server.services.callbacks import mark_done, open_callbacks, request_callback
from server.services.kiosks import add_kiosk

URL = "/api/v1/callbacks"


def _post(client, phone: str, step: str = "booking.slot", key: str | None = None):  # noqa: ANN001, ANN202
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, json={"phone": phone, "step": step}, headers=headers)


def _stored(db) -> list[CallbackRequest]:  # noqa: ANN001
    with db.reading() as session:
        return list(session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)))


def _record(db, kiosk_id: int, phone: str, step: str, *, at: datetime) -> int:  # noqa: ANN001
    """A request made through the service at `at` (naive UTC, as stored)."""
    with db.writing() as session:
        request = request_callback(
            session, kiosk=session.get(Kiosk, kiosk_id), phone=phone, step=step
        )
        request.created_at = at
        return request.id


def test_a_kiosk_records_a_mobile_or_a_landline_typed_any_way_as_e164(client, db, kiosk):
    typed = {
        "06 12 34 56 78": "+33612345678",
        "06.12.34.56.78": "+33612345678",
        "+33 3 27 00 00 00": "+33327000000",
        "0327000000": "+33327000000",
        "03.27.00.00.00": "+33327000000",
        "09 12 34 56 78": "+33912345678",  # a home box rings like a landline
        "0590 87 57 49": "+590590875749",  # a landline in Guadeloupe
        "0692 12 34 56": "+262692123456",  # a mobile in La Réunion
        "+687 26 12 34": "+687261234",  # New Caledonia: called abroad, but French
    }
    ids = []
    for text in typed:
        answer = _post(client, text, key=f"k-{text}")
        assert answer.status_code == 201, answer.text
        assert set(answer.json()) == {"id"}
        ids.append(answer.json()["id"])
    stored = _stored(db)
    assert [r.id for r in stored] == ids
    assert [r.phone for r in stored] == list(typed.values())
    assert {(r.kiosk_id, r.step, r.done_at) for r in stored} == {(kiosk.id, "booking.slot", None)}


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("08 92 12 34 56", "not_callable", "numéro spécial"),  # premium rate
        ("08 00 12 34 56", "not_callable", "numéro spécial"),  # toll free
        ("3949", "invalid", "Un numéro de téléphone a 10 chiffres"),
        ("", "invalid", "Écrivez votre numéro de téléphone"),
        ("+32 470 12 34 56", "invalid", "numéro de téléphone français"),
        ("06 12 34 56 78 9", "invalid", "10 chiffres"),
        ("appelez-moi", "invalid", "seulement des chiffres"),
    ],
)
def test_a_number_that_cannot_be_called_back_is_refused_in_french(
    client, db, text: str, error: str, words: str
):
    answer = _post(client, text)
    assert answer.status_code == 422
    body = answer.json()
    assert (body["error"], body["field"]) == (error, "phone")
    assert words in body["message"]
    assert "Traceback" not in answer.text
    assert _stored(db) == []


def test_a_special_number_is_refused_with_a_message_naming_the_field(client):
    body = _post(client, "0892 12 34 56").json()
    assert body["message"] == (
        "Ce numéro est un numéro spécial. "
        "Il faut un numéro de portable ou de fixe pour vous rappeler."
    )


def test_a_step_must_be_a_step_id_and_both_fields_have_a_length_limit(client, db):
    for step in ("Mme Dupont a appelé", "", "booking.slot" + ".x" * 30):
        answer = _post(client, "06 12 34 56 78", step=step)
        assert answer.status_code == 422, step
        assert answer.json()["field"] == "step"
        assert answer.json()["message"].startswith("Étape du parcours : ")
    too_long = _post(client, "0" * 41)
    assert too_long.status_code == 422
    assert too_long.json()["field"] == "phone"
    assert _stored(db) == []


def test_a_request_without_a_known_kiosk_token_is_refused(app, db):
    with TestClient(app) as anonymous:
        missing = _post(anonymous, "06 12 34 56 78")
    with TestClient(app, headers={"X-Kiosk-Token": "not-a-kiosk"}) as stranger:
        unknown = _post(stranger, "06 12 34 56 78")
    assert (missing.status_code, missing.json()["error"]) == (401, "kiosk_token_missing")
    assert (unknown.status_code, unknown.json()["error"]) == (401, "kiosk_unknown")
    assert _stored(db) == []


def test_a_retried_post_with_the_same_idempotency_key_records_one_request(client, db):
    first = _post(client, "06 12 34 56 78", key="call-1")
    again = _post(client, "06 12 34 56 78", key="call-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert len(_stored(db)) == 1
    reused = _post(client, "03 27 00 00 00", key="call-1")
    assert (reused.status_code, reused.json()["error"]) == (422, "idempotency_key_reused")
    assert _post(client, "06 12 34 56 78", key="call-2").status_code == 201
    assert len(_stored(db)) == 2


def test_keys_are_per_kiosk(client, app, db):
    with db.writing() as session:
        _other, token = add_kiosk(session, name="Borne de la mairie", commune_insee="59178")
    assert _post(client, "06 12 34 56 78", key="same").status_code == 201
    with TestClient(app, headers={"X-Kiosk-Token": token}) as other:
        assert _post(other, "06 12 34 56 78", key="same").status_code == 201
    assert len({r.kiosk_id for r in _stored(db)}) == 2


def test_the_route_declares_the_idempotency_key_header(client):
    operation = client.get("/openapi.json").json()["paths"][URL]["post"]
    assert "idempotency-key" in {p["name"].lower() for p in operation["parameters"]}


def test_open_requests_come_oldest_first(db, kiosk):
    now = utcnow()
    newest = _record(db, kiosk.id, "06 12 34 56 78", "booking.slot", at=now)
    oldest = _record(db, kiosk.id, "03 27 00 00 00", "sign_in.phone", at=now - timedelta(hours=2))
    middle = _record(db, kiosk.id, "07 81 23 45 67", "welcome.menu", at=now - timedelta(hours=1))
    with db.reading() as session:
        waiting = open_callbacks(session)
        assert [r.id for r in waiting] == [oldest, middle, newest]
        assert waiting[0].kiosk.name == "Borne de test"


def test_marking_done_erases_the_number_and_closes_the_request(db, kiosk):
    called = _record(db, kiosk.id, "06 12 34 56 78", "booking.slot", at=utcnow())
    waiting = _record(db, kiosk.id, "03 27 00 00 00", "booking.slot", at=utcnow())
    with db.writing() as session:
        mark_done(session, called)
    with db.reading() as session:
        done = session.get(CallbackRequest, called)
        assert done.phone is None
        assert done.done_at is not None
        assert [r.id for r in open_callbacks(session)] == [waiting]
    with db.writing() as session:
        assert mark_done(session, called).done_at == done.done_at  # again: nothing changes
    with pytest.raises(ApiError) as unknown, db.writing() as session:
        mark_done(session, waiting + 1000)
    assert (unknown.value.status, unknown.value.error) == (404, "not_found")


def test_a_done_request_keeps_the_number_nowhere_and_no_log_line_holds_it(client, db, caplog):
    caplog.set_level(logging.DEBUG)
    created = _post(client, "06 98 76 54 32", key="private").json()["id"]
    _post(client, "08 92 12 34 56")
    with db.writing() as session:
        mark_done(session, created)
    with db.reading() as session:
        rows = [session.get(CallbackRequest, created), *session.scalars(select(IdempotencyRecord))]
    stored = " ".join(str(vars(row)) for row in rows)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /callbacks 201" in logged  # the access log ran
    for number in ("+33698765432", "0698765432", "98 76 54 32", "0892", "92 12 34 56"):
        assert number not in stored
        assert number not in logged


@pytest.fixture
def cli_env(settings, monkeypatch):  # noqa: ANN001, ANN201
    """The environment `kiosk-server` reads, as the other CLI tests give it."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("KIOSK_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("SMS_FILE_PATH", settings.sms_file_path)
    monkeypatch.delenv("KIOSK_TIMEZONE", raising=False)


def test_the_cli_lists_open_requests_oldest_first_and_marks_one_done(cli_env, db, kiosk, capsys):
    assert main(["callbacks"]) == 0
    assert capsys.readouterr().out == "No call-back request to call.\n"
    # Stored in UTC, shown in Paris time: +1 hour in winter, +2 in summer.
    newer = _record(db, kiosk.id, "+33612345678", "booking.slot", at=datetime(2026, 7, 15, 8, 30))
    older = _record(db, kiosk.id, "0327000000", "sign_in.phone", at=datetime(2026, 1, 15, 8, 30))

    assert main(["callbacks"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{older}  15/01/2026 09:30  03 27 00 00 00  Borne de test  sign_in.phone",
        f"{newer}  15/07/2026 10:30  06 12 34 56 78  Borne de test  booking.slot",
    ]

    assert main(["callbacks", "--done", str(older)]) == 0
    assert str(older) in capsys.readouterr().out
    assert main(["callbacks"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [str(newer)]
    assert main(["callbacks", "--done", str(older)]) == 0  # done twice: still fine


def test_the_cli_refuses_an_unknown_request_id(cli_env, db, capsys):
    assert main(["callbacks", "--done", "999"]) == 2
    captured = capsys.readouterr()
    assert "999" in captured.err
    assert "Traceback" not in captured.err
