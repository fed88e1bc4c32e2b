/* incident(1): the help texts (`incident --help`, `incident CMD --help`).
 * incident.1 says the same at more length; keep them in step. */
#include "cli.h"

#include <string.h>

static const char global_help[] =
    "usage: incident [global options] COMMAND [ARGS] [--help]\n"
    "\n"
    "Run an incident by the Incident Command System from the shell: declare it,\n"
    "staff it, report, update, escalate and resolve it. Every change is an event\n"
    "on the incident's timeline of record, kept in a journal store.\n"
    "\n"
    "Global options (before or after the command):\n"
    "  --store DIR       the journal directory (default: $INCIDENT_STORE, else\n"
    "                    $XDG_DATA_HOME/libincident, else ~/.local/share/libincident;\n"
    "                    created with mode 0700 by the first declare or import;\n"
    "                    a refused command creates nothing); or a database,\n"
    "                    postgresql://USER:PASSWORD@HOST/DB (when built with\n"
    "                    libincident-pg; shared by several hosts)\n"
    "  --allow-shared-store  use a store writable by other users or owned by\n"
    "                    another (refused by default: they could forge incidents)\n"
    "  --rubric FILE     the severity rubric for new incidents (text format,\n"
    "                    lib/docs/rubric-format.md; default: the built-in Sev-0..Sev-4)\n"
    "  --policy P        strict: refuse role assignments a rule forbids;\n"
    "                    advisory (default): record them and report the finding\n"
    "  --json            print one JSON document on stdout (errors too)\n"
    "  --now TIME        use TIME (ISO 8601 UTC, 2026-11-23T14:32:00Z) as the clock\n"
    "  --tz ZONE         show times in ZONE (Europe/Paris, UTC; default: local, from\n"
    "                    TZ) and read a date alone in it; --json stays UTC\n"
    "  --color WHEN      auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                    always or never\n"
    "  --by NAME         who is acting (default: your login name)\n"
    "  --rotation FILE   an on-call rotation file (repeatable): escalation targets\n"
    "                    rotation:NAME/primary, on-call and backup (through the\n"
    "                    first) resolve to people in due and page (ONC-2)\n"
    "  --version, --help\n"
    "\n"
    "Incidents:\n"
    "  declare TITLE --sev LEVEL   declare an incident; the declarer is IC\n"
    "  list                        the incidents of the store\n"
    "  show ID                     one incident: severity, state, roles, updates due\n"
    "  sev ID LEVEL WHY            change severity, with its justification (IC only)\n"
    "  state ID STATE [TEXT]       move the lifecycle (IC only); resolving needs TEXT\n"
    "  reopen ID STATE WHY         reopen a resolved incident (IC only, LIFE-4)\n"
    "  field ID NAME VALUE         set a custom field of the rubric (IC only, RUB-6)\n"
    "  link ID KIND OTHER [WHY]    duplicate-of, related, recurrence-of (IC only, LIFE-5)\n"
    "  note ID TEXT                add a note (anyone); --corrects SEQ for a correction\n"
    "  timeline ID                 the timeline of record\n"
    "  verify ID [--head SEQ:HASH] check the timeline's hash chain; prove 1..SEQ (TL-5)\n"
    "  export ID, import FILE      the incident as a JSON document\n"
    "Roles:\n"
    "  assign ID PERSON ROLE       give a role (IC only); --domain for an SME\n"
    "  release ID PERSON ROLE      take a role back\n"
    "  roles ID                    who holds what, and the role findings\n"
    "  handoff ID TO -c -a -n      start an IC hand-off with a CAN briefing\n"
    "  confirm ID                  the incoming IC takes command\n"
    "Reports and updates:\n"
    "  can ID -c C -a A -n N       record a CAN report (Conditions, Actions, Needs)\n"
    "  lint can|update|postmortem  lint a draft: CAN report, external update, blame words\n"
    "  update ID AUDIENCE TEXT     post an update: external, internal or response\n"
    "  cadence ID [AUDIENCE DUR]   the update cadences; the IC changes them\n"
    "  decide ID [N approve|deny]  the decisions asked of the IC\n"
    "Escalation and clocks:\n"
    "  due [ID]                    what is due: pages, escalations, heartbeats, clocks\n"
    "  page ID TARGET              record a page; ack ID acknowledges\n"
    "  clock ID start|stop NAME    regulatory deadline clocks\n"
    "  bridge ID WHERE             record that the bridge (war room) is open\n"
    "After the incident:\n"
    "  postmortem ID [set|tag|status|lint]  the postmortem, rendered from the timeline\n"
    "  action ID [add|done|cancel|...]      action items; action list for all of them\n"
    "  audit ID                    the response's scorecard: first ten minutes, antipatterns\n"
    "  metrics [--from T] [--to T] MTTD, MTTA, MTTM, MTTR, action items, recurrence\n"
    "On call (ROTATION is a rotation file, lib/docs/rotation-format.md):\n"
    "  oncall who ROTATION         who is on call now (--at TIME), primary and secondary\n"
    "  oncall shifts ROTATION      the shifts from --from to --to, in local time\n"
    "  oncall check ROTATION       rotation health (ONC-3); --incidents: rest, pages\n"
    "Shell:\n"
    "  completion bash|zsh|fish    print a completion script\n"
    "Sealing (TL-5):\n"
    "  seal setup                  set sealing up; prints the verification key once\n"
    "  seal                        seal every incident's head now; evolve the key\n"
    "  seal verify --key KEY       check the seals and the store with the verification key\n"
    "Alerts in, changes out:\n"
    "  alert --routing FILE [DOC]  take an Alertmanager or PagerDuty document (stdin)\n"
    "  feed [--since CURSOR]       the events written since CURSOR, and the new cursor\n"
    "\n"
    "Environment: INCIDENT_STORE (the store), INCIDENT_SYNC (every, the default:\n"
    "each change is on disk when the command returns; group; none), TZDIR (time\n"
    "zone files; default /usr/share/zoneinfo).\n"
    "\n"
    "ID is an incident id or a unique ending of one (\"db-cpu\" for\n"
    "\"2026-11-23-db-cpu\"). TEXT may be several words, or - to read stdin; -c/-a/-n\n"
    "values of the form @FILE are read from FILE (@@TEXT is the text @TEXT). Text\n"
    "read from stdin or a file must not hold a NUL byte (exit 5). Levels, roles and\n"
    "states are read in any case (sev-1 is Sev-1). A TIME may be a date alone\n"
    "(2026-12-31, in --tz): the end of that day for --due, --deadline, --to and\n"
    "--next, its start elsewhere. Human output: times as 2026-12-06 03:10Z, lines\n"
    "wrapped to $COLUMNS or the terminal's width (not wrapped in a pipe).\n"
    "\n"
    "Exit status:\n"
    "  0  done\n"
    "  1  refused by a rule, the IC's authority or the lifecycle (INC_EPERM,\n"
    "     INC_EROLE, INC_ESTATE); stderr names the status, the rule and why\n"
    "  2  bad command line (unknown option, missing argument, malformed time)\n"
    "  3  not found: no such incident, role holder, decision, page, clock, time\n"
    "     zone, or nobody on call at that time\n"
    "  4  conflict: it exists already, or another writer came first; note, can and\n"
    "     update retry that themselves (reload, up to 10 times), an IC decision\n"
    "     (sev, state, roles, hand-off, decide) never: look again, then repeat\n"
    "  5  the library refused a value (unknown level, empty justification, text\n"
    "     with a NUL byte, times out of order, a malformed rotation file:\n"
    "     FILE:LINE: says where)\n"
    "  6  store or system failure (I/O, permissions, corrupt data, memory; list:\n"
    "     an incident that cannot be read, named on stderr)\n"
    "  7  lint, postmortem lint, roles --check or oncall check found problems;\n"
    "     verify: the chain is intact but event times go backwards\n"
    "\n"
    "See incident(1) (man ./examples/cli/incident.1) and `incident COMMAND --help`.\n";

