/* The text lint: the matching engine (word boundaries, case, white space,
 * apostrophes, byte offsets in UTF-8), the CAN lint (CAN-1, CAN-2) on the
 * 001 seed's own example and failure modes, and the external-update lint
 * (COMM-3) on the 004 seed's patterns. Everything here runs on text alone,
 * without an incident. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "lint.h"
#include "test_support.h"

/* The 001 seed's example CAN, byte for byte (em dash, curly apostrophe). */
#define SEED_C                                                                                     \
    "Database primary CPU at 95% sustained, replication lag at 4 minutes and growing, p99 "        \
    "latency 8 seconds against 200ms baseline. Customer-facing impact confirmed in EU region; "    \
    "US still nominal. Started 14:32 UTC, correlates with deploy at 14:30."
#define SEED_A                                                                                     \
    "Provisioning a read replica, ETA 6 minutes. Pulling query log for the window around the "     \
    "deploy to identify the offender. Paged the application team for a deploy-side rollback "      \
    "option."
#define SEED_N                                                                                     \
    "Need IC approval to fail over to the secondary if the read replica does not reduce "          \
    "primary load. Need someone from the application team to confirm whether the 14:30 deploy "    \
    "added new query patterns \xE2\x80\x94 Jeff is on the page but hasn\xE2\x80\x99"               \
    "t responded yet."

/* ---- the engine ---------------------------------------------------------- */

typedef struct hits {
    size_t n;
    size_t phrase[16], offset[16], len[16];
} hits;

static int collect(void *user, size_t phrase, size_t offset, size_t len)
{
    hits *h = user;
    if (h->n < 16) {
        h->phrase[h->n] = phrase;
        h->offset[h->n] = offset;
        h->len[h->n] = len;
    }
    h->n++;
    return 0;
}

static hits scan(const char *text, const char *const *phrases, size_t count)
{
    hits h;
    memset(&h, 0, sizeof(h));
    assert_int_equal(inc__lint_scan(text, strlen(text), phrases, count, collect, &h), 0);
    return h;
}

static void test_CAN_02_COMM_03_match_on_word_boundaries_any_case(void **state)
{
    static const char *const will[] = {"will"};
    hits h;
    (void)state;
    h = scan("We WILL fail over; willing, goodwill, will.", will, 1);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.offset[0], 3);
    assert_int_equal(h.len[0], 4);
    assert_int_equal(h.offset[1], 38);
    h = scan("will", will, 1);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.offset[0], 0);
    h = scan("_will will_ 2will", will, 1); /* '_' and digits are word characters */
    assert_int_equal(h.n, 0);
}

static void test_CAN_02_COMM_03_match_white_space_runs_and_apostrophes(void **state)
{
    static const char *const p[] = {"going to", "'ll"};
    hits h;
    (void)state;
    h = scan("I'm going\n\t to fail over", p, 2);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.offset[0], 4);
    assert_int_equal(h.len[0], 10);
    h = scan("I'll restart it; we\xE2\x80\x99ll see", p, 2);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.phrase[0], 1);
    assert_int_equal(h.offset[0], 1);
    assert_int_equal(h.len[0], 3);
    assert_int_equal(h.offset[1], 19);
    assert_int_equal(h.len[1], 5); /* U+2019 is three bytes */
    h = scan("goingto", p, 2);
    assert_int_equal(h.n, 0);
}

static void test_CAN_02_COMM_03_utf8_words_and_byte_offsets(void **state)
{
    static const char *const p[] = {"maybe", "{w}'s fault"};
    hits h;
    (void)state;
    /* An em dash separates words; an accented letter does not. */
    h = scan("caf\xC3\xA9maybe \xE2\x80\x94maybe\xE2\x80\x94 Bob's fault", p, 2);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.phrase[0], 0);
    assert_int_equal(h.offset[0], 14); /* "café" (5 bytes) + "maybe " + "—" (3) */
    assert_int_equal(h.phrase[1], 1);
    assert_int_equal(h.offset[1], 23);
    assert_int_equal(h.len[1], 11);
    assert_int_equal(inc__lint_is_word_at("\xC3\xA9", 2, 0), 1);
    assert_int_equal(inc__lint_is_word_at("\xE2\x80\x94", 3, 0), 0);
}

