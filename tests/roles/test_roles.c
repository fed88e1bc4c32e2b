/* Roles on an incident: assigning and releasing (ROLE-1), the IC hand-off
 * (ROLE-2, DEC-1), authority (AUTH-1), the enforcement policies (ROLE-11)
 * and bad input that must change nothing. The combination, staffing and
 * Scribe rules are in test_role_rules.c; replay and allocation failures in
 * test_roles_replay.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "incident/sys/store.h"
#include "test_support.h"
#include "test_world.h"

#define T0  INC_TEST_T0
#define MIN 60000LL

typedef struct inc_test_world fixture; /* Sev-2, declared by alice at T0 */

static void advance(fixture *f, int minutes)
{
    inc_test_clock_advance(&f->clock, (int64_t)minutes * MIN);
}

static char *last_line(inc_incident *inc)
{
    char *line = NULL;
    assert_int_equal(inc_incident_describe_event(inc, inc_incident_event_count(inc) - 1, &line),
                     INC_OK);
    return line;
}

static void assert_last_line_has(inc_incident *inc, const char *needle)
{
    char *line = last_line(inc);
    if (!strstr(line, needle))
        fail_msg("'%s' not in '%s'", needle, line);
    inc_free(line);
}

#define RB(r) INC_ROLE_BIT(INC_ROLE_##r)

/* ---- ROLE-1: roles as data ------------------------------------------------ */

static void test_ROLE_01_assign_and_query_roles(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    const inc_assignment *a;

    advance(f, 2);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_DEPUTY, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SCRIBE, ""), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, "database"),
                     INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "dan", INC_ROLE_SME, "network"),
                     INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, "storage"),
                     INC_OK); /* one person, two domains */
    assert_int_equal(inc_incident_assign_role(inc, "alice", "erin", INC_ROLE_COMMS, NULL), INC_OK);

    assert_int_equal(inc_incident_role_holder_count(inc, INC_ROLE_IC), 1);
    assert_string_equal(inc_incident_role_holder(inc, INC_ROLE_IC, 0)->person, "alice");
    assert_int_equal(inc_incident_role_holder_count(inc, INC_ROLE_SME), 3);
    a = inc_incident_role_holder(inc, INC_ROLE_SME, 1);
    assert_string_equal(a->person, "dan");
    assert_string_equal(a->domain, "network");
    assert_string_equal(a->assigned_by, "alice");
    assert_int_equal(a->assigned_at, T0 + 2 * MIN);
    assert_int_equal(a->released_at, INC_TIME_NONE);
    assert_null(inc_incident_role_holder(inc, INC_ROLE_SME, 3));
    assert_int_equal(inc_incident_role_holder_count(inc, INC_ROLE_LIAISON), 0);
    assert_int_equal(inc_incident_role_holder_count(inc, (inc_role)42), 0);
    assert_int_equal(inc_incident_person_roles(inc, "bob"), RB(DEPUTY) | RB(SCRIBE));
    assert_int_equal(inc_incident_person_roles(inc, "carol"), RB(SME));
    assert_int_equal(inc_incident_person_roles(inc, "alice"), RB(IC));
    assert_int_equal(inc_incident_person_roles(inc, "zed"), 0);
    /* Every assignment, IC term first (DEC-1: the declarer from T+0). */
    assert_int_equal(inc_incident_assignment_count(inc), 7);
    a = inc_incident_assignment(inc, 0);
    assert_string_equal(a->person, "alice");
    assert_int_equal(a->role, INC_ROLE_IC);
    assert_int_equal(a->assigned_at, T0);
    assert_int_equal(a->seq, 1);
    assert_null(a->domain);
    assert_null(inc_incident_assignment(inc, 7));
    assert_last_line_has(inc, "Role assigned: erin as Communications Lead");

    advance(f, 3);
    assert_int_equal(inc_incident_release_role(inc, "alice", "carol", INC_ROLE_SME, "database"),
                     INC_OK);
    assert_last_line_has(inc, "Role released: carol as Subject Matter Expert (database)");
    assert_int_equal(inc_incident_role_holder_count(inc, INC_ROLE_SME), 2);
    a = inc_incident_assignment(inc, 3);
    assert_int_equal(a->released_at, T0 + 5 * MIN);
    assert_int_equal(a->released_seq, inc_incident_last_seq(inc));
    /* carol is still SME for storage: releasing without a domain now finds it */
    assert_int_equal(inc_incident_release_role(inc, "carol", "carol", INC_ROLE_SME, NULL), INC_OK);
    assert_int_equal(inc_incident_person_roles(inc, "carol"), 0);
    /* roles at a past time answer from the history (AUD-2 freelancing checks) */
    assert_int_equal(inc_incident_person_roles_at(inc, "carol", T0 + 3 * MIN), RB(SME));
    assert_int_equal(inc_incident_person_roles_at(inc, "carol", T0 + MIN), 0);
    assert_int_equal(inc_incident_person_roles_at(inc, "bob", T0 + 2 * MIN),
                     RB(DEPUTY) | RB(SCRIBE));
}

