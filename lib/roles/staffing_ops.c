/* The calls that change who holds which role: assign, release, and the IC
 * hand-off (ROLE-1, ROLE-2, ROLE-11, AUTH-1). Each checks everything first
 * (input, authority, state, the combination policy), then writes one event
 * through inc__incident_write(), which applies it with the same functions
 * replay uses (staffing_state.c). A refused call changes nothing. */
#include <stdio.h>
#include <string.h>

#include "incident_internal.h"
#include "staffing_internal.h"
#include "util/text.h"

/* Longest list of rule IDs recorded with an assignment ("ROLE-3,ROLE-9"). */
#define IDS_MAX 64

static int check_name(inc_incident *inc, const char *field, const char *name)
{
    return inc__check_text(&inc->err, field, name, INC_NAME_MAX, INC__TEXT_SINGLE_LINE);
}

static int empty(const char *s)
{
    return !s || !s[0];
}

/* A role value from the caller (an integer over FFI), never the IC:
 * the IC changes by hand-off only (ROLE-2). */
static int check_role(inc_incident *inc, inc_role role, const char *verb)
{
    if ((unsigned)role >= INC_ROLE_COUNT)
        return inc_error_set(&inc->err, INC_EINVAL, "role: %d is not a role", (int)role);
    if (role == INC_ROLE_IC)
        return inc_error_set(&inc->err, INC_EINVAL,
                             "role: the Incident Commander is not %s directly; use a hand-off "
                             "(inc_incident_handoff, then the incoming IC confirms; ROLE-2)",
                             verb);
    return INC_OK;
}

/* An SME has a domain (required when assigning); no other role has one. */
static int check_domain(inc_incident *inc, inc_role role, const char *domain, int required)
{
    if (role != INC_ROLE_SME) {
        if (!empty(domain))
            return inc_error_set(&inc->err, INC_EINVAL,
                                 "domain: only a Subject Matter Expert has a domain, not %s",
                                 inc_role_title(role));
        return INC_OK;
    }
    if (required && empty(domain))
        return inc_error_set(&inc->err, INC_EINVAL,
                             "domain: a Subject Matter Expert is assigned for a domain, such as "
                             "\"database\" (ROLE-1)");
    return inc__check_text(&inc->err, "domain", domain, INC_NAME_MAX,
                           INC__TEXT_SINGLE_LINE | INC__TEXT_OPTIONAL);
}

static int check_not_held(inc_incident *inc, const char *person, inc_role role, const char *domain)
{
    const inc_assignment *other;

    if (inc__roles_find(&inc->roles, person, role, role == INC_ROLE_SME ? domain : NULL))
        return role == INC_ROLE_SME
                   ? inc_error_set(&inc->err, INC_EEXIST,
                                   "%s is Subject Matter Expert for %s already", person, domain)
                   : inc_error_set(&inc->err, INC_EEXIST, "%s is %s already", person,
                                   inc_role_title(role));
    other = inc__roles_other_holder(&inc->roles, role, person);
    if (inc__role_single(role) && other)
        return inc_error_set(&inc->err, INC_EEXIST,
                             "%s is %s: one person holds that role at a time; release it "
                             "first to give it to %s",
                             other->person, inc_role_title(role), person);
    return INC_OK;
}

int inc_incident_assign_role(inc_incident *inc, const char *actor, const char *person,
                             inc_role role, const char *domain)
{
    char todo[INC_NAME_MAX + 64], ids[IDS_MAX];
    inc__event_draft d;
    unsigned held;
    int rc;

    if ((rc = inc__begin(inc, actor, "assign roles")) != INC_OK ||
        (rc = check_name(inc, "person", person)) != INC_OK ||
        (rc = check_role(inc, role, "assigned")) != INC_OK ||
        (rc = check_domain(inc, role, domain, 1)) != INC_OK ||
        (rc = inc__require_ic(inc, actor, "assign roles")) != INC_OK ||
        (rc = check_not_held(inc, person, role, domain)) != INC_OK)
        return rc;
    held = inc__roles_mask(&inc->roles, person);
    snprintf(todo, sizeof(todo), "page a second person to be %s", inc_role_title(role));
    if ((rc = inc__roles_enforce(inc, person, held, role, todo)) != INC_OK)
        return rc;
    inc__roles_combo_ids(inc, held, role, ids, sizeof(ids));
    inc__draft_init(&d, INC_EV_ROLE_ASSIGNED, actor);
    inc__draft_int(&d, INC__F_ROLE, role);
    inc__draft_str(&d, INC__F_PERSON, person);
    if (role == INC_ROLE_SME)
        inc__draft_str(&d, INC__F_DOMAIN, domain);
    inc__draft_int(&d, INC__F_POLICY, inc->ctx->policy);
    if (ids[0])
        inc__draft_str(&d, INC__F_FINDINGS, ids);
    return inc__incident_write(inc, &d);
}

