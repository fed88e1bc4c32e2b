/* Action items (PM-3): one person as owner (a team only with a recorded
 * override), an absolute due date, priority, status, the reason of a
 * moved due date, the IC decision a Sev-0/Sev-1 cancellation needs
 * (AUTH-1), overdue items as due items even after closing, the store-wide
 * list by owner, status and overdue, the issue-tracker JSON, replay,
 * errors and allocation failure. */
#include "incident_internal.h"
#include "test_after_util.h"
#include "util/json.h"

static uint64_t add(pm_fx *f, const char *title, const char *owner, inc_time due, int prio,
                    const char *override_reason)
{
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    uint64_t id = 0;
    o.title = title;
    o.owner = owner;
    o.due = due;
    o.priority = prio;
    o.owner_override = override_reason;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, &id), INC_OK);
    return id;
}

static void test_PM_3_owner_is_a_person_not_a_team(void **state)
{
    static const char *const teams[] = {
        "platform team", "SRE",        "backend-eng",   "DevOps",      "@payments",
        "#inc-eu",       "alice, bob", "alice and bob", "alice & bob", "alice/bob",
        "on call",       "on-call",    "everyone",      "TBD",         "Dana (SRE)"};
    static const char *const people[] = {
        "alice",      "Bob Smith", "d.okafor", "alice@example.com", "Andrea Teamsworth",
        "Léa Müller", "Allison"};
    pm_fx *f = pm_fx_new();
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    uint64_t id;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(teams) / sizeof(teams[0]); i++)
        assert_true(inc_action_owner_is_team(teams[i]));
    for (i = 0; i < sizeof(people) / sizeof(people[0]); i++)
        assert_false(inc_action_owner_is_team(people[i]));
    assert_false(inc_action_owner_is_team(NULL));

    pm_declare(f, "x", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    o.title = "Capacity review";
    o.owner = "platform team";
    o.due = T0 + 7 * DAY;
    o.priority = 2;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, &id), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "PM-3"));
    assert_int_equal(inc_incident_action_count(f->inc), 0);
    o.owner_override = "the platform lead assigns it on Monday";
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, &id), INC_OK);
    assert_int_equal(id, 1);
    assert_string_equal(inc_incident_action(f->inc, 0)->owner_override, o.owner_override);
    /* A person's name does not record an override. */
    id = add(f, "Fix it", "bob", T0 + DAY, 1, "not needed");
    assert_null(inc_incident_action(f->inc, 1)->owner_override);
    /* Reassigning to a team needs the override too. */
    assert_int_equal(inc_incident_reassign_action(f->inc, "alice", id, "all", NULL), INC_EINVAL);
    assert_int_equal(inc_incident_reassign_action(f->inc, "alice", id, "bob", NULL), INC_EINVAL);
    assert_int_equal(inc_incident_reassign_action(f->inc, "alice", id, "carol", NULL), INC_OK);
    assert_string_equal(inc_incident_action(f->inc, 1)->owner, "carol");
    pm_fx_free(f);
}

static void test_PM_3_fields_required_and_checked(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    const inc_action_item *it;
    (void)state;
    pm_declare(f, "x", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    o.title = "Add a canary";
    o.owner = "bob";
    o.priority = 2;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL),
                     INC_EINVAL); /* no due date */
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "absolute due date"));
    o.due = T0; /* not after now */
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_EINVAL);
    o.due = T0 + DAY;
    o.priority = 5;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_EINVAL);
    o.priority = 0;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_EINVAL);
    o.priority = 4;
    o.title = "two\nlines";
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_EINVAL);
    o.title = "Add a canary";
    o.owner = NULL;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_EINVAL);
    o.owner = "bob";
    o.version = 99;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_EVERSION);
    o.version = INC_ACTION_OPTIONS_VERSION;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_action_count(f->inc), 0);
    o.detail = "Canary 5% of EU traffic for 30 minutes.";
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_OK);
    it = inc_incident_action(f->inc, 0);
    assert_string_equal(it->title, "Add a canary");
    assert_string_equal(it->detail, o.detail);
    assert_int_equal(it->priority, 4);
    assert_int_equal(it->status, INC_ACTION_OPEN);
    assert_int_equal(it->due, T0 + DAY);
    assert_int_equal(it->created_at, T0);
    assert_string_equal(it->created_by, "alice");
    assert_int_equal(it->closed_at, INC_TIME_NONE);
    assert_null(inc_incident_action(f->inc, 1));
    pm_fx_free(f);
}

