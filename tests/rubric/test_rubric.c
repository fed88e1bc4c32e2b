/* The severity rubric through its API: building (RUB-1, RUB-2), validation
 * (RUB-3), the presets and the numbers RULES.md gives them (RUB-5, ROLE-*,
 * COMM-*, ESC-*, PM-2), bad input that must change nothing, copies, and
 * allocation failure. The text format is tested in test_rubric_text.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "rubric/rubric_internal.h"
#include "test_support.h"

#define MIN(n)  ((int64_t)(n)*60000)
#define HOUR(n) ((int64_t)(n)*3600000)
#define DAY(n)  ((int64_t)(n)*86400000)
#define NONE    INC_DURATION_NONE
#define B(role) INC_ROLE_BIT(INC_ROLE_##role)

static inc_rubric *preset(inc_rubric_preset p)
{
    inc_rubric *r = NULL;
    assert_int_equal(inc_rubric_preset_new(NULL, p, &r), INC_OK);
    return r;
}

static size_t level_of(const inc_rubric *r, const char *name)
{
    size_t i = 99;
    assert_int_equal(inc_rubric_get_level_index(r, name, &i), INC_OK);
    return i;
}

/* ---- building (RUB-1, RUB-2) ---- */

static void test_RUB_01_build_through_api(void **state)
{
    (void)state;
    inc_rubric *r;
    size_t a = 9, b = 9;
    assert_int_equal(inc_rubric_new(NULL, "team", &r), INC_OK);
    assert_string_equal(inc_rubric_name(r), "team");
    assert_int_equal(inc_rubric_level_count(r), 0);
    assert_int_equal(inc_rubric_add_level(r, "P1", &a), INC_OK);
    assert_int_equal(inc_rubric_add_level(r, "P2", &b), INC_OK);
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    assert_int_equal(inc_rubric_level_count(r), 2);
    assert_string_equal(inc_rubric_level_name(r, 1), "P2");
    assert_null(inc_rubric_level_name(r, 2));
    assert_int_equal(level_of(r, "P2"), 1);
    assert_int_equal(inc_rubric_get_level_index(r, "p2", &a), INC_ENOTFOUND);
    /* A new level: durations none, texts empty, flags off, combos allowed. */
    for (int d = 0; d < INC_DUR_COUNT; d++)
        assert_int_equal(inc_rubric_duration(r, 0, (inc_level_duration)d), NONE);
    for (int t = 0; t < INC_LEVEL_TEXT_COUNT; t++)
        assert_string_equal(inc_rubric_text(r, 0, (inc_level_text)t), "");
    for (int f = 0; f < INC_FLAG_COUNT; f++)
        assert_int_equal(inc_rubric_flag(r, 0, (inc_level_flag)f), 0);
    for (int c = 0; c < INC_COMM_COUNT; c++)
        assert_int_equal(inc_rubric_required_comm(r, 0, (inc_comm_kind)c), NONE);
    assert_int_equal(inc_rubric_combo(r, 0, INC_ROLE_IC, INC_ROLE_SME), INC_COMBO_ALLOWED);
    assert_int_equal(inc_rubric_escalation_count(r, 0), 0);
    assert_int_equal(inc_rubric_repeat(r, 0), 0);
    /* A rubric of levels with nothing set is valid: NONE everywhere. */
    assert_int_equal(inc_rubric_validate(r), INC_OK);
    inc_rubric_free(r);
}

