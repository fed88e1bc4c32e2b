/* The postmortem (PM-1, PM-2, PM-4): narrative sections supplied as events,
 * the root-cause tag, the status Draft -> In Review -> Final (Final closes
 * the incident, LIFE-1), the blameless lint, the due items of PM-2 and
 * PM-3, and the timeline lines of these events. */
#include <stdio.h>
#include <string.h>

#include "incident_internal.h"
#include "incident/lint_config.h"
#include "lint.h"
#include "lint_config_internal.h"
#include "util/text.h"
#include "util/time.h"

static const char *const section_names[INC_PM_SECTION_COUNT] = {
    "summary",   "impact",      "detection",      "root_cause", "contributing_factors",
    "went_well", "went_poorly", "lessons_learned"};
static const char *const section_titles[INC_PM_SECTION_COUNT] = {
    "Summary",        "Impact",           "Detection",      "Root cause", "Contributing factors",
    "What went well", "What went poorly", "Lessons learned"};
static const char *const status_names[] = {"Draft", "In Review", "Final"};

const char *inc_pm_section_name(inc_pm_section section)
{
    return (unsigned)section < INC_PM_SECTION_COUNT ? section_names[section] : NULL;
}

const char *inc_pm_section_title(inc_pm_section section)
{
    return (unsigned)section < INC_PM_SECTION_COUNT ? section_titles[section] : NULL;
}

int inc_pm_section_from_name(const char *name, inc_pm_section *out)
{
    unsigned i;
    int rc = inc__name_index(section_names, INC_PM_SECTION_COUNT, name, out ? &i : NULL);
    if (rc == INC_OK)
        *out = (inc_pm_section)i;
    return rc;
}

const char *inc_pm_status_name(inc_pm_status status)
{
    return (unsigned)status <= INC_PM_FINAL ? status_names[status] : NULL;
}

/* ---- state ------------------------------------------------------------------ */

void inc__pm_init(inc__pm *pm)
{
    memset(pm, 0, sizeof(*pm));
    pm->status = INC_PM_DRAFT;
    pm->status_at = pm->final_at = pm->due_done = INC_TIME_NONE;
}

void inc__pm_dispose(inc__pm *pm, const inc_allocator *a)
{
    inc__free(a, pm->items);
    pm->items = NULL;
    pm->item_count = pm->item_cap = 0;
}

int inc__pm_final(const inc_incident *inc)
{
    return inc->pm.status == INC_PM_FINAL;
}

static unsigned missing_mask(const inc_incident *inc)
{
    unsigned m = 0, i;
    for (i = 0; i < INC_PM_SECTION_COUNT; i++)
        if (!inc->pm.section[i])
            m |= 1u << i;
    return m;
}

/* ---- PM-4: the blameless lint (blame_lint.c) ---------------------------------- */

int inc_postmortem_lint(const char *text, const inc_allocator *alloc, inc_findings **out)
{
    return inc_postmortem_lint_with(text, NULL, alloc, out);
}

int inc_postmortem_lint_with(const char *text, const inc_lint_config *cfg,
                             const inc_allocator *alloc, inc_findings **out)
{
    inc_allocator a;
    inc_findings *list;
    int rc;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    if (!text || inc__alloc_init(&a, alloc) != INC_OK)
        return INC_EINVAL;
    if (strlen(text) > INC_TEXT_MAX)
        return INC_ETOOBIG;
    if (!inc__utf8_valid(text, strlen(text)))
        return INC_EINVAL;
    if (inc__findings_new(&a, &list) != INC_OK)
        return INC_ENOMEM;
    if ((rc = inc__pm_lint_cfg(list, text, strlen(text), 0, "the text",
                               inc__lint_config_view_of(cfg))) != INC_OK) {
        inc_findings_free(list);
        return rc;
    }
    *out = list;
    return INC_OK;
}

int inc_incident_lint_postmortem(const inc_incident *inc, inc_findings **out)
{
    inc_findings *list;
    unsigned i;
    int rc = INC_OK;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    if (inc__findings_new(inc->alloc, &list) != INC_OK)
        return INC_ENOMEM;
    for (i = 0; i < INC_PM_SECTION_COUNT && rc == INC_OK; i++)
        if (inc->pm.section[i])
            rc = inc__pm_lint_cfg(list, inc->pm.section[i], strlen(inc->pm.section[i]), (int)i,
                                  section_titles[i],
                                  inc__lint_config_view_of(inc->ctx->lint_config));
    if (rc != INC_OK) {
        inc_findings_free(list);
        return rc;
    }
    *out = list;
    return INC_OK;
}

