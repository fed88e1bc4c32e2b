/**
 * @file incident/rotation.h
 * @brief Rotations (ONC-1) as data: people, period, hand-off time, time
 *        zone, layers and overrides, and their text format. Who is on
 *        call at a moment, escalation through rotations and a rotation's
 *        health are in incident/oncall.h.
 *
 * ## Rotations (ONC-1)
 *
 * A rotation is data: an ordered list of people, a period (daily, weekly or
 * any number of days; weekly by default), a hand-off time of day in a named
 * IANA time zone (Monday 10:00 by default), a primary and a secondary layer,
 * and overrides. Shift *k* (k = 0, 1, ...) of the primary layer begins on
 * the local date `start + k x period` at the hand-off time and is held by
 * person *k mod n*; the secondary layer's shift *k* is held by person
 * *(k + offset) mod n* (offset 1 by default: the secondary is the next
 * week's primary). An override gives part of one layer to another person
 * (a swap of one shift, a few hours' cover); it is kept as data, with who
 * made it and why, and wins over the rotation; of two overlapping overrides
 * the one added later wins. A role roster (the on-call Incident Commanders,
 * the Comms leads) is a rotation with a role (inc_rotation_set_role()).
 *
 * Rotations are built through this API or parsed from the text format of
 * `lib/docs/rotation-format.md` (written back losslessly).
 *
 * ## Time zones and daylight saving
 *
 * Hand-offs are local times. The library reads the zone's TZif file (RFC
 * 8536) from `/usr/share/zoneinfo` (or the directory given with
 * inc_context_set_zoneinfo_dir()) itself and caches it per context; it
 * never sets the process's `TZ`. "UTC" is built in. So:
 * - a 10:00 hand-off stays at 10:00 local across a daylight-saving change
 *   (the shift around the change is an hour shorter or longer);
 * - a hand-off time that does not exist on the day of a spring-forward
 *   (02:30 in Europe/Berlin on the last Sunday of March) moves to the next
 *   valid minute: the first minute after the jump (03:00 local);
 * - a hand-off time that occurs twice on the day of a fall-back (02:30 in
 *   Europe/Berlin on the last Sunday of October) is the first occurrence
 *   (02:30 summer time, an hour before the second).
 *
 *
 * A rotation is used by one thread at a time, like the context it was made
 * from, and must be freed before that context.
 */
#ifndef INCIDENT_ROTATION_H
#define INCIDENT_ROTATION_H

#include "common.h"
#include "context.h"
#include "roles.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- time zones ------------------------------------------------------------ */

/**
 * @brief A local time in a zone: what inc_zone_to_local() gives and what
 *        inc_zone_from_local() reads (the date and time fields only).
 */
typedef struct inc_local_time {
    int year;           /**< Year, such as 2026. */
    unsigned month;     /**< 1..12. */
    unsigned day;       /**< 1..31. */
    unsigned hour;      /**< 0..23. */
    unsigned minute;    /**< 0..59. */
    unsigned second;    /**< 0..59. */
    unsigned ms;        /**< 0..999. */
    unsigned weekday;   /**< 0 = Sunday .. 6 = Saturday (output only). */
    int32_t utc_offset; /**< Seconds east of UTC in force (output only). */
    int is_dst;         /**< 1 in daylight-saving time (output only). */
    char abbr[16];      /**< The designation in force, such as "CEST" (output only). */
} inc_local_time;

/**
 * @brief Read time zones from another directory from now on (for tests, or
 *        a system whose zone files are elsewhere). Zones already loaded stay
 *        with the rotations that use them; the context's cache is emptied.
 * @param ctx The context.
 * @param dir A directory of TZif files laid out like `/usr/share/zoneinfo`
 *        (copied), or NULL for `/usr/share/zoneinfo`.
 * @return #INC_OK, #INC_EINVAL (NULL @p ctx, an empty or over-long @p dir),
 *         #INC_ENOMEM.
 */