static void test_PM_3_status_priority_and_due_moves(void **state)
{
    pm_fx *f = pm_fx_new();
    const inc_action_item *it;
    inc_incident *again;
    uint64_t id;
    inc_action_status st;
    (void)state;
    pm_declare(f, "x", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    id = add(f, "Canary", "bob", T0 + 3 * DAY, 2, NULL);
    at(f, HOUR);
    /* Moving a due date records the reason (PM-3). */
    assert_int_equal(inc_incident_move_action_due(f->inc, "bob", id, T0 + 10 * DAY, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_move_action_due(f->inc, "bob", id, T0 + 10 * DAY, ""),
                     INC_EINVAL);
    assert_int_equal(inc_incident_move_action_due(f->inc, "bob", id, T0 + 3 * DAY, "same"),
                     INC_EINVAL);
    assert_int_equal(inc_incident_move_action_due(f->inc, "bob", id, T0 + 10 * DAY,
                                                  "waits for the "
                                                  "EU canary infra"),
                     INC_OK);
    it = inc_incident_action(f->inc, 0);
    assert_int_equal(it->due, T0 + 10 * DAY);
    assert_int_equal(it->original_due, T0 + 3 * DAY);
    assert_int_equal(it->due_moves, 1);
    assert_string_equal(it->due_reason, "waits for the EU canary infra");
    assert_int_equal(inc_incident_set_action_priority(f->inc, "bob", id, 2), INC_EINVAL);
    assert_int_equal(inc_incident_set_action_priority(f->inc, "bob", id, 1), INC_OK);
    assert_int_equal(inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_OPEN, "x", 0),
                     INC_EINVAL);
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_CANCELLED, NULL, 0),
        INC_EINVAL); /* cancelling needs a reason */
    at(f, 2 * DAY);
    assert_int_equal(inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_DONE, NULL, 0),
                     INC_OK);
    it = inc_incident_action(f->inc, 0);
    assert_int_equal(it->status, INC_ACTION_DONE);
    assert_int_equal(it->closed_at, T0 + 2 * DAY);
    assert_string_equal(it->closed_by, "bob");
    assert_int_equal(inc_incident_move_action_due(f->inc, "bob", id, T0 + 20 * DAY, "x"),
                     INC_ESTATE);
    assert_int_equal(inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_OPEN, NULL, 0),
                     INC_EINVAL); /* reopening needs a reason */
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_OPEN, "regressed", 0), INC_OK);
    assert_int_equal(inc_incident_action(f->inc, 0)->closed_at, INC_TIME_NONE);
    assert_int_equal(inc_incident_set_action_status(f->inc, "bob", 9, INC_ACTION_DONE, NULL, 0),
                     INC_ENOTFOUND);
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", id, (inc_action_status)3, "x", 0),
        INC_EINVAL);
    /* Replay reads the same item. */
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &again), INC_OK);
    it = inc_incident_action(again, 0);
    assert_int_equal(it->priority, 1);
    assert_int_equal(it->due_moves, 1);
    assert_int_equal(it->status, INC_ACTION_OPEN);
    assert_string_equal(it->reason, "regressed");
    inc_incident_free(again);
    assert_int_equal(inc_action_status_from_name("Cancelled", &st), INC_OK);
    assert_int_equal(st, INC_ACTION_CANCELLED);
    assert_int_equal(inc_action_status_from_name("gone", &st), INC_ENOTFOUND);
    pm_fx_free(f);
}

