"""Database sessions: writers queue, and an abandoned or failed writer never blocks the next."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from server.models import Kiosk


def _add_kiosk(db, name: str) -> None:
    with db.writing() as session:
        session.add(Kiosk(name=name, commune_insee="59178", token_hash=name))


def test_a_failed_or_abandoned_writer_lets_the_next_one_in(db):
    with pytest.raises(RuntimeError), db.writing() as session:
        session.add(Kiosk(name="a", commune_insee="59178", token_hash="a"))
        session.flush()
        raise RuntimeError("the work failed")
    abandoned = db.write_session()
    abandoned.add(Kiosk(name="b", commune_insee="59178", token_hash="b"))
    abandoned.flush()
    abandoned.close()
    _add_kiosk(db, "c")
    with db.reading() as session:
        assert session.scalars(select(Kiosk.name)).all() == ["c"]


def test_many_concurrent_writers_all_succeed(db):
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda n: _add_kiosk(db, f"k{n}"), range(200)))
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Kiosk)) == 200