INC_API int inc_context_set_zoneinfo_dir(inc_context *ctx, const char *dir);

/**
 * @brief The directory time zones are read from.
 * @param ctx The context.
 * @return The directory (owned by @p ctx), "/usr/share/zoneinfo" by default;
 *         NULL for a NULL @p ctx.
 */
INC_API const char *inc_context_zoneinfo_dir(const inc_context *ctx);

/**
 * @brief Convert a time to the local time of a zone.
 * @param ctx The context whose zone cache is used.
 * @param zone An IANA zone name such as "Europe/Berlin" (1..128 bytes of
 *        A-Z a-z 0-9 _ + - /, no "..", not starting with '/'), or "UTC".
 * @param t The time.
 * @param[out] out Receives every field.
 * @return #INC_OK; #INC_EINVAL (NULL argument, a bad zone name); #INC_ENOTFOUND
 *         (no such zone: the message names it and the directory); #INC_ECORRUPT
 *         (the zone's file is damaged: the message says how); #INC_EVERSION;
 *         #INC_EIO; #INC_ENOMEM. The message is on @p ctx.
 */
INC_API int inc_zone_to_local(inc_context *ctx, const char *zone, inc_time t, inc_local_time *out);

/**
 * @brief Convert a local time of a zone to a time, with the hand-off rules:
 *        a local time that occurs twice gives the first occurrence, one that
 *        does not exist gives the next valid minute.
 * @param ctx The context whose zone cache is used.
 * @param zone The zone's name (see inc_zone_to_local()).
 * @param local The local date and time: year (0..9999), month, day, hour,
 *        minute, second and ms are read; the other fields are ignored.
 * @param[out] out Receives the time.
 * @return #INC_OK; #INC_EINVAL (NULL argument, a field out of range, a bad zone
 *         name); the zone errors of inc_zone_to_local().
 */
INC_API int inc_zone_from_local(inc_context *ctx, const char *zone, const inc_local_time *local,
                                inc_time *out);

/* ---- rotations (ONC-1) ------------------------------------------------------- */

/** @brief A rotation (opaque). */
typedef struct inc_rotation inc_rotation;

/** @brief The layers of a rotation. */
typedef enum inc_layer {
    INC_LAYER_PRIMARY = 0,   /**< The primary on-call. */
    INC_LAYER_SECONDARY = 1, /**< The secondary (backup) on-call. */
    INC_LAYER_COUNT = 2      /**< Number of layers; not a layer. */
} inc_layer;

/** @brief Longest rotation name, in bytes. */
#define INC_ROTATION_NAME_MAX 64
/** @brief Most people in a rotation. */
#define INC_ROTATION_PEOPLE_MAX 256
/** @brief Most overrides in a rotation. */
#define INC_ROTATION_OVERRIDES_MAX 10000
/** @brief Longest period, in days. */
#define INC_ROTATION_PERIOD_MAX 366

/**
 * @brief Create a rotation with every default: no people, weekly, hand-off
 *        Monday 10:00 in "UTC", first shift starting on 1970-01-05 (a
 *        Monday), secondary offset 1, no role, no overrides.
 * @param ctx The context: its allocator is copied and its zone cache used.
 *        It must outlive the rotation.
 * @param name The rotation's name, used in escalation targets: 1..64 bytes
 *        of a-z 0-9 - _ starting with a letter or digit.
 * @param[out] out Receives the rotation; free it with inc_rotation_free().
 * @return #INC_OK, #INC_EINVAL (NULL argument, bad name; message on @p ctx),
 *         #INC_ENOMEM.
 */
INC_API int inc_rotation_new(inc_context *ctx, const char *name, inc_rotation **out);

/**
 * @brief Free a rotation.
 * @param rot The rotation, or NULL (then nothing happens).
 */
INC_API void inc_rotation_free(inc_rotation *rot);

