/* Alert documents (lib/docs/alert-routing.md, "Alert documents"): a
 * Prometheus Alertmanager webhook (version 4) and a PagerDuty Events API v2
 * event, read into inc__alert values that borrow the parsed JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alerts_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/text.h"
#include "util/time.h"

/* A string member of @obj, or NULL when absent; INC_EINVAL when not a
 * string. */
static int get_str(const inc__json *obj, const char *key, const char **out, inc_diag *diag,
                   const char *where)
{
    const inc__json *v = obj ? inc__json_get(obj, key) : NULL;
    *out = NULL;
    if (!v || v->type == INC__JSON_NULL)
        return INC_OK;
    if (v->type != INC__JSON_STRING)
        return inc__diag_set(diag, INC_EINVAL, 0, v->offset, "%s%s: not a string", where, key);
    *out = v->str;
    return INC_OK;
}

static int check_key(const char *key, size_t offset, const char *what, inc_diag *diag)
{
    if (!key || !key[0])
        return inc__diag_set(diag, INC_EINVAL, 0, offset, "%s: missing or empty", what);
    if (strlen(key) > INC__ALERT_KEY_MAX)
        return inc__diag_set(diag, INC_ETOOBIG, 0, offset, "%s: longer than %d bytes", what,
                             INC__ALERT_KEY_MAX);
    return INC_OK;
}

/* Label arrays of @n entries from the arena. */
static int take_labels(inc__alert_batch *b, inc__alert *a, size_t n)
{
    const char **keys = inc__arena_alloc(&b->arena, (n ? n : 1) * sizeof(char *));
    const char **values = inc__arena_alloc(&b->arena, (n ? n : 1) * sizeof(char *));
    if (!keys || !values)
        return INC_ENOMEM;
    a->keys = keys;
    a->values = values;
    a->label_count = 0;
    return INC_OK;
}

static void add_label(inc__alert *a, const char *key, const char *value)
{
    ((const char **)a->keys)[a->label_count] = key;
    ((const char **)a->values)[a->label_count] = value;
    a->label_count++;
}

static inc_time parse_time(const char *s)
{
    inc_time t;
    return s && inc_time_parse(s, &t) == INC_OK ? t : INC_TIME_NONE;
}

/* ---- Alertmanager ----------------------------------------------------------- */

static int am_alert(inc__alert_batch *b, const inc__json *v, size_t i, inc__alert *a,
                    inc_diag *diag)
{
    const inc__json *labels = inc__json_get(v, "labels");
    const char *status = NULL, *starts = NULL;
    char where[48];
    size_t k;
    int rc;

    snprintf(where, sizeof(where), "alerts[%zu].", i);
    if (v->type != INC__JSON_OBJECT)
        return inc__diag_set(diag, INC_EINVAL, 0, v->offset, "alerts[%zu]: not an object", i);
    if ((rc = get_str(v, "status", &status, diag, where)) != INC_OK ||
        (rc = get_str(v, "fingerprint", &a->fingerprint, diag, where)) != INC_OK ||
        (rc = get_str(v, "startsAt", &starts, diag, where)) != INC_OK)
        return rc;
    if (!status || (strcmp(status, "firing") != 0 && strcmp(status, "resolved") != 0))
        return inc__diag_set(diag, INC_EINVAL, 0, v->offset,
                             "alerts[%zu].status: \"firing\" or \"resolved\"", i);
    a->status = status[0] == 'f' ? INC__ALERT_FIRING : INC__ALERT_RESOLVED;
    if ((rc = check_key(a->fingerprint, v->offset, "fingerprint", diag)) != INC_OK)
        return rc;
    if (!labels || labels->type != INC__JSON_OBJECT || labels->count == 0)
        return inc__diag_set(diag, INC_EINVAL, 0, v->offset,
                             "alerts[%zu].labels: an alert has no labels", i);
    if (take_labels(b, a, labels->count) != INC_OK)
        return inc__diag_set(diag, INC_ENOMEM, 0, 0, "out of memory");
    for (k = 0; k < labels->count; k++) {
        if (labels->items[k]->type != INC__JSON_STRING)
            return inc__diag_set(diag, INC_EINVAL, 0, labels->items[k]->offset,
                                 "alerts[%zu].labels.%s: not a string", i, labels->keys[k]);
        add_label(a, labels->keys[k], labels->items[k]->str);
    }
    if ((rc = get_str(inc__json_get(v, "annotations"), "summary", &a->summary, diag, where)))
        return rc;
    if (!a->summary)
        a->summary = inc__alert_label(a, "alertname");
    a->service = inc__alert_label(a, "service");
    if (!a->service)
        a->service = inc__alert_label(a, "job");
    a->severity = inc__alert_label(a, "severity");
    a->starts_at = parse_time(starts);
    if (!a->service)
        a->service = "";
    if (!a->severity)
        a->severity = "";
    return INC_OK;
}

