/* What the due-items subsystem offers the rest of the library: the sink
 * that due-item sources write drafts into, so that a subsystem with due
 * items of its own (the postmortem's PM-2 and PM-3, in after/) can be a
 * source without knowing the engine. The only header of lib/due/ that other
 * subsystems include (the core includes due_internal.h: the incident embeds
 * the due state). */
#ifndef INC_DUE_SERVICES_H
#define INC_DUE_SERVICES_H

#include "incident/due.h"

/* A due item before it is rendered: borrowed pointers into the incident
 * (its rubric, arena or state), valid until its next write. */
typedef struct inc__due_draft {
    inc_due_kind kind;
    const char *rule;
    inc_time due;
    const char *target; /* NULL: rendered from @arg */
    int64_t arg;        /* audience, comm kind, missing roles mask, clock index,
                           escalation position */
    int64_t arg2;       /* escalation: condition; staffing: people missing */
    int64_t span;       /* the duration the text quotes: threshold, target,
                           timeout, cadence, reminder */
    unsigned step, loop;
} inc__due_draft;

/* Where sources put drafts. With @min_only the sink keeps only the
 * earliest draft and lowers @limit to it, so a source may stop early. */
typedef struct inc__due_sink {
    inc_time limit; /* only drafts due at or before this */
    int min_only;
    int found;
    inc__due_draft best;
    inc__due_draft *all; /* collect mode */
    size_t count, cap;
    const inc_allocator *alloc;
    int failed; /* INC_ENOMEM in collect mode */
} inc__due_sink;

void inc__due_emit(inc__due_sink *sink, const inc__due_draft *d);

#endif
