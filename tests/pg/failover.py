#!/usr/bin/env python3
"""Failover test (issue 18): three pager processes (pg_pager) poll one
PostgreSQL store on a shared, sped-up clock over a few hundred incidents;
one of them is killed with SIGKILL at random moments and restarted. At the
end, from the timelines (the delivery events, counted per item):

- every item was delivered exactly once (no item twice),
- none was missed (nothing is still due at the end but the items that came
  due in the last grace period),
- none was delivered later than one poll interval (plus the processing
  slack) after its due time, plus the time no pager was alive.

The counts are printed. The server is the ctest fixture's (INC_PG_DIR).

usage: failover.py PG_PAGER [--incidents N] [--speed F] [--minutes M]
                            [--poll-ms MS] [--seed S]
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import libincident as inc

T0 = datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc)
PAGERS = 3


def ms(dt):
    return int(dt.timestamp() * 1000)


def conninfo():
    d = os.environ.get("INC_PG_DIR")
    if not d or not os.path.exists(os.path.join(d, ".s.PGSQL.5432")):
        print("no PostgreSQL server (INC_PG_DIR): skipped")
        sys.exit(77)
    return "host=%s port=5432 dbname=inc user=inc password=inc-secret" % d


def declare_all(store, n, spread):
    """n incidents, Sev-1 and Sev-2, declared over `spread` of fake time."""
    ids = []
    now = [T0]
    with inc.Context(store=store, clock=lambda: now[0]) as ctx:
        for i in range(n):
            now[0] = T0 + spread * i / n
            with ctx.declare("Failover drill %d" % i, "alice",
                             "Sev-1" if i % 3 == 0 else "Sev-2") as incident:
                ids.append(incident.id)
    return ids


DELIVERY_KINDS = ("due_delivered", "page_requested")


def deliveries(store, ids, end):
    """(key, time_ms, due_ms) for each delivery on the timelines."""
    out = []
    with inc.Context(store=store, clock=lambda: end) as ctx:
        for iid in ids:
            with ctx.open(iid) as incident:
                doc = json.loads(incident.export_json())
            for ev in doc["events"]:
                f = ev.get("fields", {})
                if ev["kind"] in DELIVERY_KINDS and f.get("actor", "").startswith("pager-"):
                    key = (iid, ev["kind"], f.get("item"), f.get("step"), f.get("due"),
                           f.get("text"), f.get("target"))
                    out.append((key, ev["time_ms"], f.get("due")))
    return out


def still_due(store, ids, end, grace_ms):
    """Items due at the end that came due before end - grace: missed."""
    missed = []
    with inc.Context(store=store, clock=lambda: end) as ctx:
        for iid in ids:
            with ctx.open(iid) as incident:
                for item in incident.due():
                    if ms(item.due) <= ms(end) - grace_ms:
                        missed.append((iid, item.kind_name, ms(item.due)))
    return missed


def server(cmd):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pg_server.sh")
    subprocess.run(["bash", script, cmd, os.environ["INC_PG_DIR"]], check=True)


class Pagers:
    def __init__(self, binary, conn, origin, speed, poll_ms, end):
        self.args = [binary, conn, None, str(origin), str(ms(T0)), str(speed), str(poll_ms),
                     str(ms(end))]
        self.procs = [None] * PAGERS
        self.starts = [0] * PAGERS
        self.kills = 0
        self.out = tempfile.TemporaryFile(mode="w+")  # every pager's lines (appended)

    def start(self, k):
        args = list(self.args)
        args[2] = "pager-%d" % (k + 1)
        self.starts[k] += 1
        self.procs[k] = subprocess.Popen(args, stdout=self.out, stderr=subprocess.DEVNULL)

    def kill(self, k):
        self.procs[k].send_signal(signal.SIGKILL)
        self.procs[k].wait()
        self.kills += 1

    def wait_all(self):
        codes = [p.wait(timeout=120) for p in self.procs]
        self.out.seek(0)
        self.lines = self.out.read().splitlines()
        return codes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pager")
    ap.add_argument("--incidents", type=int, default=200)
    ap.add_argument("--speed", type=float, default=120.0)
    ap.add_argument("--minutes", type=float, default=24.0)
    ap.add_argument("--poll-ms", type=int, default=100)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--slack-ms", type=int, default=500,
                    help="processing time allowed on top of the poll interval (real ms)")
    ap.add_argument("--server-pause", type=float, default=0.0,
                    help="stop the server for this many seconds (real) mid-run")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    conn = conninfo()

    with inc.Store.postgresql(conn):
        pass  # the schema exists from here on
    # A clean table: this test counts every delivery in it.
    admin = subprocess.run(
        ["psql", "-q", "-c", "TRUNCATE inc_events",
         "host=%s port=5432 dbname=inc user=postgres password=super-secret"
         % os.environ["INC_PG_DIR"]], capture_output=True, text=True)
    if admin.returncode != 0:
        print("cannot empty the table: " + admin.stderr)
        return 1

    end = T0 + timedelta(minutes=a.minutes)
    with inc.Store.postgresql(conn) as store:
        ids = declare_all(store, a.incidents, timedelta(minutes=a.minutes / 2))

    origin = int(time.time() * 1000) + 500  # fake T0 half a second from now
    pagers = Pagers(a.pager, conn, origin, a.speed, a.poll_ms, end)
    for k in range(PAGERS):
        pagers.start(k)
    run_real = a.minutes * 60.0 / a.speed
    deadline = origin / 1000.0 + run_real
    down_real = 0.0
    victim_dead_since = None
    # Chaos: one pager at a time dies with SIGKILL at a random moment and is
    # restarted after a random pause; the other two stay up, so some pager is
    # always alive (the time with none alive is 0).
    pause_at = origin / 1000.0 + run_real / 2 if a.server_pause > 0 else None
    server_down_ms = 0
    while time.time() < deadline - 1.0:
        if pause_at is not None and time.time() >= pause_at:
            # The server stops mid-run: the pagers' calls fail with INC_EIO,
            # they keep trying, and resume when it is back.
            t = time.time()
            server("pause")
            time.sleep(a.server_pause)
            server("resume")
            server_down_ms = int((time.time() - t) * 1000)
            pause_at = None
        time.sleep(rng.uniform(0.3, 1.5))
        if time.time() >= deadline - 1.0:
            break
        k = rng.randrange(PAGERS)
        pagers.kill(k)
        victim_dead_since = time.time()
        time.sleep(rng.uniform(0.05, 0.5))
        down_real += time.time() - victim_dead_since
        pagers.start(k)
    codes = pagers.wait_all()

    # Never all three pagers down at once; while the server was stopped none
    # could deliver, which counts as time with no pager alive.
    none_alive_ms = int(server_down_ms * a.speed)
    # One poll interval, plus the processing (a poll that delivers several
    # items commits each; on a loaded machine a process may also wait for a
    # core): --slack-ms real, plus the time no pager was alive (fake ms).
    grace_ms = int((a.poll_ms + a.slack_ms) * a.speed) + none_alive_ms
    with inc.Store.postgresql(conn) as store:
        found = deliveries(store, ids, end)
        missed = still_due(store, ids, end, grace_ms)
    per_item = Counter(key for key, _, _ in found)
    doubled = {k: n for k, n in per_item.items() if n > 1}
    late = [(key, t - due) for key, t, due in found if t - due > grace_ms]
    worst = max((t - due for _, t, due in found), default=0)
    printed = Counter(line for line in pagers.lines if line.startswith("D "))

    print("failover: seed %d, %d incidents, %d pagers, speed x%g, poll %d ms real (%d ms fake)"
          % (a.seed, len(ids), PAGERS, a.speed, a.poll_ms, a.poll_ms * a.speed))
    print("failover: SIGKILLs: %d, pager starts: %s, pager exit codes: %s"
          % (pagers.kills, pagers.starts, codes))
    print("failover: delivery events on the timelines: %d, distinct items: %d" %
          (len(found), len(per_item)))
    print("failover: items delivered twice: %d, missed: %d, later than %d ms: %d"
          % (len(doubled), len(missed), grace_ms, len(late)))
    print("failover: worst lateness: %d ms fake (%.1f ms real); time with no pager alive: %d ms "
          "fake (server stopped %d ms real)" % (worst, worst / a.speed, none_alive_ms,
                                               server_down_ms))
    print("failover: items printed by the pagers: %d (a pager killed between its commit and "
          "its print delivered without printing)" % sum(printed.values()))
    ok = not doubled and not missed and not late and len(found) > 0 and all(c == 0 for c in codes)
    for k, n in list(doubled.items())[:5]:
        print("  DOUBLED x%d: %s" % (n, k))
    for m in missed[:5]:
        print("  MISSED: %s" % (m,))
    for k, l in late[:5]:
        print("  LATE by %d ms: %s" % (l, k))
    print("failover: %s" % ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
