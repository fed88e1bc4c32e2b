/* Incidents: declaring (DEC-*), authority (AUTH-*), the lifecycle (LIFE-*),
 * the timeline (TL-1, TL-3), the rubric recorded at declaration (RUB-4),
 * replay, and bad input that must change nothing. */
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

#define T0 INC_TEST_T0

typedef struct inc_test_world fixture;

static int setup(void **state)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;

    d.title = "Database primary CPU at 95%";
    d.declarer = "alice";
    d.severity = "Sev-2";
    d.criteria = INC_CRIT_CUSTOMER_VISIBLE | INC_CRIT_UNKNOWN;
    d.impact_started = T0 - 5 * 60000;
    d.detected = T0 - 2 * 60000;
    *state = inc_test_world_new(INC_POLICY_ADVISORY, &d);
    return 0;
}

static int list_cb(void *user, const char *id)
{
    (void)id;
    (*(int *)user)++;
    return 0;
}

static void advance(fixture *f, int minutes)
{
    inc_test_clock_advance(&f->clock, (int64_t)minutes * 60000);
}

static void test_DEC_01_declarer_is_ic_by_default(void **state)
{
    fixture *f = *state;
    assert_string_equal(inc_incident_declarer(f->inc), "alice");
    assert_string_equal(inc_incident_ic(f->inc), "alice");
}

static void test_DEC_02_declaration_records_fields(void **state)
{
    fixture *f = *state;
    assert_string_equal(inc_incident_title(f->inc), "Database primary CPU at 95%");
    assert_string_equal(inc_incident_severity(f->inc), "Sev-2");
    assert_int_equal(inc_incident_severity_index(f->inc), 2);
    assert_int_equal(inc_incident_criteria(f->inc), INC_CRIT_CUSTOMER_VISIBLE | INC_CRIT_UNKNOWN);
    assert_int_equal(inc_incident_declared_at(f->inc), T0);
    assert_int_equal(inc_incident_impact_started(f->inc), T0 - 5 * 60000);
    assert_int_equal(inc_incident_detected(f->inc), T0 - 2 * 60000);
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_DECLARED);
    assert_int_equal(inc_incident_is_drill(f->inc), 0);
}

static void test_DEC_02_severity_is_required_and_known(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = (inc_incident *)1;
    d.title = "x";
    d.declarer = "bob";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    assert_null(inc);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "severity"));
    d.severity = "Sev-9";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "Sev-9"));
}

static void test_DEC_03_channel_name_and_first_entry(void **state)
{
    fixture *f = *state;
    inc_event_info ev;
    assert_string_equal(inc_incident_channel(f->inc), "inc-2026-11-23-database-primary-cpu-at-95");
    assert_string_equal(inc_incident_id(f->inc), "2026-11-23-database-primary-cpu-at-95");
    assert_int_equal(inc_incident_event_count(f->inc), 1);
    assert_int_equal(inc_incident_get_event(f->inc, 0, &ev), INC_OK);
    assert_int_equal(ev.seq, 1);
    assert_int_equal(ev.kind, INC_EV_DECLARED);
    assert_int_equal(ev.offset_ms, 0);
    assert_string_equal(ev.kind_name, "declared");
    assert_string_equal(ev.actor, "alice");
}

static void test_DEC_03_same_title_gets_a_unique_id(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *a, *b;
    d.title = "Database primary CPU at 95%";
    d.declarer = "bob";
    d.severity = "Sev-3";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &a), INC_OK);
    assert_int_equal(inc_incident_declare(f->ctx, &d, &b), INC_OK);
    assert_string_equal(inc_incident_id(a), "2026-11-23-database-primary-cpu-at-95-2");
    assert_string_equal(inc_incident_id(b), "2026-11-23-database-primary-cpu-at-95-3");
    assert_string_equal(inc_incident_channel(b), "inc-2026-11-23-database-primary-cpu-at-95-3");
    inc_incident_free(a);
    inc_incident_free(b);
}

