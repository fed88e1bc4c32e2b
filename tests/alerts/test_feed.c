/* The change feed (include/incident/feed.h): every event once, in order per
 * incident, from a cursor the consumer keeps; restart-safe; at least once
 * when the consumer crashes between sending and saving; the wait hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "incident/feed.h"
#include "test_world.h"

#define MAX_SEEN 64

typedef struct seen {
    char keys[MAX_SEEN][INC_ID_MAX + 24];
    size_t n;
    int stop_at; /* return 7 for this item (1-based), 0: never */
} seen;

static int record(void *user, const inc_feed_item *it)
{
    seen *s = user;
    if (s->stop_at && (int)s->n + 1 == s->stop_at)
        return 7;
    assert_true(s->n < MAX_SEEN);
    assert_non_null(it->text);
    assert_non_null(it->actor);
    assert_true(it->len > 0);
    snprintf(s->keys[s->n++], sizeof(s->keys[0]), "%s#%llu", it->incident_id,
             (unsigned long long)it->seq);
    return 0;
}

static size_t poll_all(inc_feed *f, seen *s)
{
    size_t n;
    assert_int_equal(inc_feed_poll(f, 0, record, s, &n), INC_OK);
    return n;
}

static char *cursor_of(inc_feed *f)
{
    char *c = NULL;
    assert_int_equal(inc_feed_cursor(f, &c), INC_OK);
    return c;
}

static inc_feed *feed_at(struct inc_test_world *w, const char *cursor)
{
    inc_feed *f = NULL;
    assert_int_equal(inc_feed_new(w->ctx, cursor, &f), INC_OK);
    return f;
}

static void test_every_event_once_in_order(void **state)
{
    struct inc_test_world *w = *state;
    inc_feed *f = feed_at(w, NULL);
    seen s = {0};
    char *c;
    size_t i, total = inc_incident_event_count(w->inc);
    char want[64];

    assert_int_equal(poll_all(f, &s), total);
    for (i = 0; i < total; i++) {
        snprintf(want, sizeof(want), "%s#%zu", inc_incident_id(w->inc), i + 1);
        assert_string_equal(s.keys[i], want);
    }
    assert_int_equal(poll_all(f, &s), 0); /* nothing new: nothing again */
    c = cursor_of(f);
    snprintf(want, sizeof(want), "libincident-feed 1 %s=%zu", inc_incident_id(w->inc), total);
    assert_string_equal(c, want);
    inc_free(c);
    inc_feed_free(f);
}

static void test_restart_from_the_saved_cursor(void **state)
{
    struct inc_test_world *w = *state;
    inc_feed *f = feed_at(w, "");
    seen s = {0};
    char *saved;
    inc_incident *other;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;

    poll_all(f, &s);
    saved = cursor_of(f);
    inc_feed_free(f); /* the consumer stops */
    assert_int_equal(inc_incident_note(w->inc, "alice", "after the restart"), INC_OK);
    d.title = "Second";
    d.declarer = "bob";
    d.severity = "Sev-3";
    assert_int_equal(inc_incident_declare(w->ctx, &d, &other), INC_OK);
    f = feed_at(w, saved);
    memset(&s, 0, sizeof(s));
    assert_int_equal(poll_all(f, &s), 2); /* the note, and the new incident's declaration */
    inc_free(saved);
    inc_incident_free(other);
    inc_feed_free(f);
}

/* A consumer that sends and crashes before saving its cursor gets the same
 * items again, with the same idempotency keys: at least once. */
static void test_crash_between_send_and_save_is_at_least_once(void **state)
{
    struct inc_test_world *w = *state;
    inc_feed *f = feed_at(w, NULL);
    seen first = {0}, again = {0};
    char *saved = cursor_of(f);
    size_t i;

    assert_int_equal(inc_incident_note(w->inc, "alice", "sent, cursor not saved"), INC_OK);
    poll_all(f, &first);
    inc_feed_free(f); /* crash: the cursor was not saved */
    f = feed_at(w, saved);
    assert_int_equal(poll_all(f, &again), first.n);
    for (i = 0; i < first.n; i++)
        assert_string_equal(again.keys[i], first.keys[i]);
    inc_free(saved);
    inc_feed_free(f);
}

static void test_a_stopping_callback_and_max(void **state)
{
    struct inc_test_world *w = *state;
    inc_feed *f = feed_at(w, NULL);
    seen s = {0};
    size_t n;

    assert_int_equal(inc_incident_note(w->inc, "alice", "one"), INC_OK);
    assert_int_equal(inc_incident_note(w->inc, "alice", "two"), INC_OK);
    assert_int_equal(inc_feed_poll(f, 1, record, &s, &n), INC_OK);
    assert_int_equal(n, 1);
    s.stop_at = 2; /* refuse the next item */
    assert_int_equal(inc_feed_poll(f, 0, record, &s, &n), 7);
    assert_int_equal(n, 0);
    s.stop_at = 0;
    assert_int_equal(inc_feed_poll(f, 0, record, &s, &n), INC_OK);
    assert_int_equal(s.n, inc_incident_event_count(w->inc)); /* none lost, none twice */
    assert_string_equal(s.keys[1] + strlen(s.keys[1]) - 2, "#2");
    inc_feed_free(f);
}

