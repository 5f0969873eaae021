"""The home page's live stream (server-sent events), read from a real server over HTTP.

Every read has a timeout and every loop a deadline: a broken stream fails, never hangs.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server.dashboard import reading
from tests.server.dashboard.conftest import sign_in

# Pages: one database is enough here; the services beneath them (presence, help requests,
# workshop, assistance, counsellors) are tested on SQLite and PostgreSQL in their own files.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def watcher(live_server, camille) -> Iterator[httpx.Client]:  # noqa: ANN001
    """A browser signed in to the real server."""
    with httpx.Client(base_url=live_server, follow_redirects=False, timeout=10) as browser:
        sign_in(browser, camille)
        yield browser


def test_the_stream_sends_the_live_part_then_again_when_a_visitor_asks_for_help(
    live_server, watcher, kiosk
):
    with watcher.stream("GET", "/conseil/flux") as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = reading.events(stream)
        _, first = next(events)
        assert "Aucune demande d'aide pour le moment." in first
        assert "Borne de test" in first
        asked = httpx.post(
            f"{live_server}/api/v1/help-requests",
            json={"step": "booking.slot"},
            headers={"X-Kiosk-Token": kiosk.token},
            timeout=10,
        )
        assert asked.status_code == 201
        request_id = asked.json()["id"]
        _, fragment = reading.until(events, lambda event: f'data-aide="{request_id}"' in event[1])
        assert '<h2 id="aide">Demandes d\'aide</h2>' in fragment
        assert "booking.slot" in fragment
        assert "<html" not in fragment  # the live part only, not the page


def test_the_stream_tells_the_page_when_the_session_has_ended_then_stops(watcher):
    with watcher.stream("GET", "/conseil/flux") as stream:
        events = reading.events(stream)
        next(events)
        assert watcher.post("/conseil/deconnexion").status_code == 303
        name, _ = reading.until(events, lambda event: event[0] == "expired")
        assert name == "expired"
        assert list(events) == []  # the server closed the stream


def test_the_stream_needs_a_complete_session(live_server):
    with httpx.Client(base_url=live_server, follow_redirects=False, timeout=10) as anonymous:
        answer = anonymous.get("/conseil/flux")
    assert (answer.status_code, answer.headers["location"]) == (303, "/conseil/connexion")
