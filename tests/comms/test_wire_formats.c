/* Wire formats real services accept (lib/docs/wire-formats.md): the
 * Statuspage name limit and the external id recorded as an event, and the
 * Slack Block Kit messages within Block Kit's limits. The JSON Schema checks
 * of every format are tests/schemas (ctest wire_schemas). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "incident_internal.h"
#include "test_world.h"
#include "util/json.h"

typedef struct inc_test_world fixture;

static int setup(void **state)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    d.title = "Checkout <failures> & timeouts";
    d.declarer = "alice";
    d.severity = "Sev-2";
    *state = inc_test_world_new(INC_POLICY_ADVISORY, &d);
    return 0;
}

static inc__json *parse(const char *json, size_t len)
{
    inc_allocator a;
    inc__json *root = NULL;
    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);
    assert_int_equal(inc__json_parse(&a, json, len, &root, NULL), INC_OK);
    return root;
}

static void drop(inc__json *root)
{
    inc_allocator a;
    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);
    inc__json_free(&a, root);
}

/* Characters as Slack counts them (UTF-16 units). */
static size_t units(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n += ((unsigned char)*s >= 0xF0) ? 2 : 1;
    return n;
}

/* ---- external ids ---------------------------------------------------------- */

static void test_statuspage_incident_id_is_an_event(void **state)
{
    fixture *f = *state;
    uint64_t seq = 0;
    size_t before = inc_test_world_stored_events(f);
    inc_incident *again = NULL;

    assert_null(inc_incident_external_id(f->inc, "statuspage"));
    assert_int_equal(inc_incident_link_external(f->inc, "bot", "statuspage", "p31zjtct2jer", &seq),
                     INC_OK);
    assert_int_equal(seq, before + 1);
    assert_int_equal(inc_test_world_stored_events(f), before + 1);
    assert_string_equal(inc_incident_external_id(f->inc, "statuspage"), "p31zjtct2jer");
    assert_null(inc_incident_external_id(f->inc, "pagerduty"));
    /* A later record for the same system replaces it; replay gives the same. */
    assert_int_equal(inc_incident_link_external(f->inc, "bot", "statuspage", "second", NULL),
                     INC_OK);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &again), INC_OK);
    assert_string_equal(inc_incident_external_id(again, "statuspage"), "second");
    inc_incident_free(again);
}

