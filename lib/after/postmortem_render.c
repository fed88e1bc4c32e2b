/* Rendering the postmortem (PM-1) as CommonMark with pipe tables, or as
 * plain text, from the timeline of record. Everything that comes from the
 * timeline or the team is escaped so it renders as written and cannot
 * change the document's structure (lib/docs/postmortem.md). */
#include <stdio.h>
#include <string.h>

#include "incident_internal.h"
#include "util/escape.h"
#include "util/time.h"

typedef struct doc {
    inc__buf *b;
    int md;
    const inc_allocator *alloc;
    /* The table being built: cells NUL-separated in @cells. */
    inc__buf cells;
    size_t ncols, nrows;
    int failed;
} doc;

/* ---- Markdown escaping --------------------------------------------------------- */

/* Characters that may start inline structure (emphasis, code, links, HTML,
 * entities, tables, strikethrough, headings, quotes). */
static int md_special(char c)
{
    return c && strchr("\\`*_[]<>&|~#!", c) != NULL;
}

/* Inline text: special characters backslash-escaped, line breaks and tabs
 * as spaces. */
static void md_inline(inc__buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if ((unsigned char)c >= 0x80 || (unsigned char)c < 0x20 || c == 0x7F) {
            i += inc__buf_put_escaped_one(b, s + i, n - i, NULL); /* ESC, bidi: shown */
            continue;
        }
        if (md_special(c))
            inc__buf_putc(b, '\\');
        inc__buf_putc(b, c);
        i++;
    }
}

/* A paragraph line: inline escaping, plus what is special only at the
 * start of a line (list markers, setext underlines, ordered-list numbers). */
static void md_line(inc__buf *b, const char *s, size_t n)
{
    size_t digits = 0;
    if (n && strchr("-+=", s[0]))
        inc__buf_putc(b, '\\');
    while (digits < n && s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if (digits && digits < n && (s[digits] == '.' || s[digits] == ')')) {
        md_inline(b, s, digits);
        inc__buf_putc(b, '\\');
        s += digits;
        n -= digits;
    }
    md_inline(b, s, n);
}

/* ---- the document -------------------------------------------------------------- */

static void heading(doc *d, int level, const char *text)
{
    if (d->md) {
        inc__buf_puts(d->b, level == 1 ? "# " : "\n## ");
        md_inline(d->b, text, strlen(text));
        inc__buf_putc(d->b, '\n');
        return;
    }
    if (level == 1) {
        inc__buf_printf(d->b, "%s\n", text);
        return;
    }
    inc__buf_printf(d->b, "\n%s\n", text);
    for (level = 0; text[level]; level++)
        inc__buf_putc(d->b, '-');
    inc__buf_putc(d->b, '\n');
}

/* A "key: value" line; in Markdown a list item with the key in bold. */
static void field(doc *d, const char *key, const char *value)
{
    if (d->md) {
        inc__buf_printf(d->b, "- **%s:** ", key);
        md_inline(d->b, value, strlen(value));
        inc__buf_putc(d->b, '\n');
    } else {
        inc__buf_printf(d->b, "%s: ", key);
        inc__buf_puts_escaped(d->b, value, NULL);
        inc__buf_putc(d->b, '\n');
    }
}

static void blank(doc *d)
{
    inc__buf_putc(d->b, '\n');
}

static const char *skip_ws(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    return s;
}

/* Length of a list marker at @s ("- ", "* ", "+ ", "• ", "12. ", "3) "),
 * with *ordered set for a number; 0 if none. */
static size_t list_marker(const char *s, const char *e, int *ordered)
{
    const char *p = s;
    *ordered = 0;
    if (e - s >= 2 && strchr("-*+", s[0]) && s[1] == ' ')
        return 2;
    if (e - s >= 4 && memcmp(s, "\xE2\x80\xA2 ", 4) == 0)
        return 4;
    while (p < e && *p >= '0' && *p <= '9' && p - s < 9)
        p++;
    if (p > s && p + 1 < e && (*p == '.' || *p == ')') && p[1] == ' ') {
        *ordered = 1;
        return (size_t)(p - s) + 2;
    }
    return 0;
}

/* A narrative section in Markdown: paragraphs (lines joined with hard
 * breaks), list items kept as list items, every text escaped. */
static void md_narrative(doc *d, const char *text)
{
    const char *p = text, *end = text + strlen(text);
    int prev = 0; /* 0 nothing yet / blank, 1 paragraph line, 2 list item */

    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p)), *s;
        size_t mark;
        int ordered, kind;
        if (!e)
            e = end;
        s = skip_ws(p, e);
        while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            e--;
        mark = list_marker(s, e, &ordered);
        kind = s == e ? 0 : mark ? 2 : 1;
        if (prev == 1 && kind != 1)
            inc__buf_putc(d->b, '\n'); /* end the paragraph's last line */
        if ((prev == 1 && kind == 2) || (prev == 2 && kind == 1))
            inc__buf_putc(d->b, '\n'); /* a blank line between a list and a paragraph */
        if (kind == 1) {
            if (prev == 1)
                inc__buf_puts(d->b, "\\\n"); /* a hard line break inside the paragraph */
            md_line(d->b, s, (size_t)(e - s));
        } else if (kind == 2) {
            if (ordered)
                inc__buf_put(d->b, s, mark);
            else
                inc__buf_puts(d->b, "- ");
            md_line(d->b, s + mark, (size_t)(e - s - mark)); /* item content is block-parsed */
            inc__buf_putc(d->b, '\n');
        } else if (prev) {
            inc__buf_putc(d->b, '\n');
        }
        prev = kind;
        p = e < end ? (const char *)memchr(e, '\n', (size_t)(end - e)) : end;
        p = p ? p + 1 : end;
    }
    if (prev == 1)
        inc__buf_putc(d->b, '\n');
}

