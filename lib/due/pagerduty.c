/* PagerDuty Events API v2 (lib/docs/wire-formats.md, lib/docs/due-items.md):
 * the pieces every body shares, the acknowledge and resolve bodies, and the
 * events of one timeline event (inc_incident_pagerduty_json()): a page or a
 * paging item triggers an alert, an acknowledgement acknowledges the pages,
 * and what satisfies an alert resolves it, all under one dedup_key per
 * alert. What is open at an event is read from the timeline before it, so
 * the bodies of an event are the same however often they are asked for. */
#include <stdio.h>
#include <string.h>

#include "incident/postmortem.h"
#include "incident_internal.h"
#include "util/json.h"
#include "util/text.h"
#include "util/time.h"

#define PD_ROUTING_KEY_LEN 32 /* an Events API v2 integration key */
#define PD_URL_MAX         2048
#define PD_SOURCE_MAX      255

/* ---- shared pieces ---------------------------------------------------------- */

/* payload.severity from the rubric level: anchored at the least severe
 * level (info, warning, error, then critical for every level above), or at
 * the most severe for rubrics of fewer than four levels. */
const char *inc__pd_severity(size_t level, size_t count)
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

void inc__pd_put_str(inc__buf *b, const char *key, const char *value, int *first)
{
    inc__buf_puts(b, *first ? "" : ",");
    inc__json_put_str(b, key);
    inc__buf_putc(b, ':');
    inc__json_put_str(b, value);
    *first = 0;
}

void inc__pd_put_i64(inc__buf *b, const char *key, int64_t value, int *first)
{
    inc__buf_puts(b, *first ? "" : ",");
    inc__json_put_str(b, key);
    inc__buf_putc(b, ':');
    inc__json_put_i64(b, value);
    *first = 0;
}

/* The summary is at most 1024 bytes (the API's limit), cut at a UTF-8
 * character boundary. */
void inc__pd_put_summary(inc__buf *b, const char *text)
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

int inc__pd_check_key(const char *what, const char *s, size_t max)
{
    return inc__check_text(NULL, what, s, max, INC__TEXT_SINGLE_LINE);
}

