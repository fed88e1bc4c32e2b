#!/bin/sh
# test_cli.sh INCIDENT: the incident(1) command line through the shell: every
# subcommand, its output and exit code, its refusals and bad input. Run by
# ctest with the binary's path; needs only a POSIX shell (python3, when
# present, also checks that every --json output parses).
INC=${1:?usage: test_cli.sh path/to/incident}
T=$(mktemp -d "${TMPDIR:-/tmp}/incident-cli-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
export INCIDENT_STORE="$T/store"
unset XDG_DATA_HOME
# Human output shows local time: UTC here, whatever the machine's zone.
export TZ=UTC
unset NO_COLOR COLUMNS
# Durability is the journal's own tests' business; here it would only cost
# a disk flush per change (one run below checks the default).
export INCIDENT_SYNC=none
fails=0
runs=0

# expect CODE ARGS...: run incident ARGS, check the exit code; keep the output.
expect() {
    want=$1
    shift
    runs=$((runs + 1))
    "$INC" "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        fails=$((fails + 1))
        echo "FAIL: incident $* exited $got, expected $want"
        sed 's/^/    out: /' "$T/out"
        sed 's/^/    err: /' "$T/err"
    fi
}

# has out|err TEXT: the last command's stdout or stderr contains TEXT.
has() {
    if ! grep -F -q -- "$2" "$T/$1"; then
        fails=$((fails + 1))
        echo "FAIL: the $1 of the last command lacks: $2"
        sed 's/^/    /' "$T/$1"
    fi
}

# lacks out|err TEXT
lacks() {
    if grep -F -q -- "$2" "$T/$1"; then
        fails=$((fails + 1))
        echo "FAIL: the $1 of the last command has: $2"
    fi
}

# json: the last stdout is one JSON document (checked when python3 is here).
# The interpreter is resolved once: a wrapper such as a pyenv shim costs up
# to a second a call.
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=
json() {
    if [ -n "$PY" ]; then
        if ! "$PY" -c 'import json,sys; json.load(sys.stdin)' <"$T/out" 2>/dev/null; then
            fails=$((fails + 1))
            echo "FAIL: not one JSON document:"
            sed 's/^/    /' "$T/out"
        fi
    fi
}

at() { echo "--now=2026-11-23T$1:00Z"; }

# ---- help, version, usage errors -------------------------------------------
expect 0 --help
has out "usage: incident"
has out "Exit status"
expect 0 --version
has out "incident (libincident)"
for cmd in declare list show sev state note timeline verify export import assign release \
    roles handoff confirm can lint update cadence decide due page ack clock bridge postmortem \
    action audit metrics oncall seal reopen link alert feed field; do
    expect 0 "$cmd" --help
    has out "usage: incident $cmd"
done
expect 0 help sev
has out "AUTH-2"
expect 2
expect 2 frobnicate
has err "unknown command 'frobnicate'"
expect 2 --bogus list
has err "unknown option '--bogus'"
expect 2 list --bogus
expect 2 note
has err "missing argument"
expect 2 --now 2026-13-45T99:00Z list
has err "is not an ISO 8601 UTC time"
expect 2 --now yesterday --by a declare x --sev Sev-2
expect 2 --policy lenient list
has err "strict or advisory"
expect 2 --json frobnicate
json
has out '"ok":false'

# ---- store locations and permissions --------------------------------------------
INCIDENT_SYNC=sometimes
expect 2 list
has err "INCIDENT_SYNC"
INCIDENT_SYNC=none
expect 0 list
has out "no incidents"
test ! -e "$T/store" || { fails=$((fails + 1)); echo "FAIL: list created the store"; }
: >"$T/afile"
expect 6 --store "$T/afile" list
has err "not a directory"
expect 6 --store "$T/afile/sub" --by a declare "x" --sev Sev-2
has err "INC_EIO"
expect 6 --store "$T/afile" --by a declare "x" --sev Sev-2
mkdir "$T/notajournal" && : >"$T/notajournal/junk"
expect 6 --store "$T/notajournal" --by a declare "x" --sev Sev-2
# The default store: $XDG_DATA_HOME/libincident, created private.
(
    unset INCIDENT_STORE
    XDG_DATA_HOME="$T/xdg" "$INC" --by a declare "xdg test" --sev Sev-4 -q >/dev/null
) || { fails=$((fails + 1)); echo "FAIL: declare in the XDG store"; }
test -f "$T/xdg/libincident/JOURNAL" || { fails=$((fails + 1)); echo "FAIL: no XDG store"; }
mode=$(ls -ld "$T/xdg/libincident" | cut -c1-10)
[ "$mode" = "drwx------" ] || { fails=$((fails + 1)); echo "FAIL: store mode $mode"; }
# A store others may write to is refused, readably, unless allowed.
expect 0 --store "$T/shared" --by a declare "shared store" --sev Sev-4 -q
chmod 0777 "$T/shared"
expect 6 --store "$T/shared" list
has err "journal directory $T/shared has mode 0777: writable by others"
has err "chmod go-w"
has err "--allow-shared-store"
expect 6 --store "$T/shared" --by a declare "planted" --sev Sev-4
expect 0 --store "$T/shared" --allow-shared-store list
has out "shared store"
chmod 0700 "$T/shared"
expect 0 --store "$T/shared" list
# --by defaults to the login name (and INCIDENT_SYNC to every).
if who=$(id -un 2>/dev/null); then
    INCIDENT_SYNC=every
    expect 0 --store "$T/byname" declare "who am i" --sev Sev-4
    INCIDENT_SYNC=none
    has out "IC        $who"
fi

# ---- declare, list, show ----------------------------------------------------------
expect 2 $(at 14:34) --by alice declare "no severity"
has err "--sev LEVEL is required"
expect 5 $(at 14:34) --by alice declare "bad level" --sev Sev-9
has err "INC_EINVAL"
expect 2 $(at 14:34) --by alice declare "x" --sev Sev-2 --criteria bogus
expect 2 $(at 14:34) --by alice declare "x" --sev Sev-2 --detected soon
expect 0 $(at 14:34) --by alice declare -q --sev Sev-2 --criteria customer-visible,unknown \
    --impact-started 2026-11-23T14:32:00Z --detected 2026-11-23T14:33:00Z --drill \
    --slug "db cpu" "Database primary CPU at 95%, EU checkout failing"
id=$(cat "$T/out")
[ "$id" = "2026-11-23-db-cpu" ] || { fails=$((fails + 1)); echo "FAIL: id '$id'"; }
expect 0 list
has out "$id"
has out "[drill]"
expect 0 --json list --open
json
has out "\"id\":\"$id\""
expect 0 list --state resolved
has out "no incidents"
expect 2 list --state sideways
# list's filters, sort and limit (issue 21): one drill, alice IC, Sev-2, declared 14:34
expect 0 list --drill --role ic=alice --title "EU CHECKOUT" --sort level --reverse --limit 5
has out "$id"
expect 0 list --state declared,investigating --holder alice --level sev-2 \
    --since 2026-11-23T14:00:00Z --until 2026-11-23
has out "$id"
expect 0 list --no-drills
has out "no incidents match"
expect 0 list --holder nobody
has out "no incidents match"
expect 0 list --role scribe=alice
has out "no incidents match"
expect 0 list --until 2026-11-22
has out "no incidents match"
expect 0 list --open --state resolved
has out "no incidents match"
expect 0 --json list --open --state resolved,closed
json
has out '"incidents":[]'
expect 0 --json list --title checkout --sort declared
json
has out "\"id\":\"$id\""
has out '"matched":1'
has out '"duplicate_of":null'
expect 2 list --sort severity
has err "sort key"
expect 2 list --state investigating,sideways
expect 2 list --role boss=alice
expect 2 list --role ic
expect 2 list --limit 0
expect 2 list --drill --no-drills
expect 2 list --since yesterdayish
expect 5 list --since 2026-11-24T00:00:00Z --until 2026-11-23T00:00:00Z
has err "ends before it starts"
expect 3 list --level Sev-9
has err "no such level"
expect 5 list --title ""
expect 0 show db-cpu
has out "channel       #inc-2026-11-23-db-cpu"
has out "customer-visible, unknown"
has out "2026-11-23 14:32Z"
expect 0 --json show "$id"
json
has out '"ic":"alice"'
expect 3 show nope
has err "no incident 'nope'"
expect 3 --json show nope
json
has out '"status":"INC_ENOTFOUND"'
expect 3 $(at 14:35) --by alice note nope "hello"

# ---- roles ---------------------------------------------------------------------------
expect 0 $(at 14:35) --by alice assign db-cpu carol scribe
has out "alice assigned carol as Scribe"
expect 1 $(at 14:35) --by bob assign db-cpu bob deputy
has err "INC_EPERM [AUTH-1]"
expect 1 $(at 14:35) --by alice --policy strict assign db-cpu alice sme --domain database
has err "INC_EROLE [ROLE-3]"
expect 0 $(at 14:35) --by alice assign db-cpu bob deputy
expect 0 $(at 14:36) --by alice assign db-cpu dave sme -d database
has out "for database"
expect 0 $(at 14:36) --by alice assign db-cpu erin comms
expect 0 $(at 14:36) --by alice assign db-cpu frank liaison
expect 4 $(at 14:36) --by alice assign db-cpu frank liaison
expect 2 $(at 14:36) --by alice assign db-cpu frank wizard
has err "unknown role 'wizard'"
expect 5 $(at 14:36) --by alice assign db-cpu frank ic
expect 0 $(at 14:37) --by alice assign db-cpu zed sme --domain network
expect 0 $(at 14:37) --by zed release db-cpu zed sme
has out "released zed from Subject Matter Expert"
expect 3 $(at 14:37) --by alice release db-cpu zed sme
expect 0 roles db-cpu
has out "Subject Matter Expert        dave (database)"
has out "No findings"
expect 0 --json roles db-cpu --history
json
has out '"person":"zed"'
# Advisory (the default) records a forbidden combination and reports it.
expect 0 $(at 14:37) --by alice assign db-cpu erin sme --domain network
has out "ROLE-3"
expect 4 $(at 14:37) --by alice assign db-cpu erin sme --domain network
expect 7 roles db-cpu --check
has out "ROLE-3"
expect 0 $(at 14:38) --by alice release db-cpu erin sme
expect 0 roles db-cpu --check

# ---- CAN reports, lint, decisions ----------------------------------------------------
expect 7 lint can -c "I think the database is overloaded" -a "I'm going to fail over"
has out "CAN-2.speculation"
has out "CAN-2.promise"
has out "CAN-2.implicit-needs"
has out '"I think"'
expect 0 lint can -c "CPU 95%" -a "Adding a replica" -n none
has out "clean"
expect 7 --json lint can -c "CPU 95%"
json
has out '"rule":"CAN-2.all-conditions"'
expect 7 lint update "We are experiencing some issues. This should be resolved soon."
has out "COMM-3.vague"
has out "COMM-3.premature-promise"
expect 0 lint update "We are investigating failed checkouts affecting customers in the EU" \
    "region. Next update at 15:10 UTC."
echo "Something went wrong." >"$T/draft"
expect 7 lint update - <"$T/draft"
has out "COMM-3.vague"
printf 'libincident-lint 1\nservice = Ledger Sync\noff = COMM-3.no-next-update\n' >"$T/team.lint"
expect 7 lint update "We are investigating delays."
has out "COMM-3.no-scope"
expect 0 lint update "We are investigating delays in Ledger Sync." --lint-config "$T/team.lint"
has out "clean"
printf 'libincident-lint 1\nservice = Ledger\nservise = Sync\n' >"$T/bad.lint"
expect 5 lint update "We are investigating delays." --lint-config "$T/bad.lint"
has err "bad.lint:3: unknown key 'servise'"
expect 2 lint poem "roses"
expect 2 lint update "x" --state sideways
echo "CPU 95% sustained, lag 4 minutes." >"$T/conditions"
expect 0 $(at 14:40) --by dave can db-cpu -c @"$T/conditions" -a "Provisioning a replica." \
    -n "Need IC approval to fail over to the secondary."
has out "recorded as event"
has out "Pending decision #1"
expect 0 $(at 14:40) --by dave can db-cpu -c "I think it's the deploy." -a "Rolling back."
has out "CAN-2.speculation"
printf 'libincident-lint 1\noff = CAN-2.speculation\n' >"$T/nospec.lint"
expect 0 $(at 14:40) --by dave can db-cpu -c "I think it's the deploy." -a "Rolling back." \
    --lint-config "$T/nospec.lint"
lacks out "CAN-2.speculation"
expect 1 $(at 14:40) --by dave --policy strict can db-cpu --kind top-of-hour -c "x" -a "y" -n none
has err "INC_EROLE"
expect 2 $(at 14:40) --by dave can db-cpu --kind gossip -c "x"
expect 5 $(at 14:40) --by dave can db-cpu
expect 2 can db-cpu -c @"$T/missing-file"
expect 0 decide db-cpu
has out "1 pending"
expect 1 $(at 14:41) --by dave decide db-cpu 1 approve
has err "[AUTH-1]"
expect 0 $(at 14:41) --by alice decide db-cpu 1 approve --note "go"
has out "approved"
expect 5 $(at 14:41) --by alice decide db-cpu 1 deny
expect 3 $(at 14:41) --by alice decide db-cpu 9 approve
expect 2 $(at 14:41) --by alice decide db-cpu 1 maybe
expect 0 $(at 14:41) --by dave decide db-cpu --ask "Roll back the 14:30 deploy?"
has out "decision #2"
expect 0 --json decide db-cpu
json
has out '"pending":1'

# ---- updates and cadence ---------------------------------------------------------------
expect 1 $(at 14:42) --by alice --policy strict update db-cpu external "We are investigating."
has err "INC_EROLE"
expect 0 $(at 14:42) --by erin update db-cpu external --template first \
    --scope "customers in the EU region" --symptom "failed checkouts" --statuspage
has out "recorded as event"
has out '"status":"investigating"'
expect 0 $(at 14:42) --by erin update db-cpu external "We are experiencing some issues."
has out "COMM-3.vague"
printf 'libincident-lint 1\nservice = Quarry\noff = COMM-3.no-next-update\n' >"$T/quarry.lint"
expect 0 $(at 14:42) --by erin update db-cpu external "Quarry: transactions post late."
has out "COMM-3.no-scope"
expect 0 $(at 14:42) --by erin update db-cpu external "Quarry: transactions post late." \
    --lint-config "$T/quarry.lint"
lacks out "COMM-3"
expect 5 $(at 14:42) --by erin update db-cpu external "x" --lint-config "$T/bad.lint"
has err "bad.lint:3: unknown key 'servise'"
expect 0 $(at 14:43) --by frank update db-cpu internal "Sev-2 declared; IC alice."
expect 0 $(at 14:43) --by erin update db-cpu external --template heartbeat --scope "EU" --dry-run
has out "Next update"
expect 2 $(at 14:43) --by erin update db-cpu everyone "hello"
expect 2 $(at 14:43) --by erin update db-cpu external
expect 2 $(at 14:43) --by erin update db-cpu external "x" --comms smoke_signal
expect 0 $(at 14:44) cadence db-cpu
has out "external  by Communications Lead"
expect 1 $(at 14:44) --by erin cadence db-cpu external 15m
has err "[AUTH-1]"
expect 0 $(at 14:44) --by alice cadence db-cpu external 15m --reason "customers are asking"
has out "every 15m"
has out "(IC)"
expect 2 $(at 14:44) --by alice cadence db-cpu external soon
expect 0 --json $(at 14:44) cadence db-cpu
json

# ---- severity and lifecycle ---------------------------------------------------------------
expect 1 $(at 14:45) --by bob sev db-cpu Sev-1 "looks worse"
has err "incident: sev: INC_EPERM [AUTH-1]: only the Incident Commander (alice)"
expect 2 $(at 14:45) --by alice sev db-cpu Sev-1
expect 5 $(at 14:45) --by alice sev db-cpu Sev-9 "why not"
expect 0 $(at 14:45) --by alice sev db-cpu Sev-1 "EU checkout failing for 30% of orders"
has out "severity Sev-2 -> Sev-1: EU checkout failing"
expect 1 $(at 14:46) --by alice state db-cpu monitoring
has err "[LIFE-1]"
expect 2 $(at 14:46) --by alice state db-cpu sideways
expect 0 $(at 14:46) --by alice state db-cpu investigating
has out "declared -> investigating"
expect 0 $(at 14:47) --by alice state db-cpu mitigating "failing over"

# ---- notes and corrections -----------------------------------------------------------------
expect 0 $(at 14:48) --by carol note db-cpu "Replica at 50%" and climbing
has out "note recorded as event"
echo "Note from stdin" | "$INC" $(at 14:48) --by carol note db-cpu - >/dev/null ||
    { fails=$((fails + 1)); echo "FAIL: note from stdin"; }
expect 0 $(at 14:49) --by carol note db-cpu --corrects 2 "Scribe was carol, not bob"
has out "corrects event 2"
expect 3 $(at 14:49) --by carol note db-cpu --corrects 999 "no such event"
expect 2 $(at 14:49) --by carol note db-cpu --corrects x "bad"

# ---- due items, pages, acknowledgements, clocks ----------------------------------------------
expect 0 $(at 14:50) due db-cpu
has out "ESC-1"
expect 0 $(at 14:50) due db-cpu --within 1h
has out "(in "
expect 0 --json $(at 14:50) due --pagerduty 0123456789abcdef0123456789ABCDEF
json
has out '"event_action":"trigger"'
expect 2 $(at 14:50) due --pagerduty KEY
has err "32 letters and digits"
expect 2 $(at 14:50) due db-cpu --within 1h --deliver
expect 0 $(at 14:50) --by pager due db-cpu --deliver
has out "recorded as event"
expect 0 $(at 14:50) due db-cpu
has out "nothing due now"
expect 0 $(at 14:50) --by alice page db-cpu on-call --text "need the app team"
has out "page requested for on-call"
page=$(sed -n 's/.* as event \([0-9]*\) .*/\1/p' "$T/out")
expect 0 $(at 14:50) --by pager page db-cpu --sent "$page" --to jeff
has out "reached jeff"
expect 4 $(at 14:50) --by pager page db-cpu --sent "$page" --to jeff
expect 3 $(at 14:50) --by pager page db-cpu --sent 1 --to jeff
expect 2 $(at 14:50) --by pager page db-cpu --sent "$page"
expect 0 $(at 14:51) --by jeff ack db-cpu --page "$page"
has out "acknowledged by jeff at 2026-11-23 14:51Z"
expect 3 $(at 14:51) --by jeff ack db-cpu --page 1
expect 1 $(at 14:52) --by bob clock db-cpu start gdpr --in 72h
has err "[AUTH-1]"
expect 0 $(at 14:52) --by alice clock db-cpu start gdpr --in 72h --remind 12h --text "breach notice"
has out "running"
expect 4 $(at 14:52) --by alice clock db-cpu start gdpr --deadline 2026-11-26T14:52:00Z
expect 2 $(at 14:52) --by alice clock db-cpu start other
expect 2 $(at 14:52) --by alice clock db-cpu wind gdpr
expect 0 $(at 14:53) --by alice clock db-cpu stop gdpr --text "filed"
has out "met"
expect 3 $(at 14:53) --by alice clock db-cpu stop gdpr
expect 0 --json clock db-cpu
json

# ---- the hand-off --------------------------------------------------------------------------------
expect 2 $(at 15:30) --by alice handoff db-cpu
expect 1 $(at 15:30) --by bob handoff db-cpu grace -c "x" -n none
expect 0 $(at 15:30) --by alice handoff db-cpu grace -c "Failover 80% done" -a "dave on it" -n none
has out "hand-off started: alice -> grace"
has out "Open decisions handed over"
expect 1 $(at 15:31) --by mallory confirm db-cpu
expect 0 $(at 15:31) --by alice handoff db-cpu --cancel changed my mind
has out "alice remains IC"
expect 1 $(at 15:31) --by grace confirm db-cpu
expect 0 $(at 15:31) --by alice handoff db-cpu grace -c "Failover 80% done" -a "dave on it" -n none
expect 0 $(at 15:32) --by grace confirm db-cpu
has out "grace is now IC (took over from alice)"
expect 1 $(at 15:33) --by alice sev db-cpu Sev-2 "better"
has err "only the Incident Commander (grace)"

# ---- mitigation, resolution, the record ------------------------------------------------------------
expect 0 $(at 15:38) --by grace state db-cpu monitoring "failover done"
expect 5 $(at 16:05) --by grace state db-cpu resolved
has err "[LIFE-2]"
expect 0 $(at 16:05) --by grace state db-cpu resolved "test orders succeed end to end"
expect 1 $(at 16:06) --by grace state db-cpu closed
expect 0 timeline db-cpu
has out "Incident declared"
has out "Severity changed Sev-2 -> Sev-1: EU checkout failing for 30% of orders"
has out "Hand-off confirmed"
expect 0 --json timeline db-cpu
json
has out '"kind":"severity_changed"'
expect 0 verify db-cpu
has out "hash chain verified"
expect 0 --json verify db-cpu
json

# ---- after the incident: bridge, audit, postmortem, actions, metrics -------------------------
expect 0 $(at 16:06) --by bob bridge db-cpu https://meet.example.com/db --text "late, for the review"
has out "bridge open at https://meet.example.com/db"
expect 2 $(at 16:06) --by bob bridge db-cpu
expect 0 $(at 16:10) audit db-cpu
has out "First ten minutes (AUD-1)"
has out "Antipatterns (AUD-2)"
expect 0 --json $(at 16:10) audit db-cpu
json
has out '"steps"'
expect 2 audit db-cpu --min-monitoring soon
expect 7 lint postmortem "It was human error: the on-call was careless."
has out "PM-4.blame"
expect 0 lint postmortem "The alert had no runbook link, so the on-call searched the wiki."
expect 0 $(at 16:20) postmortem db-cpu
has out "# Postmortem"
has out "MISSING"
expect 0 $(at 16:20) postmortem db-cpu --text
expect 0 --json $(at 16:20) postmortem db-cpu
json
has out '"status":"Draft"'
has out '"required":true'
for sec in summary impact detection root_cause contributing_factors went_well lessons_learned; do
    expect 0 $(at 16:30) --by carol postmortem db-cpu set "$sec" "The $sec, written by the team."
done
expect 0 $(at 16:30) --by carol postmortem db-cpu set went_poorly "Human error: bob should have known."
has out "PM-4.blame"
expect 7 postmortem db-cpu lint
has out "PM-4.blame"
expect 0 $(at 16:31) --by carol postmortem db-cpu set went_poorly "Deploy gating has no query-plan test."
expect 0 postmortem db-cpu lint
has out "blameless"
expect 2 $(at 16:31) --by carol postmortem db-cpu set moods "happy"
expect 2 $(at 16:31) --by carol postmortem db-cpu frobnicate
expect 5 $(at 16:32) --by grace postmortem db-cpu tag "Not A Tag!"
expect 0 $(at 16:32) --by grace postmortem db-cpu tag deploy/unindexed-query
expect 5 $(at 16:40) --by grace action db-cpu add Index check in CI --owner "database team" \
    --priority P1 --in 14d
has err "[PM-3]"
expect 0 $(at 16:40) --by grace action db-cpu add Index check in CI --owner dave --priority P1 --in 14d
has out "A1   P1 open"
expect 0 $(at 16:40) --by grace action db-cpu add Page backup sooner --owner kim --priority 2 \
    --due 2026-12-23T12:00:00Z --detail "after 10 minutes"
expect 2 $(at 16:40) --by grace action db-cpu add Something --owner kim --priority P9 --in 1d
expect 2 $(at 16:40) --by grace action db-cpu add Something --owner kim --priority P1
expect 1 $(at 16:41) --by kim action db-cpu cancel 2 --reason "not needed"
has err "INC_EPERM"
expect 0 $(at 16:41) --by grace action db-cpu move 2 --in 20d --reason "after the freeze"
expect 0 $(at 16:41) --by grace action db-cpu reassign 2 lee
has out "lee"
expect 0 $(at 16:41) --by grace action db-cpu priority 2 P3
expect 0 $(at 16:42) --by dave action db-cpu done 1
has out "done"
expect 3 $(at 16:42) --by dave action db-cpu done 9
expect 2 $(at 16:42) --by dave action db-cpu polish 1
expect 0 --json action db-cpu
json
has out '"status":"done"'
expect 0 $(at 16:43) action list --owner lee
has out "lee"
expect 0 $(at 16:43) action list --export https://incidents.example.com/i/
json
has out '"link":"https://incidents.example.com/i/'"$id"'"'
expect 0 $(at 16:43) action list --status cancelled
has out "no action items"
expect 2 action list --status sideways
expect 1 $(at 17:00) --by grace postmortem db-cpu status final
has err "Draft -> In Review -> Final"
expect 0 $(at 17:00) --by grace postmortem db-cpu status review --note "reviewed by bob"
expect 1 $(at 17:00) --by alice postmortem db-cpu status final
has err "[AUTH-1]"
expect 2 $(at 17:00) --by grace postmortem db-cpu status published
expect 0 $(at 17:01) --by grace postmortem db-cpu status final
has out "the incident is closed"
expect 1 $(at 17:02) --by carol note db-cpu "after closing"
has err "INC_ESTATE"
expect 0 $(at 17:02) --by carol note db-cpu --corrects 3 "corrections stay allowed (LIFE-3)"
expect 0 show db-cpu
has out "state         closed"
expect 0 metrics
has out "MTTR"
has out "1 drills excluded"
expect 0 --json metrics --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z
json
expect 2 metrics --from someday

# ---- export, import -------------------------------------------------------------------------------------
expect 0 export db-cpu -o "$T/export.json"
has out "exported"
expect 0 export db-cpu
json
expect 0 --store "$T/other" import "$T/export.json"
has out "imported $id"
expect 4 --store "$T/other" import "$T/export.json"
expect 0 --store "$T/other" verify "$id"
echo '{"not": "an incident"' >"$T/bad.json"
expect 5 --store "$T/other2" import "$T/bad.json"
expect 2 import "$T/no-such-file.json"

# ---- a damaged journal is found -------------------------------------------------------------------
# Written durably (the records' durable marks then say the damaged bytes
# were on disk: corruption, not a torn write).
INCIDENT_SYNC=every
expect 0 --store "$T/durable" --by a declare -q "damage test" --sev Sev-4
did=$(cat "$T/out")
expect 0 --store "$T/durable" --by a note "$did" "first note"
expect 0 --store "$T/durable" --by a note "$did" "second note"
INCIDENT_SYNC=none
cp "$T/durable/$did.jnl" "$T/saved.jnl"
printf 'X' | dd of="$T/durable/$did.jnl" bs=1 seek=200 conv=notrunc 2>/dev/null
expect 6 --store "$T/durable" verify "$did"
has err "INC_ECORRUPT"
cp "$T/saved.jnl" "$T/durable/$did.jnl"
expect 0 --store "$T/durable" verify "$did"
has out "3 events"

# ---- TL-5: heads and sealing --------------------------------------------------------------------
S="$T/sealed"
expect 0 --store "$S" --by a declare -q "seal test" --sev Sev-4
sid=$(cat "$T/out")
expect 0 --store "$S" --by a note "$sid" "first note"
expect 0 --store "$S" verify "$sid"
has out "head 2:"
head=$(sed -n 's/^head //p' "$T/out")
expect 0 --store "$S" --by a note "$sid" "after the head"
expect 0 --store "$S" verify --head "$head" "$sid"
has out "events 1..2 match the checkpoint (TL-5)"
has out "head 3:"
expect 0 --store "$S" --json verify --head "$head" "$sid"
json
has out '"head_verified_seq":2'
expect 6 --store "$S" verify --head "2:$(printf '%064d' 0)" "$sid"
has err "differs from the checkpoint"
expect 3 --store "$S" verify --head "9${head#2}" "$sid"
has err "holds 3 events"
expect 2 --store "$S" verify --head "2:xyz" "$sid"
has err "is not a checkpoint SEQ:HASH"
expect 2 --store "$S" verify --head "0${head#2}" "$sid"
# Sealing: nothing before setup; the key is printed once and not stored.
expect 3 --store "$S" seal
has err "SEAL-KEY"
expect 0 --store "$S" --by a seal setup
has out "verification key (shown once"
key=$(sed -n '3s/^ *//p' "$T/out")
[ ${#key} -eq 64 ] || { fails=$((fails + 1)); echo "FAIL: seal setup printed no key: '$key'"; }
ls -l "$S/SEAL-KEY" "$S/SEAL-LOG" | grep -v -q '^-rw-------' &&
    { fails=$((fails + 1)); echo "FAIL: the seal files are not 0600"; }
grep -q -F "$key" "$S/SEAL-KEY" && { fails=$((fails + 1)); echo "FAIL: the key is stored"; }
expect 4 --store "$S" --by a seal setup
expect 0 --store "$S" seal
has out "sealed epoch 1: 1 incident, 3 events"
expect 0 --store "$S" --by a note "$sid" "unsealed"
expect 0 --store "$S" seal verify --key "$key"
has out "$sid: sealed up to event 3 at epoch 1, unsealed tail 1 event(s)"
has out "1 seal(s) verified"
has out "key file at epoch 2"
printf '%s\n' "$key" >"$T/vkey"
expect 0 --store "$S" --json seal verify -k "@$T/vkey"
json
has out '{"ok":true,"command":"seal verify",'
has out '"sealed_seq":3'
if [ -n "$PY" ]; then # the envelope every command has, "ok" and "command" first
    "$PY" -c 'import json,sys; d=json.load(sys.stdin); k=list(d)
assert k[:2]==["ok","command"] and d["command"]=="seal verify", k
assert d["ok"] is True and d["incidents"][0]["sealed_seq"]==3 and d["seals"]==1, d' <"$T/out" || {
        fails=$((fails + 1))
        echo "FAIL: seal verify --json is not in the envelope"
    }
fi
expect 1 --store "$S" seal verify --key "$(printf '%064d' 0)"
has err "verification key is not the one"
expect 2 --store "$S" seal verify
has err "--key KEY"
expect 2 --store "$S" seal verify --key nothex
expect 2 --store "$S" seal frobnicate
expect 2 --store "$S" seal --key "$key"
# A seal altered in the log is caught.
cp "$S/SEAL-LOG" "$T/seal-log.saved"
printf 'X' | dd of="$S/SEAL-LOG" bs=1 seek=100 conv=notrunc 2>/dev/null
expect 6 --store "$S" seal verify --key "$key"
has err "INC_ECORRUPT"
expect 6 --store "$S" --json seal verify --key "$key"
json
has out '{"ok":false,"command":"seal verify","status":"INC_ECORRUPT",'
has out '"exit":6'
cp "$T/seal-log.saved" "$S/SEAL-LOG"
expect 0 --store "$S" seal verify --key "$key"
# ---- TL-4: nothing committed is destroyed --------------------------------------------------------
# u32 at offset $2 of file $1 (little endian, as the journal writes it).
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
size() { wc -c <"$1" | tr -d ' '; }
# A record removed from the middle: corruption (a valid record follows),
# refused by verify and by the next write, nothing cut.
r2=$((128 + $(u32 "$T/saved.jnl" 128) + 60))
r3=$((r2 + $(u32 "$T/saved.jnl" "$r2") + 60))
{ dd if="$T/saved.jnl" bs=1 count="$r2" 2>/dev/null; dd if="$T/saved.jnl" bs=1 skip="$r3" 2>/dev/null; } >"$T/durable/$did.jnl"
cut_size=$(size "$T/durable/$did.jnl")
expect 6 --store "$T/durable" verify "$did"
has err "INC_ECORRUPT"
has err "a valid record follows"
expect 6 --store "$T/durable" --by a note "$did" "after the damage"
[ "$(size "$T/durable/$did.jnl")" = "$cut_size" ] || { fails=$((fails + 1)); echo "FAIL: a corrupt file changed"; }
# A bit flipped in the last record (written under policy every): nothing
# proves it was on disk, so a torn tail: verify reports it (exit 0), the
# next write moves it to a quarantine file (0600) and says so on stderr.
cp "$T/saved.jnl" "$T/durable/$did.jnl"
end=$(size "$T/saved.jnl")
printf 'X' | dd of="$T/durable/$did.jnl" bs=1 seek=$((end - 20)) conv=notrunc 2>/dev/null
expect 0 --store "$T/durable" verify "$did"
has err "torn tail"
has err "judged a torn write"
has out "2 events, journal records intact up to a torn tail"
expect 0 --store "$T/durable" --by a note "$did" "after the tear"
has err "set aside in $T/durable/$did.jnl.quarantine-"
q=$(ls "$T/durable" | grep "quarantine-")
[ -n "$q" ] && [ "$(size "$T/durable/$q")" = "$((end - ${q##*-}))" ] ||
    { fails=$((fails + 1)); echo "FAIL: quarantine file $q"; }
case $(ls -l "$T/durable/$q") in -rw-------*) ;; *) fails=$((fails + 1)); echo "FAIL: mode of $q" ;; esac
expect 0 --store "$T/durable" verify "$did"
has err "quarantine: $did: $T/durable/$q"
expect 0 --store "$T/durable" --json verify "$did"
has out '"quarantine_files":1'
json
expect 0 --store "$T/durable" list
lacks out "quarantine"
# A file written by one append (an import) with its last record damaged
# held no complete append: moved whole to quarantine, never deleted.
INCIDENT_SYNC=every
expect 0 --store "$T/durable" export "$did" -o "$T/one.json"
expect 0 --store "$T/one" import "$T/one.json"
INCIDENT_SYNC=none
end=$(size "$T/one/$did.jnl")
printf 'X' | dd of="$T/one/$did.jnl" bs=1 seek=$((end - 20)) conv=notrunc 2>/dev/null
cp "$T/one/$did.jnl" "$T/one.jnl"
expect 3 --store "$T/one" --by a note "$did" "after the damage"
has err "set aside in $T/one/$did.jnl.quarantine-0"
cmp -s "$T/one.jnl" "$T/one/$did.jnl.quarantine-0" || { fails=$((fails + 1)); echo "FAIL: the whole file is not in quarantine"; }

