/* The "key = value" text layer shared by the rubric and rotation formats:
 * quoting and escapes both ways, malformed quoted values, line splitting,
 * headers, comments and the line numbers in failures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "test_support.h"
#include "util/buf.h"
#include "util/kvtext.h"

#define VAL_MAX 64
#define PAIRS   8

/* What the callback saw: each key and its decoded value. */
struct seen {
    struct inc__kv kv;
    char val[VAL_MAX + 1];
    int count;
    char keys[PAIRS][16];
    char vals[PAIRS][VAL_MAX + 1];
    size_t lens[PAIRS];
    unsigned lines[PAIRS];
};

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || c == '.' || c == '-';
}

static int collect(void *user, struct inc__kv *kv, const char *vs, const char *ve)
{
    struct seen *s = user;
    int rc = inc__kv_decode(kv, vs, ve);
    if (rc != INC_OK)
        return rc;
    if (s->count == PAIRS)
        return inc__kv_fail(kv, INC_ETOOBIG, "too many pairs");
    snprintf(s->keys[s->count], sizeof s->keys[0], "%.*s", (int)kv->key_len, kv->key);
    memcpy(s->vals[s->count], kv->val, kv->val_len + 1);
    s->lens[s->count] = kv->val_len;
    s->lines[s->count] = kv->line;
    s->count++;
    return INC_OK;
}

static void seen_init(struct seen *s, inc_diag *diag, unsigned flags)
{
    memset(s, 0, sizeof *s);
    inc__kv_diag_init(diag);
    s->kv.diag = diag;
    s->kv.header = "test-format";
    s->kv.version = 1;
    s->kv.flags = flags;
    s->kv.key_char = key_char;
    s->kv.val = s->val;
    s->kv.val_max = VAL_MAX;
}

static int parse(struct seen *s, inc_diag *diag, unsigned flags, const char *text)
{
    seen_init(s, diag, flags);
    return inc__kv_parse(&s->kv, text, strlen(text), collect, s);
}

/* Parse @text and expect a failure with @code on @line whose message
 * starts with "line N: " and contains @words. */
static void expect_fail(const char *text, unsigned flags, int code, unsigned line,
                        const char *words)
{
    struct seen s;
    inc_diag d;
    char prefix[32];
    int rc = parse(&s, &d, flags, text);
    snprintf(prefix, sizeof prefix, "line %u: ", line);
    if (rc != code || d.code != code || d.line != line ||
        strncmp(d.message, prefix, strlen(prefix)) || !strstr(d.message, words))
        fail_msg("'%s': got %d line %u '%s'; want %d line %u '%s'", text, rc, d.line, d.message,
                 code, line, words);
}

static void test_quoting_round_trip(void **state)
{
    (void)state;
    static const char *const values[] = {
        "plain",    "two words", "",           " leading",    "trailing\t", "\"starts quoted",
        "in\"side", "back\\",    "a\nb\rc\td", "caf\xc3\xa9", "=#= # =",    "\\n literal"};
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        inc__buf b;
        inc__buf_init(&b, &a);
        inc__buf_puts(&b, "test-format 1\n");
        inc__kv_put(&b, "  ", "x.", "key", values[i]);
        assert_false(b.failed);
        struct seen s;
        inc_diag d;
        int rc = parse(&s, &d, 0, b.ptr);
        if (rc != INC_OK)
            fail_msg("value %zu: %s", i, d.message);
        assert_int_equal(s.count, 1);
        assert_string_equal(s.keys[0], "x.key");
        assert_int_equal(s.lens[0], strlen(values[i]));
        assert_string_equal(s.vals[0], values[i]);
        inc__buf_dispose(&b);
    }
    assert_int_equal(ta.live_blocks, 0);
}

/* Raw when the raw text reads back the same, quoted only when it would not. */
static void test_writer_quotes_only_when_needed(void **state)
{
    (void)state;
    static const struct {
        const char *value, *line;
    } cases[] = {
        {"plain", "k = plain\n"},
        {"", "k =\n"},
        {"in \"side\" \\", "k = in \"side\" \\\n"},
        {" lead", "k = \" lead\"\n"},
        {"trail ", "k = \"trail \"\n"},
        {"\"q", "k = \"\\\"q\"\n"},
        {"a\\b\"c\nd\re\tf", "k = \"a\\\\b\\\"c\\nd\\re\\tf\"\n"},
        /* DEL is quoted though no value holds it (the setters refuse it). */
        {"d\x7f", "k = \"d\x7f\"\n"},
    };
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        inc__buf b;
        inc__buf_init(&b, &a);
        inc__kv_put(&b, "", "", "k", cases[i].value);
        assert_string_equal(b.ptr, cases[i].line);
        inc__buf_clear(&b);
        inc__kv_put_value(&b, cases[i].value);
        /* The value alone is the line without "k = " and "\n". */
        size_t n = cases[i].value[0] ? strlen(cases[i].line) - 5 : 0;
        assert_int_equal(b.len, n);
        assert_memory_equal(b.ptr, cases[i].line + 4, n);
        inc__buf_dispose(&b);
    }
    assert_int_equal(ta.live_blocks, 0);
}

