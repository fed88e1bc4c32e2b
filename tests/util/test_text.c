/* UTF-8 validation, input checks, ASCII helpers and slugs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "util/error.h"
#include "util/text.h"

#define VALID(s) inc__utf8_valid((s), sizeof(s) - 1)

static void test_utf8_accepts_well_formed(void **state)
{
    (void)state;
    assert_true(VALID(""));
    assert_true(VALID("plain ascii"));
    assert_true(VALID("caf\xC3\xA9"));       /* U+00E9 */
    assert_true(VALID("\xE2\x82\xAC"));      /* U+20AC */
    assert_true(VALID("\xF0\x9F\x94\xA5"));  /* U+1F525 */
    assert_true(VALID("\xED\x9F\xBF"));      /* U+D7FF, just below surrogates */
    assert_true(VALID("\xEE\x80\x80"));      /* U+E000, just above */
    assert_true(VALID("\xF4\x8F\xBF\xBF"));  /* U+10FFFF */
    assert_true(VALID("\xC2\x80"));          /* U+0080, smallest 2-byte */
    assert_true(VALID("\xE0\xA0\x80"));      /* U+0800, smallest 3-byte */
    assert_true(VALID("\xF0\x90\x80\x80"));  /* U+10000, smallest 4-byte */
    assert_true(inc__utf8_valid("a\0b", 3)); /* NUL is a valid code point */
}

static void test_utf8_rejects_malformed(void **state)
{
    (void)state;
    assert_false(VALID("\xC0\x80"));         /* overlong NUL */
    assert_false(VALID("\xC1\xBF"));         /* overlong */
    assert_false(VALID("\xE0\x9F\xBF"));     /* overlong 3-byte */
    assert_false(VALID("\xF0\x8F\xBF\xBF")); /* overlong 4-byte */
    assert_false(VALID("\xED\xA0\x80"));     /* U+D800 surrogate */
    assert_false(VALID("\xED\xBF\xBF"));     /* U+DFFF surrogate */
    assert_false(VALID("\xF4\x90\x80\x80")); /* U+110000 */
    assert_false(VALID("\xF5\x80\x80\x80"));
    assert_false(VALID("\xFF"));
    assert_false(VALID("\x80"));         /* lone continuation */
    assert_false(VALID("ab\xC3"));       /* cut short */
    assert_false(VALID("\xE2\x82"));     /* cut short */
    assert_false(VALID("\xE2\x28\xA1")); /* bad continuation */
    /* The length bound is respected: the cut sequence is outside. */
    assert_true(inc__utf8_valid("ab\xC3\xA9", 2));
    assert_false(inc__utf8_valid("ab\xC3\xA9", 3));
    assert_int_equal(inc__utf8_seq_len("\xC3\xA9", 2), 2);
    assert_int_equal(inc__utf8_seq_len("\xC3\xA9", 1), 0);
    assert_int_equal(inc__utf8_seq_len("\xF0\x9F\x94\xA5", 4), 4);
}

static void test_check_text_messages(void **state)
{
    (void)state;
    inc_error err;
    inc__error_clear(&err);
    assert_int_equal(inc__check_text(&err, "title", "Disk full", 256, INC__TEXT_SINGLE_LINE),
                     INC_OK);

    assert_int_equal(inc__check_text(&err, "title", "bad \xC3(", 256, 0), INC_EINVAL);
    assert_string_equal(err.msg, "title: not valid UTF-8");
    assert_int_equal(err.code, INC_EINVAL);

    assert_int_equal(inc__check_text(&err, "declarer", "", 64, 0), INC_EINVAL);
    assert_string_equal(err.msg, "declarer: must not be empty");

    assert_int_equal(inc__check_text(&err, "declarer", NULL, 64, 0), INC_EINVAL);
    assert_string_equal(err.msg, "declarer: must not be NULL");

    char long_title[300];
    memset(long_title, 'x', 257);
    long_title[257] = '\0';
    assert_int_equal(inc__check_text(&err, "title", long_title, 256, 0), INC_ETOOBIG);
    assert_string_equal(err.msg, "title: longer than 256 bytes");
    long_title[256] = '\0';
    assert_int_equal(inc__check_text(&err, "title", long_title, 256, 0), INC_OK);
}

static void test_check_text_control_characters(void **state)
{
    (void)state;
    inc_error err;
    inc__error_clear(&err);
    const int one = INC__TEXT_SINGLE_LINE;
    assert_int_equal(inc__check_text(&err, "name", "a\nb", 64, one), INC_EINVAL);
    assert_string_equal(err.msg, "name: control character at byte 1");
    assert_int_equal(inc__check_text(&err, "name", "tab\there", 64, one), INC_EINVAL);
    assert_int_equal(inc__check_text(&err, "name", "del\x7f", 64, one), INC_EINVAL);
    assert_int_equal(inc__check_text(&err, "name", "c1\xC2\x85", 64, one), INC_EINVAL);
    /* Multi-line text allows newline, CR and tab, but no other control. */
    assert_int_equal(inc__check_text(&err, "note", "line1\r\nline2\tx", 64, 0), INC_OK);
    assert_int_equal(inc__check_text(&err, "note", "bell\a", 64, 0), INC_EINVAL);
    assert_string_equal(err.msg, "note: control character at byte 4");
    /* U+00A0 starts with 0xC2 but is not a control. */
    assert_int_equal(inc__check_text(&err, "name", "nb\xC2\xA0sp", 64, one), INC_OK);
}

/* The one check behind inc__check_text() and the event codec: the first
 * problem and its byte, through the word-at-a-time path and the byte path. */
