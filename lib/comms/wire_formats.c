/* Wire formats people already use (lib/docs/wire-formats.md): a CAN report
 * to and from the JSON of a Netflix Dispatch tactical report, and an
 * external update to an Atlassian Statuspage incident update. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "comms_internal.h"
#include "incident_internal.h"
#include "util/json.h"
#include "util/text.h"

#define DISPATCH_MAX (1u << 20)

/* ---- Dispatch tactical report ------------------------------------------- */

static void put_member(inc__buf *b, const char *key, const char *value, int first)
{
    if (!first)
        inc__buf_putc(b, ',');
    inc__json_put_str(b, key);
    inc__buf_putc(b, ':');
    inc__json_put_str(b, value ? value : "");
}

static void dispatch_body(inc__buf *b, const char *c, const char *a, const char *n)
{
    inc__buf_putc(b, '{');
    put_member(b, "conditions", c, 1);
    put_member(b, "actions", a, 0);
    put_member(b, "needs", n, 0);
    inc__buf_putc(b, '}');
}

int inc_can_to_dispatch_json(const char *conditions, const char *actions, const char *needs,
                             const inc_allocator *alloc, char **out, size_t *len)
{
    inc_allocator a;
    inc__buf b;
    int rc;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    if ((rc = inc__alloc_init(&a, alloc)) != INC_OK)
        return rc;
    if ((rc = inc__check_text(NULL, "conditions", conditions, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) ||
        (rc = inc__check_text(NULL, "actions", actions, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) ||
        (rc = inc__check_text(NULL, "needs", needs, INC_TEXT_MAX, INC__TEXT_OPTIONAL)))
        return rc;
    inc__buf_init(&b, &a);
    dispatch_body(&b, conditions, actions, needs);
    return inc__buf_detach(&b, out, len);
}

int inc_incident_can_dispatch_json(const inc_incident *inc, size_t index, char **out, size_t *len)
{
    inc_can_info info;
    inc__buf b;
    int rc;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    if ((rc = inc_incident_get_can(inc, index, &info)) != INC_OK)
        return rc;
    inc__buf_init(&b, inc->alloc);
    dispatch_body(&b, info.conditions, info.actions, info.needs);
    return inc__buf_detach(&b, out, len);
}

static int diag_set(inc_diag *diag, int code, size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int diag_set(inc_diag *diag, int code, size_t offset, const char *fmt, ...)
{
    va_list ap;
    diag->code = code;
    diag->line = 0;
    diag->offset = offset;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
    va_end(ap);
    return code;
}

/* Take member @key of @obj: absent, null or "" gives NULL. */
static int take_slot(const inc_allocator *a, const inc__json *obj, const char *key, char **out,
                     inc_diag *diag)
{
    const inc__json *v = inc__json_get(obj, key);
    int rc;
    *out = NULL;
    if (!v || v->type == INC__JSON_NULL)
        return INC_OK;
    if (v->type != INC__JSON_STRING)
        return diag_set(diag, INC_EINVAL, v->offset, "%s: not a string", key);
    if ((rc = inc__check_text(NULL, key, v->str, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) != INC_OK)
        return diag_set(diag, rc, v->offset, "%s: %s", key,
                        rc == INC_ETOOBIG ? "longer than INC_TEXT_MAX"
                                          : "control characters other than tab and line breaks");
    if (v->str_len == 0)
        return INC_OK;
    if (!(*out = inc__out_strndup(a, v->str, v->str_len)))
        return diag_set(diag, INC_ENOMEM, v->offset, "out of memory");
    return INC_OK;
}

/* The object holding the slots: the root, or its "details" (Dispatch's
 * stored report) when the root has none of them. */
static const inc__json *slots_object(const inc__json *root)
{
    const inc__json *details = inc__json_get(root, "details");
    if (!inc__json_get(root, "conditions") && !inc__json_get(root, "actions") &&
        !inc__json_get(root, "needs") && details && details->type == INC__JSON_OBJECT)
        return details;
    return root;
}

int inc_can_from_dispatch_json(const char *json, size_t len, const inc_allocator *alloc,
                               char **conditions, char **actions, char **needs, inc_diag *diag)
{
    inc_diag local;
    inc_allocator a;
    inc__json *root = NULL;
    const inc__json *obj;
    int rc;

    if (!diag)
        diag = &local;
    memset(diag, 0, sizeof(*diag));
    if (!conditions || !actions || !needs)
        return diag_set(diag, INC_EINVAL, 0, "NULL output");
    *conditions = *actions = *needs = NULL;
    if (!json)
        return diag_set(diag, INC_EINVAL, 0, "json: NULL");
    if (len > DISPATCH_MAX)
        return diag_set(diag, INC_ETOOBIG, 0, "json: longer than 1 MiB");
    if ((rc = inc__alloc_init(&a, alloc)) != INC_OK)
        return diag_set(diag, rc, 0, "alloc: incomplete allocator");
    if ((rc = inc__json_parse(&a, json, len, &root, diag)) != INC_OK)
        return rc;
    if (root->type != INC__JSON_OBJECT)
        rc = diag_set(diag, INC_EPARSE, root->offset, "a tactical report is a JSON object");
    else {
        obj = slots_object(root);
        if ((rc = take_slot(&a, obj, "conditions", conditions, diag)) == INC_OK &&
            (rc = take_slot(&a, obj, "actions", actions, diag)) == INC_OK)
            rc = take_slot(&a, obj, "needs", needs, diag);
    }
    inc__json_free(&a, root);
    if (rc != INC_OK) {
        inc_free(*conditions);
        inc_free(*actions);
        inc_free(*needs);
        *conditions = *actions = *needs = NULL;
    }
    return rc;
}

/* ---- Statuspage incident update ----------------------------------------- */

static const char *const sp_status[] = {"investigating", "investigating", "identified",
                                        "monitoring",    "resolved",      "resolved"};

const char *inc_statuspage_status(inc_state state)
{
    return (unsigned)state <= INC_STATE_CLOSED ? sp_status[state] : NULL;
}

const char *inc_statuspage_impact(size_t level, size_t level_count)
{
    static const char *const from_least[] = {"none", "minor", "major"};
    size_t d;
    if (level >= level_count)
        return NULL;
    if (level == 0)
        return "critical";
    d = level_count - 1 - level;
    return d < 3 ? from_least[d] : "critical";
}

/* A component's status on the page: operational once resolved, else by
 * the incident's impact. */
static const char *component_status(inc_state state, const char *impact)
{
    if (state >= INC_STATE_RESOLVED)
        return "operational";
    if (strcmp(impact, "critical") == 0)
        return "major_outage";
    if (strcmp(impact, "major") == 0)
        return "partial_outage";
    return "degraded_performance";
}

static void put_components(inc__buf *b, const char *list, const char *status)
{
    const char *p = list;
    int first = 1;
    inc__buf_puts(b, ",\"affected_components\":[");
    while (p && *p) {
        const char *end = strchr(p, ','), *s = p, *e = end ? end : p + strlen(p);
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > s) {
            inc__buf_puts(b, first ? "{\"name\":" : ",{\"name\":");
            inc__json_put_strn(b, s, (size_t)(e - s));
            inc__buf_puts(b, ",\"new_status\":");
            inc__json_put_str(b, status);
            inc__buf_putc(b, '}');
            first = 0;
        }
        p = end ? end + 1 : NULL;
    }
    inc__buf_putc(b, ']');
}

int inc_incident_update_statuspage_json(const inc_incident *inc, size_t index, char **out,
                                        size_t *len)
{
    inc_update_info u;
    const char *impact;
    char when[32];
    size_t level = 0;
    inc__buf b;
    int rc;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    if ((rc = inc_incident_get_update(inc, index, &u)) != INC_OK)
        return rc;
    if (u.audience != INC_AUDIENCE_EXTERNAL)
        return INC_EINVAL;
    inc_rubric_get_level_index(inc->rubric, u.severity, &level);
    impact = inc_statuspage_impact(level, inc_rubric_level_count(inc->rubric));
    inc_time_format(u.time, when, sizeof(when));
    inc__buf_init(&b, inc->alloc);
    inc__buf_putc(&b, '{');
    put_member(&b, "name", inc->title, 1);
    put_member(&b, "status", inc_statuspage_status(u.state), 0);
    put_member(&b, "impact", impact, 0);
    put_member(&b, "body", u.body, 0);
    put_member(&b, "display_at", when, 0);
    put_components(&b, u.components, component_status(u.state, impact));
    inc__buf_putc(&b, '}');
    return inc__buf_detach(&b, out, len);
}
