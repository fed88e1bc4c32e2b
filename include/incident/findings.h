/**
 * @file incident/findings.h
 * @brief Findings: what a check found, as a list rather than a yes/no
 *        (ROLE-11).
 *
 * Every check of the library (role combinations and staffing, and the
 * CAN, communication, audit and rotation checks built on the same type)
 * returns an #inc_findings list. Each #inc_finding names the rule it comes
 * from (an ID of RULES.md such as "ROLE-3"), the people and roles
 * involved, the severity level at which it applies, and one sentence that
 * says what is wrong and what to do about it. Fields a check does not use
 * are zero, NULL, #INC_TIME_NONE or -1 as documented per field.
 *
 * A list is owned by the caller and freed with inc_findings_free(); the
 * findings and their strings belong to the list and stay valid until it is
 * freed, independent of the handle the check ran on.
 */
#ifndef INCIDENT_FINDINGS_H
#define INCIDENT_FINDINGS_H

#include "common.h"
#include "roles.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A list of findings (opaque). */
typedef struct inc_findings inc_findings;

/** @brief "No level": the value of inc_finding::level_index when a finding
 *         does not depend on a severity level. */
#define INC_FINDING_NO_LEVEL ((size_t)-1)

/**
 * @brief One finding. The library fills it; callers only read it through
 *        inc_findings_at(). New fields are only ever appended.
 */
typedef struct inc_finding {
    const char *rule_id;   /**< The rule's ID in RULES.md, such as "ROLE-3". */
    const char *message;   /**< One sentence: what is wrong and what to do, such as
                                "ROLE-3: bob holds Incident Commander and Subject Matter
                                Expert at Sev-2; they are never combined: page a second
                                person to be Subject Matter Expert". */
    const char *level;     /**< Name of the severity level at which it applies, or NULL. */
    size_t level_index;    /**< That level's index (0 = most severe), or
                                #INC_FINDING_NO_LEVEL. */
    int enforced;          /**< 1 when the strict policy refuses a change that causes
                                this (a forbidden combination); 0 for reports (advice,
                                gaps, lateness) that no policy refuses. */
    size_t people_count;   /**< How many entries of inc_finding::people are set (0..2). */
    const char *people[2]; /**< The people involved; unused entries are NULL. */
    size_t role_count;     /**< How many entries of inc_finding::roles are set (0..2). */
    inc_role roles[2];     /**< The roles involved, most relevant first; for a
                                combination, the role to give to someone else is
                                roles[1]. Unused entries are #INC_ROLE_COUNT. */
    unsigned role_mask;    /**< #INC_ROLE_BIT of every role involved (0 if none). */
    int64_t value;         /**< A number the rule reports (people missing for ROLE-10,
                                milliseconds late for ROLE-12, ...), else 0. */
    inc_time since;        /**< When the condition began to hold, or #INC_TIME_NONE
                                when that is not known or does not apply. */
    int slot;              /**< For text lint: which text of the checked item (each
                                lint documents its numbering), or -1. */
    size_t offset;         /**< For text lint: byte offset of the offending words in
                                that text (0 if none). */
    size_t length;         /**< For text lint: their length in bytes (0 if none). */
} inc_finding;

/**
 * @brief The number of findings in a list.
 * @param list The list, or NULL.
 * @return The count; 0 for NULL or an empty list.
 */
INC_API size_t inc_findings_count(const inc_findings *list);

/**
 * @brief One finding of a list.
 * @param list The list.
 * @param index 0-based position, below inc_findings_count().
 * @return The finding, owned by @p list and valid until inc_findings_free();
 *         NULL if @p list is NULL or @p index is out of range.
 */
INC_API const inc_finding *inc_findings_at(const inc_findings *list, size_t index);

/**
 * @brief Count the findings of one rule.
 * @param list The list, or NULL.
 * @param rule_id A rule ID such as "ROLE-10" (compared exactly).
 * @return How many findings carry @p rule_id (0 for NULL arguments).
 */
INC_API size_t inc_findings_count_rule(const inc_findings *list, const char *rule_id);

/**
 * @brief Render a list as text, one finding per line: the message, then
 *        " [<level>]" when the finding has a level.
 * @param list The list.
 * @param[out] out Receives the NUL-terminated text ("" for an empty list);
 *        free it with inc_free().
 * @param[out] len Receives its length without the NUL (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL @p list or @p out), #INC_ENOMEM.
 */
INC_API int inc_findings_render(const inc_findings *list, char **out, size_t *len);

/**
 * @brief Free a list.
 * @param list The list, or NULL (then nothing happens).
 */
INC_API void inc_findings_free(inc_findings *list);

#ifdef __cplusplus
}
#endif

#endif
