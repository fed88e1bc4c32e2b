"""A store backend over SQLite (the standard library's ``sqlite3``): an
example of pluggable storage on a real database.

The library hands every store opaque event bytes and an ``expected_seq``;
any transactional database can hold incidents safely if an append checks
that number and inserts all of its events in one transaction. Here the
``UNIQUE(incident, seq)`` constraint is what finally enforces it: two
writers that both saw ``expected_seq`` = 7 both try to insert event 8, and
the second insert fails, so its whole transaction rolls back and the
library gets INC_ECONFLICT (reload and retry).

Blobs (the rubric text each declaration names by its SHA-256, RUB-4) live
in a second table, ``<table>_blobs`` (key TEXT PRIMARY KEY, data BLOB),
written once per key: a key is the hash of its bytes, so a second writer of
the same key stores the same bytes and ``INSERT OR IGNORE`` keeps the first.

    with Store.from_backend(SQLiteStore("incidents.db")) as store, \\
         Context(store=store) as ctx:
        ...
"""

from __future__ import annotations

import os
import sqlite3

from .errors import ConflictError, InvalidError, NotFoundError, StoreIOError
from .store import StoreBackend

from typing import List, Tuple, Union

_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS {table} (
    incident TEXT NOT NULL,
    seq      INTEGER NOT NULL CHECK (seq >= 1),
    data     BLOB NOT NULL,
    UNIQUE (incident, seq)
)
"""

_BLOBS_SQL = """
CREATE TABLE IF NOT EXISTS {table}_blobs (
    key  TEXT PRIMARY KEY,
    data BLOB NOT NULL
)
"""


class SQLiteStore(StoreBackend):
    """Incident timelines in one SQLite table, one row per event.

    ``database``: a path (or ":memory:") to open, or an open
    ``sqlite3.Connection`` (then the caller keeps owning it; it must be in
    autocommit mode, ``isolation_level=None``). ``table``: the table name;
    the blobs are in ``<table>_blobs``. Both tables are created if absent,
    so a database written before blobs gains the second table on open.
    """

    def __init__(
        self,
        database: Union[str, "os.PathLike[str]", sqlite3.Connection],
        table: str = "incident_events",
    ) -> None:
        if not table.replace("_", "").isalnum():
            raise ValueError("table: letters, digits and '_' only")
        self.table = table
        self.db: sqlite3.Connection
        self._owns: bool
        if isinstance(database, sqlite3.Connection):
            if database.isolation_level is not None:
                raise ValueError("connection: open it with isolation_level=None (autocommit)")
            self.db, self._owns = database, False
        else:
            self.db, self._owns = sqlite3.connect(database, isolation_level=None), True
        self.db.execute(_TABLE_SQL.format(table=table))
        self.db.execute(_BLOBS_SQL.format(table=table))

    def append(self, incident_id: str, expected_seq: int, records: List[bytes]) -> None:
        db, table = self.db, self.table
        try:
            # IMMEDIATE takes the write lock at once, so the check and the
            # inserts see one state of the table.
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreIOError(message="sqlite: %s" % exc) from exc
        try:
            (last,) = db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM %s WHERE incident = ?" % table, (incident_id,)
            ).fetchone()
            if expected_seq > last:
                # Appending past the end would leave a gap: UNIQUE cannot see
                # that, so check it here.
                raise ConflictError(
                    message="incident %s: expected last event %d, store has %d"
                    % (incident_id, expected_seq, last)
                )
            # expected_seq < last (another writer got there first) is left to
            # the constraint: inserting event expected_seq + 1 again fails.
            db.executemany(
                "INSERT INTO %s (incident, seq, data) VALUES (?, ?, ?)" % table,
                [(incident_id, expected_seq + 1 + i, rec) for i, rec in enumerate(records)],
            )
            db.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            db.execute("ROLLBACK")
            raise ConflictError(
                message="incident %s: another writer stored event %d first (%s)"
                % (incident_id, expected_seq + 1, exc)
            ) from exc
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def read(self, incident_id: str, from_seq: int) -> List[Tuple[int, bytes]]:
        rows = self.db.execute(
            "SELECT seq, data FROM %s WHERE incident = ? AND seq >= ? ORDER BY seq" % self.table,
            (incident_id, max(1, from_seq)),
        ).fetchall()
        if not rows and not self._exists(incident_id):
            raise NotFoundError(message="no incident '%s' in the store" % incident_id)
        return rows

    def _exists(self, incident_id: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM %s WHERE incident = ? LIMIT 1" % self.table, (incident_id,)
        ).fetchone()
        return row is not None

    def list(self) -> List[str]:
        return [row[0] for row in self.db.execute("SELECT DISTINCT incident FROM %s" % self.table)]

    def put_blob(self, key: str, data: bytes) -> None:
        # Autocommit: the row is committed (durable as SQLite's settings
        # make commits) when execute returns, before the library appends
        # the declaration that names it.
        try:
            self.db.execute("INSERT OR IGNORE INTO %s_blobs (key, data) VALUES (?, ?)" % self.table,
                            (key, data))
        except sqlite3.Error as exc:
            raise StoreIOError(message="sqlite: %s" % exc) from exc

    def get_blob(self, key: str) -> bytes:
        row = self.db.execute("SELECT data FROM %s_blobs WHERE key = ?" % self.table,
                              (key,)).fetchone()
        if row is None:
            raise NotFoundError(message="no blob %.16s... in the store" % key)
        value = row[0]  # a row changed behind our back may hold TEXT
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)

    def sync(self) -> None:
        # Every append commits; SQLite's own durability settings apply.
        if self.db.in_transaction:
            raise InvalidError(message="sqlite: a transaction is open")

    def close(self) -> None:
        if self._owns:
            self.db.close()
