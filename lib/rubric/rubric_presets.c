/* The built-in rubrics: the default Sev-0..Sev-4 preset (every number
 * RULES.md gives, and documented choices where it gives none) and the 002
 * seed's SEV1..SEV4. The presets are tables; building one goes through the
 * public setters, so a preset obeys exactly the rules a team's rubric does.
 *
 * Choices where RULES.md and the seeds give no number (also listed in
 * lib/docs/rubric-format.md, "The built-in presets"):
 * - Default ack: Sev-3 1h, Sev-4 none (async, no urgent paging).
 * - Default mitigate: Sev-0 = Sev-1 = 1h (002), Sev-2 4h (002), Sev-3 1d,
 *   Sev-4 none. Resolve: Sev-0/Sev-1 4h (the ROLE-5 long-incident
 *   threshold: a Sev-1 still open then is long by every measure), Sev-2 1d,
 *   Sev-3 1w, Sev-4 2w (002's "within sprint planning cycle").
 * - Default cadences: COMM-1's 30m external / 1h internal / 1h response for
 *   Sev-0..Sev-2 (Sev-2's 30m lies in 002's 30-60 min range), Sev-3
 *   2h/4h/4h (002's 2-4 h), Sev-4 none (002's "as needed").
 * - Default required comms (COMM-4): Sev-0/Sev-1 status page, customer
 *   email and executive notification at once; Sev-2 status page within 30m
 *   (its external cadence) and executive notification within 1h; Sev-3
 *   executive notification at the next cadence; Sev-4 none.
 * - Ack timeout: 30m for Sev-0..Sev-2, 4h Sev-3, none Sev-4. Scribe within
 *   5m (ROLE-12) for every level that staffs a Scribe (Sev-0..Sev-3).
 * - Sev-0's ladder is Sev-1's tightened: 10m unacknowledged (ONC-2's
 *   secondary window), then 15m, 30m, 1h unresolved.
 * - The 002 preset maps SEV1..SEV4 onto Sev-1..Sev-4 for everything 002
 *   does not say (role combinations, staffing, ack timeout, Scribe,
 *   long-incident threshold); its single update frequency becomes all
 *   three cadences (upper bound of each range); SEV4's "next business day"
 *   response is no ack target (nobody is paged: "None (ticket created)");
 *   resolve targets are 002's MTTR targets (SEV1 1h, SEV2 4h) and its
 *   resolution targets (SEV3 "< 1 business day" 1d, SEV4 "within sprint
 *   planning cycle" 2w); SEV3's mitigation target equals its resolution
 *   target; the war room (bridge) is required for SEV1 only ("automatically
 *   for SEV1, on-demand for SEV2"); SEV2's status page is due at the next
 *   cadence ("status page update if customer-facing"). */
#include "rubric_internal.h"

#include "util/time.h"

#define MIN(n)  ((int64_t)(n)*INC__MS_PER_MIN)
#define HOUR(n) ((int64_t)(n)*INC__MS_PER_HOUR)
#define DAY(n)  ((int64_t)(n)*INC__MS_PER_DAY)
#define NONE    INC_DURATION_NONE
#define AT_ONCE ((int64_t)0)
#define NEXT    INC_DURATION_NEXT_CADENCE

#define R(role) INC_ROLE_BIT(INC_ROLE_##role)
#define CORE6   (R(IC) | R(DEPUTY) | R(SCRIBE) | R(SME) | R(COMMS) | R(LIAISON))
#define ALL9    (CORE6 | R(SPONSOR) | R(LEGAL) | R(PR))

struct preset_step {
    int64_t after_ms;
    inc_esc_condition condition;
    const char *target; /* NULL ends the ladder */
};

struct preset_level {
    const char *name;
    /* Where the level sits on the RULES.md scale (0 = Sev-0 .. 4 = Sev-4):
     * picks the ROLE-3..ROLE-9 combination rules. */
    int rank;
    const char *text[INC_LEVEL_TEXT_COUNT];
    /* In inc_level_duration order: ack, mitigate, resolve, cadence
     * external/internal/response, postmortem due, long incident, ack
     * timeout, scribe within. */
    int64_t dur[INC_DUR_COUNT];
    unsigned char flag[INC_FLAG_COUNT]; /* bridge, postmortem, exec posture */
    int64_t comm[INC_COMM_COUNT];       /* status page, customer email, exec */
    unsigned staff_roles;
    unsigned staff_people;
    struct preset_step esc[5];
};

struct preset {
    const char *name;
    size_t count;
    const struct preset_level *levels;
};

/* ---- the default preset (RULES.md; texts from the 001 seed) ---- */

