"""The counsellor service: passwords, the second step, guessing limits and time-outs."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from server.clock import utcnow
from server.models import Counsellor, CounsellorSession
from server.services import counsellors
from server.services.counsellors import (
    LOCKED,
    WRONG_CODE,
    WRONG_PASSWORD,
    CounsellorError,
    Refusal,
    Status,
)
from tests.server.dashboard.conftest import PASSWORD, code_for


def _password(db, login: str, password: str) -> str | Refusal:  # noqa: ANN001
    with db.writing() as session:
        return counsellors.check_password(session, login, password)


def _code(db, token: str, settings, code: str) -> str | Refusal:  # noqa: ANN001
    with db.reading() as session:
        found = counsellors.check_session(session, token, settings)
    with db.writing() as session:
        return counsellors.check_code(session, found.session_id, code)


def _status(db, token: str, settings) -> Status:  # noqa: ANN001
    with db.reading() as session:
        return counsellors.check_session(session, token, settings).status


def _wrong_code(secret: str) -> str:
    """A code that belongs to none of the steps accepted now."""
    valid = {code_for(secret, offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _signed_in(db, camille, settings) -> str:  # noqa: ANN001
    token = _password(db, camille.login, camille.password)
    return _code(db, token, settings, code_for(camille.secret))


# ------------------------------------------------------------------ passwords


def test_a_password_hash_names_scrypt_and_its_cost_and_salts_each_password():
    first, second = counsellors.hash_password(PASSWORD), counsellors.hash_password(PASSWORD)
    assert first.split("$")[:4] == ["scrypt", "16384", "8", "1"]
    assert first != second  # a new salt each time
    assert PASSWORD not in first
    assert counsellors.verify_password(first, PASSWORD)
    assert counsellors.verify_password(second, PASSWORD)
    assert not counsellors.verify_password(first, PASSWORD + "x")
    assert not counsellors.verify_password("not a hash", PASSWORD)


def test_a_counsellor_gets_a_totp_secret_and_an_otpauth_uri_for_kiosque_sante(db):
    with db.writing() as session:
        enrolment = counsellors.add(
            session, login=" Dominique ", name="Dominique", password="douze caractères"
        )
    assert enrolment.login == "dominique"
    assert len(enrolment.secret) == 32
    parsed = pyotp.parse_uri(enrolment.uri)
    assert parsed.secret == enrolment.secret
    assert parsed.issuer == "Kiosque santé"
    assert parsed.name == "dominique"
    with db.reading() as session:
        stored = session.get(Counsellor, enrolment.counsellor_id)
        assert stored.password_hash.startswith("scrypt$")
        assert counsellors.verify_password(stored.password_hash, "douze caractères")


@pytest.mark.parametrize(
    ("login", "name", "password", "says"),
    [
        ("ca", "Camille", "onze caract", "12 caractères"),
        ("é", "Camille", PASSWORD, "identifiant"),
        ("camille", "", PASSWORD, "nom"),
    ],
)
def test_adding_a_counsellor_refuses_short_passwords_odd_logins_and_empty_names(
    db, login, name, password, says
):
    with db.writing() as session, pytest.raises(CounsellorError, match=says):
        counsellors.add(session, login=login, name=name, password=password)


def test_a_login_is_given_once(db, camille):
    with db.writing() as session, pytest.raises(CounsellorError, match="existe déjà"):
        counsellors.add(session, login="CAMILLE", name="Autre", password=PASSWORD)


def test_an_unknown_login_and_a_wrong_password_get_the_same_answer(db, camille):
    unknown = _password(db, "personne", PASSWORD)
    wrong = _password(db, camille.login, "pas le bon mot de passe")
    assert unknown == wrong == Refusal("password", WRONG_PASSWORD)


# ------------------------------------------------------------- the second step


def test_the_password_opens_a_session_that_only_waits_for_the_code(db, camille, settings):
    token = _password(db, camille.login, camille.password)
    assert isinstance(token, str)
    assert _status(db, token, settings) is Status.PENDING
    with db.reading() as session:
        stored = session.query(CounsellorSession).one()
        assert stored.second_factor_at is None
        assert stored.token_hash != token and len(stored.token_hash) == 64


def test_the_code_completes_the_session_under_a_new_token(db, camille, settings):
    pending = _password(db, camille.login, camille.password)
    complete = _code(db, pending, settings, code_for(camille.secret))
    assert isinstance(complete, str)
    assert _status(db, complete, settings) is Status.COMPLETE
    assert _status(db, pending, settings) is Status.NONE  # the token seen before is worthless


def test_a_code_may_be_typed_with_spaces_and_from_the_previous_step(db, camille, settings):
    pending = _password(db, camille.login, camille.password)
    typed = code_for(camille.secret, -1)
    assert isinstance(_code(db, pending, settings, f" {typed[:3]} {typed[3:]} "), str)


def test_a_code_is_never_accepted_twice(db, camille, settings):
    code = code_for(camille.secret)
    first = _password(db, camille.login, camille.password)
    assert isinstance(_code(db, first, settings, code), str)
    second = _password(db, camille.login, camille.password)
    assert _code(db, second, settings, code) == Refusal("code", WRONG_CODE)
    # Nor a code of an earlier step: only the steps after the last one used are open.
    assert _code(db, second, settings, code_for(camille.secret, -1)) == Refusal("code", WRONG_CODE)
    assert isinstance(_code(db, second, settings, code_for(camille.secret, 1)), str)


def test_a_wrong_code_or_one_of_the_wrong_length_is_refused(db, camille, settings):
    pending = _password(db, camille.login, camille.password)
    assert _code(db, pending, settings, _wrong_code(camille.secret)).message == WRONG_CODE
    assert _code(db, pending, settings, "12345").field == "code"
    assert "6 chiffres" in _code(db, pending, settings, "abcdef").message
    assert _status(db, pending, settings) is Status.PENDING


# ------------------------------------------------------------- guessing limits


def test_five_wrong_passwords_lock_the_login_for_15_minutes(db, camille):
    for _ in range(5):
        assert _password(db, camille.login, "mauvais mot de passe").message == WRONG_PASSWORD
    assert _password(db, camille.login, camille.password) == Refusal("password", LOCKED)
    with db.writing() as session:
        counsellor = session.get(Counsellor, camille.id)
        assert timedelta(minutes=14) < counsellor.locked_until - utcnow() <= timedelta(minutes=15)
        counsellor.locked_until = utcnow() - timedelta(seconds=1)  # 15 minutes later
    assert isinstance(_password(db, camille.login, camille.password), str)


def test_a_locked_login_answers_as_an_unknown_one_to_whom_does_not_know_its_password(db, camille):
    """Otherwise "Trop d'essais" would tell that the login exists."""
    for _ in range(7):
        _password(db, camille.login, "mauvais mot de passe")
        unknown = _password(db, "personne.inconnue", "mauvais mot de passe")
    assert _password(db, camille.login, "mauvais mot de passe") == unknown
    assert unknown == Refusal("password", WRONG_PASSWORD)
    assert _password(db, camille.login, camille.password) == Refusal("password", LOCKED)


def test_wrong_passwords_spread_over_more_than_15_minutes_do_not_lock(db, camille):
    for _ in range(4):
        _password(db, camille.login, "mauvais mot de passe")
    with db.writing() as session:
        session.get(Counsellor, camille.id).first_failure_at -= timedelta(minutes=16)
    assert _password(db, camille.login, "mauvais mot de passe").message == WRONG_PASSWORD
    assert isinstance(_password(db, camille.login, camille.password), str)


def test_wrong_codes_count_with_wrong_passwords_and_lock_the_login(db, camille, settings):
    _password(db, camille.login, "mauvais mot de passe")
    pending = _password(db, camille.login, camille.password)  # a right password resets nothing
    wrong = _wrong_code(camille.secret)
    for _ in range(3):
        assert _code(db, pending, settings, wrong).message == WRONG_CODE
    assert _code(db, pending, settings, wrong).message == LOCKED
    assert _code(db, pending, settings, code_for(camille.secret)).message == LOCKED


def test_signing_in_completely_clears_the_count_of_failures(db, camille, settings):
    for _ in range(4):
        _password(db, camille.login, "mauvais mot de passe")
    assert isinstance(_signed_in(db, camille, settings), str)
    for _ in range(4):
        assert _password(db, camille.login, "mauvais mot de passe").message == WRONG_PASSWORD


# ------------------------------------------------------------------ time-outs


def test_a_session_ends_after_15_minutes_without_activity(db, camille, settings):
    token = _signed_in(db, camille, settings)
    with db.writing() as session:
        session.query(CounsellorSession).one().last_seen_at = utcnow() - timedelta(minutes=14)
    assert _status(db, token, settings) is Status.COMPLETE
    with db.writing() as session:
        session.query(CounsellorSession).one().last_seen_at = utcnow() - timedelta(minutes=16)
    assert _status(db, token, settings) is Status.EXPIRED


def test_a_session_ends_after_8_hours_even_when_in_use(db, camille, settings):
    token = _signed_in(db, camille, settings)
    with db.writing() as session:
        stored = session.query(CounsellorSession).one()
        stored.created_at = utcnow() - timedelta(hours=8, minutes=1)
        stored.last_seen_at = utcnow()
    assert _status(db, token, settings) is Status.EXPIRED


def test_activity_moves_the_idle_deadline(db, camille, settings):
    token = _signed_in(db, camille, settings)
    with db.writing() as session:
        session.query(CounsellorSession).one().last_seen_at = utcnow() - timedelta(minutes=10)
    with db.reading() as session:
        found = counsellors.check_session(session, token, settings)
    assert found.needs_touch
    with db.writing() as session:
        counsellors.touch(session, found.session_id)
    with db.reading() as session:
        assert utcnow() - session.query(CounsellorSession).one().last_seen_at < timedelta(seconds=5)


def test_signing_out_or_being_disabled_ends_the_session(db, camille, settings):
    token = _signed_in(db, camille, settings)
    with db.writing() as session:
        counsellors.sign_out(session, token)
    assert _status(db, token, settings) is Status.NONE
    other = _password(db, camille.login, camille.password)  # with the next step's code
    other = _code(db, other, settings, code_for(camille.secret, 1))
    with db.writing() as session:
        counsellors.disable(session, "camille")
    assert _status(db, other, settings) is Status.NONE
    assert _password(db, camille.login, camille.password).message == WRONG_PASSWORD


def test_disabling_an_unknown_login_says_so(db):
    with db.writing() as session, pytest.raises(CounsellorError, match="personne"):
        counsellors.disable(session, "personne")
