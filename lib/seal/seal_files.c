/* TL-5: the key file and the seal log, byte for byte as lib/docs/sealing.md
 * describes them, and the key evolution. All integers are little-endian. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seal_internal.h"
#include "util/hmac.h"

#define KEY_MAGIC   "INCSKEY1"
#define LOG_MAGIC   "INCSLOG1"
#define REC_MAGIC   "SEAL"
#define FORMAT      1
#define EVOLVE_TAG  "inc-seal-evolve"
#define KEY_ID_TAG  "inc-seal-keyid"
#define MAC_TAG     "inc-seal-v1"
#define ENTRY_FIXED (1 + 8 + INC__SHA256_LEN) /* id length, seq, hash */

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif

/* ---- keys ------------------------------------------------------------------ */

void inc__seal_evolve(uint8_t key[INC__SHA256_LEN])
{
    inc__sha256_ctx s;
    inc__sha256_init(&s);
    inc__sha256_update(&s, EVOLVE_TAG, sizeof(EVOLVE_TAG) - 1);
    inc__sha256_update(&s, key, INC__SHA256_LEN);
    inc__sha256_final(&s, key); /* the final wipes the context */
}

void inc__seal_key_id(const uint8_t k0[INC__SHA256_LEN], uint8_t out[INC__SHA256_LEN])
{
    inc__sha256_ctx s;
    inc__sha256_init(&s);
    inc__sha256_update(&s, KEY_ID_TAG, sizeof(KEY_ID_TAG) - 1);
    inc__sha256_update(&s, k0, INC__SHA256_LEN);
    inc__sha256_final(&s, out);
}

void inc__seal_mac(const uint8_t key[INC__SHA256_LEN], const inc__seal_rec *r,
                   uint8_t out[INC__SHA256_LEN])
{
    uint8_t fixed[8 + 8 + 4];
    inc__hmac_ctx h;

    inc__store_u64le(fixed, r->epoch);
    inc__store_u64le(fixed + 8, (uint64_t)r->time);
    inc__store_u32le(fixed + 16, r->count);
    inc__hmac_init(&h, key, INC__SHA256_LEN);
    inc__hmac_update(&h, MAC_TAG, sizeof(MAC_TAG) - 1);
    inc__hmac_update(&h, fixed, sizeof(fixed));
    inc__hmac_update(&h, r->digest, INC__SHA256_LEN);
    inc__hmac_final(&h, out);
}

/* ---- plain file I/O ----------------------------------------------------------- */

static int io_fail(inc_error *err, const char *what, const char *path)
{
    int code = errno == ENOENT ? INC_ENOTFOUND : errno == EEXIST ? INC_EEXIST : INC_EIO;
    return inc_error_set(err, code, "%s %s: %s", what, path, strerror(errno));
}

