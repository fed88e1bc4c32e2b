/**
 * @file incident/context.h
 * @brief The context: allocator, clock, store, rubric and enforcement policy.
 *
 * Every incident is opened through a context. A context and the handles made
 * from it are used by one thread at a time; different contexts may be used
 * from different threads at once.
 */
#ifndef INCIDENT_CONTEXT_H
#define INCIDENT_CONTEXT_H

#include "common.h"
#include "rubric.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief A context (opaque). */
typedef struct inc_context inc_context;

/** @brief How role rules are enforced (ROLE-11). */
typedef enum inc_policy {
    INC_POLICY_ADVISORY = 0, /**< Record the change and report the finding. */
    INC_POLICY_STRICT = 1    /**< Refuse a change that breaks a rule (#INC_EROLE). */
} inc_policy;

/** @brief Options for inc_context_new(). Fill with #INC_CONTEXT_OPTIONS_INIT or
 * inc_context_options_init(). */
typedef struct inc_context_options {
    unsigned int version;           /**< #INC_CONTEXT_OPTIONS_VERSION */
    const inc_allocator *allocator; /**< Copied; NULL for the C library's. */
    inc_clock_fn clock;             /**< NULL for inc_clock_system(). */
    void *clock_user;               /**< Passed to the clock. */
    inc_store *store;               /**< Borrowed: must outlive the context. NULL for a
                                         new memory store owned by the context. */
    const inc_rubric *rubric;       /**< Copied; NULL for the #INC_RUBRIC_DEFAULT preset. */
    inc_policy policy;              /**< Advisory by default. */
} inc_context_options;

/** @brief The current version of #inc_context_options. */
#define INC_CONTEXT_OPTIONS_VERSION 1
/** @brief Initializer for #inc_context_options: every default. */
#define INC_CONTEXT_OPTIONS_INIT                                                                   \
    {                                                                                              \
        INC_CONTEXT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, INC_POLICY_ADVISORY             \
    }

/**
 * @brief Fill @p opts with the defaults of #inc_context_options version @p version (what
 *        #INC_CONTEXT_OPTIONS_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] opts The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_CONTEXT_OPTIONS_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p opts is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_context_options_init(inc_context_options *opts, unsigned int version);

/**
 * @brief Create a context.
 * @param opts Options, or NULL for every default.
 * @param[out] out Receives the context; free it with inc_context_free().
 * @return #INC_OK, #INC_EINVAL (NULL @p out, bad policy, an allocator missing a
 *         function, an invalid rubric), #INC_EVERSION (version 0 or unknown),
 *         #INC_ENOMEM.
 */
INC_API int inc_context_new(const inc_context_options *opts, inc_context **out);

/**
 * @brief Free a context. Incidents opened through it must be freed first.
 * @param ctx The context, or NULL (then nothing happens).
 */
INC_API void inc_context_free(inc_context *ctx);

/**
 * @brief The message of the last failed call on @p ctx (or on a call that
 *        created a handle through it).
 * @param ctx The context (may be NULL).
 * @return A string owned by @p ctx, valid until its next call; "" if none
 *         or if @p ctx is NULL. Never NULL, never to be freed.
 */
INC_API const char *inc_context_errmsg(const inc_context *ctx);

/**
 * @brief The current time by the context's clock.
 * @param ctx The context.
 * @return What the clock callback returns (milliseconds since the Unix
 *         epoch, UTC); #INC_TIME_NONE if @p ctx is NULL.
 */
INC_API inc_time inc_context_now(inc_context *ctx);

/**
 * @brief The context's store.
 * @param ctx The context.
 * @return The store, borrowed: the one given in inc_context_options::store,
 *         or the memory store the context owns (valid until
 *         inc_context_free()); NULL if @p ctx is NULL. Never to be freed by
 *         the caller.
 */
INC_API inc_store *inc_context_store(inc_context *ctx);

/**
 * @brief The rubric new incidents are declared under.
 * @param ctx The context.
 * @return The rubric, owned by @p ctx and valid until the next
 *         inc_context_set_rubric() or inc_context_free(); NULL if @p ctx is NULL.
 */
INC_API const inc_rubric *inc_context_rubric(const inc_context *ctx);

/**
 * @brief Replace the rubric for incidents declared from now on (RUB-4: those
 *        declared before keep theirs).
 * @param ctx The context.
 * @param rubric The rubric to copy; it must validate (RUB-3).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_context_set_rubric(inc_context *ctx, const inc_rubric *rubric);

/**
 * @brief The enforcement policy.
 * @param ctx The context.
 * @return The policy; #INC_POLICY_ADVISORY if @p ctx is NULL.
 */
INC_API inc_policy inc_context_policy(const inc_context *ctx);

/**
 * @brief Change the enforcement policy.
 * @param ctx The context.
 * @param policy #INC_POLICY_ADVISORY or #INC_POLICY_STRICT.
 * @return #INC_OK, #INC_EINVAL if @p ctx is NULL or @p policy is not one of
 *         the two (the policy is then unchanged).
 */
INC_API int inc_context_set_policy(inc_context *ctx, inc_policy policy);

struct inc_lint_config;

/**
 * @brief Use a team's lint configuration (include/incident/lint_config.h)
 *        for every lint the context's incidents run: recorded updates
 *        (inc_incident_add_update(), COMM-3), CAN reports
 *        (inc_incident_add_can(), CAN-1, CAN-2), hand-off briefings,
 *        rendered templates and postmortem sections (PM-4).
 * @param ctx The context.
 * @param cfg The configuration, borrowed: it must stay alive until it is
 *        replaced or the context is freed. NULL goes back to the defaults.
 * @return #INC_OK, #INC_EINVAL if @p ctx is NULL.
 */
INC_API int inc_context_set_lint_config(inc_context *ctx, const struct inc_lint_config *cfg);

/**
 * @brief List the ids of every incident in the context's store.
 * @param ctx The context.
 * @param cb Called once per id (the id is valid during the call only).
 * @param user Passed to @p cb.
 * @return As inc_store_list(): #INC_OK, the callback's non-zero value if it
 *         stopped the listing, or a store error (#INC_EINVAL for a NULL
 *         argument, #INC_EIO, #INC_ECORRUPT, #INC_ENOMEM); the message is
 *         kept on @p ctx.
 */
INC_API int inc_context_list(inc_context *ctx, inc_store_id_cb cb, void *user);

#ifdef __cplusplus
}
#endif

#endif
