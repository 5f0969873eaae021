"""Booking over HTTP against the real server on 127.0.0.1, with 64 concurrent clients.

A booking is what a person does: hold a slot (POST /appointments) then confirm it.
The server runs under uvicorn in its own processes; clients are threads in two other
processes, each with its own account, session and keep-alive connection.
The contention run has 64 clients racing for 50 slots: exactly 50 appointments must exist.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from http.client import HTTPConnection
from urllib.parse import urlsplit

from sqlalchemy import func, insert, select

from bench.common import summary_ms
from bench.databases import fresh_database, start_server
from server.clock import utcnow
from server.db import Database
from server.models import (
    Account,
    Appointment,
    AppointmentStatus,
    Modality,
    Motive,
    OpeningHours,
    Patient,
    Place,
    Practitioner,
    Sex,
    Slot,
    opening_hours_motives,
)
from server.services.kiosks import add_kiosk
from server.services.sessions import open_session
from server.services.specialties import ensure_specialties

CLIENTS = 64
PROCESSES = 2


def _setup(
    url: str, *, practitioners: int, slots_each: int, accounts: int
) -> tuple[str, list[str], list[int], int]:
    """Directory, slots, one kiosk and one signed-in account per client."""
    db = Database(url, pool_size=2)
    tomorrow = utcnow().date() + timedelta(days=1)
    with db.writing() as session:
        ensure_specialties(session)
        kiosk, kiosk_token = add_kiosk(session, name="Borne de mesure", commune_insee="59178")
        motive_ids = []
        for n in range(practitioners):
            practitioner = Practitioner(
                first_name="Bench",
                last_name=f"Praticien{n}",
                name_key=f"bench praticien{n}",
                profession="Médecin",
                specialty_code="medecine-generale",
                bookable_online=True,
            )
            practitioner.places.append(
                Place(address="1 rue du Test", city="Douai", lat=50.37, lng=3.1)
            )
            practitioner.motives.append(
                Motive(label="Consultation", duration_minutes=10, modality=Modality.PRACTICE)
            )
            session.add(practitioner)
            session.flush()
            rule = OpeningHours(
                practitioner_id=practitioner.id,
                place_id=practitioner.places[0].id,
                weekday=0,
                start_time=clock_time(0, 0),
                end_time=clock_time(23, 59),
                slot_minutes=10,
            )
            session.add(rule)
            session.flush()
            session.execute(
                insert(opening_hours_motives),
                [{"opening_hours_id": rule.id, "motive_id": practitioner.motives[0].id}],
            )
            rows = []
            for k in range(slots_each):
                start = datetime.combine(tomorrow, clock_time(0, 0)) + timedelta(minutes=10 * k)
                rows.append(
                    {
                        "practitioner_id": practitioner.id,
                        "place_id": practitioner.places[0].id,
                        "opening_hours_id": rule.id,
                        "starts_at": start,
                        "ends_at": start + timedelta(minutes=10),
                    }
                )
            session.execute(insert(Slot), rows)
            motive_ids.append(practitioner.motives[0].id)
        tokens = []
        for n in range(accounts):
            account = Account(phone=f"+336{10000000 + n:08d}")
            account.patients.append(
                Patient(
                    is_account_holder=True,
                    sex=Sex.FEMALE,
                    first_name="Mesure",
                    last_name=f"Client{n}",
                    birth_date=date(1950, 1, 1),
                )
            )
            session.add(account)
            session.flush()
            tokens.append(
                open_session(session, phone=account.phone, account_id=account.id, kiosk=kiosk)
            )
    with db.reading() as session:
        patient_ids = [
            pid
            for (pid,) in session.execute(
                select(Patient.id).where(Patient.is_account_holder).order_by(Patient.account_id)
            )
        ]
        slot_motives = dict(
            session.execute(
                select(Slot.id, Motive.id).join(
                    Motive, Motive.practitioner_id == Slot.practitioner_id
                )
            ).all()
        )
    db.dispose()
    return kiosk_token, tokens, patient_ids, slot_motives


def _client_process(base, kiosk_token, jobs, results) -> None:
    """Threads of one load process; each job = (session token, patient id, [(slot, motive)…])."""
    out: list = []
    lock = threading.Lock()

    def run(token: str, patient_id: int, plan: list[tuple[int, int]]) -> None:
        # http.client on a kept-alive connection: the load generator shares the 2 cores with
        # the server, so it should cost as little as possible.
        http = HTTPConnection(urlsplit(base).hostname, urlsplit(base).port)
        headers = {
            "X-Kiosk-Token": kiosk_token,
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        }

        def post(path: str, body: dict | None = None) -> tuple[int, dict]:
            payload = json.dumps(body).encode() if body is not None else b""
            http.request(
                "POST",
                path,
                body=payload,
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
            )
            answer = http.getresponse()
            return answer.status, json.loads(answer.read() or b"{}")

        mine = []
        for slot_id, motive_id in plan:
            started = time.perf_counter()
            status, hold = post(
                "/api/v1/appointments",
                {
                    "slot_id": slot_id,
                    "motive_id": motive_id,
                    "patient_id": patient_id,
                    "first_visit": True,
                },
            )
            if status != 201:
                mine.append(("refused", status, time.perf_counter() - started))
                continue
            status, _ = post(f"/api/v1/appointments/{hold['id']}/confirm")
            elapsed = time.perf_counter() - started
            mine.append(("booked" if status == 200 else "failed", status, elapsed))
        http.close()
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(out)


def _drive(base: str, kiosk_token: str, jobs: list) -> tuple[list, float]:
    results: multiprocessing.Queue = multiprocessing.Queue()
    shares = [jobs[i::PROCESSES] for i in range(PROCESSES)]
    started = time.perf_counter()
    procs = [
        multiprocessing.Process(target=_client_process, args=(base, kiosk_token, share, results))
        for share in shares
    ]
    for proc in procs:
        proc.start()
    outcomes = [item for _ in procs for item in results.get()]
    for proc in procs:
        proc.join()
    return outcomes, time.perf_counter() - started


def run_throughput(kind: str, *, bookings_per_client: int = 40, workers: int = 2) -> dict:
    with fresh_database(kind) as url:
        slots_needed = CLIENTS * bookings_per_client
        kiosk_token, tokens, patients, slot_motives = _setup(
            url, practitioners=64, slots_each=slots_needed // 64 + 1, accounts=CLIENTS
        )
        pairs = sorted(slot_motives.items())
        jobs = [
            (tokens[c], patients[c], pairs[c * bookings_per_client : (c + 1) * bookings_per_client])
            for c in range(CLIENTS)
        ]
        server, base = start_server(url, workers)
        try:
            outcomes, wall = _drive(base, kiosk_token, jobs)
        finally:
            server.terminate()
            server.wait(timeout=30)
    booked = [o for o in outcomes if o[0] == "booked"]
    return {
        "benchmark": "booking_http",
        "database": kind,
        "clients": CLIENTS,
        "server_workers": workers,
        "bookings": len(booked),
        "errors": len(outcomes) - len(booked),
        "bookings_per_s": round(len(booked) / wall, 1),
        **summary_ms([o[2] for o in booked]),
    }


def run_contention(kind: str, *, slots: int = 50, workers: int = 2) -> dict:
    """64 clients each try every one of 50 slots in their own random order."""
    with fresh_database(kind) as url:
        kiosk_token, tokens, patients, slot_motives = _setup(
            url, practitioners=1, slots_each=slots, accounts=CLIENTS
        )
        pairs = sorted(slot_motives.items())
        jobs = [
            (tokens[c], patients[c], random.Random(c).sample(pairs, len(pairs)))
            for c in range(CLIENTS)
        ]
        server, base = start_server(url, workers)
        try:
            outcomes, _wall = _drive(base, kiosk_token, jobs)
        finally:
            server.terminate()
            server.wait(timeout=30)
        db = Database(url, pool_size=1)
        with db.reading() as session:
            holding = session.scalar(
                select(func.count())
                .select_from(Appointment)
                .where(Appointment.status == AppointmentStatus.CONFIRMED)
            )
            double = session.scalar(
                select(func.count()).select_from(
                    select(Appointment.slot_id)
                    .where(Appointment.status == AppointmentStatus.CONFIRMED)
                    .group_by(Appointment.slot_id)
                    .having(func.count() > 1)
                    .subquery()
                )
            )
        db.dispose()
    statuses = sorted({o[1] for o in outcomes if o[0] != "booked"})
    return {
        "benchmark": "booking_contention",
        "database": kind,
        "clients": CLIENTS,
        "slots": slots,
        "appointments": holding,
        "double_booked_slots": double,
        "exactly_one_per_slot": holding == slots and double == 0,
        "refusal_statuses": statuses,
    }


def run(kinds: tuple[str, ...] = ("sqlite", "postgresql")) -> list[dict]:
    """Throughput with one server process and with two (on a small machine the second
    competes with the clients and the database for the same cores), then contention."""
    rows = []
    for kind in kinds:
        rows.extend(run_throughput(kind, workers=workers) for workers in (1, 2))
        rows.append(run_contention(kind))
    return rows
