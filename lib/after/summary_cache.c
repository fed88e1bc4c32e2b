/* The summary cache of store-wide reads: codec, the reader's window and
 * index, and the writer (summary_cache.h). */
#include <stdlib.h>
#include <string.h>

#include "incident_internal.h"
#include "summary_cache.h"
#include "util/hash.h"
#include "util/text.h"
#include "util/time.h"

#define MAGIC      "INCSUMM"
#define FORMAT     2u /* 2: the declarer, the channel and the last seq (the incident list) */
#define HEADER_LEN 24u
#define ENTRY_MIN  (4 + 1 + 32 + 4 + 7 * 8 + 2 + 1 + 1 + 1 + 8 + 4 + 4)
#define ENTRY_MAX  (64u << 20)
#define WINDOW     (1u << 20)

/* ---- the codec ------------------------------------------------------------------ */

typedef struct cursor {
    const uint8_t *p;
    size_t left;
    int bad;
} cursor;

static const uint8_t *take(cursor *c, size_t n)
{
    const uint8_t *p = c->p;
    if (c->bad || n > c->left) {
        c->bad = 1;
        return NULL;
    }
    c->p += n;
    c->left -= n;
    return p;
}

static uint64_t take_u64(cursor *c)
{
    const uint8_t *p = take(c, 8);
    return p ? inc__load_u64le(p) : 0;
}

static uint32_t take_u32(cursor *c)
{
    const uint8_t *p = take(c, 4);
    return p ? inc__load_u32le(p) : 0;
}

static unsigned take_u16(cursor *c)
{
    const uint8_t *p = take(c, 2);
    return p ? inc__load_u16le(p) : 0;
}

static unsigned take_u8(cursor *c)
{
    const uint8_t *p = take(c, 1);
    return p ? *p : 0;
}

static const char *take_str(cursor *c, size_t len, size_t max, size_t *out_len)
{
    const char *s = (const char *)take(c, len);
    if (s && (len > max || !inc__utf8_valid(s, len)))
        c->bad = 1;
    *out_len = len;
    return s;
}

/* The kept events: (u32 length, bytes) to the end exactly. */
static int kept_ok(const uint8_t *p, size_t len)
{
    while (len > 0) {
        uint32_t n;
        if (len < 4)
            return 0;
        n = inc__load_u32le(p);
        if (n > len - 4)
            return 0;
        p += 4 + (size_t)n;
        len -= 4 + (size_t)n;
    }
    return 1;
}

/* Times as the event decoder accepts them (or none): no arithmetic on a
 * summary can then overflow either. */
static int times_ok(const inc__pmc_entry *e)
{
    const inc_time times[7] = {e->declared_at, e->impact_started, e->detected,    e->mitigated_at,
                               e->resolved_at, e->first_page_at,  e->first_ack_at};
    size_t k;
    for (k = 0; k < 7; k++)
        if (times[k] != INC_TIME_NONE && (times[k] < INC__TIME_MIN || times[k] > INC__TIME_MAX))
            return 0;
    return 1;
}

static int id_ok(const char *id, size_t n)
{
    char buf[INC_ID_MAX + 1];
    if (!id || n == 0 || n > INC_ID_MAX)
        return 0;
    memcpy(buf, id, n);
    buf[n] = 0;
    return inc__id_valid(buf);
}

