/* The severity rubric handle (RUB-1, RUB-2): creation, the setters and
 * getters of every field of a level, copy, comparison and the RUB-3
 * validation. The presets live in rubric_presets.c, the text format in
 * rubric_text.c.
 *
 * Every setter checks all of its arguments before it touches the rubric,
 * so a failed call changes nothing and leaves a message on the handle. */
#include "rubric_internal.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/text.h"
#include "util/time.h"

static const char *const duration_keys[INC_DUR_COUNT] = {
    "ack",
    "mitigate",
    "resolve",
    "cadence.external",
    "cadence.internal",
    "cadence.response",
    "postmortem.due",
    "long-incident",
    "ack-timeout",
    "scribe-within",
};
static const char *const text_keys[INC_LEVEL_TEXT_COUNT] = {"trigger", "posture", "paged"};
static const char *const flag_keys[INC_FLAG_COUNT] = {"bridge", "postmortem.required",
                                                      "exec-posture"};
static const char *const comm_keys[INC_COMM_COUNT] = {"status-page", "customer-email",
                                                      "exec-notify"};
static const char *const condition_names[] = {"unacknowledged", "unresolved"};

INC_API const char *inc_level_duration_name(inc_level_duration field)
{
    return (unsigned)field < INC_DUR_COUNT ? duration_keys[field] : NULL;
}

const char *inc__level_text_key(inc_level_text field)
{
    return (unsigned)field < INC_LEVEL_TEXT_COUNT ? text_keys[field] : NULL;
}

const char *inc__level_flag_key(inc_level_flag flag)
{
    return (unsigned)flag < INC_FLAG_COUNT ? flag_keys[flag] : NULL;
}

const char *inc__comm_key(inc_comm_kind kind)
{
    return (unsigned)kind < INC_COMM_COUNT ? comm_keys[kind] : NULL;
}

const char *inc__esc_condition_name(inc_esc_condition condition)
{
    return (unsigned)condition < 2 ? condition_names[condition] : NULL;
}

/* ---- creation and destruction ---- */

static int check_rubric_name(const char *name)
{
    return inc__check_text(NULL, "name", name, INC__RUBRIC_NAME_MAX, INC__TEXT_SINGLE_LINE);
}

INC_API int inc_rubric_new(const inc_allocator *alloc, const char *name, inc_rubric **out)
{
    if (out == NULL)
        return INC_EINVAL;
    int rc = check_rubric_name(name);
    if (rc != INC_OK)
        return INC_EINVAL;
    inc_allocator a;
    rc = inc__alloc_init(&a, alloc);
    if (rc != INC_OK)
        return rc;
    inc_rubric *r = inc__calloc(&a, 1, sizeof *r);
    if (r == NULL)
        return INC_ENOMEM;
    r->alloc = a;
    memcpy(r->name, name, strlen(name) + 1);
    *out = r;
    return INC_OK;
}

static void level_dispose(const inc_allocator *a, struct inc__level *lv)
{
    for (int t = 0; t < INC_LEVEL_TEXT_COUNT; t++)
        inc__free(a, lv->text[t]);
    for (size_t i = 0; i < lv->esc_count; i++)
        inc__free(a, lv->esc[i].target);
}

INC_API void inc_rubric_free(inc_rubric *r)
{
    if (r == NULL)
        return;
    /* The allocator lives inside the block being freed: copy it first. */
    inc_allocator a = r->alloc;
    for (size_t i = 0; i < r->count; i++)
        level_dispose(&a, &r->levels[i]);
    inc__free(&a, r->levels);
    inc__free(&a, r);
}

INC_API const char *inc_rubric_errmsg(const inc_rubric *r)
{
    return r != NULL ? r->err.msg : "";
}

INC_API const char *inc_rubric_name(const inc_rubric *r)
{
    return r != NULL ? r->name : NULL;
}

INC_API size_t inc_rubric_level_count(const inc_rubric *r)
{
    return r != NULL ? r->count : 0;
}

