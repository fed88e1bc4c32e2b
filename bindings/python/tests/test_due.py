"""What is due (incident/due.h): due items of one incident, paging records,
deadline clocks, PagerDuty JSON, and the scheduler with its wait/poll loop."""

import gc
import json
import tempfile
import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

import libincident as inc
from libincident import DeadlineClockStatus, DueKind
from test_store import DictBackend

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)

KEY = "R0UT1NGKEY0123456789abcdefABCDEF"  # Events API v2: 32 letters and digits


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


class FailingBackend(DictBackend):
    """Appends fail once ``budget`` more have succeeded (None: never)."""

    budget = None

    def append(self, incident_id, expected_seq, records):
        if self.budget is not None:
            if self.budget == 0:
                raise OSError("disk full")
            self.budget -= 1
        super().append(incident_id, expected_seq, records)


class OneIncident(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)
        self.inc = self.ctx.declare("Payments failing", "alice", "Sev-1")

    def tearDown(self):
        self.ctx.close()

    def test_names(self):
        self.assertEqual(str(DueKind.ESCALATION), "escalation")
        self.assertEqual(inc.due_kind_name(DueKind.ACK_EXPIRED), "ack_expired")
        self.assertEqual([inc.due_kind_name(k) for k in DueKind][-3:],
                         ["postmortem", "action_item", "alert_resolved"])
        self.assertIsNone(inc.due_kind_name(0))
        self.assertEqual([str(s) for s in DeadlineClockStatus],
                         ["running", "met", "missed", "cancelled"])
        self.assertIsNone(inc.deadline_clock_status_name(9))

    def test_due_looks_without_recording(self):
        i = self.inc
        self.assertEqual(i.next_due, T0)  # the required communications are due at once
        seq = i.last_seq
        ahead = i.due(within=20 * MIN)
        kinds = [x.kind for x in ahead]
        self.assertIn(DueKind.ACK, kinds)
        self.assertIn(DueKind.ESCALATION, kinds)
        step = [x for x in ahead if x.kind == DueKind.ESCALATION][0]
        self.assertEqual((step.due, step.late, step.step, step.loop, step.seq, step.target),
                         (T0 + 15 * MIN, -15 * MIN, 1, 0, 0, "on-call,backup"))
        self.assertEqual((step.incident_id, step.rule_id, step.kind_name, step.severity,
                          step.level_index, step.level_count),
                         (i.id, "ESC-1", "escalation", "Sev-1", 1, 5))
        self.assertEqual(step.dedup_key, i.id + "/esc/Sev-1/1")
        self.assertEqual(i.last_seq, seq)  # nothing recorded
        self.assertEqual(ahead, sorted(ahead, key=lambda x: x.due))
        now = i.due()
        self.assertTrue(all(x.due <= T0 for x in now))
        with self.assertRaises(inc.InvalidError):
            i.due(within=-MIN)

    def test_deliver_fires_once(self):
        i = self.inc
        self.clock.now += 16 * MIN
        with i.deliver_due("pager", max=2) as first:
            self.assertEqual(len(first), 2)
        rest = i.deliver_due("pager")
        self.assertTrue(rest)
        self.assertEqual(i.deliver_due("pager"), [])  # never again
        step = [x for x in rest if x.kind == DueKind.ESCALATION][0]
        self.assertEqual(step.late, MIN)
        ev = i.event(step.seq - 1)
        self.assertEqual((ev.kind, ev.actor), ("page_requested", "pager"))
        kinds = [e.kind for e in i.events()]
        self.assertEqual(kinds.count("due_delivered"), len(first) + len(rest) - 1)
        self.assertGreater(i.next_due, self.clock.now)

    def test_pages_and_acknowledgement(self):
        i = self.inc
        first = i.page_request("pager", "on-call", "first page")
        self.assertEqual(i.first_page_at, T0)
        self.assertEqual(i.pages()[0].person, None)
        self.clock.now += 2 * MIN
        i.page_sent("pager", first, "bob")
        i.page_sent("pager", first, "carol")
        with self.assertRaises(inc.ExistsError):
            i.page_sent("pager", first, "bob")
        with self.assertRaises(inc.NotFoundError):
            i.page_sent("pager", 1, "bob")  # the declaration is not a page
        pages = i.pages()
        self.assertEqual([(p.request_seq, p.person, p.sent_at) for p in pages],
                         [(first, "bob", T0 + 2 * MIN), (first, "carol", T0 + 2 * MIN)])
        self.assertEqual((pages[0].target, pages[0].severity, pages[0].step, pages[0].resolved),
                         ("on-call", None, 0, ()))
        self.assertGreater(pages[0].sent_seq, first)
        self.assertIsNone(i.acknowledged_at)
        self.assertIsNone(i.first_ack_at)
        with self.assertRaises(inc.NotFoundError):
            i.acknowledge("bob", 999)
        self.clock.now += MIN
        i.acknowledge("bob", first)
        self.assertEqual((i.acknowledged_at, i.acknowledged_by, i.first_ack_at),
                         (T0 + 3 * MIN, "bob", T0 + 3 * MIN))
        with self.assertRaises(inc.InvalidError):
            i.page_request("pager", "", None)
        # Acknowledged: no ESC-3 item and no unacknowledged step at 15 minutes.
        self.clock.now = T0 + 16 * MIN
        kinds = [x.kind for x in i.deliver_due("pager")]
        self.assertNotIn(DueKind.ACK, kinds)
        self.assertNotIn(DueKind.ESCALATION, kinds)

    def test_deadline_clocks(self):
        i = self.inc
        due = T0 + timedelta(hours=72)
        with self.assertRaises(inc.PermissionDeniedError):
            i.start_deadline_clock("bob", "gdpr", due)
        i.start_deadline_clock("alice", "gdpr", due, remind_before=timedelta(hours=12),
                         text="breach notification")
        with self.assertRaises(inc.ExistsError):
            i.start_deadline_clock("alice", "gdpr", due)
        with self.assertRaises(inc.InvalidError):
            i.start_deadline_clock("alice", "x", due, remind_before=timedelta(hours=-1))
        i.start_deadline_clock("alice", "sec", T0 + timedelta(hours=1))
        [d, s] = i.deadline_clocks()
        self.assertEqual((d.name, d.text, d.started_by, d.started_at, d.deadline),
                         ("gdpr", "breach notification", "alice", T0, due))
        self.assertEqual((d.remind_before, d.status, d.overdue, d.stopped_by, d.stopped_at),
                         (timedelta(hours=12), DeadlineClockStatus.RUNNING, False, None, None))
        self.assertEqual((s.remind_before, s.text), (None, ""))
        self.clock.now = T0 + timedelta(hours=60, minutes=1)
        items = [x for x in i.deliver_due("pager") if x.target in ("gdpr", "sec")]
        self.assertEqual(sorted((x.kind, x.target) for x in items),
                         [(DueKind.DEADLINE_REMINDER, "gdpr"), (DueKind.DEADLINE, "sec")])
        self.assertTrue(i.deadline_clocks()[1].overdue)
        with self.assertRaises(inc.NotFoundError):
            i.stop_deadline_clock("alice", "nope")
        with self.assertRaises(inc.PermissionDeniedError):
            i.stop_deadline_clock("bob", "gdpr")
        i.stop_deadline_clock("alice", "gdpr", text="filed ref 42")
        i.stop_deadline_clock("alice", "sec", cancelled=True)
        d, s = i.deadline_clocks()
        self.assertEqual((d.status, d.stopped_by, d.stopped_at),
                         (DeadlineClockStatus.MET, "alice", self.clock.now))
        self.assertEqual(s.status, DeadlineClockStatus.CANCELLED)
        self.assertGreater(d.seq, 1)

    def test_pagerduty(self):
        i = self.inc
        self.clock.now += 15 * MIN
        due = i.deliver_due("pager")
        step = [x for x in due if x.kind == DueKind.ESCALATION][0]
        doc = json.loads(due.pagerduty(step, KEY, source="checkout"))
        self.assertEqual((doc["routing_key"], doc["event_action"], doc["dedup_key"]),
                         (KEY, "trigger", step.dedup_key))
        self.assertEqual((doc["payload"]["source"], doc["payload"]["severity"],
                          doc["payload"]["class"]), ("checkout", "critical", "escalation"))
        self.assertEqual(json.loads(due.pagerduty(0, KEY))["payload"]["source"], "libincident")
        linked = json.loads(due.pagerduty(0, KEY, incident_url="https://ops.example.com/i/1"))
        self.assertEqual((linked["client_url"], linked["links"][0]["href"]),
                         ("https://ops.example.com/i/1", "https://ops.example.com/i/1"))
        with self.assertRaises(inc.InvalidError):
            due.pagerduty(0, KEY[:31])  # an integration key is 32 characters
        with self.assertRaises(inc.InvalidError):
            due.pagerduty(0, KEY, incident_url="ftp://x")
        with self.assertRaises(inc.NotFoundError):
            due.pagerduty(len(due), KEY)
        with self.assertRaises(inc.InvalidError):
            due.pagerduty(0, "")
        with self.assertRaises(inc.NotFoundError):
            due.pagerduty(inc.DueItem(*step.__dict__.values()), KEY)  # equal, not in the list
        due.close()
        self.assertTrue(due.closed)
        self.assertIn(step, due)  # the copied items outlive the library's list
        with self.assertRaises(inc.InvalidError):
            due.pagerduty(0, KEY)
        resolve = json.loads(inc.pagerduty_event("resolve", KEY, step.dedup_key))
        self.assertEqual((resolve["event_action"], resolve["dedup_key"]),
                         ("resolve", step.dedup_key))
        self.assertEqual(json.loads(inc.pagerduty_event("acknowledge", KEY, "d"))["event_action"],
                         "acknowledge")
        with self.assertRaises(inc.InvalidError):
            inc.pagerduty_event("trigger", KEY, "d")
        with self.assertRaises(inc.InvalidError):
            inc.pagerduty_event("resolve", KEY, None)

    def test_pagerduty_from_the_timeline(self):
        """ESC-2: a step triggers, the acknowledgement acknowledges it, the
        resolution resolves it, under one dedup_key."""
        i = self.inc
        self.clock.now += 15 * MIN
        step = [x for x in i.deliver_due("pager") if x.kind == DueKind.ESCALATION][0]
        i.acknowledge("bob")
        for state in ("investigating", "mitigating", "monitoring"):
            i.set_state("alice", state)
        i.set_state("alice", "resolved", "Checked by hand.")
        actions = [doc["event_action"]
                   for seq in range(1, len(i) + 1)
                   for doc in map(json.loads, i.pagerduty_json(seq, KEY, incident_url="https://x.example/i"))
                   if doc["dedup_key"] == step.dedup_key]
        self.assertEqual(actions, ["trigger", "acknowledge", "resolve"])
        self.assertEqual(i.pagerduty_json(1, KEY), [])
        with self.assertRaises(inc.InvalidError):
            i.pagerduty_json(1, KEY[:31])
        with self.assertRaises(inc.InvalidError):
            i.pagerduty_json(0, KEY)
        with self.assertRaises(inc.NotFoundError):
            i.pagerduty_json(len(i) + 1, KEY)

    def test_an_empty_list(self):
        self.inc.deliver_due("pager")  # the communications due at once
        empty = self.inc.due()
        self.assertEqual(list(empty), [])
        with self.assertRaises(inc.NotFoundError):
            empty.pagerduty(0, KEY)