static void test_ROLE_01_sme_domains(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    uint64_t seq = inc_incident_last_seq(inc);

    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "domain"));
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, ""), INC_EINVAL);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SCRIBE, "database"),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "only a Subject Matter Expert"));
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, "db\nx"),
                     INC_EINVAL);
    assert_int_equal(inc_incident_last_seq(inc), seq);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, "db"), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, "db"),
                     INC_EEXIST);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SME, "cache"),
                     INC_OK);
    /* Two domains: releasing needs the domain. */
    seq = inc_incident_last_seq(inc);
    assert_int_equal(inc_incident_release_role(inc, "alice", "carol", INC_ROLE_SME, NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "2 domains"));
    assert_int_equal(inc_incident_release_role(inc, "alice", "carol", INC_ROLE_SME, "network"),
                     INC_ENOTFOUND);
    assert_int_equal(inc_incident_last_seq(inc), seq);
}

static void test_ROLE_01_one_holder_except_sme(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    uint64_t seq;

    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SCRIBE, NULL), INC_OK);
    seq = inc_incident_last_seq(inc);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SCRIBE, NULL),
                     INC_EEXIST);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SCRIBE, NULL),
                     INC_EEXIST);
    assert_non_null(strstr(inc_incident_errmsg(inc), "bob is Scribe"));
    assert_non_null(strstr(inc_incident_errmsg(inc), "release it first"));
    assert_int_equal(inc_incident_last_seq(inc), seq);
    assert_int_equal(inc_incident_release_role(inc, "alice", "bob", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SCRIBE, NULL),
                     INC_OK);
}

/* ---- ROLE-2: the IC and the hand-off -------------------------------------- */

static void test_ROLE_02_ic_is_never_assigned_or_released_directly(void **state)
{
    fixture *f = *state;
    uint64_t seq = inc_incident_last_seq(f->inc);

    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "bob", INC_ROLE_IC, NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "hand-off"));
    assert_int_equal(inc_incident_release_role(f->inc, "alice", "alice", INC_ROLE_IC, NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "hand-off"));
    assert_int_equal(inc_incident_last_seq(f->inc), seq);
    assert_string_equal(inc_incident_ic(f->inc), "alice");
}

static void test_ROLE_02_unconfirmed_handoff_keeps_the_ic(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;

    advance(f, 10);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "EU checkout failing at 30%",
                                          "rollback of 4.2 in flight", "none"),
                     INC_OK);
    assert_last_line_has(inc, "Hand-off of command to bob started -- Conditions: EU checkout "
                              "failing at 30%; Actions: rollback of 4.2 in flight; Needs: none");
    assert_string_equal(inc_incident_ic(inc), "alice");
    assert_string_equal(inc_incident_handoff_to(inc), "bob");
    assert_int_equal(inc_incident_handoff_since(inc), T0 + 10 * MIN);
    assert_int_equal(inc_incident_handoff_seq(inc), inc_incident_last_seq(inc));
    assert_int_equal(inc_incident_role_holder_count(inc, INC_ROLE_IC), 1);
    /* AUTH-1: bob is not IC yet; the message says who is and why. */
    assert_int_equal(inc_incident_set_severity(inc, "bob", "Sev-1", "worse"), INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(inc), "(alice)"));
    assert_non_null(strstr(inc_incident_errmsg(inc), "confirming the hand-off"));
    /* alice still decides */
    assert_int_equal(inc_incident_set_severity(inc, "alice", "Sev-1", "US too"), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SCRIBE, NULL),
                     INC_OK);
}

