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

#define DISPATCH_MAX        (1u << 20)
#define STATUSPAGE_NAME_MAX 255 /* characters, the API's limit */
#define EXTERNAL_SYSTEM_MAX 32
#define EXTERNAL_ID_MAX     255

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
        return inc__diag_set(diag, INC_EINVAL, 0, v->offset, "%s: not a string", key);
    if ((rc = inc__check_text(NULL, key, v->str, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) != INC_OK)
        return inc__diag_set(diag, rc, 0, v->offset, "%s: %s", key,
                             rc == INC_ETOOBIG
                                 ? "longer than INC_TEXT_MAX"
                                 : "control characters other than tab and line breaks");
    if (v->str_len == 0)
        return INC_OK;
    if (!(*out = inc__out_strndup(a, v->str, v->str_len)))
        return inc__diag_set(diag, INC_ENOMEM, 0, v->offset, "out of memory");
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
        return inc__diag_set(diag, INC_EINVAL, 0, 0, "NULL output");
    *conditions = *actions = *needs = NULL;
    if (!json)
        return inc__diag_set(diag, INC_EINVAL, 0, 0, "json: NULL");
    if (len > DISPATCH_MAX)
        return inc__diag_set(diag, INC_ETOOBIG, 0, 0, "json: longer than 1 MiB");
    if ((rc = inc__alloc_init(&a, alloc)) != INC_OK)
        return inc__diag_set(diag, rc, 0, 0, "alloc: incomplete allocator");
    if ((rc = inc__json_parse(&a, json, len, &root, diag)) != INC_OK)
        return rc;
    if (root->type != INC__JSON_OBJECT)
        rc = inc__diag_set(diag, INC_EPARSE, 0, root->offset, "a tactical report is a JSON object");
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

/* The byte length of the first @max_chars UTF-8 characters of @s (valid
 * UTF-8): Statuspage counts a name's limit in characters. */
static size_t utf8_prefix(const char *s, size_t max_chars)
{
    size_t n = 0, chars = 0;
    while (s[n] && chars < max_chars) {
        size_t k = inc__utf8_seq_len(s + n, strlen(s + n));
        n += k ? k : 1;
        chars++;
    }
    return n;
}

/* A component list item [s, e) trimmed of blanks. */
static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

/* The Statuspage id of component [name, name + n) in @map ("Name=id, ..."),
 * or, without a map, the name itself (the update named ids). */
static int component_id(const char *map, const char *name, size_t n, const char **id,
                        size_t *id_len)
{
    const char *p = map;
    if (!map) {
        *id = name;
        *id_len = n;
        return INC_OK;
    }
    while (p && *p) {
        const char *end = strchr(p, ','), *e = end ? end : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(e - p));
        if (eq) {
            const char *ks = p, *ke = eq, *vs = eq + 1, *ve = e;
            trim(&ks, &ke);
            trim(&vs, &ve);
            if ((size_t)(ke - ks) == n && memcmp(ks, name, n) == 0 && ve > vs) {
                *id = vs;
                *id_len = (size_t)(ve - vs);
                return INC_OK;
            }
        }
        p = end ? end + 1 : NULL;
    }
    return INC_ENOTFOUND;
}

/* Call @fn for each non-blank component of @list with its id; stops at
 * the first error. */
typedef void (*component_fn)(inc__buf *b, const char *id, size_t len, const char *status,
                             int first);

static int each_component(inc__buf *b, const char *list, const char *map, const char *status,
                          component_fn fn)
{
    const char *p = list;
    int first = 1, rc;
    while (p && *p) {
        const char *end = strchr(p, ','), *s = p, *e = end ? end : p + strlen(p), *id;
        size_t id_len;
        trim(&s, &e);
        if (e > s) {
            if ((rc = component_id(map, s, (size_t)(e - s), &id, &id_len)) != INC_OK)
                return rc;
            fn(b, id, id_len, status, first);
            first = 0;
        }
        p = end ? end + 1 : NULL;
    }
    return INC_OK;
}

static void put_component_id(inc__buf *b, const char *id, size_t len, const char *status, int first)
{
    (void)status;
    if (!first)
        inc__buf_putc(b, ',');
    inc__json_put_strn(b, id, len);
}

static void put_component_status(inc__buf *b, const char *id, size_t len, const char *status,
                                 int first)
{
    if (!first)
        inc__buf_putc(b, ',');
    inc__json_put_strn(b, id, len);
    inc__buf_putc(b, ':');
    inc__json_put_str(b, status);
}

/* "component_ids": [id, ...], "components": {id: status, ...} */
static int put_components(inc__buf *b, const char *list, const char *map, const char *status)
{
    int rc;
    inc__buf_puts(b, ",\"component_ids\":[");
    if ((rc = each_component(b, list, map, status, put_component_id)) != INC_OK)
        return rc;
    inc__buf_puts(b, "],\"components\":{");
    if ((rc = each_component(b, list, map, status, put_component_status)) != INC_OK)
        return rc;
    inc__buf_putc(b, '}');
    return INC_OK;
}

