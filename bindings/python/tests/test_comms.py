"""Communication (incident/comms.h): audiences and writers, the update
lint on text alone, recording, cadences, required communications,
templates and Statuspage JSON."""

import json
import unittest
from datetime import datetime, timedelta, timezone

import libincident as inc
from libincident import Audience, Comm, Role, State, Template

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)
GOOD = "We are investigating failed checkouts affecting customers in the EU region. " \
       "Next update at 15:00 UTC."


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


class TextOnly(unittest.TestCase):
    def test_audiences_and_writers(self):
        self.assertEqual([str(a) for a in Audience], ["external", "internal", "response"])
        self.assertEqual([a.writer for a in Audience], [Role.COMMS, Role.LIAISON, Role.IC])
        self.assertEqual(inc.audience_writer(Audience.RESPONSE), Role.IC)
        self.assertEqual(inc.audience_from_name("Internal"), Audience.INTERNAL)
        with self.assertRaises(inc.NotFoundError):
            inc.audience_from_name("everyone")
        with self.assertRaises(inc.InvalidError):
            inc.audience_writer(3)
        self.assertIsNone(inc.audience_name(3))
        self.assertEqual([str(c) for c in Comm], ["status_page", "customer_email", "exec_notify"])
        self.assertIsNone(inc.comm_kind_name(3))

    def test_update_lint(self):
        found = inc.update_lint("We are experiencing some issues.", State.INVESTIGATING)
        self.assertEqual(sorted(f.rule_id for f in found),
                         ["COMM-3.no-next-update", "COMM-3.no-scope", "COMM-3.vague"])
        vague = [f for f in found if f.rule_id == "COMM-3.vague"][0]
        self.assertEqual((vague.slot, vague.offset, vague.length), (0, 7, 24))
        self.assertEqual(inc.update_lint(GOOD, "investigating"), [])
        # The components count as the scope; resolution lifts the next-update check.
        self.assertEqual(inc.update_lint("Checkout is back to normal.", State.RESOLVED,
                                         components="checkout"), [])
        premature = inc.update_lint("This should be resolved soon. " + GOOD, State.MITIGATING)
        self.assertEqual([f.rule_id for f in premature], ["COMM-3.premature-promise"])

    def test_update_lint_errors(self):
        with self.assertRaises(inc.InvalidError):
            inc.update_lint(None, State.INVESTIGATING)
        with self.assertRaises(inc.InvalidError):
            inc.update_lint(b"\xff", State.INVESTIGATING)
        with self.assertRaises(inc.TooBigError):
            inc.update_lint("x" * 100_000, State.INVESTIGATING)
        with self.assertRaises(inc.NotFoundError):
            inc.update_lint(GOOD, "sleeping")

    def test_statuspage_mapping(self):
        self.assertEqual([inc.statuspage_status(s) for s in State],
                         ["investigating", "investigating", "identified", "monitoring",
                          "resolved", "resolved"])
        self.assertEqual([inc.statuspage_impact(i, 5) for i in range(5)],
                         ["critical", "critical", "major", "minor", "none"])
        self.assertIsNone(inc.statuspage_impact(5, 5))
        self.assertIsNone(inc.statuspage_impact(-1, 5))