# ---- on call: rotations, who, shifts, health (ONC-1, ONC-3..ONC-5) -----------------------
# Real zone data (tzdata), as the library's own rotation tests use.
[ -f /usr/share/zoneinfo/Europe/Berlin ] ||
    echo "note: /usr/share/zoneinfo/Europe/Berlin is missing: install the package 'tzdata'"
rot="$(dirname "$0")/../rotations/payments.rotation"
for sub in who shifts check ical; do
    expect 0 oncall "$sub" --help
    has out "usage: incident oncall $sub"
done
expect 0 help oncall
has out "incident oncall check"
expect 2 oncall
has err "say: oncall who|shifts|check|ical"
expect 2 oncall frobnicate
has err "unknown oncall command 'frobnicate'"
expect 2 oncall who
has err "missing argument"
expect 2 oncall who "$T/no-such.rotation"
has err "cannot read"
# Who, before and after the Monday 10:00 Berlin hand-off (09:00 UTC in winter).
expect 0 oncall who "$rot" --at 2026-03-02T08:59Z
has out "payments (Europe/Berlin) at Mon 2026-03-02 09:59 CET (2026-03-02 08:59Z)"
has out "primary    carol            since Mon 2026-02-23 10:00 CET until Mon 2026-03-02 10:00 CET (shift 7)"
has out "secondary  dave "
expect 0 oncall who "$rot" --at 2026-03-02T09:01Z
has out "primary    dave             since Mon 2026-03-02 10:00 CET"
has out "secondary  erin "
lacks out "carol"
# After the spring-forward the hand-off is still at 10:00 local (08:00 UTC).
expect 0 oncall who "$rot" --at 2026-03-30T07:59Z --layer primary -q
[ "$(cat "$T/out")" = "bob" ] || { fails=$((fails + 1)); echo "FAIL: 07:59Z is bob's, not $(cat "$T/out")"; }
expect 0 oncall who "$rot" --at 2026-03-30T08:01Z -q
printf 'carol\ndave\n' | cmp -s - "$T/out" || { fails=$((fails + 1)); echo "FAIL: -q after 08:00Z"; }
# --now is the default time; an override wins over the rotation.
expect 0 --now 2026-04-14T09:00Z oncall who "$rot" --layer primary
has out "primary    frank "
has out "until Tue 2026-04-14 18:00 CEST (shift 14; override 0 by erin: erin is at the dentist)"
lacks out "secondary"
expect 0 --json oncall who "$rot" --at 2026-04-14T09:00Z
json
has out '"primary":{"layer":"primary","person":"frank","start":"2026-04-14T08:00:00.000Z"'
has out '"start_local":"2026-04-14T10:00:00+02:00"'
has out '"override":{"index":0,"by":"erin"'
has out '"secondary":{"layer":"secondary","person":"alice"'
expect 2 oncall who "$rot" --layer tertiary
has err "--layer: 'tertiary' is not primary, secondary or both"
expect 2 oncall who "$rot" --at tomorrow
expect 3 oncall who "$rot" --at 2025-12-01T00:00Z
has err "incident: oncall who: INC_ENOTFOUND: rotation payments has not started"
# Shifts over a month: six weeks touch March; the one that spans the
# spring-forward lasts 167 hours.
expect 0 oncall shifts "$rot" --from 2026-03-01T00:00Z --to 2026-04-01T00:00Z
has out "payments (Europe/Berlin): 12 stretches"
has out "Mon 2026-02-23 10:00 CET  -> Mon 2026-03-02 10:00 CET  7d      primary    carol (shift 7)"
has out "Mon 2026-03-23 10:00 CET  -> Mon 2026-03-30 10:00 CEST 6d23h   primary    bob (shift 11)"
has out "Mon 2026-03-30 10:00 CEST -> Mon 2026-04-06 10:00 CEST 7d      secondary  dave (shift 12)"
[ "$(grep -c ' primary ' "$T/out")" -eq 6 ] || { fails=$((fails + 1)); echo "FAIL: not 6 primary shifts"; }
expect 0 --json oncall shifts "$rot" --from 2026-04-13T00:00Z --to 2026-04-16T00:00Z --layer primary
json
[ "$(grep -o '"layer":' "$T/out" | wc -l)" -eq 4 ] || { fails=$((fails + 1)); echo "FAIL: not 4 stretches"; }
has out '"person":"frank","start":"2026-04-14T08:00:00.000Z","end":"2026-04-14T16:00:00.000Z"'
expect 2 oncall shifts "$rot" --from 2026-04-01T00:00Z --to 2026-03-01T00:00Z
has err "--to must come after --from"
# ONC-6: layers (follow-the-sun across Berlin and Los Angeles), the gap DST
# opens between them, a swap both people agreed to, bad layer files.
fts="$(dirname "$0")/../rotations/follow-the-sun.rotation"
expect 0 oncall who "$fts" --at 2026-01-14T12:00Z -q
has out "emil"
expect 0 oncall who "$fts" --at 2026-01-14T22:00Z -q
has out "sofia"
expect 3 oncall who "$fts" --at 2026-03-10T06:30Z
has err "no layer covers it (ONC-6)"
expect 7 --now 2026-03-01T00:00Z oncall check "$fts" --min-people 2 --max-consecutive 9 --min-gap 1 \
    --from 2026-03-01T00:00Z --to 2026-04-05T00:00Z
