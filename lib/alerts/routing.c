/* The routing file (lib/docs/alert-routing.md): rules that match an alert
 * by labels, service and severity and say what it becomes (ALERT-1), and
 * per-service maintenance windows in local time (ALERT-2). The lexical
 * layer is the rubric's (util/kvtext.h); a failure names the file and line
 * and nothing is kept. */
#include <stdio.h>
#include <string.h>

#include "alerts_internal.h"
#include "incident/incident.h"
#include "incident/rotation.h"
#include "util/alloc.h"
#include "util/kvtext.h"
#include "util/text.h"
#include "util/time.h"

#define HEADER            "libincident-routing"
#define FORMAT_VERSION    1
#define VALUE_MAX         1024
#define MATCH_MAX         32
#define DEFAULT_WINDOW_MS (60LL * 60 * 1000)

enum key {
    K_RULE,
    K_MATCH,
    K_SERVICE,
    K_SEVERITY,
    K_LEVEL,
    K_TITLE,
    K_SLUG,
    K_ROTATION,
    K_DECLARE,
    K_GROUP_BY,
    K_GROUP_WINDOW,
    K_MAINTENANCE,
    K_ZONE,
    K_DAYS,
    K_FROM,
    K_TO,
    K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "rule",    "match",    "service",      "severity",    "level", "title", "slug", "rotation",
    "declare", "group_by", "group_window", "maintenance", "zone",  "days",  "from", "to"};
static const char *const day_names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct parser {
    struct inc__kv kv;
    inc_context *ctx;
    const inc_rubric *rubric;
    inc__routing *r;
    int block;     /* -1 none, K_RULE or K_MAINTENANCE: the block being read */
    unsigned seen; /* bit per key of the open block */
    const char *mkeys[MATCH_MAX], *mvalues[MATCH_MAX];
    char val[VALUE_MAX + 1];
};

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.';
}

static const char *keep(struct parser *p, const char *s, size_t n)
{
    return inc__arena_strndup(&p->r->arena, s, n);
}

static int oom(struct parser *p)
{
    return inc__kv_fail(&p->kv, INC_ENOMEM, "out of memory");
}

static const char *keep_val(struct parser *p)
{
    return keep(p, p->kv.val, p->kv.val_len);
}

static inc__route_rule *rule(struct parser *p)
{
    return &p->r->rules[p->r->rule_count - 1];
}

static inc__maintenance *window(struct parser *p)
{
    return &p->r->windows[p->r->window_count - 1];
}

/* ---- closing a block --------------------------------------------------------- */

static int close_block(struct parser *p)
{
    inc__route_rule *ru;
    size_t i;

    if (p->block == K_MAINTENANCE) {
        inc__maintenance *w = window(p);
        if (!(p->seen & (1u << K_ZONE)) || !(p->seen & (1u << K_FROM)) || !(p->seen & (1u << K_TO)))
            return inc__kv_fail(&p->kv, INC_EINVAL,
                                "maintenance %s (line %u): zone, from and to are required",
                                w->service, w->line);
    } else if (p->block == K_RULE) {
        ru = rule(p);
        if (!(p->seen & (1u << K_LEVEL)) || !(p->seen & (1u << K_ROTATION)))
            return inc__kv_fail(&p->kv, INC_EINVAL,
                                "rule %s (line %u): level and rotation are required", ru->name,
                                ru->line);
        if (ru->match_count) {
            const char **k = inc__arena_alloc(&p->r->arena, ru->match_count * sizeof(char *));
            const char **v = inc__arena_alloc(&p->r->arena, ru->match_count * sizeof(char *));
            if (!k || !v)
                return oom(p);
            for (i = 0; i < ru->match_count; i++) {
                k[i] = p->mkeys[i];
                v[i] = p->mvalues[i];
            }
            ru->match_keys = k;
            ru->match_values = v;
        }
    }
    p->block = -1;
    p->seen = 0;
    return INC_OK;
}

/* ---- opening one ------------------------------------------------------------- */

