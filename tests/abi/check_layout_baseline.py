#!/usr/bin/env python3
"""The public layout against its recorded baseline (tests/abi/layout_baseline.txt),
by the rules of lib/docs/versioning.md:

- a struct with a version field may only append fields, and only with its
  INC_X_VERSION raised;
- every other struct is frozen;
- an enum constant may be added, never renumbered or removed;
- all of it may change when INC_VERSION_MAJOR (the SONAME) changes.

Any difference fails: a breaking one names the rule it breaks; an allowed
one (a versioned struct grown with its version raised, a new struct or enum
constant) asks for the baseline to be updated with --update, so every change
of the ABI shows in review as a diff of the baseline.

Usage: check_layout_baseline.py LAYOUT_DUMP BASELINE [--update]
       check_layout_baseline.py --self-test   each rule on a made-up layout
"""
import subprocess
import sys


def parse(lines):
    structs, fields, enums, consts = {}, {}, {}, {}
    for line in lines:
        w = line.split()
        if not w or w[0] == '#':
            continue
        if w[0] == 'struct':
            structs[w[1]] = int(w[3])
            fields[w[1]] = []
        elif w[0] == 'field':
            s, f = w[1].split('.')
            fields[s].append((f, int(w[2]), int(w[3])))
        elif w[0] == 'enum':
            enums[w[2]] = int(w[3])
        elif w[0] == 'const':
            consts[w[1]] = int(w[2])
    return structs, fields, enums, consts


def compare_struct(name, old, new, old_consts, new_consts):
    """(breaking, allowed) messages for one struct."""
    old_fields, new_fields = old[1][name], new[1][name]
    if old_fields == new_fields and old[0][name] == new[0][name]:
        return [], []
    versioned = bool(old_fields) and old_fields[0][0] == 'version'
    if not versioned:
        return ['%s changed (%s): it has no version field, so it is frozen until a SONAME '
                'bump' % (name, describe(old_fields, new_fields))], []
    if new_fields[:len(old_fields)] != old_fields:
        return ['%s: fields changed, not appended (%s): a versioned struct only grows at '
                'the end' % (name, describe(old_fields, new_fields))], []
    macro = name.upper() + '_VERSION'
    if new_consts.get(macro, 0) <= old_consts.get(macro, 0):
        return ['%s grew (%s) but %s is still %s: raise it and add the new size to its '
                'INC__VSTRUCT' % (name, describe(old_fields, new_fields), macro,
                                  new_consts.get(macro))], []
    return [], ['%s grew to version %d (%s)' % (name, new_consts[macro],
                                                describe(old_fields, new_fields))]


def describe(old_fields, new_fields):
    old_set, new_set = set(old_fields), set(new_fields)
    parts = ['-%s@%d/%d' % f for f in old_fields if f not in new_set]
    parts += ['+%s@%d/%d' % f for f in new_fields if f not in old_set]
    return ' '.join(parts) or 'size or order'


def compare(old, new):
    breaking, allowed = [], []
    if old[3].get('INC_VERSION_MAJOR') != new[3].get('INC_VERSION_MAJOR'):
        return [], ['INC_VERSION_MAJOR changed: a new SONAME, any layout may change']
    for name in sorted(old[0]):
        if name not in new[0]:
            breaking.append('%s was removed' % name)
            continue
        b, a = compare_struct(name, old, new, old[3], new[3])
        breaking += b
        allowed += a
    allowed += ['new struct %s' % n for n in sorted(set(new[0]) - set(old[0]))]
    for name, value in sorted(old[2].items()):
        if name not in new[2]:
            breaking.append('enum constant %s was removed' % name)
        elif new[2][name] != value:
            breaking.append('enum constant %s changed from %d to %d' % (name, value, new[2][name]))
    allowed += ['new enum constant %s' % n for n in sorted(set(new[2]) - set(old[2]))]
    return breaking, allowed


HEADER = """# The recorded public layout (LP64) checked by check_layout_baseline.py; update
# with --update only for a change lib/docs/versioning.md allows.
"""

BASE = """struct inc_opts size 16 align 8
field inc_opts.version 0 4
field inc_opts.name 8 8
struct inc_info size 8 align 8
field inc_info.seq 0 8
enum inc_kind INC_KIND_A 0
const INC_OPTS_VERSION 1
const INC_VERSION_MAJOR 0"""

# (what changes, old text, new text, expected: 'ok', 'allowed' or 'breaking')
SELF_TESTS = [
    ('nothing', '', '', 'ok'),
    ('a field appended with the version raised',
     'const INC_OPTS_VERSION 1\n', 'const INC_OPTS_VERSION 2\n', None),
    ('a field appended, version unchanged', 'field inc_opts.name 8 8\n',
     'field inc_opts.name 8 8\nfield inc_opts.more 16 8\n', 'breaking'),
    ('two field types swapped', 'field inc_opts.name 8 8', 'field inc_opts.name 8 4', 'breaking'),
    ('a frozen struct grown', 'field inc_info.seq 0 8\n',
     'field inc_info.seq 0 8\nfield inc_info.more 8 8\n', 'breaking'),
    ('an enum renumbered', 'INC_KIND_A 0', 'INC_KIND_A 1', 'breaking'),
    ('an enum constant added', 'enum inc_kind INC_KIND_A 0\n',
     'enum inc_kind INC_KIND_A 0\nenum inc_kind INC_KIND_B 1\n', 'allowed'),
    ('a frozen struct grown with a new SONAME', 'INC_VERSION_MAJOR 0', 'INC_VERSION_MAJOR 1',
     'allowed'),
]


def self_test():
    ok = True
    grown = BASE.replace('field inc_opts.name 8 8\n', 'field inc_opts.name 8 8\n'
                         'field inc_opts.more 16 8\n').replace('size 16', 'size 24', 1)
    for what, old_text, new_text, expect in SELF_TESTS:
        new = (grown if expect is None else BASE).replace(old_text, new_text)
        breaking, allowed = compare(parse(BASE.splitlines()), parse(new.splitlines()))
        got = 'breaking' if breaking else 'allowed' if allowed else 'ok'
        want = expect or 'allowed'
        print('%s: %s%s' % (what, got, '' if got == want else ' (expected %s)' % want))
        ok = ok and got == want
    return ok


def main(argv):
    if len(argv) == 2 and argv[1] == '--self-test':
        return 0 if self_test() else 1
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    dump = subprocess.run([argv[1]], check=True, capture_output=True, text=True).stdout
    if len(argv) > 3 and argv[3] == '--update':
        with open(argv[2], 'w', encoding='utf-8') as f:
            f.write(HEADER + dump)
        print('baseline written: %s' % argv[2])
        return 0
    with open(argv[2], encoding='utf-8') as f:
        old = parse(f.read().splitlines())
    breaking, allowed = compare(old, parse(dump.splitlines()))
    for m in breaking:
        print('BREAKS THE ABI: ' + m)
    for m in allowed:
        print('allowed, record it (check_layout_baseline.py ... --update): ' + m)
    if not breaking and not allowed:
        print('layout: as recorded in %s' % argv[2])
    return 1 if breaking or allowed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
