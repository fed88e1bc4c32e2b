/* Reading the timeline of record: events, descriptions, the rendered text
 * (TL-3) and the hash-chain check (TL-2). */
#include <string.h>

#include "event_kinds.h"
#include "incident_internal.h"
#include "util/buf.h"
#include "util/escape.h"

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

/* Roles and hand-offs (ROLE-1, ROLE-2): the rule IDs an advisory
 * assignment was accepted with are shown, so the record says it. */
static void put_accepted_under(inc__buf *b, const inc__event *ev)
{
    if (inc__event_has(ev, INC__F_FINDINGS))
        inc__buf_printf(b, " [%s, %s]", ev->str[INC__F_FINDINGS],
                        inc__event_has(ev, INC__F_POLICY) && ev->num[INC__F_POLICY] ? "strict"
                                                                                    : "advisory");
}

void inc__roles_describe_role(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Role %s: %s as %s",
                    ev->kind == INC_EV_ROLE_ASSIGNED ? "assigned" : "released",
                    inc__event_str(ev, INC__F_PERSON), role_title_or_unknown(ev));
    if (inc__event_has(ev, INC__F_DOMAIN))
        inc__buf_printf(b, " (%s)", ev->str[INC__F_DOMAIN]);
    put_accepted_under(b, ev);
}

void inc__roles_describe_handoff(inc__buf *b, const inc__event *ev)
{
    int first = 1;
    inc__buf_printf(b, "Hand-off of command to %s started", inc__event_str(ev, INC__F_PERSON));
    put_slot(b, ev, INC__F_CONDITIONS, "Conditions", &first);
    put_slot(b, ev, INC__F_ACTIONS, "Actions", &first);
    put_slot(b, ev, INC__F_NEEDS, "Needs", &first);
    inc__can_describe_briefing(b, ev); /* CAN-3 open decisions, CAN-2 lint (can.c) */
    put_accepted_under(b, ev);
}

void inc__roles_describe_confirmed(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Hand-off confirmed: IC %s -> %s", inc__event_str(ev, INC__F_PERSON),
                    inc__event_str(ev, INC__F_ACTOR));
    put_accepted_under(b, ev);
}

void inc__roles_describe_cancelled(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Hand-off to %s cancelled", inc__event_str(ev, INC__F_PERSON));
    put_with_text(b, ev, "");
    put_accepted_under(b, ev);
}

void inc__core_describe_declared(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Incident declared: %s (%s, channel #%s, IC %s)%s",
                    inc__event_str(ev, INC__F_TITLE), inc__event_str(ev, INC__F_SEVERITY),
                    inc__event_str(ev, INC__F_CHANNEL), inc__event_str(ev, INC__F_ACTOR),
                    inc__event_has(ev, INC__F_DRILL) && ev->num[INC__F_DRILL] ? " [DRILL]" : "");
}

void inc__core_describe_severity(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Severity changed %s -> %s", inc__event_str(ev, INC__F_FROM_SEVERITY),
                    inc__event_str(ev, INC__F_SEVERITY));
    put_with_text(b, ev, "");
}

void inc__core_describe_state(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "State %s -> %s", state_or_unknown(ev, INC__F_FROM_STATE),
                    state_or_unknown(ev, INC__F_STATE));
    put_with_text(b, ev, "");
}

void inc__core_describe_reopened(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Reopened: resolved -> %s", state_or_unknown(ev, INC__F_STATE));
    put_with_text(b, ev, "");
}

void inc__core_describe_linked(inc__buf *b, const inc__event *ev)
{
    const char *kind = inc_link_kind_name((inc_link_kind)ev->num[INC__F_ITEM]);
    inc__buf_printf(b, "Linked: %s %s", kind ? kind : "?", ev->str[INC__F_ID]);
    put_with_text(b, ev, "");
}

void inc__core_describe_note(inc__buf *b, const inc__event *ev)
{
    put_with_text(b, ev, "Note");
}

void inc__core_describe_correction(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Correction of #%lld", (long long)ev->num[INC__F_REF_SEQ]);
    put_with_text(b, ev, "");
}

/* One line describing an event, appended to @b: its kind's own. */
static void describe(inc__buf *b, const inc__event *ev)
{
    inc__event_kind_row(ev->kind)->describe(b, ev);
}

/* The mark that starts every continuation line of a multi-line text in the
 * rendered timeline: real lines start with the right-aligned sequence
 * number, so no text can print a line that passes for one (TL-3). */
#define CONTINUATION "    | "

/* The event's line, escaped (util/escape.h): with @continuation NULL one
 * line, LF shown as "\n". */
