/* What the on-call subsystem offers the rest of the library: resolving
 * escalation targets through the context's rotations (ONC-2), which the due
 * items and the page records call, and releasing the context's on-call
 * state. The only header of lib/oncall/ that other folders include. */
#ifndef INC_ONCALL_SERVICES_H
#define INC_ONCALL_SERVICES_H

#include "incident/context.h"
#include "util/buf.h"

/* Resolve comma-separated @targets at @t and append the people,
 * comma-separated and each once, to @out (nothing when none resolves).
 * INC_OK or INC_ENOMEM (the buffer's failed flag). Called by the due items
 * and the page records (ONC-2). */
int inc__oncall_resolve(inc_context *ctx, const char *targets, inc_time t, inc__buf *out);

/* Free the context's on-call state (called by inc_context_free()). */
void inc__oncall_free(inc_context *ctx);

#endif
