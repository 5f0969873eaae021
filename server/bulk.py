"""Appending many plain rows to a table at the driver's full speed.

SQLAlchemy's executemany processes every parameter of every row in Python, and psycopg's
executemany still sends one statement per row: at millions of rows (RPPS import, sync log)
that is most of the time. PostgreSQL gets COPY instead, SQLite one driver-level executemany.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[tuple],
    **same: Any,
) -> None:
    """Insert `rows` (tuples in `columns` order) in the connection's transaction.

    Values must be plain (str, int, float, bool, None); `same` gives columns that hold one
    value on every row (a timestamp, a transaction id), converted once for the driver.
    """
    names = [*columns, *same]
    quoted = ", ".join(f'"{n}"' for n in names)
    extra = tuple(same.values())
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row + extra if extra else row)
        return
    extra = tuple(
        process(value) if (process := table.c[name].type.bind_processor(conn.dialect)) else value
        for name, value in same.items()
    )
    params = [row + extra for row in rows] if extra else list(rows)
    if params:
        marks = ", ".join("?" * len(names))
        conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', params)