/* An Events API v2 routing (integration) key: 32 letters and digits. */
int inc__pd_routing_key_valid(const char *key)
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
int inc__pd_url_valid(const char *url)
{
    return url && inc__pd_check_key("incident_url", url, PD_URL_MAX) == INC_OK &&
           (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
           !strpbrk(url, " \t\"<>");
}

/* "client", "client_url" and "links" back to the incident. */
void inc__pd_put_links(inc__buf *b, const char *url, const char *incident_id, int *first)
{
    inc__buf text;
    int link_first = 1;
    inc__pd_put_str(b, "client", "libincident", first);
    inc__pd_put_str(b, "client_url", url, first);
    inc__buf_init(&text, b->alloc);
    inc__buf_printf(&text, "Incident %s", incident_id);
    inc__buf_puts(b, ",\"links\":[{");
    inc__pd_put_str(b, "href", url, &link_first);
    inc__pd_put_str(b, "text", text.ptr ? text.ptr : "Incident", &link_first);
    inc__buf_puts(b, "}]");
    if (text.failed)
        b->failed = INC_ENOMEM;
    inc__buf_dispose(&text);
}

/* {"routing_key":..,"event_action":..,"dedup_key":..} */
static void put_ack_or_resolve(inc__buf *b, const char *action, const char *routing_key,
                               const char *dedup_key)
{
    int first = 1;
    inc__buf_putc(b, '{');
    inc__pd_put_str(b, "routing_key", routing_key, &first);
    inc__pd_put_str(b, "event_action", action, &first);
    inc__pd_put_str(b, "dedup_key", dedup_key, &first);
    inc__buf_putc(b, '}');
}

int inc_pagerduty_event(const char *action, const char *routing_key, const char *dedup_key,
                        char **out, size_t *len)
{
    inc_allocator a;
    inc__buf b;

    if (!out || !action || (strcmp(action, "acknowledge") != 0 && strcmp(action, "resolve") != 0) ||
        !inc__pd_routing_key_valid(routing_key) ||
        inc__pd_check_key("dedup_key", dedup_key, INC__PD_DEDUP_MAX) != INC_OK)
        return INC_EINVAL;
    *out = NULL;
    if (inc__alloc_init(&a, NULL) != INC_OK)
        return INC_ERROR;
    inc__buf_init(&b, &a);
    put_ack_or_resolve(&b, action, routing_key, dedup_key);
    return inc__buf_detach(&b, out, len);
}

/* ---- the events of one timeline event --------------------------------------- */

/* What an open alert is, which says what satisfies it. */
typedef enum pd_class {
    PD_PAGE,     /* a page (ESC-1 ladder step or a requested page): acknowledged by an
                    acknowledgement, resolved by the incident's resolution */
    PD_ACK_ITEM, /* ESC-3 ack / ack_expired: resolved by an acknowledgement */
    PD_DEADLINE  /* REG-1 deadline: resolved when its clock stops */
} pd_class;

typedef struct pd_alert {
    char key[INC__PD_DEDUP_MAX + 1];
    char clock[INC__DEADLINE_NAME_MAX + 1]; /* PD_DEADLINE: the clock's name */
    pd_class cls;
    int acked;
} pd_alert;

/* The alerts open before the event, and the bodies being written. */
typedef struct pd_walk {
    const inc_incident *inc;
    pd_alert *open;
    size_t count, cap;
    const char *severity; /* the level in force (declared / severity_changed) */
    unsigned reopens;     /* LIFE-4: the ladder of the k-th reopening has "/r<k>" keys */
    /* the bodies (only while applying the asked-for event) */
    inc__buf *out;
    const char *routing_key, *source, *url;
    size_t bodies;
} pd_walk;

/* The dedup_key of the alert event @ev opens (as inc_due_item::dedup_key
 * for the same item), in @key; 0 when it is no alert. */
static int alert_key(const pd_walk *w, const inc__event *ev, char key[INC__PD_DEDUP_MAX + 1],
                     pd_class *cls)
{
    const char *id = w->inc->id;
    int n;

    if (ev->kind == INC_EV_PAGE_REQUESTED) {
        *cls = PD_PAGE;
        if (inc__event_has(ev, INC__F_STEP) && inc__event_has(ev, INC__F_SEVERITY))
            n = w->reopens
                    ? snprintf(key, INC__PD_DEDUP_MAX + 1, "%s/esc/%s/%lld/r%u", id,
                               ev->str[INC__F_SEVERITY], (long long)ev->num[INC__F_STEP] + 1,
                               w->reopens)
                    : snprintf(key, INC__PD_DEDUP_MAX + 1, "%s/esc/%s/%lld", id,
                               ev->str[INC__F_SEVERITY], (long long)ev->num[INC__F_STEP] + 1);
        else
            n = snprintf(key, INC__PD_DEDUP_MAX + 1, "%s/page/%llu", id,
                         (unsigned long long)ev->seq);
    } else if (ev->kind == INC_EV_DUE_DELIVERED) {
        inc_due_kind kind = (inc_due_kind)ev->num[INC__F_ITEM];
        if (kind == INC_DUE_ACK || kind == INC_DUE_ACK_EXPIRED)
            *cls = PD_ACK_ITEM;
        else if (kind == INC_DUE_DEADLINE)
            *cls = PD_DEADLINE;
        else
            return 0; /* heartbeats, reminders, tasks: not pages */
        n = snprintf(key, INC__PD_DEDUP_MAX + 1, "%s/%s/%s/%lld", id, inc_due_kind_name(kind),
                     inc__event_has(ev, INC__F_TARGET) ? ev->str[INC__F_TARGET] : "-",
                     (long long)ev->num[INC__F_DUE]);
    } else
        return 0;
    /* The longest key (a 96-byte id, an ack_expired target of 128 bytes)
     * fits in 255; a longer one is cut, the same way every time, on a
     * character boundary. */
    if (n > INC__PD_DEDUP_MAX) {
        n = INC__PD_DEDUP_MAX;
        while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80)
            n--;
        key[n] = '\0';
    }
    return 1;
}

static int remember(pd_walk *w, const inc__event *ev, const char *key, pd_class cls)
{
    pd_alert *a;
    if (inc__array_reserve(w->inc->alloc, (void **)&w->open, &w->cap, w->count + 1,
                           sizeof(*w->open)) != INC_OK)
        return INC_ENOMEM;
    a = &w->open[w->count++];
    memset(a, 0, sizeof(*a));
    memcpy(a->key, key, strlen(key) + 1);
    a->cls = cls;
    if (cls == PD_DEADLINE && inc__event_has(ev, INC__F_TARGET))
        snprintf(a->clock, sizeof(a->clock), "%s", ev->str[INC__F_TARGET]);
    return INC_OK;
}

