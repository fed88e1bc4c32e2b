#!/usr/bin/env python3
"""check_formats.py INCIDENT-CLI WRITE-SUMMARY: prove the format documents against the
files the library writes.

Drives a small store through the incident(1) CLI (every event kind the CLI
can write, special characters in text, two incidents), exports each
incident, and checks with reader.py (written from lib/docs alone):

- every journal file parses: header, records, CRC32C, record chain, every
  event's fields, the event chain; nothing torn or corrupt;
- each event the reader decoded equals the library's export, field by field
  (names, order, types, values), and the reader's re-encoding of the export
  gives the stored bytes;
- the reader's re-serialization of each export equals its bytes;
- SUMMARY parses and agrees with the files (stamps, times, kept events);
- a damaged copy is classified (torn or corrupt, offset, record number) as
  the library's `verify` reports it, and a torn tail is set aside in a
  quarantine file byte for byte (TL-4).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reader  # noqa: E402

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


class Cli:
    def __init__(self, binary, store):
        self.binary, self.store = binary, store

    def run(self, *args, want=0, stdin=None, store=None):
        env = dict(os.environ, INCIDENT_STORE=store or self.store, INCIDENT_SYNC="every")
        p = subprocess.run([self.binary] + list(args), input=stdin, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != want:
            raise SystemExit("incident %s: exit %d (want %d)\n%s%s" % (
                " ".join(args), p.returncode, want, p.stdout.decode(), p.stderr.decode()))
        return p.stdout.decode(), p.stderr.decode()


def at(hm):
    return "--now=2026-11-23T%s:00Z" % hm


def drive(cli):
    """One incident through every kind the CLI writes, and a second one."""
    out, _ = cli.run(at("14:34"), "--by", "alice", "declare", "-q", "--sev", "Sev-2",
                     "--criteria", "customer-visible,unknown",
                     "--impact-started", "2026-11-23T14:32:00Z",
                     "--detected", "2026-11-23T14:33:00Z", "--drill", "--slug", "db cpu",
                     "Database primary CPU at 95%, \"EU\" checkout \\ failing \u00e9\u2603")
    i = out.strip()
    r = cli.run
    r(at("14:35"), "--by", "alice", "assign", i, "carol", "scribe")
    r(at("14:35"), "--by", "alice", "assign", i, "bob", "deputy")
    r(at("14:36"), "--by", "alice", "assign", i, "dave", "sme", "-d", "database")
    r(at("14:36"), "--by", "alice", "assign", i, "erin", "comms")
    r(at("14:37"), "--by", "alice", "assign", i, "zed", "sme", "--domain", "network")
    r(at("14:37"), "--by", "zed", "release", i, "zed", "sme")
    r(at("14:40"), "--by", "dave", "can", i, "-c", "CPU 95% sustained,\tlag 4 minutes.",
      "-a", "Provisioning a replica.", "-n", "Need IC approval to fail over to the secondary.")
    r(at("14:41"), "--by", "alice", "decide", i, "1", "approve", "--note", "go")
    r(at("14:41"), "--by", "dave", "decide", i, "--ask", "Roll back the 14:30 deploy?")
    r(at("14:42"), "--by", "erin", "update", i, "external", "--template", "first",
      "--scope", "customers in the EU region", "--symptom", "failed checkouts")
    r(at("14:43"), "--by", "erin", "update", i, "internal", "Sev-2 declared; IC alice.")
    r(at("14:44"), "--by", "alice", "cadence", i, "external", "15m", "--reason",
      "customers are asking")
    r(at("14:45"), "--by", "alice", "sev", i, "Sev-1", "EU checkout failing for 30% of orders")
    r(at("14:46"), "--by", "alice", "state", i, "investigating")
    r(at("14:47"), "--by", "alice", "state", i, "mitigating", "failing over")
    r(at("14:48"), "--by", "carol", "note", i, "-",
      stdin="Line one\nline \"two\" with \\ and /\r\n\ttabbed \u00e9 \U0001F600 end\n".encode())
    r(at("14:49"), "--by", "carol", "note", i, "--corrects", "2", "Scribe was carol, not bob")
    r(at("14:50"), "--by", "pager", "due", i, "--deliver")
    out, _ = r(at("14:50"), "--by", "alice", "page", i, "on-call", "--text", "need the app team")
    page = out.split(" as event ")[1].split()[0]
    r(at("14:50"), "--by", "pager", "page", i, "--sent", page, "--to", "jeff")
    r(at("14:51"), "--by", "jeff", "ack", i, "--page", page)
    r(at("14:52"), "--by", "alice", "clock", i, "start", "gdpr", "--in", "72h", "--remind", "12h",
      "--text", "breach notice")
    r(at("14:53"), "--by", "alice", "clock", i, "stop", "gdpr", "--text", "filed")
    r(at("15:30"), "--by", "alice", "handoff", i, "grace", "-c", "Failover 80% done",
      "-a", "dave on it", "-n", "none")
    r(at("15:31"), "--by", "alice", "handoff", i, "--cancel", "changed my mind")
    r(at("15:31"), "--by", "alice", "handoff", i, "grace", "-c", "Failover 80% done",
      "-a", "dave on it", "-n", "none")
    r(at("15:32"), "--by", "grace", "confirm", i)
    r(at("15:38"), "--by", "grace", "state", i, "monitoring", "failover done")
    r(at("16:05"), "--by", "grace", "state", i, "resolved", "test orders succeed end to end")
    r(at("16:06"), "--by", "bob", "bridge", i, "https://meet.example.com/db", "--text", "late")
    for sec in ("summary", "impact", "detection", "root_cause", "contributing_factors",
                "went_well", "went_poorly", "lessons_learned"):
        r(at("16:30"), "--by", "carol", "postmortem", i, "set", sec, "The %s, by the team." % sec)
    r(at("16:32"), "--by", "grace", "postmortem", i, "tag", "deploy/unindexed-query")
    r(at("16:40"), "--by", "grace", "action", i, "add", "Index check in CI", "--owner", "dave",
      "--priority", "P1", "--in", "14d")
    r(at("16:40"), "--by", "grace", "action", i, "add", "Page backup sooner", "--owner", "kim",
      "--priority", "2", "--due", "2026-12-23T12:00:00Z", "--detail", "after 10 minutes")
    r(at("16:41"), "--by", "grace", "action", i, "move", "2", "--in", "20d", "--reason", "freeze")
    r(at("16:41"), "--by", "grace", "action", i, "reassign", "2", "lee")
    r(at("16:41"), "--by", "grace", "action", i, "priority", "2", "P3")
    r(at("16:42"), "--by", "dave", "action", i, "done", "1")
    r(at("17:00"), "--by", "grace", "postmortem", i, "status", "review", "--note", "reviewed")
    r(at("17:01"), "--by", "grace", "postmortem", i, "status", "final")
    r(at("17:02"), "--by", "carol", "note", i, "--corrects", "3", "corrections stay allowed")
    out, _ = r("--now=1969-12-31T23:59:59.999Z", "--by", "old", "declare", "-q", "--sev",
               "Sev-4", "Before the epoch")
    j = out.strip()
    r("--now=1970-01-01T00:00:01Z", "--by", "old", "note", j, "a note after the epoch")
    return [i, j]


def compare_events(ident, decoded, exported, raws):
    check(len(decoded) == len(exported), "%s: %d events decoded, %d exported"
          % (ident, len(decoded), len(exported)))
    for d, x, raw in zip(decoded, exported, raws):
        where = "%s event %d" % (ident, x["seq"])
        for key in ("seq", "time_ms", "kind", "prev_hash", "hash"):
            check(d[key] == x[key], "%s: %s %r != export %r" % (where, key, d[key], x[key]))
        check(reader.iso_time(d["time_ms"]) == x["time"],
              "%s: time %s != export %s" % (where, reader.iso_time(d["time_ms"]), x["time"]))
        check([k for k, _ in d["fields"]] == [k for k, _ in x["fields"]],
              "%s: field names/order %r != %r" % (where, d["fields"], x["fields"]))
        for (k, v), (_, w) in zip(d["fields"], x["fields"]):
            check(type(v) is type(w) and v == w, "%s: field %s %r != export %r" % (where, k, v, w))
        again = reader.encode_event(x["kind"], x["seq"], x["time_ms"],
                                    bytes.fromhex(x["prev_hash"]), x["fields"])
        check(again == raw, "%s: re-encoding the export differs from the stored bytes" % where)


def check_summary(store, incidents):
    path = os.path.join(store, "SUMMARY")
    check(os.path.exists(path), "no SUMMARY after a store-wide read")
    if not os.path.exists(path):
        return
    _, entries = reader.read_summary(path)
    check(sorted(e["id"] for e in entries) == sorted(incidents),
          "SUMMARY ids %r" % [e["id"] for e in entries])
    for e in entries:
        inc = incidents[e["id"]]
        st = os.stat(inc.path)
        check((e["ino"], e["size"], e["mtime_ns"], e["ctime_ns"]) ==
              (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns), "%s: stamp" % e["id"])
        evs = inc.events()
        decl = dict(evs[0]["fields"])
        times = e["times"]
        check(times["declared"] == evs[0]["time_ms"], "%s: declared time" % e["id"])
        none = reader.TIME_NONE
        check(times["impact_started"] == decl.get("impact_started", none), "%s: impact" % e["id"])
        check(times["detected"] == decl.get("detected", none), "%s: detected" % e["id"])
        check(e["title"] == decl["title"] and e["drill"] == (1 if decl.get("drill") else 0),
              "%s: title or drill" % e["id"])
        sev = [dict(x["fields"])["severity"] for x in evs
               if x["kind"] in ("declared", "severity_changed")][-1]
        check(e["severity"] == sev, "%s: severity %r != %r" % (e["id"], e["severity"], sev))

        def last_state_time(state):
            ts = [x["time_ms"] for x in evs if x["kind"] == "state_changed"
                  and dict(x["fields"])["state"] == state]
            return ts[-1] if ts else none

        def first_time(kind):
            ts = [x["time_ms"] for x in evs if x["kind"] == kind]
            return ts[0] if ts else none
        check(times["mitigated"] == last_state_time(3), "%s: mitigated" % e["id"])
        check(times["resolved"] == last_state_time(4), "%s: resolved" % e["id"])
        check(times["first_page"] == first_time("page_requested"), "%s: first page" % e["id"])
        check(times["first_ack"] == first_time("acknowledged"), "%s: first ack" % e["id"])
        check(e["declarer"] == decl["actor"] and e["channel"] == decl["channel"] and
              e["last_seq"] == evs[-1]["seq"], "%s: declarer, channel or last seq" % e["id"])
        kept = [x["raw"] for x in evs if x["kind"] in
                ("page_sent", "action_added", "action_changed", "postmortem_tag", "reopened",
                 "linked", "role_assigned", "role_released", "handoff_confirmed", "field_set")]
        check(e["kept"] == kept, "%s: kept events" % e["id"])
        pm = [dict(x["fields"])["status"] for x in evs if x["kind"] == "postmortem_status"]
        check(e["pm_status"] == (pm[-1] if pm else 0), "%s: postmortem status" % e["id"])
        states = [dict(x["fields"])["state"] for x in evs if x["kind"] == "state_changed"]
        want_state = 5 if pm and pm[-1] == 2 else (states[-1] if states else 0)
        check(e["state"] == want_state, "%s: state %d != %d" % (e["id"], e["state"], want_state))


def check_damage(cli, store, ident, tmp, which, how):
    """Damage a copy (@how: flip one payload byte of record @which, or cut
    the file inside it): the reader's classification (journal-format.md,
    "Recovery", TL-4), offset and record number must be what `verify`
    reports: exit 6 naming them when corrupt; for a torn tail exit 0 with
    the tail reported on stderr, and the next write moves the tail to
    <id>.jnl.quarantine-<E>, byte for byte ("Quarantine")."""
    copy = os.path.join(tmp, "damaged-%s-%d" % (how, which))
    shutil.copytree(store, copy)
    inc = reader.Incident(os.path.join(copy, ident + ".jnl"), ident)
    off, seq = inc.records[which][:2]
    with open(inc.path, "r+b") as f:
        if how == "cut":
            f.truncate(off + reader.REC_FIXED + 10)
        else:
            f.seek(off + reader.REC_FIXED + 10)
            b = f.read(1)
            f.seek(off + reader.REC_FIXED + 10)
            f.write(bytes([b[0] ^ 0x20]))
    seen = reader.Incident(inc.path, ident)
    why = "record cut short" if how == "cut" else "record checksum mismatch"
    check(seen.bad == (off, seq, why), "damage %s %d: reader saw %r" % (how, seq, seen.bad))
    want = 6 if seen.tail == "corrupt" else 0
    _, err = cli.run("verify", ident, want=want, store=copy)
    if seen.tail == "corrupt":
        check("offset %d: record %d:" % (off, seq) in err,
              "damage: verify's message lacks offset %d, record %d: %s" % (off, seq, err))
        return "%s record %d of %d: %s" % (how, seq, len(inc.records), seen.tail)
    check("torn tail: %d bytes from offset %d" % (seen.size - seen.end, seen.end) in err,
          "damage: verify does not report the torn tail at %d: %s" % (seen.end, err))
    with open(inc.path, "rb") as f:
        before = f.read()
    # (A correction: the incident is closed, and corrections stay allowed.)
    cli.run("--by", "alice", "note", ident, "--corrects", "1", "after the damage", store=copy)
    qpath = "%s.quarantine-%d" % (inc.path, seen.end)
    with open(qpath, "rb") as f:
        check(f.read() == before[seen.end:], "damage: %s lacks the torn tail" % qpath)
    check(os.stat(qpath).st_mode & 0o777 == 0o600, "damage: %s is not 0600" % qpath)
    check(sorted(reader.read_journal(copy)) == sorted(reader.read_journal(store)),
          "damage: a quarantine file taken for an incident")
    return "%s record %d of %d: %s" % (how, seq, len(inc.records), seen.tail)


def make_document(decl_fields, ident, events, doc_id=None):
    """An export document, hashes made by reader.py: a declaration (the
    fields of @decl_fields renamed to @ident) and then @events, each
    (kind, time_ms, fields)."""
    decl = [(k, ident if k == "id" else "inc-" + ident if k == "channel" else v)
            for k, v in decl_fields]
    out, prev = [], b"\0" * 32
    for seq, (kind, t, fields) in enumerate([("declared", 1795444440000, decl)] + events, 1):
        raw = reader.encode_event(kind, seq, t, prev, fields)
        out.append({"seq": seq, "time_ms": t, "kind": kind, "prev_hash": prev.hex(),
                    "hash": reader.sha256(raw).hex(), "fields": dict(fields)})
        prev = reader.sha256(raw)
    return json.dumps({"format": "libincident.incident", "version": 1,
                       "id": doc_id or ident, "events": out})


def cli_import(cli, tmp, document):
    path = os.path.join(tmp, "import.json")
    with open(path, "w") as f:
        f.write(document)
    env = dict(os.environ, INCIDENT_STORE=cli.store)
    return subprocess.run([cli.binary, "import", path], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)


def declaration(cli):
    src = reader.read_journal(cli.store)
    return src[sorted(src)[0]].events()[0]["fields"]


def import_escapes(cli, tmp):
    """An incident whose note holds every byte the export escapes: the CLI
    refuses control characters in new text, but format 1's decoder accepts
    them, so an import can carry them. Returns its id, or None when this
    build refuses them on import (decoder made strict, issue 16 item 4):
    then the escapes are not exercised here."""
    text = "".join(chr(c) for c in range(1, 32)) + "\"\\/\x7f\u00e9\u2028\U0001F600"
    doc = make_document(declaration(cli), "escapes",
                        [("note", 1795444500000, [("actor", "x"), ("text", text)])])
    return "escapes" if cli_import(cli, tmp, doc).returncode == 0 else None


def check_import_rules(cli, tmp):
    """events.md and export-format.md on imports: both time bounds are
    included, one past either is INC_ECORRUPT (not INC_EINVAL), as is a
    declaration whose id is not the document's."""
    decl = declaration(cli)
    cases = [("t-max", reader.TIME_MAX, None, True), ("t-min", reader.TIME_MIN, None, True),
             ("t-over", reader.TIME_MAX + 1, None, False),
             ("t-under", reader.TIME_MIN - 1, None, False),
             ("id-mismatch", 1795444500000, "another-id", False)]
    for ident, t, doc_id, ok in cases:
        doc = make_document(decl, ident, [("note", t, [("actor", "x"), ("text", "t")])], doc_id)
        p = cli_import(cli, tmp, doc)
        err = p.stderr.decode()
        if ok:
            check(p.returncode == 0, "import %s: refused: %s" % (ident, err))
        else:
            check(p.returncode != 0 and "INC_ECORRUPT" in err,
                  "import %s: want INC_ECORRUPT, got exit %d: %s" % (ident, p.returncode, err))
        if doc_id:
            check(not os.path.exists(os.path.join(cli.store, doc_id + ".jnl")),
                  "import %s: stored" % ident)
    return [c[0] for c in cases if c[3]]


