/* Slack Block Kit messages (lib/docs/wire-formats.md): the incident header,
 * CAN reports, status updates and hand-offs, as a chat.postMessage or
 * incoming-webhook body. Within Block Kit's limits: a section's text at most
 * 3,000 characters (longer texts go on in further sections), a header's 150,
 * at most 50 blocks (the last says the rest is in the timeline); user text
 * escaped for mrkdwn (&, <, >). */
#include <string.h>

#include "comms_internal.h"
#include "incident_internal.h"
#include "util/json.h"
#include "util/text.h"
#include "util/time.h"

#define SLACK_SECTION_MAX  3000 /* characters of a section's text */
#define SLACK_HEADER_MAX   150  /* characters of a header's text */
#define SLACK_FIELD_MAX    2000 /* characters of a section field */
#define SLACK_FALLBACK_MAX 3000
#define SLACK_BLOCKS_MAX   50

typedef struct slack_msg {
    inc__buf *b;
    size_t blocks;
    int full; /* the truncation notice took the last block */
} slack_msg;

/* ---- text --------------------------------------------------------------- */

/* Dispose the scratch buffer @t, carrying a failed append over to @b (the
 * message then fails as a whole with INC_ENOMEM). */
static void release(inc__buf *b, inc__buf *t)
{
    if (t->failed)
        b->failed = INC_ENOMEM;
    inc__buf_dispose(t);
}

/* Append @s[0..n) to @t with &, < and > written as entities (Slack's
 * mrkdwn escaping: they are its control characters). */
static void put_escaped(inc__buf *t, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] == '&')
            inc__buf_puts(t, "&amp;");
        else if (s[i] == '<')
            inc__buf_puts(t, "&lt;");
        else if (s[i] == '>')
            inc__buf_puts(t, "&gt;");
        else
            inc__buf_putc(t, s[i]);
    }
}

static void put_escaped_str(inc__buf *t, const char *s)
{
    put_escaped(t, s ? s : "", s ? strlen(s) : 0);
}

/* Bytes of @s[0..n) that hold at most @max characters (counted as Slack
 * counts them, in UTF-16 units: a 4-byte sequence is two), never cutting
 * a UTF-8 sequence or an entity written by put_escaped(). */
static size_t fit(const char *s, size_t n, size_t max)
{
    size_t at = 0, units = 0, amp = (size_t)-1;
    while (at < n) {
        size_t k = inc__utf8_seq_len(s + at, n - at), u = k == 4 ? 2 : 1;
        if (k == 0)
            k = 1;
        if (units + u > max)
            break;
        if (s[at] == '&')
            amp = at;
        else if (s[at] == ';')
            amp = (size_t)-1;
        units += u;
        at += k;
    }
    if (at < n && amp != (size_t)-1)
        at = amp; /* inside "&amp;": cut before it */
    return at;
}

/* Where to end a chunk of at most @max characters: at the last line break
 * or space of its final tenth when there is one, so words stay whole. */
static size_t chunk_end(const char *s, size_t n, size_t max)
{
    size_t at = fit(s, n, max), i;
    if (at >= n)
        return n;
    for (i = at; i > at - at / 10 && i > 0; i--)
        if (s[i - 1] == '\n' || s[i - 1] == ' ')
            return i;
    return at;
}

/* ---- blocks ------------------------------------------------------------- */

static void open_block(slack_msg *m)
{
    if (m->blocks++)
        inc__buf_putc(m->b, ',');
}

/* The last block when the message would pass 50: a context naming where
 * the rest is. Returns 0 when no more blocks may be added. */
static int room(slack_msg *m)
{
    if (m->full)
        return 0;
    if (m->blocks < SLACK_BLOCKS_MAX - 1)
        return 1;
    open_block(m);
    inc__buf_puts(m->b, "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":"
                        "\"_Cut at Slack's 50 blocks: the full text is in the incident's "
                        "timeline._\"}]}");
    m->full = 1;
    return 0;
}

