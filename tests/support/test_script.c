#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_script.h"

/* One run; returns the step that failed, or -1 when the script completed. */
static int play(const struct inc_test_script *s, unsigned long fail_at, int fail_rest)
{
    int i, rc;
    s->reset(s->run);
    inc_test_alloc_arm(s->ta, fail_at, fail_rest);
    for (i = 0;; i++) {
        size_t before = s->shape(s->run);
        rc = s->step(s->run, i);
        if (rc == INC_TEST_SCRIPT_END)
            return -1;
        if (rc != INC_OK) {
            inc_test_alloc_arm(s->ta, 0, 0);
            if (rc != INC_ENOMEM)
                fail_msg("step %d with allocation %lu failing: %s (%s)", i, fail_at,
                         inc_status_name(rc), s->errmsg(s->run));
            assert_int_equal(s->shape(s->run), before);
            return i;
        }
    }
}

unsigned long inc_test_script_count(const struct inc_test_script *s, char *expected, size_t size)
{
    unsigned long calls;
    assert_int_equal(play(s, 0, 0), -1);
    calls = s->ta->calls;
    snprintf(expected, size, "%s", s->result(s->run));
    return calls;
}

void inc_test_script_sweep(const struct inc_test_script *s, unsigned long total,
                           const char *expected)
{
    unsigned long n;
    int mode;
    for (mode = 1; mode >= 0; mode--) {
        for (n = 1; n <= total; n++) {
            int failed = play(s, n, mode);
            inc_test_alloc_arm(s->ta, 0, 0);
            if (mode == 1)
                assert_true(failed >= 0); /* a persistent failure always surfaces */
            if (failed < 0)
                assert_string_equal(s->result(s->run), expected);
            s->cleanup(s->run);
            if (s->ta->live_blocks != 0)
                fail_msg("leak: %zu blocks after failing allocation %lu (mode %d)",
                         s->ta->live_blocks, n, mode);
        }
    }
}
