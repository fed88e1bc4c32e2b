"""Stores: the memory store, the journal, raw access, and stores written in Python."""

import gc
import os
import tempfile
import unittest
import weakref
from datetime import datetime, timedelta, timezone

import libincident as inc

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)


def declare_with_notes(store, notes=2, title="Cache stampede"):
    with inc.Context(store=store, clock=lambda: T0) as ctx:
        with ctx.declare(title, "alice", "Sev-3") as incident:
            for n in range(notes):
                incident.note("bob", "note %d" % n)
            return incident.id, incident.export_json()


class MemoryStore(unittest.TestCase):
    def test_raw_read_append_list(self):
        with inc.Store.memory() as store:
            incident_id, _ = declare_with_notes(store)
            self.assertEqual(store.ids(), [incident_id])
            events = store.read(incident_id)
            self.assertEqual([seq for seq, _ in events], [1, 2, 3])
            self.assertEqual(store.read(incident_id, 3), events[2:])
            with inc.Store.memory() as copy:
                # A raw copy copies the blobs the events name first (RUB-4:
                # the declaration names its rubric by key).
                keys = [key for _, data in events for key in inc.blob_keys(data)]
                self.assertEqual(len(keys), 1)
                for key in keys:
                    self.assertEqual(copy.put_blob(store.get_blob(key)), key)
                copy.append(incident_id, 0, [data for _, data in events])
                with inc.Context(store=copy) as ctx, ctx.open(incident_id) as opened:
                    self.assertEqual(opened.last_seq, 3)
                    opened.verify()
                with self.assertRaises(inc.ConflictError) as cm:
                    copy.append(incident_id, 1, [events[1][1]])
                self.assertIn("expected", cm.exception.message)
            with self.assertRaises(inc.NotFoundError):
                store.read("2026-01-01-none")
            with self.assertRaises(inc.InvalidError):
                store.read("Bad Id")
            store.sync()

    def test_context_owned_store_view(self):
        with inc.Context(clock=lambda: T0) as ctx:
            ctx.declare("Owned", "alice", "Sev-4").close()
            view = ctx.store
            self.assertIs(ctx.store, view)
            view.close()  # does nothing: the context owns its store
            self.assertEqual(len(view.ids()), 1)
        self.assertTrue(view.closed)
        with self.assertRaises(ValueError):
            view.ids()


