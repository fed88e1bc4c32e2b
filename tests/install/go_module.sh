#!/bin/sh
# Usage: go_module.sh BUILD_DIR WORK_DIR BINDING_DIR
# The Go binding as a user gets it (bindings/go/README.md, "Install"):
# installs BUILD_DIR into WORK_DIR/prefix, writes a module outside the
# repository that requires libincident.dev/incident with a `replace` to
# BINDING_DIR, builds it with PKG_CONFIG_PATH as the only setting for the
# library (the go tool also gets PATH, HOME and its caches), and runs the
# program with an empty environment (env -i).
# Environment: CMAKE, GO, LIBDIR (relative to the prefix).
set -eu
build=$1 work=$2 binding=$3
CMAKE=${CMAKE:-cmake} GO=${GO:-go} LIBDIR=${LIBDIR:?}
prefix=$work/prefix
mod=$work/outside

fail() {
    echo "FAIL: $*"
    exit 1
}

rm -rf "$work"
mkdir -p "$mod"
echo "== cmake --install $build --prefix $prefix"
"$CMAKE" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install"; }

cat >"$mod/go.mod" <<MOD
module example.com/outside

go 1.19

require libincident.dev/incident v0.2.0

replace libincident.dev/incident => $binding
MOD
cat >"$mod/main.go" <<'SRC'
// An outside program: it knows libincident only as a Go module.
package main

import (
	"errors"
	"fmt"
	"os"

	incident "libincident.dev/incident"
)

func main() {
	sess, err := incident.NewSession(nil)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	inc, err := sess.Declare(incident.DeclareOptions{Title: "Outside", Declarer: "alice", Severity: "Sev-2"})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	if err := inc.SetSeverity("bob", "Sev-1", "looks bad"); errors.Is(err, incident.ErrPermission) {
		fmt.Println("refused:", err)
	}
	version, _, _, _ := incident.Version()
	fmt.Println("libincident", version, inc.Severity())
	sess.Close()
	if _, err := sess.Open(inc.ID()); errors.Is(err, incident.ErrClosed) {
		fmt.Println("closed:", err)
	}
}
SRC

echo "== go build, PKG_CONFIG_PATH=$prefix/$LIBDIR/pkgconfig"
# A build cache of its own: Go's cache key does not include what pkg-config
# printed, so a shared cache would hand back the binding as compiled
# against the build tree (go test's). It lives beside WORK_DIR and is kept:
# this test's prefix, hence pkg-config's output, never changes.
gocache=$work.gocache gomodcache=$("$GO" env GOMODCACHE)
(cd "$mod" && env -i PATH="$PATH" HOME="${HOME:-$work}" GOCACHE="$gocache" \
    GOMODCACHE="$gomodcache" GOPROXY=off GOFLAGS=-mod=mod \
    PKG_CONFIG_PATH="$prefix/$LIBDIR/pkgconfig" "$GO" build -o outside .) ||
    fail "go build of the outside module"
# Its run path is the prefix's library directory, never the build tree
# (the prefix lies inside the build tree here: compare whole entries).
runpath=$(readelf -d "$mod/outside" | sed -n 's/.*R\(UN\)\{0,1\}PATH.*\[\(.*\)\]/\2/p')
echo "   run path: $runpath"
found=
old_ifs=$IFS
IFS=:
for dir in $runpath; do
    real=$(cd "$dir" 2>/dev/null && pwd -P) || continue
    [ "$real" != "$(cd "$build" && pwd -P)" ] || fail "the program's run path holds the build tree"
    [ "$real" != "$(cd "$prefix/$LIBDIR" && pwd -P)" ] || found=1
done
IFS=$old_ifs
[ -n "$found" ] || fail "the program's run path does not hold $prefix/$LIBDIR"

echo "== env -i $mod/outside"
out=$(env -i "$mod/outside") || { echo "$out"; fail "the outside program exited with status $?"; }
echo "$out" | sed 's/^/   /'
echo "$out" | grep -q '^refused: INC_EPERM' || fail "no refusal line"
echo "$out" | grep -q '^libincident 0\.' || fail "no version line"
echo "$out" | grep -q '^closed: ' || fail "a closed session's error is not ErrClosed"
echo "Go module test passed: an outside module builds with PKG_CONFIG_PATH alone and runs with env -i"
