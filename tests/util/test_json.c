/* JSON writer and strict parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "test_support.h"
#include "util/json.h"

/* Parse @text expecting failure with @code at @offset. */
static void expect_fail(const char *text, int code, size_t offset)
{
    inc__json *v = NULL;
    inc_diag d;
    int rc = inc__json_parse(NULL, text, strlen(text), &v, &d);
    if (rc != code || d.offset != offset)
        print_error("input %s: rc %d offset %zu msg %s\n", text, rc, d.offset, d.message);
    assert_int_equal(rc, code);
    assert_int_equal(d.code, code);
    assert_int_equal(d.offset, offset);
    assert_null(v);
    assert_non_null(strstr(d.message, "offset"));
}

static inc__json *parse_ok(const char *text)
{
    inc__json *v = NULL;
    inc_diag d;
    int rc = inc__json_parse(NULL, text, strlen(text), &v, &d);
    if (rc != INC_OK)
        print_error("input %s: %s\n", text, d.message);
    assert_int_equal(rc, INC_OK);
    assert_non_null(v);
    return v;
}

static void test_parse_document(void **state)
{
    (void)state;
    inc__json *v = parse_ok(" {\"name\": \"SEV1\", \"n\": -42, \"f\": 1.5e3, \"ok\": true,"
                            " \"no\": false, \"nil\": null, \"list\": [1, [], {}, \"x\"]} ");
    assert_int_equal(v->type, INC__JSON_OBJECT);
    assert_int_equal(v->count, 7);
    assert_string_equal(v->keys[0], "name");
    const inc__json *name = inc__json_get(v, "name");
    assert_int_equal(name->type, INC__JSON_STRING);
    assert_string_equal(name->str, "SEV1");
    assert_int_equal(name->str_len, 4);
    assert_int_equal(name->offset, 10);
    const inc__json *n = inc__json_get(v, "n");
    assert_int_equal(n->type, INC__JSON_NUMBER);
    assert_true(n->is_int);
    assert_int_equal(n->integer, -42);
    const inc__json *f = inc__json_get(v, "f");
    assert_false(f->is_int);
    assert_string_equal(f->str, "1.5e3");
    assert_int_equal(inc__json_get(v, "ok")->boolean, 1);
    assert_int_equal(inc__json_get(v, "no")->type, INC__JSON_BOOL);
    assert_int_equal(inc__json_get(v, "no")->boolean, 0);
    assert_int_equal(inc__json_get(v, "nil")->type, INC__JSON_NULL);
    const inc__json *list = inc__json_get(v, "list");
    assert_int_equal(list->type, INC__JSON_ARRAY);
    assert_int_equal(list->count, 4);
    assert_int_equal(list->items[1]->type, INC__JSON_ARRAY);
    assert_int_equal(list->items[1]->count, 0);
    assert_int_equal(list->items[2]->type, INC__JSON_OBJECT);
    assert_null(inc__json_get(v, "missing"));
    assert_null(inc__json_get(list, "name")); /* not an object */
    inc__json_free(NULL, v);

    v = parse_ok("\"scalar at top\"");
    assert_string_equal(v->str, "scalar at top");
    inc__json_free(NULL, v);
}

static void test_numbers(void **state)
{
    (void)state;
    inc__json *v = parse_ok("[0, -0, 9223372036854775807, -9223372036854775808,"
                            " 9223372036854775808, 1E+2, 0.5, -1e-7]");
    assert_true(v->items[0]->is_int);
    assert_int_equal(v->items[0]->integer, 0);
    assert_true(v->items[1]->is_int);
    assert_true(v->items[2]->is_int);
    assert_true(v->items[2]->integer == INT64_MAX);
    assert_true(v->items[3]->is_int);
    assert_true(v->items[3]->integer == INT64_MIN);
    assert_false(v->items[4]->is_int); /* too big: kept as text only */
    assert_string_equal(v->items[4]->str, "9223372036854775808");
    for (size_t i = 5; i < 8; i++)
        assert_false(v->items[i]->is_int);
    inc__json_free(NULL, v);

    expect_fail("01", INC_EPARSE, 1);
    expect_fail("-", INC_EPARSE, 1);
    expect_fail("1.", INC_EPARSE, 2);
    expect_fail("1e", INC_EPARSE, 2);
    expect_fail(".5", INC_EPARSE, 0);
    expect_fail("+1", INC_EPARSE, 0);
    expect_fail("[1,]", INC_EPARSE, 3);
    expect_fail("NaN", INC_EPARSE, 0);
}

