/* PagerDuty Events API v2 from the timeline (inc_incident_pagerduty_json()):
 * ESC-1/ESC-2 pages trigger, an acknowledgement (ESC-3) acknowledges them,
 * resolution resolves them; ESC-3 items are resolved by the
 * acknowledgement, REG-1 deadlines by their clock; closing (LIFE-1, a
 * LIFE-5 duplicate, the PM-1 Final postmortem) resolves everything; every alert keeps the
 * dedup_key of its due item from trigger to resolve. */
#include "test_due_util.h"

#include "incident/postmortem.h"
#include "incident_internal.h"
#include "util/alloc.h"
#include "util/json.h"

#define KEY32 "R0UT1NGKEY0123456789abcdefABCDEF"
#define KEY31 "R0UT1NGKEY0123456789abcdefABCDE"
#define URL   "https://ops.example.com/incidents/x"

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

/* One body: the event that called for it, its action and key. */
typedef struct body {
    uint64_t seq;
    char action[16];
    char key[256];
    char cls[32];
    int has_links;
} body;

typedef struct bodies {
    body v[64];
    size_t n;
} bodies;

static const char *jstr(const inc__json *o, const char *key)
{
    const inc__json *v = inc__json_get(o, key);
    assert_non_null(v);
    assert_int_equal(v->type, INC__JSON_STRING);
    return v->str;
}

/* The bodies of event @seq, parsed, appended to @all. */
static size_t take(const inc_incident *inc, uint64_t seq, bodies *all)
{
    inc_allocator a;
    char *out = NULL, *line, *next;
    size_t count = 99, lines = 0;

    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);
    assert_int_equal(inc_incident_pagerduty_json(inc, seq, KEY32, NULL, URL, &out, &count), INC_OK);
    assert_non_null(out);
    if (count == 0)
        assert_string_equal(out, "");
    for (line = out; count && line; line = next, lines++) {
        inc__json *doc = NULL;
        body *b = &all->v[all->n++];
        const inc__json *payload;
        if ((next = strchr(line, '\n')) != NULL)
            *next++ = '\0';
        assert_int_equal(inc__json_parse(&a, line, strlen(line), &doc, NULL), INC_OK);
        b->seq = seq;
        snprintf(b->action, sizeof(b->action), "%s", jstr(doc, "event_action"));
        snprintf(b->key, sizeof(b->key), "%s", jstr(doc, "dedup_key"));
        assert_string_equal(jstr(doc, "routing_key"), KEY32);
        b->has_links = inc__json_get(doc, "links") != NULL;
        if ((payload = inc__json_get(doc, "payload")) != NULL) {
            snprintf(b->cls, sizeof(b->cls), "%s", jstr(payload, "class"));
            assert_string_equal(jstr(payload, "group"), inc_incident_id(inc));
            assert_string_equal(jstr(doc, "client_url"), URL);
        }
        inc__json_free(&a, doc);
    }
    assert_int_equal(lines, count);
    inc_free(out);
    return count;
}

/* Every event's bodies, from the first to the last. */
static void take_all(const inc_incident *inc, bodies *all)
{
    uint64_t seq;
    memset(all, 0, sizeof(*all)); /* compared byte for byte */
    for (seq = 1; seq <= inc_incident_event_count(inc); seq++)
        take(inc, seq, all);
}

static const body *find(const bodies *all, const char *action, const char *key)
{
    size_t i;
    for (i = 0; i < all->n; i++)
        if (strcmp(all->v[i].action, action) == 0 && strcmp(all->v[i].key, key) == 0)
            return &all->v[i];
    return NULL;
}

/* Each key: one trigger first, at most one acknowledge, at most one
 * resolve and nothing after it. */
static void each_key_in_order(const bodies *all)
{
    size_t i, j;
    for (i = 0; i < all->n; i++) {
        int triggered = 0, acked = 0, resolved = 0;
        for (j = 0; j < all->n; j++) {
            const body *b = &all->v[j];
            if (strcmp(b->key, all->v[i].key) != 0)
                continue;
            assert_false(resolved);
            if (strcmp(b->action, "trigger") == 0) {
                assert_false(triggered);
                assert_true(b->has_links); /* links back to the incident */
                triggered = 1;
            } else if (strcmp(b->action, "acknowledge") == 0) {
                assert_true(triggered && !acked);
                assert_false(b->has_links); /* the API takes only the key */
                acked = 1;
            } else {
                assert_string_equal(b->action, "resolve");
                assert_true(triggered);
                resolved = 1;
            }
        }
    }
}

