//go:build pkgconfig

package incident

// With `-tags pkgconfig` the flags come from pkg-config: an installed
// libincident (PKG_CONFIG_PATH=PREFIX/lib/pkgconfig), or the build tree's
// libincident-uninstalled.pc (PKG_CONFIG_PATH=build/pkgconfig).

// #cgo pkg-config: libincident
import "C"