static void test_bad_external_ids_write_nothing(void **state)
{
    fixture *f = *state;
    char long_id[300];
    size_t before = inc_test_world_stored_events(f);

    memset(long_id, 'x', 256);
    long_id[256] = '\0';
    assert_int_equal(inc_incident_link_external(f->inc, "bot", "Status Page", "x", NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "system"));
    assert_int_equal(inc_incident_link_external(f->inc, "bot", "", "x", NULL), INC_EINVAL);
    assert_int_equal(
        inc_incident_link_external(f->inc, "bot", "a-system-name-longer-than-32-bytes", "x", NULL),
        INC_EINVAL);
    assert_int_equal(inc_incident_link_external(f->inc, "bot", "statuspage", "", NULL), INC_EINVAL);
    assert_int_equal(inc_incident_link_external(f->inc, "bot", "statuspage", "a\nb", NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_link_external(f->inc, "bot", "statuspage", long_id, NULL),
                     INC_ETOOBIG);
    assert_int_equal(inc_incident_link_external(f->inc, "bot", NULL, "x", NULL), INC_EINVAL);
    assert_int_equal(inc_test_world_stored_events(f), before);
    assert_null(inc_incident_external_id(f->inc, "statuspage"));
    assert_null(inc_incident_external_id(NULL, "statuspage"));
    assert_null(inc_incident_external_id(f->inc, NULL));
}

/* ---- Statuspage ------------------------------------------------------------ */

/* The name is at most 255 characters (we allow titles of 256 bytes). */
static void test_statuspage_name_is_cut_to_255_characters(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_update u = INC_UPDATE_INIT;
    inc_incident *inc = NULL;
    char title[257];
    char *json = NULL;
    size_t len;
    inc__json *root;
    const char *name;

    memset(title, 'T', 256);
    title[256] = '\0';
    d.title = title;
    d.declarer = "alice";
    d.severity = "Sev-3";
    if (inc_incident_declare(f->ctx, &d, &inc) != INC_OK)
        fail_msg("%s", inc_context_errmsg(f->ctx));
    u.body = "We are investigating failed checkouts for customers in the EU region. Next update "
             "at 14:45 UTC.";
    assert_int_equal(inc_incident_add_update(inc, "alice", &u, NULL, NULL), INC_OK);
    assert_int_equal(inc_incident_update_statuspage_json(inc, 0, NULL, &json, &len), INC_OK);
    root = parse(json, len);
    name = inc__json_get(inc__json_get(root, "incident"), "name")->str;
    assert_int_equal(strlen(name), 255);
    drop(root);
    inc_free(json);
    inc_incident_free(inc);
}

/* ---- Slack ----------------------------------------------------------------- */

/* The blocks of a message, after checking the limits every message keeps. */
static const inc__json *blocks_of(const inc__json *root)
{
    const inc__json *blocks = inc__json_get(root, "blocks");
    size_t i;
    assert_non_null(inc__json_get(root, "text"));
    assert_non_null(blocks);
    assert_true(blocks->count >= 1 && blocks->count <= 50);
    for (i = 0; i < blocks->count; i++) {
        const inc__json *b = blocks->items[i], *t = inc__json_get(b, "text");
        if (t && strcmp(inc__json_get(b, "type")->str, "header") == 0)
            assert_true(units(inc__json_get(t, "text")->str) <= 150);
        else if (t)
            assert_true(units(inc__json_get(t, "text")->str) <= 3000);
    }
    return blocks;
}

static const char *block_text(const inc__json *blocks, size_t i)
{
    return inc__json_get(inc__json_get(blocks->items[i], "text"), "text")->str;
}

static void test_slack_header_escapes_user_text(void **state)
{
    fixture *f = *state;
    char *json = NULL;
    size_t len;
    inc__json *root;
    const inc__json *blocks;

    assert_int_equal(inc_incident_slack_json(f->inc, 0, &json, &len), INC_OK);
    root = parse(json, len);
    blocks = blocks_of(root);
    assert_string_equal(inc__json_get(blocks->items[0], "type")->str, "header");
    assert_string_equal(block_text(blocks, 0), "Checkout &lt;failures&gt; &amp; timeouts");
    assert_non_null(strstr(inc__json_get(root, "text")->str, "&lt;failures&gt;"));
    assert_null(strstr(json, "<failures>"));
    assert_string_equal(inc__json_get(blocks->items[1], "type")->str, "section");
    assert_non_null(strstr(json, "*Level*\\nSev-2"));
    drop(root);
    inc_free(json);
    /* The declared event gives the same header. */
    assert_int_equal(inc_incident_slack_json(f->inc, 1, &json, &len), INC_OK);
    assert_non_null(strstr(json, "\"type\":\"header\""));
    inc_free(json);
}

static void test_slack_can_update_and_handoff(void **state)
{
    fixture *f = *state;
    inc_can_report r = INC_CAN_REPORT_INIT;
    inc_update u = INC_UPDATE_INIT;
    uint64_t can_seq = 0, upd_seq = 0;
    char *json = NULL;
    size_t len;
    inc__json *root;

    r.conditions = "CPU at 95% <@U123> & rising";
    r.actions = "Adding a replica.";
    r.needs = "Approval to fail over.";
    assert_int_equal(inc_incident_add_can(f->inc, "bob", &r, NULL, &can_seq), INC_OK);
    assert_int_equal(inc_incident_slack_json(f->inc, can_seq, &json, &len), INC_OK);
    root = parse(json, len);
    blocks_of(root);
    assert_non_null(strstr(json, "*Conditions*\\nCPU at 95% &lt;@U123&gt; &amp; rising"));
    assert_non_null(strstr(json, "*Needs*\\nApproval to fail over."));
    assert_null(strstr(json, "<@U123>")); /* no mention can slip through */
    drop(root);
    inc_free(json);

    u.audience = INC_AUDIENCE_INTERNAL;
    u.body = "Sev-2 declared; IC alice.";
    assert_int_equal(inc_incident_add_update(f->inc, "alice", &u, NULL, &upd_seq), INC_OK);
    assert_int_equal(inc_incident_slack_json(f->inc, upd_seq, &json, &len), INC_OK);
    assert_non_null(strstr(json, "*Status update* (internal) by alice"));
    inc_free(json);

    assert_int_equal(inc_incident_handoff(f->inc, "alice", "erin", "Stable.", "Watching.", "None."),
                     INC_OK);
    assert_int_equal(inc_incident_slack_json(f->inc, inc_incident_handoff_seq(f->inc), &json, &len),
                     INC_OK);
    assert_non_null(strstr(json, "*Hand-off of command* from alice to erin"));
    assert_non_null(strstr(json, "*Conditions*\\nStable."));
    inc_free(json);
    assert_int_equal(inc_incident_confirm_handoff(f->inc, "erin"), INC_OK);
    assert_int_equal(inc_incident_slack_json(f->inc, inc_incident_event_count(f->inc), &json, &len),
                     INC_OK);
    assert_non_null(strstr(json, "*Hand-off confirmed*: erin is the Incident Commander"));
    inc_free(json);
}

/* A text past 3,000 characters continues in further sections, cut between
 * words and never inside an entity; past 50 blocks the message ends with a
 * notice. */
static void test_slack_long_texts_stay_within_block_kit_limits(void **state)
{
    fixture *f = *state;
    static char amps[INC_TEXT_MAX + 1], words[INC_TEXT_MAX + 1];
    inc_can_report r = INC_CAN_REPORT_INIT;
    uint64_t seq = 0;
    char *json = NULL;
    size_t len, i;
    inc__json *root;
    const inc__json *blocks;

    for (i = 0; i < INC_TEXT_MAX; i++)
        words[i] = (i % 8 == 7) ? ' ' : 'w';
    words[INC_TEXT_MAX] = '\0';
    r.conditions = words;
    assert_int_equal(inc_incident_add_can(f->inc, "bob", &r, NULL, &seq), INC_OK);
    assert_int_equal(inc_incident_slack_json(f->inc, seq, &json, &len), INC_OK);
    root = parse(json, len);
    blocks = blocks_of(root);
    /* 1 intro + 6 sections for 16,384 + 13 characters + 1 context */
    assert_int_equal(blocks->count, 8);
    for (i = 1; i + 1 < blocks->count - 1; i++) {
        const char *t = block_text(blocks, i);
        assert_int_equal(t[strlen(t) - 1], ' '); /* cut after a space */
    }
    drop(root);
    inc_free(json);

    memset(amps, '&', INC_TEXT_MAX);
    amps[INC_TEXT_MAX] = '\0';
    r.conditions = amps;
    r.actions = amps;
    r.needs = amps;
    assert_int_equal(inc_incident_add_can(f->inc, "bob", &r, NULL, &seq), INC_OK);
    assert_int_equal(inc_incident_slack_json(f->inc, seq, &json, &len), INC_OK);
    root = parse(json, len);
    blocks = blocks_of(root);
    assert_int_equal(blocks->count, 50);
    assert_string_equal(inc__json_get(blocks->items[49], "type")->str, "context");
    assert_non_null(strstr(json, "Cut at Slack's 50 blocks"));
    for (i = 1; i < 49; i++) {
        const char *t = block_text(blocks, i);
        size_t n = strlen(t);
        assert_true(n >= 5 && memcmp(t + n - 5, "&amp;", 5) == 0); /* whole entities */
    }
    drop(root);
    inc_free(json);
}

static void test_slack_bad_arguments(void **state)
{
    fixture *f = *state;
    char *json = (char *)"untouched";
    uint64_t seq = 0;

    assert_int_equal(inc_incident_note(f->inc, "alice", "a note"), INC_OK);
    seq = inc_incident_event_count(f->inc);
    assert_int_equal(inc_incident_slack_json(f->inc, seq, &json, NULL), INC_EINVAL);
    assert_null(json);
    assert_int_equal(inc_incident_slack_json(f->inc, seq + 1, &json, NULL), INC_ENOTFOUND);
    assert_int_equal(inc_incident_slack_json(NULL, 0, &json, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_slack_json(f->inc, 0, NULL, NULL), INC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_statuspage_incident_id_is_an_event, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_bad_external_ids_write_nothing, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_statuspage_name_is_cut_to_255_characters, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_slack_header_escapes_user_text, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_slack_can_update_and_handoff, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_slack_long_texts_stay_within_block_kit_limits, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_slack_bad_arguments, setup, inc_test_world_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
