/* The calendar feed (ONC-7): a rotation's shifts, or one person's across
 * rotations, as an iCalendar (RFC 5545) document: one VEVENT per stretch
 * of inc_rotation_shifts(), times in UTC, a stable UID, CRLF line endings,
 * lines folded at 75 octets (never inside a UTF-8 sequence) and TEXT
 * values escaped. */
#include <stdio.h>
#include <string.h>

#include "oncall_internal.h"
#include "util/text.h"
#include "util/time.h"

#define LINE_OCTETS 75 /* RFC 5545 3.1: lines SHOULD NOT be longer, CRLF excluded */

typedef struct ical {
    inc__buf out;  /* the document */
    inc__buf line; /* the content line being built, unfolded */
    inc_time stamp;
} ical;

/* Where to cut @s (@n octets) at most @max octets in, not inside a UTF-8
 * sequence. */
static size_t cut_at(const char *s, size_t n, size_t max)
{
    size_t k = n < max ? n : max;
    while (k > 0 && k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--; /* back to the first byte of the sequence */
    return k ? k : (n < max ? n : max);
}

/* Write the line built in ic->line folded (RFC 5545 3.1), ending in CRLF. */
static void flush_line(ical *ic)
{
    const char *s = ic->line.ptr;
    size_t n = ic->line.len, room = LINE_OCTETS;
    while (n > 0) {
        size_t k = cut_at(s, n, room);
        inc__buf_put(&ic->out, s, k);
        s += k;
        n -= k;
        if (n > 0)
            inc__buf_puts(&ic->out, "\r\n "); /* a continuation starts with a space */
        room = LINE_OCTETS - 1;
    }
    inc__buf_puts(&ic->out, "\r\n");
    if (ic->line.failed) /* the line was cut short: the document fails */
        ic->out.failed = INC_ENOMEM;
    inc__buf_clear(&ic->line);
}

static void prop(ical *ic, const char *name, const char *value)
{
    inc__buf_printf(&ic->line, "%s:%s", name, value);
    flush_line(ic);
}

/* A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline
 * escaped; other control characters (never in names the library accepts)
 * dropped. */
static void put_text(inc__buf *b, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',') {
            inc__buf_putc(b, '\\');
            inc__buf_putc(b, (char)c);
        } else if (c == '\n') {
            inc__buf_puts(b, "\\n");
        } else if (c >= 0x20 && c != 0x7F) {
            inc__buf_putc(b, (char)c);
        }
    }
}

/* A UTC DATE-TIME, "20260302T090000Z" (seconds: shifts start on minutes). */
static void time_prop(ical *ic, const char *name, inc_time t)
{
    inc__tm tm;
    inc__time_split(t, &tm);
    inc__buf_printf(&ic->line, "%s:%04lld%02u%02uT%02u%02u%02uZ", name, (long long)tm.year,
                    tm.month, tm.day, tm.hour, tm.minute, tm.second);
    flush_line(ic);
}

static const char *layer_word(inc_layer l)
{
    return l == INC_LAYER_PRIMARY ? "primary" : "secondary";
}

static void event(ical *ic, const inc_rotation *rot, const inc_shift *s)
{
    inc_rotation_override ov;
    int is_override = s->override_index != INC_SHIFT_NO_OVERRIDE &&
                      inc_rotation_get_override(rot, s->override_index, &ov) == INC_OK;

    prop(ic, "BEGIN", "VEVENT");
    /* Stable: the same stretch of the same rotation always has the same UID. */
    inc__buf_printf(&ic->line, "UID:%s.%s.%lld.%lld", rot->name, layer_word(s->layer),
                    (long long)s->number, (long long)s->start);
    if (is_override)
        inc__buf_printf(&ic->line, ".override%zu", s->override_index);
    inc__buf_puts(&ic->line, "@oncall.libincident");
    flush_line(ic);
    time_prop(ic, "DTSTAMP", ic->stamp);
    time_prop(ic, "DTSTART", s->start);
    time_prop(ic, "DTEND", s->end);
    inc__buf_puts(&ic->line, "SUMMARY:On call: ");
    put_text(&ic->line, s->person);
    inc__buf_printf(&ic->line, " (%s %s%s)", rot->name, layer_word(s->layer),
                    is_override ? "\\, override" : ""); /* TEXT: the comma escaped */
    flush_line(ic);
    inc__buf_puts(&ic->line, "DESCRIPTION:");
    if (is_override) {
        put_text(&ic->line, "Override arranged by ");
        put_text(&ic->line, ov.by[0] ? ov.by : "-");
        if (ov.reason[0]) {
            put_text(&ic->line, ": ");
            put_text(&ic->line, ov.reason);
        }
    } else {
        inc__buf_printf(&ic->line, "Shift %lld of rotation ", (long long)s->number);
        put_text(&ic->line, rot->name);
    }
    flush_line(ic);
    prop(ic, "CATEGORIES", "on-call");
    prop(ic, "TRANSP", "OPAQUE");
    prop(ic, "END", "VEVENT");
}