static void test_RUB_02_level_carries_every_field(void **state)
{
    (void)state;
    inc_rubric *r;
    const char *target;
    int64_t after;
    inc_esc_condition cond;
    unsigned mask, people;
    assert_int_equal(inc_rubric_new(NULL, "team", &r), INC_OK);
    assert_int_equal(inc_rubric_add_level(r, "P1", NULL), INC_OK);
    assert_int_equal(inc_rubric_set_text(r, 0, INC_LEVEL_TRIGGER, "site down"), INC_OK);
    assert_int_equal(inc_rubric_set_text(r, 0, INC_LEVEL_POSTURE, "all hands\nnow"), INC_OK);
    assert_int_equal(inc_rubric_set_text(r, 0, INC_LEVEL_PAGED, "on-call"), INC_OK);
    for (int d = 0; d < INC_DUR_COUNT; d++)
        assert_int_equal(inc_rubric_set_duration(r, 0, (inc_level_duration)d, MIN(d + 1)), INC_OK);
    assert_int_equal(inc_rubric_set_flag(r, 0, INC_FLAG_BRIDGE, 7), INC_OK);
    assert_int_equal(inc_rubric_set_required_comm(r, 0, INC_COMM_STATUS_PAGE, 0), INC_OK);
    assert_int_equal(
        inc_rubric_set_required_comm(r, 0, INC_COMM_EXEC_NOTIFY, INC_DURATION_NEXT_CADENCE),
        INC_OK);
    assert_int_equal(inc_rubric_set_combo(r, 0, INC_ROLE_SME, INC_ROLE_IC, INC_COMBO_NEVER),
                     INC_OK);
    assert_int_equal(inc_rubric_set_staffing(r, 0, B(IC) | B(SME), 2), INC_OK);
    assert_int_equal(inc_rubric_add_escalation(r, 0, MIN(30), INC_ESC_UNRESOLVED, "team-lead"),
                     INC_OK);
    assert_int_equal(inc_rubric_set_repeat(r, 0, 3), INC_OK);

    assert_string_equal(inc_rubric_text(r, 0, INC_LEVEL_POSTURE), "all hands\nnow");
    for (int d = 0; d < INC_DUR_COUNT; d++)
        assert_int_equal(inc_rubric_duration(r, 0, (inc_level_duration)d), MIN(d + 1));
    assert_int_equal(inc_rubric_flag(r, 0, INC_FLAG_BRIDGE), 1);
    assert_int_equal(inc_rubric_flag(r, 0, INC_FLAG_POSTMORTEM), 0);
    assert_int_equal(inc_rubric_required_comm(r, 0, INC_COMM_STATUS_PAGE), 0);
    assert_int_equal(inc_rubric_required_comm(r, 0, INC_COMM_CUSTOMER_EMAIL), NONE);
    assert_int_equal(inc_rubric_required_comm(r, 0, INC_COMM_EXEC_NOTIFY),
                     INC_DURATION_NEXT_CADENCE);
    /* Symmetric; a role with itself is always allowed. */
    assert_int_equal(inc_rubric_combo(r, 0, INC_ROLE_IC, INC_ROLE_SME), INC_COMBO_NEVER);
    assert_int_equal(inc_rubric_combo(r, 0, INC_ROLE_SME, INC_ROLE_SME), INC_COMBO_ALLOWED);
    assert_int_equal(inc_rubric_get_staffing(r, 0, &mask, &people), INC_OK);
    assert_int_equal(mask, B(IC) | B(SME));
    assert_int_equal(people, 2);
    assert_int_equal(inc_rubric_get_escalation(r, 0, 0, &after, &cond, &target), INC_OK);
    assert_int_equal(after, MIN(30));
    assert_int_equal(cond, INC_ESC_UNRESOLVED);
    assert_string_equal(target, "team-lead");
    assert_int_equal(inc_rubric_get_escalation(r, 0, 1, NULL, NULL, NULL), INC_ENOTFOUND);
    assert_int_equal(inc_rubric_repeat(r, 0), 3);
    /* Setting a text to NULL or "" empties it. */
    assert_int_equal(inc_rubric_set_text(r, 0, INC_LEVEL_TRIGGER, NULL), INC_OK);
    assert_string_equal(inc_rubric_text(r, 0, INC_LEVEL_TRIGGER), "");
    inc_rubric_free(r);
}

static void test_ESC_01_steps_kept_in_time_order(void **state)
{
    (void)state;
    inc_rubric *r;
    const char *t;
    assert_int_equal(inc_rubric_new(NULL, "x", &r), INC_OK);
    assert_int_equal(inc_rubric_add_level(r, "L", NULL), INC_OK);
    assert_int_equal(inc_rubric_add_escalation(r, 0, HOUR(1), INC_ESC_UNRESOLVED, "c"), INC_OK);
    assert_int_equal(inc_rubric_add_escalation(r, 0, MIN(15), INC_ESC_UNACKNOWLEDGED, "a"), INC_OK);
    assert_int_equal(inc_rubric_add_escalation(r, 0, HOUR(1), INC_ESC_UNRESOLVED, "d"), INC_OK);
    assert_int_equal(inc_rubric_add_escalation(r, 0, MIN(30), INC_ESC_UNRESOLVED, "b"), INC_OK);
    const char *want[] = {"a", "b", "c", "d"}; /* equal times keep the order added */
    assert_int_equal(inc_rubric_escalation_count(r, 0), 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(inc_rubric_get_escalation(r, 0, i, NULL, NULL, &t), INC_OK);
        assert_string_equal(t, want[i]);
    }
    inc_rubric_free(r);
}