static const struct {
    const char *name;
    const char *text;
} helps[] = {
    {"declare", "usage: incident declare TITLE... --sev LEVEL [options]\n"
                "Declare an incident (DEC-1..DEC-4). Anyone may; the declarer (--by) is IC\n"
                "until a confirmed hand-off. The rubric in force (--rubric) is recorded with it.\n"
                "  -s, --sev LEVEL          a level of the rubric, such as Sev-1 (required)\n"
                "  --criteria LIST          comma-separated: customer-visible, internal-blocked,\n"
                "                           security, data-loss, regulatory, unknown\n"
                "  --impact-started TIME    when impact began (ISO 8601 UTC)\n"
                "  --detected TIME          when it was detected; impact start <= detection\n"
                "                           <= now (the declaration) or exit 5 (DEC-2)\n"
                "  --drill                  a Game Day drill, kept out of production metrics\n"
                "  --slug WORDS             the channel name's description (default: the title)\n"
                "  -q, --quiet              print only the incident id (for scripts)\n"},
    {"list", "usage: incident list [filters] [--sort KEY] [--reverse] [--limit N]\n"
             "List the incidents of the store: id, severity, state, IC, title, by id. One\n"
             "read of the store (its summary cache when warm). Every filter given must hold.\n"
             "An incident that cannot be read is named on stderr (and under \"unreadable\"\n"
             "with --json) and the exit status is 6.\n"
             "  --open                   only incidents not yet resolved\n"
             "  --state STATE[,STATE]    only incidents in these states\n"
             "  --level LEVEL            only this level of the rubric in force (--rubric)\n"
             "  --drill, --no-drills     only drills, or no drills (DEC-4)\n"
             "  --since TIME             declared at or after TIME\n"
             "  --until TIME             declared before TIME (a date: up to its end)\n"
             "  --role ROLE=PERSON       PERSON holds ROLE now (ic=alice, scribe=bob)\n"
             "  --holder PERSON          PERSON holds any role now\n"
             "  --field NAME=VALUE       custom field NAME was last set to VALUE (RUB-6); a\n"
             "                           field the rubric in force does not declare: exit 3\n"
             "  --title TEXT             the title contains TEXT (case ignored)\n"
             "  --sort KEY               id (default), declared, level (most severe first),\n"
             "                           state, title\n"
             "  --reverse                the sort reversed\n"
             "  --limit N                at most N (the first after sorting)\n"},
    {"show", "usage: incident show ID\n"
             "Show an incident: severity, state, IC, times, roles, update cadences,\n"
             "pending decisions and deadline clocks.\n"},
    {"sev", "usage: incident sev ID LEVEL JUSTIFICATION...\n"
            "Change the severity. Only the IC may (AUTH-1), and only with a\n"
            "justification, which is recorded with the change (AUTH-2). Prints what the\n"
            "new level's role rules report.\n"},
    {"state", "usage: incident state ID STATE [TEXT...]\n"
              "Move the lifecycle one step (LIFE-1): declared, investigating, mitigating,\n"
              "monitoring (the mitigation), resolved (needs TEXT: how the fix was verified,\n"
              "LIFE-2), closed; or back from monitoring to mitigating. IC only.\n"},
    {"reopen", "usage: incident reopen ID investigating|mitigating JUSTIFICATION...\n"
               "Reopen a resolved incident (LIFE-4): the all-clear came too early. IC only,\n"
               "with a justification. The escalation ladder, the acknowledgement and the\n"
               "update cadences start again; the audit reports the reopening (AUD-2) and\n"
               "MTTR counts to the final resolution. A closed incident is never reopened:\n"
               "declare a new one as its recurrence.\n"},
    {"field", "usage: incident field ID NAME VALUE\n"
              "Set a custom field the incident's rubric declares (RUB-6); IC only. The value\n"
              "must fit the field's type: text (one line), number (an integer), one-of (a\n"
              "listed value), date (YYYY-MM-DD) or person. Closing is refused while a field\n"
              "required to close is not set. show lists the fields.\n"},
    {"link", "usage: incident link ID duplicate-of|related|recurrence-of OTHER [WHY...]\n"
             "Link an incident to another of the store (LIFE-5); IC only. duplicate-of closes\n"
             "ID with a pointer to OTHER, the primary: its due items stop, 'incident page ID'\n"
             "pages the primary, and the metrics count the pair once. A duplicate of itself\n"
             "or a cycle of duplicates is refused. recurrence-of needs OTHER closed and feeds\n"
             "the recurrence rate (MET-1). show lists the links.\n"},
    {"note", "usage: incident note ID TEXT... [--corrects SEQ]\n"
             "Add a note to the timeline; anyone may. With --corrects SEQ the note is a\n"
             "correction of event SEQ: nothing is ever deleted (LIFE-3). When another\n"
             "writer came first, the note is retried (reload, up to 10 times).\n"},
    {"timeline", "usage: incident timeline ID\n"
                 "Print the timeline of record: sequence, UTC time, T+offset, actor, event.\n"},
    {"verify", "usage: incident verify ID [--head SEQ:HASH]\n"
               "Re-read the timeline and check its hash chain (TL-2) and the journal's\n"
               "record checksums. Exit 6 (INC_ECORRUPT) naming the first bad event: a\n"
               "damaged record with any valid record after it is corruption (TL-4).\n"
               "A torn tail (damage after the last valid record, which nothing proves\n"
               "was on disk) and every quarantine file of the incident (bytes recovery\n"
               "set aside, never deleted) are printed on stderr. Prints the head,\n"
               "SEQ:HASH: the last event and its SHA-256, which commits to every event\n"
               "before it; keep it somewhere else (a ticket, a chat) as a witness.\n"
               "An event stamped earlier than one before it (a clock that went back) is\n"
               "a warning on stderr naming both events (\"clock_backwards\" with --json),\n"
               "and the exit status is 7.\n"
               "  --head SEQ:HASH   prove events 1..SEQ unchanged since that head was\n"
               "                    printed (TL-5): exit 6 when they differ, 3 when the\n"
               "                    incident has fewer than SEQ events, 2 for a malformed one\n"},
    {"export", "usage: incident export ID [-o FILE]\n"
               "Write the incident, every event with its hashes, as one JSON document\n"
               "(lib/docs/events.md) to stdout or FILE. FILE is created 0600 (private,\n"
               "like the store) whatever the umask; an existing file that group or others\n"
               "could read is made 0600 before the record is written into it.\n"},
    {"import", "usage: incident import FILE|-\n"
               "Import an exported incident under its own id. The document is checked\n"
               "completely (every hash, a full replay) before anything is written.\n"},
    {"assign", "usage: incident assign ID PERSON ROLE [--domain DOMAIN]\n"
               "Give PERSON a role (IC only, AUTH-1). ROLE: deputy, scribe, sme, comms,\n"
               "liaison, sponsor, legal, pr (the IC changes by hand-off only). An SME needs\n"
               "--domain. Under --policy strict a combination the level forbids (ROLE-3..9)\n"
               "is refused (exit 1); under advisory it is recorded and reported.\n"
               "  -d, --domain DOMAIN      the SME's domain, such as database\n"},
    {"release", "usage: incident release ID PERSON ROLE [--domain DOMAIN]\n"
                "Release a role. The IC may release anyone's; anyone may release their own.\n"},
    {"roles", "usage: incident roles ID [--history] [--check]\n"
              "Who holds which role, and the findings of the role checks (ROLE-11):\n"
              "forbidden combinations, staffing gaps (ROLE-10), a missing Scribe (ROLE-12).\n"
              "  --history                every assignment, past ones too\n"
              "  --check                  exit 7 when there are findings\n"},
    {"handoff", "usage: incident handoff ID TO -c CONDITIONS -a ACTIONS -n NEEDS\n"
                "       incident handoff ID --cancel [REASON...]\n"
                "Start handing command to TO with a CAN briefing (ROLE-2). The outgoing IC\n"
                "(--by) stays IC until TO confirms. Needs is required: \"none\" if nothing.\n"
                "  -c, --conditions TEXT    observed facts (@FILE reads a file)\n"
                "  -a, --actions TEXT       work in flight or done\n"
                "  -n, --needs TEXT         what is needed, or none\n"
                "  --cancel                 withdraw the pending hand-off\n"},
    {"confirm", "usage: incident confirm ID [--decline REASON]\n"
                "The incoming IC (--by) confirms the pending hand-off and becomes IC; with\n"
                "--decline, refuses it and the IC stays as it is.\n"},
    {"can", "usage: incident can ID -c CONDITIONS -a ACTIONS -n NEEDS [--kind K] [--to WHO]\n"
            "Record a CAN report (CAN-1). It is linted (CAN-2) and recorded with its\n"
            "findings; each Need asking the IC for approval or a decision opens a pending\n"
            "decision (CAN-3). When another writer came first, the report is retried\n"
            "(reload, up to 10 times).\n"
            "  -k, --kind K             sme-to-ic (default), top-of-hour (IC only),\n"
            "                           handoff, escalation\n"
            "  --to WHO                 the addressee (default: the IC, or the channel)\n"
            "  --lint-config FILE       a team's lint words (lib/docs/lint-config.md)\n"},
    {"lint", "usage: incident lint can -c CONDITIONS -a ACTIONS -n NEEDS [--lint-config FILE]\n"
             "       incident lint update TEXT... [--state STATE] [--components LIST]\n"
             "                            [--lint-config FILE]\n"
             "       incident lint postmortem TEXT... [--lint-config FILE]\n"
             "Lint a draft without an incident or a store: a CAN report (CAN-2), an\n"
             "external update (COMM-3: vague wording, no scope, no next-update time,\n"
             "premature promises, speculation) or postmortem text (PM-4: blame wording).\n"
             "Exit 7 when there are findings.\n"
             "  --state STATE            the incident's state (default investigating)\n"
             "  --components LIST        affected components that count as scope\n"
             "  --lint-config FILE       a team's words: services, vague phrases, hedges,\n"
             "                           promises, findings off (lib/docs/lint-config.md)\n"},
    {"update", "usage: incident update ID AUDIENCE TEXT... [options]\n"
               "       incident update ID external --template NAME --scope SCOPE [options]\n"
               "Post a status update to an audience (COMM-1): external (Communications Lead),\n"
               "internal (Internal Liaison) or response (IC). External updates are linted\n"
               "(COMM-3); findings are recorded with the update. When another writer came\n"
               "first, the update is retried (reload, up to 10 times).\n"
               "  --components LIST        affected components (external)\n"
               "  --comms LIST             required communications it delivers: status_page,\n"
               "                           customer_email, exec_notify (default by audience)\n"
               "  -t, --template NAME      render the text: first, heartbeat, mitigated, resolved\n"
               "  --scope TEXT             who is affected (templates)\n"
               "  --symptom TEXT           what customers see (templates; default the title)\n"
               "  --next TIME              the next update's time (templates)\n"
               "  --lint-config FILE       a team's lint words (lib/docs/lint-config.md)\n"
               "  --dry-run                print the text, record nothing\n"
               "  --statuspage             also print the Statuspage JSON of an external update\n"},
    {"cadence", "usage: incident cadence ID [AUDIENCE DURATION|rubric|none] [--reason TEXT]\n"
                "Show each audience's cadence, last update and next due time (COMM-2); or,\n"
                "as IC, change one (AUTH-1): a duration such as 15m, none (as needed), or\n"
                "rubric to go back to the rubric's.\n"},
    {"decide", "usage: incident decide ID\n"
               "       incident decide ID N approve|deny [NOTE...|--note TEXT]\n"
               "       incident decide ID --ask QUESTION...\n"
               "List the decisions asked of the IC (CAN-3), answer one (IC only, AUTH-1),\n"
               "or ask one directly. Text after approve or deny is the note.\n"},
    {"completion", "usage: incident completion bash|zsh|fish\n"
                   "Print a shell completion script: commands, options, the incident ids of\n"
                   "the store, levels of the rubric, roles, states.\n"
                   "  bash:  eval \"$(incident completion bash)\"   (in ~/.bashrc)\n"
                   "  zsh:   source <(incident completion zsh)     (in ~/.zshrc)\n"
                   "  fish:  incident completion fish | source\n"
                   "The scripts call incident completion --complete INDEX -- WORDS..., which\n"
                   "prints the candidates for word INDEX one a line.\n"},
    {"due", "usage: incident due [ID] [--within DURATION] [--deliver] [--pagerduty KEY]\n"
            "What is due now for one incident or every incident of the store: escalation\n"
            "steps (ESC-1), the acknowledge target (ESC-3), heartbeats (COMM-2), required\n"
            "communications (COMM-4), staffing (ROLE-10), the Scribe (ROLE-12), deadline\n"
            "clocks (REG-1). Nothing is recorded unless --deliver.\n"
            "  -w, --within DURATION    also list what comes due within DURATION\n"
            "  --deliver                record each item as delivered (it fires once)\n"
            "  --pagerduty KEY          print each item as a PagerDuty Events v2 trigger\n"
            "                           (KEY: the 32-character integration key)\n"},
    {"page", "usage: incident page ID TARGET [--text WHY]\n"
             "       incident page ID --sent SEQ --to PERSON\n"
             "Record a page requested outside the escalation ladder (ESC-2), or whom the\n"
             "page of event SEQ reached.\n"},
    {"ack", "usage: incident ack ID [--page SEQ]\n"
            "Acknowledge the incident (ESC-3) as --by: it stops the unacknowledged\n"
            "escalation steps until the acknowledgement expires.\n"},
    {"clock", "usage: incident clock ID\n"
              "       incident clock ID start NAME (--deadline TIME | --in DURATION)\n"
              "                          [--remind DURATION] [--text TEXT]\n"
              "       incident clock ID stop NAME [--cancelled] [--text TEXT]\n"
              "Regulatory and contractual deadline clocks (REG-1), such as a 72h breach\n"
              "notification. Only the IC starts and stops them; they come due like any\n"
              "other due item.\n"},
    {"bridge", "usage: incident bridge ID WHERE [--text TEXT]\n"
               "Record that the bridge (voice or video war room) is open at WHERE, a URL\n"
               "or a dial-in (AUD-1: open a bridge if the level needs one).\n"},
    {"postmortem",
     "usage: incident postmortem ID [--text]\n"
     "       incident postmortem ID set SECTION TEXT...\n"
     "       incident postmortem ID tag TAG\n"
     "       incident postmortem ID status draft|review|final [--note TEXT]\n"
     "       incident postmortem ID lint\n"
     "Render the postmortem from the timeline (PM-1; Markdown, or --text), supply a\n"
     "narrative section (summary, impact, detection, root_cause,\n"
     "contributing_factors, went_well, went_poorly, lessons_learned; linted for\n"
     "blame wording, PM-4), set the root-cause tag (MET-1 recurrence), or move its\n"
     "status. Final needs every section and the tag, is set by the IC and closes the\n"
     "incident. With --json: where the postmortem stands (status, due, missing).\n"},
    {"action", "usage: incident action ID\n"
               "       incident action ID add TITLE... --owner PERSON --priority P1..P4\n"
               "                              (--due TIME | --in DURATION) [--detail TEXT]\n"
               "                              [--override REASON]\n"
               "       incident action ID done|cancel|reopen N [--reason TEXT] [--decision D]\n"
               "       incident action ID move N (--due TIME | --in DURATION) --reason TEXT\n"
               "       incident action ID reassign N PERSON [--override REASON]\n"
               "       incident action ID priority N P1..P4\n"
               "       incident action list [--owner P] [--status S] [--overdue] [--no-drills]\n"
               "                            [--export LINK_PREFIX]\n"
               "Action items (PM-3): one owner who is a person (a team needs --override), an\n"
               "absolute due date, a priority. Cancelling a Sev-0/Sev-1 item needs the IC or\n"
               "an approved --decision. `action list` is the weekly review across the store;\n"
               "--export (or --json) writes JSON for an issue tracker.\n"},
    {"audit", "usage: incident audit ID [--min-monitoring DURATION]\n"
              "The response's scorecard from the timeline: the first ten minutes scored\n"
              "against T+10 (AUD-1) and the antipatterns found with their spans (AUD-2).\n"
              "With --json, the library's audit document.\n"},
    {"metrics", "usage: incident metrics [--from TIME] [--to TIME]\n"
                "MTTD, MTTA, MTTM, MTTR (mean, median, per level), action items done on\n"
                "time, recurrence by root-cause tag and pages per person, over the store's\n"
                "incidents declared in [from, to); drills are left out (MET-1, DEC-4).\n"
                "With --json, the library's metrics document.\n"},
    {"alert", "usage: incident alert --routing FILE [DOC] [--flush]\n"
              "Take in one alert document (DOC, or stdin): a Prometheus Alertmanager webhook\n"
              "(version 4) or a PagerDuty Events v2 event, routed by FILE\n"
              "(lib/docs/alert-routing.md). An alert whose group has an open incident is\n"
              "recorded on it (one event per fingerprint; repeats counted, ALERT-1);\n"
              "otherwise its rule declares at its level, hands command to the rotation's\n"
              "primary on call (give the rotation with the global --rotation) and pages\n"
              "it, unless the service is in a maintenance window (ALERT-2). A resolved\n"
              "alert asks the IC to consider resolution; it never resolves (ALERT-3).\n"
              "A repeat inside its group window writes nothing (the bound on events in a\n"
              "storm); its count is lost when this call ends unless --flush.\n"
              "  -r, --routing FILE       the routing file (required)\n"
              "  --flush                  write the count of a repeat now (one event each)\n"},
    {"feed",
     "usage: incident feed [--since CURSOR] [--max N] [--pagerduty KEY [--incident-url U]]\n"
     "Print every event written since CURSOR (all when absent), in order per\n"
     "incident, each with its incident id and number (the idempotency key), then\n"
     "the cursor to keep: \"cursor: libincident-feed 1 ID=SEQ ...\". Save the\n"
     "cursor only after sending what was printed: a crash in between prints the\n"
     "same events again (at least once).\n"
     "  -s, --since CURSOR       the cursor a previous call printed\n"
     "  -n, --max N              at most N events\n"
     "  -p, --pagerduty KEY      print instead the PagerDuty Events v2 bodies the\n"
     "                           events call for, one JSON document a line (KEY: the\n"
     "                           32-character routing key): a page triggers, an\n"
     "                           acknowledgement acknowledges, resolution resolves,\n"
     "                           one dedup_key per alert (lib/docs/wire-formats.md)\n"
     "  -u, --incident-url U     the incident's page for the triggers' links; \"{id}\"\n"
     "                           is replaced by the incident id\n"},
    {"seal", "usage: incident seal setup [--key-file F] [--log F]\n"
             "       incident seal [--key-file F] [--log F]\n"
             "       incident seal verify --key KEY|@FILE [--key-file F] [--log F]\n"
             "Forward-secure sealing of the store (TL-5, lib/docs/sealing.md).\n"
             "  setup    create the key file and the seal log (mode 0600; never over\n"
             "           existing ones) and print the verification key ONCE: it is not\n"
             "           stored; keep it offline.\n"
             "  (none)   seal now: append a seal (HMAC-SHA-256 under this epoch's key) of\n"
             "           every incident's head to the seal log, then evolve the key one\n"
             "           way and erase the old one. One epoch per seal: run it from cron\n"
             "           (every 15 minutes) so that an intruder can rewrite at most what\n"
             "           came after the last seal.\n"
             "  verify   with the verification key, check every seal, the key file and\n"
             "           every sealed head against the store; per incident: sealed up to\n"
             "           event N at epoch E, and the unsealed tail. Exit 6 on a mismatch, 1\n"
             "           for a wrong verification key.\n"
             "  --key-file F   the key file (default: SEAL-KEY in the store)\n"
             "  --log F        the seal log (default: SEAL-LOG in the store)\n"
             "  -k, --key KEY  the verification key (64 hex digits), or @FILE\n"},
    {"oncall", "usage: incident oncall who ROTATION [--at TIME] [--layer L] [-q]\n"
               "       incident oncall shifts ROTATION [--from TIME] [--to TIME] [--layer L]\n"
               "       incident oncall check ROTATION [--incidents] [--pages-threshold N] ...\n"
               "       incident oncall ical ROTATION... [--person P] [--from TIME] [--to TIME]\n"
               "On-call rotations (ONC-1, ONC-3..ONC-5), read from a rotation file\n"
               "(lib/docs/rotation-format.md; examples/rotations/payments.rotation): who is\n"
               "on call, the shifts of a range, and whether the rotation is healthy.\n"
               "Times are UTC on the command line and shown in the rotation's zone.\n"
               "See: incident oncall who|shifts|check|ical --help.\n"},
    {"oncall ical",
     "usage: incident oncall ical ROTATION... [--person P] [--from TIME] [--to TIME]\n"
     "The shifts of the rotations over [from, to) as an iCalendar feed (RFC 5545,\n"
     "ONC-7) on standard output: one event per stretch of 'oncall shifts', UTC\n"
     "times, a stable UID (a calendar client updates, never duplicates), overrides\n"
     "marked. With --person, only that person's shifts across the rotations.\n"
     "  --from TIME              start of the range (default: now)\n"
     "  --to TIME                end of the range (default: 4 weeks after --from)\n"
     "  -p, --person P           only P's shifts\n"},
    {"oncall who", "usage: incident oncall who ROTATION [--at TIME] [--layer L] [-q]\n"
                   "Who is on call for each layer at TIME (default: now, or --now), with the\n"
                   "shift's local start and end and the override that gives it, if any.\n"
                   "  --at TIME                the time (ISO 8601 UTC)\n"
                   "  -l, --layer L            primary, secondary or both (the default)\n"
                   "  -q, --quiet              print only the names, one a line (for scripts)\n"},
    {"oncall shifts",
     "usage: incident oncall shifts ROTATION [--from TIME] [--to TIME] [--layer L]\n"
     "Every stretch of the layers that overlaps [from, to), in order: local\n"
     "start and end, length (a daylight-saving change makes a week 167 or\n"
     "169 hours), layer, person, shift number and override.\n"
     "  --from TIME              start of the range (default: now)\n"
     "  --to TIME                end of the range (default: 4 weeks after --from)\n"
     "  -l, --layer L            primary, secondary or both (the default)\n"},
    {"oncall check",
     "usage: incident oncall check ROTATION [--from TIME] [--to TIME] [--incidents]\n"
     "                             [--pages-threshold N] [--min-people N]\n"
     "                             [--max-consecutive N] [--min-gap N] [--rest-after DUR]\n"
     "The rotation's health: too few people, too many periods on call in a row, too\n"
     "little rest between turns (ONC-3); with --incidents, from the incidents of the\n"
     "store, a late start owed after a night of incident work (ONC-4) and too many\n"
     "pages to one person in a week (ONC-5). Exit 7 when there are findings.\n"
     "  --from TIME              start of the range (default: 4 weeks before now)\n"
     "  --to TIME                end of the range (default: 8 weeks after --from)\n"
     "  -i, --incidents          also check the store's incidents (ONC-4, ONC-5)\n"
     "  --pages-threshold N      most pages per person per week (default 10)\n"
     "  --min-people N           fewest people in the rotation (default 5)\n"
     "  --max-consecutive N      most periods on call in a row (default 2)\n"
     "  --min-gap N              fewest periods off between turns (default 2)\n"
     "  --rest-after DURATION    night work that earns a late start (default 4h)\n"},
};

void cli_print_help_options(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
        const char *p = helps[i].text;
        if (strcmp(helps[i].name, name) != 0)
            continue;
        /* Every "--word" the text names, once each, in order. */
        while ((p = strstr(p, "--")) != NULL) {
            size_t n = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
            char opt[48];
            if (n > 3 && n < sizeof(opt) && (p == helps[i].text || p[-1] != '-')) {
                memcpy(opt, p, n);
                opt[n] = '\0';
                if (!strstr(helps[i].text, opt) || strstr(helps[i].text, opt) == p)
                    printf("%s\n", opt);
            }
            p += n;
        }
    }
}

int cli_global_help(void)
{
    fputs(global_help, stdout);
    return CLI_EXIT_OK;
}

int cli_help(cli *c, const char *name)
{
    size_t i;
    for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
        if (strcmp(helps[i].name, name) == 0) {
            fputs(helps[i].text, stdout);
            fputs("Global options (--store, --json, --now, --by, ...): incident --help\n", stdout);
            return CLI_EXIT_OK;
        }
    return cli_unknown_command(c, name);
}
