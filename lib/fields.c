/* Custom fields (RUB-6): the values of the fields the incident's recorded
 * rubric declares (lib/rubric/rubric_fields.c), set by `field_set` events
 * and checked the same way when written and when replayed: the field is
 * declared, the value fits its type. The IC sets them, as the IC changes
 * the severity and the state (fields classify the incident and may gate
 * its closing). A field's value is its last `field_set`; closing is refused
 * while a required field has none (lib/docs/rubric-format.md). */
#include <string.h>

#include "event_kinds.h"
#include "incident_internal.h"
#include "rubric/rubric_internal.h"
#include "util/text.h"

#define FIELD_VALUE_MAX 255
#define NUMBER_DIGITS   18

static const struct inc__cfield *declared(const inc_incident *inc, const char *name)
{
    const inc_rubric *r = inc->rubric;
    for (size_t i = 0; r && i < r->field_count; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return &r->fields[i];
    return NULL;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* An integer: an optional '-' and 1..18 digits. */
static int number_ok(const char *v)
{
    if (*v == '-')
        v++;
    size_t n = strlen(v);
    return n > 0 && n <= NUMBER_DIGITS && digits(v, n);
}

/* YYYY-MM-DD, a day of the proleptic Gregorian calendar. */
static int date_ok(const char *v)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' || !digits(v, 4) || !digits(v + 5, 2) ||
        !digits(v + 8, 2))
        return 0;
    int y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
    int m = (v[5] - '0') * 10 + (v[6] - '0'), d = (v[8] - '0') * 10 + (v[9] - '0');
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !leap);
}

static int in_list(const char *list, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, v, n) == 0)
            return 1;
        p += len + (e ? 1 : 0);
    }
    return 0;
}

/* Why @v does not fit @f, or NULL when it does (one line, 1..255 bytes
 * checked before). */
static const char *misfit(const struct inc__cfield *f, const char *v)
{
    switch (f->type) {
    case INC__FIELD_NUMBER:
        return number_ok(v) ? NULL : "is not an integer (at most 18 digits)";
    case INC__FIELD_ONE_OF:
        return in_list(f->values, v) ? NULL : "is not one of the listed values";
    case INC__FIELD_DATE:
        return date_ok(v) ? NULL : "is not a date (YYYY-MM-DD)";
    case INC__FIELD_PERSON:
        return strlen(v) <= INC_NAME_MAX ? NULL : "is longer than a person's name";
    default:
        return NULL;
    }
}

int inc_incident_set_field(inc_incident *inc, const char *actor, const char *name,
                           const char *value)
{
    const struct inc__cfield *f;
    const char *why;
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "set a field")) != INC_OK)
        return rc;
    if ((rc = inc__check_text(&inc->err, "name", name, INC__FIELD_NAME_MAX,
                              INC__TEXT_SINGLE_LINE)) != INC_OK)
        return rc;
    if ((f = declared(inc, name)) == NULL)
        return inc_error_set(&inc->err, INC_ENOTFOUND,
                             "field '%s': the rubric %s does not declare it (RUB-6)", name,
                             inc_rubric_name(inc->rubric));
    if ((rc = inc__check_text(&inc->err, "value", value, FIELD_VALUE_MAX, INC__TEXT_SINGLE_LINE)) !=
        INC_OK)
        return rc;
    if ((why = misfit(f, value)) != NULL)
        return inc_error_set(&inc->err, INC_EINVAL, "field '%s': '%.60s' %s%s%s (RUB-6)", name,
                             value, why, f->type == INC__FIELD_ONE_OF ? ": " : "",
                             f->type == INC__FIELD_ONE_OF ? f->values : "");
    if ((rc = inc__require_ic(inc, actor, "set a field")) != INC_OK)
        return rc;
    inc__draft_init(&d, INC_EV_FIELD_SET, actor);
    inc__draft_str(&d, INC__F_NAME, name);
    inc__draft_str(&d, INC__F_TARGET, value);
    return inc__incident_write(inc, &d);
}

const char *inc_incident_field(const inc_incident *inc, const char *name)
{
    inc__event ev;

    if (!inc || !name)
        return NULL;
    for (size_t i = inc->event_count; i-- > 0;) {
        if (inc->events[i].data[1] != INC_EV_FIELD_SET ||
            inc__incident_event_at(inc, i, &ev) != INC_OK)
            continue;
        if (strcmp(ev.str[INC__F_NAME], name) == 0)
            return ev.str[INC__F_TARGET];
    }
    return NULL;
}

/* Whether @f is required to close @inc at its current level. */
static int required_now(const inc_incident *inc, const struct inc__cfield *f)
{
    size_t from;
    if (f->required == INC__FIELD_REQUIRED_TO_CLOSE)
        return 1;
    return f->required == INC__FIELD_REQUIRED_FROM_LEVEL &&
           inc_rubric_get_level_index(inc->rubric, f->level, &from) == INC_OK &&
           inc->severity_index <= from; /* level 0 is the most severe */
}

int inc__fields_check_close(inc_incident *inc)
{
    const inc_rubric *r = inc->rubric;
    char missing[INC__FIELDS_MAX * (INC__FIELD_NAME_MAX + 2) + 1];
    size_t n = 0;

    missing[0] = '\0';
    for (size_t i = 0; r && i < r->field_count; i++) {
        const struct inc__cfield *f = &r->fields[i];
        if (required_now(inc, f) && !inc_incident_field(inc, f->name)) {
            size_t len = strlen(f->name);
            if (n > 0) {
                memcpy(missing + n, ", ", 2);
                n += 2;
            }
            memcpy(missing + n, f->name, len + 1);
            n += len;
        }
    }
    if (n == 0)
        return INC_OK;
    return inc_error_set(&inc->err, INC_EINVAL,
                         "incident %s: set the required fields before closing: %s (RUB-6)", inc->id,
                         missing);
}

int inc__core_prepare_field(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    const struct inc__cfield *f;
    const char *v = ev->str[INC__F_TARGET];
    (void)prep;
    if ((f = declared(inc, ev->str[INC__F_NAME])) == NULL)
        return inc__event_corrupt(inc, ev, "a field the rubric does not declare (RUB-6)");
    if (ev->str_len[INC__F_TARGET] == 0 || ev->str_len[INC__F_TARGET] > FIELD_VALUE_MAX ||
        misfit(f, v))
        return inc__event_corrupt(inc, ev, "a field value that does not fit its type (RUB-6)");
    return INC_OK;
}

void inc__core_commit_field(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)inc;
    (void)ev;
    (void)prep;
}

void inc__core_describe_field(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Field %s set to %s", inc__event_str(ev, INC__F_NAME),
                    inc__event_str(ev, INC__F_TARGET));
}
