/* pager: the due-items loop a paging integration runs (ESC-1..ESC-3).
 *
 * It sleeps until the next due time over every open incident (an
 * inc_scheduler), polls, prints each item as the PagerDuty Events API v2
 * JSON the library renders (one document per line on stdout; a log for
 * people on stderr), records escalation pages as sent to the people the
 * targets resolve to, and simulates their acknowledgements. It runs on a
 * fake clock and stops by itself after --duration.
 *
 *   pager [--store DIR|postgresql://...] [--demo] [--now TIME] [--speed FACTOR]
 *         [--duration DUR] [--ack-after DUR] [--routing-key KEY] [--quiet]
 *
 * --store (default: $INCIDENT_STORE) is a journal directory or, when built
 * with libincident-pg, a PostgreSQL database that pagers on several hosts
 * share: each due item is delivered by exactly one of them (the delivery is
 * recorded on the timeline first; the pager that loses the race on that
 * append reloads the incident and skips the item).
 *
 * Without a store it uses a memory store and declares a demo Sev-1 drill at
 * the start. With --now and no --speed the clock jumps from one due time to
 * the next (pure simulation); --speed F runs F times faster than real time
 * (1 = real time, the default without --now). */
#include <incident.h>
#ifdef INC_PAGER_HAVE_PG
#include <incident/pg.h>
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ACKS 64

struct pending_ack {
    char id[INC_ID_MAX + 1];
    char person[64];
    uint64_t page_seq;
    inc_time at;
    char dedup[INC_ID_MAX + 64]; /* the trigger's dedup_key, "" for a page outside the ladder */
};

typedef struct pager {
    inc_time now, start, end;
    double speed;       /* 0: pure simulation */
    int64_t ack_after;  /* 0: nobody acknowledges */
    int64_t poll_every; /* with a journal: wake at least this often to re-read it */
    const char *key;
    int quiet, demo;
    inc_store *store;
    inc_context *ctx;
    inc_scheduler *sched;
    struct pending_ack acks[MAX_ACKS];
    size_t nacks;
    unsigned items, pages, acked;
    /* The demo incident, to check that its pages came as ESC-1 says. */
    char demo_id[INC_ID_MAX + 1];
    inc_time demo_t0;
    size_t nfired;
    struct {
        unsigned step, loop;
        inc_time due;
    } fired[32];
} pager;

static inc_time pager_clock(void *user)
{
    return ((const pager *)user)->now;
}