/* The SME assignment of @person to release: the one for @domain, or the
 * only one when no domain is given. */
static int find_sme(inc_incident *inc, const char *person, const char *domain,
                    const inc_assignment **out)
{
    size_t i, n = inc_incident_role_holder_count(inc, INC_ROLE_SME), mine = 0;

    *out = NULL;
    if (!empty(domain)) {
        *out = inc__roles_find(&inc->roles, person, INC_ROLE_SME, domain);
        return *out ? INC_OK
                    : inc_error_set(&inc->err, INC_ENOTFOUND,
                                    "%s is not Subject Matter Expert for %s", person, domain);
    }
    for (i = 0; i < n; i++) {
        const inc_assignment *a = inc_incident_role_holder(inc, INC_ROLE_SME, i);
        if (strcmp(a->person, person) == 0) {
            *out = a;
            mine++;
        }
    }
    if (mine == 0)
        return inc_error_set(&inc->err, INC_ENOTFOUND, "%s is not a Subject Matter Expert", person);
    if (mine > 1)
        return inc_error_set(&inc->err, INC_EINVAL,
                             "domain: %s is Subject Matter Expert for %zu domains; name the one "
                             "to release",
                             person, mine);
    return INC_OK;
}

int inc_incident_release_role(inc_incident *inc, const char *actor, const char *person,
                              inc_role role, const char *domain)
{
    const inc_assignment *a;
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "release roles")) != INC_OK ||
        (rc = check_name(inc, "person", person)) != INC_OK ||
        (rc = check_role(inc, role, "released")) != INC_OK ||
        (rc = check_domain(inc, role, domain, 0)) != INC_OK)
        return rc;
    if (role == INC_ROLE_SME) {
        if ((rc = find_sme(inc, person, domain, &a)) != INC_OK)
            return rc;
    } else if (!(a = inc__roles_find(&inc->roles, person, role, NULL))) {
        return inc_error_set(&inc->err, INC_ENOTFOUND, "%s is not %s: nothing to release", person,
                             inc_role_title(role));
    }
    if (strcmp(actor, person) != 0 && strcmp(actor, inc->ic) != 0)
        return inc_error_set(&inc->err, INC_EPERM,
                             "only the Incident Commander (%s) or %s may release %s's role %s "
                             "(AUTH-1); %s is neither",
                             inc->ic, person, person, inc_role_title(role), actor);
    inc__draft_init(&d, INC_EV_ROLE_RELEASED, actor);
    inc__draft_int(&d, INC__F_ROLE, role);
    inc__draft_str(&d, INC__F_PERSON, person);
    if (a->domain)
        inc__draft_str(&d, INC__F_DOMAIN, a->domain);
    return inc__incident_write(inc, &d);
}

/* ---- the hand-off (ROLE-2) --------------------------------------------------- */

