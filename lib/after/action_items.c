/* Action items (PM-3): one person as owner (a team needs a recorded
 * override), an absolute due date, a priority, open/done/cancelled, the
 * reason of every due-date move, and the IC decision that a Sev-0/Sev-1
 * item's cancellation needs (AUTH-1). The apply logic is shared with the
 * store scan (store_scan.c), so both read an item's history the same way. */
#include <stdio.h>
#include <string.h>

#include "incident_internal.h"
#include "util/text.h"
#include "util/time.h"

static const char *const status_names[] = {"open", "done", "cancelled"};
#define STATUS_COUNT 3

const char *inc_action_status_name(inc_action_status status)
{
    return (unsigned)status < STATUS_COUNT ? status_names[status] : NULL;
}

int inc_action_status_from_name(const char *name, inc_action_status *out)
{
    unsigned i;
    int rc = inc__name_index(status_names, STATUS_COUNT, name, out ? &i : NULL);
    if (rc == INC_OK)
        *out = (inc_action_status)i;
    return rc;
}

int inc_action_is_overdue(const inc_action_item *item, inc_time now)
{
    return item && item->status == INC_ACTION_OPEN && item->due != INC_TIME_NONE && now > item->due;
}

/* ---- PM-3: a person, not a team ------------------------------------------ */

static const char *const team_words[] = {
    "team",    "teams",  "squad",    "eng",        "engineering", "ops",       "devops",
    "sre",     "oncall", "rotation", "all",        "everyone",    "everybody", "anyone",
    "someone", "nobody", "group",    "dept",       "department",  "staff",     "crew",
    "org",     "and",    "tbd",      "unassigned",
};

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

static int word_is(const char *w, size_t n, const char *word)
{
    return strlen(word) == n && inc__ascii_ncasecmp(w, word, n) == 0;
}

int inc_action_owner_is_team(const char *owner)
{
    const char *p, *prev = NULL;
    size_t prev_len = 0, i;

    if (!owner)
        return 0;
    if (owner[0] == '@' || strpbrk(owner, "#,&/+;"))
        return 1; /* a group mention, a channel, or a list of several */
    for (p = owner; *p;) {
        const char *w;
        size_t n;
        while (*p && !is_alnum(*p))
            p++;
        for (w = p; *p && is_alnum(*p); p++)
            ;
        if (!(n = (size_t)(p - w)))
            break;
        for (i = 0; i < sizeof(team_words) / sizeof(team_words[0]); i++)
            if (word_is(w, n, team_words[i]))
                return 1;
        if (prev && word_is(prev, prev_len, "on") && word_is(w, n, "call"))
            return 1; /* "on call", "on-call" */
        prev = w;
        prev_len = n;
    }
    return 0;
}

/* ---- Sev-0/Sev-1 levels (PM-3, PM-2) ----------------------------------------- */

int inc__pm_level_protected(const inc_rubric *r, size_t level)
{
    size_t n = inc_rubric_level_count(r), i;
    int64_t tightest = INT64_MAX, mine;

    if (level >= n || !inc_rubric_flag(r, level, INC_FLAG_POSTMORTEM))
        return 0;
    for (i = 0; i < n; i++) {
        int64_t w = inc_rubric_duration(r, i, INC_DUR_POSTMORTEM);
        if (inc_rubric_flag(r, i, INC_FLAG_POSTMORTEM) && w > 0 && w < tightest)
            tightest = w;
    }
    mine = inc_rubric_duration(r, level, INC_DUR_POSTMORTEM);
    return mine > 0 && mine == tightest;
}

/* ---- the apply logic, shared with the store scan ------------------------------ */

/* Which change an action_changed event carries: exactly one of these. */
static const int change_tags[] = {INC__F_STATUS, INC__F_DUE, INC__F_OWNER, INC__F_PRIORITY};

static int change_tag(const inc__event *ev)
{
    int found = 0;
    size_t i;
    for (i = 0; i < sizeof(change_tags) / sizeof(change_tags[0]); i++)
        if (inc__event_has(ev, change_tags[i])) {
            if (found)
                return -1;
            found = change_tags[i];
        }
    return found;
}

static int priority_ok(int64_t p)
{
    return p >= INC_ACTION_P1 && p <= INC_ACTION_P4;
}

