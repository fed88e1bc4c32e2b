/* A team's own lint words (lint_config.h, lib/docs/lint-config.md): the
 * text format with line diagnostics and nothing created on error, and what
 * each key does to COMM-3, CAN-2 and PM-4. */
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

#define CONFIG                                                                                     \
    "# payments team\n"                                                                            \
    "libincident-lint 1\n"                                                                         \
    "name = payments\n"                                                                            \
    "service = Ledger Sync\n"                                                                      \
    "vague = having a moment\n"                                                                    \
    "hedge = reckon\n"                                                                             \
    "promise = \"any moment now\"\n"                                                               \
    "symptom = beach ball\n"                                                                       \
    "off = PM-4.blame\n"

static inc_lint_config *parse(const char *text)
{
    inc_lint_config *c = NULL;
    inc_diag d;
    assert_int_equal(inc_lint_config_parse(NULL, text, strlen(text), &c, &d), INC_OK);
    assert_int_equal(d.code, INC_OK);
    assert_non_null(c);
    return c;
}

static size_t update_count(const char *body, inc_state s, const inc_lint_config *c,
                           const char *rule)
{
    inc_findings *f = NULL;
    size_t n;
    assert_int_equal(inc_update_lint_with(body, s, NULL, c, NULL, &f), INC_OK);
    n = inc_findings_count_rule(f, rule);
    inc_findings_free(f);
    return n;
}

static void test_COMM_03_config_service_names_the_scope(void **state)
{
    inc_lint_config *c = parse(CONFIG);
    const char *body = "We are investigating delays in ledger sync. Next update in 30 minutes.";
    (void)state;
    assert_int_equal(update_count(body, INC_STATE_INVESTIGATING, NULL, "COMM-3.no-scope"), 0);
    body = "Transactions post late. Next update in 30 minutes.";
    assert_int_equal(update_count(body, INC_STATE_INVESTIGATING, NULL, "COMM-3.no-scope"), 1);
    body = "Ledger Sync: the run is late. Next update in 30 minutes.";
    assert_int_equal(update_count(body, INC_STATE_INVESTIGATING, c, "COMM-3.no-scope"), 0);
    inc_lint_config_free(c);
}

static void test_COMM_03_config_vague_hedge_promise_symptom(void **state)
{
    inc_lint_config *c = parse(CONFIG);
    inc_findings *f = NULL;
    (void)state;
    assert_int_equal(inc_update_lint_with("Checkout is having a moment. Next update in 30 minutes.",
                                          INC_STATE_INVESTIGATING, NULL, c, NULL, &f),
                     INC_OK);
    assert_int_equal(inc_findings_count_rule(f, "COMM-3.vague"), 1);
    assert_int_equal(inc_findings_at(f, 0)->offset, 12);
    assert_int_equal(inc_findings_at(f, 0)->length, 15); /* the whole phrase */
    inc_findings_free(f);
    assert_int_equal(update_count("We reckon checkout errors are due to the new deploy. Next "
                                  "update in 30 minutes.",
                                  INC_STATE_INVESTIGATING, c, "COMM-3.speculation"),
                     2);
    assert_int_equal(update_count("Checkout errors for EU customers will clear any moment now. "
                                  "Next update in 30 minutes.",
                                  INC_STATE_INVESTIGATING, c, "COMM-3.premature-promise"),
                     1);
    /* a team's symptom makes an "issue" concrete */
    assert_int_equal(update_count("Checkout has an issue: a beach ball on payment. Next update "
                                  "in 30 minutes.",
                                  INC_STATE_INVESTIGATING, NULL, "COMM-3.vague"),
                     1);
    assert_int_equal(update_count("Checkout has an issue: a beach ball on payment. Next update "
                                  "in 30 minutes.",
                                  INC_STATE_INVESTIGATING, c, "COMM-3.vague"),
                     0);
    inc_lint_config_free(c);
}

static void test_CAN_02_PM_4_config_promise_and_off(void **state)
{
    inc_lint_config *c = parse(CONFIG "off = CAN-2.implicit-needs\n");
    inc_findings *f = NULL;
    (void)state;
    assert_int_equal(
        inc_can_lint_with("Queue 40 GB.", "Purge done any moment now.", NULL, c, NULL, &f), INC_OK);
    assert_int_equal(inc_findings_count_rule(f, "CAN-2.promise"), 1);
    assert_int_equal(inc_findings_count_rule(f, "CAN-2.implicit-needs"), 0);
    inc_findings_free(f);
    assert_int_equal(inc_postmortem_lint_with("It was human error.", c, NULL, &f), INC_OK);
    assert_int_equal(inc_findings_count(f), 0);
    inc_findings_free(f);
    assert_int_equal(inc_postmortem_lint_with("It was human error.", NULL, NULL, &f), INC_OK);
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
    inc_lint_config_free(c);
}

static void expect_error(const char *text, int code, unsigned line, const char *words)
{
    inc_lint_config *c = (inc_lint_config *)1;
    inc_diag d;
    assert_int_equal(inc_lint_config_parse(NULL, text, strlen(text), &c, &d), code);
    assert_null(c);
    assert_int_equal(d.code, code);
    assert_int_equal(d.line, line);
    if (!strstr(d.message, words))
        fail_msg("'%s' lacks '%s'", d.message, words);
}

static void test_COMM_03_config_errors_name_the_line(void **state)
{
    (void)state;
    expect_error("libincident-lint 1\nservice = Ledger\nservise = Sync\n", INC_EPARSE, 3,
                 "servise");
    expect_error("libincident-lint 1\noff = COMM-3.vauge\n", INC_EINVAL, 2, "COMM-3.vauge");
    expect_error("libincident-lint 1\nhedge = \"\"\n", INC_EINVAL, 2, "empty");
    expect_error("libincident-lint 1\npromise = a b c d e f g\n", INC_EINVAL, 2, "at most");
    expect_error("libincident-rubric 1\n", INC_EPARSE, 1, "libincident-lint");
    expect_error("libincident-lint 1\nvague = \"bad \\q\"\n", INC_EPARSE, 2, "escape");
    expect_error("libincident-lint 1\nname = a\nname = b\n", INC_EPARSE, 3, "duplicate");
    expect_error("libincident-lint 1\nvague = \xC3\x28\n", INC_EINVAL, 2, "");
    assert_int_equal(inc_lint_config_parse(NULL, NULL, 0, NULL, NULL), INC_EINVAL);
}

static void test_COMM_03_config_allocation_failure_leaks_nothing(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator a;
    unsigned long n;
    (void)state;
    for (n = 1;; n++) {
        inc_lint_config *c = (inc_lint_config *)1;
        int rc;
        inc_test_alloc_init(&ta);
        a = inc_test_alloc_allocator(&ta);
        ta.fail_at = n;
        ta.fail_rest = 1;
        rc = inc_lint_config_parse(&a, CONFIG, strlen(CONFIG), &c, NULL);
        if (rc == INC_OK) {
            inc_lint_config_free(c);
            assert_int_equal(ta.live_blocks, 0);
            break;
        }
        assert_int_equal(rc, INC_ENOMEM);
        assert_null(c);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(n > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_COMM_03_config_service_names_the_scope),
        cmocka_unit_test(test_COMM_03_config_vague_hedge_promise_symptom),
        cmocka_unit_test(test_CAN_02_PM_4_config_promise_and_off),
        cmocka_unit_test(test_COMM_03_config_errors_name_the_line),
        cmocka_unit_test(test_COMM_03_config_allocation_failure_leaks_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
