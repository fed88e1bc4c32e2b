/* Paging records (ESC-2, ESC-3, MET-1): pages requested, sent and
 * acknowledged, with their times and people, replayed from the timeline;
 * and the PagerDuty Events API v2 payloads of due items. */
#include "test_due_util.h"

#include "incident_internal.h"
#include "util/alloc.h"
#include "util/json.h"

/* A PagerDuty Events v2 routing key is 32 letters and digits. */
#define KEY32 "R0UT1NGKEY0123456789abcdefABCDEF"
#define KEY31 "R0UT1NGKEY0123456789abcdefABCDE"

static int setup(void **state)
{
    *state = fx_new();
    return 0;
}

static int teardown(void **state)
{
    fx_free(*state);
    return 0;
}

/* ---- paging records (ESC-2, ESC-3, MET-1) --------------------------------------- */

static void test_ESC_03_paging_records_give_mtta_and_pages_per_person(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-1", "Paging records");
    inc_due_list *l = NULL;
    uint64_t first = 0, step_seq = 0;
    char *text = NULL;
    size_t i;

    assert_int_equal(inc_incident_request_page(inc, "pager", "on-call", "first page", &first),
                     INC_OK);
    assert_int_equal(inc_incident_mark_page_sent(inc, "pager", first, "bob"), INC_OK);
    assert_int_equal(inc_incident_mark_page_sent(inc, "pager", first, "bob"), INC_EEXIST);
    assert_int_equal(inc_incident_mark_page_sent(inc, "pager", 1, "bob"), INC_ENOTFOUND);
    assert_int_equal(inc_incident_mark_page_sent(inc, "pager", first, ""), INC_EINVAL);
    assert_int_equal(inc_incident_request_page(inc, "pager", "", NULL, NULL), INC_EINVAL);
    fx_at(f, 15 * MINUTE);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    for (i = 0; i < inc_due_list_count(l); i++)
        if (inc_due_list_at(l, i)->kind == INC_DUE_ESCALATION)
            step_seq = inc_due_list_at(l, i)->seq;
    inc_due_list_free(l);
    assert_true(step_seq > first);
    assert_int_equal(inc_incident_mark_page_sent(inc, "pager", step_seq, "bob"), INC_OK);
    assert_int_equal(inc_incident_mark_page_sent(inc, "pager", step_seq, "carol"), INC_OK);
    fx_at(f, 17 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(inc, "carol", 99), INC_ENOTFOUND);
    assert_int_equal(inc_incident_acknowledge(inc, "carol", step_seq), INC_OK);
    /* Page -> acknowledgement: 17 minutes. Pages: bob twice, carol once. */
    assert_int_equal(inc_incident_first_ack_at(inc) - inc_incident_first_page_at(inc), 17 * MINUTE);
    assert_int_equal(inc_incident_page_count(inc), 3);
    assert_string_equal(inc_incident_page(inc, 0)->person, "bob");
    assert_int_equal(inc_incident_page(inc, 0)->step, 0);
    assert_string_equal(inc_incident_page(inc, 1)->person, "bob");
    assert_string_equal(inc_incident_page(inc, 2)->person, "carol");
    assert_int_equal(inc_incident_page(inc, 2)->step, 1);
    assert_int_equal(inc_incident_page(inc, 2)->sent_at, T0 + 15 * MINUTE);
    assert_null(inc_incident_page(inc, 3));
    /* Replay gives the same records, and the timeline reads well. */
    assert_int_equal(inc_incident_reload(inc), INC_OK);
    assert_int_equal(inc_incident_page_count(inc), 3);
    assert_string_equal(inc_incident_acknowledged_by(inc), "carol");
    assert_int_equal(inc_incident_render_timeline(inc, &text, NULL), INC_OK);
    assert_non_null(strstr(text, "Page requested: on-call"));
    assert_non_null(strstr(text, "sent to carol"));
    assert_non_null(strstr(text, "Acknowledged by carol"));
    assert_non_null(strstr(text, "Due (COMM-4, comm) delivered"));
    inc_free(text);
    fx_release(f, inc);
}

