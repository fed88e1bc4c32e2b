/**
 * @file incident/rubric.h
 * @brief Severity rubrics as data (RUB-1..RUB-5).
 *
 * A rubric is an ordered list of levels, most severe first. Each level
 * carries trigger and posture text, targets, cadences, required
 * communications, staffing and role combinations, escalation steps and the
 * postmortem window (RUB-2). A rubric can be built through this API, taken
 * from a built-in preset, parsed from the text format documented in
 * `lib/docs/rubric-format.md`, and written back to that format losslessly.
 *
 * Durations are milliseconds. #INC_DURATION_NONE means "not set / as
 * needed"; it counts as the loosest possible value in the RUB-3 checks.
 */
#ifndef INCIDENT_RUBRIC_H
#define INCIDENT_RUBRIC_H

#include "common.h"
#include "roles.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A severity rubric (opaque). */
typedef struct inc_rubric inc_rubric;

/** @brief A duration that is not set ("as needed", "not required"). */
#define INC_DURATION_NONE ((int64_t)-1)
/** @brief For required communications: "at the next regular cadence". */
#define INC_DURATION_NEXT_CADENCE ((int64_t)-2)

/** @brief Longest level name, in bytes. */
#define INC_LEVEL_NAME_MAX 32
/** @brief Most levels a rubric may have. */
#define INC_LEVELS_MAX 16
/** @brief Longest text field, in bytes. */
#define INC_RUBRIC_TEXT_MAX 2048
/** @brief Most escalation steps per level. */
#define INC_ESCALATIONS_MAX 16

/** @brief The built-in rubrics. */
typedef enum inc_rubric_preset {
    INC_RUBRIC_DEFAULT = 0, /**< Sev-0..Sev-4, every number RULES.md gives. */
    INC_RUBRIC_SEED002 = 1  /**< SEV1..SEV4 from the 002 seed. */
} inc_rubric_preset;

/** @brief Text fields of a level. */
typedef enum inc_level_text {
    INC_LEVEL_TRIGGER = 0, /**< When this level applies. */
    INC_LEVEL_POSTURE = 1, /**< The response posture. */
    INC_LEVEL_PAGED = 2,   /**< Who is paged (free text). */
    INC_LEVEL_TEXT_COUNT = 3
} inc_level_text;

/** @brief Duration fields of a level. */
typedef enum inc_level_duration {
    INC_DUR_ACK = 0,              /**< Acknowledge target (ESC-3). */
    INC_DUR_MITIGATE = 1,         /**< Mitigation target. */
    INC_DUR_RESOLVE = 2,          /**< Resolution target. */
    INC_DUR_CADENCE_EXTERNAL = 3, /**< External update cadence (COMM-1). */
    INC_DUR_CADENCE_INTERNAL = 4, /**< Internal update cadence (COMM-1). */
    INC_DUR_CADENCE_RESPONSE = 5, /**< Response-channel briefing cadence (COMM-1). */
    INC_DUR_POSTMORTEM = 6,       /**< Postmortem due after resolution (PM-2). */
    INC_DUR_LONG_INCIDENT = 7,    /**< "Long incident" threshold (ROLE-5). */
    INC_DUR_ACK_TIMEOUT = 8,      /**< An acknowledgement expires after this long
                                       without activity. */
    INC_DUR_SCRIBE = 9,           /**< A Scribe is expected within this (ROLE-12). */
    INC_DUR_COUNT = 10
} inc_level_duration;

/** @brief Yes/no fields of a level. */
typedef enum inc_level_flag {
    INC_FLAG_BRIDGE = 0,       /**< A bridge / war room is required. */
    INC_FLAG_POSTMORTEM = 1,   /**< A postmortem is required (PM-2). */
    INC_FLAG_EXEC_POSTURE = 2, /**< Sev-0 posture: sponsor, legal and PR from minute
                                    one, disclosure clocks tracked (RUB-5). */
    INC_FLAG_COUNT = 3
} inc_level_flag;

/** @brief Communications a level may require (COMM-4). */
typedef enum inc_comm_kind {
    INC_COMM_STATUS_PAGE = 0,    /**< A status page entry. */
    INC_COMM_CUSTOMER_EMAIL = 1, /**< A customer email. */
    INC_COMM_EXEC_NOTIFY = 2,    /**< An executive notification. */
    INC_COMM_COUNT = 3
} inc_comm_kind;

