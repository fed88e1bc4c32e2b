/* The rubric text format (lib/docs/rubric-format.md): write and parse are
 * lossless on both presets and on awkward values (RUB-1), the writer is
 * deterministic (RUB-4 records its output), the example files equal the
 * presets, malformed input gets a line-numbered error, RUB-3 is enforced on
 * parse, and allocation failure is clean. */
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

#define HDR "libincident-rubric 1\nname = t\n"

static inc_rubric *preset(inc_rubric_preset p)
{
    inc_rubric *r = NULL;
    assert_int_equal(inc_rubric_preset_new(NULL, p, &r), INC_OK);
    return r;
}

static inc_rubric *parse_ok(const char *text, size_t len)
{
    inc_rubric *r = NULL;
    inc_diag d;
    int rc = inc_rubric_parse(NULL, text, len, &r, &d);
    if (rc != INC_OK)
        fail_msg("parse failed (%s): %s", inc_status_name(rc), d.message);
    assert_int_equal(d.code, INC_OK);
    return r;
}

/* Write @r, parse the text back, and check the two are equal and that
 * writing the copy gives the same bytes. */
static void roundtrip(const inc_rubric *r)
{
    char *t1, *t2;
    size_t n1, n2;
    assert_int_equal(inc_rubric_write(r, &t1, &n1), INC_OK);
    assert_int_equal(strlen(t1), n1);
    inc_rubric *back = parse_ok(t1, n1);
    assert_true(inc_rubric_equal(r, back));
    assert_int_equal(inc_rubric_write(back, &t2, &n2), INC_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    inc_free(t1);
    inc_free(t2);
    inc_rubric_free(back);
}

static void test_RUB_01_presets_roundtrip(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        inc_rubric *r = preset((inc_rubric_preset)p);
        roundtrip(r);
        inc_rubric_free(r);
    }
}

static void test_RUB_04_write_is_deterministic(void **state)
{
    (void)state;
    inc_rubric *a = preset(INC_RUBRIC_DEFAULT), *b;
    char *t1, *t2;
    size_t n1, n2;
    assert_int_equal(inc_rubric_dup(a, &b), INC_OK);
    assert_int_equal(inc_rubric_write(a, &t1, &n1), INC_OK);
    assert_int_equal(inc_rubric_write(b, &t2, NULL), INC_OK);
    n2 = strlen(t2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1);
    assert_true(strncmp(t1, "libincident-rubric 1\nname = default\n", 36) == 0);
    inc_free(t1);
    inc_free(t2);
    assert_int_equal(inc_rubric_write(NULL, &t1, &n1), INC_EINVAL);
    assert_int_equal(inc_rubric_write(a, NULL, &n1), INC_EINVAL);
    inc_rubric_free(a);
    inc_rubric_free(b);
}

