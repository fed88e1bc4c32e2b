/* Status updates to the three audiences (COMM-1, COMM-3): who writes them,
 * recording them (with the external lint of update_lint.c), reading them
 * back, and the timeline lines of every kind this layer adds. Cadences and
 * required communications are in cadence.c. */
#include <stdio.h>
#include <string.h>

#include "comms_internal.h"
#include "incident_internal.h"
#include "lint.h"
#include "util/text.h"
#include "util/time.h"

static const char *const audience_names[INC_AUDIENCE_COUNT] = {"external", "internal", "response"};
static const inc_role audience_writers[INC_AUDIENCE_COUNT] = {INC_ROLE_COMMS, INC_ROLE_LIAISON,
                                                              INC_ROLE_IC};
static const char *const comm_names[INC_COMM_COUNT] = {"status_page", "customer_email",
                                                       "exec_notify"};
#define ALL_COMMS ((1u << INC_COMM_COUNT) - 1)

const char *inc_audience_name(inc_audience audience)
{
    return (unsigned)audience < INC_AUDIENCE_COUNT ? audience_names[audience] : NULL;
}

int inc_audience_from_name(const char *name, inc_audience *out)
{
    unsigned i;
    int rc = inc__name_index(audience_names, INC_AUDIENCE_COUNT, name, out ? &i : NULL);
    if (rc == INC_OK)
        *out = (inc_audience)i;
    return rc;
}

inc_role inc_audience_writer(inc_audience audience)
{
    return (unsigned)audience < INC_AUDIENCE_COUNT ? audience_writers[audience] : INC_ROLE_COUNT;
}

const char *inc_comm_kind_name(inc_comm_kind kind)
{
    return (unsigned)kind < INC_COMM_COUNT ? comm_names[kind] : NULL;
}

/* Comm kinds named in a comma-separated list, as a mask; -1 for an
 * unknown name. */
static int parse_comms(const char *s, size_t len, unsigned *mask)
{
    size_t start = 0, i, k;
    *mask = 0;
    for (i = 0; i <= len; i++) {
        if (i < len && s[i] != ',')
            continue;
        for (k = 0; k < INC_COMM_COUNT; k++)
            if (strlen(comm_names[k]) == i - start &&
                memcmp(s + start, comm_names[k], i - start) == 0)
                break;
        if (k == INC_COMM_COUNT)
            return -1;
        *mask |= INC_COMM_BIT(k);
        start = i + 1;
    }
    return 0;
}

void inc__comms_init(inc__comms *c)
{
    unsigned i;
    memset(c, 0, sizeof(*c));
    for (i = 0; i < INC_AUDIENCE_COUNT; i++)
        c->last_at[i] = INC_TIME_NONE;
    for (i = 0; i < INC_COMM_COUNT; i++)
        c->comm_sent[i] = INC_TIME_NONE;
}

void inc__comms_dispose(inc__comms *c, const inc_allocator *a)
{
    size_t i;
    for (i = 0; i < c->dec_count; i++)
        inc__free(a, c->dec[i].block);
    inc__free(a, c->dec);
    inc__free(a, c->cans);
    inc__free(a, c->updates);
    memset(c, 0, sizeof(*c));
}

void inc__comms_prep_release(inc__comms_prep *p, const inc_allocator *a)
{
    inc__free(a, p->block);
    p->block = NULL;
    p->count = 0;
}

/* ---- the writer (COMM-1, COMM-3) ---------------------------------------- */

unsigned inc__comms_roles_of(const inc_incident *inc, const char *person)
{
    unsigned mask = inc__roles_mask(&inc->roles, person);
    if (strcmp(person, inc->ic) == 0)
        mask |= INC_ROLE_BIT(INC_ROLE_IC);
    return mask;
}

/* At a level where Comms Lead and Internal Liaison may be one person
 * (ROLE-6), the holder of either writes for the other while it is unfilled. */
static int covers_combined(inc_incident *inc, const char *author, unsigned held, inc_role need)
{
    inc_role other;
    if (need != INC_ROLE_COMMS && need != INC_ROLE_LIAISON)
        return 0;
    other = need == INC_ROLE_COMMS ? INC_ROLE_LIAISON : INC_ROLE_COMMS;
    return (held & INC_ROLE_BIT(other)) &&
           inc_rubric_combo(inc->rubric, inc->severity_index, INC_ROLE_COMMS, INC_ROLE_LIAISON) !=
               INC_COMBO_NEVER &&
           !inc__roles_other_holder(&inc->roles, need, author);
}