int inc__pmc_entry_check(const uint8_t *p, size_t avail, inc__pmc_entry *e, const char **id,
                         size_t *id_len)
{
    cursor c;
    uint32_t len;
    unsigned drill, state, pm;

    if (avail < 4 || (len = inc__load_u32le(p)) < ENTRY_MIN || len > avail ||
        inc__load_u32le(p + len - 4) != inc__crc32c(0, p, len - 4))
        return -1;
    c.p = p + 4;
    c.left = len - 8;
    c.bad = 0;
    *id_len = take_u8(&c);
    *id = (const char *)take(&c, *id_len);
    e->stamp.ino = take_u64(&c);
    e->stamp.size = take_u64(&c);
    e->stamp.mtime_ns = (int64_t)take_u64(&c);
    e->stamp.ctime_ns = (int64_t)take_u64(&c);
    drill = take_u8(&c);
    state = take_u8(&c);
    pm = take_u8(&c);
    (void)take_u8(&c);
    e->declared_at = (inc_time)take_u64(&c);
    e->impact_started = (inc_time)take_u64(&c);
    e->detected = (inc_time)take_u64(&c);
    e->mitigated_at = (inc_time)take_u64(&c);
    e->resolved_at = (inc_time)take_u64(&c);
    e->first_page_at = (inc_time)take_u64(&c);
    e->first_ack_at = (inc_time)take_u64(&c);
    e->title = take_str(&c, take_u16(&c), INC_TITLE_MAX, &e->title_len);
    e->severity = take_str(&c, take_u8(&c), INC_LEVEL_NAME_MAX, &e->severity_len);
    e->declarer = take_str(&c, take_u8(&c), INC_NAME_MAX, &e->declarer_len);
    e->channel = take_str(&c, take_u8(&c), INC__PMC_CHANNEL_MAX, &e->channel_len);
    e->last_seq = take_u64(&c);
    e->kept_len = take_u32(&c);
    e->kept = take(&c, e->kept_len);
    if (c.bad || c.left != 0 || drill > 1 || state > INC_STATE_CLOSED || pm > INC_PM_FINAL ||
        !id_ok(*id, *id_len) || !kept_ok(e->kept, e->kept_len) || !times_ok(e))
        return -1;
    e->drill = (int)drill;
    e->state = (inc_state)state;
    e->pm_status = (inc_pm_status)pm;
    e->len = len;
    return 0;
}

int inc__pmc_header_check(const uint8_t *p, size_t avail, uint64_t *count)
{
    if (avail < HEADER_LEN || memcmp(p, MAGIC, 8) != 0 || inc__load_u32le(p + 8) != FORMAT ||
        inc__load_u32le(p + 12) != (uint32_t)INC_VERSION_NUMBER ||
        inc__load_u32le(p + 20) != inc__crc32c(0, p, 20))
        return -1;
    *count = inc__load_u32le(p + 16);
    return 0;
}

static void header_encode(uint8_t out[HEADER_LEN], uint32_t count)
{
    memcpy(out, MAGIC, 8);
    inc__store_u32le(out + 8, FORMAT);
    inc__store_u32le(out + 12, (uint32_t)INC_VERSION_NUMBER);
    inc__store_u32le(out + 16, count);
    inc__store_u32le(out + 20, inc__crc32c(0, out, 20));
}

/* ---- the reader ----------------------------------------------------------------- */

/* The bytes [off, off + n) of the file, through the window; NULL past the
 * end, on a read error or without memory. */
static const uint8_t *window(inc__pmc *c, uint64_t off, size_t n)
{
    size_t want;
    if (off >= c->base && off - c->base <= c->have && c->have - (off - c->base) >= n)
        return c->win + (off - c->base);
    if (off > c->file.size || c->file.size - off < n)
        return NULL;
    if (n > c->cap) {
        uint8_t *w = inc__realloc(c->alloc, c->win, n);
        if (!w)
            return NULL;
        c->win = w;
        c->cap = n;
    }
    want = c->file.size - off < c->cap ? (size_t)(c->file.size - off) : c->cap;
    c->base = off;
    c->have = 0;
    if (inc__jaux_read(&c->file, c->win, want, off, &c->have) != INC_OK || c->have < n)
        return NULL;
    return c->win;
}

/* Check the entry at @off; 0 and *e, *id, *id_len set, or -1. */
static int entry_at(inc__pmc *c, uint64_t off, inc__pmc_entry *e, const char **id, size_t *id_len)
{
    const uint8_t *p = window(c, off, 4);
    uint32_t len;
    if (!p || (len = inc__load_u32le(p)) > ENTRY_MAX || !(p = window(c, off, len)) ||
        inc__pmc_entry_check(p, len, e, id, id_len) != 0)
        return -1;
    e->off = off;
    return 0;
}