static void narrative(doc *d, const char *text)
{
    if (!text) {
        inc__buf_puts(d->b, d->md ? "> **MISSING:** not yet supplied by the team (PM-1).\n"
                                  : "[MISSING: not yet supplied by the team (PM-1)]\n");
        return;
    }
    if (d->md) {
        md_narrative(d, text);
        return;
    }
    inc__buf_puts_escaped(d->b, text, ""); /* lines kept, controls shown */
    if (text[0] && text[strlen(text) - 1] != '\n')
        inc__buf_putc(d->b, '\n');
}

/* ---- tables ------------------------------------------------------------------------- */

static void table_begin(doc *d, size_t ncols)
{
    inc__buf_clear(&d->cells);
    d->ncols = ncols;
    d->nrows = 0;
}

/* Add a row of @ncols cells (the first row is the header). */
static void table_row(doc *d, const char *const *cells)
{
    size_t i;
    for (i = 0; i < d->ncols; i++)
        inc__buf_put(&d->cells, cells[i] ? cells[i] : "", strlen(cells[i] ? cells[i] : "") + 1);
    d->nrows++;
}

/* Display width, roughly: code points. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void text_cell(inc__buf *b, const char *s, size_t pad, int last)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            inc__buf_putc(b, ' ');
            i++;
        } else {
            i += inc__buf_put_escaped_one(b, s + i, n - i, NULL);
        }
    }
    if (!last)
        while (pad--)
            inc__buf_putc(b, ' ');
}

static void table_end(doc *d)
{
    size_t widths[8] = {0}, r, c;
    const char *p;

    if (d->cells.failed) {
        d->failed = INC_ENOMEM;
        return;
    }
    for (r = 0, p = d->cells.ptr; r < d->nrows; r++)
        for (c = 0; c < d->ncols; c++, p += strlen(p) + 1)
            if (width(p) > widths[c])
                widths[c] = width(p);
    for (r = 0, p = d->cells.ptr; r < d->nrows; r++) {
        if (d->md)
            inc__buf_putc(d->b, '|');
        for (c = 0; c < d->ncols; c++, p += strlen(p) + 1) {
            if (d->md) {
                inc__buf_putc(d->b, ' ');
                md_inline(d->b, p, strlen(p));
                inc__buf_puts(d->b, " |");
            } else {
                text_cell(d->b, p, widths[c] - width(p) + 2, c + 1 == d->ncols);
            }
        }
        inc__buf_putc(d->b, '\n');
        if (r == 0 && d->md) { /* the delimiter row: as many columns as the header */
            inc__buf_putc(d->b, '|');
            for (c = 0; c < d->ncols; c++)
                inc__buf_puts(d->b, "---|");
            inc__buf_putc(d->b, '\n');
        }
    }
}

/* ---- formatting values ------------------------------------------------------------ */

