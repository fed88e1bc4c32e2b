/* Reading the timeline of record: events, descriptions, the rendered text
 * (TL-3) and the hash-chain check (TL-2). */
#include <string.h>

#include "incident_internal.h"
#include "util/buf.h"

size_t inc_incident_event_count(const inc_incident *inc)
{
    return inc ? inc->event_count : 0;
}

int inc_incident_get_event(const inc_incident *inc, size_t index, inc_event_info *out)
{
    inc__event ev;

    if (!inc || !out)
        return INC_EINVAL;
    if (index >= inc->event_count)
        return INC_ENOTFOUND;
    if (inc__incident_event_at(inc, index, &ev) != INC_OK)
        return INC_ECORRUPT; /* cannot happen: every stored event was decoded once */
    out->seq = ev.seq;
    out->time = ev.time;
    out->offset_ms = ev.time - inc->declared_at;
    out->kind = (inc_event_kind)ev.kind;
    out->kind_name = inc__event_kind_name(ev.kind);
    out->actor = inc__event_str(&ev, INC__F_ACTOR);
    out->text = inc__event_str(&ev, INC__F_TEXT);
    out->ref_seq = inc__event_has(&ev, INC__F_REF_SEQ) ? (uint64_t)ev.num[INC__F_REF_SEQ] : 0;
    return INC_OK;
}

static const char *state_or_unknown(const inc__event *ev, int tag)
{
    const char *s = inc__event_has(ev, tag) ? inc_state_name((inc_state)ev->num[tag]) : NULL;
    return s ? s : "?";
}

/* Append text, then ": text" when the event has a main text. */
static void put_with_text(inc__buf *b, const inc__event *ev, const char *head)
{
    inc__buf_puts(b, head);
    if (inc__event_has(ev, INC__F_TEXT) && ev->str_len[INC__F_TEXT]) {
        inc__buf_puts(b, ": ");
        inc__buf_puts(b, ev->str[INC__F_TEXT]);
    }
}

static const char *role_title_or_unknown(const inc__event *ev)
{
    const char *t =
        inc__event_has(ev, INC__F_ROLE) ? inc_role_title((inc_role)ev->num[INC__F_ROLE]) : NULL;
    return t ? t : "?";
}

/* Append "; Label: text" for a briefing slot that is present. */
static void put_slot(inc__buf *b, const inc__event *ev, int tag, const char *label, int *first)
{
    if (!inc__event_has(ev, tag))
        return;
    inc__buf_printf(b, "%s%s: %s", *first ? " -- " : "; ", label, ev->str[tag]);
    *first = 0;
}

/* Roles and hand-offs (ROLE-1, ROLE-2); the rule IDs an advisory
 * assignment was accepted with are shown, so the record says it. */
static void describe_role(inc__buf *b, const inc__event *ev)
{
    int first = 1;
    switch (ev->kind) {
    case INC_EV_ROLE_ASSIGNED:
    case INC_EV_ROLE_RELEASED:
        inc__buf_printf(b, "Role %s: %s as %s",
                        ev->kind == INC_EV_ROLE_ASSIGNED ? "assigned" : "released",
                        inc__event_str(ev, INC__F_PERSON), role_title_or_unknown(ev));
        if (inc__event_has(ev, INC__F_DOMAIN))
            inc__buf_printf(b, " (%s)", ev->str[INC__F_DOMAIN]);
        break;
    case INC_EV_HANDOFF_STARTED:
        inc__buf_printf(b, "Hand-off of command to %s started", inc__event_str(ev, INC__F_PERSON));
        put_slot(b, ev, INC__F_CONDITIONS, "Conditions", &first);
        put_slot(b, ev, INC__F_ACTIONS, "Actions", &first);
        put_slot(b, ev, INC__F_NEEDS, "Needs", &first);
        inc__can_describe_briefing(b, ev); /* CAN-3 open decisions, CAN-2 lint (can.c) */
        break;
    case INC_EV_HANDOFF_CONFIRMED:
        inc__buf_printf(b, "Hand-off confirmed: IC %s -> %s", inc__event_str(ev, INC__F_PERSON),
                        inc__event_str(ev, INC__F_ACTOR));
        break;
    default: /* INC_EV_HANDOFF_CANCELLED */
        inc__buf_printf(b, "Hand-off to %s cancelled", inc__event_str(ev, INC__F_PERSON));
        put_with_text(b, ev, "");
        break;
    }
    if (inc__event_has(ev, INC__F_FINDINGS))
        inc__buf_printf(b, " [%s, %s]", ev->str[INC__F_FINDINGS],
                        inc__event_has(ev, INC__F_POLICY) && ev->num[INC__F_POLICY] ? "strict"
                                                                                    : "advisory");
}