int inc__comms_check_writer(inc_incident *inc, const char *author, inc_audience audience,
                            inc_findings *list)
{
    inc_role need = inc_audience_writer(audience);
    unsigned held = inc__comms_roles_of(inc, author);
    const inc_assignment *holder;
    const char *who;
    char msg[320];
    inc_finding f;

    if ((held & INC_ROLE_BIT(need)) || covers_combined(inc, author, held, need))
        return INC_OK;
    holder = need == INC_ROLE_IC ? NULL : inc__roles_other_holder(&inc->roles, need, author);
    who = need == INC_ROLE_IC ? inc->ic : holder ? holder->person : NULL;
    snprintf(msg, sizeof(msg),
             "COMM-1: %s does not hold %s: %s updates are written by the %s (%s)%s", author,
             inc_role_title(need), audience_names[audience], inc_role_title(need),
             who ? who : "nobody holds it: assign one",
             audience == INC_AUDIENCE_EXTERNAL ? "; not the IC, not an SME (COMM-3)" : "");
    if (inc_context_policy(inc->ctx) == INC_POLICY_STRICT)
        return inc_error_set(&inc->err, INC_EROLE, "%s", msg);
    if (!list)
        return INC_OK;
    inc__finding_init(&f, "COMM-1.wrong-writer");
    inc__finding_person(&f, author);
    if (who)
        inc__finding_person(&f, who);
    inc__finding_role(&f, need);
    f.level = inc->severity;
    f.level_index = inc->severity_index;
    f.enforced = 1;
    if (inc__findings_add(list, &f, "%s", msg) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

/* ---- recording an update ------------------------------------------------- */

static const inc_update update_defaults = INC_UPDATE_INIT;
INC__VSTRUCT(update_v, inc_update, "update", &update_defaults, INC_UPDATE_VERSION,
             sizeof(inc_update));

int inc_update_init(inc_update *update, unsigned int version)
{
    return inc__vstruct_init(&update_v, update, version);
}

static int check_update(inc_incident *inc, const void *arg)
{
    const inc_update *u = arg;
    int rc;
    if (!inc_audience_name(u->audience))
        return inc_error_set(&inc->err, INC_EINVAL, "audience: %d is not an audience",
                             (int)u->audience);
    if ((rc = inc__check_text(&inc->err, "body", u->body, INC_TEXT_MAX, 0)) != INC_OK ||
        (rc = inc__check_text(&inc->err, "components", u->components, INC_TITLE_MAX,
                              INC__TEXT_SINGLE_LINE | INC__TEXT_OPTIONAL)) != INC_OK)
        return rc;
    if (inc__lint_blank(u->body))
        return inc_error_set(&inc->err, INC_EINVAL, "body: empty");
    if (u->comms & ~ALL_COMMS)
        return inc_error_set(&inc->err, INC_EINVAL, "comms: unknown bits 0x%x",
                             u->comms & ~ALL_COMMS);
    return INC_OK;
}

static unsigned default_comms(inc_audience a)
{
    if (a == INC_AUDIENCE_EXTERNAL)
        return INC_COMM_BIT(INC_COMM_STATUS_PAGE);
    if (a == INC_AUDIENCE_INTERNAL)
        return INC_COMM_BIT(INC_COMM_EXEC_NOTIFY);
    return 0;
}

static int lint_update(inc_incident *inc, const char *author, const void *arg, inc_findings *list)
{
    const inc_update *u = arg;
    int rc = inc__comms_check_writer(inc, author, u->audience, list);
    if (rc == INC_OK && u->audience == INC_AUDIENCE_EXTERNAL)
        rc = inc__update_lint_cfg(list, u->body, strlen(u->body), inc->state, u->components,
                                  inc__incident_lint_view(inc));
    return rc;
}

/* The communications the update goes out by, comma-separated. */
static void update_targets(const void *arg, inc__buf *b)
{
    const inc_update *u = arg;
    unsigned comms = u->comms ? u->comms : default_comms(u->audience), k;
    for (k = 0; k < INC_COMM_COUNT; k++)
        if (comms & INC_COMM_BIT(k)) {
            if (b->len)
                inc__buf_putc(b, ',');
            inc__buf_puts(b, comm_names[k]);
        }
}

static void draft_update(inc_incident *inc, inc__event_draft *d, const void *arg,
                         const inc__buf *ids, const inc__buf *targets)
{
    const inc_update *u = arg;
    inc__draft_int(d, INC__F_AUDIENCE, u->audience);
    inc__draft_str(d, INC__F_TEXT, u->body);
    inc__draft_str(d, INC__F_SEVERITY, inc->severity);
    inc__draft_int(d, INC__F_STATE, inc->state);
    if (targets->len)
        inc__draft_str(d, INC__F_TARGET, targets->ptr);
    if (ids->len)
        inc__draft_str(d, INC__F_FINDINGS, ids->ptr);
    if (u->components && u->components[0])
        inc__draft_str(d, INC__F_COMPONENTS, u->components);
}

static const inc__linted_kind update_kind = {
    .event_kind = INC_EV_STATUS_UPDATE,
    .arg = "update",
    .verb = "post a status update",
    .version = &update_v,
    .check = check_update,
    .lint = lint_update,
    .extra = update_targets,
    .draft = draft_update,
};

int inc_incident_add_update(inc_incident *inc, const char *author, const inc_update *update,
                            inc_findings **findings, uint64_t *seq)
{
    inc_update copy;
    return inc__record_linted(inc, author, update, &copy, &update_kind, findings, seq);
}

/* ---- recording a linted event (CAN reports, status updates) -------------- */

/* Lint, collect the finding IDs and the extra list, and write the event. */
static int write_linted(inc_incident *inc, const char *author, const void *arg,
                        const inc__linted_kind *kind, inc_findings *list)
{
    inc__event_draft d;
    inc__buf ids, extra;
    int rc;

    inc__buf_init(&ids, inc->alloc);
    inc__buf_init(&extra, inc->alloc);
    rc = kind->lint(inc, author, arg, list);
    if (rc == INC_OK) {
        inc__findings_ids(list, 0, &ids);
        kind->extra(arg, &extra);
        rc = ids.failed ? ids.failed : extra.failed;
    }
    if (rc == INC_OK) {
        inc__draft_init(&d, kind->event_kind, author);
        kind->draft(inc, &d, arg, &ids, &extra);
        rc = inc__incident_write(inc, &d);
    } else if (rc == INC_ENOMEM) {
        /* The writer check's refusal keeps its message. */
        rc = inc__error_oom(&inc->err);
    }
    inc__buf_dispose(&ids);
    inc__buf_dispose(&extra);
    return rc;
}

int inc__record_linted(inc_incident *inc, const char *author, const void *arg, void *copy,
                       const inc__linted_kind *kind, inc_findings **findings, uint64_t *seq)
{
    inc_findings *list = NULL;
    int rc;

    if (findings)
        *findings = NULL;
    if (!inc)
        return INC_EINVAL;
    inc__error_clear(&inc->err);
    if (!arg)
        return inc_error_set(&inc->err, INC_EINVAL, "%s: NULL", kind->arg);
    if ((rc = inc__begin(inc, author, kind->verb)) != INC_OK ||
        (rc = inc__vstruct_read(kind->version, copy, arg, &inc->err)) != INC_OK ||
        (rc = kind->check(inc, copy)) != INC_OK)
        return rc;
    arg = copy;
    if (inc__findings_new(inc->alloc, &list) != INC_OK)
        return inc__error_oom(&inc->err);
    rc = write_linted(inc, author, arg, kind, list);
    if (rc != INC_OK || !findings)
        inc_findings_free(list);
    else
        *findings = list;
    if (rc == INC_OK && seq)
        *seq = inc->event_count;
    return rc;
}

/* ---- apply --------------------------------------------------------------- */

static int bad_audience(const inc__event *ev)
{
    return !inc__event_has(ev, INC__F_AUDIENCE) || ev->num[INC__F_AUDIENCE] < 0 ||
           ev->num[INC__F_AUDIENCE] >= INC_AUDIENCE_COUNT;
}

int inc__comms_prepare_update(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__comms *c = &inc->comms;
    unsigned mask;
    (void)prep;
    if (bad_audience(ev))
        return inc__event_corrupt(inc, ev, "audience out of range");
    if (inc__event_has(ev, INC__F_TARGET) &&
        parse_comms(ev->str[INC__F_TARGET], ev->str_len[INC__F_TARGET], &mask) != 0)
        return inc__event_corrupt(inc, ev, "unknown communication in target");
    if (inc__array_reserve(inc->alloc, (void **)&c->updates, &c->update_cap, c->update_count + 1,
                           sizeof(*c->updates)) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

void inc__comms_commit_update(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__comms *c = &inc->comms;
    int a = (int)ev->num[INC__F_AUDIENCE];
    unsigned mask = 0, k;
    (void)prep;
    c->updates[c->update_count++] = (uint32_t)(ev->seq - 1);
    c->heard_count[a]++;
    c->last_at[a] = ev->time;
    c->last_by[a] = ev->str[INC__F_ACTOR];
    if (inc__event_has(ev, INC__F_TARGET))
        parse_comms(ev->str[INC__F_TARGET], ev->str_len[INC__F_TARGET], &mask);
    for (k = 0; k < INC_COMM_COUNT; k++)
        if ((mask & INC_COMM_BIT(k)) && c->comm_sent[k] == INC_TIME_NONE)
            c->comm_sent[k] = ev->time;
}

int inc__comms_prepare_cadence(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int64_t v;
    (void)prep;
    if (bad_audience(ev))
        return inc__event_corrupt(inc, ev, "audience out of range");
    v = ev->num[INC__F_DURATION];
    if (v != INC_DURATION_NONE && v != INC_CADENCE_RUBRIC && v < 60000)
        return inc__event_corrupt(inc, ev, "a cadence below one minute");
    return INC_OK;
}

void inc__comms_commit_cadence(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int a = (int)ev->num[INC__F_AUDIENCE];
    (void)prep;
    inc->comms.cadence[a] = ev->num[INC__F_DURATION];
    inc->comms.cadence_set[a] = ev->num[INC__F_DURATION] != INC_CADENCE_RUBRIC;
}

/* ---- reading updates back ------------------------------------------------ */

size_t inc_incident_update_count(const inc_incident *inc)
{
    return inc ? inc->comms.update_count : 0;
}

int inc_incident_get_update(const inc_incident *inc, size_t index, inc_update_info *out)
{
    inc__event ev;
    unsigned mask = 0;

    if (!inc || !out)
        return INC_EINVAL;
    if (index >= inc->comms.update_count)
        return INC_ENOTFOUND;
    if (inc__incident_event_at(inc, inc->comms.updates[index], &ev) != INC_OK)
        return INC_ECORRUPT; /* cannot happen: it was decoded when applied */
    if (inc__event_has(&ev, INC__F_TARGET))
        parse_comms(ev.str[INC__F_TARGET], ev.str_len[INC__F_TARGET], &mask);
    out->seq = ev.seq;
    out->time = ev.time;
    out->audience = (inc_audience)ev.num[INC__F_AUDIENCE];
    out->author = inc__event_str(&ev, INC__F_ACTOR);
    out->body = inc__event_str(&ev, INC__F_TEXT);
    out->components = inc__event_str(&ev, INC__F_COMPONENTS);
    out->comms = mask;
    out->state = inc__event_has(&ev, INC__F_STATE) ? (inc_state)ev.num[INC__F_STATE]
                                                   : INC_STATE_INVESTIGATING;
    out->severity = inc__event_str(&ev, INC__F_SEVERITY);
    out->findings = inc__event_str(&ev, INC__F_FINDINGS);
    return INC_OK;
}

/* ---- the timeline lines -------------------------------------------------- */

static const char *audience_or_unknown(const inc__event *ev)
{
    return bad_audience(ev) ? "?" : audience_names[ev->num[INC__F_AUDIENCE]];
}

void inc__comms_describe_update(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Status update (%s): %s", audience_or_unknown(ev),
                    inc__event_str(ev, INC__F_TEXT));
    if (inc__event_has(ev, INC__F_FINDINGS))
        inc__buf_printf(b, " [lint: %s]", ev->str[INC__F_FINDINGS]);
}

void inc__comms_describe_cadence(inc__buf *b, const inc__event *ev)
{
    char dur[48];
    if (ev->num[INC__F_DURATION] == INC_CADENCE_RUBRIC)
        snprintf(dur, sizeof(dur), "the rubric's");
    else if (ev->num[INC__F_DURATION] == INC_DURATION_NONE)
        snprintf(dur, sizeof(dur), "as needed");
    else
        inc__duration_format(ev->num[INC__F_DURATION], dur);
    inc__buf_printf(b, "Cadence (%s) set to %s", audience_or_unknown(ev), dur);
    if (inc__event_has(ev, INC__F_TEXT))
        inc__buf_printf(b, ": %s", ev->str[INC__F_TEXT]);
}
