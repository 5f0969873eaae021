import json
import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from server.clock import utcnow
from server.models import Appointment, AppointmentStatus, IdempotencyRecord, OutboxMessage, Slot
from server.services.outbox import enqueue
from server.services.worker import LEASE, retry_delay, run_worker, upkeep
from tests.factories import add_opening_hours, make_account, make_practitioner, make_slot
from tests.server.stand_ins import sms_gateway


def _queue(db, count, *, channel="sms", **fields):
    with db.writing() as session:
        messages = [
            enqueue(
                session,
                kind="code",
                channel=channel,
                recipient=f"+336{n:08d}" if channel == "sms" else f"p{n}@example.org",
                body=f"message {n}",
                subject="Sujet" if channel == "email" else None,
                **fields,
            )
            for n in range(count)
        ]
        session.flush()
        return [m.id for m in messages]


def _lines(path):
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _rows(db):
    with db.reading() as session:
        return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _make_due(db, message_id):
    """Move a retry to now, as if its backoff delay had passed."""
    with db.writing() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )


def test_a_worker_sends_due_messages_to_the_file_backends_and_marks_them_sent(db, settings):
    sms_ids = _queue(db, 3)
    [mail_id] = _queue(db, 1, channel="email")
    assert run_worker(db, settings, once=True) == 4
    assert [line["id"] for line in _lines(settings.sms_file_path)] == sms_ids
    [mail] = _lines(settings.mail_file_path)
    assert mail["id"] == mail_id and mail["subject"] == "Sujet"
    rows = _rows(db)
    assert {row.status for row in rows} == {"sent"}
    assert all(row.sent_at is not None and row.locked_by is None for row in rows)


def test_two_workers_at_the_same_time_send_each_of_200_messages_exactly_once(db, settings):
    ids = _queue(db, 200)
    counts = []
    start = threading.Barrier(2)

    def work(name):
        start.wait()
        counts.append(run_worker(db, settings, once=True, worker_id=name))

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_ids = [line["id"] for line in _lines(settings.sms_file_path)]
    assert sorted(sent_ids) == ids
    assert len(sent_ids) == len(set(sent_ids)) == 200
    assert sum(counts) == 200
    assert {row.status for row in _rows(db)} == {"sent"}


def test_messages_not_yet_due_and_cancelled_ones_are_not_sent(db, settings):
    _queue(db, 1, due_at=utcnow() + timedelta(hours=1))
    [cancelled] = _queue(db, 1)
    with db.writing() as session:
        session.get(OutboxMessage, cancelled).status = "cancelled"
    assert run_worker(db, settings, once=True) == 0
    assert _lines(settings.sms_file_path) == []


def test_a_failing_gateway_is_retried_with_backoff_until_it_accepts(db, settings):
    [message_id] = _queue(db, 1)
    with sms_gateway(statuses=[500, 500]) as gateway:
        http = replace(settings, sms_backend="http", sms_http_url=gateway.url)
        assert run_worker(db, http, once=True) == 0
        [row] = _rows(db)
        assert (row.status, row.attempts) == ("pending", 1)
        assert row.last_error == "gateway answered HTTP 500"
        assert utcnow() + timedelta(seconds=25) < row.next_attempt_at
        assert row.next_attempt_at <= utcnow() + timedelta(seconds=30)

        assert run_worker(db, http, once=True) == 0  # not due again yet: nothing sent
        assert len(gateway.requests) == 1

        _make_due(db, message_id)
        assert run_worker(db, http, once=True) == 0
        [row] = _rows(db)
        assert row.attempts == 2
        assert row.next_attempt_at > utcnow() + timedelta(seconds=55)

        _make_due(db, message_id)
        assert run_worker(db, http, once=True) == 1
    [row] = _rows(db)
    assert row.status == "sent"
    assert [r["json"]["reference"] for r in gateway.requests] == [str(message_id)] * 3


def test_retry_delays_double_from_30_seconds_up_to_one_hour():
    delays = [retry_delay(n) for n in (1, 2, 3, 4, 7, 8, 50, 10_000)]
    assert delays == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=32),
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=1),
    ]


