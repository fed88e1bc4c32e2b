#!/usr/bin/env python3
"""An independent reader of libincident's files, written from the format
documents alone (lib/docs/journal-format.md, lib/docs/events.md,
lib/docs/export-format.md), with the Python standard library only.

It reads a journal directory (the JOURNAL marker, each <id>.jnl file: header,
records, CRC32C, the record chain, every event and its fields, the event
chain), the SUMMARY cache, and an export document, which it re-serializes by
the writer's rules. Used as a module by check_formats.py and as a tool:

    reader.py journal DIR        print every incident's events as JSON
    reader.py summary FILE       print the SUMMARY entries as JSON
    reader.py export FILE        check that FILE re-serializes byte for byte
"""
import hashlib
import json
import os
import struct
import sys

# ---- checksums (journal-format.md, "Byte order and checksums") ----------------


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def sha256(data):
    return hashlib.sha256(data).digest()


class FormatError(Exception):
    """Bytes that the documents say a reader must refuse."""

    def __init__(self, code, message):
        super().__init__("%s: %s" % (code, message))
        self.code = code


# ---- the event encoding (events.md) -------------------------------------------------

KINDS = {
    1: "declared", 2: "severity_changed", 3: "state_changed", 4: "note",
    5: "correction", 6: "role_assigned", 7: "role_released",
    8: "handoff_started", 9: "handoff_confirmed", 10: "can_report",
    11: "status_update", 12: "page_requested", 13: "page_sent",
    14: "acknowledged", 15: "decision_requested", 16: "decision_made",
    17: "action_added", 18: "action_changed", 19: "clock_started",
    20: "clock_stopped", 21: "cadence_changed", 22: "handoff_cancelled",
    23: "due_delivered", 24: "postmortem_section", 25: "postmortem_status",
    26: "postmortem_tag", 27: "bridge_opened", 28: "reopened", 29: "linked",
    30: "external_linked", 31: "alert_received", 32: "field_set",
}
KIND_BY_NAME = {v: k for k, v in KINDS.items()}

STR, INT = 1, 2
# tag: (name, type), every tag of format 1 (events.md, "Field tags").
TAGS = {
    1: ("actor", STR), 2: ("title", STR), 3: ("text", STR), 4: ("severity", STR),
    5: ("from_severity", STR), 6: ("state", INT), 7: ("from_state", INT),
    8: ("criteria", INT), 9: ("channel", STR), 10: ("id", STR), 11: ("rubric", STR),
    12: ("impact_started", INT), 13: ("detected", INT), 14: ("drill", INT),
    15: ("ref_seq", INT), 16: ("role", INT), 17: ("person", STR), 18: ("domain", STR),
    19: ("policy", INT), 20: ("conditions", STR), 21: ("actions", STR),
    22: ("needs", STR), 23: ("report_kind", INT), 24: ("addressee", STR),
    25: ("audience", INT), 26: ("decision", INT), 27: ("target", STR),
    28: ("name", STR), 29: ("due", INT), 30: ("duration", INT), 31: ("priority", INT),
    32: ("status", INT), 33: ("owner", STR), 34: ("item", INT), 35: ("approved", INT),
    36: ("step", INT), 37: ("reason", STR), 38: ("findings", STR),
    39: ("requests", STR), 40: ("components", STR), 41: ("rubric_sha256", STR),
}
TAG_BY_NAME = {name: tag for tag, (name, _) in TAGS.items()}

TIME_MIN = -62167219200000  # 0000-01-01T00:00:00.000Z, included
TIME_MAX = 253402300799999  # 9999-12-31T23:59:59.999Z, included
TIME_SPAN = TIME_MAX - TIME_MIN
TIME_TAGS = (12, 13, 29)
DURATION_TAG = 30
EVENT_HEADER = 64


