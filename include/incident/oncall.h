/**
 * @file incident/oncall.h
 * @brief On-call rotations: who is paged, and whether the rotation is
 *        healthy (ONC-1..ONC-5).
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
 * ## Escalation through rotations (ONC-2)
 *
 * A context keeps a registry of rotations (inc_context_add_rotation()).
 * Escalation targets in the rubric (inc_rubric_add_escalation(), and pages
 * requested with inc_incident_request_page()) may name them:
 *
 * | target | resolves to |
 * |---|---|
 * | `rotation:NAME` or `rotation:NAME/primary` | the primary of rotation NAME |
 * | `rotation:NAME/secondary` | its secondary |
 * | `roster:ROLE` (such as `roster:ic`, `roster:comms`) | the primary of the rotation whose role is ROLE |
 * | `person:NAME` | NAME |
 * | `on-call`, `primary` | the primary of the default rotation |
 * | `backup`, `secondary` | the secondary of the default rotation |
 *
 * The default rotation is the one named with
 * inc_context_set_default_rotation(), else the first one registered. Any
 * other target ("team-lead", "engineering-manager") is the program's to
 * resolve. A due escalation item carries the people its targets resolved
 * to at the time the step comes due (inc_due_item::resolved), the
 * `page_requested` event records them, and inc_page::resolved gives them
 * back from the timeline, so a later change of the rotation does not
 * rewrite who was paged.
 *
 * The secondary is paged when the primary has not acknowledged within the
 * window: a ladder step `rotation:NAME/secondary` that many minutes after
 * the primary's step, in the unacknowledged condition (acknowledging stops
 * it). inc_rubric_add_rotation_escalation() adds the pair with the default window
 * of #INC_ONCALL_SECONDARY_WINDOW_MS (10 minutes, 002 "secondary activation").
 *
 * ## Health (ONC-3, ONC-4, ONC-5)
 *
 * inc_rotation_check() returns findings (incident/findings.h): too few
 * people, too many consecutive periods on call, too little rest between
 * turns, a late start owed after a night of incident work, and too many
 * pages per person per week. The table in inc_rotation_check() gives what
 * each finding's fields hold.
 *
 * A rotation is used by one thread at a time, like the context it was made
 * from, and must be freed before that context.
 */
#ifndef INCIDENT_ONCALL_H
#define INCIDENT_ONCALL_H

#include "common.h"
#include "context.h"
#include "findings.h"
#include "incident.h"
#include "roles.h"
#include "rubric.h"

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
/** @brief The default secondary window of ONC-2: 10 minutes. */
#define INC_ONCALL_SECONDARY_WINDOW_MS (10LL * 60 * 1000)
/** @brief inc_shift::override_index of a shift that no override gives. */
#define INC_SHIFT_NO_OVERRIDE ((size_t)-1)

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

/** @brief One stretch of a layer held by one person. */
typedef struct inc_shift {
    inc_layer layer;       /**< The layer. */
    const char *person;    /**< Who is on call (owned by the rotation). */
    inc_time start;        /**< When this stretch begins. */
    inc_time end;          /**< When it ends. */
    int64_t number;        /**< The rotation's shift it lies in (0 = the first; -1 for
                                a stretch an override gives before the first). */
    size_t override_index; /**< The override that gives it, or #INC_SHIFT_NO_OVERRIDE. */
} inc_shift;

/**
 * @brief Who is on call for a layer at time @p t (ONC-1): the stretch that
 *        contains @p t. Without an override it is the whole shift; an
 *        override cuts the shift into stretches.
 * @param rot The rotation.
 * @param layer The layer.
 * @param t The time.
 * @param[out] out Receives the stretch (person owned by @p rot).
 * @return #INC_OK; #INC_EINVAL; #INC_ENOTFOUND (no people, no secondary
 *         layer, a secondary offset that is a multiple of the number of
 *         people, or @p t before the first shift and not covered by an
 *         override; the message says which).
 */
INC_API int inc_rotation_who(const inc_rotation *rot, inc_layer layer, inc_time t, inc_shift *out);

