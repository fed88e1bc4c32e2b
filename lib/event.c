/* Encoding and decoding of events (format in lib/docs/events.md). */
#include <string.h>

#include "event_kinds.h"
#include "util/time.h"
#include "util/text.h"

static const inc__field_info field_table[INC__F_COUNT] = {
    [INC__F_ACTOR] = {"actor", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_TITLE] = {"title", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_TEXT] = {"text", INC__FT_STR, 0},
    [INC__F_SEVERITY] = {"severity", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_FROM_SEVERITY] = {"from_severity", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_STATE] = {"state", INC__FT_INT, 0},
    [INC__F_FROM_STATE] = {"from_state", INC__FT_INT, 0},
    [INC__F_CRITERIA] = {"criteria", INC__FT_INT, 0},
    [INC__F_CHANNEL] = {"channel", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_ID] = {"id", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_RUBRIC] = {"rubric", INC__FT_STR, 0},
    [INC__F_IMPACT_STARTED] = {"impact_started", INC__FT_INT, 0},
    [INC__F_DETECTED] = {"detected", INC__FT_INT, 0},
    [INC__F_DRILL] = {"drill", INC__FT_INT, 0},
    [INC__F_REF_SEQ] = {"ref_seq", INC__FT_INT, 0},
    [INC__F_ROLE] = {"role", INC__FT_INT, 0},
    [INC__F_PERSON] = {"person", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_DOMAIN] = {"domain", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_POLICY] = {"policy", INC__FT_INT, 0},
    [INC__F_CONDITIONS] = {"conditions", INC__FT_STR, 0},
    [INC__F_ACTIONS] = {"actions", INC__FT_STR, 0},
    [INC__F_NEEDS] = {"needs", INC__FT_STR, 0},
    [INC__F_REPORT_KIND] = {"report_kind", INC__FT_INT, 0},
    [INC__F_ADDRESSEE] = {"addressee", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_AUDIENCE] = {"audience", INC__FT_INT, 0},
    [INC__F_DECISION] = {"decision", INC__FT_INT, 0},
    [INC__F_TARGET] = {"target", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_NAME] = {"name", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_DUE] = {"due", INC__FT_INT, 0},
    [INC__F_DURATION] = {"duration", INC__FT_INT, 0},
    [INC__F_PRIORITY] = {"priority", INC__FT_INT, 0},
    [INC__F_STATUS] = {"status", INC__FT_INT, 0},
    [INC__F_OWNER] = {"owner", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_ITEM] = {"item", INC__FT_INT, 0},
    [INC__F_APPROVED] = {"approved", INC__FT_INT, 0},
    [INC__F_STEP] = {"step", INC__FT_INT, 0},
    [INC__F_REASON] = {"reason", INC__FT_STR, 0},
    [INC__F_FINDINGS] = {"findings", INC__FT_STR, 0},
    [INC__F_REQUESTS] = {"requests", INC__FT_STR, 0},
    [INC__F_COMPONENTS] = {"components", INC__FT_STR, INC__TEXT_SINGLE_LINE},
    [INC__F_RUBRIC_SHA256] = {"rubric_sha256", INC__FT_STR, INC__TEXT_SINGLE_LINE},
};

const inc__field_info *inc__field_info_get(int tag)
{
    if (tag <= 0 || tag >= INC__F_COUNT || !field_table[tag].name)
        return NULL;
    return &field_table[tag];
}

int inc__field_by_name(const char *name)
{
    int tag;
    for (tag = 1; tag < INC__F_COUNT; tag++)
        if (field_table[tag].name && strcmp(field_table[tag].name, name) == 0)
            return tag;
    return 0;
}

const char *inc__event_kind_name(int kind)
{
    const inc__event_kind *row = inc__event_kind_row(kind);
    return row ? row->name : NULL;
}

int inc__event_kind_by_name(const char *name)
{
    int k;
    for (k = 1; k < inc__event_kind_end(); k++)
        if (inc__event_kind_row(k) && strcmp(inc__event_kind_row(k)->name, name) == 0)
            return k;
    return 0;
}

const char *inc_event_kind_name(inc_event_kind kind)
{
    return inc__event_kind_name((int)kind);
}

const char *inc__event_str(const inc__event *ev, int tag)
{
    return inc__event_has(ev, tag) ? ev->str[tag] : "";
}

/* ---- the checks the encoder and the decoder share ------------------------- */

/* What is refused when written is refused when read, by the same code: a
 * planted or imported event can carry nothing the API would not accept.
 * @code is INC_EINVAL when encoding (a caller's value) and INC_ECORRUPT
 * when decoding (stored bytes). */
static int check_text(const inc__field_info *fi, const char *s, size_t len, int kind, uint64_t seq,
                      int code, inc_error *err)
{
    size_t at;
    const char *why = inc__text_problem(s, len, fi->flags, &at);
    if (!why)
        return INC_OK;
    return inc_error_set(err, code, "event %llu (%s): field '%s': %s at byte %zu",
                         (unsigned long long)seq, inc__event_kind_name(kind), fi->name, why, at);
}

