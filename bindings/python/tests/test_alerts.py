"""Alerts in (incident/alerts.h): ALERT-1 declare at the routed level and
group repeats, ALERT-3 a resolved alert raises the IC's item, bad input."""
import json
import unittest

import libincident as inc
from test_due import Clock

ROUTES = """libincident-routing 1
rule = checkout-page
  match = alertname=CheckoutDown
  level = Sev-1
  title = "{{alertname}}: {{summary}}"
  slug = checkout
  rotation = checkout-primary
  group_window = 30m
"""

ROTATION = """libincident-rotation 1
name = checkout-primary
zone = UTC
period = weekly
start = 2026-01-05
handoff = monday 10:00
role = none
person = pat
"""


def am_doc(status, fingerprint):
    return json.dumps({"version": "4", "status": status, "alerts": [{
        "status": status, "fingerprint": fingerprint,
        "labels": {"alertname": "CheckoutDown", "service": "checkout"},
        "annotations": {"summary": "5xx above 5%"}}]})


class Alerts(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)
        self.ctx.add_rotation(inc.Rotation.parse(self.ctx, ROTATION))
        self.router = inc.AlertRouter(self.ctx, ROUTES, file="routes.txt")

    def tearDown(self):
        self.ctx.close()

    def test_ALERT_01_declare_group_and_flush(self):
        out = self.router.intake(am_doc("firing", "f1"))
        self.assertEqual((out.alerts, out.declared, out.paged, out.recorded), (1, 1, 1, 1))
        incident = self.ctx.open(out.incident_id)
        self.assertEqual(incident.severity, "Sev-1")
        self.assertEqual(incident.handoff_to, "pat")
        for _ in range(100):
            out = self.router.intake(am_doc("firing", "f1"))
            self.assertEqual((out.attached, out.recorded, out.declared), (1, 0, 0))
        self.assertEqual(self.router.flush(), 1)
        self.assertEqual(self.router.flush(), 0)

    def test_ALERT_03_resolved_raises_the_ics_item(self):
        out = self.router.intake(am_doc("firing", "f1"))
        out = self.router.intake(am_doc("resolved", "f1"))
        self.assertEqual(out.recorded, 1)
        incident = self.ctx.open(out.incident_id)
        self.assertNotEqual(incident.state, inc.State.RESOLVED)
        kinds = [item.kind for item in incident.due()]
        self.assertIn(inc.DueKind.ALERT_RESOLVED, kinds)

    def test_bad_input(self):
        with self.assertRaises(inc.ParseError):
            self.router.intake("{")
        with self.assertRaises(inc.InvalidError):
            self.router.intake('{"version":"3","alerts":[]}')
        with self.assertRaises(inc.InvalidError) as cm:
            inc.AlertRouter(self.ctx, "libincident-routing 1\nrule = a\n  level = Sev-9\n"
                            "  rotation = x\n", file="r.txt")
        self.assertEqual(cm.exception.line, 3)
        self.router.close()
        with self.assertRaises(inc.IncidentError):
            self.router.intake(am_doc("firing", "f1"))


class Feed(unittest.TestCase):
    """The change feed: every event once, in order; at least once from an
    older cursor; the wait hook."""

    def setUp(self):
        self.ctx = inc.Context(clock=Clock())
        self.inc = self.ctx.declare("Payments failing", "alice", "Sev-2")

    def tearDown(self):
        self.ctx.close()

    def test_feed(self):
        feed = inc.Feed(self.ctx)
        items = feed.poll()
        self.assertEqual([(i.incident_id, i.seq) for i in items],
                         [(self.inc.id, n + 1) for n in range(self.inc.last_seq)])
        self.assertEqual(items[0].kind, inc.EventKind.DECLARED)
        saved = feed.cursor
        self.assertTrue(saved.startswith("libincident-feed 1 "))
        self.assertEqual(feed.poll(), [])
        self.inc.note("alice", "after the cursor")
        self.assertTrue(feed.wait(0))
        again = inc.Feed(self.ctx, saved)
        self.assertEqual([i.seq for i in again.poll()], [self.inc.last_seq])
        calls = []
        again.set_wait(lambda timeout: calls.append(timeout))
        self.assertFalse(again.wait(0.02))
        self.assertTrue(calls)
        with self.assertRaises(inc.InvalidError):
            inc.Feed(self.ctx, "nonsense")


if __name__ == "__main__":
    unittest.main()
