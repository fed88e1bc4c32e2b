/* CAN reports (CAN-1, CAN-4): the lint (CAN-2), recording a report and
 * opening the decisions its Needs ask for (CAN-3), reading reports back.
 * Decisions themselves live in decision.c. */
#include <string.h>

#include "comms_internal.h"
#include "incident_internal.h"
#include "incident/lint_config.h"
#include "lint.h"
#include "lint_config_internal.h"
#include "util/text.h"

/* ---- kinds and explicit "none" ------------------------------------------ */

static const char *const kind_names[INC_CAN_KIND_COUNT] = {"sme-to-ic", "top-of-hour", "handoff",
                                                           "escalation"};

const char *inc_can_kind_name(inc_can_kind kind)
{
    return (unsigned)kind < INC_CAN_KIND_COUNT ? kind_names[kind] : NULL;
}

int inc_can_kind_from_name(const char *name, inc_can_kind *out)
{
    unsigned i;
    int rc = inc__name_index(kind_names, INC_CAN_KIND_COUNT, name, out ? &i : NULL);
    if (rc == INC_OK)
        *out = (inc_can_kind)i;
    return rc;
}

static const char *const none_spellings[] = {
    "none",
    "nothing",
    "n/a",
    "na",
    "no needs",
    "nothing needed",
    "none at this time",
    "nothing at this time",
};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int inc_can_needs_none(const char *needs)
{
    size_t start = 0, end, i;
    if (!needs)
        return 0;
    end = strlen(needs);
    while (start < end && is_space(needs[start]))
        start++;
    while (end > start && is_space(needs[end - 1]))
        end--;
    if (end > start && (needs[end - 1] == '.' || needs[end - 1] == '!'))
        end--;
    for (i = 0; i < sizeof(none_spellings) / sizeof(none_spellings[0]); i++)
        if (strlen(none_spellings[i]) == end - start &&
            inc__ascii_ncasecmp(needs + start, none_spellings[i], end - start) == 0)
            return 1;
    return 0;
}

/* ---- CAN-2: the lint ----------------------------------------------------- */

/* A finding about a missing slot: offset and length 0 in that slot. */
static int missing(inc_findings *list, const inc__lint_config_view *cfg, const char *rule, int slot,
                   const char *msg)
{
    inc_finding f;
    if (inc__lint_config_off(cfg, rule))
        return INC_OK;
    inc__finding_init(&f, rule);
    f.slot = slot;
    return inc__findings_add(list, &f, "%s", msg);
}

int inc__can_lint_cfg(inc_findings *list, const char *conditions, const char *actions,
                      const char *needs, const inc__lint_config_view *cfg)
{
    int has_c = !inc__lint_blank(conditions), has_a = !inc__lint_blank(actions);
    int has_n = !inc__lint_blank(needs), none = inc_can_needs_none(needs);
    int rc = INC_OK;

    if (!has_c && !has_a && !has_n)
        return missing(list, cfg, "CAN-1.empty", -1,
                       "CAN-1: the report is empty: give Conditions (what you observe), "
                       "Actions (what is in flight) and Needs (or \"none\")");
    if (has_c && !has_a && (!has_n || none))
        rc = missing(list, cfg, "CAN-2.all-conditions", INC_CAN_ACTIONS,
                     "CAN-2: all Conditions, no Actions or Needs: the IC cannot act on it; say "
                     "what you are doing about it and what you need");
    if (rc == INC_OK && !has_c)
        rc = missing(list, cfg, "CAN-2.no-conditions", INC_CAN_CONDITIONS,
                     "CAN-2: no Conditions: the IC cannot judge the work or the Needs without "
                     "the situation; say what you are seeing first");
    if (rc == INC_OK && !has_n)
        rc = missing(list, cfg, "CAN-2.implicit-needs", INC_CAN_NEEDS,
                     "CAN-2: Needs is missing: say what you need to keep going, or \"none\" "
                     "(an empty Needs is fine, an implicit one is not)");
    if (rc == INC_OK)
        rc = inc__can_lint_slot(list, conditions, INC_CAN_CONDITIONS, cfg);
    if (rc == INC_OK)
        rc = inc__can_lint_slot(list, actions, INC_CAN_ACTIONS, cfg);
    return rc;
}