static void test_RUB_01_names(void **state)
{
    (void)state;
    static const char *const roles[] = {"ic",      "deputy",  "scribe", "sme", "comms",
                                        "liaison", "sponsor", "legal",  "pr"};
    static const char *const durs[] = {"ack",
                                       "mitigate",
                                       "resolve",
                                       "cadence.external",
                                       "cadence.internal",
                                       "cadence.response",
                                       "postmortem.due",
                                       "long-incident",
                                       "ack-timeout",
                                       "scribe-within"};
    inc_role role;
    for (int i = 0; i < INC_ROLE_COUNT; i++) {
        assert_string_equal(inc_role_name((inc_role)i), roles[i]);
        assert_non_null(inc_role_title((inc_role)i));
        assert_int_equal(inc_role_from_name(roles[i], &role), INC_OK);
        assert_int_equal(role, i);
    }
    assert_string_equal(inc_role_title(INC_ROLE_IC), "Incident Commander");
    assert_null(inc_role_name(INC_ROLE_COUNT));
    assert_null(inc_role_name((inc_role)-1));
    assert_null(inc_role_title(INC_ROLE_COUNT));
    assert_int_equal(inc_role_from_name("LIAISON", &role), INC_OK);
    assert_int_equal(role, INC_ROLE_LIAISON);
    assert_int_equal(inc_role_from_name("cook", &role), INC_ENOTFOUND);
    assert_int_equal(inc_role_from_name(NULL, &role), INC_EINVAL);
    assert_int_equal(inc_role_from_name("ic", NULL), INC_EINVAL);
    assert_string_equal(inc_combo_name(INC_COMBO_ALLOWED), "allowed");
    assert_string_equal(inc_combo_name(INC_COMBO_NEVER), "never");
    assert_string_equal(inc_combo_name(INC_COMBO_REPORT_LONG), "report-long");
    assert_string_equal(inc_combo_name(INC_COMBO_REPORT_OVERDUE), "report-overdue");
    assert_null(inc_combo_name((inc_combo)4));
    for (int d = 0; d < INC_DUR_COUNT; d++)
        assert_string_equal(inc_level_duration_name((inc_level_duration)d), durs[d]);
    assert_null(inc_level_duration_name(INC_DUR_COUNT));
}

/* ---- bad input changes nothing ---- */

/* Run a failing call on a copy of the default preset and check that it
 * returned @want, left a message and changed nothing. */
#define EXPECT_REFUSED(want, call)                                                                 \
    do {                                                                                           \
        inc_rubric *before_;                                                                       \
        assert_int_equal(inc_rubric_dup(r, &before_), INC_OK);                                     \
        assert_int_equal((call), (want));                                                          \
        assert_true(inc_rubric_equal(r, before_));                                                 \
        assert_true(strlen(inc_rubric_errmsg(r)) > 0);                                             \
        inc_rubric_free(before_);                                                                  \
    } while (0)

static void test_RUB_01_bad_setter_input_changes_nothing(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    char big[INC_RUBRIC_TEXT_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const size_t bad = 5;

    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_text(r, bad, INC_LEVEL_TRIGGER, "x"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_text(r, 0, INC_LEVEL_TEXT_COUNT, "x"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_text(r, 0, INC_LEVEL_TRIGGER, "bad \xC3\x28"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_text(r, 0, INC_LEVEL_TRIGGER, "bell \x07"));
    EXPECT_REFUSED(INC_ETOOBIG, inc_rubric_set_text(r, 0, INC_LEVEL_TRIGGER, big));
    assert_non_null(strstr(inc_rubric_errmsg(r), "Sev-0"));
    assert_non_null(strstr(inc_rubric_errmsg(r), "trigger"));

    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_duration(r, bad, INC_DUR_ACK, MIN(1)));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_duration(r, 0, INC_DUR_COUNT, MIN(1)));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_duration(r, 0, (inc_level_duration)-1, MIN(1)));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_duration(r, 0, INC_DUR_ACK, 0));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_duration(r, 0, INC_DUR_ACK, -5));
    EXPECT_REFUSED(INC_EINVAL,
                   inc_rubric_set_duration(r, 0, INC_DUR_ACK, INC_DURATION_NEXT_CADENCE));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_duration(r, 0, INC_DUR_ACK, INT64_MAX));
    assert_non_null(strstr(inc_rubric_errmsg(r), "ack"));

    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_flag(r, bad, INC_FLAG_BRIDGE, 1));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_flag(r, 0, INC_FLAG_COUNT, 1));

    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_required_comm(r, bad, INC_COMM_STATUS_PAGE, 0));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_required_comm(r, 0, INC_COMM_COUNT, 0));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_required_comm(r, 0, INC_COMM_STATUS_PAGE, -3));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_required_comm(r, 0, INC_COMM_STATUS_PAGE, INT64_MAX));

    EXPECT_REFUSED(INC_EINVAL,
                   inc_rubric_set_combo(r, bad, INC_ROLE_IC, INC_ROLE_SME, INC_COMBO_NEVER));
    EXPECT_REFUSED(INC_EINVAL,
                   inc_rubric_set_combo(r, 0, INC_ROLE_IC, INC_ROLE_COUNT, INC_COMBO_NEVER));
    EXPECT_REFUSED(INC_EINVAL,
                   inc_rubric_set_combo(r, 0, (inc_role)-1, INC_ROLE_IC, INC_COMBO_NEVER));
    EXPECT_REFUSED(INC_EINVAL,
                   inc_rubric_set_combo(r, 0, INC_ROLE_IC, INC_ROLE_IC, INC_COMBO_NEVER));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_combo(r, 0, INC_ROLE_IC, INC_ROLE_SME, (inc_combo)4));

    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_staffing(r, bad, B(IC), 1));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_staffing(r, 0, 1u << INC_ROLE_COUNT, 1));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_staffing(r, 0, B(IC), INC__STAFF_PEOPLE_MAX + 1));

    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_repeat(r, bad, 1));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_set_repeat(r, 0, INC__REPEAT_MAX + 1));
    inc_rubric_free(r);
}