static const struct preset_level default_levels[] = {
    {"Sev-0",
     0,
     {"Company-existential event. Active data breach, ransomware, or exfiltration in progress. "
      "Total platform outage with no workaround and no ETA. Imminent regulatory disclosure clock "
      "running. Active safety event affecting customers or employees.",
      "Full company mobilization. CEO, Legal, and PR engaged from minute one. Every external "
      "statement legal-reviewed. Regulatory and disclosure clocks tracked explicitly by the IC. "
      "Engineering is one function in a multi-function response, not the lead.",
      "IC, SMEs for the affected domains, Scribe and Communications Lead at once; Executive "
      "Sponsor, Legal Counsel and PR Principal from minute one."},
     {MIN(5), HOUR(1), HOUR(4), MIN(30), HOUR(1), HOUR(1), HOUR(48), HOUR(4), MIN(30), MIN(5)},
     {1, 1, 1},
     {AT_ONCE, AT_ONCE, AT_ONCE},
     ALL9,
     9,
     {{MIN(10), INC_ESC_UNACKNOWLEDGED, "on-call,backup"},
      {MIN(15), INC_ESC_UNRESOLVED, "team-lead"},
      {MIN(30), INC_ESC_UNRESOLVED, "engineering-manager,executive"},
      {HOUR(1), INC_ESC_UNRESOLVED, "all-hands"},
      {0, INC_ESC_UNACKNOWLEDGED, NULL}}},
    {"Sev-1",
     1,
     {"Major customer-visible outage. Significant revenue impact. Multiple regions or business "
      "units affected. Material but not company-existential.",
      "Full role assignment, all six roles distinct people. Executive notification immediately. "
      "Round-the-clock response until resolved.",
      "IC, SMEs for the affected domains, Scribe and Communications Lead at once; executive "
      "on-call notified."},
     {MIN(5), HOUR(1), HOUR(4), MIN(30), HOUR(1), HOUR(1), HOUR(48), HOUR(4), MIN(30), MIN(5)},
     {1, 1, 0},
     {AT_ONCE, AT_ONCE, AT_ONCE},
     CORE6,
     6,
     {{MIN(15), INC_ESC_UNACKNOWLEDGED, "on-call,backup"},
      {MIN(30), INC_ESC_UNRESOLVED, "team-lead"},
      {HOUR(1), INC_ESC_UNRESOLVED, "engineering-manager,executive"},
      {HOUR(2), INC_ESC_UNRESOLVED, "all-hands"},
      {0, INC_ESC_UNACKNOWLEDGED, NULL}}},
    {"Sev-2",
     2,
     {"Significant customer-visible degradation affecting a meaningful share of users, OR a "
      "critical internal system down.",
      "Full role assignment, some combinations acceptable. Executive notification within an "
      "hour. Business-hours-plus response.",
      "IC, SMEs for the affected domains, Scribe and Communications Lead at once."},
     {MIN(5), HOUR(4), DAY(1), MIN(30), HOUR(1), HOUR(1), DAY(7), HOUR(4), MIN(30), MIN(5)},
     {1, 1, 0},
     {MIN(30), NONE, HOUR(1)},
     CORE6,
     4,
     {{MIN(30), INC_ESC_UNACKNOWLEDGED, "on-call,backup"},
      {HOUR(1), INC_ESC_UNRESOLVED, "team-lead"},
      {HOUR(4), INC_ESC_UNRESOLVED, "engineering-manager"},
      {0, INC_ESC_UNACKNOWLEDGED, NULL}}},
    {"Sev-3",
     3,
     {"Limited customer impact (specific feature, geography, or customer segment) OR "
      "significant internal degradation not blocking customer-facing systems.",
      "IC + SME minimum, plus Scribe. Executive notification at next regular cadence. "
      "Business-hours response.",
      "IC and SME; other roles as needed."},
     {HOUR(1), DAY(1), DAY(7), HOUR(2), HOUR(4), HOUR(4), DAY(14), HOUR(4), HOUR(4), MIN(5)},
     {0, 0, 0},
     {NONE, NONE, NEXT},
     R(IC) | R(SME) | R(SCRIBE),
     2,
     {{0, INC_ESC_UNACKNOWLEDGED, NULL}}},
    {"Sev-4",
     4,
     {"Minor degradation, mostly internal, low or no customer impact.",
      "IC + SME. Async response. Documented and tracked, but no urgent paging.",
      "No urgent paging: IC and SME, async."},
     {NONE, NONE, DAY(14), NONE, NONE, NONE, NONE, HOUR(4), NONE, NONE},
     {0, 0, 0},
     {NONE, NONE, NONE},
     R(IC) | R(SME),
     2,
     {{0, INC_ESC_UNACKNOWLEDGED, NULL}}},
};

/* ---- the 002 seed's preset ---- */

