#!/usr/bin/env python3
"""Validate the library's wire formats against JSON Schemas derived from
each service's published specification (tests/data/schemas/, sources in
lib/docs/wire-formats.md).

    check_wire_schemas.py WIRE_SAMPLES SCHEMA_DIR

Runs WIRE_SAMPLES (tests/schemas/wire_samples.c) into a scratch directory;
every "<schema>--<case>.json" it writes must validate against
SCHEMA_DIR/<schema>.json, and every schema must have a sample. Then every
SCHEMA_DIR/invalid/<schema>--<case>.json (the shapes services refuse: the
0.2 Statuspage body, a 31-character routing key, 51 blocks, ...) must be
refused, so a schema that accepts anything fails the test.

Needs the python3 `jsonschema` module (Debian: python3-jsonschema). When
this interpreter lacks it, /usr/bin/python3 is tried; without it anywhere
the test is skipped (exit 77).
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77


def import_jsonschema():
    try:
        import jsonschema  # noqa: F401
        return jsonschema
    except ImportError:
        system = "/usr/bin/python3"
        if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system) \
                and not os.environ.get("INC_SCHEMA_REEXEC"):
            os.environ["INC_SCHEMA_REEXEC"] = "1"
            os.execv(system, [system] + sys.argv)
        print("skipped: no python3 jsonschema module (apt-get install python3-jsonschema)")
        sys.exit(SKIP)


def load_schemas(jsonschema, schema_dir):
    schemas = {}
    for path in sorted(glob.glob(os.path.join(schema_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft7Validator.check_schema(schema)
        schemas[os.path.basename(path)[:-5]] = jsonschema.Draft7Validator(schema)
    return schemas


def documents(directory):
    for path in sorted(glob.glob(os.path.join(directory, "*--*.json"))):
        name = os.path.basename(path)[:-5]
        with open(path, encoding="utf-8") as f:
            yield name, name.split("--", 1)[0], json.load(f)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    jsonschema = import_jsonschema()
    samples_exe, schema_dir = argv[1], argv[2]
    schemas = load_schemas(jsonschema, schema_dir)
    failures = []
    seen = set()
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([samples_exe, scratch], check=True)
        for name, schema, doc in documents(scratch):
            if schema not in schemas:
                failures.append(f"{name}: no schema {schema}.json")
                continue
            seen.add(schema)
            errors = sorted(schemas[schema].iter_errors(doc), key=lambda e: list(e.path))
            for e in errors[:3]:
                failures.append(f"{name}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
            if not errors:
                print(f"valid   {name}")
    for schema in sorted(set(schemas) - seen):
        failures.append(f"{schema}.json: no sample validated against it")
    for name, schema, doc in documents(os.path.join(schema_dir, "invalid")):
        if schemas[schema].is_valid(doc):
            failures.append(f"invalid/{name}: accepted, but the service refuses it")
        else:
            print(f"refused invalid/{name}")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
