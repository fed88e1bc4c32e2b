/* The lifecycle (LIFE-1, LIFE-2) and the calls that move it, change
 * severity (AUTH-1, AUTH-2) and add notes and corrections (LIFE-3). */
#include <string.h>

#include "incident_internal.h"
#include "lifecycle.h"
#include "util/text.h"

static const char *const state_names[] = {"declared",   "investigating", "mitigating",
                                          "monitoring", "resolved",      "closed"};
#define STATE_COUNT (sizeof(state_names) / sizeof(state_names[0]))

const char *inc_state_name(inc_state state)
{
    if ((unsigned)state >= STATE_COUNT)
        return NULL;
    return state_names[state];
}

int inc_state_from_name(const char *name, inc_state *out)
{
    unsigned i;
    int rc = inc__name_index(state_names, STATE_COUNT, name, out ? &i : NULL);
    if (rc == INC_OK)
        *out = (inc_state)i;
    return rc;
}

int inc__state_move_allowed(inc_state from, int64_t to)
{
    if (to < 0 || to >= (int64_t)STATE_COUNT)
        return 0;
    if (to == (int64_t)from + 1)
        return 1;
    return from == INC_STATE_MONITORING && to == INC_STATE_MITIGATING;
}

int inc__reopen_target_allowed(int64_t to)
{
    return to == INC_STATE_INVESTIGATING || to == INC_STATE_MITIGATING;
}

/* Append a rule reference to the message already recorded. */
static int annotate(inc_incident *inc, int rc, const char *why)
{
    char msg[sizeof(inc->err.msg)];
    memcpy(msg, inc->err.msg, sizeof(msg));
    return inc_error_set(&inc->err, rc, "%s (%s)", msg, why);
}

int inc_incident_set_severity(inc_incident *inc, const char *actor, const char *severity,
                              const char *justification)
{
    inc__event_draft d;
    size_t level;
    int rc;

    if ((rc = inc__begin(inc, actor, "change severity")) != INC_OK)
        return rc;
    if ((rc = inc__check_text(&inc->err, "severity", severity, INC_LEVEL_NAME_MAX,
                              INC__TEXT_SINGLE_LINE)) != INC_OK)
        return rc;
    if ((rc = inc__require_ic(inc, actor, "change severity")) != INC_OK)
        return rc;
    if ((rc = inc__check_text(&inc->err, "justification", justification, INC_TEXT_MAX, 0)) !=
        INC_OK)
        return annotate(inc, rc, "AUTH-2: every severity change is justified");
    if (inc_rubric_get_level_index(inc->rubric, severity, &level) != INC_OK)
        return inc_error_set(&inc->err, INC_EINVAL,
                             "severity: '%s' is not a level of this incident's rubric", severity);
    if (level == inc->severity_index)
        return inc_error_set(&inc->err, INC_EINVAL, "severity: the incident is already %s",
                             severity);
    inc__draft_init(&d, INC_EV_SEVERITY_CHANGED, actor);
    inc__draft_str(&d, INC__F_SEVERITY, severity);
    inc__draft_str(&d, INC__F_FROM_SEVERITY, inc->severity);
    inc__draft_str(&d, INC__F_TEXT, justification);
    return inc__incident_write(inc, &d);
}

/* Closing needs the postmortem done, unless the level requires none. */
static int check_close(inc_incident *inc)
{
    if (!inc_rubric_flag(inc->rubric, inc->severity_index, INC_FLAG_POSTMORTEM) ||
        inc__pm_final(inc))
        return INC_OK;
    return inc_error_set(&inc->err, INC_ESTATE,
                         "incident %s: %s requires a postmortem; it closes when the IC makes "
                         "the postmortem Final (inc_incident_set_postmortem_status, LIFE-1, PM-2)",
                         inc->id, inc->severity);
}

int inc_incident_set_state(inc_incident *inc, const char *actor, inc_state state, const char *text)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "change state")) != INC_OK)
        return rc;
    if (!inc_state_name(state))
        return inc_error_set(&inc->err, INC_EINVAL, "state: %d is not a state", (int)state);
    if ((rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX,
                              state == INC_STATE_RESOLVED ? 0 : INC__TEXT_OPTIONAL)) != INC_OK)
        return state == INC_STATE_RESOLVED
                   ? annotate(inc, rc, "LIFE-2: resolving needs a verification note")
                   : rc;
    if ((rc = inc__require_ic(inc, actor, "move the lifecycle")) != INC_OK)
        return rc;
    if (!inc__state_move_allowed(inc->state, state))
        return inc_error_set(&inc->err, INC_ESTATE, "state: cannot move from %s to %s (LIFE-1)",
                             inc_state_name(inc->state), inc_state_name(state));
    if (state == INC_STATE_CLOSED &&
        ((rc = check_close(inc)) != INC_OK || (rc = inc__fields_check_close(inc)) != INC_OK))
        return rc;
    inc__draft_init(&d, INC_EV_STATE_CHANGED, actor);
    inc__draft_int(&d, INC__F_STATE, state);
    inc__draft_int(&d, INC__F_FROM_STATE, inc->state);
    if (text && text[0])
        inc__draft_str(&d, INC__F_TEXT, text);
    return inc__incident_write(inc, &d);
}