const inc__lint_config_view *inc__incident_lint_view(const inc_incident *inc)
{
    return inc->ctx ? inc__lint_config_view_of(inc->ctx->lint_config) : NULL;
}

static int check_slot(inc_error *err, const char *field, const char *text)
{
    return inc__check_text(err, field, text, INC_TEXT_MAX, INC__TEXT_OPTIONAL);
}

int inc_can_lint(const char *conditions, const char *actions, const char *needs,
                 const inc_allocator *alloc, inc_findings **out)
{
    return inc_can_lint_with(conditions, actions, needs, NULL, alloc, out);
}

int inc_can_lint_with(const char *conditions, const char *actions, const char *needs,
                      const inc_lint_config *cfg, const inc_allocator *alloc, inc_findings **out)
{
    inc_allocator a;
    int rc;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    if ((rc = inc__alloc_init(&a, alloc)) != INC_OK)
        return rc;
    if ((rc = check_slot(NULL, "conditions", conditions)) != INC_OK ||
        (rc = check_slot(NULL, "actions", actions)) != INC_OK ||
        (rc = check_slot(NULL, "needs", needs)) != INC_OK)
        return rc;
    if ((rc = inc__findings_new(&a, out)) != INC_OK)
        return rc;
    if ((rc = inc__can_lint_cfg(*out, conditions, actions, needs, inc__lint_config_view_of(cfg))) !=
        INC_OK) {
        inc_findings_free(*out);
        *out = NULL;
    }
    return rc;
}

void inc__findings_ids(const inc_findings *list, size_t first, inc__buf *b)
{
    size_t i, j, n = inc_findings_count(list);
    int written = 0;
    for (i = first; i < n; i++) {
        const char *id = inc_findings_at(list, i)->rule_id;
        for (j = first; j < i; j++)
            if (strcmp(inc_findings_at(list, j)->rule_id, id) == 0)
                break;
        if (j < i)
            continue;
        if (written++)
            inc__buf_putc(b, ',');
        inc__buf_puts(b, id);
    }
}

/* ---- CAN-3: Needs items that ask for a decision ------------------------ */

static const char *const decision_words[] = {
    "approval",  "approve",     "sign-off",   "sign off",      "signoff",       "go-ahead",
    "go ahead",  "green light", "permission", "authorization", "authorisation", "authorize",
    "authorise", "decision",    "decide",     "ok to",         "okay to",
};

#define DECISION_WORDS (sizeof(decision_words) / sizeof(decision_words[0]))

int inc_can_need_asks_decision(const char *item)
{
    return inc__lint_contains(item, decision_words, DECISION_WORDS);
}

/* Length of a leading bullet at @s ("-", "*", "•", "1.", "1)") followed by
 * white space, or 0 ("-5%" and "2.5 GB" are not bullets). */
static size_t bullet_len(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 1 && (s[0] == '-' || s[0] == '*'))
        i = 1;
    else if (n >= 3 && memcmp(s, "\xE2\x80\xA2", 3) == 0)
        i = 3;
    else {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == 0 || i == n || (s[i] != '.' && s[i] != ')'))
            return 0;
        i++;
    }
    return i < n && is_space(s[i]) ? i : 0;
}

/* Is there an item boundary at s[i]? Returns the separator's length. */
static size_t item_break(const char *s, size_t n, size_t i)
{
    if (s[i] == '\n' || s[i] == '\r' || s[i] == ';')
        return 1;
    if ((s[i] == '.' || s[i] == '!' || s[i] == '?') && i + 1 < n && is_space(s[i + 1]))
        return 1;
    return 0;
}

