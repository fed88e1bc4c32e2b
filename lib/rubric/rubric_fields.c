/* Custom fields declared by a rubric (RUB-6, lib/docs/rubric-format.md,
 * "Custom fields"): the parse of one "field = ..." declaration, the check
 * of the levels they name, their writing and comparison. Declarations are
 * data of the rubric, so an incident records them with the rest of the
 * rubric in force (RUB-4). */
#include "rubric_internal.h"

#include <string.h>

#include "util/buf.h"

static const char *const type_names[INC__FIELD_TYPE_COUNT] = {"text", "number", "one-of", "date",
                                                              "person"};

#define REQUIRED_TO_CLOSE   "required-to-close"
#define REQUIRED_FROM_LEVEL "required-from"
#define VALUE_COUNT_MAX     32

static int name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int list_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/* The next blank-separated word of [*s, e) into [*ws, *we); 0 at the end. */
static int next_word(const char **s, const char *e, const char **ws, const char **we)
{
    const char *p = *s;
    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    *ws = p;
    while (p < e && *p != ' ' && *p != '\t')
        p++;
    *we = p;
    *s = p;
    return *we > *ws;
}

static int word_is(const char *ws, const char *we, const char *lit)
{
    return (size_t)(we - ws) == strlen(lit) && memcmp(ws, lit, (size_t)(we - ws)) == 0;
}

static int check_name(const inc_rubric *r, const char *ws, const char *we, inc_error *err)
{
    size_t n = (size_t)(we - ws);
    if (n == 0 || n > INC__FIELD_NAME_MAX)
        return inc_error_set(err, INC_EPARSE, "field: a name of 1..%d bytes comes first",
                             INC__FIELD_NAME_MAX);
    for (size_t i = 0; i < n; i++)
        if (!name_char_ok(ws[i]))
            return inc_error_set(err, INC_EPARSE,
                                 "field '%.*s': a name is made of a-z, 0-9, '_' and '-'", (int)n,
                                 ws);
    for (size_t i = 0; i < r->field_count; i++)
        if (strlen(r->fields[i].name) == n && memcmp(r->fields[i].name, ws, n) == 0)
            return inc_error_set(err, INC_EPARSE, "field '%.*s' is declared twice", (int)n, ws);
    return INC_OK;
}

/* "a,b,c": non-empty values of list characters, no value twice. */
static int check_values(const struct inc__cfield *f, const char *ws, const char *we, inc_error *err)
{
    size_t n = (size_t)(we - ws), count = 0;
    if (n == 0 || n > INC__FIELD_VALUES_MAX)
        return inc_error_set(err, INC_EPARSE,
                             "field '%s': one-of needs its values, such as 'eu,us,apac' (at most "
                             "%d bytes)",
                             f->name, INC__FIELD_VALUES_MAX);
    for (const char *v = ws; v < we; count++) {
        const char *ve = memchr(v, ',', (size_t)(we - v));
        ve = ve ? ve : we;
        if (ve == v)
            return inc_error_set(err, INC_EPARSE, "field '%s': an empty value in the list",
                                 f->name);
        for (const char *c = v; c < ve; c++)
            if (!list_char_ok(*c))
                return inc_error_set(err, INC_EPARSE,
                                     "field '%s': a value is made of letters, digits, '_', '-' "
                                     "and '.'",
                                     f->name);
        for (const char *o = ws; o < v;) {
            const char *oe = memchr(o, ',', (size_t)(v - o));
            if (oe - o == ve - v && memcmp(o, v, (size_t)(ve - v)) == 0)
                return inc_error_set(err, INC_EPARSE, "field '%s': value '%.*s' is listed twice",
                                     f->name, (int)(ve - v), v);
            o = oe + 1;
        }
        if (count >= VALUE_COUNT_MAX)
            return inc_error_set(err, INC_EPARSE, "field '%s': more than %d values", f->name,
                                 VALUE_COUNT_MAX);
        v = ve < we ? ve + 1 : we;
        if (ve + 1 == we)
            return inc_error_set(err, INC_EPARSE, "field '%s': an empty value in the list",
                                 f->name);
    }
    return INC_OK;
}

/* The optional tail: required-to-close, or required-from LEVEL. */
static int parse_required(struct inc__cfield *f, const char *s, const char *e, inc_error *err)
{
    const char *ws, *we;
    if (!next_word(&s, e, &ws, &we))
        return INC_OK;
    if (word_is(ws, we, REQUIRED_TO_CLOSE))
        f->required = INC__FIELD_REQUIRED_TO_CLOSE;
    else if (word_is(ws, we, REQUIRED_FROM_LEVEL)) {
        if (!next_word(&s, e, &ws, &we) || we - ws > INC_LEVEL_NAME_MAX)
            return inc_error_set(err, INC_EPARSE, "field '%s': required-from needs a level name",
                                 f->name);
        f->required = INC__FIELD_REQUIRED_FROM_LEVEL;
        memcpy(f->level, ws, (size_t)(we - ws));
        f->level[we - ws] = '\0';
    } else
        return inc_error_set(err, INC_EPARSE,
                             "field '%s': '%.*s' is not required-to-close or required-from LEVEL",
                             f->name, (int)(we - ws > 40 ? 40 : we - ws), ws);
    if (next_word(&s, e, &ws, &we))
        return inc_error_set(err, INC_EPARSE, "field '%s': unexpected '%.*s' at the end", f->name,
                             (int)(we - ws > 40 ? 40 : we - ws), ws);
    return INC_OK;
}

