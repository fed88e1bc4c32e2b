/* gameday: the machinery of a scripted drill: a fake clock, a fresh journal
 * store, the pager loop in miniature, and checks that the library behaved
 * as the rules say. The script itself is main.c. */
#ifndef GAMEDAY_DRILL_H
#define GAMEDAY_DRILL_H

#include <incident.h>

#define DRILL_MAX_FAILURES 64

typedef struct drill {
    inc_time now;   /* the fake clock the context reads */
    inc_time t0;    /* declaration, for T+ offsets */
    char date[16];  /* the drill's UTC date, "2026-11-23" */
    char dir[4096]; /* the journal directory (a fresh temporary one) */
    int keep;       /* --keep: leave the journal for `incident --store` */
    int made_dir;   /* the directory was created here, so it is removed here */
    inc_store *store;
    inc_context *ctx;
    inc_incident *inc;
    uint64_t last_escalation; /* the page_requested event of the last step fired */
    unsigned escalations;     /* escalation steps the pager delivered */
    unsigned delivered;       /* due items the pager delivered */
    int checks, failures;
    char failed[DRILL_MAX_FAILURES][200];
} drill;

/* Create the temporary journal (or use `dir`, which must be empty or new),
 * the context (strict policy, the default rubric, the fake clock at `start`,
 * an ISO 8601 time whose date is the drill's). */
int drill_open(drill *d, const char *dir, const char *start);
/* Free everything; remove the journal unless --keep. */
void drill_close(drill *d);

/* Set the clock to HH:MM of the drill's date, first delivering on time
 * whatever comes due before then (the pager loop: escalation steps are
 * paged and recorded as sent). */
void drill_advance(drill *d, const char *hhmm);
/* A step header: advance to HH:MM and print "== HH:MM  T+..  title ==". */
void drill_step(drill *d, const char *hhmm, const char *title);
/* The time HH:MM of the drill's date. */
inc_time drill_time(const drill *d, const char *hhmm);

/* Narration: what a person in the channel sees. */
void drill_say(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* A check: prints "ok" or "FAIL" and the rule; returns cond. */
int drill_check(drill *d, int cond, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A call that must succeed: checks rc == INC_OK (the library's message
 * otherwise). Returns 1 when it did. */
int drill_ok(drill *d, int rc, const char *what);
/* A call the rules must refuse with `want`: prints the refusal a person sees. */
int drill_refused(drill *d, int rc, int want, const char *rule, const char *what);
/* Print findings, one per line, indented. */
void drill_findings(const inc_findings *list);
/* The number of findings of a list that carry `prefix` ("COMM-2"). */
size_t drill_count_prefix(const inc_findings *list, const char *prefix);

/* ---- after the incident (after.c) ---------------------------------------- */

/* The response's scorecard (AUD-1, AUD-2). */
void drill_audit(drill *d);
/* The postmortem: sections, blameless lint, action items, Final (PM-1..PM-4). */
void drill_postmortem(drill *d);
/* Drills stay out of the metrics (MET-1, DEC-4). */
void drill_metrics(drill *d);

#endif
