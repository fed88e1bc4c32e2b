/* Building findings lists (include/incident/findings.h). Every check of the
 * library fills a list through these: start from inc__finding_init(), set
 * the fields that apply, and add it with a formatted message. */
#ifndef INC_FINDINGS_INTERNAL_H
#define INC_FINDINGS_INTERNAL_H

#include "incident/findings.h"

/* A new empty list using a copy of @a (so the list may outlive the handle
 * the check ran on). INC_OK or INC_ENOMEM. */
int inc__findings_new(const inc_allocator *a, inc_findings **out);

/* A finding with every field "unused": no level, no people, no roles,
 * since = INC_TIME_NONE, slot = -1. */
void inc__finding_init(inc_finding *f, const char *rule_id);
/* Append @person / @role to the finding (ignored once two are set). */
void inc__finding_person(inc_finding *f, const char *person);
void inc__finding_role(inc_finding *f, inc_role role);

/* Copy @f into @list with the message formatted from @fmt. Strings (rule id,
 * level, people, message) are copied. INC_OK or INC_ENOMEM (list unchanged). */
int inc__findings_add(inc_findings *list, const inc_finding *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
