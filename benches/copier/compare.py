#!/usr/bin/env python3
"""Headless `skillchain run` against copier generating an equivalent template
(DESIGN §6: skillchain must be at least 20x faster).

The copier template is built from skillchain's own output for the same goal:
the same files with the same content, every answer a copier question with its
default, and each answer's value substituted back as a Jinja variable where it
appears, so copier renders as many files, bytes and substitutions.

    python3 benches/copier/compare.py [--runs N]

Needs copier on PATH or in COPIER (e.g. a venv: pip install copier) and a
release build (cargo build --release). Nothing here runs in CI.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, time
import json

GOAL = "streaming pipeline from kafka to snowflake with dbt tests"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "skillchain")


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def timed(cmd, runs, prepare):
    times = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        run(cmd)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def build_template(work):
    ref = os.path.join(work, "reference")
    run([BIN, "run", GOAL, "--defaults", "--out", ref])
    out = subprocess.run([BIN, "run", GOAL, "--defaults", "--pretend", "--json", "--out", ref],
                         check=True, capture_output=True, text=True)
    answers_file = os.path.join(ref, ".skillchain", "answers.yaml")
    answers = {}
    step = None
    # answers.yaml: answers: <step>: <question>: {value: ...}
    import yaml  # PyYAML ships with copier's dependencies
    doc = yaml.safe_load(open(answers_file))
    for step, qs in doc["answers"].items():
        for q, a in qs.items():
            v = a["value"] if isinstance(a, dict) else a
            answers[f"{step}__{q}".replace("-", "_")] = v
    tpl = os.path.join(work, "template")
    os.makedirs(tpl)
    questions = {"_templates_suffix": ".jinja", "_envops": {"keep_trailing_newline": True}}
    for name, v in answers.items():
        kind = {bool: "bool", int: "int", float: "float"}.get(type(v), "str")
        if isinstance(v, list):
            kind, v = "str", ",".join(v)
        questions[name] = {"type": kind, "default": v}
    # Substitute the longer text answers back as variables, so copier does
    # real substitutions; everything else is raw text.
    subs = sorted(((n, str(v)) for n, v in answers.items()
                   if isinstance(v, str) and len(str(v)) >= 6), key=lambda x: -len(x[1]))
    files = 0
    for dirpath, dirnames, filenames in os.walk(ref):
        dirnames[:] = [d for d in dirnames if d != ".skillchain"]
        for f in filenames:
            src = os.path.join(dirpath, f)
            rel = os.path.relpath(src, ref)
            text = open(src, encoding="utf-8").read()
            pieces = [text]
            for name, value in subs:
                nxt = []
                for p in pieces:
                    if isinstance(p, tuple):
                        nxt.append(p)
                        continue
                    parts = p.split(value)
                    for i, part in enumerate(parts):
                        if i:
                            nxt.append((name,))
                        nxt.append(part)
                pieces = nxt
            body = "".join("{{ %s }}" % p[0] if isinstance(p, tuple)
                           else ("{% raw %}" + p + "{% endraw %}" if p else "") for p in pieces)
            dst = os.path.join(tpl, rel + ".jinja")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            open(dst, "w", encoding="utf-8").write(body)
            files += 1
    yaml.safe_dump(questions, open(os.path.join(tpl, "copier.yml"), "w"))
    run(["git", "init", "-q"], cwd=tpl)
    return tpl, files, len(answers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    copier = os.environ.get("COPIER") or shutil.which("copier")
    if not copier:
        sys.exit("copier not found: pip install copier, or set COPIER=/path/to/copier")
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    work = tempfile.mkdtemp(prefix="sc-copier-")
    tpl, files, questions = build_template(work)
    out_sc = os.path.join(work, "out-skillchain")
    out_cp = os.path.join(work, "out-copier")
    clean = lambda d: (lambda: shutil.rmtree(d, ignore_errors=True))
    sc = timed([BIN, "run", GOAL, "--defaults", "--out", out_sc], args.runs, clean(out_sc))
    cp = timed([copier, "copy", "--defaults", "--quiet", "--vcs-ref", "HEAD", tpl, out_cp],
               args.runs, clean(out_cp))
    # Leave one output of each to compare.
    run([BIN, "run", GOAL, "--defaults", "--out", out_sc])
    # The two trees hold the same files.
    def listing(d):
        return sorted(os.path.relpath(os.path.join(p, f), d)
                      for p, ds, fs in os.walk(d) for f in fs
                      if ".skillchain" not in p and f != ".copier-answers.yml")
    same = listing(out_sc) == listing(out_cp)
    differ = [f for f in listing(out_sc) if same and
              open(os.path.join(out_sc, f), "rb").read() != open(os.path.join(out_cp, f), "rb").read()]
    print(f"template: {files} files, {questions} questions (from skillchain's own output)")
    print(f"skillchain run   median {sc[0]*1000:8.1f} ms  (min {sc[1]*1000:.1f})  [detect, answer, render, write, validate]")
    print(f"copier copy      median {cp[0]*1000:8.1f} ms  (min {cp[1]*1000:.1f})  [render, write]")
    print(f"same files: {same}, same bytes: {same and not differ} {differ[:3]}")
    print(f"skillchain is {cp[0]/sc[0]:.1f}x faster (budget: 20x)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
