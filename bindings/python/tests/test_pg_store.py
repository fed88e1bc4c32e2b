"""The PostgreSQL store (libincident-pg) from Python, against a real server
started for this test with tests/pg/pg_server.sh; skipped when the server
binaries or libincident-pg are absent. Also the bulk scan and wait over the
memory store (their fallbacks)."""

import os
import pathlib
import shutil
import subprocess
import tempfile
import unittest
from datetime import datetime, timezone

import libincident as inc
from libincident import _lib

REPO = pathlib.Path(__file__).resolve().parent.parent.parent.parent
SCRIPT = REPO / "tests" / "pg" / "pg_server.sh"
T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)


class Fallbacks(unittest.TestCase):
    def test_scan_and_wait_over_memory(self):
        with inc.Store.memory() as store:
            store.append("a-1", 0, [b"x", b"y"])
            store.append("b-2", 0, [b"\x00z"])
            self.assertEqual(sorted(store.scan()),
                             [("a-1", 1, b"x"), ("a-1", 2, b"y"), ("b-2", 1, b"\x00z")])
            self.assertTrue(store.wait(1))  # no notification: sleeps, then "may have changed"
            with self.assertRaises(inc.InvalidError):
                store.wait(-1)


class PostgreSQL(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if _lib.pg_lib() is None:
            raise unittest.SkipTest("libincident-pg is not built")
        cls.dir = tempfile.mkdtemp(prefix="inc-pg-py-")
        os.rmdir(cls.dir)
        run = subprocess.run(["bash", str(SCRIPT), "start", cls.dir], capture_output=True,
                             text=True)
        if run.returncode == 77:
            raise unittest.SkipTest("PostgreSQL server binaries are not installed")
        if run.returncode != 0:
            raise RuntimeError("pg_server.sh start: " + run.stderr)
        cls.uri = "postgresql://inc:inc-secret@/inc?host=%s&port=5432" % cls.dir

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["bash", str(SCRIPT), "stop", cls.dir], check=False)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_incident_round_trip_and_conflict(self):
        with inc.Store.open(self.uri) as store, inc.Context(store=store,
                                                            clock=lambda: T0) as ctx:
            with ctx.declare("Checkout down", "alice", "Sev-2") as incident:
                incident.note("bob", "looking")
                iid = incident.id
            events = store.read(iid)
            self.assertEqual([seq for seq, _ in events], list(range(1, len(events) + 1)))
            with self.assertRaises(inc.ConflictError):
                store.append(iid, 1, [b"late"])
            self.assertIn(iid, store.ids())
            self.assertEqual(len([e for e in store.scan() if e[0] == iid]), len(events))

    def test_wrong_password_is_io_error_without_the_password(self):
        bad = "postgresql://inc:Not-The-Pa55@/inc?host=%s&port=5432" % self.dir
        with self.assertRaises(inc.StoreIOError) as caught:
            inc.Store.postgresql(bad)
        self.assertNotIn("Not-The-Pa55", str(caught.exception))
        self.assertIn("password authentication failed", str(caught.exception))

    def test_wait_wakes_on_another_writer(self):
        with inc.Store.postgresql(self.uri) as a, inc.Store.postgresql(self.uri) as b:
            self.assertFalse(a.wait(0))  # listening from now on
            b.append("wake-1", 0, [b"x"])
            self.assertTrue(a.wait(10000))


if __name__ == "__main__":
    unittest.main()