/* The dedup key of the first delivered item of @kind in @l. */
static void key_of(inc_due_list *l, inc_due_kind kind, char key[256])
{
    size_t i;
    for (i = 0; i < inc_due_list_count(l); i++)
        if (inc_due_list_at(l, i)->kind == kind) {
            snprintf(key, 256, "%s", inc_due_list_at(l, i)->dedup_key);
            return;
        }
    fail_msg("no %s item delivered", inc_due_kind_name(kind));
}

static void resolve(inc_incident *inc)
{
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_INVESTIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_MITIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_MONITORING, NULL), INC_OK);
    assert_int_equal(
        inc_incident_set_state(inc, "alice", INC_STATE_RESOLVED, "Checked checkout by hand."),
        INC_OK);
}

static void test_ESC_02_a_page_triggers_acknowledges_and_resolves(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-1", "Checkout down");
    inc_due_list *l = NULL;
    char step[256], ack[256], page[256];
    uint64_t first = 0, acked_seq, resolved_seq;
    bodies all;

    /* The program's first page (ESC-2): "<id>/page/<seq>". */
    assert_int_equal(inc_incident_request_page(inc, "pager", "on-call", NULL, &first), INC_OK);
    snprintf(page, sizeof(page), "%s/page/%llu", inc_incident_id(inc), (unsigned long long)first);
    /* T+15m: the ESC-1 step and the ESC-3 acknowledge item come due. */
    fx_at(f, 15 * MINUTE);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    key_of(l, INC_DUE_ESCALATION, step);
    key_of(l, INC_DUE_ACK, ack);
    inc_due_list_free(l);
    fx_at(f, 17 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", first), INC_OK);
    acked_seq = inc_incident_event_count(inc);
    fx_at(f, 40 * MINUTE);
    resolve(inc);
    resolved_seq = inc_incident_event_count(inc);

    take_all(inc, &all);
    each_key_in_order(&all);
    /* The same key as the due item's (inc_due_list_pagerduty's trigger). */
    assert_int_equal(find(&all, "trigger", page)->seq, first);
    assert_string_equal(find(&all, "trigger", page)->cls, "page");
    assert_string_equal(find(&all, "trigger", step)->cls, "escalation");
    assert_string_equal(find(&all, "trigger", ack)->cls, "ack");
    /* Acknowledged: the pages are acknowledged, the ESC-3 item is satisfied. */
    assert_int_equal(find(&all, "acknowledge", page)->seq, acked_seq);
    assert_int_equal(find(&all, "acknowledge", step)->seq, acked_seq);
    assert_int_equal(find(&all, "resolve", ack)->seq, acked_seq);
    assert_null(find(&all, "acknowledge", ack));
    /* Resolved (LIFE-2): the pages are resolved, nothing else was open. */
    assert_int_equal(find(&all, "resolve", page)->seq, resolved_seq);
    assert_int_equal(find(&all, "resolve", step)->seq, resolved_seq);
    assert_int_equal(all.n, 3 + 3 + 2);
    /* Asked again (a consumer that restarts), the same bodies. */
    {
        bodies again;
        take_all(inc, &again);
        assert_int_equal(again.n, all.n);
        assert_memory_equal(again.v, all.v, all.n * sizeof(all.v[0]));
    }
    fx_release(f, inc);
}

static void test_ESC_03_an_expired_acknowledgement_acknowledges_again(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-1", "Ack expires");
    inc_due_list *l = NULL;
    char step[256], expired[256];
    bodies all;
    size_t i, acks = 0;

    fx_at(f, 15 * MINUTE);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    key_of(l, INC_DUE_ESCALATION, step);
    inc_due_list_free(l);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", 0), INC_OK);
    /* Nothing happens for the ack timeout: the acknowledgement expires. */
    fx_at(f, 3 * HOUR);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    key_of(l, INC_DUE_ACK_EXPIRED, expired);
    inc_due_list_free(l);
    assert_non_null(strstr(expired, "/ack_expired/bob/"));
    assert_int_equal(inc_incident_acknowledge(inc, "carol", 0), INC_OK);

    take_all(inc, &all);
    assert_non_null(find(&all, "trigger", expired));
    assert_non_null(find(&all, "resolve", expired));
    for (i = 0; i < all.n; i++)
        acks += strcmp(all.v[i].key, step) == 0 && strcmp(all.v[i].action, "acknowledge") == 0;
    assert_int_equal(acks, 2); /* after the expiry the page is acknowledged again */
    fx_release(f, inc);
}

static void test_REG_01_a_deadline_resolves_when_its_clock_stops(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-2", "Breach notice");
    inc_due_list *l = NULL;
    char deadline[256];
    uint64_t stopped;
    bodies all;

    assert_int_equal(inc_incident_start_deadline_clock(inc, "alice", "gdpr-72h", T0 + HOUR,
                                                       INC_DURATION_NONE, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_acknowledge(inc, "alice", 0), INC_OK);
    fx_at(f, HOUR + MINUTE);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    key_of(l, INC_DUE_DEADLINE, deadline);
    inc_due_list_free(l);
    /* The outage resolves: the regulatory duty outlives it. */
    resolve(inc);
    take_all(inc, &all);
    assert_non_null(find(&all, "trigger", deadline));
    assert_null(find(&all, "resolve", deadline));
    assert_int_equal(inc_incident_stop_deadline_clock(inc, "alice", "gdpr-72h", 0, "Filed."),
                     INC_OK);
    stopped = inc_incident_event_count(inc);
    take_all(inc, &all);
    each_key_in_order(&all);
    assert_int_equal(find(&all, "resolve", deadline)->seq, stopped);
    fx_release(f, inc);
}

static void test_LIFE_05_a_duplicate_closes_its_pages(void **state)
{
    due_fx *f = *state;
    inc_incident *primary = fx_declare(f, "Sev-2", "Primary");
    inc_incident *dup = fx_declare(f, "Sev-2", "Duplicate");
    char page[256];
    uint64_t first = 0;
    bodies all;

    assert_int_equal(inc_incident_request_page(dup, "pager", "on-call", "first", &first), INC_OK);
    snprintf(page, sizeof(page), "%s/page/%llu", inc_incident_id(dup), (unsigned long long)first);
    assert_int_equal(
        inc_incident_add_link(dup, "alice", INC_LINK_DUPLICATE_OF, inc_incident_id(primary), NULL),
        INC_OK);
    take_all(dup, &all);
    each_key_in_order(&all);
    assert_int_equal(find(&all, "resolve", page)->seq, inc_incident_event_count(dup));
    assert_null(find(&all, "acknowledge", page));
    fx_release(f, dup);
    fx_release(f, primary);
}

static void test_LIFE_04_a_reopened_ladder_has_new_keys(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-1", "Reopened");
    inc_due_list *l = NULL;
    char first[256], again[256];
    bodies all;

    fx_at(f, 15 * MINUTE);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    key_of(l, INC_DUE_ESCALATION, first);
    inc_due_list_free(l);
    resolve(inc);
    fx_at(f, HOUR);
    assert_int_equal(
        inc_incident_reopen(inc, "alice", INC_STATE_INVESTIGATING, "The fix did not hold."),
        INC_OK);
    fx_at(f, HOUR + 15 * MINUTE);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    key_of(l, INC_DUE_ESCALATION, again);
    inc_due_list_free(l);
    assert_string_not_equal(first, again);
    assert_non_null(strstr(again, "/r1"));
    take_all(inc, &all);
    each_key_in_order(&all);
    assert_non_null(find(&all, "resolve", first));
    assert_non_null(find(&all, "trigger", again));
    assert_null(find(&all, "resolve", again));
    fx_release(f, inc);
}

static void test_LIFE_01_closing_resolves_what_is_open(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-4", "Closed by its postmortem");
    uint64_t page = 0;
    bodies all;

    resolve(inc);
    /* A page requested after resolution is open until the incident closes. */
    assert_int_equal(inc_incident_request_page(inc, "pager", "on-call", "late page", &page),
                     INC_OK);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_CLOSED, NULL), INC_OK);
    assert_int_equal(inc_incident_state(inc), INC_STATE_CLOSED);
    take_all(inc, &all);
    each_key_in_order(&all);
    assert_int_equal(all.n, 2);
    assert_string_equal(all.v[1].action, "resolve");
    assert_int_equal(all.v[1].seq, inc_incident_event_count(inc));
    fx_release(f, inc);
}

