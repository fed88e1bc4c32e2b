/* The roles part of an incident's state: applying the role and hand-off
 * events (ROLE-1, ROLE-2, DEC-1), and the queries over it.
 *
 * The IC is an assignment like any other role, so "who holds R", "which
 * roles does P hold" and "who was IC at t" are one loop each. It is only
 * created by the declaration (the declarer, DEC-1) and by a confirmed
 * hand-off, which ends the outgoing IC's term at the same instant: there is
 * never zero or two ICs (ROLE-2). Replay checks that invariant and the
 * others a write path guarantees (no role held twice, one holder of a
 * one-holder role, hand-offs started by the IC and confirmed by the
 * incoming IC), so a timeline that breaks them is refused as corrupt.
 * Authority and the combination policy are checked when an event is
 * written, not on replay: the record says what was accepted. */
#include <string.h>

#include "incident_internal.h"
#include "staffing_internal.h"

#define NOT_FOUND ((size_t)-1)

void inc__roles_init(inc__roles *r)
{
    memset(r, 0, sizeof(*r));
    r->handoff_since = INC_TIME_NONE;
    r->scribe_first_at = INC_TIME_NONE;
}

void inc__roles_dispose(inc__roles *r, const inc_allocator *a)
{
    inc__free(a, r->asg);
    inc__roles_init(r);
}

int inc__role_single(inc_role role)
{
    return role != INC_ROLE_SME;
}

/* ---- lookups -------------------------------------------------------------- */

static int held(const inc_assignment *a)
{
    return a->released_at == INC_TIME_NONE;
}

static int held_at(const inc_assignment *a, inc_time t)
{
    return a->assigned_at <= t && (a->released_at == INC_TIME_NONE || t < a->released_at);
}

/* Index of the current assignment of @role to @person (@domain for SMEs;
 * NULL matches any domain), or NOT_FOUND. */
static size_t find_index(const inc__roles *r, const char *person, inc_role role, const char *domain)
{
    size_t i;
    for (i = 0; i < r->count; i++) {
        const inc_assignment *a = &r->asg[i];
        if (held(a) && a->role == role && strcmp(a->person, person) == 0 &&
            (!domain || !a->domain || strcmp(a->domain, domain) == 0))
            return i;
    }
    return NOT_FOUND;
}

const inc_assignment *inc__roles_find(const inc__roles *r, const char *person, inc_role role,
                                      const char *domain)
{
    size_t i = find_index(r, person, role, domain);
    return i == NOT_FOUND ? NULL : &r->asg[i];
}

const inc_assignment *inc__roles_other_holder(const inc__roles *r, inc_role role,
                                              const char *person)
{
    size_t i;
    for (i = 0; i < r->count; i++)
        if (held(&r->asg[i]) && r->asg[i].role == role && strcmp(r->asg[i].person, person) != 0)
            return &r->asg[i];
    return NULL;
}

unsigned inc__roles_mask(const inc__roles *r, const char *person)
{
    unsigned mask = 0;
    size_t i;
    for (i = 0; i < r->count; i++)
        if (held(&r->asg[i]) && strcmp(r->asg[i].person, person) == 0)
            mask |= INC_ROLE_BIT(r->asg[i].role);
    return mask;
}

inc_time inc__roles_held_since(const inc__roles *r, const char *person, inc_role role)
{
    const inc_assignment *a = inc__roles_find(r, person, role, NULL);
    return a ? a->assigned_at : INC_TIME_NONE;
}

/* ---- applying events ------------------------------------------------------- */

static int has_text(const inc__event *ev, int tag)
{
    return inc__event_has(ev, tag) && ev->str_len[tag] > 0;
}

