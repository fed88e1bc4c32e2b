"""The SQLite store: a Python backend over sqlite3 with UNIQUE(incident, seq)."""

import os
import sqlite3
import tempfile
import unittest
from datetime import datetime, timezone

import libincident as inc

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)


class SQLiteStoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "incidents.db")

    def tearDown(self):
        self.tmp.cleanup()

    def open_store(self):
        return inc.Store.from_backend(inc.SQLiteStore(self.path))

    def test_rows_hold_the_events(self):
        with self.open_store() as store, inc.Context(store=store, clock=lambda: T0) as ctx:
            incident = ctx.declare("Checkout errors", "alice", "Sev-2")
            incident.note("bob", "5% of requests")
            incident_id = incident.id
            raw = store.read(incident_id)
        db = sqlite3.connect(self.path)
        rows = db.execute("SELECT incident, seq, data FROM incident_events ORDER BY seq").fetchall()
        db.close()
        self.assertEqual([(r[0], r[1]) for r in rows], [(incident_id, 1), (incident_id, 2)])
        self.assertEqual([r[2] for r in rows], [data for _, data in raw])

    def test_two_writers_one_wins(self):
        """Two stores over one database file: the stale writer's insert
        violates UNIQUE(incident, seq), rolls back and is a conflict."""
        with self.open_store() as s1, self.open_store() as s2, \
                inc.Context(store=s1) as c1, inc.Context(store=s2) as c2:
            first = c1.declare("Checkout errors", "alice", "Sev-2")
            second = c2.open(first.id)
            first.note("alice", "from writer one")
            with self.assertRaises(inc.ConflictError) as cm:
                second.note("bob", "from writer two")
            self.assertIn("UNIQUE", cm.exception.message)
            self.assertEqual(len(s1.read(first.id)), 2)  # nothing half-written
            second.reload()
            second.note("bob", "from writer two")
            first.reload()
            self.assertEqual([e.actor for e in first.events()], ["alice", "alice", "bob"])
            first.verify()

    def test_append_is_all_or_nothing(self):
        backend = inc.SQLiteStore(":memory:")
        backend.append("a", 0, [b"1", b"2"])
        with self.assertRaises(inc.ConflictError):
            backend.append("a", 1, [b"x", b"y"])  # event 2 exists
        with self.assertRaises(inc.ConflictError):
            backend.append("a", 5, [b"gap"])  # would leave a gap
        self.assertEqual(list(backend.read("a", 1)), [(1, b"1"), (2, b"2")])
        backend.append("a", 2, [b"3"])
        self.assertEqual(list(backend.read("a", 3)), [(3, b"3")])
        self.assertEqual(list(backend.read("a", 4)), [])
        with self.assertRaises(inc.NotFoundError):
            backend.read("b", 1)
        self.assertEqual(backend.list(), ["a"])
        backend.sync()
        backend.close()

    def test_given_connection_stays_open(self):
        db = sqlite3.connect(":memory:", isolation_level=None)
        with inc.Store.from_backend(inc.SQLiteStore(db, table="timeline")) as store, \
                inc.Context(store=store) as ctx:
            ctx.declare("x", "alice", "Sev-4")
        self.assertEqual(db.execute("SELECT COUNT(*) FROM timeline").fetchone(), (1,))
        db.close()
        with self.assertRaises(ValueError):
            inc.SQLiteStore(sqlite3.connect(":memory:"))  # not autocommit
        with self.assertRaises(ValueError):
            inc.SQLiteStore(":memory:", table="x; DROP TABLE y")

    def test_locked_database_is_an_io_error(self):
        with self.open_store() as store, inc.Context(store=store) as ctx:
            incident = ctx.declare("x", "alice", "Sev-4")
            blocker = sqlite3.connect(self.path, timeout=0, isolation_level=None)
            store.backend.db.execute("PRAGMA busy_timeout = 0")
            blocker.execute("BEGIN EXCLUSIVE")
            try:
                with self.assertRaises(inc.StoreIOError) as cm:
                    incident.note("bob", "blocked")
                self.assertIn("locked", cm.exception.message)
            finally:
                blocker.execute("ROLLBACK")
                blocker.close()
            incident.note("bob", "unblocked")


if __name__ == "__main__":
    unittest.main()
