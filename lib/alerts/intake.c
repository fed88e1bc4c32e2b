/* Alert intake (ALERT-1..ALERT-3; include/incident/alerts.h): each alert of
 * a document is routed (routing.c), then attached to its group's open
 * incident or, when the rule says so, declares one and pages.
 *
 * The router keeps, in memory, the open incident of each group (an open
 * handle, so a repeat costs no store read) and per group and fingerprint the
 * count received and what was last written. A repeat writes an event only
 * when its status changed or a group window passed since the last event for
 * that fingerprint: the bound documented in alerts.h. After a restart the
 * groups are found again by reading the store once (find_open_groups). */
#include <string.h>

#include "alerts_internal.h"
#include "incident/alerts.h"
#include "incident/due.h"
#include "incident/oncall.h"
#include "incident/rotation.h"
#include "incident/staffing.h"
#include "incident_internal.h"
#include "util/map.h"

#define GROUP_KEY_MAX 255 /* the group key as stored (the event's target) */
#define LABELS_MAX    512 /* the labels summary of an event */

/* A group with an open incident. */
typedef struct group {
    inc_incident *inc; /* opened lazily after a restart (NULL until needed) */
    char id[INC_ID_MAX + 1];
    inc_time last_at;            /* the last alert received */
    const inc__route_rule *rule; /* the rule whose group it is (NULL: not in this file) */
    unsigned gen;                /* bumped when the group gets a new incident */
    char key[GROUP_KEY_MAX + 1]; /* the group key */
} group;

/* One fingerprint of one group. */
typedef struct print {
    int64_t count;   /* received */
    int64_t written; /* the count in its last event, 0 if none */
    int status;      /* the status in its last event */
    inc_time written_at;
    unsigned gen;      /* the group's generation these counts belong to */
    const char *actor; /* the integration that sent it (a static string) */
} print;

struct inc_alert_router {
    inc_context *ctx;
    inc_allocator alloc;
    inc_error err;
    inc__routing *routing;
    inc__map groups; /* group key -> group */
    inc__map prints; /* group key "\n" fingerprint -> print */
    inc__map by_fp;  /* fingerprint -> group (borrowed): PagerDuty's acknowledge and
                        resolve carry only the dedup key */
    int scanned;     /* the store was read for open groups */
    inc__buf key, title, labels, pkey;
};

/* ---- the router ------------------------------------------------------------ */

int inc_alert_router_parse(inc_context *ctx, const char *file, const char *text, size_t len,
                           inc_alert_router **out, inc_diag *diag)
{
    inc_alert_router *r;
    inc__routing *routing;
    int rc;

    if (out)
        *out = NULL;
    if (!ctx || !text || !out) {
        if (diag) {
            memset(diag, 0, sizeof(*diag));
            diag->code = INC_EINVAL;
            strcpy(diag->message, "alert router: a NULL argument");
        }
        return INC_EINVAL;
    }
    rc = inc__routing_parse(ctx, inc_context_rubric(ctx), file ? file : "routing", text, len,
                            &routing, diag);
    if (rc != INC_OK)
        return rc;
    if (!(r = inc__calloc(&ctx->alloc, 1, sizeof(*r)))) {
        inc__routing_free(routing);
        return INC_ENOMEM;
    }
    r->ctx = ctx;
    r->alloc = ctx->alloc;
    r->routing = routing;
    inc__map_init(&r->groups, &r->alloc);
    inc__map_init(&r->prints, &r->alloc);
    inc__map_init(&r->by_fp, &r->alloc);
    inc__buf_init(&r->key, &r->alloc);
    inc__buf_init(&r->title, &r->alloc);
    inc__buf_init(&r->labels, &r->alloc);
    inc__buf_init(&r->pkey, &r->alloc);
    *out = r;
    return INC_OK;
}

static void free_values(inc_alert_router *r, inc__map *m, int groups)
{
    size_t pos = 0;
    const char *k;
    void *v;

    while (inc__map_next(m, &pos, &k, &v)) {
        if (groups)
            inc_incident_free(((group *)v)->inc);
        inc__free(&r->alloc, v);
    }
    inc__map_dispose(m);
}

void inc_alert_router_free(inc_alert_router *r)
{
    if (!r)
        return;
    free_values(r, &r->groups, 1);
    free_values(r, &r->prints, 0);
    inc__map_dispose(&r->by_fp);
    inc__routing_free(r->routing);
    inc__buf_dispose(&r->key);
    inc__buf_dispose(&r->title);
    inc__buf_dispose(&r->labels);
    inc__buf_dispose(&r->pkey);
    inc__free(&r->alloc, r);
}

