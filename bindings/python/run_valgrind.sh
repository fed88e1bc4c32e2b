#!/usr/bin/env bash
# Runs the Python binding tests once under valgrind's memcheck. Fails (exit
# 99) on any invalid read or write, use of uninitialised memory, bad free,
# or memory *definitely* leaked - which catches memory the library handed
# over (strings, JSON, findings lists) and handles the binding forgot to
# free. PYTHONMALLOC=malloc lets valgrind see every allocation.
#
# Usage: bash bindings/python/run_valgrind.sh [unittest arguments]
# Environment: PYTHON (default /usr/bin/python3 when present: the
# distribution's interpreter, which runs clean under memcheck; a pyenv shim
# is a shell script valgrind would not follow, and pyenv's own optimised
# builds report false positives inside the interpreter), and the library
# lookup variables of the package (LIBINCIDENT_PATH, INC_BUILD_DIR). The
# library must not be a sanitizer build (valgrind cannot load those).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ -z "${PYTHON:-}" ]; then
    if [ -x /usr/bin/python3 ]; then
        PYTHON=/usr/bin/python3
    else
        PYTHON=$(python3 -c 'import sys; print(sys.executable)')
    fi
fi
command -v valgrind >/dev/null || { echo "run_valgrind.sh: valgrind is not installed" >&2; exit 2; }

echo "valgrind memcheck: $PYTHON -m unittest discover -s tests $*"
# valgrind (3.19) does not treat fcntl(F_OFD_SETLKW) as a call that may
# block: a thread waiting for another thread's journal lock keeps valgrind's
# scheduler lock, and the process deadlocks. The journal thread tests skip
# under valgrind (INC_UNDER_VALGRIND); they run in the plain suite.
INC_UNDER_VALGRIND=1 PYTHONMALLOC=malloc exec valgrind --quiet --error-exitcode=99 \
    --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --num-callers=40 \
    "$PYTHON" -m unittest discover -s tests "$@"
