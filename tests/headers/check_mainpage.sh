#!/bin/sh
# Usage: check_mainpage.sh SOURCE_DIR
# Fails, naming them, if a public header under SOURCE_DIR/include is not a
# row of the "Where to start" table of lib/docs/mainpage.md (a header added
# or split without its row), or if a row names a header that does not exist.
set -eu
src=${1:?usage: check_mainpage.sh SOURCE_DIR}
page=$src/lib/docs/mainpage.md
bad=0
headers=$(cd "$src/include" && find . -name '*.h' | sed 's|^\./||' | LC_ALL=C sort)
for h in $headers; do
    grep -q "^| $h |" "$page" || { echo "FAIL: $h has no row in lib/docs/mainpage.md"; bad=1; }
done
for h in $(sed -n 's/^| \([a-z/_]*\.h\) |.*/\1/p' "$page"); do
    [ -f "$src/include/$h" ] || { echo "FAIL: mainpage.md lists $h, which is not a public header"; bad=1; }
done
[ "$bad" = 0 ] && echo "mainpage.md lists all $(echo "$headers" | wc -l) public headers"
exit "$bad"