/** @brief When an escalation step's clock runs (ESC-1). */
typedef enum inc_esc_condition {
    INC_ESC_UNACKNOWLEDGED = 0, /**< Counted from declaration until acknowledged. */
    INC_ESC_UNRESOLVED = 1      /**< Counted from declaration until resolved. */
} inc_esc_condition;

/**
 * @brief Create an empty rubric (no levels; add them with inc_rubric_add_level()).
 * @param alloc Allocator to copy, or NULL for the C library's.
 * @param name The rubric's name (UTF-8, 1..64 bytes).
 * @param[out] out Receives the new rubric; free it with inc_rubric_free().
 * @return #INC_OK, #INC_EINVAL (bad name or NULL @p out), #INC_ENOMEM.
 */
INC_API int inc_rubric_new(const inc_allocator *alloc, const char *name, inc_rubric **out);

/**
 * @brief Create a copy of a built-in rubric.
 * @param alloc Allocator to copy, or NULL for the C library's.
 * @param preset Which preset.
 * @param[out] out Receives the new rubric; free it with inc_rubric_free().
 * @return #INC_OK, #INC_EINVAL (unknown preset or NULL @p out), #INC_ENOMEM.
 */
INC_API int inc_rubric_preset_new(const inc_allocator *alloc, inc_rubric_preset preset,
                                  inc_rubric **out);

/**
 * @brief Parse a rubric from the text format (lib/docs/rubric-format.md) and
 *        validate it (RUB-3).
 * @param alloc Allocator to copy, or NULL for the C library's.
 * @param text The text (UTF-8; need not be NUL-terminated).
 * @param len Its length in bytes (at most 1 MiB).
 * @param[out] out Receives the rubric; free it with inc_rubric_free().
 * @param[out] diag Receives the line and a message on failure (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, bad UTF-8, a RUB-3 violation
 *         naming the level and field), #INC_EPARSE (malformed line),
 *         #INC_ETOOBIG, #INC_ENOMEM.
 */
INC_API int inc_rubric_parse(const inc_allocator *alloc, const char *text, size_t len,
                             inc_rubric **out, inc_diag *diag);

/**
 * @brief Write a rubric in the text format. Parsing the result gives a rubric
 *        equal to @p r (inc_rubric_equal()).
 * @param r The rubric.
 * @param[out] out Receives the NUL-terminated text; free it with inc_free().
 * @param[out] len Receives its length without the NUL (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_rubric_write(const inc_rubric *r, char **out, size_t *len);

/**
 * @brief Copy a rubric.
 * @param r The rubric.
 * @param[out] out Receives the copy (same allocator); free it with inc_rubric_free().
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_rubric_dup(const inc_rubric *r, inc_rubric **out);

/**
 * @brief Compare two rubrics field by field.
 * @param a One rubric (may be NULL).
 * @param b The other rubric (may be NULL).
 * @return 1 if equal, 0 if not (or either is NULL).
 */
INC_API int inc_rubric_equal(const inc_rubric *a, const inc_rubric *b);

/**
 * @brief Free a rubric.
 * @param r The rubric, or NULL (then nothing happens).
 */
INC_API void inc_rubric_free(inc_rubric *r);

/**
 * @brief The message of the last failed call on @p r.
 * @param r The rubric (may be NULL).
 * @return A string owned by @p r, valid until the next call on it; "" if none
 *         or if @p r is NULL. Never NULL, never to be freed.
 */
INC_API const char *inc_rubric_errmsg(const inc_rubric *r);

/**
 * @brief Check a rubric against RUB-3: at least one level, unique names,
 *        every duration positive or #INC_DURATION_NONE, and no more severe
 *        level with a looser acknowledge, mitigate, resolve or cadence target
 *        than a less severe one.
 * @param r The rubric.
 * @return #INC_OK, or #INC_EINVAL with inc_rubric_errmsg() naming the level
 *         and the field.
 */
INC_API int inc_rubric_validate(inc_rubric *r);