static int name_ok(const char *s)
{
    size_t i;
    for (i = 0; s[i]; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
            return 0;
    return i > 0 && i <= 64;
}

static int open_rule(struct parser *p)
{
    inc__route_rule *ru;
    size_t i;
    if (!name_ok(p->kv.val))
        return inc__kv_fail(&p->kv, INC_EINVAL,
                            "rule: '%.64s' is not a name (1..64 of A-Z a-z 0-9 - _ .)", p->kv.val);
    for (i = 0; i < p->r->rule_count; i++)
        if (strcmp(p->r->rules[i].name, p->kv.val) == 0)
            return inc__kv_fail(&p->kv, INC_EEXIST, "rule: '%s' is already defined on line %u",
                                p->kv.val, p->r->rules[i].line);
    if (inc__array_reserve(&p->r->alloc, (void **)&p->r->rules, &p->r->rule_cap,
                           p->r->rule_count + 1, sizeof(inc__route_rule)) != INC_OK)
        return oom(p);
    ru = &p->r->rules[p->r->rule_count++];
    memset(ru, 0, sizeof(*ru));
    ru->line = p->kv.line;
    ru->declare = 1;
    ru->group_window_ms = DEFAULT_WINDOW_MS;
    ru->group_by = "alertname";
    ru->title = "{{summary}}";
    if (!(ru->name = keep_val(p)) || !(ru->slug = keep_val(p)))
        return oom(p);
    p->block = K_RULE;
    return INC_OK;
}

static int open_window(struct parser *p)
{
    inc__maintenance *w;
    if (!p->kv.val_len)
        return inc__kv_fail(&p->kv, INC_EINVAL, "maintenance: the service it is for");
    if (inc__array_reserve(&p->r->alloc, (void **)&p->r->windows, &p->r->window_cap,
                           p->r->window_count + 1, sizeof(inc__maintenance)) != INC_OK)
        return oom(p);
    w = &p->r->windows[p->r->window_count++];
    memset(w, 0, sizeof(*w));
    w->line = p->kv.line;
    w->days = 0x7f;
    if (!(w->service = keep_val(p)))
        return oom(p);
    p->block = K_MAINTENANCE;
    return INC_OK;
}

/* ---- rule keys ---------------------------------------------------------------- */

static int on_match(struct parser *p)
{
    inc__route_rule *ru = rule(p);
    const char *eq = memchr(p->kv.val, '=', p->kv.val_len);
    size_t kl;
    if (!eq || eq == p->kv.val || eq[1] == '\0')
        return inc__kv_fail(&p->kv, INC_EINVAL, "match: 'label=value' (value * for any)");
    if (ru->match_count == MATCH_MAX)
        return inc__kv_fail(&p->kv, INC_ETOOBIG, "match: more than %d in one rule", MATCH_MAX);
    kl = (size_t)(eq - p->kv.val);
    if (!(p->mkeys[ru->match_count] = keep(p, p->kv.val, kl)) ||
        !(p->mvalues[ru->match_count] = keep(p, eq + 1, p->kv.val_len - kl - 1)))
        return oom(p);
    ru->match_count++;
    return INC_OK;
}

static int on_level(struct parser *p)
{
    size_t idx;
    if (inc_rubric_get_level_index(p->rubric, p->kv.val, &idx) != INC_OK)
        return inc__kv_fail(&p->kv, INC_EINVAL, "level: '%.64s' is not a level of the rubric",
                            p->kv.val);
    return (rule(p)->level = keep_val(p)) ? INC_OK : oom(p);
}

static int on_declare(struct parser *p)
{
    if (strcmp(p->kv.val, "yes") == 0)
        rule(p)->declare = 1;
    else if (strcmp(p->kv.val, "no") == 0)
        rule(p)->declare = 0;
    else
        return inc__kv_fail(&p->kv, INC_EINVAL, "declare: yes or no");
    return INC_OK;
}

static int on_slug(struct parser *p)
{
    size_t i;
    for (i = 0; i < p->kv.val_len; i++)
        if (!((p->kv.val[i] >= 'a' && p->kv.val[i] <= 'z') ||
              (p->kv.val[i] >= '0' && p->kv.val[i] <= '9') || p->kv.val[i] == '-'))
            return inc__kv_fail(&p->kv, INC_EINVAL, "slug: a-z, 0-9 and '-' only");
    if (p->kv.val_len == 0 || p->kv.val_len > 40)
        return inc__kv_fail(&p->kv, INC_EINVAL, "slug: 1..40 bytes");
    return (rule(p)->slug = keep_val(p)) ? INC_OK : oom(p);
}

static int on_window(struct parser *p)
{
    int64_t ms;
    if (inc__duration_parse(p->kv.val, p->kv.val_len, &ms) != INC_OK || ms <= 0)
        return inc__kv_fail(&p->kv, INC_EINVAL, "group_window: a duration such as 30m or 2h");
    rule(p)->group_window_ms = ms;
    return INC_OK;
}

static int rule_text(struct parser *p, const char **slot, int single_line_name)
{
    if (single_line_name && p->kv.val_len == 0)
        return inc__kv_fail(&p->kv, INC_EINVAL, "%.*s: empty", (int)p->kv.key_len, p->kv.key);
    return (*slot = keep_val(p)) ? INC_OK : oom(p);
}

/* ---- maintenance keys ----------------------------------------------------------- */

static int on_zone(struct parser *p)
{
    inc_local_time lt;
    int rc;
    if ((rc = inc_zone_to_local(p->ctx, p->kv.val, 0, &lt)) != INC_OK)
        return inc__kv_fail(&p->kv, rc, "zone: %s", inc_context_errmsg(p->ctx));
    return (window(p)->zone = keep_val(p)) ? INC_OK : oom(p);
}

static int on_days(struct parser *p)
{
    const char *s = p->kv.val;
    unsigned mask = 0, d;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        if (!*s)
            break;
        for (d = 0; d < 7 && strncmp(s, day_names[d], 3) != 0; d++)
            ;
        if (d == 7 || (s[3] && s[3] != ',' && s[3] != ' '))
            return inc__kv_fail(&p->kv, INC_EINVAL, "days: sun, mon, tue, wed, thu, fri, sat");
        mask |= 1u << d;
        s += 3;
    }
    if (!mask)
        return inc__kv_fail(&p->kv, INC_EINVAL, "days: at least one day");
    window(p)->days = mask;
    return INC_OK;
}

