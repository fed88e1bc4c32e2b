"""The postmortem (incident/postmortem.h): sections, the blameless lint,
the status that closes the incident, rendering, and action items per
incident and across the store."""

import json
import unittest
from datetime import datetime, timedelta, timezone

import libincident as inc
from libincident import ActionStatus, PmFormat, PmSection, PmStatus

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)
DAY = timedelta(days=1)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def resolve(incident, clock, actor="alice"):
    for state in ("investigating", "mitigating", "monitoring"):
        incident.set_state(actor, state, "step")
    clock.now += timedelta(minutes=30)
    incident.set_state(actor, "resolved", "error rate normal for 30 minutes")


class Names(unittest.TestCase):
    def test_sections_statuses_and_owner_words(self):
        self.assertEqual(str(PmSection.ROOT_CAUSE), "root_cause")
        self.assertEqual(PmSection.WENT_WELL.title, "What went well")
        self.assertEqual(inc.pm_section_from_name("Lessons_Learned"), PmSection.LESSONS)
        with self.assertRaises(inc.NotFoundError):
            inc.pm_section_from_name("epilogue")
        self.assertIsNone(inc.pm_section_name(8))
        self.assertIsNone(inc.pm_section_title(8))
        self.assertEqual([str(s) for s in PmStatus], ["Draft", "In Review", "Final"])
        self.assertIsNone(inc.pm_status_name(3))
        self.assertEqual(inc.action_status_from_name("DONE"), ActionStatus.DONE)
        self.assertEqual(str(ActionStatus.CANCELLED), "cancelled")
        with self.assertRaises(inc.NotFoundError):
            inc.action_status_from_name("blocked")
        self.assertIsNone(inc.action_status_name(3))
        self.assertTrue(inc.action_owner_is_team("sre-team"))
        self.assertTrue(inc.action_owner_is_team("alice & bob"))
        self.assertTrue(inc.action_owner_is_team("@payments"))
        self.assertFalse(inc.action_owner_is_team("alice"))
        self.assertFalse(inc.action_owner_is_team(None))

    def test_lint_on_text_alone(self):
        found = inc.postmortem_lint("It was human error: bob should have known.")
        self.assertEqual([(f.rule_id, f.slot, f.offset, f.length) for f in found],
                         [("PM-4.blame", 0, 7, 11), ("PM-4.blame", 0, 24, 17)])
        self.assertEqual(inc.postmortem_lint("The health check failed to fire."), [])
        with self.assertRaises(inc.InvalidError):
            inc.postmortem_lint(b"\xff")
        with self.assertRaises(inc.TooBigError):
            inc.postmortem_lint("x" * 100_000)


