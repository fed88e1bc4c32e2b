/* The per-handle error record: a code and a fixed-size message, so that
 * reporting a failure (even ENOMEM) never allocates. */
#ifndef INC_UTIL_ERROR_H
#define INC_UTIL_ERROR_H

#include <stdarg.h>
#include "incident/common.h"

#define INC__ERRMSG_MAX 256

struct inc_error {
    int code;
    char msg[INC__ERRMSG_MAX];
};

void inc__error_clear(inc_error *err);
/* Same as inc_error_set() with a va_list. */
int inc__error_vset(inc_error *err, int code, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 0)))
#endif
    ;
/* Copy code and message from @src into @dst; returns the code. */
int inc__error_copy(inc_error *dst, const inc_error *src);
/* Report ENOMEM without allocating. */
int inc__error_oom(inc_error *err);
/* Fill @diag (may be NULL: then only the code is returned) with @code, the
 * line (0 when the input has none), the byte offset and a message; returns
 * @code. */
int inc__diag_set(inc_diag *diag, int code, unsigned line, size_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Same as inc__diag_set() with a va_list. */
int inc__diag_vset(inc_diag *diag, int code, unsigned line, size_t offset, const char *fmt,
                   va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 0)))
#endif
    ;

#endif
