"""The ctypes mirrors match the C headers, as the compiler lays them out.

tests/abi/layout_dump (built by CMake from a list generated from the public
headers) prints sizeof/offsetof of every public struct and field, every enum
constant and every integer #define. This test runs it (from INC_BUILD_DIR)
and compares:

- each ctypes Structure of ``_structs`` with its C struct: the same fields in
  the same order, each at the same offset with the same size, and the same
  size and alignment overall; every C struct is mirrored or listed in
  ``NOT_MIRRORED`` with the reason;
- each Python enum with its C enum, member by member, both ways;
- each constant Python defines (``_structs``, ``errors``) with the C #define
  or enum constant of the same name, and every ``INC_*_VERSION`` is mirrored.

A field added, removed, reordered or retyped on either side fails here
rather than corrupting memory at run time.
"""

import ctypes
import enum
import keyword
import os
import subprocess
import unittest
from pathlib import Path

from libincident import _structs, enums, errors

# C struct -> ctypes class, where the class is not the CamelCase of the name
# without "inc_".
STRUCT_NAMES = {"inc_store_backend": "StoreBackendStruct"}

# C structs the binding does not mirror, and why (a new public struct must be
# mirrored or added here, or this test fails).
NOT_MIRRORED = {
    "inc_allocator": "the binding uses the C library's allocator (NULL)",
}

# C enum -> (module, Python enum or None for module-level constants, prefix
# of the C constants), where the enum is not the CamelCase of the name and the
# prefix is not the constants' common prefix.
ENUM_NAMES = {
    "inc_status": (errors, None, "INC_"),
    "inc_rubric_preset": (enums, "Preset", None),
    "inc_level_duration": (enums, "Duration", None),
    "inc_level_flag": (enums, "Flag", None),
    "inc_comm_kind": (enums, "Comm", None),
}

# C enum constants named *COUNT are array bounds, not values: Python enums
# leave them out. Python members with no C constant, and why:
PYTHON_ONLY = {("inc_criteria", "NONE"): "the empty IntFlag, no bit set"}


def is_bound(c_constant):
    return c_constant.endswith("COUNT")


def camel(c_name):
    return "".join(part.capitalize() for part in c_name[len("inc_"):].split("_"))


def c_field(py_name):
    """The C name of a ctypes field: `from_` for C's `from`, a Python keyword."""
    if py_name.endswith("_") and keyword.iskeyword(py_name[:-1]):
        return py_name[:-1]
    return py_name


def common_prefix(names):
    prefix = os.path.commonprefix(names)
    return prefix[: prefix.rfind("_") + 1]


def layout_dump():
    build = os.environ.get("INC_BUILD_DIR")
    if not build:
        raise unittest.SkipTest("INC_BUILD_DIR is not set: cannot find tests/abi/layout_dump")
    exe = Path(build) / "tests" / "abi" / "layout_dump"
    if not exe.exists():
        raise AssertionError("%s is missing: build the tests (INC_BUILD_TESTS=ON)" % exe)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    structs, fields, enum_values, consts = {}, {}, {}, {}
    for line in out.splitlines():
        kind, rest = line.split(" ", 1)
        words = rest.split()
        if kind == "struct":
            structs[words[0]] = (int(words[2]), int(words[4]))
            fields[words[0]] = []
        elif kind == "field":
            s, f = words[0].split(".")
            fields[s].append((f, int(words[1]), int(words[2])))
        elif kind == "enum":
            enum_values.setdefault(words[0], {})[words[1]] = int(words[2])
        elif kind == "const":
            consts[words[0]] = int(words[1])
    return structs, fields, enum_values, consts


