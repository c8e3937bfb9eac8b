"""Checks generated projects for the answer-space sweep (tests/sweep.rs).

Reads one JSON object per line on stdin, one per generated project:
  {"id", "dir", "dialect", "answers": [{"value", "marker"}], "files": {path: template},
   "jinja_roots": [dir], "expensive": bool}
and writes one JSON object per line on stdout:
  {"id", "failures": [{"check", "file", "template", "detail"}], "counts": {check: n}}

Cheap checks (every project): YAML/JSON/TOML files parse and every answer
that lands in one of their values reads back intact; Python files compile and
every answer in a string constant reads back intact; SQL files parse with
sqlglot in the project's dialect (files dbt renders with Jinja are skipped and
counted: dbt itself checks them in the expensive run); shell scripts pass
`bash -n`; Markdown files keep their code fences balanced and no answer starts
a heading, list or fence. Expensive checks (projects marked `expensive`): dbt
build on DuckDB, the project's own pytest, Dagster definitions validate,
Prefect flow import.

One process checks every project (a process per file costs more than the
checks), with a pool of workers as wide as the machine.
"""

import ast
import hashlib
import importlib
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed

import yaml

try:
    import tomllib  # Python 3.11+
except ImportError:  # older Pythons: TOML files are counted as unchecked
    tomllib = None

try:
    LOADER = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    LOADER = yaml.SafeLoader

import jinja2
import sqlglot

try:
    import pglast  # libpg_query: the Postgres server's own parser
except ImportError:  # without it Postgres SQL is checked by sqlglot alone
    pglast = None

DIALECTS = {
    "duckdb": "duckdb",
    "snowflake": "snowflake",
    "bigquery": "bigquery",
    "redshift": "redshift",
    "postgres": "postgres",
    "spark": "spark",
    "databricks": "databricks",
    "trino": "trino",
}
JINJA_ZERO = "{{ '{' }}"
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
BLOCK_START = re.compile(r"^( {0,3})(#{1,6}(\s|$)|[-+*](\s|$)|>|```|~~~|\d{1,9}[.)](\s|$)|\|)")
VENV_BIN = os.path.dirname(sys.executable)
# What may stand between EXPLAIN and the statement it explains.
EXPLAIN_OPTIONS = re.compile(r"^\s*(\([^)]*\)\s*)?((analyze|verbose|extended|formatted|codegen|cost|logical|using\s+\w+)\s+)*", re.I)


def fenced_lines(lines):
    """For each line, whether it is inside a fenced code block (CommonMark:
    a fence closes with the same character, at least as long); None when a
    fence is left open."""
    out = []
    fence = None
    for l in lines:
        m = FENCE.match(l)
        if fence is None:
            if m:
                fence = (m.group(2)[0], len(m.group(2)))
                out.append(True)
            else:
                out.append(False)
        else:
            out.append(True)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not m.group(3).strip():
                fence = None
    return None if fence else out


def strings_of(node, out):
    """Every string (keys and values) in a parsed document."""
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, dict):
        for k, v in node.items():
            strings_of(k, out)
            strings_of(v, out)
    elif isinstance(node, (list, tuple)):
        for v in node:
            strings_of(v, out)


def readback(strings, answers, jinja):
    """Each string holding an answer's marker must hold the whole answer."""
    problems = []
    for s in strings:
        if jinja:
            s = s.replace(JINJA_ZERO, "{")
        for a in answers:
            if a["marker"] in s and a["value"] not in s:
                problems.append(
                    f"answer {a['marker']} does not read back intact: got {s[:160]!r}, gave {a['value'][:160]!r}"
                )
    return problems


def in_jinja_root(path, roots):
    for root in roots:
        rel = path if root == "" else (path[len(root) + 1 :] if path.startswith(root + "/") else None)
        if rel is None:
            continue
        if rel.split("/")[0] in ("models", "macros", "tests", "snapshots", "analyses", "seeds"):
            return True
        if rel in ("dbt_project.yml", "profiles.yml", "packages.yml", "selectors.yml"):
            return True
    return False


