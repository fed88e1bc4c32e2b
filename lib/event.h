/* The event encoding (documented in lib/docs/events.md).
 *
 * An event is a fixed 64-byte header followed by fields in ascending tag
 * order, each tag at most once. The encoding of a given set of values is
 * therefore unique, which lets a JSON import rebuild the exact bytes and
 * check them against the exported hashes. All integers are little-endian.
 *
 *   0  u8   format version (1)
 *   1  u8   kind (inc_event_kind)
 *   2  u16  number of fields
 *   4  u32  total length in bytes, header included
 *   8  u64  sequence number (from 1)
 *  16  i64  time, ms since the Unix epoch, UTC
 *  24  u8[32] SHA-256 of the previous event's bytes (zero for event 1)
 *  56  u64  reserved, zero
 *  64  fields: u16 tag, u16 type (1 string, 2 integer), u32 length,
 *      then the bytes; a string is followed by one NUL byte that the
 *      length does not count; an integer is 8 bytes (i64).
 */
#ifndef INC_EVENT_H
#define INC_EVENT_H

#include "internal.h"
#include "util/buf.h"
#include "util/hash.h"

#define INC__EV_FORMAT  1
#define INC__EV_HEADER  64
#define INC__EV_MAX_LEN (4u << 20)

enum inc__field_type { INC__FT_STR = 1, INC__FT_INT = 2 };

/* Field tags: stable numbers, part of the stored format. */
enum inc__field {
    INC__F_ACTOR = 1,
    INC__F_TITLE = 2,
    INC__F_TEXT = 3,
    INC__F_SEVERITY = 4,
    INC__F_FROM_SEVERITY = 5,
    INC__F_STATE = 6,
    INC__F_FROM_STATE = 7,
    INC__F_CRITERIA = 8,
    INC__F_CHANNEL = 9,
    INC__F_ID = 10,
    INC__F_RUBRIC = 11,
    INC__F_IMPACT_STARTED = 12,
    INC__F_DETECTED = 13,
    INC__F_DRILL = 14,
    INC__F_REF_SEQ = 15,
    INC__F_ROLE = 16,
    INC__F_PERSON = 17,
    INC__F_DOMAIN = 18,
    INC__F_POLICY = 19,
    INC__F_CONDITIONS = 20,
    INC__F_ACTIONS = 21,
    INC__F_NEEDS = 22,
    INC__F_REPORT_KIND = 23,
    INC__F_ADDRESSEE = 24,
    INC__F_AUDIENCE = 25,
    INC__F_DECISION = 26,
    INC__F_TARGET = 27,
    INC__F_NAME = 28,
    INC__F_DUE = 29,
    INC__F_DURATION = 30,
    INC__F_PRIORITY = 31,
    INC__F_STATUS = 32,
    INC__F_OWNER = 33,
    INC__F_ITEM = 34,
    INC__F_APPROVED = 35,
    INC__F_STEP = 36,
    INC__F_REASON = 37,
    INC__F_FINDINGS = 38,
    INC__F_REQUESTS = 39,      /* CAN-3: Needs items that became decisions, one per line */
    INC__F_COMPONENTS = 40,    /* COMM-3: affected components of an external update */
    INC__F_RUBRIC_SHA256 = 41, /* RUB-4: the rubric kept as a store blob, by its key */
    INC__F_COUNT               /* one past the last tag */
};

/* Name and type of each tag (for JSON), NULL name for unused tags, and for
 * strings the inc__text_problem() flags its values are held to, written
 * and read alike: INC__TEXT_SINGLE_LINE (no control character at all) or 0
 * (LF, CR and TAB allowed). */
typedef struct inc__field_info {
    const char *name;
    int type;
    int flags;
} inc__field_info;
const inc__field_info *inc__field_info_get(int tag);
int inc__field_by_name(const char *name);

/* A decoded event: pointers into the encoded bytes (zero-copy). */
typedef struct inc__event {
    int kind;
    uint64_t seq;
    inc_time time;
    const uint8_t *prev_hash;
    const uint8_t *raw;
    size_t len;
    uint64_t present; /* bit per tag */
    const char *str[INC__F_COUNT];
    uint32_t str_len[INC__F_COUNT];
    int64_t num[INC__F_COUNT];
} inc__event;

/* Decode and check structure, the kind's required fields and every string
 * as the encoder checks it. Returns INC_OK, INC_ECORRUPT or INC_EVERSION
 * (message in @err, naming the event and the field). */
int inc__event_decode(const void *data, size_t len, inc__event *ev, inc_error *err);

static inline int inc__event_has(const inc__event *ev, int tag)
{
    return (ev->present >> tag) & 1u;
}
/* The string field, or "" when absent. */
const char *inc__event_str(const inc__event *ev, int tag);

/* Collects the fields of an event being written (pointers are borrowed). */
typedef struct inc__event_draft {
    int kind;
    uint64_t present;
    const char *str[INC__F_COUNT];
    int64_t num[INC__F_COUNT];
} inc__event_draft;

void inc__draft_init(inc__event_draft *d, int kind, const char *actor);
void inc__draft_str(inc__event_draft *d, int tag, const char *s);
void inc__draft_int(inc__event_draft *d, int tag, int64_t v);

/* Encode into @out (cleared first). Refuses (INC_EINVAL, message in @err,
 * which may be NULL) an unknown kind, a missing required field and a string
 * the decoder would refuse; INC_ETOOBIG, INC_ENOMEM. */
int inc__event_encode(const inc__event_draft *d, uint64_t seq, inc_time time,
                      const uint8_t prev_hash[INC__SHA256_LEN], inc__buf *out, inc_error *err);
/* The bytes of @d without any check of its values: inc__event_encode()
 * after its checks, and tests that forge stored events the decoder must
 * refuse. Nothing else in the library calls it. */
int inc__event_encode_unchecked(const inc__event_draft *d, uint64_t seq, inc_time time,
                                const uint8_t prev_hash[INC__SHA256_LEN], inc__buf *out,
                                inc_error *err);

const char *inc__event_kind_name(int kind);
int inc__event_kind_by_name(const char *name);

#endif
