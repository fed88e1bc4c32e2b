/* Struct versions: the one check and the one copy for every versioned struct
 * of the public API (policy: lib/docs/versioning.md).
 *
 * A versioned struct starts with `unsigned int version`. Each struct has one
 * inc__vstruct: its defaults (the INC_*_INIT macro) and the size a caller
 * built against each version has (sizes[v - 1]; the table's length is the
 * current version). Versions 1..current are accepted; 0 and anything newer
 * are refused with INC_EVERSION. A caller built against an older version has
 * a shorter struct: the library reads and writes only the bytes that version
 * had, and the newer fields take their defaults. */
#ifndef INC_UTIL_VERSION_H
#define INC_UTIL_VERSION_H

#include <stddef.h>

#include "incident/common.h"

typedef struct inc__vstruct {
    const char *name;     /* for messages: "declare options" */
    const void *defaults; /* the current version's defaults, or NULL for zeros */
    const size_t *sizes;  /* sizes[v - 1]: the bytes of version v */
    unsigned int current; /* the number of entries of sizes */
    size_t size;          /* sizeof the current struct */
} inc__vstruct;

/* The size of a version of `type` whose last field is `field`: what to list
 * in the sizes when a later version appends fields. */
#define INC__VERSION_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Defines `static const inc__vstruct var` for `type`, whose current version
 * is `version`, with defaults `defaults_ptr` and one size per version (the
 * last is sizeof(type)). Fails to compile when the sizes do not list every
 * version, so bumping a *_VERSION forces a row for the new one. */
#define INC__VSTRUCT(var, type, label, defaults_ptr, version, ...)                                 \
    static const size_t var##_sizes[] = {__VA_ARGS__};                                             \
    _Static_assert(sizeof(var##_sizes) / sizeof(var##_sizes[0]) == (version),                      \
                   #type ": one size per version");                                                \
    static const inc__vstruct var = {label, defaults_ptr, var##_sizes, (version), sizeof(type)}

/* 1 if a caller's @version is one this build knows: 1..@current. */
int inc__version_ok(unsigned int version, unsigned int current);

/* inc_*_init(): fill the first sizes[@version - 1] bytes of @out with the
 * defaults and set its version to @version; bytes past that are untouched (a
 * caller built against that version has no more). Returns INC_OK, INC_EINVAL
 * (@out NULL) or INC_EVERSION. */
int inc__vstruct_init(const inc__vstruct *vs, void *out, unsigned int version);

/* A struct the caller fills: @out (vs->size bytes) receives the defaults,
 * then the bytes of @in's version, then version = current, so the library
 * reads a full current struct. @in NULL means the defaults. Returns INC_OK or
 * INC_EVERSION, described in @err when it is not NULL. */
int inc__vstruct_read(const inc__vstruct *vs, void *out, const void *in, inc_error *err);

/* A struct the library fills: copy from @full (a current struct) only the
 * bytes of the version @out says it has, keeping that version. Returns
 * INC_OK or INC_EVERSION (then @out is unchanged). */
int inc__vstruct_write(const inc__vstruct *vs, void *out, const void *full);

#endif
