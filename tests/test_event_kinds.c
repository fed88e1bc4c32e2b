/* The table of event kinds (lib/event_kinds.c): every row is complete, and
 * the encoder and the decoder hold every event to the same checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "event_kinds.h"
#include "incident_internal.h"

/* A draft with the actor and every field @kind requires, each set to a
 * value of its type. */
static void full_draft(inc__event_draft *d, int kind)
{
    const inc__event_kind *row = inc__event_kind_row(kind);
    int tag;
    inc__draft_init(d, kind, "alice");
    for (tag = 1; tag < INC__F_COUNT; tag++) {
        const inc__field_info *fi = inc__field_info_get(tag);
        if (!((row->required >> tag) & 1u))
            continue;
        assert_non_null(fi); /* a row requires only tags that exist */
        if (fi->type == INC__FT_STR)
            inc__draft_str(d, tag, "x");
        else
            inc__draft_int(d, tag, 1);
    }
}

static void drop(inc__event_draft *d, int tag)
{
    d->present &= ~INC__TAG_BIT(tag);
}

static void test_every_kind_has_a_complete_row(void **state)
{
    int kind;
    (void)state;
    assert_true(inc__event_kind_end() > INC_EV_REOPENED);
    assert_null(inc__event_kind_row(0));
    assert_null(inc__event_kind_row(inc__event_kind_end()));
    for (kind = 1; kind < inc__event_kind_end(); kind++) {
        const inc__event_kind *row = inc__event_kind_row(kind);
        assert_non_null(row); /* no gaps: every number up to the last is a kind */
        assert_non_null(row->name);
        assert_true(row->name[0] != '\0');
        assert_int_equal(inc__event_kind_by_name(row->name), kind); /* the name round-trips */
        assert_string_equal(inc_event_kind_name((inc_event_kind)kind), row->name);
        assert_non_null(row->prepare);
        assert_non_null(row->commit);
        assert_non_null(row->describe);
        assert_int_equal(row->required & 1u, 0); /* tag 0 does not exist */
    }
}

static void test_every_kind_describes_itself_in_one_line(void **state)
{
    int kind;
    (void)state;
    for (kind = 1; kind < inc__event_kind_end(); kind++) {
        inc__event_draft d;
        inc__event ev;
        inc__buf bytes, line;
        full_draft(&d, kind);
        inc__buf_init(&bytes, NULL);
        inc__buf_init(&line, NULL);
        assert_int_equal(inc__event_encode(&d, 2, 0, NULL, &bytes, NULL), INC_OK);
        assert_int_equal(inc__event_decode(bytes.ptr, bytes.len, &ev, NULL), INC_OK);
        assert_int_equal(ev.kind, kind);
        inc__event_kind_row(kind)->describe(&line, &ev);
        assert_true(line.len > 0);
        assert_null(memchr(line.ptr, '\n', line.len));
        inc__buf_dispose(&bytes);
        inc__buf_dispose(&line);
    }
}

/* Each required field, the actor among them: an event without it is
 * refused by the encoder (INC_EINVAL) and, forged, by the decoder
 * (INC_ECORRUPT), both naming the field. */
static void test_required_fields_are_enforced_both_ways(void **state)
{
    int kind, tag;
    (void)state;
    for (kind = 1; kind < inc__event_kind_end(); kind++) {
        uint64_t required = inc__event_kind_row(kind)->required | INC__TAG_BIT(INC__F_ACTOR);
        for (tag = 1; tag < INC__F_COUNT; tag++) {
            const char *name = inc__field_info_get(tag) ? inc__field_info_get(tag)->name : NULL;
            inc__event_draft d;
            inc__event ev;
            inc_error err;
            inc__buf b;
            if (!((required >> tag) & 1u))
                continue;
            full_draft(&d, kind);
            drop(&d, tag);
            inc__buf_init(&b, NULL);
            assert_int_equal(inc__event_encode(&d, 2, 0, NULL, &b, &err), INC_EINVAL);
            assert_non_null(strstr(err.msg, name));
            assert_int_equal(inc__event_encode_unchecked(&d, 2, 0, NULL, &b, NULL), INC_OK);
            assert_int_equal(inc__event_decode(b.ptr, b.len, &ev, &err), INC_ECORRUPT);
            assert_non_null(strstr(err.msg, name));
            inc__buf_dispose(&b);
        }
    }
}

/* The value @s in string field @tag of a note: the encoder's code, and
 * the decoder's for the same bytes forged. */
static void try_value(int tag, const char *s, int *encoded, int *decoded, inc_error *err)
{
    inc__event_draft d;
    inc__event ev;
    inc__buf b;
    full_draft(&d, INC_EV_NOTE);
    inc__draft_str(&d, tag, s);
    inc__buf_init(&b, NULL);
    *encoded = inc__event_encode(&d, 2, 0, NULL, &b, NULL);
    assert_int_equal(inc__event_encode_unchecked(&d, 2, 0, NULL, &b, NULL), INC_OK);
    *decoded = inc__event_decode(b.ptr, b.len, &ev, err);
    inc__buf_dispose(&b);
}

/* What the encoder refuses, the decoder refuses: control characters (ESC,
 * DEL, C1) in every string field, LF, CR and TAB in single-line ones; a
 * multi-line field keeps its line breaks both ways. */
static void test_decoder_refuses_what_the_encoder_refuses(void **state)
{
    static const char *const bad[] = {"a\x1b[2Jb", "a\x7f", "a\xc2\x9b[31m", "a\x01"};
    int tag, enc, dec;
    size_t i;
    inc_error err;
    (void)state;
    for (tag = 1; tag < INC__F_COUNT; tag++) {
        const inc__field_info *fi = inc__field_info_get(tag);
        if (!fi || fi->type != INC__FT_STR)
            continue;
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            try_value(tag, bad[i], &enc, &dec, &err);
            assert_int_equal(enc, INC_EINVAL);
            assert_int_equal(dec, INC_ECORRUPT);
            assert_non_null(strstr(err.msg, fi->name));  /* names the field */
            assert_non_null(strstr(err.msg, "event 2")); /* and the event */
        }
        try_value(tag, "line one\nline two\r\n\tend", &enc, &dec, &err);
        if (fi->flags & INC__TEXT_SINGLE_LINE) {
            assert_int_equal(enc, INC_EINVAL);
            assert_int_equal(dec, INC_ECORRUPT);
        } else {
            assert_int_equal(enc, INC_OK);
            assert_int_equal(dec, INC_OK);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind_has_a_complete_row),
        cmocka_unit_test(test_every_kind_describes_itself_in_one_line),
        cmocka_unit_test(test_required_fields_are_enforced_both_ways),
        cmocka_unit_test(test_decoder_refuses_what_the_encoder_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