/* Append the items of @needs that ask for a decision to @b, one per line. */
static void decision_items(const char *needs, inc__buf *b)
{
    size_t n, start = 0, i, sep, count = 0;
    if (!needs)
        return; /* an omitted Needs asks nothing */
    n = strlen(needs);
    for (i = 0; i <= n; i++) {
        size_t s, e, bl;
        sep = i < n ? item_break(needs, n, i) : 1;
        if (!sep)
            continue;
        s = start;
        e = i < n && needs[i] != '\n' && needs[i] != '\r' && needs[i] != ';' ? i + 1 : i;
        start = i + sep;
        while (s < e && is_space(needs[s]))
            s++;
        if ((bl = bullet_len(needs + s, e - s)) != 0)
            s += bl;
        while (s < e && is_space(needs[s]))
            s++;
        while (e > s && is_space(needs[e - 1]))
            e--;
        if (e == s)
            continue;
        if (!inc__lint_contains_n(needs + s, e - s, decision_words, DECISION_WORDS, NULL))
            continue;
        if (count++)
            inc__buf_putc(b, '\n');
        inc__buf_put(b, needs + s, e - s);
    }
}

/* ---- recording a report -------------------------------------------------- */

static const inc_can_report can_report_defaults = INC_CAN_REPORT_INIT;
INC__VSTRUCT(can_report_v, inc_can_report, "CAN report", &can_report_defaults,
             INC_CAN_REPORT_VERSION, sizeof(inc_can_report));

int inc_can_report_init(inc_can_report *report, unsigned int version)
{
    return inc__vstruct_init(&can_report_v, report, version);
}

static int check_report(inc_incident *inc, const void *arg)
{
    const inc_can_report *r = arg;
    int rc;
    if (!inc_can_kind_name(r->kind))
        return inc_error_set(&inc->err, INC_EINVAL, "kind: %d is not a CAN report kind",
                             (int)r->kind);
    if ((rc = check_slot(&inc->err, "conditions", r->conditions)) != INC_OK ||
        (rc = check_slot(&inc->err, "actions", r->actions)) != INC_OK ||
        (rc = check_slot(&inc->err, "needs", r->needs)) != INC_OK ||
        (rc = inc__check_text(&inc->err, "addressee", r->addressee, INC_NAME_MAX,
                              INC__TEXT_SINGLE_LINE | INC__TEXT_OPTIONAL)) != INC_OK)
        return rc;
    if (inc__lint_blank(r->conditions) && inc__lint_blank(r->actions))
        return inc_error_set(&inc->err, INC_EINVAL,
                             "CAN report: Conditions and Actions are both empty (CAN-1): "
                             "report what you observe and what is in flight");
    if ((!r->addressee || !r->addressee[0]) &&
        (r->kind == INC_CAN_HANDOFF || r->kind == INC_CAN_ESCALATION))
        return inc_error_set(&inc->err, INC_EINVAL,
                             "addressee: required for a %s briefing (CAN-4): name who is "
                             "briefed",
                             inc_can_kind_name(r->kind));
    return INC_OK;
}

static const char *default_addressee(inc_incident *inc, const inc_can_report *r)
{
    if (r->addressee && r->addressee[0])
        return r->addressee;
    return r->kind == INC_CAN_SME_TO_IC ? inc->ic : inc->channel;
}

static void put_slot(inc__event_draft *d, int tag, const char *text)
{
    if (!inc__lint_blank(text))
        inc__draft_str(d, tag, text);
}

static int lint_report(inc_incident *inc, const char *author, const void *arg, inc_findings *list)
{
    const inc_can_report *r = arg;
    int rc = INC_OK;
    /* The top-of-hour report is the response-channel update (COMM-1). */
    if (r->kind == INC_CAN_TOP_OF_HOUR)
        rc = inc__comms_check_writer(inc, author, INC_AUDIENCE_RESPONSE, list);
    if (rc == INC_OK)
        rc = inc__can_lint_cfg(list, r->conditions, r->actions, r->needs,
                               inc__incident_lint_view(inc));
    return rc;
}

static void report_asks(const void *arg, inc__buf *b)
{
    decision_items(((const inc_can_report *)arg)->needs, b);
}

static void draft_report(inc_incident *inc, inc__event_draft *d, const void *arg,
                         const inc__buf *ids, const inc__buf *asks)
{
    const inc_can_report *r = arg;
    inc__draft_int(d, INC__F_REPORT_KIND, r->kind);
    inc__draft_str(d, INC__F_ADDRESSEE, default_addressee(inc, r));
    put_slot(d, INC__F_CONDITIONS, r->conditions);
    put_slot(d, INC__F_ACTIONS, r->actions);
    put_slot(d, INC__F_NEEDS, r->needs);
    if (ids->len)
        inc__draft_str(d, INC__F_FINDINGS, ids->ptr);
    /* Items are never empty, so a non-empty list means at least one. */
    if (asks->len)
        inc__draft_str(d, INC__F_REQUESTS, asks->ptr);
}