class Layout(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.structs, cls.fields, cls.enums, cls.consts = layout_dump()

    def test_dump_is_complete(self):
        # The dump is generated from the headers; a sanity floor in case the
        # generator stops finding them.
        self.assertIn("inc_journal_stats", self.structs)
        self.assertIn("inc_role", self.enums)
        self.assertIn("INC_JOURNAL_STATS_VERSION", self.consts)

    def test_every_struct_is_mirrored(self):
        missing = [
            c for c in self.structs
            if c not in NOT_MIRRORED
            and not hasattr(_structs, STRUCT_NAMES.get(c, camel(c)))
        ]
        self.assertEqual(missing, [], "C structs with no ctypes mirror in _structs.py")

    def test_every_ctypes_struct_is_a_c_struct(self):
        known = {STRUCT_NAMES.get(c, camel(c)) for c in self.structs}
        classes = [
            name for name, obj in vars(_structs).items()
            if isinstance(obj, type) and issubclass(obj, ctypes.Structure)
            and obj is not ctypes.Structure
        ]
        self.assertEqual(sorted(set(classes) - known), [],
                         "ctypes structs that match no public C struct")

    def test_struct_layouts(self):
        for c_name, (size, align) in sorted(self.structs.items()):
            if c_name in NOT_MIRRORED:
                continue
            py = getattr(_structs, STRUCT_NAMES.get(c_name, camel(c_name)))
            with self.subTest(struct=c_name):
                py_fields = [(c_field(f[0]), getattr(py, f[0]).offset, getattr(py, f[0]).size)
                             for f in py._fields_]
                self.assertEqual(py_fields, self.fields[c_name],
                                 "%s: (field, offset, size) differ from C" % py.__name__)
                self.assertEqual(ctypes.sizeof(py), size, "%s: sizeof" % py.__name__)
                self.assertEqual(ctypes.alignment(py), align, "%s: alignment" % py.__name__)

    def _python_enum(self, c_name, values):
        module, name, prefix = ENUM_NAMES.get(c_name, (enums, camel(c_name), None))
        prefix = prefix or common_prefix([c for c in values if not is_bound(c)])
        if name is None:
            members = {k: v for k, v in vars(module).items()
                       if k.isupper() and isinstance(v, int) and not isinstance(v, bool)}
        else:
            py = getattr(module, name, None)
            self.assertIsNotNone(py, "%s: no Python enum %s" % (c_name, name))
            self.assertTrue(issubclass(py, enum.Enum))
            members = {m.name: int(m.value) for m in py.__members__.values()}
        return prefix, members

    def test_enums(self):
        for c_name, values in sorted(self.enums.items()):
            with self.subTest(enum=c_name):
                prefix, members = self._python_enum(c_name, values)
                expect = {c[len(prefix):]: v for c, v in values.items() if not is_bound(c)}
                got = {k: v for k, v in members.items() if k in expect}
                self.assertEqual(got, expect, "%s: Python values differ from C" % c_name)
                extra = {m for m in members if (c_name, m) not in PYTHON_ONLY}
                self.assertEqual(sorted(extra - set(expect)), [],
                                 "%s: Python members with no C constant" % c_name)

    def test_constants(self):
        mirrored = {name: value for name, value in vars(_structs).items()
                    if name.isupper() and isinstance(value, int)}
        checked = 0
        for c_name, value in sorted(self.consts.items()):
            py_name = c_name[len("INC_"):]
            if py_name in mirrored:
                with self.subTest(const=c_name):
                    self.assertEqual(mirrored[py_name], value, c_name)
                checked += 1
            elif c_name.endswith("_VERSION") and not c_name.startswith("INC_VERSION") \
                    and c_name[: -len("_VERSION")].lower() not in NOT_MIRRORED:
                self.fail("%s is not mirrored in _structs.py as %s" % (c_name, py_name))
        self.assertGreater(checked, 15)

    def test_abi_major_is_the_headers(self):
        from libincident import _lib
        self.assertEqual(_lib.ABI_MAJOR, self.consts["INC_VERSION_MAJOR"])


if __name__ == "__main__":
    unittest.main()
