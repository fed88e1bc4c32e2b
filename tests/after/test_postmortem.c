/* The postmortem (PM-1, PM-2, PM-4, LIFE-1): narrative sections supplied as
 * events and shown missing until they are, the status and the Final that
 * closes the incident, the due window, the blameless lint, the CommonMark
 * rendering checked by parsing its structure, replay, errors and
 * allocation failure. */
#include "incident_internal.h"
#include "test_after_util.h"

static const char *const texts[INC_PM_SECTION_COUNT] = {
    "Checkout failed for EU customers for 55 minutes after a deploy.",
    "About 12% of EU checkouts failed | roughly 3,100 orders.\nNo data loss.",
    "An alert on the EU error rate fired 4 minutes after the deploy.",
    "The deploy changed the payment client's timeout; the EU gateway is slower.",
    "- No canary in the EU region\n- The timeout had no integration test",
    "The rollback runbook was accurate.",
    "It took 20 minutes to find the deploy that changed the timeout.",
    "Regional canaries catch regional regressions."};

static void resolved_incident(pm_fx *f, const char *severity)
{
    pm_declare(f, "Checkout failing in EU", severity, INC_CRIT_CUSTOMER_VISIBLE, 0, T0 - 10 * MIN,
               T0 - 4 * MIN);
    pm_assign(f, 1 * MIN, "bob", INC_ROLE_SME, "payments");
    pm_resolve(f, 2 * MIN, 10 * MIN, 30 * MIN, 55 * MIN);
}

static void supply_all(pm_fx *f)
{
    unsigned i;
    for (i = 0; i < INC_PM_SECTION_COUNT; i++)
        assert_int_equal(inc_incident_set_postmortem_section(f->inc, "bob", (inc_pm_section)i,
                                                             texts[i], NULL, NULL),
                         INC_OK);
    assert_int_equal(inc_incident_set_root_cause_tag(f->inc, "bob", "config-change"), INC_OK);
}

/* ---- PM-1 sections, status, Final closes (LIFE-1) ---------------------------------- */

static void test_PM_1_sections_missing_until_supplied(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_postmortem_info pi;
    (void)state;
    resolved_incident(f, "Sev-2");
    assert_int_equal(inc_incident_get_postmortem(f->inc, &pi), INC_OK);
    assert_int_equal(pi.status, INC_PM_DRAFT);
    assert_int_equal(pi.missing, (1u << INC_PM_SECTION_COUNT) - 1);
    assert_false(pi.started);
    assert_null(inc_incident_postmortem_section(f->inc, INC_PM_SUMMARY));
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_SUMMARY, "first", NULL, NULL),
        INC_OK);
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "carol", INC_PM_SUMMARY, texts[0], NULL, NULL),
        INC_OK);
    assert_string_equal(inc_incident_postmortem_section(f->inc, INC_PM_SUMMARY),
                        texts[0]); /* latest */
    inc_incident_get_postmortem(f->inc, &pi);
    assert_int_equal(pi.missing, ((1u << INC_PM_SECTION_COUNT) - 1) & ~1u);
    assert_true(pi.started);
    pm_fx_free(f);
}