void inc__pmc_open(inc__pmc *c, inc_store *store, const inc_allocator *alloc)
{
    const uint8_t *h;
    memset(c, 0, sizeof(*c));
    c->alloc = alloc;
    inc__buf_init(&c->ids, alloc);
    if (inc__jaux_open(&c->file, store, INC__PMC_NAME) != INC_OK)
        return;
    c->open = 1;
    c->cap = c->file.size < WINDOW ? (size_t)c->file.size : WINDOW;
    c->win = inc__malloc(alloc, c->cap ? c->cap : 1);
    h = c->win ? window(c, 0, HEADER_LEN) : NULL;
    if (!h || inc__pmc_header_check(h, HEADER_LEN, &c->count) != 0 ||
        c->count > (c->file.size - HEADER_LEN) / ENTRY_MIN)
        c->count = 0; /* unusable: every lookup misses */
    c->next = HEADER_LEN;
}

void inc__pmc_close(inc__pmc *c)
{
    if (c->open)
        inc__jaux_close(&c->file);
    inc__free(c->alloc, c->win);
    inc__free(c->alloc, c->slots);
    inc__buf_dispose(&c->ids);
    c->win = NULL;
    c->slots = NULL;
    c->open = 0;
}

static int slot_cmp(const void *a, const void *b)
{
    return strcmp(((const inc__pmc_slot *)a)->id, ((const inc__pmc_slot *)b)->id);
}

/* Index every entry by id (the ids copied, NUL-terminated). 0 when the
 * file is bad or memory is short: lookups out of order then miss. */
static int make_index(inc__pmc *c)
{
    uint64_t off = HEADER_LEN, i;
    size_t id_off = 0;
    c->slots = inc__calloc(c->alloc, (size_t)c->count, sizeof(*c->slots));
    if (!c->slots)
        return 0;
    for (i = 0; i < c->count; i++) {
        inc__pmc_entry e;
        const char *id;
        size_t n;
        if (entry_at(c, off, &e, &id, &n) != 0 || inc__buf_put(&c->ids, id, n + 1) != INC_OK)
            return 0;
        c->ids.ptr[c->ids.len - 1] = 0;
        c->slots[i].off = off;
        off += e.len;
    }
    for (i = 0; i < c->count; i++) { /* the ids' buffer no longer moves */
        c->slots[i].id = c->ids.ptr + id_off;
        id_off += strlen(c->slots[i].id) + 1;
    }
    if (c->count > 1)
        qsort(c->slots, (size_t)c->count, sizeof(*c->slots), slot_cmp);
    return 1;
}

