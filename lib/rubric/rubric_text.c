/* The rubric text format (lib/docs/rubric-format.md): a line-oriented
 * "key = value" document. inc_rubric_parse() builds the rubric through the
 * public setters, so a parsed rubric obeys exactly the rules an API-built
 * one does, and every failure carries the line it was found on.
 * inc_rubric_write() writes every field in one fixed order, so its output
 * is deterministic and parses back to an equal rubric (RUB-1, RUB-4).
 *
 * The parser makes no allocation of its own: values are unescaped into a
 * fixed buffer and only the rubric's own strings are allocated. */
#include "rubric_internal.h"

#include <limits.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/kvtext.h"
#include "util/text.h"
#include "util/time.h"

#define HEADER         "libincident-rubric"
#define FORMAT_VERSION 1

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

enum key_kind {
    K_NAME,
    K_LEVEL,
    K_FIELD,
    K_TEXT,
    K_DUR,
    K_FLAG,
    K_COMM,
    K_COMBO,
    K_STAFF_ROLES,
    K_STAFF_PEOPLE,
    K_REPEAT,
    K_ESCALATE
};

struct key {
    enum key_kind kind;
    int index;     /* which text, duration, flag or communication */
    inc_role a, b; /* K_COMBO */
    unsigned seen; /* bit for the duplicate check within a level (0: none) */
};

/* Bits of struct parser.seen, one per key that may appear once per level. */
enum {
    SEEN_TEXT = 0,
    SEEN_DUR = SEEN_TEXT + INC_LEVEL_TEXT_COUNT,
    SEEN_FLAG = SEEN_DUR + INC_DUR_COUNT,
    SEEN_COMM = SEEN_FLAG + INC_FLAG_COUNT,
    SEEN_STAFF_ROLES = SEEN_COMM + INC_COMM_COUNT,
    SEEN_STAFF_PEOPLE,
    SEEN_REPEAT
};

/* Called for every candidate key of every line: the first-byte test keeps
 * the parser from spending its time in strlen. */
static int key_is(const char *k, size_t n, const char *name)
{
    return name != NULL && n > 0 && name[0] == k[0] && strncmp(name, k, n) == 0 && name[n] == '\0';
}

/* Role names as inc_role_name() gives them (the round-trip tests check
 * the two agree), with their lengths for a cheap lookup. */
static const struct {
    const char *name;
    size_t len;
} role_keys[INC_ROLE_COUNT] = {
    {"ic", 2},      {"deputy", 6},  {"scribe", 6}, {"sme", 3}, {"comms", 5},
    {"liaison", 7}, {"sponsor", 7}, {"legal", 5},  {"pr", 2},
};

static int role_lookup(const char *s, size_t n, inc_role *out)
{
    for (int i = 0; i < INC_ROLE_COUNT; i++) {
        if (role_keys[i].len == n && memcmp(role_keys[i].name, s, n) == 0) {
            *out = (inc_role)i;
            return 1;
        }
    }
    return 0;
}

/* "combo.<role>+<role>" with both roles known. */
static int lookup_combo(const char *k, size_t n, struct key *out)
{
    if (n < 6 || memcmp(k, "combo.", 6) != 0)
        return 0;
    const char *plus = memchr(k + 6, '+', n - 6);
    if (plus == NULL)
        return 0;
    out->kind = K_COMBO;
    out->seen = 0;
    return role_lookup(k + 6, (size_t)(plus - k - 6), &out->a) &&
           role_lookup(plus + 1, (size_t)(k + n - plus - 1), &out->b);
}

#define KEY(lit, kind, index, seen)                                                                \
    {                                                                                              \
        lit, sizeof lit - 1, kind, index, seen                                                     \
    }
#define SEEN(bit) (1u << (bit))

/* Every fixed key. The writer takes its keys from rubric.c's name tables
 * (inc_level_duration_name() and the inc__*_key() functions), so the
 * round-trip tests fail if the two ever disagree; the literals with their
 * lengths keep the per-line lookup cheap. */
