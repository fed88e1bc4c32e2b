/* The built-in rubrics against RULES.md: the numbers of the default preset
 * (RUB-5, ROLE-5, ROLE-10, ROLE-12, COMM-1, COMM-4, ESC-1, ESC-3, PM-2),
 * the role-combination truth tables (ROLE-3..ROLE-9) written out here from
 * the rule text (not derived the way the library derives them), and the
 * 002 seed's preset with its mapping onto the default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"

#define MIN(n)  ((int64_t)(n)*60000)
#define HOUR(n) ((int64_t)(n)*3600000)
#define DAY(n)  ((int64_t)(n)*86400000)
#define NONE    INC_DURATION_NONE
#define NEXT    INC_DURATION_NEXT_CADENCE
#define B(role) INC_ROLE_BIT(INC_ROLE_##role)
#define CORE6   (B(IC) | B(DEPUTY) | B(SCRIBE) | B(SME) | B(COMMS) | B(LIAISON))

enum {
    A = INC_COMBO_ALLOWED,
    N = INC_COMBO_NEVER,
    L = INC_COMBO_REPORT_LONG,
    O = INC_COMBO_REPORT_OVERDUE
};

static inc_rubric *preset(inc_rubric_preset p)
{
    inc_rubric *r = NULL;
    assert_int_equal(inc_rubric_preset_new(NULL, p, &r), INC_OK);
    return r;
}

static void expect_pair(const inc_rubric *r, inc_role a, inc_role b, const int want[5])
{
    for (size_t lv = 0; lv < 5; lv++) {
        int got = inc_rubric_combo(r, lv, a, b);
        if (got != want[lv] || (int)inc_rubric_combo(r, lv, b, a) != want[lv])
            fail_msg("%s+%s at %s: %s, RULES.md says %s", inc_role_name(a), inc_role_name(b),
                     inc_rubric_level_name(r, lv), inc_combo_name((inc_combo)got),
                     inc_combo_name((inc_combo)want[lv]));
    }
}

/* ---- role combinations, pair by pair (Sev-0 .. Sev-4) ---- */

static void test_ROLE_03_ic_sme_comms_never_combined(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int never[5] = {N, N, N, N, N};
    expect_pair(r, INC_ROLE_IC, INC_ROLE_SME, never);
    expect_pair(r, INC_ROLE_COMMS, INC_ROLE_SME, never);
    expect_pair(r, INC_ROLE_IC, INC_ROLE_COMMS, never);
    inc_rubric_free(r);
}

static void test_ROLE_04_ic_scribe_only_at_sev4(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int want[5] = {N, N, N, N, A};
    expect_pair(r, INC_ROLE_IC, INC_ROLE_SCRIBE, want);
    inc_rubric_free(r);
}

static void test_ROLE_05_deputy_scribe_reported_in_long_sev1(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int want[5] = {N, L, A, A, A};
    expect_pair(r, INC_ROLE_DEPUTY, INC_ROLE_SCRIBE, want);
    /* The "long incident" threshold defaults to 4 h. */
    assert_int_equal(inc_rubric_duration(r, 1, INC_DUR_LONG_INCIDENT), HOUR(4));
    inc_rubric_free(r);
}

static void test_ROLE_06_comms_liaison_split_when_overdue(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int want[5] = {N, N, O, O, O};
    expect_pair(r, INC_ROLE_COMMS, INC_ROLE_LIAISON, want);
    inc_rubric_free(r);
}

static void test_ROLE_07_ic_deputy_only_sev3_sev4(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int want[5] = {N, N, N, A, A};
    expect_pair(r, INC_ROLE_IC, INC_ROLE_DEPUTY, want);
    inc_rubric_free(r);
}

static void test_ROLE_08_liaison_scribe_only_sev3_sev4(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int want[5] = {N, N, N, A, A};
    expect_pair(r, INC_ROLE_LIAISON, INC_ROLE_SCRIBE, want);
    inc_rubric_free(r);
}