static int lookup(inc__pmc *c, const char *id, inc__pmc_entry *out)
{
    size_t lo = 0, hi, n = strlen(id);
    const char *eid;
    size_t eid_len;
    if (c->count == 0)
        return 0;
    if (entry_at(c, c->next, out, &eid, &eid_len) == 0 && eid_len == n && memcmp(eid, id, n) == 0)
        return 1;
    if (!c->slots && c->no_index)
        return 0;
    if (!c->slots && !make_index(c)) {
        inc__free(c->alloc, c->slots);
        c->slots = NULL;
        c->no_index = 1;
        return 0;
    }
    for (hi = (size_t)c->count; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(id, c->slots[mid].id);
        if (r == 0)
            return entry_at(c, c->slots[mid].off, out, &eid, &eid_len) == 0;
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

int inc__pmc_find(inc__pmc *c, const char *id, const inc__jstamp *st, inc__pmc_entry *out)
{
    if (!lookup(c, id, out))
        return 0;
    c->next = out->off + out->len;
    return out->stamp.ino == st->ino && out->stamp.size == st->size &&
           out->stamp.mtime_ns == st->mtime_ns && out->stamp.ctime_ns == st->ctime_ns;
}

/* ---- the writer ----------------------------------------------------------------- */

void inc__pmc_builder_init(inc__pmc_builder *b, const inc_allocator *alloc)
{
    memset(b, 0, sizeof(*b));
    b->alloc = alloc;
    inc__buf_init(&b->fresh, alloc);
}

void inc__pmc_builder_dispose(inc__pmc_builder *b)
{
    if (b->streaming)
        inc__jaux_close(&b->out); /* (removes the temporary file unless committed) */
    inc__free(b->alloc, b->pieces);
    inc__buf_dispose(&b->fresh);
    b->pieces = NULL;
    b->count = b->cap = 0;
    b->streaming = 0;
}

int inc__pmc_builder_stream(inc__pmc_builder *b, inc_store *store)
{
    uint8_t header[HEADER_LEN] = {0}; /* a placeholder: the count is known at the end */
    int rc = inc__jaux_create(&b->out, store, INC__PMC_NAME);
    if (rc == INC_OK)
        rc = inc__jaux_write(&b->out, header, HEADER_LEN, 0);
    if (rc != INC_OK) {
        inc__jaux_close(&b->out);
        return rc;
    }
    b->streaming = 1;
    b->at = HEADER_LEN;
    return INC_OK;
}

/* Streaming: write what is buffered once there is a window's worth (or
 * all of it, @all). */
static void flush_fresh(inc__pmc_builder *b, int all)
{
    if (!b->streaming || b->failed || (!all && b->fresh.len < WINDOW) || !b->fresh.len)
        return;
    if (inc__jaux_write(&b->out, b->fresh.ptr, b->fresh.len, b->at) != INC_OK)
        b->failed = 1;
    b->at += b->fresh.len;
    inc__buf_clear(&b->fresh);
}

static inc__pmc_piece *piece(inc__pmc_builder *b)
{
    if (b->streaming) /* (entries from a read only: no old file has hits) */
        b->failed = 1;
    if (b->failed || inc__array_reserve(b->alloc, (void **)&b->pieces, &b->cap, b->count + 1,
                                        sizeof(*b->pieces)) != INC_OK) {
        b->failed = 1;
        return NULL;
    }
    return &b->pieces[b->count++];
}

void inc__pmc_add_hit(inc__pmc_builder *b, const inc__pmc_entry *e)
{
    inc__pmc_piece *p = piece(b);
    if (p) {
        p->hit = 1;
        p->off = e->off;
        p->len = e->len;
    }
}

static void encode_entry(inc__buf *out, const char *id, const inc__jstamp *st,
                         const inc__pm_summary *s, const uint8_t *kept, size_t kept_len)
{
    size_t start = out->len, id_len = strlen(id);
    size_t title_len = strlen(s->title), sev_len = strlen(s->severity);
    size_t declarer_len = strlen(s->declarer), channel_len = strlen(s->channel);
    const inc_time times[7] = {s->declared_at, s->impact_started, s->detected,    s->mitigated_at,
                               s->resolved_at, s->first_page_at,  s->first_ack_at};
    uint8_t flags[4] = {(uint8_t)(s->drill != 0), (uint8_t)s->state, (uint8_t)s->pm_status, 0};
    size_t i;

    inc__buf_put_u32le(out, 0); /* the entry's length, set below */
    inc__buf_putc(out, (char)id_len);
    inc__buf_put(out, id, id_len);
    inc__buf_put_u64le(out, st->ino);
    inc__buf_put_u64le(out, st->size);
    inc__buf_put_u64le(out, (uint64_t)st->mtime_ns);
    inc__buf_put_u64le(out, (uint64_t)st->ctime_ns);
    inc__buf_put(out, flags, 4);
    for (i = 0; i < 7; i++)
        inc__buf_put_u64le(out, (uint64_t)times[i]);
    inc__buf_put_u16le(out, (uint16_t)title_len);
    inc__buf_put(out, s->title, title_len);
    inc__buf_putc(out, (char)sev_len);
    inc__buf_put(out, s->severity, sev_len);
    inc__buf_putc(out, (char)declarer_len);
    inc__buf_put(out, s->declarer, declarer_len);
    inc__buf_putc(out, (char)channel_len);
    inc__buf_put(out, s->channel, channel_len);
    inc__buf_put_u64le(out, s->last_seq);
    inc__buf_put_u32le(out, (uint32_t)kept_len);
    inc__buf_put(out, kept, kept_len);
    if (out->failed)
        return;
    inc__store_u32le(out->ptr + start, (uint32_t)(out->len - start + 4));
    inc__buf_put_u32le(out, inc__crc32c(0, out->ptr + start, out->len - start));
}

void inc__pmc_add_read(inc__pmc_builder *b, const char *id, const inc__jstamp *st,
                       const inc__pm_summary *s, const uint8_t *kept, size_t kept_len)
{
    size_t start = b->fresh.len;
    inc__pmc_piece *p;
    /* An entry a valid incident cannot make is left out (and the incident
     * read on each scan). */
    if (b->failed || strlen(s->title) > INC_TITLE_MAX || strlen(s->severity) > INC_LEVEL_NAME_MAX ||
        strlen(s->declarer) > INC_NAME_MAX || strlen(s->channel) > INC__PMC_CHANNEL_MAX ||
        kept_len > ENTRY_MAX - 4096)
        return;
    encode_entry(&b->fresh, id, st, s, kept, kept_len);
    if (b->fresh.failed) {
        b->failed = 1;
    } else if (b->streaming) {
        b->count++;
        flush_fresh(b, 0);
    } else if ((p = piece(b)) != NULL) {
        p->hit = 0;
        p->off = start;
        p->len = b->fresh.len - start;
    }
}

/* Copy [off, off + len) of the old file to @out at *at, a window at a time. */
static int copy_hits(inc__pmc *old, uint64_t off, uint64_t len, inc__jaux *out, uint64_t *at)
{
    while (len > 0) {
        size_t n = len < old->cap ? (size_t)len : old->cap;
        const uint8_t *p = window(old, off, n);
        if (!p || inc__jaux_write(out, p, n, *at) != INC_OK)
            return INC_EIO;
        off += n;
        len -= n;
        *at += n;
    }
    return INC_OK;
}

static int write_pieces(const inc__pmc_builder *b, inc__pmc *old, inc__jaux *out)
{
    uint64_t at = HEADER_LEN, run_off = 0, run_len = 0;
    uint8_t header[HEADER_LEN];
    size_t i;
    int rc = INC_OK;
    for (i = 0; i < b->count && rc == INC_OK; i++) {
        const inc__pmc_piece *p = &b->pieces[i];
        if (p->hit && run_len && p->off == run_off + run_len) { /* hits in a row: one copy */
            run_len += p->len;
            continue;
        }
        if (run_len)
            rc = copy_hits(old, run_off, run_len, out, &at);
        run_len = 0;
        if (rc == INC_OK && p->hit) {
            run_off = p->off;
            run_len = p->len;
        } else if (rc == INC_OK) {
            rc = inc__jaux_write(out, b->fresh.ptr + p->off, p->len, at);
            at += p->len;
        }
    }
    if (rc == INC_OK && run_len)
        rc = copy_hits(old, run_off, run_len, out, &at);
    header_encode(header, (uint32_t)b->count);
    return rc == INC_OK ? inc__jaux_write(out, header, HEADER_LEN, 0) : rc;
}

/* Streaming: the rest, then the header with the count; then in place. */
static int finish_stream(inc__pmc_builder *b)
{
    uint8_t header[HEADER_LEN];
    int rc;
    flush_fresh(b, 1);
    if (b->failed || b->count > UINT32_MAX)
        return INC_EIO;
    header_encode(header, (uint32_t)b->count);
    rc = inc__jaux_write(&b->out, header, HEADER_LEN, 0);
    if (rc == INC_OK)
        rc = inc__jaux_commit(&b->out);
    return rc;
}

int inc__pmc_write(inc__pmc_builder *b, inc__pmc *old, inc_store *store)
{
    inc__jaux out;
    int rc;
    if (b->streaming)
        return finish_stream(b);
    if (b->failed || b->count > UINT32_MAX)
        return INC_ENOMEM;
    rc = inc__jaux_create(&out, store, INC__PMC_NAME);
    if (rc == INC_OK)
        rc = write_pieces(b, old, &out);
    if (rc == INC_OK)
        return inc__jaux_commit(&out);
    inc__jaux_close(&out);
    return rc;
}
