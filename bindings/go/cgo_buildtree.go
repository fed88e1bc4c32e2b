//go:build incident_buildtree

package incident

// With `-tags incident_buildtree` (for working on the binding inside the
// repository, with no pkg-config at hand) the package compiles against the
// repository's headers and links the library of ../../build, recording that
// directory as the run path. Never use it from another module: it bakes the
// checkout's path into the binary.

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../build -lincident -Wl,-rpath,${SRCDIR}/../../build
import "C"