/**
 * @brief Every stretch of a layer that overlaps [@p from, @p to), in order
 *        (whole stretches: the first may begin before @p from, the last end
 *        after @p to). Stretches before the first shift are not listed
 *        unless an override gives them.
 * @param rot The rotation.
 * @param layer The layer.
 * @param from Start of the range.
 * @param to End of the range (after @p from).
 * @param[out] out Receives the array (NULL when empty); free it with
 *        inc_free(). The people's names are owned by @p rot.
 * @param[out] count Receives the number of stretches.
 * @return #INC_OK; #INC_EINVAL; #INC_ENOTFOUND (as inc_rotation_who());
 *         #INC_ETOOBIG (more than 1,000,000 stretches); #INC_ENOMEM.
 */
INC_API int inc_rotation_shifts(const inc_rotation *rot, inc_layer layer, inc_time from,
                                inc_time to, inc_shift **out, size_t *count);

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

/* ---- the context's registry and escalation (ONC-2) ----------------------------- */

/**
 * @brief Register a copy of a rotation on the context, for escalation
 *        targets; it replaces a registered rotation of the same name.
 * @param ctx The context.
 * @param rot The rotation (copied; it may be freed afterwards).
 * @return #INC_OK, #INC_EINVAL (NULL argument, a rotation of another
 *         context), #INC_EEXIST (another registered rotation is the roster
 *         of the same role), #INC_ENOMEM.
 */
INC_API int inc_context_add_rotation(inc_context *ctx, const inc_rotation *rot);

/**
 * @brief Remove a registered rotation and free the context's copy of it.
 *        If it was the named default rotation, the default goes back to the
 *        first registered.
 * @param ctx The context.
 * @param name The registered rotation's name.
 * @return #INC_OK, #INC_EINVAL (NULL argument), #INC_ENOTFOUND (no
 *         registered rotation of that name); the message is on @p ctx.
 */
INC_API int inc_context_remove_rotation(inc_context *ctx, const char *name);

/**
 * @brief A registered rotation by name.
 * @param ctx The context.
 * @param name The rotation's name (compared exactly).
 * @return The rotation (owned by @p ctx, valid until it is replaced or
 *         removed, or the context is freed), or NULL if none is registered
 *         under @p name or for NULL arguments.
 */
INC_API const inc_rotation *inc_context_rotation(const inc_context *ctx, const char *name);

/**
 * @brief The number of registered rotations.
 * @param ctx The context.
 * @return The count; 0 if @p ctx is NULL.
 */
INC_API size_t inc_context_rotation_count(const inc_context *ctx);

/**
 * @brief A registered rotation by position, in the order they were first
 *        registered.
 * @param ctx The context.
 * @param index 0-based, below inc_context_rotation_count().
 * @return The rotation (owned by @p ctx, valid until it is replaced or
 *         removed, or the context is freed), or NULL if @p ctx is NULL or
 *         @p index is out of range.
 */
INC_API const inc_rotation *inc_context_rotation_at(const inc_context *ctx, size_t index);

/**
 * @brief Name the default rotation, the one `on-call` and `backup` resolve
 *        through.
 * @param ctx The context.
 * @param name A registered rotation's name, or NULL for the first registered.
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND, #INC_ENOMEM.
 */
INC_API int inc_context_set_default_rotation(inc_context *ctx, const char *name);

/**
 * @brief Resolve escalation targets to people at time @p t (ONC-2), as the
 *        due items and page records do.
 * @param ctx The context.
 * @param targets Comma-separated targets, such as
 *        "rotation:payments/primary,team-lead" (the table at the top).
 * @param t The time.
 * @param[out] out Receives the people, comma-separated in the order of the
 *        targets, each once ("" when no target names a registered rotation,
 *        roster or person); free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM. A target whose rotation has
 *         nobody at @p t is skipped.
 */
INC_API int inc_context_resolve_targets(inc_context *ctx, const char *targets, inc_time t,
                                        char **out, size_t *len);

/**
 * @brief Add the ONC-2 ladder for a rotation to a rubric level: page the
 *        primary after @p after_ms unacknowledged, and the secondary @p
 *        window_ms later if still unacknowledged.
 * @param r The rubric.
 * @param level The level's index.
 * @param after_ms When the primary is paged (positive).
 * @param rotation The rotation's name.
 * @param window_ms The secondary window (positive), or 0 for
 *        #INC_ONCALL_SECONDARY_WINDOW_MS.
 * @return #INC_OK, #INC_EINVAL, #INC_ETOOBIG (the level's ladder is full),
 *         #INC_ENOMEM; on failure the rubric is unchanged.
 */
INC_API int inc_rubric_add_rotation_escalation(inc_rubric *r, size_t level, int64_t after_ms,
                                               const char *rotation, int64_t window_ms);

