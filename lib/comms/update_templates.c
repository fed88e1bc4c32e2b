/* External-update templates (the 000 and 001 seeds: "prepare communications
 * templates"): the first update, the heartbeat, the mitigated and the
 * resolved update, rendered from the incident's state. Every template names
 * the scope and (before resolution) the time of the next update, and avoids
 * every phrase the COMM-3 lint flags; the rendered text is linted before it
 * is returned, so what the caller fills in cannot slip a fault through. */
#include <stdio.h>
#include <string.h>

#include "comms_internal.h"
#include "incident_internal.h"
#include "util/text.h"
#include "util/time.h"

/* "HH:MM UTC", with the date in front when it is not @now's UTC day. */
static void format_when(inc_time when, inc_time now, char out[40])
{
    inc__tm t, n;
    inc__time_split(when, &t);
    inc__time_split(now, &n);
    if (t.year == n.year && t.month == n.month && t.day == n.day)
        snprintf(out, 40, "%02u:%02u UTC", t.hour, t.minute);
    else
        snprintf(out, 40, "%04lld-%02u-%02u %02u:%02u UTC", (long long)t.year, t.month, t.day,
                 t.hour, t.minute);
}

/* The next update: as given, or now plus the external cadence (an hour when
 * it is "as needed"), rounded up to the minute. */
static int next_update_time(inc_incident *inc, const inc_template_vars *v, inc_time now,
                            inc_time *out)
{
    inc_cadence_info c;
    int64_t every;
    if (v->next_update != INC_TIME_NONE) {
        if (v->next_update < now)
            return inc_error_set(&inc->err, INC_EINVAL,
                                 "next_update: in the past; the next update is a promise to "
                                 "keep");
        *out = v->next_update;
        return INC_OK;
    }
    inc_incident_get_cadence(inc, INC_AUDIENCE_EXTERNAL, &c);
    every = c.every_ms > 0 ? c.every_ms : INC__MS_PER_HOUR;
    *out = now + every;
    if (*out % INC__MS_PER_MIN)
        *out += INC__MS_PER_MIN - *out % INC__MS_PER_MIN;
    return INC_OK;
}

static const inc_template_vars template_vars_defaults = INC_TEMPLATE_VARS_INIT;
INC__VSTRUCT(template_vars_v, inc_template_vars, "template vars", &template_vars_defaults,
             INC_TEMPLATE_VARS_VERSION, sizeof(inc_template_vars));

int inc_template_vars_init(inc_template_vars *vars, unsigned int version)
{
    return inc__vstruct_init(&template_vars_v, vars, version);
}

static int check_vars(inc_incident *inc, inc_template tmpl, const inc_template_vars *v)
{
    int rc;
    if ((unsigned)tmpl > INC_TEMPLATE_RESOLVED)
        return inc_error_set(&inc->err, INC_EINVAL, "template: %d is not a template", (int)tmpl);
    if ((rc = inc__check_text(&inc->err, "symptom", v->symptom, INC_TITLE_MAX,
                              INC__TEXT_SINGLE_LINE | INC__TEXT_OPTIONAL)) != INC_OK ||
        (rc = inc__check_text(&inc->err, "scope", v->scope, INC_TITLE_MAX,
                              INC__TEXT_SINGLE_LINE)) != INC_OK)
        return rc == INC_EINVAL && !v->scope
                   ? inc_error_set(&inc->err, INC_EINVAL,
                                   "scope: required: every external update names who or what "
                                   "is affected (COMM-3)")
                   : rc;
    return INC_OK;
}

static int check_state(inc_incident *inc, inc_template tmpl)
{
    int resolved = inc->state >= INC_STATE_RESOLVED;
    const char *why = NULL;
    if (tmpl == INC_TEMPLATE_MITIGATED && inc->state != INC_STATE_MONITORING)
        why = "the mitigated update needs the incident in monitoring (mitigated)";
    else if (tmpl == INC_TEMPLATE_RESOLVED && !resolved)
        why = "the resolved update needs a verified resolution (LIFE-2, COMM-3)";
    else if ((tmpl == INC_TEMPLATE_FIRST || tmpl == INC_TEMPLATE_HEARTBEAT) && resolved)
        why = "the incident is resolved: use the resolved template";
    if (!why)
        return INC_OK;
    return inc_error_set(&inc->err, INC_ESTATE, "template: %s; the incident is %s", why,
                         inc_state_name(inc->state));
}