const char *inc_alert_router_errmsg(const inc_alert_router *r)
{
    return r ? r->err.msg : "";
}

/* ---- text for events ------------------------------------------------------- */

/* Make @b one line of at most @max bytes: control characters become '?',
 * a cut never splits a code point. */
static void one_line(inc__buf *b, size_t max)
{
    size_t i;

    if (b->failed)
        return;
    for (i = 0; i < b->len; i++)
        if ((unsigned char)b->ptr[i] < 0x20 || b->ptr[i] == 0x7f)
            b->ptr[i] = '?';
    if (b->len > max) {
        size_t n = max;
        while (n && ((unsigned char)b->ptr[n] & 0xC0) == 0x80)
            n--;
        b->len = n;
        b->ptr[n] = '\0';
    }
}

static void labels_summary(const inc__alert *a, int maintenance, inc__buf *b)
{
    size_t i;

    inc__buf_clear(b);
    for (i = 0; i < a->label_count; i++)
        inc__buf_printf(b, "%s%s=%s", i ? ", " : "", a->keys[i], a->values[i]);
    one_line(b, LABELS_MAX);
    if (maintenance)
        inc__buf_puts(b, " (in maintenance: not paged, ALERT-2)");
}

static int integration_status(const inc__alert *a)
{
    return a->status == INC__ALERT_RESOLVED ? 1 : a->status == INC__ALERT_ACKNOWLEDGED ? 2 : 0;
}

/* ---- finding open groups after a restart --------------------------------- */

static int put_group(inc_alert_router *r, const char *key, const char *id, inc_time last_at,
                     const inc__route_rule *rule, inc_incident *inc, group **out)
{
    group *g = inc__map_get(&r->groups, key);

    if (g) {
        if (g->inc != inc)
            inc_incident_free(g->inc);
    } else {
        if (!(g = inc__calloc(&r->alloc, 1, sizeof(*g))))
            return INC_ENOMEM;
        if (inc__map_put(&r->groups, key, g) != INC_OK) {
            inc__free(&r->alloc, g);
            return INC_ENOMEM;
        }
    }
    g->inc = inc;
    g->gen++;
    strcpy(g->id, id);
    g->last_at = last_at;
    g->rule = rule;
    strcpy(g->key, key);
    if (out)
        *out = g;
    return INC_OK;
}

static print *find_print(inc_alert_router *r, const group *g, const char *key,
                         const char *fingerprint);

/* The rule of a stored group key "<rule>/...", or NULL. */
static const inc__route_rule *rule_of_key(const inc_alert_router *r, const char *key)
{
    const char *slash = strchr(key, '/');
    size_t i, n = slash ? (size_t)(slash - key) : 0;

    for (i = 0; n && i < r->routing->rule_count; i++)
        if (strlen(r->routing->rules[i].name) == n &&
            memcmp(r->routing->rules[i].name, key, n) == 0)
            return &r->routing->rules[i];
    return NULL;
}

/* Record one alert_received event of an open incident read after a
 * restart: the group takes the incident with the latest alert, and the
 * fingerprint's count, status and time continue from the event, so repeats
 * keep their window and their count. */
static int scan_alert(inc_alert_router *r, const inc_incident *inc, const inc__event *ev)
{
    const char *key = ev->str[INC__F_TARGET];
    group *g = inc__map_get(&r->groups, key);
    print *p;
    int rc;

    if (ev->str_len[INC__F_TARGET] > GROUP_KEY_MAX)
        return INC_OK; /* not a key this intake writes */
    if (g && strcmp(g->id, inc->id) != 0 && g->last_at >= ev->time)
        return INC_OK; /* another incident of the group had a later alert */
    if (!g || strcmp(g->id, inc->id) != 0) {
        if ((rc = put_group(r, key, inc->id, ev->time, rule_of_key(r, key), NULL, &g)) != INC_OK)
            return rc;
    }
    g->last_at = ev->time;
    if (!(p = find_print(r, g, key, ev->str[INC__F_NAME])) ||
        inc__map_put(&r->by_fp, ev->str[INC__F_NAME], g) != INC_OK)
        return INC_ENOMEM;
    p->count = p->written = ev->num[INC__F_ITEM];
    p->status = (int)ev->num[INC__F_STATUS];
    p->written_at = ev->time;
    p->actor =
        strcmp(inc__event_str(ev, INC__F_ACTOR), "pagerduty") == 0 ? "pagerduty" : "alertmanager";
    return INC_OK;
}

