"""Finding incidents through the binding (issue 21): Context.find_incidents
with each filter, a custom field (RUB-6), a reopened (LIFE-4) and a
duplicate (LIFE-5) incident, the sorts and the limit, the refusals; and the
rubric's declared fields (Rubric.fields, RUB-6)."""

import os
import tempfile
import unittest
from datetime import datetime, timedelta, timezone
from typing import List

import libincident as inc

RUBRIC = """libincident-rubric 1
name = team
field = region one-of eu,us,apac required-to-close
field = owner person required-from SEV2
level = SEV1
level = SEV2
level = SEV3
"""

T0 = datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class FindIncidents(unittest.TestCase):
    def setUp(self) -> None:
        self.clock = Clock()
        self.rubric = inc.Rubric.parse(RUBRIC)
        self.ctx = inc.Context(clock=self.clock, rubric=self.rubric)
        self.ids: List[str] = []
        a = self.declare("Checkout errors in EU", "SEV1", "a")
        a.assign_role("alice", "bob", "scribe")
        a.set_field("alice", "region", "eu")
        a.handoff("alice", "carol", conditions="errors at 5%", needs="none")
        a.confirm_handoff("carol")
        self.declare("DNS failover drill", "SEV3", "b", drill=True)
        c = self.declare("Login slow", "SEV2", "c")
        for state in ("investigating", "mitigating", "monitoring"):
            c.set_state("alice", state)
        c.set_state("alice", "resolved", "verified by hand")
        c.reopen("alice", "mitigating", "errors came back")
        d = self.declare("Checkout errors again", "SEV2", "d")
        d.add_link("alice", "duplicate_of", self.ids[0], "same outage")

    def tearDown(self) -> None:
        self.ctx.close()
        self.rubric.close()

    def declare(self, title: str, sev: str, slug: str, drill: bool = False) -> inc.Incident:
        self.clock.now = T0 + timedelta(hours=len(self.ids))
        incident = self.ctx.declare(title, "alice", sev, drill=drill, slug=slug)
        self.ids.append(incident.id)
        return incident

    def found(self, **query: object) -> str:
        got = self.ctx.find_incidents(**query)  # type: ignore[arg-type]
        return ",".join(str(self.ids.index(e.id)) for e in got)

    def test_RUB_6_LIFE_4_LIFE_5_filters(self) -> None:
        self.assertEqual(self.found(), "0,1,2,3")
        self.assertEqual(self.found(states=["closed"]), "3")  # LIFE-5: listed, closed
        self.assertEqual(self.found(states=[inc.State.MITIGATING]), "2")  # LIFE-4
        self.assertEqual(self.found(level="sev2"), "2,3")
        self.assertEqual(self.found(drills=True), "1")
        self.assertEqual(self.found(drills=False), "0,2,3")
        self.assertEqual(self.found(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=3)),
                         "1,2")
        self.assertEqual(self.found(holder="carol", role="ic"), "0")
        self.assertEqual(self.found(holder="bob"), "0")
        self.assertEqual(self.found(holder="bob", role=inc.Role.DEPUTY), "")
        self.assertEqual(self.found(field=("region", "eu")), "0")  # RUB-6
        self.assertEqual(self.found(title="CHECKOUT"), "0,3")
        entries = self.ctx.find_incidents()
        self.assertEqual(entries[0].ic, "carol")
        self.assertEqual(entries[0].declarer, "alice")
        self.assertEqual(entries[0].level, 0)
        self.assertEqual(entries[0].declared_at, T0)
        self.assertTrue(entries[1].drill)
        self.assertEqual(entries[2].reopen_count, 1)
        self.assertIsNone(entries[2].resolved_at)
        self.assertEqual(entries[3].duplicate_of, self.ids[0])
        self.assertEqual(entries[3].state, inc.State.CLOSED)
        self.assertEqual(entries.total, 4)
        self.assertEqual(entries.unreadable, [])

    def test_sorts_and_limit(self) -> None:
        self.assertEqual(self.found(sort="level"), "0,2,3,1")
        self.assertEqual(self.found(sort=inc.IncidentSort.DECLARED, reverse=True), "3,2,1,0")
        self.assertEqual(self.found(sort="title"), "3,0,1,2")
        limited = self.ctx.find_incidents(sort="id", reverse=True, limit=2)
        self.assertEqual([e.id for e in limited], [self.ids[3], self.ids[2]])
        self.assertEqual(limited.total, 4)
        self.assertEqual(inc.incident_sort_name(inc.IncidentSort.LEVEL), "level")
        self.assertEqual(inc.incident_sort_from_name("state"), inc.IncidentSort.STATE)
        self.assertEqual(str(inc.IncidentSort.TITLE), "title")

    def test_refusals(self) -> None:
        with self.assertRaises(inc.UnknownNameError):
            self.ctx.find_incidents(states=["sideways"])
        with self.assertRaises(inc.UnknownNameError):
            self.ctx.find_incidents(sort="severity")
        with self.assertRaises(inc.InvalidError):
            self.ctx.find_incidents(since=T0, until=T0 - timedelta(seconds=1))
        with self.assertRaises(inc.NotFoundError):  # RUB-6: not declared by the rubric in force
            self.ctx.find_incidents(field=("severity_class", "x"))
        with self.assertRaises(inc.NotFoundError):
            self.ctx.find_incidents(level="SEV9")
        with self.assertRaises(inc.TooBigError):
            self.ctx.find_incidents(title="x" * (inc._lib.QUERY_TITLE_MAX + 1))
        with self.assertRaises(inc.InvalidError):
            self.ctx.find_incidents(role="scribe")  # a role needs its holder
        with self.assertRaises(ValueError):
            self.ctx.find_incidents(limit=0)

    def test_skip_unreadable(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            with inc.Store.journal(d) as store, inc.Context(store=store) as ctx:
                ok = ctx.declare("Checkout", "alice", "Sev-2", slug="ok").id
                bad = ctx.declare("Search", "alice", "Sev-3", slug="bad").id
            with open(os.path.join(d, bad + ".jnl"), "wb") as f:
                f.write(b"this is not a journal file, not at all, not even a torn one........")
            # Read-only, as `incident list` opens it (a writable handle
            # would set the file aside, quarantined, on its first read).
            with inc.Store.journal(d, read_only=True) as store, inc.Context(store=store) as ctx:
                with self.assertRaises(inc.IncidentError):
                    ctx.find_incidents()
                found = ctx.find_incidents(skip_unreadable=True)
                self.assertEqual([e.id for e in found], [ok])
                self.assertEqual(found.unreadable, [bad])

    def test_RUB_6_rubric_fields(self) -> None:
        region, owner = self.rubric.fields
        self.assertEqual(region.name, "region")
        self.assertEqual(region.type, inc.FieldType.ONE_OF)
        self.assertEqual(region.values, ("eu", "us", "apac"))
        self.assertEqual(region.required, inc.FieldRequired.REQUIRED_TO_CLOSE)
        self.assertIsNone(region.level)
        self.assertEqual(owner.type, inc.FieldType.PERSON)
        self.assertEqual(str(owner.type), "person")
        self.assertEqual(owner.values, ())
        self.assertEqual(owner.required, inc.FieldRequired.REQUIRED_FROM_LEVEL)
        self.assertEqual(owner.level, "SEV2")
        with inc.Rubric.preset(inc.Preset.DEFAULT) as plain:
            self.assertEqual(plain.fields, [])


if __name__ == "__main__":
    unittest.main()
