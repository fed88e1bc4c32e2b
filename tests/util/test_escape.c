/* util/escape.h: what a terminal would act on is shown, escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/escape.h"

static void check(const char *in, size_t len, const char *cont, const char *want)
{
    inc__buf b;
    inc__buf_init(&b, NULL);
    inc__buf_put_escaped(&b, in, len, cont);
    inc__buf_putc(&b, '\0');
    assert_string_equal(b.ptr, want);
    inc__buf_dispose(&b);
}

#define CHECK(in, cont, want) check(in, sizeof(in) - 1, cont, want)

static void test_controls_and_bidi_are_shown(void **state)
{
    (void)state;
    CHECK("plain text, caf\xc3\xa9", NULL, "plain text, caf\xc3\xa9");
    CHECK("a\x1b[2Jb", NULL, "a\\x1b[2Jb");                      /* ESC: no screen clearing */
    CHECK("a\rforged", NULL, "a\\x0dforged");                    /* CR: no overwritten line */
    CHECK("a\0b", NULL, "a\\x00b");                              /* NUL */
    CHECK("x\xe2\x80\xaey", NULL, "x\\u202ey");                  /* U+202E RIGHT-TO-LEFT OVERRIDE */
    CHECK("\xe2\x81\xa6i\xe2\x81\xa9", NULL, "\\u2066i\\u2069"); /* isolates */
    CHECK("c1\xc2\x9b[31m", NULL, "c1\\u009b[31m");              /* C1 CSI */
    CHECK("del\x7f", NULL, "del\\x7f");
    CHECK("bad\xff", NULL, "bad\\xff"); /* not UTF-8 */
    CHECK("tab\tok", NULL, "tab\tok");
}

static void test_line_breaks_are_marked(void **state)
{
    (void)state;
    CHECK("one\ntwo", NULL, "one\\ntwo");
    CHECK("one\n   2  2026-01-01 forged", "    | ", "one\n    |    2  2026-01-01 forged");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls_and_bidi_are_shown),
        cmocka_unit_test(test_line_breaks_are_marked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