static void test_DEC_03_slug_option_and_non_ascii_title(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *a;
    d.title = "\xc3\xa9\xc3\xa9\xc3\xa9"; /* no ASCII letters at all */
    d.declarer = "bob";
    d.severity = "Sev-4";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &a), INC_OK);
    assert_string_equal(inc_incident_id(a), "2026-11-23-incident");
    inc_incident_free(a);
    d.slug = "EU Login  Errors!";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &a), INC_OK);
    assert_string_equal(inc_incident_channel(a), "inc-2026-11-23-eu-login-errors");
    inc_incident_free(a);
}

static void test_AUTH_01_only_ic_changes_severity(void **state)
{
    fixture *f = *state;
    size_t before = inc_test_world_stored_events(f);
    assert_int_equal(inc_incident_set_severity(f->inc, "bob", "Sev-1", "EU and US down"),
                     INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "alice"));
    assert_string_equal(inc_incident_severity(f->inc), "Sev-2");
    assert_int_equal(inc_test_world_stored_events(f), before);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "EU and US down"), INC_OK);
    assert_string_equal(inc_incident_severity(f->inc), "Sev-1");
    assert_int_equal(inc_incident_severity_index(f->inc), 1);
}

static void test_AUTH_01_only_ic_moves_lifecycle(void **state)
{
    fixture *f = *state;
    assert_int_equal(inc_incident_set_state(f->inc, "bob", INC_STATE_INVESTIGATING, NULL),
                     INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "alice"));
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_DECLARED);
}

static void test_AUTH_02_severity_change_needs_justification(void **state)
{
    fixture *f = *state;
    inc_event_info ev;
    size_t before = inc_test_world_stored_events(f);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", ""), INC_EINVAL);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "AUTH-2"));
    assert_int_equal(inc_test_world_stored_events(f), before);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "US affected too"),
                     INC_OK);
    assert_int_equal(inc_incident_get_event(f->inc, 1, &ev), INC_OK);
    assert_int_equal(ev.kind, INC_EV_SEVERITY_CHANGED);
    assert_string_equal(ev.text, "US affected too");
}

static void test_severity_bad_input_changes_nothing(void **state)
{
    fixture *f = *state;
    size_t before = inc_test_world_stored_events(f);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-7", "x"), INC_EINVAL);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-2", "same"), INC_EINVAL);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "bad \xff utf8"),
                     INC_EINVAL);
    assert_int_equal(inc_incident_set_severity(f->inc, NULL, "Sev-1", "x"), INC_EINVAL);
    assert_int_equal(inc_incident_set_severity(NULL, "alice", "Sev-1", "x"), INC_EINVAL);
    assert_int_equal(inc_test_world_stored_events(f), before);
    assert_int_equal(inc_incident_event_count(f->inc), before);
}

static void walk_to(fixture *f, inc_state target)
{
    inc_state s;
    for (s = inc_incident_state(f->inc) + 1; s <= target; s++)
        assert_int_equal(inc_incident_set_state(f->inc, "alice", s,
                                                s == INC_STATE_RESOLVED ? "checkout works" : NULL),
                         INC_OK);
}

static void test_LIFE_01_forward_one_step_at_a_time(void **state)
{
    fixture *f = *state;
    size_t before = inc_test_world_stored_events(f);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MONITORING, NULL),
                     INC_ESTATE);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_DECLARED, NULL), INC_ESTATE);
    assert_int_equal(inc_test_world_stored_events(f), before);
    walk_to(f, INC_STATE_MONITORING);
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_MONITORING);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_INVESTIGATING, NULL),
                     INC_ESTATE);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "LIFE-1"));
}

static void test_LIFE_01_back_from_monitoring_to_mitigating(void **state)
{
    fixture *f = *state;
    walk_to(f, INC_STATE_MONITORING);
    assert_int_equal(
        inc_incident_set_state(f->inc, "alice", INC_STATE_MITIGATING, "errors came back"), INC_OK);
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_MITIGATING);
    walk_to(f, INC_STATE_MONITORING);
}