/* ---- levels ---- */

/* The level for a setter, or NULL with a message on the handle. */
static struct inc__level *level_for_set(inc_rubric *r, size_t level, const char *what)
{
    if (level >= r->count) {
        inc_error_set(&r->err, INC_EINVAL, "%s: no level %zu (the rubric has %zu)", what, level,
                      r->count);
        return NULL;
    }
    return &r->levels[level];
}

static const struct inc__level *level_get(const inc_rubric *r, size_t level)
{
    return r != NULL && level < r->count ? &r->levels[level] : NULL;
}

static int level_name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

static int check_level_name(inc_rubric *r, const char *name)
{
    if (name == NULL)
        return inc_error_set(&r->err, INC_EINVAL, "level name: must not be NULL");
    size_t len = strnlen(name, INC_LEVEL_NAME_MAX + 1);
    if (len == 0)
        return inc_error_set(&r->err, INC_EINVAL, "level name: must not be empty");
    if (len > INC_LEVEL_NAME_MAX)
        return inc_error_set(&r->err, INC_EINVAL, "level name: longer than %d bytes",
                             INC_LEVEL_NAME_MAX);
    for (size_t i = 0; i < len; i++)
        if (!level_name_char_ok(name[i]))
            return inc_error_set(&r->err, INC_EINVAL,
                                 "level name: byte %zu is not a letter, digit, '-', '_' or '.'", i);
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->levels[i].name, name) == 0)
            return inc_error_set(&r->err, INC_EINVAL, "level name: '%s' exists already", name);
    return INC_OK;
}

INC_API int inc_rubric_add_level(inc_rubric *r, const char *name, size_t *index)
{
    if (r == NULL)
        return INC_EINVAL;
    int rc = check_level_name(r, name);
    if (rc != INC_OK)
        return rc;
    if (r->count >= INC_LEVELS_MAX)
        return inc_error_set(&r->err, INC_ETOOBIG, "level %s: a rubric has at most %d levels", name,
                             INC_LEVELS_MAX);
    void *arr = r->levels;
    if (inc__array_reserve(&r->alloc, &arr, &r->cap, r->count + 1, sizeof *r->levels) != INC_OK)
        return inc__error_oom(&r->err);
    r->levels = arr;
    struct inc__level *lv = &r->levels[r->count];
    memset(lv, 0, sizeof *lv);
    memcpy(lv->name, name, strlen(name) + 1);
    for (int d = 0; d < INC_DUR_COUNT; d++)
        lv->dur[d] = INC_DURATION_NONE;
    for (int c = 0; c < INC_COMM_COUNT; c++)
        lv->comm[c] = INC_DURATION_NONE;
    if (index != NULL)
        *index = r->count;
    r->count++;
    return INC_OK;
}

INC_API int inc_rubric_get_level_index(const inc_rubric *r, const char *name, size_t *index)
{
    if (r == NULL || name == NULL || index == NULL)
        return INC_EINVAL;
    for (size_t i = 0; i < r->count; i++) {
        if (strcmp(r->levels[i].name, name) == 0) {
            *index = i;
            return INC_OK;
        }
    }
    return INC_ENOTFOUND;
}

INC_API const char *inc_rubric_level_name(const inc_rubric *r, size_t level)
{
    const struct inc__level *lv = level_get(r, level);
    return lv != NULL ? lv->name : NULL;
}

/* ---- texts ---- */

/* inc__check_text() with the level named in the message. The message is
 * only composed on failure: parsing a rubric calls this for every text. */
static int check_level_text(inc_rubric *r, const struct inc__level *lv, const char *field,
                            const char *value, size_t max, int flags)
{
    int rc = inc__check_text(&r->err, field, value, max, flags);
    if (rc != INC_OK) {
        char msg[INC__ERRMSG_MAX];
        memcpy(msg, r->err.msg, sizeof msg);
        inc_error_set(&r->err, rc, "level %s: %s", lv->name, msg);
    }
    return rc;
}

