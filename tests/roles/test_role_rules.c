/* Role rules: the combination truth table of RULES.md ROLE-3..ROLE-9 for
 * both presets under both policies, the long-incident report (ROLE-5), the
 * overdue split (ROLE-6), staffing (ROLE-10, RUB-5), the Scribe window
 * (ROLE-12), and a severity raise re-checking roles (ROLE-11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "findings_internal.h"
#include "incident.h"
#include "incident_internal.h"
#include "test_support.h"

#define T0   1795443120000LL /* 2026-11-23T14:12:00Z */
#define MIN  60000LL
#define HOUR (60 * MIN)

typedef struct fixture {
    struct inc_test_clock clock;
    inc_context *ctx;
    unsigned serial; /* makes titles unique: no id suffix search */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_test_clock_init(&f->clock, T0);
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    assert_int_equal(inc_context_new(&o, &f->ctx), INC_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    inc_context_free(f->ctx);
    free(f);
    return 0;
}

static void use_preset(fixture *f, inc_rubric_preset preset)
{
    inc_rubric *r;
    assert_int_equal(inc_rubric_preset_new(NULL, preset, &r), INC_OK);
    assert_int_equal(inc_context_set_rubric(f->ctx, r), INC_OK);
    inc_rubric_free(r);
}

/* Declare at @level with "ic0" as declarer (and so IC, DEC-1), now. */
static inc_incident *declare(fixture *f, const char *level)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    char title[64];
    snprintf(title, sizeof(title), "role rules %u", ++f->serial);
    d.title = title;
    d.declarer = "ic0";
    d.severity = level;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    return inc;
}

static inc_findings *check(inc_incident *inc)
{
    inc_findings *list = NULL;
    assert_int_equal(inc_incident_check_roles(inc, &list), INC_OK);
    assert_non_null(list);
    return list;
}

/* Findings about a combination held by @person (rule ROLE-3..ROLE-9). */
static size_t combo_findings(const inc_findings *list, const char *person, const inc_finding **last)
{
    size_t i, n = 0;
    for (i = 0; i < inc_findings_count(list); i++) {
        const inc_finding *fi = inc_findings_at(list, i);
        if (fi->people_count == 1 && strcmp(fi->people[0], person) == 0 && fi->role_count == 2) {
            n++;
            *last = fi;
        }
    }
    return n;
}

static const char *domain_for(inc_role r)
{
    return r == INC_ROLE_SME ? "database" : NULL;
}

/* ---- the truth table (RULES.md ROLE-3..ROLE-9) --------------------------- */

/* Per pair of the six core roles, what RULES.md says at Sev-0..Sev-4:
 * 'A' allowed, 'N' not combined (refused by strict, reported by advisory),
 * 'L' allowed but reported once the incident is long (ROLE-5),
 * 'O' allowed but reported when both audiences are overdue (ROLE-6). */
static const struct truth {
    inc_role a, b;
    const char *rule;
    const char *by_rank; /* Sev-0 .. Sev-4 */
} truth[] = {
    {INC_ROLE_IC, INC_ROLE_SME, "ROLE-3", "NNNNN"},         /* never, any severity */
    {INC_ROLE_COMMS, INC_ROLE_SME, "ROLE-3", "NNNNN"},      /* never, any severity */
    {INC_ROLE_IC, INC_ROLE_COMMS, "ROLE-3", "NNNNN"},       /* never, any severity */
    {INC_ROLE_IC, INC_ROLE_SCRIBE, "ROLE-4", "NNNNA"},      /* Sev-4 IC may scribe */
    {INC_ROLE_DEPUTY, INC_ROLE_SCRIBE, "ROLE-5", "NLAAA"},  /* never Sev-0; long Sev-1 */
    {INC_ROLE_COMMS, INC_ROLE_LIAISON, "ROLE-6", "NNOOO"},  /* split when overdue */
    {INC_ROLE_IC, INC_ROLE_DEPUTY, "ROLE-7", "NNNAA"},      /* only Sev-3, Sev-4 */
    {INC_ROLE_LIAISON, INC_ROLE_SCRIBE, "ROLE-8", "NNNAA"}, /* only Sev-3, Sev-4 */
    {INC_ROLE_SME, INC_ROLE_SCRIBE, "ROLE-9", "NNAAA"},     /* Sev-2..Sev-4 */
    /* ROLE-9: any pair not named is not combined at Sev-0/Sev-1, allowed below. */
    {INC_ROLE_IC, INC_ROLE_LIAISON, "ROLE-9", "NNAAA"},
    {INC_ROLE_DEPUTY, INC_ROLE_SME, "ROLE-9", "NNAAA"},
    {INC_ROLE_DEPUTY, INC_ROLE_COMMS, "ROLE-9", "NNAAA"},
    {INC_ROLE_DEPUTY, INC_ROLE_LIAISON, "ROLE-9", "NNAAA"},
    {INC_ROLE_SCRIBE, INC_ROLE_COMMS, "ROLE-9", "NNAAA"},
    {INC_ROLE_SME, INC_ROLE_LIAISON, "ROLE-9", "NNAAA"},
};
#define TRUTH_COUNT (sizeof(truth) / sizeof(truth[0]))