static void test_string_escapes(void **state)
{
    (void)state;
    inc__json *v = parse_ok("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\udd25\"");
    assert_string_equal(v->str, "a\"b\\c/d\b\f\n\r\t\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\xA5");
    assert_int_equal(v->str_len, strlen(v->str));
    inc__json_free(NULL, v);
    /* Raw UTF-8 passes through. */
    v = parse_ok("\"caf\xC3\xA9 \xF0\x9F\x94\xA5\"");
    assert_string_equal(v->str, "caf\xC3\xA9 \xF0\x9F\x94\xA5");
    inc__json_free(NULL, v);
}

static void test_string_errors(void **state)
{
    (void)state;
    expect_fail("\"abc", INC_EPARSE, 4);
    expect_fail("\"a\\x\"", INC_EPARSE, 2);
    expect_fail("\"ab\\u12\"", INC_EPARSE, 3);
    expect_fail("\"\\u0000\"", INC_EPARSE, 1);
    expect_fail("\"x\\ud83d\"", INC_EPARSE, 2);        /* lone high surrogate */
    expect_fail("\"x\\ud83d\\u0041\"", INC_EPARSE, 2); /* high + non-low */
    expect_fail("\"\\udd25\"", INC_EPARSE, 1);         /* lone low surrogate */
    expect_fail("\"tab\there\"", INC_EPARSE, 4);       /* raw control char */
    expect_fail("\"ab\xC3(\"", INC_EPARSE, 3);         /* bad UTF-8, exact byte */
    expect_fail("\"\xED\xA0\x80\"", INC_EPARSE, 1);    /* encoded surrogate */
    expect_fail("\"\xC0\x80\"", INC_EPARSE, 1);        /* overlong */
}

static void test_duplicate_keys_rejected(void **state)
{
    (void)state;
    inc_diag d;
    inc__json *v = NULL;
    const char *t = "{\"a\": 1, \"b\": 2, \"a\": 3}";
    assert_int_equal(inc__json_parse(NULL, t, strlen(t), &v, &d), INC_EPARSE);
    assert_int_equal(d.offset, 17);
    assert_non_null(strstr(d.message, "duplicate key \"a\""));
    /* Keys that differ only after an escape are the same key. */
    expect_fail("{\"\\u0061\": 1, \"a\": 2}", INC_EPARSE, 14);
    /* Large objects use a map for the check: both cases must be caught. */
    char big[4096];
    size_t n = 0;
    n += (size_t)snprintf(big + n, sizeof big - n, "{");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "\"k%d\": %d,", i, i);
    size_t dup_at = n;
    n += (size_t)snprintf(big + n, sizeof big - n, "\"k57\": 0}");
    expect_fail(big, INC_EPARSE, dup_at);
    big[dup_at + 2] = '9'; /* "k97" is a duplicate too */
    expect_fail(big, INC_EPARSE, dup_at);
    big[dup_at + 1] = 'z'; /* "z97" is new */
    v = parse_ok(big);
    assert_int_equal(v->count, 101);
    assert_int_equal(inc__json_get(v, "k99")->integer, 99);
    inc__json_free(NULL, v);
}

static void test_depth_limit(void **state)
{
    (void)state;
    char deep[2 * INC__JSON_MAX_DEPTH + 3];
    size_t d = INC__JSON_MAX_DEPTH;
    memset(deep, '[', d);
    memset(deep + d, ']', d);
    deep[2 * d] = '\0';
    inc__json *v = parse_ok(deep);
    inc__json_free(NULL, v);
    memset(deep, '[', d + 1);
    memset(deep + d + 1, ']', d + 1);
    deep[2 * d + 2] = '\0';
    expect_fail(deep, INC_ETOOBIG, d);
}

