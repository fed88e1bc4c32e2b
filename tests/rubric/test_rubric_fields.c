/* RUB-6, first part: custom fields declared in the rubric text format
 * (lib/docs/rubric-format.md, "Custom fields"): every type parses, the
 * writer gives the canonical form and parses back to an equal rubric, dup
 * and equal see the fields, and every bad declaration is refused with its
 * line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "test_support.h"

#define HDR    "libincident-rubric 1\nname = t\n"
#define LEVELS "level = SEV1\nlevel = SEV2\n"

static inc_rubric *parse_ok(const char *text)
{
    inc_rubric *r = NULL;
    inc_diag d;
    int rc = inc_rubric_parse(NULL, text, strlen(text), &r, &d);
    if (rc != INC_OK)
        fail_msg("parse failed (%s): %s", inc_status_name(rc), d.message);
    return r;
}

static char *write_text(const inc_rubric *r)
{
    char *t = NULL;
    assert_int_equal(inc_rubric_write(r, &t, NULL), INC_OK);
    return t;
}

static void test_RUB_6_every_type_roundtrips(void **state)
{
    (void)state;
    inc_rubric *r = parse_ok(HDR "field = customer text\n"
                                 "field  =   tickets\t number  \n"
                                 "field = region one-of eu,us,ap-south.1 required-to-close\n"
                                 "field = started date\n"
                                 "field = owner person required-from SEV2\n" LEVELS);
    char *t = write_text(r);
    assert_non_null(strstr(t, "name = t\n"
                              "field = customer text\n"
                              "field = tickets number\n"
                              "field = region one-of eu,us,ap-south.1 required-to-close\n"
                              "field = started date\n"
                              "field = owner person required-from SEV2\n"
                              "\nlevel = SEV1\n"));
    inc_rubric *back = parse_ok(t), *copy = NULL;
    assert_true(inc_rubric_equal(r, back));
    char *t2 = write_text(back);
    assert_string_equal(t, t2);
    assert_int_equal(inc_rubric_dup(r, &copy), INC_OK);
    assert_true(inc_rubric_equal(r, copy));
    inc_free(t);
    inc_free(t2);
    inc_rubric_free(back);
    inc_rubric_free(copy);
    inc_rubric_free(r);
}

static void test_RUB_6_equal_sees_the_fields(void **state)
{
    (void)state;
    inc_rubric *none = parse_ok(HDR LEVELS);
    inc_rubric *a = parse_ok(HDR "field = region one-of eu,us\n" LEVELS);
    inc_rubric *b = parse_ok(HDR "field = region one-of eu,us,ap\n" LEVELS);
    inc_rubric *c = parse_ok(HDR "field = region one-of eu,us required-to-close\n" LEVELS);
    inc_rubric *d = parse_ok(HDR "field = region text\n" LEVELS);
    assert_false(inc_rubric_equal(none, a));
    assert_false(inc_rubric_equal(a, b));
    assert_false(inc_rubric_equal(a, c));
    assert_false(inc_rubric_equal(a, d));
    assert_true(inc_rubric_equal(a, a));
    inc_rubric_free(none);
    inc_rubric_free(a);
    inc_rubric_free(b);
    inc_rubric_free(c);
    inc_rubric_free(d);
}

struct bad_case {
    const char *text;
    unsigned line;
    const char *message; /* a part of the message */
};

static const struct bad_case bad_cases[] = {
    {"libincident-rubric 1\nfield = a text\nname = t\n" LEVELS, 2,
     "'field' comes after 'name' and before the first level"},
    {HDR LEVELS "field = a text\n", 5, "'field' comes after 'name' and before the first level"},
    {HDR "field =\n" LEVELS, 3, "a name of 1..32 bytes comes first"},
    {HDR "field = Region text\n" LEVELS, 3, "field 'Region': a name is made of a-z"},
    {HDR "field = abcdefghijabcdefghijabcdefghijabc text\n" LEVELS, 3, "a name of 1..32 bytes"},
    {HDR "field = a text\nfield = a number\n" LEVELS, 4, "field 'a' is declared twice"},
    {HDR "field = a\n" LEVELS, 3, "field 'a': a type follows the name"},
    {HDR "field = a maybe\n" LEVELS, 3, "field 'a': 'maybe' is not a type"},
    {HDR "field = a one-of\n" LEVELS, 3, "field 'a': one-of needs its values"},
    {HDR "field = a one-of eu,,us\n" LEVELS, 3, "field 'a': an empty value in the list"},
    {HDR "field = a one-of eu,us,\n" LEVELS, 3, "field 'a': an empty value in the list"},
    {HDR "field = a one-of ,eu\n" LEVELS, 3, "field 'a': an empty value in the list"},
    {HDR "field = a one-of eu,us,eu\n" LEVELS, 3, "field 'a': value 'eu' is listed twice"},
    {HDR "field = a one-of e\"u\n" LEVELS, 3, "field 'a': a value is made of letters"},
    {HDR "field = a text required\n" LEVELS, 3,
     "field 'a': 'required' is not required-to-close or required-from LEVEL"},
    {HDR "field = a text required-from\n" LEVELS, 3, "field 'a': required-from needs a level"},
    {HDR "field = a text required-to-close now\n" LEVELS, 3, "field 'a': unexpected 'now'"},
    {HDR "field = a text\nfield = b date required-from SEV9\n" LEVELS, 4,
     "field 'b': required-from names no level ('SEV9')"},
};

static void test_RUB_6_bad_declarations_refused_with_line(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        inc_rubric *r = NULL;
        inc_diag d;
        int rc = inc_rubric_parse(NULL, c->text, strlen(c->text), &r, &d);
        if (rc != INC_EPARSE || d.line != c->line || !strstr(d.message, c->message))
            fail_msg("case %zu: got %s line %u '%s', expected line %u '%s'", i, inc_status_name(rc),
                     d.line, d.message, c->line, c->message);
        assert_null(r);
        char prefix[32];
        snprintf(prefix, sizeof prefix, "line %u: ", c->line);
        assert_true(strncmp(d.message, prefix, strlen(prefix)) == 0);
    }
}

static void test_RUB_6_at_most_16_fields(void **state)
{
    (void)state;
    char text[2048];
    size_t n = (size_t)snprintf(text, sizeof text, "%s", HDR);
    for (int i = 0; i < 17; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "field = f%d text\n", i);
    snprintf(text + n, sizeof text - n, "%s", LEVELS);
    inc_rubric *r = NULL;
    inc_diag d;
    assert_int_equal(inc_rubric_parse(NULL, text, strlen(text), &r, &d), INC_EPARSE);
    assert_int_equal(d.line, 19);
    assert_non_null(strstr(d.message, "more than 16 fields"));
    /* Sixteen are fine. */
    text[n - strlen("field = f16 text\n")] = '\0';
    strcat(text, LEVELS);
    inc_rubric_free(parse_ok(text));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_RUB_6_every_type_roundtrips),
        cmocka_unit_test(test_RUB_6_equal_sees_the_fields),
        cmocka_unit_test(test_RUB_6_bad_declarations_refused_with_line),
        cmocka_unit_test(test_RUB_6_at_most_16_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