INC_API int inc_rubric_set_text(inc_rubric *r, size_t level, inc_level_text field,
                                const char *value)
{
    if (r == NULL)
        return INC_EINVAL;
    struct inc__level *lv = level_for_set(r, level, "set_text");
    if (lv == NULL)
        return INC_EINVAL;
    if ((unsigned)field >= INC_LEVEL_TEXT_COUNT)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: text field %d is unknown", lv->name,
                             (int)field);
    int rc =
        check_level_text(r, lv, text_keys[field], value, INC_RUBRIC_TEXT_MAX, INC__TEXT_OPTIONAL);
    if (rc != INC_OK)
        return rc;
    char *copy = NULL;
    if (value != NULL && value[0] != '\0') {
        copy = inc__strdup(&r->alloc, value);
        if (copy == NULL)
            return inc__error_oom(&r->err);
    }
    inc__free(&r->alloc, lv->text[field]);
    lv->text[field] = copy;
    return INC_OK;
}

INC_API const char *inc_rubric_text(const inc_rubric *r, size_t level, inc_level_text field)
{
    const struct inc__level *lv = level_get(r, level);
    if (lv == NULL || (unsigned)field >= INC_LEVEL_TEXT_COUNT)
        return NULL;
    return lv->text[field] != NULL ? lv->text[field] : "";
}

/* ---- durations, flags, communications ---- */

static int duration_ok(int64_t ms)
{
    return ms == INC_DURATION_NONE || (ms > 0 && ms <= INC__DURATION_MAX);
}

INC_API int inc_rubric_set_duration(inc_rubric *r, size_t level, inc_level_duration field,
                                    int64_t ms)
{
    if (r == NULL)
        return INC_EINVAL;
    struct inc__level *lv = level_for_set(r, level, "set_duration");
    if (lv == NULL)
        return INC_EINVAL;
    if ((unsigned)field >= INC_DUR_COUNT)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: duration field %d is unknown",
                             lv->name, (int)field);
    if (!duration_ok(ms))
        return inc_error_set(&r->err, INC_EINVAL,
                             "level %s: %s: %lld ms is not a positive duration of at most 100 "
                             "years, nor none",
                             lv->name, duration_keys[field], (long long)ms);
    lv->dur[field] = ms;
    return INC_OK;
}

INC_API int64_t inc_rubric_duration(const inc_rubric *r, size_t level, inc_level_duration field)
{
    const struct inc__level *lv = level_get(r, level);
    if (lv == NULL || (unsigned)field >= INC_DUR_COUNT)
        return INC_DURATION_NONE;
    return lv->dur[field];
}

INC_API int inc_rubric_set_flag(inc_rubric *r, size_t level, inc_level_flag flag, int on)
{
    if (r == NULL)
        return INC_EINVAL;
    struct inc__level *lv = level_for_set(r, level, "set_flag");
    if (lv == NULL)
        return INC_EINVAL;
    if ((unsigned)flag >= INC_FLAG_COUNT)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: flag %d is unknown", lv->name,
                             (int)flag);
    lv->flag[flag] = on != 0;
    return INC_OK;
}

INC_API int inc_rubric_flag(const inc_rubric *r, size_t level, inc_level_flag flag)
{
    const struct inc__level *lv = level_get(r, level);
    if (lv == NULL || (unsigned)flag >= INC_FLAG_COUNT)
        return 0;
    return lv->flag[flag];
}

