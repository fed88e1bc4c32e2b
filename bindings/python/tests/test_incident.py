"""Incidents through a Context: every call, its success and its errors."""

import json
import unittest
from datetime import datetime, timedelta, timezone

import libincident as inc
from libincident import State

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)


class Clock:
    """A fake clock that moves on one minute per call of tick()."""

    def __init__(self, start=T0):
        self.now = start

    def __call__(self):
        return self.now

    def tick(self, minutes=1):
        self.now += timedelta(minutes=minutes)


class Base(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)
        self.inc = self.ctx.declare("Database primary CPU at 95%", "alice", "Sev-2",
                                    criteria=inc.Criteria.CUSTOMER_VISIBLE)

    def tearDown(self):
        self.ctx.close()


class Declare(Base):
    def test_properties_after_declare(self):
        i = self.inc
        self.assertEqual(i.id, "2026-11-23-database-primary-cpu-at-95")
        self.assertEqual(i.channel, "inc-" + i.id)
        self.assertEqual(i.title, "Database primary CPU at 95%")
        self.assertEqual((i.declarer, i.ic, i.severity, i.severity_index),
                         ("alice", "alice", "Sev-2", 2))
        self.assertEqual(i.state, State.DECLARED)
        self.assertEqual(i.criteria, inc.Criteria.CUSTOMER_VISIBLE)
        self.assertFalse(i.drill)
        self.assertEqual(i.declared_at, T0)
        self.assertEqual(i.declared_at.tzinfo, timezone.utc)
        for t in (i.impact_started, i.detected, i.mitigated_at, i.resolved_at):
            self.assertIsNone(t)
        self.assertEqual((i.last_seq, len(i)), (1, 1))
        with i.rubric as r, self.ctx.rubric as cr:
            self.assertEqual(r, cr)

    def test_declare_options(self):
        started = T0 - timedelta(minutes=20)
        with self.ctx.declare("Game day: failover", "bob", "Sev-3", impact_started=started,
                              detected=T0 - timedelta(minutes=5), drill=True, slug="failover drill",
                              criteria=inc.Criteria.SECURITY | inc.Criteria.UNKNOWN) as d:
            self.assertEqual(d.id, "2026-11-23-failover-drill")
            self.assertTrue(d.drill)
            self.assertEqual(d.impact_started, started)
            self.assertEqual(d.detected, T0 - timedelta(minutes=5))
            self.assertEqual(d.criteria, inc.Criteria.SECURITY | inc.Criteria.UNKNOWN)

    def test_same_title_gets_next_suffix(self):
        with self.ctx.declare("Database primary CPU at 95%", "bob", "Sev-3") as again:
            self.assertEqual(again.id, self.inc.id + "-2")
        self.assertEqual(sorted(self.ctx.ids()), sorted([self.inc.id, self.inc.id + "-2"]))

    def test_declare_errors(self):
        with self.assertRaises(inc.InvalidError) as cm:
            self.ctx.declare("t", "alice", "Sev-9")
        self.assertIn("severity", cm.exception.message)
        with self.assertRaises(inc.InvalidError):
            self.ctx.declare("t", "", "Sev-2")
        with self.assertRaises(inc.InvalidError):
            self.ctx.declare("t", "alice", "Sev-2", criteria=1 << 9)
        with self.assertRaises(ValueError):
            self.ctx.declare("t", "alice", "Sev-2", detected=datetime(2026, 1, 1))  # naive
        with self.assertRaises(TypeError):
            self.ctx.declare("t", 42, "Sev-2")
        with self.assertRaises(ValueError):
            self.ctx.declare("t\0x", "alice", "Sev-2")
        with self.assertRaises(inc.InvalidError):
            self.ctx.declare(b"\xff\xfe", "alice", "Sev-2")  # not UTF-8


