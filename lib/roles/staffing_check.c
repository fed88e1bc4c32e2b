/* Role checks (ROLE-3..ROLE-12, RUB-5): the combination rules of the
 * incident's rubric at its current level, applied to an assignment being
 * made (strict policy refuses, advisory records) and to the roles held now
 * (the findings of inc_incident_check_roles()). The rules are data of the
 * rubric; which RULES.md ID a finding carries follows from the pair of
 * roles, so a team's own rubric gets the same IDs for the same pairs. */
#include <stdio.h>
#include <string.h>

#include "findings_internal.h"
#include "incident_internal.h"
#include "staffing_internal.h"
#include "util/time.h"

#define R(role) INC_ROLE_BIT(INC_ROLE_##role)

static int is_pair(inc_role a, inc_role b, unsigned pair)
{
    return a != b && (INC_ROLE_BIT(a) | INC_ROLE_BIT(b)) == pair;
}

const char *inc__combo_rule(inc_role a, inc_role b, inc_combo combo)
{
    if (combo == INC_COMBO_REPORT_LONG)
        return "ROLE-5";
    if (combo == INC_COMBO_REPORT_OVERDUE)
        return "ROLE-6";
    if (is_pair(a, b, R(IC) | R(SME)) || is_pair(a, b, R(COMMS) | R(SME)) ||
        is_pair(a, b, R(IC) | R(COMMS)))
        return "ROLE-3";
    if (is_pair(a, b, R(IC) | R(SCRIBE)))
        return "ROLE-4";
    if (is_pair(a, b, R(DEPUTY) | R(SCRIBE)))
        return "ROLE-5";
    if (is_pair(a, b, R(COMMS) | R(LIAISON)))
        return "ROLE-6";
    if (is_pair(a, b, R(IC) | R(DEPUTY)))
        return "ROLE-7";
    if (is_pair(a, b, R(LIAISON) | R(SCRIBE)))
        return "ROLE-8";
    return "ROLE-9"; /* SME+Scribe, and every pair ROLE-3..ROLE-8 do not name */
}

/* Why a forbidden pair is forbidden, as the middle of a message. */
static void why_never(const inc_incident *inc, const char *rule, char *out, size_t size)
{
    if (strcmp(rule, "ROLE-3") == 0)
        snprintf(out, size, "they are never combined, at any severity");
    else
        snprintf(out, size, "%s does not allow one person to hold both", inc->severity);
}

static int long_incident(const inc_incident *inc, inc_time now, inc_time *since)
{
    int64_t threshold =
        inc_rubric_duration(inc->rubric, inc->severity_index, INC_DUR_LONG_INCIDENT);
    if (threshold == INC_DURATION_NONE || now - inc->declared_at <= threshold)
        return 0;
    *since = inc->declared_at + threshold;
    return 1;
}

static inc_combo combo_at_level(const inc_incident *inc, inc_role a, inc_role b)
{
    return inc_rubric_combo(inc->rubric, inc->severity_index, a, b);
}

int inc__roles_enforce(inc_incident *inc, const char *person, unsigned held, inc_role role,
                       const char *what_to_do)
{
    char why[128];
    unsigned h;

    if (inc->ctx->policy != INC_POLICY_STRICT)
        return INC_OK;
    for (h = 0; h < INC_ROLE_COUNT; h++) {
        const char *rule;
        if (!(held & INC_ROLE_BIT(h)) || h == (unsigned)role ||
            combo_at_level(inc, (inc_role)h, role) != INC_COMBO_NEVER)
            continue;
        rule = inc__combo_rule((inc_role)h, role, INC_COMBO_NEVER);
        why_never(inc, rule, why, sizeof(why));
        return inc_error_set(&inc->err, INC_EROLE, "%s: %s would hold %s and %s at %s; %s: %s",
                             rule, person, inc_role_title((inc_role)h), inc_role_title(role),
                             inc->severity, why, what_to_do);
    }
    return INC_OK;
}

