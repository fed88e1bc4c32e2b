/* Due items as the program sees them: rendering a draft into an item (the
 * one-line text, the target, the dedup key), the list that owns them, and
 * the PagerDuty Events API v2 trigger of an item (lib/docs/due-items.md;
 * the shared pieces in pagerduty.c). */
#include <string.h>

#include "incident_internal.h"
#include "oncall/oncall_services.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/text.h"
#include "util/time.h"

struct inc_due_list {
    inc_allocator alloc; /* a copy: the list may outlive the incident */
    inc__arena arena;    /* the items' strings; never move */
    inc_due_item *items;
    size_t count, cap;
    size_t staged_len; /* bytes the staged item reserved in the arena */
    inc__buf scratch;
    inc_checkpoint *heads; /* TL-5: each item's incident head, for the payloads */
    size_t heads_cap;
};

int inc__due_list_new(const inc_allocator *a, inc_due_list **out)
{
    inc_due_list *l = inc__calloc(a, 1, sizeof(*l));
    if (!l)
        return INC_ENOMEM;
    l->alloc = *a;
    inc__arena_init(&l->arena, &l->alloc, 4096);
    inc__buf_init(&l->scratch, &l->alloc);
    *out = l;
    return INC_OK;
}

void inc_due_list_free(inc_due_list *list)
{
    inc_allocator a;
    if (!list)
        return;
    a = list->alloc;
    inc__arena_dispose(&list->arena);
    inc__buf_dispose(&list->scratch);
    inc__free(&a, list->items);
    inc__free(&a, list->heads);
    inc__free(&a, list);
}

size_t inc_due_list_count(const inc_due_list *list)
{
    return list ? list->count : 0;
}

const inc_due_item *inc_due_list_at(const inc_due_list *list, size_t index)
{
    return list && index < list->count ? &list->items[index] : NULL;
}

/* ---- rendering ------------------------------------------------------------- */

static const char *const audience_names[INC__DUE_AUDIENCES] = {"external", "internal", "response"};
static const char *const audience_labels[INC__DUE_AUDIENCES] = {"External", "Internal",
                                                                "Response-channel"};
static const char *const comm_names[INC_COMM_COUNT] = {"status_page", "customer_email",
                                                       "exec_notify"};
static const char *const comm_labels[INC_COMM_COUNT] = {"a status page entry", "a customer email",
                                                        "an executive notification"};

/* Append the names of the roles in @mask, comma-separated. */
static void put_roles(inc__buf *b, unsigned mask, int titles)
{
    const char *sep = "";
    int r;
    for (r = 0; r < INC_ROLE_COUNT; r++)
        if (mask & INC_ROLE_BIT(r)) {
            inc__buf_printf(b, "%s%s", sep,
                            titles ? inc_role_title((inc_role)r) : inc_role_name((inc_role)r));
            sep = titles ? ", " : ",";
        }
}

static void put_target(inc__buf *b, const inc_incident *inc, const inc__due_draft *d)
{
    switch (d->kind) {
    case INC_DUE_HEARTBEAT:
        inc__buf_puts(b, audience_names[d->arg]);
        break;
    case INC_DUE_COMM:
        inc__buf_puts(b, comm_names[d->arg]);
        break;
    case INC_DUE_STAFFING:
        put_roles(b, (unsigned)d->arg, 0);
        break;
    case INC_DUE_SCRIBE:
        inc__buf_puts(b, "scribe");
        break;
    case INC_DUE_DEADLINE_REMINDER:
    case INC_DUE_DEADLINE:
        inc__buf_puts(b, inc->due.clocks[d->arg].pub.name);
        break;
    default:
        inc__buf_puts(b, d->target ? d->target : "");
        break;
    }
}

static void put_escalation(inc__buf *b, const inc_incident *inc, const inc__due_draft *d,
                           const char *span)
{
    inc__buf_printf(b, "%s %s %s for %s: page %s (ESC-1 step %u", inc->severity, inc->id,
                    d->arg2 == INC_ESC_UNACKNOWLEDGED ? "unacknowledged" : "unresolved", span,
                    d->target, d->step);
    if (d->loop)
        inc__buf_printf(b, ", repeat %u of %u", d->loop,
                        inc_rubric_repeat(inc->rubric, inc->severity_index));
    inc__buf_putc(b, ')');
}

static void put_deadline(inc__buf *b, const inc_incident *inc, const inc__due_draft *d,
                         const char *span)
{
    const inc_deadline_clock *c = &inc->due.clocks[d->arg].pub;
    char when[32];
    inc_time_format(c->deadline, when, sizeof(when));
    if (d->kind == INC_DUE_DEADLINE_REMINDER)
        inc__buf_printf(b, "Deadline '%s' of %s is due at %s, in %s (REG-1)", c->name, inc->id,
                        when, span);
    else
        inc__buf_printf(b, "Deadline '%s' of %s reached at %s and is not met (REG-1)", c->name,
                        inc->id, when);
    if (c->text && c->text[0])
        inc__buf_printf(b, ": %s", c->text);
}