static void test_PM_3_AUTH_1_sev1_cancel_needs_ic_decision(void **state)
{
    pm_fx *f = pm_fx_new();
    uint64_t a1, a2, a3, dec;
    (void)state;
    pm_declare(f, "Outage", "Sev-1", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    a1 = add(f, "Fix A", "bob", T0 + DAY, 1, NULL);
    a2 = add(f, "Fix B", "bob", T0 + DAY, 1, NULL);
    a3 = add(f, "Fix C", "bob", T0 + DAY, 1, NULL);
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", a1, INC_ACTION_CANCELLED, "dup", 0),
        INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "alice"));
    assert_int_equal(inc_incident_action(f->inc, 0)->status, INC_ACTION_OPEN);
    /* A pending, then a denied decision, are not enough. */
    assert_int_equal(
        inc_incident_request_decision(f->inc, "bob", "Cancel A2: covered by A1?", &dec), INC_OK);
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", a2, INC_ACTION_CANCELLED, "dup", dec),
        INC_EINVAL);
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", a2, INC_ACTION_CANCELLED, "dup", 77),
        INC_ENOTFOUND);
    assert_int_equal(inc_incident_decide(f->inc, "alice", dec, 1, "yes"), INC_OK);
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", a2, INC_ACTION_CANCELLED, "dup", dec),
        INC_OK);
    assert_int_equal(inc_incident_action(f->inc, 1)->decision, dec);
    /* The IC's own cancellation is the recorded decision. */
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "alice", a3, INC_ACTION_CANCELLED, "moot", 0),
        INC_OK);
    assert_true(inc_incident_action(f->inc, 2)->ic_decision);
    /* Sev-2 items are cancelled by anyone, with a reason. */
    at(f, 0);
    pm_declare(f, "Slow", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    a1 = add(f, "Fix", "bob", T0 + DAY, 2, NULL);
    assert_int_equal(
        inc_incident_set_action_status(f->inc, "bob", a1, INC_ACTION_CANCELLED, "moot", 0), INC_OK);
    pm_fx_free(f);
}

