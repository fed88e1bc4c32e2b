/* LIFE-1: the lifecycle's allowed moves, one table for checks and replay. */
#ifndef INC_LIFECYCLE_H
#define INC_LIFECYCLE_H

#include "incident/incident.h"

/* 1 if moving from @from to @to is allowed: one step forward, or back from
 * monitoring to mitigating. */
int inc__state_move_allowed(inc_state from, int64_t to);

/* 1 if a reopening (LIFE-4) may go back to @to: investigating or mitigating. */
int inc__reopen_target_allowed(int64_t to);

#endif