/* ---- the calls ------------------------------------------------------------------- */

/* Sections and the tag change only before Final, on an incident not closed. */
static int begin_edit(inc_incident *inc, const char *actor, const char *what)
{
    int rc = inc__begin(inc, actor, what);
    if (rc != INC_OK)
        return rc;
    if (inc->pm.status == INC_PM_FINAL)
        return inc_error_set(&inc->err, INC_ESTATE, "the postmortem of %s is Final: cannot %s",
                             inc->id, what);
    return INC_OK;
}

int inc_incident_set_postmortem_section(inc_incident *inc, const char *actor,
                                        inc_pm_section section, const char *text,
                                        inc_findings **findings, uint64_t *seq)
{
    inc_findings *list = NULL;
    inc__event_draft d;
    inc__buf ids;
    int rc;

    if (findings)
        *findings = NULL;
    if ((rc = begin_edit(inc, actor, "change the postmortem")) != INC_OK)
        return rc;
    if (!inc_pm_section_name(section))
        return inc_error_set(&inc->err, INC_EINVAL, "section: %d is not a postmortem section",
                             (int)section);
    if ((rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX, 0)) != INC_OK)
        return rc;
    if (inc__lint_blank(text))
        return inc_error_set(&inc->err, INC_EINVAL, "text: the %s section is blank",
                             section_titles[section]);
    if (inc__findings_new(inc->alloc, &list) != INC_OK)
        return inc__error_oom(&inc->err);
    inc__buf_init(&ids, inc->alloc);
    rc = inc__pm_lint_cfg(list, text, strlen(text), (int)section, section_titles[section],
                          inc__lint_config_view_of(inc->ctx->lint_config));
    if (rc == INC_OK) {
        inc__findings_ids(list, 0, &ids);
        rc = ids.failed;
    }
    if (rc == INC_OK) {
        inc__draft_init(&d, INC_EV_POSTMORTEM_SECTION, actor);
        inc__draft_int(&d, INC__F_ITEM, section);
        inc__draft_str(&d, INC__F_TEXT, text);
        if (ids.len)
            inc__draft_str(&d, INC__F_FINDINGS, ids.ptr);
        rc = inc__incident_write(inc, &d);
    } else {
        rc = inc__error_oom(&inc->err);
    }
    inc__buf_dispose(&ids);
    if (rc == INC_OK && seq)
        *seq = inc->event_count;
    if (rc == INC_OK && findings)
        *findings = list;
    else
        inc_findings_free(list);
    return rc;
}

const char *inc_incident_postmortem_section(const inc_incident *inc, inc_pm_section section)
{
    if (!inc || !inc_pm_section_name(section))
        return NULL;
    return inc->pm.section[section];
}

/* "config-change", "db/connection-pool": lower-case, no spaces. */
static const char *tag_problem(const char *tag, size_t n)
{
    size_t i;
    if (n == 0 || n > INC_PM_TAG_MAX)
        return "1..64 bytes";
    for (i = 0; i < n; i++) {
        char c = tag[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || !strchr("-_./", c)))
            return "lower-case letters, digits, '-', '_', '.' and '/', starting with a letter "
                   "or digit";
    }
    return NULL;
}

int inc_incident_set_root_cause_tag(inc_incident *inc, const char *actor, const char *tag)
{
    inc__event_draft d;
    const char *why;
    int rc;

    if ((rc = begin_edit(inc, actor, "change the postmortem")) != INC_OK)
        return rc;
    if (!tag)
        return inc_error_set(&inc->err, INC_EINVAL, "tag: NULL");
    if ((why = tag_problem(tag, strlen(tag))) != NULL)
        return inc_error_set(&inc->err, INC_EINVAL, "tag: '%.80s' is not a root-cause tag: %s", tag,
                             why);
    if (inc->pm.tag && strcmp(inc->pm.tag, tag) == 0)
        return inc_error_set(&inc->err, INC_EINVAL, "tag: the root-cause tag is %s already", tag);
    inc__draft_init(&d, INC_EV_POSTMORTEM_TAG, actor);
    inc__draft_str(&d, INC__F_NAME, tag);
    return inc__incident_write(inc, &d);
}

