/* incident(1): shared declarations of the command-line tool.
 *
 * The tool uses only the public API (<incident.h>). One file per group of
 * subcommands (cmd_*.c), the option parser and value parsers (args.c), the
 * JSON writer (json.c), error reporting and exit codes (report.c), global
 * options and dispatch (main.c). */
#ifndef INCIDENT_CLI_H
#define INCIDENT_CLI_H

#include <incident.h>
#include <stdio.h>

/* Exit codes (documented in `incident --help` and incident.1). */
enum {
    CLI_EXIT_OK = 0,       /* done */
    CLI_EXIT_REFUSED = 1,  /* refused by a rule, the IC's authority or the lifecycle */
    CLI_EXIT_USAGE = 2,    /* bad command line: unknown option, missing argument, bad time */
    CLI_EXIT_NOTFOUND = 3, /* no such incident, role holder, decision or clock */
    CLI_EXIT_CONFLICT = 4, /* exists already, or another writer came first: retry */
    CLI_EXIT_INVALID = 5,  /* the library refused a value (unknown level, empty text) */
    CLI_EXIT_STORE = 6,    /* the store or the system failed: I/O, corrupt data, memory */
    CLI_EXIT_FINDINGS = 7  /* `lint` or `oncall check` found problems; `verify`: the
                              chain is intact but event times go backwards */
};

/* How a subcommand uses the store. */
enum {
    CLI_NO_STORE = 0,    /* needs no context (lint) */
    CLI_STORE_RO = 1,    /* reads only: a missing store reads as empty */
    CLI_STORE_RW = 2,    /* changes an incident: a missing store reads as empty (nothing
                            to change) and is not created */
    CLI_CONTEXT = 3,     /* a context on a memory store: no store is opened (oncall) */
    CLI_STORE_CREATE = 4 /* creates an incident (declare, import): the store is created
                            when missing, and removed again if the command fails */
};

#define CLI_MAX_ROTATIONS 8

/* The global state of one call. */
typedef struct cli {
    const char *store_dir;                    /* --store, $INCIDENT_STORE or the default */
    const char *rubric_file;                  /* --rubric, or NULL for the built-in default */
    inc_policy policy;                        /* --policy */
    int json;                                 /* --json: one JSON document on stdout */
    int allow_shared;                         /* --allow-shared-store */
    int have_now;                             /* --now given */
    inc_time now;                             /* its value */
    const char *by;                           /* --by or the login name */
    const char *rotations[CLI_MAX_ROTATIONS]; /* --rotation files, registered on the context */
    size_t nrotations;
    const char *cmd;  /* the subcommand being run */
    inc_store *store; /* open while a subcommand runs */
    inc_context *ctx;
    char store_buf[4096];
    char by_buf[256];
    /* What this call created (CLI_STORE_CREATE), removed again on failure:
     * made_path[0 .. made_from) existed before; every directory from there
     * down to the store is new. */
    char made_path[4096];
    size_t made_from;    /* 0: nothing was created */
    char recovered[160]; /* the last recovery printed (one report, not two, per tail) */
} cli;

/* ---- options of a subcommand (args.c) ------------------------------------ */

#define CLI_MAX_OPTS 16
#define CLI_MAX_POS  64

/* One option a subcommand accepts: --name, -s (0 for none), with a value or not. */
typedef struct cli_opt {
    const char *name;
    char short_name;
    int takes_value;
} cli_opt;

/* What the parser found. Options are looked up by name. */
typedef struct cli_args {
    const cli_opt *spec;
    size_t nspec;
    const char *value[CLI_MAX_OPTS];
    int seen[CLI_MAX_OPTS];
    char *pos[CLI_MAX_POS];
    int npos;
    int help; /* --help or -h was given */
} cli_args;

/* Parse argv (argv[0] is the subcommand). Every subcommand accepts --help.
 * Returns CLI_EXIT_OK or CLI_EXIT_USAGE (message printed). */