static void test_PM_1_LIFE_1_final_closes_the_incident(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_postmortem_info pi;
    inc_incident *again;
    char *line;
    (void)state;
    resolved_incident(f, "Sev-2");
    /* LIFE-1: a level that requires a postmortem does not close without one. */
    at(f, HOUR);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_CLOSED, NULL), INC_ESTATE);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "Final"));
    supply_all(f);
    /* Draft -> Final skips the review. */
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_FINAL, NULL),
                     INC_ESTATE);
    assert_int_equal(
        inc_incident_set_postmortem_status(f->inc, "bob", INC_PM_IN_REVIEW, "to the team"), INC_OK);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "bob", INC_PM_DRAFT, NULL), INC_OK);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "bob", INC_PM_IN_REVIEW, NULL),
                     INC_OK);
    /* AUTH-1: only the IC makes it Final (it closes the incident). */
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "bob", INC_PM_FINAL, NULL),
                     INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "alice"));
    at(f, DAY);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_FINAL, "reviewed"),
                     INC_OK);
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_CLOSED);
    inc_incident_get_postmortem(f->inc, &pi);
    assert_int_equal(pi.status, INC_PM_FINAL);
    assert_int_equal(pi.final_at, T0 + DAY);
    assert_int_equal(
        inc_incident_describe_event(f->inc, inc_incident_event_count(f->inc) - 1, &line), INC_OK);
    assert_string_equal(line, "Postmortem Final; incident closed: reviewed");
    inc_free(line);
    /* Final is final. */
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_SUMMARY, "late edit", NULL, NULL),
        INC_ESTATE);
    /* Replay gives the same state. */
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &again), INC_OK);
    assert_int_equal(inc_incident_state(again), INC_STATE_CLOSED);
    assert_string_equal(inc_incident_postmortem_section(again, INC_PM_LESSONS),
                        texts[INC_PM_LESSONS]);
    inc_incident_get_postmortem(again, &pi);
    assert_int_equal(pi.status, INC_PM_FINAL);
    assert_string_equal(pi.root_cause_tag, "config-change");
    inc_incident_free(again);
    pm_fx_free(f);
}

static void test_PM_1_final_needs_every_section_and_resolution(void **state)
{
    pm_fx *f = pm_fx_new();
    (void)state;
    pm_declare(f, "x", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_SUMMARY, texts[0], NULL, NULL),
        INC_OK); /* sections may be written early */
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_IN_REVIEW, NULL),
                     INC_ESTATE); /* not resolved */
    pm_resolve(f, MIN, 2 * MIN, 3 * MIN, 40 * MIN);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_IN_REVIEW, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_FINAL, NULL),
                     INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "impact"));
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "root-cause tag"));
    assert_int_equal(inc_incident_state(f->inc), INC_STATE_RESOLVED);
    pm_fx_free(f);
}

static void test_PM_1_level_without_postmortem_closes_directly(void **state)
{
    pm_fx *f = pm_fx_new();
    (void)state;
    resolved_incident(f, "Sev-4");
    at(f, 2 * HOUR);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_CLOSED, NULL), INC_OK);
    pm_fx_free(f);
}

/* ---- PM-2 due window ------------------------------------------------------------------ */

static size_t due_of_kind(pm_fx *f, inc_due_kind kind, int64_t within, inc_time *due)
{
    inc_due_list *l;
    size_t i, n = 0;
    assert_int_equal(inc_incident_due(f->inc, within, &l), INC_OK);
    for (i = 0; i < inc_due_list_count(l); i++)
        if (inc_due_list_at(l, i)->kind == kind) {
            n++;
            if (due)
                *due = inc_due_list_at(l, i)->due;
        }
    inc_due_list_free(l);
    return n;
}

static void test_PM_2_due_windows_per_level(void **state)
{
    static const struct {
        const char *level;
        int64_t window; /* 0: none */
    } cases[] = {{"Sev-0", 48 * HOUR}, {"Sev-1", 48 * HOUR}, {"Sev-2", 7 * DAY}, {"Sev-4", 0}};
    pm_fx *f = pm_fx_new();
    inc_postmortem_info pi;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        inc_time due = INC_TIME_NONE;
        at(f, 0);
        resolved_incident(f, cases[i].level);
        inc_incident_get_postmortem(f->inc, &pi);
        if (!cases[i].window) {
            assert_false(pi.required);
            assert_int_equal(pi.due, INC_TIME_NONE);
            assert_int_equal(due_of_kind(f, INC_DUE_POSTMORTEM, 30 * DAY, NULL), 0);
            continue;
        }
        assert_true(pi.required);
        assert_int_equal(pi.due, T0 + 55 * MIN + cases[i].window);
        assert_int_equal(due_of_kind(f, INC_DUE_POSTMORTEM, 30 * DAY, &due), 1);
        assert_int_equal(due, pi.due);
    }
    pm_fx_free(f);
}