static void test_text_problem_names_the_byte(void **state)
{
    const char *long_ok = "a long line of printable ASCII text, forty bytes";
    size_t at = 99;
    (void)state;
    assert_null(inc__text_problem(long_ok, strlen(long_ok), INC__TEXT_SINGLE_LINE, &at));
    assert_ptr_equal(inc__text_problem("0123456789abc\x1b", 14, 0, &at), inc__text_bad_control);
    assert_int_equal(at, 13);
    assert_ptr_equal(inc__text_problem("01234567\x7f", 9, 0, &at), inc__text_bad_control);
    assert_int_equal(at, 8);
    assert_ptr_equal(inc__text_problem("ab\xc2\x85", 4, 0, &at), inc__text_bad_control);
    assert_int_equal(at, 2);
    assert_ptr_equal(inc__text_problem("abcdefgh\xff", 9, 0, &at), inc__text_bad_utf8);
    assert_int_equal(at, 8);
    assert_ptr_equal(inc__text_problem("a\0b", 3, 0, &at), inc__text_bad_control);
    assert_int_equal(at, 1);
    assert_null(inc__text_problem("line\r\nnext\tcol", 14, 0, &at));
    assert_ptr_equal(inc__text_problem("line\r\nnext\tcol", 14, INC__TEXT_SINGLE_LINE, &at),
                     inc__text_bad_control);
    assert_int_equal(at, 4);
    assert_null(inc__text_problem("caf\xc3\xa9 \xe2\x80\xae ok", 12, INC__TEXT_SINGLE_LINE, &at));
}

static void test_check_text_optional(void **state)
{
    (void)state;
    inc_error err;
    inc__error_clear(&err);
    assert_int_equal(inc__check_text(&err, "summary", NULL, 10, INC__TEXT_OPTIONAL), INC_OK);
    assert_int_equal(inc__check_text(&err, "summary", "", 10, INC__TEXT_OPTIONAL), INC_OK);
    assert_int_equal(inc__check_text(&err, "summary", "01234567890", 10, INC__TEXT_OPTIONAL),
                     INC_ETOOBIG);
    /* A NULL error sink still gets the code. */
    assert_int_equal(inc__check_text(NULL, "x", "", 10, 0), INC_EINVAL);
}

static void test_ascii_case(void **state)
{
    (void)state;
    assert_int_equal(inc__ascii_casecmp("Commander", "COMMANDER"), 0);
    assert_true(inc__ascii_casecmp("abc", "abd") < 0);
    assert_true(inc__ascii_casecmp("abd", "ABC") > 0);
    assert_true(inc__ascii_casecmp("ab", "abc") < 0);
    assert_int_equal(inc__ascii_ncasecmp("SEV1-x", "sev1-y", 5), 0);
    assert_true(inc__ascii_ncasecmp("SEV1-x", "sev1-y", 6) < 0);
    /* Non-ASCII bytes compare as themselves. */
    assert_true(inc__ascii_casecmp("\xC3\x89", "\xC3\xA9") != 0);
    assert_int_equal(inc__ascii_lower('Q'), 'q');
    assert_int_equal(inc__ascii_lower('7'), '7');
}

static void test_slugify(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(inc__slugify("Database is DOWN!", out, sizeof out, 40), 16);
    assert_string_equal(out, "database-is-down");
    inc__slugify("  --Leading and trailing--  ", out, sizeof out, 40);
    assert_string_equal(out, "leading-and-trailing");
    inc__slugify("Caf\xC3\xA9 fire", out, sizeof out, 40);
    assert_string_equal(out, "caf-fire");
    assert_int_equal(inc__slugify("!!!", out, sizeof out, 40), 0);
    assert_string_equal(out, "");
    /* Cut at a word boundary when the limit falls inside a word. */
    inc__slugify("checkout service latency", out, sizeof out, 20);
    assert_string_equal(out, "checkout-service");
    /* Limit falling right at a boundary keeps the whole word. */
    inc__slugify("checkout service latency", out, sizeof out, 16);
    assert_string_equal(out, "checkout-service");
    /* One long word is cut hard. */
    inc__slugify("supercalifragilistic", out, sizeof out, 5);
    assert_string_equal(out, "super");
    /* The output size bounds it as well as max_len. */
    char small[4];
    assert_int_equal(inc__slugify("abcdef", small, sizeof small, 40), 3);
    assert_string_equal(small, "abc");
}

static void test_name_index(void **state)
{
    static const char *const names[] = {"declared", "investigating", "closed"};
    unsigned i = 99;
    (void)state;
    assert_int_equal(inc__name_index(names, 3, "Investigating", &i), INC_OK);
    assert_int_equal(i, 1);
    assert_int_equal(inc__name_index(names, 3, "CLOSED", &i), INC_OK);
    assert_int_equal(i, 2);
    i = 99;
    assert_int_equal(inc__name_index(names, 3, "close", &i), INC_ENOTFOUND);
    assert_int_equal(inc__name_index(names, 2, "closed", &i), INC_ENOTFOUND); /* past @count */
    assert_int_equal(i, 99);
    assert_int_equal(inc__name_index(names, 3, NULL, &i), INC_EINVAL);
    assert_int_equal(inc__name_index(names, 3, "closed", NULL), INC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_accepts_well_formed),
        cmocka_unit_test(test_utf8_rejects_malformed),
        cmocka_unit_test(test_check_text_messages),
        cmocka_unit_test(test_check_text_control_characters),
        cmocka_unit_test(test_text_problem_names_the_byte),
        cmocka_unit_test(test_check_text_optional),
        cmocka_unit_test(test_ascii_case),
        cmocka_unit_test(test_slugify),
        cmocka_unit_test(test_name_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