def check_project(job):
    failures = []
    counts = {}

    def fail(check, path, detail):
        failures.append(
            {"check": check, "file": path, "template": job["files"].get(path, ""), "detail": str(detail)[:600]}
        )

    def count(check):
        counts[check] = counts.get(check, 0) + 1

    root = job["dir"]
    answers = [a for a in job["answers"] if a["value"]]
    one_line = [a for a in answers if "\n" not in a["value"]]
    dialect = DIALECTS.get(job.get("dialect") or "", None)
    declared_jinja = set(job.get("jinja_files", []))
    for path in sorted(job["files"]):
        full = os.path.join(root, path)
        try:
            with open(full, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            fail("read", path, e)
            continue
        jinja = in_jinja_root(path, job["jinja_roots"])
        name = path.rsplit("/", 1)[-1]
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        try:
            if ext in ("yml", "yaml"):
                count("yaml")
                docs = list(yaml.load_all(text, Loader=LOADER))
                strings = []
                strings_of(docs, strings)
                for p in readback(strings, answers, jinja):
                    fail("readback", path, p)
            elif ext in ("json", "avsc"):
                count("json")
                strings = []
                strings_of(json.loads(text), strings)
                for p in readback(strings, answers, False):
                    fail("readback", path, p)
            elif ext == "jsonl":
                count("json")
                strings = []
                for line in text.splitlines():
                    if line.strip():
                        strings_of(json.loads(line), strings)
                for p in readback(strings, answers, False):
                    fail("readback", path, p)
            elif ext == "toml" and tomllib is None:
                count("toml-unchecked-no-tomllib")
            elif ext == "toml":
                count("toml")
                strings = []
                strings_of(tomllib.loads(text), strings)
                for p in readback(strings, answers, False):
                    fail("readback", path, p)
            elif ext == "py":
                count("python")
                tree = ast.parse(compile(text, full, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True))
                compile(tree, full, "exec", dont_inherit=True)
                strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                for p in readback(strings, answers, False):
                    fail("readback", path, p)
            elif ext == "sql":
                if jinja:
                    count("sql-dbt-jinja-skipped")
                    continue
                if path in declared_jinja:
                    # The project's tool renders this file with Jinja first
                    # (bqetl): check what it would run.
                    count("sql-jinja-rendered")
                    text = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(text).render()
                count("sql")
                if dialect == "postgres" and pglast is not None:
                    # Postgres SQL is checked by Postgres's own parser;
                    # sqlglot still reads the string literals back, statement
                    # by statement, except in statements it cannot parse
                    # (`cluster t using i`), which are counted.
                    count("sql-postgres-parser")
                    pglast.parse_sql(text)
                    exprs = []
                    for stmt in pglast.split(text):
                        try:
                            exprs.extend(sqlglot.parse(stmt, read=dialect))
                        except sqlglot.errors.ParseError:
                            count("sql-postgres-only-statement")
                else:
                    exprs = sqlglot.parse(text, read=dialect)
                strings = []
                for e in exprs:
                    if e is None:
                        continue
                    postgres_checked = dialect == "postgres" and pglast is not None
                    if isinstance(e, sqlglot.exp.Command) and str(e.this).lower() == "explain" and not postgres_checked:
                        # sqlglot keeps EXPLAIN as text: the statement it
                        # explains is parsed on its own, after the options.
                        count("sql-explain-inner-parsed")
                        inner = e.expression.name if hasattr(e.expression, "name") else str(e.expression)
                        inner = EXPLAIN_OPTIONS.sub("", inner, count=1)
                        exprs.extend(x for x in sqlglot.parse(inner, read=dialect) if x is not None)
                    elif isinstance(e, sqlglot.exp.Command) and not postgres_checked:
                        # sqlglot kept the statement as text without parsing
                        # it (VACUUM, ...): counted, so the figures say how
                        # much SQL no parser has checked.
                        count(f"sql-unparsed-{dialect}-{str(e.this).lower()}")
                    for lit in e.find_all(sqlglot.exp.Literal):
                        if lit.is_string:
                            strings.append(lit.this)
                for p in readback(strings, one_line, False):
                    fail("readback", path, p)
            elif ext in ("sh", "bash"):
                count("shell")
                r = subprocess.run(["bash", "-n", full], capture_output=True, text=True)
                if r.returncode != 0:
                    fail("bash -n", path, r.stderr.strip())
            elif ext == "md":
                count("markdown")
                lines = text.split("\n")
                inside = fenced_lines(lines)
                if inside is None:
                    fail("markdown", path, "a code fence is never closed: an answer opened or closed a fence")
                    inside = [False] * len(lines)
                # A line made by an answer must not start a block (CommonMark),
                # unless it sits inside a code block.
                for a in answers:
                    for part in a["value"].split("\n"):
                        if not BLOCK_START.match(part):
                            continue
                        for l, fenced in zip(lines, inside):
                            if l == part and not fenced:
                                fail("markdown", path, f"answer {a['marker']} starts a block: {l[:120]!r}")
        except Exception as e:  # every parser's error is a failure of this file
            kind = {"yml": "yaml", "yaml": "yaml", "json": "json", "avsc": "json", "jsonl": "json", "toml": "toml", "py": "python", "sql": "sql"}.get(ext, ext)
            fail(kind, path, f"{type(e).__name__}: {e}")
    if job.get("expensive"):
        expensive(job, fail, count)
    return {"id": job["id"], "failures": failures, "counts": counts}


# The expensive tools run in a child forked from this worker after it has
# imported the tool once: the same entry point as the console script (with
# the script's argv and sys.path), without paying the tool's import (seconds
# for dbt, Dagster and Prefect) per project. A fork starts from the worker's
# state, so one project's imports never reach the next.
ENTRY_POINTS = {
    "dbt": ("dbt.cli.main", "cli"),
    "dagster": ("dagster._cli", "main"),
    "pytest": ("pytest", "console_main"),
}


def entry(tool):
    module, name = ENTRY_POINTS[tool]
    return getattr(importlib.import_module(module), name)


def import_module_file(full):
    """What the Prefect check runs: loads the flow file as a module."""
    spec = importlib.util.spec_from_file_location("flow_under_test", full)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return 0


def forked(target, argv, cwd, env, timeout, sys_path0):
    """Runs target() in a forked child with argv, cwd and env; returns
    (exit code or None on timeout, output)."""
    out = tempfile.TemporaryFile()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child
        code = 70
        try:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
            os.chdir(cwd)
            os.environ.update(env)
            sys.argv = argv
            sys.path[0] = sys_path0
            try:
                rc = target()
                code = rc if isinstance(rc, int) else 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:  # the child reports and exits, whatever happened
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            out.close()
            return None, ""
        time.sleep(0.05)
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    out.close()
    return os.waitstatus_to_exitcode(status), text


def run(cmd, cwd, check, path, fail, env=None, timeout=600):
    """Runs a tool's command line (`dbt ...`, `dagster ...`, `pytest ...`,
    or `("import", file)`) in a forked child; fails the check on a non-zero
    exit, with the end of its output."""
    e = {"PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", "")}
    e.update(env or {})
    if cmd[0] == "import":
        target, path0 = (lambda: import_module_file(cmd[1])), cwd
    elif cmd[0] == "pytest":
        # `python -m pytest` puts the working folder first on sys.path.
        target, path0 = entry("pytest"), cwd
    else:
        target, path0 = entry(cmd[0]), VENV_BIN
    code, text = forked(target, list(cmd), cwd, e, timeout, path0)
    if code is None:
        fail(check, path, f"timed out after {timeout} s: {' '.join(cmd)}")
        return False
    if code != 0:
        fail(check, path, (f"exit {code}: ..." + text[-560:]).strip())
        return False
    return True