static void test_PM_2_overdue_delivered_once_and_optional_sev3(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_postmortem_info pi;
    inc_due_list *l;
    (void)state;
    resolved_incident(f, "Sev-1");
    at(f, 55 * MIN + 48 * HOUR + MIN);
    inc_incident_get_postmortem(f->inc, &pi);
    assert_true(pi.overdue);
    assert_int_equal(pi.late_ms, MIN);
    assert_int_equal(inc_incident_deliver_due(f->inc, "pager", 0, &l), INC_OK);
    assert_int_equal(inc_due_list_count(l), 1);
    assert_int_equal(inc_due_list_at(l, 0)->kind, INC_DUE_POSTMORTEM);
    assert_string_equal(inc_due_list_at(l, 0)->rule_id, "PM-2");
    assert_string_equal(inc_due_list_at(l, 0)->target, "alice");
    assert_non_null(strstr(inc_due_list_at(l, 0)->text, "due 2d after resolution (PM-2)"));
    inc_due_list_free(l);
    assert_int_equal(due_of_kind(f, INC_DUE_POSTMORTEM, 0, NULL), 0); /* fires once */

    /* Sev-3: optional; due within two weeks once someone starts it. */
    at(f, 0);
    resolved_incident(f, "Sev-3");
    assert_int_equal(due_of_kind(f, INC_DUE_POSTMORTEM, 60 * DAY, NULL), 0);
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_SUMMARY, texts[0], NULL, NULL),
        INC_OK);
    inc_incident_get_postmortem(f->inc, &pi);
    assert_false(pi.required);
    assert_int_equal(pi.due, T0 + 55 * MIN + 14 * DAY);
    assert_int_equal(due_of_kind(f, INC_DUE_POSTMORTEM, 60 * DAY, NULL), 1);
    pm_fx_free(f);
}

/* ---- PM-4 blameless lint ----------------------------------------------------------------- */

static void test_PM_4_blame_wording_found_with_offsets(void **state)
{
    const char *text = "It was human error: Bob's fault, he should have known. Careless. "
                       "The health check failed to fire. We stay blameless.";
    static const char *const want[] = {"human error", "Bob's fault", "should have known",
                                       "Careless"};
    inc_findings *l;
    size_t i;
    (void)state;
    assert_int_equal(inc_postmortem_lint(text, NULL, &l), INC_OK);
    assert_int_equal(inc_findings_count(l), 4);
    for (i = 0; i < 4; i++) {
        const inc_finding *fd = inc_findings_at(l, i);
        assert_string_equal(fd->rule_id, "PM-4.blame");
        assert_int_equal(fd->slot, 0);
        assert_int_equal(fd->offset, (size_t)(strstr(text, want[i]) - text));
        assert_int_equal(fd->length, strlen(want[i]));
    }
    inc_findings_free(l);
    /* Curly apostrophe, line break inside a phrase, and words that only
     * contain a phrase. */
    assert_int_equal(inc_postmortem_lint("It was Dana\xE2\x80\x99s fault; dropped\nthe ball; "
                                         "carelessly; the carelessness",
                                         NULL, &l),
                     INC_OK);
    assert_int_equal(inc_findings_count(l), 4);
    inc_findings_free(l);
    assert_int_equal(inc_postmortem_lint("Faultless blameless careful humane errors", NULL, &l),
                     INC_OK);
    assert_int_equal(inc_findings_count(l), 0);
    inc_findings_free(l);
    assert_int_equal(inc_postmortem_lint(NULL, NULL, &l), INC_EINVAL);
    assert_int_equal(inc_postmortem_lint("\xff", NULL, &l), INC_EINVAL);
}

static void test_PM_4_lint_recorded_with_section_never_blocks(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_findings *l = NULL;
    uint64_t seq = 0;
    char *line;
    (void)state;
    resolved_incident(f, "Sev-2");
    assert_int_equal(inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_WENT_POORLY,
                                                         "The on-call engineer was careless.", &l,
                                                         &seq),
                     INC_OK);
    assert_int_equal(inc_findings_count(l), 1);
    assert_int_equal(inc_findings_at(l, 0)->slot, INC_PM_WENT_POORLY);
    inc_findings_free(l);
    assert_int_equal(inc_incident_describe_event(f->inc, seq - 1, &line), INC_OK);
    assert_non_null(strstr(line, "[PM-4.blame]"));
    inc_free(line);
    assert_int_equal(inc_incident_lint_postmortem(f->inc, &l), INC_OK);
    assert_int_equal(inc_findings_count(l), 1);
    assert_int_equal(inc_findings_at(l, 0)->offset, strlen("The on-call engineer was "));
    inc_findings_free(l);
    pm_fx_free(f);
}