static void test_CAN_02_COMM_03_leftmost_first_phrase_no_overlap(void **state)
{
    static const char *const p[] = {"experiencing some issues", "some issues"};
    hits h;
    (void)state;
    h = scan("We are experiencing some issues and some issues more.", p, 2);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.phrase[0], 0);
    assert_int_equal(h.offset[0], 7);
    assert_int_equal(h.phrase[1], 1);
    assert_int_equal(h.offset[1], 36);
    assert_int_equal(inc__lint_blank(" \t\n\xC2\xA0"), 1);
    assert_int_equal(inc__lint_blank(NULL), 1);
    assert_int_equal(inc__lint_blank(" x "), 0);
}

/* ---- CAN lint ------------------------------------------------------------ */

static inc_findings *can_lint(const char *c, const char *a, const char *n)
{
    inc_findings *f = NULL;
    assert_int_equal(inc_can_lint(c, a, n, NULL, &f), INC_OK);
    assert_non_null(f);
    return f;
}

static const inc_finding *only(const inc_findings *l, const char *rule)
{
    size_t i;
    assert_int_equal(inc_findings_count_rule(l, rule), 1);
    for (i = 0; i < inc_findings_count(l); i++)
        if (strcmp(inc_findings_at(l, i)->rule_id, rule) == 0)
            return inc_findings_at(l, i);
    return NULL;
}

static void test_CAN_02_seed_example_is_clean(void **state)
{
    inc_findings *f;
    (void)state;
    f = can_lint(SEED_C, SEED_A, SEED_N);
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
}

static void test_CAN_02_all_conditions(void **state)
{
    inc_findings *f;
    const inc_finding *x;
    (void)state;
    /* "All C, no A or N." */
    f = can_lint(SEED_C, NULL, NULL);
    x = only(f, "CAN-2.all-conditions");
    assert_int_equal(x->slot, INC_CAN_ACTIONS);
    assert_int_equal(x->offset, 0);
    assert_int_equal(x->length, 0);
    assert_int_equal(inc_findings_count_rule(f, "CAN-2.implicit-needs"), 1);
    assert_int_equal(inc_findings_count(f), 2);
    inc_findings_free(f);
    /* An explicit "none" does not rescue a report with no Actions... */
    f = can_lint(SEED_C, "  ", "None.");
    only(f, "CAN-2.all-conditions");
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
    /* ...but a real Need gives the IC something to act on. */
    f = can_lint(SEED_C, NULL, "Need approval to fail over.");
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
}

static void test_CAN_02_no_conditions(void **state)
{
    inc_findings *f;
    const inc_finding *x;
    (void)state;
    /* "All A, no C." */
    f = can_lint(NULL, SEED_A, "none");
    x = only(f, "CAN-2.no-conditions");
    assert_int_equal(x->slot, INC_CAN_CONDITIONS);
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
}

static void test_CAN_01_CAN_02_implicit_needs_vs_explicit_none(void **state)
{
    static const char *const nones[] = {"none",           "None.",     " NOTHING ",        "n/a",
                                        "nothing needed", "No needs!", "none at this time"};
    inc_findings *f;
    size_t i;
    (void)state;
    /* "No N." */
    f = can_lint(SEED_C, SEED_A, NULL);
    assert_int_equal(only(f, "CAN-2.implicit-needs")->slot, INC_CAN_NEEDS);
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
    f = can_lint(SEED_C, SEED_A, " \n ");
    only(f, "CAN-2.implicit-needs");
    inc_findings_free(f);
    for (i = 0; i < sizeof(nones) / sizeof(nones[0]); i++) {
        assert_int_equal(inc_can_needs_none(nones[i]), 1);
        f = can_lint(SEED_C, SEED_A, nones[i]);
        assert_int_equal(inc_findings_count(f), 0);
        inc_findings_free(f);
    }
    assert_int_equal(inc_can_needs_none(NULL), 0);
    assert_int_equal(inc_can_needs_none(""), 0);
    assert_int_equal(inc_can_needs_none("none yet, but soon a DBA"), 0);
}