/* Start a body: a line of its own after the first. */
static void begin_body(pd_walk *w)
{
    if (w->bodies++)
        inc__buf_putc(w->out, '\n');
}

static void put_trigger(pd_walk *w, const inc__event *ev, const char *key, pd_class cls)
{
    const char *sev = inc__event_has(ev, INC__F_SEVERITY) ? ev->str[INC__F_SEVERITY] : w->severity;
    const char *target = inc__event_has(ev, INC__F_TARGET) ? ev->str[INC__F_TARGET] : "";
    const char *cls_name = cls == PD_PAGE
                               ? (inc__event_has(ev, INC__F_STEP) ? "escalation" : "page")
                               : inc_due_kind_name((inc_due_kind)ev->num[INC__F_ITEM]);
    const char *rule = inc__event_has(ev, INC__F_REASON) ? ev->str[INC__F_REASON] : "ESC-2";
    size_t level = 0;
    char when[32];
    inc__buf summary;
    int first = 1;

    inc_rubric_get_level_index(w->inc->rubric, sev, &level);
    inc_time_format(ev->time, when, sizeof(when));
    inc__buf_init(&summary, w->inc->alloc);
    if (inc__event_has(ev, INC__F_TEXT) && ev->str_len[INC__F_TEXT])
        inc__buf_puts(&summary, ev->str[INC__F_TEXT]);
    else
        inc__buf_printf(&summary, "%s %s: page %s", sev, w->inc->id, target);
    begin_body(w);
    inc__buf_putc(w->out, '{');
    inc__pd_put_str(w->out, "routing_key", w->routing_key, &first);
    inc__pd_put_str(w->out, "event_action", "trigger", &first);
    inc__pd_put_str(w->out, "dedup_key", key, &first);
    inc__buf_puts(w->out, ",\"payload\":{");
    inc__pd_put_summary(w->out, summary.ptr ? summary.ptr : "page");
    inc__pd_put_str(w->out, "source", w->source, &first);
    inc__pd_put_str(w->out, "severity",
                    inc__pd_severity(level, inc_rubric_level_count(w->inc->rubric)), &first);
    inc__pd_put_str(w->out, "timestamp", when, &first);
    inc__pd_put_str(w->out, "group", w->inc->id, &first);
    inc__pd_put_str(w->out, "class", cls_name, &first);
    inc__buf_puts(w->out, ",\"custom_details\":{");
    first = 1;
    inc__pd_put_str(w->out, "incident_id", w->inc->id, &first);
    inc__pd_put_i64(w->out, "seq", (int64_t)ev->seq, &first);
    inc__pd_put_str(w->out, "rule_id", rule, &first);
    inc__pd_put_str(w->out, "target", target, &first);
    inc__pd_put_str(w->out, "level", sev, &first);
    if (inc__event_has(ev, INC__F_PERSON))
        inc__pd_put_str(w->out, "people", ev->str[INC__F_PERSON], &first); /* ONC-2 */
    inc__buf_puts(w->out, "}}");
    if (w->url)
        inc__pd_put_links(w->out, w->url, w->inc->id, &first);
    inc__buf_putc(w->out, '}');
    if (summary.failed)
        w->out->failed = INC_ENOMEM;
    inc__buf_dispose(&summary);
}

/* Acknowledge or resolve alert @i (a resolved one leaves the open list). */
static void settle(pd_walk *w, size_t i, const char *action)
{
    if (w->out) {
        begin_body(w);
        put_ack_or_resolve(w->out, action, w->routing_key, w->open[i].key);
    }
    if (strcmp(action, "resolve") == 0) {
        memmove(&w->open[i], &w->open[i + 1], (w->count - i - 1) * sizeof(*w->open));
        w->count--;
    } else
        w->open[i].acked = 1;
}

/* What satisfies which alert (lib/docs/wire-formats.md, "when"). */
enum { ON_ACK, ON_ACK_EXPIRED, ON_RESOLVED, ON_CLOSED, ON_CLOCK_STOPPED };

