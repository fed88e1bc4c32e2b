//go:build !incident_buildtree

package incident

// The default: the flags come from pkg-config, as for any C library. For an
// installed libincident, PKG_CONFIG_PATH=PREFIX/lib/pkgconfig (unless PREFIX
// is a standard one); its libincident.pc records the library directory as
// the run path when it is not a system one, so the program runs with no
// LD_LIBRARY_PATH. For a build tree, PKG_CONFIG_PATH=BUILD/pkgconfig, whose
// libincident-uninstalled.pc does the same for BUILD.

// #cgo pkg-config: libincident
import "C"
