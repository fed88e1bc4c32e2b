"""A team's lint words (inc_lint_config_parse and the _with lint calls)."""

import unittest

import libincident as inc

CONFIG = """libincident-lint 1
name = payments
service = Ledger Sync
promise = any moment now
off = PM-4.blame
"""


class LintConfig(unittest.TestCase):
    def test_service_names_the_scope(self):
        body = "We are investigating delays. Next update in 30 minutes."
        rules = [f.rule_id for f in inc.update_lint(body, "investigating")]
        self.assertIn("COMM-3.no-scope", rules)
        with inc.LintConfig.parse(CONFIG) as cfg:
            body = "We are investigating delays in Ledger Sync. Next update in 30 minutes."
            self.assertEqual(len(inc.update_lint(body, "investigating", config=cfg)), 0)

    def test_promise_phrase_and_off(self):
        cfg = inc.LintConfig.parse(CONFIG)
        found = inc.can_lint("Queue 40 GB.", "Purge done any moment now.", "none", config=cfg)
        self.assertEqual([f.rule_id for f in found], ["CAN-2.promise"])
        self.assertEqual(len(inc.postmortem_lint("It was human error.", config=cfg)), 0)
        self.assertEqual(len(inc.postmortem_lint("It was human error.")), 1)
        cfg.close()
        with self.assertRaises(Exception):
            inc.postmortem_lint("x", config=cfg)

    def test_bad_file_names_the_line(self):
        with self.assertRaises(inc.ParseError) as e:
            inc.LintConfig.parse("libincident-lint 1\nservise = Ledger\n")
        self.assertEqual(e.exception.line, 2)
        with self.assertRaises(inc.InvalidError) as e:
            inc.LintConfig.parse("libincident-lint 1\noff = COMM-3.vauge\n")
        self.assertEqual(e.exception.line, 2)
        with self.assertRaises(TypeError):
            inc.update_lint("x", "investigating", config="not a config")


if __name__ == "__main__":
    unittest.main()
