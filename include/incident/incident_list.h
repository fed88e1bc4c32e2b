/**
 * @file incident_list.h
 * @brief Finding incidents across a store (issue 21): filters by state,
 *        level, drill, declaration time, role holder, custom field (RUB-6)
 *        and text in the title, a sort and a limit.
 *
 * The issue calls the call `inc_incident_list`; following
 * lib/docs/naming.md (a query named by the handle it makes, as
 * inc_action_list_query() makes an #inc_action_list) it is
 * inc_incident_list_query(), which makes an #inc_incident_list read with
 * inc_incident_list_count() and inc_incident_list_at().
 */
#ifndef INCIDENT_INCIDENT_LIST_H
#define INCIDENT_INCIDENT_LIST_H

#include "incident/common.h"
#include "incident/context.h"
#include "incident/incident.h"
#include "incident/roles.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief What an incident list is sorted by (ties: by id). The numbers are stable. */
typedef enum inc_incident_sort {
    INC_SORT_ID = 0,       /**< The incident id (the store's order; ids begin with the day). */
    INC_SORT_DECLARED = 1, /**< The declaration's time. */
    INC_SORT_LEVEL = 2,    /**< The level: the most severe first (its index in the
                                context's rubric; a level it does not have comes last,
                                by name). */
    INC_SORT_STATE = 3,    /**< The lifecycle state, declared first. */
    INC_SORT_TITLE = 4     /**< The title, byte order ignoring ASCII case. */
} inc_incident_sort;

/** @brief Which drills an incident list keeps (DEC-4). The numbers are stable. */
typedef enum inc_drill_filter {
    INC_DRILLS_INCLUDED = 0, /**< Drills and real incidents. */
    INC_DRILLS_EXCLUDED = 1, /**< Real incidents only. */
    INC_DRILLS_ONLY = 2      /**< Drills only. */
} inc_drill_filter;

/** @brief A role filter's value meaning "any role" (#inc_incident_query's `role`). */
#define INC_ROLE_ANY (-1)

/** @brief The longest title filter, in bytes (a title's limit). */
#define INC_QUERY_TITLE_MAX 256

/**
 * @brief Which incidents inc_incident_list_query() gives, and in which
 *        order. Fill with #INC_INCIDENT_QUERY_INIT or inc_incident_query_init()
 *        (every incident, by id); every filter given must hold.
 */
typedef struct inc_incident_query {
    unsigned int version;    /**< #INC_INCIDENT_QUERY_VERSION */
    unsigned states;         /**< A mask of `1u << inc_state`; 0 for every state. */
    const char *level;       /**< Only this level (its name, ignoring ASCII case), or NULL. */
    int drills;              /**< An #inc_drill_filter. */
    inc_time since;          /**< Declared at or after, or #INC_TIME_NONE. */
    inc_time until;          /**< Declared before, or #INC_TIME_NONE. */
    int role;                /**< With `holder`: the #inc_role they hold at the end of the
                                  timeline, or #INC_ROLE_ANY for any role (IC included). */
    const char *holder;      /**< Only incidents where this person holds `role`, or NULL. */
    const char *field;       /**< Only incidents whose custom field of this name (RUB-6)... */
    const char *field_value; /**< ...was last set to this value (exact); both or neither. */
    const char *title;       /**< Only titles containing this text (ASCII case ignored), or NULL. */
    int sort;                /**< An #inc_incident_sort. */
    int descending;          /**< Non-zero: the sort reversed (ties still by id ascending). */
    size_t limit;            /**< At most this many (the first after sorting); 0 for all. */
} inc_incident_query;

/** @brief The current version of #inc_incident_query. */
#define INC_INCIDENT_QUERY_VERSION 1
/** @brief Initializer for #inc_incident_query: every incident, by id. */
#define INC_INCIDENT_QUERY_INIT                                                                    \
    {                                                                                              \
        INC_INCIDENT_QUERY_VERSION, 0u, NULL, INC_DRILLS_INCLUDED, INC_TIME_NONE, INC_TIME_NONE,   \
            INC_ROLE_ANY, NULL, NULL, NULL, NULL, INC_SORT_ID, 0, 0                                \
    }

/**
 * @brief Fill @p query with the defaults of #inc_incident_query version @p version
 *        (what #INC_INCIDENT_QUERY_INIT gives), for callers that cannot use the
 *        macro (bindings).
 * @param[out] query The struct to fill. Only the fields that version has are written.
 * @param version #INC_INCIDENT_QUERY_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p query is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_incident_query_init(inc_incident_query *query, unsigned int version);

/** @brief One incident of an #inc_incident_list (its strings owned by the list). */
typedef struct inc_incident_entry {
    const char *id;           /**< The incident id. */
    const char *title;        /**< Its title. */
    const char *severity;     /**< Its level's name at the end of the timeline. */
    int level;                /**< That level's index in the context's rubric (0 the most
                                   severe), or -1 when the rubric has no such level. */
    inc_state state;          /**< Its state (a duplicate, LIFE-5, is closed). */
    int drill;                /**< 1 for a drill (DEC-4). */
    inc_time declared_at;     /**< When it was declared. */
    inc_time resolved_at;     /**< Its last resolution, or #INC_TIME_NONE (none, or reopened). */
    const char *ic;           /**< The IC at the end of the timeline. */
    const char *declarer;     /**< Who declared it. */
    const char *channel;      /**< Its channel (DEC-3). */
    uint64_t last_seq;        /**< The sequence number of its last event. */
    unsigned reopen_count;    /**< How often it was reopened (LIFE-4). */
    const char *duplicate_of; /**< LIFE-5: the primary it duplicates, or NULL. */
} inc_incident_entry;