static int write_all(int fd, off_t off, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = pwrite(fd, p, len, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        off += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Sync the directory holding @path, so a new file's name is durable. */
static int sync_parent(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    int fd, rc;

    if (!slash)
        strcpy(dir, ".");
    else if (slash == path)
        strcpy(dir, "/");
    else if ((size_t)(slash - path) < sizeof(dir)) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    } else
        return -1;
    if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

int inc__seal_create(const char *path, const void *data, size_t len, inc_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return io_fail(err, "cannot create", path);
    if (write_all(fd, 0, data, len) != 0 || fsync(fd) != 0) {
        int rc = io_fail(err, "cannot write", path);
        close(fd);
        unlink(path);
        return rc;
    }
    close(fd);
    if (sync_parent(path) != 0)
        return io_fail(err, "cannot sync the directory of", path);
    return INC_OK;
}

/* Read exactly @len bytes from the start of @fd; 1 if the file is shorter. */
static int read_exact(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, p + got, len - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 1;
        got += (size_t)n;
    }
    return 0;
}

/* ---- the key file --------------------------------------------------------------- */

void inc__seal_key_encode(const inc__seal_key *k, uint8_t out[INC__SEAL_KEY_FILE_LEN])
{
    memset(out, 0, INC__SEAL_KEY_FILE_LEN);
    memcpy(out, KEY_MAGIC, 8);
    inc__store_u32le(out + 8, FORMAT);
    inc__store_u64le(out + 16, k->epoch);
    inc__store_u64le(out + 24, (uint64_t)k->setup_at);
    memcpy(out + 32, k->key, INC__SHA256_LEN);
    memcpy(out + 64, k->key_id, INC__SHA256_LEN);
    inc__store_u32le(out + 124, inc__crc32c(0, out, 124));
}

static int key_decode(const uint8_t in[INC__SEAL_KEY_FILE_LEN], const char *path, inc__seal_key *k,
                      inc_error *err)
{
    if (memcmp(in, KEY_MAGIC, 8) != 0)
        return inc_error_set(err, INC_ECORRUPT, "%s: not a seal key file", path);
    if (inc__load_u32le(in + 124) != inc__crc32c(0, in, 124))
        return inc_error_set(err, INC_ECORRUPT, "%s: seal key file checksum mismatch", path);
    if (inc__load_u32le(in + 8) != FORMAT)
        return inc_error_set(err, INC_EVERSION, "%s: seal key file of format %u", path,
                             (unsigned)inc__load_u32le(in + 8));
    k->epoch = inc__load_u64le(in + 16);
    k->setup_at = (inc_time)inc__load_u64le(in + 24);
    memcpy(k->key, in + 32, INC__SHA256_LEN);
    memcpy(k->key_id, in + 64, INC__SHA256_LEN);
    if (k->epoch == 0)
        return inc_error_set(err, INC_ECORRUPT, "%s: seal key file at epoch 0", path);
    return INC_OK;
}

int inc__seal_key_open(const char *path, int writable, int *fd, inc_error *err)
{
    *fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW);
    return *fd < 0 ? io_fail(err, "cannot open the seal key file", path) : INC_OK;
}

int inc__seal_key_load(int fd, const char *path, inc__seal_key *k, inc_error *err)
{
    uint8_t bytes[INC__SEAL_KEY_FILE_LEN];
    int rc = read_exact(fd, bytes, sizeof(bytes));

    if (rc < 0)
        rc = io_fail(err, "cannot read", path);
    else if (rc > 0)
        rc = inc_error_set(err, INC_ECORRUPT, "%s: seal key file cut short", path);
    else
        rc = key_decode(bytes, path, k, err);
    inc__wipe(bytes, sizeof(bytes));
    return rc;
}

int inc__seal_key_write(int fd, const char *path, const inc__seal_key *k, inc_error *err)
{
    uint8_t bytes[INC__SEAL_KEY_FILE_LEN];
    int rc = INC_OK;

    inc__seal_key_encode(k, bytes);
    /* In place, same length: the old key's bytes are overwritten in the file. */
    if (write_all(fd, 0, bytes, sizeof(bytes)) != 0 || fsync(fd) != 0)
        rc = io_fail(err, "cannot write the seal key file", path);
    inc__wipe(bytes, sizeof(bytes));
    return rc;
}

/* ---- the seal log ------------------------------------------------------------------ */

void inc__seal_log_header(const uint8_t key_id[INC__SHA256_LEN], inc_time setup_at,
                          uint8_t out[INC__SEAL_LOG_HEADER])
{
    memset(out, 0, INC__SEAL_LOG_HEADER);
    memcpy(out, LOG_MAGIC, 8);
    inc__store_u32le(out + 8, FORMAT);
    memcpy(out + 16, key_id, INC__SHA256_LEN);
    inc__store_u64le(out + 48, (uint64_t)setup_at);
    inc__store_u32le(out + 60, inc__crc32c(0, out, 60));
}

/* Decode the record at @p (@avail bytes to the end of the log): 0 when it is
 * whole and its CRC and entries check, 1 when it is not. */