def decode_event(raw):
    """Decode one event's bytes; a dict, or FormatError with the code the
    documents give (INC_ECORRUPT or INC_EVERSION)."""
    if len(raw) < EVENT_HEADER:
        raise FormatError("INC_ECORRUPT", "event shorter than its header")
    if raw[0] != 1:
        raise FormatError("INC_EVERSION", "event format %d" % raw[0])
    kind = raw[1]
    nfields, total = struct.unpack_from("<HI", raw, 2)
    seq, time_ms = struct.unpack_from("<Qq", raw, 8)
    prev = raw[24:56]
    (reserved,) = struct.unpack_from("<Q", raw, 56)
    if total != len(raw) or reserved != 0:
        raise FormatError("INC_ECORRUPT", "event %d: bad length or reserved bytes" % seq)
    if kind not in KINDS:
        raise FormatError("INC_EVERSION", "event %d: unknown kind %d" % (seq, kind))
    off, last_tag, fields = EVENT_HEADER, 0, []
    for _ in range(nfields):
        if len(raw) - off < 8:
            raise FormatError("INC_ECORRUPT", "event %d: truncated field header" % seq)
        tag, ftype, n = struct.unpack_from("<HHI", raw, off)
        if tag not in TAGS:
            raise FormatError("INC_EVERSION", "event %d: unknown tag %d" % (seq, tag))
        name, want = TAGS[tag]
        if tag <= last_tag or ftype != want:
            raise FormatError("INC_ECORRUPT", "event %d: %s out of order or mistyped" % (seq, name))
        size = 8 + n + (1 if ftype == STR else 0)
        if size > len(raw) - off:
            raise FormatError("INC_ECORRUPT", "event %d: %s runs past the end" % (seq, name))
        value = raw[off + 8:off + 8 + n]
        if ftype == INT:
            if n != 8:
                raise FormatError("INC_ECORRUPT", "event %d: %s is not 8 bytes" % (seq, name))
            fields.append((name, struct.unpack("<q", value)[0]))
        else:
            if raw[off + 8 + n] != 0 or b"\0" in value:
                raise FormatError("INC_ECORRUPT", "event %d: %s has a NUL" % (seq, name))
            try:
                text = value.decode("utf-8")  # strict: no surrogates, overlongs, > U+10FFFF
            except UnicodeDecodeError:
                raise FormatError("INC_ECORRUPT", "event %d: %s is not UTF-8" % (seq, name))
            fields.append((name, text))
        off += size
        last_tag = tag
    if off != len(raw):
        raise FormatError("INC_ECORRUPT", "event %d: %d trailing bytes" % (seq, len(raw) - off))
    check_ranges(seq, time_ms, fields)
    return {"seq": seq, "time_ms": time_ms, "kind": KINDS[kind], "prev_hash": prev.hex(),
            "hash": sha256(raw).hex(), "fields": fields, "raw": raw}


def check_ranges(seq, time_ms, fields):
    if not TIME_MIN <= time_ms <= TIME_MAX:
        raise FormatError("INC_ECORRUPT", "event %d: time out of range" % seq)
    for name, value in fields:
        tag = TAG_BY_NAME[name]
        if tag in TIME_TAGS and not TIME_MIN <= value <= TIME_MAX:
            raise FormatError("INC_ECORRUPT", "event %d: %s out of range" % (seq, name))
        if tag == DURATION_TAG and not -TIME_SPAN <= value <= TIME_SPAN:
            raise FormatError("INC_ECORRUPT", "event %d: duration out of range" % seq)


def encode_event(kind, seq, time_ms, prev, fields):
    """The unique encoding of a set of values (fields: name -> value)."""
    body = b""
    items = sorted(((TAG_BY_NAME[n], v) for n, v in fields), key=lambda tv: tv[0])
    for tag, value in items:
        if TAGS[tag][1] == STR:
            b = value.encode("utf-8")
            body += struct.pack("<HHI", tag, STR, len(b)) + b + b"\0"
        else:
            body += struct.pack("<HHIq", tag, INT, 8, value)
    header = struct.pack("<BBHIQq", 1, KIND_BY_NAME[kind], len(items), EVENT_HEADER + len(body),
                         seq, time_ms) + prev + b"\0" * 8
    return header + body