static void test_ROLE_09_sme_scribe_and_unnamed_pairs(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int below_sev1[5] = {N, N, A, A, A};
    expect_pair(r, INC_ROLE_SME, INC_ROLE_SCRIBE, below_sev1);
    /* The pairs ROLE-3..ROLE-9 do not name. */
    expect_pair(r, INC_ROLE_IC, INC_ROLE_LIAISON, below_sev1);
    expect_pair(r, INC_ROLE_DEPUTY, INC_ROLE_SME, below_sev1);
    expect_pair(r, INC_ROLE_DEPUTY, INC_ROLE_COMMS, below_sev1);
    expect_pair(r, INC_ROLE_DEPUTY, INC_ROLE_LIAISON, below_sev1);
    expect_pair(r, INC_ROLE_SCRIBE, INC_ROLE_COMMS, below_sev1);
    expect_pair(r, INC_ROLE_SME, INC_ROLE_LIAISON, below_sev1);
    inc_rubric_free(r);
}

/* RUB-5: at Sev-0 nothing is combined, the three business roles included;
 * below Sev-0 they follow the "pair not named" rule. */
static void test_RUB_05_sev0_no_combinations(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int extra[5] = {N, N, A, A, A};
    for (int a = 0; a < INC_ROLE_COUNT; a++) {
        for (int b = 0; b < INC_ROLE_COUNT; b++) {
            if (a == b)
                continue;
            assert_int_equal(inc_rubric_combo(r, 0, (inc_role)a, (inc_role)b), N);
            if (a >= INC_ROLE_SPONSOR || b >= INC_ROLE_SPONSOR)
                expect_pair(r, (inc_role)a, (inc_role)b, extra);
        }
    }
    inc_rubric_free(r);
}

/* Sev-1: all six distinct, the long-incident Deputy+Scribe the only
 * exception (ROLE-5 resolving ROLE-10). */
static void test_ROLE_10_sev1_all_distinct_but_deputy_scribe(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    for (int a = 0; a < INC_ROLE_COUNT; a++)
        for (int b = a + 1; b < INC_ROLE_COUNT; b++)
            assert_int_equal(inc_rubric_combo(r, 1, (inc_role)a, (inc_role)b),
                             a == INC_ROLE_DEPUTY && b == INC_ROLE_SCRIBE ? L : N);
    inc_rubric_free(r);
}

static void test_RUB_05_sev0_requires_sponsor_legal_pr(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    unsigned mask, people;
    assert_int_equal(inc_rubric_get_staffing(r, 0, &mask, &people), INC_OK);
    assert_int_equal(mask, CORE6 | B(SPONSOR) | B(LEGAL) | B(PR));
    assert_int_equal(people, 9);
    assert_int_equal(inc_rubric_flag(r, 0, INC_FLAG_EXEC_POSTURE), 1);
    for (size_t lv = 1; lv < 5; lv++) {
        assert_int_equal(inc_rubric_flag(r, lv, INC_FLAG_EXEC_POSTURE), 0);
        assert_int_equal(inc_rubric_get_staffing(r, lv, &mask, NULL), INC_OK);
        assert_int_equal(mask & (B(SPONSOR) | B(LEGAL) | B(PR)), 0);
    }
    inc_rubric_free(r);
}

static void test_ROLE_10_minimum_staffing(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const unsigned roles[5] = {CORE6 | B(SPONSOR) | B(LEGAL) | B(PR), CORE6, CORE6,
                                      B(IC) | B(SME) | B(SCRIBE), B(IC) | B(SME)};
    static const unsigned people[5] = {9, 6, 4, 2, 2};
    for (size_t lv = 0; lv < 5; lv++) {
        unsigned m, p;
        assert_int_equal(inc_rubric_get_staffing(r, lv, &m, &p), INC_OK);
        assert_int_equal(m, roles[lv]);
        assert_int_equal(p, people[lv]);
    }
    inc_rubric_free(r);
}

