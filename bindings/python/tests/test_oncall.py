"""On-call (incident/rotation.h, incident/oncall.h): time zones, rotations and overrides, the
text format, the context's registry and escalation through rotations
(ONC-2), and the health checks (ONC-3..ONC-5)."""

import gc
import tempfile
import unittest
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

import libincident as inc
from libincident import Layer, Role

UTC = timezone.utc
MONDAY = datetime(2026, 3, 2, 12, tzinfo=UTC)  # week 8 of a rotation started 2026-01-05
PEOPLE = ["alice", "bob", "carol", "dave", "erin"]


def payments(ctx, people=PEOPLE):
    r = inc.Rotation(ctx, "payments")
    for p in people:
        r.add_person(p)
    r.zone = "Europe/Berlin"
    r.start = date(2026, 1, 5)
    return r


class Zones(unittest.TestCase):
    def setUp(self):
        self.ctx = inc.Context()

    def tearDown(self):
        self.ctx.close()

    def test_to_and_from_local(self):
        summer = self.ctx.to_local("Europe/Berlin", datetime(2026, 7, 1, tzinfo=UTC))
        self.assertEqual((summer.hour, summer.utc_offset, summer.is_dst, summer.abbr,
                          summer.weekday), (2, timedelta(hours=2), True, "CEST", 3))
        self.assertEqual(summer.naive(), datetime(2026, 7, 1, 2))
        winter = self.ctx.to_local("Europe/Berlin", datetime(2026, 1, 1, tzinfo=UTC))
        self.assertEqual((winter.utc_offset, winter.abbr), (timedelta(hours=1), "CET"))
        self.assertEqual(self.ctx.to_local("UTC", datetime(2026, 1, 1, 5, tzinfo=UTC)).hour, 5)
        # A time that does not exist (spring forward) is the next valid minute;
        # one that occurs twice (fall back) is the first.
        self.assertEqual(self.ctx.from_local("Europe/Berlin", datetime(2026, 3, 29, 2, 30)),
                         datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
        self.assertEqual(self.ctx.from_local("Europe/Berlin", datetime(2026, 10, 25, 2, 30)),
                         datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
        self.assertEqual(self.ctx.from_local("Europe/Berlin", summer),
                         datetime(2026, 7, 1, tzinfo=UTC))

    def test_zone_errors(self):
        with self.assertRaises(inc.NotFoundError) as cm:
            self.ctx.to_local("Mars/Olympus_Mons", MONDAY)
        self.assertIn("Mars/Olympus_Mons", cm.exception.message)
        with self.assertRaises(inc.InvalidError):
            self.ctx.to_local("../etc/passwd", MONDAY)
        with self.assertRaises(ValueError):
            self.ctx.from_local("UTC", MONDAY)  # aware: the zone is given separately
        with self.assertRaises(TypeError):
            self.ctx.from_local("UTC", "2026-01-01")
        with self.assertRaises(inc.InvalidError):
            self.ctx.from_local("UTC", inc.LocalTime(2026, 13, 1, 0, 0, 0, 0, 0, timedelta(0),
                                                     False, ""))

    def test_zoneinfo_dir(self):
        self.assertEqual(self.ctx.zoneinfo_dir, "/usr/share/zoneinfo")
        with tempfile.TemporaryDirectory() as d:
            self.ctx.zoneinfo_dir = d
            self.assertEqual(self.ctx.zoneinfo_dir, d)
            with self.assertRaises(inc.NotFoundError):
                self.ctx.to_local("Europe/Berlin", MONDAY)
            self.assertEqual(self.ctx.to_local("UTC", MONDAY).hour, 12)  # built in
        self.ctx.zoneinfo_dir = None
        self.assertEqual(self.ctx.to_local("Europe/Berlin", MONDAY).hour, 13)
        with self.assertRaises(inc.InvalidError):
            self.ctx.zoneinfo_dir = ""


class Rotations(unittest.TestCase):
    def setUp(self):
        self.ctx = inc.Context()

    def tearDown(self):
        self.ctx.close()

    def test_defaults_and_fields(self):
        r = inc.Rotation(self.ctx, "db")
        self.assertEqual((r.name, r.people, r.zone, r.period, r.start, r.handoff, r.secondary,
                          r.role),
                         ("db", [], "UTC", timedelta(days=7), date(1970, 1, 5), time(10, 0), 1,
                          None))
        r.add_person("alice")
        r.period = 1
        r.period = timedelta(days=14)
        r.start = date(2026, 1, 5)
        r.handoff = time(9, 30)
        r.secondary = 0
        r.role = "ic"
        self.assertEqual((r.people, r.period, r.start, r.handoff, r.secondary, r.role),
                         (["alice"], timedelta(days=14), date(2026, 1, 5), time(9, 30), 0,
                          Role.IC))
        r.role = None
        self.assertIsNone(r.role)

    def test_field_errors_change_nothing(self):
        r = payments(self.ctx)
        with self.assertRaises(inc.InvalidError) as cm:
            inc.Rotation(self.ctx, "Bad Name")
        self.assertTrue(cm.exception.message)
        with self.assertRaises(inc.InvalidError):
            r.add_person("")
        with self.assertRaises(inc.NotFoundError):
            r.zone = "Mars/Olympus_Mons"
        self.assertEqual(r.zone, "Europe/Berlin")
        for bad in (0, 367, timedelta(hours=36), -1):
            with self.subTest(period=bad), self.assertRaises(inc.InvalidError):
                r.period = bad
        self.assertEqual(r.period, timedelta(days=7))
        with self.assertRaises(inc.InvalidError):
            r.secondary = 256
        with self.assertRaises(inc.InvalidError):
            r.secondary = -1
        with self.assertRaises(inc.InvalidError):
            r.handoff = SimpleNamespace(hour=24, minute=0)  # a datetime.time cannot say it
        with self.assertRaises(inc.InvalidError) as cm:
            r.start = SimpleNamespace(year=2026, month=2, day=30)
        self.assertIn("30", cm.exception.message)

    def test_who_and_shifts(self):
        r = payments(self.ctx)
        primary = r.who(Layer.PRIMARY, MONDAY)
        self.assertEqual((primary.person, primary.number, primary.override_index),
                         ("dave", 8, None))
        self.assertEqual((primary.start, primary.end),
                         (datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 3, 9, 9, tzinfo=UTC)))
        self.assertEqual(r.who(Layer.SECONDARY, MONDAY).person, "erin")
        shifts = r.shifts(Layer.PRIMARY, MONDAY, MONDAY + timedelta(days=14))
        self.assertEqual([s.person for s in shifts], ["dave", "erin", "alice"])
        # The hand-off stays at 10:00 local across the change to summer time.
        self.assertEqual(r.who(Layer.PRIMARY, datetime(2026, 4, 1, tzinfo=UTC)).start,
                         datetime(2026, 3, 30, 8, tzinfo=UTC))
        with self.assertRaises(inc.NotFoundError):
            r.who(Layer.PRIMARY, datetime(2025, 1, 1, tzinfo=UTC))  # before the first shift
        with self.assertRaises(inc.InvalidError):
            r.shifts(Layer.PRIMARY, MONDAY, MONDAY)  # empty range
        with self.assertRaises(inc.NotFoundError):
            inc.Rotation(self.ctx, "empty").who(Layer.PRIMARY, MONDAY)

    def test_overrides(self):
        r = payments(self.ctx)
        i = r.add_override(Layer.PRIMARY, MONDAY, MONDAY + timedelta(hours=4), "frank",
                           by="dave", reason="dentist", recorded_at=MONDAY - timedelta(days=1))
        j = r.override_shift(Layer.SECONDARY, MONDAY, "gina")
        self.assertEqual((i, j), (0, 1))
        during = r.who(Layer.PRIMARY, MONDAY + timedelta(hours=1))
        self.assertEqual((during.person, during.override_index), ("frank", 0))
        self.assertEqual(r.who(Layer.PRIMARY, MONDAY + timedelta(hours=5)).person, "dave")
        self.assertEqual(r.who(Layer.SECONDARY, MONDAY).person, "gina")
        first, second = r.overrides()
        self.assertEqual((first.layer, first.person, first.by, first.reason, first.recorded_at),
                         (Layer.PRIMARY, "frank", "dave", "dentist", MONDAY - timedelta(days=1)))
        self.assertEqual((second.start, second.end, second.by, second.recorded_at),
                         (datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 3, 9, 9, tzinfo=UTC),
                          "", None))
        with self.assertRaises(inc.InvalidError):
            r.add_override(Layer.PRIMARY, MONDAY, MONDAY, "frank")  # end not after start
        with self.assertRaises(inc.NotFoundError):
            inc.Rotation(self.ctx, "empty").override_shift(Layer.PRIMARY, MONDAY, "frank")
        self.assertEqual(len(r.overrides()), 2)

    def test_text_format_round_trip(self):
        r = payments(self.ctx)
        r.add_override(Layer.PRIMARY, MONDAY, MONDAY + timedelta(hours=4), "frank",
                       reason="line one\nline two")
        text = r.write()
        self.assertEqual(str(r), text)
        again = inc.Rotation.parse(self.ctx, text)
        self.assertEqual(again, r)
        self.assertEqual(again.write(), text)
        copy = r.copy()
        copy.add_person("frank")
        self.assertNotEqual(copy, r)
        with self.assertRaises(inc.ParseError) as cm:
            inc.Rotation.parse(self.ctx, "libincident-rotation 1\nname = x\nperiod = sometimes\n")
        self.assertEqual(cm.exception.line, 3)
        with self.assertRaises(inc.VersionError):
            inc.Rotation.parse(self.ctx, "libincident-rotation 2\nname = x\n")
        with self.assertRaises(inc.ParseError):
            inc.Rotation.parse(self.ctx, b"not a rotation\n")

    def test_registry_and_resolution(self):
        r = payments(self.ctx)
        ics = inc.Rotation(self.ctx, "ics")
        ics.add_person("zoe")
        ics.role = Role.IC
        self.ctx.add_rotation(r)
        self.ctx.add_rotation(ics)
        self.assertEqual([x.name for x in self.ctx.rotations()], ["payments", "ics"])
        self.assertEqual(self.ctx.rotation("payments"), r)
        self.assertIsNone(self.ctx.rotation("nope"))
        targets = "rotation:payments/secondary,on-call,roster:ic,person:yan,team-lead"
        self.assertEqual(self.ctx.resolve_targets(targets, MONDAY),
                         ("erin", "dave", "zoe", "yan"))
        self.assertEqual(self.ctx.resolve_targets("team-lead", MONDAY), ())
        self.ctx.set_default_rotation("ics")
        self.assertEqual(self.ctx.resolve_targets("on-call", MONDAY), ("zoe",))
        with self.assertRaises(inc.NotFoundError):
            self.ctx.set_default_rotation("nope")
        self.ctx.set_default_rotation(None)
        other = inc.Rotation(self.ctx, "other")
        other.role = "ic"
        with self.assertRaises(inc.ExistsError):
            self.ctx.add_rotation(other)  # a second IC roster
        r.add_person("frank")  # the registered copy is not changed
        self.assertEqual(len(self.ctx.rotation("payments").people), 5)
        self.ctx.add_rotation(r)  # replaces it
        self.assertEqual(len(self.ctx.rotation("payments").people), 6)
        self.ctx.remove_rotation("ics")
        with self.assertRaises(inc.NotFoundError):
            self.ctx.remove_rotation("ics")
        with self.assertRaises(TypeError):
            self.ctx.add_rotation("payments")

    def test_escalation_through_a_rotation(self):
        clock = [datetime(2026, 3, 2, 12, tzinfo=UTC)]
        rubric = inc.Rubric("oncall")
        level = rubric.add_level("P1")
        level.add_rotation_escalation(timedelta(minutes=5), "payments")
        self.assertEqual([(s.after, s.target) for s in level.escalations],
                         [(timedelta(minutes=5), "rotation:payments/primary"),
                          (timedelta(minutes=15), "rotation:payments/secondary")])
        with self.assertRaises(inc.InvalidError):
            level.add_rotation_escalation(timedelta(0), "payments")
        with self.assertRaises(inc.InvalidError):
            level.add_rotation_escalation(timedelta(minutes=1), "payments", window=timedelta(0))
        self.assertEqual(inc.SECONDARY_WINDOW, timedelta(minutes=10))
        with inc.Context(clock=lambda: clock[0], rubric=rubric) as ctx:
            ctx.add_rotation(payments(ctx))
            i = ctx.declare("Payments failing", "alice", "P1")
            clock[0] += timedelta(minutes=16)
            steps = [x for x in i.deliver_due("pager") if x.kind == inc.DueKind.ESCALATION]
            self.assertEqual([x.resolved for x in steps], [("dave",), ("erin",)])
            self.assertEqual([p.resolved for p in i.pages()], [("dave",), ("erin",)])

    def test_health_checks(self):
        small = payments(self.ctx, ["alice", "bob"])
        found = small.check(start=MONDAY, end=MONDAY + timedelta(weeks=4))
        self.assertGreaterEqual(found.count_rule("ONC-3"), 1)
        self.assertEqual(min(f.value for f in found if f.people == ()), 2)
        self.assertEqual(small.check(start=MONDAY, end=MONDAY + timedelta(weeks=4),
                                     min_people=2, max_consecutive=10, min_gap=1), [])
        # ONC-5: pages reported sent to one person in one week.
        clock = [MONDAY]
        with inc.Context(clock=lambda: clock[0]) as ctx:
            i = ctx.declare("Flapping alerts", "alice", "Sev-3")
            for _ in range(4):
                i.page_sent("pager", i.page_request("pager", "on-call"), "dave")
            r = payments(ctx)
            found = r.check([i], start=MONDAY, end=MONDAY + timedelta(days=7), max_pages_week=3)
            onc5 = [f for f in found if f.rule_id == "ONC-5"]
            self.assertEqual([(f.people, f.value) for f in onc5], [(("dave",), 4)])
            self.assertEqual(r.check([i], start=MONDAY, end=MONDAY + timedelta(days=7),
                                     max_pages_week=4).count_rule("ONC-5"), 0)
            with self.assertRaises(inc.InvalidError) as cm:
                r.check(start=MONDAY, end=MONDAY - timedelta(days=1))
            self.assertTrue(cm.exception.message)
            i.close()
            with self.assertRaises(inc.InvalidError):
                r.check([i])  # a closed incident

    def test_ownership(self):
        r = payments(self.ctx)
        copy = r.copy()
        self.ctx.close()  # rotations are freed before their context
        self.assertTrue(r.closed)
        self.assertTrue(copy.closed)
        with self.assertRaises(inc.InvalidError):
            r.who(Layer.PRIMARY, MONDAY)
        with self.assertRaises(inc.InvalidError):
            inc.Rotation(self.ctx, "late")

    def test_garbage_collection(self):
        payments(self.ctx)
        gc.collect()
        self.assertEqual(len(self.ctx._rotations), 0)