static char *read_example(const char *name, size_t *len)
{
    const char *dir = getenv("INC_SOURCE_DIR");
    char path[4096];
    if (dir == NULL)
        fail_msg("INC_SOURCE_DIR is not set (ctest sets it)");
    snprintf(path, sizeof path, "%s/examples/rubrics/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void test_RUB_01_example_files_equal_presets(void **state)
{
    (void)state;
    static const char *const files[] = {"default.rubric", "seed002.rubric"};
    for (int p = 0; p < 2; p++) {
        size_t len;
        char *text = read_example(files[p], &len);
        inc_rubric *r = parse_ok(text, len), *want = preset((inc_rubric_preset)p);
        if (!inc_rubric_equal(r, want))
            fail_msg("examples/rubrics/%s differs from the preset: regenerate it", files[p]);
        inc_rubric_free(r);
        inc_rubric_free(want);
        free(text);
    }
}

/* Every value that needs quoting or escaping, every limit at its edge. */
static void test_RUB_01_awkward_values_roundtrip(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "line one\nline two",
        "tab\there",
        "cr\rhere",
        " leading blank",
        "trailing blank ",
        "\"quoted at start",
        "mid \"quote\"",
        "back\\slash \\n not an escape",
        "# not a comment",
        "caf\xC3\xA9 \xE2\x98\x95 \xF0\x9F\x94\xA5",
        "= starts with equals",
        "",
    };
    inc_rubric *r;
    char big[INC_RUBRIC_TEXT_MAX + 1];
    for (size_t i = 0; i < INC_RUBRIC_TEXT_MAX; i++)
        big[i] = (char)("\n\"\\x"[i % 4]);
    big[INC_RUBRIC_TEXT_MAX] = '\0';
    assert_int_equal(inc_rubric_new(NULL, " \"odd\" name\\ ", &r), INC_OK);
    for (size_t i = 0; i < INC_LEVELS_MAX; i++) {
        char name[16];
        snprintf(name, sizeof name, "L_%zu.x-y", i);
        assert_int_equal(inc_rubric_add_level(r, name, NULL), INC_OK);
        assert_int_equal(inc_rubric_set_text(r, i, (inc_level_text)(i % 3),
                                             texts[i % (sizeof texts / sizeof texts[0])]),
                         INC_OK);
        assert_int_equal(inc_rubric_set_combo(r, i, (inc_role)(i % 9), (inc_role)((i + 1) % 9),
                                              (inc_combo)(i % 4)),
                         INC_OK);
        assert_int_equal(
            inc_rubric_set_staffing(r, i, i == 0 ? 0 : (1u << (i % 9)) | 1u, (unsigned)i * 60),
            INC_OK);
        assert_int_equal(inc_rubric_set_repeat(r, i, (unsigned)(i * 6)), INC_OK);
        assert_int_equal(inc_rubric_set_required_comm(r, i, (inc_comm_kind)(i % 3),
                                                      i % 2 ? INC_DURATION_NEXT_CADENCE : 0),
                         INC_OK);
    }
    assert_int_equal(inc_rubric_set_text(r, 15, INC_LEVEL_POSTURE, big), INC_OK);
    assert_int_equal(inc_rubric_set_duration(r, 3, INC_DUR_ACK_TIMEOUT, 90061001),
                     INC_OK); /* 1d1h1m1s1ms */
    assert_int_equal(inc_rubric_set_duration(r, 4, INC_DUR_POSTMORTEM, 36525LL * 86400000), INC_OK);
    assert_int_equal(inc_rubric_set_flag(r, 2, INC_FLAG_EXEC_POSTURE, 1), INC_OK);
    assert_int_equal(inc_rubric_set_required_comm(r, 5, INC_COMM_EXEC_NOTIFY, 1), INC_OK);
    for (int i = 0; i < INC_ESCALATIONS_MAX; i++)
        assert_int_equal(inc_rubric_add_escalation(r, 7, (int64_t)(16 - i / 2) * 1000,
                                                   (inc_esc_condition)(i % 2),
                                                   i == 0   ? " leading"
                                                   : i == 1 ? "\"q\",b"
                                                   : i == 2 ? "trailing "
                                                            : "a, b,c"),
                         INC_OK);
    assert_int_equal(inc_rubric_validate(r), INC_OK);
    roundtrip(r);
    inc_rubric_free(r);
}

static void test_RUB_01_parse_accepts_hand_written_forms(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF# comment before the header is fine\r\n"
                               "\r\n"
                               "   libincident-rubric   1  \r\n"
                               "name=\"payments\"\r\n"
                               "  # an indented comment\n"
                               "level = P1\n"
                               "\ttrigger = Sev #1: checkout down   \n"
                               "posture=\"two\\nlines\"   \n"
                               "ack=5m\n"
                               "comm.exec-notify = 0s\n"
                               "combo.sme+ic = never\n"
                               "staffing.roles = sme , ic\n"
                               "escalate = 1h unresolved \"team lead, manager\"\n"
                               "escalate = 15m unacknowledged   on-call\n"
                               "level = P2\n"
                               "trigger =\n"
                               "ack = 1h30m"; /* no final newline */
    inc_rubric *r = NULL;
    inc_diag d;
    /* A byte order mark is not allowed: it is not a comment or a header. */
    assert_int_equal(inc_rubric_parse(NULL, text, sizeof text - 1, &r, &d), INC_EPARSE);
    assert_int_equal(d.line, 1);
    r = parse_ok(text + 3, sizeof text - 4);
    const char *target;
    unsigned mask;
    assert_string_equal(inc_rubric_name(r), "payments");
    assert_string_equal(inc_rubric_text(r, 0, INC_LEVEL_TRIGGER), "Sev #1: checkout down");
    assert_string_equal(inc_rubric_text(r, 0, INC_LEVEL_POSTURE), "two\nlines");
    assert_int_equal(inc_rubric_duration(r, 0, INC_DUR_ACK), 300000);
    assert_int_equal(inc_rubric_required_comm(r, 0, INC_COMM_EXEC_NOTIFY), 0);
    assert_int_equal(inc_rubric_combo(r, 0, INC_ROLE_IC, INC_ROLE_SME), INC_COMBO_NEVER);
    assert_int_equal(inc_rubric_get_staffing(r, 0, &mask, NULL), INC_OK);
    assert_int_equal(mask, INC_ROLE_BIT(INC_ROLE_IC) | INC_ROLE_BIT(INC_ROLE_SME));
    assert_int_equal(inc_rubric_get_escalation(r, 0, 0, NULL, NULL, &target), INC_OK);
    assert_string_equal(target, "on-call");
    assert_int_equal(inc_rubric_get_escalation(r, 0, 1, NULL, NULL, &target), INC_OK);
    assert_string_equal(target, "team lead, manager");
    /* Keys not given keep a new level's defaults. */
    assert_int_equal(inc_rubric_duration(r, 0, INC_DUR_RESOLVE), INC_DURATION_NONE);
    assert_int_equal(inc_rubric_duration(r, 1, INC_DUR_ACK), 5400000);
    assert_string_equal(inc_rubric_text(r, 1, INC_LEVEL_TRIGGER), "");
    roundtrip(r);
    inc_rubric_free(r);
}

/* The short example of lib/docs/rubric-format.md. */
static void test_RUB_01_documented_example_parses(void **state)
{
    (void)state;
    static const char text[] = "# Our team's rubric.\n"
                               "libincident-rubric 1\n"
                               "name = payments\n"
                               "\n"
                               "level = P1\n"
                               "  trigger = Checkout is down or charging wrongly.\n"
                               "  posture = \"All hands.\\nExecutives told at once.\"\n"
                               "  ack = 5m\n"
                               "  mitigate = 1h\n"
                               "  resolve = 4h\n"
                               "  cadence.external = 30m\n"
                               "  cadence.internal = 1h\n"
                               "  cadence.response = 1h\n"
                               "  bridge = yes\n"
                               "  postmortem.required = yes\n"
                               "  postmortem.due = 2d\n"
                               "  comm.status-page = at-once\n"
                               "  comm.exec-notify = at-once\n"
                               "  staffing.roles = ic,scribe,sme,comms\n"
                               "  staffing.people = 4\n"
                               "  combo.ic+sme = never\n"
                               "  escalate = 15m unacknowledged on-call,backup\n"
                               "  escalate = 1h unresolved engineering-manager\n"
                               "\n"
                               "level = P2\n"
                               "  ack = 30m\n"
                               "  cadence.external = 2h\n";
    inc_rubric *r = parse_ok(text, sizeof text - 1);
    assert_int_equal(inc_rubric_level_count(r), 2);
    assert_int_equal(inc_rubric_escalation_count(r, 0), 2);
    inc_rubric_free(r);
}

struct bad_case {
    const char *text;
    int code;
    unsigned line;
    const char *message; /* a part of the message */
};

static const struct bad_case bad_cases[] = {
    {"", INC_EPARSE, 0, "no header"},
    {"# only a comment\n\n", INC_EPARSE, 2, "no header"},
    {"hello\n", INC_EPARSE, 1, "expected the header 'libincident-rubric 1'"},
    {"libincident-rubric\n", INC_EPARSE, 1, "expected the header"},
    {"libincident-rubric 2\n", INC_EVERSION, 1, "format version '2' is not supported"},
    {"libincident-rubric 1\r", INC_EPARSE, 1, "control character 0x0d"},
    {"libincident-rubric 1\n", INC_EPARSE, 1, "missing key 'name'"},
    {"libincident-rubric 1\nname =\n", INC_EINVAL, 2, "name: must not be empty"},
    {"libincident-rubric 1\nlevel = A\n", INC_EPARSE, 2, "'name' must come before the first level"},
    {HDR, INC_EINVAL, 2, "has no levels"},
    {HDR "name = u\n", INC_EPARSE, 3, "duplicate key 'name'"},
    {HDR "ack = 5m\n", INC_EPARSE, 3, "'ack' outside a level"},
    {"# c\n\nlibincident-rubric 1\nname = t\nlevel = A\ncadense.external = 1h\n", INC_EPARSE, 6,
     "unknown key 'cadense.external'"},
    {HDR "level = A\nack 5m\n", INC_EPARSE, 4, "expected 'key = value', found 'ack 5m'"},
    {HDR "level = A\n= 5m\n", INC_EPARSE, 4, "expected 'key = value'"},
    {HDR "level = A\nACK = 5m\n", INC_EPARSE, 4, "expected 'key = value'"},
    {HDR "level = A\nack = 5m\nack = 6m\n", INC_EPARSE, 5, "duplicate key 'ack' in level A"},
    {HDR "level = A\nack = soon\n", INC_EPARSE, 4, "ack: 'soon' is not a duration"},
    {HDR "level = A\nack = 5 m\n", INC_EPARSE, 4, "ack: '5 m' is not a duration"},
    {HDR "level = A\nack = 0s\n", INC_EINVAL, 4, "level A: ack: 0 ms"},
    {HDR "level = A\nresolve = 6000w\n", INC_EINVAL, 4, "level A: resolve"},
    {HDR "level = A\nbridge = maybe\n", INC_EPARSE, 4, "bridge: 'maybe' is not yes or no"},
    {HDR "level = A\nbridge = YES\n", INC_EPARSE, 4, "bridge"},
    {HDR "level = A\ntrigger = \"abc\n", INC_EPARSE, 4, "trigger: missing closing quote"},
    {HDR "level = A\ntrigger = \"abc\\\"\n", INC_EPARSE, 4, "missing closing quote"},
    {HDR "level = A\ntrigger = \"a\\qb\"\n", INC_EPARSE, 4, "unknown escape '\\q'"},
    {HDR "level = A\ntrigger = \"a\" x\n", INC_EPARSE, 4, "text after the closing quote"},
    {HDR "level = A\ntrigger = \xC3\x28\n", INC_EINVAL, 4, "not valid UTF-8"},
    {HDR "level = A\ntrigger = \xED\xA0\x80\n", INC_EINVAL, 4, "not valid UTF-8"},
    {HDR "level = A\ntrigger = a\x01"
         "b\n",
     INC_EPARSE, 4, "control character 0x01 at column 12"},
    {HDR "level = A\ntrigger = \"\\u0085\"\n", INC_EPARSE, 4, "unknown escape"},
    {HDR "level = A\ntrigger = \xC2\x85\n", INC_EINVAL, 4, "level A: trigger: control character"},
    {HDR "level = A\ncombo.ic+ic = never\n", INC_EPARSE, 4, "with itself is always allowed"},
    {HDR "level = A\ncombo.ic+cook = never\n", INC_EPARSE, 4, "unknown key 'combo.ic+cook'"},
    {HDR "level = A\ncombo.ic = never\n", INC_EPARSE, 4, "unknown key 'combo.ic'"},
    {HDR "level = A\ncombo.ic+sme = never\ncombo.sme+ic = allowed\n", INC_EPARSE, 5,
     "duplicate key 'combo.sme+ic' in level A"},
    {HDR "level = A\ncombo.ic+sme = sometimes\n", INC_EPARSE, 4,
     "'sometimes' is not allowed, never"},
    {HDR "level = A\nstaffing.roles = ic,cook\n", INC_EPARSE, 4, "'cook' is not a role"},
    {HDR "level = A\nstaffing.roles = ic,ic\n", INC_EPARSE, 4, "'ic' listed twice"},
    {HDR "level = A\nstaffing.roles = ic,\n", INC_EPARSE, 4, "'' is not a role"},
    {HDR "level = A\nstaffing.roles =\n", INC_EPARSE, 4, "'' is not a role"},
    {HDR "level = A\nstaffing.people = -1\n", INC_EPARSE, 4,
     "staffing.people: '-1' is not a number"},
    {HDR "level = A\nstaffing.people = 1001\n", INC_EINVAL, 4, "staffing.people: 1001 is above"},
    {HDR "level = A\nrepeat = 1234567890\n", INC_EPARSE, 4, "repeat: '1234567890' is not a number"},
    {HDR "level = A\nrepeat = 101\n", INC_EINVAL, 4, "repeat: 101 is above 100"},
    {HDR "level = A\nescalate = 15m\n", INC_EPARSE, 4, "'' is not unacknowledged or unresolved"},
    {HDR "level = A\nescalate = 15m sometimes x\n", INC_EPARSE, 4, "'sometimes' is not unack"},
    {HDR "level = A\nescalate = none unresolved x\n", INC_EPARSE, 4, "'none' is not a duration"},
    {HDR "level = A\nescalate = 0s unresolved x\n", INC_EINVAL, 4, "escalation after 0 ms"},
    {HDR "level = A\nescalate = 15m unresolved\n", INC_EPARSE, 4, "missing target"},
    {HDR "level = A\nescalate = 15m unresolved a,,b\n", INC_EINVAL, 4, "has an empty item"},
    {HDR "level = A\nescalate = 15m unresolved \"a\n", INC_EPARSE, 4, "missing closing quote"},
    {HDR "level = A\nlevel = A\n", INC_EINVAL, 4, "level name: 'A' exists already"},
    {HDR "level = bad name\n", INC_EINVAL, 3, "level name: byte 3"},
    {HDR "level =\n", INC_EINVAL, 3, "level name: must not be empty"},
    {HDR "level = A\ncomm.status-page = soon\n", INC_EPARSE, 4, "comm.status-page: 'soon' is not"},
    {HDR "level = A\ncomm.fax = 1h\n", INC_EPARSE, 4, "unknown key 'comm.fax'"},
    {HDR "level = A\nack = 1h\nlevel = B\nack = 5m\n", INC_EINVAL, 3,
     "level A: ack (1h) is looser than B's (5m)"},
    {HDR "level = A\nlevel = B\nlevel = C\ncadence.internal = 1h\n", INC_EINVAL, 4,
     "level B: cadence.internal (none) is looser than C's (1h)"},
};

static void expect_bad(const char *text, size_t len, int code, unsigned line, const char *part)
{
    static int dummy;
    inc_rubric *sentinel = (inc_rubric *)&dummy, *r = sentinel; /* must not be touched */
    inc_diag d;
    int rc = inc_rubric_parse(NULL, text, len, &r, &d);
    if (rc != code || d.code != code || d.line != line || strstr(d.message, part) == NULL)
        fail_msg("input '%.60s': got %s line %u '%s'; expected %s line %u '...%s...'", text,
                 inc_status_name(rc), d.line, d.message, inc_status_name(code), line, part);
    assert_ptr_equal(r, sentinel);
    if (line > 0) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "line %u: ", line);
        assert_true(strncmp(d.message, prefix, strlen(prefix)) == 0);
        /* The offset is the start of the line. */
        const char *p = text;
        for (unsigned l = 1; l < line; l++)
            p = strchr(p, '\n') + 1;
        assert_int_equal(d.offset, (size_t)(p - text));
    }
    /* Without a diagnostic the result is the same. */
    assert_int_equal(inc_rubric_parse(NULL, text, len, &r, NULL), code);
}