has out "ONC-3: nobody is on call on Tuesdays 06:00-07:00 UTC in rotation support"
expect 0 --json oncall shifts "$fts" --from 2026-01-13T11:00Z --to 2026-01-13T15:00Z
json
has out '"person":"eva","start":"2026-01-13T12:00:00.000Z"'
has out '"swap":true'
printf '%s\n' "libincident-rotation 1" "name = l" "start = 2026-01-05" "layer = day" \
    "  layer-from = 2026-06-01" "  layer-until = 2026-05-01" >"$T/bad-layer.rotation"
expect 5 oncall who "$T/bad-layer.rotation"
has err "bad-layer.rotation:6: layer day ends (until 2026-05-01) before it starts (from 2026-06-01) (ONC-6)"
printf '%s\n' "libincident-rotation 1" "name = s" "start = 2026-01-05" "person = a" "person = b" \
    "swap = primary 2026-01-13T00:00Z 2026-01-13T01:00Z" "  by = b" >"$T/bad-swap.rotation"
expect 5 oncall who "$T/bad-swap.rotation"
has err "bad-swap.rotation:6: swap: missing 'to = PERSON': the second person"
# ONC-7: the calendar feed, read back with a real iCalendar parser (Debian's
# python3-icalendar) and compared, event by event, with `oncall shifts`.
expect 0 --now 2026-03-01T00:00Z oncall ical "$rot" --from 2026-03-01T00:00Z --to 2026-05-01T00:00Z
cp "$T/out" "$T/feed.ics"
has out "BEGIN:VCALENDAR"
has out "(payments primary\\, override)"
expect 0 --now 2026-03-01T00:00Z --json oncall shifts "$rot" --from 2026-03-01T00:00Z --to 2026-05-01T00:00Z
cp "$T/out" "$T/shifts.json"
expect 0 --now 2026-03-01T00:00Z oncall ical "$rot" --person frank --from 2026-03-01T00:00Z --to 2026-05-01T00:00Z
has out "SUMMARY:On call: frank"
[ "$(grep -c 'BEGIN:VEVENT' "$T/out")" -eq 1 ] || { fails=$((fails + 1)); echo "FAIL: not 1 event for frank"; }
expect 2 oncall ical "$rot" --from 2026-05-01T00:00Z --to 2026-03-01T00:00Z
has err "--to must come after --from"
expect 2 oncall ical
ICALPY=
for py in /usr/bin/python3 python3; do
    if "$py" -c 'import icalendar' 2>/dev/null; then ICALPY=$py; break; fi
