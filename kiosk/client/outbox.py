"""Writes kept on disk from before they are sent until the server has answered them.

Each write gets its Idempotency-Key when it is queued and keeps it for every attempt, so
a write resent after a crash or a network cut is replayed by the server, never done twice.
A row leaves the outbox only when the server answered (a success or a definitive refusal);
rows are sent in the order they were queued.

The file holds personal data only while a write waits: deleted rows are overwritten
(secure_delete) and `scrub()` empties the write-ahead log, where old copies of pages linger.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.client.api import Api, to_json
from kiosk.workflows.services import Offline, ServiceError

log = logging.getLogger("kiosk.client.outbox")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body TEXT,
    token TEXT
)
"""


@dataclass(frozen=True)
class Write:
    seq: int
    key: str
    method: str
    path: str
    body: Any
    token: str | None


class Outbox:
    """The kiosk's pending writes in a SQLite file; `api` sends them."""

    def __init__(self, path: str | Path, api: Api) -> None:
        self.path, self.api = str(path), api
        self._lock = threading.RLock()  # one connection, shared by threads
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute(_SCHEMA)

    def send(self, method: str, path: str, body: Any = None, *, token: str | None = None) -> Any:
        """Queue a write, then send the queue up to it; its answer, or Offline(queued=True).

        Older writes go first, so the server sees them in the order they were made.
        """
        with self._lock:
            key = self.add(method, path, body, token=token)
            for write in self.pending():
                try:
                    answer = self._deliver(write)
                except Offline:
                    raise Offline(queued=True) from None
                except ServiceError:
                    if write.key == key:
                        raise
                    continue
                if write.key == key:
                    return answer
        raise Offline(queued=True)  # unreachable: the write was queued under the lock

    def add(self, method: str, path: str, body: Any = None, *, token: str | None = None) -> str:
        """Store a write (committed to disk) and return its Idempotency-Key."""
        key = str(uuid.uuid4())
        with self._lock:
            self._db.execute(
                "INSERT INTO pending (key, method, path, body, token) VALUES (?, ?, ?, ?, ?)",
                (key, method, path, None if body is None else to_json(body), token),
            )
        return key

    def drain(self) -> int:
        """Send the waiting writes in order; stops at the first network failure.

        Returns how many the server answered. Refusals are dropped (the person who made them
        has gone; resending cannot change the answer).
        """
        answered = 0
        with self._lock:
            for write in self.pending():
                try:
                    self._deliver(write)
                except Offline:
                    break
                except ServiceError as error:
                    log.info("queued write refused: %s %s", error.status, error.code)
                answered += 1
            if answered:
                self.scrub()
        return answered

    def pending(self) -> list[Write]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, key, method, path, body, token FROM pending ORDER BY seq"
            ).fetchall()
        return [
            Write(seq, key, method, path, None if body is None else json.loads(body), token)
            for seq, key, method, path, body, token in rows
        ]

    def scrub(self) -> None:
        """Leave no trace of answered writes in the files (the WAL keeps old page copies)."""
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._db.close()

    def _deliver(self, write: Write) -> Any:
        """Send one write; forget it once the server has answered, whatever the answer."""
        try:
            answer = self.api.request(
                write.method, write.path, body=write.body, token=write.token, key=write.key
            )
        except ServiceError:
            self._forget(write)
            raise
        self._forget(write)
        return answer

    def _forget(self, write: Write) -> None:
        with self._lock:
            self._db.execute("DELETE FROM pending WHERE seq = ?", (write.seq,))
