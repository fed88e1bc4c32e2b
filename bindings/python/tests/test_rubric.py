"""Rubrics: presets, the text format, every accessor, and their errors."""

import copy
import unittest
from datetime import timedelta
from pathlib import Path

import libincident as inc
from libincident import Comm, Duration, EscCondition, Flag, Role

REPO = Path(__file__).resolve().parents[3]


class Presets(unittest.TestCase):
    def test_default_preset(self):
        with inc.Rubric.preset() as r:
            self.assertEqual(r.name, "default")
            self.assertEqual(r.level_names, ["Sev-0", "Sev-1", "Sev-2", "Sev-3", "Sev-4"])
            self.assertEqual(len(r), 5)
            self.assertEqual(r.level_index("Sev-2"), 2)
            self.assertEqual(r["Sev-2"].duration(Duration.ACK), timedelta(minutes=5))
            self.assertIsNone(r["Sev-4"].duration(Duration.ACK))
            self.assertTrue(r[0].flag(Flag.EXEC_POSTURE))
            self.assertFalse(r[-1].flag(Flag.BRIDGE))
            self.assertEqual(r[-1].name, "Sev-4")

    def test_seed002_preset_by_name(self):
        with inc.Rubric.preset("seed002") as r:
            self.assertEqual(r.level_names, ["SEV1", "SEV2", "SEV3", "SEV4"])

    def test_unknown_preset(self):
        with self.assertRaises(inc.InvalidError):
            inc.Rubric.preset(7)
        with self.assertRaises(KeyError):
            inc.Rubric.preset("nope")

    def test_level_lookup_errors(self):
        with inc.Rubric.preset() as r:
            with self.assertRaises(inc.NotFoundError):
                r["Sev-9"]
            with self.assertRaises(IndexError):
                r[5]


class TextFormat(unittest.TestCase):
    def test_write_parse_round_trip(self):
        with inc.Rubric.preset() as r:
            text = r.write()
            with inc.Rubric.parse(text) as again:
                self.assertEqual(r, again)
                self.assertEqual(str(again), text)

    def test_example_file_parses(self):
        text = (REPO / "examples" / "rubrics" / "seed002.rubric").read_text()
        with inc.Rubric.parse(text) as r, inc.Rubric.preset(inc.Preset.SEED002) as preset:
            self.assertEqual(r, preset)

    def test_parse_error_names_the_line(self):
        with self.assertRaises(inc.ParseError) as cm:
            inc.Rubric.parse("libincident-rubric 1\nname = x\nlevel = A\n  what is this\n")
        self.assertEqual(cm.exception.line, 4)
        self.assertTrue(cm.exception.message)
        self.assertIsInstance(cm.exception, ValueError)

    def test_parse_rub3_violation_is_invalid(self):
        text = ("libincident-rubric 1\nname = x\nlevel = A\n  ack = 1h\n"
                "level = B\n  ack = 5m\n")
        with self.assertRaises(inc.InvalidError) as cm:
            inc.Rubric.parse(text)
        self.assertIn("ack", cm.exception.message)


