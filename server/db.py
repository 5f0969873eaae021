"""Engine and sessions for SQLite (default, embedded) and PostgreSQL (at scale).

SQLite runs in WAL mode. Writing transactions start with BEGIN IMMEDIATE so two
writers never fail half-way; reads stay concurrent. Writers also queue on a lock (the
threads of a process, then the processes through a lock file): SQLite's own busy handler
waits by sleeping (up to 100 ms a time), which under load costs far more than the writes.
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def is_sqlite(engine_or_session: Engine | Session) -> bool:
    if isinstance(engine_or_session, Session):
        return engine_or_session.get_bind().dialect.name == "sqlite"
    bind = engine_or_session
    return bind.dialect.name == "sqlite"


def make_engine(database_url: str, *, pool_size: int = 20) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001 - DB-API connection
        dbapi_conn.isolation_level = None  # no implicit BEGIN: `_begin` below chooses the mode
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    on_disk = url.database and url.database != ":memory:"
    writers = _WriterLock(Path(f"{url.database}.writer-lock") if on_disk else None)

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001 - SQLAlchemy connection
        if not conn.get_execution_options().get("write"):
            conn.exec_driver_sql("BEGIN DEFERRED")
            return
        if not writers.acquire(timeout=30):
            raise TimeoutError("another writer kept the SQLite database for 30 seconds")
        conn.info["write_lock"] = writers
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release_write_lock(conn)
            raise

    return engine


class _WriterLock:
    """The queue of writers, so that SQLite's busy handler (which sleeps) never has to wait.

    The threads of a process queue on a thread lock; on a file, the one at the head then
    takes an flock of a file beside the database, so that several server processes queue
    too. (One flock waiter per process: the kernel wakes every waiter of a file at each
    release.) The kernel frees the flock of a process that dies.
    """

    def __init__(self, path: Path | None) -> None:
        self._threads = threading.Lock()
        self._path = path
        self._fd = -1
        self._pid = 0

    def acquire(self, timeout: float) -> bool:
        """False if another thread of this process kept the lock for `timeout` seconds; the
        flock cannot time out: it waits as long as the other process's transaction."""
        if not self._threads.acquire(timeout=timeout):
            return False
        if self._path is not None:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX)  # waits without holding the GIL
            except BaseException:
                self._threads.release()
                raise
        return True

    def release(self) -> None:
        if self._path is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _file(self) -> int:
        """One descriptor per process: a forked child must not share its parent's flock."""
        if self._pid != os.getpid():
            self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
            weakref.finalize(self, os.close, self._fd)  # closed with its engine
        return self._fd


def _release_write_lock(conn) -> None:  # noqa: ANN001 - SQLAlchemy connection
    lock = conn.info.pop("write_lock", None)
    if lock is not None:
        lock.release()


@event.listens_for(Session, "after_begin")
def _hand_lock_to_session(session: Session, _transaction, conn) -> None:  # noqa: ANN001
    """The session ends the transaction, so it is the one to let the next writer in."""
    if "write_lock" in conn.info:
        session.info["write_lock"] = conn.info.pop("write_lock")


@event.listens_for(Session, "after_transaction_end")
def _let_next_writer_in(session: Session, transaction) -> None:  # noqa: ANN001
    """Runs once COMMIT or ROLLBACK is done, so the next writer never meets a busy file."""
    if transaction.parent is None and (lock := session.info.pop("write_lock", None)):
        lock.release()


class Database:
    """One engine with two session factories: reads, and writes (BEGIN IMMEDIATE on SQLite)."""

    def __init__(self, database_url: str, *, pool_size: int = 20) -> None:
        self.url = database_url
        self.engine = make_engine(database_url, pool_size=pool_size)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(write=True), expire_on_commit=False
        )

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        with self._write() as session, session.begin():
            yield session

    def write_session(self) -> Session:
        return self._write()

    def dispose(self) -> None:
        self.engine.dispose()