class Updates(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)
        self.inc = self.ctx.declare("Checkout errors", "alice", "Sev-2")
        self.inc.assign_role("alice", "frank", Role.COMMS)

    def tearDown(self):
        self.ctx.close()

    def test_external_update_is_linted_and_recorded(self):
        i = self.inc
        self.clock.now += timedelta(minutes=5)
        rec = i.status_update("frank", Audience.EXTERNAL, "We are experiencing some issues.",
                              components="checkout")
        # The body names no component, so no scope either.
        self.assertEqual(sorted(f.rule_id for f in rec.findings),
                         ["COMM-3.no-next-update", "COMM-3.no-scope", "COMM-3.vague"])
        [u] = i.updates()
        self.assertEqual((u.seq, u.time, u.audience, u.author, u.components),
                         (rec.seq, T0 + timedelta(minutes=5), Audience.EXTERNAL, "frank",
                          "checkout"))
        self.assertEqual((u.comms, u.state, u.severity),
                         (frozenset({Comm.STATUS_PAGE}), State.DECLARED, "Sev-2"))
        self.assertEqual(set(u.findings),
                         {"COMM-3.no-next-update", "COMM-3.no-scope", "COMM-3.vague"})
        self.assertEqual(i.events()[-1].kind, "status_update")

    def test_context_lint_config_applies_to_recorded_updates(self):
        body = "Quarry: transactions post late."
        rec = self.inc.status_update("frank", Audience.EXTERNAL, body)
        self.assertIn("COMM-3.no-scope", [f.rule_id for f in rec.findings])
        cfg = inc.LintConfig.parse("libincident-lint 1\nservice = Quarry\n"
                                   "off = COMM-3.no-next-update\n")
        self.ctx.set_lint_config(cfg)
        rec = self.inc.status_update("frank", Audience.EXTERNAL, body)
        self.assertEqual(rec.findings, [])
        self.assertEqual(list(self.inc.updates()[-1].findings), [])
        self.ctx.set_lint_config(None)
        with self.assertRaises(TypeError):
            self.ctx.set_lint_config("service = Quarry")

    def test_writers_and_comms(self):
        i = self.inc
        rec = i.status_update("alice", "external", GOOD)  # the IC is not the writer
        self.assertEqual([f.rule_id for f in rec.findings], ["COMM-1.wrong-writer"])
        self.assertEqual(i.status_update("alice", Audience.RESPONSE, "rolling back").findings, [])
        # frank holds Communications Lead: at Sev-2 that writes internal too (ROLE-6).
        internal = i.status_update("frank", "internal", "Checkout errors in the EU",
                                   comms=[Comm.EXEC_NOTIFY, "customer_email"])
        self.assertEqual(internal.findings, [])
        updates = i.updates()
        self.assertEqual([u.audience for u in updates],
                         [Audience.EXTERNAL, Audience.RESPONSE, Audience.INTERNAL])
        self.assertEqual(updates[1].comms, frozenset())
        self.assertEqual(updates[2].comms, frozenset({Comm.EXEC_NOTIFY, Comm.CUSTOMER_EMAIL}))
        self.ctx.policy = inc.Policy.STRICT
        with self.assertRaises(inc.RoleError) as cm:
            i.status_update("bob", "external", GOOD)
        self.assertIn("frank", cm.exception.message)

    def test_update_errors_record_nothing(self):
        i = self.inc
        seq = i.last_seq
        with self.assertRaises(inc.InvalidError):
            i.status_update("frank", "external", "")
        with self.assertRaises(inc.InvalidError):
            i.status_update("frank", "external", GOOD, comms=1 << 7)  # unknown bit
        with self.assertRaises(inc.InvalidError):
            i.status_update("frank", "external", GOOD, comms=["fax"])
        with self.assertRaises(inc.InvalidError):
            i.status_update("frank", "external", GOOD, components="a\nb")
        with self.assertRaises(inc.NotFoundError):
            i.status_update("frank", "everyone", GOOD)
        self.assertEqual(i.last_seq, seq)

    def test_statuspage_json(self):
        i = self.inc
        i.status_update("frank", "external", GOOD, components="checkout,payments")
        i.status_update("alice", "response", "rolling back")
        doc = json.loads(i.update_statuspage_json(0))["incident"]
        self.assertEqual((doc["status"], doc["impact_override"], doc["body"], doc["name"]),
                         ("investigating", "major", GOOD, "Checkout errors"))
        self.assertEqual(doc["component_ids"], ["checkout", "payments"])
        self.assertNotIn("display_at", doc)
        mapped = json.loads(i.update_statuspage_json(0, {"checkout": "c1", "payments": "p2"}))
        self.assertEqual(mapped["incident"]["components"],
                         {"c1": "partial_outage", "p2": "partial_outage"})
        with self.assertRaises(inc.NotFoundError):
            i.update_statuspage_json(0, {"checkout": "c1"})
        with self.assertRaises(inc.InvalidError):
            i.update_statuspage_json(0, {"a,b": "c1"})
        with self.assertRaises(inc.InvalidError):
            i.update_statuspage_json(1)  # not an external update
        with self.assertRaises(inc.NotFoundError):
            i.update_statuspage_json(2)

    def test_external_id_and_slack(self):
        i = self.inc
        self.assertIsNone(i.external_id("statuspage"))
        seq = i.link_external("bot", "statuspage", "p31zjtct2jer")
        self.assertEqual((i.external_id("statuspage"), i.last_seq), ("p31zjtct2jer", seq))
        with self.assertRaises(inc.InvalidError):
            i.link_external("bot", "Status Page", "x")
        self.assertEqual(i.last_seq, seq)  # nothing written
        header = json.loads(i.slack_json())
        self.assertEqual(header["blocks"][0]["type"], "header")
        upd = i.status_update("frank", "external", GOOD).seq
        self.assertIn("*Status update* (external)", i.slack_json(upd))
        with self.assertRaises(inc.InvalidError):
            i.slack_json(seq)  # external_linked has no message
        with self.assertRaises(inc.NotFoundError):
            i.slack_json(upd + 1)

    def test_cadence(self):
        i = self.inc
        c = i.cadence(Audience.EXTERNAL)
        self.assertEqual((c.audience, c.writer, c.every, c.set_by_ic, c.update_count),
                         (Audience.EXTERNAL, Role.COMMS, timedelta(minutes=30), False, 0))
        self.assertEqual((c.last_update, c.last_writer), (None, None))
        self.assertEqual(c.next_due, T0 + timedelta(minutes=30))
        self.clock.now += timedelta(minutes=45)
        c = i.cadence("external")
        self.assertEqual((c.overdue, c.late, c.now),
                         (True, timedelta(minutes=15), T0 + timedelta(minutes=45)))
        overdue = i.comms_check()
        self.assertEqual(overdue.count_rule("COMM-2.overdue"), 1)
        self.assertGreaterEqual(overdue.count_rule("COMM-4.missing"), 1)
        i.status_update("frank", "external", GOOD)
        c = i.cadence("external")
        self.assertEqual((c.overdue, c.last_writer, c.update_count, c.next_due),
                         (False, "frank", 1, self.clock.now + timedelta(minutes=30)))

    def test_set_cadence(self):
        i = self.inc
        with self.assertRaises(inc.PermissionDeniedError):
            i.set_cadence("frank", "external", timedelta(minutes=15))
        with self.assertRaises(inc.InvalidError):
            i.set_cadence("alice", "external", timedelta(seconds=59))
        with self.assertRaises(inc.InvalidError):
            i.set_cadence("alice", "external", timedelta(0))
        with self.assertRaises(inc.InvalidError):
            i.set_cadence("alice", "external", inc.CADENCE_RUBRIC)  # no change
        i.set_cadence("alice", "external", timedelta(minutes=15), "customers are asking")
        c = i.cadence("external")
        self.assertEqual((c.every, c.set_by_ic), (timedelta(minutes=15), True))
        i.set_cadence("alice", Audience.INTERNAL, None)  # as needed
        c = i.cadence("internal")
        self.assertEqual((c.every, c.next_due), (None, None))
        i.set_cadence("alice", "external", inc.CADENCE_RUBRIC)
        self.assertEqual(i.cadence("external").set_by_ic, False)
        self.assertEqual([e.kind for e in i.events()].count("cadence_changed"), 3)

    def test_required_comms(self):
        i = self.inc
        rc = i.required_comm(Comm.STATUS_PAGE)
        self.assertEqual((rc.kind, rc.required, rc.within, rc.since, rc.deadline),
                         (Comm.STATUS_PAGE, True, timedelta(minutes=30), T0,
                          T0 + timedelta(minutes=30)))
        self.assertEqual((rc.sent_at, rc.missing, rc.late), (None, False, timedelta(0)))
        self.assertEqual(i.required_comm(Comm.CUSTOMER_EMAIL).within, None)
        self.clock.now += timedelta(minutes=40)
        rc = i.required_comm(Comm.STATUS_PAGE)
        self.assertEqual((rc.missing, rc.late), (True, timedelta(minutes=10)))
        i.status_update("frank", "external", GOOD)
        rc = i.required_comm(Comm.STATUS_PAGE)
        self.assertEqual((rc.sent_at, rc.missing), (self.clock.now, False))
        i.set_severity("alice", "Sev-3", "only the EU")
        self.assertEqual(i.required_comm(Comm.EXEC_NOTIFY).within, inc.NEXT_CADENCE)
        with self.assertRaises(ValueError):
            i.required_comm(7)

    def test_templates(self):
        i = self.inc
        text = i.render_template(Template.FIRST, "customers in the EU region",
                                 symptom="failed checkouts",
                                 next_update=T0 + timedelta(minutes=30))
        self.assertEqual(text, "We are investigating reports of failed checkouts affecting "
                               "customers in the EU region. Next update at 14:42 UTC.")
        self.assertEqual(inc.update_lint(text, i.state), [])
        heartbeat = i.render_template(Template.HEARTBEAT, "customers in the EU region")
        self.assertIn("14:42", heartbeat)  # now plus the 30 min cadence
        with self.assertRaises(inc.InvalidError):
            i.render_template(Template.FIRST, None)  # no scope
        with self.assertRaises(inc.InvalidError):
            i.render_template(Template.FIRST, "everyone", symptom="probably the database")
        with self.assertRaises(inc.InvalidError):
            i.render_template(Template.FIRST, "everyone", next_update=T0 - timedelta(hours=1))
        with self.assertRaises(inc.StateError):
            i.render_template(Template.RESOLVED, "everyone")
        with self.assertRaises(ValueError):
            i.render_template(9, "everyone")


if __name__ == "__main__":
    unittest.main()