/* Make "p" hold truth row @t's two roles at @level under @policy; return
 * the status of the step that creates the combination. */
static int combine(fixture *f, inc_incident *inc, const struct truth *t)
{
    if (t->a == INC_ROLE_IC) { /* p becomes IC by hand-off (ROLE-2) */
        assert_int_equal(inc_incident_assign_role(inc, "ic0", "p", t->b, domain_for(t->b)), INC_OK);
        assert_int_equal(inc_incident_handoff(inc, "ic0", "p", "all quiet", "watching", "none"),
                         INC_OK);
        return inc_incident_confirm_handoff(inc, "p");
    }
    (void)f;
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "p", t->a, domain_for(t->a)), INC_OK);
    return inc_incident_assign_role(inc, "ic0", "p", t->b, domain_for(t->b));
}

static void check_cell(fixture *f, const char *level, const struct truth *t, char expect,
                       inc_policy policy)
{
    inc_incident *inc;
    inc_findings *list;
    const inc_finding *fi = NULL;
    size_t events;
    int rc, refused = expect == 'N' && policy == INC_POLICY_STRICT;
    char where[96];

    snprintf(where, sizeof(where), "%s %s+%s %s", level, inc_role_name(t->a), inc_role_name(t->b),
             policy == INC_POLICY_STRICT ? "strict" : "advisory");
    assert_int_equal(inc_context_set_policy(f->ctx, policy), INC_OK);
    inc = declare(f, level);
    events = (size_t)inc_incident_last_seq(inc) + (t->a == INC_ROLE_IC ? 2 : 1);
    rc = combine(f, inc, t);
    if (rc != (refused ? INC_EROLE : INC_OK))
        fail_msg("%s: got %s (%s)", where, inc_status_name(rc), inc_incident_errmsg(inc));
    if (refused) { /* nothing changed; the message names rule, person, roles, level */
        assert_int_equal(inc_incident_last_seq(inc), events);
        assert_non_null(strstr(inc_incident_errmsg(inc), t->rule));
        assert_non_null(strstr(inc_incident_errmsg(inc), " p "));
        assert_non_null(strstr(inc_incident_errmsg(inc), inc_role_title(t->a)));
        assert_non_null(strstr(inc_incident_errmsg(inc), inc_role_title(t->b)));
        assert_non_null(strstr(inc_incident_errmsg(inc), level));
        assert_string_equal(inc_incident_ic(inc), "ic0");
    } else {
        assert_int_equal(inc_incident_person_roles(inc, "p"),
                         INC_ROLE_BIT(t->a) | INC_ROLE_BIT(t->b));
    }
    list = check(inc);
    if (expect == 'N' && !refused) { /* advisory: recorded and reported */
        if (combo_findings(list, "p", &fi) != 1)
            fail_msg("%s: expected one %s finding", where, t->rule);
        assert_string_equal(fi->rule_id, t->rule);
        assert_int_equal(fi->enforced, 1);
        assert_int_equal(fi->role_mask, INC_ROLE_BIT(t->a) | INC_ROLE_BIT(t->b));
        assert_string_equal(fi->level, level);
        assert_non_null(strstr(fi->message, "page a second person"));
    } else if (combo_findings(list, "p", &fi) != 0) {
        fail_msg("%s: unexpected finding %s", where, fi->message);
    }
    inc_findings_free(list);
    if (expect == 'L') { /* ROLE-5: reported past the long-incident threshold */
        inc_test_clock_advance(&f->clock, 4 * HOUR + MIN);
        list = check(inc);
        assert_int_equal(combo_findings(list, "p", &fi), 1);
        assert_string_equal(fi->rule_id, "ROLE-5");
        assert_int_equal(fi->enforced, 0);
        inc_findings_free(list);
        inc_test_clock_advance(&f->clock, -(4 * HOUR + MIN));
    }
    inc_incident_free(inc);
}

