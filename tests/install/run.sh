#!/bin/sh
# Usage: run.sh BUILD_DIR WORK_DIR APP_SOURCE_DIR
# Installs BUILD_DIR into WORK_DIR/prefix (not a system directory), checks
# the installed files, then builds APP_SOURCE_DIR/main.c as an outside
# program would: with pkg-config (shared and static) and with
# find_package(libincident CONFIG) (shared and static, in its build tree and
# installed), and runs each build with an empty environment (env -i): the
# run path recorded by the package files is all it has to find the library.
# Environment: CMAKE, CC, PKG_CONFIG, APP_CFLAGS (e.g. sanitizer flags),
# EXPECT_VERSION, EXPECT_SOVERSION (what follows "libincident.so." in the
# SONAME), LIBDIR and INCLUDEDIR (relative to the prefix), EXPECT_CLI (1 when
# the incident command line is built: it and its man page must be installed).
set -eu
build=$1 work=$2 app=$3
CMAKE=${CMAKE:-cmake} CC=${CC:-cc} PKG_CONFIG=${PKG_CONFIG:-pkg-config}
APP_CFLAGS=${APP_CFLAGS:-}
LIBDIR=${LIBDIR:?} INCLUDEDIR=${INCLUDEDIR:?} EXPECT_VERSION=${EXPECT_VERSION:?}
prefix=$work/prefix
libdir=$prefix/$LIBDIR
soversion=${EXPECT_SOVERSION:?}

fail() {
    echo "FAIL: $*"
    exit 1
}
step() {
    echo "== $*"
}
# Runs a built program with an empty environment and checks what it prints.
check_run() {
    out=$(env -i "$@") || fail "$1 exited with status $?"
    echo "$out" | sed 's/^/   /'
    echo "$out" | grep -q "^libincident $EXPECT_VERSION " || fail "$1: wrong version line"
    echo "$out" | grep -q "^INC_ECONFLICT: ." || fail "$1: no status text"
}
# Fails if the program needs libincident.so at run time.
check_static() {
    if readelf -d "$1" | grep -q 'NEEDED.*libincident'; then
        fail "$1 is linked dynamically against libincident"
    fi
}

rm -rf "$work"
mkdir -p "$work"

step "cmake --install $build --prefix $prefix"
"$CMAKE" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install"; }
for f in "$INCLUDEDIR/incident.h" "$INCLUDEDIR/incident/common.h" \
    "$INCLUDEDIR/incident/sys/store.h" "$LIBDIR/libincident.so.$EXPECT_VERSION" \
    "$LIBDIR/libincident.a" "$LIBDIR/pkgconfig/libincident.pc" \
    "$LIBDIR/cmake/libincident/libincidentConfig.cmake" \
    "$LIBDIR/cmake/libincident/libincidentConfigVersion.cmake" \
    "$LIBDIR/cmake/libincident/libincidentTargets.cmake"; do
    [ -f "$prefix/$f" ] || fail "not installed: $f"
done
[ "$(readlink "$libdir/libincident.so.$soversion")" = "libincident.so.$EXPECT_VERSION" ] ||
    fail "libincident.so.$soversion is not a link to libincident.so.$EXPECT_VERSION"
[ "$(readlink "$libdir/libincident.so")" = "libincident.so.$soversion" ] ||
    fail "libincident.so is not a link to libincident.so.$soversion"
if [ "${EXPECT_CLI:-0}" = 1 ]; then
    [ -x "$prefix/bin/incident" ] || fail "not installed: bin/incident"
    [ -f "$prefix/share/man/man1/incident.1" ] || fail "not installed: share/man/man1/incident.1"
    env -i "$prefix/bin/incident" --version >"$work/cli.out" 2>&1 ||
        { cat "$work/cli.out"; fail "the installed incident does not run"; }
    echo "   $(cat "$work/cli.out")"
fi
if grep -rq "$build" "$libdir/pkgconfig" "$libdir/cmake/libincident"; then
    fail "an installed package file refers to the build directory"
fi

step "pkg-config against the build tree (libincident-uninstalled.pc)"
[ -n "$PKG_CONFIG" ] || fail "pkg-config not found"
tree_cflags=$(PKG_CONFIG_PATH=$build/pkgconfig "$PKG_CONFIG" --cflags libincident)
tree_libs=$(PKG_CONFIG_PATH=$build/pkgconfig "$PKG_CONFIG" --libs libincident)
# shellcheck disable=SC2086 # the flags are word lists
"$CC" $APP_CFLAGS $tree_cflags "$app/main.c" -o "$work/app_tree" $tree_libs ||
    fail "build-tree pkg-config build"
check_run "$work/app_tree"

step "pkg-config --cflags --libs libincident"
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
[ "$("$PKG_CONFIG" --modversion libincident)" = "$EXPECT_VERSION" ] || fail "pkg-config version"
cflags=$("$PKG_CONFIG" --cflags libincident)
libs=$("$PKG_CONFIG" --libs libincident)
echo "   cflags: $cflags"
echo "   libs:   $libs"
# shellcheck disable=SC2086 # one flag a line
rpath=$(printf '%s\n' $libs | sed -n 's/^-Wl,-rpath,//p')
[ -n "$rpath" ] && [ "$(cd "$rpath" && pwd -P)" = "$(cd "$libdir" && pwd -P)" ] ||
    fail "Libs of libincident.pc carry no run path for $libdir (not a system directory)"
# shellcheck disable=SC2086 # the flags are word lists
"$CC" $APP_CFLAGS $cflags "$app/main.c" -o "$work/app_pc" $libs || fail "pkg-config build"
readelf -d "$work/app_pc" | grep -q "NEEDED.*\[libincident.so.$soversion\]" ||
    fail "app_pc does not need libincident.so.$soversion"
check_run "$work/app_pc"

step "pkg-config --static (libincident.a)"
private=$("$PKG_CONFIG" --static --libs-only-l libincident)
private=${private#-lincident}
# shellcheck disable=SC2086
"$CC" $APP_CFLAGS $cflags "$app/main.c" -o "$work/app_pc_static" "$libdir/libincident.a" \
    $private || fail "static pkg-config build"
check_static "$work/app_pc_static"
check_run "$work/app_pc_static"

step "find_package(libincident CONFIG) with CMAKE_PREFIX_PATH"
"$CMAKE" -S "$app" -B "$work/app-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$APP_CFLAGS" \
    -DCMAKE_BUILD_TYPE=Release >"$work/app-configure.log" 2>&1 ||
    { cat "$work/app-configure.log"; fail "configuring the CMake consumer"; }
grep -q "^libincident_DIR:PATH=$libdir/cmake/libincident\$" "$work/app-build/CMakeCache.txt" ||
    fail "find_package found a libincident outside $prefix"
"$CMAKE" --build "$work/app-build" >"$work/app-build.log" 2>&1 ||
    { cat "$work/app-build.log"; fail "building the CMake consumer"; }
check_run "$work/app-build/app_shared"
check_static "$work/app-build/app_static"
check_run "$work/app-build/app_static"

step "the CMake consumer installed (CMake's build-tree run path is gone)"
"$CMAKE" --install "$work/app-build" --prefix "$work/app-prefix" >"$work/app-install.log" 2>&1 ||
    { cat "$work/app-install.log"; fail "installing the CMake consumer"; }
check_run "$work/app-prefix/bin/app_shared"

echo "install test passed: headers, libraries, pkg-config and CMake package all work"
