"""SQLite writers of every server process queue on a lock file beside the database."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from server.db import Database, is_sqlite
from server.models import Kiosk


def _lock_file(db: Database) -> Path:
    return Path(f"{make_url(db.url).database}.writer-lock")


def _taken_by_another_process(path: Path) -> bool:
    """What another server process sees: its own descriptor, a non-blocking try."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@pytest.fixture
def sqlite_db(db: Database) -> Database:
    if not is_sqlite(db.engine):
        pytest.skip("PostgreSQL queues its writers itself")
    return db


def test_a_write_transaction_holds_the_lock_file_until_it_commits(sqlite_db):
    with sqlite_db.writing() as session:
        session.execute(select(func.count()).select_from(Kiosk))
        assert _taken_by_another_process(_lock_file(sqlite_db))
    assert not _taken_by_another_process(_lock_file(sqlite_db))


def test_a_failed_write_transaction_frees_the_lock_file(sqlite_db):
    with pytest.raises(RuntimeError), sqlite_db.writing() as session:
        session.execute(select(func.count()).select_from(Kiosk))
        raise RuntimeError("boom")
    assert not _taken_by_another_process(_lock_file(sqlite_db))


def test_reads_leave_the_lock_file_free(sqlite_db):
    with sqlite_db.reading() as session:
        session.execute(select(func.count()).select_from(Kiosk))
        assert not _taken_by_another_process(_lock_file(sqlite_db))