/**
 * @brief Copy a rotation.
 * @param rot The rotation.
 * @param[out] out Receives the copy; free it with inc_rotation_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_rotation_dup(const inc_rotation *rot, inc_rotation **out);

/**
 * @brief Compare two rotations field by field (name, people, zone, period,
 *        start, hand-off, secondary offset, role and every override).
 * @param a One rotation (may be NULL).
 * @param b The other rotation (may be NULL).
 * @return 1 if equal, 0 if not (or either is NULL).
 */
INC_API int inc_rotation_equal(const inc_rotation *a, const inc_rotation *b);

/**
 * @brief The message of the last failed call on @p rot.
 * @param rot The rotation (may be NULL).
 * @return A string owned by @p rot, valid until its next call; "" if none
 *         or if @p rot is NULL. Never NULL, never to be freed.
 */
INC_API const char *inc_rotation_errmsg(const inc_rotation *rot);

/**
 * @brief The rotation's name.
 * @param rot The rotation.
 * @return The name, owned by @p rot and valid until inc_rotation_free(); NULL
 *         if @p rot is NULL.
 */
INC_API const char *inc_rotation_name(const inc_rotation *rot);

/**
 * @brief Append a person to the rotation's order.
 * @param rot The rotation.
 * @param person 1..#INC_NAME_MAX bytes of UTF-8, one line. A person may be
 *        listed more than once (ONC-3 reports what that does).
 * @return #INC_OK, #INC_EINVAL (bad name), #INC_ETOOBIG (more than
 *         #INC_ROTATION_PEOPLE_MAX), #INC_ENOMEM.
 */
INC_API int inc_rotation_add_person(inc_rotation *rot, const char *person);

/**
 * @brief The number of people in the order (a person listed twice counts twice).
 * @param rot The rotation.
 * @return The count; 0 if @p rot is NULL.
 */
INC_API size_t inc_rotation_person_count(const inc_rotation *rot);

/**
 * @brief The person at @p index in the order.
 * @param rot The rotation.
 * @param index 0-based, below inc_rotation_person_count().
 * @return The name, owned by @p rot and valid until inc_rotation_free(); NULL
 *         if @p rot is NULL or @p index is out of range.
 */
INC_API const char *inc_rotation_person(const inc_rotation *rot, size_t index);

/**
 * @brief Set the time zone hand-offs are in, loading it through the
 *        context's cache.
 * @param rot The rotation.
 * @param zone An IANA zone name, such as "Europe/Berlin", or "UTC".
 * @return #INC_OK; #INC_EINVAL (bad name); #INC_ENOTFOUND (no such zone);
 *         #INC_ECORRUPT (damaged zone file); #INC_EVERSION; #INC_EIO;
 *         #INC_ENOMEM. On failure the zone is unchanged.
 */
INC_API int inc_rotation_set_zone(inc_rotation *rot, const char *zone);

/**
 * @brief The name of the zone hand-offs are in.
 * @param rot The rotation.
 * @return The zone's name ("UTC" by default), owned by @p rot and valid until
 *         the next successful inc_rotation_set_zone() or inc_rotation_free();
 *         NULL if @p rot is NULL.
 */
INC_API const char *inc_rotation_zone(const inc_rotation *rot);

/**
 * @brief Set the period.
 * @param rot The rotation.
 * @param days 1 (daily), 7 (weekly), or any number up to
 *        #INC_ROTATION_PERIOD_MAX.
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rotation_set_period(inc_rotation *rot, unsigned days);

/**
 * @brief The period.
 * @param rot The rotation.
 * @return The period in days (7 by default); 0 if @p rot is NULL.
 */
INC_API unsigned inc_rotation_period(const inc_rotation *rot);