static void logf_(const pager *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void logf_(const pager *p, const char *fmt, ...)
{
    char iso[32];
    va_list ap;
    if (p->quiet)
        return;
    inc_time_format(p->now, iso, sizeof(iso));
    fprintf(stderr, "[%.8s] ", iso + 11);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---- options -------------------------------------------------------------- */

static int parse_duration(const char *text, int64_t *out)
{
    const char *p = text;
    int64_t total = 0;
    while (*p) {
        char *end;
        long long n = strtoll(p, &end, 10);
        int64_t unit = *end == 's' ? 1000 : *end == 'm' ? 60000 : *end == 'h' ? 3600000 : 0;
        if (end == p || n < 0 || unit == 0)
            return -1;
        total += n * unit;
        p = end + 1;
    }
    *out = total;
    return total > 0 ? 0 : -1;
}

static int usage(void)
{
    fputs("usage: pager [--store DIR|postgresql://...] [--demo] [--now TIME] [--speed FACTOR]\n"
          "             [--duration DUR] [--ack-after DUR] [--routing-key KEY] [--quiet]\n"
          "  --store STORE     poll the incidents of a journal directory or a PostgreSQL\n"
          "                    database (default: $INCIDENT_STORE, else a memory store\n"
          "                    with a demo incident)\n"
          "  --demo            declare a demo Sev-1 drill at the start (default without --store)\n"
          "  --now TIME        start the clock at TIME (ISO 8601 UTC); without --speed the\n"
          "                    clock jumps from one due time to the next\n"
          "  --speed FACTOR    run FACTOR times faster than real time (1: real time)\n"
          "  --duration DUR    stop after DUR of clock time (default 1h)\n"
          "  --ack-after DUR   the paged person acknowledges DUR after the page (default\n"
          "                    20m; 0: nobody does)\n"
          "  --routing-key KEY the PagerDuty integration key written into the events\n"
          "  --quiet           no log on stderr, only the JSON on stdout\n",
          stderr);
    return 2;
}

static int parse_args(pager *p, int argc, char **argv, const char **store, const char **now)
{
    int i, bad_key;
    int64_t dur = 3600000;
    char *probe = NULL;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--demo") == 0)
            p->demo = 1;
        else if (strcmp(a, "--quiet") == 0)
            p->quiet = 1;
        else if (!v)
            return usage();
        else if (strcmp(a, "--store") == 0)
            *store = v, i++;
        else if (strcmp(a, "--now") == 0)
            *now = v, i++;
        else if (strcmp(a, "--routing-key") == 0)
            p->key = v, i++;
        else if (strcmp(a, "--speed") == 0 && (p->speed = strtod(v, NULL)) > 0)
            i++;
        else if (strcmp(a, "--duration") == 0 && parse_duration(v, &dur) == 0)
            i++;
        else if (strcmp(a, "--ack-after") == 0 &&
                 (strcmp(v, "0") == 0 ? (p->ack_after = 0, 0) : parse_duration(v, &p->ack_after)) ==
                     0)
            i++;
        else
            return usage();
    }
    bad_key = inc_pagerduty_event("resolve", p->key, "probe", &probe, NULL) == INC_EINVAL;
    inc_free(probe);
    if (bad_key) {
        fprintf(stderr, "pager: --routing-key: an integration key is 32 letters and digits\n");
        return 2;
    }
    if (*now && inc_time_parse(*now, &p->now) != INC_OK) {
        fprintf(stderr, "pager: --now: '%s' is not an ISO 8601 UTC time\n", *now);
        return 2;
    }
    if (!*now) {
        p->now = inc_clock_system(NULL);
        if (p->speed <= 0)
            p->speed = 1; /* no fake start: real time */
    }
    p->start = p->now;
    p->end = p->now + dur;
    return 0;
}

/* ---- the store, the demo incident ----------------------------------------------- */

static int is_postgresql(const char *spec)
{
    return strncmp(spec, "postgresql://", 13) == 0 || strncmp(spec, "postgres://", 11) == 0;
}

static int open_postgresql(pager *p, const char *uri)
{
#ifdef INC_PAGER_HAVE_PG
    inc_pg_options po = INC_PG_OPTIONS_INIT;
    inc_diag diag;
    int rc;
    memset(&diag, 0, sizeof(diag));
    po.diag = &diag;
    if ((rc = inc_pg_store_open(uri, &po, &p->store)) != INC_OK) /* no password in it */
        fprintf(stderr, "pager: PostgreSQL: %s: %s\n", inc_status_name(rc), diag.message);
    return rc;
#else
    (void)p;
    (void)uri;
    fputs("pager: built without PostgreSQL (libincident-pg)\n", stderr);
    return INC_EUNSUPPORTED;
#endif
}

static int open_all(pager *p, const char *dir)
{
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_scheduler_options so = INC_SCHEDULER_OPTIONS_INIT;
    inc_diag diag;
    int rc;
    if (dir && is_postgresql(dir)) {
        if ((rc = open_postgresql(p, dir)) != INC_OK)
            return rc;
    } else if (dir) {
        inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
        memset(&diag, 0, sizeof(diag));
        jo.diag = &diag;
        if ((rc = inc_store_journal_open(dir, &jo, &p->store)) != INC_OK) {
            fprintf(stderr, "pager: %s: %s: %s\n", dir, inc_status_name(rc), diag.message);
            return rc;
        }
    } else if ((rc = inc_store_memory_new(NULL, &p->store)) != INC_OK) {
        return rc;
    }
    co.store = p->store;
    co.clock = pager_clock;
    co.clock_user = p;
    if ((rc = inc_context_new(&co, &p->ctx)) != INC_OK)
        return rc;
    so.actor = "pager"; /* who records the deliveries on the timelines */
    if ((rc = inc_scheduler_new(p->ctx, &so, &p->sched)) != INC_OK ||
        (rc = inc_scheduler_load(p->sched)) != INC_OK)
        fprintf(stderr, "pager: scheduler: %s: %s\n", inc_status_name(rc),
                p->sched ? inc_scheduler_errmsg(p->sched) : "");
    return rc;
}

static void schedule_ack(pager *p, const char *id, const char *person, uint64_t page_seq,
                         const char *dedup)
{
    size_t i;
    if (p->ack_after <= 0 || p->nacks == MAX_ACKS)
        return;
    for (i = 0; i < p->nacks; i++)
        if (strcmp(p->acks[i].id, id) == 0)
            return; /* one acknowledgement on the way per incident is enough */
    snprintf(p->acks[p->nacks].id, sizeof(p->acks[0].id), "%s", id);
    snprintf(p->acks[p->nacks].person, sizeof(p->acks[0].person), "%s", person);
    p->acks[p->nacks].page_seq = page_seq;
    p->acks[p->nacks].at = p->now + p->ack_after;
    snprintf(p->acks[p->nacks].dedup, sizeof(p->acks[0].dedup), "%s", dedup ? dedup : "");
    p->nacks++;
}

/* The demo: a Sev-1 drill declared now, and the first page to the on-call. */
static int declare_demo(pager *p)
{
    inc_declare_options o = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    uint64_t seq = 0;
    int rc;
    o.title = "Database primary CPU at 95%, EU checkout failing";
    o.declarer = "alice";
    o.severity = "Sev-1";
    o.criteria = INC_CRIT_CUSTOMER_VISIBLE;
    o.drill = 1;
    o.slug = "pager demo";
    if ((rc = inc_incident_declare(p->ctx, &o, &inc)) != INC_OK) {
        fprintf(stderr, "pager: declare: %s\n", inc_context_errmsg(p->ctx));
        return rc;
    }
    if ((rc = inc_incident_request_page(inc, "pager", "on-call", "Sev-1 declared", &seq)) ==
            INC_OK &&
        (rc = inc_incident_mark_page_sent(inc, "pager", seq, "jeff")) == INC_OK) {
        logf_(p, "declared %s (Sev-1 drill); first page to on-call: jeff", inc_incident_id(inc));
        snprintf(p->demo_id, sizeof(p->demo_id), "%s", inc_incident_id(inc));
        p->demo_t0 = inc_incident_declared_at(inc);
        schedule_ack(p, inc_incident_id(inc), "jeff", seq, NULL);
    }
    inc_incident_free(inc);
    return rc;
}

/* ---- acting on due items --------------------------------------------------------- */

/* Who a target reaches (a rotation would say, ONC-2). */
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

static void page_people(pager *p, const inc_due_item *it)
{
    inc_incident *inc = NULL;
    const char *t = it->target, *first = NULL;
    char sent[256] = "";
    if (inc_incident_open(p->ctx, it->incident_id, &inc) != INC_OK) {
        logf_(p, "cannot open %s: %s", it->incident_id, inc_context_errmsg(p->ctx));
        return;
    }
    while (*t) {
        size_t n = strcspn(t, ",");
        const char *person = on_call(t, n);
        if (person && inc_incident_mark_page_sent(inc, "pager", it->seq, person) == INC_OK) {
            if (!first)
                first = person;
            if (strlen(sent) + strlen(person) + 2 < sizeof(sent))
                strcat(strcat(sent, " "), person);
            p->pages++;
        }
        t += n + (t[n] == ',');
    }
    logf_(p, "  paged:%s", sent);
    if (first)
        schedule_ack(p, it->incident_id, first, it->seq, it->dedup_key);
    inc_incident_free(inc); /* the writes moved the incident in the scheduler */
}

static void act(pager *p, const inc_due_list *list, size_t i)
{
    const inc_due_item *it = inc_due_list_at(list, i);
    char *json = NULL;
    if (inc_due_list_pagerduty(list, i, p->key, "libincident-pager", NULL, &json, NULL) == INC_OK)
        printf("%s\n", json);
    inc_free(json);
    p->items++;
    if (it->late_ms >= 1000)
        logf_(p, "%s %s: %s (%llds late)", it->rule_id, it->kind_name, it->text,
              (long long)(it->late_ms / 1000));
    else
        logf_(p, "%s %s: %s", it->rule_id, it->kind_name, it->text);
    if (it->kind != INC_DUE_ESCALATION)
        return;
    if (strcmp(it->incident_id, p->demo_id) == 0 && p->nfired < 32) {
        p->fired[p->nfired].step = it->step;
        p->fired[p->nfired].loop = it->loop;
        p->fired[p->nfired].due = it->due;
        p->nfired++;
    }
    page_people(p, it);
}

/* The demo's check (ESC-1, ESC-2): every "unresolved" step of the demo's
 * level whose time came within the run fired once, at declaration plus its
 * duration; every "unacknowledged" step before the first acknowledgement
 * too; and no step fired twice. Returns the number of failures. */
static int check_demo(const pager *p)
{
    inc_incident *inc = NULL;
    const inc_rubric *r;
    size_t lvl, i, k, n;
    int failures = 0;
    if (!p->demo_id[0] || inc_incident_open(p->ctx, p->demo_id, &inc) != INC_OK)
        return p->demo_id[0] ? 1 : 0;
    r = inc_incident_rubric(inc);
    lvl = inc_incident_severity_index(inc);
    n = inc_rubric_escalation_count(r, lvl);
    for (i = 0; i < n; i++) {
        int64_t after = 0;
        inc_esc_condition cond = INC_ESC_UNRESOLVED;
        unsigned count = 0;
        inc_time want;
        inc_rubric_get_escalation(r, lvl, i, &after, &cond, NULL);
        want = p->demo_t0 + after;
        if (want > p->end ||
            (cond == INC_ESC_UNACKNOWLEDGED && p->ack_after > 0 && after >= p->ack_after))
            continue;
        for (k = 0; k < p->nfired; k++)
            if (p->fired[k].step == i + 1 && p->fired[k].loop == 0)
                count += p->fired[k].due == want ? 1 : 100;
        if (count != 1) {
            fprintf(stderr, "pager: FAIL: ESC-1 step %zu (after %llds) fired %s\n", i + 1,
                    (long long)(after / 1000), count == 0 ? "never" : "wrongly or twice");
            failures++;
        }
    }
    for (i = 0; i < p->nfired; i++)
        for (k = i + 1; k < p->nfired; k++)
            if (p->fired[i].step == p->fired[k].step && p->fired[i].loop == p->fired[k].loop) {
                fprintf(stderr, "pager: FAIL: ESC-2 step %u fired twice\n", p->fired[i].step);
                failures++;
            }
    inc_incident_free(inc);
    if (!failures && !p->quiet)
        fprintf(stderr,
                "pager: ok: the demo's %zu escalation pages came as ESC-1 says, each once\n",
                p->nfired);
    return failures;
}

/* Acknowledgements whose time has come. */
static void run_acks(pager *p)
{
    size_t i = 0;
    while (i < p->nacks) {
        struct pending_ack a = p->acks[i];
        inc_incident *inc = NULL;
        char *json = NULL;
        if (a.at > p->now) {
            i++;
            continue;
        }
        p->acks[i] = p->acks[--p->nacks];
        if (inc_incident_open(p->ctx, a.id, &inc) != INC_OK)
            continue;
        if (inc_incident_state(inc) < INC_STATE_RESOLVED &&
            inc_incident_acknowledge(inc, a.person, a.page_seq) == INC_OK) {
            /* Tell PagerDuty too, for a page it was sent as a trigger. */
            if (a.dedup[0] &&
                inc_pagerduty_event("acknowledge", p->key, a.dedup, &json, NULL) == INC_OK)
                printf("%s\n", json);
            inc_free(json);
            p->acked++;
            logf_(p, "%s acknowledged %s (page %llu)", a.person, a.id,
                  (unsigned long long)a.page_seq);
        }
        inc_incident_free(inc);
    }
}

/* ---- the loop -------------------------------------------------------------------- */

static inc_time next_wake(const pager *p)
{
    inc_time next = inc_scheduler_next_due(p->sched);
    size_t i;
    for (i = 0; i < p->nacks; i++)
        if (next == INC_TIME_NONE || p->acks[i].at < next)
            next = p->acks[i].at;
    if (p->poll_every && (next == INC_TIME_NONE || next > p->now + p->poll_every))
        next = p->now + p->poll_every;
    return next;
}

static double monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

/* Wait until `t` on the clock: jump (simulation) or wait (scaled). A
 * scaled wait is inc_store_wait(): over PostgreSQL another pager's write
 * wakes it early (the clock then says how far it got), so the loop reloads
 * at once; over other stores it is a sleep. */
static void wait_until(pager *p, inc_time t)
{
    double start, ms;
    if (t <= p->now)
        return;
    if (p->speed <= 0) {
        p->now = t;
        return;
    }
    ms = (double)(t - p->now) / p->speed;
    start = monotonic_ms();
    if (inc_store_wait(p->store, (int64_t)ms) == 1) {
        double took = monotonic_ms() - start;
        if (took + 1 < ms) { /* woken early */
            p->now += (inc_time)(took * p->speed);
            return;
        }
    }
    p->now = t;
}

static int run(pager *p)
{
    int guard = 0;
    fflush(stdout);
    while (guard++ < 100000) {
        inc_due_list *due = NULL;
        inc_time next = next_wake(p);
        size_t i;
        int rc;
        if (next == INC_TIME_NONE || next > p->end)
            break;
        wait_until(p, next);
        run_acks(p);
        if (p->poll_every)
            inc_scheduler_load(p->sched); /* another process may have written */
        rc = inc_scheduler_poll(p->sched, 0, &due);
        for (i = 0; i < inc_due_list_count(due); i++)
            act(p, due, i); /* act on every item, also when rc is an error */
        inc_due_list_free(due);
        if (rc != INC_OK)
            logf_(p, "poll: %s: %s", inc_status_name(rc), inc_scheduler_errmsg(p->sched));
        fflush(stdout);
    }
    wait_until(p, p->end);
    return 0;
}

int main(int argc, char **argv)
{
    pager p;
    const char *store = NULL, *now = NULL;
    char dur[32];
    int rc;
    memset(&p, 0, sizeof(p));
    p.ack_after = 20 * 60000;
    p.key = "YOURINTEGRATIONKEY32CHARSXXXXXXX"; /* 32 letters and digits */
    if ((rc = parse_args(&p, argc, argv, &store, &now)) != 0)
        return rc;
    if (!store && getenv("INCIDENT_STORE") && *getenv("INCIDENT_STORE"))
        store = getenv("INCIDENT_STORE");
    if (store)
        p.poll_every = 60000; /* other programs (other pagers) write to the store too */
    if ((rc = open_all(&p, store)) == INC_OK && (p.demo || !store))
        rc = declare_demo(&p);
    if (rc == INC_OK) {
        inc_offset_format(p.end - p.start, dur, sizeof(dur));
        logf_(&p, "pager: %zu incident(s) scheduled; running until %s (%s)",
              inc_scheduler_count(p.sched), dur + 1, p.speed > 0 ? "scaled time" : "simulated");
        run(&p);
        logf_(&p, "stopped: %u due items, %u pages sent, %u acknowledgements", p.items, p.pages,
              p.acked);
        if (check_demo(&p) != 0)
            rc = INC_ERROR;
    }
    inc_scheduler_free(p.sched);
    inc_context_free(p.ctx);
    inc_store_free(p.store);
    return rc == INC_OK ? 0 : 1;
}