static const char *heartbeat_lead(inc_state s)
{
    if (s == INC_STATE_MITIGATING)
        return "We are continuing to work on a fix for";
    if (s == INC_STATE_MONITORING)
        return "We are continuing to monitor the fix for";
    return "We are continuing to investigate";
}

static void render(inc__buf *b, inc_incident *inc, inc_template tmpl, const char *symptom,
                   const char *scope, const char *next)
{
    switch (tmpl) {
    case INC_TEMPLATE_FIRST:
        inc__buf_printf(b, "We are investigating reports of %s affecting %s. Next update at %s.",
                        symptom, scope, next);
        break;
    case INC_TEMPLATE_HEARTBEAT:
        inc__buf_printf(b,
                        "%s %s affecting %s. There is no new information since our last "
                        "update. Next update at %s.",
                        heartbeat_lead(inc->state), symptom, scope, next);
        break;
    case INC_TEMPLATE_MITIGATED:
        inc__buf_printf(b,
                        "A fix has been implemented for %s affecting %s, and we are monitoring "
                        "the results. Next update at %s.",
                        symptom, scope, next);
        break;
    default:
        inc__buf_printf(b,
                        "This incident has been resolved. We have verified the fix for %s "
                        "affecting %s, and the service is operating normally. This is the "
                        "final update for this incident.",
                        symptom, scope);
        break;
    }
}

/* The rendered text must pass the lint: refuse what the variables broke. */
static int lint_rendered(inc_incident *inc, const char *text)
{
    inc_findings *list;
    const inc_finding *f;
    int rc;
    if (inc__findings_new(inc->alloc, &list) != INC_OK)
        return inc__error_oom(&inc->err);
    rc = inc__update_lint_cfg(list, text, strlen(text), inc->state, NULL,
                              inc__incident_lint_view(inc));
    if (rc != INC_OK)
        rc = inc__error_oom(&inc->err);
    else if ((f = inc_findings_at(list, 0)) != NULL)
        rc = inc_error_set(&inc->err, INC_EINVAL, "template: the filled-in text fails %s: %s",
                           f->rule_id, f->message);
    inc_findings_free(list);
    return rc;
}

int inc_incident_render_template(inc_incident *inc, inc_template tmpl,
                                 const inc_template_vars *vars, char **out, size_t *len)
{
    inc_template_vars v;
    char next[40];
    inc_time now, when = 0;
    inc__buf b;
    int rc;

    if (out)
        *out = NULL;
    if (!inc)
        return INC_EINVAL;
    inc__error_clear(&inc->err);
    if (!vars || !out)
        return inc_error_set(&inc->err, INC_EINVAL, "template: NULL argument");
    if ((rc = inc__vstruct_read(&template_vars_v, &v, vars, &inc->err)) != INC_OK ||
        (rc = check_vars(inc, tmpl, &v)) != INC_OK || (rc = check_state(inc, tmpl)) != INC_OK)
        return rc;
    vars = &v;
    now = inc_context_now(inc->ctx);
    if ((rc = next_update_time(inc, vars, now, &when)) != INC_OK)
        return rc;
    format_when(when, now, next);
    inc__buf_init(&b, inc->alloc);
    render(&b, inc, tmpl, vars->symptom && vars->symptom[0] ? vars->symptom : inc->title,
           vars->scope, next);
    if (b.failed)
        rc = inc__error_oom(&inc->err);
    else
        rc = lint_rendered(inc, b.ptr);
    if (rc != INC_OK) {
        inc__buf_dispose(&b);
        return rc;
    }
    if (inc__buf_detach(&b, out, len) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}