INC_API int inc_rubric_set_required_comm(inc_rubric *r, size_t level, inc_comm_kind kind,
                                         int64_t within_ms)
{
    if (r == NULL)
        return INC_EINVAL;
    struct inc__level *lv = level_for_set(r, level, "set_required_comm");
    if (lv == NULL)
        return INC_EINVAL;
    if ((unsigned)kind >= INC_COMM_COUNT)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: communication %d is unknown", lv->name,
                             (int)kind);
    if (within_ms != 0 && within_ms != INC_DURATION_NEXT_CADENCE && !duration_ok(within_ms))
        return inc_error_set(&r->err, INC_EINVAL,
                             "level %s: comm.%s: %lld ms is not at-once (0), a positive "
                             "duration, next-cadence or none",
                             lv->name, comm_keys[kind], (long long)within_ms);
    lv->comm[kind] = within_ms;
    return INC_OK;
}

INC_API int64_t inc_rubric_required_comm(const inc_rubric *r, size_t level, inc_comm_kind kind)
{
    const struct inc__level *lv = level_get(r, level);
    if (lv == NULL || (unsigned)kind >= INC_COMM_COUNT)
        return INC_DURATION_NONE;
    return lv->comm[kind];
}

/* ---- roles: combinations and staffing ---- */

INC_API int inc_rubric_set_combo(inc_rubric *r, size_t level, inc_role a, inc_role b,
                                 inc_combo combo)
{
    if (r == NULL)
        return INC_EINVAL;
    struct inc__level *lv = level_for_set(r, level, "set_combo");
    if (lv == NULL)
        return INC_EINVAL;
    if ((unsigned)a >= INC_ROLE_COUNT || (unsigned)b >= INC_ROLE_COUNT)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: combo: role %d is unknown", lv->name,
                             (unsigned)a >= INC_ROLE_COUNT ? (int)a : (int)b);
    if (a == b)
        return inc_error_set(&r->err, INC_EINVAL,
                             "level %s: combo: %s with itself is always allowed", lv->name,
                             inc_role_name(a));
    if (inc_combo_name(combo) == NULL)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: combo.%s+%s: rule %d is unknown",
                             lv->name, inc_role_name(a), inc_role_name(b), (int)combo);
    lv->combo[a][b] = (unsigned char)combo;
    lv->combo[b][a] = (unsigned char)combo;
    return INC_OK;
}

INC_API inc_combo inc_rubric_combo(const inc_rubric *r, size_t level, inc_role a, inc_role b)
{
    const struct inc__level *lv = level_get(r, level);
    if (lv == NULL || (unsigned)a >= INC_ROLE_COUNT || (unsigned)b >= INC_ROLE_COUNT)
        return INC_COMBO_ALLOWED;
    return (inc_combo)lv->combo[a][b];
}

INC_API int inc_rubric_set_staffing(inc_rubric *r, size_t level, unsigned roles_mask,
                                    unsigned min_people)
{
    if (r == NULL)
        return INC_EINVAL;
    struct inc__level *lv = level_for_set(r, level, "set_staffing");
    if (lv == NULL)
        return INC_EINVAL;
    if ((roles_mask & ~INC__ROLE_MASK_ALL) != 0)
        return inc_error_set(&r->err, INC_EINVAL,
                             "level %s: staffing.roles: mask 0x%x has bits that are not roles",
                             lv->name, roles_mask);
    if (min_people > INC__STAFF_PEOPLE_MAX)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: staffing.people: %u is above %u",
                             lv->name, min_people, INC__STAFF_PEOPLE_MAX);
    lv->staff_roles = roles_mask;
    lv->staff_people = min_people;
    return INC_OK;
}

INC_API int inc_rubric_get_staffing(const inc_rubric *r, size_t level, unsigned *roles_mask,
                                    unsigned *min_people)
{
    const struct inc__level *lv = level_get(r, level);
    if (lv == NULL)
        return INC_EINVAL;
    if (roles_mask != NULL)
        *roles_mask = lv->staff_roles;
    if (min_people != NULL)
        *min_people = lv->staff_people;
    return INC_OK;
}

/* ---- escalation (ESC-1) ---- */

/* A target is a comma-separated list: no item may be empty or blank, so
 * the escalation code can split it without surprises. */
