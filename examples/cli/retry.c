/* incident(1): retrying a change that lost a race with another writer.
 *
 * The library appends with optimistic concurrency: when another process
 * appended first, the change is refused with INC_ECONFLICT and nothing is
 * written. For a change whose meaning does not depend on what the other
 * writer did (a note, a CAN report, a status update) the tool reloads the
 * incident and applies the same change again, a bounded number of times.
 * An IC decision (severity, state, roles, hand-off, decisions) is never
 * retried: the incident changed under the person deciding, who must look
 * again (exit 4). */
#include "cli.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* A pause of 1..2^attempt ms (at most 64 ms), random so that two writers
 * that collided once do not collide again in lockstep. */
static void backoff(unsigned attempt)
{
    static unsigned seed;
    struct timespec ts;
    unsigned long ceiling = 1ul << (attempt < 6 ? attempt : 6), ms;
    if (!seed)
        seed = (unsigned)getpid() ^ (unsigned)time(NULL);
    ms = 1 + (unsigned long)rand_r(&seed) % ceiling;
    ts.tv_sec = 0;
    ts.tv_nsec = (long)(ms * 1000000ul);
    nanosleep(&ts, NULL);
}

int cli_retry_change(cli *c, inc_incident *inc, cli_change_fn change, void *arg)
{
    unsigned attempt;
    int rc = change(inc, arg);
    for (attempt = 1; rc == INC_ECONFLICT && attempt <= CLI_CONFLICT_RETRIES; attempt++) {
        int reload;
        backoff(attempt);
        if ((reload = inc_incident_reload(inc)) != INC_OK)
            return reload;
        rc = change(inc, arg);
    }
    if (rc == INC_ECONFLICT)
        fprintf(stderr, "incident: %s: %s: still refused after %d retries\n", c->cmd,
                inc_incident_id(inc), CLI_CONFLICT_RETRIES);
    return rc;
}
