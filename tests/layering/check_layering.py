#!/usr/bin/env python3
"""The include rules of lib/ (lib/docs/layout.md, "Dependencies"):

  include/   public headers include only public headers;
  lib/util/  includes only lib/util/ and the public headers;
  lib/journal/, lib/pg/  only lib/util/, the public headers and their own
             files (stores keep bytes and know nothing of incidents);
  lib/<sub>/ (every other subsystem folder) its own files, lib/util/, the
             public headers, the core (lib/*.h), and of another subsystem
             only that subsystem's <sub>_services.h;
  lib/*      (the core, where the subsystems meet) anything in lib/.

An include is resolved the way the compiler resolves it: next to the file
first, then in lib/ and include/. An include that resolves to nothing in the
tree is taken for a system header.

Usage: check_layering.py [ROOT]      check the tree at ROOT (default: ..)
       check_layering.py --self-test show that a forbidden include fails
Exit 0 when every include keeps the rules, 1 (listing each) otherwise.
"""
import os
import re
import shutil
import sys
import tempfile

# Stores: they keep bytes and know nothing of incidents, like a backend
# written outside the library (pg/ is even a separate library).
STORE_FOLDERS = ('journal', 'pg')

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def folder_of(root, path):
    """'public', 'util', 'core', or a subsystem folder name, for a file."""
    rel = os.path.relpath(path, root).split(os.sep)
    if rel[0] == 'include':
        return 'public'
    if rel[0] != 'lib':
        return None
    if len(rel) == 2:
        return 'core'
    return rel[1]


def resolve(root, including, name):
    for base in (os.path.dirname(including), os.path.join(root, 'lib'),
                 os.path.join(root, 'include')):
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(cand):
            return cand
    return None


def allowed(src, dst, dst_path):
    if src == dst or dst == 'public':
        return True
    if src == 'public':
        return False
    if src == 'util':
        return False
    if dst == 'util':
        return True
    if src in STORE_FOLDERS:
        return False
    if src == 'core':
        return True
    if dst == 'core':
        return True
    return os.path.basename(dst_path) == dst + '_services.h'


def sources(root):
    for top in ('include', 'lib'):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if name.endswith(('.c', '.h')):
                    yield os.path.join(dirpath, name)


def check(root):
    bad = []
    for path in sources(root):
        src = folder_of(root, path)
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            target = resolve(root, path, m.group(1))
            if target is None:
                continue
            dst = folder_of(root, target)
            if dst is not None and not allowed(src, dst, target):
                line = text.count('\n', 0, m.start()) + 1
                bad.append('%s:%d: a file of %s may not include "%s" (%s)' % (
                    os.path.relpath(path, root), line, src, m.group(1),
                    os.path.relpath(target, root)))
    return bad


def self_test(root):
    """Each forbidden include, planted in a copy of the tree, must fail."""
    plants = [
        ('lib/util/text.c', '#include "event.h"'),
        ('lib/journal/journal.c', '#include "incident_internal.h"'),
        ('lib/due/paging.c', '#include "oncall/oncall_internal.h"'),
        ('lib/after/metrics.c', '#include "journal/journal_internal.h"'),
        ('lib/pg/pg_store.c', '#include "internal.h"'),
        ('include/incident/due.h', '#include "../../lib/internal.h"'),
    ]
    ok = True
    for rel, line in plants:
        with tempfile.TemporaryDirectory() as tmp:
            for top in ('include', 'lib'):
                shutil.copytree(os.path.join(root, top), os.path.join(tmp, top))
            if check(tmp):
                print('self-test: the unchanged copy already fails')
                return False
            with open(os.path.join(tmp, rel), 'a') as f:
                f.write('\n' + line + '\n')
            found = check(tmp)
            if len(found) == 1 and found[0].startswith(rel + ':'):
                print('self-test: refused as it should be: ' + found[0])
            else:
                print('self-test: NOT caught: %s in %s (%r)' % (line, rel, found))
                ok = False
    return ok


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    if len(argv) > 1 and argv[1] == '--self-test':
        root = argv[2] if len(argv) > 2 else os.path.join(here, '..', '..')
        return 0 if self_test(os.path.abspath(root)) else 1
    root = os.path.abspath(argv[1] if len(argv) > 1 else os.path.join(here, '..', '..'))
    bad = check(root)
    for b in bad:
        print(b)
    n = sum(1 for _ in sources(root))
    print('%d files, %d forbidden includes' % (n, len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