static void satisfy(pd_walk *w, int what, const char *clock)
{
    size_t i = 0;
    while (i < w->count) {
        pd_alert *a = &w->open[i];
        int resolve =
            what == ON_CLOSED || (what == ON_RESOLVED && a->cls != PD_DEADLINE) ||
            (what == ON_ACK && a->cls == PD_ACK_ITEM) ||
            (what == ON_CLOCK_STOPPED && a->cls == PD_DEADLINE && strcmp(a->clock, clock) == 0);
        if (resolve) {
            settle(w, i, "resolve");
            continue;
        }
        if (what == ON_ACK && a->cls == PD_PAGE && !a->acked)
            settle(w, i, "acknowledge");
        else if (what == ON_ACK_EXPIRED && a->cls == PD_PAGE)
            a->acked = 0; /* the next acknowledgement acknowledges it again */
        i++;
    }
}

/* Follow one event: open its alert, settle what it satisfies. */
static int follow(pd_walk *w, const inc__event *ev)
{
    char key[INC__PD_DEDUP_MAX + 1];
    pd_class cls;

    switch (ev->kind) {
    case INC_EV_DECLARED:
    case INC_EV_SEVERITY_CHANGED:
        w->severity = ev->str[INC__F_SEVERITY];
        break;
    case INC_EV_REOPENED:
        w->reopens++;
        break;
    case INC_EV_ACKNOWLEDGED:
        satisfy(w, ON_ACK, NULL);
        break;
    case INC_EV_STATE_CHANGED:
        if (ev->num[INC__F_STATE] == INC_STATE_RESOLVED)
            satisfy(w, ON_RESOLVED, NULL);
        else if (ev->num[INC__F_STATE] == INC_STATE_CLOSED)
            satisfy(w, ON_CLOSED, NULL);
        break;
    case INC_EV_LINKED: /* LIFE-5: a duplicate is closed with a pointer */
        if (ev->num[INC__F_ITEM] == INC_LINK_DUPLICATE_OF)
            satisfy(w, ON_CLOSED, NULL);
        break;
    case INC_EV_POSTMORTEM_STATUS: /* PM-1: Final closes */
        if (ev->num[INC__F_STATUS] == INC_PM_FINAL)
            satisfy(w, ON_CLOSED, NULL);
        break;
    case INC_EV_DEADLINE_CLOCK_STOPPED:
        satisfy(w, ON_CLOCK_STOPPED, ev->str[INC__F_NAME]);
        break;
    default:
        break;
    }
    if (ev->kind == INC_EV_DUE_DELIVERED && ev->num[INC__F_ITEM] == INC_DUE_ACK_EXPIRED)
        satisfy(w, ON_ACK_EXPIRED, NULL);
    if (!alert_key(w, ev, key, &cls))
        return INC_OK;
    if (w->out)
        put_trigger(w, ev, key, cls);
    return remember(w, ev, key, cls);
}

int inc_incident_pagerduty_json(const inc_incident *inc, uint64_t seq, const char *routing_key,
                                const char *source, const char *incident_url, char **out,
                                size_t *count)
{
    pd_walk w;
    inc__buf b;
    inc__event ev;
    uint64_t i;
    int rc = INC_OK;

    if (out)
        *out = NULL;
    if (count)
        *count = 0;
    if (!inc || !out || seq == 0 || !inc__pd_routing_key_valid(routing_key) ||
        (source && inc__pd_check_key("source", source, PD_SOURCE_MAX) != INC_OK) ||
        (incident_url && !inc__pd_url_valid(incident_url)))
        return INC_EINVAL;
    if (seq > inc->event_count)
        return INC_ENOTFOUND;
    memset(&w, 0, sizeof(w));
    w.inc = inc;
    w.severity = inc->severity;
    w.routing_key = routing_key;
    w.source = source ? source : "libincident";
    w.url = incident_url;
    inc__buf_init(&b, inc->alloc);
    for (i = 1; i <= seq && rc == INC_OK; i++) {
        if (inc__incident_event_at(inc, (size_t)(i - 1), &ev) != INC_OK) {
            rc = INC_ECORRUPT; /* cannot happen: it was decoded when applied */
            break;
        }
        w.out = i == seq ? &b : NULL;
        rc = follow(&w, &ev);
    }
    inc__free(inc->alloc, w.open);
    if (rc == INC_OK && b.failed)
        rc = INC_ENOMEM;
    if (rc != INC_OK) {
        inc__buf_dispose(&b);
        return rc;
    }
    if (count)
        *count = w.bodies;
    return inc__buf_detach(&b, out, NULL);
}