static void put_text(inc__buf *b, const inc_incident *inc, const inc__due_draft *d)
{
    const char *sev = inc->severity, *id = inc->id;
    char span[48];

    inc__duration_format(d->span, span);
    switch (d->kind) {
    case INC_DUE_ESCALATION:
        put_escalation(b, inc, d, span);
        break;
    case INC_DUE_ACK:
        inc__buf_printf(b, "%s %s not acknowledged within its %s target (ESC-3)", sev, id, span);
        break;
    case INC_DUE_ACK_EXPIRED:
        inc__buf_printf(b,
                        "Acknowledgement of %s %s by %s expired after %s without a CAN report, "
                        "update or state change: unacknowledged escalation resumes (ESC-3)",
                        sev, id, d->target ? d->target : "?", span);
        break;
    case INC_DUE_HEARTBEAT:
        inc__buf_printf(b,
                        "%s update for %s %s is due (every %s), even if nothing changed "
                        "(COMM-2)",
                        audience_labels[d->arg], sev, id, span);
        break;
    case INC_DUE_COMM:
        inc__buf_printf(b, "%s %s requires %s by now (COMM-4)", sev, id, comm_labels[d->arg]);
        break;
    case INC_DUE_STAFFING:
        inc__buf_printf(b, "%s %s is short of its minimum staffing:", sev, id);
        if (d->arg) {
            inc__buf_puts(b, " no ");
            put_roles(b, (unsigned)d->arg, 1);
        }
        if (d->arg2 > 0)
            inc__buf_printf(b, "%s %lld more %s needed", d->arg ? ";" : "", (long long)d->arg2,
                            d->arg2 == 1 ? "person" : "people");
        inc__buf_puts(b, " (ROLE-10)");
        break;
    case INC_DUE_SCRIBE:
        inc__buf_printf(b, "%s %s has no Scribe %s after declaration (ROLE-12)", sev, id, span);
        break;
    case INC_DUE_DEADLINE_REMINDER:
    case INC_DUE_DEADLINE:
        put_deadline(b, inc, d, span);
        break;
    case INC_DUE_POSTMORTEM:
    case INC_DUE_ACTION_ITEM:
        inc__pm_due_text(b, inc, d); /* postmortem.c */
        break;
    case INC_DUE_ALERT_RESOLVED:
        inc__buf_printf(b, "%s %s: its alerts resolved; the IC considers resolving (ALERT-3)", sev,
                        id);
        break;
    default:
        inc__buf_printf(b, "%s %s: %s due (%s)", sev, id, inc_due_kind_name(d->kind),
                        inc__due_rule(d->kind));
        break;
    }
}

/* The strings of one item, NUL-separated in @b: id, severity, target, text,
 * dedup key, and the people an escalation step resolves to (ONC-2). */
static void put_strings(inc__buf *b, const inc_incident *inc, const inc__due_draft *d,
                        size_t off[6])
{
    char target[320]; /* a copy: printf into @b may move its bytes */
    size_t target_len;

    off[0] = b->len;
    inc__buf_put(b, inc->id, strlen(inc->id) + 1);
    off[1] = b->len;
    inc__buf_put(b, inc->severity, strlen(inc->severity) + 1);
    off[2] = b->len;
    put_target(b, inc, d);
    target_len = b->failed ? 0 : b->len - off[2];
    if (target_len >= sizeof(target))
        target_len = sizeof(target) - 1;
    memcpy(target, b->failed ? "" : b->ptr + off[2], target_len);
    target[target_len] = '\0';
    inc__buf_putc(b, '\0');
    off[3] = b->len;
    put_text(b, inc, d);
    inc__buf_putc(b, '\0');
    off[4] = b->len;
    if (d->kind == INC_DUE_ESCALATION) {
        inc__buf_printf(b, "%s/esc/%s/%lld", inc->id, inc->severity, (long long)d->arg + 1);
        if (inc->reopen_count) /* LIFE-4: the ladder of a reopening is a new one */
            inc__buf_printf(b, "/r%u", inc->reopen_count);
    } else
        inc__buf_printf(b, "%s/%s/%s/%lld", inc->id, inc_due_kind_name(d->kind),
                        target_len ? target : "-", (long long)d->due);
    inc__buf_putc(b, '\0');
    off[5] = b->len;
    if (d->kind == INC_DUE_ESCALATION && d->target)
        inc__oncall_resolve(inc->ctx, d->target, d->due, b); /* who, at the due time */
    inc__buf_putc(b, '\0');
}