/**
 * @brief Set the local date on which shift 0 begins (at the hand-off time).
 *        For a period that is a whole number of weeks this date's weekday is
 *        the hand-off weekday.
 * @param rot The rotation.
 * @param year 1..9999.
 * @param month 1..12.
 * @param day 1..31 (valid for the month).
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rotation_set_start(inc_rotation *rot, int year, unsigned month, unsigned day);

/**
 * @brief The start date.
 * @param rot The rotation.
 * @param[out] year Receives the year (may be NULL).
 * @param[out] month Receives the month (may be NULL).
 * @param[out] day Receives the day (may be NULL).
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rotation_get_start(const inc_rotation *rot, int *year, unsigned *month,
                                   unsigned *day);

/**
 * @brief Set the local hand-off time of day.
 * @param rot The rotation.
 * @param hour 0..23.
 * @param minute 0..59.
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rotation_set_handoff(inc_rotation *rot, unsigned hour, unsigned minute);

/**
 * @brief The hand-off time of day.
 * @param rot The rotation.
 * @param[out] hour Receives the hour (may be NULL).
 * @param[out] minute Receives the minute (may be NULL).
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rotation_get_handoff(const inc_rotation *rot, unsigned *hour, unsigned *minute);

/**
 * @brief Set the secondary layer's offset from the primary, in people
 *        (equally, in periods: offset 1 gives the secondary to the person
 *        who is primary in the next period).
 * @param rot The rotation.
 * @param offset 1..#INC_ROTATION_PEOPLE_MAX - 1, or 0 for no secondary layer.
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rotation_set_secondary(inc_rotation *rot, unsigned offset);

/**
 * @brief The secondary layer's offset from the primary, in people.
 * @param rot The rotation.
 * @return The offset (1 by default); 0 when there is no secondary layer or
 *         if @p rot is NULL.
 */
INC_API unsigned inc_rotation_secondary(const inc_rotation *rot);

/**
 * @brief Make the rotation a role roster (its primary layer is the on-call
 *        holder of @p role, target `roster:<role>`), or an ordinary rotation.
 * @param rot The rotation.
 * @param role A role, or #INC_ROLE_COUNT for none.
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rotation_set_role(inc_rotation *rot, inc_role role);

/**
 * @brief The roster's role.
 * @param rot The rotation.
 * @return The role; #INC_ROLE_COUNT when it is not a roster or if @p rot is NULL.
 */
INC_API inc_role inc_rotation_role(const inc_rotation *rot);

/** @brief An override: part of one layer given to another person. */
typedef struct inc_rotation_override {
    inc_layer layer;      /**< The layer. */
    inc_time start;       /**< When it begins. */
    inc_time end;         /**< When it ends (after @c start). */
    const char *person;   /**< Who is on call instead (1..#INC_NAME_MAX bytes). */
    const char *by;       /**< Who arranged it, or NULL / "" (read back as ""). */
    const char *reason;   /**< Why, or NULL / "" (read back as ""; at most #INC_TEXT_MAX). */
    inc_time recorded_at; /**< When it was arranged, or #INC_TIME_NONE. */
} inc_rotation_override;

/**
 * @brief Add an override. It wins over the rotation, and over every
 *        override added before it, for the time it covers.
 * @param rot The rotation.
 * @param ov The override (its strings are copied).
 * @param[out] index Receives its index (may be NULL).
 * @return #INC_OK, #INC_EINVAL (bad layer, person or text; end not after
 *         start; a time outside the years 0..9999), #INC_ETOOBIG (more than
 *         #INC_ROTATION_OVERRIDES_MAX), #INC_ENOMEM.
 */
INC_API int inc_rotation_add_override(inc_rotation *rot, const inc_rotation_override *ov,
                                      size_t *index);

/**
 * @brief Give one whole shift of a layer to another person: an override
 *        from the start to the end of the rotation's shift that contains
 *        @p t (a swap of one shift).
 * @param rot The rotation (with at least one person).
 * @param layer The layer.
 * @param t Any time within the shift.
 * @param person Who takes it.
 * @param by Who arranged it, or NULL.
 * @param reason Why, or NULL.
 * @param recorded_at When it was arranged, or #INC_TIME_NONE.
 * @param[out] index Receives the override's index (may be NULL).
 * @return As inc_rotation_add_override(), and #INC_ENOTFOUND when @p t is
 *         before the rotation's first shift or the rotation has no people.
 */