/* ---- the numbers ---- */

static void expect_durations(const inc_rubric *r, inc_level_duration d, const int64_t *want,
                             size_t n)
{
    for (size_t lv = 0; lv < n; lv++)
        if (inc_rubric_duration(r, lv, d) != want[lv])
            fail_msg("%s of %s: %lld, expected %lld", inc_level_duration_name(d),
                     inc_rubric_level_name(r, lv), (long long)inc_rubric_duration(r, lv, d),
                     (long long)want[lv]);
}

static void test_ESC_03_ack_targets(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    const int64_t ack[5] = {MIN(5), MIN(5), MIN(5), HOUR(1), NONE};
    expect_durations(r, INC_DUR_ACK, ack, 5);
    const int64_t mit[5] = {HOUR(1), HOUR(1), HOUR(4), DAY(1), NONE};
    expect_durations(r, INC_DUR_MITIGATE, mit, 5);
    const int64_t res[5] = {HOUR(4), HOUR(4), DAY(1), DAY(7), DAY(14)};
    expect_durations(r, INC_DUR_RESOLVE, res, 5);
    const int64_t timeout[5] = {MIN(30), MIN(30), MIN(30), HOUR(4), NONE};
    expect_durations(r, INC_DUR_ACK_TIMEOUT, timeout, 5);
    inc_rubric_free(r);
}

static void test_COMM_01_default_cadences(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    const int64_t ext[5] = {MIN(30), MIN(30), MIN(30), HOUR(2), NONE};
    const int64_t in[5] = {HOUR(1), HOUR(1), HOUR(1), HOUR(4), NONE};
    expect_durations(r, INC_DUR_CADENCE_EXTERNAL, ext, 5);
    expect_durations(r, INC_DUR_CADENCE_INTERNAL, in, 5);
    expect_durations(r, INC_DUR_CADENCE_RESPONSE, in, 5);
    inc_rubric_free(r);
}

static void test_COMM_04_required_communications(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    static const int64_t want[5][3] = {
        {0, 0, 0}, {0, 0, 0}, {MIN(30), NONE, HOUR(1)}, {NONE, NONE, NEXT}, {NONE, NONE, NONE}};
    for (size_t lv = 0; lv < 5; lv++)
        for (int c = 0; c < INC_COMM_COUNT; c++)
            assert_int_equal(inc_rubric_required_comm(r, lv, (inc_comm_kind)c), want[lv][c]);
    /* Bridge for Sev-0..Sev-2 (AUD-1). */
    for (size_t lv = 0; lv < 5; lv++)
        assert_int_equal(inc_rubric_flag(r, lv, INC_FLAG_BRIDGE), lv <= 2);
    inc_rubric_free(r);
}

static void test_PM_02_postmortem_windows(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    const int64_t due[5] = {HOUR(48), HOUR(48), HOUR(168), DAY(14), NONE};
    static const int required[5] = {1, 1, 1, 0, 0};
    expect_durations(r, INC_DUR_POSTMORTEM, due, 5);
    for (size_t lv = 0; lv < 5; lv++)
        assert_int_equal(inc_rubric_flag(r, lv, INC_FLAG_POSTMORTEM), required[lv]);
    inc_rubric_free(r);
}

static void test_ROLE_12_scribe_within_5_minutes(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    const int64_t want[5] = {MIN(5), MIN(5), MIN(5), MIN(5), NONE};
    expect_durations(r, INC_DUR_SCRIBE, want, 5);
    inc_rubric_free(r);
}

struct step {
    int64_t after;
    inc_esc_condition cond;
    const char *target;
};

static void expect_ladder(const inc_rubric *r, size_t lv, const struct step *want, size_t n)
{
    assert_int_equal(inc_rubric_escalation_count(r, lv), n);
    for (size_t i = 0; i < n; i++) {
        int64_t after;
        inc_esc_condition cond;
        const char *target;
        assert_int_equal(inc_rubric_get_escalation(r, lv, i, &after, &cond, &target), INC_OK);
        assert_int_equal(after, want[i].after);
        assert_int_equal(cond, want[i].cond);
        assert_string_equal(target, want[i].target);
    }
}

