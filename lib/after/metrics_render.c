/* Reading computed metrics (MET-1) and rendering them as text and JSON;
 * every figure says how many incidents it is over. */
#include <stdio.h>
#include <string.h>

#include "incident_internal.h"
#include "metrics_internal.h"
#include "util/escape.h"
#include "util/json.h"
#include "util/time.h"

static const char *const metric_names[INC_METRIC_COUNT] = {"mttd", "mtta", "mttm", "mttr"};
static const char *const metric_labels[INC_METRIC_COUNT] = {
    "MTTD (impact start -> detection)", "MTTA (first page -> acknowledgement)",
    "MTTM (declaration -> mitigation)", "MTTR (detection -> resolution)"};

const char *inc_metric_name(inc_metric metric)
{
    return (unsigned)metric < INC_METRIC_COUNT ? metric_names[metric] : NULL;
}

size_t inc_metrics_incident_count(const inc_metrics *m)
{
    return m ? m->incidents : 0;
}

size_t inc_metrics_drill_count(const inc_metrics *m)
{
    return m ? m->drills : 0;
}

size_t inc_metrics_recurrence_linked(const inc_metrics *m)
{
    return m ? m->linked : 0;
}

size_t inc_metrics_duplicate_count(const inc_metrics *m)
{
    return m ? m->duplicates : 0;
}

size_t inc_metrics_level_count(const inc_metrics *m)
{
    return m ? m->levels.n : 0;
}

const char *inc_metrics_level(const inc_metrics *m, size_t level, size_t *incidents)
{
    if (!m || level >= m->levels.n)
        return NULL;
    if (incidents)
        *incidents = m->level_incidents[level];
    return m->levels.v[level];
}

int inc_metrics_get_stat(const inc_metrics *m, inc_metric metric, size_t level,
                         inc_metric_stat *out)
{
    if (!m || !out || (unsigned)metric >= INC_METRIC_COUNT)
        return INC_EINVAL;
    if (level == INC_METRICS_ALL_LEVELS) {
        *out = m->all_stat[metric];
        return INC_OK;
    }
    if (level >= m->levels.n)
        return INC_ENOTFOUND;
    *out = m->level_stat[level * INC_METRIC_COUNT + metric];
    return INC_OK;
}

int inc_metrics_get_actions(const inc_metrics *m, inc_metrics_actions *out)
{
    if (!m || !out)
        return INC_EINVAL;
    *out = m->actions;
    return INC_OK;
}

int inc_metrics_get_reopens(const inc_metrics *m, inc_metrics_reopens *out)
{
    if (!m || !out)
        return INC_EINVAL;
    out->resolved = m->ever_resolved;
    out->reopened = m->reopened;
    out->reopens = m->reopens;
    out->rate = m->ever_resolved ? (double)m->reopened / (double)m->ever_resolved : 0;
    return INC_OK;
}

int inc_metrics_get_recurrence(const inc_metrics *m, inc_metrics_recurrence *out)
{
    if (!m || !out)
        return INC_EINVAL;
    size_t known = m->tagged_in_set + m->linked_untagged;
    out->incidents = m->incidents;
    out->tagged = known;
    out->recurring = m->recurring + m->linked_untagged;
    out->untagged = m->untagged;
    out->rate = known ? (double)out->recurring / (double)known : 0;
    out->target_met = known > 0 && out->rate < 0.10;
    return INC_OK;
}

size_t inc_metrics_tag_count(const inc_metrics *m)
{
    return m ? m->tag_shown : 0;
}

const char *inc_metrics_tag(const inc_metrics *m, size_t index, size_t *incidents,
                            size_t *recurring)
{
    size_t t;
    if (!m || index >= m->tag_shown)
        return NULL;
    t = m->tag_order[index];
    if (incidents)
        *incidents = m->tag_incidents[t];
    if (recurring)
        *recurring = m->tag_recurring[t];
    return m->tags.v[t];
}

size_t inc_metrics_person_count(const inc_metrics *m)
{
    return m ? m->people.n : 0;
}

