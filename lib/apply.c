/* The one apply function (DESIGN.md): every event, written now or replayed
 * from the store, changes the incident's state through here and nowhere
 * else. prepare validates an event against the state and allocates what it
 * needs; commit applies it and cannot fail. */
#include <string.h>

#include "event_kinds.h"
#include "incident_internal.h"
#include "lifecycle.h"
#include "util/hash.h"

int inc__event_corrupt(inc_incident *inc, const inc__event *ev, const char *what)
{
    return inc_error_set(&inc->err, INC_ECORRUPT, "incident %s, event %llu (%s): %s", inc->id,
                         (unsigned long long)ev->seq, inc__event_kind_name(ev->kind), what);
}

/* ---- declared ------------------------------------------------------------ */

/* RUB-4: the rubric in force, recorded once in the declaration: its text,
 * or its key in the store's blobs (lib/docs/events.md). A store that cannot
 * give the blob is a store error (INC_EIO, ...), not a corrupt event. */
static int prepare_rubric(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int has_text = inc__event_has(ev, INC__F_RUBRIC);
    const char *key = ev->str[INC__F_RUBRIC_SHA256];
    inc_diag diag;
    int rc;

    if (has_text == inc__event_has(ev, INC__F_RUBRIC_SHA256))
        return inc__event_corrupt(inc, ev,
                                  "a declaration records its rubric once: the text or its "
                                  "SHA-256 (RUB-4)");
    if (has_text)
        rc = inc__context_recorded_rubric(inc->ctx, ev->str[INC__F_RUBRIC],
                                          ev->str_len[INC__F_RUBRIC], &prep->rubric, NULL, &diag);
    else if (!inc__sha256_hex_valid(key)) /* (a string field holds no NUL) */
        return inc__event_corrupt(inc, ev, "rubric_sha256 is not 64 lowercase hex digits");
    else
        rc = inc__context_recorded_rubric_by_key(inc->ctx, key, &prep->rubric, &diag);
    if (rc == INC_ENOMEM)
        return inc__error_oom(&inc->err);
    if (rc == INC_EIO || rc == INC_EPERM || rc == INC_ELOCKED)
        return inc_error_set(&inc->err, rc, "incident %s: %s", inc->id, diag.message);
    if (rc != INC_OK)
        return inc__event_corrupt(inc, ev, diag.message);
    return INC_OK;
}

int inc__core_prepare_declared(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int rc;

    if (strcmp(ev->str[INC__F_ID], inc->id) != 0)
        return inc__event_corrupt(inc, ev, "the id recorded does not match the incident's");
    if (inc__event_has(ev, INC__F_CRITERIA) &&
        (ev->num[INC__F_CRITERIA] < 0 || ev->num[INC__F_CRITERIA] > (int64_t)INC_CRIT_ALL))
        return inc__event_corrupt(inc, ev, "criteria out of range");
    if ((rc = prepare_rubric(inc, ev, prep)) != INC_OK)
        return rc;
    if (inc_rubric_get_level_index(prep->rubric, ev->str[INC__F_SEVERITY], &prep->severity_index) !=
        INC_OK)
        return inc__event_corrupt(inc, ev, "severity is not a level of the recorded rubric");
    return inc__roles_prepare_declared(inc, ev); /* room for the declarer's IC term */
}

static inc_time optional_time(const inc__event *ev, int tag)
{
    return inc__event_has(ev, tag) ? ev->num[tag] : INC_TIME_NONE;
}

/* Note the first event at the level the incident is now at. */
static void note_level(inc_incident *inc, const inc__event *ev)
{
    if (inc->severity_index < INC_LEVELS_MAX && !inc->level_first_seq[inc->severity_index]) {
        inc->level_first_seq[inc->severity_index] = ev->seq;
        inc->level_first_at[inc->severity_index] = ev->time;
    }
}

void inc__core_commit_declared(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc->rubric = prep->rubric;
    prep->rubric = NULL;
    inc->severity_index = prep->severity_index;
    note_level(inc, ev);
    inc->title = ev->str[INC__F_TITLE];
    inc->channel = ev->str[INC__F_CHANNEL];
    inc->declarer = ev->str[INC__F_ACTOR];
    inc->ic = ev->str[INC__F_ACTOR]; /* DEC-1: IC until one is assigned */
    inc__roles_commit_declared(inc, ev);
    inc->severity = ev->str[INC__F_SEVERITY];
    inc->criteria = (unsigned)(inc__event_has(ev, INC__F_CRITERIA) ? ev->num[INC__F_CRITERIA] : 0);
    inc->drill = inc__event_has(ev, INC__F_DRILL) && ev->num[INC__F_DRILL] != 0;
    inc->declared_at = ev->time;
    inc->impact_started = optional_time(ev, INC__F_IMPACT_STARTED);
    inc->detected = optional_time(ev, INC__F_DETECTED);
    inc->state = INC_STATE_DECLARED;
}