class Building(unittest.TestCase):
    def setUp(self):
        self.r = inc.Rubric("house")
        self.a = self.r.add_level("P1")
        self.b = self.r.add_level("P2")

    def tearDown(self):
        self.r.close()

    def test_new_rubric_defaults(self):
        self.assertEqual(self.r.name, "house")
        self.assertEqual([lv.name for lv in self.r], ["P1", "P2"])
        self.assertEqual(self.a.trigger, "")
        self.assertIsNone(self.a.duration(Duration.RESOLVE))
        self.assertEqual(self.a.combo(Role.IC, Role.SCRIBE), inc.Combo.ALLOWED)
        self.assertEqual(self.a.staffing, (set(), 0))
        self.assertEqual(self.a.escalations, [])
        self.assertEqual(self.a.repeat, 0)

    def test_texts(self):
        self.a.trigger = "everything is down"
        self.a.set_text(inc.LevelText.PAGED, "on-call")
        self.a.posture = None
        self.assertEqual(self.a.trigger, "everything is down")
        self.assertEqual(self.a.paged, "on-call")
        self.assertEqual(self.a.posture, "")
        with self.assertRaises(inc.TooBigError):
            self.a.trigger = "x" * 5000

    def test_durations(self):
        self.a.set_duration(Duration.ACK, timedelta(minutes=5))
        self.b.set_duration(Duration.ACK, timedelta(hours=1))
        self.assertEqual(self.a.durations[Duration.ACK], timedelta(minutes=5))
        self.r.validate()
        self.a.set_duration(Duration.ACK, None)
        self.assertIsNone(self.a.duration(Duration.ACK))
        with self.assertRaises(inc.InvalidError):
            self.a.set_duration(Duration.ACK, timedelta(0))
        self.assertEqual(str(Duration.CADENCE_EXTERNAL), "cadence.external")
        self.assertEqual(inc.level_duration_name(Duration.ACK), "ack")

    def test_validate_rub3(self):
        self.a.set_duration(Duration.ACK, timedelta(hours=1))
        self.b.set_duration(Duration.ACK, timedelta(minutes=5))
        with self.assertRaises(inc.InvalidError) as cm:
            self.r.validate()
        self.assertIn("P1", cm.exception.message)
        with self.assertRaises(inc.InvalidError):
            inc.Context(rubric=self.r)

    def test_flags_and_comms(self):
        self.a.set_flag(Flag.BRIDGE, True)
        self.assertTrue(self.a.flag(Flag.BRIDGE))
        self.a.set_required_comm(Comm.STATUS_PAGE, timedelta(0))
        self.a.set_required_comm(Comm.EXEC_NOTIFY, inc.NEXT_CADENCE)
        self.a.set_required_comm(Comm.CUSTOMER_EMAIL, timedelta(minutes=30))
        self.assertEqual(self.a.required_comm(Comm.STATUS_PAGE), timedelta(0))
        self.assertEqual(self.a.required_comm(Comm.EXEC_NOTIFY), inc.NEXT_CADENCE)
        self.assertEqual(self.a.required_comm(Comm.CUSTOMER_EMAIL), timedelta(minutes=30))
        self.a.set_required_comm(Comm.CUSTOMER_EMAIL, None)
        self.assertIsNone(self.a.required_comm(Comm.CUSTOMER_EMAIL))
        with self.assertRaises(inc.InvalidError):
            self.a.set_required_comm(Comm.CUSTOMER_EMAIL, timedelta(milliseconds=-5))

    def test_roles_combos_staffing(self):
        self.a.set_combo("ic", Role.SCRIBE, inc.Combo.NEVER)
        self.assertEqual(self.a.combo(Role.SCRIBE, Role.IC), inc.Combo.NEVER)
        self.assertEqual(str(inc.Combo.REPORT_LONG), "report-long")
        with self.assertRaises(inc.InvalidError):
            self.a.set_combo(Role.IC, Role.IC, inc.Combo.NEVER)
        self.a.set_staffing({Role.IC, "sme"}, 2)
        self.assertEqual(self.a.staffing, ({Role.IC, Role.SME}, 2))

    def test_escalations_and_repeat(self):
        self.a.add_escalation(timedelta(minutes=30), EscCondition.UNRESOLVED, "team-lead")
        self.a.add_escalation(timedelta(minutes=10), EscCondition.UNACKNOWLEDGED, "on-call,backup")
        steps = self.a.escalations
        self.assertEqual([s.after for s in steps], [timedelta(minutes=10), timedelta(minutes=30)])
        self.assertEqual(steps[0].target, "on-call,backup")
        self.assertEqual(steps[0].condition, EscCondition.UNACKNOWLEDGED)
        with self.assertRaises(inc.InvalidError):
            self.a.add_escalation(timedelta(0), EscCondition.UNRESOLVED, "x")
        self.a.repeat = 2
        self.assertEqual(self.a.repeat, 2)

    def test_add_level_errors(self):
        with self.assertRaises(inc.InvalidError):
            self.r.add_level("P1")
        with self.assertRaises(inc.InvalidError):
            self.r.add_level("bad name")
        with self.assertRaises(inc.InvalidError):
            inc.Rubric("")

    def test_copy_is_independent(self):
        twin = copy.copy(self.r)
        deep = copy.deepcopy(self.r)
        self.assertEqual(twin, self.r)
        twin["P1"].trigger = "changed"
        self.assertNotEqual(twin, self.r)
        self.assertEqual(deep, self.r)
        twin.close()
        deep.close()
        self.assertNotEqual(self.r, "not a rubric")


class RoleNames(unittest.TestCase):
    def test_names_titles_lookup(self):
        self.assertEqual(inc.role_name(Role.IC), "ic")
        self.assertEqual(str(Role.COMMS), "comms")
        self.assertEqual(Role.IC.title, "Incident Commander")
        self.assertEqual(inc.role_from_name("SCRIBE"), Role.SCRIBE)
        with self.assertRaises(inc.NotFoundError):
            inc.role_from_name("janitor")
        self.assertIsNone(inc.role_name(42))
        self.assertEqual(inc.combo_name(inc.Combo.NEVER), "never")
        self.assertEqual(Role.SME.bit, 8)


if __name__ == "__main__":
    unittest.main()