/**
 * @brief The rubric's name.
 * @param r The rubric.
 * @return The name, owned by @p r and valid until inc_rubric_free(); NULL if
 *         @p r is NULL.
 */
INC_API const char *inc_rubric_name(const inc_rubric *r);

/**
 * @brief The number of levels.
 * @param r The rubric.
 * @return The number of levels; 0 if @p r is NULL.
 */
INC_API size_t inc_rubric_level_count(const inc_rubric *r);

/**
 * @brief Find a level by name (case-sensitive).
 * @param r The rubric.
 * @param name The level's name.
 * @param[out] index Receives the level's index (0 = most severe).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND.
 */
INC_API int inc_rubric_get_level_index(const inc_rubric *r, const char *name, size_t *index);

/**
 * @brief The name of a level.
 * @param r The rubric.
 * @param level The level's index (0 = most severe).
 * @return The name, owned by @p r and valid until the next
 *         inc_rubric_add_level() or inc_rubric_free(); NULL if @p r is NULL or
 *         @p level is out of range.
 */
INC_API const char *inc_rubric_level_name(const inc_rubric *r, size_t level);

/**
 * @brief Append a level, less severe than every existing one. All its
 *        durations start as #INC_DURATION_NONE, texts empty, flags off,
 *        every role combination allowed, no staffing, no escalation.
 * @param r The rubric.
 * @param name The level's name: 1..#INC_LEVEL_NAME_MAX bytes of
 *        letters, digits, '-', '_' or '.'; unique in the rubric.
 * @param[out] index Receives the new level's index (may be NULL).
 * @return #INC_OK, #INC_EINVAL (bad or duplicate name), #INC_ETOOBIG (more than
 *         #INC_LEVELS_MAX levels), #INC_ENOMEM.
 */
INC_API int inc_rubric_add_level(inc_rubric *r, const char *name, size_t *index);

/**
 * @brief Set a text field of a level.
 * @param r The rubric.
 * @param level The level's index.
 * @param field Which text.
 * @param value UTF-8 text of at most #INC_RUBRIC_TEXT_MAX bytes, or NULL for empty.
 * @return #INC_OK, #INC_EINVAL, #INC_ETOOBIG, #INC_ENOMEM.
 */
INC_API int inc_rubric_set_text(inc_rubric *r, size_t level, inc_level_text field,
                                const char *value);

/**
 * @brief A text field of a level.
 * @param r The rubric.
 * @param level The level's index.
 * @param field Which text.
 * @return The text, owned by @p r and valid until that field is set again
 *         or inc_rubric_free(); "" if unset; NULL if @p r is NULL or @p level
 *         or @p field is out of range.
 */
INC_API const char *inc_rubric_text(const inc_rubric *r, size_t level, inc_level_text field);

/**
 * @brief Set a duration field of a level.
 * @param r The rubric.
 * @param level The level's index.
 * @param field Which duration.
 * @param ms A positive number of milliseconds, or #INC_DURATION_NONE.
 * @return #INC_OK, #INC_EINVAL (bad level, field or value).
 */
INC_API int inc_rubric_set_duration(inc_rubric *r, size_t level, inc_level_duration field,
                                    int64_t ms);

/**
 * @brief A duration field of a level.
 * @param r The rubric.
 * @param level The level's index.
 * @param field Which duration.
 * @return The duration in milliseconds; #INC_DURATION_NONE if unset, or if
 *         @p r is NULL or @p level or @p field is out of range.
 */
INC_API int64_t inc_rubric_duration(const inc_rubric *r, size_t level, inc_level_duration field);

/**
 * @brief Set a yes/no field of a level.
 * @param r The rubric.
 * @param level The level's index.
 * @param flag Which field.
 * @param on Non-zero for yes, 0 for no.
 * @return #INC_OK, #INC_EINVAL (NULL @p r, bad level or flag).
 */
INC_API int inc_rubric_set_flag(inc_rubric *r, size_t level, inc_level_flag flag, int on);

/**
 * @brief A yes/no field of a level.
 * @param r The rubric.
 * @param level The level's index.
 * @param flag Which field.
 * @return 1 or 0; 0 if @p r is NULL or @p level or @p flag is out of range.
 */
INC_API int inc_rubric_flag(const inc_rubric *r, size_t level, inc_level_flag flag);