/* Record the groups and fingerprints of one open incident, oldest first. */
static int scan_incident(inc_alert_router *r, inc_incident *inc)
{
    size_t i;
    inc__event ev;
    int rc;

    for (i = 0; i < inc->event_count; i++) {
        if (inc->events[i].data[1] != INC_EV_ALERT_RECEIVED ||
            inc__incident_event_at(inc, i, &ev) != INC_OK)
            continue;
        if ((rc = scan_alert(r, inc, &ev)) != INC_OK)
            return rc;
    }
    return INC_OK;
}

static int scan_one(void *user, const char *id)
{
    inc_alert_router *r = user;
    inc_incident *inc;
    int rc = inc_incident_open(r->ctx, id, &inc);

    if (rc == INC_ENOMEM)
        return rc;
    if (rc != INC_OK) /* an incident that does not read is not an open group */
        return 0;
    if (inc->state < INC_STATE_RESOLVED)
        rc = scan_incident(r, inc);
    inc_incident_free(inc);
    return rc;
}

static int find_open_groups(inc_alert_router *r)
{
    int rc;

    if (r->scanned)
        return INC_OK;
    rc = inc_store_list(inc_context_store(r->ctx), scan_one, r);
    if (rc != INC_OK)
        return rc == INC_ENOMEM ? inc__error_oom(&r->err)
                                : inc_error_set(&r->err, rc,
                                                "reading the store for open alert "
                                                "groups failed");
    r->scanned = 1;
    return INC_OK;
}

/* The open incident of @key, or NULL when there is none (or its window
 * passed, or it was resolved). */
static int open_group(inc_alert_router *r, const char *key, const inc__route_rule *rule,
                      inc_time now, group **out)
{
    group *g = inc__map_get(&r->groups, key);
    int rc;

    *out = NULL;
    if (!g || now - g->last_at > rule->group_window_ms)
        return INC_OK;
    if (!g->inc && (rc = inc_incident_open(r->ctx, g->id, &g->inc)) != INC_OK) {
        if (rc == INC_ENOMEM)
            return inc__error_oom(&r->err);
        return INC_OK; /* gone: a new incident is declared */
    }
    if (g->inc->state >= INC_STATE_RESOLVED)
        return INC_OK;
    *out = g;
    return INC_OK;
}

/* ---- writing ------------------------------------------------------------- */

static int write_alert(inc_alert_router *r, inc_incident *inc, const char *actor,
                       const char *fingerprint, int status, const char *key, int64_t count,
                       const char *labels)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "record an alert")) != INC_OK)
        return inc__error_copy(&r->err, &inc->err);
    inc__draft_init(&d, INC_EV_ALERT_RECEIVED, actor);
    inc__draft_str(&d, INC__F_NAME, fingerprint);
    inc__draft_int(&d, INC__F_STATUS, status);
    inc__draft_str(&d, INC__F_TARGET, key);
    inc__draft_int(&d, INC__F_ITEM, count);
    if (labels && labels[0])
        inc__draft_str(&d, INC__F_TEXT, labels);
    rc = inc__incident_write(inc, &d);
    if (rc == INC_ECONFLICT && inc_incident_reload(inc) == INC_OK) /* written by another handle */
        rc = inc__incident_write(inc, &d);
    if (rc != INC_OK)
        return inc__error_copy(&r->err, &inc->err);
    return INC_OK;
}

/* The counts of @fingerprint in group @key (its current incident), or NULL
 * (out of memory). The group key holds no line break (one_line). */
static print *find_print(inc_alert_router *r, const group *g, const char *key,
                         const char *fingerprint)
{
    print *p;

    inc__buf_clear(&r->pkey);
    inc__buf_printf(&r->pkey, "%s\n%s", key, fingerprint);
    if (r->pkey.failed)
        return NULL;
    if (!(p = inc__map_get(&r->prints, r->pkey.ptr))) {
        if (!(p = inc__calloc(&r->alloc, 1, sizeof(*p))))
            return NULL;
        if (inc__map_put(&r->prints, r->pkey.ptr, p) != INC_OK) {
            inc__free(&r->alloc, p);
            return NULL;
        }
        p->gen = g->gen + 1; /* reset below */
    }
    if (p->gen != g->gen) { /* counts of an earlier incident of the group */
        memset(p, 0, sizeof(*p));
        p->status = -1;
        p->gen = g->gen;
    }
    return p;
}