def test_a_message_is_never_dropped_after_many_failures(db, settings):
    [message_id] = _queue(db, 1)
    with db.writing() as session:
        session.get(OutboxMessage, message_id).attempts = 40
    with sms_gateway(statuses=[503]) as gateway:
        run_worker(db, replace(settings, sms_backend="http", sms_http_url=gateway.url), once=True)
    [row] = _rows(db)
    assert (row.status, row.attempts) == ("pending", 41)
    assert row.next_attempt_at <= utcnow() + timedelta(hours=1)


def test_the_error_kept_for_a_failed_message_holds_no_personal_data(db, settings):
    _queue(db, 1)
    with sms_gateway() as gateway:
        closed = replace(settings, sms_backend="http", sms_http_url=gateway.url)
    run_worker(db, closed, once=True)
    [row] = _rows(db)
    assert row.status == "pending" and row.last_error.startswith("gateway unreachable")
    assert "+336" not in row.last_error and "message" not in row.last_error


def test_a_message_held_by_a_crashed_worker_is_sent_once_its_lease_runs_out(db, settings):
    [message_id] = _queue(db, 1)
    with db.writing() as session:
        row = session.get(OutboxMessage, message_id)
        row.status, row.locked_by, row.locked_until = (
            "sending",
            "dead",
            utcnow() - timedelta(seconds=1),
        )
    assert run_worker(db, settings, once=True) == 1
    assert [line["id"] for line in _lines(settings.sms_file_path)] == [message_id]


def test_a_message_another_worker_is_sending_is_left_to_it(db, settings):
    [message_id] = _queue(db, 1)
    with db.writing() as session:
        row = session.get(OutboxMessage, message_id)
        row.status, row.locked_by, row.locked_until = "sending", "busy", utcnow() + LEASE
    assert run_worker(db, settings, once=True) == 0
    assert _lines(settings.sms_file_path) == []


def test_sent_messages_are_deleted_after_30_days_because_bodies_hold_personal_data(db, settings):
    old, recent, cancelled, waiting = _queue(db, 4)
    with db.writing() as session:
        for message_id, days, status in (
            (old, 31, "sent"),
            (recent, 29, "sent"),
            (cancelled, 31, "cancelled"),
        ):
            row = session.get(OutboxMessage, message_id)
            row.status = status
            row.sent_at = utcnow() - timedelta(days=days) if status == "sent" else None
            row.created_at = utcnow() - timedelta(days=days)
        waiting_row = session.get(OutboxMessage, waiting)
        waiting_row.next_attempt_at = utcnow() + timedelta(days=1)
        waiting_row.created_at = utcnow() - timedelta(days=40)
    run_worker(db, settings, once=True)
    assert [row.id for row in _rows(db)] == [recent, waiting]


def test_each_pass_also_lets_expired_holds_go(db, settings):
    with db.writing() as session:
        practitioner = make_practitioner(session)
        slot = make_slot(session, practitioner)
        slot.taken = True
        account, holder = make_account(session)
        hold = Appointment(
            reference="HOLDTEST01",
            slot_id=slot.id,
            practitioner_id=practitioner.id,
            place_id=slot.place_id,
            motive_id=practitioner.motives[0].id,
            patient_id=holder.id,
            account_id=account.id,
            first_visit=True,
            status=AppointmentStatus.PENDING,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            hold_expires_at=utcnow() - timedelta(minutes=1),
        )
        session.add(hold)
    run_worker(db, settings, once=True)
    with db.reading() as session:
        assert session.get(Appointment, hold.id).status == AppointmentStatus.EXPIRED


def test_upkeep_keeps_slots_ahead_and_forgets_old_idempotency_answers(db, settings):
    with db.writing() as session:
        practitioner = make_practitioner(session)
        add_opening_hours(session, practitioner, weekdays=range(7))
        session.add(
            IdempotencyRecord(
                scope="account:1",
                key="old",
                request_hash="x",
                status_code=201,
                created_at=utcnow() - timedelta(days=2),
            )
        )
        session.add(IdempotencyRecord(scope="account:1", key="fresh", request_hash="x"))
    upkeep(db, settings)
    with db.reading() as session:
        last_slot = session.scalar(select(func.max(Slot.starts_at)))
        keys = session.scalars(select(IdempotencyRecord.key)).all()
    assert last_slot.date() >= utcnow().date() + timedelta(days=settings.slot_horizon_days - 2)
    assert keys == ["fresh"]
