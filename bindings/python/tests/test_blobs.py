"""Blobs (store backend version 3, RUB-4): the rubric recorded once per
store. Put and get through every kind of store, Python backends with and
without blob methods, a changed blob caught, and raw copies that carry the
blobs their declarations name."""

import hashlib
import json
import os
import sqlite3
import struct
import tempfile
import unittest
from datetime import datetime, timezone

import libincident as inc

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)
EMPTY_KEY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
ALL_BYTES = bytes(range(256))
ALL_BYTES_KEY = "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880"


def declare(store, title="Cache stampede", notes=1):
    with inc.Context(store=store, clock=lambda: T0) as ctx:
        with ctx.declare(title, "alice", "Sev-3") as incident:
            for n in range(notes):
                incident.note("bob", "note %d" % n)
            return incident.id, incident.export_json()


def rubrics_of(doc):
    return json.loads(doc)["rubrics"]


class DictBackend(inc.StoreBackend):
    """Events in a dict, no blob methods: declarations carry the text."""

    def __init__(self):
        self.events = {}

    def append(self, incident_id, expected_seq, records):
        have = self.events.setdefault(incident_id, [])
        if len(have) != expected_seq:
            raise inc.ConflictError(message="have %d, expected %d" % (len(have), expected_seq))
        have.extend(records)

    def read(self, incident_id, from_seq):
        if incident_id not in self.events:
            raise inc.NotFoundError(message="no incident " + incident_id)
        return [(seq, data) for seq, data in enumerate(self.events[incident_id], 1)
                if seq >= from_seq]

    def list(self):
        return list(self.events)


class BlobDictBackend(DictBackend):
    """The same with blobs in a second dict."""

    def __init__(self):
        super().__init__()
        self.blobs = {}
        self.puts = 0

    def put_blob(self, key, data):
        self.puts += 1
        self.blobs.setdefault(key, bytes(data))

    def get_blob(self, key):
        if key not in self.blobs:
            raise inc.NotFoundError(message="no blob " + key)
        return self.blobs[key]


class PutOnly(DictBackend):
    def put_blob(self, key, data):
        pass