static const struct step sev1_ladder[] = {
    {MIN(15), INC_ESC_UNACKNOWLEDGED, "on-call,backup"},
    {MIN(30), INC_ESC_UNRESOLVED, "team-lead"},
    {HOUR(1), INC_ESC_UNRESOLVED, "engineering-manager,executive"},
    {HOUR(2), INC_ESC_UNRESOLVED, "all-hands"},
};
static const struct step sev2_ladder[] = {
    {MIN(30), INC_ESC_UNACKNOWLEDGED, "on-call,backup"},
    {HOUR(1), INC_ESC_UNRESOLVED, "team-lead"},
    {HOUR(4), INC_ESC_UNRESOLVED, "engineering-manager"},
};

static void test_ESC_01_escalation_ladders(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    expect_ladder(r, 1, sev1_ladder, 4);
    expect_ladder(r, 2, sev2_ladder, 3);
    assert_int_equal(inc_rubric_escalation_count(r, 3), 0);
    assert_int_equal(inc_rubric_escalation_count(r, 4), 0);
    /* Sev-0 has Sev-1's steps (same conditions and targets), none later. */
    assert_int_equal(inc_rubric_escalation_count(r, 0), 4);
    for (size_t i = 0; i < 4; i++) {
        int64_t after;
        inc_esc_condition cond;
        const char *target;
        assert_int_equal(inc_rubric_get_escalation(r, 0, i, &after, &cond, &target), INC_OK);
        assert_true(after <= sev1_ladder[i].after);
        assert_int_equal(cond, sev1_ladder[i].cond);
        assert_string_equal(target, sev1_ladder[i].target);
    }
    for (size_t lv = 0; lv < 5; lv++)
        assert_int_equal(inc_rubric_repeat(r, lv), 0);
    inc_rubric_free(r);
}

/* ---- the 002 seed ---- */

static void test_RUB_01_seed002_numbers(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_SEED002);
    const int64_t ack[4] = {MIN(5), MIN(15), HOUR(1), NONE};
    const int64_t mit[4] = {HOUR(1), HOUR(4), DAY(1), NONE};
    const int64_t res[4] = {HOUR(1), HOUR(4), DAY(1), DAY(14)};
    const int64_t cad[4] = {MIN(30), HOUR(1), HOUR(4), NONE};
    const int64_t pm[4] = {HOUR(48), DAY(7), DAY(14), NONE};
    expect_durations(r, INC_DUR_ACK, ack, 4);
    expect_durations(r, INC_DUR_MITIGATE, mit, 4);
    expect_durations(r, INC_DUR_RESOLVE, res, 4);
    expect_durations(r, INC_DUR_CADENCE_EXTERNAL, cad, 4);
    expect_durations(r, INC_DUR_CADENCE_INTERNAL, cad, 4);
    expect_durations(r, INC_DUR_CADENCE_RESPONSE, cad, 4);
    expect_durations(r, INC_DUR_POSTMORTEM, pm, 4);
    static const int pm_required[4] = {1, 1, 0, 0};
    static const int64_t comm[4][3] = {
        {0, 0, 0}, {NEXT, NONE, NONE}, {NONE, NONE, NONE}, {NONE, NONE, NONE}};
    for (size_t lv = 0; lv < 4; lv++) {
        assert_int_equal(inc_rubric_flag(r, lv, INC_FLAG_POSTMORTEM), pm_required[lv]);
        assert_int_equal(inc_rubric_flag(r, lv, INC_FLAG_BRIDGE), lv == 0);
        assert_int_equal(inc_rubric_flag(r, lv, INC_FLAG_EXEC_POSTURE), 0);
        for (int c = 0; c < INC_COMM_COUNT; c++)
            assert_int_equal(inc_rubric_required_comm(r, lv, (inc_comm_kind)c), comm[lv][c]);
    }
    expect_ladder(r, 0, sev1_ladder, 4);
    expect_ladder(r, 1, sev2_ladder, 3);
    assert_string_equal(inc_rubric_text(r, 0, INC_LEVEL_PAGED),
                        "On-call engineer, engineering manager, incident commander, executive "
                        "on-call");
    assert_string_equal(inc_rubric_text(r, 3, INC_LEVEL_PAGED), "None (ticket created)");
    assert_non_null(strstr(inc_rubric_text(r, 1, INC_LEVEL_TRIGGER),
                           "\n- Significant performance degradation (>5x latency)\n"));
    assert_non_null(strstr(inc_rubric_text(r, 2, INC_LEVEL_POSTURE), "Every 2-4 hours"));
    inc_rubric_free(r);
}