static int check_target(inc_rubric *r, const struct inc__level *lv, const char *target)
{
    int rc = check_level_text(r, lv, "escalation target", target, INC__ESC_TARGET_MAX,
                              INC__TEXT_SINGLE_LINE);
    if (rc != INC_OK)
        return rc;
    int blank = 1;
    for (const char *p = target;; p++) {
        if (*p == ',' || *p == '\0') {
            if (blank)
                return inc_error_set(&r->err, INC_EINVAL,
                                     "level %s: escalation target: '%s' has an empty item",
                                     lv->name, target);
            if (*p == '\0')
                return INC_OK;
            blank = 1;
        } else if (*p != ' ') {
            blank = 0;
        }
    }
}

INC_API int inc_rubric_add_escalation(inc_rubric *r, size_t level, int64_t after_ms,
                                      inc_esc_condition condition, const char *target)
{
    if (r == NULL)
        return INC_EINVAL;
    struct inc__level *lv = level_for_set(r, level, "add_escalation");
    if (lv == NULL)
        return INC_EINVAL;
    if (after_ms <= 0 || after_ms > INC__DURATION_MAX)
        return inc_error_set(&r->err, INC_EINVAL,
                             "level %s: escalation after %lld ms: not a positive duration of at "
                             "most 100 years",
                             lv->name, (long long)after_ms);
    if (inc__esc_condition_name(condition) == NULL)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: escalation condition %d is unknown",
                             lv->name, (int)condition);
    int rc = check_target(r, lv, target);
    if (rc != INC_OK)
        return rc;
    if (lv->esc_count >= INC_ESCALATIONS_MAX)
        return inc_error_set(&r->err, INC_ETOOBIG, "level %s: at most %d escalation steps",
                             lv->name, INC_ESCALATIONS_MAX);
    char *copy = inc__strdup(&r->alloc, target);
    if (copy == NULL)
        return inc__error_oom(&r->err);
    /* After every step with the same or a shorter time: the order of equal
     * steps is the order they were added, so write + parse keeps it. */
    size_t at = lv->esc_count;
    while (at > 0 && lv->esc[at - 1].after_ms > after_ms)
        at--;
    memmove(&lv->esc[at + 1], &lv->esc[at], (lv->esc_count - at) * sizeof lv->esc[0]);
    lv->esc[at].after_ms = after_ms;
    lv->esc[at].condition = condition;
    lv->esc[at].target = copy;
    lv->esc_count++;
    return INC_OK;
}

INC_API size_t inc_rubric_escalation_count(const inc_rubric *r, size_t level)
{
    const struct inc__level *lv = level_get(r, level);
    return lv != NULL ? lv->esc_count : 0;
}

INC_API int inc_rubric_get_escalation(const inc_rubric *r, size_t level, size_t i,
                                      int64_t *after_ms, inc_esc_condition *condition,
                                      const char **target)
{
    const struct inc__level *lv = level_get(r, level);
    if (lv == NULL)
        return INC_EINVAL;
    if (i >= lv->esc_count)
        return INC_ENOTFOUND;
    if (after_ms != NULL)
        *after_ms = lv->esc[i].after_ms;
    if (condition != NULL)
        *condition = lv->esc[i].condition;
    if (target != NULL)
        *target = lv->esc[i].target;
    return INC_OK;
}

INC_API int inc_rubric_set_repeat(inc_rubric *r, size_t level, unsigned repeat)
{
    if (r == NULL)
        return INC_EINVAL;
    struct inc__level *lv = level_for_set(r, level, "set_repeat");
    if (lv == NULL)
        return INC_EINVAL;
    if (repeat > INC__REPEAT_MAX)
        return inc_error_set(&r->err, INC_EINVAL, "level %s: repeat: %u is above %u", lv->name,
                             repeat, INC__REPEAT_MAX);
    lv->repeat = repeat;
    return INC_OK;
}

INC_API unsigned inc_rubric_repeat(const inc_rubric *r, size_t level)
{
    const struct inc__level *lv = level_get(r, level);
    return lv != NULL ? lv->repeat : 0;
}