static void test_structure_errors(void **state)
{
    (void)state;
    expect_fail("", INC_EPARSE, 0);
    expect_fail("   ", INC_EPARSE, 3);
    expect_fail("{", INC_EPARSE, 1);
    expect_fail("{\"a\" 1}", INC_EPARSE, 5);
    expect_fail("{\"a\": 1 \"b\": 2}", INC_EPARSE, 8);
    expect_fail("{a: 1}", INC_EPARSE, 1);
    expect_fail("[1 2]", INC_EPARSE, 3);
    expect_fail("[1, 2", INC_EPARSE, 5);
    expect_fail("tru", INC_EPARSE, 0);
    expect_fail("true false", INC_EPARSE, 5);
    expect_fail("{} x", INC_EPARSE, 3);
    expect_fail("\xEF\xBB\xBF{}", INC_EPARSE, 0);
    /* The diagnostic names the line too. */
    inc_diag d;
    inc__json *v = NULL;
    const char *t = "{\n  \"a\": 1,\n  \"b\": ?\n}";
    assert_int_equal(inc__json_parse(NULL, t, strlen(t), &v, &d), INC_EPARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.offset, 19);
    assert_string_equal(d.message, "JSON: unexpected character at offset 19 (line 3)");
    /* Length is respected: a NUL inside the given length is an error. */
    assert_int_equal(inc__json_parse(NULL, "[1]\0", 4, &v, NULL), INC_EPARSE);
    assert_int_equal(inc__json_parse(NULL, "[1]xyz", 3, &v, NULL), INC_OK);
    inc__json_free(NULL, v);
}

static void test_writer_round_trip(void **state)
{
    (void)state;
    inc__buf b;
    inc__buf_init(&b, NULL);
    const char *s = "quote\" back\\ nl\n cr\r tab\t bell\a del\x7f caf\xC3\xA9";
    inc__buf_putc(&b, '[');
    inc__json_put_str(&b, s);
    inc__buf_putc(&b, ',');
    inc__json_put_i64(&b, INT64_MIN);
    inc__buf_putc(&b, ',');
    inc__json_put_u64(&b, UINT64_MAX);
    inc__buf_putc(&b, ',');
    inc__json_put_bool(&b, 1);
    inc__buf_putc(&b, ',');
    inc__json_put_strn(&b, "ab\0cd", 2);
    inc__buf_putc(&b, ',');
    inc__json_put_strn(&b, NULL, 0); /* an empty string from a NULL buffer (UBSan) */
    inc__buf_putc(&b, ']');
    assert_int_equal(b.failed, INC_OK);
    assert_non_null(strstr(b.ptr, "\\u0007"));
    assert_non_null(strstr(b.ptr, "\\\""));
    assert_non_null(strstr(b.ptr, "\\n"));
    inc__json *v = parse_ok(b.ptr);
    assert_string_equal(v->items[0]->str, s);
    assert_true(v->items[1]->integer == INT64_MIN);
    assert_string_equal(v->items[2]->str, "18446744073709551615");
    assert_true(v->items[3]->boolean);
    assert_string_equal(v->items[4]->str, "ab");
    inc__json_free(NULL, v);
    inc__buf_dispose(&b);
}

