/* The metrics object (MET-1), shared by metrics.c (computing) and
 * metrics_render.c (reading and rendering). */
#ifndef INC_METRICS_INTERNAL_H
#define INC_METRICS_INTERNAL_H

#include "incident/metrics.h"
#include "util/map.h"

/* Durations of one metric at one level (or all). */
typedef struct inc__series {
    int64_t *v;
    size_t n, cap;
} inc__series;

/* Interned names: index by name (map value = index + 1) and name by index. */
typedef struct inc__names {
    inc__map map;
    char **v;
    size_t n, cap;
} inc__names;

/* A tagged incident of the store, for recurrence. */
typedef struct inc__tagged {
    inc_time declared_at;
    size_t tag;
    int in_set;
    int linked; /* LIFE-5: linked as a recurrence */
} inc__tagged;

struct inc_metrics {
    inc_allocator alloc;
    inc_time from, to, now;
    size_t incidents, drills;
    /* Levels: counts and durations (level_series[level * INC_METRIC_COUNT + metric]). */
    inc__names levels;
    size_t *level_incidents;
    inc__series *level_series;
    size_t level_cap;
    inc__series all[INC_METRIC_COUNT];
    inc_metric_stat all_stat[INC_METRIC_COUNT];
    inc_metric_stat *level_stat;
    /* Action items. */
    inc_metrics_actions actions;
    /* Recurrence. */
    inc__names tags;
    inc__tagged *tagged;
    size_t tagged_n, tagged_cap;
    size_t tagged_in_set, recurring, untagged;
    size_t linked, linked_untagged; /* LIFE-5: recurrence links (of them, untagged) */
    size_t duplicates;              /* LIFE-5: counted with their primary */
    size_t *tag_incidents, *tag_recurring, *tag_order, tag_shown;
    /* Reopenings (LIFE-4). */
    size_t ever_resolved, reopened, reopens;
    /* Pages per person. */
    inc__names people;
    size_t *person_pages, *person_incidents, *person_order;
    size_t people_cap, pages, paged_incidents;
};

#endif