class PostmortemFlow(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)
        self.inc = self.ctx.declare("Checkout errors", "alice", "Sev-2")

    def tearDown(self):
        self.ctx.close()

    def test_sections_and_lint(self):
        i = self.inc
        self.assertIsNone(i.section(PmSection.SUMMARY))
        rec = i.set_section("carol", "root_cause", "Human error in the deploy.")
        self.assertEqual(rec.seq, i.last_seq)
        self.assertEqual([(f.rule_id, f.slot) for f in rec.findings],
                         [("PM-4.blame", PmSection.ROOT_CAUSE)])
        i.set_section("carol", PmSection.ROOT_CAUSE, "A config change without a canary.")
        self.assertEqual(i.section("root_cause"), "A config change without a canary.")
        i.set_section("carol", PmSection.WENT_POORLY, "Nobody was paying attention; sloppy.")
        found = i.postmortem_lint()
        self.assertEqual({f.slot for f in found}, {PmSection.WENT_POORLY})
        with self.assertRaises(inc.InvalidError):
            i.set_section("carol", PmSection.SUMMARY, "   ")
        with self.assertRaises(inc.NotFoundError):
            i.set_section("carol", "epilogue", "x")
        with self.assertRaises(inc.InvalidError) as cm:
            i.set_root_cause_tag("alice", "Config Change")
        self.assertTrue(cm.exception.message)
        self.assertEqual([e.kind for e in i.events()].count("postmortem_section"), 3)

    def test_status_moves_and_final_closes(self):
        i = self.inc
        pm = i.postmortem()
        self.assertEqual((pm.status, pm.required, pm.started, pm.window, pm.due),
                         (PmStatus.DRAFT, True, False, timedelta(days=7), None))
        self.assertEqual(pm.missing, frozenset(PmSection))
        with self.assertRaises(inc.StateError):
            i.set_postmortem_status("alice", PmStatus.IN_REVIEW)  # not resolved yet
        resolve(i, self.clock)
        self.assertEqual(i.postmortem().due, self.clock.now + timedelta(days=7))
        for section in PmSection:
            i.set_section("carol", section, "The %s." % section.title)
        with self.assertRaises(inc.StateError):
            i.set_postmortem_status("alice", PmStatus.FINAL)  # not from Draft
        i.set_postmortem_status("bob", PmStatus.IN_REVIEW, "reviewers: dave")
        with self.assertRaises(inc.InvalidError) as cm:
            i.set_postmortem_status("alice", PmStatus.FINAL)  # the tag is missing
        self.assertIn("tag", cm.exception.message)
        i.set_root_cause_tag("alice", "config-change")
        i.set_postmortem_status("alice", PmStatus.DRAFT)
        i.set_postmortem_status("alice", PmStatus.IN_REVIEW)
        with self.assertRaises(inc.PermissionDeniedError):
            i.set_postmortem_status("bob", PmStatus.FINAL)
        self.clock.now += DAY
        i.set_postmortem_status("alice", PmStatus.FINAL)
        pm = i.postmortem()
        self.assertEqual((pm.status, pm.started, pm.missing, pm.root_cause_tag, pm.final_at),
                         (PmStatus.FINAL, True, frozenset(), "config-change", self.clock.now))
        self.assertEqual(i.state, inc.State.CLOSED)
        with self.assertRaises(inc.StateError):
            i.set_section("carol", PmSection.SUMMARY, "too late")

    def test_render(self):
        i = self.inc
        i.set_section("carol", PmSection.SUMMARY, "Checkout | failed\nfor 30 minutes.")
        md = i.render_postmortem()
        self.assertIn("# Postmortem: Checkout errors", md)
        self.assertIn("Checkout \\| failed", md)  # escaped: it cannot open a table
        self.assertIn("**MISSING:**", md)
        text = i.render_postmortem(PmFormat.TEXT)
        self.assertTrue(text.startswith("Postmortem: Checkout errors"))
        with self.assertRaises(ValueError):
            i.render_postmortem(7)


