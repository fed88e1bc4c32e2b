/* Status names and messages, version, and the system clock. */
#include <time.h>

#include "incident/common.h"

struct status_info {
    int code;
    const char *name;
    const char *message;
};

/* Indexed by -code; the test checks every enumerator has an entry. */
static const struct status_info status_table[] = {
    {INC_OK, "INC_OK", "success"},
    {INC_ERROR, "INC_ERROR", "unspecified error"},
    {INC_ENOMEM, "INC_ENOMEM", "out of memory"},
    {INC_EINVAL, "INC_EINVAL", "invalid argument"},
    {INC_ENOTFOUND, "INC_ENOTFOUND", "not found"},
    {INC_EEXIST, "INC_EEXIST", "already exists"},
    {INC_ECONFLICT, "INC_ECONFLICT", "conflicting concurrent change; reload and retry"},
    {INC_EPERM, "INC_EPERM", "the actor lacks the authority"},
    {INC_EROLE, "INC_EROLE", "refused by a role rule"},
    {INC_ESTATE, "INC_ESTATE", "not allowed in the current lifecycle state"},
    {INC_ECORRUPT, "INC_ECORRUPT", "stored data is corrupt"},
    {INC_EIO, "INC_EIO", "input/output error"},
    {INC_ETOOBIG, "INC_ETOOBIG", "exceeds a size limit"},
    {INC_EPARSE, "INC_EPARSE", "malformed document"},
    {INC_EVERSION, "INC_EVERSION", "unknown version"},
    {INC_EREADONLY, "INC_EREADONLY", "store is read-only"},
    {INC_EUNSUPPORTED, "INC_EUNSUPPORTED", "operation not supported"},
    {INC_ELOCKED, "INC_ELOCKED", "lock could not be taken"},
};

static const struct status_info *find_status(int status)
{
    const int count = (int)(sizeof status_table / sizeof status_table[0]);
    if (status > 0 || status <= -count)
        return NULL;
    const struct status_info *s = &status_table[-status];
    return s->code == status ? s : NULL;
}

INC_API const char *inc_status_name(int status)
{
    const struct status_info *s = find_status(status);
    return s != NULL ? s->name : "INC_E?";
}

INC_API const char *inc_strerror(int status)
{
    const struct status_info *s = find_status(status);
    return s != NULL ? s->message : "unknown status code";
}

INC_API const char *inc_version(int *major, int *minor, int *patch)
{
    if (major != NULL)
        *major = INC_VERSION_MAJOR;
    if (minor != NULL)
        *minor = INC_VERSION_MINOR;
    if (patch != NULL)
        *patch = INC_VERSION_PATCH;
    return INC_VERSION_STRING;
}

INC_API inc_time inc_clock_system(void *user)
{
    (void)user;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (inc_time)ts.tv_sec * 1000 + (inc_time)(ts.tv_nsec / 1000000);
}