/* ---- payloads: PagerDuty Events API v2 ---------------------------------------------- */

static const char *jstr(const inc__json *o, const char *key)
{
    const inc__json *v = inc__json_get(o, key);
    assert_non_null(v);
    assert_int_equal(v->type, INC__JSON_STRING);
    return v->str;
}

static void test_ESC_02_pagerduty_trigger_ack_and_resolve(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-1", "PagerDuty payload");
    inc_due_list *l = NULL;
    const inc_due_item *it = NULL;
    inc__json *doc = NULL;
    const inc__json *payload, *details;
    char *json = NULL;
    size_t len = 0, i;
    inc_allocator a;

    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);

    fx_at(f, 15 * MINUTE);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    for (i = 0; i < inc_due_list_count(l); i++)
        if (inc_due_list_at(l, i)->kind == INC_DUE_ESCALATION)
            break;
    it = inc_due_list_at(l, i);
    assert_non_null(it);
    assert_int_equal(
        inc_due_list_pagerduty(l, i, KEY32, NULL, "https://ops.example.com/i/x", &json, &len),
        INC_OK);
    assert_int_equal(len, strlen(json));
    assert_int_equal(inc__json_parse(&a, json, len, &doc, NULL), INC_OK);
    assert_string_equal(jstr(doc, "routing_key"), KEY32);
    assert_string_equal(jstr(doc, "event_action"), "trigger");
    assert_string_equal(jstr(doc, "dedup_key"), it->dedup_key);
    assert_non_null(strstr(it->dedup_key, inc_incident_id(inc)));
    assert_non_null(strstr(it->dedup_key, "/esc/Sev-1/1"));
    payload = inc__json_get(doc, "payload");
    assert_non_null(payload);
    assert_string_equal(jstr(payload, "summary"), it->text);
    assert_string_equal(jstr(payload, "severity"), "critical");
    assert_string_equal(jstr(payload, "source"), "libincident");
    assert_string_equal(jstr(payload, "timestamp"), "2026-11-23T14:27:00.000Z");
    assert_string_equal(jstr(payload, "class"), "escalation");
    details = inc__json_get(payload, "custom_details");
    assert_non_null(details);
    assert_string_equal(jstr(details, "rule_id"), "ESC-1");
    assert_string_equal(jstr(details, "target"), "on-call,backup");
    assert_int_equal(inc__json_get(details, "step")->integer, 1);
    /* Links back to the incident (client_url, links). */
    assert_string_equal(jstr(doc, "client"), "libincident");
    assert_string_equal(jstr(doc, "client_url"), "https://ops.example.com/i/x");
    assert_int_equal(inc__json_get(doc, "links")->count, 1);
    assert_string_equal(jstr(inc__json_get(doc, "links")->items[0], "href"),
                        "https://ops.example.com/i/x");
    inc__json_free(&a, doc);
    inc_free(json);
    assert_int_equal(inc_due_list_pagerduty(l, 999, KEY32, NULL, NULL, &json, NULL), INC_ENOTFOUND);
    assert_int_equal(inc_due_list_pagerduty(l, i, "", NULL, NULL, &json, NULL), INC_EINVAL);
    assert_int_equal(inc_due_list_pagerduty(l, i, KEY32, "bad\nsource", NULL, &json, NULL),
                     INC_EINVAL);
    /* The routing key is 32 letters and digits; the URL http(s) without blanks. */
    assert_int_equal(inc_due_list_pagerduty(l, i, KEY31, NULL, NULL, &json, NULL), INC_EINVAL);
    assert_int_equal(inc_due_list_pagerduty(l, i, KEY32 "0", NULL, NULL, &json, NULL), INC_EINVAL);
    assert_int_equal(inc_due_list_pagerduty(l, i, KEY31 "-", NULL, NULL, &json, NULL), INC_EINVAL);
    assert_int_equal(inc_due_list_pagerduty(l, i, KEY32, NULL, "ftp://x", &json, NULL), INC_EINVAL);
    assert_int_equal(inc_due_list_pagerduty(l, i, KEY32, NULL, "https://x/a b", &json, NULL),
                     INC_EINVAL);
    assert_null(json);
    assert_int_equal(inc_due_list_pagerduty(l, i, KEY32, NULL, NULL, &json, NULL), INC_OK);
    assert_null(strstr(json, "\"links\""));
    inc_free(json);

    assert_int_equal(inc_pagerduty_event("resolve", KEY32, it->dedup_key, &json, &len), INC_OK);
    assert_int_equal(inc__json_parse(&a, json, len, &doc, NULL), INC_OK);
    assert_string_equal(jstr(doc, "event_action"), "resolve");
    assert_string_equal(jstr(doc, "dedup_key"), it->dedup_key);
    assert_null(inc__json_get(doc, "payload"));
    inc__json_free(&a, doc);
    inc_free(json);
    assert_int_equal(inc_pagerduty_event("acknowledge", KEY32, "d", &json, NULL), INC_OK);
    assert_non_null(strstr(json, "\"event_action\":\"acknowledge\""));
    inc_free(json);
    assert_int_equal(inc_pagerduty_event("trigger", KEY32, "d", &json, NULL), INC_EINVAL);
    assert_int_equal(inc_pagerduty_event("resolve", KEY32, NULL, &json, NULL), INC_EINVAL);
    assert_int_equal(inc_pagerduty_event("resolve", KEY31, "d", &json, NULL), INC_EINVAL);
    inc_due_list_free(l);
    fx_release(f, inc);
}

