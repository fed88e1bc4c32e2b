"""README.md: the example runs as written, and the C-to-Python table and the
prototypes cover every function of the wrapped headers."""

import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

from libincident import _lib

HERE = Path(__file__).resolve().parent.parent
REPO = HERE.parent.parent
README = (HERE / "README.md").read_text()
# The headers this binding wraps: every public header.
HEADERS = ["common.h", "roles.h", "rubric.h", "store.h", "sys/store.h", "journal.h",
           "context.h", "incident.h", "staffing.h", "findings.h", "can.h", "comms.h", "due.h",
           "scheduler.h", "postmortem.h", "audit.h", "metrics.h", "rotation.h", "oncall.h", "seal.h",
           "lint_config.h", "pg.h", "alerts.h", "feed.h", "incident_list.h"]


def header_functions():
    names = set()
    for h in HEADERS:
        text = (REPO / "include" / "incident" / h).read_text()
        names.update(re.findall(r"INC_API[^;(]*?\b(inc_[a-z0-9_]+)\s*\(", text))
    return names


class Readme(unittest.TestCase):
    def test_example_is_example_py(self):
        block = re.search(r"<!-- example: bindings/python/example.py -->\n```python\n(.*?)```",
                          README, re.S)
        self.assertIsNotNone(block)
        self.assertEqual(block.group(1), (HERE / "example.py").read_text())

    def test_example_runs_as_written(self):
        env = dict(os.environ, PYTHONPATH="bindings/python")
        proc = subprocess.run([sys.executable, "bindings/python/example.py"], cwd=REPO, env=env,
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("refused: INC_EPERM", proc.stdout)
        self.assertIn("Severity changed Sev-2 -> Sev-1", proc.stdout)

    def test_pager_example_is_pager_example_py(self):
        block = re.search(r"<!-- example: bindings/python/pager_example.py -->\n```python\n"
                          r"(.*?)```", README, re.S)
        self.assertIsNotNone(block)
        self.assertEqual(block.group(1), (HERE / "pager_example.py").read_text())

    def test_pager_example_runs_as_written(self):
        env = dict(os.environ, PYTHONPATH="bindings/python")
        proc = subprocess.run([sys.executable, "bindings/python/pager_example.py"], cwd=REPO,
                              env=env, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("decisions pending: 1", proc.stdout)
        self.assertIn("ESC-1 escalation on-call,backup late 0:01:00", proc.stdout)
        self.assertIn("paged: ['bob']", proc.stdout)

    def test_every_public_header_is_wrapped(self):
        public = sorted(str(p.relative_to(REPO / "include" / "incident"))
                        for p in (REPO / "include" / "incident").rglob("*.h"))
        self.assertEqual(sorted(HEADERS), public)

    def test_every_function_is_declared_and_mapped(self):
        names = header_functions()
        self.assertGreater(len(names), 100)
        self.assertEqual(sorted(names - set(_lib._PROTOTYPES)), [])
        self.assertEqual(sorted(n for n in names if "`%s`" % n not in README), [])


if __name__ == "__main__":
    unittest.main()