/* Final needs every section and the tag; the message names what is missing. */
static int check_complete(inc_incident *inc)
{
    unsigned m = missing_mask(inc), i;
    char names[256] = "";

    if (!m && inc->pm.tag)
        return INC_OK;
    for (i = 0; i < INC_PM_SECTION_COUNT; i++)
        if (m & (1u << i)) {
            strcat(names, names[0] ? ", " : "");
            strcat(names, section_names[i]);
        }
    if (!inc->pm.tag)
        strcat(names, names[0] ? ", the root-cause tag" : "the root-cause tag");
    return inc_error_set(&inc->err, INC_EINVAL,
                         "status: a Final postmortem needs every section (PM-1); missing: %s",
                         names);
}

/* 1 if the status order allows @from -> @to. */
static int status_move_ok(inc_pm_status from, int64_t to)
{
    return (from == INC_PM_DRAFT && to == INC_PM_IN_REVIEW) ||
           (from == INC_PM_IN_REVIEW && (to == INC_PM_DRAFT || to == INC_PM_FINAL));
}

int inc_incident_set_postmortem_status(inc_incident *inc, const char *actor, inc_pm_status status,
                                       const char *note)
{
    inc__event_draft d;
    int rc;

    if ((rc = begin_edit(inc, actor, "change the postmortem")) != INC_OK)
        return rc;
    if (!inc_pm_status_name(status))
        return inc_error_set(&inc->err, INC_EINVAL, "status: %d is not a postmortem status",
                             (int)status);
    if ((rc = inc__check_text(&inc->err, "note", note, INC_TEXT_MAX, INC__TEXT_OPTIONAL)))
        return rc;
    if (status == inc->pm.status)
        return inc_error_set(&inc->err, INC_EINVAL, "status: the postmortem is %s already",
                             status_names[status]);
    if (!status_move_ok(inc->pm.status, status))
        return inc_error_set(&inc->err, INC_ESTATE,
                             "status: cannot move from %s to %s (Draft -> In Review -> Final)",
                             status_names[inc->pm.status], status_names[status]);
    if (inc->state != INC_STATE_RESOLVED)
        return inc_error_set(&inc->err, INC_ESTATE,
                             "status: incident %s is %s; a postmortem goes to review once it is "
                             "resolved",
                             inc->id, inc_state_name(inc->state));
    if (status == INC_PM_FINAL &&
        ((rc = inc__require_ic(inc, actor, "make the postmortem Final and close the incident")) ||
         (rc = check_complete(inc)) || (rc = inc__fields_check_close(inc))))
        return rc;
    inc__draft_init(&d, INC_EV_POSTMORTEM_STATUS, actor);
    inc__draft_int(&d, INC__F_STATUS, status);
    if (status == INC_PM_FINAL) { /* the same event closes the incident (LIFE-1) */
        inc__draft_int(&d, INC__F_STATE, INC_STATE_CLOSED);
        inc__draft_int(&d, INC__F_FROM_STATE, INC_STATE_RESOLVED);
    }
    if (note && note[0])
        inc__draft_str(&d, INC__F_TEXT, note);
    return inc__incident_write(inc, &d);
}

/* PM-2: resolution + the level's window, when one is required or started. */
static inc_time pm_due(const inc_incident *inc, int64_t *window)
{
    int required = inc_rubric_flag(inc->rubric, inc->severity_index, INC_FLAG_POSTMORTEM);
    *window = inc_rubric_duration(inc->rubric, inc->severity_index, INC_DUR_POSTMORTEM);
    if ((required || inc->pm.started) && *window > 0 && inc->resolved_at != INC_TIME_NONE)
        return inc->resolved_at + *window;
    return INC_TIME_NONE;
}

int inc_incident_get_postmortem(const inc_incident *inc, inc_postmortem_info *out)
{
    if (!inc || !out)
        return INC_EINVAL;
    memset(out, 0, sizeof(*out));
    out->status = inc->pm.status;
    out->required = inc_rubric_flag(inc->rubric, inc->severity_index, INC_FLAG_POSTMORTEM);
    out->started = inc->pm.started;
    out->due = pm_due(inc, &out->window_ms);
    if (out->due != INC_TIME_NONE && out->status != INC_PM_FINAL) {
        inc_time now = inc_context_now(inc->ctx);
        out->overdue = now > out->due;
        out->late_ms = out->overdue ? now - out->due : 0;
    }
    out->missing = missing_mask(inc);
    out->root_cause_tag = inc->pm.tag;
    out->status_at = inc->pm.status_at;
    out->final_at = inc->pm.final_at;
    return INC_OK;
}

/* ---- apply ------------------------------------------------------------------------ */

/* A postmortem edit after Final (or on a closed incident) contradicts the
 * record. */
