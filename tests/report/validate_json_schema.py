#!/usr/bin/env python3
"""Validates each line of a .jsonl file against a JSON Schema (draft 2020-12).

usage: validate_json_schema.py SCHEMA.json FILE.jsonl
Prints one line per error. Exit status: 0 all lines valid, 1 some line invalid,
3 the jsonschema module is missing (Debian: python3-jsonschema, see scripts/bootstrap).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("the Python module jsonschema is missing: install python3-jsonschema (scripts/bootstrap)")
    sys.exit(3)


def main():
    schema_path, data_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = 0
    lines = 0
    with open(data_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            lines += 1
            for error in validator.iter_errors(json.loads(line)):
                errors += 1
                where = "/".join(str(p) for p in error.absolute_path)
                print(f"line {number}: at '{where}': {error.message}")
    if lines == 0:
        print("no lines to validate")
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