int inc__due_list_stage(inc_due_list *list, const inc_incident *inc, const inc__due_draft *d,
                        inc_time now)
{
    inc__buf *b = &list->scratch;
    inc_due_item *it;
    size_t off[6];
    char *mem;

    inc__buf_clear(b);
    put_strings(b, inc, d, off);
    if (b->failed ||
        inc__array_reserve(&list->alloc, (void **)&list->items, &list->cap, list->count + 1,
                           sizeof(*list->items)) != INC_OK ||
        inc__array_reserve(&list->alloc, (void **)&list->heads, &list->heads_cap, list->count + 1,
                           sizeof(*list->heads)) != INC_OK ||
        !(mem = inc__arena_reserve(&list->arena, b->len)))
        return INC_ENOMEM;
    memcpy(mem, b->ptr, b->len);
    list->staged_len = b->len;
    it = &list->items[list->count];
    memset(it, 0, sizeof(*it));
    it->incident_id = mem + off[0];
    it->kind = d->kind;
    it->kind_name = inc_due_kind_name(d->kind);
    it->rule_id = inc__due_rule(d->kind);
    it->severity = mem + off[1];
    it->level_index = inc->severity_index;
    it->level_count = inc_rubric_level_count(inc->rubric);
    it->target = mem + off[2];
    it->text = mem + off[3];
    it->dedup_key = mem + off[4];
    it->resolved = mem + off[5];
    it->due = d->due;
    it->late_ms = now - d->due;
    it->step = d->step;
    it->loop = d->loop;
    return INC_OK;
}

const inc_due_item *inc__due_list_staged(const inc_due_list *list)
{
    return &list->items[list->count];
}

void inc__due_list_commit(inc_due_list *list, const inc_incident *inc, uint64_t seq)
{
    inc_incident_head(inc, &list->heads[list->count]);
    inc__arena_take(&list->arena, list->staged_len);
    list->items[list->count].seq = seq;
    list->count++;
}

/* ---- PagerDuty Events API v2: a delivered item's trigger ------------------- */

static void put_details(inc__buf *b, const inc_due_item *it, const inc_checkpoint *head)
{
    char due[32], cp[INC_CHECKPOINT_TEXT_MAX];
    int first = 1;

    inc_time_format(it->due, due, sizeof(due));
    inc__buf_puts(b, ",\"custom_details\":{");
    inc__pd_put_str(b, "incident_id", it->incident_id, &first);
    inc__pd_put_str(b, "kind", it->kind_name, &first);
    inc__pd_put_str(b, "rule_id", it->rule_id, &first);
    inc__pd_put_str(b, "target", it->target, &first);
    inc__pd_put_str(b, "level", it->severity, &first);
    inc__pd_put_str(b, "due", due, &first);
    inc__pd_put_i64(b, "late_ms", it->late_ms, &first);
    if (it->kind == INC_DUE_ESCALATION) {
        inc__pd_put_i64(b, "step", it->step, &first);
        inc__pd_put_i64(b, "loop", it->loop, &first);
    }
    inc__pd_put_i64(b, "seq", (int64_t)it->seq, &first);
    if (inc_checkpoint_format(head, cp, sizeof(cp)) == INC_OK)
        inc__pd_put_str(b, "head", cp, &first); /* TL-5: a witness outside the store */
    inc__buf_putc(b, '}');
}

int inc_due_list_pagerduty(const inc_due_list *list, size_t index, const char *routing_key,
                           const char *source, const char *incident_url, char **out, size_t *len)
{
    const inc_due_item *it;
    char when[32];
    inc__buf b;
    int first = 1;

    if (!list || !out || !inc__pd_routing_key_valid(routing_key) ||
        (source && inc__pd_check_key("source", source, 255) != INC_OK) ||
        (incident_url && !inc__pd_url_valid(incident_url)))
        return INC_EINVAL;
    *out = NULL;
    if (!(it = inc_due_list_at(list, index)))
        return INC_ENOTFOUND;
    inc_time_format(it->due, when, sizeof(when));
    inc__buf_init(&b, &list->alloc);
    inc__buf_putc(&b, '{');
    inc__pd_put_str(&b, "routing_key", routing_key, &first);
    inc__pd_put_str(&b, "event_action", "trigger", &first);
    inc__pd_put_str(&b, "dedup_key", it->dedup_key, &first);
    inc__buf_puts(&b, ",\"payload\":{");
    inc__pd_put_summary(&b, it->text);
    first = 0;
    inc__pd_put_str(&b, "source", source ? source : "libincident", &first);
    inc__pd_put_str(&b, "severity", inc__pd_severity(it->level_index, it->level_count), &first);
    inc__pd_put_str(&b, "timestamp", when, &first);
    inc__pd_put_str(&b, "group", it->incident_id, &first);
    inc__pd_put_str(&b, "class", it->kind_name, &first);
    put_details(&b, it, &list->heads[index]);
    inc__buf_putc(&b, '}');
    if (incident_url)
        inc__pd_put_links(&b, incident_url, it->incident_id, &first);
    inc__buf_putc(&b, '}');
    return inc__buf_detach(&b, out, len);
}