static void test_ESC_01_bad_escalation_input_changes_nothing(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    char big[INC__ESC_TARGET_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const inc_esc_condition U = INC_ESC_UNRESOLVED;

    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 5, MIN(1), U, "a"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, 0, U, "a"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, -MIN(1), U, "a"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, NONE, U, "a"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, INT64_MAX, U, "a"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, MIN(1), (inc_esc_condition)2, "a"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, MIN(1), U, NULL));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, MIN(1), U, ""));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, MIN(1), U, "a,,b"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, MIN(1), U, "a, "));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, MIN(1), U, "a\nb"));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_escalation(r, 0, MIN(1), U, "\xFF"));
    EXPECT_REFUSED(INC_ETOOBIG, inc_rubric_add_escalation(r, 0, MIN(1), U, big));
    big[INC__ESC_TARGET_MAX] = '\0';
    assert_int_equal(inc_rubric_add_escalation(r, 4, MIN(1), U, big), INC_OK);
    while (inc_rubric_escalation_count(r, 4) < INC_ESCALATIONS_MAX)
        assert_int_equal(inc_rubric_add_escalation(r, 4, MIN(1), U, "x"), INC_OK);
    EXPECT_REFUSED(INC_ETOOBIG, inc_rubric_add_escalation(r, 4, MIN(1), U, "x"));
    assert_non_null(strstr(inc_rubric_errmsg(r), "Sev-4"));
    inc_rubric_free(r);
}

static void test_RUB_01_bad_levels_and_names(void **state)
{
    (void)state;
    inc_rubric *r = NULL;
    char name[INC_LEVEL_NAME_MAX + 2];
    assert_int_equal(inc_rubric_new(NULL, NULL, &r), INC_EINVAL);
    assert_int_equal(inc_rubric_new(NULL, "", &r), INC_EINVAL);
    assert_int_equal(inc_rubric_new(NULL, "a\nb", &r), INC_EINVAL);
    assert_int_equal(inc_rubric_new(NULL, "\xC0\xAF", &r), INC_EINVAL);
    assert_int_equal(inc_rubric_new(NULL, "x", NULL), INC_EINVAL);
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    char rname[INC__RUBRIC_NAME_MAX + 2];
    memset(rname, 'r', sizeof rname - 1);
    rname[sizeof rname - 1] = '\0';
    assert_int_equal(inc_rubric_new(NULL, rname, &r), INC_EINVAL);
    inc_allocator zero = {0, NULL, NULL, NULL, NULL};
    assert_int_not_equal(inc_rubric_new(&zero, "x", &r), INC_OK);
    assert_null(r);
    assert_int_equal(inc_rubric_preset_new(NULL, (inc_rubric_preset)2, &r), INC_EINVAL);
    assert_int_equal(inc_rubric_preset_new(NULL, INC_RUBRIC_DEFAULT, NULL), INC_EINVAL);

    r = preset(INC_RUBRIC_SEED002);
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_level(r, NULL, NULL));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_level(r, "", NULL));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_level(r, "SEV 5", NULL));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_level(r, "SEV\xC3\xA9", NULL));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_level(r, name, NULL));
    EXPECT_REFUSED(INC_EINVAL, inc_rubric_add_level(r, "SEV2", NULL));
    assert_non_null(strstr(inc_rubric_errmsg(r), "SEV2"));
    name[INC_LEVEL_NAME_MAX] = '\0';
    assert_int_equal(inc_rubric_add_level(r, name, NULL), INC_OK);
    for (int i = 0; inc_rubric_level_count(r) < INC_LEVELS_MAX; i++) {
        char n[16];
        snprintf(n, sizeof n, "L%d", i);
        assert_int_equal(inc_rubric_add_level(r, n, NULL), INC_OK);
    }
    EXPECT_REFUSED(INC_ETOOBIG, inc_rubric_add_level(r, "one-more", NULL));
    inc_rubric_free(r);
}

