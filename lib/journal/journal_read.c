/* Reading an incident's events: a scan without the lock (appends only add
 * bytes after the last commit, so committed records can be read while
 * another handle writes), and a look under the lock at what may be a torn
 * tail or rot. */
#include <string.h>

#include "journal_internal.h"

/* The first look at a torn tail: examine it under the lock (which waits
 * for a writer in the middle of an append) and cut it when writable. */
static int look_under_lock(jstore *js, jfile *f, inc_error *err)
{
    int ro = js->opts.read_only, held = f->held;
    int rc = held ? INC_OK : inc__jfile_lock(js, f, ro ? INC__JLOCK_SH : INC__JLOCK_EX, err);
    if (rc != INC_OK)
        return rc;
    rc = inc__jfile_refresh(js, f, ro ? INC__JLOOK : INC__JCUT, err);
    if (!held && f->fd >= 0)
        (void)js->io.lock(js->io.user, f->fd, INC__JLOCK_UN);
    f->looked = 1;
    return rc;
}

/* Remember what a lock-free read established. */
static void learn(jfile *f, const inc__jscan *s)
{
    if (f->known && s->end <= f->end)
        return;
    memcpy(f->last_hash, s->hash, INC__SHA256_LEN);
    f->end = s->end;
    f->foreign = s->end;
    f->last_seq = s->last_seq;
    f->known = 1;
}

int inc__jread(jstore *js, const char *id, uint64_t from_seq, inc_store_event_cb cb, void *cb_user,
               inc_error *err)
{
    inc__jio_stat opened;
    inc__jscan s;
    jfile *f;
    int rc, retried = 0;

    if (!id || !inc__id_valid(id) || !cb)
        return inc_error_set(err, INC_EINVAL, "journal read: invalid incident id or callback");
    rc = inc__jfile_find(js, id, &f, &opened, err);
    if (rc != INC_OK)
        return rc;
    if (from_seq == 0)
        from_seq = 1;
    inc__jscan_init(&s, js, f, &opened);
    s.cb = cb;
    s.cb_user = cb_user;
    for (;;) {
        /* Only the new records when the ones before were delivered. */
        s.from_seq = from_seq;
        rc = inc__jscan_file(&s, f, from_seq > f->last_seq,
                             js->opts.read_only ? INC__JLOOK : INC__JCUT, err);
        if (rc != INC_OK)
            return rc;
        if (s.tail == INC__JTAIL_STALE && !retried) {
            f->known = 0; /* cut by another handle since we looked: start over */
            retried = 1;
            continue;
        }
        if (s.tail == INC__JTAIL_CORRUPT && !retried) {
            /* Without the lock, a tail cut and rewritten while we read can
             * look like rot: make sure under the lock, then go on from the
             * last event delivered. */
            rc = look_under_lock(js, f, err);
            if (rc != INC_OK)
                return rc;
            if (s.last_seq >= from_seq)
                from_seq = s.last_seq + 1;
            retried = 1;
            continue;
        }
        break;
    }
    if (s.tail == INC__JTAIL_CORRUPT || s.tail == INC__JTAIL_STALE)
        return inc__jscan_corrupt(js, &s, err);
    if (s.last_seq == 0 || (s.tail == INC__JTAIL_TORN && !f->looked)) {
        rc = look_under_lock(js, f, err);
        if (rc != INC_OK)
            return rc;
        if (s.last_seq == 0) /* another writer's first append was under way */
            return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' in the journal", id);
        return INC_OK;
    }
    learn(f, &s);
    return INC_OK;
}
