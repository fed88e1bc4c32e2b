/* The store contract (store_contract.c) against the local backends: the
 * memory store, the journal (a fresh directory per test; a second handle on
 * it for the race) and a backend written here the way a user writes one,
 * built against version 1 of inc_store_backend (no `scan`, no `wait`: the
 * library falls back to list + read and to a sleep). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <incident/journal.h>

#include "store_contract.h"

/* ---- a user's backend: a linked list of (id, seq, bytes) ------------------ */

typedef struct row {
    struct row *next;
    char id[INC_ID_MAX + 1];
    uint64_t seq;
    size_t len;
    unsigned char *data;
} row;

typedef struct user_store {
    inc_store_backend base;
    row *head, *tail;
} user_store;

static uint64_t last_seq(user_store *u, const char *id)
{
    uint64_t last = 0;
    row *r;
    for (r = u->head; r; r = r->next)
        if (strcmp(r->id, id) == 0 && r->seq > last)
            last = r->seq;
    return last;
}

static int user_append(inc_store_backend *self, const char *id, uint64_t expected,
                       const inc_store_record *records, size_t count, inc_error *err)
{
    user_store *u = (user_store *)self;
    row *first = NULL, *last = NULL;
    size_t i;
    if (last_seq(u, id) != expected)
        return inc_error_set(err, INC_ECONFLICT, "user store: %s is not at %llu", id,
                             (unsigned long long)expected);
    for (i = 0; i < count; i++) { /* build the chain aside: all or nothing */
        row *r = calloc(1, sizeof(*r));
        if (!r || !(r->data = malloc(records[i].len ? records[i].len : 1))) {
            free(r);
            while (first) {
                row *next = first->next;
                free(first->data);
                free(first);
                first = next;
            }
            return INC_ENOMEM;
        }
        snprintf(r->id, sizeof(r->id), "%s", id);
        r->seq = expected + i + 1;
        r->len = records[i].len;
        if (r->len)
            memcpy(r->data, records[i].data, r->len);
        if (last)
            last->next = r;
        else
            first = r;
        last = r;
    }
    if (!first)
        return INC_OK;
    if (u->tail)
        u->tail->next = first;
    else
        u->head = first;
    u->tail = last;
    return INC_OK;
}

static int user_read(inc_store_backend *self, const char *id, uint64_t from, inc_store_event_cb cb,
                     void *cb_user, inc_error *err)
{
    user_store *u = (user_store *)self;
    int found = 0;
    row *r;
    for (r = u->head; r; r = r->next) {
        if (strcmp(r->id, id) != 0)
            continue;
        found = 1;
        if (r->seq >= from) {
            int rc = cb(cb_user, r->seq, r->data, r->len);
            if (rc)
                return rc;
        }
    }
    return found ? INC_OK : inc_error_set(err, INC_ENOTFOUND, "user store: no %s", id);
}

static int user_list(inc_store_backend *self, inc_store_id_cb cb, void *cb_user, inc_error *err)
{
    user_store *u = (user_store *)self;
    row *r;
    (void)err;
    for (r = u->head; r; r = r->next)
        if (r->seq == 1) {
            int rc = cb(cb_user, r->id);
            if (rc)
                return rc;
        }
    return INC_OK;
}

static void user_free(inc_store_backend *self)
{
    user_store *u = (user_store *)self;
    while (u->head) {
        row *next = u->head->next;
        free(u->head->data);
        free(u->head);
        u->head = next;
    }
    free(u);
}

/* The version 1 layout, as a program compiled against version 1 has it. */
typedef struct backend_v1 {
    unsigned int version;
    int (*append)(inc_store_backend *, const char *, uint64_t, const inc_store_record *, size_t,
                  inc_error *);
    int (*read)(inc_store_backend *, const char *, uint64_t, inc_store_event_cb, void *,
                inc_error *);
    int (*list)(inc_store_backend *, inc_store_id_cb, void *, inc_error *);
    int (*sync)(inc_store_backend *, inc_error *);
    void (*free)(inc_store_backend *);
} backend_v1;

static int open_user(void *user, inc_store **out)
{
    user_store *u = calloc(1, sizeof(*u));
    backend_v1 *v1 = (backend_v1 *)&u->base;
    int rc;
    (void)user;
    if (!u)
        return INC_ENOMEM;
    /* Only the version 1 fields are set; the bytes after them are poisoned
     * to show the library does not read them. */
    memset(&u->base, 0xA5, sizeof(u->base));
    v1->version = 1;
    v1->append = user_append;
    v1->read = user_read;
    v1->list = user_list;
    v1->sync = NULL;
    v1->free = user_free;
    rc = inc_store_new(&u->base, NULL, out);
    if (rc != INC_OK)
        free(u);
    return rc;
}

/* ---- the memory store and the journal -------------------------------------- */

static int open_memory(void *user, inc_store **out)
{
    (void)user;
    return inc_store_memory_new(NULL, out);
}

typedef struct journal_dirs {
    char dir[256];
    char parents[16][200]; /* removed at the end */
    int n;
} journal_dirs;

static int open_journal_at(const char *dir, inc_store **out)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    return inc_store_journal_open(dir, &o, out);
}

static int open_journal(void *user, inc_store **out)
{
    journal_dirs *j = user;
    const char *tmp = getenv("TMPDIR");
    char parent[200];
    snprintf(parent, sizeof(parent), "%s/inc-contract-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(parent))
        return INC_EIO;
    if (j->n < 16)
        snprintf(j->parents[j->n++], sizeof(j->parents[0]), "%s", parent);
    snprintf(j->dir, sizeof(j->dir), "%s/journal", parent);
    return open_journal_at(j->dir, out);
}

static int open_journal_again(void *user, inc_store **out)
{
    return open_journal_at(((journal_dirs *)user)->dir, out);
}

int main(void)
{
    static journal_dirs j;
    const inc_contract_backend backends[] = {
        {"memory", open_memory, NULL, NULL},
        {"journal", open_journal, open_journal_again, &j},
        {"user-written (version 1 vtable)", open_user, NULL, NULL},
    };
    int failures = inc_contract_run(backends, sizeof(backends) / sizeof(backends[0])), i;
    for (i = 0; i < j.n; i++) {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", j.parents[i]);
        if (system(cmd) != 0)
            failures++;
    }
    return failures;
}