class Journal(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.tmp.name, "journal")

    def tearDown(self):
        self.tmp.cleanup()

    def test_metrics_read_unchanged_incidents_from_summary(self):
        with inc.Store.journal(self.dir) as store:
            declare_with_notes(store)
        for expect_hits in (0, 1):
            with inc.Store.journal(self.dir) as store, inc.Context(store=store) as ctx:
                self.assertEqual(ctx.metrics().incident_count, 1)
                stats = store.journal_stats()
                self.assertEqual((stats.summary_hits, stats.summary_misses),
                                 (expect_hits, 1 - expect_hits))
                self.assertEqual(stats.summary_writes, 1 - expect_hits)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "SUMMARY")))

    def test_persists_across_handles(self):
        with inc.Store.journal(self.dir) as store:
            incident_id, doc = declare_with_notes(store)
            self.assertTrue(store.is_journal)
            stats = store.journal_stats()
            self.assertEqual((stats.appends, stats.events, stats.pending_events), (3, 3, 0))
            store.journal_verify(incident_id)
        with inc.Store.journal(self.dir, read_only=True) as store:
            with inc.Context(store=store) as ctx, ctx.open(incident_id) as opened:
                self.assertEqual(opened.export_json(), doc)
                with self.assertRaises(inc.ReadOnlyError):
                    opened.note("bob", "late")

    def test_group_sync_policy(self):
        ticks = iter(range(10**6))
        clock = lambda: T0 + timedelta(milliseconds=next(ticks))  # noqa: E731
        with inc.Store.journal(self.dir, sync=inc.SyncPolicy.GROUP, group_count=100,
                               group_ms=60_000, clock=clock) as store:
            declare_with_notes(store, notes=3)
            self.assertEqual(store.journal_stats().pending_events, 4)
            store.sync()
            self.assertEqual(store.journal_stats().pending_events, 0)

    def test_open_errors(self):
        with self.assertRaises(inc.NotFoundError) as cm:
            inc.Store.journal(self.dir, must_exist=True)
        self.assertIn("journal", cm.exception.message)
        os.makedirs(self.dir)
        with open(os.path.join(self.dir, "stranger.txt"), "w") as f:
            f.write("not a journal")
        with self.assertRaises(inc.InvalidError):
            inc.Store.journal(self.dir)
        with self.assertRaises(ValueError):
            inc.Store.journal(self.dir, sync=9)

    def test_journal_calls_on_other_stores(self):
        with inc.Store.memory() as store:
            with self.assertRaises(inc.InvalidError):
                store.journal_stats()
            with self.assertRaises(inc.InvalidError):
                store.journal_verify("2026-01-01-x")

    def _file(self, incident_id):
        names = [n for n in os.listdir(self.dir) if n.startswith(incident_id)]
        self.assertEqual(len(names), 1, names)
        return os.path.join(self.dir, names[0])

    def test_verify_finds_a_flipped_byte(self):
        with inc.Store.journal(self.dir) as store:
            incident_id, _ = declare_with_notes(store, notes=3)
        path = self._file(incident_id)
        with open(path, "rb") as f:
            data = bytearray(f.read())
        at = data.index(b"note 1")  # inside event 3, not the last one (a torn tail)
        data[at] ^= 0x01
        with open(path, "wb") as f:
            f.write(data)
        with inc.Store.journal(self.dir, read_only=True) as store:
            with self.assertRaises(inc.CorruptError) as cm:
                store.journal_verify(incident_id)
            self.assertEqual(cm.exception.bad_seq, 3)
            self.assertIn(incident_id, cm.exception.message)

    def test_torn_tail_is_recovered_and_reported(self):
        with inc.Store.journal(self.dir) as store:
            incident_id, doc = declare_with_notes(store)
        with open(self._file(incident_id), "ab") as f:
            f.write(b"\x40\x00\x00\x00half a record")
        seen = []
        with inc.Store.journal(self.dir, on_recovery=seen.append) as store:
            with inc.Context(store=store) as ctx, ctx.open(incident_id) as opened:
                self.assertEqual(opened.export_json(), doc)
            stats = store.journal_stats()
        self.assertEqual(len(seen), 1)
        self.assertEqual((seen[0].id, seen[0].last_seq, seen[0].cut), (incident_id, 3, True))
        self.assertGreater(seen[0].bytes, 0)
        # TL-4: set aside in a quarantine file, never deleted.
        with open(seen[0].quarantine, "rb") as f:
            self.assertEqual(f.read(), b"\x40\x00\x00\x00half a record")
        self.assertIn("judged a torn write", seen[0].why)
        with inc.Store.journal(self.dir, read_only=True) as store:
            files = store.journal_quarantine(incident_id)
            self.assertEqual(store.journal_quarantine(), files)
        self.assertEqual([(q.id, q.file, q.offset, q.bytes) for q in files],
                         [(incident_id, seen[0].quarantine, seen[0].offset, seen[0].bytes)])
        self.assertEqual((stats.recoveries, stats.last_recovery_id), (1, incident_id))


class DictBackend(inc.StoreBackend):
    """A store in a dict, in Python: the smallest complete backend."""

    def __init__(self):
        self.events = {}
        self.closed = False
        self.fail_next = None

    def append(self, incident_id, expected_seq, records):
        if self.fail_next:
            exc, self.fail_next = self.fail_next, None
            raise exc
        have = self.events.setdefault(incident_id, [])
        if len(have) != expected_seq:
            raise inc.ConflictError(message="have %d, expected %d" % (len(have), expected_seq))
        have.extend(records)

    def read(self, incident_id, from_seq):
        if incident_id not in self.events:
            raise inc.NotFoundError(message="no incident " + incident_id)
        for seq, data in enumerate(self.events[incident_id], 1):
            if seq >= from_seq:
                yield seq, data

    def list(self):
        return list(self.events)

    def close(self):
        self.closed = True