int cli_parse(cli *c, const cli_opt *spec, size_t nspec, int argc, char **argv, cli_args *out);
#define CLI_NOPTS(o) (sizeof(o) / sizeof((o)[0]))
/* cli_start() returns this when the subcommand should go on. */
#define CLI_GO (-1)
/* Parse a subcommand's arguments, answer --help, check the number of
 * positional arguments (max -1: any) and open the store (mode CLI_NO_STORE,
 * CLI_STORE_RO, CLI_STORE_RW). Returns CLI_GO or an exit code. */
int cli_start(cli *c, const cli_opt *spec, size_t nspec, int argc, char **argv, cli_args *a,
              int min_pos, int max_pos, int mode);
/* The value of --name, or NULL when not given. */
const char *cli_opt_value(const cli_args *a, const char *name);
/* Non-zero when --name was given. */
int cli_opt_given(const cli_args *a, const char *name);
/* Check the number of positional arguments; print a usage error if wrong. */
int cli_need_pos(cli *c, const cli_args *a, int min, int max);
/* Join positional arguments from `from` on with spaces ("-" alone: stdin).
 * *out is malloc'ed; free() it. Returns an exit code. */
int cli_join_text(cli *c, const cli_args *a, int from, char **out);
/* Read a whole file ("-" for stdin). *out is malloc'ed and NUL-terminated. */
int cli_read_file(cli *c, const char *path, char **out, size_t *len);
/* Read a whole file ("-" for stdin) as text: a NUL byte in it is refused
 * (exit 5), since the text would end there. *out is malloc'ed. */
int cli_read_text(cli *c, const char *path, char **out);
/* A text option: its value, or the file's content for "@FILE" (malloc'ed
 * in *owned, which the caller frees); "@@text" is the text "@text". */
int cli_text_opt(cli *c, const cli_args *a, const char *name, const char **out, char **owned);

/* Parse an ISO 8601 UTC time, or a date alone (2026-12-31) in the display
 * zone: the end of that day for a deadline (--due, --deadline, --to,
 * --next), its start otherwise. Prints a usage error naming `what`. */
int cli_parse_time(cli *c, const char *what, const char *text, inc_time *out);
/* Parse a duration such as "90s", "15m", "1h30m", "2d", "1w" into ms. */
int cli_parse_duration(cli *c, const char *what, const char *text, int64_t *out);
/* Format a duration ("1h30m", "45s"); "as needed" for INC_DURATION_NONE. */
void cli_format_duration(int64_t ms, char *buf, size_t size);
/* Format a time for a person: "2026-12-06 03:10Z" in the display zone (TZ,
 * which --tz sets; "+01:00" instead of "Z" elsewhere), "-" for
 * INC_TIME_NONE. buf has >= 32 bytes. JSON keeps ISO 8601 UTC (jw_time). */
const char *cli_time(inc_time t, char *buf, size_t size);
/* The same time as "03:10" (within a day already named), and its day as
 * "2026-12-06 (UTC)". */
const char *cli_clock_time(inc_time t, char *buf, size_t size);
const char *cli_day(inc_time t, char *buf, size_t size);
/* Parse a role name ("ic", "scribe", ... or a title word, any case); usage
 * error listing the roles (and the closest one) if unknown. */
int cli_parse_role(cli *c, const char *text, inc_role *out);
/* A rubric level by name, in any case ("sev-1" is "Sev-1"): *out is the
 * rubric's spelling. Usage error listing the levels if unknown. */
int cli_parse_level(cli *c, const inc_rubric *r, const char *text, const char **out);
/* A state by name, in any case; usage error listing the states if unknown. */
int cli_parse_state(cli *c, const char *text, inc_state *out);

/* ---- words: "did you mean" (args.c) --------------------------------------- */

/* Edits (insert, delete, change, swap two neighbours) from a to b, ignoring
 * case; (size_t)-1 for words over 32 bytes. */