static int editable(inc_incident *inc, const inc__event *ev)
{
    if (inc->pm.status == INC_PM_FINAL || inc->state == INC_STATE_CLOSED)
        return inc__event_corrupt(inc, ev, "a postmortem change after it was Final");
    return INC_OK;
}

int inc__pm_prepare_section(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (!inc_pm_section_name((inc_pm_section)ev->num[INC__F_ITEM]) ||
        inc__lint_blank(ev->str[INC__F_TEXT]))
        return inc__event_corrupt(inc, ev, "needs a section number and its text");
    return editable(inc, ev);
}

void inc__pm_commit_section(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    inc->pm.section[ev->num[INC__F_ITEM]] = ev->str[INC__F_TEXT];
    inc->pm.started = 1;
}

int inc__pm_prepare_tag(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (tag_problem(ev->str[INC__F_NAME], ev->str_len[INC__F_NAME]))
        return inc__event_corrupt(inc, ev, "needs a valid root-cause tag");
    return editable(inc, ev);
}

void inc__pm_commit_tag(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    inc->pm.tag = ev->str[INC__F_NAME];
    inc->pm.started = 1;
}

int inc__pm_prepare_status(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    int64_t to;
    int rc;
    (void)prep;
    if ((rc = editable(inc, ev)) != INC_OK)
        return rc;
    to = ev->num[INC__F_STATUS];
    if (!status_move_ok(inc->pm.status, to) || inc->state != INC_STATE_RESOLVED)
        return inc__event_corrupt(inc, ev,
                                  "a postmortem status move out of order or before resolution");
    if (to == INC_PM_FINAL &&
        (missing_mask(inc) || !inc->pm.tag || !inc__event_has(ev, INC__F_STATE) ||
         ev->num[INC__F_STATE] != INC_STATE_CLOSED))
        return inc__event_corrupt(inc, ev,
                                  "a Final postmortem with sections missing or not closing");
    if (to != INC_PM_FINAL && inc__event_has(ev, INC__F_STATE))
        return inc__event_corrupt(inc, ev, "only Final closes the incident");
    return INC_OK;
}

void inc__pm_commit_status(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    inc->pm.status = (inc_pm_status)ev->num[INC__F_STATUS];
    inc->pm.status_at = ev->time;
    inc->pm.started = 1;
    if (inc->pm.status == INC_PM_FINAL) {
        inc->pm.final_at = ev->time;
        inc->state = INC_STATE_CLOSED; /* LIFE-1: resolved -> closed when Final */
    }
}

/* ---- timeline lines ------------------------------------------------------------------ */

static void put_date(inc__buf *b, inc_time t)
{
    char day[11];
    inc__date_format(t, day);
    inc__buf_puts(b, day);
}

void inc__action_describe_added(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Action item A%lld added: %s (owner %s, P%lld, due ",
                    (long long)ev->num[INC__F_ITEM], inc__event_str(ev, INC__F_TITLE),
                    inc__event_str(ev, INC__F_OWNER), (long long)ev->num[INC__F_PRIORITY]);
    put_date(b, ev->num[INC__F_DUE]);
    inc__buf_putc(b, ')');
    if (inc__event_has(ev, INC__F_REASON))
        inc__buf_printf(b, " [owner override (PM-3): %s]", ev->str[INC__F_REASON]);
}

void inc__action_describe_changed(inc__buf *b, const inc__event *ev)
{
    long long id = (long long)ev->num[INC__F_ITEM];
    inc__buf_printf(b, "Action item A%lld ", id);
    if (inc__event_has(ev, INC__F_STATUS)) {
        const char *s = inc_action_status_name((inc_action_status)ev->num[INC__F_STATUS]);
        inc__buf_puts(b, s ? s : "?");
        if (inc__event_has(ev, INC__F_DECISION))
            inc__buf_printf(b, " (IC decision D%lld)", (long long)ev->num[INC__F_DECISION]);
        else if (inc__event_has(ev, INC__F_APPROVED) && ev->num[INC__F_APPROVED])
            inc__buf_puts(b, " (by the IC's decision)");
    } else if (inc__event_has(ev, INC__F_DUE)) {
        inc__buf_puts(b, "due date moved to ");
        put_date(b, ev->num[INC__F_DUE]);
    } else if (inc__event_has(ev, INC__F_OWNER)) {
        inc__buf_printf(b, "reassigned to %s", ev->str[INC__F_OWNER]);
    } else {
        inc__buf_printf(b, "priority P%lld", (long long)ev->num[INC__F_PRIORITY]);
    }
    if (inc__event_has(ev, INC__F_REASON))
        inc__buf_printf(b, ": %s", ev->str[INC__F_REASON]);
}

