#!/usr/bin/env python3
"""The struct versioning policy (lib/docs/versioning.md) over the tree:

1. No file of lib/ compares a struct version itself: `x->version != ...` or
   `... == INC_X_VERSION` anywhere but lib/util/version.c is the first
   `*_VERSION = 2` breaking every caller built against version 1. The one
   check is inc__vstruct_read/_write/_init (1..CURRENT).
2. Every public struct whose first field is `version` has its inc__vstruct
   (INC__VSTRUCT(var, inc_x, ..., INC_X_VERSION, ...)) in lib/.
3. Every INC_X_INIT macro has its `inc_x_init()` declared INC_API.
4. lib/docs/versioning.md lists every public struct with a body, so each
   has a stated rule (caller-filled, library-filled with a version, or
   frozen until a SONAME bump).
5. The header parser (public_headers.py, which also feeds layout_dump) sees
   every struct and enum the headers define.

Usage: check_versions.py [ROOT]       check the tree at ROOT (default: ../..)
       check_versions.py --self-test  plant a violation of each rule in a
                                      copy of the tree and expect each refused
Exit 0 when the tree keeps the policy, 1 (listing each problem) otherwise.
"""
import glob
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import public_headers  # noqa: E402

CMP = r'(?:==|!=|<=|>=|<(?!<)|(?<!-)>(?!>))'
VERSION_COMPARE = re.compile(
    r'(?:->|\.)version\s*' + CMP + r'|' + CMP + r'\s*[\w>.-]*(?:->|\.)version\b|'
    r'\bINC_\w+_VERSION\s*' + CMP + r'|' + CMP + r'\s*INC_\w+_VERSION\b')
VSTRUCT = re.compile(r'INC__VSTRUCT\(\s*\w+\s*,\s*(inc_\w+)\s*,[^;]*?\b(INC_\w+_VERSION)\b', re.S)
INIT_MACRO = re.compile(r'#\s*define\s+(INC_\w+)_INIT\b')
INC_API_FN = re.compile(r'INC_(?:PG_)?API[^;(]*?\b(inc_[a-z0-9_]+)\s*\(')
RAW_TYPE = re.compile(r'\b(struct|enum)\s+(inc_\w+)\s*\{')
ANONYMOUS = re.compile(r'\btypedef\s+(struct|enum)\s*\{')
# Files that read a *file format's* version, not a struct's.
FORMAT_VERSION_FILES = {'lib/oncall/tzif.c'}


def lib_sources(root):
    return sorted(glob.glob(os.path.join(root, 'lib', '**', '*.[ch]'), recursive=True))


def check_no_version_compares(root):
    problems = []
    for path in lib_sources(root):
        rel = os.path.relpath(path, root)
        if rel.startswith('lib/util/version.') or rel in FORMAT_VERSION_FILES:
            continue
        text = public_headers.strip_comments(open(path, encoding='utf-8').read())
        for n, line in enumerate(text.split('\n'), 1):
            if VERSION_COMPARE.search(line) and 'kv->version' not in line:
                problems.append('%s:%d: compares a struct version itself (use inc__vstruct_*): %s'
                                % (rel, n, line.strip()))
    return problems


def check_vstructs(root, api):
    found = {}
    for path in lib_sources(root):
        for m in VSTRUCT.finditer(open(path, encoding='utf-8').read()):
            found[m.group(1)] = m.group(2)
    problems = []
    for name, version in sorted(api.versioned_structs().items()):
        if name not in found:
            problems.append('%s (%s) has no INC__VSTRUCT in lib/: its version is not checked '
                            'by the one helper' % (name, api.header_of[name]))
        elif found[name] != version:
            problems.append('%s: INC__VSTRUCT names %s, not %s' % (name, found[name], version))
    return problems


def check_init_functions(root):
    macros, functions = set(), set()
    for path in public_headers.header_paths(root):
        text = open(path, encoding='utf-8').read()
        macros.update(m.group(1) for m in INIT_MACRO.finditer(text))
        functions.update(INC_API_FN.findall(text))
    return ['%s_INIT has no %s_init() declared INC_API' % (m, m.lower())
            for m in sorted(macros) if m.lower() + '_init' not in functions]


