/* A byte-for-byte proxy between libpq and the test server (a Unix socket
 * in a directory of its own), in a thread, that can cut a connection in
 * the middle of a statement: the way to test what the store does when the
 * connection breaks during an append's commit, without a mock; it can
 * also change bytes the server sends (pg_proxy_corrupt()). */
#ifndef INC_PG_PROXY_H
#define INC_PG_PROXY_H

typedef enum pg_cut {
    PG_CUT_NONE,
    /* Drop the client's next message (the server never sees it), then cut. */
    PG_CUT_BEFORE_SERVER,
    /* Forward the client's next message, let the server answer (and
     * commit), drop the answer, then cut. */
    PG_CUT_AFTER_COMMIT
} pg_cut;

/* Start the proxy in a fresh directory (returned: use it as host=). */
const char *pg_proxy_start(const char *server_dir);
/* Arm a cut for the next message a client sends. */
void pg_proxy_arm(pg_cut cut);
/* Replace the next occurrence of @find in what the server sends with
 * @replace (as long: the framing is kept), once: the way to feed the
 * client data the server would never send. */
void pg_proxy_corrupt(const char *find, const char *replace);
/* How many connections were cut so far. */
int pg_proxy_cuts(void);
void pg_proxy_stop(void);

#endif
