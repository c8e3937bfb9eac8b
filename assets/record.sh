#!/usr/bin/env bash
# Regenerates every image in assets/ from a scripted run of the release
# binary: the animated journey (goal → chain → questions with back and skip
# → review → tree → report) and stills of the chain, question, tree and
# report screens.
#
# Needs: tmux, python3, asciinema (PyPI) and svg-term-cli (npm). Run it from
# anywhere; it builds the release binary first:
#
#   python3 -m venv /tmp/rec && /tmp/rec/bin/pip install asciinema
#   npm install --prefix /tmp/svgterm svg-term-cli
#   ASCIINEMA=/tmp/rec/bin/asciinema SVG_TERM=/tmp/svgterm/node_modules/.bin/svg-term assets/record.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
asciinema="${ASCIINEMA:-asciinema}"
svg_term="${SVG_TERM:-svg-term}"
cols=100
rows=30

if [ -z "${SKILLCHAIN_BIN:-}" ]; then
  cargo build --release --manifest-path "$repo/Cargo.toml"
  SKILLCHAIN_BIN="$repo/target/release/skillchain"
fi

work="$(mktemp -d)"
trap 'tmux kill-session -t skillchain-rec 2>/dev/null || true; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
mkdir -p "$work/project" "$work/.config" "$work/.data"

# The app in asciinema in a detached tmux window of a fixed size; the
# driver below types into it and notes when each screen is on view.
cat > "$work/app.sh" <<EOF
#!/bin/sh
cd "$work/project"
export HOME="$work" XDG_CONFIG_HOME="$work/.config" XDG_DATA_HOME="$work/.data"
export TERM=xterm-256color COLORTERM=truecolor
exec "$SKILLCHAIN_BIN"
EOF
chmod +x "$work/app.sh"
tmux new-session -d -s skillchain-rec -x "$cols" -y "$rows" \
  "$asciinema rec --quiet --overwrite --cols $cols --rows $rows -c $work/app.sh $work/journey.cast; sleep 2"

python3 - "$work" <<'PY'
import json, subprocess, sys, time

work = sys.argv[1]
session = "skillchain-rec"
marks = {}


def screen():
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                          capture_output=True, text=True).stdout


def wait_for(text, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if text in screen():
            return
        time.sleep(0.05)
    raise SystemExit(f"record.sh: `{text}` never appeared:\n{screen()}")


def keys(*k, pause=0.7):
    subprocess.run(["tmux", "send-keys", "-t", session, *k], check=True)
    time.sleep(pause)


def type_words(text):
    # Word by word, as a person types: each word arrives on its own.
    for i, word in enumerate(text.split(" ")):
        subprocess.run(["tmux", "send-keys", "-t", session, "-l",
                        word + (" " if i < len(text.split(" ")) - 1 else "")], check=True)
        time.sleep(0.18)


def mark(name, hold):
    marks[name] = time.time() + hold / 2
    time.sleep(hold)


wait_for("What do you want to build?")
start = time.time()
time.sleep(0.8)
type_words("streaming pipeline from kafka to snowflake with dbt tests")
time.sleep(1.2)
keys("Enter", pause=0.1)
wait_for("SKILL CHAIN DETECTED FOR")
mark("chain", 2.6)
keys("Enter", pause=0.1)
wait_for("question 1/3")
time.sleep(0.9)
keys("Down", pause=0.5)
keys("Enter", pause=0.1)            # answer gcp
wait_for("question 2/3")
time.sleep(0.8)
keys("Escape", pause=0.1)           # back: the answer is kept
wait_for("Current: gcp")
mark("question", 2.4)
keys("Enter", pause=0.8)
keys("Tab", pause=0.8)              # skip: this question takes its default
keys("C-s", pause=1.0)              # skip skill
keys("C-d", pause=0.1)              # done: defaults for the rest
wait_for("Review:")
time.sleep(2.0)
keys("w", pause=0.1)
wait_for("Pipeline tree")
mark("tree", 2.4)
keys("Down", "Down", pause=0.8)
keys("J", pause=1.2)
keys("w", pause=0.1)
wait_for("Completeness")
mark("report", 3.0)
keys("q", pause=0.1)
time.sleep(1.0)

# Each still is the recording cut one second after its screen first
# appeared (found by its text in the output; the driver holds every such
# screen longer than that), so it shows exactly what was on view then.
with open(f"{work}/journey.cast") as f:
    header = f.readline()
    events = [json.loads(line) for line in f if line.strip()]
stream, ends = "", []
for e in events:
    stream += e[2]
    ends.append(len(stream))
shows = {"chain": "SKILL CHAIN DETECTED FOR", "question": "Current: gcp",
         "tree": "Pipeline tree", "report": "Completeness"}
with open(f"{work}/marks.txt", "w") as out:
    for name in marks:
        pos = stream.find(shows[name])
        if pos < 0:
            raise SystemExit(f"record.sh: the recording never shows {shows[name]!r}")
        appeared = next(e[0] for e, end in zip(events, ends) if end > pos)
        at = appeared + 1.0
        with open(f"{work}/{name}.cast", "w") as cut:
            cut.write(header)
            for e in events:
                if e[0] <= at:
                    cut.write(json.dumps(e) + "\n")
        out.write(f"{name} {int(at * 1000)}\n")
PY

mkdir -p "$here"
"$svg_term" --in "$work/journey.cast" --out "$here/journey.svg" --window --width "$cols" --height "$rows"
while read -r name at; do
  "$svg_term" --in "$work/$name.cast" --out "$here/$name.svg" --window --width "$cols" --height "$rows" --at "$at" --no-cursor
done < "$work/marks.txt"
ls -l "$here"/*.svg
[ -z "${KEEP_WORK:-}" ] || echo "recording kept in $work"