/* Append @id to the comma-separated list @out unless it is there already. */
static void add_id(char *out, size_t size, const char *id)
{
    size_t len = strlen(out), n = strlen(id);
    const char *p;

    for (p = strstr(out, id); p; p = strstr(p + 1, id))
        if ((p == out || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return;
    if (len + n + 2 > size)
        return;
    snprintf(out + len, size - len, "%s%s", len ? "," : "", id);
}

void inc__roles_combo_ids(inc_incident *inc, unsigned held, inc_role role, char *out, size_t size)
{
    inc_time now = inc_context_now(inc->ctx), since;
    unsigned h;

    out[0] = '\0';
    for (h = 0; h < INC_ROLE_COUNT; h++) {
        inc_combo c;
        if (!(held & INC_ROLE_BIT(h)) || h == (unsigned)role)
            continue;
        c = combo_at_level(inc, (inc_role)h, role);
        if (c == INC_COMBO_NEVER ||
            (c == INC_COMBO_REPORT_LONG && long_incident(inc, now, &since)) ||
            (c == INC_COMBO_REPORT_OVERDUE && inc__comms_both_overdue(inc, now)))
            add_id(out, size, inc__combo_rule((inc_role)h, role, c));
    }
}

/* inc__comms_both_overdue() is in cadence.c (COMM-2). */

/* ---- the findings ------------------------------------------------------------ */

static void level_of(const inc_incident *inc, inc_finding *f)
{
    f->level = inc->severity;
    f->level_index = inc->severity_index;
}

/* One pair of roles held by @person: a finding when the level forbids it,
 * or reports it now. @a was taken first; @b is the one to give away (never
 * the IC, who leaves only by hand-off). */
static int pair_finding(inc_incident *inc, inc_findings *list, const char *person, inc_role a,
                        inc_role b, inc_time now, int both_overdue)
{
    inc_combo c = combo_at_level(inc, a, b);
    const char *rule = inc__combo_rule(a, b, c);
    inc_time since = INC_TIME_NONE;
    char why[128], ran[48], limit[48];
    inc_finding f;

    if (c == INC_COMBO_ALLOWED ||
        (c == INC_COMBO_REPORT_LONG && !long_incident(inc, now, &since)) ||
        (c == INC_COMBO_REPORT_OVERDUE && !both_overdue))
        return INC_OK;
    inc__finding_init(&f, rule);
    level_of(inc, &f);
    inc__finding_person(&f, person);
    inc__finding_role(&f, a);
    inc__finding_role(&f, b);
    if (c == INC_COMBO_NEVER) {
        inc_time ta = inc__roles_held_since(&inc->roles, person, a);
        inc_time tb = inc__roles_held_since(&inc->roles, person, b);
        f.enforced = 1;
        f.since = ta > tb ? ta : tb;
        why_never(inc, rule, why, sizeof(why));
        return inc__findings_add(list, &f,
                                 "%s: %s holds %s and %s at %s; %s: page a second "
                                 "person to be %s",
                                 rule, person, inc_role_title(a), inc_role_title(b), inc->severity,
                                 why, inc_role_title(b));
    }
    if (c == INC_COMBO_REPORT_LONG) {
        f.since = since;
        inc_offset_format(now - inc->declared_at, ran, sizeof(ran));
        inc__duration_format(since - inc->declared_at, limit);
        return inc__findings_add(list, &f,
                                 "%s: %s holds %s and %s and the incident has run to %s, longer "
                                 "than %s: page a second person to be %s",
                                 rule, person, inc_role_title(a), inc_role_title(b), ran, limit,
                                 inc_role_title(b));
    }
    return inc__findings_add(list, &f,
                             "%s: %s holds %s and %s and the external and internal updates are "
                             "both overdue: page a second person to be %s",
                             rule, person, inc_role_title(a), inc_role_title(b), inc_role_title(b));
}

/* The event that gave @person @role (the earliest current assignment). */
static uint64_t taken_seq(const inc__roles *r, const char *person, inc_role role)
{
    const inc_assignment *a = inc__roles_find(r, person, role, NULL);
    return a ? a->seq : 0;
}

/* The combinations each person holds, people in the order they first took
 * a current role; in each pair the role taken first comes first, except
 * that the IC always does (the IC is never the role to give away). */
static int combo_findings(inc_incident *inc, inc_findings *list, inc_time now, int both_overdue)
{
    const inc__roles *r = &inc->roles;
    size_t i, j;
    int rc;

    for (i = 0; i < r->count; i++) {
        const char *person = r->asg[i].person;
        unsigned mask, a, b;
        if (r->asg[i].released_at != INC_TIME_NONE)
            continue;
        for (j = 0; j < i; j++) /* seen already? */
            if (r->asg[j].released_at == INC_TIME_NONE && strcmp(r->asg[j].person, person) == 0)
                break;
        if (j < i)
            continue;
        mask = inc__roles_mask(r, person);
        for (a = 0; a < INC_ROLE_COUNT; a++)
            for (b = a + 1; b < INC_ROLE_COUNT; b++) {
                inc_role first = (inc_role)a, second = (inc_role)b;
                if (!(mask & INC_ROLE_BIT(a)) || !(mask & INC_ROLE_BIT(b)))
                    continue;
                if (first != INC_ROLE_IC &&
                    taken_seq(r, person, first) > taken_seq(r, person, second)) {
                    first = (inc_role)b;
                    second = (inc_role)a;
                }
                if ((rc = pair_finding(inc, list, person, first, second, now, both_overdue)))
                    return rc;
            }
    }
    return INC_OK;
}

static size_t distinct_people(const inc__roles *r)
{
    size_t i, j, n = 0;
    for (i = 0; i < r->count; i++) {
        if (r->asg[i].released_at != INC_TIME_NONE)
            continue;
        for (j = 0; j < i; j++)
            if (r->asg[j].released_at == INC_TIME_NONE &&
                strcmp(r->asg[j].person, r->asg[i].person) == 0)
                break;
        n += j == i;
    }
    return n;
}

/* ROLE-10 and RUB-5: the roles the level requires that nobody holds, and
 * the distinct people it needs. */
static int staffing_findings(inc_incident *inc, inc_findings *list)
{
    const unsigned exec_roles = R(SPONSOR) | R(LEGAL) | R(PR);
    int exec = inc_rubric_flag(inc->rubric, inc->severity_index, INC_FLAG_EXEC_POSTURE);
    unsigned need = 0, min_people = 0, role;
    size_t people = distinct_people(&inc->roles);
    inc_finding f;
    int rc;

    inc_rubric_get_staffing(inc->rubric, inc->severity_index, &need, &min_people);
    for (role = 0; role < INC_ROLE_COUNT; role++) {
        int rub5 = exec && (exec_roles & INC_ROLE_BIT(role));
        if (!(need & INC_ROLE_BIT(role)) || inc_incident_role_holder_count(inc, (inc_role)role))
            continue;
        inc__finding_init(&f, rub5 ? "RUB-5" : "ROLE-10");
        level_of(inc, &f);
        inc__finding_role(&f, (inc_role)role);
        rc = inc__findings_add(list, &f, "%s: nobody is %s, which %s requires%s: assign one",
                               f.rule_id, inc_role_title((inc_role)role), inc->severity,
                               rub5 ? " from minute one" : "");
        if (rc != INC_OK)
            return rc;
    }
    if (people >= min_people)
        return INC_OK;
    inc__finding_init(&f, "ROLE-10");
    level_of(inc, &f);
    f.value = (int64_t)(min_people - people);
    f.role_mask = need;
    return inc__findings_add(list, &f,
                             "ROLE-10: %s needs at least %u distinct people in roles; %zu "
                             "%s: page %u more",
                             inc->severity, min_people, people,
                             people == 1 ? "holds a role" : "hold roles",
                             min_people - (unsigned)people);
}

/* ROLE-12: a Scribe is expected within the level's window of declaration. */
static int scribe_finding(inc_incident *inc, inc_findings *list, inc_time now)
{
    inc_time due = inc_incident_scribe_due(inc);
    char at[48], window[48];
    inc_finding f;

    if (due == INC_TIME_NONE || now <= due ||
        inc_incident_role_holder_count(inc, INC_ROLE_SCRIBE) > 0)
        return INC_OK;
    inc__finding_init(&f, "ROLE-12");
    level_of(inc, &f);
    inc__finding_role(&f, INC_ROLE_SCRIBE);
    f.value = now - due;
    f.since = due;
    inc_offset_format(now - inc->declared_at, at, sizeof(at));
    inc__duration_format(due - inc->declared_at, window);
    return inc__findings_add(list, &f,
                             "ROLE-12: no Scribe at %s; one is expected within %s of "
                             "declaration: assign a Scribe so the IC is not taking notes",
                             at, window);
}

int inc__roles_findings(inc_incident *inc, inc_time now, int both_overdue, inc_findings *list)
{
    int rc;
    if ((rc = combo_findings(inc, list, now, both_overdue)) != INC_OK ||
        (rc = staffing_findings(inc, list)) != INC_OK)
        return rc;
    return scribe_finding(inc, list, now);
}

int inc__roles_check(inc_incident *inc, inc_time now, inc_findings *list)
{
    return inc__roles_findings(inc, now, inc__comms_both_overdue(inc, now), list);
}

int inc_incident_check_roles(inc_incident *inc, inc_findings **out)
{
    inc_findings *list;

    if (!inc || !out)
        return inc ? inc_error_set(&inc->err, INC_EINVAL, "roles check: NULL argument")
                   : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&inc->err);
    if (inc__findings_new(inc->alloc, &list) != INC_OK)
        return inc__error_oom(&inc->err);
    if (inc__roles_check(inc, inc_context_now(inc->ctx), list) != INC_OK) {
        inc_findings_free(list);
        return inc__error_oom(&inc->err);
    }
    *out = list;
    return INC_OK;
}
