/* TL-3: what the timeline shows cannot be forged by what it shows. Text a
 * terminal would act on (ESC, CR, NUL, bidirectional overrides) is shown
 * escaped, a note's line breaks cannot print a line that passes for a
 * timeline line, and an import cannot bring in what a write could not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "test_support.h"

typedef struct fixture {
    struct inc_test_clock clock;
    inc_context *ctx, *dst;
    inc_incident *inc;
} fixture;

static int setup(void **state)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    fixture *f = calloc(1, sizeof(*f));
    inc_test_clock_init(&f->clock, 1795443120000LL);
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    assert_int_equal(inc_context_new(&o, &f->ctx), INC_OK);
    assert_int_equal(inc_context_new(&o, &f->dst), INC_OK);
    d.title = "Render checks";
    d.declarer = "alice";
    d.severity = "Sev-2";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &f->inc), INC_OK);
    assert_int_equal(inc_incident_note(f->inc, "alice", "ok\rforged over"), INC_OK);
    assert_int_equal(inc_incident_note(f->inc, "alice", "file \xe2\x80\xaetxt.exe"), INC_OK);
    assert_int_equal(
        inc_incident_note(f->inc, "alice", "one\n   9  2026-11-24T10:00:00Z  T+0  root  forged"),
        INC_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    inc_incident_free(f->inc);
    inc_context_free(f->ctx);
    inc_context_free(f->dst);
    free(f);
    return 0;
}

static void check_rendering(inc_incident *inc)
{
    char *text = NULL, *line = NULL;
    assert_int_equal(inc_incident_render_timeline(inc, &text, NULL), INC_OK);
    assert_null(strchr(text, '\r'));
    assert_null(strstr(text, "\xe2\x80\xae"));
    assert_non_null(strstr(text, "Note: ok\\x0dforged over\n"));           /* CR */
    assert_non_null(strstr(text, "Note: file \\u202etxt.exe\n"));          /* U+202E */
    assert_non_null(strstr(text, "Note: one\n    |    9  2026-11-24T10")); /* LF, marked */
    assert_null(strstr(text, "\n   9  "));
    assert_int_equal(inc_incident_describe_event(inc, 3, &line), INC_OK);
    assert_string_equal(line, "Note: one\\n   9  2026-11-24T10:00:00Z  T+0  root  forged");
    inc_free(text);
    inc_free(line);
}

static void test_TL_3_timeline_escapes_what_a_terminal_would_act_on(void **state)
{
    fixture *f = *state;
    check_rendering(f->inc);
}

/* A copy of @json with the first @from replaced by @to. */
static char *edited(const char *json, const char *from, const char *to)
{
    const char *at = strstr(json, from);
    char *out;
    assert_non_null(at);
    out = malloc(strlen(json) + strlen(to) + 1);
    memcpy(out, json, (size_t)(at - json));
    strcpy(out + (at - json), to);
    strcat(out, at + strlen(from));
    return out;
}

static void expect_import(fixture *f, const char *doc, int code, const char *words)
{
    inc_diag diag;
    inc_incident *out = NULL;
    int rc = inc_incident_import_json(f->dst, doc, strlen(doc), &out, &diag);
    if (rc != code)
        fail_msg("%s: %s", inc_status_name(rc), diag.message);
    assert_null(out);
    if (words)
        assert_non_null(strstr(diag.message, words));
}

/* The import refuses what the encoder refuses (ESC, NUL, an LF in a
 * single-line field), whatever the hashes say, and what it accepts (CR,
 * U+202E, LF in a note) is escaped when shown. */
static void test_TL_3_import_refuses_or_escapes(void **state)
{
    fixture *f = *state;
    inc_incident *copy = NULL;
    char *json = NULL, *doc;

    assert_int_equal(inc_incident_export_json(f->inc, &json, NULL), INC_OK);
    doc = edited(json, "ok\\r", "ok\\u001b[2J");
    expect_import(f, doc, INC_ECORRUPT, "control character");
    free(doc);
    doc = edited(json, "ok\\r", "ok\\u0000");
    expect_import(f, doc, INC_EPARSE, "\\u0000"); /* the JSON reader refuses it */
    free(doc);
    doc = edited(json, "\"actor\":\"alice\"", "\"actor\":\"ali\\nce\"");
    expect_import(f, doc, INC_ECORRUPT, "actor");
    free(doc);
    assert_int_equal(inc_incident_import_json(f->dst, json, strlen(json), &copy, NULL), INC_OK);
    check_rendering(copy);
    inc_incident_free(copy);
    inc_free(json);
}

static void assert_bidi_shown(const char *text)
{
    assert_null(strstr(text, "\xe2\x80\xae"));
    assert_non_null(strstr(text, "\\u202e"));
}

/* The other human renderings: the postmortem (text and Markdown, its
 * timeline table quoting the notes) and the response audit (the title). */
static void test_TL_3_postmortem_and_audit_escape(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    inc_audit *a = NULL;
    char *text = NULL;

    assert_int_equal(inc_incident_render_postmortem(f->inc, INC_PM_TEXT, &text, NULL), INC_OK);
    assert_bidi_shown(text);
    assert_null(strchr(text, '\r'));
    inc_free(text);
    assert_int_equal(inc_incident_render_postmortem(f->inc, INC_PM_MARKDOWN, &text, NULL), INC_OK);
    assert_bidi_shown(text);
    assert_null(strchr(text, '\r'));
    inc_free(text);

    d.title = "Invoice \xe2\x80\xae-fdp.exe";
    d.declarer = "alice";
    d.severity = "Sev-2";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    assert_int_equal(inc_incident_audit(inc, NULL, &a), INC_OK);
    assert_int_equal(inc_audit_render_text(a, &text, NULL), INC_OK);
    assert_bidi_shown(text);
    inc_free(text);
    assert_int_equal(inc_incident_render_timeline(inc, &text, NULL), INC_OK);
    assert_bidi_shown(text); /* the title line */
    inc_free(text);
    inc_audit_free(a);
    inc_incident_free(inc);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_TL_3_timeline_escapes_what_a_terminal_would_act_on),
        T(test_TL_3_import_refuses_or_escapes),
        T(test_TL_3_postmortem_and_audit_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