class Changes(Base):
    def test_lifecycle_to_resolution(self):
        i = self.inc
        for state, text in ((State.INVESTIGATING, None), ("mitigating", "rolling back"),
                            (State.MONITORING, "rollback done")):
            self.clock.tick()
            i.set_state("alice", state, text)
        self.assertEqual(i.mitigated_at, T0 + timedelta(minutes=3))
        with self.assertRaises(inc.InvalidError):
            i.set_state("alice", State.RESOLVED)  # LIFE-2: needs the verification
        with self.assertRaises(inc.StateError):
            i.set_state("alice", State.CLOSED)
        with self.assertRaises(inc.PermissionDeniedError):
            i.set_state("bob", State.RESOLVED, "fine")
        self.clock.tick()
        i.set_state("alice", State.RESOLVED, "error rate normal for 15 minutes")
        self.assertEqual(i.state, State.RESOLVED)
        self.assertEqual(i.resolved_at, T0 + timedelta(minutes=4))
        self.assertEqual(str(i.state), "resolved")
        with self.assertRaises(inc.NotFoundError):
            i.set_state("alice", "no-such-state")

    def _resolve(self):
        for state in ("investigating", "mitigating", "monitoring"):
            self.clock.tick()
            self.inc.set_state("alice", state)
        self.clock.tick()
        self.inc.set_state("alice", "resolved", "error rate normal for 15 minutes")

    def test_LIFE_4_reopen(self):
        i = self.inc
        with self.assertRaises(inc.StateError):
            i.reopen("alice", "investigating", "not resolved yet")
        self._resolve()
        with self.assertRaises(inc.PermissionDeniedError):
            i.reopen("bob", "investigating", "errors again")
        with self.assertRaises(inc.InvalidError):
            i.reopen("alice", State.MONITORING, "errors again")
        with self.assertRaises(inc.InvalidError):
            i.reopen("alice", State.INVESTIGATING, "")
        self.assertEqual((i.state, i.reopen_count, i.reopened_at), (State.RESOLVED, 0, None))
        self.clock.tick(30)
        i.reopen("alice", State.MITIGATING, "errors again after the cache expired")
        self.assertEqual(i.state, State.MITIGATING)
        self.assertEqual(i.reopen_count, 1)
        self.assertEqual(i.reopened_at, T0 + timedelta(minutes=34))
        self.assertIsNone(i.resolved_at)
        last = i.event(-1)
        self.assertEqual((last.kind, last.event_kind), ("reopened", inc.EventKind.REOPENED))

    def test_LIFE_4_closed_is_never_reopened(self):
        i = self.ctx.declare("Typo", "carol", "Sev-4")
        for state in ("investigating", "mitigating", "monitoring"):
            i.set_state("carol", state)
        i.set_state("carol", "resolved", "fixed")
        i.set_state("carol", "closed")
        with self.assertRaises(inc.StateError) as cm:
            i.reopen("carol", "investigating", "it is back")
        self.assertIn("recurrence", str(cm.exception))

    def test_LIFE_5_links(self):
        other = self.ctx.declare("Payments erroring", "bob", "Sev-2")
        with self.assertRaises(inc.InvalidError):
            other.add_link("bob", "duplicate-of", other.id)  # a duplicate of itself
        with self.assertRaises(inc.PermissionDeniedError):
            other.add_link("alice", "duplicate-of", self.inc.id)
        with self.assertRaises(inc.StateError):
            other.add_link("bob", inc.LinkKind.RECURRENCE_OF, self.inc.id)  # not closed
        other.add_link("bob", "related", self.inc.id, "same region")
        other.add_link("bob", inc.LinkKind.DUPLICATE_OF, self.inc.id)
        self.assertEqual(other.state, State.CLOSED)
        self.assertEqual(other.duplicate_of, self.inc.id)
        self.assertIsNone(self.inc.duplicate_of)
        links = other.links
        self.assertEqual([(l.kind, l.incident_id, l.text) for l in links],
                         [(inc.LinkKind.RELATED, self.inc.id, "same region"),
                          (inc.LinkKind.DUPLICATE_OF, self.inc.id, None)])
        self.assertEqual(str(links[1].kind), "duplicate_of")
        self.assertEqual(links[0].by, "bob")
        with self.assertRaises(inc.InvalidError):
            self.inc.add_link("alice", "duplicate_of", other.id)  # a cycle
        with self.assertRaises(inc.NotFoundError):
            self.inc.add_link("alice", "sibling", other.id)
        m = self.ctx.metrics()
        self.assertEqual((m.incident_count, m.duplicate_count), (1, 1))

    def test_severity(self):
        self.inc.set_severity("alice", "Sev-1", "US affected too")
        self.assertEqual((self.inc.severity, self.inc.severity_index), ("Sev-1", 1))
        with self.assertRaises(inc.InvalidError):
            self.inc.set_severity("alice", "Sev-1", "again")  # unchanged
        with self.assertRaises(inc.InvalidError):
            self.inc.set_severity("alice", "Sev-0", "")  # no justification
        with self.assertRaises(inc.PermissionDeniedError) as cm:
            self.inc.set_severity("bob", "Sev-0", "worse")
        self.assertEqual(cm.exception.code, -7)
        self.assertEqual(self.inc.last_seq, 2)  # failures changed nothing

    def test_note_and_correct(self):
        self.inc.note("bob", "CPU at 95% since the deploy")
        self.inc.correct("carol", 2, "since 14:02")
        last = self.inc.event(-1)
        self.assertEqual((last.kind, last.ref_seq, last.actor), ("correction", 2, "carol"))
        self.assertEqual(last.event_kind, inc.EventKind.CORRECTION)
        with self.assertRaises(inc.NotFoundError):
            self.inc.correct("carol", 99, "nope")
        with self.assertRaises(inc.InvalidError):
            self.inc.note("bob", "")
        with self.assertRaises(inc.TooBigError):
            self.inc.note("bob", "x" * 20000)

    def test_closed_incident_is_read_only(self):
        for state, text in (("investigating", None), ("mitigating", None), ("monitoring", None),
                            ("resolved", "ok")):
            self.inc.set_state("alice", state, text)
        with self.inc.rubric as r:
            needs_pm = r["Sev-2"].flag(inc.Flag.POSTMORTEM)
        if needs_pm:
            with self.assertRaises(inc.StateError):
                self.inc.set_state("alice", "closed")
        else:  # pragma: no cover - the default preset requires one at Sev-2
            self.inc.set_state("alice", "closed")


