/* Links between incidents (LIFE-5): duplicate of a primary (which closes
 * the duplicate), related, recurrence of a closed incident; the call that
 * makes one, its replay and the accessors. */
#include <string.h>

#include "incident_internal.h"
#include "util/text.h"

static const char *const kind_names[] = {NULL, "duplicate_of", "related", "recurrence_of"};
#define KIND_COUNT (sizeof(kind_names) / sizeof(kind_names[0]))

const char *inc_link_kind_name(inc_link_kind kind)
{
    return (unsigned)kind >= 1 && (unsigned)kind < KIND_COUNT ? kind_names[kind] : NULL;
}

int inc_link_kind_from_name(const char *name, inc_link_kind *out)
{
    char norm[32];
    size_t i, n;
    unsigned k;
    int rc;

    if (!name || !out)
        return INC_EINVAL;
    n = strlen(name);
    if (n >= sizeof(norm))
        return INC_ENOTFOUND;
    for (i = 0; i <= n; i++) /* "duplicate-of" as well as "duplicate_of" */
        norm[i] = name[i] == '-' ? '_' : name[i];
    rc = inc__name_index(kind_names + 1, KIND_COUNT - 1, norm, &k);
    if (rc == INC_OK)
        *out = (inc_link_kind)(k + 1);
    return rc;
}

/* ---- replay -------------------------------------------------------------- */

static const inc_link *find_link(const inc_incident *inc, inc_link_kind kind, const char *id)
{
    size_t i;
    for (i = 0; i < inc->link_count; i++)
        if (inc->links[i].kind == kind && strcmp(inc->links[i].incident_id, id) == 0)
            return &inc->links[i];
    return NULL;
}

int inc__core_prepare_linked(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int64_t kind = ev->num[INC__F_ITEM];
    (void)prep;
    if (!inc_link_kind_name((inc_link_kind)kind) || kind != (int64_t)(inc_link_kind)kind)
        return inc__event_corrupt(inc, ev, "not a link kind");
    if (!inc__id_valid(ev->str[INC__F_ID]) || strcmp(ev->str[INC__F_ID], inc->id) == 0)
        return inc__event_corrupt(inc, ev, "a link to an invalid id or to the incident itself");
    if (inc->state == INC_STATE_CLOSED)
        return inc__event_corrupt(inc, ev, "a link made after closing");
    if (find_link(inc, (inc_link_kind)kind, ev->str[INC__F_ID]))
        return inc__event_corrupt(inc, ev, "the same link twice");
    if (inc__array_reserve(inc->alloc, (void **)&inc->links, &inc->link_cap, inc->link_count + 1,
                           sizeof(inc_link)) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

void inc__core_commit_linked(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc_link *l = &inc->links[inc->link_count++];
    (void)prep;
    l->kind = (inc_link_kind)ev->num[INC__F_ITEM];
    l->incident_id = ev->str[INC__F_ID];
    l->by = ev->str[INC__F_ACTOR];
    l->at = ev->time;
    l->text = inc__event_has(ev, INC__F_TEXT) ? ev->str[INC__F_TEXT] : NULL;
    l->seq = ev->seq;
    if (l->kind == INC_LINK_DUPLICATE_OF) {
        inc->duplicate_of = l->incident_id; /* closed with a pointer to the primary */
        inc->state = INC_STATE_CLOSED;
    }
}

/* ---- making one ----------------------------------------------------------- */

/* The other incident must be in the store; a primary must not be a
 * duplicate (following its chain finds a cycle back to @inc, or a chain);
 * a recurrence is of a closed incident. */
static int check_other(inc_incident *inc, inc_link_kind kind, const char *other_id)
{
    inc_incident *other = NULL;
    int rc = inc_incident_open(inc->ctx, other_id, &other);

    if (rc != INC_OK)
        return rc == INC_ENOTFOUND
                   ? inc_error_set(&inc->err, INC_ENOTFOUND,
                                   "other_id: no incident %s in the store", other_id)
                   : inc__error_copy(&inc->err, &inc->ctx->err);
    if (kind == INC_LINK_DUPLICATE_OF && other->duplicate_of)
        rc = strcmp(other->duplicate_of, inc->id) == 0
                 ? inc_error_set(&inc->err, INC_EINVAL,
                                 "other_id: %s is a duplicate of %s: a cycle of duplicates "
                                 "(LIFE-5)",
                                 other_id, inc->id)
                 : inc_error_set(&inc->err, INC_EINVAL,
                                 "other_id: %s is itself a duplicate of %s: mark %s a duplicate "
                                 "of %s (LIFE-5)",
                                 other_id, other->duplicate_of, inc->id, other->duplicate_of);
    else if (kind == INC_LINK_RECURRENCE_OF && other->state != INC_STATE_CLOSED)
        rc = inc_error_set(&inc->err, INC_ESTATE,
                           "other_id: %s is %s, not closed: a recurrence is of a closed "
                           "incident (LIFE-5); link it as related, or reopen it (LIFE-4)",
                           other_id, inc_state_name(other->state));
    inc_incident_free(other);
    return rc;
}

int inc_incident_add_link(inc_incident *inc, const char *actor, inc_link_kind kind,
                          const char *other_id, const char *text)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "link it")) != INC_OK)
        return rc;
    if (!inc_link_kind_name(kind))
        return inc_error_set(&inc->err, INC_EINVAL, "kind: %d is not a link kind", (int)kind);
    if ((rc = inc__check_text(&inc->err, "other_id", other_id, INC_ID_MAX,
                              INC__TEXT_SINGLE_LINE)) != INC_OK ||
        (rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) != INC_OK)
        return rc;
    if (strcmp(other_id, inc->id) == 0)
        return inc_error_set(&inc->err, INC_EINVAL, "other_id: %s cannot be %s itself (LIFE-5)",
                             inc->id, kind_names[kind]);
    if (!inc__id_valid(other_id))
        return inc_error_set(&inc->err, INC_EINVAL, "other_id: '%s' is not an incident id",
                             other_id);
    if (find_link(inc, kind, other_id))
        return inc_error_set(&inc->err, INC_EINVAL, "incident %s is already %s %s", inc->id,
                             kind_names[kind], other_id);
    if ((rc = inc__require_ic(inc, actor, "link incidents")) != INC_OK ||
        (rc = check_other(inc, kind, other_id)) != INC_OK)
        return rc;
    inc__draft_init(&d, INC_EV_LINKED, actor);
    inc__draft_int(&d, INC__F_ITEM, kind);
    inc__draft_str(&d, INC__F_ID, other_id);
    if (text && text[0])
        inc__draft_str(&d, INC__F_TEXT, text);
    return inc__incident_write(inc, &d);
}

/* ---- accessors ------------------------------------------------------------- */

size_t inc_incident_link_count(const inc_incident *inc)
{
    return inc ? inc->link_count : 0;
}

const inc_link *inc_incident_link(const inc_incident *inc, size_t index)
{
    return inc && index < inc->link_count ? &inc->links[index] : NULL;
}

const char *inc_incident_duplicate_of(const inc_incident *inc)
{
    return inc ? inc->duplicate_of : NULL;
}