/* One or more section blocks holding the escaped mrkdwn text @t. */
static void put_sections(slack_msg *m, const inc__buf *t)
{
    size_t at = 0, n;
    while (at < t->len && room(m)) {
        n = chunk_end(t->ptr + at, t->len - at, SLACK_SECTION_MAX);
        open_block(m);
        inc__buf_puts(m->b, "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":");
        inc__json_put_strn(m->b, t->ptr + at, n);
        inc__buf_puts(m->b, "}}");
        at += n;
    }
}

/* A section "*Label*\n<text>" (nothing for an empty text). */
static void put_slot(slack_msg *m, const char *label, const char *text, size_t len)
{
    inc__buf t;
    if (!text || len == 0)
        return;
    inc__buf_init(&t, m->b->alloc);
    inc__buf_printf(&t, "*%s*\n", label);
    put_escaped(&t, text, len);
    put_sections(m, &t);
    release(m->b, &t);
}

static void put_event_slot(slack_msg *m, const char *label, const inc__event *ev, int tag)
{
    if (inc__event_has(ev, tag))
        put_slot(m, label, ev->str[tag], ev->str_len[tag]);
}

static void put_header(slack_msg *m, const char *text)
{
    inc__buf t;
    inc__buf_init(&t, m->b->alloc);
    put_escaped_str(&t, text);
    open_block(m);
    inc__buf_puts(m->b, "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":");
    inc__json_put_strn(m->b, t.ptr ? t.ptr : "", fit(t.ptr ? t.ptr : "", t.len, SLACK_HEADER_MAX));
    inc__buf_puts(m->b, "}}");
    release(m->b, &t);
}

/* A context block: "Incident <id> · event <seq> · <time>". */
static void put_context(slack_msg *m, const inc_incident *inc, uint64_t seq, inc_time when)
{
    char at[32];
    inc__buf t;
    if (!room(m))
        return;
    inc_time_format(when, at, sizeof(at));
    inc__buf_init(&t, m->b->alloc);
    inc__buf_puts(&t, "Incident ");
    put_escaped_str(&t, inc->id);
    if (seq)
        inc__buf_printf(&t, " \xc2\xb7 event %llu", (unsigned long long)seq);
    inc__buf_printf(&t, " \xc2\xb7 %s", at);
    open_block(m);
    inc__buf_puts(m->b, "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":");
    inc__json_put_strn(m->b, t.ptr, t.len);
    inc__buf_puts(m->b, "}]}");
    release(m->b, &t);
}

/* ---- the messages ------------------------------------------------------- */

/* "*Label*\nvalue" for a field of the header's section. */
static void put_field(inc__buf *b, const char *label, const char *value, int first)
{
    inc__buf t;
    inc__buf_init(&t, b->alloc);
    inc__buf_printf(&t, "*%s*\n", label);
    if (value && value[0])
        put_escaped_str(&t, value);
    else
        inc__buf_puts(&t, "_none_");
    if (!first)
        inc__buf_putc(b, ',');
    inc__buf_puts(b, "{\"type\":\"mrkdwn\",\"text\":");
    inc__json_put_strn(b, t.ptr ? t.ptr : "", fit(t.ptr ? t.ptr : "", t.len, SLACK_FIELD_MAX));
    inc__buf_putc(b, '}');
    release(b, &t);
}

static void header_message(slack_msg *m, const inc_incident *inc, inc__buf *fallback)
{
    inc__buf_printf(fallback, "[%s] %s (%s)", inc->severity, inc->title,
                    inc_state_name(inc_incident_state(inc)));
    put_header(m, inc->title);
    open_block(m);
    inc__buf_puts(m->b, "{\"type\":\"section\",\"fields\":[");
    put_field(m->b, "Level", inc->severity, 1);
    put_field(m->b, "State", inc_state_name(inc_incident_state(inc)), 0);
    put_field(m->b, "Incident Commander", inc_incident_ic(inc), 0);
    put_field(m->b, "Channel", inc_incident_channel(inc), 0);
    inc__buf_puts(m->b, "]}");
    put_context(m, inc, 0, inc_incident_declared_at(inc));
}

static void can_message(slack_msg *m, const inc__event *ev, inc__buf *fallback)
{
    inc__buf t;
    inc__buf_init(&t, m->b->alloc);
    inc__buf_puts(&t, "*CAN report* from ");
    put_escaped_str(&t, inc__event_str(ev, INC__F_ACTOR));
    inc__buf_puts(&t, " to ");
    put_escaped_str(&t, inc__event_str(ev, INC__F_ADDRESSEE));
    put_sections(m, &t);
    release(m->b, &t);
    inc__buf_printf(fallback, "CAN report from %s", inc__event_str(ev, INC__F_ACTOR));
    put_event_slot(m, "Conditions", ev, INC__F_CONDITIONS);
    put_event_slot(m, "Actions", ev, INC__F_ACTIONS);
    put_event_slot(m, "Needs", ev, INC__F_NEEDS);
}

static void update_message(slack_msg *m, const inc__event *ev, inc__buf *fallback)
{
    static const char *const audiences[] = {"external", "internal", "response"};
    int64_t a = ev->num[INC__F_AUDIENCE];
    const char *audience = a >= 0 && a < 3 ? audiences[a] : "?";
    inc__buf t;

    inc__buf_init(&t, m->b->alloc);
    inc__buf_printf(&t, "*Status update* (%s) by ", audience);
    put_escaped_str(&t, inc__event_str(ev, INC__F_ACTOR));
    if (inc__event_has(ev, INC__F_COMPONENTS)) {
        inc__buf_puts(&t, "\nAffected: ");
        put_escaped(&t, ev->str[INC__F_COMPONENTS], ev->str_len[INC__F_COMPONENTS]);
    }
    inc__buf_putc(&t, '\n');
    put_escaped(&t, ev->str[INC__F_TEXT], ev->str_len[INC__F_TEXT]);
    put_sections(m, &t);
    release(m->b, &t);
    inc__buf_printf(fallback, "Status update (%s): %s", audience, ev->str[INC__F_TEXT]);
}

static void handoff_message(slack_msg *m, const inc__event *ev, inc__buf *fallback)
{
    inc__buf t;
    inc__buf_init(&t, m->b->alloc);
    if (ev->kind == INC_EV_HANDOFF_STARTED) {
        inc__buf_puts(&t, "*Hand-off of command* from ");
        put_escaped_str(&t, inc__event_str(ev, INC__F_ACTOR));
        inc__buf_puts(&t, " to ");
        put_escaped_str(&t, inc__event_str(ev, INC__F_PERSON));
        inc__buf_printf(fallback, "Hand-off of command to %s", inc__event_str(ev, INC__F_PERSON));
    } else {
        inc__buf_puts(&t, "*Hand-off confirmed*: ");
        put_escaped_str(&t, inc__event_str(ev, INC__F_ACTOR));
        inc__buf_puts(&t, " is the Incident Commander");
        inc__buf_printf(fallback, "Hand-off confirmed: %s is IC", inc__event_str(ev, INC__F_ACTOR));
    }
    put_sections(m, &t);
    release(m->b, &t);
    put_event_slot(m, "Conditions", ev, INC__F_CONDITIONS);
    put_event_slot(m, "Actions", ev, INC__F_ACTIONS);
    put_event_slot(m, "Needs", ev, INC__F_NEEDS);
    put_event_slot(m, "Open decisions", ev, INC__F_REQUESTS);
}

/* The body of event @ev's message, or INC_EINVAL for a kind without one. */
static int event_message(slack_msg *m, const inc__event *ev, inc__buf *fallback)
{
    switch (ev->kind) {
    case INC_EV_CAN_REPORT:
        can_message(m, ev, fallback);
        return INC_OK;
    case INC_EV_STATUS_UPDATE:
        update_message(m, ev, fallback);
        return INC_OK;
    case INC_EV_HANDOFF_STARTED:
    case INC_EV_HANDOFF_CONFIRMED:
        handoff_message(m, ev, fallback);
        return INC_OK;
    default:
        return INC_EINVAL;
    }
}

/* {"text": <fallback>, "blocks": [...]} */
static int finish(inc__buf *out, const inc__buf *fallback, const inc__buf *blocks, char **doc,
                  size_t *len)
{
    inc__buf t;
    inc__buf_init(&t, out->alloc);
    put_escaped(&t, fallback->ptr ? fallback->ptr : "", fallback->len);
    inc__buf_puts(out, "{\"text\":");
    inc__json_put_strn(out, t.ptr ? t.ptr : "", fit(t.ptr ? t.ptr : "", t.len, SLACK_FALLBACK_MAX));
    inc__buf_puts(out, ",\"blocks\":[");
    inc__buf_put(out, blocks->ptr ? blocks->ptr : "", blocks->len);
    inc__buf_puts(out, "]}");
    release(out, &t);
    if (fallback->failed || blocks->failed)
        out->failed = INC_ENOMEM;
    return inc__buf_detach(out, doc, len);
}

int inc_incident_slack_json(const inc_incident *inc, uint64_t seq, char **out, size_t *len)
{
    inc__buf blocks, fallback, doc;
    slack_msg m;
    inc__event ev;
    int rc = INC_OK;

    if (!inc || !out)
        return INC_EINVAL;
    *out = NULL;
    if (seq > inc->event_count)
        return INC_ENOTFOUND;
    if (seq && inc__incident_event_at(inc, (size_t)(seq - 1), &ev) != INC_OK)
        return INC_ECORRUPT; /* cannot happen: it was decoded when applied */
    inc__buf_init(&blocks, inc->alloc);
    inc__buf_init(&fallback, inc->alloc);
    inc__buf_init(&doc, inc->alloc);
    m.b = &blocks;
    m.blocks = 0;
    m.full = 0;
    if (seq == 0 || ev.kind == INC_EV_DECLARED)
        header_message(&m, inc, &fallback);
    else if ((rc = event_message(&m, &ev, &fallback)) == INC_OK)
        put_context(&m, inc, seq, ev.time);
    if (rc == INC_OK)
        rc = finish(&doc, &fallback, &blocks, out, len);
    inc__buf_dispose(&blocks);
    inc__buf_dispose(&fallback);
    inc__buf_dispose(&doc);
    return rc;
}
