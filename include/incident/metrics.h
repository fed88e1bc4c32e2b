/**
 * @file incident/metrics.h
 * @brief Incident metrics over a store or a time range (MET-1), drills
 *        excluded (DEC-4).
 *
 * The set is every incident of the context's store declared in
 * [inc_metrics_options::from, inc_metrics_options::to), drills left out
 * (they are counted apart). Every figure says how many incidents it is over:
 * an incident that lacks a time a figure needs is not counted in it.
 *
 * | figure | from -> to, per incident |
 * |---|---|
 * | MTTD | impact started -> detected (the detection time recorded at declaration, or the declaration when none was recorded); needs the impact start |
 * | MTTA | the first page requested -> the first acknowledgement (ESC-3); needs both, the acknowledgement not before the page |
 * | MTTM | declaration -> mitigation (the last time it entered monitoring) |
 * | MTTR | detection (as for MTTD) -> resolution |
 *
 * Each is given as mean and median (the lower middle value for an even
 * count), with the minimum and maximum, over all levels and per level
 * (the incident's severity at the end of its timeline). Levels are listed
 * in the order of the context's rubric, then any other level names in the
 * order met.
 *
 * **Action items completed on time** (target > 90%): over the items of the
 * set's incidents, an item done by the due date in force when it was done
 * is on time; one done later, or still open past its due date at
 * inc_metrics_options::now, is late; open items not yet due and cancelled
 * items are not counted. The rate is on time / (on time + late).
 *
 * **Recurrence** (target < 10%): an incident of the set recurs when an
 * earlier incident of the store (declared before it, drills left out, in
 * the range or not) has the same root-cause tag
 * (inc_incident_set_root_cause_tag()). The rate is recurring / tagged
 * incidents of the set; untagged incidents are counted apart.
 *
 * **Pages per person**: the pages reported sent to each person
 * (inc_incident_mark_page_sent()), with the number of incidents they came from.
 *
 * The store is read once, incident by incident, without opening incident
 * handles, so the cost is linear in the number of incidents (see the
 * benchmark in tests/bench/metrics_bench.c).
 */
#ifndef INCIDENT_METRICS_H
#define INCIDENT_METRICS_H

#include "common.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The duration metrics. */
typedef enum inc_metric {
    INC_METRIC_MTTD = 0, /**< Mean time to detect. */
    INC_METRIC_MTTA = 1, /**< Mean time to acknowledge. */
    INC_METRIC_MTTM = 2, /**< Mean time to mitigate. */
    INC_METRIC_MTTR = 3, /**< Mean time to resolve. */
    INC_METRIC_COUNT = 4 /**< Number of metrics; not a metric. */
} inc_metric;

/**
 * @brief The stable name of a metric: "mttd", "mtta", "mttm", "mttr".
 * @param metric A metric.
 * @return A static string, or NULL for a value that is not a metric.
 */
INC_API const char *inc_metric_name(inc_metric metric);

/** @brief Options for inc_metrics_compute(). Fill with #INC_METRICS_OPTIONS_INIT or
 * inc_metrics_options_init(). */
typedef struct inc_metrics_options {
    unsigned int version; /**< #INC_METRICS_OPTIONS_VERSION */
    inc_time from;        /**< Incidents declared at or after this, or #INC_TIME_NONE. */
    inc_time to;          /**< Incidents declared before this, or #INC_TIME_NONE. */
    inc_time now;         /**< When open action items are judged; #INC_TIME_NONE for
                               the context's clock. */
} inc_metrics_options;

/** @brief The current version of #inc_metrics_options. */
#define INC_METRICS_OPTIONS_VERSION 1
/** @brief Initializer for #inc_metrics_options: the whole store, now. */
#define INC_METRICS_OPTIONS_INIT                                                                   \
    {                                                                                              \
        INC_METRICS_OPTIONS_VERSION, INC_TIME_NONE, INC_TIME_NONE, INC_TIME_NONE                   \
    }

/**
 * @brief Fill @p opts with the defaults of #inc_metrics_options version @p version (what
 *        #INC_METRICS_OPTIONS_INIT gives), for callers that cannot use the macro (bindings).
 * @param[out] opts The struct to fill. Only the fields that version has are
 *        written: a caller built against an older version passes its own.
 * @param version #INC_METRICS_OPTIONS_VERSION, or an older version (1..current).
 * @return #INC_OK, #INC_EINVAL if @p opts is NULL, #INC_EVERSION if @p version
 *         is 0 or newer than this library.
 */
