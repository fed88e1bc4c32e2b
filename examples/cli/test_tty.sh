#!/bin/sh
# test_tty.sh INCIDENT: incident(1) in a real terminal (tmux): colour only on
# a terminal and not under NO_COLOR, lines wrapped to the terminal's width,
# and bash completion by pressing Tab. Exits 77 (skipped) without tmux or
# bash. Each step waits for its text to appear on the screen (up to 30 s).
INC=${1:?usage: test_tty.sh path/to/incident}
command -v tmux >/dev/null 2>&1 || { echo "test_tty.sh: no tmux: skipped"; exit 77; }
command -v bash >/dev/null 2>&1 || { echo "test_tty.sh: no bash: skipped"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/incident-tty-test.XXXXXX") || exit 1
SOCK="incident-tty-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
BIN=$(cd "$(dirname "$INC")" && pwd)
export INCIDENT_STORE="$T/store" INCIDENT_SYNC=none TZ=UTC
unset NO_COLOR COLUMNS
fails=0

"$INC" --now 2026-11-23T03:10:00Z --by alice declare "Slow checkout" --sev Sev-2 -q >/dev/null
"$INC" --now 2026-11-23T03:12:00Z --by alice note checkout "the replica lag grew to three \
seconds while the pool saturated and checkout retries doubled, so we fail over now" >/dev/null

# A 64-column terminal running a plain bash with incident on its PATH.
cat >"$T/rc" <<EOF
PS1='$ '
PATH="$BIN:\$PATH"
export INCIDENT_STORE="$INCIDENT_STORE" INCIDENT_SYNC=none TZ=UTC TERM=xterm
EOF
tmux -L "$SOCK" -f /dev/null new-session -d -s t -x 64 -y 40 "bash --norc --noprofile --rcfile '$T/rc' -i" ||
    { echo "test_tty.sh: tmux cannot start: skipped"; exit 77; }
tmux -L "$SOCK" send-keys -t t ". '$T/rc'" Enter

screen() { tmux -L "$SOCK" capture-pane -t t -p -e -J >"$T/screen"; }
# wait_for TEXT: until the screen shows TEXT (fixed string).
wait_for() {
    i=0
    while [ $i -lt 300 ]; do
        screen
        grep -F -q -- "$1" "$T/screen" && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fails=$((fails + 1))
    echo "FAIL: the terminal never showed: $1"
    sed 's/^/    /' "$T/screen" | cat -v
    return 1
}
# run COMMAND STATUS: clear the screen, run COMMAND, wait for its own end
# marker (numbered: the previous one may still be on the screen).
step=0
run() {
    step=$((step + 1))
    tmux -L "$SOCK" send-keys -t t "clear" Enter
    tmux -L "$SOCK" send-keys -t t "$1; echo DONE-$step-\$?" Enter
    wait_for "DONE-$step-$2"
}
ESC=$(printf '\033')

# Colour on a terminal: the status in red (tmux may re-encode the sequence:
# ESC[1;31m shows as ESC[1mESC[31m).
run "incident --by bob sev checkout Sev-1 why" 1 &&
    { grep -q "${ESC}\[[0-9;]*31mINC_EPERM" "$T/screen" ||
        { fails=$((fails + 1)); echo "FAIL: no colour on a terminal"; cat -v "$T/screen"; }; }
# NO_COLOR, and --color=never: none.
run "NO_COLOR=1 incident --by bob sev checkout Sev-1 why" 1 &&
    { ! grep -q "${ESC}\[[0-9;]*31m" "$T/screen" ||
        { fails=$((fails + 1)); echo "FAIL: colour under NO_COLOR"; cat -v "$T/screen"; }; }
run "incident --color=never --by bob sev checkout Sev-1 why" 1 &&
    { ! grep -q "${ESC}\[[0-9;]*31m" "$T/screen" ||
        { fails=$((fails + 1)); echo "FAIL: colour with --color=never"; cat -v "$T/screen"; }; }
# Into a pipe: no colour, even on a terminal's stdout... of cat.
run "incident --by bob sev checkout Sev-1 why 2>&1 | cat" 0 &&
    { ! grep -q "${ESC}\[[0-9;]*31m" "$T/screen" ||
        { fails=$((fails + 1)); echo "FAIL: colour into a pipe"; cat -v "$T/screen"; }; }

# Wrapped to the terminal's 64 columns, continuation lines indented.
run "incident timeline checkout" 0 &&
    { grep -q '^         *seconds\|^         *three\|^         *grew' "$T/screen" ||
        { fails=$((fails + 1)); echo "FAIL: the note is not wrapped"; cat -v "$T/screen"; }; }

# Completion: Tab completes a command, an incident id, a level.
tmux -L "$SOCK" send-keys -t t "clear" Enter
tmux -L "$SOCK" send-keys -t t 'eval "$(incident completion bash)"' Enter
tmux -L "$SOCK" send-keys -t t "incident timel" Tab
wait_for "incident timeline " && tmux -L "$SOCK" send-keys -t t C-u
tmux -L "$SOCK" send-keys -t t "incident show 2026" Tab
wait_for "incident show 2026-11-23-slow-checkout" && tmux -L "$SOCK" send-keys -t t C-u
tmux -L "$SOCK" send-keys -t t "incident sev checkout Sev-4" Tab
wait_for "incident sev checkout Sev-4 " && tmux -L "$SOCK" send-keys -t t C-u
tmux -L "$SOCK" send-keys -t t "incident state checkout mon" Tab
wait_for "incident state checkout monitoring " && tmux -L "$SOCK" send-keys -t t C-u

# zsh, when it is here: its completion system, Tab on a command and an id.
if command -v zsh >/dev/null 2>&1; then
    tmux -L "$SOCK" new-window -t t -n z "env PATH='$BIN:$PATH' zsh -f"
    tmux -L "$SOCK" send-keys -t t:z 'PS1="%% "; autoload -Uz compinit && compinit -u' Enter
    tmux -L "$SOCK" send-keys -t t:z 'source <(incident completion zsh)' Enter
    tmux -L "$SOCK" send-keys -t t:z "incident timel" Tab
    zscreen() { tmux -L "$SOCK" capture-pane -t t:z -p -J >"$T/screen"; }
    i=0
    until zscreen && grep -F -q "incident timeline " "$T/screen" || [ $i -ge 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    tmux -L "$SOCK" send-keys -t t:z "2026" Tab
    i=0
    until zscreen && grep -F -q "incident timeline 2026-11-23-slow-checkout" "$T/screen" ||
        [ $i -ge 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    grep -F -q "incident timeline 2026-11-23-slow-checkout" "$T/screen" ||
        { fails=$((fails + 1)); echo "FAIL: zsh completion"; sed 's/^/    /' "$T/screen"; }
fi

echo "test_tty.sh: $fails failures"
[ "$fails" -eq 0 ]
