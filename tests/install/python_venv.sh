#!/bin/sh
# Usage: python_venv.sh BUILD_DIR WORK_DIR PACKAGE_DIR EXAMPLE
# The Python binding as a user gets it (bindings/python/README.md,
# "Install"): a fresh virtual environment, `pip install
# --no-build-isolation PACKAGE_DIR` with no network (--no-index), then
# README's EXAMPLE, copied out of the repository so that the installed
# package is the one imported, run against an installed library:
#   1. a library installed into a prefix of its own, found through
#      pkg-config (PKG_CONFIG_PATH and PATH are the whole environment);
#   2. a library installed into the virtual environment, found with an
#      empty environment (env -i);
# and, when mypy is installed, `mypy --strict` on the example against the
# installed package (its py.typed marker).
# Environment: CMAKE, PYTHON (default python3), LIBDIR (relative to the
# prefix), MYPY (default mypy).
set -eu
build=$1 work=$2 package=$3 example=$4
CMAKE=${CMAKE:-cmake} PYTHON=${PYTHON:-python3} LIBDIR=${LIBDIR:?} MYPY=${MYPY:-mypy}
venv=$work/venv
prefix=$work/prefix

fail() {
    echo "FAIL: $*"
    exit 1
}
step() {
    echo "== $*"
}

rm -rf "$work"
mkdir -p "$work"

# --no-build-isolation builds with the environment's own setuptools and
# wheel. A venv holds setuptools but not wheel: take both from the system
# (Debian: python3-setuptools, python3-wheel) when the venv lacks them.
# The first interpreter that can build wins: $PYTHON, then Debian's.
made=
for py in "$PYTHON" /usr/bin/python3; do
    command -v "$py" >/dev/null 2>&1 || continue
    for flag in "" --system-site-packages; do
        rm -rf "$venv"
        # shellcheck disable=SC2086 # an empty flag is no flag
        "$py" -m venv $flag "$venv" >/dev/null 2>&1 || continue
        if "$venv/bin/python" -c 'import setuptools, wheel' 2>/dev/null; then
            made="$py -m venv $flag"
            break 2
        fi
    done
done
[ -n "$made" ] || fail "no python3 whose venv can import setuptools and wheel" \
    "(apt-get install python3-venv python3-setuptools python3-wheel)"
step "$made $venv ($("$venv/bin/python" --version))"

step "pip install --no-build-isolation --no-index $package"
"$venv/bin/pip" install --no-build-isolation --no-index "$package" >"$work/pip.log" 2>&1 ||
    { cat "$work/pip.log"; fail "pip install"; }
cp "$example" "$work/example.py"
# Where `import libincident` would come from (find_spec does not run it).
where=$(cd "$work" && "$venv/bin/python" -c \
    'import importlib.util, os; print(os.path.dirname(importlib.util.find_spec("libincident").origin))')
case $where in
"$venv"/*) echo "   installed in $where" ;;
*) fail "the package imported is $where, not the venv's" ;;
esac
[ -f "$where/py.typed" ] || fail "py.typed is not installed"

check_example() {
    out=$(cd "$work" && "$@" "$venv/bin/python" example.py 2>&1) ||
        { echo "$out"; fail "the example failed"; }
    echo "$out" | sed 's/^/   /' | head -n 4
    echo "$out" | grep -q '^refused: INC_EPERM' || fail "the example printed no refusal"
}

step "cmake --install $build --prefix $prefix; the example with PKG_CONFIG_PATH alone"
"$CMAKE" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install"; }
check_example env -i PATH=/usr/bin:/bin PKG_CONFIG_PATH="$prefix/$LIBDIR/pkgconfig"

step "cmake --install $build --prefix $venv; the example under env -i"
"$CMAKE" --install "$build" --prefix "$venv" >"$work/install-venv.log" 2>&1 ||
    { cat "$work/install-venv.log"; fail "cmake --install into the venv"; }
check_example env -i

if command -v "$MYPY" >/dev/null 2>&1; then
    step "mypy --strict example.py against the installed package"
    (cd "$work" && "$MYPY" --strict --no-incremental --python-executable "$venv/bin/python" example.py) ||
        fail "mypy --strict example.py"
else
    echo "== mypy not installed: the type check of the example is skipped"
fi
echo "Python venv test passed: pip install works offline and the example runs against an installed library"