class Reading(Base):
    def setUp(self):
        super().setUp()
        self.clock.tick(2)
        self.inc.note("bob", "replica lag 40s")
        self.clock.tick(3)
        self.inc.set_severity("alice", "Sev-1", "US too")

    def test_events(self):
        events = self.inc.events()
        self.assertEqual([e.seq for e in events], [1, 2, 3])
        self.assertEqual([e.kind for e in events], ["declared", "note", "severity_changed"])
        self.assertEqual(events[1].offset, timedelta(minutes=2))
        self.assertEqual(events[2].time, T0 + timedelta(minutes=5))
        self.assertEqual(events[2].text, "US too")
        self.assertEqual(events[2].description, "Severity changed Sev-2 -> Sev-1: US too")
        self.assertEqual(list(self.inc), events)
        with self.assertRaises(IndexError):
            self.inc.event(3)
        with self.assertRaises(inc.NotFoundError):
            self.inc.describe(3)

    def test_timeline_text(self):
        text = self.inc.timeline()
        self.assertEqual(len(text.splitlines()), 4)  # a title line and three events
        self.assertIn("2026-11-23T14:17:00.000Z", text)
        self.assertIn("T+5m00s", text)

    def test_export_import_round_trip(self):
        doc = self.inc.export_json()
        parsed = json.loads(doc)
        self.assertEqual(parsed["id"], self.inc.id)
        self.assertEqual(len(parsed["events"]), 3)
        with inc.Context() as other:
            with other.import_json(doc) as copy:
                self.assertEqual(copy.events(), self.inc.events())
                self.assertEqual(copy.export_json(), doc)
                copy.verify()
            with self.assertRaises(inc.ExistsError):
                other.import_json(doc.encode())

    def test_import_errors_name_the_offset(self):
        with inc.Context() as other:
            with self.assertRaises(inc.ParseError) as cm:
                other.import_json('{"format": ')
            self.assertIsNotNone(cm.exception.offset)
            doc = json.loads(self.inc.export_json())
            doc["events"][1]["fields"]["text"] = "tampered"
            with self.assertRaises(inc.CorruptError):
                other.import_json(json.dumps(doc))
            self.assertEqual(other.ids(), [])  # bad input touched nothing

    def test_verify_ok(self):
        self.assertIsNone(self.inc.verify())