class ActionItems(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)
        self.inc = self.ctx.declare("Payments down", "alice", "Sev-1")

    def tearDown(self):
        self.ctx.close()

    def test_add_and_change(self):
        i = self.inc
        a = i.add_action("alice", "Add a canary", "bob", T0 + 7 * DAY, 2, detail="for configs")
        with self.assertRaises(inc.InvalidError) as cm:
            i.add_action("alice", "Fix alerts", "sre-team", T0 + 7 * DAY, 1)
        self.assertIn("owner", cm.exception.message)
        b = i.add_action("alice", "Fix alerts", "sre-team", T0 + 7 * DAY, 1,
                         owner_override="the team picks someone Monday")
        self.assertEqual((a, b), (1, 2))
        for bad in ({"due": T0 - DAY}, {"priority": 5}, {"title": ""}):
            args = dict(dict(title="x", owner="bob", due=T0 + DAY, priority=1), **bad)
            with self.subTest(bad=bad), self.assertRaises(inc.InvalidError):
                i.add_action("alice", args["title"], args["owner"], args["due"], args["priority"])
        self.clock.now += DAY
        i.move_action_due("bob", a, T0 + 14 * DAY, "waiting for the config service")
        with self.assertRaises(inc.InvalidError):
            i.move_action_due("bob", a, T0 + 20 * DAY, "")
        i.reassign_action("alice", b, "carol")
        i.set_action_priority("alice", a, 1)
        with self.assertRaises(inc.InvalidError):
            i.set_action_priority("alice", a, 1)  # unchanged
        with self.assertRaises(inc.NotFoundError):
            i.set_action_priority("alice", 9, 2)
        i.set_action_status("bob", a, "done")
        first, second = i.actions()
        self.assertEqual((first.title, first.detail, first.owner, first.priority, first.status),
                         ("Add a canary", "for configs", "bob", 1, ActionStatus.DONE))
        self.assertEqual((first.due, first.original_due, first.due_moves, first.due_reason),
                         (T0 + 14 * DAY, T0 + 7 * DAY, 1, "waiting for the config service"))
        self.assertEqual((first.closed_at, first.closed_by, first.created_by),
                         (self.clock.now, "bob", "alice"))
        self.assertEqual((second.owner, second.owner_override), ("carol", None))
        self.assertFalse(second.overdue)
        self.assertTrue(i.actions(now=T0 + 8 * DAY)[1].overdue)

    def test_cancelling_a_sev1_item_needs_the_ic(self):
        i = self.inc
        a = i.add_action("alice", "Add a canary", "bob", T0 + 7 * DAY, 2)
        with self.assertRaises(inc.PermissionDeniedError) as cm:
            i.set_action_status("bob", a, ActionStatus.CANCELLED, "not needed")
        self.assertIn("alice", cm.exception.message)
        with self.assertRaises(inc.InvalidError):
            i.set_action_status("alice", a, ActionStatus.CANCELLED)  # no reason
        d = i.request_decision("bob", "cancel A1?")
        i.decide("alice", d, True)
        i.set_action_status("bob", a, ActionStatus.CANCELLED, "superseded", decision=d)
        item = i.actions()[0]
        self.assertEqual((item.status, item.decision, item.ic_decision, item.reason),
                         (ActionStatus.CANCELLED, d, False, "superseded"))
        i.set_action_status("bob", a, ActionStatus.OPEN, "reopened after all")
        i.set_action_status("alice", a, ActionStatus.CANCELLED, "the IC decides")
        self.assertTrue(i.actions()[0].ic_decision)

    def test_store_wide_list(self):
        i = self.inc
        i.add_action("alice", "Add a canary", "bob", T0 + 7 * DAY, 2)
        drill = self.ctx.declare("Game day", "erin", "Sev-3", drill=True)
        drill.add_action("erin", "Write the runbook", "Bob", T0 + 2 * DAY, 3)
        other = self.ctx.declare("Search slow", "carol", "Sev-3")
        other.add_action("carol", "Tune the index", "carol", T0 + 3 * DAY, 3)
        with self.ctx.actions() as everything:
            self.assertEqual([e.item.title for e in everything],
                             ["Write the runbook", "Tune the index", "Add a canary"])
            self.assertEqual((everything[0].drill, everything[0].incident_id,
                              everything[0].severity), (True, drill.id, "Sev-3"))
            self.assertIn("[DRILL]", everything.text)
            doc = json.loads(everything.export_json("https://incidents.example.com/i/"))
            self.assertEqual(doc[2]["external_id"], i.id + "#A1")
            self.assertEqual(doc[2]["link"], "https://incidents.example.com/i/" + i.id)
            self.assertEqual(json.loads(everything.export_json())[2]["link"], i.id)
            with self.assertRaises(inc.InvalidError):
                everything.export_json("x" * 2000)
        self.assertTrue(everything.closed)
        with self.assertRaises(inc.InvalidError):
            everything.export_json()
        self.assertEqual(len(everything), 3)  # the entries outlive the library's list
        bobs = self.ctx.actions(owner="BOB")
        self.assertEqual(len(bobs), 2)
        self.assertEqual(len(self.ctx.actions(owner="bob", exclude_drills=True)), 1)
        late = self.ctx.actions(overdue_only=True, now=T0 + 4 * DAY)
        self.assertEqual([(e.item.title, e.overdue, e.late) for e in late],
                         [("Write the runbook", True, 2 * DAY), ("Tune the index", True, DAY)])
        self.assertEqual(self.ctx.actions(status="done"), [])
        with self.assertRaises(inc.NotFoundError):
            self.ctx.actions(status="blocked")


if __name__ == "__main__":
    unittest.main()