static int rec_decode(const uint8_t *p, size_t avail, inc__seal_rec *r)
{
    size_t len, pos, i;

    if (avail < INC__SEAL_REC_FIXED + INC__SEAL_REC_TRAILER || memcmp(p, REC_MAGIC, 4) != 0)
        return 1;
    len = inc__load_u32le(p + 4);
    if (len < INC__SEAL_REC_FIXED + INC__SEAL_REC_TRAILER || len > avail ||
        len > INC__SEAL_REC_MAX || inc__load_u32le(p + len - 4) != inc__crc32c(0, p, len - 4))
        return 1;
    r->epoch = inc__load_u64le(p + 8);
    r->time = (inc_time)inc__load_u64le(p + 16);
    r->count = inc__load_u32le(p + 24);
    r->digest = p + 32;
    r->entries = p + INC__SEAL_REC_FIXED;
    r->entries_len = len - INC__SEAL_REC_FIXED - INC__SEAL_REC_TRAILER;
    r->mac = p + len - INC__SEAL_REC_TRAILER;
    r->len = len;
    for (i = 0, pos = 0; i < r->count; i++) {
        size_t n;
        if (r->entries_len - pos < ENTRY_FIXED)
            return 1;
        n = r->entries[pos];
        if (n == 0 || n > INC_ID_MAX || r->entries_len - pos < ENTRY_FIXED + n)
            return 1;
        pos += ENTRY_FIXED + n;
    }
    return pos == r->entries_len ? 0 : 1;
}

void inc__seal_rec_at(const inc__seal_log *log, size_t off, inc__seal_rec *r)
{
    rec_decode(log->bytes + off, log->valid_end - off, r);
}

void inc__seal_entry_next(const inc__seal_rec *r, size_t *pos, inc__seal_entry *e)
{
    const uint8_t *p = r->entries + *pos;
    e->id_len = p[0];
    e->id = (const char *)p + 1;
    e->seq = inc__load_u64le(p + 1 + e->id_len);
    e->hash = p + 1 + e->id_len + 8;
    e->epoch = r->epoch;
    *pos += ENTRY_FIXED + e->id_len;
}

static int read_file(const inc_allocator *a, const char *path, inc__seal_log *log, inc_error *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc;

    if (fd < 0)
        return io_fail(err, "cannot open the seal log", path);
    if (fstat(fd, &st) != 0) {
        rc = io_fail(err, "cannot read", path);
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > (uint64_t)SIZE_MAX / 2) {
        close(fd);
        return inc_error_set(err, INC_EINVAL, "%s: not a regular file", path);
    }
    log->len = (size_t)st.st_size;
    if (!(log->bytes = inc__malloc(a, log->len ? log->len : 1))) {
        close(fd);
        return inc_error_set(err, INC_ENOMEM, "out of memory reading %s", path);
    }
    rc = read_exact(fd, log->bytes, log->len);
    close(fd);
    if (rc != 0)
        return rc < 0 ? io_fail(err, "cannot read", path)
                      : inc_error_set(err, INC_EIO, "%s: changed while read", path);
    return INC_OK;
}

static int check_header(inc__seal_log *log, const char *path, inc_error *err)
{
    const uint8_t *h = log->bytes;
    if (log->len < INC__SEAL_LOG_HEADER || memcmp(h, LOG_MAGIC, 8) != 0)
        return inc_error_set(err, INC_ECORRUPT, "%s: not a seal log", path);
    if (inc__load_u32le(h + 60) != inc__crc32c(0, h, 60))
        return inc_error_set(err, INC_ECORRUPT, "%s: seal log header checksum mismatch", path);
    if (inc__load_u32le(h + 8) != FORMAT)
        return inc_error_set(err, INC_EVERSION, "%s: seal log of format %u", path,
                             (unsigned)inc__load_u32le(h + 8));
    memcpy(log->key_id, h + 16, INC__SHA256_LEN);
    log->setup_at = (inc_time)inc__load_u64le(h + 48);
    return INC_OK;
}

/* Walk the records; a bad one with more bytes than a torn append could have
 * left after it is corruption. */