class PythonBackend(unittest.TestCase):
    def test_full_use(self):
        backend = DictBackend()
        with inc.Store.from_backend(backend) as store:
            self.assertIs(store.backend, backend)
            incident_id, doc = declare_with_notes(store)
            self.assertEqual(len(backend.events[incident_id]), 3)
            with inc.Context(store=store) as ctx, ctx.open(incident_id) as opened:
                self.assertEqual(opened.export_json(), doc)
                opened.verify()
            self.assertEqual(store.ids(), [incident_id])
            self.assertEqual(len(store.read(incident_id, 2)), 2)
        self.assertTrue(backend.closed)

    def test_backend_errors_reach_the_caller(self):
        backend = DictBackend()
        with inc.Store.from_backend(backend) as store, inc.Context(store=store) as ctx:
            incident = ctx.declare("Flaky disk", "alice", "Sev-3")
            backend.fail_next = inc.LockedError(message="table locked by a backup")
            with self.assertRaises(inc.LockedError) as cm:
                incident.note("bob", "x")
            self.assertEqual(cm.exception.message, "table locked by a backup")
            backend.fail_next = OSError(28, "No space left on device")
            with self.assertRaises(inc.StoreIOError) as cm:
                incident.note("bob", "x")
            self.assertIsInstance(cm.exception.__cause__, OSError)
            self.assertIn("No space left", cm.exception.message)
            self.assertEqual(incident.last_seq, 1)  # nothing was recorded
            incident.note("bob", "works again")
            self.assertEqual(incident.last_seq, 2)

    def test_verify_finds_a_tampered_event(self):
        backend = DictBackend()
        with inc.Store.from_backend(backend) as store, inc.Context(store=store) as ctx:
            incident = ctx.declare("Tamper", "alice", "Sev-3")
            incident.note("bob", "original text")
            incident.note("bob", "later")
            incident.verify()
            events = backend.events[incident.id]
            events[1] = events[1].replace(b"original", b"ORIGINAL")
            with self.assertRaises(inc.CorruptError) as cm:
                incident.verify()
            self.assertEqual(cm.exception.bad_seq, 3)  # event 3 no longer chains to 2

    def test_another_writer_is_a_conflict(self):
        backend = DictBackend()
        with inc.Store.from_backend(backend) as store, inc.Context(store=store) as ctx:
            incident = ctx.declare("Split brain", "alice", "Sev-3")
            backend.events[incident.id].append(b"written behind our back")
            with self.assertRaises(inc.ConflictError):
                incident.note("bob", "x")

    def test_missing_methods_are_io_errors(self):
        with inc.Store.from_backend(inc.StoreBackend()) as store, inc.Context(store=store) as ctx:
            with self.assertRaises(inc.StoreIOError) as cm:
                ctx.declare("t", "alice", "Sev-3")
            self.assertIsInstance(cm.exception.__cause__, NotImplementedError)
            with self.assertRaises(inc.StoreIOError):
                store.ids()

    def test_callbacks_survive_garbage_collection(self):
        store = inc.Store.from_backend(DictBackend())
        ctx = inc.Context(store=store, clock=lambda: T0)
        del store  # the context keeps it
        gc.collect()
        with ctx.declare("Kept alive", "alice", "Sev-3") as incident:
            gc.collect()
            incident.note("bob", "still here")
            self.assertEqual(len(incident.events()), 2)
        ctx.close()


class Ownership(unittest.TestCase):
    def test_close_is_idempotent_and_closed_handles_raise(self):
        ctx = inc.Context()
        incident = ctx.declare("t", "alice", "Sev-3")
        rubric = inc.Rubric.preset()
        for handle in (incident, ctx, rubric):
            handle.close()
            handle.close()
            self.assertTrue(handle.closed)
        with self.assertRaises(inc.InvalidError) as cm:
            incident.note("a", "b")
        self.assertIn("closed", cm.exception.message)
        with self.assertRaises(ValueError):
            ctx.declare("t", "alice", "Sev-3")
        with self.assertRaises(ValueError):
            rubric.write()
        self.assertIn("closed", repr(incident) + repr(ctx) + repr(rubric))

    def test_closing_a_context_closes_its_incidents(self):
        ctx = inc.Context()
        a = ctx.declare("a", "alice", "Sev-3")
        b = ctx.open(a.id)
        ctx.close()
        self.assertTrue(a.closed and b.closed)

    def test_closing_a_store_closes_its_contexts(self):
        store = inc.Store.memory()
        ctx = inc.Context(store=store)
        incident = ctx.declare("a", "alice", "Sev-3")
        store.close()
        self.assertTrue(ctx.closed and incident.closed)
        with self.assertRaises(ValueError):
            inc.Context(store=store)

    def test_garbage_collection_frees_handles(self):
        ctx = inc.Context()
        incident = ctx.declare("a", "alice", "Sev-3")
        refs = [weakref.ref(ctx), weakref.ref(incident)]
        del ctx
        gc.collect()
        self.assertIsNotNone(refs[0]())  # the incident keeps its context alive
        del incident
        gc.collect()
        self.assertEqual([r() for r in refs], [None, None])

    def test_with_blocks(self):
        with inc.Store.memory() as store:
            with inc.Context(store=store) as ctx:
                with ctx.declare("a", "alice", "Sev-3") as incident:
                    self.assertFalse(incident.closed)
                self.assertTrue(incident.closed)
            self.assertTrue(ctx.closed)
        self.assertTrue(store.closed)
        with self.assertRaises(ValueError):
            with store:
                pass


if __name__ == "__main__":
    unittest.main()


class SharedJournal(unittest.TestCase):
    """Issue 16 item 5: a store writable by strangers is refused unless allowed."""

    def test_shared_store_refused_then_allowed(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "shared")
            with inc.Store.journal(path):
                pass
            os.chmod(path, 0o777)
            with self.assertRaises(inc.PermissionDeniedError):
                inc.Store.journal(path)
            with inc.Store.journal(path, allow_shared=True):
                pass
