/* Every public function that takes text with a length (rather than a C
 * string) refuses a NUL byte in it: the text would otherwise be cut at the
 * NUL somewhere downstream (stored, hashed or compared as a C string), and
 * what was read would not be what was kept (issue 16: "abc\0def" stored as
 * "abc"). Raw NULs and JSON's \u0000 escape both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"

/* A literal's length, its NUL terminator excluded. */
#define LEN(lit) (sizeof(lit) - 1)

static void test_rubric_text_with_nul_is_refused(void **state)
{
    static const char text[] = "libincident-rubric 1\nname = a\0b\n";
    inc_rubric *r = NULL;
    inc_diag d;
    (void)state;
    memset(&d, 0, sizeof(d));
    assert_int_equal(inc_rubric_parse(NULL, text, LEN(text), &r, &d), INC_EPARSE);
    assert_null(r);
    assert_non_null(strstr(d.message, "0x00"));
}

static void test_rotation_text_with_nul_is_refused(void **state)
{
    static const char text[] = "rotation a\0b\n";
    inc_context *ctx = NULL;
    inc_rotation *rot = NULL;
    inc_diag d;
    (void)state;
    memset(&d, 0, sizeof(d));
    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    assert_int_not_equal(inc_rotation_parse(ctx, text, LEN(text), &rot, &d), INC_OK);
    assert_null(rot);
    assert_non_null(strstr(d.message, "0x00"));
    inc_context_free(ctx);
}

static void test_json_inputs_with_nul_are_refused(void **state)
{
    static const char raw[] = "{\"conditions\":\"a\0b\",\"actions\":\"x\",\"needs\":\"none\"}";
    static const char esc[] = "{\"conditions\":\"a\\u0000b\",\"actions\":\"x\",\"needs\":\"none\"}";
    static const char doc[] = "{\"format\":\"libincident.incident\",\"version\":1,\"id\":\"a\0b\","
                              "\"events\":[]}";
    char *c = NULL, *a = NULL, *n = NULL;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL;
    inc_diag d;
    (void)state;
    assert_int_equal(inc_can_from_dispatch_json(raw, LEN(raw), NULL, &c, &a, &n, &d), INC_EPARSE);
    assert_int_equal(inc_can_from_dispatch_json(esc, LEN(esc), NULL, &c, &a, &n, &d), INC_EPARSE);
    assert_null(c);
    assert_int_equal(inc_context_new(NULL, &ctx), INC_OK);
    assert_int_equal(inc_incident_import_json(ctx, doc, LEN(doc), &inc, &d), INC_EPARSE);
    assert_null(inc);
    inc_context_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rubric_text_with_nul_is_refused),
        cmocka_unit_test(test_rotation_text_with_nul_is_refused),
        cmocka_unit_test(test_json_inputs_with_nul_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