static void test_bad_cursors(void **state)
{
    struct inc_test_world *w = *state;
    inc_feed *f = (inc_feed *)1;

    assert_int_equal(inc_feed_new(w->ctx, "nonsense", &f), INC_EINVAL);
    assert_null(f);
    assert_int_equal(inc_feed_new(w->ctx, "libincident-feed 2 a=1", &f), INC_EVERSION);
    assert_int_equal(inc_feed_new(w->ctx, "libincident-feed 1 a=", &f), INC_EINVAL);
    assert_non_null(strstr(inc_context_errmsg(w->ctx), "<id>=<seq>"));
    assert_int_equal(inc_feed_new(w->ctx, "libincident-feed 1 a=99999999999999999999", &f),
                     INC_EINVAL);
    assert_int_equal(inc_feed_new(w->ctx, "libincident-feed 1a=1", &f), INC_EINVAL);
    assert_int_equal(inc_feed_new(NULL, NULL, &f), INC_EINVAL);
    assert_int_equal(inc_feed_poll(NULL, 0, record, NULL, NULL), INC_EINVAL);
    inc_feed_free(NULL);
}

typedef struct waiter {
    inc_incident *inc;
    int calls;
} waiter;

/* A wait hook standing in for a store's change notification: the change
 * arrives during the wait. */
static int notify(void *user, int64_t timeout_ms)
{
    waiter *wt = user;
    (void)timeout_ms;
    wt->calls++;
    return inc_incident_note(wt->inc, "alice", "arrived while waiting");
}

static void test_wait_hook(void **state)
{
    struct inc_test_world *w = *state;
    inc_feed *f = feed_at(w, NULL);
    seen s = {0};
    waiter wt = {w->inc, 0};
    int ready = -1;

    assert_int_equal(inc_feed_wait(f, 0, &ready), INC_OK);
    assert_int_equal(ready, 1); /* the declaration is new */
    poll_all(f, &s);
    assert_int_equal(inc_feed_wait(f, 0, &ready), INC_OK);
    assert_int_equal(ready, 0);
    assert_int_equal(inc_feed_set_wait(f, notify, &wt), INC_OK);
    assert_int_equal(inc_feed_wait(f, 60000, &ready), INC_OK);
    assert_int_equal(ready, 1);
    assert_int_equal(wt.calls, 1);
    assert_int_equal(inc_feed_wait(f, -1, &ready), INC_EINVAL);
    inc_feed_free(f);
}

static int count_item(void *user, const inc_feed_item *it)
{
    (void)it;
    ++*(size_t *)user;
    return 0;
}

/* Every allocation failure of new, poll, cursor and wait is reported as
 * INC_ENOMEM and leaks nothing. */
/* A store with no incident (the receiver's first start): nothing to
 * deliver, nothing to wait for, the cursor is the header alone. (The ids'
 * sort was handed a NULL array here, which UBSan refuses.) */
static void test_an_empty_store(void **state)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_feed *f = NULL;
    seen s = {0};
    size_t n = 9;
    int ready = 1;
    char *c;
    (void)state;

    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    assert_int_equal(inc_feed_new(ctx, "", &f), INC_OK);
    assert_int_equal(inc_feed_poll(f, 0, record, &s, &n), INC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(inc_feed_wait(f, 0, &ready), INC_OK);
    assert_int_equal(ready, 0);
    c = cursor_of(f);
    assert_string_equal(c, "libincident-feed 1");
    inc_free(c);
    inc_feed_free(f);
    inc_context_free(ctx);
}

static void test_allocation_failures(void **state)
{
    struct inc_test_alloc ta;
    struct inc_test_clock clk;
    inc_allocator a;
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_context *ctx;
    inc_incident *inc;
    unsigned long k;
    (void)state;

    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    inc_test_clock_init(&clk, INC_TEST_T0);
    co.allocator = &a;
    co.clock = inc_test_clock_fn;
    co.clock_user = &clk;
    assert_int_equal(inc_context_new(&co, &ctx), INC_OK);
    d.title = "Checkout errors";
    d.declarer = "alice";
    d.severity = "Sev-2";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    inc_incident_free(inc);
    for (k = 1; k < 500; k++) {
        size_t before = ta.live_blocks, n = 0;
        inc_feed *f = NULL;
        char *c = NULL;
        int ready, rc;
        ta.fail_at = ta.calls + k;
        rc = inc_feed_new(ctx, "libincident-feed 1 x=0", &f);
        if (rc == INC_OK)
            rc = inc_feed_poll(f, 0, count_item, &n, NULL);
        if (rc == INC_OK)
            rc = inc_feed_cursor(f, &c);
        if (rc == INC_OK)
            rc = inc_feed_wait(f, 0, &ready);
        assert_true(rc == INC_OK || rc == INC_ENOMEM);
        inc_free(c);
        inc_feed_free(f);
        assert_int_equal(ta.live_blocks, before);
        if (rc == INC_OK && ta.failures == 0)
            break;
        ta.failures = 0;
    }
    ta.fail_at = 0;
    assert_true(k < 500);
    inc_context_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_event_once_in_order, inc_test_world_setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_restart_from_the_saved_cursor, inc_test_world_setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_crash_between_send_and_save_is_at_least_once,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_a_stopping_callback_and_max, inc_test_world_setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_bad_cursors, inc_test_world_setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_wait_hook, inc_test_world_setup,
                                        inc_test_world_teardown),
        cmocka_unit_test(test_an_empty_store),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