/* payload.severity from the level: the bottom three levels are info,
 * warning, error; every level above is critical. */
static void test_ESC_02_pagerduty_severity_follows_the_level(void **state)
{
    due_fx *f = *state;
    static const char *const levels[] = {"Sev-0", "Sev-1", "Sev-2", "Sev-3", "Sev-4"};
    static const char *const expect[] = {"\"severity\":\"critical\"", "\"severity\":\"critical\"",
                                         "\"severity\":\"error\"", "\"severity\":\"warning\"",
                                         "\"severity\":\"info\""};
    size_t i, j;

    for (i = 0; i < 5; i++) {
        inc_incident *inc = fx_declare(f, levels[i], "Severity map");
        inc_due_list *l = NULL;
        char *json = NULL;
        fx_at(f, (int64_t)i * 30 * DAY + 40 * DAY);
        assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
        assert_true(inc_due_list_count(l) > 0);
        for (j = 0; j < inc_due_list_count(l); j++) {
            assert_int_equal(inc_due_list_pagerduty(l, j, KEY32, "src", NULL, &json, NULL), INC_OK);
            assert_non_null(strstr(json, expect[i]));
            inc_free(json);
        }
        inc_due_list_free(l);
        fx_release(f, inc);
    }
}

/* ---- closed incidents and replay checks -------------------------------------- */

static void test_ESC_02_closed_incidents_take_no_pages_or_clocks(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-4", "Closed");
    uint64_t seq = 0;
    size_t n, i;

    assert_int_equal(inc_incident_request_page(inc, "pager", "on-call", NULL, &seq), INC_OK);
    for (i = INC_STATE_INVESTIGATING; i <= INC_STATE_CLOSED; i++)
        assert_int_equal(inc_incident_set_state(inc, "alice", (inc_state)i, "ok"), INC_OK);
    n = inc_incident_event_count(inc);
    assert_int_equal(inc_incident_request_page(inc, "pager", "on-call", NULL, NULL), INC_ESTATE);
    assert_int_equal(inc_incident_mark_page_sent(inc, "pager", seq, "bob"), INC_ESTATE);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", seq), INC_ESTATE);
    assert_int_equal(
        inc_incident_start_deadline_clock(inc, "alice", "c", T0 + DAY, INC_DURATION_NONE, NULL),
        INC_ESTATE);
    assert_int_equal(inc_incident_stop_deadline_clock(inc, "alice", "c", 0, NULL), INC_ESTATE);
    assert_int_equal(inc_incident_event_count(inc), n);
    fx_release(f, inc);
}

/* Replay refuses records the write path never makes (INC_ECORRUPT): the
 * timeline is checked as it is read back, not trusted. */