static int alertmanager(inc__alert_batch *b, inc_diag *diag)
{
    const inc__json *alerts = inc__json_get(b->root, "alerts");
    const char *version = NULL;
    size_t i;
    int rc;

    if ((rc = get_str(b->root, "version", &version, diag, "")) != INC_OK)
        return rc;
    if (!version || strcmp(version, "4") != 0)
        return inc__diag_set(diag, INC_EINVAL, 0, b->root->offset,
                             "version: an Alertmanager webhook of version \"4\" (this is %s%s%s)",
                             version ? "\"" : "", version ? version : "none", version ? "\"" : "");
    if (!alerts || alerts->type != INC__JSON_ARRAY || alerts->count == 0)
        return inc__diag_set(diag, INC_EINVAL, 0, b->root->offset, "alerts: a non-empty array");
    if (!(b->alerts = inc__arena_alloc(&b->arena, alerts->count * sizeof(inc__alert))))
        return inc__diag_set(diag, INC_ENOMEM, 0, 0, "out of memory");
    memset(b->alerts, 0, alerts->count * sizeof(inc__alert));
    for (i = 0; i < alerts->count; i++)
        if ((rc = am_alert(b, alerts->items[i], i, &b->alerts[i], diag)) != INC_OK)
            return rc;
    b->count = alerts->count;
    b->source = INC__ALERT_ALERTMANAGER;
    return INC_OK;
}

/* ---- PagerDuty Events v2 ------------------------------------------------------ */

static const char *const pd_fields[] = {"source", "severity", "component", "group", "class"};

static int pd_payload(inc__alert_batch *b, const inc__json *payload, inc__alert *a, inc_diag *diag)
{
    const inc__json *details = inc__json_get(payload, "custom_details");
    size_t n = 5 + (details && details->type == INC__JSON_OBJECT ? details->count : 0), k;
    const char *v, *ts = NULL;
    int rc;

    if ((rc = get_str(payload, "summary", &a->summary, diag, "payload.")) ||
        (rc = get_str(payload, "timestamp", &ts, diag, "payload.")))
        return rc;
    if (!a->summary || !a->summary[0])
        return inc__diag_set(diag, INC_EINVAL, 0, payload->offset,
                             "payload.summary: missing or empty");
    if (take_labels(b, a, n) != INC_OK)
        return inc__diag_set(diag, INC_ENOMEM, 0, 0, "out of memory");
    for (k = 0; k < 5; k++) {
        if ((rc = get_str(payload, pd_fields[k], &v, diag, "payload.")) != INC_OK)
            return rc;
        if (v)
            add_label(a, pd_fields[k], v);
    }
    for (k = 0; details && details->type == INC__JSON_OBJECT && k < details->count; k++)
        if (details->items[k]->type == INC__JSON_STRING)
            add_label(a, details->keys[k], details->items[k]->str);
    a->severity = inc__alert_label(a, "severity");
    if (!a->severity || (strcmp(a->severity, "critical") && strcmp(a->severity, "error") &&
                         strcmp(a->severity, "warning") && strcmp(a->severity, "info")))
        return inc__diag_set(diag, INC_EINVAL, 0, payload->offset,
                             "payload.severity: critical, error, warning or info");
    if (!inc__alert_label(a, "source"))
        return inc__diag_set(diag, INC_EINVAL, 0, payload->offset, "payload.source: missing");
    a->service = inc__alert_label(a, "component");
    if (!a->service)
        a->service = inc__alert_label(a, "source");
    a->starts_at = parse_time(ts);
    return INC_OK;
}