/* TL-5: the incident's head at the update (the update event's checkpoint),
 * so the status page witnesses the timeline up to what it announced. */
static void put_metadata(inc__buf *b, const inc_incident *inc, uint64_t seq)
{
    const inc__stored_event *ev = &inc->events[seq - 1];
    char text[INC_CHECKPOINT_TEXT_MAX];
    inc_checkpoint cp;

    cp.seq = seq;
    inc__sha256(ev->data, ev->len, cp.hash);
    inc_checkpoint_format(&cp, text, sizeof(text));
    inc__buf_puts(b, ",\"metadata\":{\"libincident\":{");
    put_member(b, "incident_id", inc->id, 1);
    put_member(b, "head", text, 0);
    inc__buf_puts(b, "}}");
}

int inc_incident_update_statuspage_json(const inc_incident *inc, size_t index,
                                        const char *component_map, char **out, size_t *len)
{
    inc_update_info u;
    const char *impact;
    size_t level = 0;
    inc__buf b;
    int rc;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    if (component_map && inc__check_text(NULL, "component_map", component_map, INC_TEXT_MAX,
                                         INC__TEXT_SINGLE_LINE) != INC_OK)
        return INC_EINVAL;
    if ((rc = inc_incident_get_update(inc, index, &u)) != INC_OK)
        return rc;
    if (u.audience != INC_AUDIENCE_EXTERNAL)
        return INC_EINVAL;
    inc_rubric_get_level_index(inc->rubric, u.severity, &level);
    impact = inc_statuspage_impact(level, inc_rubric_level_count(inc->rubric));
    inc__buf_init(&b, inc->alloc);
    inc__buf_puts(&b, "{\"incident\":{\"name\":");
    inc__json_put_strn(&b, inc->title, utf8_prefix(inc->title, STATUSPAGE_NAME_MAX));
    put_member(&b, "status", inc_statuspage_status(u.state), 0);
    put_member(&b, "impact_override", impact, 0);
    put_member(&b, "body", u.body, 0);
    if ((rc = put_components(&b, u.components, component_map, component_status(u.state, impact))) !=
        INC_OK) {
        inc__buf_dispose(&b);
        return rc;
    }
    put_metadata(&b, inc, u.seq);
    inc__buf_puts(&b, "}}");
    return inc__buf_detach(&b, out, len);
}

/* ---- external ids (the Statuspage incident, ...) ------------------------ */

/* A system name: 1..32 bytes of a-z, 0-9, '_' and '-'. */
static int system_valid(const char *system)
{
    size_t n = 0;
    if (!system || !system[0])
        return 0;
    for (; system[n]; n++)
        if (n >= EXTERNAL_SYSTEM_MAX ||
            !((system[n] >= 'a' && system[n] <= 'z') || (system[n] >= '0' && system[n] <= '9') ||
              system[n] == '_' || system[n] == '-'))
            return 0;
    return 1;
}

int inc_incident_link_external(inc_incident *inc, const char *actor, const char *system,
                               const char *external_id, uint64_t *seq)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "record an external id")) != INC_OK)
        return rc;
    if (!system_valid(system))
        return inc_error_set(
            &inc->err, INC_EINVAL,
            "system: 1..%d bytes of a-z, 0-9, '_' and '-' (such as \"statuspage\")",
            EXTERNAL_SYSTEM_MAX);
    if ((rc = inc__check_text(&inc->err, "external_id", external_id, EXTERNAL_ID_MAX,
                              INC__TEXT_SINGLE_LINE)) != INC_OK)
        return rc;
    inc__draft_init(&d, INC_EV_EXTERNAL_LINKED, actor);
    inc__draft_str(&d, INC__F_NAME, system);
    inc__draft_str(&d, INC__F_TARGET, external_id);
    if ((rc = inc__incident_write(inc, &d)) == INC_OK && seq)
        *seq = inc->event_count;
    return rc;
}

const char *inc_incident_external_id(const inc_incident *inc, const char *system)
{
    size_t i;
    inc__event ev;

    if (!inc || !system)
        return NULL;
    for (i = inc->event_count; i-- > 0;) {
        if (inc->events[i].data[1] != INC_EV_EXTERNAL_LINKED ||
            inc__incident_event_at(inc, i, &ev) != INC_OK)
            continue;
        if (strcmp(ev.str[INC__F_NAME], system) == 0)
            return ev.str[INC__F_TARGET];
    }
    return NULL;
}

int inc__comms_prepare_linked(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (!system_valid(ev->str[INC__F_NAME]) || ev->str_len[INC__F_TARGET] == 0 ||
        ev->str_len[INC__F_TARGET] > EXTERNAL_ID_MAX)
        return inc__event_corrupt(inc, ev, "an external id without a valid system or id");
    return INC_OK;
}

void inc__comms_commit_linked(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)inc;
    (void)ev;
    (void)prep;
}

void inc__comms_describe_linked(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "External id (%s): %s", inc__event_str(ev, INC__F_NAME),
                    inc__event_str(ev, INC__F_TARGET));
}
