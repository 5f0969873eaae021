import json
from email import message_from_bytes, policy

import pytest

from server.config import Settings
from server.delivery import DeliveryError, Outgoing, make_backend
from tests.server.stand_ins import smtp_server

# The local stand-in accepts a login without TLS; real servers use STARTTLS.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

MAIL = Outgoing(
    id=7,
    channel="email",
    recipient="emilie.ndiaye@example.org",
    subject="Rendez-vous confirmé",
    body="Rendez-vous confirmé le mardi 13 octobre 2026 à 14 h 30 avec Docteur Élise Lœw.\n",
)


def _smtp_settings(port: int, **extra) -> Settings:
    return Settings(
        secret_key="k",
        mail_backend="smtp",
        smtp_host="127.0.0.1",
        smtp_port=port,
        mail_from="kiosque-sante@example.org",
        **extra,
    )


def test_smtp_backend_delivers_a_utf8_plain_text_mail():
    with smtp_server() as smtp:
        make_backend(_smtp_settings(smtp.port), "email").send(MAIL)
    [envelope] = smtp.inbox.envelopes
    assert envelope.mail_from == "kiosque-sante@example.org"
    assert envelope.rcpt_tos == ["emilie.ndiaye@example.org"]
    received = message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Subject"] == "Rendez-vous confirmé"
    assert received.get_content_type() == "text/plain"
    assert received.get_content_charset() == "utf-8"
    assert received.get_content().replace("\r\n", "\n") == MAIL.body


def test_smtp_backend_logs_in_when_a_user_is_configured():
    with smtp_server(user="kiosque", password="s3cret") as smtp:
        settings = _smtp_settings(smtp.port, smtp_user="kiosque", smtp_password="s3cret")
        make_backend(settings, "email").send(MAIL)
    assert smtp.logins == [("kiosque", "s3cret")]
    assert len(smtp.inbox.envelopes) == 1


def test_smtp_backend_raises_a_delivery_error_without_the_address_when_login_fails():
    with smtp_server(user="kiosque", password="s3cret") as smtp:
        settings = _smtp_settings(smtp.port, smtp_user="kiosque", smtp_password="wrong")
        with pytest.raises(DeliveryError) as failure:
            make_backend(settings, "email").send(MAIL)
    assert "example.org" not in str(failure.value)
    assert smtp.inbox.envelopes == []


def test_smtp_backend_raises_a_delivery_error_when_the_server_is_down():
    with smtp_server() as smtp:
        port = smtp.port
    with pytest.raises(DeliveryError):
        make_backend(_smtp_settings(port), "email").send(MAIL)


def test_file_mail_backend_writes_subject_and_body_as_a_json_line(tmp_path):
    path = tmp_path / "mail.jsonl"
    make_backend(Settings(secret_key="k", mail_file_path=str(path)), "email").send(MAIL)
    [record] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert record["to"] == MAIL.recipient
    assert record["subject"] == MAIL.subject
    assert record["body"] == MAIL.body


def test_an_unknown_backend_name_is_a_configuration_error():
    with pytest.raises(ValueError):
        make_backend(Settings(secret_key="k", mail_backend="pigeon"), "email")