static void test_PM_01_the_final_postmortem_resolves_what_is_open(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-2", "Closed by its postmortem");
    uint64_t page = 0;
    unsigned i;
    bodies all;

    resolve(inc);
    assert_int_equal(inc_incident_request_page(inc, "pager", "on-call", "late page", &page),
                     INC_OK);
    for (i = 0; i < INC_PM_SECTION_COUNT; i++)
        assert_int_equal(inc_incident_set_postmortem_section(
                             inc, "bob", (inc_pm_section)i, "The cache config change.", NULL, NULL),
                         INC_OK);
    assert_int_equal(inc_incident_set_root_cause_tag(inc, "bob", "config-change"), INC_OK);
    assert_int_equal(inc_incident_set_postmortem_status(inc, "bob", INC_PM_IN_REVIEW, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_set_postmortem_status(inc, "alice", INC_PM_FINAL, NULL), INC_OK);
    assert_int_equal(inc_incident_state(inc), INC_STATE_CLOSED);
    take_all(inc, &all);
    each_key_in_order(&all);
    assert_int_equal(all.n, 2);
    assert_string_equal(all.v[1].action, "resolve");
    assert_int_equal(all.v[1].seq, inc_incident_event_count(inc));
    fx_release(f, inc);
}

static void test_ESC_02_pagerduty_json_refuses_bad_arguments(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-1", "Bad arguments");
    char *out = (char *)"untouched";
    size_t count = 7;

    assert_int_equal(inc_incident_pagerduty_json(NULL, 1, KEY32, NULL, NULL, &out, &count),
                     INC_EINVAL);
    assert_null(out);
    assert_int_equal(count, 0);
    assert_int_equal(inc_incident_pagerduty_json(inc, 1, KEY32, NULL, NULL, NULL, &count),
                     INC_EINVAL);
    assert_int_equal(inc_incident_pagerduty_json(inc, 0, KEY32, NULL, NULL, &out, NULL),
                     INC_EINVAL);
    /* The routing key is the 32-character integration key. */
    assert_int_equal(inc_incident_pagerduty_json(inc, 1, KEY31, NULL, NULL, &out, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_pagerduty_json(inc, 1, KEY32 "x", NULL, NULL, &out, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_pagerduty_json(inc, 1, NULL, NULL, NULL, &out, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_pagerduty_json(inc, 1, KEY32, "two\nlines", NULL, &out, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_pagerduty_json(inc, 1, KEY32, NULL, "ftp://x", &out, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_pagerduty_json(inc, 1, KEY32, NULL, "https://x/a b", &out, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_pagerduty_json(inc, inc_incident_event_count(inc) + 1, KEY32,
                                                 NULL, NULL, &out, &count),
                     INC_ENOTFOUND);
    assert_null(out);
    /* The declaration calls for nothing: "" and 0. */
    assert_int_equal(inc_incident_pagerduty_json(inc, 1, KEY32, NULL, NULL, &out, &count), INC_OK);
    assert_string_equal(out, "");
    assert_int_equal(count, 0);
    inc_free(out);
    fx_release(f, inc);
}

/* Every allocation of the call fails cleanly: INC_ENOMEM, *out NULL, no
 * leak; once none fails, the bodies are those of a run that never failed. */
static void test_ESC_02_pagerduty_json_allocation_failures(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator a;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    struct inc_test_clock clock;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL;
    inc_due_list *l = NULL;
    char *want = NULL, *out;
    size_t live, count;
    unsigned long n;
    uint64_t acked;
    (void)state;

    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    inc_test_clock_init(&clock, T0);
    o.allocator = &a;
    o.clock = inc_test_clock_fn;
    o.clock_user = &clock;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    d.title = "Allocation failures";
    d.declarer = "alice";
    d.severity = "Sev-1";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    assert_int_equal(inc_incident_request_page(inc, "pager", "on-call", NULL, NULL), INC_OK);
    clock.now = T0 + 15 * MINUTE;
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
    inc_due_list_free(l);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", 0), INC_OK);
    acked = inc_incident_event_count(inc);
    assert_int_equal(inc_incident_pagerduty_json(inc, acked, KEY32, NULL, URL, &want, &count),
                     INC_OK);
    assert_int_equal(count, 3); /* two acknowledges, the ESC-3 item resolved */
    live = ta.live_blocks;
    for (n = 1;; n++) {
        int rc;
        out = (char *)"untouched";
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_pagerduty_json(inc, acked, KEY32, NULL, URL, &out, &count);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK) {
            assert_string_equal(out, want);
            inc_free(out);
            break;
        }
        assert_int_equal(rc, INC_ENOMEM);
        assert_null(out);
        assert_int_equal(ta.live_blocks, live);
    }
    assert_true(n > 1);
    inc_free(want);
    inc_incident_free(inc);
    inc_context_free(ctx);
    assert_int_equal(ta.live_blocks, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_ESC_02_a_page_triggers_acknowledges_and_resolves),
        T(test_ESC_03_an_expired_acknowledgement_acknowledges_again),
        T(test_REG_01_a_deadline_resolves_when_its_clock_stops),
        T(test_LIFE_05_a_duplicate_closes_its_pages),
        T(test_LIFE_04_a_reopened_ladder_has_new_keys),
        T(test_LIFE_01_closing_resolves_what_is_open),
        T(test_PM_01_the_final_postmortem_resolves_what_is_open),
        T(test_ESC_02_pagerduty_json_refuses_bad_arguments),
        cmocka_unit_test(test_ESC_02_pagerduty_json_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