/* LIFE-4: only a resolved incident; a closed one points to a recurrence. */
static int check_reopenable(inc_incident *inc)
{
    if (inc->state == INC_STATE_CLOSED)
        return inc_error_set(&inc->err, INC_ESTATE,
                             "incident %s is closed and is never reopened (LIFE-4): declare a new "
                             "incident and link it as a recurrence of %s (LIFE-5)",
                             inc->id, inc->id);
    if (inc->state != INC_STATE_RESOLVED)
        return inc_error_set(&inc->err, INC_ESTATE,
                             "incident %s is %s: only a resolved incident is reopened (LIFE-4)",
                             inc->id, inc_state_name(inc->state));
    return INC_OK;
}

int inc_incident_reopen(inc_incident *inc, const char *actor, inc_state state,
                        const char *justification)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, NULL)) != INC_OK)
        return rc;
    if (!inc__reopen_target_allowed(state))
        return inc_error_set(&inc->err, INC_EINVAL,
                             "state: a reopened incident goes back to investigating or mitigating, "
                             "not %s (LIFE-4)",
                             inc_state_name(state) ? inc_state_name(state) : "an unknown state");
    if ((rc = inc__check_text(&inc->err, "justification", justification, INC_TEXT_MAX, 0)) !=
        INC_OK)
        return annotate(inc, rc, "LIFE-4: every reopening is justified");
    if ((rc = check_reopenable(inc)) != INC_OK ||
        (rc = inc__require_ic(inc, actor, "reopen the incident")) != INC_OK)
        return rc;
    inc__draft_init(&d, INC_EV_REOPENED, actor);
    inc__draft_int(&d, INC__F_STATE, state);
    inc__draft_int(&d, INC__F_FROM_STATE, INC_STATE_RESOLVED);
    inc__draft_str(&d, INC__F_TEXT, justification);
    return inc__incident_write(inc, &d);
}

int inc_incident_note(inc_incident *inc, const char *actor, const char *text)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "add a note")) != INC_OK)
        return rc;
    if ((rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX, 0)) != INC_OK)
        return rc;
    inc__draft_init(&d, INC_EV_NOTE, actor);
    inc__draft_str(&d, INC__F_TEXT, text);
    return inc__incident_write(inc, &d);
}

int inc_incident_correct(inc_incident *inc, const char *actor, uint64_t seq, const char *text)
{
    inc__event_draft d;
    int rc;

    /* LIFE-3: corrections are allowed even on a closed incident. */
    if ((rc = inc__begin(inc, actor, NULL)) != INC_OK ||
        (rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX, 0)) != INC_OK)
        return rc;
    if (seq < 1 || seq > inc->event_count)
        return inc_error_set(&inc->err, INC_ENOTFOUND, "seq: incident %s has no event %llu",
                             inc->id, (unsigned long long)seq);
    inc__draft_init(&d, INC_EV_CORRECTION, actor);
    inc__draft_int(&d, INC__F_REF_SEQ, (int64_t)seq);
    inc__draft_str(&d, INC__F_TEXT, text);
    return inc__incident_write(inc, &d);
}

/* ---- accessors ----------------------------------------------------------- */

#define ACCESSOR(type, name, field, none)                                                          \
    type inc_incident_##name(const inc_incident *inc)                                              \
    {                                                                                              \
        return inc ? inc->field : none;                                                            \
    }

const char *inc_incident_id(const inc_incident *inc)
{
    return inc ? inc->id : NULL;
}
ACCESSOR(const char *, title, title, NULL)
ACCESSOR(const char *, channel, channel, NULL)
ACCESSOR(const char *, declarer, declarer, NULL)
ACCESSOR(const char *, ic, ic, NULL)
ACCESSOR(const char *, severity, severity, NULL)
ACCESSOR(size_t, severity_index, severity_index, 0)
ACCESSOR(inc_state, state, state, INC_STATE_DECLARED)
ACCESSOR(unsigned, criteria, criteria, 0)
ACCESSOR(int, is_drill, drill, 0)
ACCESSOR(inc_time, declared_at, declared_at, INC_TIME_NONE)
ACCESSOR(inc_time, impact_started, impact_started, INC_TIME_NONE)
ACCESSOR(inc_time, detected, detected, INC_TIME_NONE)
ACCESSOR(inc_time, mitigated_at, mitigated_at, INC_TIME_NONE)
ACCESSOR(inc_time, resolved_at, resolved_at, INC_TIME_NONE)
ACCESSOR(inc_time, reopened_at, reopened_at, INC_TIME_NONE)
ACCESSOR(unsigned, reopen_count, reopen_count, 0)
ACCESSOR(const inc_rubric *, rubric, rubric, NULL)
ACCESSOR(uint64_t, last_seq, event_count, 0)
