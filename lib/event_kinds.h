/* One row per event kind: everything the library knows about a kind, in
 * one place (lib/event_kinds.c; the rule is written in lib/docs/events.md,
 * "Adding an event kind"). The encoder and the decoder take the kind's
 * name and required fields from here, the apply path its prepare and commit
 * functions, the timeline its describe function. */
#ifndef INC_EVENT_KINDS_H
#define INC_EVENT_KINDS_H

#include "event.h"

struct inc_incident;
struct inc__prep;

/* The bit of @tag in an event's present mask or a row's required mask. */
#define INC__TAG_BIT(tag) ((uint64_t)1 << (tag))

typedef struct inc__event_kind {
    /* Stable name: in exports, timelines and the bindings. */
    const char *name;
    /* A bit per tag (INC__TAG_BIT) every event of the kind carries; the
     * actor is required of every kind and so is not listed. A tag's type is
     * the tag's own (inc__field_info_get), one per tag for all kinds. */
    uint64_t required;
    /* prepare checks the event against the state and allocates what commit
     * needs, changing nothing; commit applies it and cannot fail. */
    int (*prepare)(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
    void (*commit)(struct inc_incident *inc, const inc__event *ev, struct inc__prep *prep);
    /* Appends the event's timeline line (without the time and actor). */
    void (*describe)(inc__buf *b, const inc__event *ev);
} inc__event_kind;

/* The row of @kind, or NULL when the kind is not known to this build. */
const inc__event_kind *inc__event_kind_row(int kind);
/* One past the highest kind number the table has a row for. */
int inc__event_kind_end(void);

#endif