/* ---- copy and compare ---- */

/* Deep-copy the owned strings of @src into @dst (already a bitwise copy).
 * On failure the strings copied so far are freed and @dst owns nothing. */
static int level_copy_strings(const inc_allocator *a, struct inc__level *dst,
                              const struct inc__level *src)
{
    memset(dst->text, 0, sizeof dst->text);
    for (size_t i = 0; i < src->esc_count; i++)
        dst->esc[i].target = NULL;
    dst->esc_count = 0;
    for (int t = 0; t < INC_LEVEL_TEXT_COUNT; t++) {
        if (src->text[t] != NULL && (dst->text[t] = inc__strdup(a, src->text[t])) == NULL)
            goto fail;
    }
    for (size_t i = 0; i < src->esc_count; i++) {
        if ((dst->esc[i].target = inc__strdup(a, src->esc[i].target)) == NULL)
            goto fail;
        dst->esc_count = i + 1;
    }
    return INC_OK;
fail:
    level_dispose(a, dst);
    return INC_ENOMEM;
}

INC_API int inc_rubric_dup(const inc_rubric *r, inc_rubric **out)
{
    if (r == NULL || out == NULL)
        return INC_EINVAL;
    inc_rubric *c = inc__calloc(&r->alloc, 1, sizeof *c);
    if (c == NULL)
        return INC_ENOMEM;
    c->alloc = r->alloc;
    memcpy(c->name, r->name, sizeof c->name);
    memcpy(c->fields, r->fields, sizeof c->fields);
    c->field_count = r->field_count;
    if (r->count > 0) {
        c->levels = inc__malloc(&c->alloc, r->count * sizeof *c->levels);
        if (c->levels == NULL)
            goto fail;
        c->cap = r->count;
        for (size_t i = 0; i < r->count; i++) {
            c->levels[i] = r->levels[i];
            if (level_copy_strings(&c->alloc, &c->levels[i], &r->levels[i]) != INC_OK)
                goto fail;
            c->count = i + 1;
        }
    }
    *out = c;
    return INC_OK;
fail:
    inc_rubric_free(c);
    return INC_ENOMEM;
}