static int on_clock(struct parser *p, unsigned *out)
{
    unsigned h, m;
    if (p->kv.val_len != 5 || p->kv.val[2] != ':' || inc__kv_parse_uint(p->kv.val, 2, 24, &h) ||
        inc__kv_parse_uint(p->kv.val + 3, 2, 59, &m) || (h == 24 && m != 0))
        return inc__kv_fail(&p->kv, INC_EINVAL, "%.*s: a local time HH:MM (00:00..24:00)",
                            (int)p->kv.key_len, p->kv.key);
    *out = h * 60 + m;
    return INC_OK;
}

/* ---- dispatch ------------------------------------------------------------------- */

static int check_place(struct parser *p, enum key k)
{
    int rule_key = k > K_RULE && k<K_MAINTENANCE, window_key = k> K_MAINTENANCE;
    if (k == K_RULE || k == K_MAINTENANCE)
        return close_block(p);
    if ((rule_key && p->block != K_RULE) || (window_key && p->block != K_MAINTENANCE))
        return inc__kv_fail(&p->kv, INC_EINVAL, "%s: only inside a %s block", key_names[k],
                            rule_key ? "rule" : "maintenance");
    if (k != K_MATCH && (p->seen & (1u << k)))
        return inc__kv_fail(&p->kv, INC_EINVAL, "%s: given twice", key_names[k]);
    p->seen |= 1u << k;
    return INC_OK;
}

