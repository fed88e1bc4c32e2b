/* Fuzz target for the rubric text format (lib/docs/rubric-format.md).
 *
 * Any input either fails to parse with a consistent diagnostic, or parses
 * to a valid rubric (RUB-3) that survives write -> parse unchanged, with
 * the writer giving the same bytes twice (RUB-1, RUB-4). Anything else
 * aborts, which both libFuzzer and the standalone replay driver report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "incident/rubric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_failure(int rc, const inc_diag *d)
{
    /* The message is NUL-terminated, non-empty, and agrees with the code. */
    if (rc >= 0 || d->code != rc || memchr(d->message, '\0', sizeof d->message) == NULL ||
        d->message[0] == '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    inc_rubric *r = NULL, *back = NULL;
    inc_diag d;
    char *text = NULL, *again = NULL;
    size_t len = 0, len2 = 0;

    int rc = inc_rubric_parse(NULL, (const char *)data, size, &r, &d);
    if (rc != INC_OK) {
        check_failure(rc, &d);
        return 0;
    }
    if (d.code != INC_OK || inc_rubric_validate(r) != INC_OK)
        abort();
    if (inc_rubric_write(r, &text, &len) != INC_OK)
        abort();
    if (inc_rubric_parse(NULL, text, len, &back, &d) != INC_OK)
        abort();
    if (!inc_rubric_equal(r, back))
        abort();
    if (inc_rubric_write(back, &again, &len2) != INC_OK || len2 != len ||
        memcmp(text, again, len) != 0)
        abort();
    inc_free(again);
    inc_free(text);
    inc_rubric_free(back);
    inc_rubric_free(r);
    return 0;
}