def check_doc_lists_every_struct(root, api):
    path = os.path.join(root, 'lib', 'docs', 'versioning.md')
    if not os.path.exists(path):
        return ['lib/docs/versioning.md is missing']
    doc = open(path, encoding='utf-8').read()
    return ['lib/docs/versioning.md does not list %s (%s)' % (s, api.header_of[s])
            for s in sorted(api.structs) if '`%s`' % s not in doc]


def check_parser_sees_everything(root, api):
    problems = []
    raw = set()
    for path in public_headers.header_paths(root):
        text = public_headers.strip_comments(open(path, encoding='utf-8').read())
        raw.update(m.group(2) for m in RAW_TYPE.finditer(text))
        if ANONYMOUS.search(text):
            problems.append('%s: an anonymous typedef struct/enum: name it inc_x so the '
                            'layout dump and the bindings can see it' % os.path.relpath(path, root))
    missed = raw - set(api.structs) - set(api.enums)
    problems += ['public_headers.py does not parse %s' % n for n in sorted(missed)]
    return problems


def check(root):
    api = public_headers.PublicApi(root)
    return (check_no_version_compares(root) + check_vstructs(root, api) +
            check_init_functions(root) + check_doc_lists_every_struct(root, api) +
            check_parser_sees_everything(root, api))


def _plant(root, rel, old, new):
    path = os.path.join(root, rel)
    text = open(path, encoding='utf-8').read()
    if old not in text:
        raise AssertionError('self-test: %r not found in %s' % (old, rel))
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text.replace(old, new, 1))


# (what is planted, file, text replaced, replacement)
PLANTS = [
    ('a != version check', 'lib/context.c', '    if ((rc = inc__vstruct_read(',
     '    if (opts && opts->version != INC_CONTEXT_OPTIONS_VERSION)\n        return INC_EVERSION;\n'
     '    if ((rc = inc__vstruct_read('),
    ('a range check by hand', 'lib/store.c', '    if ((rc = inc__vstruct_read(',
     '    if (backend->version > INC_STORE_BACKEND_VERSION)\n        return INC_EVERSION;\n'
     '    if ((rc = inc__vstruct_read('),
    ('a versioned struct without INC__VSTRUCT', 'lib/due/scheduler.c',
     'INC__VSTRUCT(scheduler_options_v', 'NOT_A_VSTRUCT(scheduler_options_v'),
    ('an INIT macro without its init function', 'include/incident/can.h',
     'INC_API int inc_can_report_init(', 'int not_exported_can_report_init('),
    ('a new public struct not in the policy', 'include/incident/can.h',
     '#ifdef __cplusplus\n}', 'typedef struct inc_can_extra {\n    int x;\n} inc_can_extra;\n\n'
     '#ifdef __cplusplus\n}'),
]


def self_test(root):
    if check(root):
        print('self-test: the tree itself fails the check; fix that first')
        return False
    ok = True
    for what, rel, old, new in PLANTS:
        tmp = tempfile.mkdtemp(prefix='inc-versions-')
        try:
            for sub in ('lib', 'include'):
                shutil.copytree(os.path.join(root, sub), os.path.join(tmp, sub))
            _plant(tmp, rel, old, new)
            problems = check(tmp)
            print('%s: %s' % (what, 'refused: ' + problems[0] if problems else 'NOT REFUSED'))
            ok = ok and bool(problems)
        finally:
            shutil.rmtree(tmp)
    return ok


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    if len(argv) > 1 and argv[1] == '--self-test':
        root = argv[2] if len(argv) > 2 else os.path.join(here, '..', '..')
        return 0 if self_test(os.path.abspath(root)) else 1
    root = os.path.abspath(argv[1] if len(argv) > 1 else os.path.join(here, '..', '..'))
    problems = check(root)
    for p in problems:
        print(p)
    if not problems:
        print('versioning policy: kept')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