static void test_RUB_01_malformed_input_line_numbered(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
        expect_bad(bad_cases[i].text, strlen(bad_cases[i].text), bad_cases[i].code,
                   bad_cases[i].line, bad_cases[i].message);
    /* A NUL byte inside the text. */
    static const char nul[] = HDR "level = A\ntrigger = a\0b\n";
    expect_bad(nul, sizeof nul - 1, INC_EPARSE, 4, "control character 0x00");
}

static void test_RUB_01_limits(void **state)
{
    (void)state;
    char *text = malloc((1 << 20) + 64);
    assert_non_null(text);
    /* A value one byte too long, raw and quoted. */
    int n = sprintf(text, HDR "level = A\ntrigger = ");
    memset(text + n, 'x', INC_RUBRIC_TEXT_MAX + 1);
    strcpy(text + n + INC_RUBRIC_TEXT_MAX + 1, "\n");
    expect_bad(text, strlen(text), INC_ETOOBIG, 4, "trigger: value is longer than 2048 bytes");
    text[n] = '"';
    memset(text + n + 1, 'x', INC_RUBRIC_TEXT_MAX + 1);
    strcpy(text + n + INC_RUBRIC_TEXT_MAX + 2, "\"\n");
    expect_bad(text, strlen(text), INC_ETOOBIG, 4, "trigger: value is longer than 2048 bytes");
    /* Exactly the maximum is fine, raw or quoted with escapes. */
    strcpy(text + n + INC_RUBRIC_TEXT_MAX + 1, "\"\n");
    text[n + 1] = '\\';
    text[n + 2] = 'n';
    text[n + 3] = 'y';
    inc_rubric *q = parse_ok(text, strlen(text));
    assert_int_equal(strlen(inc_rubric_text(q, 0, INC_LEVEL_TRIGGER)), INC_RUBRIC_TEXT_MAX - 1);
    assert_true(strncmp(inc_rubric_text(q, 0, INC_LEVEL_TRIGGER), "\nyx", 3) == 0);
    inc_rubric_free(q);
    memset(text + n, 'x', INC_RUBRIC_TEXT_MAX);
    strcpy(text + n + INC_RUBRIC_TEXT_MAX, "\n");
    inc_rubric *r = parse_ok(text, strlen(text));
    assert_int_equal(strlen(inc_rubric_text(r, 0, INC_LEVEL_TRIGGER)), INC_RUBRIC_TEXT_MAX);
    inc_rubric_free(r);
    /* Seventeen levels; seventeen escalation steps. */
    n = sprintf(text, HDR);
    for (int i = 0; i <= INC_LEVELS_MAX; i++)
        n += sprintf(text + n, "level = L%d\n", i);
    expect_bad(text, (size_t)n, INC_ETOOBIG, 3 + INC_LEVELS_MAX, "at most 16 levels");
    n = sprintf(text, HDR "level = A\n");
    for (int i = 0; i <= INC_ESCALATIONS_MAX; i++)
        n += sprintf(text + n, "escalate = 1m unresolved x\n");
    expect_bad(text, (size_t)n, INC_ETOOBIG, 4 + INC_ESCALATIONS_MAX, "at most 16 escalation");
    /* More than 1 MiB, even of comments. */
    memset(text, '#', (1 << 20) + 1);
    expect_bad(text, (1 << 20) + 1, INC_ETOOBIG, 0, "larger than 1 MiB");
    free(text);
}