class PartialFailure(unittest.TestCase):
    def test_delivery_that_fails_part_way_carries_what_it_recorded(self):
        backend = FailingBackend()
        clock = Clock()
        with inc.Store.from_backend(backend) as store, \
                inc.Context(clock=clock, store=store) as ctx:
            i = ctx.declare("Payments failing", "alice", "Sev-1")
            clock.now += 30 * MIN
            pending = len(i.due())
            self.assertGreater(pending, 2)
            backend.budget = 2
            with self.assertRaises(inc.StoreIOError) as cm:
                i.deliver_due("pager")
            self.assertEqual(len(cm.exception.due), 2)
            self.assertIsInstance(cm.exception.__cause__, OSError)
            backend.budget = None
            self.assertEqual(len(i.deliver_due("pager")), pending - 2)


class SchedulerTests(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)

    def tearDown(self):
        self.ctx.close()

    def test_poll_across_incidents(self):
        s = inc.Scheduler(self.ctx, actor="pager", max_open=4)
        self.assertEqual((len(s), s.next_due), (0, None))
        a = self.ctx.declare("Payments failing", "alice", "Sev-1")
        b = self.ctx.declare("Search slow", "bob", "Sev-3")
        self.assertEqual(len(s), 2)
        self.assertEqual(s.next_due, T0)
        self.clock.now += 31 * MIN
        due = s.poll()
        self.assertEqual({x.incident_id for x in due}, {a.id, b.id})
        self.assertTrue(all(x.seq > 0 for x in due))
        a.reload()
        self.assertIn("page_requested", [e.kind for e in a.events()])
        self.assertEqual(a.events()[-1].actor, "pager")
        self.assertEqual(s.poll(), [])  # fires once
        self.assertGreater(s.next_due, self.clock.now)
        s.forget(b.id)
        with self.assertRaises(inc.NotFoundError):
            s.forget(b.id)
        s.watch(b.id)
        with self.assertRaises(inc.NotFoundError) as cm:
            s.watch("no-such-incident")
        self.assertTrue(cm.exception.message)
        s.close()
        with self.assertRaises(inc.InvalidError):
            s.poll()

    def test_one_scheduler_per_context_and_ownership(self):
        s = inc.Scheduler(self.ctx)
        with self.assertRaises(inc.ExistsError):
            inc.Scheduler(self.ctx)
        del s
        gc.collect()
        s = inc.Scheduler(self.ctx)  # the first was freed with its object
        self.ctx.close()  # closes the scheduler first, as the library needs
        self.assertTrue(s.closed)
        with self.assertRaises(inc.InvalidError):
            inc.Scheduler(self.ctx)

    def test_restart_delivers_nothing_twice(self):
        with tempfile.TemporaryDirectory() as d:
            with inc.Store.journal(d, sync=inc.SyncPolicy.NONE) as store:
                with inc.Context(clock=self.clock, store=store) as ctx:
                    s = inc.Scheduler(ctx)
                    ctx.declare("Payments failing", "alice", "Sev-1")
                    self.clock.now = T0 + 16 * MIN
                    before = s.poll()
                    self.assertTrue(before)
                self.assertTrue(s.closed)
                self.clock.now = T0 + 40 * MIN  # the program was away
                with inc.Context(clock=self.clock, store=store) as ctx, \
                        inc.Scheduler(ctx) as s:
                    s.load()
                    after = s.poll()
                    keys = {x.dedup_key for x in before}
                    self.assertTrue(after)
                    self.assertFalse(keys & {x.dedup_key for x in after})
                    step = [x for x in after if x.kind == DueKind.ESCALATION][0]
                    self.assertEqual((step.due, step.late), (T0 + 30 * MIN, 10 * MIN))

    def test_wait(self):
        s = inc.Scheduler(self.ctx)
        self.assertTrue(s.wait(max_wait=timedelta(milliseconds=1)))  # nothing scheduled
        self.ctx.declare("Payments failing", "alice", "Sev-1")
        self.clock.now += MIN
        start = time.monotonic()
        self.assertTrue(s.wait())  # due already: no sleep
        self.assertLess(time.monotonic() - start, 1)
        s.poll()
        start = time.monotonic()
        self.assertTrue(s.wait(max_wait=timedelta(milliseconds=50)))  # due in 4 min: capped
        self.assertGreaterEqual(time.monotonic() - start, 0.04)
        stop = threading.Event()
        threading.Timer(0.05, stop.set).start()
        start = time.monotonic()
        self.assertFalse(s.wait(max_wait=timedelta(seconds=30), stop=stop))
        self.assertLess(time.monotonic() - start, 10)
        self.assertFalse(s.wait(stop=stop))

    def test_run_hands_every_item_to_the_handler(self):
        s = inc.Scheduler(self.ctx)
        i = self.ctx.declare("Payments failing", "alice", "Sev-1")
        self.clock.now += 16 * MIN
        stop = threading.Event()
        seen = []

        def handler(due, error):
            self.assertIsNone(error)
            seen.extend(due)
            pd = due.pagerduty(0, KEY)
            self.assertIn('"trigger"', pd)
            stop.set()

        s.run(handler, stop=stop, max_wait=timedelta(milliseconds=10))
        self.assertTrue(seen)
        self.assertEqual({x.incident_id for x in seen}, {i.id})

    def test_run_reports_a_failed_poll_and_stops_on_handler_error(self):
        backend = FailingBackend()
        with inc.Store.from_backend(backend) as store, \
                inc.Context(clock=self.clock, store=store) as ctx:
            s = inc.Scheduler(ctx)
            ctx.declare("Payments failing", "alice", "Sev-1")
            self.clock.now += 16 * MIN
            backend.budget = 1
            calls = []

            def handler(due, error):
                calls.append((len(due), error))
                raise KeyError("stop here")

            with self.assertRaises(KeyError):
                s.run(handler, max_wait=timedelta(milliseconds=10))
            [(count, error)] = calls
            self.assertEqual(count, 1)
            self.assertIsInstance(error, inc.StoreIOError)
            self.assertTrue(error.message)


if __name__ == "__main__":
    unittest.main()
