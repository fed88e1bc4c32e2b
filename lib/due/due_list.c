/* Due items as the program sees them: rendering a draft into an item (the
 * one-line text, the target, the dedup key), the list that owns them, and
 * the PagerDuty Events API v2 payloads (lib/docs/due-items.md). */
#include <string.h>

#include "incident_internal.h"
#include "oncall/oncall_services.h"
#include "util/arena.h"
#include "util/json.h"
#include "util/text.h"
#include "util/time.h"

#define PD_ROUTING_KEY_LEN 32 /* an Events API v2 integration key */
#define PD_URL_MAX         2048

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

/* ---- PagerDuty Events API v2 ------------------------------------------------ */

/* payload.severity from the rubric level: anchored at the least severe
 * level (info, warning, error, then critical for every level above), or at
 * the most severe for rubrics of fewer than four levels. */
static const char *pd_severity(size_t level, size_t count)
{
    static const char *const from_top[] = {"critical", "error", "warning", "info"};
    size_t from_bottom;
    if (count < 4)
        return from_top[level < 3 ? level : 3];
    from_bottom = level < count ? count - 1 - level : 0;
    return from_bottom == 0   ? "info"
           : from_bottom == 1 ? "warning"
           : from_bottom == 2 ? "error"
                              : "critical";
}

static void put_key_str(inc__buf *b, const char *key, const char *value, int *first)
{
    inc__buf_puts(b, *first ? "" : ",");
    inc__json_put_str(b, key);
    inc__buf_putc(b, ':');
    inc__json_put_str(b, value);
    *first = 0;
}

static void put_key_i64(inc__buf *b, const char *key, int64_t value, int *first)
{
    inc__buf_puts(b, *first ? "" : ",");
    inc__json_put_str(b, key);
    inc__buf_putc(b, ':');
    inc__json_put_i64(b, value);
    *first = 0;
}

/* The summary is at most 1024 bytes (the API's limit), cut at a UTF-8
 * character boundary. */
static void put_summary(inc__buf *b, const char *text)
{
    size_t n = strlen(text);
    if (n > 1024) {
        n = 1024;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    inc__json_put_str(b, "summary");
    inc__buf_putc(b, ':');
    inc__json_put_strn(b, text, n);
}

static void put_details(inc__buf *b, const inc_due_item *it, const inc_checkpoint *head)
{
    char due[32], cp[INC_CHECKPOINT_TEXT_MAX];
    int first = 1;

    inc_time_format(it->due, due, sizeof(due));
    inc__buf_puts(b, ",\"custom_details\":{");
    put_key_str(b, "incident_id", it->incident_id, &first);
    put_key_str(b, "kind", it->kind_name, &first);
    put_key_str(b, "rule_id", it->rule_id, &first);
    put_key_str(b, "target", it->target, &first);
    put_key_str(b, "level", it->severity, &first);
    put_key_str(b, "due", due, &first);
    put_key_i64(b, "late_ms", it->late_ms, &first);
    if (it->kind == INC_DUE_ESCALATION) {
        put_key_i64(b, "step", it->step, &first);
        put_key_i64(b, "loop", it->loop, &first);
    }
    put_key_i64(b, "seq", (int64_t)it->seq, &first);
    if (inc_checkpoint_format(head, cp, sizeof(cp)) == INC_OK)
        put_key_str(b, "head", cp, &first); /* TL-5: a witness outside the store */
    inc__buf_putc(b, '}');
}

static int check_key(const char *what, const char *s, size_t max)
{
    return inc__check_text(NULL, what, s, max, INC__TEXT_SINGLE_LINE);
}

/* An Events API v2 routing (integration) key: 32 letters and digits. */
static int routing_key_valid(const char *key)
{
    size_t n;
    if (!key)
        return 0;
    for (n = 0; key[n]; n++)
        if (n >= PD_ROUTING_KEY_LEN ||
            !((key[n] >= 'a' && key[n] <= 'z') || (key[n] >= 'A' && key[n] <= 'Z') ||
              (key[n] >= '0' && key[n] <= '9')))
            return 0;
    return n == PD_ROUTING_KEY_LEN;
}

/* A link back to the incident: an http(s) URL of one line. */
static int url_valid(const char *url)
{
    return url && check_key("incident_url", url, PD_URL_MAX) == INC_OK &&
           (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
           !strpbrk(url, " \t\"<>");
}

/* "client", "client_url" and "links" back to the incident. */
static void put_links(inc__buf *b, const char *url, const char *incident_id, int *first)
{
    inc__buf text;
    int link_first = 1;
    put_key_str(b, "client", "libincident", first);
    put_key_str(b, "client_url", url, first);
    inc__buf_init(&text, b->alloc);
    inc__buf_printf(&text, "Incident %s", incident_id);
    inc__buf_puts(b, ",\"links\":[{");
    put_key_str(b, "href", url, &link_first);
    put_key_str(b, "text", text.ptr ? text.ptr : "Incident", &link_first);
    inc__buf_puts(b, "}]");
    if (text.failed)
        b->failed = INC_ENOMEM;
    inc__buf_dispose(&text);
}

int inc_due_list_pagerduty(const inc_due_list *list, size_t index, const char *routing_key,
                           const char *source, const char *incident_url, char **out, size_t *len)
{
    const inc_due_item *it;
    char when[32];
    inc__buf b;
    int first = 1;

    if (!list || !out || !routing_key_valid(routing_key) ||
        (source && check_key("source", source, 255) != INC_OK) ||
        (incident_url && !url_valid(incident_url)))
        return INC_EINVAL;
    *out = NULL;
    if (!(it = inc_due_list_at(list, index)))
        return INC_ENOTFOUND;
    inc_time_format(it->due, when, sizeof(when));
    inc__buf_init(&b, &list->alloc);
    inc__buf_putc(&b, '{');
    put_key_str(&b, "routing_key", routing_key, &first);
    put_key_str(&b, "event_action", "trigger", &first);
    put_key_str(&b, "dedup_key", it->dedup_key, &first);
    inc__buf_puts(&b, ",\"payload\":{");
    put_summary(&b, it->text);
    first = 0;
    put_key_str(&b, "source", source ? source : "libincident", &first);
    put_key_str(&b, "severity", pd_severity(it->level_index, it->level_count), &first);
    put_key_str(&b, "timestamp", when, &first);
    put_key_str(&b, "group", it->incident_id, &first);
    put_key_str(&b, "class", it->kind_name, &first);
    put_details(&b, it, &list->heads[index]);
    inc__buf_putc(&b, '}');
    if (incident_url)
        put_links(&b, incident_url, it->incident_id, &first);
    inc__buf_putc(&b, '}');
    return inc__buf_detach(&b, out, len);
}

int inc_pagerduty_event(const char *action, const char *routing_key, const char *dedup_key,
                        char **out, size_t *len)
{
    inc_allocator a;
    inc__buf b;
    int first = 1;

    if (!out || !action || (strcmp(action, "acknowledge") != 0 && strcmp(action, "resolve") != 0) ||
        !routing_key_valid(routing_key) || check_key("dedup_key", dedup_key, 255) != INC_OK)
        return INC_EINVAL;
    *out = NULL;
    if (inc__alloc_init(&a, NULL) != INC_OK)
        return INC_ERROR;
    inc__buf_init(&b, &a);
    inc__buf_putc(&b, '{');
    put_key_str(&b, "routing_key", routing_key, &first);
    put_key_str(&b, "event_action", action, &first);
    put_key_str(&b, "dedup_key", dedup_key, &first);
    inc__buf_putc(&b, '}');
    return inc__buf_detach(&b, out, len);
}
