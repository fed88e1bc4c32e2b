/**
 * @file incident/lint_config.h
 * @brief A team's own words for the text lints (COMM-3, CAN-2, PM-4):
 *        service names, vague phrases, hedges, promise phrases and
 *        symptoms to add, and findings to switch off.
 *
 * The text format (lib/docs/lint-config.md) is the rubric's
 * "key = value" format with its own header:
 *
 *     libincident-lint 1
 *     name = payments
 *     service = Cloud Ledger
 *     vague = having a moment
 *     hedge = reckon
 *     promise = any moment now
 *     symptom = spinning wheel
 *     off = COMM-3.no-next-update
 *
 * A configuration is parsed once (inc_lint_config_parse()) and passed to
 * the `_with` lint calls; it is read-only afterwards, so one handle may be
 * used by many threads at once. The calls without `_with` use no
 * configuration.
 */
#ifndef INCIDENT_LINT_CONFIG_H
#define INCIDENT_LINT_CONFIG_H

#include "common.h"
#include "findings.h"
#include "incident.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A parsed lint configuration (opaque). */
typedef struct inc_lint_config inc_lint_config;

/**
 * @brief Parse a lint configuration from the text format
 *        (lib/docs/lint-config.md). Nothing is created on failure.
 * @param alloc Allocator to copy, or NULL for the C library's.
 * @param text The text (UTF-8; need not be NUL-terminated).
 * @param len Its length in bytes (at most 1 MiB).
 * @param[out] out Receives the configuration; free it with inc_lint_config_free().
 *        Set to NULL on failure.
 * @param[out] diag Receives the line and a message on failure (may be NULL).
 * @return #INC_OK, #INC_EINVAL (NULL arguments, bad UTF-8, an unknown
 *         finding ID after "off", an empty or over-long phrase),
 *         #INC_EPARSE (a malformed line, an unknown key, a wrong header),
 *         #INC_ETOOBIG (more than 1 MiB), #INC_ENOMEM.
 */
INC_API int inc_lint_config_parse(const inc_allocator *alloc, const char *text, size_t len,
                                  inc_lint_config **out, inc_diag *diag);

/**
 * @brief Free a configuration.
 * @param cfg The configuration, or NULL (then nothing happens).
 */
INC_API void inc_lint_config_free(inc_lint_config *cfg);

/**
 * @brief inc_update_lint() with a team's configuration (COMM-3).
 * @param body The update's text.
 * @param state The incident's lifecycle state when it would be posted.
 * @param components Affected components, comma-separated, or NULL.
 * @param cfg The configuration, or NULL for none.
 * @param alloc Allocator for the list (copied), or NULL for the C library's.
 * @param[out] out Receives the findings; free it with inc_findings_free().
 * @return As inc_update_lint().
 */
INC_API int inc_update_lint_with(const char *body, inc_state state, const char *components,
                                 const inc_lint_config *cfg, const inc_allocator *alloc,
                                 inc_findings **out);

/**
 * @brief inc_can_lint() with a team's configuration (CAN-1, CAN-2).
 * @param conditions The Conditions text, or NULL.
 * @param actions The Actions text, or NULL.
 * @param needs The Needs text, or NULL for an omitted Needs.
 * @param cfg The configuration, or NULL for none.
 * @param alloc Allocator for the list (copied), or NULL for the C library's.
 * @param[out] out Receives the findings; free it with inc_findings_free().
 * @return As inc_can_lint().
 */
INC_API int inc_can_lint_with(const char *conditions, const char *actions, const char *needs,
                              const inc_lint_config *cfg, const inc_allocator *alloc,
                              inc_findings **out);

/**
 * @brief inc_postmortem_lint() with a team's configuration (PM-4): only
 *        "off = PM-4.blame" applies to it.
 * @param text The text to lint.
 * @param cfg The configuration, or NULL for none.
 * @param alloc Allocator for the list (copied), or NULL for the C library's.
 * @param[out] out Receives the findings; free it with inc_findings_free().
 * @return As inc_postmortem_lint().
 */
INC_API int inc_postmortem_lint_with(const char *text, const inc_lint_config *cfg,
                                     const inc_allocator *alloc, inc_findings **out);

#ifdef __cplusplus
}
#endif

#endif