/**
 * @brief Say that a level requires a communication within a time (COMM-4).
 * @param r The rubric.
 * @param level The level's index.
 * @param kind Which communication.
 * @param within_ms 0 for "at once", a positive duration, #INC_DURATION_NEXT_CADENCE,
 *        or #INC_DURATION_NONE for "not required".
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rubric_set_required_comm(inc_rubric *r, size_t level, inc_comm_kind kind,
                                         int64_t within_ms);

/**
 * @brief When a level requires a communication (see inc_rubric_set_required_comm()).
 * @param r The rubric.
 * @param level The level's index.
 * @param kind Which communication.
 * @return 0 for "at once", a positive duration in milliseconds,
 *         #INC_DURATION_NEXT_CADENCE, or #INC_DURATION_NONE for "not required";
 *         #INC_DURATION_NONE also if @p r is NULL or @p level or @p kind is out
 *         of range.
 */
INC_API int64_t inc_rubric_required_comm(const inc_rubric *r, size_t level, inc_comm_kind kind);

/**
 * @brief Set how one person may hold roles @p a and @p b at a level (the rule
 *        is symmetric; a role with itself is always allowed).
 * @param r The rubric.
 * @param level The level's index.
 * @param a One role.
 * @param b The other role (different from @p a).
 * @param combo The rule.
 * @return #INC_OK, #INC_EINVAL (NULL @p r, bad level, role or rule, or @p a
 *         equal to @p b).
 */
INC_API int inc_rubric_set_combo(inc_rubric *r, size_t level, inc_role a, inc_role b,
                                 inc_combo combo);

/**
 * @brief The combination rule for roles @p a and @p b at a level.
 * @param r The rubric.
 * @param level The level's index.
 * @param a One role.
 * @param b The other role.
 * @return The rule (the same for @p a, @p b as for @p b, @p a);
 *         #INC_COMBO_ALLOWED for a role with itself, or if @p r is NULL or
 *         @p level or a role is out of range.
 */
INC_API inc_combo inc_rubric_combo(const inc_rubric *r, size_t level, inc_role a, inc_role b);

/**
 * @brief Set a level's minimum staffing (ROLE-10).
 * @param r The rubric.
 * @param level The level's index.
 * @param roles_mask The roles that must be filled (#INC_ROLE_BIT of each).
 * @param min_people How many distinct people at least.
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rubric_set_staffing(inc_rubric *r, size_t level, unsigned roles_mask,
                                    unsigned min_people);

/**
 * @brief A level's minimum staffing.
 * @param r The rubric.
 * @param level The level's index.
 * @param[out] roles_mask Receives the required roles (may be NULL).
 * @param[out] min_people Receives the minimum number of people (may be NULL).
 * @return #INC_OK, #INC_EINVAL.
 */
INC_API int inc_rubric_get_staffing(const inc_rubric *r, size_t level, unsigned *roles_mask,
                                    unsigned *min_people);

/**
 * @brief Append an escalation step to a level (ESC-1). Steps are kept in the
 *        order of @p after_ms.
 * @param r The rubric.
 * @param level The level's index.
 * @param after_ms How long the condition must hold (positive).
 * @param condition Unacknowledged or unresolved.
 * @param target Who is paged, as a comma-separated list of targets (UTF-8,
 *        1..256 bytes), such as "on-call,backup".
 * @return #INC_OK, #INC_EINVAL, #INC_ETOOBIG (more than #INC_ESCALATIONS_MAX),
 *         #INC_ENOMEM.
 */
INC_API int inc_rubric_add_escalation(inc_rubric *r, size_t level, int64_t after_ms,
                                      inc_esc_condition condition, const char *target);

/**
 * @brief The number of escalation steps of a level.
 * @param r The rubric.
 * @param level The level's index.
 * @return The number of steps; 0 if @p r is NULL or @p level is out of range.
 */
INC_API size_t inc_rubric_escalation_count(const inc_rubric *r, size_t level);

/**
 * @brief Read escalation step @p i of a level.
 * @param r The rubric.
 * @param level The level's index.
 * @param i The step's index (0-based, in the order of @p after_ms).
 * @param[out] after_ms Receives the duration (may be NULL).
 * @param[out] condition Receives the condition (may be NULL).
 * @param[out] target Receives the target text, owned by @p r (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOTFOUND for an index out of range.
 */