static const struct keydef {
    const char *name;
    size_t len;
    enum key_kind kind;
    int index;
    unsigned seen;
} keydefs[] = {
    KEY("name", K_NAME, 0, 0),
    KEY("level", K_LEVEL, 0, 0),
    KEY("field", K_FIELD, 0, 0),
    KEY("trigger", K_TEXT, INC_LEVEL_TRIGGER, SEEN(SEEN_TEXT + INC_LEVEL_TRIGGER)),
    KEY("posture", K_TEXT, INC_LEVEL_POSTURE, SEEN(SEEN_TEXT + INC_LEVEL_POSTURE)),
    KEY("paged", K_TEXT, INC_LEVEL_PAGED, SEEN(SEEN_TEXT + INC_LEVEL_PAGED)),
    KEY("ack", K_DUR, INC_DUR_ACK, SEEN(SEEN_DUR + INC_DUR_ACK)),
    KEY("mitigate", K_DUR, INC_DUR_MITIGATE, SEEN(SEEN_DUR + INC_DUR_MITIGATE)),
    KEY("resolve", K_DUR, INC_DUR_RESOLVE, SEEN(SEEN_DUR + INC_DUR_RESOLVE)),
    KEY("cadence.external", K_DUR, INC_DUR_CADENCE_EXTERNAL,
        SEEN(SEEN_DUR + INC_DUR_CADENCE_EXTERNAL)),
    KEY("cadence.internal", K_DUR, INC_DUR_CADENCE_INTERNAL,
        SEEN(SEEN_DUR + INC_DUR_CADENCE_INTERNAL)),
    KEY("cadence.response", K_DUR, INC_DUR_CADENCE_RESPONSE,
        SEEN(SEEN_DUR + INC_DUR_CADENCE_RESPONSE)),
    KEY("postmortem.due", K_DUR, INC_DUR_POSTMORTEM, SEEN(SEEN_DUR + INC_DUR_POSTMORTEM)),
    KEY("long-incident", K_DUR, INC_DUR_LONG_INCIDENT, SEEN(SEEN_DUR + INC_DUR_LONG_INCIDENT)),
    KEY("ack-timeout", K_DUR, INC_DUR_ACK_TIMEOUT, SEEN(SEEN_DUR + INC_DUR_ACK_TIMEOUT)),
    KEY("scribe-within", K_DUR, INC_DUR_SCRIBE, SEEN(SEEN_DUR + INC_DUR_SCRIBE)),
    KEY("bridge", K_FLAG, INC_FLAG_BRIDGE, SEEN(SEEN_FLAG + INC_FLAG_BRIDGE)),
    KEY("postmortem.required", K_FLAG, INC_FLAG_POSTMORTEM, SEEN(SEEN_FLAG + INC_FLAG_POSTMORTEM)),
    KEY("exec-posture", K_FLAG, INC_FLAG_EXEC_POSTURE, SEEN(SEEN_FLAG + INC_FLAG_EXEC_POSTURE)),
    KEY("comm.status-page", K_COMM, INC_COMM_STATUS_PAGE, SEEN(SEEN_COMM + INC_COMM_STATUS_PAGE)),
    KEY("comm.customer-email", K_COMM, INC_COMM_CUSTOMER_EMAIL,
        SEEN(SEEN_COMM + INC_COMM_CUSTOMER_EMAIL)),
    KEY("comm.exec-notify", K_COMM, INC_COMM_EXEC_NOTIFY, SEEN(SEEN_COMM + INC_COMM_EXEC_NOTIFY)),
    KEY("staffing.roles", K_STAFF_ROLES, 0, SEEN(SEEN_STAFF_ROLES)),
    KEY("staffing.people", K_STAFF_PEOPLE, 0, SEEN(SEEN_STAFF_PEOPLE)),
    KEY("repeat", K_REPEAT, 0, SEEN(SEEN_REPEAT)),
    KEY("escalate", K_ESCALATE, 0, 0),
};

static int lookup_key(const char *k, size_t n, struct key *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof keydefs / sizeof keydefs[0]; i++) {
        const struct keydef *d = &keydefs[i];
        if (d->len == n && d->name[0] == k[0] && memcmp(d->name, k, n) == 0) {
            out->kind = d->kind;
            out->index = d->index;
            out->seen = d->seen;
            return 1;
        }
    }
    return lookup_combo(k, n, out);
}

/* ------------------------------------------------------------------ */
/* Parser state and errors                                             */
/* ------------------------------------------------------------------ */

