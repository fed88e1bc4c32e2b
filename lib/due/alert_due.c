/* The alert_received event (ALERT-1..ALERT-3) and the IC's item it raises.
 *
 * An alert_received event records one alert fingerprint reaching an
 * incident: the fingerprint (name), its status (0 firing, 1 resolved, 2
 * acknowledged), the group key (target), how many times it was received so
 * far (item) and a labels summary (text). The intake (lib/alerts/) writes
 * one per fingerprint, again only on a status change or once per grouping
 * window, so a storm of repeats stays a bounded number of events.
 *
 * When the last alert received resolved, the IC is asked to consider
 * resolution (#INC_DUE_ALERT_RESOLVED, to the IC): nothing resolves the
 * incident but the IC (AUTH-1, ALERT-3). A later firing alert withdraws the
 * item; delivering it retires it (due_engine.c). */
#include <string.h>

#include "incident_internal.h"

#define ALERT_STATUS_LAST 2 /* firing, resolved, acknowledged */

int inc__alert_prepare_received(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (ev->str_len[INC__F_NAME] == 0 || ev->num[INC__F_STATUS] < 0 ||
        ev->num[INC__F_STATUS] > ALERT_STATUS_LAST || ev->num[INC__F_ITEM] < 1 ||
        ev->str_len[INC__F_TARGET] == 0)
        return inc__event_corrupt(inc, ev,
                                  "an alert without a fingerprint, status, group or count");
    return INC_OK;
}

void inc__alert_commit_received(inc_incident *inc, const inc__event *ev, struct inc__prep *prep)
{
    (void)prep;
    if (ev->num[INC__F_STATUS] == 1)
        inc->due.alert_resolved_at = ev->time;
    else if (ev->num[INC__F_STATUS] == 0)
        inc->due.alert_resolved_at = INC_TIME_NONE;
}

void inc__alert_describe_received(inc__buf *b, const inc__event *ev)
{
    static const char *const status[] = {"firing", "resolved", "acknowledged"};
    long long n = (long long)ev->num[INC__F_ITEM];

    inc__buf_printf(b, "Alert %s %s (%lld time%s, group %s)", inc__event_str(ev, INC__F_NAME),
                    status[ev->num[INC__F_STATUS]], n, n == 1 ? "" : "s",
                    inc__event_str(ev, INC__F_TARGET));
    if (inc__event_has(ev, INC__F_TEXT))
        inc__buf_printf(b, ": %s", inc__event_str(ev, INC__F_TEXT));
}

void inc__due_src_alerts(const inc_incident *inc, inc__due_sink *sink)
{
    inc__due_draft d;

    if (inc->state >= INC_STATE_RESOLVED || inc->due.alert_resolved_at == INC_TIME_NONE ||
        inc->due.alert_resolved_done == inc->due.alert_resolved_at)
        return;
    memset(&d, 0, sizeof(d));
    d.kind = INC_DUE_ALERT_RESOLVED;
    d.due = inc->due.alert_resolved_at;
    d.target = inc_incident_ic(inc);
    inc__due_emit(sink, &d);
}
