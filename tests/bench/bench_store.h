/* The synthetic store the store-wide benchmarks read (metrics_bench,
 * list_bench): closed incidents encoded here and appended to a journal one
 * append per incident, without syncs (what each incident holds:
 * bench_store.c). Generation is not what these benchmarks measure. */
#ifndef INC_BENCH_STORE_H
#define INC_BENCH_STORE_H

#include <stdint.h>

#include "event.h"
#include "incident.h"
#include "incident/sys/store.h"
#include "util/hash.h"

#define MINUTE     (60LL * 1000)
#define HOUR       (60 * MINUTE)
#define DAY        (24 * HOUR)
#define BASE       1767225600000LL /* 2026-01-01T00:00:00Z */
#define MAX_EVENTS 32

/* The program's name, for die()'s messages. */
extern const char *bench_name;
extern const char *const people[8];

typedef struct gen {
    inc_allocator alloc;
    inc__buf scratch;
    char bytes[64 * 1024]; /* the incident's encoded events, back to back */
    size_t used;
    inc_store_record recs[MAX_EVENTS];
    size_t n;
    uint8_t prev[INC__SHA256_LEN];
    inc_time last;                               /* the time of the last event */
    const char *rubric;                          /* the rubric's text (a blob of the store) */
    char rubric_key[INC_STORE_BLOB_KEY_LEN + 1]; /* its SHA-256, as the declaration names it */
    int extras; /* also a Scribe and a custom field per incident (list_bench) */
} gen;

double now_s(void);
_Noreturn void die(const char *what, int rc);
void rm_rf(const char *path);

/* Encode @d as the next event at @t, chained to the previous one. */
void put(gen *g, const inc__event_draft *d, inc_time t);
void state(gen *g, const char *actor, int to, inc_time t, const char *text);
/* One closed incident "bench-NNNNNNN", i = 0..n-1, declared every 5 minutes
 * from BASE, into g->recs[0..g->n). */
void incident(gen *g, unsigned i, char *id, size_t idsize);

/* The default rubric as inc_rubric_write() writes it (stored once per
 * store as a blob, RUB-4); with @fields, it also declares the custom field
 * "region" (one-of eu,us,apac) the extras set. Free with free(). */
char *bench_rubric(int fields);
/* The arguments of a store bench, "[work-dir] [--quick]": the directory
 * for its stores (created; default /tmp) and the two store sizes
 * (10,000 and 100,000; --quick: 1,000 and 10,000). Exits on failure,
 * naming @prog. */
void bench_args(int argc, char **argv, const char *prog, const char **work, unsigned *small,
                unsigned *large);
inc_store *open_journal(const char *dir);
/* Generation only: the journal's I/O table with its syncs skipped. */
inc_store *open_unsynced(const char *dir);
gen *gen_new(const char *rubric);
void gen_free(gen *g);
/* Write incidents 0..n-1 into the journal at @dir (with the extras when
 * @extras). */
void generate(const char *dir, unsigned n, const char *rubric, int extras);

#endif