static int dispatch(struct parser *p, enum key k)
{
    switch (k) {
    case K_RULE:
        return open_rule(p);
    case K_MATCH:
        return on_match(p);
    case K_SERVICE:
        return rule_text(p, &rule(p)->service, 1);
    case K_SEVERITY:
        return rule_text(p, &rule(p)->severities, 1);
    case K_LEVEL:
        return on_level(p);
    case K_TITLE:
        return rule_text(p, &rule(p)->title, 1);
    case K_SLUG:
        return on_slug(p);
    case K_ROTATION:
        return rule_text(p, &rule(p)->rotation, 1);
    case K_DECLARE:
        return on_declare(p);
    case K_GROUP_BY:
        return rule_text(p, &rule(p)->group_by, 1);
    case K_GROUP_WINDOW:
        return on_window(p);
    case K_MAINTENANCE:
        return open_window(p);
    case K_ZONE:
        return on_zone(p);
    case K_DAYS:
        return on_days(p);
    case K_FROM:
        return on_clock(p, &window(p)->from_min);
    case K_TO:
        return on_clock(p, &window(p)->to_min);
    default:
        return inc__kv_unknown_key(&p->kv);
    }
}

static int on_pair(void *user, struct inc__kv *kv, const char *vs, const char *e)
{
    struct parser *p = user;
    int i, rc;

    for (i = 0; i < K_COUNT; i++)
        if (strlen(key_names[i]) == kv->key_len && memcmp(key_names[i], kv->key, kv->key_len) == 0)
            break;
    if (i == K_COUNT)
        return inc__kv_unknown_key(kv);
    if ((rc = check_place(p, (enum key)i)) != INC_OK || (rc = inc__kv_decode(kv, vs, e)) != INC_OK)
        return rc;
    return dispatch(p, (enum key)i);
}

/* "line N: ..." becomes "FILE: line N: ...". */
static void name_file(inc_diag *diag, const char *file)
{
    char msg[sizeof(diag->message)];
    size_t n;
    if (!diag || !file)
        return;
    n = strlen(file) < 64 ? strlen(file) : 64; /* the line's message comes first */
    memcpy(msg, diag->message, sizeof(msg));
    snprintf(diag->message, sizeof(diag->message), "%.*s: %.*s", (int)n, file,
             (int)(sizeof(msg) - n - 3), msg);
}

int inc__routing_parse(inc_context *ctx, const inc_rubric *rubric, const char *file,
                       const char *text, size_t len, inc__routing **out, inc_diag *diag)
{
    struct parser *p;
    inc_allocator a;
    int rc;

    inc__kv_diag_init(diag);
    *out = NULL;
    if (inc__alloc_init(&a, NULL) != INC_OK || !(p = inc__calloc(&a, 1, sizeof(*p))))
        return INC_ENOMEM;
    if (!(p->r = inc__calloc(&a, 1, sizeof(*p->r)))) {
        inc__free(&a, p);
        return INC_ENOMEM;
    }
    p->r->alloc = a;
    inc__arena_init(&p->r->arena, &p->r->alloc, 4096);
    p->ctx = ctx;
    p->rubric = rubric;
    p->block = -1;
    p->kv.diag = diag;
    p->kv.header = HEADER;
    p->kv.version = FORMAT_VERSION;
    p->kv.key_char = key_char;
    p->kv.val = p->val;
    p->kv.val_max = VALUE_MAX;
    if (len > INC__KV_INPUT_MAX)
        rc = inc__kv_fail(&p->kv, INC_ETOOBIG, "longer than 1 MiB");
    else if ((rc = inc__kv_parse(&p->kv, text, len, on_pair, p)) == INC_OK &&
             (rc = inc__kv_check_end(&p->kv, 1)) == INC_OK)
        rc = close_block(p);
    if (rc != INC_OK) {
        name_file(diag, file);
        inc__routing_free(p->r);
    } else {
        *out = p->r;
    }
    inc__free(&a, p);
    return rc;
}

void inc__routing_free(inc__routing *r)
{
    inc_allocator a;
    if (!r)
        return;
    a = r->alloc;
    inc__arena_dispose(&r->arena);
    inc__free(&a, r->rules);
    inc__free(&a, r->windows);
    inc__free(&a, r);
}

/* ---- using it --------------------------------------------------------------------- */

