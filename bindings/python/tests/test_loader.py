"""How the package finds the shared library (libincident/_lib.py)."""

import os
import shutil
import unittest
from pathlib import Path
from unittest import mock

from libincident import _lib


class Loader(unittest.TestCase):
    def test_explicit_path_wins_alone(self):
        with mock.patch.dict(os.environ, {"LIBINCIDENT_PATH": "/x/libincident.so.0.2"}):
            self.assertEqual(_lib.candidates(), ["/x/libincident.so.0.2"])

    @unittest.skipUnless(shutil.which("pkg-config"), "no pkg-config")
    def test_pkg_config_libdir(self):
        build = os.environ.get("INC_BUILD_DIR")
        if not build or not (Path(build) / "pkgconfig").is_dir():
            self.skipTest("INC_BUILD_DIR with a pkgconfig directory is not set")
        env = {"PKG_CONFIG_PATH": str(Path(build) / "pkgconfig")}
        with mock.patch.dict(os.environ, env):
            libdir = _lib._pkg_config_libdir()
        self.assertIsNotNone(libdir)
        self.assertEqual(Path(str(libdir)).resolve(), Path(build).resolve())

    def test_pkg_config_and_environment_dirs_are_candidates(self):
        with mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop("LIBINCIDENT_PATH", None)
            os.environ.pop("INC_BUILD_DIR", None)
            with mock.patch.object(_lib, "_repo_root", return_value=None), \
                    mock.patch.object(_lib, "_pkg_config_libdir", return_value="/pc/lib"), \
                    mock.patch.object(_lib, "_environment_libdirs",
                                      return_value=[Path("/venv/lib")]), \
                    mock.patch.object(_lib, "_in_dir",
                                      side_effect=lambda d, skip_sanitizer=True:
                                      iter([str(Path(d) / "libincident.so.0.2")])):
                found = _lib.candidates()
        self.assertEqual(found[:2], ["/pc/lib/libincident.so.0.2", "/venv/lib/libincident.so.0.2"])
        self.assertEqual(found[-1], "libincident.so." + _lib.SOVERSION)


if __name__ == "__main__":
    unittest.main()