done
if [ -n "$ICALPY" ]; then
    runs=$((runs + 1))
    if ! "$ICALPY" - "$T/feed.ics" "$T/shifts.json" <<'PY'
import json, sys
from datetime import datetime, timezone
import icalendar
raw = open(sys.argv[1], "rb").read()
assert b"\n" not in raw.replace(b"\r\n", b""), "a line not ending in CRLF"
assert all(len(l) <= 75 for l in raw.split(b"\r\n")), "a line over 75 octets"
cal = icalendar.Calendar.from_ical(raw)
events = [e for e in cal.walk("VEVENT")]
shifts = json.load(open(sys.argv[2]))["shifts"]
def utc(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
got = sorted((e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"])) for e in events)
want = sorted((utc(s["start"]), utc(s["end"]),
               "On call: %s (payments %s%s)" % (s["person"], s["layer"],
                                                ", override" if s["override"] else ""))
              for s in shifts)
assert got == want, (got, want)
uids = [str(e["uid"]) for e in events]
assert len(set(uids)) == len(uids), "UIDs repeat"
print("ical: %d events match oncall shifts" % len(events))
PY
    then
        fails=$((fails + 1))
        echo "FAIL: the iCalendar feed does not parse or does not match oncall shifts"
    fi
else
    echo "note: no python3 with the icalendar module (apt-get install python3-icalendar): ONC-7 parse check skipped"
fi
# Health (ONC-3): five people in turn are healthy; three are too few, with
# too little rest between turns.
expect 0 --now 2026-03-15T12:00Z oncall check "$rot"
has out "the rotation only (ONC-3): healthy, no findings"
printf '%s\n' "libincident-rotation 1" "name = small" "zone = Europe/Berlin" "start = 2026-01-05" \
    "person = ann" "person = ben" "person = cat" >"$T/small.rotation"
expect 7 --now 2026-03-15T12:00Z oncall check "$T/small.rotation"
has out "ONC-3: rotation small has 3 people; a rotation needs at least 5"
has out "ONC-3: ann has 1 period off between turns of rotation small"
expect 0 --now 2026-03-15T12:00Z oncall check "$T/small.rotation" --min-people 3 --min-gap 1
expect 7 --json --now 2026-03-15T12:00Z oncall check "$T/small.rotation"
json
has out '"healthy":false'
has out '"rule":"ONC-3"'
expect 2 oncall check "$rot" --pages-threshold 0
has err "is not a whole number from 1"
expect 2 oncall check "$rot" --rest-after soon
# ONC-4 (a night of incident work) and ONC-5 (pages per week) read the
# incidents of the store, with --incidents only.
os="$T/oncall-store"
expect 0 --store "$os" --now 2026-03-10T21:30Z --by dave declare -q --sev Sev-2 "Card payments failing"
oid=$(cat "$T/out")
for m in 41 42 43; do
    expect 0 --store "$os" --now "2026-03-10T21:${m}Z" --by dave page "$oid" on-call
    seq=$(sed -n 's/.* as event \([0-9]*\) .*/\1/p' "$T/out")
    expect 0 --store "$os" --now "2026-03-10T21:${m}Z" --by pager page "$oid" --sent "$seq" --to alice
done
expect 0 --store "$os" --now 2026-03-11T12:00Z oncall check "$rot"
expect 7 --store "$os" --now 2026-03-11T12:00Z oncall check "$rot" --incidents --pages-threshold 2
has out "1 incident: 2 findings"
has out "ONC-4: dave held incident roles for 7h30m overnight (22:00-06:00 Europe/Berlin)"
has out "owed a late start on 2026-03-11"
has out "ONC-5: alice was paged 3 times in the week of Monday 2026-03-09"
expect 0 --store "$os" --now 2026-03-11T12:00Z oncall check "$rot" -i --pages-threshold 3 \
    --rest-after 8h
has out "1 incident: healthy"
# A bad file: the line, the status, exit 5; the zone: 3 unknown, 6 damaged.
printf 'libincident-rotation 1\nname = broken\nzone = UTC\ncolour = red\n' >"$T/bad.rotation"
expect 5 oncall who "$T/bad.rotation"
has err "incident: oncall who: INC_EPARSE: $T/bad.rotation:4: unknown key 'colour'"
expect 5 --json oncall shifts "$T/bad.rotation"
json
has out '"status":"INC_EPARSE"'
has out '"exit":5'
printf 'libincident-rotation 2\nname = future\n' >"$T/v2.rotation"
expect 6 oncall check "$T/v2.rotation"
has err "INC_EVERSION: $T/v2.rotation:1:"
printf 'libincident-rotation 1\nname = mars\nzone = Mars/Base\nperson = ann\n' >"$T/mars.rotation"
expect 3 oncall who "$T/mars.rotation"
has err "INC_ENOTFOUND: $T/mars.rotation:3: time zone 'Mars/Base' not found in /usr/share/zoneinfo"
mkdir -p "$T/zoneinfo/Europe" && printf 'TZif2 damaged' >"$T/zoneinfo/Europe/Berlin"
export TZDIR="$T/zoneinfo"
expect 6 oncall who "$rot"
has err "INC_ECORRUPT"
has err "time zone 'Europe/Berlin'"
printf 'libincident-rotation 1\nname = ny\nzone = America/New_York\nperson = ann\n' >"$T/ny.rotation"
expect 3 --now 2026-03-15T12:00Z oncall check "$T/ny.rotation"
has err "time zone 'America/New_York' not found in $T/zoneinfo"
unset TZDIR

# ---- --rotation: escalation targets resolve to people (ONC-2) -------------------------------
# A fresh store: a Sev-2 paged through the payments rotation, on 2026-03-02
# after the 10:00 Berlin hand-off (dave primary, erin secondary).
R="--store=$T/rotating"
expect 0 "$R" --now 2026-03-02T09:05:00Z --by alice declare -q "Payments API errors" --sev Sev-2
expect 0 "$R" --now 2026-03-02T09:06:00Z --rotation "$rot" --by alice page api-errors on-call \
    --text "5xx on the payments API"
has out "page requested for on-call, on call now: dave as event"
expect 0 "$R" --json --now 2026-03-02T09:06:00Z --rotation "$rot" --by alice \
    page api-errors rotation:payments/secondary
has out '"on_call_now":"erin"'
# Without --rotation nobody is named; a missing or bad file is a usage error.
expect 0 "$R" --now 2026-03-02T09:07:00Z --by alice page api-errors on-call
lacks out "on call now"
expect 2 "$R" --rotation "$T/no-such.rotation" --by alice page api-errors on-call
has err "cannot read"
expect 2 "$R" --rotation= list
has err "--rotation: empty path"
printf 'libincident-rotation 1\nname = x\nzone = Nowhere/Special\n' >"$T/bad.rotation"
expect 3 "$R" --rotation "$T/bad.rotation" --by alice page api-errors on-call
has err "bad.rotation:3: time zone 'Nowhere/Special' not found"
# The due items name the people the escalation's targets resolve to.
expect 0 "$R" --now 2026-03-02T12:00:00Z --rotation "$rot" due api-errors
has out "page on-call,backup (ESC-1 step 1) (2h25m late) -> dave,erin"
expect 0 "$R" --json --now 2026-03-02T12:00:00Z --rotation "$rot" due api-errors
json
has out '"target":"on-call,backup"'
has out '"resolved":"dave,erin"'

# ---- issue 16: the record must be trustworthy (the smaller findings) --------------------
# count_in FILE TEXT: how many lines of FILE contain TEXT.
count_in() { grep -F -c -- "$2" "$1" || true; }
S16="$T/s16"
expect 0 --store "$S16" $(at 10:00) --by alice declare -q --sev Sev-3 --slug race "Race test"
race=$(cat "$T/out")

# NUL in text: stdin that would be cut at the NUL is refused, and nothing is stored.
printf 'abc\000def' >"$T/nul.txt"
expect 5 --store "$S16" --by alice note race - <"$T/nul.txt"
has err "NUL byte (at byte 3)"
has err "stdin"
expect 5 --store "$S16" --by alice can race -c @"$T/nul.txt" -a x -n y
has err "NUL byte"
expect 0 --store "$S16" timeline race
lacks out "abc"

# Impact start <= detection <= declaration (DEC-2, MET-1), and a clock that
# went backwards is reported by verify (exit 7, both event numbers) and audit.
expect 5 --store "$S16" $(at 10:00) --by alice declare "late detection" --sev Sev-3 \
    --detected 2026-11-23T10:01:00Z
has err "DEC-2"
has err "detected"
expect 5 --store "$S16" $(at 10:00) --by alice declare "odd impact" --sev Sev-3 \
    --impact-started 2026-11-23T09:50:00Z --detected 2026-11-23T09:40:00Z
has err "impact_started"
expect 0 --store "$S16" $(at 10:00) --by alice declare -q --sev Sev-3 --slug back "Clock test"
back=$(cat "$T/out")
expect 0 --store "$S16" verify "$back"
expect 0 --store "$S16" $(at 10:05) --by alice note "$back" "at five past"
expect 0 --store "$S16" $(at 10:03) --by bob note "$back" "at three past"
expect 7 --store "$S16" verify "$back"
has out "hash chain verified"
has err "event 3 (2026-11-23 10:03Z) is earlier than event 2 (2026-11-23 10:05Z)"
expect 7 --store "$S16" --json verify "$back"
json
has out '"clock_backwards":[{"seq":3,'
expect 0 --store "$S16" $(at 11:00) audit "$back"
has out "TL-1.clock-backwards"

# Refused commands create nothing: no store, no parent directory.
N16="$T/never/store"
expect 5 --store "$N16" --by alice note race - <"$T/nul.txt"
expect 5 --store "$N16" --by alice declare "bad level" --sev Sev-9
expect 5 --store "$N16" --by alice declare - --sev Sev-2 <"$T/nul.txt"
expect 3 --store "$N16" --by alice note race "a note for nobody"
expect 3 --store "$N16" --by alice sev race Sev-1 "worse"
expect 2 --store "$N16" --by alice state race nowhere
printf '{"format":"libincident.incident","version":1,"id":"x","events":[]}' >"$T/empty.json"
expect 5 --store "$N16" import "$T/empty.json"
test ! -e "$T/never" || { fails=$((fails + 1)); echo "FAIL: a refused command created $T/never"; }

# Exports are private like the store (0600), whatever the umask; an existing
# file that others could read is made private before the record goes in.
(umask 000 && "$INC" --store "$S16" export race -o "$T/x16.json") >/dev/null 2>&1
mode=$(ls -l "$T/x16.json" | cut -c1-10)
[ "$mode" = "-rw-------" ] || { fails=$((fails + 1)); echo "FAIL: export mode $mode (umask 000)"; }
: >"$T/y16.json" && chmod 644 "$T/y16.json"
expect 0 --store "$S16" export race -o "$T/y16.json"
mode=$(ls -l "$T/y16.json" | cut -c1-10)
[ "$mode" = "-rw-------" ] || { fails=$((fails + 1)); echo "FAIL: export over 0644: $mode"; }
expect 0 --store "$S16" export race -o /dev/null

# Two writers adding notes at once: a note that lost the race is reloaded and
# retried, so every one is recorded (2 x 100 notes).
notes() {
    k=1
    while [ "$k" -le 100 ]; do
        "$INC" --store "$S16" --by "$1" note race "note $1 $k" >/dev/null 2>>"$T/race-$1.err" ||
            echo "$k" >>"$T/race-$1.failed"
        k=$((k + 1))
    done
}
runs=$((runs + 1))
notes w1 &
p1=$!
notes w2 &
p2=$!
wait "$p1" "$p2"
for w in w1 w2; do
    if [ -s "$T/race-$w.failed" ]; then
        fails=$((fails + 1))
        echo "FAIL: $w: $(wc -l <"$T/race-$w.failed") notes refused"
        sed 's/^/    /' "$T/race-$w.err" | head -5
    fi
done
expect 0 --store "$S16" timeline race
n=$(count_in "$T/out" "Note: note w")
[ "$n" -eq 200 ] || { fails=$((fails + 1)); echo "FAIL: $n of 200 concurrent notes recorded"; }

# An IC decision that lost the race is not retried: it exits 4 and is not
# recorded; every decision that exits 0 is recorded exactly once.
notes w3 &
p3=$!
k=0
won=0
lost=0
level=Sev-3
: >"$T/sev.err"
while [ "$k" -lt 100 ] && kill -0 "$p3" 2>/dev/null; do
    k=$((k + 1))
    want=Sev-2
    [ "$level" = Sev-2 ] && want=Sev-3
    "$INC" --store "$S16" --by alice sev race "$want" "decision $k" >/dev/null 2>"$T/err1"
    case $? in
    0) won=$((won + 1)) && level=$want ;;
    4) lost=$((lost + 1)) && cat "$T/err1" >>"$T/sev.err" ;;
    *) fails=$((fails + 1)) && echo "FAIL: sev during notes:" && cat "$T/err1" ;;
    esac
