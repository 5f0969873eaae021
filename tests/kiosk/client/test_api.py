"""The HTTP client: refusals (code, French words, details); Offline when out of reach."""

from __future__ import annotations

import pytest

from kiosk.client.api import Api
from kiosk.workflows.services import Offline, ServiceError
from tests.kiosk.client.conftest import closed_port_url, make_api


def test_every_call_speaks_as_the_kiosk(api: Api) -> None:
    assert api.get("/communes", {"q": "douai"})[0]["name"] == "Douai"


def test_an_unknown_kiosk_is_refused_in_french(live_server: str) -> None:
    stranger = make_api(live_server, "not-a-kiosk-token")
    with pytest.raises(ServiceError) as refused:
        stranger.get("/communes", {"q": "douai"})
    assert (refused.value.status, refused.value.code) == (401, "kiosk_unknown")
    assert refused.value.message == "Cette borne n'est pas reconnue."


def test_a_bad_field_is_named_in_the_refusal(api: Api) -> None:
    with pytest.raises(ServiceError) as refused:
        api.get("/practitioners", {"limit": 500})
    assert (refused.value.status, refused.value.field) == (422, "limit")
    assert refused.value.message


def test_a_server_out_of_reach_is_offline_for_reads_and_writes(kiosk) -> None:
    down = make_api(closed_port_url(), kiosk.token)
    with pytest.raises(Offline) as read:
        down.get("/communes", {"q": "douai"})
    with pytest.raises(Offline) as write:
        down.request("POST", "/verifications", body={"phone": "0612345678"})
    assert not read.value.queued and not write.value.queued


def test_what_a_refusal_depends_on_comes_with_it(api: Api) -> None:
    sent = api.request("POST", "/verifications", body={"phone": "0612345678"})
    with pytest.raises(ServiceError) as refused:
        check = f"/verifications/{sent['verification_id']}/check"
        api.request("POST", check, body={"code": "000000"})
    assert (refused.value.code, refused.value.details) == ("wrong_code", {"tries_left": 4})
