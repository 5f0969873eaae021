"""Reading the SMS file outbox: "what did this phone receive?" in workshops and tests."""

from __future__ import annotations

import json
from pathlib import Path

from server.errors import ApiError
from server.services.phones import normalize_mobile


def _key(phone: str) -> str:
    """One form for "06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678", "0692…", "+262 692…"."""
    try:
        return normalize_mobile(phone)
    except ApiError:
        return "".join(char for char in phone if char.isdigit())


def messages_to(path: str | Path, phone: str) -> list[dict]:
    """Every message written to the file for this phone number, in any format, oldest first."""
    path = Path(path)
    if not path.exists():
        return []
    wanted = _key(phone)
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [record for record in records if _key(record["to"]) == wanted]


def last_message(path: str | Path, phone: str) -> dict | None:
    """The last message written to the file for this phone number, or None."""
    found = messages_to(path, phone)
    return found[-1] if found else None
