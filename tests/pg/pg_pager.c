/* A pager process for the failover test (failover.py): a scheduler over
 * the PostgreSQL store on a clock shared by every pager process (the real
 * clock, sped up from a common origin), polling until the clock reaches the
 * end. Between polls it waits on the store (inc_store_wait: another pager's
 * write wakes it) and then reloads the incidents; a failed poll (the server
 * away) is reported and tried again. Each delivered item is printed:
 *
 *   D <incident> <kind> <step> <loop> <due ms> <late ms>
 *
 * usage: pg_pager CONNINFO NAME ORIGIN_REAL_MS T0_FAKE_MS SPEED POLL_MS END_FAKE_MS */
#include <incident.h>
#include <incident/pg.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct shared_clock {
    int64_t origin_real, t0_fake;
    double speed;
} shared_clock;

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inc_time fake_now(void *user)
{
    const shared_clock *c = user;
    return c->t0_fake + (inc_time)((double)(real_ms() - c->origin_real) * c->speed);
}

static void report(const inc_due_list *l)
{
    size_t i;
    for (i = 0; i < inc_due_list_count(l); i++) {
        const inc_due_item *it = inc_due_list_at(l, i);
        printf("D %s %s %u %u %lld %lld\n", it->incident_id, it->kind_name, it->step, it->loop,
               (long long)it->due, (long long)it->late_ms);
    }
    fflush(stdout);
}

static int open_store(const char *conninfo, inc_store **store)
{
    inc_pg_options o = INC_PG_OPTIONS_INIT;
    inc_diag d;
    int rc;
    memset(&d, 0, sizeof(d));
    o.diag = &d;
    while ((rc = inc_pg_store_open(conninfo, &o, store)) == INC_EIO) {
        struct timespec pause = {0, 100 * 1000000L};
        fprintf(stderr, "pg_pager: open: %s (retrying)\n", d.message);
        nanosleep(&pause, NULL);
    }
    if (rc != INC_OK)
        fprintf(stderr, "pg_pager: open: %s: %s\n", inc_status_name(rc), d.message);
    return rc;
}

static int run(inc_store *store, inc_scheduler *s, const shared_clock *c, int64_t poll_ms,
               inc_time end)
{
    int reload = 1, since_load = 0;
    while (fake_now((void *)c) < end) {
        inc_due_list *l = NULL;
        size_t n;
        int rc;
        if (reload) {
            since_load = 0;
            if ((rc = inc_scheduler_load(s)) != INC_OK)
                fprintf(stderr, "pg_pager: load: %s: %s\n", inc_status_name(rc),
                        inc_scheduler_errmsg(s));
        }
        /* One item per poll, printed at once: a kill between an item's
         * record and its print loses that one print only. */
        do {
            rc = inc_scheduler_poll(s, 1, &l);
            n = inc_due_list_count(l);
            report(l); /* also when rc is an error: what was delivered is in the list */
            inc_due_list_free(l);
        } while (rc == INC_OK && n > 0);
        if (rc != INC_OK)
            fprintf(stderr, "pg_pager: poll: %s: %s (will retry)\n", inc_status_name(rc),
                    inc_scheduler_errmsg(s));
        rc = inc_store_wait(store, poll_ms);
        /* A change elsewhere (or a reconnection) is a reason to reload, at
         * most every 10 polls: what other pagers deliver needs none (a stale
         * entry is due no later than the item delivered, so the next poll
         * reads that incident again, loses the append race at worst, and
         * recomputes it); new incidents do. An error (the server away) is a
         * reason too. */
        since_load++;
        reload = rc < 0 || (rc == 1 && since_load >= 10);
        if (rc < 0) { /* the server is away: wait a poll before trying again */
            struct timespec pause = {(time_t)(poll_ms / 1000), (long)(poll_ms % 1000) * 1000000L};
            fprintf(stderr, "pg_pager: wait: %s: %s (will retry)\n", inc_status_name(rc),
                    inc_store_errmsg(store));
            nanosleep(&pause, NULL);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_scheduler_options so = INC_SCHEDULER_OPTIONS_INIT;
    shared_clock c;
    inc_store *store = NULL;
    inc_context *ctx = NULL;
    inc_scheduler *s = NULL;
    int rc;

    if (argc != 8) {
        fputs("usage: pg_pager CONNINFO NAME ORIGIN_REAL_MS T0_FAKE_MS SPEED POLL_MS "
              "END_FAKE_MS\n",
              stderr);
        return 2;
    }
    c.origin_real = strtoll(argv[3], NULL, 10);
    c.t0_fake = strtoll(argv[4], NULL, 10);
    c.speed = strtod(argv[5], NULL);
    if ((rc = open_store(argv[1], &store)) != INC_OK)
        return 1;
    co.store = store;
    co.clock = fake_now;
    co.clock_user = &c;
    so.actor = argv[2];
    if ((rc = inc_context_new(&co, &ctx)) == INC_OK &&
        (rc = inc_scheduler_new(ctx, &so, &s)) == INC_OK)
        rc = run(store, s, &c, strtoll(argv[6], NULL, 10), strtoll(argv[7], NULL, 10));
    else
        fprintf(stderr, "pg_pager: %s\n", inc_status_name(rc));
    inc_scheduler_free(s);
    inc_context_free(ctx);
    inc_store_free(store);
    return rc == INC_OK ? 0 : 1;
}