/* SEVn maps onto Sev-n for what 002 does not say: combinations, staffing,
 * the long-incident threshold and the Scribe expectation. */
static void test_ROLE_03_seed002_maps_onto_default(void **state)
{
    (void)state;
    inc_rubric *d = preset(INC_RUBRIC_DEFAULT), *s = preset(INC_RUBRIC_SEED002);
    for (size_t lv = 0; lv < 4; lv++) {
        unsigned dm, dp, sm, sp;
        for (int a = 0; a < INC_ROLE_COUNT; a++)
            for (int b = 0; b < INC_ROLE_COUNT; b++)
                assert_int_equal(inc_rubric_combo(s, lv, (inc_role)a, (inc_role)b),
                                 inc_rubric_combo(d, lv + 1, (inc_role)a, (inc_role)b));
        assert_int_equal(inc_rubric_get_staffing(d, lv + 1, &dm, &dp), INC_OK);
        assert_int_equal(inc_rubric_get_staffing(s, lv, &sm, &sp), INC_OK);
        assert_int_equal(sm, dm);
        assert_int_equal(sp, dp);
        assert_int_equal(inc_rubric_duration(s, lv, INC_DUR_LONG_INCIDENT),
                         inc_rubric_duration(d, lv + 1, INC_DUR_LONG_INCIDENT));
        assert_int_equal(inc_rubric_duration(s, lv, INC_DUR_SCRIBE),
                         inc_rubric_duration(d, lv + 1, INC_DUR_SCRIBE));
    }
    inc_rubric_free(d);
    inc_rubric_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ROLE_03_ic_sme_comms_never_combined),
        cmocka_unit_test(test_ROLE_04_ic_scribe_only_at_sev4),
        cmocka_unit_test(test_ROLE_05_deputy_scribe_reported_in_long_sev1),
        cmocka_unit_test(test_ROLE_06_comms_liaison_split_when_overdue),
        cmocka_unit_test(test_ROLE_07_ic_deputy_only_sev3_sev4),
        cmocka_unit_test(test_ROLE_08_liaison_scribe_only_sev3_sev4),
        cmocka_unit_test(test_ROLE_09_sme_scribe_and_unnamed_pairs),
        cmocka_unit_test(test_RUB_05_sev0_no_combinations),
        cmocka_unit_test(test_ROLE_10_sev1_all_distinct_but_deputy_scribe),
        cmocka_unit_test(test_RUB_05_sev0_requires_sponsor_legal_pr),
        cmocka_unit_test(test_ROLE_10_minimum_staffing),
        cmocka_unit_test(test_ESC_03_ack_targets),
        cmocka_unit_test(test_COMM_01_default_cadences),
        cmocka_unit_test(test_COMM_04_required_communications),
        cmocka_unit_test(test_PM_02_postmortem_windows),
        cmocka_unit_test(test_ROLE_12_scribe_within_5_minutes),
        cmocka_unit_test(test_ESC_01_escalation_ladders),
        cmocka_unit_test(test_RUB_01_seed002_numbers),
        cmocka_unit_test(test_ROLE_03_seed002_maps_onto_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