struct parser {
    struct inc__kv kv;
    const inc_allocator *alloc;
    inc_rubric *r; /* created by the "name" line */
    size_t level;  /* index of the level being read, SIZE_MAX before the first */
    unsigned seen;
    uint16_t combo_seen[INC_ROLE_COUNT]; /* bit b of [a]: combo a+b was given */
    unsigned level_line[INC_LEVELS_MAX]; /* where each level starts, for RUB-3 errors */
    size_t level_off[INC_LEVELS_MAX];
    unsigned field_line[INC__FIELDS_MAX]; /* where each field is declared */
    size_t field_off[INC__FIELDS_MAX];
    char val[INC_RUBRIC_TEXT_MAX + 1]; /* the current value, unescaped */
};

/* Relay a setter's failure (its message names the level and field). */
static int fail_rubric(struct parser *p, int rc)
{
    return inc__kv_fail(&p->kv, rc, "%s", p->r->err.msg);
}

static int parse_duration_val(struct parser *p, int64_t *out)
{
    if (inc__duration_parse(p->kv.val, p->kv.val_len, out) != INC_OK)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "%.*s: '%.40s' is not a duration (such as 15m, 1h30m, none)",
                            (int)p->kv.key_len, p->kv.key, p->kv.val);
    return INC_OK;
}

static int parse_uint_val(struct parser *p, unsigned *out)
{
    /* The setters bound the value. */
    if (inc__kv_parse_uint(p->kv.val, p->kv.val_len, UINT_MAX, out) != 0)
        return inc__kv_fail(&p->kv, INC_EPARSE, "%.*s: '%.40s' is not a number (0..999999999)",
                            (int)p->kv.key_len, p->kv.key, p->kv.val);
    return INC_OK;
}

/* ------------------------------------------------------------------ */
/* Key handlers                                                        */
/* ------------------------------------------------------------------ */

static int on_name(struct parser *p)
{
    if (p->r != NULL)
        return inc__kv_fail(&p->kv, INC_EPARSE, "duplicate key 'name'");
    inc_error err = {0, ""};
    int rc = inc__check_text(&err, "name", p->kv.val, INC__RUBRIC_NAME_MAX, INC__TEXT_SINGLE_LINE);
    if (rc != INC_OK)
        return inc__kv_fail(&p->kv, rc, "%s", err.msg);
    rc = inc_rubric_new(p->alloc, p->kv.val, &p->r);
    if (rc != INC_OK)
        return inc__kv_fail(&p->kv, rc, "name: %s", inc_strerror(rc));
    return INC_OK;
}

static int on_level(struct parser *p)
{
    if (p->r == NULL)
        return inc__kv_fail(&p->kv, INC_EPARSE, "'name' must come before the first level");
    size_t index;
    int rc = inc_rubric_add_level(p->r, p->kv.val, &index);
    if (rc != INC_OK)
        return fail_rubric(p, rc);
    p->level = index;
    p->seen = 0;
    memset(p->combo_seen, 0, sizeof p->combo_seen);
    p->level_line[index] = p->kv.line;
    p->level_off[index] = p->kv.line_off;
    return INC_OK;
}

/* RUB-6: "field = ..." lines come after the name and before the levels. */
static int on_field(struct parser *p)
{
    if (p->r == NULL || p->level != SIZE_MAX)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "'field' comes after 'name' and before the first level");
    inc_error err = {0, ""};
    size_t index = p->r->field_count;
    int rc = inc__rubric_field_declare(p->r, p->kv.val, &err);
    if (rc != INC_OK)
        return inc__kv_fail(&p->kv, rc, "%s", err.msg);
    p->field_line[index] = p->kv.line;
    p->field_off[index] = p->kv.line_off;
    return INC_OK;
}

static int on_flag(struct parser *p, int index)
{
    int on;
    if (strcmp(p->kv.val, "yes") == 0)
        on = 1;
    else if (strcmp(p->kv.val, "no") == 0)
        on = 0;
    else
        return inc__kv_fail(&p->kv, INC_EPARSE, "%.*s: '%.40s' is not yes or no",
                            (int)p->kv.key_len, p->kv.key, p->kv.val);
    return inc_rubric_set_flag(p->r, p->level, (inc_level_flag)index, on);
}

static int on_comm(struct parser *p, int index)
{
    int64_t within = 0;
    if (strcmp(p->kv.val, "at-once") == 0)
        within = 0;
    else if (strcmp(p->kv.val, "next-cadence") == 0)
        within = INC_DURATION_NEXT_CADENCE;
    else if (inc__duration_parse(p->kv.val, p->kv.val_len, &within) != INC_OK)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "%.*s: '%.40s' is not at-once, next-cadence, none or a duration",
                            (int)p->kv.key_len, p->kv.key, p->kv.val);
    return inc_rubric_set_required_comm(p->r, p->level, (inc_comm_kind)index, within);
}