/* Count the alert on @g's incident; write an event when the bound allows. */
static int attach(inc_alert_router *r, group *g, const inc__alert *a, const char *actor,
                  const inc__route_rule *rule, inc_time now, int maintenance,
                  inc_alert_outcome *out)
{
    print *p = find_print(r, g, r->key.ptr, a->fingerprint);
    int status = integration_status(a), rc;

    if (!p || (p->count == 0 && inc__map_put(&r->by_fp, a->fingerprint, g) != INC_OK))
        return inc__error_oom(&r->err);
    p->count++;
    p->actor = actor;
    g->last_at = now;
    out->attached++;
    strcpy(out->incident_id, g->id);
    if (p->written && p->status == status && now - p->written_at < rule->group_window_ms)
        return INC_OK; /* a repeat inside the window: counted in memory */
    labels_summary(a, maintenance, &r->labels);
    if (r->labels.failed || r->key.failed)
        return inc__error_oom(&r->err);
    rc = write_alert(r, g->inc, actor, a->fingerprint, status, r->key.ptr, p->count, r->labels.ptr);
    if (rc != INC_OK) {
        p->count--;
        return rc;
    }
    p->written = p->count;
    p->status = status;
    p->written_at = now;
    out->recorded++;
    return INC_OK;
}

/* The primary on call of the rule's rotation now, or an error (nothing written). */
static int rotation_primary(inc_alert_router *r, const inc__route_rule *rule, inc_time now,
                            const char **person)
{
    const inc_rotation *rot = inc_context_rotation(r->ctx, rule->rotation);
    inc_shift shift;

    if (!rot)
        return inc_error_set(&r->err, INC_EINVAL,
                             "rule %s: rotation '%s' is not a rotation of the context", rule->name,
                             rule->rotation);
    if (inc_rotation_who(rot, INC_LAYER_PRIMARY, now, &shift) != INC_OK)
        return inc_error_set(&r->err, INC_EINVAL,
                             "rule %s: rotation '%s' has no primary on call now", rule->name,
                             rule->rotation);
    *person = shift.person;
    return INC_OK;
}

static int declare(inc_alert_router *r, const inc__alert *a, const char *actor,
                   const inc__route_rule *rule, inc_time now, int maintenance,
                   inc_alert_outcome *out)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc;
    const char *primary = NULL;
    group *g;
    int rc;

    if ((rc = rotation_primary(r, rule, now, &primary)) != INC_OK)
        return rc;
    inc__buf_clear(&r->title);
    inc__routing_title(rule, a, &r->title);
    one_line(&r->title, INC_TITLE_MAX); /* label values may hold line breaks */
    if (r->title.failed)
        return inc__error_oom(&r->err);
    d.title = r->title.len ? r->title.ptr : rule->name;
    d.declarer = actor;
    d.severity = rule->level;
    d.slug = rule->slug;
    d.detected = now;
    if (a->starts_at != INC_TIME_NONE && a->starts_at <= now)
        d.impact_started = a->starts_at;
    if ((rc = inc_incident_declare(r->ctx, &d, &inc)) != INC_OK)
        return rc == INC_ENOMEM ? inc__error_oom(&r->err) : inc__error_copy(&r->err, &r->ctx->err);
    if ((rc = put_group(r, r->key.ptr, inc->id, now, rule, inc, &g)) != INC_OK) {
        inc_incident_free(inc);
        return inc__error_oom(&r->err);
    }
    out->declared++;
    /* ROLE-2: command changes hands only when the incoming IC confirms. */
    if (strcmp(primary, actor) != 0 &&
        inc_incident_handoff(inc, actor, primary, r->title.ptr,
                             "declared from an alert by the routing file; the rotation is paged",
                             "none") != INC_OK)
        return inc__error_copy(&r->err, &inc->err);
    if ((rc = attach(r, g, a, actor, rule, now, maintenance, out)) != INC_OK)
        return rc;
    if (maintenance) {
        out->suppressed++;
        return INC_OK;
    }
    if (inc_incident_request_page(inc, actor, rule->rotation, "alert routed to the rotation",
                                  NULL) != INC_OK)
        return inc__error_copy(&r->err, &inc->err);
    out->paged++;
    return INC_OK;
}

/* A PagerDuty acknowledge or resolve: no labels to route by, only the dedup
 * key; it reaches the open incident its trigger reached. */