const char *inc_metrics_person(const inc_metrics *m, size_t index, size_t *pages, size_t *incidents)
{
    size_t p;
    if (!m || index >= m->people.n)
        return NULL;
    p = m->person_order[index];
    if (pages)
        *pages = m->person_pages[p];
    if (incidents)
        *incidents = m->person_incidents[p];
    return m->people.v[p];
}

/* ---- text ------------------------------------------------------------------------- */

/* num/den with @decimals digits, rounded, in integer arithmetic: printf's
 * %f follows the C locale's decimal point, which JSON cannot. */
static void put_ratio(inc__buf *b, size_t num, size_t den, unsigned decimals, int percent)
{
    uint64_t scale = 1, v;
    unsigned i;
    for (i = 0; i < decimals; i++)
        scale *= 10;
    if (percent)
        num *= 100;
    v = den ? ((uint64_t)num * scale + den / 2) / den : 0;
    inc__buf_printf(b, "%llu.%0*llu", (unsigned long long)(v / scale), (int)decimals,
                    (unsigned long long)(v % scale));
}

static void put_stat(inc__buf *b, const inc_metric_stat *s)
{
    char mean[48], median[48];
    if (!s->incidents) {
        inc__buf_puts(b, "no data (over 0 incidents)");
        return;
    }
    inc__duration_format(s->mean_ms, mean);
    inc__duration_format(s->median_ms, median);
    inc__buf_printf(b, "mean %s, median %s (over %zu incident%s)", mean, median, s->incidents,
                    s->incidents == 1 ? "" : "s");
}

static void put_range(inc__buf *b, const inc_metrics *m)
{
    char a[32], c[32];
    if (m->from == INC_TIME_NONE && m->to == INC_TIME_NONE) {
        inc__buf_puts(b, "the whole store");
        return;
    }
    if (m->from == INC_TIME_NONE || inc_time_format(m->from, a, sizeof(a)) != INC_OK)
        strcpy(a, "the start");
    if (m->to == INC_TIME_NONE || inc_time_format(m->to, c, sizeof(c)) != INC_OK)
        strcpy(c, "now");
    inc__buf_printf(b, "incidents declared from %s to %s", a, c);
}

static void text_durations(inc__buf *b, const inc_metrics *m)
{
    size_t l;
    int k;
    for (k = 0; k < INC_METRIC_COUNT; k++) {
        inc__buf_printf(b, "%s: ", metric_labels[k]);
        put_stat(b, &m->all_stat[k]);
        inc__buf_putc(b, '\n');
        for (l = 0; l < m->levels.n; l++) {
            const inc_metric_stat *s = &m->level_stat[l * INC_METRIC_COUNT + k];
            if (!s->incidents)
                continue;
            inc__buf_printf(b, "  %s: ", m->levels.v[l]);
            put_stat(b, s);
            inc__buf_putc(b, '\n');
        }
    }
}

static void text_rest(inc__buf *b, const inc_metrics *m)
{
    inc_metrics_recurrence rec;
    size_t i;

    inc__buf_puts(b, "Action items completed on time: ");
    put_ratio(b, m->actions.on_time, m->actions.items, 1, 1);
    inc__buf_printf(b,
                    "%% (%zu of %zu items, over %zu "
                    "incidents; %zu not yet due, %zu cancelled): target > 90%% %s\n",
                    m->actions.on_time, m->actions.items, m->actions.incidents, m->actions.pending,
                    m->actions.cancelled,
                    m->actions.items ? (m->actions.target_met ? "met" : "NOT met") : "(no data)");
    inc_metrics_get_recurrence(m, &rec);
    inc__buf_puts(b, "Recurrence by root-cause tag: ");
    put_ratio(b, rec.recurring, rec.tagged, 1, 1);
    inc__buf_printf(b,
                    "%% (%zu of %zu tagged or linked incidents, %zu linked as a recurrence "
                    "(LIFE-5); %zu untagged): target < 10%% %s\n",
                    rec.recurring, rec.tagged, m->linked, rec.untagged,
                    rec.tagged ? (rec.target_met ? "met" : "NOT met") : "(no data)");
    for (i = 0; i < m->tag_shown; i++) {
        size_t t = m->tag_order[i];
        inc__buf_puts(b, "  ");
        inc__buf_puts_escaped(b, m->tags.v[t], NULL);
        inc__buf_printf(b, ": %zu incidents, %zu recurring\n", m->tag_incidents[t],
                        m->tag_recurring[t]);
    }
    inc__buf_puts(b, "Reopened after resolution (LIFE-4): ");
    put_ratio(b, m->reopened, m->ever_resolved, 1, 1);
    inc__buf_printf(b, "%% (%zu of %zu resolved incidents; %zu reopenings)\n", m->reopened,
                    m->ever_resolved, m->reopens);
    inc__buf_printf(b, "Pages per person: %zu pages to %zu people (over %zu incidents)\n", m->pages,
                    m->people.n, m->paged_incidents);
    for (i = 0; i < m->people.n; i++) {
        size_t p = m->person_order[i];
        inc__buf_puts(b, "  ");
        inc__buf_puts_escaped(b, m->people.v[p], NULL); /* names from the timelines */
        inc__buf_printf(b, ": %zu pages, %zu incidents\n", m->person_pages[p],
                        m->person_incidents[p]);
    }
}