static int pagerduty(inc__alert_batch *b, inc_diag *diag)
{
    const inc__json *payload = inc__json_get(b->root, "payload");
    const char *action = NULL;
    inc__alert *a;
    int rc;

    if ((rc = get_str(b->root, "event_action", &action, diag, "")) != INC_OK ||
        !(a = inc__arena_alloc(&b->arena, sizeof(*a))))
        return rc ? rc : inc__diag_set(diag, INC_ENOMEM, 0, 0, "out of memory");
    memset(a, 0, sizeof(*a));
    if (!action ||
        (strcmp(action, "trigger") && strcmp(action, "acknowledge") && strcmp(action, "resolve")))
        return inc__diag_set(diag, INC_EINVAL, 0, b->root->offset,
                             "event_action: \"trigger\", \"acknowledge\" or \"resolve\"");
    a->status = action[0] == 't'   ? INC__ALERT_FIRING
                : action[0] == 'a' ? INC__ALERT_ACKNOWLEDGED
                                   : INC__ALERT_RESOLVED;
    if ((rc = get_str(b->root, "dedup_key", &a->fingerprint, diag, "")) != INC_OK ||
        (rc = check_key(a->fingerprint, b->root->offset, "dedup_key", diag)) != INC_OK)
        return rc;
    if (a->status == INC__ALERT_FIRING || payload) {
        if (!payload || payload->type != INC__JSON_OBJECT)
            return inc__diag_set(diag, INC_EINVAL, 0, b->root->offset,
                                 "payload: a trigger needs one");
        if ((rc = pd_payload(b, payload, a, diag)) != INC_OK)
            return rc;
    } else if (take_labels(b, a, 0) != INC_OK) {
        return inc__diag_set(diag, INC_ENOMEM, 0, 0, "out of memory");
    } else {
        a->summary = a->service = a->severity = "";
        a->starts_at = INC_TIME_NONE;
    }
    b->alerts = a;
    b->count = 1;
    b->source = INC__ALERT_PAGERDUTY;
    return INC_OK;
}

/* ---- the batch -------------------------------------------------------------- */

int inc__alert_batch_parse(const inc_allocator *alloc, const char *doc, size_t len,
                           inc__alert_batch *out, inc_diag *diag)
{
    int rc;

    memset(out, 0, sizeof(*out));
    if (diag)
        memset(diag, 0, sizeof(*diag));
    if (!doc)
        return inc__diag_set(diag, INC_EINVAL, 0, 0, "document: NULL");
    if (len > INC__ALERT_DOC_MAX)
        return inc__diag_set(diag, INC_ETOOBIG, 0, 0, "document: longer than 1 MiB");
    if (inc__alloc_init(&out->alloc, alloc) != INC_OK)
        return inc__diag_set(diag, INC_EINVAL, 0, 0, "alloc: incomplete allocator");
    inc__arena_init(&out->arena, &out->alloc, 4096);
    if ((rc = inc__json_parse(&out->alloc, doc, len, &out->root, diag)) != INC_OK) {
        inc__alert_batch_dispose(out);
        return rc;
    }
    if (out->root->type != INC__JSON_OBJECT)
        rc = inc__diag_set(diag, INC_EPARSE, 0, out->root->offset,
                           "an alert document is a JSON object");
    else if (inc__json_get(out->root, "event_action"))
        rc = pagerduty(out, diag);
    else
        rc = alertmanager(out, diag);
    if (rc != INC_OK)
        inc__alert_batch_dispose(out);
    return rc;
}

void inc__alert_batch_dispose(inc__alert_batch *b)
{
    if (b->root)
        inc__json_free(&b->alloc, b->root);
    inc__arena_dispose(&b->arena);
    b->root = NULL;
    b->alerts = NULL;
    b->count = 0;
}

const char *inc__alert_label(const inc__alert *a, const char *key)
{
    size_t i;
    for (i = 0; i < a->label_count; i++)
        if (strcmp(a->keys[i], key) == 0)
            return a->values[i];
    return NULL;
}