static void walk_truth_table(fixture *f, const char *const *levels, const int *ranks, size_t n)
{
    size_t l, t;
    for (l = 0; l < n; l++)
        for (t = 0; t < TRUTH_COUNT; t++) {
            char expect = truth[t].by_rank[ranks[l]];
            check_cell(f, levels[l], &truth[t], expect, INC_POLICY_STRICT);
            check_cell(f, levels[l], &truth[t], expect, INC_POLICY_ADVISORY);
        }
}

static void test_ROLE_03_to_09_truth_table_default_preset(void **state)
{
    static const char *const levels[] = {"Sev-0", "Sev-1", "Sev-2", "Sev-3", "Sev-4"};
    static const int ranks[] = {0, 1, 2, 3, 4};
    walk_truth_table(*state, levels, ranks, 5);
}

static void test_ROLE_03_to_09_truth_table_002_preset(void **state)
{
    static const char *const levels[] = {"SEV1", "SEV2", "SEV3", "SEV4"};
    static const int ranks[] = {1, 2, 3, 4}; /* 002's SEV1..SEV4 are Sev-1..Sev-4 */
    fixture *f = *state;
    use_preset(f, INC_RUBRIC_SEED002);
    walk_truth_table(f, levels, ranks, 4);
}

/* ---- ROLE-5, ROLE-6 ------------------------------------------------------ */

static void test_ROLE_05_long_sev1_reports_deputy_and_scribe(void **state)
{
    fixture *f = *state;
    inc_incident *inc;
    inc_findings *list;
    const inc_finding *fi = NULL;

    assert_int_equal(inc_context_set_policy(f->ctx, INC_POLICY_STRICT), INC_OK);
    inc = declare(f, "Sev-1");
    inc_test_clock_advance(&f->clock, 10 * MIN);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "dana", INC_ROLE_DEPUTY, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "dana", INC_ROLE_SCRIBE, NULL), INC_OK);
    inc_test_clock_advance(&f->clock, 4 * HOUR - 10 * MIN); /* exactly 4 h: not longer */
    list = check(inc);
    assert_int_equal(combo_findings(list, "dana", &fi), 0);
    inc_findings_free(list);
    inc_test_clock_advance(&f->clock, 1);
    list = check(inc);
    assert_int_equal(combo_findings(list, "dana", &fi), 1);
    assert_string_equal(fi->rule_id, "ROLE-5");
    assert_int_equal(fi->enforced, 0);
    assert_int_equal(fi->since, T0 + 4 * HOUR);
    assert_int_equal(fi->roles[0], INC_ROLE_DEPUTY);
    assert_int_equal(fi->roles[1], INC_ROLE_SCRIBE); /* taken second: the one to move */
    assert_non_null(strstr(fi->message, "longer than 4h"));
    assert_non_null(strstr(fi->message, "page a second person to be Scribe"));
    inc_findings_free(list);
    /* Still allowed in strict: a new Deputy+Scribe after 4 h is recorded with ROLE-5. */
    assert_int_equal(inc_incident_release_role(inc, "dana", "dana", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "dana", INC_ROLE_SCRIBE, NULL), INC_OK);
    {
        char *line = NULL;
        assert_int_equal(inc_incident_describe_event(inc, inc_incident_event_count(inc) - 1, &line),
                         INC_OK);
        assert_non_null(strstr(line, "[ROLE-5, strict]"));
        inc_free(line);
    }
    inc_incident_free(inc);
}

