/* Paging records (ESC-2, ESC-3, MET-1): pages requested (by the ladder or
 * by the program), sent to people, and acknowledged; their apply functions
 * and the timeline lines of every kind the due layer writes. */
#include <string.h>

#include "incident_internal.h"
#include "oncall/oncall_services.h"
#include "util/text.h"
#include "util/time.h"

#define TARGET_MAX 256

/* The first page of request @seq, or NULL. */
static inc_page *find_request(const inc_incident *inc, uint64_t seq)
{
    size_t i;
    for (i = 0; i < inc->due.page_count; i++)
        if (inc->due.pages[i].request_seq == seq)
            return &inc->due.pages[i];
    return NULL;
}

static int has_page_to(const inc_incident *inc, uint64_t seq, const char *person)
{
    size_t i;
    for (i = 0; i < inc->due.page_count; i++) {
        const inc_page *p = &inc->due.pages[i];
        if (p->request_seq == seq && p->person && strcmp(p->person, person) == 0)
            return 1;
    }
    return 0;
}

/* ---- the calls ------------------------------------------------------------ */

int inc_incident_request_page(inc_incident *inc, const char *actor, const char *target,
                              const char *text, uint64_t *seq)
{
    inc__event_draft d;
    inc__buf who;
    int rc;

    if ((rc = inc__begin(inc, actor, "request a page")) != INC_OK)
        return rc;
    if ((rc = inc__check_text(&inc->err, "target", target, TARGET_MAX, INC__TEXT_SINGLE_LINE)) ||
        (rc = inc__check_text(&inc->err, "text", text, INC_TEXT_MAX, INC__TEXT_OPTIONAL)))
        return rc;
    inc__draft_init(&d, INC_EV_PAGE_REQUESTED, actor);
    inc__draft_str(&d, INC__F_TARGET, target);
    if (text && text[0])
        inc__draft_str(&d, INC__F_TEXT, text);
    /* ONC-2: record whom the targets resolve to through the rotations now. */
    inc__buf_init(&who, inc->alloc);
    if (inc__oncall_resolve(inc->ctx, target, inc_context_now(inc->ctx), &who) != INC_OK) {
        inc__buf_dispose(&who);
        return inc__error_oom(&inc->err);
    }
    if (who.len)
        inc__draft_str(&d, INC__F_PERSON, who.ptr);
    if ((rc = inc__incident_write(inc, &d)) == INC_OK && seq)
        *seq = inc->event_count;
    inc__buf_dispose(&who);
    return rc;
}

int inc_incident_mark_page_sent(inc_incident *inc, const char *actor, uint64_t request_seq,
                                const char *person)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, actor, "record a page")) != INC_OK)
        return rc;
    if ((rc = inc__check_text(&inc->err, "person", person, INC_NAME_MAX, INC__TEXT_SINGLE_LINE)))
        return rc;
    if (!find_request(inc, request_seq))
        return inc_error_set(&inc->err, INC_ENOTFOUND,
                             "request_seq: event %llu of %s is not a page request",
                             (unsigned long long)request_seq, inc->id);
    if (has_page_to(inc, request_seq, person))
        return inc_error_set(&inc->err, INC_EEXIST,
                             "page %llu of %s: already recorded as sent to %s",
                             (unsigned long long)request_seq, inc->id, person);
    inc__draft_init(&d, INC_EV_PAGE_SENT, actor);
    inc__draft_int(&d, INC__F_REF_SEQ, (int64_t)request_seq);
    inc__draft_str(&d, INC__F_PERSON, person);
    return inc__incident_write(inc, &d);
}

int inc_incident_acknowledge(inc_incident *inc, const char *person, uint64_t page_seq)
{
    inc__event_draft d;
    int rc;

    if ((rc = inc__begin(inc, person, "acknowledge")) != INC_OK)
        return rc;
    if (page_seq && !find_request(inc, page_seq))
        return inc_error_set(&inc->err, INC_ENOTFOUND,
                             "page_seq: event %llu of %s is not a page request",
                             (unsigned long long)page_seq, inc->id);
    inc__draft_init(&d, INC_EV_ACKNOWLEDGED, person);
    inc__draft_str(&d, INC__F_PERSON, person);
    if (page_seq)
        inc__draft_int(&d, INC__F_REF_SEQ, (int64_t)page_seq);
    return inc__incident_write(inc, &d);
}