/* ---- PM-1 rendering: CommonMark structure ------------------------------------------------ */

/* Cells of a table row: split at '|' not preceded by a backslash. */
static size_t row_cells(const char *line, size_t len)
{
    size_t i, pipes = 0;
    for (i = 0; i < len; i++)
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
            pipes++;
    return pipes - 1; /* a row starts and ends with '|' */
}

static int is_delimiter(const char *line, size_t len)
{
    size_t i;
    if (len < 5 || line[0] != '|' || line[len - 1] != '|')
        return 0;
    for (i = 0; i < len; i++)
        if (line[i] != '|' && line[i] != '-' && line[i] != ':')
            return 0;
    return 1;
}

typedef struct md_stats {
    size_t tables, rows, headings, missing;
} md_stats;

/* Walk the document line by line and check its structure: every table has
 * a header and a delimiter row of the same width and rows of that width,
 * no line opens a code block or an HTML block, headings are ATX. */
static md_stats check_markdown(const char *md)
{
    md_stats st = {0, 0, 0, 0};
    const char *p = md;
    size_t width = 0;
    int in_table = 0, want_delim = 0;

    assert_true(strncmp(md, "# ", 2) == 0);
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        assert_false(len >= 3 && (strncmp(p, "```", 3) == 0 || strncmp(p, "~~~", 3) == 0));
        assert_false(len >= 4 && strncmp(p, "    ", 4) == 0);
        assert_false(len >= 1 && p[0] == '<');
        if (len && p[0] == '|') {
            assert_true(p[len - 1] == '|');
            if (!in_table) {
                width = row_cells(p, len);
                assert_true(width >= 2);
                in_table = want_delim = 1;
                st.tables++;
            } else if (want_delim) {
                assert_true(is_delimiter(p, len));
                assert_int_equal(row_cells(p, len), width);
                want_delim = 0;
            } else {
                assert_int_equal(row_cells(p, len), width);
                st.rows++;
            }
        } else {
            assert_false(want_delim); /* a header without a delimiter row */
            in_table = 0;
            if (len >= 2 && p[0] == '#') {
                assert_true(strncmp(p, "# ", 2) == 0 || strncmp(p, "## ", 3) == 0);
                st.headings++;
            }
            if (strstr(p, "**MISSING:**") && (size_t)(strstr(p, "**MISSING:**") - p) < len)
                st.missing++;
        }
        p = e ? e + 1 : p + len;
    }
    return st;
}