static void test_RUB_01_null_handle_and_bad_getters(void **state)
{
    (void)state;
    size_t i;
    unsigned m;
    assert_int_equal(inc_rubric_add_level(NULL, "x", NULL), INC_EINVAL);
    assert_int_equal(inc_rubric_set_text(NULL, 0, INC_LEVEL_TRIGGER, "x"), INC_EINVAL);
    assert_int_equal(inc_rubric_set_duration(NULL, 0, INC_DUR_ACK, 1), INC_EINVAL);
    assert_int_equal(inc_rubric_set_flag(NULL, 0, INC_FLAG_BRIDGE, 1), INC_EINVAL);
    assert_int_equal(inc_rubric_set_required_comm(NULL, 0, INC_COMM_STATUS_PAGE, 0), INC_EINVAL);
    assert_int_equal(inc_rubric_set_combo(NULL, 0, INC_ROLE_IC, INC_ROLE_SME, 1), INC_EINVAL);
    assert_int_equal(inc_rubric_set_staffing(NULL, 0, 0, 0), INC_EINVAL);
    assert_int_equal(inc_rubric_add_escalation(NULL, 0, 1, INC_ESC_UNRESOLVED, "a"), INC_EINVAL);
    assert_int_equal(inc_rubric_set_repeat(NULL, 0, 0), INC_EINVAL);
    assert_int_equal(inc_rubric_validate(NULL), INC_EINVAL);
    assert_int_equal(inc_rubric_dup(NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_rubric_get_level_index(NULL, "x", &i), INC_EINVAL);
    assert_null(inc_rubric_name(NULL));
    assert_int_equal(inc_rubric_level_count(NULL), 0);
    assert_string_equal(inc_rubric_errmsg(NULL), "");
    inc_rubric_free(NULL);

    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    assert_string_equal(inc_rubric_errmsg(r), "");
    assert_int_equal(inc_rubric_get_level_index(r, NULL, &i), INC_EINVAL);
    assert_int_equal(inc_rubric_get_level_index(r, "Sev-0", NULL), INC_EINVAL);
    assert_null(inc_rubric_text(r, 5, INC_LEVEL_TRIGGER));
    assert_null(inc_rubric_text(r, 0, INC_LEVEL_TEXT_COUNT));
    assert_int_equal(inc_rubric_duration(r, 5, INC_DUR_ACK), NONE);
    assert_int_equal(inc_rubric_duration(r, 0, INC_DUR_COUNT), NONE);
    assert_int_equal(inc_rubric_flag(r, 0, INC_FLAG_COUNT), 0);
    assert_int_equal(inc_rubric_required_comm(r, 9, INC_COMM_STATUS_PAGE), NONE);
    assert_int_equal(inc_rubric_combo(r, 0, INC_ROLE_IC, INC_ROLE_COUNT), INC_COMBO_ALLOWED);
    assert_int_equal(inc_rubric_combo(r, 0, INC_ROLE_IC, INC_ROLE_IC), INC_COMBO_ALLOWED);
    assert_int_equal(inc_rubric_get_staffing(r, 5, &m, NULL), INC_EINVAL);
    assert_int_equal(inc_rubric_escalation_count(r, 5), 0);
    assert_int_equal(inc_rubric_get_escalation(r, 5, 0, NULL, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_rubric_repeat(r, 5), 0);
    inc_rubric_free(r);
}

/* ---- copies ---- */

static void test_RUB_01_dup_and_equal(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT), *c;
    inc_rubric *s = preset(INC_RUBRIC_SEED002);
    assert_int_equal(inc_rubric_dup(r, &c), INC_OK);
    assert_true(inc_rubric_equal(r, c));
    assert_false(inc_rubric_equal(r, s));
    assert_false(inc_rubric_equal(r, NULL));
    assert_false(inc_rubric_equal(NULL, r));
    /* Every kind of field makes a difference. */
    assert_int_equal(inc_rubric_set_text(c, 4, INC_LEVEL_PAGED, "someone"), INC_OK);
    assert_false(inc_rubric_equal(r, c));
    assert_int_equal(
        inc_rubric_set_text(c, 4, INC_LEVEL_PAGED, inc_rubric_text(r, 4, INC_LEVEL_PAGED)), INC_OK);
    assert_true(inc_rubric_equal(r, c));
    assert_int_equal(inc_rubric_set_duration(c, 4, INC_DUR_SCRIBE, MIN(9)), INC_OK);
    assert_false(inc_rubric_equal(r, c));
    assert_int_equal(inc_rubric_set_duration(c, 4, INC_DUR_SCRIBE, NONE), INC_OK);
    assert_int_equal(inc_rubric_set_flag(c, 4, INC_FLAG_BRIDGE, 1), INC_OK);
    assert_false(inc_rubric_equal(r, c));
    assert_int_equal(inc_rubric_set_flag(c, 4, INC_FLAG_BRIDGE, 0), INC_OK);
    assert_int_equal(inc_rubric_set_combo(c, 4, INC_ROLE_PR, INC_ROLE_LEGAL, 2), INC_OK);
    assert_false(inc_rubric_equal(r, c));
    assert_int_equal(inc_rubric_set_combo(c, 4, INC_ROLE_PR, INC_ROLE_LEGAL, 0), INC_OK);
    assert_int_equal(inc_rubric_set_repeat(c, 4, 1), INC_OK);
    assert_false(inc_rubric_equal(r, c));
    assert_int_equal(inc_rubric_set_repeat(c, 4, 0), INC_OK);
    assert_true(inc_rubric_equal(r, c));
    assert_int_equal(inc_rubric_add_escalation(c, 4, MIN(1), INC_ESC_UNRESOLVED, "x"), INC_OK);
    assert_false(inc_rubric_equal(r, c));
    /* The copy is independent of the original. */
    inc_rubric_free(r);
    assert_true(strncmp(inc_rubric_text(c, 0, INC_LEVEL_TRIGGER), "Company-existential", 19) == 0);
    assert_int_equal(inc_rubric_validate(c), INC_OK);
    inc_rubric_free(c);
    inc_rubric_free(s);
}

/* ---- RUB-3 ---- */

static void test_RUB_03_presets_validate(void **state)
{
    (void)state;
    inc_rubric *d = preset(INC_RUBRIC_DEFAULT), *s = preset(INC_RUBRIC_SEED002);
    static const char *const dn[] = {"Sev-0", "Sev-1", "Sev-2", "Sev-3", "Sev-4"};
    static const char *const sn[] = {"SEV1", "SEV2", "SEV3", "SEV4"};
    assert_int_equal(inc_rubric_validate(d), INC_OK);
    assert_int_equal(inc_rubric_validate(s), INC_OK);
    assert_int_equal(inc_rubric_level_count(d), 5);
    assert_int_equal(inc_rubric_level_count(s), 4);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(inc_rubric_level_name(d, i), dn[i]);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(inc_rubric_level_name(s, i), sn[i]);
    assert_string_equal(inc_rubric_name(d), "default");
    assert_string_equal(inc_rubric_name(s), "seed002");
    inc_rubric_free(d);
    inc_rubric_free(s);
}

static void test_RUB_03_no_levels_rejected(void **state)
{
    (void)state;
    inc_rubric *r;
    assert_int_equal(inc_rubric_new(NULL, "empty", &r), INC_OK);
    assert_int_equal(inc_rubric_validate(r), INC_EINVAL);
    assert_non_null(strstr(inc_rubric_errmsg(r), "no levels"));
    inc_rubric_free(r);
}

/* The setters refuse duplicate names and bad durations, so only a rubric
 * whose memory was changed behind the API's back (a bug elsewhere) gets
 * here; validation must still catch it. */
static void test_RUB_03_duplicate_name_and_bad_duration_rejected(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    strcpy(r->levels[3].name, "Sev-1");
    assert_int_equal(inc_rubric_validate(r), INC_EINVAL);
    assert_non_null(strstr(inc_rubric_errmsg(r), "level Sev-1: name is not unique"));
    strcpy(r->levels[3].name, "Sev-3");
    assert_int_equal(inc_rubric_validate(r), INC_OK);
    r->levels[2].dur[INC_DUR_POSTMORTEM] = 0;
    assert_int_equal(inc_rubric_validate(r), INC_EINVAL);
    assert_non_null(strstr(inc_rubric_errmsg(r), "level Sev-2: postmortem.due"));
    inc_rubric_free(r);
}

static void test_RUB_03_looser_target_rejected(void **state)
{
    (void)state;
    static const inc_level_duration ordered[] = {
        INC_DUR_ACK,
        INC_DUR_MITIGATE,
        INC_DUR_RESOLVE,
        INC_DUR_CADENCE_EXTERNAL,
        INC_DUR_CADENCE_INTERNAL,
        INC_DUR_CADENCE_RESPONSE,
    };
    for (size_t f = 0; f < sizeof ordered / sizeof ordered[0]; f++) {
        inc_level_duration d = ordered[f];
        const char *field = inc_level_duration_name(d);
        char want[128];
        /* Sev-1 one millisecond looser than Sev-2. */
        inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
        int64_t less = inc_rubric_duration(r, 2, d);
        assert_int_equal(inc_rubric_set_duration(r, 1, d, less + 1), INC_OK);
        assert_int_equal(inc_rubric_validate(r), INC_EINVAL);
        snprintf(want, sizeof want, "level Sev-1: %s (", field);
        assert_non_null(strstr(inc_rubric_errmsg(r), want));
        assert_non_null(strstr(inc_rubric_errmsg(r), "is looser than Sev-2's"));
        /* Equal is fine. */
        assert_int_equal(inc_rubric_set_duration(r, 1, d, less), INC_OK);
        assert_int_equal(inc_rubric_validate(r), INC_OK);
        /* NONE is the loosest value: a Sev-3 with NONE above a Sev-4 with a
         * number is looser. */
        assert_int_equal(inc_rubric_set_duration(r, 3, d, NONE), INC_OK);
        assert_int_equal(inc_rubric_set_duration(r, 4, d, DAY(30)), INC_OK);
        assert_int_equal(inc_rubric_validate(r), INC_EINVAL);
        snprintf(want, sizeof want, "level Sev-3: %s (none) is looser than Sev-4's (4w2d)", field);
        assert_string_equal(inc_rubric_errmsg(r), want);
        inc_rubric_free(r);
    }
}

static void test_RUB_03_message_names_level_and_field(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    assert_int_equal(inc_rubric_set_duration(r, 1, INC_DUR_CADENCE_EXTERNAL, HOUR(1)), INC_OK);
    assert_int_equal(inc_rubric_validate(r), INC_EINVAL);
    assert_string_equal(inc_rubric_errmsg(r),
                        "level Sev-1: cadence.external (1h) is looser than Sev-2's (30m)");
    inc_rubric_free(r);
}

static void test_RUB_03_policies_are_not_ordered(void **state)
{
    (void)state;
    inc_rubric *r = preset(INC_RUBRIC_DEFAULT);
    assert_int_equal(inc_rubric_set_duration(r, 0, INC_DUR_POSTMORTEM, DAY(30)), INC_OK);
    assert_int_equal(inc_rubric_set_duration(r, 0, INC_DUR_LONG_INCIDENT, DAY(1)), INC_OK);
    assert_int_equal(inc_rubric_set_duration(r, 0, INC_DUR_ACK_TIMEOUT, NONE), INC_OK);
    assert_int_equal(inc_rubric_set_duration(r, 0, INC_DUR_SCRIBE, HOUR(1)), INC_OK);
    assert_int_equal(inc_rubric_validate(r), INC_OK);
    inc_rubric_free(r);
}

/* ---- allocation failure ---- */

/* Fail the 1st, 2nd, ... allocation of @op until it succeeds; every failed
 * run must return INC_ENOMEM and leak nothing. */
static void fail_each_allocation(int (*op)(const inc_allocator *, void *), void *arg)
{
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    unsigned long n;
    for (n = 1; n < 10000; n++) {
        inc_test_alloc_arm(&ta, n, 1);
        int rc = op(&a, arg);
        if (rc == INC_OK)
            break;
        assert_int_equal(rc, INC_ENOMEM);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(n > 1); /* the operation allocates at all */
    assert_int_equal(ta.live_blocks, 0);
}

static int op_preset(const inc_allocator *a, void *arg)
{
    inc_rubric *r;
    int rc = inc_rubric_preset_new(a, *(inc_rubric_preset *)arg, &r);
    inc_rubric_free(rc == INC_OK ? r : NULL);
    return rc;
}

static int op_dup(const inc_allocator *a, void *arg)
{
    inc_rubric *r, *c;
    /* Build with the allocator unarmed, then copy with it armed. */
    struct inc_test_alloc *ta = a->user;
    unsigned long fail_at = ta->fail_at;
    inc_test_alloc_arm(ta, 0, 0);
    assert_int_equal(inc_rubric_preset_new(a, *(inc_rubric_preset *)arg, &r), INC_OK);
    inc_test_alloc_arm(ta, fail_at, 1);
    int rc = inc_rubric_dup(r, &c);
    if (rc == INC_OK) {
        assert_true(inc_rubric_equal(r, c));
        inc_rubric_free(c);
    }
    inc_rubric_free(r);
    return rc;
}

static void test_RUB_01_allocation_failure_preset_and_dup(void **state)
{
    (void)state;
    inc_rubric_preset p[] = {INC_RUBRIC_DEFAULT, INC_RUBRIC_SEED002};
    for (size_t i = 0; i < 2; i++) {
        fail_each_allocation(op_preset, &p[i]);
        fail_each_allocation(op_dup, &p[i]);
    }
}

static void test_RUB_01_allocation_failure_in_setters_changes_nothing(void **state)
{
    (void)state;
    struct inc_test_alloc ta;
    inc_test_alloc_init(&ta);
    inc_allocator a = inc_test_alloc_allocator(&ta);
    inc_rubric *r, *before;
    assert_int_equal(inc_rubric_preset_new(&a, INC_RUBRIC_DEFAULT, &r), INC_OK);
    assert_int_equal(inc_rubric_dup(r, &before), INC_OK);
    inc_test_alloc_arm(&ta, 1, 1);
    assert_int_equal(inc_rubric_set_text(r, 0, INC_LEVEL_TRIGGER, "new"), INC_ENOMEM);
    assert_int_equal(inc_rubric_add_escalation(r, 0, MIN(1), INC_ESC_UNRESOLVED, "x"), INC_ENOMEM);
    assert_true(inc_rubric_equal(r, before));
    assert_string_equal(inc_rubric_errmsg(r), "out of memory");
    /* Five levels fill the first block of eight: growing to nine fails. */
    for (int i = 0; i < 3; i++) {
        char n[8];
        snprintf(n, sizeof n, "X%d", i);
        inc_test_alloc_arm(&ta, 0, 0);
        assert_int_equal(inc_rubric_add_level(r, n, NULL), INC_OK);
    }
    inc_rubric_free(before);
    assert_int_equal(inc_rubric_dup(r, &before), INC_OK);
    inc_test_alloc_arm(&ta, 1, 1);
    assert_int_equal(inc_rubric_add_level(r, "X9", NULL), INC_ENOMEM);
    assert_int_equal(inc_rubric_level_count(r), 8);
    assert_true(inc_rubric_equal(r, before));
    inc_test_alloc_arm(&ta, 0, 0);
    inc_rubric_free(before);
    inc_rubric_free(r);
    assert_int_equal(ta.live_blocks, 0);
}

/* The preset tables and RULES.md: tests/rubric/test_rubric_presets.c. */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_RUB_01_build_through_api),
        cmocka_unit_test(test_RUB_02_level_carries_every_field),
        cmocka_unit_test(test_ESC_01_steps_kept_in_time_order),
        cmocka_unit_test(test_RUB_01_names),
        cmocka_unit_test(test_RUB_01_bad_setter_input_changes_nothing),
        cmocka_unit_test(test_ESC_01_bad_escalation_input_changes_nothing),
        cmocka_unit_test(test_RUB_01_bad_levels_and_names),
        cmocka_unit_test(test_RUB_01_null_handle_and_bad_getters),
        cmocka_unit_test(test_RUB_01_dup_and_equal),
        cmocka_unit_test(test_RUB_03_presets_validate),
        cmocka_unit_test(test_RUB_03_no_levels_rejected),
        cmocka_unit_test(test_RUB_03_duplicate_name_and_bad_duration_rejected),
        cmocka_unit_test(test_RUB_03_looser_target_rejected),
        cmocka_unit_test(test_RUB_03_message_names_level_and_field),
        cmocka_unit_test(test_RUB_03_policies_are_not_ordered),
        cmocka_unit_test(test_RUB_01_allocation_failure_preset_and_dup),
        cmocka_unit_test(test_RUB_01_allocation_failure_in_setters_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