/* Room for one more assignment, so that commit only writes. */
static int reserve_one(inc_incident *inc)
{
    inc__roles *r = &inc->roles;
    if (inc__array_reserve(inc->alloc, (void **)&r->asg, &r->cap, r->count + 1, sizeof(*r->asg)) !=
        INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

static void add(inc_incident *inc, const char *person, inc_role role, const char *domain,
                const char *by, const inc__event *ev)
{
    inc_assignment *a = &inc->roles.asg[inc->roles.count++];
    a->person = person;
    a->role = role;
    a->domain = domain;
    a->assigned_by = by;
    a->assigned_at = ev->time;
    a->released_at = INC_TIME_NONE;
    a->seq = ev->seq;
    a->released_seq = 0;
}

static void end(inc_assignment *a, const inc__event *ev)
{
    a->released_at = ev->time;
    a->released_seq = ev->seq;
}

int inc__roles_prepare_declared(inc_incident *inc, const inc__event *ev)
{
    (void)ev;
    return reserve_one(inc);
}

void inc__roles_commit_declared(inc_incident *inc, const inc__event *ev)
{
    const char *declarer = ev->str[INC__F_ACTOR];
    add(inc, declarer, INC_ROLE_IC, NULL, declarer, ev); /* DEC-1 */
}

/* The role of a role event (>= 0), or a negative status when the event's
 * shape is wrong: a person, a role other than IC (ROLE-2), a domain exactly
 * for SMEs. The role travels in the return value so that no caller can read
 * an unset out-parameter. */
static int read_role(inc_incident *inc, const inc__event *ev)
{
    int64_t v;
    if (!has_text(ev, INC__F_PERSON))
        return inc__event_corrupt(inc, ev, "a role event needs a person");
    v = ev->num[INC__F_ROLE];
    if (v < 0 || v >= INC_ROLE_COUNT)
        return inc__event_corrupt(inc, ev, "role out of range");
    if (v == INC_ROLE_IC)
        return inc__event_corrupt(inc, ev, "the IC changes only by a confirmed hand-off (ROLE-2)");
    if ((v == INC_ROLE_SME) != has_text(ev, INC__F_DOMAIN))
        return inc__event_corrupt(inc, ev, "an SME has a domain and no other role does");
    return (int)v;
}

static const char *domain_of(const inc__event *ev)
{
    return has_text(ev, INC__F_DOMAIN) ? ev->str[INC__F_DOMAIN] : NULL;
}

int inc__roles_prepare_assigned(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    const char *person = ev->str[INC__F_PERSON];
    int rc = read_role(inc, ev);
    inc_role role;

    (void)prep;
    if (rc < 0)
        return rc;
    role = (inc_role)rc;
    if (find_index(&inc->roles, person, role, domain_of(ev)) != NOT_FOUND)
        return inc__event_corrupt(inc, ev, "the person holds that role already");
    if (inc__role_single(role) && inc__roles_other_holder(&inc->roles, role, person))
        return inc__event_corrupt(inc, ev, "the role has another holder");
    return reserve_one(inc);
}

void inc__roles_commit_assigned(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc_role role = (inc_role)ev->num[INC__F_ROLE];
    (void)prep;
    add(inc, ev->str[INC__F_PERSON], role, domain_of(ev), ev->str[INC__F_ACTOR], ev);
    if (role == INC_ROLE_SCRIBE && inc->roles.scribe_first_at == INC_TIME_NONE)
        inc->roles.scribe_first_at = ev->time; /* ROLE-12 */
}

int inc__roles_prepare_released(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int rc = read_role(inc, ev);
    inc_role role;

    (void)prep;
    if (rc < 0)
        return rc;
    role = (inc_role)rc;
    if (find_index(&inc->roles, ev->str[INC__F_PERSON], role, domain_of(ev)) == NOT_FOUND)
        return inc__event_corrupt(inc, ev, "the person does not hold that role");
    return INC_OK;
}

void inc__roles_commit_released(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    size_t i = find_index(&inc->roles, ev->str[INC__F_PERSON], (inc_role)ev->num[INC__F_ROLE],
                          domain_of(ev));
    (void)prep;
    end(&inc->roles.asg[i], ev);
}

int inc__roles_prepare_handoff(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)prep;
    if (!has_text(ev, INC__F_PERSON) || !has_text(ev, INC__F_NEEDS) ||
        (!has_text(ev, INC__F_CONDITIONS) && !has_text(ev, INC__F_ACTIONS)))
        return inc__event_corrupt(inc, ev, "a hand-off needs the incoming IC and a CAN briefing");
    if (inc->roles.handoff_to)
        return inc__event_corrupt(inc, ev, "a hand-off is pending already");
    if (strcmp(ev->str[INC__F_ACTOR], inc->ic) != 0)
        return inc__event_corrupt(inc, ev, "only the IC hands off command");
    if (strcmp(ev->str[INC__F_PERSON], inc->ic) == 0)
        return inc__event_corrupt(inc, ev, "a hand-off to the IC themselves");
    return INC_OK;
}

void inc__roles_commit_handoff(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)prep;
    inc->roles.handoff_to = ev->str[INC__F_PERSON];
    inc->roles.handoff_since = ev->time;
    inc->roles.handoff_seq = ev->seq;
}

/* The fields every hand-off ending carries: the pending hand-off's event
 * (ref_seq) and its incoming IC (person). */
static int check_pending(inc_incident *inc, const inc__event *ev)
{
    if (!inc->roles.handoff_to)
        return inc__event_corrupt(inc, ev, "no hand-off is pending");
    if ((uint64_t)ev->num[INC__F_REF_SEQ] != inc->roles.handoff_seq)
        return inc__event_corrupt(inc, ev, "ref_seq does not name the pending hand-off");
    return INC_OK;
}

static void clear_pending(inc__roles *r)
{
    r->handoff_to = NULL;
    r->handoff_since = INC_TIME_NONE;
    r->handoff_seq = 0;
}