class StoresKeepBlobs(unittest.TestCase):
    """inc_store_put_blob / inc_store_get_blob over each store that keeps blobs."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def stores(self):
        yield "memory", inc.Store.memory()
        yield "journal", inc.Store.journal(os.path.join(self.tmp.name, "journal"))
        yield "sqlite", inc.Store.from_backend(
            inc.SQLiteStore(os.path.join(self.tmp.name, "blobs.db")))
        yield "python", inc.Store.from_backend(BlobDictBackend())

    def test_put_get_round_trip(self):
        for name, store in self.stores():
            with self.subTest(store=name), store:
                self.assertEqual(store.put_blob(ALL_BYTES), ALL_BYTES_KEY)
                self.assertEqual(store.put_blob(ALL_BYTES), ALL_BYTES_KEY)  # idempotent
                self.assertEqual(store.get_blob(ALL_BYTES_KEY), ALL_BYTES)
                self.assertEqual(store.put_blob(b""), EMPTY_KEY)
                self.assertEqual(store.get_blob(EMPTY_KEY), b"")
                self.assertEqual(store.ids(), [])  # a blob is no incident

    def test_bad_and_unknown_keys(self):
        for name, store in self.stores():
            with self.subTest(store=name), store:
                with self.assertRaises(inc.NotFoundError):
                    store.get_blob("0" * 64)
                for bad in (EMPTY_KEY.upper(), EMPTY_KEY[:63], EMPTY_KEY + "0",
                            "../../etc/passwd", ""):
                    with self.assertRaises(inc.InvalidError) as cm:
                        store.get_blob(bad)
                    self.assertIn("64 lowercase hex digits", cm.exception.message)

    def test_the_key_is_the_sha256(self):
        with inc.Store.memory() as store:
            data = "Sev-1 \u2014 customer facing\n".encode("utf-8")
            self.assertEqual(store.put_blob(data), hashlib.sha256(data).hexdigest())


class PythonBackends(unittest.TestCase):
    def test_without_blob_methods_declarations_carry_the_text(self):
        backend = DictBackend()
        with inc.Store.from_backend(backend) as store:
            incident_id, doc = declare(store)
            self.assertIn('"rubrics":{}', doc)
            first = backend.events[incident_id][0]
            self.assertEqual(inc.blob_keys(first), [])
            self.assertGreater(len(first), 2048)  # the whole rubric
            with self.assertRaises(inc.UnsupportedError):
                store.put_blob(b"x")
            with self.assertRaises(inc.UnsupportedError):
                store.get_blob(EMPTY_KEY)
            with inc.Context(store=store) as ctx, ctx.open(incident_id) as opened:
                self.assertEqual(opened.export_json(), doc)

    def test_with_blob_methods_the_rubric_is_stored_once(self):
        backend = BlobDictBackend()
        with inc.Store.from_backend(backend) as store:
            first_id, doc = declare(store, "first")
            second_id, _ = declare(store, "second")
            self.assertEqual(len(backend.blobs), 1)
            (key, text), = rubrics_of(doc).items()
            self.assertEqual(backend.blobs[key], text.encode("utf-8"))
            for incident_id in (first_id, second_id):
                declared = backend.events[incident_id][0]
                self.assertEqual(inc.blob_keys(declared), [key])
                self.assertLess(len(declared), 512)
            with inc.Context(store=store) as ctx, ctx.open(first_id) as opened:
                self.assertEqual(opened.export_json(), doc)

    def test_a_lost_blob_makes_the_incident_unreadable(self):
        backend = BlobDictBackend()
        with inc.Store.from_backend(backend) as store:
            incident_id, _ = declare(store)
        backend.blobs.clear()
        with inc.Store.from_backend(backend) as store, inc.Context(store=store) as ctx:
            with self.assertRaises(inc.CorruptError) as cm:
                ctx.open(incident_id)
            self.assertIn("not in the store", cm.exception.message)

    def test_a_changed_blob_is_refused(self):
        backend = BlobDictBackend()
        with inc.Store.from_backend(backend) as store:
            incident_id, _ = declare(store)
        (key, text), = backend.blobs.items()
        backend.blobs[key] = text.replace(b"Sev-1", b"Sev-9", 1)
        with inc.Store.from_backend(backend) as store, inc.Context(store=store) as ctx:
            with self.assertRaises(inc.CorruptError):
                ctx.open(incident_id)
            with self.assertRaises(inc.CorruptError) as cm:
                store.get_blob(key)
            self.assertIn("do not match their hash", cm.exception.message)

    def test_backend_errors_in_blob_methods(self):
        class Failing(BlobDictBackend):
            def put_blob(self, key, data):
                raise OSError(28, "No space left on device")

        with inc.Store.from_backend(Failing()) as store, inc.Context(store=store) as ctx:
            with self.assertRaises(inc.StoreIOError) as cm:
                ctx.declare("Disk full", "alice", "Sev-3")
            self.assertIsInstance(cm.exception.__cause__, OSError)
            self.assertEqual(store.ids(), [])  # no declaration without its blob

    def test_both_or_neither(self):
        with self.assertRaises(TypeError) as cm:
            inc.Store.from_backend(PutOnly())
        self.assertIn("both", str(cm.exception))


class SQLiteBlobs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "incidents.db")

    def tearDown(self):
        self.tmp.cleanup()

    def open_store(self):
        return inc.Store.from_backend(inc.SQLiteStore(self.path))

    def test_the_rubric_is_one_row(self):
        with self.open_store() as store:
            declare(store, "first")
            _, doc = declare(store, "second")
        db = sqlite3.connect(self.path)
        rows = db.execute("SELECT key, data FROM incident_events_blobs").fetchall()
        db.close()
        self.assertEqual([(k, bytes(d).decode("utf-8")) for k, d in rows],
                         list(rubrics_of(doc).items()))

    def test_a_changed_blob_is_corrupt(self):
        with self.open_store() as store:
            incident_id, _ = declare(store)
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("UPDATE incident_events_blobs SET data = CAST(REPLACE(CAST(data AS TEXT), "
                   "'Sev-1', 'Sev-9') AS BLOB)")
        db.close()
        with self.open_store() as store, inc.Context(store=store) as ctx:
            with self.assertRaises(inc.CorruptError) as cm:
                ctx.open(incident_id)
            self.assertIn(incident_id, cm.exception.message)

    def test_a_database_from_before_blobs_gains_the_table(self):
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("CREATE TABLE incident_events (incident TEXT NOT NULL, seq INTEGER NOT NULL "
                   "CHECK (seq >= 1), data BLOB NOT NULL, UNIQUE (incident, seq))")
        db.close()
        with self.open_store() as store:
            incident_id, doc = declare(store)
            self.assertEqual(len(rubrics_of(doc)), 1)
        with self.open_store() as store, inc.Context(store=store) as ctx:
            ctx.open(incident_id).close()


class RawCopies(unittest.TestCase):
    """A tool that copies raw timelines copies the blobs they name."""

    def test_events_without_their_blob_do_not_open(self):
        with inc.Store.memory() as store, inc.Store.memory() as copy:
            incident_id, _ = declare(store)
            copy.append(incident_id, 0, [data for _, data in store.read(incident_id)])
            with inc.Context(store=copy) as ctx:
                with self.assertRaises(inc.CorruptError) as cm:
                    ctx.open(incident_id)
                self.assertIn("not in the store", cm.exception.message)

    def test_copy_incident_carries_the_blob(self):
        with tempfile.TemporaryDirectory() as tmp:
            with inc.Store.memory() as store, \
                    inc.Store.journal(os.path.join(tmp, "j")) as journal:
                incident_id, doc = declare(store, notes=2)
                self.assertEqual(store.copy_incident(incident_id, journal), 3)
                with inc.Context(store=journal) as ctx, ctx.open(incident_id) as opened:
                    self.assertEqual(opened.export_json(), doc)
                    opened.verify()
                with self.assertRaises(inc.ConflictError):
                    store.copy_incident(incident_id, journal)

    def test_copy_to_a_store_without_blobs_appends_nothing(self):
        backend = DictBackend()
        with inc.Store.memory() as store, inc.Store.from_backend(backend) as blobless:
            incident_id, _ = declare(store)
            with self.assertRaises(inc.UnsupportedError):
                store.copy_incident(incident_id, blobless)
            self.assertEqual(backend.events, {})

    def test_copy_of_inline_declarations_needs_no_blob(self):
        with inc.Store.from_backend(DictBackend()) as blobless, inc.Store.memory() as store:
            incident_id, doc = declare(blobless)
            self.assertEqual(blobless.copy_incident(incident_id, store), 2)
            with inc.Context(store=store) as ctx, ctx.open(incident_id) as opened:
                self.assertEqual(opened.export_json(), doc)


class BlobKeys(unittest.TestCase):
    def test_only_the_declaration_names_a_key(self):
        with inc.Store.memory() as store:
            incident_id, doc = declare(store, notes=2)
            keys = [inc.blob_keys(data) for _, data in store.read(incident_id)]
        self.assertEqual(keys, [list(rubrics_of(doc)), [], []])

    def test_bad_bytes(self):
        with inc.Store.memory() as store:
            incident_id, _ = declare(store)
            declared = store.read(incident_id)[0][1]
        with self.assertRaises(inc.CorruptError):
            inc.blob_keys(declared[:63])
        with self.assertRaises(inc.CorruptError):
            inc.blob_keys(declared[:-2])  # the last field runs past the end
        with self.assertRaises(inc.CorruptError):
            inc.blob_keys(declared[:64] + declared[64:70])  # a field header cut short
        with self.assertRaises(inc.VersionError):
            inc.blob_keys(b"\x02" + declared[1:])
        no_fields = bytearray(declared[:64])
        struct.pack_into("<H", no_fields, 2, 0)
        with self.assertRaises(inc.CorruptError):  # its length field says more
            inc.blob_keys(bytes(no_fields))


if __name__ == "__main__":
    unittest.main()
