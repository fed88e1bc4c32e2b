/**
 * @file incident/oncall.h
 * @brief On-call: who is on call at a moment, escalation through
 *        rotations, and whether a rotation is healthy (ONC-1..ONC-5). The
 *        rotations themselves and their text format are in
 *        incident/rotation.h.
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
 */
#ifndef INCIDENT_ONCALL_H
#define INCIDENT_ONCALL_H

#include "common.h"
#include "context.h"
#include "findings.h"
#include "incident.h"
#include "rotation.h"
#include "rubric.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- who is on call (ONC-1) ------------------------------------------------- */

/** @brief The default secondary window of ONC-2: 10 minutes. */
#define INC_ONCALL_SECONDARY_WINDOW_MS (10LL * 60 * 1000)
/** @brief inc_shift::override_index of a shift that no override gives. */
#define INC_SHIFT_NO_OVERRIDE ((size_t)-1)

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
 * @brief The calendar feed (ONC-7): the shifts of one or more rotations
 *        as an iCalendar document (RFC 5545), for people to see their
 *        on-call time where they plan their week.
 *
 * One VEVENT per stretch that inc_rotation_shifts() gives over
 * [@p from, @p to) (whole stretches), primary then secondary layer, for
 * each rotation in turn: UID `ROTATION.LAYER.SHIFT.STARTMS[.overrideN]@oncall.libincident`
 * (stable: the same stretch always gets the same UID, so a calendar client
 * updates its copy), DTSTART and DTEND in UTC, SUMMARY "On call: PERSON
 * (ROTATION LAYER[, override])", DESCRIPTION (the shift, or who arranged
 * the override and why), DTSTAMP the context's clock. Lines end in CRLF and
 * are folded at 75 octets, never inside a UTF-8 sequence; TEXT values are
 * escaped (backslash, semicolon, comma, newline).
 * @param rots The rotations (at least one).
 * @param count How many.
 * @param person Only this person's stretches, across the rotations; NULL
 *        for every stretch.
 * @param from Start of the range.
 * @param to End of the range (after @p from).
 * @param[out] out Receives the document (free with inc_free()).
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK; #INC_EINVAL (NULL or empty arguments, an empty range);
 *         #INC_ENOTFOUND, #INC_ETOOBIG (as inc_rotation_shifts()); #INC_ENOMEM.
 *         The message is inc_rotation_errmsg() of the first rotation.
 */
INC_API int inc_rotation_write_ical(const inc_rotation *const *rots, size_t count,
                                    const char *person, inc_time from, inc_time to, char **out,
                                    size_t *len);

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

/** @brief Options for inc_rotation_check(). Fill with #INC_ONCALL_CHECK_OPTIONS_INIT or
 * inc_oncall_check_options_init(). */
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
 * @brief Fill @p opts with the defaults of #inc_oncall_check_options version @p version (what
 *        #INC_ONCALL_CHECK_OPTIONS_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] opts The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_ONCALL_CHECK_OPTIONS_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p opts is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
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