class ContextTests(unittest.TestCase):
    def test_clock_in_milliseconds_and_now(self):
        with inc.Context(clock=lambda: 1_795_443_120_000) as ctx:
            self.assertEqual(ctx.now(), T0)

    def test_default_clock_is_system_time(self):
        with inc.Context() as ctx:
            delta = abs(ctx.now() - datetime.now(timezone.utc))
            self.assertLess(delta, timedelta(minutes=1))
        self.assertLess(abs(inc.system_clock() - datetime.now(timezone.utc)), timedelta(minutes=1))

    def test_clock_that_raises_is_reported(self):
        def broken():
            raise RuntimeError("clock broke")

        with inc.Context(clock=broken) as ctx:
            with self.assertRaisesRegex(RuntimeError, "clock broke"):
                ctx.now()
            with self.assertRaisesRegex(RuntimeError, "clock broke"):
                ctx.declare("t", "alice", "Sev-2")

    def test_clock_returning_naive_datetime_is_reported(self):
        with inc.Context(clock=lambda: datetime(2026, 1, 1)) as ctx:
            with self.assertRaises(ValueError):
                ctx.now()

    def test_bad_arguments(self):
        with self.assertRaises(TypeError):
            inc.Context(clock=5)
        with self.assertRaises(TypeError):
            inc.Context(store="memory")
        with self.assertRaises(TypeError):
            inc.Context(rubric="default")
        with self.assertRaises(ValueError):
            inc.Context(policy=7)

    def test_policy(self):
        with inc.Context(policy=inc.Policy.STRICT) as ctx:
            self.assertEqual(ctx.policy, inc.Policy.STRICT)
            ctx.policy = inc.Policy.ADVISORY
            self.assertEqual(ctx.policy, inc.Policy.ADVISORY)
            with self.assertRaises(inc.InvalidError):
                ctx.policy = 9

    def test_rubric_replaced_for_new_incidents_only(self):
        with inc.Context(clock=Clock()) as ctx, inc.Rubric.preset("seed002") as seed:
            before = ctx.declare("A", "alice", "Sev-2")
            ctx.rubric = seed
            after = ctx.declare("B", "alice", "SEV2")
            with before.rubric as r1, after.rubric as r2:
                self.assertEqual(r1.name, "default")  # RUB-4
                self.assertEqual(r2, seed)
            with self.assertRaises(inc.InvalidError):
                ctx.declare("C", "alice", "Sev-2")
            with self.assertRaises(TypeError):
                ctx.rubric = "seed002"

    def test_open_and_reload_and_conflict(self):
        with inc.Context(clock=Clock()) as ctx:
            first = ctx.declare("Queue backlog", "alice", "Sev-3")
            second = ctx.open(first.id)
            self.assertEqual(second.events(), first.events())
            first.note("alice", "one")
            with self.assertRaises(inc.ConflictError):
                second.note("bob", "two")  # second has not seen "one"
            self.assertEqual(second.last_seq, 1)
            second.reload()
            second.note("bob", "two")
            first.reload()
            self.assertEqual([e.text for e in first.events()[1:]], ["one", "two"])
            with self.assertRaises(inc.NotFoundError):
                ctx.open("2026-01-01-nothing")
            with self.assertRaises(inc.InvalidError):
                ctx.open("Not An Id")


if __name__ == "__main__":
    unittest.main()