INC_API int inc_rubric_get_escalation(const inc_rubric *r, size_t level, size_t i,
                                      int64_t *after_ms, inc_esc_condition *condition,
                                      const char **target);

/**
 * @brief How many times a level's escalation ladder repeats after its last
 *        step (like PagerDuty's num_loops; 0 = no repeat).
 * @param r The rubric.
 * @param level The level's index.
 * @param repeat The repeat count, 0..100.
 * @return #INC_OK, #INC_EINVAL (NULL @p r, bad level, or @p repeat above 100).
 */
INC_API int inc_rubric_set_repeat(inc_rubric *r, size_t level, unsigned repeat);

/**
 * @brief The repeat count of a level's ladder.
 * @param r The rubric.
 * @param level The level's index.
 * @return The repeat count; 0 if @p r is NULL or @p level is out of range.
 */
INC_API unsigned inc_rubric_repeat(const inc_rubric *r, size_t level);

/**
 * @brief The stable field name of a duration as used in the text format,
 *        such as "ack" or "cadence.external".
 * @param field Which duration.
 * @return A static string, never to be freed; NULL for an unknown field.
 */
INC_API const char *inc_level_duration_name(inc_level_duration field);

/* ---- custom fields (RUB-6) ----------------------------------------------- */

/** @brief The type of a custom field a rubric declares (RUB-6). The numbers
 *         are stable. */
typedef enum inc_field_type {
    INC_FIELD_TEXT = 0,   /**< One line of text. */
    INC_FIELD_NUMBER = 1, /**< An integer: an optional '-' and 1..18 digits. */
    INC_FIELD_ONE_OF = 2, /**< One of the values the declaration lists. */
    INC_FIELD_DATE = 3,   /**< A day, YYYY-MM-DD. */
    INC_FIELD_PERSON = 4  /**< A person's name. */
} inc_field_type;

/** @brief When a custom field must be set (RUB-6). The numbers are stable. */
typedef enum inc_field_required {
    INC_FIELD_OPTIONAL = 0,           /**< Never required. */
    INC_FIELD_REQUIRED_TO_CLOSE = 1,  /**< Before any closing. */
    INC_FIELD_REQUIRED_FROM_LEVEL = 2 /**< Before closing at its level or a more severe one. */
} inc_field_required;

/** @brief A custom field as a rubric declares it (filled by inc_rubric_get_field()). */
typedef struct inc_rubric_field {
    const char *name;            /**< Its name (a-z, 0-9, '_', '-'; 1..32 bytes). */
    inc_field_type type;         /**< Its type. */
    const char *values;          /**< #INC_FIELD_ONE_OF: the values, comma-separated
                                      ("eu,us,apac"); else "". */
    inc_field_required required; /**< When it must be set. */
    const char *level;           /**< #INC_FIELD_REQUIRED_FROM_LEVEL: the level named; else "". */
} inc_rubric_field;

/**
 * @brief The number of custom fields a rubric declares (RUB-6,
 *        lib/docs/rubric-format.md, "Custom fields").
 * @param r The rubric (NULL gives 0).
 * @return The count, at most 16.
 */
INC_API size_t inc_rubric_field_count(const inc_rubric *r);

/**
 * @brief One custom field a rubric declares, in declaration order (RUB-6).
 * @param r The rubric.
 * @param index 0-based, below inc_rubric_field_count().
 * @param[out] out Filled; its strings are owned by @p r and valid until it is
 *        freed.
 * @return #INC_OK, #INC_EINVAL (NULL argument), #INC_ENOTFOUND (@p index out
 *         of range).
 */
INC_API int inc_rubric_get_field(const inc_rubric *r, size_t index, inc_rubric_field *out);

/**
 * @brief The name of a field type as the rubric text writes it: "text",
 *        "number", "one-of", "date", "person".
 * @param type The type.
 * @return A static string, never to be freed; NULL for an unknown type.
 */
INC_API const char *inc_field_type_name(inc_field_type type);

#ifdef __cplusplus
}
#endif

#endif
