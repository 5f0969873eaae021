import base64
import json

import pytest

from server.config import Settings
from server.delivery import DeliveryError, JsonLinesBackend, Outgoing, make_backend
from server.sms.file import last_message, messages_to
from server.sms.http import HttpSmsBackend
from tests.server.stand_ins import sms_gateway

MESSAGE = Outgoing(id=42, channel="sms", recipient="+33612345678", body="Votre code : 123456.")


def _http_settings(url: str, **extra) -> Settings:
    fields = {"sms_http_user": "kiosque", "sms_http_password": "s3cret", "sms_sender": "SANTE"}
    return Settings(secret_key="k", sms_backend="http", sms_http_url=url, **(fields | extra))


def test_http_backend_posts_json_with_basic_auth_to_the_gateway():
    with sms_gateway() as gateway:
        make_backend(_http_settings(gateway.url), "sms").send(MESSAGE)
    [request] = gateway.requests
    assert request["path"] == "/sms/send"
    assert request["json"] == {
        "to": "+33612345678",
        "from": "SANTE",
        "text": "Votre code : 123456.",
        "reference": "42",
    }
    assert request["headers"]["Content-Type"] == "application/json"
    expected = base64.b64encode(b"kiosque:s3cret").decode()
    assert request["headers"]["Authorization"] == f"Basic {expected}"


def test_http_backend_raises_a_delivery_error_without_personal_data_when_the_gateway_fails():
    with sms_gateway(statuses=[503]) as gateway, pytest.raises(DeliveryError) as failure:
        HttpSmsBackend(_http_settings(gateway.url)).send(MESSAGE)
    assert str(failure.value) == "gateway answered HTTP 503"


def test_http_backend_raises_a_delivery_error_when_the_gateway_is_unreachable():
    with sms_gateway() as gateway:
        url = gateway.url  # the server is closed once the block ends
    with pytest.raises(DeliveryError) as failure:
        HttpSmsBackend(_http_settings(url)).send(MESSAGE)
    assert "+336" not in str(failure.value)


def test_http_backend_sends_no_credentials_when_none_are_configured():
    with sms_gateway() as gateway:
        HttpSmsBackend(_http_settings(gateway.url, sms_http_user="")).send(MESSAGE)
    assert "Authorization" not in gateway.requests[0]["headers"]


def test_file_backend_appends_one_json_line_per_message(tmp_path):
    path = tmp_path / "sub" / "sms.jsonl"
    backend = make_backend(Settings(secret_key="k", sms_file_path=str(path)), "sms")
    backend.send(MESSAGE)
    backend.send(Outgoing(id=43, channel="sms", recipient="+33698765432", body="Émilie œ 😀"))
    first, second = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    assert first["to"] == "+33612345678" and first["body"] == MESSAGE.body and first["id"] == 42
    assert first["sent_at"].endswith("+00:00")
    assert second["body"] == "Émilie œ 😀"


@pytest.mark.parametrize(
    "typed",
    [
        "+33612345678",
        "0612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033612345678",
        "0033 6 12 34 56 78",
    ],
)
def test_last_message_finds_a_phone_however_it_is_typed(tmp_path, typed):
    backend = JsonLinesBackend(tmp_path / "sms.jsonl")
    backend.send(Outgoing(id=1, channel="sms", recipient="+33612345678", body="premier"))
    backend.send(Outgoing(id=2, channel="sms", recipient="+33699999999", body="autre personne"))
    backend.send(Outgoing(id=3, channel="sms", recipient="+33612345678", body="dernier"))
    assert last_message(tmp_path / "sms.jsonl", typed)["body"] == "dernier"


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("+262692123456", "0692 12 34 56"),
        ("+262692123456", "+262 692 12 34 56"),
        ("+590690123456", "06 90 12 34 56"),
        ("+590690123456", "00590690123456"),
    ],
)
def test_last_message_finds_overseas_mobiles_in_national_and_international_forms(
    tmp_path, stored, typed
):
    JsonLinesBackend(tmp_path / "sms.jsonl").send(
        Outgoing(id=1, channel="sms", recipient=stored, body="outre-mer")
    )
    assert last_message(tmp_path / "sms.jsonl", typed)["body"] == "outre-mer"


def test_last_message_is_none_for_an_unknown_number_or_a_missing_file(tmp_path):
    path = tmp_path / "sms.jsonl"
    assert last_message(path, "06 12 34 56 78") is None
    JsonLinesBackend(path).send(MESSAGE)
    assert last_message(path, "07 00 00 00 00") is None
    assert [m["id"] for m in messages_to(path, "0612345678")] == [42]
