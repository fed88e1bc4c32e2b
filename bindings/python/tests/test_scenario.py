"""The shared scenario on every store, compared with the C program's output."""

import subprocess
import tempfile
import unittest

import libincident as inc
import scenario_script


def _run_on(store):
    ctx, incident = scenario_script.run(store=store)
    try:
        return incident.events(), incident.export_json(), incident.timeline(), incident.id
    finally:
        ctx.close()


class ScenarioAcrossStores(unittest.TestCase):
    """Memory, journal and SQLite stores: same events, same bytes."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.results = {}
        with inc.Store.memory() as store:
            cls.results["memory"] = _run_on(store)
        with inc.Store.journal(cls.tmp.name + "/journal", sync=inc.SyncPolicy.NONE) as store:
            cls.results["journal"] = _run_on(store)
            # The journal holds exactly what was written: reopen and compare.
            with inc.Context(store=store) as ctx, ctx.open(cls.results["journal"][3]) as again:
                cls.results["journal reopened"] = (again.events(), again.export_json(),
                                                   again.timeline(), again.id)
            store.journal_verify(cls.results["journal"][3])
        with inc.Store.from_backend(inc.SQLiteStore(cls.tmp.name + "/events.db")) as store:
            cls.results["sqlite"] = _run_on(store)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_timelines_match_event_for_event(self):
        memory_events = self.results["memory"][0]
        self.assertGreater(len(memory_events), 5)
        for name, (events, _, _, _) in self.results.items():
            with self.subTest(store=name):
                self.assertEqual(len(events), len(memory_events))
                for a, b in zip(memory_events, events):
                    self.assertEqual(a, b)

    def test_exports_are_identical_bytes(self):
        memory_json = self.results["memory"][1]
        for name, (_, doc, timeline, _) in self.results.items():
            with self.subTest(store=name):
                self.assertEqual(doc, memory_json)
                self.assertEqual(timeline, self.results["memory"][2])

    def test_script_outcome(self):
        events = self.results["memory"][0]
        self.assertEqual(events[0].kind, "declared")
        self.assertEqual(events[0].time, inc.parse_time("2026-11-23T14:12:00Z"))
        self.assertEqual([e.kind for e in events].count("severity_changed"), 1)
        last = events[-1]
        self.assertEqual(last.kind, "correction")
        self.assertEqual(last.ref_seq, 3)
        kinds = [e.kind for e in events]
        for kind in ("role_assigned", "role_released", "handoff_started", "handoff_confirmed",
                     "handoff_cancelled", "can_report", "decision_made", "status_update"):
            self.assertIn(kind, kinds)

    def test_can_report_decision_and_update(self):
        with inc.Store.memory() as store:
            ctx, incident = scenario_script.run(store=store)
            try:
                [report] = incident.can_reports()
                [decision] = incident.decisions()
                [update] = incident.updates()
            finally:
                ctx.close()
        self.assertEqual((report.author, report.addressee, report.kind, report.findings),
                         ("carol", "alice", inc.CanKind.SME_TO_IC, ()))
        self.assertEqual((decision.id, decision.status, decision.decided_by, decision.note),
                         (1, inc.DecisionStatus.DENIED, "alice", "roll back first"))
        self.assertEqual(decision.request_seq, report.seq)
        self.assertEqual((update.author, update.audience, update.components, update.findings),
                         ("frank", inc.Audience.EXTERNAL, "checkout", ()))


class ScenarioMatchesC(unittest.TestCase):
    """The binding and examples/scenario (C) produce the same bytes."""

    def setUp(self):
        self.bin = scenario_script.binary()
        if self.bin is None:
            self.skipTest("examples/scenario is not built (configure with -DINC_BUILD_EXAMPLES=ON)")

    def _c_output(self, *args):
        proc = subprocess.run([self.bin, *args, str(scenario_script.SCRIPT)],
                              capture_output=True, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        return proc.stdout.decode("utf-8")

    def test_export_matches_c_byte_for_byte(self):
        with inc.Store.memory() as store:
            _, doc, _, _ = _run_on(store)
        self.assertEqual(doc + "\n", self._c_output())

    def test_timeline_matches_c(self):
        with inc.Store.memory() as store:
            _, _, timeline, _ = _run_on(store)
        self.assertEqual(timeline, self._c_output("--timeline"))

    def test_c_export_imports_and_verifies(self):
        with inc.Context() as ctx, ctx.import_json(self._c_output()) as imported:
            imported.verify()
            self.assertEqual(imported.state, inc.State.RESOLVED)
            self.assertEqual(imported.severity, "Sev-1")
            self.assertEqual(imported.ic, "dave")
            self.assertEqual(imported.ic_at(inc.parse_time("2026-11-23T14:20:00Z")), "alice")


class ScriptParser(unittest.TestCase):
    def test_bad_scripts_are_refused(self):
        for text in ("+00:00 | note | a | b\n",
                     "start | 2026-11-23T14:12:00Z\n+1:5 | note | a | b\n",
                     "start | 2026-11-23T14:12:00Z\n+01:00 | note | a | b | => INC_NOPE\n"):
            with self.subTest(text=text), tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
                f.write(text)
                f.flush()
                with self.assertRaises(ValueError):
                    scenario_script.parse(f.name)

    def test_unexpected_outcome_fails(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("start | 2026-11-23T14:12:00Z\n"
                    "+00:00 | declare | alice | Sev-2 | 0 | t\n"
                    "+01:00 | severity | bob | Sev-1 | x\n")  # bob is refused: not expected
            f.flush()
            with self.assertRaises(AssertionError):
                scenario_script.run(path=f.name)


if __name__ == "__main__":
    unittest.main()