static void test_RUB_01_parse_bad_arguments(void **state)
{
    (void)state;
    inc_rubric *r;
    inc_diag d;
    assert_int_equal(inc_rubric_parse(NULL, NULL, 0, &r, &d), INC_EINVAL);
    assert_int_equal(d.code, INC_EINVAL);
    assert_int_equal(inc_rubric_parse(NULL, HDR, strlen(HDR), NULL, &d), INC_EINVAL);
    inc_allocator zero = {0, NULL, NULL, NULL, NULL};
    assert_int_equal(inc_rubric_parse(&zero, HDR "level = A\n", strlen(HDR) + 10, &r, &d),
                     INC_EVERSION);
    assert_int_equal(d.line, 2);
}

/* RUB-3 is enforced on parse; an edit of a written preset that breaks it
 * names the line of the offending level. */
static void test_RUB_03_parse_rejects_looser_target(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_SEED002);
    char *text;
    size_t len;
    assert_int_equal(inc_rubric_write(r, &text, &len), INC_OK);
    char *sev2 = strstr(text, "level = SEV2\n");
    char *ack = strstr(sev2, "  ack = 15m\n");
    assert_non_null(ack);
    memcpy(ack, "  ack = 2h ", 11); /* SEV2 ack looser than SEV3's 1h */
    unsigned line = 1;
    for (const char *p = text; p < sev2; p++)
        line += *p == '\n';
    expect_bad(text, len, INC_EINVAL, line, "level SEV2: ack (2h) is looser than SEV3's (1h)");
    inc_free(text);
    inc_rubric_free(r);
}