static void test_ESC_02_replay_refuses_records_that_do_not_fit(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-1", "Replay checks");
    inc__event_draft d[8];
    uint8_t prev[INC__SHA256_LEN];
    size_t i;

    inc__draft_init(&d[0], INC_EV_PAGE_SENT, "pager"); /* ref is the declaration */
    inc__draft_int(&d[0], INC__F_REF_SEQ, 1);
    inc__draft_str(&d[0], INC__F_PERSON, "bob");
    inc__draft_init(&d[1], INC_EV_PAGE_REQUESTED, "scheduler"); /* no such position */
    inc__draft_str(&d[1], INC__F_TARGET, "x");
    inc__draft_str(&d[1], INC__F_SEVERITY, "Sev-1");
    inc__draft_int(&d[1], INC__F_STEP, 99);
    inc__draft_init(&d[2], INC_EV_PAGE_REQUESTED, "scheduler"); /* not the level in force */
    inc__draft_str(&d[2], INC__F_TARGET, "x");
    inc__draft_str(&d[2], INC__F_SEVERITY, "Sev-2");
    inc__draft_int(&d[2], INC__F_STEP, 0);
    inc__draft_init(&d[3], INC_EV_DEADLINE_CLOCK_STOPPED, "alice"); /* no such clock */
    inc__draft_str(&d[3], INC__F_NAME, "nope");
    inc__draft_int(&d[3], INC__F_STATUS, INC_DEADLINE_CLOCK_MET);
    inc__draft_init(&d[4], INC_EV_DUE_DELIVERED, "scheduler"); /* expiry without an ack */
    inc__draft_int(&d[4], INC__F_ITEM, INC_DUE_ACK_EXPIRED);
    inc__draft_int(&d[4], INC__F_STEP, 0);
    inc__draft_int(&d[4], INC__F_DUE, T0);
    inc__draft_init(&d[5], INC_EV_DUE_DELIVERED, "scheduler"); /* unknown item kind */
    inc__draft_int(&d[5], INC__F_ITEM, 99);
    inc__draft_int(&d[5], INC__F_STEP, 0);
    inc__draft_int(&d[5], INC__F_DUE, T0);
    inc__draft_init(&d[6], INC_EV_ACKNOWLEDGED, "bob");             /* nobody acknowledged */
    inc__draft_init(&d[7], INC_EV_DEADLINE_CLOCK_STARTED, "alice"); /* no deadline */
    inc__draft_str(&d[7], INC__F_NAME, "c");
    inc__sha256(inc->events[0].data, inc->events[0].len, prev); /* the chain holds (TL-2) */
    for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
        inc_incident *h = NULL;
        inc__buf b;
        inc__buf_init(&b, &f->ctx->alloc);
        assert_int_equal(inc__incident_alloc(f->ctx, inc_incident_id(inc), &h), INC_OK);
        assert_int_equal(inc__incident_load_event(h, 1, inc->events[0].data, inc->events[0].len),
                         INC_OK);
        if (inc__event_encode(&d[i], 2, T0, prev, &b, NULL) != INC_OK) {
            /* A required field missing: the encoder refuses it; forge the bytes. */
            assert_int_equal(inc__event_encode(&d[i], 2, T0, prev, &b, NULL), INC_EINVAL);
            assert_int_equal(inc__event_encode_unchecked(&d[i], 2, T0, prev, &b, NULL), INC_OK);
        }
        assert_int_equal(inc__incident_load_event(h, 2, b.ptr, b.len), INC_ECORRUPT);
        assert_null(strstr(inc_incident_errmsg(h), "chain")); /* refused for what it says */
        assert_int_equal(inc_incident_event_count(h), 1);
        inc__buf_dispose(&b);
        inc_incident_free(h);
    }
    fx_release(f, inc);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_ESC_03_paging_records_give_mtta_and_pages_per_person),
        T(test_ESC_02_pagerduty_trigger_ack_and_resolve),
        T(test_ESC_02_pagerduty_severity_follows_the_level),
        T(test_ESC_02_closed_incidents_take_no_pages_or_clocks),
        T(test_ESC_02_replay_refuses_records_that_do_not_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