/* ---- health (ONC-3, ONC-4, ONC-5) ------------------------------------------------ */

/** @brief Options for inc_rotation_check(). Fill with #INC_ONCALL_CHECK_OPTIONS_INIT. */
typedef struct inc_oncall_check_options {
    unsigned int version;     /**< #INC_ONCALL_CHECK_OPTIONS_VERSION */
    inc_time from;            /**< Start of the range checked; #INC_TIME_NONE for
                                   now minus 4 weeks (by the context's clock). */
    inc_time to;              /**< End of the range; #INC_TIME_NONE for now plus 4 weeks. */
    unsigned min_people;      /**< ONC-3: fewest people; 0 for 5. */
    unsigned max_consecutive; /**< ONC-3: most consecutive periods on call; 0 for 2. */
    unsigned min_gap;         /**< ONC-3: fewest periods off between turns; 0 for 2. */
    int64_t rest_after_ms;    /**< ONC-4: overnight engagement that earns a late start;
                                   0 for 4 hours. */
    unsigned max_pages_week;  /**< ONC-5: most pages per person per week; 0 for 10. */
} inc_oncall_check_options;

/** @brief The current version of #inc_oncall_check_options. */
#define INC_ONCALL_CHECK_OPTIONS_VERSION 1
/** @brief Initializer for #inc_oncall_check_options: every default. */
#define INC_ONCALL_CHECK_OPTIONS_INIT                                                              \
    {                                                                                              \
        INC_ONCALL_CHECK_OPTIONS_VERSION, INC_TIME_NONE, INC_TIME_NONE, 0, 0, 0, 0, 0              \
    }

/**
 * @brief Initialize check options to their defaults (for bindings).
 * @param[out] opts The options to fill.
 * @param version #INC_ONCALL_CHECK_OPTIONS_VERSION.
 * @return #INC_OK, #INC_EINVAL if @p opts is NULL, #INC_EVERSION for an unknown version.
 */
INC_API int inc_oncall_check_options_init(inc_oncall_check_options *opts, unsigned int version);

/**
 * @brief Check a rotation's health over a range, and the load and rest of
 *        the people who worked the given incidents (ONC-3..ONC-5).
 *
 * Findings, in this order (times and dates in the rotation's zone):
 *
 * | rule_id | found when | people | since | value |
 * |---|---|---|---|---|
 * | `ONC-3` | fewer than min_people distinct people in the order | - | #INC_TIME_NONE | distinct people |
 * | `ONC-3` | a person on call (either layer, any part of a period, overrides included) for more than max_consecutive periods in a row | the person | start of the run | periods in the run |
 * | `ONC-3` | fewer than min_gap whole periods off between two turns of one person | the person | end of the earlier turn | periods off |
 * | `ONC-4` | a person held a role in the incidents (any role, IC terms included; held until released, resolved, or now) for rest_after_ms or more within one night, 22:00-06:00 local | the person | the night's first engaged moment | milliseconds engaged that night |
 * | `ONC-5` | more than max_pages_week pages reached a person within one calendar week (Monday 00:00 local) | the person | the week's start | pages that week |
 *
 * Each message says what is wrong, the period, and what to do (add people,
 * give a shift away, reorder, grant the late start on the date given,
 * rebalance). The periods, nights and weeks checked are those that overlap
 * the range (a week's pages are all counted, also those outside the range).
 * A page counts for the person
 * it was reported sent to (inc_page::person), or while not reported sent for
 * the people its target resolved to (inc_page::resolved). Drills are left
 * out of ONC-5 (MET-1) but not ONC-4 (a night is a night).
 * @param rot The rotation.
 * @param incidents Incidents for ONC-4 and ONC-5 (may be NULL when @p count is 0).
 * @param count How many.
 * @param opts Options, or NULL for the defaults.
 * @param[out] out Receives the list (possibly empty); free it with
 *        inc_findings_free().
 * @return #INC_OK, #INC_EINVAL (NULL arguments, a NULL incident, @p to not
 *         after @p from, a range over 10 years), #INC_EVERSION,
 *         #INC_ENOMEM. The message is on @p rot.
 */
INC_API int inc_rotation_check(const inc_rotation *rot, const inc_incident *const *incidents,
                               size_t count, const inc_oncall_check_options *opts,
                               inc_findings **out);

#ifdef __cplusplus
}
#endif

#endif