static int check_briefing(inc_incident *inc, const char *conditions, const char *actions,
                          const char *needs)
{
    int rc;
    if ((rc = inc__check_text(&inc->err, "conditions", conditions, INC_TEXT_MAX,
                              INC__TEXT_OPTIONAL)) != INC_OK ||
        (rc = inc__check_text(&inc->err, "actions", actions, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) !=
            INC_OK)
        return rc;
    if (empty(conditions) && empty(actions))
        return inc_error_set(&inc->err, INC_EINVAL,
                             "conditions, actions: a hand-off carries a CAN briefing; give the "
                             "Conditions, the Actions, or both (ROLE-2, CAN-1)");
    if (empty(needs))
        return inc_error_set(&inc->err, INC_EINVAL,
                             "needs: state the Needs, or \"none\" when nothing is needed (CAN-1)");
    return inc__check_text(&inc->err, "needs", needs, INC_TEXT_MAX, 0);
}

static int refuse_pending(inc_incident *inc)
{
    char since[32];
    inc_offset_format(inc->roles.handoff_since - inc->declared_at, since, sizeof(since));
    return inc_error_set(&inc->err, INC_ESTATE,
                         "a hand-off from %s to %s is pending since %s: %s confirms it or it is "
                         "cancelled before another starts (ROLE-2)",
                         inc->ic, inc->roles.handoff_to, since, inc->roles.handoff_to);
}

int inc_incident_handoff(inc_incident *inc, const char *actor, const char *to,
                         const char *conditions, const char *actions, const char *needs)
{
    inc__briefing_extras x;
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "hand off command")) != INC_OK ||
        (rc = check_name(inc, "to", to)) != INC_OK ||
        (rc = check_briefing(inc, conditions, actions, needs)) != INC_OK ||
        (rc = inc__require_ic(inc, actor, "hand off command")) != INC_OK)
        return rc;
    if (inc->roles.handoff_to)
        return refuse_pending(inc);
    if (strcmp(to, actor) == 0)
        return inc_error_set(&inc->err, INC_EINVAL,
                             "to: %s is IC already and cannot hand off to themselves (ROLE-2)",
                             actor);
    inc__draft_init(&d, INC_EV_HANDOFF_STARTED, actor);
    inc__draft_str(&d, INC__F_PERSON, to);
    if (!empty(conditions))
        inc__draft_str(&d, INC__F_CONDITIONS, conditions);
    if (!empty(actions))
        inc__draft_str(&d, INC__F_ACTIONS, actions);
    inc__draft_str(&d, INC__F_NEEDS, needs);
    /* The briefing's CAN-2 lint and the open CAN-3 decisions go with it (can.c). */
    if ((rc = inc__can_briefing_extras(inc, &d, conditions, actions, needs, &x)) != INC_OK)
        return rc;
    rc = inc__incident_write(inc, &d);
    inc__can_briefing_extras_dispose(&x);
    return rc;
}

static int require_pending(inc_incident *inc, const char *what)
{
    if (inc->roles.handoff_to)
        return INC_OK;
    return inc_error_set(&inc->err, INC_ESTATE, "no hand-off is pending: nothing to %s", what);
}

int inc_incident_confirm_handoff(inc_incident *inc, const char *actor)
{
    char ids[IDS_MAX];
    inc__event_draft d;
    unsigned held;
    int rc;

    if ((rc = inc__begin(inc, actor, "confirm a hand-off")) != INC_OK ||
        (rc = require_pending(inc, "confirm")) != INC_OK)
        return rc;
    if (strcmp(actor, inc->roles.handoff_to) != 0)
        return inc_error_set(&inc->err, INC_EPERM,
                             "only %s, the incoming IC, may confirm the hand-off from %s "
                             "(ROLE-2); %s is not",
                             inc->roles.handoff_to, inc->ic, actor);
    held = inc__roles_mask(&inc->roles, actor);
    if ((rc = inc__roles_enforce(inc, actor, held, INC_ROLE_IC,
                                 "release that role first, then confirm")) != INC_OK)
        return rc;
    inc__roles_combo_ids(inc, held, INC_ROLE_IC, ids, sizeof(ids));
    inc__draft_init(&d, INC_EV_HANDOFF_CONFIRMED, actor);
    inc__draft_int(&d, INC__F_REF_SEQ, (int64_t)inc->roles.handoff_seq);
    inc__draft_str(&d, INC__F_PERSON, inc->ic);
    inc__draft_int(&d, INC__F_POLICY, inc->ctx->policy);
    if (ids[0])
        inc__draft_str(&d, INC__F_FINDINGS, ids);
    return inc__incident_write(inc, &d);
}

int inc_incident_cancel_handoff(inc_incident *inc, const char *actor, const char *reason)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "cancel a hand-off")) != INC_OK ||
        (rc = inc__check_text(&inc->err, "reason", reason, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) !=
            INC_OK ||
        (rc = require_pending(inc, "cancel")) != INC_OK)
        return rc;
    if (strcmp(actor, inc->ic) != 0 && strcmp(actor, inc->roles.handoff_to) != 0)
        return inc_error_set(&inc->err, INC_EPERM,
                             "only the Incident Commander (%s) or the incoming IC (%s) may "
                             "cancel the hand-off; %s is neither",
                             inc->ic, inc->roles.handoff_to, actor);
    inc__draft_init(&d, INC_EV_HANDOFF_CANCELLED, actor);
    inc__draft_int(&d, INC__F_REF_SEQ, (int64_t)inc->roles.handoff_seq);
    inc__draft_str(&d, INC__F_PERSON, inc->roles.handoff_to);
    if (!empty(reason))
        inc__draft_str(&d, INC__F_TEXT, reason);
    return inc__incident_write(inc, &d);
}