static void test_ROLE_02_confirmed_handoff_changes_the_ic(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    const inc_assignment *a;

    advance(f, 10);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "stable", NULL, "db access"),
                     INC_OK);
    advance(f, 2);
    assert_int_equal(inc_incident_confirm_handoff(inc, "bob"), INC_OK);
    assert_last_line_has(inc, "Hand-off confirmed: IC alice -> bob");
    assert_string_equal(inc_incident_ic(inc), "bob");
    assert_null(inc_incident_handoff_to(inc));
    assert_int_equal(inc_incident_handoff_since(inc), INC_TIME_NONE);
    assert_int_equal(inc_incident_handoff_seq(inc), 0);
    assert_int_equal(inc_incident_role_holder_count(inc, INC_ROLE_IC), 1);
    assert_int_equal(inc_incident_person_roles(inc, "alice"), 0);
    assert_int_equal(inc_incident_person_roles(inc, "bob"), RB(IC));
    a = inc_incident_assignment(inc, 0);
    assert_int_equal(a->released_at, T0 + 12 * MIN);
    a = inc_incident_assignment(inc, 1);
    assert_string_equal(a->person, "bob");
    assert_string_equal(a->assigned_by, "alice");
    assert_int_equal(a->assigned_at, T0 + 12 * MIN);
    /* AUTH-1: the new IC decides, the old one is told who does. */
    assert_int_equal(inc_incident_set_severity(inc, "alice", "Sev-1", "x"), INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(inc), "(bob)"));
    assert_int_equal(inc_incident_set_state(inc, "bob", INC_STATE_INVESTIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SCRIBE, NULL),
                     INC_EPERM);
    assert_int_equal(inc_incident_assign_role(inc, "bob", "alice", INC_ROLE_SCRIBE, NULL), INC_OK);
}

static void test_ROLE_02_second_handoff_while_pending_is_refused(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    uint64_t seq;

    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", "none"), INC_OK);
    seq = inc_incident_last_seq(inc);
    advance(f, 1);
    assert_int_equal(inc_incident_handoff(inc, "alice", "carol", "c", "a", "none"), INC_ESTATE);
    assert_non_null(strstr(inc_incident_errmsg(inc), "pending since T+0s"));
    assert_int_equal(inc_incident_last_seq(inc), seq);
    assert_string_equal(inc_incident_handoff_to(inc), "bob");
    /* Cancelled, a new hand-off may start. */
    assert_int_equal(inc_incident_cancel_handoff(inc, "alice", "carol is closer to it"), INC_OK);
    assert_last_line_has(inc, "Hand-off to bob cancelled: carol is closer to it");
    assert_null(inc_incident_handoff_to(inc));
    assert_int_equal(inc_incident_handoff(inc, "alice", "carol", "c", "a", "none"), INC_OK);
    assert_int_equal(inc_incident_confirm_handoff(inc, "bob"), INC_EPERM);
    assert_int_equal(inc_incident_confirm_handoff(inc, "carol"), INC_OK);
    assert_string_equal(inc_incident_ic(inc), "carol");
}

static void test_ROLE_02_handoff_to_oneself_is_refused(void **state)
{
    fixture *f = *state;
    uint64_t seq = inc_incident_last_seq(f->inc);
    assert_int_equal(inc_incident_handoff(f->inc, "alice", "alice", "c", "a", "none"), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "themselves"));
    assert_int_equal(inc_incident_last_seq(f->inc), seq);
    assert_null(inc_incident_handoff_to(f->inc));
}

