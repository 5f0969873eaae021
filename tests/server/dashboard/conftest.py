"""A counsellor of the centre, and a browser signed in to the dashboard as them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pyotp
import pytest
from fastapi.testclient import TestClient

from server.services import counsellors

PASSWORD = "cheval correct agrafe"


@dataclass(frozen=True)
class Enrolled:
    id: int
    login: str
    name: str
    password: str
    secret: str


@pytest.fixture
def camille(db) -> Enrolled:  # noqa: ANN001
    with db.writing() as session:
        enrolment = counsellors.add(session, login="camille", name="Camille", password=PASSWORD)
    return Enrolled(enrolment.counsellor_id, "camille", "Camille", PASSWORD, enrolment.secret)


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """The authenticator app's code, now or a 30-second step later (a step is used once)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def sign_in(browser, who: Enrolled, *, steps_ahead: int = 0) -> None:  # noqa: ANN001
    """Both steps through the forms, as a browser does; the cookie stays in `browser`."""
    password = browser.post(
        "/conseil/connexion", data={"login": who.login, "password": who.password}
    )
    assert password.status_code == 303, password.text
    assert password.headers["location"] == "/conseil/code"
    code = browser.post("/conseil/code", data={"code": code_for(who.secret, steps_ahead)})
    assert code.status_code == 303, code.text
    assert code.headers["location"] == "/conseil/"


@pytest.fixture
def browser(app) -> Iterator[TestClient]:  # noqa: ANN001
    """A browser with no session yet; it does not follow redirections, so tests see them."""
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def desk(browser: TestClient, camille: Enrolled) -> TestClient:
    """The browser, signed in as Camille."""
    sign_in(browser, camille)
    return browser