/** @brief A list of incidents (opaque). */
typedef struct inc_incident_list inc_incident_list;

/**
 * @brief Find the incidents of the context's store that match @p query,
 *        sorted as it asks (the issue's `inc_incident_list`; named by the
 *        handle it makes, lib/docs/naming.md).
 *
 * The store is read once, incident by incident, without opening incident
 * handles (linear in the number of incidents); over a journal, unchanged
 * incidents come from its `SUMMARY` file, as for inc_metrics_compute().
 * A reopened incident (LIFE-4) is listed in its state after the reopening.
 * A duplicate (LIFE-5) is listed, closed, with `duplicate_of`
 * naming its primary: it stays a record of its own, and a state filter
 * without closed leaves it out.
 *
 * The level and the field named are checked against the context's rubric
 * (the rubric in force, inc_context_rubric()): a level or a field it does
 * not declare is refused with #INC_ENOTFOUND rather than matching nothing,
 * so a misspelt name is not mistaken for "no incident". An incident
 * declared under another rubric is matched by the names alone.
 * @param ctx The context.
 * @param query The query, or NULL for every incident by id.
 * @param[out] out Receives the list (possibly empty); free it with
 *        inc_incident_list_free(). NULL on failure.
 * @return #INC_OK; #INC_EINVAL (NULL @p ctx or @p out, a state mask with
 *         bits past closed, an unknown drill filter, sort or role, a role
 *         without a holder, `until` before
 *         `since`, a field without its value or a
 *         value without its field, a holder, level, field, value or title
 *         filter that is empty or not one line of UTF-8); #INC_ETOOBIG (such a filter
 *         longer than its limit: a title filter past #INC_QUERY_TITLE_MAX);
 *         #INC_ENOTFOUND (a level or a field the context's rubric does not
 *         declare); #INC_EVERSION; #INC_ENOMEM; or a store error
 *         (#INC_ECORRUPT, #INC_EIO). The message is on @p ctx; nothing is
 *         changed.
 */
INC_API int inc_incident_list_query(inc_context *ctx, const inc_incident_query *query,
                                    inc_incident_list **out);

/**
 * @brief The number of incidents of a list.
 * @param list The list (NULL gives 0).
 * @return The count (at most the query's limit).
 */
INC_API size_t inc_incident_list_count(const inc_incident_list *list);

/**
 * @brief How many incidents matched before the query's limit cut the list.
 * @param list The list (NULL gives 0).
 * @return The count of matches.
 */
INC_API size_t inc_incident_list_total(const inc_incident_list *list);

/**
 * @brief One incident of a list, in the query's order.
 * @param list The list.
 * @param index 0-based, below inc_incident_list_count().
 * @return The entry (owned by @p list), or NULL if out of range.
 */
INC_API const inc_incident_entry *inc_incident_list_at(const inc_incident_list *list, size_t index);

/**
 * @brief The ids of the incidents the store lists but that could not be
 *        read, when the query went past them (inc_incident_list_query_skipping()).
 * @param list The list (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_incident_list_unreadable_count(const inc_incident_list *list);

/**
 * @brief One id of an incident that could not be read.
 * @param list The list.
 * @param index 0-based, below inc_incident_list_unreadable_count().
 * @return The id (owned by @p list), or NULL if out of range.
 */
INC_API const char *inc_incident_list_unreadable(const inc_incident_list *list, size_t index);

/**
 * @brief inc_incident_list_query() that goes past the incidents it cannot
 *        read (a damaged file) instead of failing: each is named by
 *        inc_incident_list_unreadable() (for `incident list`, which reports
 *        them and lists the others). A store with a bulk scan (a database)
 *        still stops at the first error.
 * @param ctx The context.
 * @param query The query, or NULL for every incident by id.
 * @param[out] out Receives the list; free it with inc_incident_list_free().
 * @return As inc_incident_list_query().
 */
INC_API int inc_incident_list_query_skipping(inc_context *ctx, const inc_incident_query *query,
                                             inc_incident_list **out);

/**
 * @brief Free a list (NULL is ignored).
 * @param list The list.
 */
INC_API void inc_incident_list_free(inc_incident_list *list);

/**
 * @brief The stable name of a sort key: "id", "declared", "level", "state", "title".
 * @param sort The key.
 * @return A static string, never to be freed; NULL for an unknown key.
 */
INC_API const char *inc_incident_sort_name(inc_incident_sort sort);

/**
 * @brief The sort key of a name, as inc_incident_sort_name() gives it.
 * @param name The name (exact).
 * @param[out] out Receives the key.
 * @return #INC_OK, #INC_EINVAL (NULL argument), #INC_ENOTFOUND (no such key).
 */
INC_API int inc_incident_sort_from_name(const char *name, inc_incident_sort *out);

#ifdef __cplusplus
}
#endif

#endif
