//go:build !pkgconfig

package incident

// The default build links the library of the repository's build tree
// (../../build, made by README's quick start), and records that directory
// as the run path, so `go test` and `go run` need no LD_LIBRARY_PATH. For a
// build directory elsewhere, add it with CGO_LDFLAGS="-L DIR -Wl,-rpath,DIR";
// for an installed library build with `-tags pkgconfig` (cgo_pkgconfig.go).

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../build -lincident -Wl,-rpath,${SRCDIR}/../../build
import "C"