const char *inc__action_check(const inc__action *items, size_t count, const inc__event *ev)
{
    int tag;
    (void)items;
    if (ev->kind == INC_EV_ACTION_ADDED) {
        if (!inc__event_has(ev, INC__F_ITEM) || !inc__event_has(ev, INC__F_TITLE) ||
            !inc__event_has(ev, INC__F_OWNER) || !inc__event_has(ev, INC__F_DUE) ||
            !inc__event_has(ev, INC__F_PRIORITY))
            return "an action item needs item, title, owner, due and priority";
        if (ev->num[INC__F_ITEM] != (int64_t)count + 1)
            return "action item ids are 1, 2, ... in order";
        if (!priority_ok(ev->num[INC__F_PRIORITY]))
            return "priority out of range";
        return NULL;
    }
    if (!inc__event_has(ev, INC__F_ITEM) || ev->num[INC__F_ITEM] < 1 ||
        ev->num[INC__F_ITEM] > (int64_t)count)
        return "no such action item";
    tag = change_tag(ev);
    if (tag <= 0)
        return "an action change carries exactly one of status, due, owner, priority";
    if (tag == INC__F_STATUS && !inc_action_status_name((inc_action_status)ev->num[tag]))
        return "status out of range";
    if (tag == INC__F_PRIORITY && !priority_ok(ev->num[tag]))
        return "priority out of range";
    if (tag == INC__F_DUE && !inc__event_has(ev, INC__F_REASON))
        return "a due-date move without its reason (PM-3)";
    return NULL;
}

static const char *opt_str(const inc__event *ev, int tag)
{
    return inc__event_has(ev, tag) ? ev->str[tag] : NULL;
}

static void apply_added(inc__action *a, const inc__event *ev)
{
    inc_action_item *p = &a->pub;
    memset(a, 0, sizeof(*a));
    p->id = (uint64_t)ev->num[INC__F_ITEM];
    p->title = ev->str[INC__F_TITLE];
    p->detail = inc__event_str(ev, INC__F_TEXT);
    p->owner = ev->str[INC__F_OWNER];
    p->owner_override = opt_str(ev, INC__F_REASON);
    p->priority = (int)ev->num[INC__F_PRIORITY];
    p->status = INC_ACTION_OPEN;
    p->due = p->original_due = ev->num[INC__F_DUE];
    p->created_at = ev->time;
    p->created_by = ev->str[INC__F_ACTOR];
    p->closed_at = INC_TIME_NONE;
    p->seq = ev->seq;
    a->overdue_done = INC_TIME_NONE;
}

static void apply_status(inc_action_item *p, const inc__event *ev)
{
    p->status = (inc_action_status)ev->num[INC__F_STATUS];
    p->reason = opt_str(ev, INC__F_REASON);
    p->decision = inc__event_has(ev, INC__F_DECISION) ? (uint64_t)ev->num[INC__F_DECISION] : 0;
    p->ic_decision = inc__event_has(ev, INC__F_APPROVED) && ev->num[INC__F_APPROVED] != 0;
    if (p->status == INC_ACTION_OPEN) {
        p->closed_at = INC_TIME_NONE;
        p->closed_by = NULL;
    } else {
        p->closed_at = ev->time;
        p->closed_by = ev->str[INC__F_ACTOR];
    }
}

void inc__action_apply(inc__action *items, size_t *count, const inc__event *ev)
{
    inc_action_item *p;

    if (ev->kind == INC_EV_ACTION_ADDED) {
        apply_added(&items[*count], ev);
        (*count)++;
        return;
    }
    p = &items[ev->num[INC__F_ITEM] - 1].pub;
    switch (change_tag(ev)) {
    case INC__F_STATUS:
        apply_status(p, ev);
        break;
    case INC__F_DUE:
        p->due = ev->num[INC__F_DUE];
        p->due_moves++;
        p->due_reason = ev->str[INC__F_REASON];
        break;
    case INC__F_OWNER:
        p->owner = ev->str[INC__F_OWNER];
        p->owner_override = opt_str(ev, INC__F_REASON);
        break;
    default: /* INC__F_PRIORITY */
        p->priority = (int)ev->num[INC__F_PRIORITY];
        break;
    }
}

/* ---- apply functions ----------------------------------------------------------- */

