#!/bin/sh
# Long runs of the journal crash test.
#   tests/crash/run_crash.sh [iterations] [build-dir] [work-dir]
# Builds nothing: point it at a build directory that has tests/crash/journal_crash.
set -eu
iterations=${1:-1000}
build=${2:-build}
work=${3:-${TMPDIR:-/tmp}/journal-crash-$$}
bin="$build/tests/crash/journal_crash"
if [ ! -x "$bin" ]; then
    echo "run_crash.sh: $bin not found (build with tests enabled first)" >&2
    exit 2
fi
status=0
"$bin" "$iterations" "$work" || status=$?
rm -rf "$work"
exit $status