INC_API int inc_rotation_override_shift(inc_rotation *rot, inc_layer layer, inc_time t,
                                        const char *person, const char *by, const char *reason,
                                        inc_time recorded_at, size_t *index);

/**
 * @brief The number of overrides.
 * @param rot The rotation.
 * @return The count; 0 if @p rot is NULL.
 */
INC_API size_t inc_rotation_override_count(const inc_rotation *rot);

/**
 * @brief Read an override.
 * @param rot The rotation.
 * @param index 0-based, in the order they were added.
 * @param[out] out Receives it; strings owned by @p rot, valid until it is
 *        changed or freed.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND (out of range).
 */
INC_API int inc_rotation_get_override(const inc_rotation *rot, size_t index,
                                      inc_rotation_override *out);

/* ---- layers and swaps (ONC-6) ------------------------------------------------- */

/** @brief Every day of the week, for inc_rotation_add_layer_window() (bit 0 = Sunday). */
#define INC_WEEKDAYS_ALL 0x7Fu
/** @brief Monday to Friday. */
#define INC_WEEKDAYS_MON_FRI 0x3Eu
/** @brief At most this many layers per rotation. */
#define INC_ROTATION_LAYERS_MAX 32

/**
 * @brief Add a layer to the primary on-call (ONC-6): people who rotate with
 *        the rotation's shifts (shift k: member k mod n) but only inside the
 *        layer's weekly windows, in its own zone (follow-the-sun) or the
 *        rotation's. At a moment covered by several layers the one added
 *        last wins; overrides win over every layer; a moment no layer
 *        covers falls to the rotation's own people, and when it has none,
 *        nobody is on call: inc_rotation_who() says so and
 *        inc_rotation_check() reports the gap (ONC-3). Windows stay at
 *        their local times across daylight-saving changes.
 * @param rot The rotation.
 * @param name The layer's name (as a rotation name: a-z 0-9 - _, 1..64 bytes), unique.
 * @param zone An IANA zone, or NULL for the rotation's (followed if it changes).
 * @param[out] index Receives the layer's index (may be NULL).
 * @return #INC_OK, #INC_EINVAL (bad name or zone name), #INC_EEXIST (a
 *         layer of that name), #INC_ENOTFOUND (unknown zone), #INC_ETOOBIG
 *         (more than #INC_ROTATION_LAYERS_MAX), #INC_ENOMEM.
 */
INC_API int inc_rotation_add_layer(inc_rotation *rot, const char *name, const char *zone,
                                   size_t *index);

/**
 * @brief Append a person to a layer's order.
 * @param rot The rotation.
 * @param layer The layer's index.
 * @param person The person (1..#INC_NAME_MAX bytes, one line).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND (no such layer),
 *         #INC_ETOOBIG (#INC_ROTATION_PEOPLE_MAX), #INC_ENOMEM.
 */
INC_API int inc_rotation_add_layer_person(inc_rotation *rot, size_t layer, const char *person);

/**
 * @brief Restrict a layer to a weekly window (a layer with no window covers
 *        every moment): on each day of @p days, from @p start_minute to
 *        @p end_minute after local midnight in the layer's zone; an end not
 *        after the start ends on the next day (a night shift, 20:00-08:00).
 * @param rot The rotation.
 * @param layer The layer's index.
 * @param days Bit 0 = Sunday .. bit 6 = Saturday (#INC_WEEKDAYS_MON_FRI, ...), not 0.
 * @param start_minute 0..1439.
 * @param end_minute 1..1440 (1440 = midnight at the end of the day), not
 *        equal to @p start_minute.
 * @return #INC_OK, #INC_EINVAL (bad days or minutes, a window that ends
 *         where it starts), #INC_ENOTFOUND (no such layer), #INC_ETOOBIG
 *         (more than 64 windows), #INC_ENOMEM.
 */
