/* Alerts in (ALERT-1..ALERT-3; lib/docs/alert-routing.md): the alert
 * documents the library reads (a Prometheus Alertmanager webhook, version 4,
 * and a PagerDuty Events API v2 event) turned into one shape, and the
 * routing file that says what an alert becomes (its level, title, rotation
 * and group) and when its service is in maintenance. Intake (attaching to
 * or declaring an incident) is built on these. */
#ifndef INC_ALERTS_INTERNAL_H
#define INC_ALERTS_INTERNAL_H

#include "incident/context.h"
#include "incident/rubric.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/json.h"

#define INC__ALERT_DOC_MAX ((size_t)1 << 20) /* an alert document: 1 MiB */
#define INC__ALERT_KEY_MAX 255               /* a fingerprint or dedup_key */

typedef enum inc__alert_status {
    INC__ALERT_FIRING = 0,
    INC__ALERT_RESOLVED = 1,
    INC__ALERT_ACKNOWLEDGED = 2 /* PagerDuty's acknowledge */
} inc__alert_status;

/* One alert, its strings borrowed from the batch's parsed document. */
typedef struct inc__alert {
    inc__alert_status status;
    const char *fingerprint; /* Alertmanager's fingerprint or PagerDuty's dedup_key */
    const char *summary;     /* annotations.summary, else alertname; payload.summary */
    const char *service;     /* label "service" (else "job"); payload.component, else source */
    const char *severity;    /* label "severity"; payload.severity; "" when none */
    size_t label_count;
    const char *const *keys; /* the labels (PagerDuty: the payload's string members) */
    const char *const *values;
    inc_time starts_at; /* startsAt / payload.timestamp, or INC_TIME_NONE */
} inc__alert;

typedef enum inc__alert_source {
    INC__ALERT_ALERTMANAGER = 0,
    INC__ALERT_PAGERDUTY = 1
} inc__alert_source;

/* The alerts of one document. */
typedef struct inc__alert_batch {
    inc_allocator alloc;
    inc__alert_source source;
    inc__json *root;
    inc__arena arena; /* the alerts and their label arrays */
    inc__alert *alerts;
    size_t count;
} inc__alert_batch;

/* Read an Alertmanager webhook document (version 4) or, when it has an
 * "event_action", a PagerDuty Events v2 event. INC_OK, or: INC_ETOOBIG
 * (over 1 MiB, a key over 255 bytes), INC_EPARSE (not JSON, not an object),
 * INC_EINVAL (a wrong version, an unknown status or event action, an alert
 * with no labels, a missing member), INC_ENOMEM; the message (and the
 * offset) in @diag. Nothing is kept on failure. */
int inc__alert_batch_parse(const inc_allocator *alloc, const char *doc, size_t len,
                           inc__alert_batch *out, inc_diag *diag);
void inc__alert_batch_dispose(inc__alert_batch *b);

/* The value of label @key of @a, or NULL. */
const char *inc__alert_label(const inc__alert *a, const char *key);

/* ---- the routing file ----------------------------------------------------- */

typedef struct inc__route_rule {
    const char *name;
    size_t match_count;
    const char **match_keys; /* every label must equal its value ("*": be present) */
    const char **match_values;
    const char *service;    /* NULL: any */
    const char *severities; /* comma-separated, NULL: any */
    const char *level;      /* a level of the rubric */
    const char *title;      /* a template: {{label}}, {{service}}, {{severity}}, {{summary}} */
    const char *slug;       /* the incident id's slug */
    const char *rotation;   /* whom to page: a rotation (its primary is the IC) */
    int declare;            /* 0: record the alert, never declare */
    const char *group_by;   /* comma-separated labels */
    int64_t group_window_ms;
    unsigned line;
} inc__route_rule;

typedef struct inc__maintenance {
    const char *service;
    const char *zone;
    unsigned days;     /* bit 0 Sunday .. bit 6 Saturday */
    unsigned from_min; /* local minutes of the day; to < from spans midnight */
    unsigned to_min;
    unsigned line;
} inc__maintenance;

typedef struct inc__routing {
    inc_allocator alloc;
    inc__arena arena;
    inc__route_rule *rules;
    size_t rule_count, rule_cap;
    inc__maintenance *windows;
    size_t window_count, window_cap;
} inc__routing;

/* Parse routing text (format: lib/docs/alert-routing.md). Levels are
 * checked against @rubric, zones loaded through @ctx's zone directory.
 * Failures name @file and the line: "routes.txt: line 7: level: 'Sev-9' is
 * not a level of the rubric". INC_OK, INC_EPARSE, INC_EINVAL, INC_ETOOBIG,
 * INC_ENOMEM; nothing is kept on failure. */
int inc__routing_parse(inc_context *ctx, const inc_rubric *rubric, const char *file,
                       const char *text, size_t len, inc__routing **out, inc_diag *diag);
void inc__routing_free(inc__routing *r);

/* The first rule that matches @a, or NULL. */
const inc__route_rule *inc__routing_match(const inc__routing *r, const inc__alert *a);

/* Whether @service is in a maintenance window at @t (1) or not (0); a zone
 * that fails to load counts as no window (it loaded when the file was read). */
int inc__routing_in_maintenance(const inc__routing *r, inc_context *ctx, const char *service,
                                inc_time t);

/* The group key of @a under @rule, "<rule>/<label>=<value>,..." into @b. */
void inc__routing_group_key(const inc__route_rule *rule, const inc__alert *a, inc__buf *b);
/* The title of @rule's template for @a into @b, cut to INC_TITLE_MAX bytes. */
void inc__routing_title(const inc__route_rule *rule, const inc__alert *a, inc__buf *b);

#endif