static int on_combo(struct parser *p, const struct key *k)
{
    if (k->a == k->b)
        return inc__kv_fail(&p->kv, INC_EPARSE, "%.*s: a role with itself is always allowed",
                            (int)p->kv.key_len, p->kv.key);
    if (p->combo_seen[k->a] & (1u << k->b))
        return inc__kv_fail(&p->kv, INC_EPARSE, "duplicate key '%.*s' in level %s",
                            (int)p->kv.key_len, p->kv.key, p->r->levels[p->level].name);
    for (int c = 0; inc_combo_name((inc_combo)c) != NULL; c++) {
        if (strcmp(p->kv.val, inc_combo_name((inc_combo)c)) == 0) {
            p->combo_seen[k->a] |= (uint16_t)(1u << k->b);
            p->combo_seen[k->b] |= (uint16_t)(1u << k->a);
            return inc_rubric_set_combo(p->r, p->level, k->a, k->b, (inc_combo)c);
        }
    }
    return inc__kv_fail(&p->kv, INC_EPARSE,
                        "%.*s: '%.40s' is not allowed, never, report-long or report-overdue",
                        (int)p->kv.key_len, p->kv.key, p->kv.val);
}

static int on_staff_roles(struct parser *p)
{
    unsigned mask = 0, people = 0;
    if (strcmp(p->kv.val, "none") != 0) {
        const char *s = p->kv.val, *end = p->kv.val + p->kv.val_len;
        for (;;) {
            const char *comma = memchr(s, ',', (size_t)(end - s));
            const char *e = comma != NULL ? comma : end;
            const char *a = inc__kv_skip_blanks(s, e), *b = e;
            while (b > a && inc__kv_is_blank(b[-1]))
                b--;
            inc_role role;
            if (!role_lookup(a, (size_t)(b - a), &role))
                return inc__kv_fail(&p->kv, INC_EPARSE, "staffing.roles: '%.*s' is not a role",
                                    (int)(b - a), a);
            if (mask & INC_ROLE_BIT(role))
                return inc__kv_fail(&p->kv, INC_EPARSE, "staffing.roles: '%s' listed twice",
                                    inc_role_name(role));
            mask |= INC_ROLE_BIT(role);
            if (comma == NULL)
                break;
            s = comma + 1;
        }
    }
    inc_rubric_get_staffing(p->r, p->level, NULL, &people);
    return inc_rubric_set_staffing(p->r, p->level, mask, people);
}

static int on_staff_people(struct parser *p)
{
    unsigned mask = 0, people = 0;
    int rc = parse_uint_val(p, &people);
    if (rc != INC_OK)
        return rc;
    inc_rubric_get_staffing(p->r, p->level, &mask, NULL);
    return inc_rubric_set_staffing(p->r, p->level, mask, people);
}

static int on_repeat(struct parser *p)
{
    unsigned n = 0;
    int rc = parse_uint_val(p, &n);
    return rc != INC_OK ? rc : inc_rubric_set_repeat(p->r, p->level, n);
}

/* escalate = <duration> <unacknowledged|unresolved> <target> */
static int on_escalate(struct parser *p, const char *s, const char *e)
{
    const char *t = s;
    while (t < e && !inc__kv_is_blank(*t))
        t++;
    int64_t after = 0;
    if (inc__duration_parse(s, (size_t)(t - s), &after) != INC_OK || after == INC_DURATION_NONE)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "escalate: '%.*s' is not a duration (expected 'escalate = 15m "
                            "unacknowledged on-call,backup')",
                            (int)(t - s > 40 ? 40 : t - s), s);
    s = inc__kv_skip_blanks(t, e);
    for (t = s; t < e && !inc__kv_is_blank(*t);)
        t++;
    int cond = -1;
    for (int c = 0; c < 2; c++)
        if (key_is(s, (size_t)(t - s), inc__esc_condition_name((inc_esc_condition)c)))
            cond = c;
    if (cond < 0)
        return inc__kv_fail(&p->kv, INC_EPARSE,
                            "escalate: '%.*s' is not unacknowledged or unresolved",
                            (int)(t - s > 40 ? 40 : t - s), s);
    int rc = inc__kv_decode(&p->kv, inc__kv_skip_blanks(t, e), e);
    if (rc != INC_OK)
        return rc;
    if (p->kv.val_len == 0)
        return inc__kv_fail(&p->kv, INC_EPARSE, "escalate: missing target after the condition");
    return inc_rubric_add_escalation(p->r, p->level, after, (inc_esc_condition)cond, p->kv.val);
}

