/* The journal handle's mutex (every entry point in journal.c and
 * journal_services.c holds it) and the group-commit flusher.
 *
 * Under the group policy a handle keeps an incident's write lock from its
 * first pending append until the group is synced, so that the appends in
 * between cost one write each and no locking (group commit). Without a timer
 * a handle that then went idle would keep the lock, and its events unsynced,
 * until its next call: a flusher thread, one per group handle, syncs the
 * group when its oldest append is group_ms old on the monotonic clock (a
 * timer, not a timestamp: event times still come from the clock callback,
 * which also bounds the group at each append). */
#include <errno.h>
#include <signal.h>

#include "journal_internal.h"

void inc__jstore_enter(jstore *js)
{
    (void)pthread_mutex_lock(&js->mu);
}

void inc__jstore_leave(jstore *js)
{
    (void)pthread_mutex_unlock(&js->mu);
}

static void deadline_of(const jstore *js, struct timespec *d)
{
    *d = js->first_mono;
    d->tv_sec += (time_t)(js->opts.group_ms / 1000);
    d->tv_nsec += (long)(js->opts.group_ms % 1000) * 1000000L;
    if (d->tv_nsec >= 1000000000L) {
        d->tv_sec++;
        d->tv_nsec -= 1000000000L;
    }
}

static int reached(const struct timespec *d)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > d->tv_sec || (now.tv_sec == d->tv_sec && now.tv_nsec >= d->tv_nsec);
}

static void *flusher_main(void *arg)
{
    jstore *js = arg;
    inc__jstore_enter(js);
    while (!js->stopping) {
        struct timespec d;
        if (js->pending_appends == 0) {
            js->flusher_idle = 1;
            (void)pthread_cond_wait(&js->cv, &js->mu);
            js->flusher_idle = 0;
            continue;
        }
        deadline_of(js, &d);
        if (!reached(&d)) {
            (void)pthread_cond_timedwait(&js->cv, &js->mu, &d);
            continue; /* re-check: the group may have been synced meanwhile */
        }
        /* A failure leaves the events pending; try again a period later. */
        if (inc__jstore_flush(js, NULL) != INC_OK)
            clock_gettime(CLOCK_MONOTONIC, &js->first_mono);
    }
    inc__jstore_leave(js);
    return NULL;
}

/* Wake the flusher only when it waits with no deadline. Waiting for a
 * deadline it wakes by itself, and a group started since only moves the
 * deadline later: it then waits again. Signalling at every group would cost
 * a wake-up, a context switch and a fight for the mutex per group, the
 * largest part of the gap between policy group and a raw batched loop. */
void inc__jgroup_started(jstore *js)
{
    clock_gettime(CLOCK_MONOTONIC, &js->first_mono);
    if (js->flusher_on && js->flusher_idle)
        (void)pthread_cond_signal(&js->cv);
}

/* Start the flusher with every signal blocked, so that signals go to the
 * application's threads. */
static int start_flusher(jstore *js, inc_error *err)
{
    sigset_t all, old;
    int rc;
    sigfillset(&all);
    (void)pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&js->flusher, NULL, flusher_main, js);
    (void)pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return rc == EAGAIN ? inc__error_oom(err)
                            : inc_error_set(err, INC_ERROR, "journal: cannot start the flusher");
    js->flusher_on = 1;
    return INC_OK;
}

int inc__jgroup_init(jstore *js, inc_error *err)
{
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    int rc;

    /* Recursive: a read callback may call the store again. */
    if (pthread_mutexattr_init(&ma) != 0)
        return inc__error_oom(err);
    (void)pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    rc = pthread_mutex_init(&js->mu, &ma);
    (void)pthread_mutexattr_destroy(&ma);
    if (rc != 0)
        return inc__error_oom(err);
    js->mu_ok = 1;
    if (pthread_condattr_init(&ca) != 0)
        return inc__error_oom(err);
    (void)pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    rc = pthread_cond_init(&js->cv, &ca);
    (void)pthread_condattr_destroy(&ca);
    if (rc != 0)
        return inc__error_oom(err);
    js->cv_ok = 1;
    if (js->opts.sync != INC_SYNC_GROUP || js->opts.read_only)
        return INC_OK;
    return start_flusher(js, err);
}

void inc__jgroup_stop(jstore *js)
{
    if (!js->flusher_on)
        return;
    inc__jstore_enter(js);
    js->stopping = 1;
    (void)pthread_cond_signal(&js->cv);
    inc__jstore_leave(js);
    (void)pthread_join(js->flusher, NULL);
    js->flusher_on = 0;
}

void inc__jgroup_destroy(jstore *js)
{
    inc__jgroup_stop(js);
    if (js->cv_ok)
        (void)pthread_cond_destroy(&js->cv);
    if (js->mu_ok)
        (void)pthread_mutex_destroy(&js->mu);
    js->cv_ok = js->mu_ok = 0;
}