/* "2026-11-23T14:12:00Z" (milliseconds only when not zero). */
static void fmt_time(char out[32], inc_time t)
{
    size_t n;
    if (t == INC_TIME_NONE || inc_time_format(t, out, 32) != INC_OK) {
        strcpy(out, "-");
        return;
    }
    n = strlen(out);
    if (n >= 5 && strcmp(out + n - 5, ".000Z") == 0)
        strcpy(out + n - 5, "Z");
}

static void fmt_offset(char out[32], const inc_incident *inc, inc_time t)
{
    if (t == INC_TIME_NONE || inc_offset_format(t - inc->declared_at, out, 32) != INC_OK)
        strcpy(out, "-");
}

/* ---- the sections ------------------------------------------------------------------------ */

/* LIFE-5: one line per link, "Duplicate of: ID (why)". */
static void links(doc *d, const inc_incident *inc)
{
    static const char *const labels[] = {"", "Duplicate of", "Related to", "Recurrence of"};
    char line[INC_ID_MAX + 512];
    size_t i;
    for (i = 0; i < inc_incident_link_count(inc); i++) {
        const inc_link *l = inc_incident_link(inc, i);
        snprintf(line, sizeof(line), "%s%s%.400s%s", l->incident_id, l->text ? " (" : "",
                 l->text ? l->text : "", l->text ? ")" : "");
        field(d, labels[l->kind], line);
    }
}

static void header(doc *d, const inc_incident *inc)
{
    inc_postmortem_info pi;
    char a[32], b[32], line[512], dur[48];
    size_t n = inc_incident_assignment_count(inc), i;
    inc__buf ics;

    inc_incident_get_postmortem(inc, &pi);
    snprintf(line, sizeof(line), "Postmortem: %s%s", inc->title, inc->drill ? " [DRILL]" : "");
    heading(d, 1, line);
    blank(d);
    if (inc->drill) {
        inc__buf_puts(d->b, d->md ? "> **DRILL:** a Game Day exercise (DEC-4); it ran the whole "
                                    "response and is excluded from metrics.\n\n"
                                  : "DRILL: a Game Day exercise (DEC-4); it ran the whole "
                                    "response and is excluded from metrics.\n\n");
    }
    field(d, "Status", inc_pm_status_name(pi.status));
    field(d, "Incident", inc->id);
    snprintf(line, sizeof(line), "#%s", inc->channel);
    field(d, "Channel", line);
    field(d, "Severity", inc->severity);
    fmt_time(a, inc->declared_at);
    field(d, "Declared", a);
    fmt_time(b, inc->resolved_at);
    if (inc->resolved_at != INC_TIME_NONE) {
        inc__duration_format(inc->resolved_at - inc->declared_at, dur);
        snprintf(line, sizeof(line), "%s to %s (%s)", a, b, dur);
    } else {
        snprintf(line, sizeof(line), "%s to - (not resolved)", a);
    }
    field(d, "Duration", line);
    inc__buf_init(&ics, d->alloc);
    for (i = 0; i < n; i++) {
        const inc_assignment *as = inc_incident_assignment(inc, i);
        if (as->role == INC_ROLE_IC)
            inc__buf_printf(&ics, "%s%s", ics.len ? ", " : "", as->person);
    }
    field(d, "Incident Commander", ics.failed ? "?" : ics.ptr ? ics.ptr : "");
    if (ics.failed)
        d->failed = INC_ENOMEM;
    inc__buf_dispose(&ics);
    field(d, "Root-cause tag", pi.root_cause_tag ? pi.root_cause_tag : "(not set)");
    if (pi.due != INC_TIME_NONE) {
        fmt_time(a, pi.due);
        snprintf(line, sizeof(line), "%s (PM-2)%s", a,
                 pi.overdue                  ? ", OVERDUE"
                 : pi.status == INC_PM_FINAL ? ", done"
                                             : "");
    } else {
        snprintf(line, sizeof(line), "%s",
                 pi.required ? "after resolution (PM-2)" : "not required at this level (PM-2)");
    }
    field(d, "Postmortem due", line);
    links(d, inc);
}

