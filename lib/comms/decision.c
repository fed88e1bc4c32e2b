/* Pending decisions (CAN-3): asked by a Need in a CAN report (can.c) or
 * directly, answered by the IC only (AUTH-1), both on the timeline. */
#include <string.h>

#include "comms_internal.h"
#include "incident_internal.h"
#include "util/text.h"

static const char *const status_names[] = {"pending", "approved", "denied"};

const char *inc_decision_status_name(inc_decision_status status)
{
    return (unsigned)status < 3 ? status_names[status] : NULL;
}

/* ---- writing ------------------------------------------------------------- */

int inc_incident_request_decision(inc_incident *inc, const char *actor, const char *text,
                                  uint64_t *id)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "ask for a decision")) != INC_OK)
        return rc;
    if ((rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX, 0)) != INC_OK)
        return rc;
    inc__draft_init(&d, INC_EV_DECISION_REQUESTED, actor);
    inc__draft_str(&d, INC__F_TEXT, text);
    if ((rc = inc__incident_write(inc, &d)) == INC_OK && id)
        *id = inc->comms.dec_count;
    return rc;
}

int inc_incident_decide(inc_incident *inc, const char *actor, uint64_t id, int approve,
                        const char *note)
{
    inc__event_draft d;
    const inc__decision *dec;
    int rc;

    if ((rc = inc__begin(inc, actor, "decide")) != INC_OK)
        return rc;
    if ((rc = inc__check_text(&inc->err, "note", note, INC_TEXT_MAX, INC__TEXT_OPTIONAL)) != INC_OK)
        return rc;
    if ((rc = inc__require_ic(inc, actor, "approve or deny a decision")) != INC_OK)
        return rc;
    if (id < 1 || id > inc->comms.dec_count)
        return inc_error_set(&inc->err, INC_ENOTFOUND, "decision: incident %s has no decision %llu",
                             inc->id, (unsigned long long)id);
    dec = &inc->comms.dec[id - 1];
    if (dec->status != INC_DECISION_PENDING)
        return inc_error_set(&inc->err, INC_EINVAL, "decision: D%llu was %s by %s already (CAN-3)",
                             (unsigned long long)id, inc_decision_status_name(dec->status),
                             dec->decided_by);
    inc__draft_init(&d, INC_EV_DECISION_MADE, actor);
    inc__draft_int(&d, INC__F_DECISION, (int64_t)id);
    inc__draft_int(&d, INC__F_APPROVED, approve ? 1 : 0);
    if (note && note[0])
        inc__draft_str(&d, INC__F_TEXT, note);
    return inc__incident_write(inc, &d);
}

/* ---- apply --------------------------------------------------------------- */

static int corrupt(inc_incident *inc, const inc__event *ev, const char *what)
{
    return inc_error_set(&inc->err, INC_ECORRUPT, "incident %s, event %llu (%s): %s", inc->id,
                         (unsigned long long)ev->seq, inc__event_kind_name(ev->kind), what);
}

int inc__can_prepare_requested(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__comms *c = &inc->comms;
    (void)prep;
    if (!inc__event_has(ev, INC__F_TEXT) || ev->str_len[INC__F_TEXT] == 0)
        return corrupt(inc, ev, "a decision request without text");
    if (inc__array_reserve(inc->alloc, (void **)&c->dec, &c->dec_cap, c->dec_count + 1,
                           sizeof(*c->dec)) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

void inc__can_commit_requested(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__decision *d = &inc->comms.dec[inc->comms.dec_count++];
    (void)prep;
    memset(d, 0, sizeof(*d));
    d->text = ev->str[INC__F_TEXT];
    d->requested_by = ev->str[INC__F_ACTOR];
    d->requested_at = ev->time;
    d->request_seq = ev->seq;
    d->status = INC_DECISION_PENDING;
    d->decided_at = INC_TIME_NONE;
}

int inc__can_prepare_decided(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    int64_t id;
    (void)prep;
    if (!inc__event_has(ev, INC__F_DECISION) || !inc__event_has(ev, INC__F_APPROVED))
        return corrupt(inc, ev, "missing decision or approved");
    id = ev->num[INC__F_DECISION];
    if (id < 1 || (uint64_t)id > inc->comms.dec_count)
        return corrupt(inc, ev, "answers a decision that was never asked");
    if (inc->comms.dec[id - 1].status != INC_DECISION_PENDING)
        return corrupt(inc, ev, "answers a decision that was answered already");
    if (ev->num[INC__F_APPROVED] != 0 && ev->num[INC__F_APPROVED] != 1)
        return corrupt(inc, ev, "approved must be 0 or 1");
    return INC_OK;
}

void inc__can_commit_decided(inc_incident *inc, const inc__event *ev, inc__prep *prep)
{
    inc__decision *d = &inc->comms.dec[ev->num[INC__F_DECISION] - 1];
    (void)prep;
    d->status = ev->num[INC__F_APPROVED] ? INC_DECISION_APPROVED : INC_DECISION_DENIED;
    d->decided_by = ev->str[INC__F_ACTOR];
    d->decided_at = ev->time;
    d->decision_seq = ev->seq;
    d->note = inc__event_str(ev, INC__F_TEXT);
}

/* ---- reading ------------------------------------------------------------- */

size_t inc_incident_decision_count(const inc_incident *inc)
{
    return inc ? inc->comms.dec_count : 0;
}

size_t inc_incident_decision_pending_count(const inc_incident *inc)
{
    size_t i, n = 0;
    if (!inc)
        return 0;
    for (i = 0; i < inc->comms.dec_count; i++)
        n += inc->comms.dec[i].status == INC_DECISION_PENDING;
    return n;
}

int inc_incident_get_decision(const inc_incident *inc, size_t index, inc_decision_info *out)
{
    const inc__decision *d;
    if (!inc || !out)
        return INC_EINVAL;
    if (index >= inc->comms.dec_count)
        return INC_ENOTFOUND;
    d = &inc->comms.dec[index];
    out->id = index + 1;
    out->status = d->status;
    out->text = d->text;
    out->requested_by = d->requested_by;
    out->requested_at = d->requested_at;
    out->request_seq = d->request_seq;
    out->decided_by = d->decided_by;
    out->decided_at = d->decided_at;
    out->decision_seq = d->decision_seq;
    out->note = d->status == INC_DECISION_PENDING ? NULL : d->note;
    return INC_OK;
}

void inc__decisions_open_text(const inc_incident *inc, inc__buf *b)
{
    size_t i;
    for (i = 0; i < inc->comms.dec_count; i++) {
        const inc__decision *d = &inc->comms.dec[i];
        if (d->status == INC_DECISION_PENDING)
            inc__buf_printf(b, "D%zu: %s (asked by %s)\n", i + 1, d->text, d->requested_by);
    }
}

/* ---- the timeline lines -------------------------------------------------- */

void inc__decision_describe(inc__buf *b, const inc__event *ev)
{
    if (ev->kind == INC_EV_DECISION_REQUESTED) {
        inc__buf_printf(b, "Decision requested: %s", inc__event_str(ev, INC__F_TEXT));
        return;
    }
    inc__buf_printf(b, "Decision D%lld %s", (long long)ev->num[INC__F_DECISION],
                    ev->num[INC__F_APPROVED] ? "approved" : "denied");
    if (inc__event_has(ev, INC__F_TEXT))
        inc__buf_printf(b, ": %s", ev->str[INC__F_TEXT]);
}