static void test_PM_3_sev1_cancel_without_decision_refused_on_replay(void **state)
{
    pm_fx *f = pm_fx_new();
    inc__event_draft d;
    (void)state;
    pm_declare(f, "Outage", "Sev-1", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    add(f, "Fix A", "bob", T0 + DAY, 1, NULL);
    inc__draft_init(&d, INC_EV_ACTION_CHANGED, "bob");
    inc__draft_int(&d, INC__F_ITEM, 1);
    inc__draft_int(&d, INC__F_STATUS, INC_ACTION_CANCELLED);
    assert_int_equal(inc__incident_write(f->inc, &d), INC_ECORRUPT);
    inc__draft_init(&d, INC_EV_ACTION_CHANGED, "bob");
    inc__draft_int(&d, INC__F_ITEM, 1);
    inc__draft_int(&d, INC__F_DUE, T0 + 2 * DAY); /* a move without its reason */
    assert_int_equal(inc__incident_write(f->inc, &d), INC_ECORRUPT);
    assert_int_equal(inc_incident_action(f->inc, 0)->status, INC_ACTION_OPEN);
    pm_fx_free(f);
}

/* ---- overdue items are due items --------------------------------------------------- */

static void test_PM_3_overdue_is_a_due_item_after_closing(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_due_list *l;
    uint64_t id;
    (void)state;
    pm_declare(f, "Cron", "Sev-4", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    id = add(f, "Alert on the cron", "bob", T0 + DAY, 3, NULL);
    pm_resolve(f, MIN, 2 * MIN, 3 * MIN, 30 * MIN);
    pm_state(f, HOUR, INC_STATE_CLOSED);
    assert_int_equal(inc_incident_next_due(f->inc), T0 + DAY);
    at(f, DAY + MIN);
    assert_int_equal(inc_incident_deliver_due(f->inc, "pager", 0, &l), INC_OK);
    assert_int_equal(inc_due_list_count(l), 1);
    assert_int_equal(inc_due_list_at(l, 0)->kind, INC_DUE_ACTION_ITEM);
    assert_string_equal(inc_due_list_at(l, 0)->rule_id, "PM-3");
    assert_string_equal(inc_due_list_at(l, 0)->target, "bob");
    assert_int_equal(inc_due_list_at(l, 0)->late_ms, MIN);
    assert_non_null(strstr(inc_due_list_at(l, 0)->text, "A1"));
    assert_non_null(strstr(inc_due_list_at(l, 0)->text, "Alert on the cron"));
    inc_due_list_free(l);
    assert_int_equal(inc_incident_next_due(f->inc), INC_TIME_NONE); /* fired once */
    /* Moving the date makes a new item; done items are never due. */
    assert_int_equal(inc_incident_move_action_due(f->inc, "bob", id, T0 + 3 * DAY, "vacation"),
                     INC_OK);
    assert_int_equal(inc_incident_next_due(f->inc), T0 + 3 * DAY);
    assert_int_equal(inc_incident_set_action_status(f->inc, "bob", id, INC_ACTION_DONE, NULL, 0),
                     INC_OK);
    assert_int_equal(inc_incident_next_due(f->inc), INC_TIME_NONE);
    pm_fx_free(f);
}

/* ---- across the store -------------------------------------------------------------------- */

static void store_of_three(pm_fx *f)
{
    uint64_t id;
    pm_declare(f, "Checkout | EU", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    add(f, "EU canary", "bob", T0 + 2 * DAY, 1, NULL);
    id = add(f, "Runbook for rollback", "carol", T0 + 5 * DAY, 3, NULL);
    at(f, DAY);
    assert_int_equal(inc_incident_set_action_status(f->inc, "carol", id, INC_ACTION_DONE, NULL, 0),
                     INC_OK);
    at(f, HOUR);
    pm_declare(f, "Search slow", "Sev-3", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    add(f, "Index alerting", "bob", T0 + 10 * DAY, 2, NULL);
    add(f, "Quota review", "dana", T0 + DAY, 4, NULL);
    at(f, 2 * HOUR);
    pm_declare(f, "Game day: DNS", "Sev-1", 0, 1, INC_TIME_NONE, INC_TIME_NONE);
    add(f, "DNS failover drill follow-up", "bob", T0 + 3 * HOUR, 2, NULL);
}

static void test_PM_3_list_across_store_by_owner_status_overdue(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_action_query q = INC_ACTION_QUERY_INIT;
    inc_action_list *l;
    const inc_action_entry *e;
    char *text;
    (void)state;
    store_of_three(f);
    q.now = T0 + 3 * DAY;
    assert_int_equal(inc_action_list_query(f->ctx, &q, &l), INC_OK);
    assert_int_equal(inc_action_list_count(l), 5);
    /* Ordered by due date. */
    assert_string_equal(inc_action_list_at(l, 0)->item.title, "DNS failover drill follow-up");
    assert_true(inc_action_list_at(l, 0)->drill);
    assert_string_equal(inc_action_list_at(l, 4)->item.title, "Index alerting");
    assert_int_equal(inc_action_list_render(l, &text, NULL), INC_OK);
    assert_non_null(strstr(text, "Action items: 5 (3 overdue)"));
    assert_non_null(strstr(text, "[DRILL]"));
    inc_free(text);
    inc_action_list_free(l);

    q.owner = "BOB";
    assert_int_equal(inc_action_list_query(f->ctx, &q, &l), INC_OK);
    assert_int_equal(inc_action_list_count(l), 3);
    inc_action_list_free(l);
    q.exclude_drills = 1;
    assert_int_equal(inc_action_list_query(f->ctx, &q, &l), INC_OK);
    assert_int_equal(inc_action_list_count(l), 2);
    inc_action_list_free(l);

    q.owner = NULL;
    q.exclude_drills = 0;
    q.overdue_only = 1;
    assert_int_equal(inc_action_list_query(f->ctx, &q, &l), INC_OK);
    assert_int_equal(inc_action_list_count(l), 3); /* done items are never overdue */
    e = inc_action_list_at(l, 1);
    assert_string_equal(e->item.title, "Quota review");
    assert_true(e->overdue);
    assert_int_equal(e->late_ms, 2 * DAY);
    assert_string_equal(e->severity, "Sev-3");
    inc_action_list_free(l);

    q.overdue_only = 0;
    q.status = INC_ACTION_DONE;
    assert_int_equal(inc_action_list_query(f->ctx, &q, &l), INC_OK);
    assert_int_equal(inc_action_list_count(l), 1);
    assert_string_equal(inc_action_list_at(l, 0)->item.owner, "carol");
    assert_string_equal(inc_action_list_at(l, 0)->incident_title, "Checkout | EU");
    inc_action_list_free(l);

    q.status = 7;
    assert_int_equal(inc_action_list_query(f->ctx, &q, &l), INC_EINVAL);
    q.status = -1;
    q.version = 0;
    assert_int_equal(inc_action_list_query(f->ctx, &q, &l), INC_EVERSION);
    assert_int_equal(inc_action_list_query(NULL, NULL, &l), INC_EINVAL);
    pm_fx_free(f);
}

static void test_PM_3_export_json_for_issue_trackers(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_action_query q = INC_ACTION_QUERY_INIT;
    inc_allocator std = INC_ALLOCATOR_INIT;
    inc_action_list *l;
    inc__json *root;
    const inc__json *o;
    char *json;
    size_t len;
    (void)state;
    assert_int_equal(inc__alloc_init(&std, NULL), INC_OK);
    store_of_three(f);
    q.now = T0 + 3 * DAY;
    q.overdue_only = 1;
    assert_int_equal(inc_action_list_query(f->ctx, &q, &l), INC_OK);
    assert_int_equal(inc_action_list_export_json(l, "https://inc.example/i/", &json, &len), INC_OK);
    assert_int_equal(inc__json_parse(&std, json, len, &root, NULL), INC_OK);
    assert_int_equal(root->type, INC__JSON_ARRAY);
    assert_int_equal(root->count, 3);
    o = root->items[2]; /* EU canary, due T0 + 2 days */
    assert_string_equal(inc__json_get(o, "title")->str, "EU canary");
    assert_string_equal(inc__json_get(o, "owner")->str, "bob");
    assert_string_equal(inc__json_get(o, "due_date")->str, "2026-11-25");
    assert_string_equal(inc__json_get(o, "priority")->str, "P1");
    assert_string_equal(inc__json_get(o, "status")->str, "open");
    assert_true(inc__json_get(o, "overdue")->boolean);
    assert_string_equal(inc__json_get(o, "link")->str,
                        "https://inc.example/i/2026-11-23-checkout-eu");
    assert_string_equal(inc__json_get(o, "external_id")->str, "2026-11-23-checkout-eu#A1");
    assert_non_null(strstr(inc__json_get(o, "description")->str, "Checkout | EU"));
    assert_false(inc__json_get(o, "drill")->boolean);
    assert_true(inc__json_get(root->items[0], "drill")->boolean);
    inc__json_free(&std, root);
    inc_free(json);
    assert_int_equal(inc_action_list_export_json(l, NULL, &json, NULL), INC_OK);
    assert_non_null(strstr(json, "\"link\":\"2026-11-23-checkout-eu\""));
    inc_free(json);
    assert_int_equal(inc_action_list_export_json(l, "\xff", &json, NULL), INC_EINVAL);
    assert_int_equal(inc_action_list_export_json(NULL, NULL, &json, NULL), INC_EINVAL);
    inc_action_list_free(l);
    pm_fx_free(f);
}

static void test_PM_3_allocation_failure(void **state)
{
    struct inc_test_alloc ta;
    unsigned long n;
    int done = 0;
    (void)state;
    for (n = 1; !done && n < 3000; n++) {
        inc_action_options o = INC_ACTION_OPTIONS_INIT;
        inc_action_list *l = NULL;
        inc_allocator al;
        char *json = NULL;
        pm_fx *f;
        int rc;
        inc_test_alloc_init(&ta);
        al = inc_test_alloc_allocator(&ta);
        f = pm_fx_new_with(&al, NULL);
        store_of_three(f);
        o.title = "One more";
        o.owner = "erin";
        o.due = T0 + 9 * DAY;
        o.priority = 2;
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_add_action(f->inc, "alice", &o, NULL);
        if (rc == INC_OK)
            rc = inc_action_list_query(f->ctx, NULL, &l);
        if (rc == INC_OK)
            rc = inc_action_list_export_json(l, "x/", &json, NULL);
        done = rc == INC_OK;
        if (!done)
            assert_int_equal(rc, INC_ENOMEM);
        else
            assert_int_equal(inc_action_list_count(l), 6);
        inc_test_alloc_arm(&ta, 0, 0);
        inc_free(json);
        inc_action_list_free(l);
        pm_fx_free(f);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_PM_3_owner_is_a_person_not_a_team),
        cmocka_unit_test(test_PM_3_fields_required_and_checked),
        cmocka_unit_test(test_PM_3_status_priority_and_due_moves),
        cmocka_unit_test(test_PM_3_AUTH_1_sev1_cancel_needs_ic_decision),
        cmocka_unit_test(test_PM_3_sev1_cancel_without_decision_refused_on_replay),
        cmocka_unit_test(test_PM_3_overdue_is_a_due_item_after_closing),
        cmocka_unit_test(test_PM_3_list_across_store_by_owner_status_overdue),
        cmocka_unit_test(test_PM_3_export_json_for_issue_trackers),
        cmocka_unit_test(test_PM_3_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
