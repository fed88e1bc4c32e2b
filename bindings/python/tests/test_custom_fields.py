"""RUB-6 through the binding: custom fields declared by the rubric, set by
the IC, checked, read back, and kept by a reopen of the incident."""

import unittest

import libincident as inc

RUBRIC = """libincident-rubric 1
name = team
field = tickets number
field = region one-of eu,us,apac required-to-close
level = SEV1
level = SEV2
"""


class CustomFields(unittest.TestCase):
    def test_RUB_6_set_field_and_field(self):
        with inc.Context() as ctx, inc.Rubric.parse(RUBRIC) as rubric:
            ctx.rubric = rubric
            incident = ctx.declare("Checkout errors", "alice", "SEV2")
            self.assertIsNone(incident.field("region"))
            incident.set_field("alice", "region", "eu")
            incident.set_field("alice", "tickets", "12")
            self.assertEqual(incident.field("region"), "eu")
            self.assertEqual(incident.field("tickets"), "12")
            with self.assertRaises(inc.InvalidError):
                incident.set_field("alice", "region", "mars")
            with self.assertRaises(inc.InvalidError):
                incident.set_field("alice", "tickets", "many")
            with self.assertRaises(inc.NotFoundError):
                incident.set_field("alice", "nope", "x")
            with self.assertRaises(inc.PermissionDeniedError):
                incident.set_field("bob", "region", "us")
            self.assertEqual(incident.field("region"), "eu")
            again = ctx.open(incident.id)
            self.assertEqual(again.field("region"), "eu")
            self.assertEqual(inc.EventKind.FIELD_SET, 32)


if __name__ == "__main__":
    unittest.main()