/* One line describing an event, appended to @b. Later issues add kinds. */
static void describe(inc__buf *b, const inc__event *ev)
{
    switch (ev->kind) {
    case INC_EV_DECLARED:
        inc__buf_printf(b, "Incident declared: %s (%s, channel #%s, IC %s)%s",
                        inc__event_str(ev, INC__F_TITLE), inc__event_str(ev, INC__F_SEVERITY),
                        inc__event_str(ev, INC__F_CHANNEL), inc__event_str(ev, INC__F_ACTOR),
                        inc__event_has(ev, INC__F_DRILL) && ev->num[INC__F_DRILL] ? " [DRILL]"
                                                                                  : "");
        break;
    case INC_EV_SEVERITY_CHANGED:
        inc__buf_printf(b, "Severity changed %s -> %s", inc__event_str(ev, INC__F_FROM_SEVERITY),
                        inc__event_str(ev, INC__F_SEVERITY));
        put_with_text(b, ev, "");
        break;
    case INC_EV_STATE_CHANGED:
        inc__buf_printf(b, "State %s -> %s", state_or_unknown(ev, INC__F_FROM_STATE),
                        state_or_unknown(ev, INC__F_STATE));
        put_with_text(b, ev, "");
        break;
    case INC_EV_NOTE:
        put_with_text(b, ev, "Note");
        break;
    case INC_EV_CORRECTION:
        inc__buf_printf(b, "Correction of #%lld", (long long)ev->num[INC__F_REF_SEQ]);
        put_with_text(b, ev, "");
        break;
    case INC_EV_ROLE_ASSIGNED:
    case INC_EV_ROLE_RELEASED:
    case INC_EV_HANDOFF_STARTED:
    case INC_EV_HANDOFF_CONFIRMED:
    case INC_EV_HANDOFF_CANCELLED:
        describe_role(b, ev);
        break;
    case INC_EV_PAGE_REQUESTED:
    case INC_EV_PAGE_SENT:
    case INC_EV_ACKNOWLEDGED:
    case INC_EV_DEADLINE_CLOCK_STARTED:
    case INC_EV_DEADLINE_CLOCK_STOPPED:
    case INC_EV_DUE_DELIVERED:
        inc__due_describe(b, ev); /* due_engine.c */
        break;
    case INC_EV_CAN_REPORT:
    case INC_EV_DECISION_REQUESTED:
    case INC_EV_DECISION_MADE:
    case INC_EV_STATUS_UPDATE:
    case INC_EV_CADENCE_CHANGED:
        inc__comms_describe(b, ev); /* status_update.c */
        break;
    case INC_EV_ACTION_ADDED:
    case INC_EV_ACTION_CHANGED:
    case INC_EV_POSTMORTEM_SECTION:
    case INC_EV_POSTMORTEM_STATUS:
    case INC_EV_POSTMORTEM_TAG:
    case INC_EV_BRIDGE_OPENED:
        inc__pm_describe(b, ev); /* postmortem.c */
        break;
    default:
        put_with_text(b, ev, inc__event_kind_name(ev->kind));
        break;
    }
}

int inc_incident_describe_event(const inc_incident *inc, size_t index, char **out)
{
    inc__event ev;
    inc__buf b;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    if (index >= inc->event_count)
        return INC_ENOTFOUND;
    if (inc__incident_event_at(inc, index, &ev) != INC_OK)
        return INC_ECORRUPT;
    inc__buf_init(&b, inc->alloc);
    describe(&b, &ev);
    return inc__buf_detach(&b, out, NULL);
}

int inc_incident_render_timeline(const inc_incident *inc, char **out, size_t *len)
{
    inc__buf b;
    size_t i;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    inc__buf_init(&b, inc->alloc);
    inc__buf_printf(&b, "Timeline of %s: %s\n", inc->id, inc->title);
    for (i = 0; i < inc->event_count; i++) {
        char when[32], offset[32];
        inc__event ev;
        if (inc__incident_event_at(inc, i, &ev) != INC_OK)
            continue;
        inc_time_format(ev.time, when, sizeof(when));
        inc_offset_format(ev.time - inc->declared_at, offset, sizeof(offset));
        inc__buf_printf(&b, "%4llu  %s  %-10s  %-12s  ", (unsigned long long)ev.seq, when, offset,
                        inc__event_str(&ev, INC__F_ACTOR));
        describe(&b, &ev);
        inc__buf_putc(&b, '\n');
    }
    return inc__buf_detach(&b, out, len);
}

/* ---- TL-2: the hash chain ------------------------------------------------ */

typedef struct verify_state {
    uint8_t prev[INC__SHA256_LEN];
    uint64_t expected_seq;
    uint64_t bad_seq;
} verify_state;

static int verify_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    verify_state *vs = user;
    const uint8_t *p = data;

    if (seq != vs->expected_seq || len < INC__EV_HEADER || inc__load_u64le(p + 8) != seq ||
        memcmp(p + 24, vs->prev, INC__SHA256_LEN) != 0) {
        vs->bad_seq = seq;
        return 1;
    }
    inc__sha256(data, len, vs->prev);
    vs->expected_seq++;
    return 0;
}

int inc_incident_verify(inc_incident *inc, uint64_t *bad_seq)
{
    verify_state vs;
    int rc;

    if (bad_seq)
        *bad_seq = 0;
    if (!inc)
        return INC_EINVAL;
    inc__error_clear(&inc->err);
    memset(&vs, 0, sizeof(vs));
    vs.expected_seq = 1;
    rc = inc__store_read(inc->ctx->store, inc->id, 1, verify_cb, &vs, &inc->err);
    if (rc == 1) {
        if (bad_seq)
            *bad_seq = vs.bad_seq;
        return inc_error_set(&inc->err, INC_ECORRUPT,
                             "incident %s: hash chain broken at event %llu (TL-2): its "
                             "previous-event hash does not match",
                             inc->id, (unsigned long long)vs.bad_seq);
    }
    return rc;
}
