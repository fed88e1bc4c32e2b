"""The response audit (incident/audit.h) and the store's metrics
(incident/metrics.h)."""

import json
import unittest
from datetime import datetime, timedelta, timezone

import libincident as inc
from libincident import AuditResult, AuditStepKind, Metric, Role

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)
MIN = timedelta(minutes=1)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


class Audit(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)

    def tearDown(self):
        self.ctx.close()

    def test_names(self):
        self.assertEqual(str(AuditStepKind.FIRST_EXTERNAL), "first_external_update")
        self.assertEqual(inc.audit_step_name(AuditStepKind.ROLES_PAGED), "roles_paged")
        self.assertIsNone(inc.audit_step_name(10))
        self.assertEqual([str(r) for r in AuditResult],
                         ["done", "late", "missing", "pending", "not_applicable"])
        self.assertIsNone(inc.audit_result_name(5))

    def test_first_ten_minutes(self):
        i = self.ctx.declare("Checkout errors", "alice", "Sev-2",
                             criteria=inc.Criteria.CUSTOMER_VISIBLE)
        self.clock.now += 2 * MIN
        i.assign_role("alice", "bob", Role.SCRIBE)
        i.assign_role("alice", "frank", Role.COMMS)
        self.assertEqual(i.open_bridge("alice", "https://meet.example.com/inc", "war room"),
                         i.last_seq)
        with self.assertRaises(inc.InvalidError):
            i.open_bridge("alice", "")
        self.clock.now += 2 * MIN
        i.can_report("alice", kind="top-of-hour", conditions="CPU 95%", actions="rolling back",
                     needs="none")
        early = i.audit()
        steps = {s.kind: s for s in early.steps}
        self.assertEqual([s.kind for s in early.steps], list(AuditStepKind))
        self.assertEqual((steps[AuditStepKind.BRIDGE].result, steps[AuditStepKind.BRIDGE].offset),
                         (AuditResult.DONE, 2 * MIN))
        self.assertEqual(steps[AuditStepKind.FIRST_CAN].at, T0 + 4 * MIN)
        self.assertEqual(steps[AuditStepKind.FIRST_EXTERNAL].result, AuditResult.PENDING)
        self.assertEqual(early.summary.pending, 2)
        self.clock.now += 10 * MIN
        i.status_update("frank", "external",
                        "We are investigating failed checkouts affecting customers in the US. "
                        "Next update at 15:00 UTC.")
        late = i.audit()
        ext = late.steps[AuditStepKind.FIRST_EXTERNAL]
        self.assertEqual((ext.result, ext.offset, ext.name, ext.title),
                         (AuditResult.LATE, 14 * MIN, "first_external_update", ext.title))
        self.assertGreater(ext.seq, 0)
        self.assertTrue(ext.detail)
        internal = late.steps[AuditStepKind.FIRST_INTERNAL]
        self.assertEqual(internal.result, AuditResult.MISSING)
        self.assertEqual((late.summary.late, late.summary.missing, late.summary.drill),
                         (1, 1, False))
        self.assertIn("LATE", late.text)
        doc = json.loads(late.json)
        self.assertEqual((doc["incident_id"], doc["summary"]["late"]), (i.id, 1))
        # Audited before T+10, what is not done yet is pending, not missing.
        self.assertEqual(i.audit(now=T0 + 3 * MIN).steps[AuditStepKind.FIRST_INTERNAL].result,
                         AuditResult.PENDING)

    def test_antipatterns(self):
        i = self.ctx.declare("Checkout errors", "alice", "Sev-2")
        self.clock.now += MIN
        i.note("carol", "restarted the cache")  # worked before the IC's first act
        self.clock.now += 2 * MIN
        i.assign_role("alice", "bob", Role.SCRIBE)
        for state in ("investigating", "mitigating", "monitoring"):
            i.set_state("alice", state, "step")
        self.clock.now += 5 * MIN
        i.set_state("alice", "resolved", "looks fine")  # 5 minutes of monitoring
        found = i.audit().antipatterns
        self.assertEqual(found.count_rule("AUD-2.no-ic"), 1)
        self.assertEqual(found.count_rule("AUD-2.all-clear-too-early"), 1)
        no_ic = [f for f in found if f.rule_id == "AUD-2.no-ic"][0]
        self.assertEqual((no_ic.since, no_ic.value), (T0 + MIN, 2 * 60_000))
        self.assertEqual(i.audit(min_monitoring=2 * MIN).antipatterns.count_rule(
            "AUD-2.all-clear-too-early"), 0)
        self.assertIn("AUD-2", found.text)
        with self.assertRaises(inc.InvalidError):
            i.audit(min_monitoring=-MIN)

    def test_drill_is_marked(self):
        i = self.ctx.declare("Game day", "erin", "Sev-3", drill=True)
        a = i.audit()
        self.assertTrue(a.summary.drill)
        self.assertTrue(json.loads(a.json)["drill"])