static void test_LIFE_01_close_needs_postmortem_when_required(void **state)
{
    fixture *f = *state;
    walk_to(f, INC_STATE_RESOLVED);
    /* Sev-2 requires a postmortem (PM-2): closing is refused until it is Final. */
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_CLOSED, NULL), INC_ESTATE);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "postmortem"));
}

static void test_LIFE_01_closed_sev4_is_read_only_but_correctable(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc;
    inc_state s;
    d.title = "Cosmetic bug";
    d.declarer = "carol";
    d.severity = "Sev-4";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    for (s = INC_STATE_INVESTIGATING; s <= INC_STATE_CLOSED; s++)
        assert_int_equal(
            inc_incident_set_state(inc, "carol", s, s == INC_STATE_RESOLVED ? "fixed" : NULL),
            INC_OK);
    assert_int_equal(inc_incident_note(inc, "carol", "late note"), INC_ESTATE);
    assert_int_equal(inc_incident_correct(inc, "carol", 2, "time was off"), INC_OK);
    assert_int_equal(inc_incident_event_count(inc), 7);
    inc_incident_free(inc);
}

static void test_LIFE_02_mitigation_and_resolution_are_different(void **state)
{
    fixture *f = *state;
    walk_to(f, INC_STATE_MITIGATING);
    advance(f, 10);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MONITORING, "rolled back"),
                     INC_OK);
    assert_int_equal(inc_incident_mitigated_at(f->inc), T0 + 10 * 60000);
    assert_int_equal(inc_incident_resolved_at(f->inc), INC_TIME_NONE);
    advance(f, 30);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_RESOLVED, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "LIFE-2"));
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_RESOLVED,
                                            "checked the checkout flow as a user"),
                     INC_OK);
    assert_int_equal(inc_incident_resolved_at(f->inc), T0 + 40 * 60000);
}

static void test_LIFE_03_corrections_point_at_earlier_events(void **state)
{
    fixture *f = *state;
    inc_event_info ev;
    char *text = NULL;
    assert_int_equal(inc_incident_note(f->inc, "dave", "replica lag 4 min"), INC_OK);
    assert_int_equal(inc_incident_correct(f->inc, "dave", 2, "replica lag was 40 s"), INC_OK);
    assert_int_equal(inc_incident_correct(f->inc, "dave", 9, "no such event"), INC_ENOTFOUND);
    assert_int_equal(inc_incident_correct(f->inc, "dave", 0, "no such event"), INC_ENOTFOUND);
    assert_int_equal(inc_incident_get_event(f->inc, 2, &ev), INC_OK);
    assert_int_equal(ev.kind, INC_EV_CORRECTION);
    assert_int_equal(ev.ref_seq, 2);
    /* the note is still there, unchanged */
    assert_int_equal(inc_incident_get_event(f->inc, 1, &ev), INC_OK);
    assert_string_equal(ev.text, "replica lag 4 min");
    assert_int_equal(inc_incident_describe_event(f->inc, 2, &text), INC_OK);
    assert_string_equal(text, "Correction of #2: replica lag was 40 s");
    inc_free(text);
}

static void test_TL_01_events_carry_seq_time_actor_kind(void **state)
{
    fixture *f = *state;
    inc_event_info ev;
    advance(f, 3);
    assert_int_equal(inc_incident_note(f->inc, "erin", "paged the app team"), INC_OK);
    assert_int_equal(inc_incident_get_event(f->inc, 1, &ev), INC_OK);
    assert_int_equal(ev.seq, 2);
    assert_int_equal(ev.time, T0 + 3 * 60000);
    assert_int_equal(ev.offset_ms, 3 * 60000);
    assert_string_equal(ev.actor, "erin");
    assert_int_equal(ev.kind, INC_EV_NOTE);
    assert_string_equal(ev.text, "paged the app team");
    assert_int_equal(inc_incident_last_seq(f->inc), 2);
    assert_int_equal(inc_incident_get_event(f->inc, 2, &ev), INC_ENOTFOUND);
    assert_int_equal(inc_incident_get_event(NULL, 0, &ev), INC_EINVAL);
}