/* The stretches of one layer of @rot over [@from, @to), of @person only
 * when it is not NULL, as events. */
static int layer_events(ical *ic, const inc_rotation *rot, inc_layer layer, const char *person,
                        inc_time from, inc_time to)
{
    inc_shift *sh = NULL;
    size_t n = 0, i;
    int rc = inc_rotation_shifts(rot, layer, from, to, &sh, &n);
    if (rc != INC_OK)
        return rc;
    for (i = 0; i < n; i++)
        if (!person || strcmp(sh[i].person, person) == 0)
            event(ic, rot, &sh[i]);
    inc_free(sh);
    return INC_OK;
}

static int check_args(const inc_rotation *const *rots, size_t count, const char *person,
                      inc_time from, inc_time to, char **out)
{
    size_t i;
    if (!rots || !count || !out)
        return INC_EINVAL;
    for (i = 0; i < count; i++)
        if (!rots[i])
            return INC_EINVAL;
    if (person && !inc__utf8_valid(person, strlen(person)))
        return inc_error_set(inc__rotation_err(rots[0]), INC_EINVAL, "person: not valid UTF-8");
    if (to <= from || from < INC__TIME_MIN || to > INC__TIME_MAX)
        return inc_error_set(inc__rotation_err(rots[0]), INC_EINVAL,
                             "calendar: the range must end after it starts");
    return INC_OK;
}

int inc_rotation_write_ical(const inc_rotation *const *rots, size_t count, const char *person,
                            inc_time from, inc_time to, char **out, size_t *len)
{
    ical ic;
    size_t r;
    int rc = check_args(rots, count, person, from, to, out);
    if (rc != INC_OK)
        return rc;
    *out = NULL;
    inc__buf_init(&ic.out, &rots[0]->alloc);
    inc__buf_init(&ic.line, &rots[0]->alloc);
    ic.stamp = inc_context_now(rots[0]->ctx);
    prop(&ic, "BEGIN", "VCALENDAR");
    prop(&ic, "VERSION", "2.0");
    prop(&ic, "PRODID", "-//libincident//on-call calendar (ONC-7)//EN");
    prop(&ic, "CALSCALE", "GREGORIAN");
    prop(&ic, "METHOD", "PUBLISH");
    inc__buf_puts(&ic.line, "X-WR-CALNAME:On call: ");
    put_text(&ic.line, person ? person : rots[0]->name);
    flush_line(&ic);
    for (r = 0; rc == INC_OK && r < count; r++) {
        rc = layer_events(&ic, rots[r], INC_LAYER_PRIMARY, person, from, to);
        if (rc == INC_OK && rots[r]->secondary)
            rc = layer_events(&ic, rots[r], INC_LAYER_SECONDARY, person, from, to);
        if (rc != INC_OK && r > 0) /* the message is read from the first rotation */
            inc__error_copy(inc__rotation_err(rots[0]), inc__rotation_err(rots[r]));
    }
    prop(&ic, "END", "VCALENDAR");
    inc__buf_dispose(&ic.line);
    if (rc == INC_OK && ic.out.failed)
        rc = inc_error_set(inc__rotation_err(rots[0]), INC_ENOMEM, "out of memory");
    if (rc != INC_OK) {
        inc__buf_dispose(&ic.out);
        return rc;
    }
    return inc__buf_detach(&ic.out, out, len);
}