/* ---- accessors -------------------------------------------------------------- */

inc_time inc_incident_acknowledged_at(const inc_incident *inc)
{
    return inc ? inc->due.acked_at : INC_TIME_NONE;
}

const char *inc_incident_acknowledged_by(const inc_incident *inc)
{
    return inc ? inc->due.acked_by : NULL;
}

inc_time inc_incident_first_ack_at(const inc_incident *inc)
{
    return inc ? inc->due.first_ack_at : INC_TIME_NONE;
}

inc_time inc_incident_first_page_at(const inc_incident *inc)
{
    return inc ? inc->due.first_page_at : INC_TIME_NONE;
}

size_t inc_incident_page_count(const inc_incident *inc)
{
    return inc ? inc->due.page_count : 0;
}

const inc_page *inc_incident_page(const inc_incident *inc, size_t index)
{
    return inc && index < inc->due.page_count ? &inc->due.pages[index] : NULL;
}

/* ---- apply ------------------------------------------------------------------- */

static int reserve_page(inc_incident *inc)
{
    if (inc__array_reserve(inc->alloc, (void **)&inc->due.pages, &inc->due.page_cap,
                           inc->due.page_count + 1, sizeof(inc_page)) != INC_OK)
        return inc__error_oom(&inc->err);
    return INC_OK;
}

int inc__paging_prepare_requested(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    /* A ladder step is recorded under the level in force, at a position
     * that level has. */
    if (inc__event_has(ev, INC__F_STEP) &&
        (!inc__event_has(ev, INC__F_SEVERITY) || strcmp(ev->str[INC__F_SEVERITY], inc->severity) ||
         ev->num[INC__F_STEP] < 0 ||
         (size_t)ev->num[INC__F_STEP] >= inc__ladder_positions(inc->rubric, inc->severity_index)))
        return inc__event_corrupt(inc, ev, "an escalation step the incident's level does not have");
    return reserve_page(inc);
}

void inc__paging_commit_requested(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    inc__due_state *d = &inc->due;
    inc_page *p = &d->pages[d->page_count++];
    (void)prep;

    memset(p, 0, sizeof(*p));
    p->request_seq = ev->seq;
    p->requested_at = ev->time;
    p->target = ev->str[INC__F_TARGET];
    p->sent_at = INC_TIME_NONE;
    p->resolved = inc__event_has(ev, INC__F_PERSON) ? ev->str[INC__F_PERSON] : NULL; /* ONC-2 */
    if (d->first_page_at == INC_TIME_NONE)
        d->first_page_at = ev->time;
    if (inc__event_has(ev, INC__F_STEP)) {
        size_t pos = (size_t)ev->num[INC__F_STEP];
        inc_esc_condition cond;
        const char *target;
        int64_t thr;

        inc__ladder_position(inc->rubric, inc->severity_index, pos, &thr, &cond, &p->step, &p->loop,
                             &target);
        p->severity = ev->str[INC__F_SEVERITY];
        if (d->next_pos[cond] <= pos)
            d->next_pos[cond] = (unsigned)pos + 1; /* delivered: never again */
    }
}

int inc__paging_prepare_sent(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (!find_request(inc, (uint64_t)ev->num[INC__F_REF_SEQ]))
        return inc__event_corrupt(inc, ev, "ref_seq is not a page request");
    return reserve_page(inc);
}

void inc__paging_commit_sent(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    inc__due_state *d = &inc->due;
    uint64_t req = (uint64_t)ev->num[INC__F_REF_SEQ];
    inc_page *p = NULL;
    size_t i;
    (void)prep;

    for (i = 0; i < d->page_count && !p; i++)
        if (d->pages[i].request_seq == req && !d->pages[i].person)
            p = &d->pages[i];
    if (!p) { /* a second person for the same request */
        p = &d->pages[d->page_count++];
        *p = *find_request(inc, req);
    }
    p->person = ev->str[INC__F_PERSON];
    p->sent_at = ev->time;
    p->sent_seq = ev->seq;
}