static int check_required(int kind, uint64_t present, uint64_t seq, int code, inc_error *err)
{
    uint64_t missing =
        (inc__event_kind_row(kind)->required | INC__TAG_BIT(INC__F_ACTOR)) & ~present;
    int tag;
    if (!missing)
        return INC_OK;
    for (tag = 1; !((missing >> tag) & 1u); tag++)
        ;
    return inc_error_set(err, code, "event %llu (%s): missing field %s", (unsigned long long)seq,
                         inc__event_kind_name(kind), inc__field_info_get(tag)->name);
}

/* Decode one field at @p; returns its total size or 0 if malformed. */
static size_t decode_field(const uint8_t *p, size_t avail, inc__event *ev, int *last_tag,
                           inc_error *err)
{
    uint16_t tag, type;
    uint32_t flen;
    const inc__field_info *fi;
    size_t total;

    if (avail < 8)
        return inc_error_set(err, INC_ECORRUPT, "event %llu: truncated field header",
                             (unsigned long long)ev->seq),
               0;
    tag = inc__load_u16le(p);
    type = inc__load_u16le(p + 2);
    flen = inc__load_u32le(p + 4);
    fi = inc__field_info_get(tag);
    if (!fi)
        return inc_error_set(err, INC_EVERSION, "event %llu: unknown field tag %u",
                             (unsigned long long)ev->seq, tag),
               0;
    if ((int)tag <= *last_tag || type != fi->type)
        return inc_error_set(err, INC_ECORRUPT, "event %llu: field '%s' out of order or mistyped",
                             (unsigned long long)ev->seq, fi->name),
               0;
    total = 8 + (size_t)flen + (type == INC__FT_STR ? 1 : 0);
    if (total > avail || (type == INC__FT_INT && flen != 8) ||
        (type == INC__FT_STR && p[8 + flen] != 0))
        return inc_error_set(err, INC_ECORRUPT, "event %llu: field '%s' is malformed",
                             (unsigned long long)ev->seq, fi->name),
               0;
    if (type == INC__FT_STR &&
        check_text(fi, (const char *)p + 8, flen, ev->kind, ev->seq, INC_ECORRUPT, err) != INC_OK)
        return 0;
    if (type == INC__FT_STR) {
        ev->str[tag] = (const char *)p + 8;
        ev->str_len[tag] = flen;
    } else {
        ev->num[tag] = (int64_t)inc__load_u64le(p + 8);
    }
    ev->present |= (uint64_t)1 << tag;
    *last_tag = tag;
    return total;
}

static int time_ok(int64_t t)
{
    return t >= INC__TIME_MIN && t <= INC__TIME_MAX;
}

/* Times outside the years 0000..9999 and longer durations are refused
 * when an event is read (and so when one is written: the write path
 * decodes what it encodes), so that no difference of two times and no
 * time plus a duration can overflow anywhere in the library. */
static int check_ranges(const inc__event *ev, inc_error *err)
{
    static const int time_tags[] = {INC__F_IMPACT_STARTED, INC__F_DETECTED, INC__F_DUE};
    size_t i;
    if (!time_ok(ev->time))
        return inc_error_set(err, INC_ECORRUPT, "event %llu: its time is outside the years 0..9999",
                             (unsigned long long)ev->seq);
    for (i = 0; i < sizeof(time_tags) / sizeof(time_tags[0]); i++)
        if (inc__event_has(ev, time_tags[i]) && !time_ok(ev->num[time_tags[i]]))
            return inc_error_set(err, INC_ECORRUPT, "event %llu: %s is outside the years 0..9999",
                                 (unsigned long long)ev->seq,
                                 inc__field_info_get(time_tags[i])->name);
    if (inc__event_has(ev, INC__F_DURATION) &&
        (ev->num[INC__F_DURATION] < -INC__TIME_SPAN || ev->num[INC__F_DURATION] > INC__TIME_SPAN))
        return inc_error_set(err, INC_ECORRUPT, "event %llu: duration out of range",
                             (unsigned long long)ev->seq);
    return INC_OK;
}

