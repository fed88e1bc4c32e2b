/* gameday: the drill's machinery (see drill.h). */
#include "drill.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- clock, store, context ------------------------------------------------- */

static inc_time drill_clock(void *user)
{
    return ((const drill *)user)->now;
}

inc_time drill_time(const drill *d, const char *hhmm)
{
    char text[40];
    inc_time t = INC_TIME_NONE;
    snprintf(text, sizeof(text), "%sT%s:00Z", d->date, hhmm);
    if (inc_time_parse(text, &t) != INC_OK) {
        fprintf(stderr, "gameday: bad script time %s\n", text);
        exit(2);
    }
    return t;
}

int drill_open(drill *d, const char *dir, const char *start)
{
    inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_diag diag;
    int rc;
    if (inc_time_parse(start, &d->now) != INC_OK || strlen(start) < 10) {
        fprintf(stderr, "gameday: --date: '%.10s' is not a date (YYYY-MM-DD)\n", start);
        return INC_EINVAL;
    }
    snprintf(d->date, sizeof(d->date), "%.10s", start);
    d->t0 = INC_TIME_NONE;
    if (dir) {
        snprintf(d->dir, sizeof(d->dir), "%s", dir);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(d->dir, sizeof(d->dir), "%s/gameday-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(d->dir)) {
            perror("gameday: mkdtemp");
            return INC_EIO;
        }
        d->made_dir = 1;
    }
    memset(&diag, 0, sizeof(diag));
    jo.diag = &diag;
    if ((rc = inc_store_journal_open(d->dir, &jo, &d->store)) != INC_OK) {
        fprintf(stderr, "gameday: journal %s: %s: %s\n", d->dir, inc_status_name(rc), diag.message);
        return rc;
    }
    co.store = d->store;
    co.policy = INC_POLICY_STRICT; /* refuse what a rule forbids (ROLE-11) */
    co.clock = drill_clock;
    co.clock_user = d;
    if ((rc = inc_context_new(&co, &d->ctx)) != INC_OK)
        fprintf(stderr, "gameday: context: %s\n", inc_status_name(rc));
    return rc;
}

static void remove_dir(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *e;
    char file[4400];
    if (!dir)
        return;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        unlink(file);
    }
    closedir(dir);
    rmdir(path);
}

void drill_close(drill *d)
{
    inc_incident_free(d->inc);
    inc_context_free(d->ctx);
    inc_store_free(d->store);
    d->inc = NULL;
    d->ctx = NULL;
    d->store = NULL;
    if (d->made_dir && !d->keep)
        remove_dir(d->dir);
}

/* ---- narration and checks ---------------------------------------------------- */

static const char *hhmm(inc_time t, char *buf, size_t size)
{
    char iso[32];
    if (inc_time_format(t, iso, sizeof(iso)) != INC_OK)
        snprintf(buf, size, "?");
    else
        snprintf(buf, size, "%.5s", iso + 11);
    return buf;
}