static void test_ROLE_02_only_the_incoming_ic_confirms(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    uint64_t seq;

    assert_int_equal(inc_incident_confirm_handoff(inc, "bob"), INC_ESTATE); /* none pending */
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", "none"), INC_OK);
    seq = inc_incident_last_seq(inc);
    assert_int_equal(inc_incident_confirm_handoff(inc, "carol"), INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(inc), "only bob, the incoming IC"));
    assert_int_equal(inc_incident_confirm_handoff(inc, "alice"), INC_EPERM);
    assert_int_equal(inc_incident_last_seq(inc), seq);
    assert_string_equal(inc_incident_ic(inc), "alice");
}

static void test_ROLE_02_only_the_ic_starts_a_handoff(void **state)
{
    fixture *f = *state;
    uint64_t seq = inc_incident_last_seq(f->inc);
    assert_int_equal(inc_incident_handoff(f->inc, "bob", "carol", "c", "a", "none"), INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "Incident Commander (alice)"));
    assert_int_equal(inc_incident_handoff(f->inc, "bob", "bob", "c", "a", "none"), INC_EPERM);
    assert_int_equal(inc_incident_last_seq(f->inc), seq);
}

static void test_ROLE_02_handoff_carries_a_can_briefing(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    uint64_t seq = inc_incident_last_seq(inc);

    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "\"none\""));
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", ""), INC_EINVAL);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", NULL, "", "none"), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "CAN"));
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c\xff", "a", "none"), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "conditions"));
    assert_int_equal(inc_incident_handoff(inc, "alice", "", "c", "a", "none"), INC_EINVAL);
    assert_int_equal(inc_incident_last_seq(inc), seq);
    /* Actions alone is a briefing; multi-line text is fine. */
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", NULL, "rolled back\nwatching",
                                          "approval to page DBA"),
                     INC_OK);
}

static void test_ROLE_02_cancel_by_ic_or_incoming_only(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;

    assert_int_equal(inc_incident_cancel_handoff(inc, "alice", NULL), INC_ESTATE);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", "none"), INC_OK);
    assert_int_equal(inc_incident_cancel_handoff(inc, "carol", NULL), INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(inc), "(alice)"));
    assert_int_equal(inc_incident_cancel_handoff(inc, "bob", "I am off shift"),
                     INC_OK); /* declines */
    assert_null(inc_incident_handoff_to(inc));
    assert_string_equal(inc_incident_ic(inc), "alice");
}

static void test_ROLE_02_who_was_ic_at_time_t(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;

    advance(f, 30);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", "none"), INC_OK);
    advance(f, 5);
    assert_int_equal(inc_incident_confirm_handoff(inc, "bob"), INC_OK); /* T+35m */
    advance(f, 60);
    assert_int_equal(inc_incident_handoff(inc, "bob", "alice", "c", "a", "none"), INC_OK);
    assert_int_equal(inc_incident_confirm_handoff(inc, "alice"), INC_OK); /* T+95m */

    assert_null(inc_incident_ic_at(inc, T0 - 1));
    assert_string_equal(inc_incident_ic_at(inc, T0), "alice");
    assert_string_equal(inc_incident_ic_at(inc, T0 + 34 * MIN), "alice"); /* pending */
    assert_string_equal(inc_incident_ic_at(inc, T0 + 35 * MIN), "bob");
    assert_string_equal(inc_incident_ic_at(inc, T0 + 95 * MIN - 1), "bob");
    assert_string_equal(inc_incident_ic_at(inc, T0 + 95 * MIN), "alice");
    assert_string_equal(inc_incident_ic_at(inc, T0 + 1000 * MIN), "alice");
    assert_null(inc_incident_ic_at(NULL, T0));
    assert_int_equal(inc_incident_assignment_count(inc), 3); /* three IC terms */
}