static int follow_up(inc_alert_router *r, const inc__alert *a, const char *actor, inc_time now,
                     inc_alert_outcome *out)
{
    group *g = inc__map_get(&r->by_fp, a->fingerprint), *open;
    int rc;

    if (!g || !g->rule) {
        out->unrouted++;
        return INC_OK;
    }
    inc__buf_clear(&r->key);
    inc__buf_puts(&r->key, g->key);
    if (r->key.failed)
        return inc__error_oom(&r->err);
    if ((rc = open_group(r, g->key, g->rule, now, &open)) != INC_OK)
        return rc;
    if (!open) {
        out->unrouted++;
        return INC_OK;
    }
    return attach(r, open, a, actor, g->rule, now, 0, out);
}

static int take_alert(inc_alert_router *r, const inc__alert *a, const char *actor, inc_time now,
                      inc_alert_outcome *out)
{
    const inc__route_rule *rule;
    int maintenance;
    group *g;
    int rc;

    if (a->label_count == 0 && a->status != INC__ALERT_FIRING)
        return follow_up(r, a, actor, now, out);
    if (!(rule = inc__routing_match(r->routing, a))) {
        out->unrouted++;
        return INC_OK;
    }
    inc__buf_clear(&r->key);
    inc__routing_group_key(rule, a, &r->key);
    one_line(&r->key, GROUP_KEY_MAX);
    if (r->key.failed)
        return inc__error_oom(&r->err);
    if ((rc = open_group(r, r->key.ptr, rule, now, &g)) != INC_OK)
        return rc;
    maintenance = a->service && inc__routing_in_maintenance(r->routing, r->ctx, a->service, now);
    if (g)
        return attach(r, g, a, actor, rule, now, maintenance, out);
    if (!rule->declare || a->status != INC__ALERT_FIRING) {
        out->unrouted++;
        return INC_OK;
    }
    return declare(r, a, actor, rule, now, maintenance, out);
}

int inc_alert_router_intake(inc_alert_router *r, const char *doc, size_t len,
                            inc_alert_outcome *out)
{
    inc_alert_outcome scratch;
    inc__alert_batch batch;
    inc_diag diag;
    const char *actor;
    inc_time now;
    size_t i;
    int rc;

    if (!r)
        return INC_EINVAL;
    if (!out)
        out = &scratch;
    memset(out, 0, sizeof(*out));
    inc__error_clear(&r->err);
    if (!doc)
        return inc_error_set(&r->err, INC_EINVAL, "alert document: NULL");
    if ((rc = inc__alert_batch_parse(&r->alloc, doc, len, &batch, &diag)) != INC_OK)
        return rc == INC_ENOMEM ? inc__error_oom(&r->err)
                                : inc_error_set(&r->err, rc, "%s", diag.message);
    if ((rc = find_open_groups(r)) != INC_OK) {
        inc__alert_batch_dispose(&batch);
        return rc;
    }
    actor = batch.source == INC__ALERT_PAGERDUTY ? "pagerduty" : "alertmanager";
    now = inc_context_now(r->ctx);
    out->alerts = batch.count;
    for (i = 0; i < batch.count && rc == INC_OK; i++)
        rc = take_alert(r, &batch.alerts[i], actor, now, out);
    inc__alert_batch_dispose(&batch);
    return rc;
}

/* Write the pending count of one fingerprint (key "group\nfingerprint"). */
static int flush_print(inc_alert_router *r, const char *pkey, print *p, size_t *n)
{
    const char *nl = strchr(pkey, '\n');
    group *g;
    int rc;

    if (!nl || p->count <= p->written || p->written == 0)
        return INC_OK;
    inc__buf_clear(&r->key);
    inc__buf_put(&r->key, pkey, (size_t)(nl - pkey));
    if (r->key.failed)
        return inc__error_oom(&r->err);
    g = inc__map_get(&r->groups, r->key.ptr);
    if (!g || !g->inc || g->gen != p->gen || g->inc->state >= INC_STATE_CLOSED)
        return INC_OK;
    rc = write_alert(r, g->inc, p->actor, nl + 1, p->status, r->key.ptr, p->count, NULL);
    if (rc != INC_OK)
        return rc;
    p->written = p->count;
    p->written_at = inc_context_now(r->ctx);
    (*n)++;
    return INC_OK;
}

int inc_alert_router_flush(inc_alert_router *r, size_t *written)
{
    size_t pos = 0, n = 0;
    const char *k;
    void *v;
    int rc = INC_OK;

    if (written)
        *written = 0;
    if (!r)
        return INC_EINVAL;
    inc__error_clear(&r->err);
    while (rc == INC_OK && inc__map_next(&r->prints, &pos, &k, &v))
        rc = flush_print(r, k, v, &n);
    if (written)
        *written = n;
    return rc;
}
