"""Status codes become exceptions: one class per code, with name and message."""

import unittest

import libincident as inc
from libincident import errors


class StatusCodes(unittest.TestCase):
    def test_every_code_has_its_own_class_named_after_the_library(self):
        seen = set()
        for code in range(-1, -18, -1):
            with self.subTest(code=code):
                cls = inc.error_class(code)
                self.assertIsNot(cls, inc.IncidentError)
                self.assertNotIn(cls, seen)
                seen.add(cls)
                exc = cls(code, "detail")
                self.assertEqual(exc.code, code)
                self.assertEqual(exc.name, inc.status_name(code))
                self.assertTrue(exc.name.startswith("INC_E"))
                self.assertEqual(exc.message, "detail")
                self.assertEqual(str(exc), exc.name + ": detail")
                self.assertIsInstance(exc, inc.IncidentError)

    def test_unknown_code_is_the_base_class(self):
        exc = errors.make_error(-999)
        self.assertIs(type(exc), inc.IncidentError)
        self.assertEqual(exc.name, "INC_E?")
        self.assertEqual(exc.message, inc.strerror(-999))

    def test_status_name_and_strerror(self):
        self.assertEqual(inc.status_name(0), "INC_OK")
        self.assertEqual(inc.status_name(errors.ECONFLICT), "INC_ECONFLICT")
        self.assertNotEqual(inc.strerror(errors.ECONFLICT), inc.strerror(errors.EPERM))

    def test_builtin_bases(self):
        self.assertTrue(issubclass(inc.PermissionDeniedError, PermissionError))
        self.assertTrue(issubclass(inc.InvalidError, ValueError))
        self.assertTrue(issubclass(inc.ParseError, ValueError))
        self.assertTrue(issubclass(inc.TooBigError, ValueError))
        self.assertTrue(issubclass(inc.NotFoundError, LookupError))
        self.assertTrue(issubclass(inc.NoMemoryError, MemoryError))
        self.assertTrue(issubclass(inc.StoreIOError, OSError))
        self.assertTrue(issubclass(inc.UnsupportedError, NotImplementedError))

    def test_oserror_subclass_keeps_its_message(self):
        exc = inc.PermissionDeniedError(errors.EPERM, "only alice may")
        self.assertEqual(str(exc), "INC_EPERM: only alice may")
        self.assertEqual(exc.args, ("only alice may",))

    def test_default_code_from_class(self):
        exc = inc.ConflictError(message="raced")
        self.assertEqual(exc.code, errors.ECONFLICT)
        self.assertEqual(exc.name, "INC_ECONFLICT")

    def test_raised_error_carries_library_message(self):
        with inc.Context() as ctx, ctx.declare("Disk full", "alice", "Sev-3") as incident:
            with self.assertRaises(inc.PermissionDeniedError) as cm:
                incident.set_severity("bob", "Sev-2", "worse")
            self.assertIn("alice", cm.exception.message)
            self.assertIn("AUTH-1", cm.exception.message)
            with self.assertRaises(inc.InvalidError) as cm:
                ctx.declare("", "alice", "Sev-3")
            self.assertIn("title", cm.exception.message)


if __name__ == "__main__":
    unittest.main()


class BadArgumentsAreValueErrors(unittest.TestCase):
    """A name argument that names nothing is the caller's mistake: a
    ValueError (UnknownNameError, still INC_ENOTFOUND as the C library
    reports it), listing the valid names, and nothing is recorded."""

    def test_set_state_with_a_bad_name(self):
        with inc.Context() as ctx:
            i = ctx.declare("Bad state", "alice", "Sev-3")
            before = i.last_seq
            with self.assertRaises(ValueError) as cm:
                i.set_state("alice", "fixed")
            self.assertIsInstance(cm.exception, inc.UnknownNameError)
            self.assertIsInstance(cm.exception, inc.NotFoundError)
            self.assertEqual(cm.exception.name, "INC_ENOTFOUND")
            self.assertIn("'fixed'", str(cm.exception))
            self.assertIn("investigating", str(cm.exception))
            self.assertEqual(i.last_seq, before)
            with self.assertRaises(ValueError):
                i.set_state("alice", 42)
            self.assertEqual(i.last_seq, before)

    def test_every_name_argument(self):
        from libincident import enums

        for convert, bad in (
            (enums.as_state, "fixed"),
            (enums.as_role, "janitor"),
            (enums.as_audience, "everyone"),
            (enums.as_can_kind, "memo"),
            (enums.as_pm_section, "epilogue"),
            (enums.as_action_status, "blocked"),
        ):
            with self.subTest(convert=convert.__name__):
                with self.assertRaises(ValueError) as cm:
                    convert(bad)
                self.assertIsInstance(cm.exception, inc.UnknownNameError)
                self.assertIn("valid:", str(cm.exception))
