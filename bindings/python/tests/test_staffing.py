"""Roles: assignment, release, the IC hand-off and the role checks."""

import unittest
from datetime import datetime, timedelta, timezone

import libincident as inc
from libincident import Role

T0 = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


class Staffing(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.ctx = inc.Context(clock=self.clock)
        self.inc = self.ctx.declare("Checkout errors", "alice", "Sev-2")

    def tearDown(self):
        self.ctx.close()

    def test_assign_and_release(self):
        i = self.inc
        i.assign_role("alice", "bob", "scribe")
        i.assign_role("alice", "carol", Role.SME, "database")
        i.assign_role("alice", "erin", Role.SME, "network")
        self.assertEqual(i.person_roles("bob"), {Role.SCRIBE})
        self.assertEqual([a.person for a in i.role_holders(Role.SME)], ["carol", "erin"])
        holder = i.role_holders("sme")[0]
        self.assertEqual((holder.domain, holder.assigned_by, holder.assigned_at,
                          holder.released_at),
                         ("database", "alice", T0, None))
        self.assertEqual(i.role_holders(Role.IC)[0].person, "alice")
        self.assertEqual(i.scribe_assigned_at, T0)
        self.clock.now += timedelta(minutes=2)
        i.release_role("carol", "carol", Role.SME, "database")  # one's own role
        i.release_role("alice", "bob", "scribe")  # the IC releases anyone's
        self.assertEqual(i.person_roles("bob"), set())
        self.assertEqual(i.person_roles("bob", at=T0), {Role.SCRIBE})
        released = [a for a in i.assignments() if a.person == "bob"][0]
        self.assertEqual(released.released_at, T0 + timedelta(minutes=2))
        self.assertGreater(released.released_seq, released.seq)
        kinds = [e.kind for e in i.events()]
        self.assertEqual(kinds.count("role_assigned"), 3)
        self.assertEqual(kinds.count("role_released"), 2)

    def test_assign_errors(self):
        i = self.inc
        with self.assertRaises(inc.PermissionDeniedError) as cm:
            i.assign_role("bob", "carol", "scribe")
        self.assertIn("alice", cm.exception.message)
        with self.assertRaises(inc.InvalidError):
            i.assign_role("alice", "bob", Role.IC)  # by hand-off only (ROLE-2)
        with self.assertRaises(inc.InvalidError):
            i.assign_role("alice", "bob", Role.SME)  # an SME needs a domain
        with self.assertRaises(inc.InvalidError):
            i.assign_role("alice", "bob", Role.SCRIBE, "database")
        with self.assertRaises(inc.NotFoundError):
            i.assign_role("alice", "bob", "janitor")
        i.assign_role("alice", "bob", "scribe")
        with self.assertRaises(inc.ExistsError):
            i.assign_role("alice", "carol", "scribe")  # one holder at a time
        with self.assertRaises(inc.NotFoundError):
            i.release_role("alice", "carol", "scribe")
        with self.assertRaises(inc.PermissionDeniedError):
            i.release_role("carol", "bob", "scribe")
        self.assertEqual(i.last_seq, 2)

    def test_handoff(self):
        i = self.inc
        self.clock.now += timedelta(minutes=5)
        i.handoff("alice", "dave", conditions="CPU at 95%", actions="rolling back", needs="none")
        self.assertEqual((i.handoff_to, i.handoff_since, i.handoff_seq),
                         ("dave", T0 + timedelta(minutes=5), 2))
        self.assertIn("rolling back", i.describe(i.handoff_seq - 1))
        self.assertEqual(i.ic, "alice")  # until confirmed
        with self.assertRaises(inc.StateError):
            i.handoff("alice", "erin", conditions="x", needs="none")  # one pending already
        with self.assertRaises(inc.PermissionDeniedError):
            i.confirm_handoff("erin")
        self.clock.now += timedelta(minutes=1)
        i.confirm_handoff("dave")
        self.assertEqual((i.ic, i.handoff_to, i.handoff_seq), ("dave", None, 0))
        self.assertEqual(i.ic_at(T0 + timedelta(minutes=5)), "alice")
        self.assertEqual(i.ic_at(T0 + timedelta(minutes=6)), "dave")
        self.assertIsNone(i.ic_at(T0 - timedelta(minutes=1)))
        terms = [a for a in i.assignments() if a.role == Role.IC]
        self.assertEqual([t.person for t in terms], ["alice", "dave"])
        with self.assertRaises(inc.PermissionDeniedError):
            i.set_severity("alice", "Sev-1", "alice is no longer IC")
        i.handoff("dave", "erin", conditions="stable", needs="none")
        i.cancel_handoff("erin", "paged elsewhere")
        self.assertIsNone(i.handoff_to)
        self.assertEqual(i.events()[-1].kind, "handoff_cancelled")
        with self.assertRaises(inc.StateError):
            i.cancel_handoff("dave")
        with self.assertRaises(inc.StateError):
            i.confirm_handoff("erin")
        with self.assertRaises(inc.InvalidError):
            i.handoff("dave", "dave", conditions="x", needs="none")
        with self.assertRaises(inc.InvalidError):
            i.handoff("dave", "erin", needs="none")  # CAN-1: conditions or actions
        with self.assertRaises(inc.InvalidError):
            i.handoff("dave", "erin", conditions="x", needs="")  # CAN-1: needs required
        with self.assertRaises(TypeError):
            i.handoff("dave", "erin")  # needs is a required keyword

    def test_roles_check(self):
        i = self.inc
        i.assign_role("alice", "alice", Role.SCRIBE)  # advisory: recorded, reported
        self.clock.now += timedelta(minutes=10)
        findings = i.roles_check()
        self.assertIsInstance(findings, inc.Findings)
        combo = [f for f in findings if f.enforced]
        self.assertEqual(len(combo), 1)
        self.assertEqual(combo[0].people, ("alice",))
        self.assertEqual(set(combo[0].roles), {Role.IC, Role.SCRIBE})
        self.assertEqual((combo[0].level, combo[0].level_index), ("Sev-2", 2))
        self.assertGreater(findings.count_rule("ROLE-10"), 0)
        self.assertEqual(findings.count_rule("ROLE-10"),
                         sum(1 for f in findings if f.rule_id == "ROLE-10"))
        self.assertEqual(len(findings.text.splitlines()), len(findings))
        self.assertIn(combo[0].message, findings.text)
        self.assertIsNone(combo[0].slot)

    def test_late_scribe_and_strict_policy(self):
        self.assertEqual(self.inc.scribe_due, T0 + timedelta(minutes=5))
        self.assertIsNone(self.inc.scribe_assigned_at)
        self.clock.now += timedelta(minutes=8)
        late = [f for f in self.inc.roles_check() if f.rule_id == "ROLE-12"]
        self.assertEqual(len(late), 1)
        self.assertEqual(late[0].value, 3 * 60 * 1000)
        self.ctx.policy = inc.Policy.STRICT
        with self.assertRaises(inc.RoleError) as cm:
            self.inc.assign_role("alice", "alice", Role.SCRIBE)
        self.assertIn("alice", cm.exception.message)
        self.assertEqual(self.inc.person_roles("alice"), {Role.IC})


if __name__ == "__main__":
    unittest.main()


class UnsetTimesAreNone(unittest.TestCase):
    """The properties documented "or None" give None when the library has
    no time (INC_TIME_NONE), also under the type annotations."""

    def test_no_handoff_no_scribe_nothing_due(self):
        with inc.Context() as ctx:
            i = ctx.declare("Quiet", "alice", "Sev-4")
            self.assertEqual((i.handoff_to, i.handoff_since), (None, None))
            self.assertIsNone(i.scribe_due)  # Sev-4 expects no Scribe
            i.set_state("alice", "investigating")
            i.set_state("alice", "mitigating")
            i.set_state("alice", "monitoring")
            i.set_state("alice", "resolved", "verified")
            self.assertIsNone(i.next_due)