int inc__paging_prepare_ack(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (inc__event_has(ev, INC__F_REF_SEQ) && !find_request(inc, (uint64_t)ev->num[INC__F_REF_SEQ]))
        return inc__event_corrupt(inc, ev, "ref_seq is not a page request");
    return INC_OK;
}

void inc__paging_commit_ack(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    inc__due_state *d = &inc->due;
    (void)prep;

    /* The unacknowledged clock stops here and resumes if the ack expires. */
    if (d->unack_since != INC_TIME_NONE) {
        d->unack_ms += ev->time - d->unack_since;
        d->unack_since = INC_TIME_NONE;
    }
    d->acked_at = ev->time;
    d->acked_by = ev->str[INC__F_PERSON];
    d->activity_at = ev->time;
    if (d->first_ack_at == INC_TIME_NONE)
        d->first_ack_at = ev->time;
    d->acked_in_run = 1;
}

/* ---- timeline lines ------------------------------------------------------------ */

static const char *const deadline_outcomes[] = {"running", "met", "missed", "cancelled"};

const char *inc_deadline_clock_status_name(inc_deadline_clock_status status)
{
    return (unsigned)status < 4 ? deadline_outcomes[status] : NULL;
}

/* ": text" after a timeline line, when the event has a main text. */
static void put_text(inc__buf *b, const inc__event *ev)
{
    if (inc__event_has(ev, INC__F_TEXT) && ev->str_len[INC__F_TEXT])
        inc__buf_printf(b, ": %s", ev->str[INC__F_TEXT]);
}

void inc__paging_describe_requested(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Page requested: %s", inc__event_str(ev, INC__F_TARGET));
    if (inc__event_has(ev, INC__F_STEP))
        inc__buf_printf(b, " (ESC-1, %s position %lld)", inc__event_str(ev, INC__F_SEVERITY),
                        (long long)ev->num[INC__F_STEP] + 1);
    if (inc__event_has(ev, INC__F_PERSON))
        inc__buf_printf(b, " -> %s", ev->str[INC__F_PERSON]); /* ONC-2 */
    put_text(b, ev);
}

void inc__paging_describe_sent(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Page #%lld sent to %s", (long long)ev->num[INC__F_REF_SEQ],
                    inc__event_str(ev, INC__F_PERSON));
}

void inc__paging_describe_ack(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Acknowledged by %s", inc__event_str(ev, INC__F_PERSON));
    if (inc__event_has(ev, INC__F_REF_SEQ))
        inc__buf_printf(b, " (page #%lld)", (long long)ev->num[INC__F_REF_SEQ]);
}

void inc__clock_describe_started(inc__buf *b, const inc__event *ev)
{
    char when[32];
    inc_time_format(ev->num[INC__F_DUE], when, sizeof(when));
    inc__buf_printf(b, "Deadline clock '%s' started, due %s (REG-1)",
                    inc__event_str(ev, INC__F_NAME), when);
    put_text(b, ev);
}

void inc__clock_describe_stopped(inc__buf *b, const inc__event *ev)
{
    inc__buf_printf(b, "Deadline clock '%s' stopped: %s (REG-1)", inc__event_str(ev, INC__F_NAME),
                    ev->num[INC__F_STATUS] == INC_DEADLINE_CLOCK_CANCELLED ? "cancelled" : "met");
    put_text(b, ev);
}

void inc__due_describe_delivered(inc__buf *b, const inc__event *ev)
{
    const char *kind = inc_due_kind_name((inc_due_kind)ev->num[INC__F_ITEM]);
    inc__buf_printf(b, "Due (%s, %s) delivered", inc__event_str(ev, INC__F_REASON),
                    kind ? kind : "?");
    put_text(b, ev);
}
