"""Library loading, versions, and the time helpers."""

import os
import re
import subprocess
import sys
import tempfile
import unittest
from datetime import datetime, timedelta, timezone
from pathlib import Path

import libincident as inc
from libincident import _lib

PKG_DIR = Path(inc.__file__).resolve().parent.parent


def _python(code, **env):
    full = dict(os.environ, PYTHONPATH=str(PKG_DIR), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full)


#: The file name the library is loaded by.
SONAME = "libincident.so." + _lib.SOVERSION


class Loading(unittest.TestCase):
    def test_version(self):
        self.assertEqual(inc.library_version, "%d.%d.%d" % inc.library_version_info)
        self.assertEqual(inc.library_version_info[0], _lib.ABI_MAJOR)
        self.assertEqual(inc.library_version_info[1], _lib.ABI_MINOR)
        self.assertEqual(_lib.SOVERSION, "0.2")

    def test_abi_before_1_0_needs_the_same_minor(self):
        self.assertTrue(_lib.abi_compatible((0, 2, 0)))
        self.assertTrue(_lib.abi_compatible((0, 2, 7)))
        self.assertFalse(_lib.abi_compatible((0, 1, 0)))
        self.assertFalse(_lib.abi_compatible((0, 3, 0)))
        self.assertFalse(_lib.abi_compatible((1, 2, 0)))
        self.assertTrue(os.path.exists(inc.library_path) or "/" not in inc.library_path)

    def test_env_var_names_the_library(self):
        proc = _python("import libincident; print(libincident.library_path)",
                       LIBINCIDENT_PATH=inc.library_path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), inc.library_path)

    def test_env_var_is_the_only_candidate(self):
        proc = _python("import libincident", LIBINCIDENT_PATH="/nonexistent/libincident.so")
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("/nonexistent/libincident.so", proc.stderr)
        self.assertIn("ImportError", proc.stderr)

    def test_build_tree_comes_before_the_system(self):
        saved = os.environ.pop("LIBINCIDENT_PATH", None)
        try:
            found = _lib.candidates()
        finally:
            if saved is not None:
                os.environ["LIBINCIDENT_PATH"] = saved
        self.assertEqual(found[-1], SONAME)
        repo = Path(__file__).resolve().parents[3]
        in_tree = [i for i, p in enumerate(found) if p.startswith(str(repo))]
        if (repo / "build" / SONAME).exists():
            self.assertIn(str(repo / "build" / SONAME), found)
            self.assertLess(max(in_tree), len(found) - 1)

    def test_sanitizer_builds_are_skipped(self):
        with tempfile.TemporaryDirectory() as d:
            Path(d, SONAME).write_bytes(b"")
            self.assertEqual(list(_lib._in_dir(d)), [os.path.join(d, SONAME)])
            Path(d, "CMakeCache.txt").write_text("INC_SANITIZE:BOOL=ON\n")
            self.assertEqual(list(_lib._in_dir(d)), [])
            self.assertEqual(len(list(_lib._in_dir(d, skip_sanitizer=False))), 1)

    def test_every_prototype_is_declared(self):
        for name, (restype, argtypes) in _lib._PROTOTYPES.items():
            fn = getattr(_lib.lib, name)
            self.assertEqual(fn.argtypes, argtypes, name)
            self.assertEqual(fn.restype, restype, name)
        self.assertTrue(_lib.has("inc_incident_declare"))
        self.assertFalse(_lib.has("inc_no_such_function"))


class Times(unittest.TestCase):
    def test_format_and_parse(self):
        t = datetime(2026, 11, 23, 14, 32, 0, 123000, tzinfo=timezone.utc)
        self.assertEqual(inc.format_time(t), "2026-11-23T14:32:00.123Z")
        self.assertEqual(inc.parse_time("2026-11-23T14:32:00.123Z"), t)
        self.assertEqual(inc.parse_time("2026-11-23 14:32Z"), t.replace(microsecond=0))
        other_zone = t.astimezone(timezone(timedelta(hours=2)))
        self.assertEqual(inc.format_time(other_zone), "2026-11-23T14:32:00.123Z")

    def test_errors(self):
        with self.assertRaises(inc.ParseError):
            inc.parse_time("yesterday")
        with self.assertRaises(ValueError):
            inc.format_time(datetime(2026, 1, 1))  # naive
        with self.assertRaises(TypeError):
            inc.format_time("2026-01-01")
        with self.assertRaises(inc.InvalidError):
            inc.format_time(-10**15)  # before year 0

    def test_offsets(self):
        self.assertEqual(inc.format_offset(timedelta(hours=1, minutes=2, seconds=3)), "T+1h02m03s")
        self.assertEqual(inc.format_offset(timedelta(minutes=-5)), "T-5m00s")
        self.assertEqual(inc.format_offset(42_000), "T+42s")
        with self.assertRaises(TypeError):
            inc.format_offset(1.5)

    def test_event_kinds_match_the_header(self):
        header = (Path(__file__).resolve().parents[3] / "include" / "incident" / "incident.h")
        kinds = dict(re.findall(r"INC_EV_(\w+) = (\d+)", header.read_text()))
        self.assertEqual({k: int(v) for k, v in kinds.items()},
                         {k.name: k.value for k in inc.EventKind})
        for kind in inc.EventKind:
            self.assertIsNotNone(inc.event_kind_name(kind), kind)

    def test_state_and_kind_names(self):
        self.assertEqual(inc.state_name(inc.State.MONITORING), "monitoring")
        self.assertEqual(inc.state_from_name("closed"), inc.State.CLOSED)
        with self.assertRaises(inc.NotFoundError):
            inc.state_from_name("done")
        self.assertEqual(inc.event_kind_name(inc.EventKind.SEVERITY_CHANGED), "severity_changed")
        self.assertEqual(str(inc.EventKind.NOTE), "note")
        self.assertIsNone(inc.event_kind_name(99))


if __name__ == "__main__":
    unittest.main()