static const inc__linted_kind report_kind = {
    .event_kind = INC_EV_CAN_REPORT,
    .arg = "report",
    .verb = "record a CAN report",
    .version = &can_report_v,
    .check = check_report,
    .lint = lint_report,
    .extra = report_asks,
    .draft = draft_report,
};

int inc_incident_add_can(inc_incident *inc, const char *author, const inc_can_report *report,
                         inc_findings **findings, uint64_t *seq)
{
    inc_can_report copy;
    return inc__record_linted(inc, author, report, &copy, &report_kind, findings, seq);
}

/* ---- the hand-off briefing (ROLE-2) -------------------------------------- */

int inc__can_briefing_extras(inc_incident *inc, inc__event_draft *d, const char *conditions,
                             const char *actions, const char *needs, inc__briefing_extras *x)
{
    inc_findings *list = NULL;
    int rc;

    inc__buf_init(&x->ids, inc->alloc);
    inc__buf_init(&x->open, inc->alloc);
    if (inc__findings_new(inc->alloc, &list) != INC_OK)
        return inc__error_oom(&inc->err);
    rc = inc__can_lint_cfg(list, conditions, actions, needs, inc__incident_lint_view(inc));
    if (rc == INC_OK) {
        inc__findings_ids(list, 0, &x->ids);
        inc__decisions_open_text(inc, &x->open);
        rc = x->ids.failed ? x->ids.failed : x->open.failed;
    }
    inc_findings_free(list);
    if (rc != INC_OK) {
        inc__can_briefing_extras_dispose(x);
        return inc__error_oom(&inc->err);
    }
    if (x->ids.len)
        inc__draft_str(d, INC__F_FINDINGS, x->ids.ptr);
    if (x->open.len) {
        x->open.ptr[--x->open.len] = '\0'; /* no trailing line break */
        inc__draft_str(d, INC__F_REQUESTS, x->open.ptr);
    }
    return INC_OK;
}

void inc__can_describe_briefing(inc__buf *b, const inc__event *ev)
{
    size_t i;
    if (inc__event_has(ev, INC__F_REQUESTS)) {
        inc__buf_puts(b, "; open decisions: ");
        for (i = 0; i < ev->str_len[INC__F_REQUESTS]; i++)
            if (ev->str[INC__F_REQUESTS][i] == '\n')
                inc__buf_puts(b, "; ");
            else
                inc__buf_putc(b, ev->str[INC__F_REQUESTS][i]);
    }
    if (inc__event_has(ev, INC__F_FINDINGS))
        inc__buf_printf(b, " [lint: %s]", ev->str[INC__F_FINDINGS]);
}

void inc__can_briefing_extras_dispose(inc__briefing_extras *x)
{
    inc__buf_dispose(&x->ids);
    inc__buf_dispose(&x->open);
}

/* ---- apply --------------------------------------------------------------- */

