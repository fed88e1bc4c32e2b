/* The severity rubric's representation, shared by rubric.c (handle,
 * setters, getters, validation), rubric_presets.c and rubric_text.c.
 * Other library files should read a rubric through the public accessors in
 * incident/rubric.h; the struct is here so the rubric's own modules can
 * reach its allocator and error record. */
#ifndef INC_RUBRIC_INTERNAL_H
#define INC_RUBRIC_INTERNAL_H

#include "incident/rubric.h"
#include "rubric_services.h"
#include "util/buf.h"
#include "util/error.h"

/* Longest rubric name, in bytes (inc_rubric_new). */
#define INC__RUBRIC_NAME_MAX 64
/* Longest escalation target, in bytes (inc_rubric_add_escalation). */
#define INC__ESC_TARGET_MAX 256
/* Upper bounds for the counters of a level (nonsense beyond these). */
#define INC__STAFF_PEOPLE_MAX 1000u
#define INC__REPEAT_MAX       100u
/* Every role bit (INC_ROLE_BIT of each role). */
#define INC__ROLE_MASK_ALL ((1u << INC_ROLE_COUNT) - 1u)

struct inc__esc_step {
    int64_t after_ms;
    inc_esc_condition condition;
    char *target; /* owned, 1..INC__ESC_TARGET_MAX bytes */
};

struct inc__level {
    char name[INC_LEVEL_NAME_MAX + 1];
    char *text[INC_LEVEL_TEXT_COUNT]; /* owned; NULL means "" */
    int64_t dur[INC_DUR_COUNT];
    unsigned char flag[INC_FLAG_COUNT];
    int64_t comm[INC_COMM_COUNT];
    /* Symmetric: combo[a][b] == combo[b][a]; the diagonal stays ALLOWED. */
    unsigned char combo[INC_ROLE_COUNT][INC_ROLE_COUNT];
    unsigned staff_roles;
    unsigned staff_people;
    struct inc__esc_step esc[INC_ESCALATIONS_MAX]; /* sorted by after_ms, stable */
    size_t esc_count;
    unsigned repeat;
};

/* Custom fields (RUB-6, lib/rubric/rubric_fields.c): at most
 * INC__FIELDS_MAX per rubric, each named by 1..INC__FIELD_NAME_MAX bytes of
 * a-z, 0-9, '_' and '-'; a one-of field lists its values, comma-separated,
 * in at most INC__FIELD_VALUES_MAX bytes. */
#define INC__FIELDS_MAX       16
#define INC__FIELD_NAME_MAX   32
#define INC__FIELD_VALUES_MAX 255

enum inc__cfield_type {
    INC__FIELD_TEXT,
    INC__FIELD_NUMBER,
    INC__FIELD_ONE_OF,
    INC__FIELD_DATE,
    INC__FIELD_PERSON,
    INC__FIELD_TYPE_COUNT
};

enum inc__cfield_required {
    INC__FIELD_OPTIONAL,
    INC__FIELD_REQUIRED_TO_CLOSE,   /* before any closing */
    INC__FIELD_REQUIRED_FROM_LEVEL, /* before closing at @level or more severe */
};

struct inc__cfield {
    char name[INC__FIELD_NAME_MAX + 1];
    enum inc__cfield_type type;
    enum inc__cfield_required required;
    char level[INC_LEVEL_NAME_MAX + 1];     /* INC__FIELD_REQUIRED_FROM_LEVEL */
    char values[INC__FIELD_VALUES_MAX + 1]; /* INC__FIELD_ONE_OF: "a,b,c" */
};

struct inc_rubric {
    inc_allocator alloc;
    inc_error err; /* the last failure on this handle */
    char name[INC__RUBRIC_NAME_MAX + 1];
    struct inc__level *levels; /* levels[0] is the most severe */
    size_t count;
    size_t cap;
    struct inc__cfield fields[INC__FIELDS_MAX]; /* in declaration order */
    size_t field_count;
};

/* RUB-6: parse one declaration, the value of a "field" line ("NAME TYPE
 * [VALUES] [required-to-close | required-from LEVEL]"), and add it to @r.
 * INC_EPARSE with the reason in @err on a bad declaration. The level of
 * required-from is checked by inc__rubric_fields_check(), once the levels
 * are known. */
int inc__rubric_field_declare(inc_rubric *r, const char *decl, inc_error *err);

/* RUB-6: every required-from level exists; otherwise INC_EPARSE in @err and
 * the offending field's index in @bad_field. */
int inc__rubric_fields_check(const inc_rubric *r, inc_error *err, size_t *bad_field);

/* The "field = ..." lines of @r, in declaration order. */
void inc__rubric_fields_write(inc__buf *b, const inc_rubric *r);

/* The two rubrics declare the same fields in the same order. */
int inc__rubric_fields_equal(const inc_rubric *a, const inc_rubric *b);

/* RUB-3 on a const rubric: the same checks as inc_rubric_validate(), with
 * the message written to @err (may be NULL) and the index of the offending
 * level to @bad_level (may be NULL; SIZE_MAX when no level is to blame).
 * Used where the rubric may not be modified (a context copying it, the
 * parser reporting the line of the level). */
int inc__rubric_check(const inc_rubric *r, inc_error *err, size_t *bad_level);

/* Stable keys of the text format for the enums of incident/rubric.h
 * (NULL for a value out of range). inc_level_duration_name() is the public
 * one for durations. */
const char *inc__level_text_key(inc_level_text field);
const char *inc__level_flag_key(inc_level_flag flag);
const char *inc__comm_key(inc_comm_kind kind);
const char *inc__esc_condition_name(inc_esc_condition condition);

#endif
