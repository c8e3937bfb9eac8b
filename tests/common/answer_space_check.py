"""Checks generated trees with the real tools, all trees in one process.

Usage: python answer_space_check.py TREE=DIALECT [TREE=DIALECT ...]

For each tree:
- every Dagster definitions file loads (the decorators reject a bad
  annotation at import time) and exposes `defs`; every Prefect flow file
  imports and exposes a flow;
- every dbt model is rendered the way dbt would render it for a target of
  DIALECT's type (ref, source, config, is_incremental, dbt.hash and
  `target.type` stubbed) and parsed by sqlglot in that dialect with errors
  raised, and so are the shipped sql/*.sql and architecture/*.sql;
- on DuckDB trees of data-engineering with a dbt project, the shipped
  sql/*.sql run against the project's own `dbt build`.
Prints one line per problem, `TREE: what`, and exits 1 when there is any.
"""

import importlib.util
import os
import pathlib
import subprocess
import sys
import types

import logging

import jinja2
import sqlglot
from sqlglot.errors import ErrorLevel

SQLGLOT = {
    "duckdb": "duckdb", "snowflake": "snowflake", "bigquery": "bigquery",
    "postgres": "postgres", "redshift": "redshift", "databricks": "databricks",
    "spark": "spark",
}
problems = []
# Valid statements of an engine that sqlglot 26 cannot parse, by first word.
UNMODELLED = {"postgres": ("cluster",)}
# sqlglot logs statements it keeps as opaque commands (EXPLAIN, VACUUM);
# only parse errors matter here.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return module


def check_orchestration(tree, n):
    for path in sorted(tree.rglob("*.py")):
        text = path.read_text()
        if "dagster" in text and "Definitions(" in text:
            try:
                module = load_module(path, f"defs_{n}_{path.stem}")
                if not hasattr(module, "defs"):
                    problems.append(f"{tree}: {path.name} defines no `defs`")
            except Exception as err:  # noqa: BLE001
                problems.append(f"{tree}: Dagster definitions {path.relative_to(tree)} do not load: {err!r}")
        elif "from prefect import" in text and "@flow" in text:
            try:
                load_module(path, f"flow_{n}_{path.stem}")
            except Exception as err:  # noqa: BLE001
                problems.append(f"{tree}: Prefect flow {path.relative_to(tree)} does not import: {err!r}")


def render_model(source, dialect):
    env = jinja2.Environment(extensions=["jinja2.ext.do"])
    ctx = {
        "ref": lambda *a, **k: a[-1],
        "source": lambda s, t: f"{s}.{t}",
        "config": lambda *a, **k: "",
        "is_incremental": lambda: False,
        "this": "this_model",
        "var": lambda name, default=None: default if default is not None else 0,
        "env_var": lambda name, default="": default,
        "target": types.SimpleNamespace(type=dialect, name="prod", schema="analytics"),
        "dbt": types.SimpleNamespace(
            hash=lambda c: f"md5(cast({c} as varchar))",
            datediff=lambda a, b, part: f"datediff({part}, {a}, {b})",
            current_timestamp=lambda: "current_timestamp",
            safe_cast=lambda c, t: f"cast({c} as {t})",
            type_string=lambda: "varchar",
            type_timestamp=lambda: "timestamp",
        ),
    }
    return env.from_string(source).render(**ctx)


def check_dbt_models(tree, dialect):
    for project in sorted(tree.rglob("dbt_project.yml")):
        models = project.parent / "models"
        for path in sorted(models.rglob("*.sql")):
            try:
                sql = render_model(path.read_text(), dialect)
            except Exception as err:  # noqa: BLE001
                problems.append(f"{tree}: {path.relative_to(tree)} does not render as dbt would: {err!r}")
                continue
            try:
                sqlglot.parse(sql, read=SQLGLOT[dialect], error_level=ErrorLevel.RAISE)
            except Exception as err:  # noqa: BLE001
                first = str(err).splitlines()[0][:300]
                problems.append(f"{tree}: {path.relative_to(tree)} is not {dialect} SQL (sqlglot): {first}")


def check_plain_sql(tree, dialect):
    """The engine-specific SQL a project ships (DDL, tuned queries, physical
    design) parses in that engine's dialect."""
    files = sorted((tree / "sql").glob("*.sql")) + sorted((tree / "architecture").glob("*.sql"))
    for path in files:
        # One statement at a time, so a maintenance command sqlglot does not
        # model (PostgreSQL's `cluster t using i`) is skipped by name, not
        # the whole file.
        for statement in path.read_text().split(";\n"):
            code = "\n".join(l for l in statement.splitlines() if not l.strip().startswith("--")).strip()
            if not code or code.split()[0].lower() in UNMODELLED.get(dialect, ()):
                continue
            try:
                sqlglot.parse(code, read=SQLGLOT[dialect], error_level=ErrorLevel.RAISE)
            except Exception as err:  # noqa: BLE001
                first = str(err).splitlines()[0][:300]
                problems.append(
                    f"{tree}: {path.relative_to(tree)} is not {dialect} SQL (sqlglot): {first}\n    {code[:200]}"
                )


def check_shipped_sql_on_duckdb(tree, bin_dir):
    project = tree / "transforms" / "dbt"
    if not (project / "dbt_project.yml").is_file() or not (tree / "sql").is_dir():
        return
    database = tree.parent / (tree.name + ".duckdb")
    env = {**os.environ, "DBT_TARGET": "local", "DBT_DUCKDB_PATH": str(database)}
    env.pop("DBT_RAW_SCHEMA", None)
    built = subprocess.run(
        [str(bin_dir / "dbt"), "build", "--no-use-colors", "--project-dir", str(project),
         "--profiles-dir", str(project), "--target-path", str(tree.parent / (tree.name + "-target"))],
        env=env, capture_output=True, text=True, check=False,
    )
    if built.returncode != 0:
        problems.append(f"{tree}: dbt build failed:\n{built.stdout[-2000:]}")
        return
    # dbt names each deprecation event `...Deprecation`; the generated
    # project must use the syntax of the dbt version it pins.
    for line in built.stdout.splitlines():
        if "Deprecation" in line or "[WARNING]: Deprecated" in line:
            problems.append(f"{tree}: dbt warns: {line.strip()}")
    import duckdb  # noqa: PLC0415

    conn = duckdb.connect(str(database))
    cwd = os.getcwd()
    os.chdir(tree.parent)
    try:
        # physical_design.sql creates what optimized_queries.sql reads.
        for name in ["physical_design.sql", "optimized_queries.sql", "slow_queries.sql"]:
            try:
                conn.execute((tree / "sql" / name).read_text())
            except Exception as err:  # noqa: BLE001
                problems.append(f"{tree}: sql/{name} fails on the project's own DuckDB build: {err}")
    finally:
        os.chdir(cwd)
        conn.close()


def main():
    bin_dir = pathlib.Path(sys.executable).parent
    for n, arg in enumerate(sys.argv[1:]):
        tree_s, dialect = arg.rsplit("=", 1)
        tree = pathlib.Path(tree_s)
        check_orchestration(tree, n)
        if dialect in SQLGLOT:
            check_dbt_models(tree, dialect)
            check_plain_sql(tree, dialect)
        if dialect == "duckdb" and (tree / "architecture").is_dir():
            check_shipped_sql_on_duckdb(tree, bin_dir)
    print("\n".join(problems))
    sys.exit(1 if problems else 0)


main()