static void test_ROLE_06_split_reported_only_when_both_overdue(void **state)
{
    fixture *f = *state;
    inc_incident *inc = declare(f, "Sev-2");
    inc_findings *list;
    const inc_finding *fi = NULL;

    assert_int_equal(inc_incident_assign_role(inc, "ic0", "cal", INC_ROLE_COMMS, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "cal", INC_ROLE_LIAISON, NULL), INC_OK);
    /* Sev-2: external update due at T+30m, internal at T+1h (COMM-1). */
    inc_test_clock_advance(&f->clock, HOUR);
    list = check(inc);
    assert_int_equal(combo_findings(list, "cal", &fi), 0); /* only the external is late */
    inc_findings_free(list);
    inc_test_clock_advance(&f->clock, MIN);
    list = check(inc);
    assert_int_equal(combo_findings(list, "cal", &fi), 1); /* both are late now */
    assert_string_equal(fi->rule_id, "ROLE-6");
    inc_findings_free(list);
    /* The code path the cadence issue will feed: both audiences overdue. */
    assert_int_equal(inc__findings_new(inc->alloc, &list), INC_OK);
    assert_int_equal(inc__roles_findings(inc, inc_context_now(f->ctx), 1, list), INC_OK);
    assert_int_equal(combo_findings(list, "cal", &fi), 1);
    assert_string_equal(fi->rule_id, "ROLE-6");
    assert_int_equal(fi->enforced, 0);
    assert_non_null(strstr(fi->message, "both overdue"));
    assert_non_null(strstr(fi->message, "page a second person to be Internal Liaison"));
    inc_findings_free(list);
    /* At Sev-1 the pair is never combined: ROLE-6 as a forbidden pair. */
    assert_int_equal(inc_incident_set_severity(inc, "ic0", "Sev-1", "spreading"), INC_OK);
    list = check(inc);
    assert_int_equal(combo_findings(list, "cal", &fi), 1);
    assert_string_equal(fi->rule_id, "ROLE-6");
    assert_int_equal(fi->enforced, 1);
    inc_findings_free(list);
    inc_incident_free(inc);
}

/* ---- ROLE-10, RUB-5 ------------------------------------------------------ */

static unsigned missing_roles(const inc_findings *list, int64_t *people_missing)
{
    unsigned mask = 0;
    size_t i;
    *people_missing = 0;
    for (i = 0; i < inc_findings_count(list); i++) {
        const inc_finding *fi = inc_findings_at(list, i);
        if (strcmp(fi->rule_id, "ROLE-10") && strcmp(fi->rule_id, "RUB-5"))
            continue;
        if (fi->role_count == 1)
            mask |= fi->role_mask;
        else
            *people_missing = fi->value;
    }
    return mask;
}

#define RB(r) INC_ROLE_BIT(INC_ROLE_##r)
#define CORE6 (RB(IC) | RB(DEPUTY) | RB(SCRIBE) | RB(SME) | RB(COMMS) | RB(LIAISON))

static void test_ROLE_10_staffing_findings_per_level(void **state)
{
    /* RULES.md ROLE-10: the roles each level needs and its distinct people. */
    static const struct {
        const char *level;
        unsigned roles;
        int people;
    } want[] = {
        {"Sev-0", CORE6 | RB(SPONSOR) | RB(LEGAL) | RB(PR), 9},
        {"Sev-1", CORE6, 6},
        {"Sev-2", CORE6, 4},
        {"Sev-3", RB(IC) | RB(SME) | RB(SCRIBE), 2},
        {"Sev-4", RB(IC) | RB(SME), 2},
    };
    fixture *f = *state;
    size_t i;
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        inc_incident *inc = declare(f, want[i].level);
        inc_findings *list = check(inc);
        int64_t people;
        /* The declarer is IC, so every other required role is missing. */
        assert_int_equal(missing_roles(list, &people), want[i].roles & ~RB(IC));
        assert_int_equal(people, want[i].people - 1);
        inc_findings_free(list);
        inc_incident_free(inc);
    }
}