int inc_metrics_render_text(const inc_metrics *m, char **out, size_t *len)
{
    inc__buf b;
    size_t l;

    if (!m || !out)
        return INC_EINVAL;
    *out = NULL;
    inc__buf_init(&b, &m->alloc);
    inc__buf_puts(&b, "Incident metrics (MET-1) over ");
    put_range(&b, m);
    inc__buf_printf(&b, ": %zu incidents; %zu drills excluded (DEC-4)", m->incidents, m->drills);
    if (m->duplicates)
        inc__buf_printf(&b, "; %zu duplicates counted with their primary (LIFE-5)", m->duplicates);
    inc__buf_putc(&b, '\n');
    inc__buf_puts(&b, "Incidents per severity:");
    for (l = 0; l < m->levels.n; l++)
        inc__buf_printf(&b, "%s %s %zu", l ? "," : "", m->levels.v[l], m->level_incidents[l]);
    inc__buf_putc(&b, '\n');
    text_durations(&b, m);
    text_rest(&b, m);
    return inc__buf_detach(&b, out, len);
}

/* ---- JSON ------------------------------------------------------------------------- */

static void json_ms(inc__buf *b, int64_t v)
{
    if (v == INC_DURATION_NONE)
        inc__buf_puts(b, "null");
    else
        inc__json_put_i64(b, v);
}

static void json_stat(inc__buf *b, const inc_metric_stat *s)
{
    inc__buf_printf(b, "{\"incidents\":%zu,\"mean_ms\":", s->incidents);
    json_ms(b, s->mean_ms);
    inc__buf_puts(b, ",\"median_ms\":");
    json_ms(b, s->median_ms);
    inc__buf_puts(b, ",\"min_ms\":");
    json_ms(b, s->min_ms);
    inc__buf_puts(b, ",\"max_ms\":");
    json_ms(b, s->max_ms);
    inc__buf_putc(b, '}');
}

static void json_time(inc__buf *b, const char *key, inc_time t)
{
    char s[32];
    inc__buf_printf(b, "\"%s\":", key);
    if (t == INC_TIME_NONE || inc_time_format(t, s, sizeof(s)) != INC_OK)
        inc__buf_puts(b, "null");
    else
        inc__json_put_str(b, s);
}

static void json_durations(inc__buf *b, const inc_metrics *m)
{
    size_t l;
    int k;
    inc__buf_puts(b, ",\"durations\":{");
    for (k = 0; k < INC_METRIC_COUNT; k++) {
        inc__buf_printf(b, "%s\"%s\":{\"all\":", k ? "," : "", metric_names[k]);
        json_stat(b, &m->all_stat[k]);
        inc__buf_puts(b, ",\"by_level\":{");
        for (l = 0; l < m->levels.n; l++) {
            if (l)
                inc__buf_putc(b, ',');
            inc__json_put_str(b, m->levels.v[l]);
            inc__buf_putc(b, ':');
            json_stat(b, &m->level_stat[l * INC_METRIC_COUNT + k]);
        }
        inc__buf_puts(b, "}}");
    }
    inc__buf_putc(b, '}');
}