static void test_PM_1_markdown_structure_and_missing_marks(void **state)
{
    pm_fx *f = pm_fx_new();
    md_stats st;
    char *md, *txt;
    size_t len, i;
    (void)state;
    resolved_incident(f, "Sev-2");
    /* Text that would break a naive document: pipes, line breaks, Markdown
     * syntax, a heading, a fence, HTML. */
    at(f, 20 * MIN);
    assert_int_equal(inc_incident_note(f->inc, "bob", "rolled back | v2\n# not a heading"), INC_OK);
    at(f, HOUR);
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_SUMMARY,
                                            "# Title?\n```\n<div>x</div>\n---\n1. one\n- "
                                            "two\n* three\n    code\nend *em* [a](b)",
                                            NULL, NULL),
        INC_OK);
    assert_int_equal(inc_incident_render_postmortem(f->inc, INC_PM_MARKDOWN, &md, &len), INC_OK);
    assert_int_equal(strlen(md), len);
    st = check_markdown(md);
    assert_int_equal(st.tables, 4); /* severity, duration, roles, timeline (no action items) */
    assert_int_equal(st.missing, INC_PM_SECTION_COUNT - 1);
    assert_true(st.headings >= 13);
    assert_non_null(strstr(md, "rolled back \\| v2 \\# not a heading"));
    assert_non_null(strstr(md, "\\# Title?\\\n"));
    assert_non_null(strstr(md, "\\<div\\>"));
    assert_non_null(strstr(md, "1. one\n- two\n- three\n"));
    assert_non_null(strstr(md, "**Time to detect:** 6m"));
    assert_null(strstr(md, "DRILL"));
    /* Every heading of PM-1, in order. */
    {
        static const char *const order[] = {"# Postmortem: Checkout failing in EU",
                                            "## Summary",
                                            "## Severity and its changes",
                                            "## Duration",
                                            "## Roles",
                                            "## Impact",
                                            "## Timeline (all times UTC)",
                                            "## Detection",
                                            "## Root cause",
                                            "## Contributing factors",
                                            "## What went well",
                                            "## What went poorly",
                                            "## Action items",
                                            "## Lessons learned"};
        const char *p = md;
        for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
            p = strstr(p, order[i]);
            assert_non_null(p);
        }
    }
    assert_int_equal(inc_incident_render_postmortem(f->inc, INC_PM_TEXT, &txt, NULL), INC_OK);
    assert_non_null(strstr(txt, "[MISSING: not yet supplied by the team (PM-1)]"));
    assert_non_null(strstr(txt, "Status: Draft"));
    inc_free(txt);
    inc_free(md);

    /* Complete, with action items, Final, and a drill. */
    at(f, 0);
    pm_declare(f, "Game day | checkout", "Sev-2", 0, 1, INC_TIME_NONE, INC_TIME_NONE);
    pm_resolve(f, MIN, 2 * MIN, 3 * MIN, 30 * MIN);
    supply_all(f);
    {
        inc_action_options o = INC_ACTION_OPTIONS_INIT;
        o.title = "Add an EU canary | stage 1";
        o.owner = "bob";
        o.due = T0 + 14 * DAY;
        o.priority = 1;
        assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_OK);
    }
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_IN_REVIEW, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_FINAL, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_render_postmortem(f->inc, INC_PM_MARKDOWN, &md, NULL), INC_OK);
    st = check_markdown(md);
    assert_int_equal(st.tables, 5);
    assert_int_equal(st.missing, 0);
    assert_non_null(strstr(md, "# Postmortem: Game day \\| checkout \\[DRILL\\]"));
    assert_non_null(strstr(md, "> **DRILL:**"));
    assert_non_null(strstr(md, "- **Status:** Final"));
    assert_non_null(strstr(md, "| A1 | Add an EU canary \\| stage 1 | bob | P1 |"));
    assert_non_null(strstr(md, "- No canary in the EU region\n- The timeout had no integration"));
    inc_free(md);
    pm_fx_free(f);
}

/* ---- export and import: the new kinds survive the JSON document ---------------------------- */

static void test_PM_1_export_import_round_trip(void **state)
{
    pm_fx *f = pm_fx_new(), *g = pm_fx_new();
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    inc_incident *copy;
    char *json, *a, *b;
    size_t len;
    (void)state;
    resolved_incident(f, "Sev-2");
    supply_all(f);
    o.title = "EU canary";
    o.owner = "bob";
    o.due = T0 + 14 * DAY;
    o.priority = 1;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_OK);
    assert_int_equal(inc_incident_move_action_due(f->inc, "bob", 1, T0 + 20 * DAY, "infra first"),
                     INC_OK);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_IN_REVIEW, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "alice", INC_PM_FINAL, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_export_json(f->inc, &json, &len), INC_OK);
    assert_int_equal(inc_incident_import_json(g->ctx, json, len, &copy, NULL), INC_OK);
    assert_int_equal(inc_incident_state(copy), INC_STATE_CLOSED);
    assert_int_equal(inc_incident_action(copy, 0)->due, T0 + 20 * DAY);
    assert_int_equal(inc_incident_render_postmortem(f->inc, INC_PM_MARKDOWN, &a, NULL), INC_OK);
    assert_int_equal(inc_incident_render_postmortem(copy, INC_PM_MARKDOWN, &b, NULL), INC_OK);
    assert_string_equal(a, b);
    inc_free(a);
    inc_free(b);
    inc_free(json);
    inc_incident_free(copy);
    pm_fx_free(g);
    pm_fx_free(f);
}

/* ---- errors and allocation failure --------------------------------------------------------- */