static void test_ROLE_10_sev2_staffed_by_four_people(void **state)
{
    fixture *f = *state;
    inc_incident *inc = declare(f, "Sev-2");
    inc_findings *list;
    int64_t people;

    assert_int_equal(inc_incident_assign_role(inc, "ic0", "bo", INC_ROLE_DEPUTY, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "bo", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "cy", INC_ROLE_SME, "db"), INC_OK);
    list = check(inc);
    assert_int_equal(missing_roles(list, &people), RB(COMMS) | RB(LIAISON));
    assert_int_equal(people, 1);
    assert_non_null(
        strstr(inc_findings_at(list, inc_findings_count(list) - 1)->message, "page 1 more"));
    inc_findings_free(list);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "di", INC_ROLE_COMMS, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "di", INC_ROLE_LIAISON, NULL), INC_OK);
    list = check(inc);
    assert_int_equal(inc_findings_count(list), 0);
    inc_findings_free(list);
    inc_incident_free(inc);
}

static void test_RUB_05_sev0_requires_sponsor_legal_pr(void **state)
{
    static const char *const people[] = {"d", "s", "m", "c", "l", "x", "y", "z"};
    static const inc_role roles[] = {INC_ROLE_DEPUTY, INC_ROLE_SCRIBE,  INC_ROLE_SME,
                                     INC_ROLE_COMMS,  INC_ROLE_LIAISON, INC_ROLE_SPONSOR,
                                     INC_ROLE_LEGAL,  INC_ROLE_PR};
    fixture *f = *state;
    inc_incident *inc = declare(f, "Sev-0");
    inc_findings *list = check(inc);
    size_t i;

    assert_int_equal(inc_findings_count_rule(list, "RUB-5"), 3);
    for (i = 0; i < inc_findings_count(list); i++) {
        const inc_finding *fi = inc_findings_at(list, i);
        if (strcmp(fi->rule_id, "RUB-5") == 0) {
            assert_true(fi->role_mask & (RB(SPONSOR) | RB(LEGAL) | RB(PR)));
            assert_non_null(strstr(fi->message, "from minute one"));
        }
    }
    inc_findings_free(list);
    for (i = 0; i < 8; i++)
        assert_int_equal(inc_incident_assign_role(inc, "ic0", people[i], roles[i],
                                                  roles[i] == INC_ROLE_SME ? "auth" : NULL),
                         INC_OK);
    list = check(inc);
    assert_int_equal(inc_findings_count(list), 0); /* nine distinct people, T+0: Scribe in time */
    inc_findings_free(list);
    /* RUB-5 / ROLE-10: no combinations at Sev-0, not even among the extra roles. */
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "x", INC_ROLE_LEGAL, NULL),
                     INC_EEXIST); /* one Legal Counsel at a time */
    assert_int_equal(inc_incident_release_role(inc, "z", "z", INC_ROLE_PR, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "x", INC_ROLE_PR, NULL), INC_OK);
    list = check(inc);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-9"), 1);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-10"), 1); /* 8 people < 9 */
    inc_findings_free(list);
    inc_incident_free(inc);
}

/* ---- ROLE-12 ------------------------------------------------------------- */

static void test_ROLE_12_scribe_expected_within_5_minutes(void **state)
{
    fixture *f = *state;
    inc_incident *inc = declare(f, "Sev-2");
    inc_findings *list;
    const inc_finding *fi;

    assert_int_equal(inc_incident_scribe_due(inc), T0 + 5 * MIN);
    assert_int_equal(inc_incident_scribe_assigned_at(inc), INC_TIME_NONE);
    inc_test_clock_advance(&f->clock, 5 * MIN); /* T+5m: not yet past */
    list = check(inc);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-12"), 0);
    inc_findings_free(list);
    inc_test_clock_advance(&f->clock, 2 * MIN);
    list = check(inc);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-12"), 1);
    fi = inc_findings_at(list, inc_findings_count(list) - 1);
    assert_string_equal(fi->rule_id, "ROLE-12");
    assert_int_equal(fi->value, 2 * MIN);
    assert_int_equal(fi->since, T0 + 5 * MIN);
    assert_int_equal(fi->roles[0], INC_ROLE_SCRIBE);
    assert_non_null(strstr(fi->message, "no Scribe at T+7m00s"));
    assert_non_null(strstr(fi->message, "within 5m"));
    inc_findings_free(list);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "sam", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_scribe_assigned_at(inc), T0 + 7 * MIN);
    list = check(inc);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-12"), 0);
    inc_findings_free(list);
    /* Released later: missing again, reported again; the first time stays. */
    assert_int_equal(inc_incident_release_role(inc, "ic0", "sam", INC_ROLE_SCRIBE, NULL), INC_OK);
    list = check(inc);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-12"), 1);
    inc_findings_free(list);
    assert_int_equal(inc_incident_scribe_assigned_at(inc), T0 + 7 * MIN);
    inc_incident_free(inc);
}