static const struct preset_level seed002_levels[] = {
    {"SEV1",
     1,
     {"Complete service outage or data breach affecting all/most customers.\n"
      "Examples:\n"
      "- Production site completely down\n"
      "- Data breach confirmed or suspected\n"
      "- Complete loss of a critical business function\n"
      "- Security incident with active exploitation",
      "Response time: Immediate (within 5 minutes)\n"
      "Update frequency: Every 15-30 minutes\n"
      "Communication: Status page update, customer email, executive notification\n"
      "Resolution target: < 1 hour to mitigate\n"
      "War room: activated automatically",
      "On-call engineer, engineering manager, incident commander, executive on-call"},
     {MIN(5), HOUR(1), HOUR(1), MIN(30), MIN(30), MIN(30), HOUR(48), HOUR(4), MIN(30), MIN(5)},
     {1, 1, 0},
     {AT_ONCE, AT_ONCE, AT_ONCE},
     CORE6,
     6,
     {{MIN(15), INC_ESC_UNACKNOWLEDGED, "on-call,backup"},
      {MIN(30), INC_ESC_UNRESOLVED, "team-lead"},
      {HOUR(1), INC_ESC_UNRESOLVED, "engineering-manager,executive"},
      {HOUR(2), INC_ESC_UNRESOLVED, "all-hands"},
      {0, INC_ESC_UNACKNOWLEDGED, NULL}}},
    {"SEV2",
     2,
     {"Major feature broken or severe degradation affecting many customers.\n"
      "Examples:\n"
      "- Key feature completely non-functional\n"
      "- Significant performance degradation (>5x latency)\n"
      "- Data processing pipeline completely stalled\n"
      "- Partial outage affecting a region or segment",
      "Response time: Within 15 minutes\n"
      "Update frequency: Every 30-60 minutes\n"
      "Communication: Status page update if customer-facing\n"
      "Resolution target: < 4 hours to mitigate\n"
      "War room: on demand",
      "On-call engineer, engineering manager"},
     {MIN(15), HOUR(4), HOUR(4), HOUR(1), HOUR(1), HOUR(1), DAY(7), HOUR(4), MIN(30), MIN(5)},
     {0, 1, 0},
     {NEXT, NONE, NONE},
     CORE6,
     4,
     {{MIN(30), INC_ESC_UNACKNOWLEDGED, "on-call,backup"},
      {HOUR(1), INC_ESC_UNRESOLVED, "team-lead"},
      {HOUR(4), INC_ESC_UNRESOLVED, "engineering-manager"},
      {0, INC_ESC_UNACKNOWLEDGED, NULL}}},
    {"SEV3",
     3,
     {"Minor feature impaired or degradation affecting some customers.\n"
      "Examples:\n"
      "- Non-critical feature broken\n"
      "- Moderate performance degradation\n"
      "- Elevated error rate (below threshold for SEV2)\n"
      "- Single-customer impact on non-critical function",
      "Response time: Within 1 hour during business hours\n"
      "Update frequency: Every 2-4 hours\n"
      "Communication: Internal only unless customer inquires\n"
      "Resolution target: < 1 business day",
      "On-call engineer"},
     {HOUR(1), DAY(1), DAY(1), HOUR(4), HOUR(4), HOUR(4), DAY(14), HOUR(4), HOUR(4), MIN(5)},
     {0, 0, 0},
     {NONE, NONE, NONE},
     R(IC) | R(SME) | R(SCRIBE),
     2,
     {{0, INC_ESC_UNACKNOWLEDGED, NULL}}},
    {"SEV4",
     4,
     {"Cosmetic issue, minor inconvenience, or non-customer-facing problem.\n"
      "Examples:\n"
      "- UI cosmetic bug\n"
      "- Non-critical monitoring gap\n"
      "- Internal tool degradation\n"
      "- Documentation inaccuracy in production",
      "Response time: Next business day\n"
      "Update frequency: As needed\n"
      "Communication: None\n"
      "Resolution target: Within sprint planning cycle",
      "None (ticket created)"},
     {NONE, NONE, DAY(14), NONE, NONE, NONE, NONE, HOUR(4), NONE, NONE},
     {0, 0, 0},
     {NONE, NONE, NONE},
     R(IC) | R(SME),
     2,
     {{0, INC_ESC_UNACKNOWLEDGED, NULL}}},
};

static const struct preset presets[] = {
    {"default", sizeof default_levels / sizeof default_levels[0], default_levels},
    {"seed002", sizeof seed002_levels / sizeof seed002_levels[0], seed002_levels},
};

/* ---- ROLE-3..ROLE-9 as RULES.md resolves them ---- */

static int is_pair(inc_role a, inc_role b, inc_role x, inc_role y)
{
    return (a == x && b == y) || (a == y && b == x);
}

