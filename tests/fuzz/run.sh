#!/bin/sh
# Build the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# and run each for a bounded time. Not part of every CI run.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS defaults to $FUZZ_SECONDS or 60 per target; TARGET names are the
# <name> of tests/fuzz/fuzz_<name>.c (default: all of them). The build goes
# to $FUZZ_BUILD_DIR (default: build-fuzz in the repository). Each target
# runs on a working copy of its seed corpus in tests/fuzz/corpus-run/<name>
# (ignored by git), so new inputs found accumulate between runs without
# touching the seed corpus; crash reproducers are written to
# tests/fuzz/corpus-run/<name>-crashes/. With -jobs, use FUZZ_ARGS.
# Exit status: 0 if every target ran its time without a finding.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-${FUZZ_SECONDS:-60}}
[ $# -gt 0 ] && shift
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
cc=${CC:-clang}

case $seconds in
  ''|*[!0-9]*) echo "run.sh: SECONDS must be a number, got '$seconds'" >&2; exit 2 ;;
esac

if [ $# -gt 0 ]; then
  targets=$*
else
  targets=$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
fi

cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DINC_BUILD_FUZZ=ON -DINC_BUILD_EXAMPLES=OFF -DINC_BUILD_BENCH=OFF >/dev/null
for t in $targets; do
  cmake --build "$build" -j2 --target "fuzz_$t"
done

status=0
for t in $targets; do
  bin="$build/tests/fuzz/fuzz_$t"
  work="$here/corpus-run/$t"
  crashes="$here/corpus-run/$t-crashes"
  mkdir -p "$work" "$crashes"
  dict=""
  [ -f "$here/$t.dict" ] && dict="-dict=$here/$t.dict"
  echo "== fuzz_$t for ${seconds}s (corpus $work)"
  # shellcheck disable=SC2086  # $dict and $FUZZ_ARGS are word lists
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$crashes/" $dict ${FUZZ_ARGS:-} "$work" "$here/corpus/$t"; then
    echo "== fuzz_$t FOUND A PROBLEM: reproducer in $crashes/" >&2
    status=1
  fi
done
exit $status
