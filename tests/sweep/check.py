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
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import yaml

try:
    import tomllib  # Python 3.11+
except ImportError:  # older Pythons: TOML files are counted as unchecked
    tomllib = None

try:
    LOADER = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    LOADER = yaml.SafeLoader

import sqlglot

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
                if jinja or "{{" in text or "{%" in text:
                    count("sql-dbt-jinja-skipped")
                    continue
                count("sql")
                exprs = sqlglot.parse(text, read=dialect)
                strings = []
                for e in exprs:
                    if e is None:
                        continue
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


def run(cmd, cwd, check, path, fail, env=None, timeout=600):
    e = dict(os.environ)
    e.update(env or {})
    e["PATH"] = VENV_BIN + os.pathsep + e.get("PATH", "")
    try:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=e, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail(check, path, f"timed out after {timeout} s: {' '.join(cmd)}")
        return False
    if r.returncode != 0:
        fail(check, path, (r.stdout[-1500:] + r.stderr[-1500:]).strip())
        return False
    return True


def expensive(job, fail, count):
    root = job["dir"]
    files = job["files"]
    for path in files:
        if path.endswith("dbt_project.yml"):
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
        run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests"], root, "pytest", "tests/", fail)
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
            code = (
                "import importlib.util,sys;"
                f"s=importlib.util.spec_from_file_location('flow_under_test',{full!r});"
                "m=importlib.util.module_from_spec(s);s.loader.exec_module(m)"
            )
            run([sys.executable, "-c", code], root, "prefect import", path, fail, env={"PREFECT_HOME": os.path.join(root, ".prefect-home")})


def main():
    jobs = [json.loads(l) for l in sys.stdin if l.strip()]
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    if workers == 1:
        results = map(check_project, jobs)
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        results = pool.map(check_project, jobs, chunksize=max(1, len(jobs) // (workers * 4)))
    for r in results:
        sys.stdout.write(json.dumps(r) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