void drill_say(const char *fmt, ...)
{
    va_list ap;
    fputs("   ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

int drill_check(drill *d, int cond, const char *fmt, ...)
{
    char text[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    d->checks++;
    printf("     %s %s\n", cond ? "ok  " : "FAIL", text);
    if (!cond) {
        if (d->failures < DRILL_MAX_FAILURES)
            snprintf(d->failed[d->failures], sizeof(d->failed[0]), "%s", text);
        d->failures++;
    }
    return cond;
}

int drill_ok(drill *d, int rc, const char *what)
{
    if (rc == INC_OK)
        return 1;
    drill_check(d, 0, "%s: %s: %s", what, inc_status_name(rc),
                d->inc ? inc_incident_errmsg(d->inc) : inc_context_errmsg(d->ctx));
    return 0;
}

int drill_refused(drill *d, int rc, int want, const char *rule, const char *what)
{
    if (rc == want) {
        drill_say("refused (%s): %s", inc_status_name(rc), inc_incident_errmsg(d->inc));
        return drill_check(d, 1, "%s %s refuses %s", rule, inc_status_name(want), what);
    }
    return drill_check(d, 0, "%s %s refuses %s (got %s: %s)", rule, inc_status_name(want), what,
                       inc_status_name(rc), inc_incident_errmsg(d->inc));
}

void drill_findings(const inc_findings *list)
{
    size_t i, n = inc_findings_count(list);
    for (i = 0; i < n; i++) {
        const inc_finding *f = inc_findings_at(list, i);
        const char *msg = f->message, *dot = strchr(f->rule_id, '.');
        size_t base = dot ? (size_t)(dot - f->rule_id) : strlen(f->rule_id);
        if (strncmp(msg, f->rule_id, base) == 0 && msg[base] == ':')
            msg += base + 1 + (msg[base + 1] == ' '); /* "CAN-2: ..." shown once */
        printf("       - %s: %s\n", f->rule_id, msg);
    }
}

size_t drill_count_prefix(const inc_findings *list, const char *prefix)
{
    size_t i, n = inc_findings_count(list), k = 0;
    for (i = 0; i < n; i++)
        if (strncmp(inc_findings_at(list, i)->rule_id, prefix, strlen(prefix)) == 0)
            k++;
    return k;
}

/* ---- the pager loop in miniature ------------------------------------------------ */

/* Who an escalation target reaches today (a rotation would say, ONC-2). */
static const char *on_call(const char *target, size_t len)
{
    static const struct {
        const char *target, *person;
    } rota[] = {{"on-call", "jeff"},  {"backup", "kim"},
                {"team-lead", "lee"}, {"engineering-manager", "morgan"},
                {"executive", "pat"}, {"all-hands", "all-hands"}};
    size_t i;
    for (i = 0; i < sizeof(rota) / sizeof(rota[0]); i++)
        if (strlen(rota[i].target) == len && strncmp(rota[i].target, target, len) == 0)
            return rota[i].person;
    return NULL;
}

/* Page every person an escalation step's targets resolve to, and record it. */
static void page_targets(drill *d, const inc_due_item *it)
{
    const char *p = it->target;
    printf("       paged:");
    while (*p) {
        size_t n = strcspn(p, ",");
        const char *person = on_call(p, n);
        if (person && drill_ok(d, inc_incident_mark_page_sent(d->inc, "pager", it->seq, person),
                               "record the page as sent"))
            printf(" %s", person);
        p += n;
        if (*p == ',')
            p++;
    }
    printf("\n");
    d->last_escalation = it->seq;
    d->escalations++;
}

/* Deliver what is due now; returns how many items were delivered. */
static size_t deliver(drill *d)
{
    inc_due_list *list = NULL;
    char b[8];
    size_t i, n;
    int rc = inc_incident_deliver_due(d->inc, "pager", 0, &list);
    n = inc_due_list_count(list);
    for (i = 0; i < n; i++) {
        const inc_due_item *it = inc_due_list_at(list, i);
        printf("   [pager %s] %s %s: %s\n", hhmm(it->due, b, sizeof(b)), it->rule_id, it->kind_name,
               it->text);
        if (it->kind == INC_DUE_ESCALATION)
            page_targets(d, it);
    }
    d->delivered += (unsigned)n;
    inc_due_list_free(list);
    drill_ok(d, rc, "deliver due items");
    return n;
}

void drill_advance(drill *d, const char *hm)
{
    inc_time target = drill_time(d, hm);
    int guard;
    for (guard = 0; d->inc && guard < 64; guard++) {
        inc_time next = inc_incident_next_due(d->inc);
        if (next == INC_TIME_NONE || next > target)
            break;
        if (next > d->now)
            d->now = next; /* the pager wakes when the item comes due */
        if (deliver(d) == 0)
            break;
    }
    if (target > d->now)
        d->now = target;
}

void drill_step(drill *d, const char *hm, const char *title)
{
    char off[32] = "";
    drill_advance(d, hm);
    if (d->t0 != INC_TIME_NONE)
        inc_offset_format(d->now - d->t0, off, sizeof(off));
    printf("\n== %s  %-11s %s\n", hm, off, title);
}