class Metrics(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)

    def tearDown(self):
        self.ctx.close()

    def _incident(self, title, severity, minutes, tag=None, drill=False):
        self.clock.now = T0
        i = self.ctx.declare(title, "alice", severity, impact_started=T0 - 5 * MIN, drill=drill)
        seq = i.page_request("pager", "on-call")
        i.page_sent("pager", seq, "bob")
        self.clock.now += 2 * MIN
        i.acknowledge("bob", seq)
        for state in ("investigating", "mitigating", "monitoring"):
            i.set_state("alice", state, "step")
        self.clock.now = T0 + minutes * MIN
        i.set_state("alice", "resolved", "verified")
        if tag:
            i.set_root_cause_tag("alice", tag)
        return i

    def test_figures(self):
        self._incident("Checkout errors", "Sev-2", 30, tag="config-change")
        self._incident("Search slow", "Sev-3", 90, tag="config-change")
        self._incident("Login errors", "Sev-2", 60)
        self._incident("Game day", "Sev-1", 10, drill=True)
        m = self.ctx.metrics()
        self.assertEqual((m.incident_count, m.drill_count), (3, 1))
        self.assertEqual(m.levels[:4], [("Sev-0", 0), ("Sev-1", 0), ("Sev-2", 2), ("Sev-3", 1)])
        mttr = m.stat(Metric.MTTR)
        # From detection (the declaration: none was recorded) to resolution.
        self.assertEqual((mttr.incidents, mttr.min, mttr.max, mttr.median),
                         (3, 30 * MIN, 90 * MIN, 60 * MIN))
        self.assertEqual(m.stat("mttr", "Sev-2").mean, timedelta(minutes=45))
        self.assertEqual(m.stat("mtta").mean, 2 * MIN)
        self.assertEqual(m.stat(Metric.MTTD).mean, 5 * MIN)
        self.assertIsNone(m.stat(Metric.MTTR, "Sev-0").mean)
        with self.assertRaises(KeyError):
            m.stat(Metric.MTTR, "Sev-9")
        with self.assertRaises(inc.NotFoundError):
            m.stat("mtbf")
        self.assertEqual((m.recurrence.tagged, m.recurrence.recurring, m.recurrence.untagged),
                         (2, 1, 1))
        self.assertEqual(m.recurrence.rate, 0.5)
        self.assertFalse(m.recurrence.target_met)
        self.assertEqual(m.tags, [("config-change", 2, 1)])
        self.assertEqual(m.pages, [("bob", 3, 3)])  # the drill's page is left out
        self.assertIn("MTTR", m.text)
        self.assertEqual(json.loads(m.json)["incidents"], 3)
        self.assertEqual(str(Metric.MTTM), "mttm")
        self.assertEqual(m.reopens, inc.ReopenMetric(3, 0, 0, 0.0))

    def test_LIFE_4_reopen_rate(self):
        i = self._incident("Checkout errors", "Sev-2", 30)
        self._incident("Search slow", "Sev-3", 90)
        self.clock.now = T0 + 120 * MIN
        i.reopen("alice", "mitigating", "errors again")
        m = self.ctx.metrics()
        self.assertEqual(m.reopens, inc.ReopenMetric(2, 1, 1, 0.5))
        self.assertEqual(m.stat(Metric.MTTR).incidents, 1)  # to the final resolution
        self.assertEqual(json.loads(m.json)["reopens"]["reopened"], 1)
        self.assertIsNone(inc.metric_name(4))

    def test_action_items_on_time(self):
        i = self._incident("Checkout errors", "Sev-2", 30)
        self.clock.now = T0 + timedelta(hours=1)
        a = i.add_action("alice", "Add a canary", "bob", T0 + timedelta(days=2), 2)
        i.add_action("alice", "Fix alerts", "carol", T0 + timedelta(days=1), 2)
        i.set_action_status("bob", a, "done")
        m = self.ctx.metrics(now=T0 + timedelta(days=3))
        act = m.actions
        self.assertEqual((act.items, act.on_time, act.late, act.rate, act.target_met),
                         (2, 1, 1, 0.5, False))
        self.assertEqual(self.ctx.metrics(now=T0 + timedelta(hours=2)).actions.pending, 1)

    def test_ranges_and_errors(self):
        self._incident("Checkout errors", "Sev-2", 30)
        self.assertEqual(self.ctx.metrics(start=T0 + MIN).incident_count, 0)
        self.assertEqual(self.ctx.metrics(start=T0, end=T0 + MIN).incident_count, 1)
        with self.assertRaises(inc.InvalidError):
            self.ctx.metrics(start=T0, end=T0)


if __name__ == "__main__":
    unittest.main()