int inc__roles_prepare_confirmed(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int rc;
    (void)prep;
    if ((rc = check_pending(inc, ev)) != INC_OK)
        return rc;
    if (strcmp(ev->str[INC__F_ACTOR], inc->roles.handoff_to) != 0)
        return inc__event_corrupt(inc, ev, "only the incoming IC confirms a hand-off");
    return reserve_one(inc);
}

void inc__roles_commit_confirmed(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    const char *outgoing = inc->ic;
    (void)prep;
    end(&inc->roles.asg[find_index(&inc->roles, outgoing, INC_ROLE_IC, NULL)], ev);
    add(inc, ev->str[INC__F_ACTOR], INC_ROLE_IC, NULL, outgoing, ev);
    inc->ic = ev->str[INC__F_ACTOR];
    clear_pending(&inc->roles);
}

int inc__roles_prepare_cancelled(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    const char *actor = ev->str[INC__F_ACTOR];
    int rc;
    (void)prep;
    if ((rc = check_pending(inc, ev)) != INC_OK)
        return rc;
    if (!has_text(ev, INC__F_PERSON) || strcmp(ev->str[INC__F_PERSON], inc->roles.handoff_to))
        return inc__event_corrupt(inc, ev, "person does not name the incoming IC");
    if (strcmp(actor, inc->ic) != 0 && strcmp(actor, inc->roles.handoff_to) != 0)
        return inc__event_corrupt(inc, ev, "only the IC or the incoming IC cancels a hand-off");
    return INC_OK;
}

void inc__roles_commit_cancelled(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    (void)ev;
    (void)prep;
    clear_pending(&inc->roles);
}

/* ---- public queries -------------------------------------------------------- */

const char *inc_incident_handoff_to(const inc_incident *inc)
{
    return inc ? inc->roles.handoff_to : NULL;
}

inc_time inc_incident_handoff_since(const inc_incident *inc)
{
    return inc ? inc->roles.handoff_since : INC_TIME_NONE;
}

uint64_t inc_incident_handoff_seq(const inc_incident *inc)
{
    return inc ? inc->roles.handoff_seq : 0;
}

const char *inc_incident_ic_at(const inc_incident *inc, inc_time t)
{
    const char *ic = NULL;
    size_t i;
    if (!inc)
        return NULL;
    /* Terms never overlap: one ends the instant the next begins. */
    for (i = 0; i < inc->roles.count; i++)
        if (inc->roles.asg[i].role == INC_ROLE_IC && held_at(&inc->roles.asg[i], t))
            ic = inc->roles.asg[i].person;
    return ic;
}

size_t inc_incident_role_holder_count(const inc_incident *inc, inc_role role)
{
    size_t i, n = 0;
    if (!inc)
        return 0;
    for (i = 0; i < inc->roles.count; i++)
        if (held(&inc->roles.asg[i]) && inc->roles.asg[i].role == role)
            n++;
    return n;
}

const inc_assignment *inc_incident_role_holder(const inc_incident *inc, inc_role role, size_t index)
{
    size_t i;
    if (!inc)
        return NULL;
    for (i = 0; i < inc->roles.count; i++)
        if (held(&inc->roles.asg[i]) && inc->roles.asg[i].role == role && index-- == 0)
            return &inc->roles.asg[i];
    return NULL;
}

unsigned inc_incident_person_roles(const inc_incident *inc, const char *person)
{
    return inc && person ? inc__roles_mask(&inc->roles, person) : 0;
}

unsigned inc_incident_person_roles_at(const inc_incident *inc, const char *person, inc_time t)
{
    unsigned mask = 0;
    size_t i;
    if (!inc || !person)
        return 0;
    for (i = 0; i < inc->roles.count; i++)
        if (held_at(&inc->roles.asg[i], t) && strcmp(inc->roles.asg[i].person, person) == 0)
            mask |= INC_ROLE_BIT(inc->roles.asg[i].role);
    return mask;
}

size_t inc_incident_assignment_count(const inc_incident *inc)
{
    return inc ? inc->roles.count : 0;
}

const inc_assignment *inc_incident_assignment(const inc_incident *inc, size_t index)
{
    if (!inc || index >= inc->roles.count)
        return NULL;
    return &inc->roles.asg[index];
}

inc_time inc_incident_scribe_assigned_at(const inc_incident *inc)
{
    return inc ? inc->roles.scribe_first_at : INC_TIME_NONE;
}

inc_time inc_incident_scribe_due(const inc_incident *inc)
{
    int64_t window;
    if (!inc || !inc->rubric)
        return INC_TIME_NONE;
    window = inc_rubric_duration(inc->rubric, inc->severity_index, INC_DUR_SCRIBE);
    return window == INC_DURATION_NONE ? INC_TIME_NONE : inc->declared_at + window;
}
