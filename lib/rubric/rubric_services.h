/* What the rubric subsystem offers the rest of the library beyond the
 * public API: a rubric's error record, for calls of other subsystems that
 * take a rubric (the ONC-2 ladder of oncall/), and taking back an
 * escalation step, so that such a call adding several steps adds all or
 * none. The only header of lib/rubric/ that other folders include. */
#ifndef INC_RUBRIC_SERVICES_H
#define INC_RUBRIC_SERVICES_H

#include "incident/rubric.h"
#include "util/error.h"

/* The longest duration a rubric holds: 100 years, in milliseconds. */
#define INC__DURATION_MAX (36525LL * 24 * 60 * 60 * 1000)

/* The error record of @r (never NULL for a non-NULL @r). */
inc_error *inc__rubric_err(inc_rubric *r);

/* Remove the last escalation step of @level with this time and target, if
 * there is one (the undo of inc_rubric_add_escalation()). */
void inc__rubric_drop_escalation(inc_rubric *r, size_t level, int64_t after_ms, const char *target);

#endif
