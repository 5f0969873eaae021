"""A JSON HTTP SMS gateway: POST {"to", "from", "text", "reference"} with basic auth."""

from __future__ import annotations

import requests

from server.config import Settings
from server.delivery import DeliveryError, Outgoing

TIMEOUT_SECONDS = 10


class HttpSmsBackend:
    def __init__(self, settings: Settings) -> None:
        self.url = settings.sms_http_url
        self.sender = settings.sms_sender
        self.auth = (
            (settings.sms_http_user, settings.sms_http_password) if settings.sms_http_user else None
        )

    def send(self, message: Outgoing) -> None:
        payload = {
            "to": message.recipient,
            "from": self.sender,
            "text": message.body,
            "reference": str(message.id),
        }
        try:
            response = requests.post(
                self.url, json=payload, auth=self.auth, timeout=TIMEOUT_SECONDS
            )
        except requests.RequestException as exc:
            raise DeliveryError(f"gateway unreachable: {type(exc).__name__}") from exc
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"gateway answered HTTP {response.status_code}")