static void test_every_escape_is_read(void **state)
{
    (void)state;
    struct seen s;
    inc_diag d;
    assert_int_equal(parse(&s, &d, 0,
                           "test-format 1\n"
                           "a = \"\\\\\"\nb = \"\\\"\"\nc = \"\\n\"\nd = \"\\r\"\ne = \"\\t\"\n"
                           "f = \"x\\ty\\\\z\"  \t\n"),
                     INC_OK);
    assert_int_equal(s.count, 6);
    assert_string_equal(s.vals[0], "\\");
    assert_string_equal(s.vals[1], "\"");
    assert_string_equal(s.vals[2], "\n");
    assert_string_equal(s.vals[3], "\r");
    assert_string_equal(s.vals[4], "\t");
    assert_string_equal(s.vals[5], "x\ty\\z");
    /* Unquoted, a backslash is only a byte and trailing blanks go. */
    assert_int_equal(parse(&s, &d, 0, "test-format 1\nk =   a\\nb  \t\n"), INC_OK);
    assert_string_equal(s.vals[0], "a\\nb");
}

static void test_malformed_quoted_values(void **state)
{
    (void)state;
    const char *h = "test-format 1\n";
    char t[128];
#define CASE(value, flags, code, words)                                                            \
    do {                                                                                           \
        snprintf(t, sizeof t, "%sk = %s\n", h, value);                                             \
        expect_fail(t, flags, code, 2, words);                                                     \
    } while (0)
    CASE("\"open", 0, INC_EPARSE, "k: missing closing quote");
    CASE("\"ends in a backslash\\", 0, INC_EPARSE, "k: missing closing quote");
    CASE("\"done\" more", 0, INC_EPARSE, "k: text after the closing quote");
    CASE("\"a\\qb\"", 0, INC_EPARSE, "k: unknown escape (use \\\\ \\\" \\n \\r \\t)");
    CASE("\"a\\qb\"", INC__KV_NAME_BAD_ESCAPE, INC_EPARSE, "k: unknown escape '\\q' (use");
    CASE("\"a\\\xc3\xa9\"", INC__KV_NAME_BAD_ESCAPE, INC_EPARSE, "unknown escape '\\?'");
#undef CASE
    /* The value buffer holds VAL_MAX bytes, raw or unescaped. */
    char big[VAL_MAX + 8];
    memset(big, 'v', VAL_MAX);
    big[VAL_MAX] = '\0';
    snprintf(t, sizeof t, "%sk = %s\n", h, big);
    struct seen s;
    inc_diag d;
    assert_int_equal(parse(&s, &d, 0, t), INC_OK);
    assert_int_equal(s.lens[0], VAL_MAX);
    snprintf(t, sizeof t, "%sk = %sv\n", h, big);
    expect_fail(t, 0, INC_ETOOBIG, 2, "k: value is longer than 64 bytes");
    snprintf(t, sizeof t, "%sk = \"%s\\n\"\n", h, big);
    expect_fail(t, 0, INC_ETOOBIG, 2, "k: value is longer than 64 bytes");
}

static void test_lines_comments_and_crlf(void **state)
{
    (void)state;
    struct seen s;
    inc_diag d;
    assert_int_equal(parse(&s, &d, 0,
                           "\n  # comment\r\ntest-format 1\r\n\n\t# another\nfirst=1\r\n"
                           "   second.key\t=\t  two  \n\nthird = # not a comment"),
                     INC_OK);
    assert_int_equal(s.count, 3);
    assert_string_equal(s.keys[0], "first");
    assert_string_equal(s.vals[0], "1");
    assert_int_equal(s.lines[0], 6);
    assert_string_equal(s.keys[1], "second.key");
    assert_string_equal(s.vals[1], "two");
    assert_int_equal(s.lines[1], 7);
    assert_string_equal(s.vals[2], "# not a comment");
    assert_int_equal(s.lines[2], 9);
    assert_int_equal(inc__kv_check_end(&s.kv, 1), INC_OK);
}