static int check_records(inc__seal_log *log, const char *path, inc_error *err)
{
    size_t off = INC__SEAL_LOG_HEADER;
    inc__seal_rec r;

    log->valid_end = off;
    while (off < log->len) {
        if (rec_decode(log->bytes + off, log->len - off, &r) != 0) {
            size_t rest = log->len - off;
            if (memcmp(log->bytes + off, REC_MAGIC, rest < 4 ? rest : 4) == 0 &&
                (rest < 8 || inc__load_u32le(log->bytes + off + 4) >= rest))
                break; /* a torn tail: the last append did not finish */
            return inc_error_set(err, INC_ECORRUPT,
                                 "%s: seal record at offset %zu is damaged (checksum, length "
                                 "or entries) and is not the last",
                                 path, off);
        }
        if (r.epoch != log->last_epoch + 1)
            return inc_error_set(err, INC_ECORRUPT,
                                 "%s: seal record at offset %zu has epoch %llu after epoch %llu "
                                 "(seals were removed or reordered)",
                                 path, off, (unsigned long long)r.epoch,
                                 (unsigned long long)log->last_epoch);
        log->last_epoch = r.epoch;
        log->last_time = r.time;
        off += r.len;
        log->valid_end = off;
    }
    return INC_OK;
}

int inc__seal_log_read(const inc_allocator *a, const char *path, inc__seal_log *log, inc_error *err)
{
    int rc;
    memset(log, 0, sizeof(*log));
    log->last_time = INC_TIME_NONE;
    if ((rc = read_file(a, path, log, err)) != INC_OK ||
        (rc = check_header(log, path, err)) != INC_OK ||
        (rc = check_records(log, path, err)) != INC_OK) {
        inc__seal_log_free(a, log);
        return rc;
    }
    return INC_OK;
}

void inc__seal_log_free(const inc_allocator *a, inc__seal_log *log)
{
    inc__free(a, log->bytes);
    log->bytes = NULL;
}

int inc__seal_rec_encode(inc__buf *b, const uint8_t key[INC__SHA256_LEN], uint64_t epoch,
                         inc_time time, const inc__seal_entry *entries, size_t count)
{
    uint8_t digest[INC__SHA256_LEN], mac[INC__SHA256_LEN];
    inc__seal_rec r;
    size_t i, start;

    if (count > UINT32_MAX)
        return INC_ETOOBIG;
    inc__buf_clear(b);
    inc__buf_put(b, REC_MAGIC, 4);
    inc__buf_put_u32le(b, 0); /* the length, below */
    inc__buf_put_u64le(b, epoch);
    inc__buf_put_u64le(b, (uint64_t)time);
    inc__buf_put_u32le(b, (uint32_t)count);
    inc__buf_put_u32le(b, 0);
    inc__buf_put(b, digest, sizeof(digest)); /* placeholder */
    start = b->len;
    for (i = 0; i < count; i++) {
        inc__buf_putc(b, (char)entries[i].id_len);
        inc__buf_put(b, entries[i].id, entries[i].id_len);
        inc__buf_put_u64le(b, entries[i].seq);
        inc__buf_put(b, entries[i].hash, INC__SHA256_LEN);
    }
    if (b->failed)
        return INC_ENOMEM;
    if (b->len + INC__SEAL_REC_TRAILER > INC__SEAL_REC_MAX)
        return INC_ETOOBIG;
    inc__sha256(b->ptr + start, b->len - start, digest);
    memcpy(b->ptr + 32, digest, sizeof(digest));
    r.epoch = epoch;
    r.time = time;
    r.count = (uint32_t)count;
    r.digest = digest;
    inc__seal_mac(key, &r, mac);
    inc__buf_put(b, mac, sizeof(mac));
    inc__store_u32le(b->ptr + 4, (uint32_t)(b->len + 4));
    inc__buf_put_u32le(b, inc__crc32c(0, b->ptr, b->len));
    return b->failed ? INC_ENOMEM : INC_OK;
}

int inc__seal_log_write(const char *path, size_t off, const void *data, size_t len, inc_error *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW), rc = INC_OK;
    if (fd < 0)
        return io_fail(err, "cannot open the seal log", path);
    if (write_all(fd, (off_t)off, data, len) != 0 || ftruncate(fd, (off_t)(off + len)) != 0 ||
        fsync(fd) != 0)
        rc = io_fail(err, "cannot write the seal log", path);
    close(fd);
    return rc;
}