INC_API int inc_rotation_add_layer_window(inc_rotation *rot, size_t layer, unsigned days,
                                          unsigned start_minute, unsigned end_minute);

/**
 * @brief Limit a layer to the local dates @p from .. @p until (both
 *        included), such as a summer schedule.
 * @param rot The rotation.
 * @param layer The layer's index.
 * @param from "YYYY-MM-DD", or NULL for no start.
 * @param until "YYYY-MM-DD", or NULL for no end.
 * @return #INC_OK, #INC_EINVAL (a bad date; a layer that ends before it
 *         starts), #INC_ENOTFOUND (no such layer).
 */
INC_API int inc_rotation_set_layer_dates(inc_rotation *rot, size_t layer, const char *from,
                                         const char *until);

/**
 * @brief The number of layers.
 * @param rot The rotation (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_rotation_layer_count(const inc_rotation *rot);

/**
 * @brief A layer's name.
 * @param rot The rotation.
 * @param layer The layer's index.
 * @return The name (owned by @p rot), or NULL when out of range.
 */
INC_API const char *inc_rotation_layer_name(const inc_rotation *rot, size_t layer);

/**
 * @brief Record a shift swap (ONC-6): an override both people agreed to,
 *        recorded with both names. @p giver, who is on call on @p layer at
 *        @p start, gives [@p start, @p end) to @p taker.
 * @param rot The rotation.
 * @param layer The layer.
 * @param start When the swap begins.
 * @param end When it ends (after @p start).
 * @param giver Who gives the time: on call then (read back as the override's @c by).
 * @param taker Who takes it, the second person (the override's @c person).
 * @param recorded_at When they agreed, or #INC_TIME_NONE.
 * @param[out] index Receives the override's index (may be NULL).
 * @return #INC_OK, #INC_EINVAL (a missing or equal second person, a giver
 *         not on call at @p start, a bad range), #INC_ETOOBIG, #INC_ENOMEM.
 */
INC_API int inc_rotation_add_swap(inc_rotation *rot, inc_layer layer, inc_time start, inc_time end,
                                  const char *giver, const char *taker, inc_time recorded_at,
                                  size_t *index);

/**
 * @brief Whether override @p index is a swap (inc_rotation_add_swap()).
 * @param rot The rotation.
 * @param index The override's index.
 * @return 1 for a swap, 0 otherwise (or out of range).
 */
INC_API int inc_rotation_override_is_swap(const inc_rotation *rot, size_t index);

/**
 * @brief Parse a rotation from the text format (lib/docs/rotation-format.md).
 * @param ctx The context (allocator and zone cache).
 * @param text The text (UTF-8; need not be NUL-terminated).
 * @param len Its length in bytes (at most 1 MiB).
 * @param[out] out Receives the rotation; free it with inc_rotation_free().
 * @param[out] diag Receives the line and a message on failure (may be NULL).
 * @return #INC_OK; #INC_EINVAL (NULL arguments, bad UTF-8, a value out of
 *         range); #INC_EPARSE (malformed line); #INC_EVERSION (another format
 *         version); #INC_ENOTFOUND / #INC_ECORRUPT (the zone); #INC_ETOOBIG;
 *         #INC_ENOMEM.
 */
INC_API int inc_rotation_parse(inc_context *ctx, const char *text, size_t len, inc_rotation **out,
                               inc_diag *diag);

/**
 * @brief Write a rotation in the text format. Parsing the result gives a
 *        rotation equal to @p rot (inc_rotation_equal()).
 * @param rot The rotation.
 * @param[out] out Receives the NUL-terminated text; free it with inc_free().
 * @param[out] len Receives its length without the NUL (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_rotation_write(const inc_rotation *rot, char **out, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
