/* Struct versions: accept 1..current, copy only what the caller's version has. */
#include "util/version.h"

#include <string.h>

int inc__version_ok(unsigned int version, unsigned int current)
{
    return version >= 1 && version <= current;
}

static unsigned int version_of(const void *s)
{
    unsigned int v;
    memcpy(&v, s, sizeof(v));
    return v;
}

static void set_version(void *s, unsigned int v)
{
    memcpy(s, &v, sizeof(v));
}

static void fill_defaults(const inc__vstruct *vs, void *out, size_t n)
{
    if (vs->defaults)
        memcpy(out, vs->defaults, n);
    else
        memset(out, 0, n);
}

int inc__vstruct_init(const inc__vstruct *vs, void *out, unsigned int version)
{
    if (!out)
        return INC_EINVAL;
    if (!inc__version_ok(version, vs->current))
        return INC_EVERSION;
    fill_defaults(vs, out, vs->sizes[version - 1]);
    set_version(out, version);
    return INC_OK;
}

int inc__vstruct_read(const inc__vstruct *vs, void *out, const void *in, inc_error *err)
{
    unsigned int v;
    fill_defaults(vs, out, vs->size);
    set_version(out, vs->current);
    if (!in)
        return INC_OK;
    v = version_of(in);
    if (!inc__version_ok(v, vs->current))
        return err ? inc_error_set(err, INC_EVERSION,
                                   "%s: unknown version %u (this build knows 1..%u)", vs->name, v,
                                   vs->current)
                   : INC_EVERSION;
    memcpy(out, in, vs->sizes[v - 1]);
    set_version(out, vs->current);
    return INC_OK;
}

int inc__vstruct_write(const inc__vstruct *vs, void *out, const void *full)
{
    unsigned int v = version_of(out);
    if (!inc__version_ok(v, vs->current))
        return INC_EVERSION;
    memcpy(out, full, vs->sizes[v - 1]);
    set_version(out, v);
    return INC_OK;
}