static void test_CAN_02_speculation_in_conditions(void **state)
{
    /* The seed: "I think it’s a memory leak" (curly apostrophe). */
    const char *c = "I think it\xE2\x80\x99s a memory leak";
    inc_findings *f;
    const inc_finding *x;
    (void)state;
    f = can_lint(c, "Pulling heap profiles.", "none");
    x = only(f, "CAN-2.speculation");
    assert_int_equal(x->slot, INC_CAN_CONDITIONS);
    assert_int_equal(x->offset, 0);
    assert_int_equal(x->length, 7);
    assert_non_null(strstr(x->message, "\"I think\""));
    inc_findings_free(f);
    /* Every word of the list, each at its byte offset. */
    f = can_lint("Maybe DNS; probably the LB; it might be, could be\nrelated; seems slow; looks "
                 "like a leak; possibly; likely; I suspect; a guess, I think",
                 "Investigating.", "none");
    assert_int_equal(inc_findings_count_rule(f, "CAN-2.speculation"), 11);
    assert_int_equal(inc_findings_at(f, 0)->offset, 0);
    assert_int_equal(inc_findings_at(f, 1)->offset, 11);
    assert_int_equal(inc_findings_at(f, 3)->offset, 41);
    assert_int_equal(inc_findings_at(f, 3)->length, 8); /* "could be", not the line break */
    inc_findings_free(f);
}

static void test_CAN_02_speculation_only_in_conditions(void **state)
{
    inc_findings *f;
    (void)state;
    /* The seed's fix: the hypothesis moves to Actions or Needs. */
    f = can_lint("RSS grows 200 MB/h on api-3.",
                 "I am investigating a possible memory leak; "
                 "I think the cache is involved",
                 "I need eyes on the memory profile");
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
}

static void test_CAN_02_promise_in_actions(void **state)
{
    /* The seed: "I’m going to fail over the database". */
    const char *a = "I\xE2\x80\x99m going to fail over the database";
    inc_findings *f;
    const inc_finding *x;
    (void)state;
    f = can_lint(SEED_C, a, "none");
    x = only(f, "CAN-2.promise");
    assert_int_equal(x->slot, INC_CAN_ACTIONS);
    assert_int_equal(x->offset, 6); /* "I" + U+2019 (3 bytes) + "m " */
    assert_int_equal(x->length, 8);
    inc_findings_free(f);
    f = can_lint(SEED_C,
                 "We will restart; I'll page DBA; plan to roll back; about to drain; "
                 "intend to scale",
                 "none");
    assert_int_equal(inc_findings_count_rule(f, "CAN-2.promise"), 5);
    assert_int_equal(inc_findings_at(f, 1)->offset, 18);
    assert_int_equal(inc_findings_at(f, 1)->length, 3);
    inc_findings_free(f);
    /* "will" in Conditions is not a promise. */
    f = can_lint("Disk will fill in 2 hours at the current rate.", "Expanding the volume.", "none");
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
}

static void test_CAN_01_empty_report(void **state)
{
    inc_findings *f;
    (void)state;
    f = can_lint("", NULL, NULL);
    assert_int_equal(only(f, "CAN-1.empty")->slot, -1);
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
}