int inc__event_decode(const void *data, size_t len, inc__event *ev, inc_error *err)
{
    const uint8_t *p = data;
    size_t off = INC__EV_HEADER;
    unsigned nfields, i;
    int last_tag = 0;

    ev->present = 0;
    if (!p || len < INC__EV_HEADER)
        return inc_error_set(err, INC_ECORRUPT, "event shorter than its header (%zu bytes)", len);
    if (p[0] != INC__EV_FORMAT)
        return inc_error_set(err, INC_EVERSION, "event format %u is not supported", p[0]);
    ev->kind = p[1];
    nfields = inc__load_u16le(p + 2);
    ev->seq = inc__load_u64le(p + 8);
    ev->time = (inc_time)inc__load_u64le(p + 16);
    ev->prev_hash = p + 24;
    ev->raw = p;
    ev->len = len;
    if (inc__load_u32le(p + 4) != len || inc__load_u64le(p + 56) != 0)
        return inc_error_set(err, INC_ECORRUPT, "event %llu: bad length or reserved bytes",
                             (unsigned long long)ev->seq);
    if (!inc__event_kind_name(ev->kind))
        return inc_error_set(err, INC_EVERSION, "event %llu: unknown kind %d",
                             (unsigned long long)ev->seq, ev->kind);
    for (i = 0; i < nfields; i++) {
        size_t used = decode_field(p + off, len - off, ev, &last_tag, err);
        if (!used)
            return err ? err->code : INC_ECORRUPT;
        off += used;
    }
    if (off != len)
        return inc_error_set(err, INC_ECORRUPT, "event %llu: %zu trailing bytes",
                             (unsigned long long)ev->seq, len - off);
    if (check_required(ev->kind, ev->present, ev->seq, INC_ECORRUPT, err) != INC_OK)
        return INC_ECORRUPT;
    return check_ranges(ev, err);
}

void inc__draft_init(inc__event_draft *d, int kind, const char *actor)
{
    memset(d, 0, sizeof(*d));
    d->kind = kind;
    if (actor)
        inc__draft_str(d, INC__F_ACTOR, actor);
}

void inc__draft_str(inc__event_draft *d, int tag, const char *s)
{
    if (!s)
        return;
    d->str[tag] = s;
    d->present |= (uint64_t)1 << tag;
}

void inc__draft_int(inc__event_draft *d, int tag, int64_t v)
{
    d->num[tag] = v;
    d->present |= (uint64_t)1 << tag;
}

/* The draft's values, checked as the decoder will check them. */
static int check_draft(const inc__event_draft *d, uint64_t seq, inc_error *err)
{
    int tag, rc;
    if (!inc__event_kind_row(d->kind))
        return inc_error_set(err, INC_EINVAL, "event %llu: unknown kind %d",
                             (unsigned long long)seq, d->kind);
    if ((rc = check_required(d->kind, d->present, seq, INC_EINVAL, err)) != INC_OK)
        return rc;
    for (tag = 1; tag < INC__F_COUNT; tag++) {
        const inc__field_info *fi = inc__field_info_get(tag);
        if (fi && fi->type == INC__FT_STR && ((d->present >> tag) & 1u) &&
            (rc = check_text(fi, d->str[tag], strlen(d->str[tag]), d->kind, seq, INC_EINVAL,
                             err)) != INC_OK)
            return rc;
    }
    return INC_OK;
}

int inc__event_encode(const inc__event_draft *d, uint64_t seq, inc_time time,
                      const uint8_t prev_hash[INC__SHA256_LEN], inc__buf *out, inc_error *err)
{
    int rc;
    inc__buf_clear(out);
    if ((rc = check_draft(d, seq, err)) != INC_OK)
        return rc;
    return inc__event_encode_unchecked(d, seq, time, prev_hash, out, err);
}

int inc__event_encode_unchecked(const inc__event_draft *d, uint64_t seq, inc_time time,
                                const uint8_t prev_hash[INC__SHA256_LEN], inc__buf *out,
                                inc_error *err)
{
    static const uint8_t zero[INC__SHA256_LEN];
    uint8_t header[INC__EV_HEADER];
    unsigned nfields = 0;
    int tag;

    inc__buf_clear(out);
    memset(header, 0, sizeof(header));
    header[0] = INC__EV_FORMAT;
    header[1] = (uint8_t)d->kind;
    inc__store_u64le(header + 8, seq);
    inc__store_u64le(header + 16, (uint64_t)time);
    memcpy(header + 24, prev_hash ? prev_hash : zero, INC__SHA256_LEN);
    inc__buf_put(out, header, sizeof(header));
    for (tag = 1; tag < INC__F_COUNT; tag++) {
        const inc__field_info *fi = inc__field_info_get(tag);
        if (!((d->present >> tag) & 1u) || !fi)
            continue;
        nfields++;
        inc__buf_put_u16le(out, (uint16_t)tag);
        inc__buf_put_u16le(out, (uint16_t)fi->type);
        if (fi->type == INC__FT_STR) {
            size_t n = strlen(d->str[tag]);
            inc__buf_put_u32le(out, (uint32_t)n);
            inc__buf_put(out, d->str[tag], n + 1);
        } else {
            inc__buf_put_u32le(out, 8);
            inc__buf_put_u64le(out, (uint64_t)d->num[tag]);
        }
    }
    if (out->failed)
        return inc_error_set(err, INC_ENOMEM, "out of memory");
    if (out->len > INC__EV_MAX_LEN)
        return inc_error_set(err, INC_ETOOBIG, "event %llu (%s): larger than %u bytes",
                             (unsigned long long)seq, inc__event_kind_name(d->kind),
                             (unsigned)INC__EV_MAX_LEN);
    inc__store_u32le(out->ptr + 4, (uint32_t)out->len);
    out->ptr[2] = (char)(nfields & 0xff);
    out->ptr[3] = (char)(nfields >> 8);
    return INC_OK;
}
