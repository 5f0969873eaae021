"""The counsellors' dashboard: how soon a visitor's call for help is on the counsellor's
screen, and how soon the kiosk hears "J'arrive", with the centre's kiosks reporting.

The real server runs under uvicorn on 127.0.0.1. KIOSKS kiosks report every 5 s, as
kiosk/client/presence.py does; the counsellor's page is signed in (password and TOTP) and
listens to /conseil/flux. For each call: POST /help-requests, then the time until the stream
sends a live part holding that request; the counsellor answers J'arrive, then the time until
a kiosk reporting as the kiosk does while its visitor waits (every second) hears the name.
"""

from __future__ import annotations

import queue
import random
import threading
import time

import pyotp
import requests

from bench.common import summary_ms
from bench.databases import fresh_database, start_server
from server.db import Database
from server.services import counsellors
from server.services.kiosks import add_kiosk

KIOSKS = 20
CALLS = 20
REPORT_EVERY = 5.0  # seconds, kiosk/client/presence.py: Presence(every_seconds)
WAITING_EVERY = 1.0  # seconds, while a visitor waits for a counsellor (presence.WAITING_EVERY)
PASSWORD = "mesure du tableau de bord"
PHASES = random.Random(59178)  # where in its 5-s period each kiosk is: fixed, so runs compare
TARGET = "help on the dashboard p95 ≤ 2 s; J'arrive heard by the kiosk p95 ≤ 2 s"


def run() -> list[dict]:
    return [_run(kind) for kind in ("sqlite", "postgresql")]


def _run(kind: str) -> dict:
    with fresh_database(kind) as url:
        tokens, secret = _setup(url)
        server, base = start_server(url)
        stop = threading.Event()
        try:
            desk = _signed_in(base, secret)
            events: queue.Queue[tuple[float, str]] = queue.Queue()
            threading.Thread(target=_listen, args=(desk, base, events, stop), daemon=True).start()
            reports: list[float] = []
            for token in tokens[1:]:
                threading.Thread(
                    target=_report_forever, args=(base, token, reports, stop), daemon=True
                ).start()
            time.sleep(1.0)  # the stream is open, the kiosks have reported once
            shown, heard = _calls(base, tokens[0], desk, events)
        finally:
            stop.set()
            server.terminate()
            server.wait(timeout=30)
    return {
        "benchmark": "dashboard",
        "database": kind,
        "kiosks": KIOSKS,
        "calls": CALLS,
        "help_on_dashboard": summary_ms(shown),
        "coming_heard_by_kiosk": summary_ms(heard),
        "presence_report": summary_ms(reports),
        "target": TARGET,
    }


def _setup(url: str) -> tuple[list[str], str]:
    db = Database(url, pool_size=2)
    with db.writing() as session:
        tokens = [
            add_kiosk(session, name=f"Borne {n}", commune_insee="59178")[1] for n in range(KIOSKS)
        ]
        enrolment = counsellors.add(session, login="mesure", name="Camille", password=PASSWORD)
    db.dispose()
    return tokens, enrolment.secret


def _signed_in(base: str, secret: str) -> requests.Session:
    desk = requests.Session()
    desk.post(f"{base}/conseil/connexion", data={"login": "mesure", "password": PASSWORD})
    answer = desk.post(f"{base}/conseil/code", data={"code": pyotp.TOTP(secret).now()})
    if not answer.url.endswith("/conseil/"):
        raise RuntimeError("the counsellor could not sign in")
    return desk


def _listen(desk: requests.Session, base: str, events: queue.Queue, stop: threading.Event) -> None:
    """Each event of the stream, with the time its last line arrived."""
    while not stop.is_set():
        with desk.get(f"{base}/conseil/flux", stream=True, timeout=(3, 30)) as stream:
            data: list[str] = []
            for line in stream.iter_lines(decode_unicode=True):
                if stop.is_set():
                    return
                if line.startswith("data:"):
                    data.append(line[5:])
                elif not line and data:
                    events.put((time.perf_counter(), "\n".join(data)))
                    data = []


def _report_forever(base: str, token: str, took: list[float], stop: threading.Event) -> None:
    http = requests.Session()
    http.headers["X-Kiosk-Token"] = token
    body = {"journey": "Prendre un rendez-vous", "step": "booking.slot", "progress": "4/6"}
    while not stop.is_set():
        started = time.perf_counter()
        http.put(f"{base}/api/v1/kiosk/presence", json=body | {"printer": "ready"}, timeout=10)
        took.append(time.perf_counter() - started)
        stop.wait(REPORT_EVERY)


def _calls(
    base: str, token: str, desk: requests.Session, events: queue.Queue
) -> tuple[list[float], list[float]]:
    kiosk = requests.Session()
    kiosk.headers["X-Kiosk-Token"] = token
    shown, heard = [], []
    for _ in range(CALLS):
        asked = time.perf_counter()
        request_id = kiosk.post(
            f"{base}/api/v1/help-requests", json={"step": "booking.slot"}
        ).json()["id"]
        shown.append(_until_shown(events, f'data-aide="{request_id}"') - asked)
        answered = time.perf_counter()
        desk.post(f"{base}/conseil/aide/{request_id}/j-arrive")
        heard.append(_until_heard(base, kiosk, answered) - answered)
        kiosk.delete(f"{base}/api/v1/help-requests/current")
    return shown, heard


def _until_shown(events: queue.Queue, marker: str, wait: float = 10) -> float:
    deadline = time.perf_counter() + wait
    while True:
        at, data = events.get(timeout=max(0.01, deadline - time.perf_counter()))
        if marker in data:
            return at


def _until_heard(base: str, kiosk: requests.Session, answered: float) -> float:
    """As a kiosk does while its visitor waits: a report every second, from a random point
    of that second."""
    next_report = answered + PHASES.uniform(0, WAITING_EVERY)
    while True:
        time.sleep(max(0.0, next_report - time.perf_counter()))
        answer = kiosk.put(f"{base}/api/v1/kiosk/presence", json={"printer": "ready"}).json()
        if answer["help"] and answer["help"]["coming"]:
            return time.perf_counter()
        next_report += WAITING_EVERY