static int parse_type(struct inc__cfield *f, const char *ws, const char *we, inc_error *err)
{
    for (int t = 0; t < INC__FIELD_TYPE_COUNT; t++)
        if (word_is(ws, we, type_names[t])) {
            f->type = (enum inc__cfield_type)t;
            return INC_OK;
        }
    return inc_error_set(err, INC_EPARSE,
                         "field '%s': '%.*s' is not a type (text, number, one-of, date, person)",
                         f->name, (int)(we - ws > 40 ? 40 : we - ws), ws);
}

int inc__rubric_field_declare(inc_rubric *r, const char *decl, inc_error *err)
{
    struct inc__cfield f;
    const char *s = decl, *e = decl + strlen(decl), *ws, *we;
    int rc;

    if (r->field_count >= INC__FIELDS_MAX)
        return inc_error_set(err, INC_EPARSE, "field: more than %d fields", INC__FIELDS_MAX);
    memset(&f, 0, sizeof f);
    next_word(&s, e, &ws, &we);
    if ((rc = check_name(r, ws, we, err)) != INC_OK)
        return rc;
    memcpy(f.name, ws, (size_t)(we - ws));
    if (!next_word(&s, e, &ws, &we))
        return inc_error_set(err, INC_EPARSE,
                             "field '%s': a type follows the name (text, number, one-of, date, "
                             "person)",
                             f.name);
    if ((rc = parse_type(&f, ws, we, err)) != INC_OK)
        return rc;
    if (f.type == INC__FIELD_ONE_OF) {
        next_word(&s, e, &ws, &we);
        if ((rc = check_values(&f, ws, we, err)) != INC_OK)
            return rc;
        memcpy(f.values, ws, (size_t)(we - ws));
    }
    if ((rc = parse_required(&f, s, e, err)) != INC_OK)
        return rc;
    r->fields[r->field_count++] = f;
    return INC_OK;
}

int inc__rubric_fields_check(const inc_rubric *r, inc_error *err, size_t *bad_field)
{
    size_t index;
    for (size_t i = 0; i < r->field_count; i++) {
        const struct inc__cfield *f = &r->fields[i];
        if (f->required == INC__FIELD_REQUIRED_FROM_LEVEL &&
            inc_rubric_get_level_index(r, f->level, &index) != INC_OK) {
            *bad_field = i;
            return inc_error_set(err, INC_EPARSE, "field '%s': required-from names no level ('%s')",
                                 f->name, f->level);
        }
    }
    return INC_OK;
}

void inc__rubric_fields_write(inc__buf *b, const inc_rubric *r)
{
    for (size_t i = 0; i < r->field_count; i++) {
        const struct inc__cfield *f = &r->fields[i];
        inc__buf_printf(b, "field = %s %s", f->name, type_names[f->type]);
        if (f->type == INC__FIELD_ONE_OF)
            inc__buf_printf(b, " %s", f->values);
        if (f->required == INC__FIELD_REQUIRED_TO_CLOSE)
            inc__buf_puts(b, " " REQUIRED_TO_CLOSE);
        else if (f->required == INC__FIELD_REQUIRED_FROM_LEVEL)
            inc__buf_printf(b, " " REQUIRED_FROM_LEVEL " %s", f->level);
        inc__buf_putc(b, '\n');
    }
}

int inc__rubric_fields_equal(const inc_rubric *a, const inc_rubric *b)
{
    if (a->field_count != b->field_count)
        return 0;
    for (size_t i = 0; i < a->field_count; i++) {
        const struct inc__cfield *x = &a->fields[i], *y = &b->fields[i];
        if (strcmp(x->name, y->name) != 0 || x->type != y->type || x->required != y->required ||
            strcmp(x->level, y->level) != 0 || strcmp(x->values, y->values) != 0)
            return 0;
    }
    return 1;
}

/* ---- the public view ------------------------------------------------------------ */

_Static_assert((int)INC_FIELD_PERSON == (int)INC__FIELD_PERSON &&
                   (int)INC_FIELD_ONE_OF == (int)INC__FIELD_ONE_OF &&
                   (int)INC_FIELD_REQUIRED_FROM_LEVEL == (int)INC__FIELD_REQUIRED_FROM_LEVEL,
               "the public field enums mirror the rubric's");

size_t inc_rubric_field_count(const inc_rubric *r)
{
    return r ? r->field_count : 0;
}

int inc_rubric_get_field(const inc_rubric *r, size_t index, inc_rubric_field *out)
{
    const struct inc__cfield *f;
    if (!r || !out)
        return INC_EINVAL;
    if (index >= r->field_count)
        return INC_ENOTFOUND;
    f = &r->fields[index];
    out->name = f->name;
    out->type = (inc_field_type)f->type;
    out->values = f->type == INC__FIELD_ONE_OF ? f->values : "";
    out->required = (inc_field_required)f->required;
    out->level = f->required == INC__FIELD_REQUIRED_FROM_LEVEL ? f->level : "";
    return INC_OK;
}

const char *inc_field_type_name(inc_field_type type)
{
    return (unsigned)type < INC__FIELD_TYPE_COUNT ? type_names[type] : NULL;
}