static void severity_table(doc *d, const inc_incident *inc)
{
    static const char *const head[] = {"Time (UTC)", "T+", "Severity", "By", "Justification"};
    size_t i;
    inc__event ev;

    heading(d, 2, "Severity and its changes");
    blank(d);
    table_begin(d, 5);
    table_row(d, head);
    for (i = 0; i < inc->event_count; i++) {
        char t[32], off[32];
        const char *row[5];
        if (inc__incident_event_at(inc, i, &ev) != INC_OK ||
            (ev.kind != INC_EV_DECLARED && ev.kind != INC_EV_SEVERITY_CHANGED))
            continue;
        fmt_time(t, ev.time);
        fmt_offset(off, inc, ev.time);
        row[0] = t;
        row[1] = off;
        row[2] = ev.str[INC__F_SEVERITY];
        row[3] = ev.str[INC__F_ACTOR];
        row[4] = ev.kind == INC_EV_DECLARED ? "declared" : inc__event_str(&ev, INC__F_TEXT);
        table_row(d, row);
    }
    table_end(d);
}

static void milestone(doc *d, const inc_incident *inc, const char *name, inc_time t)
{
    char a[32], off[32];
    const char *row[3];
    fmt_time(a, t);
    fmt_offset(off, inc, t);
    row[0] = name;
    row[1] = a;
    row[2] = off;
    table_row(d, row);
}

static void duration_table(doc *d, const inc_incident *inc)
{
    static const char *const head[] = {"Milestone", "Time (UTC)", "T+"};
    char dur[48], line[160];

    heading(d, 2, "Duration");
    blank(d);
    table_begin(d, 3);
    table_row(d, head);
    milestone(d, inc, "Impact started", inc->impact_started);
    milestone(d, inc, "Detected", inc->detected);
    milestone(d, inc, "Declared", inc->declared_at);
    milestone(d, inc, "Mitigated", inc->mitigated_at);
    milestone(d, inc, "Resolved", inc->resolved_at);
    milestone(d, inc, "Closed", inc->pm.final_at);
    table_end(d);
    if (inc->impact_started != INC_TIME_NONE && inc->mitigated_at != INC_TIME_NONE) {
        blank(d);
        inc__duration_format(inc->mitigated_at - inc->impact_started, dur);
        snprintf(line, sizeof(line), "Customer-facing impact, start to mitigation: %s.", dur);
        inc__buf_puts(d->b, line);
        blank(d);
    }
}

static void roles_table(doc *d, const inc_incident *inc)
{
    static const char *const head[] = {"Role", "Person", "From (UTC)", "Until (UTC)"};
    size_t n = inc_incident_assignment_count(inc), i;

    heading(d, 2, "Roles");
    blank(d);
    table_begin(d, 4);
    table_row(d, head);
    for (i = 0; i < n; i++) {
        const inc_assignment *as = inc_incident_assignment(inc, i);
        char role[INC_NAME_MAX + 64], from[32], to[32];
        const char *row[4];
        snprintf(role, sizeof(role), "%s%s%s%s", inc_role_title(as->role), as->domain ? " (" : "",
                 as->domain ? as->domain : "", as->domain ? ")" : "");
        fmt_time(from, as->assigned_at);
        fmt_time(to, as->released_at);
        row[0] = role;
        row[1] = as->person;
        row[2] = from;
        row[3] = as->released_at == INC_TIME_NONE ? "-" : to;
        table_row(d, row);
    }
    table_end(d);
}

/* The timeline is the evidence: every event but the postmortem's own. */
static int in_timeline(int kind)
{
    return kind != INC_EV_POSTMORTEM_SECTION && kind != INC_EV_POSTMORTEM_STATUS &&
           kind != INC_EV_POSTMORTEM_TAG && kind != INC_EV_ACTION_ADDED &&
           kind != INC_EV_ACTION_CHANGED;
}

static void timeline_table(doc *d, const inc_incident *inc)
{
    static const char *const head[] = {"Time (UTC)", "T+", "Who", "Event"};
    size_t i;

    heading(d, 2, "Timeline (all times UTC)");
    blank(d);
    table_begin(d, 4);
    table_row(d, head);
    for (i = 0; i < inc->event_count && !d->failed; i++) {
        char t[32], off[32], *text = NULL;
        const char *row[4];
        inc__event ev;
        if (inc__incident_event_at(inc, i, &ev) != INC_OK || !in_timeline(ev.kind))
            continue;
        if (inc__incident_event_line_raw(inc, i, &text) != INC_OK) { /* escaped below */
            d->failed = INC_ENOMEM;
            break;
        }
        fmt_time(t, ev.time);
        fmt_offset(off, inc, ev.time);
        row[0] = t;
        row[1] = off;
        row[2] = ev.str[INC__F_ACTOR];
        row[3] = text;
        table_row(d, row);
        inc_free(text);
    }
    table_end(d);
}