/* ---- ROLE-11: policies ----------------------------------------------------- */

static void test_ROLE_11_strict_refuses_and_changes_nothing(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    size_t stored;

    assert_int_equal(inc_context_set_policy(f->ctx, INC_POLICY_STRICT), INC_OK);
    stored = inc_test_world_stored_events(f);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "alice", INC_ROLE_SME, "database"),
                     INC_EROLE);
    assert_string_equal(inc_incident_errmsg(inc),
                        "ROLE-3: alice would hold Incident Commander and Subject Matter Expert at "
                        "Sev-2; they are never combined, at any severity: page a second person "
                        "to be Subject Matter Expert");
    assert_int_equal(inc_test_world_stored_events(f), stored);
    assert_int_equal(inc_incident_event_count(inc), stored);
    assert_int_equal(inc_incident_person_roles(inc, "alice"), RB(IC));
    /* The incoming IC holding SME: refused at confirm, until they release it. */
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SME, "database"),
                     INC_OK);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", "none"), INC_OK);
    stored = inc_test_world_stored_events(f);
    assert_int_equal(inc_incident_confirm_handoff(inc, "bob"), INC_EROLE);
    assert_non_null(strstr(inc_incident_errmsg(inc), "release that role first"));
    assert_int_equal(inc_test_world_stored_events(f), stored);
    assert_string_equal(inc_incident_ic(inc), "alice");
    assert_int_equal(inc_incident_release_role(inc, "bob", "bob", INC_ROLE_SME, NULL), INC_OK);
    assert_int_equal(inc_incident_confirm_handoff(inc, "bob"), INC_OK);
    assert_string_equal(inc_incident_ic(inc), "bob");
}

static void test_ROLE_11_advisory_records_the_rule_in_the_timeline(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    inc_findings *list = NULL;
    const inc_finding *fi;
    char *text = NULL;

    assert_int_equal(inc_incident_assign_role(inc, "alice", "alice", INC_ROLE_SME, "database"),
                     INC_OK);
    assert_last_line_has(inc, "Role assigned: alice as Subject Matter Expert (database) "
                              "[ROLE-3, advisory]");
    assert_int_equal(inc_incident_check_roles(inc, &list), INC_OK);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-3"), 1);
    fi = inc_findings_at(list, 0);
    assert_string_equal(fi->rule_id, "ROLE-3");
    assert_int_equal(fi->people_count, 1);
    assert_string_equal(fi->people[0], "alice");
    assert_null(fi->people[1]);
    assert_int_equal(fi->role_count, 2);
    assert_int_equal(fi->roles[0], INC_ROLE_IC);
    assert_int_equal(fi->roles[1], INC_ROLE_SME);
    assert_int_equal(fi->since, T0);
    assert_int_equal(fi->slot, -1);
    assert_string_equal(fi->message, "ROLE-3: alice holds Incident Commander and Subject Matter "
                                     "Expert at Sev-2; they are never combined, at any severity: "
                                     "page a second person to be Subject Matter Expert");
    assert_int_equal(inc_findings_render(list, &text, NULL), INC_OK);
    assert_non_null(strstr(text, "Expert [Sev-2]\n"));
    inc_free(text);
    inc_findings_free(list);
}

static void test_ROLE_11_declaring_and_notes_never_blocked(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;

    assert_int_equal(inc_context_set_policy(f->ctx, INC_POLICY_STRICT), INC_OK);
    d.title = "Everything is down";
    d.declarer = "zoe";
    d.severity = "Sev-0"; /* nine roles missing: still declared */
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    /* AUTH-1: a person with no role may add notes (freelancing shows in audits). */
    assert_int_equal(inc_incident_note(inc, "walter", "restarted the cache myself"), INC_OK);
    assert_int_equal(inc_incident_person_roles(inc, "walter"), 0);
    assert_int_equal(inc_incident_set_severity(inc, "zoe", "Sev-1", "contained to one region"),
                     INC_OK);
    inc_incident_free(inc);
}