/* Whether @word is one of the comma-separated items of @list. */
static int in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    const char *p = list;
    while (p && *p) {
        const char *end = strchr(p, ','), *s = p, *e = end ? end : p + strlen(p);
        while (s < e && *s == ' ')
            s++;
        while (e > s && e[-1] == ' ')
            e--;
        if ((size_t)(e - s) == n && memcmp(s, word, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int rule_matches(const inc__route_rule *ru, const inc__alert *a)
{
    size_t i;
    for (i = 0; i < ru->match_count; i++) {
        const char *v = inc__alert_label(a, ru->match_keys[i]);
        if (!v || (strcmp(ru->match_values[i], "*") != 0 && strcmp(v, ru->match_values[i]) != 0))
            return 0;
    }
    if (ru->service && (!a->service || strcmp(ru->service, a->service) != 0))
        return 0;
    return !ru->severities || (a->severity && in_list(ru->severities, a->severity));
}

const inc__route_rule *inc__routing_match(const inc__routing *r, const inc__alert *a)
{
    size_t i;
    for (i = 0; i < r->rule_count; i++)
        if (rule_matches(&r->rules[i], a))
            return &r->rules[i];
    return NULL;
}

int inc__routing_in_maintenance(const inc__routing *r, inc_context *ctx, const char *service,
                                inc_time t)
{
    size_t i;
    for (i = 0; service && i < r->window_count; i++) {
        const inc__maintenance *w = &r->windows[i];
        inc_local_time lt;
        int wday, minute, prev;
        if (strcmp(w->service, service) != 0 || inc_zone_to_local(ctx, w->zone, t, &lt) != INC_OK)
            continue;
        wday = (int)lt.weekday;
        minute = (int)(lt.hour * 60 + lt.minute);
        prev = (wday + 6) % 7;
        if (w->from_min <= w->to_min) {
            if ((w->days >> wday & 1u) && (unsigned)minute >= w->from_min &&
                (unsigned)minute < w->to_min)
                return 1;
        } else if (((w->days >> wday & 1u) && (unsigned)minute >= w->from_min) ||
                   ((w->days >> prev & 1u) && (unsigned)minute < w->to_min)) {
            return 1; /* a window across midnight belongs to the day it starts */
        }
    }
    return 0;
}

/* The value a template or group key names: a label, or service,
 * severity, summary. */
static const char *alert_value(const inc__alert *a, const char *name, size_t n)
{
    char key[128];
    const char *v;
    if (n >= sizeof(key))
        return NULL;
    memcpy(key, name, n);
    key[n] = '\0';
    if ((v = inc__alert_label(a, key)) != NULL)
        return v;
    if (strcmp(key, "service") == 0)
        return a->service;
    if (strcmp(key, "severity") == 0)
        return a->severity;
    if (strcmp(key, "summary") == 0)
        return a->summary;
    return NULL;
}

void inc__routing_group_key(const inc__route_rule *rule, const inc__alert *a, inc__buf *b)
{
    const char *p = rule->group_by;
    int first = 1;
    inc__buf_puts(b, rule->name);
    inc__buf_putc(b, '/');
    while (p && *p) {
        const char *end = strchr(p, ','), *s = p, *e = end ? end : p + strlen(p), *v;
        while (s < e && *s == ' ')
            s++;
        while (e > s && e[-1] == ' ')
            e--;
        if (e > s) {
            v = alert_value(a, s, (size_t)(e - s));
            inc__buf_printf(b, "%s%.*s=%s", first ? "" : ",", (int)(e - s), s, v ? v : "");
            first = 0;
        }
        p = end ? end + 1 : NULL;
    }
}

void inc__routing_title(const inc__route_rule *rule, const inc__alert *a, inc__buf *b)
{
    const char *p = rule->title, *open, *close;
    size_t n;
    while ((open = strstr(p, "{{")) && (close = strstr(open + 2, "}}"))) {
        const char *v = alert_value(a, open + 2, (size_t)(close - open - 2));
        inc__buf_put(b, p, (size_t)(open - p));
        inc__buf_puts(b, v ? v : "");
        p = close + 2;
    }
    inc__buf_puts(b, p);
    if (b->len > INC_TITLE_MAX) { /* cut on a character boundary */
        n = INC_TITLE_MAX;
        while (n > 0 && ((unsigned char)b->ptr[n] & 0xC0) == 0x80)
            n--;
        b->len = n;
        b->ptr[n] = '\0';
    }
}