static void detection(doc *d, const inc_incident *inc)
{
    char dur[48], a[32], b[32], line[200];
    heading(d, 2, "Detection");
    blank(d);
    if (inc->impact_started != INC_TIME_NONE) {
        inc_time det = inc->detected != INC_TIME_NONE ? inc->detected : inc->declared_at;
        inc__duration_format(det - inc->impact_started, dur);
        fmt_time(a, inc->impact_started);
        fmt_time(b, det);
        snprintf(line, sizeof(line), "%s (impact started %s, detected %s%s)", dur, a, b,
                 inc->detected != INC_TIME_NONE ? "" : " at declaration");
    } else {
        snprintf(line, sizeof(line), "unknown: the impact start was not recorded");
    }
    field(d, "Time to detect", line);
    blank(d);
    narrative(d, inc->pm.section[INC_PM_DETECTION]);
}

static void actions_table(doc *d, const inc_incident *inc)
{
    static const char *const head[] = {"ID", "Action", "Owner", "Priority", "Due date", "Status"};
    inc_time now = inc_context_now(inc->ctx);
    size_t i;

    heading(d, 2, "Action items");
    blank(d);
    if (!inc->pm.item_count) {
        inc__buf_puts(d->b,
                      d->md ? "_No action items recorded._\n" : "No action items recorded.\n");
        return;
    }
    table_begin(d, 6);
    table_row(d, head);
    for (i = 0; i < inc->pm.item_count; i++) {
        const inc_action_item *it = &inc->pm.items[i].pub;
        char id[24], prio[8], due[11], status[32], owner[INC_NAME_MAX + 24];
        const char *row[6];
        snprintf(id, sizeof(id), "A%llu", (unsigned long long)it->id);
        snprintf(prio, sizeof(prio), "P%d", it->priority);
        inc__date_format(it->due, due);
        snprintf(status, sizeof(status), "%s%s", inc_action_status_name(it->status),
                 inc_action_is_overdue(it, now) ? " (overdue)" : "");
        snprintf(owner, sizeof(owner), "%s%s", it->owner, it->owner_override ? " (team)" : "");
        row[0] = id;
        row[1] = it->title;
        row[2] = owner;
        row[3] = prio;
        row[4] = due;
        row[5] = status;
        table_row(d, row);
    }
    table_end(d);
}

static void section(doc *d, const inc_incident *inc, inc_pm_section s)
{
    heading(d, 2, inc_pm_section_title(s));
    blank(d);
    narrative(d, inc->pm.section[s]);
}

static void render(doc *d, const inc_incident *inc)
{
    header(d, inc);
    section(d, inc, INC_PM_SUMMARY);
    severity_table(d, inc);
    duration_table(d, inc);
    roles_table(d, inc);
    section(d, inc, INC_PM_IMPACT);
    timeline_table(d, inc);
    detection(d, inc);
    section(d, inc, INC_PM_ROOT_CAUSE);
    section(d, inc, INC_PM_CONTRIBUTING);
    section(d, inc, INC_PM_WENT_WELL);
    section(d, inc, INC_PM_WENT_POORLY);
    actions_table(d, inc);
    section(d, inc, INC_PM_LESSONS);
    blank(d);
    inc__buf_printf(d->b, "%sRendered from the timeline of record of %s (%zu events).%s\n",
                    d->md ? "_" : "", inc->id, inc->event_count, d->md ? "_" : "");
}

int inc_incident_render_postmortem(const inc_incident *inc, inc_pm_format format, char **out,
                                   size_t *len)
{
    inc__buf b;
    doc d;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    if (!inc || (format != INC_PM_MARKDOWN && format != INC_PM_TEXT))
        return INC_EINVAL;
    inc__buf_init(&b, inc->alloc);
    memset(&d, 0, sizeof(d));
    d.b = &b;
    d.md = format == INC_PM_MARKDOWN;
    d.alloc = inc->alloc;
    inc__buf_init(&d.cells, inc->alloc);
    render(&d, inc);
    inc__buf_dispose(&d.cells);
    if (d.failed) {
        inc__buf_dispose(&b);
        return INC_ENOMEM;
    }
    return inc__buf_detach(&b, out, len);
}