done
wait "$p3"
runs=$((runs + 1))
expect 0 --store "$S16" timeline race
n=$(count_in "$T/out" ": decision ")
[ "$n" -eq "$won" ] || { fails=$((fails + 1)); echo "FAIL: $n severity events, $won decisions won"; }
echo "test_cli.sh: decisions during notes: $won recorded, $lost refused (INC_ECONFLICT)"
if [ "$lost" -gt 0 ]; then
    has_sev=$(count_in "$T/sev.err" "INC_ECONFLICT")
    [ "$has_sev" -eq "$lost" ] || { fails=$((fails + 1)); echo "FAIL: a lost decision without INC_ECONFLICT"; }
    [ "$(count_in "$T/sev.err" "retries")" -eq 0 ] ||
        { fails=$((fails + 1)); echo "FAIL: a decision was retried"; }
fi

# list reports each incident it cannot read, on stderr, and exits non-zero.
expect 0 --store "$S16" $(at 10:05) --by alice declare -q --sev Sev-3 --slug other "Other"
other=$(cat "$T/out")
printf 'this is not a journal file, not at all, not even a torn one........' \
    >"$S16/$other.jnl"
expect 6 --store "$S16" list
has out "$race"
has err "$other"
has err "1 incident in"
lacks out "no incidents"
expect 6 --store "$S16" --json list
json
has out '"unreadable":["'"$other"'"]'

