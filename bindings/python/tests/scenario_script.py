"""The shared scenario (examples/scenario/README.md): parse scenario.txt and
run it through the binding, exactly as examples/scenario/main.c does in C."""

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import libincident as inc

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "examples" / "scenario" / "scenario.txt"


@dataclass
class Step:
    line: int
    offset: timedelta
    action: str
    args: list
    expect: int  # the status code the step must end with


def _status_code(name):
    for code in range(0, -65, -1):
        if inc.status_name(code) == name:
            return code
    raise ValueError("unknown status %r" % name)


def _offset(text, line):
    minutes, sep, seconds = text[1:].partition(":")
    if not text.startswith("+") or not sep or len(seconds) != 2 or not minutes.isdigit() \
            or not seconds.isdigit() or int(seconds) > 59:
        raise ValueError("line %d: expected '+MM:SS', got %r" % (line, text))
    return timedelta(minutes=int(minutes), seconds=int(seconds))


def parse(path=SCRIPT):
    """(start datetime, [Step]) of a scenario file."""
    start, steps = None, []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            text = raw.strip(" \t\r\n")
            if not text or text.startswith("#"):
                continue
            fields = [part.strip(" \t") for part in text.split("|")]
            expect = 0
            if len(fields) > 2 and fields[-1].startswith("=>"):
                expect = _status_code(fields.pop()[2:].strip())
            if start is None:
                if len(fields) != 2 or fields[0] != "start":
                    raise ValueError("line %d: expected 'start | TIME'" % number)
                start = inc.parse_time(fields[1])
                continue
            steps.append(Step(number, _offset(fields[0], number), fields[1], fields[2:], expect))
    return start, steps


class _Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


_ARITY = {"declare": 4, "note": 2, "severity": 3, "state": 3, "correct": 3,
          "assign": 4, "release": 4, "handoff": 5, "confirm": 1, "cancel": 2,
          "can": 6, "decide": 4, "update": 4}


def _opt(field):
    """"-" stands for "none" in the script."""
    return None if field == "-" else field


def _apply(ctx, incident, step):
    a = step.args
    if _ARITY.get(step.action) != len(a):
        raise ValueError("line %d: bad step %s %r" % (step.line, step.action, a))
    if step.action == "declare":
        return ctx.declare(a[3], a[0], a[1], criteria=int(a[2]))
    if incident is None:
        raise ValueError("line %d: %s before declare" % (step.line, step.action))
    if step.action == "note":
        incident.note(a[0], a[1])
    elif step.action == "severity":
        incident.set_severity(a[0], a[1], a[2])
    elif step.action == "state":
        incident.set_state(a[0], a[1], _opt(a[2]))
    elif step.action == "correct":
        incident.correct(a[0], int(a[1]), a[2])
    elif step.action == "assign":
        incident.assign_role(a[0], a[1], a[2], _opt(a[3]))
    elif step.action == "release":
        incident.release_role(a[0], a[1], a[2], _opt(a[3]))
    elif step.action == "handoff":
        incident.handoff(a[0], a[1], conditions=_opt(a[2]), actions=_opt(a[3]), needs=a[4])
    elif step.action == "confirm":
        incident.confirm_handoff(a[0])
    elif step.action == "cancel":
        incident.cancel_handoff(a[0], _opt(a[1]))
    elif step.action == "can":
        incident.can_report(a[0], kind=a[1], addressee=_opt(a[2]), conditions=_opt(a[3]),
                            actions=_opt(a[4]), needs=_opt(a[5]))
    elif step.action == "decide":
        if a[2] not in ("approve", "deny"):
            raise ValueError("line %d: expected 'approve' or 'deny'" % step.line)
        incident.decide(a[0], int(a[1]), a[2] == "approve", _opt(a[3]))
    elif step.action == "update":
        incident.status_update(a[0], a[1], a[2], components=_opt(a[3]))
    return incident


def run(store=None, path=SCRIPT):
    """Run the script; returns (context, incident), both open (close them)."""
    start, steps = parse(path)
    clock = _Clock(start)
    ctx = inc.Context(clock=clock, store=store)
    incident = None
    try:
        for step in steps:
            clock.now = start + step.offset
            try:
                result = _apply(ctx, incident, step)
                if step.action == "declare":
                    incident = result
                got = 0
            except inc.IncidentError as exc:
                got = exc.code
            if got != step.expect:
                raise AssertionError(
                    "line %d: %s ended with %s, the script expects %s"
                    % (step.line, step.action, inc.status_name(got), inc.status_name(step.expect))
                )
    except BaseException:
        ctx.close()
        raise
    return ctx, incident


def binary():
    """The C scenario program, or None if it is not built."""
    explicit = os.environ.get("INC_SCENARIO_BIN")
    if explicit:
        return explicit
    dirs = []
    if os.environ.get("INC_BUILD_DIR"):
        dirs.append(Path(os.environ["INC_BUILD_DIR"]))
    dirs.append(REPO / "build")
    for d in dirs:
        candidate = d / "examples" / "scenario" / "scenario"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None