def check_rubric_once(ident, decl, doc, store):
    """RUB-4 (events.md, "The rubric of a declaration"): the CLI's journal
    keeps blobs, so the declaration names its rubric by SHA-256, the text is
    the directory's one <key>.blob, and the export carries that text once
    under the same key."""
    fields = dict(decl["fields"])
    key = fields.get("rubric_sha256")
    check(key is not None and "rubric" not in fields, "%s: declaration not by key" % ident)
    if key is None:
        return
    check(os.path.exists(os.path.join(store, key + ".blob")), "%s: no blob file" % ident)
    rubrics = dict(dict(doc)["rubrics"])
    check(list(rubrics) == [key], "%s: export rubrics %r" % (ident, list(rubrics)))
    check(rubrics.get(key) == decl["rubric_text"], "%s: export text differs from the blob" % ident)
    check(len(decl["raw"]) < 1024, "%s: declaration of %d bytes" % (ident, len(decl["raw"])))


def main():
    binary = os.path.abspath(sys.argv[1])
    summary_writer = os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="incident-format-")
    try:
        store = os.path.join(tmp, "store")
        cli = Cli(binary, store)
        ids = drive(cli)
        escapes = import_escapes(cli, tmp)
        print("escapes: %s" % ("imported" if escapes else
                               "refused on import by this build: not exercised"))
        if escapes:
            ids.append(escapes)
        ids += check_import_rules(cli, tmp)
        subprocess.run([summary_writer, store], check=True)  # a store-wide read: SUMMARY
        incidents = reader.read_journal(store)
        check(sorted(incidents) == sorted(ids), "incidents %r" % sorted(incidents))
        kinds = set()
        for ident in ids:
            inc = incidents[ident]
            check(inc.header_bad is None and inc.tail == "clean" and inc.chain_break is None,
                  "%s: header %s, tail %s, chain %s" % (ident, inc.header_bad, inc.tail,
                                                        inc.chain_break))
            decoded = inc.events()
            kinds |= {e["kind"] for e in decoded}
            path = os.path.join(tmp, ident + ".json")
            cli.run("export", ident, "-o", path)
            with open(path, "rb") as f:
                data = f.read()
            doc = reader.parse_export(data)
            check(reader.serialize_export(doc) == data, "%s: re-serialization differs" % ident)
            if ident == "escapes":
                for b in (b"\\u0001", b"\\u001b", b"\\u001f", b"\\b", b"\\f", b"\\t",
                          b"\\n", b"\\r", b'\\"', b"\\\\", b"\\\\/\x7f\xc3\xa9\xe2\x80\xa8"):
                    check(b in data, "escapes: the export lacks %r" % b)
            compare_events(ident, decoded, reader.export_events(doc), [e["raw"] for e in decoded])
            check_rubric_once(ident, decoded[0], doc, store)
        missing = sorted(set(reader.KINDS.values()) - kinds)
        print("kinds written: %d of %d; not reachable from the CLI here: %s"
              % (len(kinds), len(reader.KINDS), ", ".join(missing) or "none"))
        check(len(kinds) >= 25, "too few kinds exercised")
        check_summary(store, incidents)
        n = len(incidents[ids[0]].records)
        tails = [check_damage(cli, store, ids[0], tmp, which, how)
                 for which, how in ((n // 2, "flip"), (n - 1, "flip"), (n - 1, "cut"))]
        print("damaged copies: " + "; ".join(tails))
        # A middle record is followed by valid records (corrupt, TL-4);
        # nothing valid follows the last one (torn: set aside).
        check([t.split(": ")[1] for t in tails] == ["corrupt", "torn", "torn"],
              "damage classification %r" % tails)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failures" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