static void test_TL_03_timeline_renders_iso_utc_and_offset(void **state)
{
    fixture *f = *state;
    char *text = NULL;
    size_t len = 0;
    advance(f, 62);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "EU and US"), INC_OK);
    assert_int_equal(inc_incident_render_timeline(f->inc, &text, &len), INC_OK);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "2026-11-23T14:12:00.000Z"));
    assert_non_null(strstr(text, "2026-11-23T15:14:00.000Z"));
    assert_non_null(strstr(text, "T+0s"));
    assert_non_null(strstr(text, "T+1h02m00s"));
    assert_non_null(strstr(text, "Severity changed Sev-2 -> Sev-1: EU and US"));
    inc_free(text);
}

static void test_RUB_04_rubric_recorded_at_declaration(void **state)
{
    fixture *f = *state;
    inc_rubric *r = NULL;
    inc_incident *again = NULL;
    assert_int_equal(inc_rubric_preset_new(NULL, INC_RUBRIC_SEED002, &r), INC_OK);
    assert_int_equal(inc_context_set_rubric(f->ctx, r), INC_OK);
    /* the team's new rubric has no Sev-2, but the incident keeps its own */
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &again), INC_OK);
    assert_string_equal(inc_rubric_level_name(inc_incident_rubric(again), 2), "Sev-2");
    assert_int_equal(inc_incident_set_severity(again, "alice", "Sev-1", "wider impact"), INC_OK);
    assert_int_equal(inc_incident_set_severity(again, "alice", "SEV1", "new names"), INC_EINVAL);
    inc_incident_free(again);
    /* A declaration after the change records the new rubric, not the key
     * the context kept for the old one. */
    {
        inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
        inc_incident *next = NULL;
        d.title = "under the new rubric";
        d.declarer = "alice";
        d.severity = "SEV1";
        assert_int_equal(inc_incident_declare(f->ctx, &d, &next), INC_OK);
        assert_int_equal(inc_rubric_equal(inc_incident_rubric(next), r), 1);
        inc_incident_free(next);
    }
    inc_rubric_free(r);
}

static void script(fixture *f)
{
    advance(f, 1);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_INVESTIGATING, NULL),
                     INC_OK);
    advance(f, 4);
    assert_int_equal(inc_incident_note(f->inc, "bob", "CPU 95% on db-primary"), INC_OK);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "EU checkout down"),
                     INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MITIGATING, NULL), INC_OK);
    advance(f, 20);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MONITORING, "rollback"),
                     INC_OK);
    assert_int_equal(inc_incident_correct(f->inc, "bob", 3, "CPU was 97%"), INC_OK);
}

static void test_replay_equals_live_state(void **state)
{
    fixture *f = *state;
    inc_incident *again = NULL;
    char *live = NULL, *replayed = NULL;
    script(f);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &again), INC_OK);
    assert_string_equal(inc_incident_severity(again), inc_incident_severity(f->inc));
    assert_int_equal(inc_incident_state(again), inc_incident_state(f->inc));
    assert_string_equal(inc_incident_ic(again), inc_incident_ic(f->inc));
    assert_int_equal(inc_incident_mitigated_at(again), inc_incident_mitigated_at(f->inc));
    assert_int_equal(inc_incident_last_seq(again), inc_incident_last_seq(f->inc));
    assert_int_equal(inc_incident_render_timeline(f->inc, &live, NULL), INC_OK);
    assert_int_equal(inc_incident_render_timeline(again, &replayed, NULL), INC_OK);
    assert_string_equal(live, replayed);
    inc_free(live);
    inc_free(replayed);
    inc_incident_free(again);
}

