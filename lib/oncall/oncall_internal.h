/* On-call rotations (ONC-1..ONC-5): the rotation's representation, shared
 * by rotation.c (data and queries), rotation_text.c (the text format),
 * oncall.c (the context's zone cache and registry, target resolution) and
 * rotation_health.c (the findings). */
#ifndef INC_ONCALL_INTERNAL_H
#define INC_ONCALL_INTERNAL_H

#include "incident/oncall.h"
#include "oncall_services.h"
#include "tzif_internal.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct inc__override {
    inc_layer layer;
    inc_time start, end;
    char *person;
    char *by;     /* "" when not given */
    char *reason; /* "" when not given */
    inc_time recorded_at;
    int swap; /* ONC-6: a swap both agreed to: by gives the time, person takes it */
} inc__override;

/* ONC-6: a weekly window of a layer, in its zone's local time: on each day
 * of @days (bit 0 = Sunday) from start_min to end_min (minutes after
 * midnight, 1..1440); an end not after the start ends the next day. */
typedef struct inc__window {
    unsigned days, start_min, end_min;
} inc__window;

/* ONC-6: a layer of the primary: its people rotate with the rotation's
 * shifts (shift k: members[k mod n]) inside its windows, between its dates. */
typedef struct inc__layer {
    char *name;
    inc__zone *zone; /* one reference; the rotation's when not given */
    int own_zone;
    char **members;
    size_t count, cap;
    inc__window *win;
    size_t win_count, win_cap;
    int64_t from_day, until_day; /* local dates, both included; INT64_MIN/MAX when open */
} inc__layer;

struct inc_rotation {
    inc_allocator alloc; /* a copy of the context's */
    inc_context *ctx;    /* borrowed: its zone cache and clock */
    inc_error err;       /* written by const queries too (one thread at a time) */
    char *name;
    char **people;
    size_t count, cap;
    inc__zone *zone; /* one reference */
    unsigned period_days;
    int64_t start_day;    /* days since 1970-01-01 of shift 0's local date */
    unsigned handoff_min; /* minutes after local midnight */
    unsigned secondary;   /* offset; 0: no secondary layer */
    inc_role role;        /* INC_ROLE_COUNT: not a roster */
    inc__override *ovs;
    size_t ov_count, ov_cap;
    inc__layer *layers; /* ONC-6 (rotation_layers.c); a later layer wins */
    size_t layer_count, layer_cap;
};

/* ---- layers (rotation_layers.c, ONC-6) --------------------------------------- */

#define INC__NO_LAYER ((size_t)-1)
/* The highest layer covering @t (shift @k, not negative), or INC__NO_LAYER. */
size_t inc__layer_at(const inc_rotation *rot, int64_t k, inc_time t);
/* The first layer edge after @x and before @e (else @e); the last at or
 * before @x and after @s (else @s). */
inc_time inc__layer_next_edge(const inc_rotation *rot, inc_time x, inc_time e);
inc_time inc__layer_prev_edge(const inc_rotation *rot, inc_time x, inc_time s);
/* Who layer @j puts on call in shift @k. */
const char *inc__layer_person(const inc_rotation *rot, size_t j, int64_t k);
void inc__layers_free(inc_rotation *rot);
/* Copy @src's layers into @dst (which has none). INC_OK or INC_ENOMEM. */
int inc__layers_copy(inc_rotation *dst, const inc_rotation *src);
int inc__layers_equal(const inc_rotation *a, const inc_rotation *b);
/* Give layer @j its own zone (the text format's layer-zone). */
int inc__layer_set_zone(inc_rotation *rot, size_t j, const char *zone);
/* Write the layer blocks of the text format. */
void inc__layers_write(inc__buf *b, const inc_rotation *rot);
/* Local date (days since 1970-01-01) of "YYYY-MM-DD" (@n bytes); INC_OK or INC_EINVAL. */
int inc__layer_parse_date(const char *s, size_t n, int64_t *day);

/* The error record of a rotation, also for queries on a const handle (the
 * handle is always one the library allocated, never a const object). */
inc_error *inc__rotation_err(const inc_rotation *rot);

/* 1 if @name is a valid rotation name (a-z 0-9 - _, 1..64 bytes, starting
 * with a letter or digit); else records why in @err and returns 0. */
int inc__rotation_name_valid(const char *name, inc_error *err);

/* Append a copy of @person (checked: a single-line name) to the list
 * @people[0..*count) of the rotation or of one of its layers (@what and
 * @name name it in the message). INC_OK, INC_EINVAL, INC_ETOOBIG, INC_ENOMEM;
 * failures recorded on @rot. */
int inc__rotation_append_person(inc_rotation *rot, char ***people, size_t *count, size_t *cap,
                                const char *what, const char *name, const char *person);

/* The start of shift @k (UTC ms), by the hand-off rules. */
inc_time inc__rotation_shift_start(const inc_rotation *rot, int64_t k);
/* The shift that contains @t: the largest k with shift_start(k) <= t (may be
 * negative: before the first shift). @s and @e (may be NULL) receive
 * shift_start(k) and shift_start(k + 1). */
int64_t inc__rotation_shift_at(const inc_rotation *rot, inc_time t, inc_time *s, inc_time *e);

/* ---- the context's on-call state (oncall.c) ------------------------------------ */

/* Load zone @name through the context's cache: a new reference in *out.
 * Errors as inc__tz_load(), recorded in @err. */
int inc__oncall_zone(inc_context *ctx, const char *name, inc__zone **out, inc_error *err);

/* Local date/time helpers shared by the health checks. */
int64_t inc__rotation_local_to_utc_ms(const inc_rotation *rot, int64_t day, unsigned minute);
/* Write "YYYY-MM-DD HH:MM" local time of @t in the rotation's zone into @buf (32 bytes). */
void inc__rotation_format_local(const inc_rotation *rot, inc_time t, char buf[32]);

#endif