# ---- ISO 8601 (export-format.md, "time") ---------------------------------------------


def civil_from_days(z):
    """Proleptic Gregorian date of day z since 1970-01-01."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def iso_time(ms):
    days, rest = divmod(ms, 86400000)
    y, m, d = civil_from_days(days)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        y, m, d, rest // 3600000, rest // 60000 % 60, rest // 1000 % 60, rest % 1000)


# ---- the journal (journal-format.md) --------------------------------------------------

JMAGIC = b"INCJRNL\0"
HDR_LEN = 128
REC_FIXED = 56
REC_OVERHEAD = 60
MAX_PAYLOAD = 16 << 20
COMMIT = 1


def id_valid(ident):
    return (0 < len(ident) <= 96 and not ident.startswith("-")
            and all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in ident))


def header_bytes(ident):
    b = ident.encode("ascii")
    h = JMAGIC + struct.pack("<IIII", 1, HDR_LEN, 0, len(b)) + b + b"\0" * (96 - len(b)) + b"\0" * 4
    return h + struct.pack("<I", crc32c(h))


def check_header(data, ident):
    """None if good, else why (the order of journal-format.md)."""
    if len(data) < HDR_LEN:
        return "file shorter than its header"
    h = data[:HDR_LEN]
    if h[:8] != JMAGIC:
        return "bad magic"
    if struct.unpack_from("<I", h, 124)[0] != crc32c(h[:124]):
        return "header checksum mismatch"
    version, hlen, flags, n = struct.unpack_from("<IIII", h, 8)
    if version != 1:
        return "newer format" if version > 1 else "unknown format version"
    if hlen != HDR_LEN or flags != 0:
        return "unknown header length or flags"
    if h[24:24 + n] != ident.encode("ascii") or n != len(ident):
        return "header names another incident"
    return None


def check_record(data, off, k):
    """(size, None) for a valid record at @off numbered @k, else (0, why)."""
    avail = len(data) - off
    if avail < REC_FIXED:
        return 0, "record cut short"
    (length,) = struct.unpack_from("<I", data, off)
    if length > MAX_PAYLOAD:
        return 0, "record length out of range"
    if avail < REC_OVERHEAD + length:
        return 0, "record cut short"
    end = off + REC_FIXED + length
    if struct.unpack_from("<I", data, end)[0] != crc32c(data[off:end]):
        return 0, "record checksum mismatch"
    flags, seq, durable = struct.unpack_from("<IQQ", data, off + 4)
    if flags & ~COMMIT:
        return 0, "unknown record flags"
    if seq != k:
        return 0, "unexpected sequence number"
    if durable > off:
        return 0, "durable mark beyond the record"
    return REC_OVERHEAD + length, None


def valid_record_after(data, start, k):
    """The search of "A bad record: torn or corrupt" (TL-4): the offset of
    the first valid record at or after @start (every byte offset, a good
    CRC, known flags, a plausible number 1 .. k + 2**32), or None."""
    for i in range(start, len(data) - REC_OVERHEAD + 1):
        length, flags, seq = struct.unpack_from("<IIQ", data, i)
        if not (1 <= seq <= k + (1 << 32)) or flags & ~COMMIT:
            continue
        if REC_OVERHEAD + length > len(data) - i:
            continue
        end = i + REC_FIXED + length
        if struct.unpack_from("<I", data, end)[0] == crc32c(data[i:end]):
            return i
    return None


class Incident:
    """One <id>.jnl file, read as the documents say."""

    def __init__(self, path, ident, blobs=None):
        self.path, self.id = path, ident
        self.blobs = blobs if blobs is not None else {}
        with open(path, "rb") as f:
            data = f.read()
        self.size = len(data)
        self.header_bad = check_header(data, ident)
        self.records = []  # (offset, seq, flags, durable, payload) of the complete appends
        self.tail = "clean"
        self.bad = None  # (offset, number, why) of the first bad record
        self.chain_break = None
        if self.header_bad:
            return
        run = sha256(data[:HDR_LEN])
        off, k, e, pending = HDR_LEN, 0, HDR_LEN, []
        while off < len(data):
            size, why = check_record(data, off, k + 1)
            if why:
                self.bad = (off, k + 1, why)
                break
            flags, seq, durable = struct.unpack_from("<IQQ", data, off + 4)
            if data[off + 24:off + 56] != run and self.chain_break is None:
                self.chain_break = (off, k + 1)
            run = sha256(data[off:off + size])
            payload = data[off + REC_FIXED:off + size - 4]
            pending.append((off, seq, flags, durable, payload))
            k += 1
            off += size
            if flags & COMMIT:
                self.records += pending
                pending = []
                e = off
        self.end = e
        if self.bad is None and pending:
            # An append without its COMMIT: nothing after its valid records.
            self.bad = (e, k + 1, "bad record")
            self.tail = "torn"
        elif self.bad is not None:
            witness = valid_record_after(data, self.bad[0], k)
            self.tail = "corrupt" if witness is not None else "torn"

    def events(self):
        """Decode every committed event and check the event chain."""
        out, prev = [], b"\0" * 32
        for i, (off, seq, _, _, payload) in enumerate(self.records):
            ev = decode_event(payload)
            if ev["seq"] != seq or seq != i + 1:
                raise FormatError("INC_ECORRUPT", "record %d holds event %d" % (seq, ev["seq"]))
            if bytes.fromhex(ev["prev_hash"]) != prev:
                raise FormatError("INC_ECORRUPT", "event %d breaks the chain" % seq)
            if (ev["kind"] == "declared") != (seq == 1):
                raise FormatError("INC_ECORRUPT", "event %d: declaration misplaced" % seq)
            if seq == 1 and dict(ev["fields"]).get("id") != self.id:
                raise FormatError("INC_ECORRUPT", "the declared id is not the incident's")
            if seq == 1:
                ev["rubric_text"] = declared_rubric(ev, self.blobs)
            prev = sha256(payload)
            out.append(ev)
        return out


def declared_rubric(ev, blobs):
    """The rubric text a declaration records (events.md, "The rubric of a
    declaration"): its `rubric` field, or the blob its `rubric_sha256`
    names, which must hash to the key."""
    fields = dict(ev["fields"])
    if ("rubric" in fields) == ("rubric_sha256" in fields):
        raise FormatError("INC_ECORRUPT", "a declaration records its rubric once")
    if "rubric" in fields:
        return fields["rubric"]
    key = fields["rubric_sha256"]
    data = blobs.get(key)
    if data is None:
        raise FormatError("INC_ECORRUPT", "the rubric blob %s is not in the store" % key)
    if hashlib.sha256(data).hexdigest() != key:
        raise FormatError("INC_ECORRUPT", "the rubric blob %s does not hash to its key" % key)
    return data.decode("utf-8")


def read_blobs(directory):
    """{key: bytes} of every <key>.blob (journal-format.md, "Blobs")."""
    out = {}
    for name in os.listdir(directory):
        key = name[:-5]
        if name.endswith(".blob") and len(key) == 64 and all(c in "0123456789abcdef" for c in key):
            with open(os.path.join(directory, name), "rb") as f:
                out[key] = f.read()
    return out


def read_journal(directory):
    """{id: Incident} for every <id>.jnl with a valid id stem (quarantine
    files, <id>.jnl.quarantine-<offset>[.<n>], are not incidents); the
    blobs of the directory are given to each."""
    with open(os.path.join(directory, "JOURNAL"), "rb") as f:
        marker = f.read()
    if marker != b"libincident journal\nformat 1\n":
        raise FormatError("INC_EVERSION", "JOURNAL marker %r" % marker)
    blobs = read_blobs(directory)
    out = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".jnl") and id_valid(name[:-4]):
            out[name[:-4]] = Incident(os.path.join(directory, name), name[:-4], blobs)
    return out


# ---- SUMMARY (journal-format.md, "The summary cache") ----------------------------

TIME_NONE = -(1 << 63)
SUMMARY_TIMES = ("declared", "impact_started", "detected", "mitigated", "resolved",
                 "first_page", "first_ack")
ENTRY_MIN = 118
SUMMARY_FORMAT = 2


def read_summary(path):
    """(version, [entry dicts]); entries stop at the first bad one."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24 or data[:8] != b"INCSUMM\0":
        raise FormatError("summary", "bad magic")
    fmt, version, count, crc = struct.unpack_from("<IIII", data, 8)
    if fmt != SUMMARY_FORMAT or crc != crc32c(data[:20]) or count > (len(data) - 24) // ENTRY_MIN:
        raise FormatError("summary", "bad header")
    entries, off = [], 24
    for _ in range(count):
        e = summary_entry(data, off)
        if e is None:
            break
        entries.append(e)
        off += e["length"]
    return version, entries


def summary_entry(data, off):
    if len(data) - off < 4:
        return None
    (length,) = struct.unpack_from("<I", data, off)
    if length < ENTRY_MIN or length > min(64 << 20, len(data) - off):
        return None
    ent = data[off:off + length]
    if struct.unpack_from("<I", ent, length - 4)[0] != crc32c(ent[:length - 4]):
        return None
    n = ent[4]
    p = 5
    ident = ent[p:p + n].decode("ascii", "replace")
    p += n
    ino, size, mtime, ctime = struct.unpack_from("<QQqq", ent, p)
    p += 32
    drill, state, pm, zero = ent[p:p + 4]
    p += 4
    times = struct.unpack_from("<7q", ent, p)
    p += 56
    (t,) = struct.unpack_from("<H", ent, p)
    title = ent[p + 2:p + 2 + t]
    p += 2 + t
    v = ent[p]
    severity = ent[p + 1:p + 1 + v]
    p += 1 + v
    a = ent[p]
    declarer = ent[p + 1:p + 1 + a]
    p += 1 + a
    c = ent[p]
    channel = ent[p + 1:p + 1 + c]
    p += 1 + c
    (last_seq,) = struct.unpack_from("<Q", ent, p)
    p += 8
    (klen,) = struct.unpack_from("<I", ent, p)
    kept_bytes = ent[p + 4:p + 4 + klen]
    p += 4 + klen
    if p + 4 != length or not id_valid(ident) or drill > 1 or state > 5 or pm > 2:
        return None
    if t > 256 or v > 32 or a > 128 or c > 112:
        return None
    kept, q = [], 0
    while q < len(kept_bytes):
        if len(kept_bytes) - q < 4:
            return None
        (m,) = struct.unpack_from("<I", kept_bytes, q)
        if m > len(kept_bytes) - q - 4:
            return None
        kept.append(kept_bytes[q + 4:q + 4 + m])
        q += 4 + m
    for x in times:
        if x != TIME_NONE and not TIME_MIN <= x <= TIME_MAX:
            return None
    try:
        title, severity = title.decode("utf-8"), severity.decode("utf-8")
        declarer, channel = declarer.decode("utf-8"), channel.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return {"id": ident, "ino": ino, "size": size, "mtime_ns": mtime, "ctime_ns": ctime,
            "drill": drill, "state": state, "pm_status": pm,
            "times": dict(zip(SUMMARY_TIMES, times)), "title": title, "severity": severity,
            "declarer": declarer, "channel": channel, "last_seq": last_seq,
            "kept": kept, "length": length}


# ---- the export (export-format.md) -------------------------------------------------

_ESCAPES = {0x22: b'\\"', 0x5C: b"\\\\", 0x08: b"\\b", 0x09: b"\\t", 0x0A: b"\\n",
            0x0C: b"\\f", 0x0D: b"\\r"}


def json_string(text):
    out = bytearray(b'"')
    for byte in text.encode("utf-8"):
        if byte in _ESCAPES:
            out += _ESCAPES[byte]
        elif byte < 0x20:
            out += b"\\u00%02x" % byte
        else:
            out.append(byte)
    out += b'"'
    return bytes(out)


def json_value(v):
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise FormatError("INC_EINVAL", "a value that is neither a string nor an integer")
    return json_string(v) if isinstance(v, str) else str(v).encode("ascii")


class _Float:
    def __init__(self, text):
        self.text = text


def _pairs(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise FormatError("INC_EPARSE", "duplicate key")
    return pairs  # kept as a list: the order is part of the check


def parse_export(data):
    """The document as nested lists of (key, value) pairs."""
    return json.loads(data.decode("utf-8"), object_pairs_hook=_pairs, parse_float=_Float)


def serialize_export(doc):
    """Write a parsed document back by the writer's rules."""
    top = dict(doc)
    if [k for k, _ in doc] != ["format", "version", "id", "head", "rubrics", "events"]:
        raise FormatError("order", "top-level members %r" % [k for k, _ in doc])
    for key, text in top["rubrics"]:
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != key:
            raise FormatError("INC_ECORRUPT", "rubrics: %s is not the text's SHA-256" % key)
    last = dict(top["events"][-1])
    if top["head"] != "%d:%s" % (last["seq"], last["hash"]):
        raise FormatError("head", "head %r is not the last event's SEQ:HASH" % top["head"])
    out = b'{"format":' + json_string(top["format"]) + b',"version":' + json_value(top["version"])
    out += b',"id":' + json_string(top["id"]) + b',"head":' + json_string(top["head"])
    out += b',"rubrics":{' + b",".join(json_string(k) + b":" + json_string(v)
                                       for k, v in top["rubrics"]) + b"}"
    out += b',"events":['
    events = []
    for ev in top["events"]:
        d = dict(ev)
        if [k for k, _ in ev] != ["seq", "time", "time_ms", "kind", "prev_hash", "hash", "fields"]:
            raise FormatError("order", "event members %r" % [k for k, _ in ev])
        b = b'{"seq":' + json_value(d["seq"]) + b',"time":' + json_string(d["time"])
        b += b',"time_ms":' + json_value(d["time_ms"]) + b',"kind":' + json_string(d["kind"])
        b += b',"prev_hash":' + json_string(d["prev_hash"]) + b',"hash":' + json_string(d["hash"])
        b += b',"fields":{' + b",".join(json_string(k) + b":" + json_value(v)
                                         for k, v in d["fields"]) + b"}}"
        events.append(b)
    return out + b",\n".join(events) + b"]}\n"


def export_events(doc):
    """The events of a parsed export, in the reader's decoded form."""
    out = []
    for ev in dict(doc)["events"]:
        d = dict(ev)
        out.append({"seq": d["seq"], "time": d["time"], "time_ms": d["time_ms"], "kind": d["kind"],
                    "prev_hash": d["prev_hash"], "hash": d["hash"], "fields": list(d["fields"])})
    return out


# ---- the command line -----------------------------------------------------------


def _printable(ev):
    return {"seq": ev["seq"], "time": iso_time(ev["time_ms"]), "time_ms": ev["time_ms"],
            "kind": ev["kind"], "prev_hash": ev["prev_hash"], "hash": ev["hash"],
            "fields": dict(ev["fields"])}


def main(argv):
    if len(argv) != 3 or argv[1] not in ("journal", "summary", "export"):
        sys.stderr.write(__doc__)
        return 2
    what, path = argv[1], argv[2]
    if what == "journal":
        out = {}
        for ident, inc in read_journal(path).items():
            out[ident] = {"header": inc.header_bad or "ok", "tail": inc.tail, "bad": inc.bad,
                          "events": [_printable(e) for e in inc.events()]}
        json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    elif what == "summary":
        version, entries = read_summary(path)
        for e in entries:
            e["kept"] = [decode_event(k)["kind"] for k in e["kept"]]
        json.dump({"version": version, "entries": entries}, sys.stdout, indent=1,
                  ensure_ascii=False)
    else:
        with open(path, "rb") as f:
            data = f.read()
        again = serialize_export(parse_export(data))
        if again != data:
            sys.stderr.write("re-serialization differs\n")
            return 1
    sys.stdout.write("\n" if what != "export" else "ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