/* ---- AUTH-1 ----------------------------------------------------------------- */

static void test_AUTH_01_only_the_ic_assigns_roles(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    uint64_t seq = inc_incident_last_seq(inc);

    assert_int_equal(inc_incident_assign_role(inc, "bob", "bob", INC_ROLE_SCRIBE, NULL), INC_EPERM);
    assert_string_equal(inc_incident_errmsg(inc), "only the Incident Commander (alice) may assign "
                                                  "roles (AUTH-1); bob is not the IC");
    assert_int_equal(inc_incident_last_seq(inc), seq);
}

static void test_AUTH_01_release_by_ic_or_self(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    uint64_t seq;

    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_DEPUTY, NULL),
                     INC_OK);
    seq = inc_incident_last_seq(inc);
    assert_int_equal(inc_incident_release_role(inc, "carol", "bob", INC_ROLE_SCRIBE, NULL),
                     INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(inc), "Incident Commander (alice) or bob"));
    assert_int_equal(inc_incident_last_seq(inc), seq);
    assert_int_equal(inc_incident_release_role(inc, "bob", "bob", INC_ROLE_SCRIBE, NULL), INC_OK);
    assert_int_equal(inc_incident_release_role(inc, "alice", "carol", INC_ROLE_DEPUTY, NULL),
                     INC_OK);
}

/* ---- bad input changes nothing --------------------------------------------- */