int inc__can_prepare_report(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__comms *c = &inc->comms;
    size_t n = 0, i;

    if (!inc_can_kind_name((inc_can_kind)ev->num[INC__F_REPORT_KIND]))
        return inc__event_corrupt(inc, ev, "report kind out of range");
    if (inc__event_has(ev, INC__F_REQUESTS)) {
        const char *s = ev->str[INC__F_REQUESTS];
        size_t len = ev->str_len[INC__F_REQUESTS];
        for (n = 1, i = 0; i < len; i++)
            n += s[i] == '\n';
        if (!(prep->comms.block = inc__strndup(inc->alloc, s, len)))
            return inc__error_oom(&inc->err);
        for (i = 0; i < len; i++)
            if (prep->comms.block[i] == '\n')
                prep->comms.block[i] = '\0';
        prep->comms.count = n;
    }
    if (inc__array_reserve(inc->alloc, (void **)&c->cans, &c->can_cap, c->can_count + 1,
                           sizeof(*c->cans)) != INC_OK ||
        inc__array_reserve(inc->alloc, (void **)&c->dec, &c->dec_cap, c->dec_count + n,
                           sizeof(*c->dec)) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

void inc__can_commit_report(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__comms *c = &inc->comms;
    const char *text = prep->comms.block;
    size_t i;

    c->cans[c->can_count++] = (uint32_t)(ev->seq - 1);
    for (i = 0; i < prep->comms.count; i++) {
        inc__decision *d = &c->dec[c->dec_count++];
        memset(d, 0, sizeof(*d));
        d->text = text;
        d->block = i == 0 ? prep->comms.block : NULL; /* the first one owns the block */
        d->requested_by = ev->str[INC__F_ACTOR];
        d->requested_at = ev->time;
        d->request_seq = ev->seq;
        d->status = INC_DECISION_PENDING;
        d->decided_at = INC_TIME_NONE;
        text += strlen(text) + 1;
    }
    prep->comms.block = NULL;
    prep->comms.count = 0;
    if (ev->num[INC__F_REPORT_KIND] == INC_CAN_TOP_OF_HOUR) {
        c->heard_count[INC_AUDIENCE_RESPONSE]++;
        c->last_at[INC_AUDIENCE_RESPONSE] = ev->time;
        c->last_by[INC_AUDIENCE_RESPONSE] = ev->str[INC__F_ACTOR];
    }
}

/* ---- reading reports back ----------------------------------------------- */

size_t inc_incident_can_count(const inc_incident *inc)
{
    return inc ? inc->comms.can_count : 0;
}

/* Decisions opened by the report at event @seq: first id and count. */
static void report_decisions(const inc_incident *inc, uint64_t seq, inc_can_info *out)
{
    size_t i;
    out->decision_count = 0;
    out->first_decision = 0;
    for (i = 0; i < inc->comms.dec_count; i++)
        if (inc->comms.dec[i].request_seq == seq) {
            if (!out->decision_count)
                out->first_decision = i + 1;
            out->decision_count++;
        }
}

int inc_incident_get_can(const inc_incident *inc, size_t index, inc_can_info *out)
{
    inc__event ev;

    if (!inc || !out)
        return INC_EINVAL;
    if (index >= inc->comms.can_count)
        return INC_ENOTFOUND;
    if (inc__incident_event_at(inc, inc->comms.cans[index], &ev) != INC_OK)
        return INC_ECORRUPT; /* cannot happen: it was decoded when applied */
    out->seq = ev.seq;
    out->time = ev.time;
    out->kind = (inc_can_kind)ev.num[INC__F_REPORT_KIND];
    out->author = inc__event_str(&ev, INC__F_ACTOR);
    out->addressee = inc__event_str(&ev, INC__F_ADDRESSEE);
    out->conditions = inc__event_str(&ev, INC__F_CONDITIONS);
    out->actions = inc__event_str(&ev, INC__F_ACTIONS);
    out->needs = inc__event_has(&ev, INC__F_NEEDS) ? ev.str[INC__F_NEEDS] : NULL;
    out->needs_none = inc_can_needs_none(out->needs);
    out->findings = inc__event_str(&ev, INC__F_FINDINGS);
    report_decisions(inc, ev.seq, out);
    return INC_OK;
}

/* ---- the timeline line --------------------------------------------------- */

static void put_part(inc__buf *b, const inc__event *ev, int tag, const char *label)
{
    inc__buf_printf(b, " %s: %s", label,
                    inc__event_has(ev, tag) ? ev->str[tag]
                    : tag == INC__F_NEEDS   ? "(omitted)"
                                            : "-");
}

void inc__can_describe(inc__buf *b, const inc__event *ev)
{
    const char *kind = inc_can_kind_name((inc_can_kind)ev->num[INC__F_REPORT_KIND]);
    inc__buf_printf(b, "CAN report (%s) to %s:", kind ? kind : "?",
                    inc__event_str(ev, INC__F_ADDRESSEE));
    put_part(b, ev, INC__F_CONDITIONS, "C");
    put_part(b, ev, INC__F_ACTIONS, "A");
    put_part(b, ev, INC__F_NEEDS, "N");
    if (inc__event_has(ev, INC__F_FINDINGS))
        inc__buf_printf(b, " [lint: %s]", ev->str[INC__F_FINDINGS]);
}