if __name__ == "__main__":
    unittest.main()


class Calendar(unittest.TestCase):
    def setUp(self):
        self.ctx = inc.Context()

    def tearDown(self):
        self.ctx.close()

    def test_ONC_7_ical(self):
        r = payments(self.ctx)
        start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
        doc = r.ical(start, end)
        self.assertTrue(doc.startswith("BEGIN:VCALENDAR\r\n"))
        shifts = r.shifts(Layer.PRIMARY, start, end) + r.shifts(Layer.SECONDARY, start, end)
        self.assertEqual(doc.count("BEGIN:VEVENT"), len(shifts))
        self.assertTrue(all(len(l.encode()) <= 75 for l in doc.split("\r\n")))
        other = inc.Rotation(self.ctx, "search")
        other.add_person("alice")
        other.start = date(2026, 1, 5)
        other.secondary = 0
        mine = r.ical(start, end, person="alice", others=[other])
        self.assertIn("(search primary)", mine)
        self.assertNotIn("bob", mine)
        with self.assertRaises(inc.InvalidError):
            r.ical(end, start)


class Layers(unittest.TestCase):
    def setUp(self):
        self.ctx = inc.Context()

    def tearDown(self):
        self.ctx.close()

    def test_ONC_6_layers_gaps_and_swaps(self):
        r = inc.Rotation(self.ctx, "support")
        r.start = date(2026, 1, 5)
        r.secondary = 0
        eu = r.add_layer("europe", "Europe/Berlin")
        r.add_layer_window(eu, range(7), time(8), time(20))
        r.add_layer_person(eu, "eva")
        us = r.add_layer("americas", "America/Los_Angeles")
        r.add_layer_window(us, range(7), time(11), time(23))
        r.add_layer_person(us, "sam")
        self.assertEqual(r.layers, ["europe", "americas"])
        self.assertEqual(r.who(Layer.PRIMARY, datetime(2026, 1, 14, 12, tzinfo=UTC)).person, "eva")
        self.assertEqual(r.who(Layer.PRIMARY, datetime(2026, 1, 14, 22, tzinfo=UTC)).person, "sam")
        with self.assertRaises(inc.NotFoundError):
            r.who(Layer.PRIMARY, datetime(2026, 3, 10, 6, 30, tzinfo=UTC))  # the DST gap
        with self.assertRaises(inc.InvalidError):
            r.set_layer_dates(eu, date(2026, 6, 1), date(2026, 5, 1))
        with self.assertRaises(inc.InvalidError):
            r.add_swap(Layer.PRIMARY, datetime(2026, 1, 14, 12, tzinfo=UTC),
                       datetime(2026, 1, 14, 13, tzinfo=UTC), "eva", "")
        i = r.add_swap(Layer.PRIMARY, datetime(2026, 1, 14, 12, tzinfo=UTC),
                       datetime(2026, 1, 14, 13, tzinfo=UTC), "eva", "emil")
        self.assertTrue(r.is_swap(i))
        self.assertEqual(r.who(Layer.PRIMARY, datetime(2026, 1, 14, 12, 30, tzinfo=UTC)).person,
                         "emil")
        again = inc.Rotation.parse(self.ctx, r.write())
        self.assertEqual(again, r)