static void test_failures_name_line_and_offset(void **state)
{
    (void)state;
    expect_fail("test-format 1\nok = 1\nnot a pair\n", 0, INC_EPARSE, 3,
                "expected 'key = value', found 'not a pair'");
    expect_fail("test-format 1\n= 1\n", 0, INC_EPARSE, 2, "expected 'key = value'");
    expect_fail("test-format 1\nUPPER = 1\n", 0, INC_EPARSE, 2, "found 'UPPER = 1'");
    expect_fail("test-format 1\r\n\r\nk = a\x01z\r\n", 0, INC_EPARSE, 3,
                "control character 0x01 at column 6");
    expect_fail("test-format 1\nk = \x7f\n", 0, INC_EPARSE, 2, "control character 0x7f");
    expect_fail("test-format 1\nk = a\rb\n", 0, INC_EPARSE, 2, "control character 0x0d");
    expect_fail("test-format 1\n\nk = \xc3(\n", 0, INC_EINVAL, 3, "not valid UTF-8");
    expect_fail("# c\nother-format 1\n", 0, INC_EPARSE, 2, "expected the header 'test-format 1'");
    expect_fail("test-format\n", 0, INC_EPARSE, 1, "expected the header");
    expect_fail("test-format 2\n", 0, INC_EVERSION, 1,
                "format version '2' is not supported (this build reads 1)");
    expect_fail("test-format  12 \n", 0, INC_EVERSION, 1, "version '12'");

    /* The offset is where the failing line starts. */
    struct seen s;
    inc_diag d;
    assert_int_equal(parse(&s, &d, 0, "test-format 1\nk = 1\n  bad\n"), INC_EPARSE);
    assert_int_equal(d.offset, strlen("test-format 1\nk = 1\n"));

    /* Unknown keys are the format's call, with the shared message. */
    seen_init(&s, &d, 0);
    s.kv.line = 4;
    s.kv.key = "colour.of.the.thing.that.is.named.with.a.very.long.key";
    s.kv.key_len = strlen(s.kv.key);
    assert_int_equal(inc__kv_unknown_key(&s.kv), INC_EPARSE);
    assert_string_equal(d.message,
                        "line 4: unknown key 'colour.of.the.thing.that.is.named.with.a'");
}

static void test_end_checks_and_line_zero(void **state)
{
    (void)state;
    struct seen s;
    inc_diag d;
    assert_int_equal(parse(&s, &d, 0, "# only a comment\n"), INC_OK);
    assert_int_equal(inc__kv_check_end(&s.kv, 0), INC_EPARSE);
    assert_string_equal(d.message, "line 1: no header (expected 'test-format 1')");
    assert_int_equal(parse(&s, &d, 0, ""), INC_OK);
    assert_int_equal(inc__kv_check_end(&s.kv, 1), INC_EPARSE);
    assert_string_equal(d.message, "no header (expected 'test-format 1')");
    assert_int_equal(d.line, 0);
    assert_int_equal(parse(&s, &d, 0, "test-format 1\n"), INC_OK);
    assert_int_equal(inc__kv_check_end(&s.kv, 0), INC_EPARSE);
    assert_string_equal(d.message, "line 1: missing key 'name'");

    /* Too large an input fails before any line, so without a line. */
    seen_init(&s, &d, 0);
    assert_int_equal(inc__kv_parse(&s.kv, "", INC__KV_INPUT_MAX + 1, collect, &s), INC_ETOOBIG);
    assert_int_equal(d.line, 0);
    assert_non_null(strstr(d.message, "larger than 1 MiB"));
    assert_int_equal(strncmp(d.message, "input of", 8), 0);

    /* Without a diagnostic, only the code comes back. */
    seen_init(&s, NULL, 0);
    assert_int_equal(inc__kv_parse(&s.kv, "nope\n", 5, collect, &s), INC_EPARSE);
}

static void test_parse_uint(void **state)
{
    (void)state;
    unsigned v = 7;
    assert_int_equal(inc__kv_parse_uint("0", 1, 0, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(inc__kv_parse_uint("999999999", 9, 999999999, &v), 0);
    assert_int_equal(v, 999999999);
    assert_int_equal(inc__kv_parse_uint("1234", 2, 99, &v), 0);
    assert_int_equal(v, 12);
    v = 7;
    assert_int_equal(inc__kv_parse_uint("1000000000", 10, 4000000000u, &v), -1);
    assert_int_equal(inc__kv_parse_uint("", 0, 10, &v), -1);
    assert_int_equal(inc__kv_parse_uint("1a", 2, 10, &v), -1);
    assert_int_equal(inc__kv_parse_uint("-1", 2, 10, &v), -1);
    assert_int_equal(inc__kv_parse_uint("11", 2, 10, &v), -1);
    assert_int_equal(v, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting_round_trip),
        cmocka_unit_test(test_writer_quotes_only_when_needed),
        cmocka_unit_test(test_every_escape_is_read),
        cmocka_unit_test(test_malformed_quoted_values),
        cmocka_unit_test(test_lines_comments_and_crlf),
        cmocka_unit_test(test_failures_name_line_and_offset),
        cmocka_unit_test(test_end_checks_and_line_zero),
        cmocka_unit_test(test_parse_uint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