# ---- the man page's transcript runs as written ----------------------------------------------
man1="$(dirname "$0")/incident.1"
awk '/^\.SH EXAMPLES/ { e = 1 } e && /^\.RS 2/ { on = 1; next } on && /^\.RE/ { exit } on' \
    "$man1" | sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e "s#/tmp/drill#$T/drill#" >"$T/transcript.sh"
runs=$((runs + 1))
if ! (cd "$T" && incident() { "$INC" "$@"; } && . "$T/transcript.sh") >"$T/out" 2>"$T/err"; then
    fails=$((fails + 1))
    echo "FAIL: the transcript of incident.1 did not finish"
    sed 's/^/    /' "$T/err"
fi
has out "2026-11-23-db-cpu: hash chain verified"
has err "INC_EROLE [ROLE-3]"
test -s "$T/postmortem.md" || { fails=$((fails + 1)); echo "FAIL: no postmortem.md"; }
# Its on-call example, run from the top of the source tree (where its path points).
awk '/^Who is on call, across/ { e = 1 } e && /^\.RS 2/ { on = 1; next } on && /^\.RE/ { exit } on' \
    "$man1" | sed -e 's/\\-/-/g' >"$T/oncall.sh"
runs=$((runs + 1))
if ! (cd "$(dirname "$0")/../.." && incident() { "$INC" "$@"; } && . "$T/oncall.sh") \
    >"$T/out" 2>"$T/err"; then
    fails=$((fails + 1))
    echo "FAIL: the on-call example of incident.1 did not finish"
    sed 's/^/    /' "$T/err"
fi
has out "primary    carol "
has out "Mon 2026-03-23 10:00 CET  -> Mon 2026-03-30 10:00 CEST 6d23h"
has out "healthy, no findings"
grep -A1 -x dave "$T/out" | grep -q -x erin || { fails=$((fails + 1)); echo "FAIL: -q in incident.1"; }

# ---- what the timeline shows cannot be forged by what it shows (TL-3) --------------------------
E="$T/escapes"
eid=$("$INC" --store "$E" $(at 17:00) --by alice declare "Escapes" --sev Sev-3 -q)
expect 0 --store "$E" $(at 17:01) --by alice note "$eid" "$(printf 'ok\rforged over')"
expect 0 --store "$E" $(at 17:01) --by alice note "$eid" "$(printf 'file \342\200\256txt.exe')"
expect 0 --store "$E" $(at 17:01) --by alice note "$eid" "$(printf 'one\n   9  2026-11-23 forged')"
expect 0 --store "$E" timeline "$eid"
has out 'Note: ok\x0dforged over'
has out 'Note: file \u202etxt.exe'
has out '    |    9  2026-11-23 forged'
lacks out "$(printf '\r')"
lacks out "$(printf '\342\200\256')"
expect 0 --store "$E" $(at 17:02) --by alice declare "$(printf 'Escapes \342\200\256gnp.exe')" --sev Sev-3
expect 0 --store "$E" list
has out 'Escapes \u202egnp.exe'
lacks out "$(printf '\342\200\256')"
expect 0 --store "$E" show escapes-gnp-exe
has out 'Escapes \u202egnp.exe'
lacks out "$(printf '\342\200\256')"
expect 3 --store "$E" timeline "$(printf 'bad\033[2Jid')"
has err 'bad\x1b[2Jid'
lacks err "$(printf '\033')"

# ---- kind at 3 AM (issue 20): words, times, colour, completion, one JSON envelope ---------------
K="$T/kind"
kid=$("$INC" --store "$K" $(at 03:10) --by alice declare "Slow checkout" --sev sev-2 -q)
[ -n "$kid" ] || { fails=$((fails + 1)); echo "FAIL: declare --sev sev-2 (any case)"; }
expect 0 --store "$K" $(at 03:11) --by alice sev checkout SEV-1 "customers failing"
has out "severity Sev-2 -> Sev-1"
# A wrong level, state, role or command: the valid values, and the closest one.
expect 5 --store "$K" --by alice sev checkout sev9 why
has err "unknown level 'sev9' (levels: Sev-0, Sev-1, Sev-2, Sev-3, Sev-4)"
expect 5 --store "$K" --by alice sev checkout Sevv-1 why
has err "did you mean 'Sev-1'?"
expect 2 --store "$K" --by alice state checkout mitigatign
has err "unknown state 'mitigatign': did you mean 'mitigating'?"
has err "states: declared, investigating, mitigating, monitoring, resolved, closed"
expect 0 --store "$K" $(at 03:12) --by alice state checkout INVESTIGATING
expect 2 --store "$K" list --state resolvd
has err "did you mean 'resolved'?"
expect 2 --store "$K" --by alice assign checkout bob scrib
has err "unknown role 'scrib': did you mean 'scribe'?"
has err "roles: ic, deputy, scribe"
expect 2 --store "$K" lsit
has err "unknown command 'lsit': did you mean 'list'?"
expect 2 --store "$K" frobnicate
lacks err "did you mean"
expect 2 help declar
has err "did you mean 'declare'?"
expect 2 --color=sometimes list
has err "unknown --color mode 'sometimes'"
# Messages in the command line's words, not the C API's.
expect 5 --store "$K" --by alice action checkout add "tune the pool" --owner team-db \
    --priority P2 --in 1d
has err "give --override with the reason"
has err "--owner: 'team-db'"
lacks err "owner_override"
expect 5 --store "$K" --by alice handoff checkout bob
has err "--conditions, --actions: a hand-off carries a CAN briefing"
expect 5 --store "$K" --by alice note checkout ""
has err "the note's text: must not be empty"
# decide takes its note as trailing text, as sev and state do.
expect 0 --store "$K" $(at 03:13) --by bob decide checkout --ask "roll back the deploy?"
expect 0 --store "$K" $(at 03:14) --by alice decide checkout 1 approve "go, and" "watch errors"
has out "approved by alice at 2026-11-23 03:14Z: go, and watch errors"
expect 2 --store "$K" --by alice decide checkout 1 approve "x" --note y
expect 2 --store "$K" --by alice decide checkout 1 aprove
has err "did you mean 'approve'?"
# A date alone: the end of the day for a deadline (in --tz), the start for --now.
expect 0 --store "$K" --json $(at 03:15) --by alice action checkout add "add an alert" --owner lee \
    --priority P2 --due 2026-12-31
has out '"due":"2026-12-31T23:59:59.999Z"'
expect 0 --store "$K" --json --tz Europe/Paris $(at 03:15) --by alice action checkout add \
    "write the runbook" --owner lee --priority P3 --due 2026-12-31