static int dispatch(struct parser *p, const struct key *k, const char *vs, const char *ve)
{
    if (k->kind == K_ESCALATE)
        return on_escalate(p, vs, ve);
    int rc = inc__kv_decode(&p->kv, vs, ve);
    if (rc != INC_OK)
        return rc;
    int64_t ms = 0;
    switch (k->kind) {
    case K_TEXT:
        return inc_rubric_set_text(p->r, p->level, (inc_level_text)k->index, p->kv.val);
    case K_DUR:
        rc = parse_duration_val(p, &ms);
        return rc != INC_OK
                   ? rc
                   : inc_rubric_set_duration(p->r, p->level, (inc_level_duration)k->index, ms);
    case K_FLAG:
        return on_flag(p, k->index);
    case K_COMM:
        return on_comm(p, k->index);
    case K_COMBO:
        return on_combo(p, k);
    case K_STAFF_ROLES:
        return on_staff_roles(p);
    case K_STAFF_PEOPLE:
        return on_staff_people(p);
    case K_REPEAT:
        return on_repeat(p);
    default:
        return inc__kv_fail(&p->kv, INC_ERROR, "internal: unhandled key");
    }
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */
/* ------------------------------------------------------------------ */

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' ||
           c == '_';
}

static int on_pair(void *user, struct inc__kv *kv, const char *vs, const char *e)
{
    struct parser *p = user;
    const char *k = kv->key;
    struct key key;
    if (!lookup_key(k, kv->key_len, &key))
        return inc__kv_unknown_key(kv);
    if (key.kind == K_NAME || key.kind == K_LEVEL || key.kind == K_FIELD) {
        int rc = inc__kv_decode(kv, vs, e);
        if (rc != INC_OK)
            return rc;
        return key.kind == K_NAME ? on_name(p) : key.kind == K_LEVEL ? on_level(p) : on_field(p);
    }
    if (p->level == SIZE_MAX)
        return inc__kv_fail(kv, INC_EPARSE,
                            "'%.*s' outside a level (start one with 'level = NAME')",
                            (int)kv->key_len, k);
    if (key.seen & p->seen)
        return inc__kv_fail(kv, INC_EPARSE, "duplicate key '%.*s' in level %s", (int)kv->key_len, k,
                            p->r->levels[p->level].name);
    p->seen |= key.seen;
    int rc = dispatch(p, &key, vs, e);
    /* A setter's refusal has its message on the handle; give it the line. */
    if (rc != INC_OK && kv->diag != NULL && kv->diag->code == INC_OK)
        return fail_rubric(p, rc);
    return rc;
}

static int finish(struct parser *p)
{
    int rc = inc__kv_check_end(&p->kv, p->r != NULL);
    if (rc != INC_OK)
        return rc;
    inc_error err = {0, ""};
    size_t bad;
    rc = inc__rubric_check(p->r, &err, &bad);
    if (rc != INC_OK) {
        if (bad != SIZE_MAX) {
            p->kv.line = p->level_line[bad];
            p->kv.line_off = p->level_off[bad];
        }
        return inc__kv_fail(&p->kv, rc, "%s", err.msg);
    }
    rc = inc__rubric_fields_check(p->r, &err, &bad);
    if (rc != INC_OK) {
        p->kv.line = p->field_line[bad];
        p->kv.line_off = p->field_off[bad];
        return inc__kv_fail(&p->kv, rc, "%s", err.msg);
    }
    return INC_OK;
}

