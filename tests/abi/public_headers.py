"""What the public headers (include/incident.h, include/incident/*.h,
include/incident/sys/*.h) declare that a binding must mirror: the structs
with a body and their fields, the enums and their constants, and the
object-like integer #defines. Used by gen_layout_dump.py (the layout dump the
binding tests compare with) and check_versions.py (the versioning policy).

The headers are clang-formatted C, so a small parser is enough: comments are
stripped, then each `struct NAME { ... }` and `enum NAME { ... }` is read.
"""
import glob
import os
import re

COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRUCT = re.compile(r'\bstruct\s+(inc_\w+)\s*\{(.*?)\}\s*(\w*)\s*;', re.S)
ENUM = re.compile(r'\benum\s+(inc_\w+)\s*\{(.*?)\}\s*(\w*)\s*;', re.S)
DEFINE = re.compile(r'^\s*#\s*define\s+(INC_\w+)(\(?)[ \t]*(.*)$', re.M)
FUNC_PTR = re.compile(r'\(\s*\*\s*(\w+)\s*\)')
FIELD_NAME = re.compile(r'(\w+)\s*(\[[^\]]*\]\s*)*$')


def header_paths(root):
    inc = os.path.join(root, 'include')
    return sorted(glob.glob(os.path.join(inc, '*.h')) +
                  glob.glob(os.path.join(inc, 'incident', '*.h')) +
                  glob.glob(os.path.join(inc, 'incident', 'sys', '*.h')))


def strip_comments(text):
    return COMMENT.sub(' ', text)


def _fields(body):
    names = []
    for decl in body.split(';'):
        decl = ' '.join(decl.split())
        if not decl:
            continue
        m = FUNC_PTR.search(decl)
        if not m:
            m = FIELD_NAME.search(decl)
        if not m:
            raise ValueError('cannot read the field declaration: ' + decl)
        names.append(m.group(1))
    return names


def _enum_constants(body):
    names = []
    for item in body.split(','):
        item = item.strip()
        if item:
            names.append(item.split('=')[0].strip())
    return names


def _integer_define(name, params, value):
    """The #defines a binding mirrors: object-like, with an integer value."""
    if params or not value or '"' in value or '{' in value or value.endswith('\\'):
        return False
    return not (name == 'INC_API' or name.endswith('_H') or name.endswith('_INIT'))


class PublicApi:
    """structs: {name: [field, ...]} in declaration order, for every struct
    with a body; typedef: {name: 1 if the struct's typedef has its name}; enums: {name: [CONSTANT, ...]}; defines: {NAME: (value,
    header)} for the integer object-like #defines; header_of: the header
    (relative to include/) declaring each struct and enum."""

    def __init__(self, root):
        self.structs, self.enums, self.defines, self.header_of = {}, {}, {}, {}
        self.typedef = {}  # struct name: 1 if `typedef struct NAME {...} NAME;`
        for path in header_paths(root):
            rel = os.path.relpath(path, os.path.join(root, 'include'))
            text = strip_comments(open(path, encoding='utf-8').read())
            for m in STRUCT.finditer(text):
                self.structs[m.group(1)] = _fields(m.group(2))
                self.typedef[m.group(1)] = m.group(3) == m.group(1)
                self.header_of[m.group(1)] = rel
            for m in ENUM.finditer(text):
                self.enums[m.group(1)] = _enum_constants(m.group(2))
                self.header_of[m.group(1)] = rel
            for m in DEFINE.finditer(text):
                name, params, value = m.group(1), m.group(2), m.group(3).strip()
                if _integer_define(name, params, value):
                    self.defines.setdefault(name, (value, rel))

    def versioned_structs(self):
        """Structs whose first field is `version`, with their *_VERSION name."""
        out = {}
        for name, fields in self.structs.items():
            if fields and fields[0] == 'version':
                out[name] = name.upper() + '_VERSION'
        return out