has out '"due":"2026-12-31T22:59:59.999Z"'
expect 0 --store "$K" --json --now 2026-11-24 list
expect 2 --store "$K" --by alice action checkout add x --owner lee --priority P2 --due 2026-02-30
has err "is not an ISO 8601 UTC time"
# Times for people: short, in --tz; JSON stays UTC.
expect 0 --store "$K" show checkout
has out "declared      2026-11-23 03:10Z by alice"
expect 0 --store "$K" --tz Asia/Kolkata show checkout
has out "declared      2026-11-23 08:40+05:30 by alice"
expect 0 --store "$K" --tz Asia/Kolkata --json show checkout
has out '"declared_at":"2026-11-23T03:10:00.000Z"'
expect 2 --store "$K" --tz Mars/Olympus show checkout
has err "unknown time zone 'Mars/Olympus'"
expect 0 --store "$K" --tz America/New_York timeline checkout
has out "2026-11-22 (-05:00)"
has out "  22:10  T+0s"
lacks out "2026-11-23T03:10:00.000Z"
# Wrapped to $COLUMNS; a pipe without COLUMNS is not wrapped.
long="the replica lag grew to three seconds while the pool saturated and checkout retries doubled"
expect 0 --store "$K" $(at 03:16) --by alice note checkout "$long"
expect 0 --store "$K" timeline checkout
has out "$long"
COLUMNS=60 "$INC" --store "$K" timeline checkout >"$T/out" 2>&1
if awk 'length($0) > 60 && $0 !~ /^Timeline of/' "$T/out" | grep -q .; then
    fails=$((fails + 1))
    echo "FAIL: timeline lines over COLUMNS=60:"
    sed 's/^/    /' "$T/out"
fi
lacks out "$long"
tr -s ' \n' '  ' <"$T/out" >"$T/joined"
grep -q -F "$long" "$T/joined" || { fails=$((fails + 1)); echo "FAIL: the wrapped note lost words"; }
# list, show, due, audit and postmortem wrap too, with a hanging indent;
# a line over the width is only one word too long to break.
W="$T/wrap"
longtitle="the checkout service returns errors for a third of the requests while the replica lag grows"
expect 0 --store "$W" --now 2026-11-23T03:10:00Z --by alice declare -q --sev Sev-2 --slug wrap \
    "$longtitle"
for args in "list" "show wrap" "--now 2026-11-23T05:00:00Z due wrap" "audit wrap" "postmortem wrap" \
    "postmortem wrap --text"; do
    # shellcheck disable=SC2086 # $args is several words
    COLUMNS=60 "$INC" --store "$W" $args >"$T/out" 2>"$T/err" || {
        fails=$((fails + 1))
        echo "FAIL: COLUMNS=60 incident $args exited $?"
    }
    # Markdown table rows ("| ...") keep their lines.
    if awk 'length($0) > 60 && $0 ~ /[^ ] +[^ ]/ && $0 !~ /^\|/' "$T/out" | grep -q .; then
        fails=$((fails + 1))
        echo "FAIL: incident $args: lines over COLUMNS=60:"
        awk 'length($0) > 60' "$T/out" | sed 's/^/    /'
    fi
    tr -s ' \n' '  ' <"$T/out" >"$T/joined"
    case $args in
    list | show* | audit* | postmortem*)
        grep -q -F "$longtitle" "$T/joined" || {
            fails=$((fails + 1))
            echo "FAIL: incident $args: the wrapped title lost words"
        }
        grep -v '^|' "$T/out" | grep -q -F "$longtitle" && {
            fails=$((fails + 1))
            echo "FAIL: incident $args: the title is not wrapped"
        }
        ;;
    esac
done
grep -q '^    ' "$T/out" || { fails=$((fails + 1)); echo "FAIL: no hanging indent in the wrapped postmortem"; }
expect 0 --store "$W" list
has out "$longtitle"
expect 0 --store "$W" show wrap
has out "$longtitle"
expect 0 --store "$W" audit wrap
has out "$longtitle"
expect 0 --store "$W" postmortem wrap --text
has out "$longtitle"
expect 0 --store "$W" --now 2026-11-23T05:00:00Z due wrap
has out "has no Scribe 5m after declaration (ROLE-12) (1h45m late)"
# @@ is a literal @ for options that read @FILE.
expect 0 --store "$K" $(at 03:17) --by alice can checkout -c "@@oncall paged" -a "failover" \
    -n "@@db-team to confirm"
expect 0 --store "$K" --json timeline checkout
has out "C: @oncall paged A: failover N: @db-team to confirm"
expect 2 --store "$K" --by alice can checkout -c "@$T/missing-file" -a x -n y
# Colour: never in a pipe unless asked; NO_COLOR wins over auto; never wins over always.
ESC=$(printf '\033')
expect 1 --store "$K" --by bob sev checkout Sev-2 why
lacks err "$ESC"
expect 1 --store "$K" --color=always --by bob sev checkout Sev-2 why
has err "${ESC}[1;31mINC_EPERM${ESC}[0m"
NO_COLOR=1 "$INC" --store "$K" --color=auto --by bob sev checkout Sev-2 why 2>"$T/err"
lacks err "$ESC"
expect 1 --store "$K" --color=never --by bob sev checkout Sev-2 why
lacks err "$ESC"
# Completion: the scripts, and the candidates they ask for.
for sh in bash zsh fish; do
    expect 0 completion "$sh"
    has out "completion --complete"
done
expect 2 completion tcsh
expect 0 completion --complete 1 -- incident
has out "declare"
has out "completion"
expect 0 --store "$K" completion --complete 2 -- incident timeline
has out "$kid"
expect 0 completion --complete 5 -- incident --store "$K" sev checkout
has out "Sev-1"
expect 0 completion --complete 3 -- incident state checkout
has out "mitigating"
expect 0 completion --complete 4 -- incident assign checkout bob
has out "scribe"
expect 0 completion --complete 2 -- incident declare --
has out "--sev"
has out "--json"
expect 0 completion --complete 3 -- incident declare --sev
has out "Sev-4"
expect 0 completion --complete 2 -- incident list --
has out "--no-drills"
has out "--field"
expect 0 completion --complete 3 -- incident list --sort
has out "declared"
expect 0 completion --complete 3 -- incident list --level
has out "Sev-2"
if command -v bash >/dev/null 2>&1; then
    # Drive the bash function as bash would: COMP_WORDS, COMP_CWORD, compgen.
    "$INC" completion bash >"$T/complete.bash"
    PATH="$(dirname "$INC"):$PATH" INCIDENT_STORE="$K" bash -c '
        . "$1"
        COMP_WORDS=(incident ti); COMP_CWORD=1; _incident; echo "1:${COMPREPLY[*]}"
        COMP_WORDS=(incident sev chec "Sev-"); COMP_CWORD=3; _incident; echo "2:${COMPREPLY[*]}"
        COMP_WORDS=(incident assign checkout bob sc); COMP_CWORD=4; _incident; echo "3:${COMPREPLY[*]}"
        COMP_WORDS=(incident show ""); COMP_CWORD=2; _incident; echo "4:${COMPREPLY[*]}"
        complete -p incident' sh "$T/complete.bash" >"$T/out" 2>"$T/err"
    has out "1:timeline"
    has out "2:Sev-0 Sev-1 Sev-2 Sev-3 Sev-4"
    has out "3:scribe"
    has out "4:$kid"
    has out "complete -o default -F _incident incident"
fi
if command -v fish >/dev/null 2>&1; then
    PATH="$(dirname "$INC"):$PATH" INCIDENT_STORE="$K" fish -c '
        incident completion fish | source
        complete -C "incident sta"; complete -C "incident state checkout mon"
        complete -C "incident show 2026"' >"$T/out" 2>"$T/err"
    has out "state"
    has out "monitoring"
    has out "$kid"
fi
# One envelope: every --json document is {"ok":...,"command":...}.
envelope() {
    runs=$((runs + 1))
    "$INC" --store "$K" --json "$@" >"$T/out" 2>"$T/err"
    [ -n "$PY" ] || return 0
    if ! "$PY" -c 'import json,sys
d = json.load(sys.stdin)
assert isinstance(d, dict) and isinstance(d.get("ok"), bool), d
assert isinstance(d.get("command"), str) or (d["ok"] is False and d["command"] is None), d
assert d["ok"] or isinstance(d.get("message"), str) and isinstance(d.get("exit"), int), d
' <"$T/out" 2>"$T/err"; then
        fails=$((fails + 1))
        echo "FAIL: incident --json $*: not the envelope"
        sed 's/^/    /' "$T/out" "$T/err" | head -5
    fi
}
envelope --version
envelope list
envelope show checkout
envelope timeline checkout
envelope verify checkout
envelope export checkout
envelope audit checkout
envelope metrics
envelope action list
envelope action checkout
envelope roles checkout
envelope decide checkout
envelope due checkout
envelope cadence checkout
envelope postmortem checkout
envelope sev checkout Sev-9 why
envelope lint can -c x -a y -n z
envelope lint update all good
envelope postmortem checkout lint
envelope roles checkout --check
envelope oncall who "$(dirname "$0")/../rotations/payments.rotation"
envelope page checkout
envelope frobnicate
has out '"ok":false,"command":null,"status":"usage"'
envelope --version
has out '"ok":true,"command":"version"'
envelope --version
has out '"version":'
envelope audit checkout
has out '"command":"audit","id":"'"$kid"'","audit":{'
# ---- LIFE-4: reopening a resolved incident -------------------------------------------------------
R="$T/reopen"
expect 0 --store "$R" $(at 10:00) --by alice declare -q "Checkout failing again" --sev Sev-2
rid=$(cat "$T/out")
for st in investigating mitigating monitoring; do
    expect 0 --store "$R" $(at 10:10) --by alice state "$rid" $st
done
expect 0 --store "$R" $(at 10:30) --by alice state "$rid" resolved "orders succeed end to end"
expect 1 --store "$R" $(at 11:00) --by bob reopen "$rid" investigating "errors are back"
has err "only the Incident Commander (alice)"
expect 2 --store "$R" $(at 11:00) --by alice reopen "$rid" monitoring "errors are back"
has err "investigating or mitigating"
expect 2 --store "$R" $(at 11:00) --by alice reopen "$rid" investigating
expect 0 --store "$R" $(at 11:00) --by alice reopen "$rid" mitigating "errors are back after the cache expired"
has out "reopened, resolved -> mitigating"
expect 1 --store "$R" $(at 11:01) --by alice reopen "$rid" mitigating "again"
has err "only a resolved incident"
expect 0 --store "$R" show "$rid"
has out "state         mitigating"
has out "reopened      2026-11-23 11:00Z (1 time, LIFE-4)"
expect 0 --store "$R" --json show "$rid"
json
has out '"reopen_count":1'
expect 0 --store "$R" timeline "$rid"
has out "Reopened: resolved -> mitigating: errors are back after the cache expired"
expect 0 --store "$R" $(at 12:00) audit "$rid"
has out "reopened 30m after the all-clear (LIFE-4)"
expect 0 --store "$R" $(at 12:00) metrics
has out "Reopened after resolution (LIFE-4): 100.0% (1 of 1 resolved incidents; 1 reopenings)"
expect 0 --store "$R" $(at 12:00) --by a declare -q "Typo" --sev Sev-4
tid=$(cat "$T/out")
for st in investigating mitigating monitoring; do
    expect 0 --store "$R" $(at 12:01) --by a state "$tid" $st
