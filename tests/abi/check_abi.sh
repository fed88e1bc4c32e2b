#!/bin/sh
# Usage: check_abi.sh LIBRARY INCLUDE_DIR EXPECTED_SONAME
# Fails if LIBRARY exports a symbol that is not inc_*, if its SONAME is not
# EXPECTED_SONAME, or if a function declared INC_API under INCLUDE_DIR is not
# exported (declared but never defined, or hidden by mistake).
set -eu
lib=$1 incdir=$2 soname=$3
NM=${NM:-nm} READELF=${READELF:-readelf}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# Defined dynamic symbols; linker-made markers are not part of the ABI.
"$NM" -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' |
    grep -Ev '^(_init|_fini|_edata|_end|__bss_start)$' | sort -u >"$tmp/exported"
count=$(wc -l <"$tmp/exported")
if ! grep -qx inc_version "$tmp/exported"; then
    echo "FAIL: inc_version is not exported by $lib"
    fail=1
fi
if grep -v '^inc_' "$tmp/exported" >"$tmp/foreign"; then
    echo "FAIL: exported symbols outside the inc_ prefix:"
    sed 's/^/  /' "$tmp/foreign"
    fail=1
fi
if grep '^inc__' "$tmp/exported" >"$tmp/internal"; then
    echo "FAIL: internal inc__ symbols are exported:"
    sed 's/^/  /' "$tmp/internal"
    fail=1
fi

got=$("$READELF" -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$got" != "$soname" ]; then
    echo "FAIL: SONAME is '$got', expected '$soname'"
    fail=1
fi

# Every function declared INC_API in a public header (declarations start
# with INC_API at the beginning of a line, as clang-format leaves them).
find "$incdir" -name '*.h' -exec grep -h '^INC_API ' {} + |
    sed -n 's/^[^(]*[^a-z0-9_]\(inc_[a-z0-9_]*\) *(.*/\1/p' | sort -u >"$tmp/declared"
if comm -23 "$tmp/declared" "$tmp/exported" >"$tmp/missing" && [ -s "$tmp/missing" ]; then
    echo "FAIL: declared INC_API but not exported by $lib:"
    sed 's/^/  /' "$tmp/missing"
    fail=1
fi
if comm -13 "$tmp/declared" "$tmp/exported" >"$tmp/undeclared" && [ -s "$tmp/undeclared" ]; then
    echo "FAIL: exported but declared in no public header:"
    sed 's/^/  /' "$tmp/undeclared"
    fail=1
fi

echo "$count exported symbols, $(wc -l <"$tmp/declared") declared; SONAME $got"
exit $fail
