"""HTTP client for the server's /api/v1, speaking as this kiosk.

Retries hide short network cuts and restarts (connection errors, 502/503/504) with a growing
pause. A GET is always safe to repeat; a write only when it carries an Idempotency-Key,
because the server then replays its first answer instead of acting twice. When the server
stays out of reach the caller gets `Offline`; a refusal becomes `ServiceError` with the
server's French message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import requests

from kiosk.workflows.services import Offline, ServiceError

PREFIX = "/api/v1"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Answers that mean "not now" rather than "no": the request may be tried again.
_BUSY = frozenset({502, 503, 504})
# The server is still working on the same key (another attempt): wait, then ask again.
_IN_PROGRESS = "idempotency_in_progress"


def to_json(body: Any) -> str:
    """Request bodies as JSON text; dates travel as ISO strings."""
    return json.dumps(body, default=_plain, ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


class Api:
    """One kiosk's HTTP session with the server. `base_url` may be changed (a new address)."""

    def __init__(
        self,
        base_url: str,
        kiosk_token: str,
        *,
        timeout: float | tuple[float, float] = (3.0, 15.0),
        retries: int = 2,
        backoff: float = 0.25,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self._http = requests.Session()
        self._http.headers.update({"X-Kiosk-Token": kiosk_token, "Accept": "application/json"})

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, token: str | None = None
    ) -> Any:
        return self.request("GET", path, params=params, token=token)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        token: str | None = None,
        key: str | None = None,
    ) -> Any:
        """The decoded JSON answer (None for an empty one). `path` is under /api/v1."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers[IDEMPOTENCY_HEADER] = key
        data = to_json(body).encode() if body is not None else None
        repeatable = method == "GET" or key is not None
        url = f"{self.base_url}{PREFIX}{path}"
        for attempt in range(self.retries + 1 if repeatable else 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                answer = self._http.request(
                    method, url, params=params, data=data, headers=headers, timeout=self.timeout
                )
            except requests.RequestException:
                continue
            if answer.status_code in _BUSY or _error_code(answer) == _IN_PROGRESS:
                continue
            return _decoded(answer)
        raise Offline()

    def close(self) -> None:
        self._http.close()


def _error_code(answer: requests.Response) -> str | None:
    if answer.status_code < 400:
        return None
    try:
        return answer.json().get("error")
    except (ValueError, AttributeError):
        return None


def _decoded(answer: requests.Response) -> Any:
    if answer.status_code < 400:
        return answer.json() if answer.content else None
    try:
        error = answer.json()
        code, message, field = error["error"], error["message"], error.get("field")
        details = error.get("details") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        code, message, field = "server_error", "Le service ne répond pas bien. Réessayez.", None
        details = {}
    raise ServiceError(code, message, field, answer.status_code, details)