/* The rule for roles @a != @b at RULES.md rank @rank (0 = Sev-0). */
static inc_combo ics_combo(int rank, inc_role a, inc_role b)
{
    /* ROLE-3: the cardinal rules, at every severity. */
    if (is_pair(a, b, INC_ROLE_IC, INC_ROLE_SME) || is_pair(a, b, INC_ROLE_COMMS, INC_ROLE_SME) ||
        is_pair(a, b, INC_ROLE_IC, INC_ROLE_COMMS))
        return INC_COMBO_NEVER;
    /* RUB-5 / ROLE-10: no combinations of any kind at Sev-0. */
    if (rank == 0)
        return INC_COMBO_NEVER;
    /* ROLE-4: at Sev-4 the IC may carry the Scribe's duties. */
    if (is_pair(a, b, INC_ROLE_IC, INC_ROLE_SCRIBE))
        return rank >= 4 ? INC_COMBO_ALLOWED : INC_COMBO_NEVER;
    /* ROLE-5: Deputy+Scribe, separated in long Sev-1s. */
    if (is_pair(a, b, INC_ROLE_DEPUTY, INC_ROLE_SCRIBE))
        return rank == 1 ? INC_COMBO_REPORT_LONG : INC_COMBO_ALLOWED;
    /* ROLE-6: Comms+Liaison, split when both audiences are overdue. */
    if (is_pair(a, b, INC_ROLE_COMMS, INC_ROLE_LIAISON))
        return rank >= 2 ? INC_COMBO_REPORT_OVERDUE : INC_COMBO_NEVER;
    /* ROLE-7 and ROLE-8: only at Sev-3 and Sev-4. */
    if (is_pair(a, b, INC_ROLE_IC, INC_ROLE_DEPUTY) ||
        is_pair(a, b, INC_ROLE_LIAISON, INC_ROLE_SCRIBE))
        return rank >= 3 ? INC_COMBO_ALLOWED : INC_COMBO_NEVER;
    /* ROLE-9 (SME+Scribe allowed at Sev-2..Sev-4) and every pair not named:
     * not combined at Sev-0/Sev-1, allowed below. */
    return rank >= 2 ? INC_COMBO_ALLOWED : INC_COMBO_NEVER;
}

/* ---- building ---- */

static int build_level(inc_rubric *r, const struct preset_level *p)
{
    size_t lv;
    int rc = inc_rubric_add_level(r, p->name, &lv);
    for (int t = 0; rc == INC_OK && t < INC_LEVEL_TEXT_COUNT; t++)
        rc = inc_rubric_set_text(r, lv, (inc_level_text)t, p->text[t]);
    for (int d = 0; rc == INC_OK && d < INC_DUR_COUNT; d++)
        rc = inc_rubric_set_duration(r, lv, (inc_level_duration)d, p->dur[d]);
    for (int f = 0; rc == INC_OK && f < INC_FLAG_COUNT; f++)
        rc = inc_rubric_set_flag(r, lv, (inc_level_flag)f, p->flag[f]);
    for (int c = 0; rc == INC_OK && c < INC_COMM_COUNT; c++)
        rc = inc_rubric_set_required_comm(r, lv, (inc_comm_kind)c, p->comm[c]);
    for (int a = 0; rc == INC_OK && a < INC_ROLE_COUNT; a++)
        for (int b = a + 1; rc == INC_OK && b < INC_ROLE_COUNT; b++)
            rc = inc_rubric_set_combo(r, lv, (inc_role)a, (inc_role)b,
                                      ics_combo(p->rank, (inc_role)a, (inc_role)b));
    if (rc == INC_OK)
        rc = inc_rubric_set_staffing(r, lv, p->staff_roles, p->staff_people);
    for (const struct preset_step *s = p->esc; rc == INC_OK && s->target != NULL; s++)
        rc = inc_rubric_add_escalation(r, lv, s->after_ms, s->condition, s->target);
    return rc;
}

INC_API int inc_rubric_preset_new(const inc_allocator *alloc, inc_rubric_preset preset,
                                  inc_rubric **out)
{
    if (out == NULL || (unsigned)preset >= sizeof presets / sizeof presets[0])
        return INC_EINVAL;
    const struct preset *p = &presets[preset];
    inc_rubric *r;
    int rc = inc_rubric_new(alloc, p->name, &r);
    if (rc != INC_OK)
        return rc;
    for (size_t i = 0; rc == INC_OK && i < p->count; i++)
        rc = build_level(r, &p->levels[i]);
    if (rc == INC_OK)
        rc = inc_rubric_validate(r);
    if (rc != INC_OK) {
        /* Only ENOMEM can happen: the tables obey every rule (tested). */
        inc_rubric_free(r);
        return rc;
    }
    *out = r;
    return INC_OK;
}