static void put_described(inc__buf *b, const inc__event *ev, inc__buf *line,
                          const char *continuation)
{
    inc__buf_clear(line);
    describe(line, ev);
    inc__buf_put_escaped(b, line->ptr, line->len, continuation);
    if (line->failed)
        b->failed = line->failed;
}

/* The line of event @index, escaped or (@raw) as the event's text has it. */
static int event_line(const inc_incident *inc, size_t index, int raw, char **out)
{
    inc__event ev;
    inc__buf b, line;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    if (index >= inc->event_count)
        return INC_ENOTFOUND;
    if (inc__incident_event_at(inc, index, &ev) != INC_OK)
        return INC_ECORRUPT;
    inc__buf_init(&b, inc->alloc);
    inc__buf_init(&line, inc->alloc);
    if (raw)
        describe(&b, &ev);
    else
        put_described(&b, &ev, &line, NULL);
    inc__buf_dispose(&line);
    return inc__buf_detach(&b, out, NULL);
}

int inc_incident_describe_event(const inc_incident *inc, size_t index, char **out)
{
    return event_line(inc, index, 0, out);
}

int inc__incident_event_line_raw(const inc_incident *inc, size_t index, char **out)
{
    return event_line(inc, index, 1, out);
}

/* The actor's column: escaped, then padded to 12 display columns. */
static void put_actor(inc__buf *b, const inc__event *ev, inc__buf *cell)
{
    size_t w = 0, i;
    inc__buf_clear(cell);
    inc__buf_puts_escaped(cell, inc__event_str(ev, INC__F_ACTOR), NULL);
    inc__buf_put(b, cell->ptr, cell->len);
    for (i = 0; i < cell->len; i++)
        w += ((unsigned char)cell->ptr[i] & 0xC0) != 0x80;
    for (; w < 12; w++)
        inc__buf_putc(b, ' ');
    if (cell->failed)
        b->failed = cell->failed;
}

int inc_incident_render_timeline(const inc_incident *inc, char **out, size_t *len)
{
    inc__buf b, scratch;
    size_t i;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    inc__buf_init(&b, inc->alloc);
    inc__buf_init(&scratch, inc->alloc);
    inc__buf_printf(&b, "Timeline of %s: ", inc->id);
    inc__buf_puts_escaped(&b, inc->title, NULL);
    inc__buf_putc(&b, '\n');
    for (i = 0; i < inc->event_count; i++) {
        char when[32], offset[32];
        inc__event ev;
        if (inc__incident_event_at(inc, i, &ev) != INC_OK)
            continue;
        inc_time_format(ev.time, when, sizeof(when));
        inc_offset_format(ev.time - inc->declared_at, offset, sizeof(offset));
        inc__buf_printf(&b, "%4llu  %s  %-10s  ", (unsigned long long)ev.seq, when, offset);
        put_actor(&b, &ev, &scratch);
        inc__buf_puts(&b, "  ");
        put_described(&b, &ev, &scratch, CONTINUATION);
        inc__buf_putc(&b, '\n');
    }
    inc__buf_dispose(&scratch);
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

static int blob_ignored(void *user, const void *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return 0;
}

/* RUB-4: a declaration that names its rubric by key depends on the store's
 * blob too: read it again (the store checks its bytes against the key), not
 * the context's parsed copy. */
static int verify_rubric_blob(inc_incident *inc)
{
    inc__event ev;
    int rc;
    if (inc->event_count == 0 || inc__incident_event_at(inc, 0, &ev) != INC_OK ||
        !inc__event_has(&ev, INC__F_RUBRIC_SHA256))
        return INC_OK;
    rc = inc__store_get_blob(inc->ctx->store, ev.str[INC__F_RUBRIC_SHA256], blob_ignored, NULL,
                             &inc->err);
    if (rc == INC_ENOTFOUND || rc == INC_EUNSUPPORTED)
        return inc_error_set(&inc->err, INC_ECORRUPT,
                             "incident %s: the rubric its declaration names (RUB-4) is not in "
                             "the store",
                             inc->id);
    return rc;
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
        return inc__chain_broken(inc, vs.bad_seq);
    }
    return rc == INC_OK ? verify_rubric_blob(inc) : rc;
}

int inc__chain_broken(inc_incident *inc, uint64_t seq)
{
    return inc_error_set(&inc->err, INC_ECORRUPT,
                         "incident %s: hash chain broken at event %llu (TL-2): its "
                         "previous-event hash does not match",
                         inc->id, (unsigned long long)seq);
}