static void test_two_writers_conflict_and_reload(void **state)
{
    fixture *f = *state;
    inc_incident *other = NULL;
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &other), INC_OK);
    assert_int_equal(inc_incident_note(other, "bob", "first"), INC_OK);
    assert_int_equal(inc_incident_note(f->inc, "carol", "second"), INC_ECONFLICT);
    assert_int_equal(inc_incident_event_count(f->inc), 1);
    assert_int_equal(inc_incident_reload(f->inc), INC_OK);
    assert_int_equal(inc_incident_event_count(f->inc), 2);
    assert_int_equal(inc_incident_note(f->inc, "carol", "second"), INC_OK);
    assert_int_equal(inc_test_world_stored_events(f), 3);
    inc_incident_free(other);
}

static void test_TL_02_verify_clean_chain(void **state)
{
    fixture *f = *state;
    uint64_t bad = 99;
    script(f);
    assert_int_equal(inc_incident_verify(f->inc, &bad), INC_OK);
    assert_int_equal(bad, 0);
}

static void test_open_errors(void **state)
{
    fixture *f = *state;
    inc_incident *inc = (inc_incident *)1;
    assert_int_equal(inc_incident_open(f->ctx, "2026-01-01-nothing", &inc), INC_ENOTFOUND);
    assert_null(inc);
    assert_int_equal(inc_incident_open(f->ctx, "../etc/passwd", &inc), INC_EINVAL);
    assert_int_equal(inc_incident_open(f->ctx, "", &inc), INC_EINVAL);
    assert_int_equal(inc_incident_open(f->ctx, NULL, &inc), INC_EINVAL);
    assert_int_equal(inc_incident_open(NULL, "x", &inc), INC_EINVAL);
}

static void test_declare_bad_input_changes_nothing(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    char longname[INC_NAME_MAX + 2];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    d.title = "t";
    d.severity = "Sev-1";
    d.declarer = longname;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_ETOOBIG);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "declarer"));
    d.declarer = "";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    d.declarer = "a\xc0\xafz";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    d.declarer = "zed";
    d.title = "line\nbreak";
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    d.title = "ok";
    d.criteria = 0x400;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    d.criteria = 0;
    d.version = 0;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EVERSION);
    assert_int_equal(inc_incident_declare(f->ctx, NULL, &inc), INC_EINVAL);
    assert_null(inc);
    {
        int n = 0;
        assert_int_equal(inc_store_list(f->store, list_cb, &n), INC_OK);
        assert_int_equal(n, 1); /* only the fixture's incident */
    }
}

/* Times outside the years 0000..9999 are refused (INC_EINVAL) and nothing
 * is written: a clock gone wrong, or an impact start or due date from a
 * bad parse, must not reach the record, where any difference of two times
 * has to fit in 64 bits. */
static void test_times_out_of_range_are_refused(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_action_options a = INC_ACTION_OPTIONS_INIT;
    inc_incident *inc = NULL;
    size_t before = inc_incident_event_count(f->inc);
    uint64_t id;
    int n = 0;

    d.title = "Far future";
    d.severity = "Sev-2";
    d.declarer = "zed";
    d.impact_started = INT64_MAX - 1;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "impact_started"));
    d.impact_started = INC_TIME_NONE;
    d.detected = INC_TIME_NONE + 1;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    assert_null(inc);
    assert_int_equal(inc_store_list(f->store, list_cb, &n), INC_OK);
    assert_int_equal(n, 1);

    a.title = "Fix it";
    a.owner = "bob";
    a.due = 253402300800000LL; /* 10000-01-01 */
    a.priority = 2;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &a, &id), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "due"));
    f->clock.now = 253402300800000LL; /* the clock itself */
    assert_int_equal(inc_incident_note(f->inc, "alice", "still here"), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "time"));
    assert_int_equal(inc_incident_event_count(f->inc), before);
    assert_int_equal(inc_test_world_stored_events(f), before);
}

/* DEC-2 records the impact start and the detection time, which MET-1
 * measures as impact start -> detection -> declaration: a declaration whose
 * times are out of that order is refused (INC_EINVAL, the message names the
 * fields) and nothing is written. Equal times are in order. */
