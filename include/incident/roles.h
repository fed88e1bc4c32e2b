/**
 * @file incident/roles.h
 * @brief The response roles (ROLE-1) and the ways two of them may be
 *        combined in one person (ROLE-3..ROLE-9).
 */
#ifndef INCIDENT_ROLES_H
#define INCIDENT_ROLES_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The roles of the Incident Command System (ROLE-1). */
typedef enum inc_role {
    INC_ROLE_IC = 0,      /**< Incident Commander: exactly one at any moment (ROLE-2). */
    INC_ROLE_DEPUTY = 1,  /**< Deputy IC. */
    INC_ROLE_SCRIBE = 2,  /**< Scribe: keeps the timeline of record. */
    INC_ROLE_SME = 3,     /**< Subject Matter Expert (any number, each with a domain). */
    INC_ROLE_COMMS = 4,   /**< Communications Lead: external updates. */
    INC_ROLE_LIAISON = 5, /**< Internal Liaison: internal updates. */
    INC_ROLE_SPONSOR = 6, /**< Executive Sponsor (Sev-0, RUB-5). */
    INC_ROLE_LEGAL = 7,   /**< Legal Counsel (Sev-0, RUB-5). */
    INC_ROLE_PR = 8,      /**< PR Principal (Sev-0, RUB-5). */
    INC_ROLE_COUNT = 9    /**< Number of roles; not a role. */
} inc_role;

/** @brief The bit for @p role in a role mask. */
#define INC_ROLE_BIT(role) (1u << (unsigned)(role))

/**
 * @brief How one person may hold two roles at a level of the rubric.
 */
typedef enum inc_combo {
    INC_COMBO_ALLOWED = 0,       /**< Allowed without remark. */
    INC_COMBO_NEVER = 1,         /**< Never combined: refused (strict) or reported (advisory). */
    INC_COMBO_REPORT_LONG = 2,   /**< Allowed, but reported for separation once the
                                      incident runs past the level's long-incident
                                      threshold (ROLE-5). */
    INC_COMBO_REPORT_OVERDUE = 3 /**< Allowed, but reported for a split when both the
                                      external and internal updates are overdue at
                                      once (ROLE-6). */
} inc_combo;

/**
 * @brief The stable short name of a role: "ic", "deputy", "scribe", "sme",
 *        "comms", "liaison", "sponsor", "legal", "pr".
 * @param role A role.
 * @return A static string, or NULL for a value that is not a role.
 */
INC_API const char *inc_role_name(inc_role role);

/**
 * @brief The human title of a role, such as "Incident Commander".
 * @param role A role.
 * @return A static string, or NULL for a value that is not a role.
 */
INC_API const char *inc_role_title(inc_role role);

/**
 * @brief Look a role up by its short name (case-insensitive).
 * @param name A short name as inc_role_name() returns.
 * @param[out] out Receives the role.
 * @return #INC_OK, #INC_EINVAL for NULL arguments, #INC_ENOTFOUND for an unknown name.
 */
INC_API int inc_role_from_name(const char *name, inc_role *out);

/**
 * @brief The stable name of a combination rule: "allowed", "never",
 *        "report-long", "report-overdue".
 * @param combo A combination rule.
 * @return A static string, or NULL for a value that is not a rule.
 */
INC_API const char *inc_combo_name(inc_combo combo);

#ifdef __cplusplus
}
#endif

#endif