static void test_CAN_02_lint_bad_input(void **state)
{
    inc_findings *f = (inc_findings *)1;
    char big[INC_TEXT_MAX + 2];
    (void)state;
    assert_int_equal(inc_can_lint("x", "y", "z", NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_can_lint("\xC3(", "y", "z", NULL, &f), INC_EINVAL);
    assert_null(f);
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(inc_can_lint(big, "y", "z", NULL, &f), INC_ETOOBIG);
}

static void test_CAN_03_decision_rule(void **state)
{
    (void)state;
    assert_int_equal(inc_can_need_asks_decision("Need IC approval to fail over"), 1);
    assert_int_equal(inc_can_need_asks_decision("I need approval to fail over"), 1);
    assert_int_equal(inc_can_need_asks_decision("Need a decision on the rollback"), 1);
    assert_int_equal(inc_can_need_asks_decision("need the IC's OK to drain EU"), 1);
    assert_int_equal(inc_can_need_asks_decision("Need sign-off for the purge"), 1);
    assert_int_equal(inc_can_need_asks_decision("Need someone to confirm the deploy"), 0);
    assert_int_equal(inc_can_need_asks_decision("approvals queue is slow"), 0);
    assert_int_equal(inc_can_need_asks_decision(NULL), 0);
}

/* ---- external-update lint ----------------------------------------------- */

static inc_findings *ulint(const char *body, inc_state s, const char *components)
{
    inc_findings *f = NULL;
    assert_int_equal(inc_update_lint(body, s, components, NULL, &f), INC_OK);
    return f;
}

#define GOOD                                                                                       \
    "We are investigating elevated checkout errors affecting customers in the EU region. Next "    \
    "update at 15:00 UTC."

static void test_COMM_03_clean_update(void **state)
{
    inc_findings *f;
    (void)state;
    f = ulint(GOOD, INC_STATE_INVESTIGATING, NULL);
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
    f = ulint("Checkout is failing for some EU accounts. Next update in 30 minutes.",
              INC_STATE_INVESTIGATING, "Checkout, Login");
    assert_int_equal(inc_findings_count(f), 0); /* the component names the scope */
    inc_findings_free(f);
}

static void test_COMM_03_vague_language(void **state)
{
    /* 004: "experiencing some issues". */
    inc_findings *f;
    const inc_finding *x;
    (void)state;
    f = ulint("We are experiencing some issues affecting checkout. Next update at 15:00 UTC.",
              INC_STATE_INVESTIGATING, NULL);
    x = only(f, "COMM-3.vague");
    assert_int_equal(x->slot, 0);
    assert_int_equal(x->offset, 7);
    assert_int_equal(x->length, 24);
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
}

static void test_COMM_03_missing_scope(void **state)
{
    inc_findings *f;
    (void)state;
    f = ulint("We are investigating elevated error rates. Next update at 15:00 UTC.",
              INC_STATE_INVESTIGATING, NULL);
    assert_int_equal(only(f, "COMM-3.no-scope")->length, 0);
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
    /* A component that the body does not name does not count. */
    f = ulint("We are investigating elevated error rates. Next update at 15:00 UTC.",
              INC_STATE_INVESTIGATING, "Checkout");
    only(f, "COMM-3.no-scope");
    inc_findings_free(f);
}

static void test_COMM_03_no_time_for_next_update(void **state)
{
    static const char *const ok[] = {
        "Errors affecting checkout. Next update at 3 pm UTC.",
        "Errors affecting checkout. We will post another update within 1 hour.",
        "Errors affecting checkout. Next update in half an hour.",
        "Errors affecting checkout. Next status update at the top of the hour.",
    };
    inc_findings *f;
    size_t i;
    (void)state;
    f = ulint("We are investigating errors affecting checkout. Updates to follow.",
              INC_STATE_INVESTIGATING, NULL);
    only(f, "COMM-3.no-next-update");
    inc_findings_free(f);
    /* A time in another sentence is not the next update's. */
    f = ulint("Errors affecting checkout since 14:32 UTC. Next update soon.",
              INC_STATE_INVESTIGATING, NULL);
    only(f, "COMM-3.no-next-update");
    inc_findings_free(f);
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        f = ulint(ok[i], INC_STATE_MITIGATING, NULL);
        if (inc_findings_count(f))
            fail_msg("%s: %s", ok[i], inc_findings_at(f, 0)->message);
        inc_findings_free(f);
    }
    /* The final update needs no next one. */
    f = ulint("This incident affecting checkout has been resolved.", INC_STATE_RESOLVED, NULL);
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
}