static void test_DEC_02_impact_before_detection_before_declaration(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    inc_time now = f->clock.now;
    int n = 0;

    d.title = "Out of order";
    d.severity = "Sev-2";
    d.declarer = "zed";
    d.impact_started = now - 60000;
    d.detected = now - 120000; /* detected before the impact started */
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "impact_started"));
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "detected"));
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "DEC-2"));
    d.impact_started = INC_TIME_NONE;
    d.detected = now + 1; /* detected after the declaration */
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "detected"));
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "declared_at"));
    d.detected = INC_TIME_NONE;
    d.impact_started = now + 60000; /* impact after the declaration */
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_EINVAL);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "impact_started"));
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "declared_at"));
    assert_null(inc);
    assert_int_equal(inc_store_list(f->store, list_cb, &n), INC_OK);
    assert_int_equal(n, 1);

    d.impact_started = d.detected = now; /* all at once: in order */
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    assert_int_equal(inc_incident_detected(inc), now);
    inc_incident_free(inc);
}

static void test_list_incidents(void **state)
{
    fixture *f = *state;
    int n = 0;
    assert_int_equal(inc_context_list(f->ctx, list_cb, &n), INC_OK);
    assert_int_equal(n, 1);
}

static void test_state_and_kind_names(void **state)
{
    inc_state s;
    (void)state;
    assert_string_equal(inc_state_name(INC_STATE_MONITORING), "monitoring");
    assert_null(inc_state_name((inc_state)42));
    assert_int_equal(inc_state_from_name("Resolved", &s), INC_OK);
    assert_int_equal(s, INC_STATE_RESOLVED);
    assert_int_equal(inc_state_from_name("gone", &s), INC_ENOTFOUND);
    assert_string_equal(inc_event_kind_name(INC_EV_CORRECTION), "correction");
    assert_null(inc_event_kind_name((inc_event_kind)0));
}

static void test_DEC_04_drill_is_marked(void **state)
{
    fixture *f = *state;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc;
    char *text = NULL;
    d.title = "Game Day";
    d.declarer = "gm";
    d.severity = "Sev-1";
    d.drill = 1;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    assert_int_equal(inc_incident_is_drill(inc), 1);
    assert_int_equal(inc_incident_describe_event(inc, 0, &text), INC_OK);
    assert_non_null(strstr(text, "[DRILL]"));
    inc_free(text);
    inc_incident_free(inc);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, inc_test_world_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_DEC_01_declarer_is_ic_by_default),
        T(test_DEC_02_impact_before_detection_before_declaration),
        T(test_DEC_02_declaration_records_fields),
        T(test_DEC_02_severity_is_required_and_known),
        T(test_DEC_03_channel_name_and_first_entry),
        T(test_DEC_03_same_title_gets_a_unique_id),
        T(test_DEC_03_slug_option_and_non_ascii_title),
        T(test_DEC_04_drill_is_marked),
        T(test_AUTH_01_only_ic_changes_severity),
        T(test_AUTH_01_only_ic_moves_lifecycle),
        T(test_AUTH_02_severity_change_needs_justification),
        T(test_severity_bad_input_changes_nothing),
        T(test_LIFE_01_forward_one_step_at_a_time),
        T(test_LIFE_01_back_from_monitoring_to_mitigating),
        T(test_LIFE_01_close_needs_postmortem_when_required),
        T(test_LIFE_01_closed_sev4_is_read_only_but_correctable),
        T(test_LIFE_02_mitigation_and_resolution_are_different),
        T(test_LIFE_03_corrections_point_at_earlier_events),
        T(test_TL_01_events_carry_seq_time_actor_kind),
        T(test_TL_02_verify_clean_chain),
        T(test_TL_03_timeline_renders_iso_utc_and_offset),
        T(test_RUB_04_rubric_recorded_at_declaration),
        T(test_replay_equals_live_state),
        T(test_two_writers_conflict_and_reload),
        T(test_open_errors),
        T(test_declare_bad_input_changes_nothing),
        T(test_times_out_of_range_are_refused),
        T(test_list_incidents),
        T(test_state_and_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