static void test_roles_bad_input_changes_nothing(void **state)
{
    fixture *f = *state;
    inc_incident *inc = f->inc;
    char longname[INC_NAME_MAX + 2];
    size_t stored = inc_test_world_stored_events(f);

    memset(longname, 'x', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", (inc_role)99, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "99 is not a role"));
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", (inc_role)-1, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "", INC_ROLE_SCRIBE, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "person"));
    assert_int_equal(inc_incident_assign_role(inc, "alice", NULL, INC_ROLE_SCRIBE, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "b\xc3\x28", INC_ROLE_SCRIBE, NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "person"));
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bo\nb", INC_ROLE_SCRIBE, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_assign_role(inc, "alice", longname, INC_ROLE_SCRIBE, NULL),
                     INC_ETOOBIG);
    assert_int_equal(inc_incident_assign_role(inc, "", "bob", INC_ROLE_SCRIBE, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(inc), "actor"));
    assert_int_equal(inc_incident_assign_role(NULL, "alice", "bob", INC_ROLE_SCRIBE, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_release_role(inc, "alice", "bob", INC_ROLE_SCRIBE, NULL),
                     INC_ENOTFOUND);
    assert_non_null(strstr(inc_incident_errmsg(inc), "bob is not Scribe"));
    assert_int_equal(inc_incident_release_role(inc, "alice", "bob", INC_ROLE_SME, NULL),
                     INC_ENOTFOUND);
    assert_int_equal(inc_incident_release_role(inc, "alice", "bob", (inc_role)12, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_release_role(inc, "alice", "b\xff", INC_ROLE_SCRIBE, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_confirm_handoff(inc, "\xff"), INC_EINVAL);
    assert_int_equal(inc_incident_cancel_handoff(inc, "alice", "\xff"), INC_EINVAL);
    assert_int_equal(inc_incident_check_roles(inc, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_check_roles(NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_test_world_stored_events(f), stored);
    assert_int_equal(inc_incident_event_count(inc), stored);
    assert_int_equal(inc_incident_assignment_count(inc), 1);
    /* Null handles in queries */
    assert_null(inc_incident_handoff_to(NULL));
    assert_int_equal(inc_incident_person_roles(inc, NULL), 0);
    assert_int_equal(inc_incident_scribe_due(NULL), INC_TIME_NONE);
}

static void test_roles_closed_incident_is_read_only(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    static const inc_state path[] = {INC_STATE_INVESTIGATING, INC_STATE_MITIGATING,
                                     INC_STATE_MONITORING, INC_STATE_RESOLVED, INC_STATE_CLOSED};
    size_t i;

    d.title = "Minor";
    d.declarer = "alice";
    d.severity = "Sev-4"; /* no postmortem: it can close */
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SME, "ui"), INC_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(inc_incident_set_state(inc, "alice", path[i], "checked"), INC_OK);
    assert_int_equal(inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SCRIBE, NULL),
                     INC_ESTATE);
    assert_int_equal(inc_incident_release_role(inc, "bob", "bob", INC_ROLE_SME, NULL), INC_ESTATE);
    assert_int_equal(inc_incident_handoff(inc, "alice", "bob", "c", "a", "none"), INC_ESTATE);
    inc_incident_free(inc);
}

/* ---- findings lists ------------------------------------------------------- */

static void test_ROLE_11_findings_list_accessors(void **state)
{
    fixture *f = *state;
    inc_findings *list = NULL;
    char *text = NULL;
    size_t len = 0, i;

    assert_int_equal(inc_findings_count(NULL), 0);
    assert_null(inc_findings_at(NULL, 0));
    assert_int_equal(inc_findings_count_rule(NULL, "ROLE-10"), 0);
    inc_findings_free(NULL);
    assert_int_equal(inc_findings_render(NULL, &text, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_check_roles(f->inc, &list), INC_OK);
    /* Sev-2 at T+0 with only an IC: Deputy, Scribe, SME, Comms, Liaison and 3 people. */
    assert_int_equal(inc_findings_count(list), 6);
    assert_int_equal(inc_findings_count_rule(list, "ROLE-10"), 6);
    assert_int_equal(inc_findings_count_rule(list, NULL), 0);
    assert_null(inc_findings_at(list, 6));
    for (i = 0; i < 6; i++) {
        const inc_finding *fi = inc_findings_at(list, i);
        assert_string_equal(fi->level, "Sev-2");
        assert_int_equal(fi->level_index, 2);
        assert_int_equal(fi->enforced, 0);
        assert_int_equal(fi->people_count, 0);
    }
    assert_int_equal(inc_findings_at(list, 5)->value, 3);
    assert_int_equal(inc_findings_render(list, &text, &len), INC_OK);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "ROLE-10: nobody is Scribe, which Sev-2 requires: assign one "
                                 "[Sev-2]\n"));
    inc_free(text);
    /* The list outlives the incident it came from. */
    inc_incident_free(f->inc);
    f->inc = NULL;
    assert_string_equal(inc_findings_at(list, 0)->rule_id, "ROLE-10");
    inc_findings_free(list);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, inc_test_world_setup, inc_test_world_teardown)
    const struct CMUnitTest tests[] = {
        T(test_ROLE_01_assign_and_query_roles),
        T(test_ROLE_01_sme_domains),
        T(test_ROLE_01_one_holder_except_sme),
        T(test_ROLE_02_ic_is_never_assigned_or_released_directly),
        T(test_ROLE_02_unconfirmed_handoff_keeps_the_ic),
        T(test_ROLE_02_confirmed_handoff_changes_the_ic),
        T(test_ROLE_02_second_handoff_while_pending_is_refused),
        T(test_ROLE_02_handoff_to_oneself_is_refused),
        T(test_ROLE_02_only_the_incoming_ic_confirms),
        T(test_ROLE_02_only_the_ic_starts_a_handoff),
        T(test_ROLE_02_handoff_carries_a_can_briefing),
        T(test_ROLE_02_cancel_by_ic_or_incoming_only),
        T(test_ROLE_02_who_was_ic_at_time_t),
        T(test_ROLE_11_strict_refuses_and_changes_nothing),
        T(test_ROLE_11_advisory_records_the_rule_in_the_timeline),
        T(test_ROLE_11_declaring_and_notes_never_blocked),
        T(test_ROLE_11_findings_list_accessors),
        T(test_AUTH_01_only_the_ic_assigns_roles),
        T(test_AUTH_01_release_by_ic_or_self),
        T(test_roles_bad_input_changes_nothing),
        T(test_roles_closed_incident_is_read_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