size_t cli_edit_distance(const char *a, const char *b);
/* The choice `word` is most likely a typo of (or the one choice it is a
 * prefix of), or NULL when none is close. */
const char *cli_closest(const char *word, const char *const *choices, size_t n);
/* Usage error: "unknown WHAT 'word': did you mean 'x'? (WHATs: a, b, c)". */
int cli_unknown(cli *c, const char *what, const char *word, const char *const *choices, size_t n);

/* ---- reporting (report.c) ------------------------------------------------ */

/* Colour (--color=auto|always|never; auto: on a terminal, unless NO_COLOR
 * is set or TERM is dumb), decided once per stream by cli_color_setup(). */
enum { CLI_COLOR_AUTO = 0, CLI_COLOR_ALWAYS = 1, CLI_COLOR_NEVER = 2 };
enum { CLI_RESET = 0, CLI_BOLD, CLI_RED, CLI_YELLOW, CLI_GREEN, CLI_DIM };
void cli_color_setup(int mode);
/* The escape sequence that starts `colour` (CLI_RESET ends it) on f
 * (stdout or stderr), or "" when f has no colour. */
const char *cli_sgr(FILE *f, int colour);
/* Columns to wrap human output at: $COLUMNS when set, else the terminal's
 * width when stdout is one; 0 (no wrapping) for a pipe or file. */
int cli_term_width(void);
/* Print text to stdout, wrapped at spaces to `width` columns (0: as is),
 * lines after the first indented by `indent` spaces; `first_used` columns
 * of the first line are taken already. Runs of spaces are kept where the
 * line does not break. */
void cli_print_wrapped(const char *text, int width, int indent, int first_used);
/* printf a line (the newline is added) wrapped to cli_term_width(): the
 * first `first_used` columns are taken already, continuations start at
 * column `indent` (4 when that is past half the width). */
