/* The names of the response roles (ROLE-1) and of the combination rules
 * (ROLE-3..ROLE-9). The short names are stable: the rubric text format and
 * the timeline store them, so they never change once released. */
#include "incident/roles.h"

#include "util/text.h"

static const char *const role_names[INC_ROLE_COUNT] = {
    "ic", "deputy", "scribe", "sme", "comms", "liaison", "sponsor", "legal", "pr",
};

static const char *const role_titles[INC_ROLE_COUNT] = {
    "Incident Commander",
    "Deputy Incident Commander",
    "Scribe",
    "Subject Matter Expert",
    "Communications Lead",
    "Internal Liaison",
    "Executive Sponsor",
    "Legal Counsel",
    "PR Principal",
};

static const char *const combo_names[] = {"allowed", "never", "report-long", "report-overdue"};

/* Enum values arrive from callers and FFI as plain integers: compare as
 * unsigned so a negative value is out of range too. */
INC_API const char *inc_role_name(inc_role role)
{
    return (unsigned)role < INC_ROLE_COUNT ? role_names[role] : NULL;
}

INC_API const char *inc_role_title(inc_role role)
{
    return (unsigned)role < INC_ROLE_COUNT ? role_titles[role] : NULL;
}

INC_API int inc_role_from_name(const char *name, inc_role *out)
{
    unsigned i;
    int rc = inc__name_index(role_names, INC_ROLE_COUNT, name, out ? &i : NULL);
    if (rc == INC_OK)
        *out = (inc_role)i;
    return rc;
}

INC_API const char *inc_combo_name(inc_combo combo)
{
    return (unsigned)combo < sizeof combo_names / sizeof combo_names[0] ? combo_names[combo] : NULL;
}
