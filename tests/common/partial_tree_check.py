"""Checks trees written for goals that ask for part of a pack's work (some
skills only give their answers), all trees in one process.

Usage: python partial_tree_check.py TREE=DIALECT [TREE=DIALECT ...]

For each tree, every file outside .skillchain/:
- YAML (.yaml, .yml) reads with PyYAML to a non-empty value;
- JSON reads with the json module;
- Python compiles, and every import of a module of the tree itself
  (`from pipeline import extract`, `from pipeline.secrets import x`, even
  inside a function) names a module or name that was written, so the tree
  imports without files that were not asked for;
- plain SQL (not a dbt model: no Jinja) parses with sqlglot in DIALECT;
- a file name a Markdown file points at (`name.ext` or a table cell)
  exists in the tree, so no report sends the reader to a file that was not
  written.
A tree with dbt_project.yml must also pass `dbt parse` (the dbt next to this
Python). A tree with a `pipeline` package and `tests/` must pass its own
tests (pytest), and its Dagster definitions and Prefect flows must load. Prints one line per problem, `TREE: what`, and exits 1 when there
is any.
"""

import ast
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


def local_import_problems(tree, rel, source):
    """Imports of the tree's own packages that name nothing written."""
    out = []

    def local(top):
        return (tree / top).is_dir() or (tree / f"{top}.py").is_file()

    def module_file(dotted):
        base = tree.joinpath(*dotted.split("."))
        return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()

    def defines(dotted, name):
        init = tree.joinpath(*dotted.split(".")) / "__init__.py"
        if not init.is_file():
            return False
        for node in ast.walk(ast.parse(init.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                return True
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                return True
        return False

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if local(alias.name.split(".")[0]) and not module_file(alias.name):
                    out.append(f"{tree}: {rel} imports {alias.name}, which was not written")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not local(node.module.split(".")[0]):
                continue
            if not module_file(node.module):
                out.append(f"{tree}: {rel} imports {node.module}, which was not written")
                continue
            package = (tree.joinpath(*node.module.split(".")) / "__init__.py").is_file()
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if package and not module_file(sub) and not defines(node.module, alias.name):
                    out.append(f"{tree}: {rel} imports {sub}, which was not written")
    return out


# The data-engineering engines sqlglot reads; a tree of another engine
# (flink, trino) gets no SQL parse.
ENGINES = {
    "duckdb": "duckdb", "snowflake": "snowflake", "bigquery": "bigquery",
    "postgres": "postgres", "redshift": "redshift", "databricks": "databricks",
    "spark": "spark",
}
# Valid statements of an engine that sqlglot cannot parse, by first word.
UNMODELLED = {"postgres": ("cluster",)}


def engine_dialect(tree):
    """The dialect of the engine the tree's answers chose, or None."""
    answers = yaml.safe_load((tree / ".skillchain" / "answers.yaml").read_text())
    engine = answers["answers"].get("architecting-data", {}).get("engine", {}).get("value")
    return ENGINES.get(engine)


def parse_sql(text, dialect):
    """Parses every statement sqlglot models in the dialect."""
    skip = UNMODELLED.get(dialect, ())

    def first_word(statement):
        for line in statement.splitlines():
            line = line.strip().lower()
            if line and not line.startswith("--"):
                return line.split()[0]
        return ""

    kept = [part for part in text.split(";") if first_word(part) not in skip]
    sqlglot.parse(";".join(kept), read=dialect, error_level=ErrorLevel.RAISE)


def run_pipeline_checks(tree):
    """The tree's own tests pass and its orchestration files load."""
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if (tree / "tests").is_dir():
        out = subprocess.run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
            cwd=tree, capture_output=True, text=True, env=env,
        )
        if out.returncode != 0:
            tail = (out.stdout + out.stderr).strip().splitlines()[-3:]
            problems.append(f"{tree}: pytest failed: {' | '.join(tail)}")
    for path in sorted((tree / "orchestration").rglob("*.py")):
        text = path.read_text()
        loads = ("Definitions(" in text and "dagster" in text) or (
            "from prefect import" in text and "@flow" in text
        )
        if not loads:
            continue
        probe = (
            "import importlib.util, sys\n"
            f"spec = importlib.util.spec_from_file_location('probe', {str(path)!r})\n"
            "module = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(module)\n"
        )
        out = subprocess.run([python, "-c", probe], cwd=tree, capture_output=True, text=True, env=env)
        if out.returncode != 0:
            tail = out.stderr.strip().splitlines()[-1:] or ["no output"]
            problems.append(f"{tree}: {path.relative_to(tree)} does not load: {tail[0]}")


def check(tree, dialect):
    if dialect == "engine":
        dialect = engine_dialect(tree)
    files = [p for p in tree.rglob("*") if p.is_file() and ".skillchain" not in p.parts]
    names = {str(p.relative_to(tree)) for p in files}
    basenames = {p.name for p in files}
    for path in files:
        rel = path.relative_to(tree)
        text = path.read_text()
        suffix = path.suffix
        try:
            if suffix in (".yaml", ".yml"):
                # Kubernetes manifests hold several documents.
                docs = list(yaml.safe_load_all(text))
                if all(d in (None, "", [], {}) for d in docs):
                    problems.append(f"{tree}: {rel}: empty YAML")
            elif suffix == ".json":
                json.loads(text)
            elif suffix == ".py":
                compile(text, str(rel), "exec")
                problems.extend(local_import_problems(tree, rel, text))
            elif suffix == ".sql" and dialect and "{{" not in text and "{%" not in text:
                parse_sql(text, dialect)
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
    if (tree / "pipeline" / "__init__.py").is_file():
        run_pipeline_checks(tree)
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
