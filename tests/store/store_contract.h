/* The store contract (incident/sys/store.h), written once and run against
 * every backend: each test program gives a list of backends, each a way to
 * open a fresh, empty store (and, when the backend can, a second handle on
 * the same storage, for the races). */
#ifndef INC_TEST_STORE_CONTRACT_H
#define INC_TEST_STORE_CONTRACT_H

#include <incident/sys/store.h>

typedef struct inc_contract_backend {
    const char *name;
    /* A fresh, empty store; 0 on success. */
    int (*open_empty)(void *user, inc_store **out);
    /* A second handle on the storage of the last open_empty(), or NULL
     * when the backend has no shared storage (memory, the test's own). */
    int (*open_again)(void *user, inc_store **out);
    void *user;
} inc_contract_backend;

/* Run every contract test against each backend (cmocka groups, one per
 * backend); returns the number of failures. */
int inc_contract_run(const inc_contract_backend *backends, size_t count);

#endif
