"""More kiosks writing at once than the server has worker threads: every one is answered.

Routes used to write through a dependency whose commit ran in another worker thread after the
route returned; with more simultaneous writers than threads, every thread then waited for the
SQLite writer lock held by a transaction that no thread was left to commit.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from server.db import Database
from server.services.kiosks import add_kiosk

AT_ONCE = 20  # the server runs 8 worker threads


def _kiosks(db: Database, count: int) -> list[str]:
    with db.writing() as session:
        return [
            add_kiosk(session, name=f"Borne {n}", commune_insee="59178")[1] for n in range(count)
        ]


def test_twenty_kiosks_asking_for_sms_codes_at_once_are_all_answered(
    live_server: str, db: Database
) -> None:
    tokens = _kiosks(db, AT_ONCE)

    def ask(n: int) -> int:
        answer = requests.post(
            f"{live_server}/api/v1/verifications",
            json={"phone": f"06 12 34 56 {n:02d}"},
            headers={"X-Kiosk-Token": tokens[n]},
            timeout=25,
        )
        return answer.status_code

    with ThreadPoolExecutor(AT_ONCE) as pool:
        assert list(pool.map(ask, range(AT_ONCE))) == [201] * AT_ONCE


def test_twenty_kiosks_reporting_at_once_are_all_answered(live_server: str, db: Database) -> None:
    tokens = _kiosks(db, AT_ONCE)

    def report(token: str) -> int:
        answer = requests.put(
            f"{live_server}/api/v1/kiosk/presence",
            json={"printer": "ready", "step": "booking.slot"},
            headers={"X-Kiosk-Token": token},
            timeout=25,
        )
        return answer.status_code

    with ThreadPoolExecutor(AT_ONCE) as pool:
        assert list(pool.map(report, tokens)) == [200] * AT_ONCE