static void json_rest(inc__buf *b, const inc_metrics *m)
{
    const inc_metrics_actions *a = &m->actions;
    inc_metrics_recurrence rec;
    size_t i;

    inc__buf_printf(b,
                    ",\"action_items\":{\"incidents\":%zu,\"items\":%zu,\"on_time\":%zu,"
                    "\"late\":%zu,\"pending\":%zu,\"cancelled\":%zu,\"rate\":",
                    a->incidents, a->items, a->on_time, a->late, a->pending, a->cancelled);
    put_ratio(b, a->on_time, a->items, 6, 0);
    inc__buf_printf(b, ",\"target\":0.9,\"target_met\":%s}", a->target_met ? "true" : "false");
    inc_metrics_get_recurrence(m, &rec);
    inc__buf_printf(b,
                    ",\"recurrence\":{\"incidents\":%zu,\"tagged\":%zu,\"recurring\":%zu,"
                    "\"untagged\":%zu,\"linked\":%zu,\"rate\":",
                    rec.incidents, rec.tagged, rec.recurring, rec.untagged, m->linked);
    put_ratio(b, rec.recurring, rec.tagged, 6, 0);
    inc__buf_printf(b, ",\"target\":0.1,\"target_met\":%s,\"tags\":[",
                    rec.target_met ? "true" : "false");
    for (i = 0; i < m->tag_shown; i++) {
        size_t t = m->tag_order[i];
        inc__buf_puts(b, i ? ",{\"tag\":" : "{\"tag\":");
        inc__json_put_str(b, m->tags.v[t]);
        inc__buf_printf(b, ",\"incidents\":%zu,\"recurring\":%zu}", m->tag_incidents[t],
                        m->tag_recurring[t]);
    }
    inc__buf_printf(b,
                    "]},\"reopens\":{\"resolved\":%zu,\"reopened\":%zu,\"reopens\":%zu,\"rate\":",
                    m->ever_resolved, m->reopened, m->reopens);
    put_ratio(b, m->reopened, m->ever_resolved, 6, 0);
    inc__buf_printf(b, "},\"pages\":{\"pages\":%zu,\"incidents\":%zu,\"per_person\":[", m->pages,
                    m->paged_incidents);
    for (i = 0; i < m->people.n; i++) {
        size_t p = m->person_order[i];
        inc__buf_puts(b, i ? ",{\"person\":" : "{\"person\":");
        inc__json_put_str(b, m->people.v[p]);
        inc__buf_printf(b, ",\"pages\":%zu,\"incidents\":%zu}", m->person_pages[p],
                        m->person_incidents[p]);
    }
    inc__buf_puts(b, "]}");
}

int inc_metrics_render_json(const inc_metrics *m, char **out, size_t *len)
{
    inc__buf b;
    size_t l;

    if (!m || !out)
        return INC_EINVAL;
    *out = NULL;
    inc__buf_init(&b, &m->alloc);
    inc__buf_putc(&b, '{');
    json_time(&b, "from", m->from);
    inc__buf_putc(&b, ',');
    json_time(&b, "to", m->to);
    inc__buf_putc(&b, ',');
    json_time(&b, "now", m->now);
    inc__buf_printf(&b,
                    ",\"incidents\":%zu,\"drills_excluded\":%zu,\"duplicates_excluded\":%zu,"
                    "\"levels\":[",
                    m->incidents, m->drills, m->duplicates);
    for (l = 0; l < m->levels.n; l++) {
        inc__buf_puts(&b, l ? ",{\"name\":" : "{\"name\":");
        inc__json_put_str(&b, m->levels.v[l]);
        inc__buf_printf(&b, ",\"incidents\":%zu}", m->level_incidents[l]);
    }
    inc__buf_putc(&b, ']');
    json_durations(&b, m);
    json_rest(&b, m);
    inc__buf_putc(&b, '}');
    return inc__buf_detach(&b, out, len);
}