static int text_equal(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static int level_equal(const struct inc__level *a, const struct inc__level *b)
{
    if (strcmp(a->name, b->name) != 0 || a->staff_roles != b->staff_roles ||
        a->staff_people != b->staff_people || a->esc_count != b->esc_count ||
        a->repeat != b->repeat)
        return 0;
    for (int t = 0; t < INC_LEVEL_TEXT_COUNT; t++)
        if (!text_equal(a->text[t], b->text[t]))
            return 0;
    if (memcmp(a->dur, b->dur, sizeof a->dur) != 0 ||
        memcmp(a->flag, b->flag, sizeof a->flag) != 0 ||
        memcmp(a->comm, b->comm, sizeof a->comm) != 0 ||
        memcmp(a->combo, b->combo, sizeof a->combo) != 0)
        return 0;
    for (size_t i = 0; i < a->esc_count; i++)
        if (a->esc[i].after_ms != b->esc[i].after_ms ||
            a->esc[i].condition != b->esc[i].condition ||
            strcmp(a->esc[i].target, b->esc[i].target) != 0)
            return 0;
    return 1;
}

INC_API int inc_rubric_equal(const inc_rubric *a, const inc_rubric *b)
{
    if (a == NULL || b == NULL)
        return 0;
    if (strcmp(a->name, b->name) != 0 || a->count != b->count || !inc__rubric_fields_equal(a, b))
        return 0;
    for (size_t i = 0; i < a->count; i++)
        if (!level_equal(&a->levels[i], &b->levels[i]))
            return 0;
    return 1;
}

/* ---- RUB-3 ---- */

/* The targets a more severe level may not have looser than a less severe
 * one. The postmortem window, long-incident threshold, ack timeout and
 * Scribe expectation are policies, not response targets, so RUB-3 leaves
 * their order to the team. */
static const inc_level_duration ordered_fields[] = {
    INC_DUR_ACK,
    INC_DUR_MITIGATE,
    INC_DUR_RESOLVE,
    INC_DUR_CADENCE_EXTERNAL,
    INC_DUR_CADENCE_INTERNAL,
    INC_DUR_CADENCE_RESPONSE,
};

/* NONE ("as needed") is the loosest possible target. */
static int looser(int64_t a, int64_t b)
{
    if (a == b)
        return 0;
    if (a == INC_DURATION_NONE)
        return 1;
    if (b == INC_DURATION_NONE)
        return 0;
    return a > b;
}

static int check_level_alone(const inc_rubric *r, size_t i, inc_error *err)
{
    const struct inc__level *lv = &r->levels[i];
    for (size_t j = 0; j < i; j++)
        if (strcmp(r->levels[j].name, lv->name) == 0)
            return inc_error_set(err, INC_EINVAL, "level %s: name is not unique (level %zu has it)",
                                 lv->name, j);
    for (int d = 0; d < INC_DUR_COUNT; d++)
        if (!duration_ok(lv->dur[d]))
            return inc_error_set(err, INC_EINVAL,
                                 "level %s: %s (%lld ms) is not a positive duration or none",
                                 lv->name, duration_keys[d], (long long)lv->dur[d]);
    return INC_OK;
}

int inc__rubric_check(const inc_rubric *r, inc_error *err, size_t *bad_level)
{
    if (bad_level != NULL)
        *bad_level = SIZE_MAX;
    if (r == NULL)
        return inc_error_set(err, INC_EINVAL, "rubric: must not be NULL");
    if (r->count == 0)
        return inc_error_set(err, INC_EINVAL, "rubric %s: has no levels (at least one needed)",
                             r->name);
    for (size_t i = 0; i < r->count; i++) {
        int rc = check_level_alone(r, i, err);
        if (rc != INC_OK) {
            if (bad_level != NULL)
                *bad_level = i;
            return rc;
        }
    }
    /* NONE counts as the loosest value, so the order is total and comparing
     * neighbours finds any violation. */
    for (size_t i = 0; i + 1 < r->count; i++) {
        const struct inc__level *more = &r->levels[i], *less = &r->levels[i + 1];
        for (size_t f = 0; f < sizeof ordered_fields / sizeof ordered_fields[0]; f++) {
            inc_level_duration d = ordered_fields[f];
            if (!looser(more->dur[d], less->dur[d]))
                continue;
            char a[48], b[48];
            inc__duration_format(more->dur[d], a);
            inc__duration_format(less->dur[d], b);
            if (bad_level != NULL)
                *bad_level = i;
            return inc_error_set(err, INC_EINVAL, "level %s: %s (%s) is looser than %s's (%s)",
                                 more->name, duration_keys[d], a, less->name, b);
        }
    }
    return INC_OK;
}

INC_API int inc_rubric_validate(inc_rubric *r)
{
    if (r == NULL)
        return INC_EINVAL;
    return inc__rubric_check(r, &r->err, NULL);
}

/* ---- services to other subsystems (rubric_services.h) ---------------------------- */

inc_error *inc__rubric_err(inc_rubric *r)
{
    return &r->err;
}

void inc__rubric_drop_escalation(inc_rubric *r, size_t level, int64_t after_ms, const char *target)
{
    struct inc__level *lv = &r->levels[level];
    size_t i = lv->esc_count;
    while (i-- > 0)
        if (lv->esc[i].after_ms == after_ms && strcmp(lv->esc[i].target, target) == 0) {
            inc__free(&r->alloc, lv->esc[i].target);
            memmove(&lv->esc[i], &lv->esc[i + 1], (lv->esc_count - i - 1) * sizeof(lv->esc[0]));
            lv->esc_count--;
            return;
        }
}
