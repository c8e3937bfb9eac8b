#!/usr/bin/env python3
"""Whole-process timings of the release binary against the budgets of
DESIGN §6, with copier rendering the equivalent template in the same run.

    cargo build --release
    python3 benches/process.py [--runs 20] [--bin target/release/skillchain]

Each command gets warm-up runs and then --runs timed runs (median and best
are printed); hyperfine is used when it is on PATH (Debian: apt-get install
hyperfine), else a timer here does the same. Peak memory of `run` is read
with /usr/bin/time -v (max RSS). copier comes from COPIER, PATH, or a venv
this script makes in target/bench-venv (pip install copier); without it the
copier row is skipped. Nothing here runs in CI.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches", "copier"))
import compare  # noqa: E402  builds the equivalent copier template

GOAL = compare.GOAL
DETECT_GOAL = "dbt models on snowflake with tests and docs"


def quiet(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(name, cmd, runs, prepare=None, warmup=3):
    """(median, best, mean CPU user+system or None) in seconds; CPU time
    barely moves with the machine's load, wall time does."""
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            args = ["hyperfine", "-N", "--warmup", str(warmup), "--runs", str(runs),
                    "--export-json", out.name, "--style", "none"]
            if prepare:
                args += ["--prepare", prepare]
            quiet(args + [" ".join(_quote(c) for c in cmd)])
            res = json.load(open(out.name))["results"][0]
            times = res["times"]
            cpu = res["user"] + res["system"]
    else:
        times, cpu = [], None
        for i in range(warmup + runs):
            if prepare:
                subprocess.run(prepare, shell=True, check=True)
            start = time.perf_counter()
            quiet(cmd)
            if i >= warmup:
                times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), cpu


def _quote(s):
    return "'" + s.replace("'", "'\\''") + "'" if any(c in s for c in " '\"$") else s


def peak_rss_kib(cmd, prepare):
    best = None
    for _ in range(5):
        subprocess.run(prepare, shell=True, check=True)
        r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, check=True)
        for line in r.stderr.splitlines():
            if "Maximum resident set size" in line:
                kib = int(line.rsplit(":", 1)[1])
                best = kib if best is None else min(best, kib)
    return best


def find_copier():
    found = os.environ.get("COPIER") or shutil.which("copier")
    if found:
        return found
    venv = os.path.join(ROOT, "target", "bench-venv")
    exe = os.path.join(venv, "bin", "copier")
    if not os.path.exists(exe):
        try:
            quiet([sys.executable, "-m", "venv", venv])
            quiet([os.path.join(venv, "bin", "pip"), "install", "-q", "copier"])
        except (subprocess.CalledProcessError, OSError):
            return None
    return exe if os.path.exists(exe) else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "skillchain"))
    ap.add_argument("--no-copier", action="store_true")
    args = ap.parse_args()
    bin_ = os.path.abspath(args.bin)
    if not os.path.exists(bin_):
        sys.exit(f"{bin_}: not found; build first: cargo build --release")
    compare.BIN = bin_
    work = tempfile.mkdtemp(prefix="sc-bench-")
    out = os.path.join(work, "out")
    clean = f"rm -rf {_quote(out)}"
    rows = []
    version = measure("version", [bin_, "--version"], args.runs)
    rows.append(("skillchain --version", version, None))
    detect = measure("detect", [bin_, "detect", DETECT_GOAL], args.runs)
    rows.append((f"skillchain detect \"{DETECT_GOAL}\"", detect, "<= 5 ms; within 3 ms of --version"))
    run_cmd = [bin_, "run", GOAL, "--defaults", "--out", out]
    run = measure("run", run_cmd, args.runs, prepare=clean)
    rows.append(("skillchain run GOAL --defaults (44 files)", run, "<= 10 ms; within 8 ms of --version"))
    copier = None if args.no_copier else find_copier()
    if copier:
        tpl, files, questions = compare.build_template(os.path.join(work, "copier"))
        out_cp = os.path.join(work, "out-copier")
        cp = measure("copier", [copier, "copy", "--defaults", "--quiet", "--vcs-ref", "HEAD",
                                tpl, out_cp], max(5, args.runs // 2), prepare=f"rm -rf {_quote(out_cp)}",
                     warmup=1)
        rows.append((f"copier copy, equivalent template ({files} files, {questions} questions)", cp, None))
    rss = peak_rss_kib(run_cmd, clean)
    print(f"binary: {bin_}")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{args.runs} runs after 3 warm-ups ({'hyperfine' if shutil.which('hyperfine') else 'own timer'})")
    for name, (med, best, cpu), budget in rows:
        cpu = f"cpu {cpu*1000:7.2f} ms" if cpu is not None else ""
        print(f"{name:<62} median {med*1000:8.2f} ms  best {best*1000:7.2f} ms  {cpu}  {budget or ''}")
    if copier:
        print(f"copier / skillchain run: {cp[0]/run[0]:.0f}x by medians, {cp[1]/run[1]:.0f}x by bests (budget: >= 150x)")
    print(f"peak memory of run: {rss/1024:.1f} MiB max RSS (budget: <= 15 MiB)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