INC_API int inc_rubric_parse(const inc_allocator *alloc, const char *text, size_t len,
                             inc_rubric **out, inc_diag *diag)
{
    inc__kv_diag_init(diag);
    struct parser p;
    memset(&p, 0, sizeof p);
    p.kv.diag = diag;
    p.kv.header = HEADER;
    p.kv.version = FORMAT_VERSION;
    p.kv.flags = INC__KV_NAME_BAD_ESCAPE;
    p.kv.key_char = key_char;
    p.kv.val = p.val;
    p.kv.val_max = INC_RUBRIC_TEXT_MAX;
    p.alloc = alloc;
    p.level = SIZE_MAX;
    if (text == NULL || out == NULL)
        return inc__kv_fail(&p.kv, INC_EINVAL, "%s must not be NULL",
                            text == NULL ? "text" : "out");
    int rc = inc__kv_parse(&p.kv, text, len, on_pair, &p);
    if (rc == INC_OK)
        rc = finish(&p);
    if (rc != INC_OK) {
        inc_rubric_free(p.r);
        return rc;
    }
    *out = p.r;
    return INC_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void put_duration(inc__buf *b, const char *prefix, const char *key, int64_t ms)
{
    char d[48];
    if (ms == 0)
        memcpy(d, "at-once", sizeof "at-once");
    else if (ms == INC_DURATION_NEXT_CADENCE)
        memcpy(d, "next-cadence", sizeof "next-cadence");
    else
        inc__duration_format(ms, d);
    inc__kv_put(b, "  ", prefix, key, d);
}

static void put_roles(inc__buf *b, unsigned mask)
{
    inc__buf_puts(b, "  staffing.roles = ");
    if (mask == 0)
        inc__buf_puts(b, "none");
    for (int i = 0, first = 1; i < INC_ROLE_COUNT; i++) {
        if (mask & INC_ROLE_BIT(i)) {
            if (!first)
                inc__buf_putc(b, ',');
            inc__buf_puts(b, inc_role_name((inc_role)i));
            first = 0;
        }
    }
    inc__buf_putc(b, '\n');
}

static void write_level(inc__buf *b, const struct inc__level *lv)
{
    inc__buf_printf(b, "\nlevel = %s\n", lv->name);
    for (int t = 0; t < INC_LEVEL_TEXT_COUNT; t++)
        inc__kv_put(b, "  ", "", inc__level_text_key((inc_level_text)t),
                    lv->text[t] ? lv->text[t] : "");
    for (int d = 0; d < INC_DUR_COUNT; d++)
        put_duration(b, "", inc_level_duration_name((inc_level_duration)d), lv->dur[d]);
    for (int f = 0; f < INC_FLAG_COUNT; f++)
        inc__kv_put(b, "  ", "", inc__level_flag_key((inc_level_flag)f),
                    lv->flag[f] ? "yes" : "no");
    for (int c = 0; c < INC_COMM_COUNT; c++)
        put_duration(b, "comm.", inc__comm_key((inc_comm_kind)c), lv->comm[c]);
    put_roles(b, lv->staff_roles);
    inc__buf_printf(b, "  staffing.people = %u\n", lv->staff_people);
    /* "allowed" is what a new level starts with, so only the others are
     * written; always with the lower-numbered role first. */
    for (int a = 0; a < INC_ROLE_COUNT; a++)
        for (int r = a + 1; r < INC_ROLE_COUNT; r++)
            if (lv->combo[a][r] != INC_COMBO_ALLOWED) {
                inc__buf_puts(b, "  combo.");
                inc__buf_puts(b, inc_role_name((inc_role)a));
                inc__buf_putc(b, '+');
                inc__buf_puts(b, inc_role_name((inc_role)r));
                inc__buf_puts(b, " = ");
                inc__buf_puts(b, inc_combo_name((inc_combo)lv->combo[a][r]));
                inc__buf_putc(b, '\n');
            }
    for (size_t i = 0; i < lv->esc_count; i++) {
        char d[48];
        inc__duration_format(lv->esc[i].after_ms, d);
        inc__buf_printf(b, "  escalate = %s %s ", d, inc__esc_condition_name(lv->esc[i].condition));
        inc__kv_put_value(b, lv->esc[i].target);
        inc__buf_putc(b, '\n');
    }
    inc__buf_printf(b, "  repeat = %u\n", lv->repeat);
}

INC_API int inc_rubric_write(const inc_rubric *r, char **out, size_t *len)
{
    if (r == NULL || out == NULL)
        return INC_EINVAL;
    inc__buf b;
    inc__buf_init(&b, &r->alloc);
    /* About 1 KiB per level: one reservation keeps the writer to a single
     * allocation in the common case. */
    inc__buf_reserve(&b, 256 + r->count * 1536);
    inc__buf_printf(&b, "%s %d\nname = ", HEADER, FORMAT_VERSION);
    inc__kv_put_value(&b, r->name);
    inc__buf_putc(&b, '\n');
    inc__rubric_fields_write(&b, r);
    for (size_t i = 0; i < r->count; i++)
        write_level(&b, &r->levels[i]);
    return inc__buf_detach(&b, out, len);
}