void cli_printf_wrapped(int first_used, int indent, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Print a document the library rendered (audit, postmortem, metrics), each
 * line wrapped to cli_term_width() with a hanging indent under its text
 * (past leading spaces and a list marker); code fences and table rows are
 * left as they are. Ends with a newline. */
void cli_print_doc_wrapped(const char *doc);

/* Map a library status to an exit code. */
int cli_exit_code(int status);
/* Copy the first rule ID ("AUTH-1", "ROLE-3", "CAN-2.promise") found in msg. */
int cli_rule_id(const char *msg, char *buf, size_t size);
/* Report a failed library call: status name, rule ID and message on stderr
 * (and, with --json, an error document on stdout). Field names of the C API
 * in the message are said as the command line's options and arguments
 * ("owner_override" is "--override"). Returns the exit code. */
int cli_fail(cli *c, int status, const char *message);
/* The same with a given exit code (store failures exit 6 whatever the status). */
int cli_fail_exit(cli *c, int status, const char *message, int code);
/* The journal's on_recovery callback (user: the cli): prints on stderr what
 * recovery set aside (TL-4): incident, offset, bytes, quarantine file, and
 * why the bytes were judged a torn write; a tail only found (a read-only
 * command, verify) is printed as left in place. */
void cli_on_recovery(void *user, const inc_journal_recovery *r);
/* An inc_journal_quarantine_fn (user: a size_t count): prints a quarantine
 * file on stderr and counts it. */
int cli_print_quarantine(void *user, const inc_journal_quarantine *q);
/* A finding's message without its leading "RULE:" (print the full rule ID). */
const char *cli_finding_text(const inc_finding *f);
/* Report a usage error (exit 2). */
int cli_usage(cli *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Print a list of findings for a person, each line indented by `indent`. */
void cli_print_findings(FILE *f, const inc_findings *list, const char *indent);

/* ---- the JSON writer (json.c) -------------------------------------------- */

/* Writes one JSON document to a FILE, inserting commas and escaping strings.
 * The only place where the tool writes JSON (the library's writer is internal). */
typedef struct jw {
    FILE *f;
    int depth;
    unsigned char need_comma[32];
    int after_key;
} jw;

void jw_init(jw *w, FILE *f);
void jw_obj(jw *w);
void jw_end_obj(jw *w);
void jw_arr(jw *w);
void jw_end_arr(jw *w);
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *s); /* NULL writes null */
void jw_int(jw *w, long long v);
void jw_bool(jw *w, int v);
void jw_null(jw *w);
void jw_time(jw *w, inc_time t);      /* ISO 8601 string, or null for INC_TIME_NONE */
void jw_raw(jw *w, const char *json); /* an already valid JSON value (from the library) */
void jw_finish(jw *w);                /* end the document with a newline */
/* key + value shorthands */
void jw_kstr(jw *w, const char *key, const char *s);
void jw_kint(jw *w, const char *key, long long v);
void jw_kbool(jw *w, const char *key, int v);
void jw_ktime(jw *w, const char *key, inc_time t);
/* @s with what a terminal would act on (control characters, bidi
 * overrides and isolates) shown escaped, for text output of user strings;
 * @s itself when there is none. The copy lives in one of four rotating
 * buffers (up to four in one printf) and is cut at about 2 KB. */
const char *cli_safe(const char *s);

/* Write a string's JSON form (quotes included) to f. */
void jw_escape(FILE *f, const char *s);
/* A findings list as a JSON array of objects. */
void jw_findings(jw *w, const inc_findings *list);

/* ---- global options, the store and the context (main.c) ------------------- */

/* For a global option (--store, --rubric, --policy, --json, --now, --by,
 * --rotation),
 * accepted before or after the subcommand: 1 if it takes a value, 0 if not;
 * -1 if `name` is not a global option. */
int cli_global_takes_value(const char *name);
/* Apply a global option; returns an exit code (bad --now or --policy: 2). */
int cli_set_global(cli *c, const char *name, const char *value);
/* Open the store (CLI_STORE_RO, CLI_STORE_RW or CLI_STORE_CREATE) and the context, or only a
 * context (CLI_CONTEXT: no store, no rubric), and register the --rotation
 * files on it (the first is the default: "on-call", "backup"); reports the
 * failure and returns an exit code. Closed by main(). */
int cli_open(cli *c, int mode);
/* After a failed command: remove the store (and its parents) that this call
 * created, when nothing but its JOURNAL marker is in it (a refused command
 * leaves nothing behind). Call after the store is closed. */
void cli_undo_create(cli *c);

/* Rotation files (cmd_oncall.c): parse one (a parse error reads
 * "FILE:LINE: message"), and point the context at $TZDIR when it is set. */
int cli_load_rotation(cli *c, const char *path, inc_rotation **out);
int cli_zoneinfo_dir(cli *c);
/* Start a JSON document {"ok":true,"command":...} on stdout. */
void cli_json_start(cli *c, jw *w);
/* The envelope around a JSON document the library rendered (audit,
 * metrics, export, action list): {"ok":true,"command":CMD,"id":ID,KEY:DOC}
 * on stdout ("id" left out when NULL). */
void cli_json_wrap(cli *c, const char *id, const char *key, const char *doc);
/* Write the incident's summary fields into the current JSON object. */
void cli_json_incident_fields(jw *w, const inc_incident *inc);

/* ---- incidents (main.c) --------------------------------------------------- */

/* Open an incident by id, or by a unique suffix of an id ("db-cpu" for
 * "2026-11-23-db-cpu"). Reports the failure; returns an exit code. */
int cli_open_incident(cli *c, const char *id, inc_incident **out);
/* Report a failed call on an incident handle. */
int cli_fail_inc(cli *c, int status, inc_incident *inc);

/* ---- retrying a change after a conflict (retry.c) -------------------------- */

/* How many times a change that lost a race (INC_ECONFLICT) is tried again. */
#define CLI_CONFLICT_RETRIES 10

/* One change to an incident; returns a library status. */
typedef int (*cli_change_fn)(inc_incident *inc, void *arg);
/* Apply change(inc, arg); while another writer came first (INC_ECONFLICT),
 * reload the incident after a short random pause and apply it again, at
 * most CLI_CONFLICT_RETRIES times. Only for changes that mean the same
 * after a reload (notes, CAN reports, status updates), never for an IC
 * decision. Returns the last status (a failed reload's status). */
int cli_retry_change(cli *c, inc_incident *inc, cli_change_fn change, void *arg);

/* ---- subcommands (cmd_*.c) ----------------------------------------------- */

typedef int (*cli_cmd_fn)(cli *c, int argc, char **argv);

int cmd_declare(cli *c, int argc, char **argv);
int cmd_list(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
int cmd_sev(cli *c, int argc, char **argv);
int cmd_state(cli *c, int argc, char **argv);
int cmd_note(cli *c, int argc, char **argv);
int cmd_timeline(cli *c, int argc, char **argv);
int cmd_verify(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_assign(cli *c, int argc, char **argv);
int cmd_release(cli *c, int argc, char **argv);
int cmd_roles(cli *c, int argc, char **argv);
int cmd_handoff(cli *c, int argc, char **argv);
int cmd_confirm(cli *c, int argc, char **argv);
int cmd_can(cli *c, int argc, char **argv);
int cmd_lint(cli *c, int argc, char **argv);
int cmd_update(cli *c, int argc, char **argv);
int cmd_cadence(cli *c, int argc, char **argv);
int cmd_decide(cli *c, int argc, char **argv);
int cmd_due(cli *c, int argc, char **argv);
int cmd_page(cli *c, int argc, char **argv);
int cmd_ack(cli *c, int argc, char **argv);
int cmd_clock(cli *c, int argc, char **argv);
int cmd_postmortem(cli *c, int argc, char **argv);
int cmd_action(cli *c, int argc, char **argv);
int cmd_audit(cli *c, int argc, char **argv);
int cmd_bridge(cli *c, int argc, char **argv);
int cmd_metrics(cli *c, int argc, char **argv);
int cmd_oncall(cli *c, int argc, char **argv);
int cmd_seal(cli *c, int argc, char **argv);
int cmd_completion(cli *c, int argc, char **argv);

/* The subcommands' names (main.c's table) and the global options' names
 * (without "--"), for completion and "did you mean"; return how many. */
size_t cli_command_names(const char **names, size_t max);
size_t cli_global_names(const char **names, size_t max);
/* Usage error for an unknown command, with the closest one. */
int cli_unknown_command(cli *c, const char *name);
int cmd_reopen(cli *c, int argc, char **argv); /* cmd_reopen.c */
int cmd_link(cli *c, int argc, char **argv);   /* cmd_links.c */
/* LIFE-5 (cmd_links.c): replace a duplicate's handle with its primary's
 * (saying so on stderr); the links in show's text and JSON. */
int cli_follow_duplicate(cli *c, inc_incident **inc);
/* oncall ical (cmd_ical.c, ONC-7). */
int cli_oncall_ical(cli *c, int argc, char **argv);
void cli_print_links(const inc_incident *inc);
/* cmd_field.c: custom fields (RUB-6). */
int cmd_field(cli *c, int argc, char **argv);
void cli_print_fields(const inc_incident *inc);
void cli_json_fields(jw *w, const inc_incident *inc);
void cli_json_links(jw *w, const inc_incident *inc);
int cmd_alert(cli *c, int argc, char **argv);
int cmd_feed(cli *c, int argc, char **argv);

/* Print a subcommand's --help text (help.c holds the texts); exit 0, or 2
 * for an unknown command. */
int cli_help(cli *c, const char *name);
/* Print each --option a subcommand's help names, one per line (completion). */
void cli_print_help_options(const char *name);
/* Print `incident --help`; exit 0. */
int cli_global_help(void);

#endif
