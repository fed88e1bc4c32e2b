"""CAN reports (incident/can.h): the lint on text alone, recording, the
decisions Needs open for the IC, and Dispatch's tactical-report JSON."""

import json
import unittest
from datetime import datetime, timedelta, timezone

import libincident as inc
from libincident import CanKind, CanSlot, DecisionStatus

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


class TextOnly(unittest.TestCase):
    def test_lint_finds_each_fault_in_its_slot(self):
        found = inc.can_lint("I think it is a leak", "I'll restart the cache", None)
        self.assertEqual(sorted(f.rule_id for f in found),
                         ["CAN-2.implicit-needs", "CAN-2.promise", "CAN-2.speculation"])
        spec = [f for f in found if f.rule_id == "CAN-2.speculation"][0]
        self.assertEqual((spec.slot, spec.offset, spec.length), (CanSlot.CONDITIONS, 0, 7))
        promise = [f for f in found if f.rule_id == "CAN-2.promise"][0]
        self.assertEqual(promise.slot, CanSlot.ACTIONS)
        self.assertEqual("I'll restart the cache".encode()[promise.offset:][:promise.length],
                         b"'ll")
        self.assertEqual(found.count_rule("CAN-2.promise"), 1)
        self.assertIn("CAN-2", found.text)

    def test_lint_of_a_good_report_and_of_an_empty_one(self):
        self.assertEqual(inc.can_lint("CPU 95% on db-1", "rolling back the deploy", "none"), [])
        empty = inc.can_lint()
        self.assertEqual([f.rule_id for f in empty], ["CAN-1.empty"])
        self.assertIsNone(empty[0].slot)  # the whole report
        # The words are faults only where they are: "I think" in Actions is fine.
        self.assertEqual(inc.can_lint("CPU 95%", "I think we restart", "none"), [])

    def test_lint_errors(self):
        with self.assertRaises(inc.InvalidError):
            inc.can_lint(b"\xff\xfe", None, "none")  # not UTF-8
        with self.assertRaises(inc.TooBigError):
            inc.can_lint("x" * 100_000, None, "none")
        with self.assertRaises(TypeError):
            inc.can_lint(42)

    def test_needs_words(self):
        self.assertTrue(inc.can_needs_none("None."))
        self.assertTrue(inc.can_needs_none("  n/a "))
        self.assertFalse(inc.can_needs_none(None))  # omitted, not "none"
        self.assertFalse(inc.can_needs_none(""))
        self.assertFalse(inc.can_needs_none("a DBA"))
        self.assertTrue(inc.can_need_asks_decision("approval to fail over to db-2"))
        self.assertTrue(inc.can_need_asks_decision("OK to restart?"))
        self.assertFalse(inc.can_need_asks_decision("a DBA"))
        self.assertFalse(inc.can_need_asks_decision(None))

    def test_kind_and_status_names(self):
        self.assertEqual(str(CanKind.TOP_OF_HOUR), "top-of-hour")
        self.assertEqual(inc.can_kind_name(CanKind.SME_TO_IC), "sme-to-ic")
        self.assertEqual(inc.can_kind_from_name("Escalation"), CanKind.ESCALATION)
        with self.assertRaises(inc.NotFoundError):
            inc.can_kind_from_name("memo")
        self.assertIsNone(inc.can_kind_name(9))
        self.assertEqual([str(s) for s in DecisionStatus], ["pending", "approved", "denied"])
        self.assertIsNone(inc.decision_status_name(7))

    def test_dispatch_json_round_trip(self):
        doc = inc.can_to_dispatch_json("CPU 95% \"db-1\"", None, "none")
        self.assertEqual(json.loads(doc), {"conditions": "CPU 95% \"db-1\"", "actions": "",
                                           "needs": "none"})
        self.assertEqual(inc.can_from_dispatch_json(doc),
                         ("CPU 95% \"db-1\"", None, "none"))
        stored = {"id": 7, "details": {"conditions": "c", "actions": "a", "needs": "n"}}
        text = inc.can_from_dispatch_json(json.dumps(stored).encode())
        self.assertEqual((text.conditions, text.actions, text.needs), ("c", "a", "n"))

    def test_dispatch_json_errors(self):
        with self.assertRaises(inc.ParseError) as cm:
            inc.can_from_dispatch_json('{"conditions":')
        self.assertGreater(cm.exception.offset, 0)
        with self.assertRaises(inc.ParseError):
            inc.can_from_dispatch_json("[1]")
        with self.assertRaises(inc.InvalidError) as cm:
            inc.can_from_dispatch_json('{"conditions":"x","needs":5}')
        self.assertIn("needs", cm.exception.message)
        with self.assertRaises(inc.InvalidError):
            inc.can_to_dispatch_json(b"\xff")


