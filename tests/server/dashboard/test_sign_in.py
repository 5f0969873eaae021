"""Signing in to the dashboard through its forms, and what a page needs before it opens."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from server.clock import utcnow
from server.models import CounsellorSession
from tests.server.dashboard.conftest import code_for, sign_in

# Pages: one database is enough here; the services beneath them (presence, help requests,
# workshop, assistance, counsellors) are tested on SQLite and PostgreSQL in their own files.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PAGES = ["/conseil/", "/conseil/statistiques", "/conseil/flux"]


def _field(html: str, name: str) -> str:
    return re.search(rf'<input id="{name}"[^>]*>', html).group(0)


def test_every_page_sends_a_browser_without_a_session_to_the_sign_in_page(browser):
    for path in [*PAGES, "/conseil/code"]:
        answer = browser.get(path)
        assert (answer.status_code, answer.headers["location"]) == (303, "/conseil/connexion")
    for path in ("/conseil/aide/1/j-arrive", "/conseil/aide/1/termine", "/conseil/rappels/1/fait"):
        assert browser.post(path).headers["location"] == "/conseil/connexion"


def test_the_sign_in_page_labels_its_fields_for_password_managers(browser):
    page = browser.get("/conseil/connexion")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert '<label for="login">Identifiant</label>' in page.text
    assert 'autocomplete="username"' in _field(page.text, "login")
    assert 'autocomplete="current-password"' in _field(page.text, "password")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert "<script" not in page.text and "style=" not in page.text


def test_a_wrong_password_is_said_beside_the_field_and_keeps_the_login_not_the_password(
    browser, camille
):
    answer = browser.post(
        "/conseil/connexion", data={"login": "camille", "password": "pas le bon mot de passe"}
    )
    assert answer.status_code == 200  # the form again: an error status shows in consoles
    password = _field(answer.text, "password")
    assert 'aria-describedby="password-erreur"' in password and 'aria-invalid="true"' in password
    assert "value=" not in password
    assert 'value="camille"' in _field(answer.text, "login")
    error = re.search(r'<p id="password-erreur"[^>]*>(.*?)</p>', answer.text).group(1)
    assert "mot de passe est faux" in error.replace("&#39;", "'")
    assert "conseil_session" not in answer.headers.get("set-cookie", "")


def test_an_empty_login_is_asked_for_beside_its_field(browser):
    answer = browser.post("/conseil/connexion", data={"login": " ", "password": "x"})
    assert 'aria-describedby="login-erreur"' in _field(answer.text, "login")
    assert "Écrivez votre identifiant." in answer.text


def test_the_session_cookie_is_http_only_strict_and_limited_to_the_dashboard(browser, camille):
    answer = browser.post(
        "/conseil/connexion", data={"login": camille.login, "password": camille.password}
    )
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("conseil_session=")
    for attribute in ("HttpOnly", "Path=/conseil", "SameSite=strict"):
        assert attribute in cookie
    assert "Secure" not in cookie  # plain http here; over https the cookie is Secure
    secure = browser.post(
        "https://testserver/conseil/connexion",
        data={"login": camille.login, "password": camille.password},
    )
    assert "Secure" in secure.headers["set-cookie"]


def test_a_password_alone_opens_the_code_page_and_nothing_else(browser, camille):
    browser.post("/conseil/connexion", data={"login": camille.login, "password": camille.password})
    code_page = browser.get("/conseil/code")
    assert code_page.status_code == 200
    code = _field(code_page.text, "code")
    assert 'autocomplete="one-time-code"' in code and 'inputmode="numeric"' in code
    for path in PAGES:
        assert browser.get(path).headers["location"] == "/conseil/connexion"
    assert browser.post("/conseil/aide/1/j-arrive").headers["location"] == "/conseil/connexion"


def test_a_wrong_code_is_said_beside_the_field_and_the_right_one_opens_the_dashboard(
    browser, camille
):
    browser.post("/conseil/connexion", data={"login": camille.login, "password": camille.password})
    wrong = "000000" if code_for(camille.secret) != "000000" else "111111"
    refused = browser.post("/conseil/code", data={"code": wrong})
    assert refused.status_code == 200
    assert 'aria-describedby="code-aide code-erreur"' in _field(refused.text, "code")
    assert "Ce code est faux" in refused.text
    accepted = browser.post("/conseil/code", data={"code": code_for(camille.secret)})
    assert accepted.headers["location"] == "/conseil/"
    home = browser.get("/conseil/")
    assert home.status_code == 200
    assert "<h1>Bornes du centre</h1>" in home.text
    assert "Compte : Camille" in home.text
    assert browser.get("/conseil/connexion").headers["location"] == "/conseil/"


def test_the_cookie_of_the_password_step_is_worthless_once_the_code_is_given(browser, camille):
    browser.post("/conseil/connexion", data={"login": camille.login, "password": camille.password})
    pending = browser.cookies["conseil_session"]
    browser.post("/conseil/code", data={"code": code_for(camille.secret)})
    assert browser.cookies["conseil_session"] != pending
    browser.cookies.clear()
    browser.cookies.set("conseil_session", pending, path="/conseil")
    assert browser.get("/conseil/").headers["location"] == "/conseil/connexion"


def test_an_expired_session_says_so_on_the_sign_in_page(desk, db):
    with db.writing() as session:
        session.query(CounsellorSession).one().last_seen_at = utcnow() - timedelta(minutes=16)
    answer = desk.get("/conseil/statistiques")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/conseil/connexion?expiree=1"
    assert 'conseil_session=""' in answer.headers["set-cookie"]  # the browser forgets it
    page = desk.get(answer.headers["location"])
    assert "Votre session a expiré. Connectez-vous à nouveau." in page.text


def test_signing_out_ends_the_session(desk, camille):
    token = desk.cookies["conseil_session"]
    answer = desk.post("/conseil/deconnexion")
    assert answer.headers["location"] == "/conseil/connexion?sortie=1"
    desk.cookies.clear()
    desk.cookies.set("conseil_session", token, path="/conseil")
    assert desk.get("/conseil/").headers["location"] == "/conseil/connexion"
    sign_in(desk, camille, steps_ahead=1)  # the next step's code: each is used once
    assert desk.get("/conseil/").status_code == 200


@pytest.mark.parametrize("path", ["/conseil/connexion", "/conseil/deconnexion"])
def test_a_form_posted_from_another_site_is_refused(desk, camille, path):
    foreign = desk.post(
        path,
        data={"login": camille.login, "password": camille.password},
        headers={"Origin": "https://autre-site.example"},
    )
    assert foreign.status_code == 403
    assert "vient d'un autre site" in foreign.text.replace("&#39;", "'")
    assert desk.get("/conseil/").status_code == 200  # the session is untouched


def test_a_form_posted_from_the_dashboard_itself_is_accepted(desk):
    answer = desk.post("/conseil/deconnexion", headers={"Origin": "http://testserver"})
    assert answer.status_code == 303


def test_no_log_line_holds_a_password_a_code_or_a_token(browser, camille, caplog):
    caplog.set_level(logging.DEBUG)
    browser.post("/conseil/connexion", data={"login": "camille", "password": "mauvais essai"})
    browser.post("/conseil/connexion", data={"login": camille.login, "password": camille.password})
    code = code_for(camille.secret)
    browser.post("/conseil/code", data={"code": code})
    browser.get("/conseil/")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /conseil/code 303" in logged  # the access log ran
    secrets = [camille.password, "mauvais essai", code, camille.secret]
    secrets.append(browser.cookies["conseil_session"])
    assert [s for s in secrets if s in logged] == []