void inc__pm_describe_section(inc__buf *b, const inc__event *ev)
{
    const char *s = inc_pm_section_title((inc_pm_section)ev->num[INC__F_ITEM]);
    inc__buf_printf(b, "Postmortem section \"%s\" supplied (%u bytes)", s ? s : "?",
                    (unsigned)ev->str_len[INC__F_TEXT]);
    if (inc__event_has(ev, INC__F_FINDINGS))
        inc__buf_printf(b, " [%s]", ev->str[INC__F_FINDINGS]);
}

void inc__pm_describe_tag(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Postmortem root-cause tag: %s", inc__event_str(ev, INC__F_NAME));
}

void inc__pm_describe_status(inc__buf *b, const inc__event *ev)
{
    const char *s = inc_pm_status_name((inc_pm_status)ev->num[INC__F_STATUS]);
    inc__buf_printf(b, "Postmortem %s%s", s ? s : "?",
                    inc__event_has(ev, INC__F_STATE) ? "; incident closed" : "");
    if (inc__event_has(ev, INC__F_TEXT))
        inc__buf_printf(b, ": %s", ev->str[INC__F_TEXT]);
}

void inc__pm_describe_bridge(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Bridge opened: %s", inc__event_str(ev, INC__F_TARGET));
    if (inc__event_has(ev, INC__F_TEXT))
        inc__buf_printf(b, ": %s", ev->str[INC__F_TEXT]);
}

/* ---- PM-2 and PM-3 due items ------------------------------------------------------------ */

void inc__pm_due_src(const inc_incident *inc, inc__due_sink *sink)
{
    inc__due_draft d;
    int64_t window;
    inc_time due;
    size_t i;

    /* Resolved and not Final (Final closes it): the postmortem is owed. */
    due = inc->state == INC_STATE_RESOLVED ? pm_due(inc, &window) : INC_TIME_NONE;
    if (due != INC_TIME_NONE && inc->pm.due_done != due) {
        memset(&d, 0, sizeof(d));
        d.kind = INC_DUE_POSTMORTEM;
        d.due = due;
        d.target = inc->ic;
        d.span = window;
        inc__due_emit(sink, &d);
    }
    for (i = 0; i < inc->pm.item_count; i++) {
        const inc__action *a = &inc->pm.items[i];
        if (a->pub.status != INC_ACTION_OPEN || a->overdue_done == a->pub.due)
            continue;
        memset(&d, 0, sizeof(d));
        d.kind = INC_DUE_ACTION_ITEM;
        d.due = a->pub.due;
        d.target = a->pub.owner;
        d.arg = (int64_t)i;
        inc__due_emit(sink, &d);
    }
}

int inc__pm_due_valid(const inc_incident *inc, int64_t kind, int64_t idx)
{
    if (kind == INC_DUE_POSTMORTEM)
        return idx == 0;
    if (kind == INC_DUE_ACTION_ITEM)
        return idx >= 0 && (size_t)idx < inc->pm.item_count;
    return 1;
}

void inc__pm_due_retire(inc_incident *inc, int64_t kind, size_t idx, inc_time due)
{
    if (kind == INC_DUE_POSTMORTEM)
        inc->pm.due_done = due;
    else if (kind == INC_DUE_ACTION_ITEM && idx < inc->pm.item_count)
        inc->pm.items[idx].overdue_done = due;
}

void inc__pm_due_text(inc__buf *b, const inc_incident *inc, const inc__due_draft *d)
{
    char span[48];
    if (d->kind == INC_DUE_POSTMORTEM) {
        unsigned m = missing_mask(inc), n = 0, i;
        for (i = 0; i < INC_PM_SECTION_COUNT; i++)
            n += (m >> i) & 1u;
        inc__duration_format(d->span, span);
        inc__buf_printf(b,
                        "Postmortem of %s %s%s is due %s after resolution (PM-2); it is %s with "
                        "%u of %u sections missing",
                        inc->severity, inc->id, inc->drill ? " [DRILL]" : "", span,
                        status_names[inc->pm.status], n, (unsigned)INC_PM_SECTION_COUNT);
        return;
    }
    {
        const inc_action_item *p = &inc->pm.items[d->arg].pub;
        inc__buf_printf(b, "Action item A%llu of %s%s is overdue: %s (owner %s, P%d, due ",
                        (unsigned long long)p->id, inc->id, inc->drill ? " [DRILL]" : "", p->title,
                        p->owner, p->priority);
        put_date(b, p->due);
        inc__buf_puts(b, ") (PM-3)");
    }
}