/* ---- allocation failure ---- */

static void test_RUB_01_allocation_failure_parse_and_write(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        inc_rubric *src = preset((inc_rubric_preset)p);
        char *text;
        size_t len;
        assert_int_equal(inc_rubric_write(src, &text, &len), INC_OK);
        struct inc_test_alloc ta;
        inc_test_alloc_init(&ta);
        inc_allocator a = inc_test_alloc_allocator(&ta);
        unsigned long n;
        inc_rubric *r = NULL;
        inc_diag d;
        for (n = 1; n < 10000; n++) {
            inc_test_alloc_arm(&ta, n, 1);
            int rc = inc_rubric_parse(&a, text, len, &r, &d);
            if (rc == INC_OK)
                break;
            assert_int_equal(rc, INC_ENOMEM);
            assert_int_equal(d.code, INC_ENOMEM);
            assert_int_equal(ta.live_blocks, 0);
        }
        assert_true(n > 2);
        assert_true(inc_rubric_equal(r, src));
        /* Writing with the parsed rubric's allocator. */
        for (n = 1; n < 10000; n++) {
            char *out = NULL;
            size_t before = ta.live_blocks;
            inc_test_alloc_arm(&ta, n, 1);
            int rc = inc_rubric_write(r, &out, NULL);
            if (rc == INC_OK) {
                assert_string_equal(out, text);
                inc_free(out);
                break;
            }
            assert_int_equal(rc, INC_ENOMEM);
            assert_null(out);
            assert_int_equal(ta.live_blocks, before);
        }
        inc_test_alloc_arm(&ta, 0, 0);
        inc_rubric_free(r);
        assert_int_equal(ta.live_blocks, 0);
        inc_free(text);
        inc_rubric_free(src);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_RUB_01_presets_roundtrip),
        cmocka_unit_test(test_RUB_04_write_is_deterministic),
        cmocka_unit_test(test_RUB_01_example_files_equal_presets),
        cmocka_unit_test(test_RUB_01_awkward_values_roundtrip),
        cmocka_unit_test(test_RUB_01_parse_accepts_hand_written_forms),
        cmocka_unit_test(test_RUB_01_documented_example_parses),
        cmocka_unit_test(test_RUB_01_malformed_input_line_numbered),
        cmocka_unit_test(test_RUB_01_limits),
        cmocka_unit_test(test_RUB_01_parse_bad_arguments),
        cmocka_unit_test(test_RUB_03_parse_rejects_looser_target),
        cmocka_unit_test(test_RUB_01_allocation_failure_parse_and_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
