"""Threads on one journal (issue 16, item 1): each thread has its own
Context and journal handle on the same directory and adds notes to the same
incidents; every acknowledged note must be there exactly once, and every
file must verify, under every sync policy. (ctypes releases the GIL in each
library call, so the threads do run the library at the same time.)"""

import os
import re
import tempfile
import threading
import unittest

import libincident as inc

THREADS = 4
INCIDENTS = 2
NOTES = {inc.SyncPolicy.EVERY: 25, inc.SyncPolicy.GROUP: 25, inc.SyncPolicy.NONE: 200}
NOTE = re.compile(r"^thread (\d+) note (\d+)$")


def note_retrying(incident, text):
    """Add a note, reloading and trying again while another writer was first."""
    for _ in range(1000):
        try:
            incident.note("tester", text)
            return
        except inc.ConflictError:
            incident.reload()
    raise AssertionError("no end to conflicts for %r" % text)


class JournalThreads(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.tmp.name, "journal")

    def tearDown(self):
        self.tmp.cleanup()

    def run_threads(self, policy):
        with inc.Store.journal(self.dir) as store, inc.Context(store=store) as ctx:
            ids = []
            for title in ("Payments API latency", "Checkout errors in eu-west"):
                with ctx.declare(title, "dana", "Sev-2") as incident:
                    ids.append(incident.id)
        notes = NOTES[policy]
        acked = [set() for _ in range(INCIDENTS)]
        failures = []
        start = threading.Barrier(THREADS)

        def worker(tag):
            try:
                with inc.Store.journal(self.dir, sync=policy, group_count=4, group_ms=2) as store, \
                        inc.Context(store=store) as ctx:
                    incidents = [ctx.open(i) for i in ids]
                    start.wait()
                    for n in range(notes):
                        k = (n + tag) % INCIDENTS
                        note_retrying(incidents[k], "thread %d note %d" % (tag, n))
                        acked[k].add((tag, n))  # set.add is atomic under the GIL
                    for incident in incidents:
                        incident.close()
            except Exception as exc:  # reported by the test thread
                failures.append("thread %d: %r" % (tag, exc))
                start.abort()

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        with inc.Store.journal(self.dir) as store, inc.Context(store=store) as ctx:
            for k, incident_id in enumerate(ids):
                store.journal_verify(incident_id)
                with ctx.open(incident_id) as incident:
                    incident.verify()
                    found = [tuple(int(x) for x in NOTE.match(e.text).groups())
                             for e in incident.events() if e.kind == "note"]
                self.assertEqual(len(found), len(set(found)), "a note twice")
                self.assertEqual(set(found), acked[k])
                self.assertEqual(len(found), THREADS * notes // INCIDENTS)

    def test_threads_policy_every(self):
        self.run_threads(inc.SyncPolicy.EVERY)

    def test_threads_policy_group(self):
        self.run_threads(inc.SyncPolicy.GROUP)

    def test_threads_policy_none(self):
        self.run_threads(inc.SyncPolicy.NONE)


if __name__ == "__main__":
    unittest.main()
