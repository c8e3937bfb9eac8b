"""Checks trees written for goals that ask for part of a pack's work (some
skills only give their answers), all trees in one process.

Usage: python partial_tree_check.py TREE=DIALECT [TREE=DIALECT ...]

For each tree, every file outside .skillchain/:
- YAML (.yaml, .yml) reads with PyYAML to a non-empty value;
- JSON reads with the json module;
- Python compiles;
- plain SQL (not a dbt model: no Jinja) parses with sqlglot in DIALECT;
- a file name a Markdown file points at (`name.ext` or a table cell)
  exists in the tree, so no report sends the reader to a file that was not
  written.
A tree with dbt_project.yml must also pass `dbt parse` (the dbt next to this
Python). Prints one line per problem, `TREE: what`, and exits 1 when there
is any.
"""

import json
import os
import pathlib
import re
import subprocess
import sys

import sqlglot
import yaml
from sqlglot.errors import ErrorLevel

problems = []
# Files a Markdown text names: `x.md`, `dir/x.yaml`, | x.md | ...
NAMED = re.compile(r"(?:`|\| )([A-Za-z0-9_./-]+\.(?:md|ya?ml|sql|py|json|dax))(?:`| \|)")


def check(tree, dialect):
    files = [p for p in tree.rglob("*") if p.is_file() and ".skillchain" not in p.parts]
    names = {str(p.relative_to(tree)) for p in files}
    basenames = {p.name for p in files}
    for path in files:
        rel = path.relative_to(tree)
        text = path.read_text()
        suffix = path.suffix
        try:
            if suffix in (".yaml", ".yml"):
                if yaml.safe_load(text) in (None, "", [], {}):
                    problems.append(f"{tree}: {rel}: empty YAML")
            elif suffix == ".json":
                json.loads(text)
            elif suffix == ".py":
                compile(text, str(rel), "exec")
            elif suffix == ".sql" and "{{" not in text and "{%" not in text:
                sqlglot.parse(text, read=dialect, error_level=ErrorLevel.RAISE)
        except Exception as e:  # every parser's own error, reported as is
            problems.append(f"{tree}: {rel}: {type(e).__name__}: {str(e).splitlines()[0]}")
        if suffix == ".md":
            for named in NAMED.findall(text):
                if named in names or named.split("/")[-1] in basenames:
                    continue
                # A path with a template part or a placeholder is an example.
                if "<" in named or named.startswith("."):
                    continue
                problems.append(f"{tree}: {rel} names {named}, which was not written")
    if (tree / "dbt_project.yml").is_file():
        dbt = pathlib.Path(sys.executable).parent / "dbt"
        out = subprocess.run(
            [str(dbt), "parse", "--project-dir", str(tree), "--profiles-dir", str(tree)],
            capture_output=True,
            text=True,
            env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        )
        if out.returncode != 0:
            tail = (out.stdout + out.stderr).strip().splitlines()[-5:]
            problems.append(f"{tree}: dbt parse failed: {' | '.join(tail)}")


for arg in sys.argv[1:]:
    tree, dialect = arg.rsplit("=", 1)
    check(pathlib.Path(tree), dialect)
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