static void test_COMM_03_premature_promise_before_resolution(void **state)
{
    /* 004: "should be resolved soon" before verification. */
    const char *body = "Errors affecting checkout should be resolved soon. Next update at 15:00 "
                       "UTC.";
    inc_findings *f;
    const inc_finding *x;
    (void)state;
    f = ulint(body, INC_STATE_MITIGATING, NULL);
    x = only(f, "COMM-3.premature-promise");
    assert_int_equal(x->offset, 26);
    assert_int_equal(x->length, 23);
    inc_findings_free(f);
    f = ulint("The issue affecting checkout is resolved. Next update at 15:00 UTC.",
              INC_STATE_MONITORING, NULL);
    only(f, "COMM-3.premature-promise");
    inc_findings_free(f);
    /* After a verified resolution, saying so is the point. */
    f = ulint("The issue affecting checkout is resolved.", INC_STATE_RESOLVED, NULL);
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
}

static void test_COMM_03_speculation_about_cause(void **state)
{
    inc_findings *f;
    (void)state;
    f = ulint("Checkout errors affecting EU customers are probably caused by a bad deploy. Next "
              "update at 15:00 UTC.",
              INC_STATE_INVESTIGATING, NULL);
    assert_int_equal(inc_findings_count_rule(f, "COMM-3.speculation"), 2);
    assert_int_equal(inc_findings_at(f, 0)->offset, 43);
    assert_int_equal(inc_findings_at(f, 1)->offset, 52);
    inc_findings_free(f);
    /* A stated cause after resolution is not speculation; a hedge still is. */
    f = ulint("Checkout errors affecting EU customers were caused by a bad deploy.",
              INC_STATE_RESOLVED, NULL);
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
    f = ulint("Checkout errors affecting EU customers were likely a bad deploy.",
              INC_STATE_RESOLVED, NULL);
    only(f, "COMM-3.speculation");
    inc_findings_free(f);
}

static void test_COMM_03_lint_bad_input(void **state)
{
    inc_findings *f = NULL;
    (void)state;
    assert_int_equal(inc_update_lint(NULL, INC_STATE_INVESTIGATING, NULL, NULL, &f), INC_EINVAL);
    assert_int_equal(inc_update_lint("x", (inc_state)9, NULL, NULL, &f), INC_EINVAL);
    assert_int_equal(inc_update_lint("x", INC_STATE_INVESTIGATING, "a\nb", NULL, &f), INC_EINVAL);
    assert_int_equal(inc_update_lint("x", INC_STATE_INVESTIGATING, NULL, NULL, NULL), INC_EINVAL);
    assert_null(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_CAN_02_COMM_03_match_on_word_boundaries_any_case),
        cmocka_unit_test(test_CAN_02_COMM_03_match_white_space_runs_and_apostrophes),
        cmocka_unit_test(test_CAN_02_COMM_03_utf8_words_and_byte_offsets),
        cmocka_unit_test(test_CAN_02_COMM_03_leftmost_first_phrase_no_overlap),
        cmocka_unit_test(test_CAN_02_seed_example_is_clean),
        cmocka_unit_test(test_CAN_02_all_conditions),
        cmocka_unit_test(test_CAN_02_no_conditions),
        cmocka_unit_test(test_CAN_01_CAN_02_implicit_needs_vs_explicit_none),
        cmocka_unit_test(test_CAN_02_speculation_in_conditions),
        cmocka_unit_test(test_CAN_02_speculation_only_in_conditions),
        cmocka_unit_test(test_CAN_02_promise_in_actions),
        cmocka_unit_test(test_CAN_01_empty_report),
        cmocka_unit_test(test_CAN_02_lint_bad_input),
        cmocka_unit_test(test_CAN_03_decision_rule),
        cmocka_unit_test(test_COMM_03_clean_update),
        cmocka_unit_test(test_COMM_03_vague_language),
        cmocka_unit_test(test_COMM_03_missing_scope),
        cmocka_unit_test(test_COMM_03_no_time_for_next_update),
        cmocka_unit_test(test_COMM_03_premature_promise_before_resolution),
        cmocka_unit_test(test_COMM_03_speculation_about_cause),
        cmocka_unit_test(test_COMM_03_lint_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