static void test_PM_errors_change_nothing(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_pm_section s;
    uint64_t n;
    char *out = (char *)1;
    (void)state;
    resolved_incident(f, "Sev-2");
    n = inc_incident_last_seq(f->inc);
    assert_int_equal(
        inc_incident_set_postmortem_section(NULL, "bob", INC_PM_SUMMARY, "x", NULL, NULL),
        INC_EINVAL);
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_SECTION_COUNT, "x", NULL, NULL),
        INC_EINVAL);
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_SUMMARY, "  \n ", NULL, NULL),
        INC_EINVAL);
    assert_int_equal(
        inc_incident_set_postmortem_section(f->inc, "", INC_PM_SUMMARY, "x", NULL, NULL),
        INC_EINVAL);
    assert_int_equal(inc_incident_set_root_cause_tag(f->inc, "bob", "Config Change"), INC_EINVAL);
    assert_int_equal(inc_incident_set_root_cause_tag(f->inc, "bob", "-x"), INC_EINVAL);
    assert_int_equal(inc_incident_set_root_cause_tag(f->inc, "bob", NULL), INC_EINVAL);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "bob", (inc_pm_status)7, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_set_postmortem_status(f->inc, "bob", INC_PM_DRAFT, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_last_seq(f->inc), n);
    assert_int_equal(inc_incident_render_postmortem(f->inc, (inc_pm_format)9, &out, NULL),
                     INC_EINVAL);
    assert_null(out);
    assert_int_equal(inc_incident_render_postmortem(NULL, INC_PM_TEXT, &out, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_get_postmortem(NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_pm_section_from_name("ROOT_CAUSE", &s), INC_OK);
    assert_int_equal(s, INC_PM_ROOT_CAUSE);
    assert_int_equal(inc_pm_section_from_name("nope", &s), INC_ENOTFOUND);
    assert_string_equal(inc_pm_status_name(INC_PM_IN_REVIEW), "In Review");
    assert_null(inc_pm_section_title(INC_PM_SECTION_COUNT));
    pm_fx_free(f);
}

static void test_PM_allocation_failure(void **state)
{
    struct inc_test_alloc ta;
    unsigned long n;
    int done = 0;
    (void)state;
    for (n = 1; !done && n < 3000; n++) {
        inc_allocator al;
        pm_fx *f;
        char *md = NULL;
        inc_findings *l = NULL;
        uint64_t before;
        int rc;
        inc_test_alloc_init(&ta);
        al = inc_test_alloc_allocator(&ta);
        f = pm_fx_new_with(&al, NULL);
        resolved_incident(f, "Sev-2");
        before = inc_incident_last_seq(f->inc);
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_set_postmortem_section(f->inc, "bob", INC_PM_SUMMARY, "human error", &l,
                                                 NULL);
        if (rc == INC_OK)
            rc = inc_incident_render_postmortem(f->inc, INC_PM_MARKDOWN, &md, NULL);
        done = rc == INC_OK;
        if (!done) {
            assert_int_equal(rc, INC_ENOMEM);
            assert_null(md);
            if (!l) /* the section was not recorded */
                assert_int_equal(inc_incident_last_seq(f->inc), before);
        }
        inc_test_alloc_arm(&ta, 0, 0);
        inc_findings_free(l);
        inc_free(md);
        pm_fx_free(f);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_PM_1_sections_missing_until_supplied),
        cmocka_unit_test(test_PM_1_LIFE_1_final_closes_the_incident),
        cmocka_unit_test(test_PM_1_final_needs_every_section_and_resolution),
        cmocka_unit_test(test_PM_1_level_without_postmortem_closes_directly),
        cmocka_unit_test(test_PM_2_due_windows_per_level),
        cmocka_unit_test(test_PM_2_overdue_delivered_once_and_optional_sev3),
        cmocka_unit_test(test_PM_4_blame_wording_found_with_offsets),
        cmocka_unit_test(test_PM_4_lint_recorded_with_section_never_blocks),
        cmocka_unit_test(test_PM_1_markdown_structure_and_missing_marks),
        cmocka_unit_test(test_PM_1_export_import_round_trip),
        cmocka_unit_test(test_PM_errors_change_nothing),
        cmocka_unit_test(test_PM_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