def dbt_projects(job):
    """The dbt project folders of a job, each with a digest of its files."""
    out = {}
    for path in job["files"]:
        if path.endswith("dbt_project.yml"):
            proj = os.path.dirname(path)
            h = hashlib.sha256()
            for p in sorted(job["files"]):
                if proj == "" or p.startswith(proj + "/"):
                    with open(os.path.join(job["dir"], p), "rb") as f:
                        h.update(p.encode() + b"\0" + f.read() + b"\0")
            out[path] = h.hexdigest()
    return out


def expensive(job, fail, count):
    root = job["dir"]
    files = job["files"]
    for path in files:
        if path.endswith("dbt_project.yml"):
            if path in job.get("dbt_same_as", {}):
                # Byte-identical to a project another job builds: that
                # job's result is this one's (copied by main()).
                count("dbt build (identical project, result shared)")
                continue
            proj = os.path.join(root, os.path.dirname(path))
            count("dbt build")
            run(
                ["dbt", "build", "--no-use-colors", "--target", "local", "--project-dir", proj, "--profiles-dir", proj],
                proj,
                "dbt build",
                path,
                fail,
                env={"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
            )
    if any(p.startswith("tests/") and p.rsplit("/", 1)[-1].startswith("test_") and p.endswith(".py") for p in files):
        count("pytest")
        run(["pytest", "-q", "-x", "-p", "no:cacheprovider", "tests"], root, "pytest", "tests/", fail)
    for path in files:
        full = os.path.join(root, path)
        if not path.endswith(".py"):
            continue
        with open(full, encoding="utf-8") as f:
            text = f.read()
        if "dagster" in text and "Definitions(" in text:
            count("dagster definitions validate")
            run(["dagster", "definitions", "validate", "-f", full], root, "dagster definitions validate", path, fail)
        elif "from prefect" in text and "@flow" in text:
            count("prefect import")
            run(["import", full], root, "prefect import", path, fail, env={"PREFECT_HOME": os.path.join(root, ".prefect-home")})


def main():
    jobs = [json.loads(l) for l in sys.stdin if l.strip()]
    # A dbt project byte-identical to one an earlier job builds is built once.
    first_with = {}
    shared = []  # (job id, dbt_project.yml path, id of the job that builds it)
    for job in jobs:
        if not job.get("expensive"):
            continue
        for path, digest in dbt_projects(job).items():
            if digest in first_with:
                job.setdefault("dbt_same_as", {})[path] = first_with[digest]
                shared.append((job["id"], path, first_with[digest]))
            else:
                first_with[digest] = job["id"]
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    if workers == 1:
        results = map(check_project, jobs)
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        # The expensive jobs first, one at a time, so no worker is left
        # with a long tail of dbt builds while the other idles.
        ordered = sorted(jobs, key=lambda j: not j.get("expensive"))
        results = (f.result() for f in as_completed([pool.submit(check_project, j) for j in ordered]))
    progress = os.environ.get("SKILLCHAIN_SWEEP_PROGRESS")
    done = {}
    for r in results:
        done[r["id"]] = r
        if progress:
            with open(progress, "a", encoding="utf-8") as f:
                f.write(f"{time.strftime('%H:%M:%S')} {len(done)}/{len(jobs)} set {r['id']}: {len(r['failures'])} failure(s) {sorted(r['counts'])}\n")
    results = done
    for job_id, path, builder in shared:
        for f in results[builder]["failures"]:
            if f["check"] == "dbt build":
                results[job_id]["failures"].append(dict(f, file=path, detail=f"(same project as set {builder}) {f['detail']}"))
    for r in results.values():
        sys.stdout.write(json.dumps(r) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