static void test_allocation_failures_leak_nothing(void **state)
{
    (void)state;
    const char *t = "{\"a\": [1, 2.5, \"x\\u00e9\", {\"b\": null}], \"c\": \"d\", "
                    "\"e\": [[[]]], \"f\": true}";
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    int succeeded = 0;
    for (unsigned long n = 1; n < 200 && !succeeded; n++) {
        inc_test_alloc_arm(&ta, n, 0);
        inc__json *v = NULL;
        inc_diag d;
        int rc = inc__json_parse(&a, t, strlen(t), &v, &d);
        if (rc == INC_OK) {
            succeeded = ta.failures == 0;
            inc__json_free(&a, v);
        } else {
            assert_int_equal(rc, INC_ENOMEM);
            assert_int_equal(d.code, INC_ENOMEM);
            assert_null(v);
        }
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(succeeded);
}

/* ---- limits and streaming ---- */

struct seen_items {
    int count;
    int64_t sum;
    int root_had_a; /* the root's earlier member was visible to on_item */
    int stop_at;    /* return INC_ECORRUPT on this item (1-based), 0: never */
    const inc_allocator *a;
};

static int on_item(void *user, const inc__json *root, inc__json *item)
{
    struct seen_items *s = user;
    s->count++;
    s->sum += item->type == INC__JSON_NUMBER ? item->integer : 100;
    s->root_had_a = inc__json_get(root, "a") != NULL;
    inc__json_free(s->a, item);
    return s->count == s->stop_at ? INC_ECORRUPT : INC_OK;
}

/* The items of the named array of the root object are handed over one by
 * one and not kept; an array of that name deeper down is not streamed; a
 * status from on_item stops the parse and is returned as it is. */
static void test_stream_one_array(void **state)
{
    (void)state;
    const char *t = "{\"a\": 1, \"events\": [1, 2, {\"events\": [7]}, 3], \"z\": [4]}";
    struct seen_items seen = {0, 0, 0, 0, NULL};
    inc__json_limits lim = {0, "events", on_item, &seen};
    inc__json *v = NULL;
    inc_diag d;
    assert_int_equal(inc__json_parse_limited(NULL, t, strlen(t), &lim, &v, &d), INC_OK);
    assert_int_equal(seen.count, 4);
    assert_int_equal(seen.sum, 1 + 2 + 100 + 3);
    assert_true(seen.root_had_a);
    assert_int_equal(inc__json_get(v, "events")->count, 0);
    assert_int_equal(inc__json_get(v, "z")->count, 1);
    inc__json_free(NULL, v);

    memset(&seen, 0, sizeof(seen));
    seen.stop_at = 2;
    v = NULL;
    assert_int_equal(inc__json_parse_limited(NULL, t, strlen(t), &lim, &v, &d), INC_ECORRUPT);
    assert_int_equal(seen.count, 2);
    assert_null(v);
}

/* A tree that would need more than max_tree bytes is refused with
 * INC_ETOOBIG before the memory is taken; streamed items do not count once
 * handed over, so a long streamed array fits a small limit. */
static void test_tree_limit(void **state)
{
    (void)state;
    char doc[8192];
    size_t n = 0;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    struct seen_items seen = {0, 0, 0, 0, &a};
    inc__json_limits lim = {2048, NULL, NULL, NULL};
    inc__json *v = NULL;
    inc_diag d;

    n += (size_t)snprintf(doc + n, sizeof doc - n, "{\"events\": [");
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "%s%d", i ? "," : "", i);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "]}");
    assert_int_equal(inc__json_parse_limited(&a, doc, n, &lim, &v, &d), INC_ETOOBIG);
    assert_int_equal(d.code, INC_ETOOBIG);
    assert_non_null(strstr(d.message, "2048 bytes"));
    assert_null(v);
    assert_true(ta.peak_bytes <= 2048);
    assert_int_equal(ta.live_blocks, 0);

    lim.stream_key = "events";
    lim.on_item = on_item;
    lim.user = &seen;
    ta.peak_bytes = 0;
    assert_int_equal(inc__json_parse_limited(&a, doc, n, &lim, &v, &d), INC_OK);
    assert_int_equal(seen.count, 1000);
    assert_true(ta.peak_bytes <= 2048);
    inc__json_free(&a, v);
    assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_document),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_duplicate_keys_rejected),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_writer_round_trip),
        cmocka_unit_test(test_allocation_failures_leak_nothing),
        cmocka_unit_test(test_stream_one_array),
        cmocka_unit_test(test_tree_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