INC_API int inc_metrics_options_init(inc_metrics_options *opts, unsigned int version);

/** @brief Computed metrics (opaque). */
typedef struct inc_metrics inc_metrics;

/**
 * @brief Compute the metrics of the context's store (MET-1).
 *
 * The store is read once, incident by incident (linear in the number of
 * incidents). Over a journal, what the metrics need of each incident is
 * also kept in the journal's `SUMMARY` file, and an incident whose file has
 * not changed since is taken from there without reading its file (see
 * lib/docs/journal-format.md; inc_journal_stats() counts these). The result
 * is the same either way.
 * @param ctx The context.
 * @param opts Options, or NULL for the whole store.
 * @param[out] out Receives the metrics; free with inc_metrics_free().
 * @return #INC_OK, #INC_EINVAL (NULL arguments, @c from not before @c to),
 *         #INC_EVERSION, #INC_ENOMEM, or a store error (#INC_ECORRUPT,
 *         #INC_EIO); the message is on @p ctx.
 */
INC_API int inc_metrics_compute(inc_context *ctx, const inc_metrics_options *opts,
                                inc_metrics **out);

/**
 * @brief Free metrics.
 * @param m The metrics, or NULL (then nothing happens).
 */
INC_API void inc_metrics_free(inc_metrics *m);

/**
 * @brief The number of incidents of the set (drills left out).
 * @param m The metrics (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_metrics_incident_count(const inc_metrics *m);

/**
 * @brief The number of drills in the range, left out of every figure (DEC-4).
 * @param m The metrics (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_metrics_drill_count(const inc_metrics *m);

/**
 * @brief The number of duplicates in the range (LIFE-5): each is counted
 *        once, as its primary, and left out of every figure itself.
 * @param m The metrics (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_metrics_duplicate_count(const inc_metrics *m);

/**
 * @brief The number of levels listed: the context rubric's, then any other
 *        level the set's incidents have.
 * @param m The metrics (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_metrics_level_count(const inc_metrics *m);

/**
 * @brief One level of the set.
 * @param m The metrics.
 * @param level 0-based, below inc_metrics_level_count().
 * @param[out] incidents Receives how many incidents of the set are at that
 *        level (may be NULL).
 * @return The level's name (owned by @p m), or NULL if out of range.
 */
INC_API const char *inc_metrics_level(const inc_metrics *m, size_t level, size_t *incidents);

/** @brief For inc_metrics_get_stat(): every level together. */
#define INC_METRICS_ALL_LEVELS ((size_t)-1)

/** @brief One duration figure. */
typedef struct inc_metric_stat {
    size_t incidents;  /**< How many incidents it is over. */
    int64_t mean_ms;   /**< Mean (rounded toward zero), or #INC_DURATION_NONE when over none. */
    int64_t median_ms; /**< Median (the lower middle value), or #INC_DURATION_NONE. */
    int64_t min_ms;    /**< Shortest, or #INC_DURATION_NONE. */
    int64_t max_ms;    /**< Longest, or #INC_DURATION_NONE. */
} inc_metric_stat;

/**
 * @brief One duration figure over all levels or one level.
 * @param m The metrics.
 * @param metric Which metric.
 * @param level A level index, or #INC_METRICS_ALL_LEVELS.
 * @param[out] out Receives the figure.
 * @return #INC_OK, #INC_EINVAL (NULL arguments, bad metric), #INC_ENOTFOUND
 *         (level out of range).
 */
INC_API int inc_metrics_get_stat(const inc_metrics *m, inc_metric metric, size_t level,
                                 inc_metric_stat *out);

/** @brief Action items completed on time (MET-1, target > 90%). */
typedef struct inc_metrics_actions {
    size_t incidents; /**< Incidents of the set with at least one counted item. */
    size_t items;     /**< Items counted: on time + late. */
    size_t on_time;   /**< Done by their due date. */
    size_t late;      /**< Done after it, or open past it. */
    size_t pending;   /**< Open and not yet due (not counted). */
    size_t cancelled; /**< Cancelled (not counted). */
    double rate;      /**< on_time / items, or 0 when no item is counted. */
    int target_met;   /**< 1 when items > 0 and rate > 0.90. */
} inc_metrics_actions;

