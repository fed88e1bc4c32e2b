/* The per-handle error record. Messages are formatted into a fixed array so
 * that reporting never allocates. */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

void inc__error_clear(inc_error *err)
{
    if (err == NULL)
        return;
    err->code = INC_OK;
    err->msg[0] = '\0';
}

int inc__error_vset(inc_error *err, int code, const char *fmt, va_list ap)
{
    if (err == NULL)
        return code;
    err->code = code;
    if (fmt == NULL) {
        err->msg[0] = '\0';
        return code;
    }
    /* vsnprintf truncates; a negative return (encoding error) leaves junk. */
    if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) < 0)
        err->msg[0] = '\0';
    return code;
}

INC_API int inc_error_set(inc_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = inc__error_vset(err, code, fmt, ap);
    va_end(ap);
    return rc;
}

int inc__error_copy(inc_error *dst, const inc_error *src)
{
    if (src == NULL)
        return INC_OK;
    if (dst != NULL && dst != src) {
        dst->code = src->code;
        memcpy(dst->msg, src->msg, sizeof dst->msg);
        dst->msg[sizeof dst->msg - 1] = '\0';
    }
    return src->code;
}

int inc__error_oom(inc_error *err)
{
    if (err == NULL)
        return INC_ENOMEM;
    err->code = INC_ENOMEM;
    memcpy(err->msg, "out of memory", sizeof "out of memory");
    return INC_ENOMEM;
}

int inc__diag_vset(inc_diag *diag, int code, unsigned line, size_t offset, const char *fmt,
                   va_list ap)
{
    if (!diag)
        return code;
    diag->code = code;
    diag->line = line;
    diag->offset = offset;
    if (vsnprintf(diag->message, sizeof(diag->message), fmt, ap) < 0)
        diag->message[0] = '\0';
    return code;
}

int inc__diag_set(inc_diag *diag, int code, unsigned line, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    inc__diag_vset(diag, code, line, offset, fmt, ap);
    va_end(ap);
    return code;
}