static int corrupt(inc_incident *inc, const inc__event *ev, const char *why)
{
    return inc_error_set(&inc->err, INC_ECORRUPT, "incident %s, event %llu (%s): %s", inc->id,
                         (unsigned long long)ev->seq, inc__event_kind_name(ev->kind), why);
}

int inc__action_prepare_added(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    const char *why = inc__action_check(inc->pm.items, inc->pm.item_count, ev);
    (void)prep;
    if (why)
        return corrupt(inc, ev, why);
    /* Room for the item, so commit cannot fail; the count is unchanged. */
    if (inc__array_reserve(inc->alloc, (void **)&inc->pm.items, &inc->pm.item_cap,
                           inc->pm.item_count + 1, sizeof(inc__action)) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

void inc__action_commit_added(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    inc__action_apply(inc->pm.items, &inc->pm.item_count, ev);
}

int inc__action_prepare_changed(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    const char *why = inc__action_check(inc->pm.items, inc->pm.item_count, ev);
    const inc_action_item *p;
    (void)prep;
    if (why)
        return corrupt(inc, ev, why);
    p = &inc->pm.items[ev->num[INC__F_ITEM] - 1].pub;
    /* A Sev-0/Sev-1 cancellation carries its IC decision (PM-3, AUTH-1). */
    if (inc__event_has(ev, INC__F_STATUS) && ev->num[INC__F_STATUS] == INC_ACTION_CANCELLED &&
        p->status != INC_ACTION_CANCELLED &&
        inc__pm_level_protected(inc->rubric, inc->severity_index) &&
        !inc__event_has(ev, INC__F_DECISION) &&
        !(inc__event_has(ev, INC__F_APPROVED) && ev->num[INC__F_APPROVED]))
        return corrupt(inc, ev, "a Sev-0/Sev-1 action item cancelled without an IC decision");
    return INC_OK;
}

void inc__action_commit_changed(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    inc__action_apply(inc->pm.items, &inc->pm.item_count, ev);
}

/* ---- reading ------------------------------------------------------------------- */

size_t inc_incident_action_count(const inc_incident *inc)
{
    return inc ? inc->pm.item_count : 0;
}

const inc_action_item *inc_incident_action(const inc_incident *inc, size_t index)
{
    return inc && index < inc->pm.item_count ? &inc->pm.items[index].pub : NULL;
}

/* ---- the calls ----------------------------------------------------------------- */

/* Entry checks of every action call; *item receives the item for @id (0:
 * none wanted). */
static int begin(inc_incident *inc, const char *actor, uint64_t id, const inc_action_item **item)
{
    int rc = inc__begin(inc, actor, NULL);
    if (rc != INC_OK || !item)
        return rc;
    if (id < 1 || id > inc->pm.item_count)
        return inc_error_set(&inc->err, INC_ENOTFOUND, "id: incident %s has no action item A%llu",
                             inc->id, (unsigned long long)id);
    *item = &inc->pm.items[id - 1].pub;
    return INC_OK;
}

/* PM-3: one person; a team-like name only with an override reason. */
static int check_owner(inc_incident *inc, const char *owner, const char *override_reason)
{
    int rc;
    if ((rc = inc__check_text(&inc->err, "owner", owner, INC_NAME_MAX, INC__TEXT_SINGLE_LINE)) ||
        (rc = inc__check_text(&inc->err, "owner_override", override_reason, INC_TEXT_MAX,
                              INC__TEXT_OPTIONAL)))
        return rc;
    if (inc_action_owner_is_team(owner) && (!override_reason || !override_reason[0]))
        return inc_error_set(&inc->err, INC_EINVAL,
                             "owner: '%s' looks like a team or several people; an action item "
                             "has exactly one owner, a person (PM-3): name one, or give "
                             "owner_override with the reason",
                             owner);
    return INC_OK;
}

static int check_due(inc_incident *inc, inc_time due)
{
    inc_time now = inc_context_now(inc->ctx);
    char when[32];
    if (due == INC_TIME_NONE)
        return inc_error_set(&inc->err, INC_EINVAL,
                             "due: an action item needs an absolute due date (PM-3)");
    if (due <= now) {
        if (inc_time_format(due, when, sizeof(when)) != INC_OK)
            strcpy(when, "?");
        return inc_error_set(&inc->err, INC_EINVAL, "due: %s is not after now (PM-3)", when);
    }
    return INC_OK;
}

static int check_priority(inc_incident *inc, int priority)
{
    if (priority_ok(priority))
        return INC_OK;
    return inc_error_set(&inc->err, INC_EINVAL, "priority: %d is not 1..4 (P1..P4)", priority);
}

static int check_options(inc_incident *inc, const inc_action_options *o)
{
    int rc;
    if (o->version != INC_ACTION_OPTIONS_VERSION)
        return inc_error_set(&inc->err, INC_EVERSION, "action options: unknown version %u",
                             o->version);
    if ((rc =
             inc__check_text(&inc->err, "title", o->title, INC_TITLE_MAX, INC__TEXT_SINGLE_LINE)) ||
        (rc = inc__check_text(&inc->err, "detail", o->detail, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) ||
        (rc = check_owner(inc, o->owner, o->owner_override)) ||
        (rc = check_priority(inc, o->priority)))
        return rc;
    return check_due(inc, o->due);
}

int inc_incident_add_action(inc_incident *inc, const char *actor, const inc_action_options *opts,
                            uint64_t *id)
{
    inc__event_draft d;
    int rc;

    if ((rc = begin(inc, actor, 0, NULL)) != INC_OK)
        return rc;
    if (!opts)
        return inc_error_set(&inc->err, INC_EINVAL, "action: NULL options");
    if ((rc = check_options(inc, opts)) != INC_OK)
        return rc;
    inc__draft_init(&d, INC_EV_ACTION_ADDED, actor);
    inc__draft_int(&d, INC__F_ITEM, (int64_t)inc->pm.item_count + 1);
    inc__draft_str(&d, INC__F_TITLE, opts->title);
    inc__draft_str(&d, INC__F_OWNER, opts->owner);
    inc__draft_int(&d, INC__F_DUE, opts->due);
    inc__draft_int(&d, INC__F_PRIORITY, opts->priority);
    if (opts->detail && opts->detail[0])
        inc__draft_str(&d, INC__F_TEXT, opts->detail);
    /* The override is recorded only when it was needed. */
    if (inc_action_owner_is_team(opts->owner))
        inc__draft_str(&d, INC__F_REASON, opts->owner_override);
    if ((rc = inc__incident_write(inc, &d)) == INC_OK && id)
        *id = inc->pm.item_count;
    return rc;
}

/* PM-3, AUTH-1: a Sev-0/Sev-1 item is cancelled only with a recorded IC
 * decision. Sets *ic when the IC's own cancellation is that decision. */
static int check_cancel(inc_incident *inc, const char *actor, uint64_t decision, int *ic)
{
    inc_decision_info di;

    *ic = 0;
    if (decision) {
        if (inc_incident_get_decision(inc, (size_t)(decision - 1), &di) != INC_OK)
            return inc_error_set(&inc->err, INC_ENOTFOUND, "decision: incident %s has no D%llu",
                                 inc->id, (unsigned long long)decision);
        if (di.status != INC_DECISION_APPROVED)
            return inc_error_set(&inc->err, INC_EINVAL,
                                 "decision: D%llu is %s, not approved by the IC",
                                 (unsigned long long)decision, inc_decision_status_name(di.status));
        return INC_OK;
    }
    if (!inc__pm_level_protected(inc->rubric, inc->severity_index))
        return INC_OK;
    if (strcmp(actor, inc->ic) == 0) {
        *ic = 1;
        return INC_OK;
    }
    return inc_error_set(&inc->err, INC_EPERM,
                         "an action item of a %s incident is cancelled only with a recorded IC "
                         "decision (PM-3, AUTH-1): the Incident Commander (%s) cancels it, or "
                         "pass a decision the IC approved",
                         inc->severity, inc->ic);
}

int inc_incident_set_action_status(inc_incident *inc, const char *actor, uint64_t id,
                                   inc_action_status status, const char *reason, uint64_t decision)
{
    const inc_action_item *it = NULL;
    inc__event_draft d;
    int rc, ic = 0, need_reason;

    if ((rc = begin(inc, actor, id, &it)) != INC_OK)
        return rc;
    if (!inc_action_status_name(status))
        return inc_error_set(&inc->err, INC_EINVAL, "status: %d is not an action status",
                             (int)status);
    if (status == it->status)
        return inc_error_set(&inc->err, INC_EINVAL, "status: A%llu is %s already",
                             (unsigned long long)id, inc_action_status_name(status));
    need_reason = status != INC_ACTION_DONE;
    if ((rc = inc__check_text(&inc->err, "reason", reason, INC_TEXT_MAX,
                              need_reason ? 0 : INC__TEXT_OPTIONAL)) != INC_OK)
        return rc;
    if ((status == INC_ACTION_CANCELLED || decision) &&
        (rc = check_cancel(inc, actor, decision, &ic)) != INC_OK)
        return rc;
    inc__draft_init(&d, INC_EV_ACTION_CHANGED, actor);
    inc__draft_int(&d, INC__F_ITEM, (int64_t)id);
    inc__draft_int(&d, INC__F_STATUS, status);
    if (reason && reason[0])
        inc__draft_str(&d, INC__F_REASON, reason);
    if (decision)
        inc__draft_int(&d, INC__F_DECISION, (int64_t)decision);
    if (ic)
        inc__draft_int(&d, INC__F_APPROVED, 1);
    return inc__incident_write(inc, &d);
}

int inc_incident_move_action_due(inc_incident *inc, const char *actor, uint64_t id, inc_time due,
                                 const char *reason)
{
    const inc_action_item *it = NULL;
    inc__event_draft d;
    int rc;

    if ((rc = begin(inc, actor, id, &it)) != INC_OK)
        return rc;
    if (it->status != INC_ACTION_OPEN)
        return inc_error_set(&inc->err, INC_ESTATE,
                             "A%llu is %s: only an open item's due date "
                             "moves",
                             (unsigned long long)id, inc_action_status_name(it->status));
    if ((rc = inc__check_text(&inc->err, "reason", reason, INC_TEXT_MAX, 0)) != INC_OK)
        return inc_error_set(&inc->err, rc, "reason: moving a due date records why (PM-3)");
    if ((rc = check_due(inc, due)) != INC_OK)
        return rc;
    if (due == it->due)
        return inc_error_set(&inc->err, INC_EINVAL, "due: A%llu is due then already",
                             (unsigned long long)id);
    inc__draft_init(&d, INC_EV_ACTION_CHANGED, actor);
    inc__draft_int(&d, INC__F_ITEM, (int64_t)id);
    inc__draft_int(&d, INC__F_DUE, due);
    inc__draft_str(&d, INC__F_REASON, reason);
    return inc__incident_write(inc, &d);
}

int inc_incident_reassign_action(inc_incident *inc, const char *actor, uint64_t id,
                                 const char *owner, const char *owner_override)
{
    const inc_action_item *it = NULL;
    inc__event_draft d;
    int rc;

    if ((rc = begin(inc, actor, id, &it)) != INC_OK)
        return rc;
    if ((rc = check_owner(inc, owner, owner_override)) != INC_OK)
        return rc;
    if (strcmp(owner, it->owner) == 0)
        return inc_error_set(&inc->err, INC_EINVAL, "owner: A%llu is owned by %s already",
                             (unsigned long long)id, owner);
    inc__draft_init(&d, INC_EV_ACTION_CHANGED, actor);
    inc__draft_int(&d, INC__F_ITEM, (int64_t)id);
    inc__draft_str(&d, INC__F_OWNER, owner);
    if (inc_action_owner_is_team(owner))
        inc__draft_str(&d, INC__F_REASON, owner_override);
    return inc__incident_write(inc, &d);
}

int inc_incident_set_action_priority(inc_incident *inc, const char *actor, uint64_t id,
                                     int priority)
{
    const inc_action_item *it = NULL;
    inc__event_draft d;
    int rc;

    if ((rc = begin(inc, actor, id, &it)) != INC_OK)
        return rc;
    if ((rc = check_priority(inc, priority)) != INC_OK)
        return rc;
    if (priority == it->priority)
        return inc_error_set(&inc->err, INC_EINVAL, "priority: A%llu is P%d already",
                             (unsigned long long)id, priority);
    inc__draft_init(&d, INC_EV_ACTION_CHANGED, actor);
    inc__draft_int(&d, INC__F_ITEM, (int64_t)id);
    inc__draft_int(&d, INC__F_PRIORITY, priority);
    return inc__incident_write(inc, &d);
}