/**
 * @brief The action-item figure.
 * @param m The metrics.
 * @param[out] out Receives the figure.
 * @return #INC_OK, #INC_EINVAL for NULL arguments.
 */
INC_API int inc_metrics_get_actions(const inc_metrics *m, inc_metrics_actions *out);

/** @brief Recurrence by root-cause tag and by link (MET-1, LIFE-5, target < 10%). */
typedef struct inc_metrics_recurrence {
    size_t incidents; /**< Incidents of the set. */
    size_t tagged;    /**< Of them, with a root-cause tag or linked as a recurrence
                           (LIFE-5): what the rate is over. */
    size_t recurring; /**< Of those, with a tag an earlier incident had, or linked as
                           a recurrence of a closed incident. */
    size_t untagged;  /**< Without a tag or a recurrence link (not counted). */
    double rate;      /**< recurring / tagged, or 0 when none is tagged. */
    int target_met;   /**< 1 when tagged > 0 and rate < 0.10. */
} inc_metrics_recurrence;

/**
 * @brief The recurrence figure.
 * @param m The metrics.
 * @param[out] out Receives the figure.
 * @return #INC_OK, #INC_EINVAL for NULL arguments.
 */
INC_API int inc_metrics_get_recurrence(const inc_metrics *m, inc_metrics_recurrence *out);

/** @brief Reopenings after resolution (LIFE-4). */
typedef struct inc_metrics_reopens {
    size_t resolved; /**< Incidents of the set resolved at least once. */
    size_t reopened; /**< Of them, reopened at least once. */
    size_t reopens;  /**< Reopenings in all (an incident may be reopened more than once). */
    double rate;     /**< reopened / resolved, or 0 when none was resolved. */
} inc_metrics_reopens;

/**
 * @brief The reopen figure (LIFE-4). MTTR counts to an incident's final
 *        resolution: a reopened incident not resolved again has none.
 * @param m The metrics.
 * @param[out] out Receives the figure.
 * @return #INC_OK, #INC_EINVAL for NULL arguments.
 */
INC_API int inc_metrics_get_reopens(const inc_metrics *m, inc_metrics_reopens *out);

/**
 * @brief How many incidents of the set are linked as a recurrence of a
 *        closed incident (LIFE-5); each counts as recurring in
 *        inc_metrics_get_recurrence(), tagged or not.
 * @param m The metrics (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_metrics_recurrence_linked(const inc_metrics *m);

/**
 * @brief The number of root-cause tags among the set's incidents.
 * @param m The metrics (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_metrics_tag_count(const inc_metrics *m);

/**
 * @brief One root-cause tag, in order of first appearance in time.
 * @param m The metrics.
 * @param index 0-based, below inc_metrics_tag_count().
 * @param[out] incidents Receives how many incidents of the set have it (may be NULL).
 * @param[out] recurring Receives how many of them recur (may be NULL).
 * @return The tag (owned by @p m), or NULL if out of range.
 */
INC_API const char *inc_metrics_tag(const inc_metrics *m, size_t index, size_t *incidents,
                                    size_t *recurring);

/**
 * @brief The number of people who were paged.
 * @param m The metrics (NULL gives 0).
 * @return The count.
 */
INC_API size_t inc_metrics_person_count(const inc_metrics *m);

/**
 * @brief Pages per person, most paged first (then by name).
 * @param m The metrics.
 * @param index 0-based, below inc_metrics_person_count().
 * @param[out] pages Receives the pages sent to the person (may be NULL).
 * @param[out] incidents Receives the incidents they came from (may be NULL).
 * @return The person (owned by @p m), or NULL if out of range.
 */
INC_API const char *inc_metrics_person(const inc_metrics *m, size_t index, size_t *pages,
                                       size_t *incidents);

/**
 * @brief Render the metrics as text, each figure with the number of
 *        incidents it is over and, for the two with targets, whether the
 *        target is met.
 * @param m The metrics.
 * @param[out] out Receives the NUL-terminated text; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_metrics_render_text(const inc_metrics *m, char **out, size_t *len);

/**
 * @brief Render the metrics as JSON (field by field in lib/docs/postmortem.md).
 * @param m The metrics.
 * @param[out] out Receives the NUL-terminated JSON; free it with inc_free().
 * @param[out] len Receives its length (may be NULL).
 * @return #INC_OK, #INC_EINVAL, #INC_ENOMEM.
 */
INC_API int inc_metrics_render_json(const inc_metrics *m, char **out, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