static void test_ROLE_12_no_scribe_expected_at_sev4(void **state)
{
    fixture *f = *state;
    inc_incident *inc = declare(f, "Sev-4");
    inc_findings *list;
    assert_int_equal(inc_incident_scribe_due(inc), INC_TIME_NONE);
    inc_test_clock_advance(&f->clock, 3 * HOUR);
    list = check(inc);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-12"), 0);
    inc_findings_free(list);
    inc_incident_free(inc);
}

/* ---- ROLE-11: severity changes re-check roles ---------------------------- */

static void test_ROLE_11_raise_sev3_to_sev1_makes_combination_illegal(void **state)
{
    fixture *f = *state;
    inc_incident *inc;
    inc_findings *list;
    const inc_finding *fi = NULL;

    assert_int_equal(inc_context_set_policy(f->ctx, INC_POLICY_STRICT), INC_OK);
    inc = declare(f, "Sev-3");
    /* Fine at Sev-3: IC+Deputy (ROLE-7) and Liaison+Scribe (ROLE-8). */
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "ic0", INC_ROLE_DEPUTY, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "li", INC_ROLE_LIAISON, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "ic0", "li", INC_ROLE_SCRIBE, NULL), INC_OK);
    list = check(inc);
    assert_int_equal(combo_findings(list, "ic0", &fi) + combo_findings(list, "li", &fi), 0);
    inc_findings_free(list);
    /* Strict does not refuse or undo the severity change: it reports. */
    assert_int_equal(inc_incident_set_severity(inc, "ic0", "Sev-1", "all regions down"), INC_OK);
    assert_string_equal(inc_incident_severity(inc), "Sev-1");
    list = check(inc);
    assert_int_equal(combo_findings(list, "ic0", &fi), 1);
    assert_string_equal(fi->rule_id, "ROLE-7");
    assert_string_equal(fi->level, "Sev-1");
    assert_int_equal(fi->level_index, 1);
    assert_int_equal(fi->roles[0], INC_ROLE_IC);
    assert_int_equal(fi->roles[1], INC_ROLE_DEPUTY);
    assert_int_equal(combo_findings(list, "li", &fi), 1);
    assert_string_equal(fi->rule_id, "ROLE-8");
    assert_int_equal(fi->roles[0], INC_ROLE_LIAISON); /* taken first */
    assert_int_equal(fi->roles[1], INC_ROLE_SCRIBE);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-10"), 3); /* SME, Comms, people */
    inc_findings_free(list);
    /* Lowered again, the combinations are fine again. */
    assert_int_equal(inc_incident_set_severity(inc, "ic0", "Sev-3", "only EU"), INC_OK);
    list = check(inc);
    assert_int_equal(combo_findings(list, "ic0", &fi) + combo_findings(list, "li", &fi), 0);
    inc_findings_free(list);
    inc_incident_free(inc);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_ROLE_03_to_09_truth_table_default_preset),
        T(test_ROLE_03_to_09_truth_table_002_preset),
        T(test_ROLE_05_long_sev1_reports_deputy_and_scribe),
        T(test_ROLE_06_split_reported_only_when_both_overdue),
        T(test_ROLE_10_staffing_findings_per_level),
        T(test_ROLE_10_sev2_staffed_by_four_people),
        T(test_RUB_05_sev0_requires_sponsor_legal_pr),
        T(test_ROLE_12_scribe_expected_within_5_minutes),
        T(test_ROLE_12_no_scribe_expected_at_sev4),
        T(test_ROLE_11_raise_sev3_to_sev1_makes_combination_illegal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