/* ---- severity changed ---------------------------------------------------- */

int inc__core_prepare_severity(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    if (inc_rubric_get_level_index(inc->rubric, ev->str[INC__F_SEVERITY], &prep->severity_index) !=
        INC_OK)
        return inc__event_corrupt(inc, ev, "severity is not a level of the incident's rubric");
    return INC_OK;
}

void inc__core_commit_severity(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc->severity = ev->str[INC__F_SEVERITY];
    inc->severity_index = prep->severity_index;
    note_level(inc, ev);
}

/* ---- state changed ------------------------------------------------------- */

int inc__core_prepare_state(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)prep;
    if (!inc__state_move_allowed(inc->state, ev->num[INC__F_STATE]))
        return inc__event_corrupt(inc, ev, "a lifecycle move LIFE-1 forbids");
    if (ev->num[INC__F_STATE] == INC_STATE_RESOLVED &&
        (!inc__event_has(ev, INC__F_TEXT) || ev->str_len[INC__F_TEXT] == 0))
        return inc__event_corrupt(inc, ev, "resolution without a verification note (LIFE-2)");
    return INC_OK;
}

void inc__core_commit_state(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc_state to = (inc_state)ev->num[INC__F_STATE];
    (void)prep;
    if (to == INC_STATE_MONITORING)
        inc->mitigated_at = ev->time; /* the latest mitigation counts */
    if (to == INC_STATE_RESOLVED)
        inc->resolved_at = ev->time;
    inc->state = to;
}

/* ---- reopened (LIFE-4) ---------------------------------------------------- */

int inc__core_prepare_reopened(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)prep;
    if (inc->state != INC_STATE_RESOLVED)
        return inc__event_corrupt(inc, ev, "only a resolved incident is reopened (LIFE-4)");
    if (!inc__reopen_target_allowed(ev->num[INC__F_STATE]))
        return inc__event_corrupt(inc, ev, "a reopening goes back to investigating or mitigating");
    if (ev->str_len[INC__F_TEXT] == 0)
        return inc__event_corrupt(inc, ev, "a reopening without a justification (LIFE-4)");
    return INC_OK;
}

void inc__core_commit_reopened(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)prep;
    inc->state = (inc_state)ev->num[INC__F_STATE];
    inc->resolved_at = INC_TIME_NONE; /* MTTR counts to the final resolution */
    inc->reopened_at = ev->time;
    inc->reopen_count++;
}

/* ---- notes and corrections ---------------------------------------------- */

int inc__core_prepare_nothing(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)inc;
    (void)ev;
    (void)prep;
    return INC_OK;
}

int inc__core_prepare_correction(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)prep;
    if (ev->num[INC__F_REF_SEQ] < 1 || (uint64_t)ev->num[INC__F_REF_SEQ] >= ev->seq)
        return inc__event_corrupt(inc, ev, "a correction must point at an earlier event");
    return INC_OK;
}

void inc__core_commit_nothing(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)inc;
    (void)ev;
    (void)prep;
}

int inc__apply_prepare(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    const inc__event_kind *row = inc__event_kind_row(ev->kind);

    memset(prep, 0, sizeof(*prep));
    if (ev->seq != inc->event_count + 1)
        return inc__event_corrupt(inc, ev, "sequence number out of order");
    if ((ev->kind == INC_EV_DECLARED) != (ev->seq == 1))
        return inc__event_corrupt(inc, ev, "the declaration must be the first event, and only it");
    if (!row)
        return inc_error_set(&inc->err, INC_EVERSION,
                             "incident %s, event %llu: kind %d is not supported by this build",
                             inc->id, (unsigned long long)ev->seq, ev->kind);
    return row->prepare(inc, ev, prep);
}

void inc__apply_commit(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__event_kind_row(ev->kind)->commit(inc, ev, prep);
    inc__due_observe(inc, ev); /* what is due follows every kind (due_engine.c) */
}

void inc__apply_release(inc_incident *inc, inc__prep *prep)
{
    prep->rubric = NULL; /* owned by the context's cache */
    inc__comms_prep_release(&prep->comms, inc->alloc);
}