class Recording(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)
        self.inc = self.ctx.declare("Checkout errors", "alice", "Sev-2")

    def tearDown(self):
        self.ctx.close()

    def test_report_is_recorded_with_its_findings_and_decisions(self):
        i = self.inc
        self.clock.now += timedelta(minutes=3)
        rec = i.can_report("carol", conditions="I think the cache is cold",
                           actions="warming it", needs="approval to fail over; a DBA")
        self.assertEqual(rec.seq, i.last_seq)
        self.assertEqual([f.rule_id for f in rec.findings], ["CAN-2.speculation"])
        reports = i.can_reports()
        self.assertEqual(len(reports), 1)
        r = reports[0]
        self.assertEqual((r.seq, r.time, r.kind, r.author, r.addressee),
                         (rec.seq, T0 + timedelta(minutes=3), CanKind.SME_TO_IC, "carol", "alice"))
        self.assertEqual((r.conditions, r.actions, r.needs, r.needs_none),
                         ("I think the cache is cold", "warming it",
                          "approval to fail over; a DBA", False))
        self.assertEqual(r.findings, ("CAN-2.speculation",))
        self.assertEqual((r.decision_count, r.first_decision), (1, 1))  # "a DBA" asks none
        self.assertEqual(i.pending_decision_count, 1)
        d = i.decisions()[0]
        self.assertEqual((d.id, d.status, d.text, d.requested_by, d.request_seq),
                         (1, DecisionStatus.PENDING, "approval to fail over", "carol", rec.seq))
        self.assertEqual((d.decided_by, d.decided_at, d.decision_seq, d.note),
                         (None, None, 0, None))
        self.assertEqual(i.events()[-1].kind, "can_report")

    def test_omitted_and_explicit_needs(self):
        i = self.inc
        omitted = i.can_report("carol", conditions="CPU 95%", actions="adding a replica")
        self.assertEqual([f.rule_id for f in omitted.findings], ["CAN-2.implicit-needs"])
        explicit = i.can_report("carol", conditions="CPU 95%", actions="adding a replica",
                                needs="none")
        self.assertEqual(explicit.findings, [])
        first, second = i.can_reports()
        self.assertIsNone(first.needs)
        self.assertEqual((second.needs, second.needs_none), ("none", True))

    def test_kinds_and_addressees(self):
        i = self.inc
        i.can_report("alice", kind="top-of-hour", conditions="stable", actions="watching",
                     needs="none")
        i.can_report("alice", kind=CanKind.ESCALATION, addressee="vp-eng",
                     conditions="checkout failing", actions="rolling back", needs="none")
        top, esc = i.can_reports()
        self.assertEqual((top.kind, top.addressee), (CanKind.TOP_OF_HOUR, i.channel))
        self.assertEqual((esc.kind, esc.addressee), (CanKind.ESCALATION, "vp-eng"))

    def test_report_errors_record_nothing(self):
        i = self.inc
        seq = i.last_seq
        with self.assertRaises(inc.InvalidError):
            i.can_report("carol")  # all slots blank (CAN-1)
        with self.assertRaises(inc.InvalidError) as cm:
            i.can_report("carol", kind=CanKind.ESCALATION, conditions="x", needs="none")
        self.assertIn("addressee", cm.exception.message)
        with self.assertRaises(inc.TooBigError):
            i.can_report("carol", conditions="x" * 100_000, needs="none")
        with self.assertRaises(inc.NotFoundError):
            i.can_report("carol", kind="memo", conditions="x")
        self.assertEqual(i.last_seq, seq)
        self.assertEqual(i.can_reports(), [])

    def test_top_of_hour_by_someone_else(self):
        i = self.inc
        rec = i.can_report("bob", kind=CanKind.TOP_OF_HOUR, conditions="x", actions="y",
                           needs="none")
        self.assertEqual([f.rule_id for f in rec.findings], ["COMM-1.wrong-writer"])
        self.ctx.policy = inc.Policy.STRICT
        with self.assertRaises(inc.RoleError):
            i.can_report("bob", kind=CanKind.TOP_OF_HOUR, conditions="x", actions="y",
                         needs="none")
        self.assertEqual(len(i.can_reports()), 1)

    def test_decisions_request_and_decide(self):
        i = self.inc
        self.assertEqual(i.request_decision("carol", "restart the primary?"), 1)
        self.assertEqual(i.request_decision("dave", "page the network team?"), 2)
        with self.assertRaises(inc.PermissionDeniedError) as cm:
            i.decide("bob", 1, True)
        self.assertIn("alice", cm.exception.message)
        self.clock.now += timedelta(minutes=1)
        i.decide("alice", 1, approve=True, note="go ahead")
        i.decide("alice", 2, approve=False)
        with self.assertRaises(inc.InvalidError):
            i.decide("alice", 1, True)  # already decided
        with self.assertRaises(inc.NotFoundError):
            i.decide("alice", 9, True)
        with self.assertRaises(inc.InvalidError):
            i.request_decision("carol", "")
        first, second = i.decisions()
        self.assertEqual((first.status, first.decided_by, first.decided_at, first.note),
                         (DecisionStatus.APPROVED, "alice", T0 + timedelta(minutes=1), "go ahead"))
        self.assertGreater(first.decision_seq, first.request_seq)
        self.assertEqual((second.status, second.note), (DecisionStatus.DENIED, ""))
        self.assertEqual(i.pending_decision_count, 0)
        kinds = [e.kind for e in i.events()]
        self.assertEqual(kinds.count("decision_requested"), 2)
        self.assertEqual(kinds.count("decision_made"), 2)

    def test_dispatch_json_of_a_recorded_report(self):
        i = self.inc
        i.can_report("carol", conditions="CPU 95%", actions="rolling back")
        self.assertEqual(json.loads(i.can_dispatch_json(0)),
                         {"conditions": "CPU 95%", "actions": "rolling back", "needs": ""})
        with self.assertRaises(inc.NotFoundError) as cm:
            i.can_dispatch_json(1)
        self.assertIn("CAN report 1", cm.exception.message)

    def test_replay_gives_the_same_reports_and_decisions(self):
        i = self.inc
        i.can_report("carol", conditions="CPU 95%", actions="x", needs="approval to restart")
        i.decide("alice", 1, True, "ok")
        with self.ctx.open(i.id) as again:
            self.assertEqual(again.can_reports(), i.can_reports())
            self.assertEqual(again.decisions(), i.decisions())

    def test_closed_incident(self):
        self.inc.close()
        with self.assertRaises(inc.InvalidError):
            self.inc.can_reports()
        with self.assertRaises(inc.InvalidError):
            self.inc.can_report("carol", conditions="x", needs="none")
        with self.assertRaises(inc.InvalidError):
            self.inc.pending_decision_count


if __name__ == "__main__":
    unittest.main()