done
expect 0 --store "$R" $(at 12:02) --by a state "$tid" resolved "fixed"
expect 0 --store "$R" $(at 12:02) --by a state "$tid" closed
expect 1 --store "$R" $(at 12:03) --by a reopen "$tid" investigating "it is back"
has err "never reopened"
has err "recurrence"

# ---- LIFE-5: links between incidents ----------------------------------------------------------
expect 0 --store "$R" $(at 13:00) --by bob declare -q "EU payments erroring" --sev Sev-2
did=$(cat "$T/out")
expect 2 --store "$R" $(at 13:01) --by bob link "$did" parent-of "$rid"
expect 5 --store "$R" $(at 13:01) --by bob link "$did" duplicate-of "$did"
has err "itself"
expect 1 --store "$R" $(at 13:01) --by alice link "$did" duplicate-of "$rid"
has err "only the Incident Commander (bob)"
expect 3 --store "$R" $(at 13:01) --by bob link "$did" related 2026-01-01-nothing
expect 1 --store "$R" $(at 13:01) --by bob link "$did" recurrence-of "$rid"
has err "not closed"
expect 0 --store "$R" $(at 13:01) --by bob link "$did" recurrence-of "$tid" "same typo"
has out "recurrence_of $tid: same typo"
expect 0 --store "$R" $(at 13:02) --by bob link "$did" duplicate-of "$rid" same outage
has out "pages and changes for it go to $rid"
expect 5 --store "$R" $(at 13:03) --by alice link "$rid" duplicate-of "$did"
has err "cycle of duplicates"
expect 0 --store "$R" show "$did"
has out "state         closed"
has out "duplicate_of   $rid"
has out "recurrence_of  $tid"
expect 0 --store "$R" --json show "$did"
json
has out '"duplicate_of":"'"$rid"'"'
expect 0 --store "$R" $(at 13:04) --by pager page "$did" on-call
has err "is a duplicate of $rid (LIFE-5)"
has out "$rid: page requested for on-call"
expect 0 --store "$R" $(at 13:05) metrics
has out "1 duplicates counted with their primary (LIFE-5)"
expect 0 --store "$R" export "$did"
has out '"kind":"linked"'
# ---- alerts in, changes out (ALERT-1..ALERT-3, the feed) ----------------------------------
A="$T/alerts"
mkdir -p "$A"
printf 'libincident-routing 1\nrule = checkout-page\n  match = alertname=CheckoutDown\n  level = Sev-1\n  title = "{{alertname}}: {{summary}}"\n  slug = checkout\n  rotation = checkout-primary\n  group_window = 30m\n' >"$A/routes.txt"
printf 'libincident-rotation 1\nname = checkout-primary\nzone = UTC\nperiod = weekly\nstart = 2026-01-05\nhandoff = monday 10:00\nrole = none\nperson = pat\n' >"$A/checkout.rotation"
am() { printf '{"version":"4","alerts":[{"status":"%s","fingerprint":"f1","labels":{"alertname":"CheckoutDown","service":"checkout"},"annotations":{"summary":"5xx above 5%%"}}]}' "$1"; }
am firing >"$A/firing.json"
am resolved >"$A/resolved.json"
S="--store=$A/store"
R="--rotation=$A/checkout.rotation"
expect 2 "$S" alert
has err "--routing FILE is required"
runs=$((runs + 1))
"$INC" "$S" "$R" $(at 18:00) alert --routing "$A/routes.txt" <"$A/firing.json" >"$T/out" 2>"$T/err" ||
    { fails=$((fails + 1)); echo "FAIL: alert from stdin"; }
has out "alerts 1: declared 1, attached 1, recorded 1, paged 1"
has out "incident 2026-11-23-checkout"
# A repeat inside the window writes nothing (ALERT-1: the storm bound).
expect 0 "$S" "$R" $(at 18:01) alert -r "$A/routes.txt" "$A/firing.json"
has out "declared 0, attached 1, recorded 0"
expect 0 "$S" "$R" --json $(at 18:02) alert -r "$A/routes.txt" "$A/firing.json" --flush
json
has out '"recorded":0'
expect 0 "$S" "$R" $(at 18:03) alert -r "$A/routes.txt" "$A/resolved.json"
has out "recorded 1"
expect 0 "$S" $(at 18:03) due 2026-11-23-checkout
has out "its alerts resolved; the IC considers resolving (ALERT-3)"
expect 0 "$S" show 2026-11-23-checkout
has out "  state         declared"
expect 2 "$S" "$R" alert -r "$A/routes.txt" "$A/nope.json"
has err "cannot read"
printf '{"version":"3","alerts":[]}' >"$A/v3.json"
expect 5 "$S" "$R" alert -r "$A/routes.txt" "$A/v3.json"
has err 'version "4"'
printf 'libincident-routing 1\nrule = a\n  level = Sev-9\n  rotation = x\n' >"$A/bad-routes.txt"
expect 5 "$S" alert -r "$A/bad-routes.txt" "$A/firing.json"
has err "bad-routes.txt: line 3"
# The feed: every event, then nothing new from the printed cursor.
expect 0 "$S" feed
has out "2026-11-23-checkout #1 "
has out "Alert f1 firing (1 time"
has out "cursor: libincident-feed 1 2026-11-23-checkout="
cursor=$(sed -n 's/^cursor: //p' "$T/out")
expect 0 "$S" feed --since "$cursor"
lacks out "#1 "
has out "cursor: $cursor"
expect 0 "$S" --json feed --max 1
json
has out '"seq":1'
expect 5 "$S" feed --since nonsense
has err "feed cursor"
expect 2 "$S" feed --max x
# The feed as PagerDuty Events v2 bodies (ESC-2, ALERT-1): the routed page
# triggers, the acknowledgement acknowledges it under the same dedup_key.
PD=R0UT1NGKEY0123456789abcdefABCDEF
expect 0 "$S" feed --pagerduty "$PD" --incident-url 'https://ops.example.com/i/{id}'
has out '"event_action":"trigger","dedup_key":"2026-11-23-checkout/page/'
has out '"client_url":"https://ops.example.com/i/2026-11-23-checkout"'
lacks out '"event_action":"acknowledge"'
pdcursor=$(sed -n 's/^cursor: //p' "$T/out")
expect 0 "$S" --by pat $(at 18:05) ack 2026-11-23-checkout
expect 0 "$S" feed --pagerduty "$PD" --since "$pdcursor"
has out '{"routing_key":"R0UT1NGKEY0123456789abcdefABCDEF","event_action":"acknowledge","dedup_key":"2026-11-23-checkout/page/'
lacks out '"trigger"'
if [ -n "$PY" ]; then # every line but the cursor is one JSON document
    runs=$((runs + 1))
    grep -v '^cursor: ' "$T/out" | "$PY" -c 'import json,sys; [json.loads(l) for l in sys.stdin]' ||
        { fails=$((fails + 1)); echo "FAIL: feed --pagerduty lines are not JSON"; }
fi
expect 0 "$S" --json feed --pagerduty "$PD" --max 2
json
has out '"pagerduty":[]'
expect 2 "$S" feed --pagerduty "${PD%?}"
has err "32 letters and digits"
expect 2 "$S" feed --incident-url https://x/
has err "--incident-url goes with --pagerduty"

# ---- RUB-6: custom fields -----------------------------------------------------------------------
F="$T/fields"
cat > "$T/fields.rubric" <<'RUBRIC'
libincident-rubric 1
name = team
field = tickets number
field = region one-of eu,us,apac required-to-close
level = SEV1
level = SEV2
RUBRIC
printf 'libincident-rubric 1\nname = team\nfield = region maybe\nlevel = SEV1\n' > "$T/bad.rubric"
expect 5 --store "$F" --rubric "$T/bad.rubric" $(at 10:00) --by alice declare -q "X" --sev SEV1
has err "line 3: field 'region': 'maybe' is not a type"
expect 0 --store "$F" --rubric "$T/fields.rubric" $(at 10:00) --by alice declare -q "Checkout" --sev SEV2
fid=$(cat "$T/out")
expect 5 --store "$F" $(at 10:01) --by alice field "$fid" region mars
has err "'mars' is not one of the listed values: eu,us,apac"
expect 5 --store "$F" $(at 10:01) --by alice field "$fid" tickets many
has err "is not an integer"
expect 3 --store "$F" $(at 10:01) --by alice field "$fid" nope x
has err "does not declare it"
expect 1 --store "$F" $(at 10:01) --by bob field "$fid" tickets 3
expect 0 --store "$F" $(at 10:01) --by alice field "$fid" tickets 3
has out "$fid: tickets = 3"
expect 0 --store "$F" show "$fid"
has out "Fields (RUB-6):"
has out "tickets        3"
has out "region         -"
expect 0 --store "$F" --json show "$fid"
json
has out '"fields":{"tickets":"3","region":null}'
for st in investigating mitigating monitoring; do
    expect 0 --store "$F" $(at 10:10) --by alice state "$fid" $st
done
expect 0 --store "$F" $(at 10:30) --by alice state "$fid" resolved "orders succeed"
expect 5 --store "$F" $(at 10:31) --by alice state "$fid" closed
has err "set the required fields before closing: region (RUB-6)"
expect 0 --store "$F" $(at 10:31) --by alice field "$fid" region eu
expect 0 --store "$F" $(at 10:32) --by alice state "$fid" closed
expect 0 --store "$F" timeline "$fid"
has out "Field region set to eu"
# list --field (RUB-6): checked against the rubric in force (--rubric)
expect 0 --store "$F" --rubric "$T/fields.rubric" list --field region=eu --state closed
has out "$fid"
expect 0 --store "$F" --rubric "$T/fields.rubric" list --field region=us
has out "no incidents match"
expect 0 --store "$F" --rubric "$T/fields.rubric" list --field tickets=3 --level sev2
has out "$fid"
expect 3 --store "$F" --rubric "$T/fields.rubric" list --field nope=x
has err "does not declare it"
expect 3 --store "$F" list --field region=eu
has err "does not declare it"
expect 2 --store "$F" list --field region
has err "is not NAME=VALUE"

echo "test_cli.sh: $runs runs, $fails failures"
[ "$fails" -eq 0 ]
