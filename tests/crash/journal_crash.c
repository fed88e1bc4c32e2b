/* The SIGKILL crash test of the journal (issue 4, item 7).
 *
 * A parent forks a child that appends events to a few incidents with sync
 * policy "every" and reports each acknowledged append (incident, last
 * sequence number) through a pipe. The parent SIGKILLs the child at a random
 * moment, reopens the journal (recovering it), and checks that every
 * acknowledged event is there and intact, that nothing beyond the one
 * append in flight appeared, and that the record-level hash chain verifies.
 *
 *     journal_crash [iterations [directory [seed]]]
 *
 * Prints the iterations, events acknowledged and events lost (must be 0);
 * exits non-zero on any loss or error. Bounded: each iteration runs the
 * child for at most ~40 ms. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "incident.h"
#include "incident/sys/store.h"

#define NINC      3
#define MAX_BATCH 3
static const char *const ids[NINC] = {"crash-a", "crash-b", "crash-c"};

/* Deterministic event text for (incident, seq): about 100..2,000 bytes. */
static size_t event_text(char *buf, size_t size, int inc, uint64_t seq)
{
    size_t len = (size_t)snprintf(buf, size, "%s event %llu: status update from the ops lead; ",
                                  ids[inc], (unsigned long long)seq);
    size_t want = 100 + (size_t)((seq * 2654435761u + (uint64_t)inc) % 1900);
    while (len < want && len + 1 < size) {
        buf[len] = (char)('a' + (seq * 31 + len) % 26);
        len++;
    }
    return len;
}

typedef struct ack {
    int inc;
    uint64_t seq;
} ack;

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int last_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)data;
    (void)len;
    *(uint64_t *)user = seq;
    return 0;
}

static void child(const char *dir, int fd, uint64_t seed)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    uint64_t last[NINC] = {0};
    static char buf[MAX_BATCH][4096];
    int i;

    o.sync = INC_SYNC_EVERY;
    if (inc_store_journal_open(dir, &o, &s) != INC_OK)
        _exit(2);
    for (i = 0; i < NINC; i++) {
        int rc = inc_store_read(s, ids[i], 1, last_cb, &last[i]);
        if (rc != INC_OK && rc != INC_ENOTFOUND)
            _exit(3);
    }
    for (;;) {
        int inc = (int)(rng_next(&seed) % NINC), n = 1 + (int)(rng_next(&seed) % MAX_BATCH), j;
        inc_store_record r[MAX_BATCH];
        ack a;
        for (j = 0; j < n; j++) {
            r[j].data = buf[j];
            r[j].len = event_text(buf[j], sizeof(buf[j]), inc, last[inc] + 1 + (uint64_t)j);
        }
        if (inc_store_append(s, ids[inc], last[inc], r, (size_t)n) != INC_OK)
            _exit(4);
        last[inc] += (uint64_t)n;
        a.inc = inc;
        a.seq = last[inc];
        if (write(fd, &a, sizeof(a)) != (ssize_t)sizeof(a))
            _exit(5);
    }
}

typedef struct check {
    int inc;
    uint64_t count;
    int bad;
} check;

static int check_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    check *c = user;
    char buf[4096];
    size_t n = event_text(buf, sizeof(buf), c->inc, seq);
    if (seq != c->count + 1 || n != len || memcmp(buf, data, n) != 0)
        c->bad = 1;
    c->count = seq;
    return 0;
}

static int recoveries;

static void on_recovery(void *user, const inc_journal_recovery *r)
{
    (void)user;
    (void)r;
    recoveries++;
}

/* Reopen, check every incident against what was acknowledged. Returns the
 * number of acknowledged events missing; -1 on any other failure. */
static long verify_state(const char *dir, uint64_t acked[NINC], int it)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    long lost = 0;
    int i, grown = 0;

    o.on_recovery = on_recovery;
    if (inc_store_journal_open(dir, &o, &s) != INC_OK) {
        fprintf(stderr, "iteration %d: cannot reopen the journal\n", it);
        return -1;
    }
    for (i = 0; i < NINC; i++) {
        check c = {i, 0, 0};
        uint64_t bad = 0;
        int rc = inc_store_read(s, ids[i], 1, check_cb, &c);
        if (rc == INC_ENOTFOUND && acked[i] == 0)
            continue;
        if (rc != INC_OK || c.bad) {
            fprintf(stderr, "iteration %d: %s: read %s %s\n", it, ids[i], inc_status_name(rc),
                    c.bad ? "(wrong content)" : inc_store_errmsg(s));
            inc_store_free(s);
            return -1;
        }
        if (inc_journal_verify(s, ids[i], &bad) != INC_OK) {
            fprintf(stderr, "iteration %d: %s: chain breaks at %llu: %s\n", it, ids[i],
                    (unsigned long long)bad, inc_store_errmsg(s));
            inc_store_free(s);
            return -1;
        }
        if (c.count < acked[i])
            lost += (long)(acked[i] - c.count);
        if (c.count > acked[i] + MAX_BATCH || (c.count > acked[i] && grown++)) {
            fprintf(stderr,
                    "iteration %d: %s: %llu events, %llu acknowledged: more than one "
                    "append in flight\n",
                    it, ids[i], (unsigned long long)c.count, (unsigned long long)acked[i]);
            inc_store_free(s);
            return -1;
        }
        acked[i] = c.count; /* the in-flight append, if there, is the base now */
    }
    inc_store_free(s);
    return lost;
}

int main(int argc, char **argv)
{
    int iterations = argc > 1 ? atoi(argv[1]) : 20, it;
    const char *dir = argc > 2 ? argv[2] : "journal-crash-work";
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 10) : (uint64_t)getpid() * 2654435761u;
    uint64_t acked[NINC] = {0}, total_acked = 0;
    long lost = 0;
    char cmd[600];

    if (seed == 0)
        seed = 1;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (strchr(dir, '\'') || system(cmd) != 0)
        return 2;
    printf("journal crash test: %d iterations in %s, seed %llu\n", iterations, dir,
           (unsigned long long)seed);
    for (it = 1; it <= iterations; it++) {
        int fds[2], status;
        struct timespec ts;
        uint64_t child_seed = rng_next(&seed);
        ack a;
        long l;
        pid_t pid;

        if (pipe(fds) != 0)
            return 2;
        pid = fork();
        if (pid < 0)
            return 2;
        if (pid == 0) {
            close(fds[0]);
            child(dir, fds[1], child_seed ? child_seed : 1);
        }
        close(fds[1]);
        ts.tv_sec = 0;
        ts.tv_nsec = (long)(1 + rng_next(&seed) % 40) * 1000000L;
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status)) {
            fprintf(stderr, "iteration %d: the child exited by itself (%d)\n", it,
                    WEXITSTATUS(status));
            return 1;
        }
        while (read(fds[0], &a, sizeof(a)) == (ssize_t)sizeof(a)) {
            if (a.inc >= 0 && a.inc < NINC && a.seq > acked[a.inc]) {
                total_acked += a.seq - acked[a.inc];
                acked[a.inc] = a.seq;
            }
        }
        close(fds[0]);
        l = verify_state(dir, acked, it);
        if (l < 0)
            return 1;
        lost += l;
    }
    printf("iterations: %d\nevents acknowledged: %llu\nevents lost: %ld\ntorn tails recovered: "
           "%d\n",
           iterations, (unsigned long long)total_acked, lost, recoveries);
    return lost == 0 ? 0 : 1;
}
