//! Sessions that survive anything: the real binary killed with SIGKILL in
//! the middle of a plain journey, resumed and finished; corrupt session and
//! preference files; remembered answers; replay of the answers file.
//!
//! Every process gets its own config and data folders (XDG_CONFIG_HOME,
//! XDG_DATA_HOME) inside a temp dir.

mod common;

use common::{code, feed, mini, repo, stderr, stdout, tree};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const GOAL: &str = "kafka pipeline with dbt";

/// A home of its own: config and data folders, and output folders, in a temp dir.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn prefs_file(&self, pack: &str) -> PathBuf {
        self.path(&format!("config/skillchain/preferences/{pack}.yaml"))
    }

    /// skillchain with the mini pack (or `packs`) added, colours off, and
    /// this home's folders.
    fn cmd_with(&self, packs: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(common::bin());
        c.env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("NO_COLOR", "1")
            .arg("--skillchains")
            .arg(packs)
            .args(args);
        c
    }

    fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_with(&mini(), args)
    }

    fn run(&self, args: &[&str], input: &str) -> Output {
        feed(self.cmd(args), input)
    }

    /// `skillchain GOAL --pack mini --plain --out OUT`.
    fn journey(&self, out: &Path, extra: &[&str], input: &str) -> Output {
        let mut args = vec![GOAL, "--pack", "mini", "--plain", "--out", s(out)];
        args.extend_from_slice(extra);
        self.run(&args, input)
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn lines(ls: &[&str]) -> String {
    ls.iter().map(|l| format!("{l}\n")).collect()
}

/// The whole mini journey: confirm · blueprint size team · cloud gcp, back,
/// aws · scale small · name shop · platform kinesis · format json ·
/// partitions skip · tool sql · review: write · write: yes · remember: none.
const ALL: [&str; 14] = [
    "", "team", "gcp", "back", "aws", "small", "shop", "kinesis", "json", "skip", "sql", "write",
    "y", "n",
];

/// Starts a plain journey, sends `sent` lines, waits until its output
/// shows `marker` (printed only after those lines were handled and the
/// session saved), then kills it with SIGKILL. Returns what it printed.
fn kill_after(home: &Home, out: &Path, sent: &[&str], marker: &str) -> String {
    let mut child = home
        .cmd(&[GOAL, "--pack", "mini", "--plain", "--out", s(out)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("skillchain starts");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(lines(sent).as_bytes())
        .expect("input written");
    stdin.flush().expect("flushed");
    let seen = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().expect("stdout");
    let sink = seen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .expect("lock")
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if seen.lock().expect("lock").contains(marker) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no {marker:?} in:\n{}",
            seen.lock().expect("lock")
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL sent");
    let status = child.wait().expect("reaped");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9)
    );
    drop(stdin);
    reader.join().expect("reader ends");
    let text = seen.lock().expect("lock").clone();
    text
}

fn saved_answers(out: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(out.join(".skillchain/session.json")).expect("saved");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON after a kill");
    v["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| {
            (
                format!(
                    "{}.{}",
                    a["step"].as_str().expect("step"),
                    a["question"].as_str().expect("q")
                ),
                a["value"].to_string(),
            )
        })
        .collect()
}

/// Lines sent before the kill, what the next prompt shows, answers saved by then.
type KillPoint = (usize, &'static str, &'static [(&'static str, &'static str)]);

#[test]
fn a_journey_killed_at_any_point_resumes_and_writes_the_same_tree_as_an_uninterrupted_one() {
    let home = Home::new();
    let straight = home.path("straight");
    let o = home.journey(&straight, &[], &lines(&ALL));
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).ends_with("PASS\n"), "{}", stdout(&o));
    let expected = tree(&straight);
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        ["base/shop.txt", "models/main.sql", "stream/kinesis.yaml"]
    );
    assert!(!straight.join(".skillchain/session.json").exists());

    let points: [KillPoint; 4] = [
        // mid-skill: base.cloud answered, base.scale asked
        (
            3,
            "How big?",
            &[("base.cloud", "\"gcp\""), ("blueprint.size", "\"team\"")],
        ),
        // at a skill border: base done, stream.platform asked
        (
            7,
            "Which platform?",
            &[
                ("base.cloud", "\"aws\""),
                ("base.name", "\"shop\""),
                ("base.scale", "\"small\""),
                ("blueprint.size", "\"team\""),
            ],
        ),
        // on the review
        (11, "\nREVIEW\n", &[]),
        // at the write confirmation, after the plan was shown
        (12, "Write to ", &[]),
    ];
    for (sent, marker, answers) in points {
        let out = home.path(&format!("killed-{sent}"));
        kill_after(&home, &out, &ALL[..sent], marker);
        let saved = saved_answers(&out);
        for (k, v) in answers {
            assert!(
                saved.contains(&(k.to_string(), v.to_string())),
                "after {sent} lines: {k} = {v} not in {saved:?}"
            );
        }
        assert!(
            tree(&out).is_empty(),
            "after {sent} lines nothing is written"
        );
        let mut rest = vec!["c"];
        rest.extend_from_slice(&ALL[sent..]);
        let o = home.run(&["resume", s(&out)], &lines(&rest));
        let text = stdout(&o);
        assert_eq!(code(&o), 0, "after {sent} lines: {text}{}", stderr(&o));
        assert!(
            text.starts_with(&format!(
                "SAVED SESSION {}\n  Goal:  \"{GOAL}\"\n  Pack:  mini 1.0.0 · blueprint pipe · maturity intermediate\n",
                out.join(".skillchain/session.json").display()
            )),
            "{text}"
        );
        assert!(text.ends_with("PASS\n"), "after {sent} lines: {text}");
        assert_eq!(tree(&out), expected, "after {sent} lines");
        assert_eq!(
            std::fs::read(out.join(".skillchain/answers.yaml")).expect("record"),
            std::fs::read(straight.join(".skillchain/answers.yaml")).expect("record"),
            "after {sent} lines: same answers with the same provenance"
        );
        assert!(!out.join(".skillchain/session.json").exists());
    }
}

#[test]
fn resume_shows_progress_per_skill_then_continues_at_the_saved_question() {
    let home = Home::new();
    let out = home.path("o");
    home.journey(&out, &[], &lines(&ALL[..5]));
    let o = home.run(&["resume", s(&out)], "q\n");
    assert_eq!(code(&o), 0);
    let text = stdout(&o);
    assert!(
        text.contains(
            "  Saved: just now (started just now)\n  2 answered, 8 to go\n  ✓ Pipe (quick setup)\n  ◆ Base (question 2/3)\n  ○ Stream\n  ○ Transform\n"
        ),
        "{text}"
    );
    assert!(text.ends_with("Nothing changed.\n"), "{text}");
    assert!(out.join(".skillchain/session.json").is_file());
    // Enter continues where it stopped.
    let o = home.run(&["resume", s(&out)], "\n");
    let text = stdout(&o);
    assert!(
        text.contains("[d]iscard, [q]uit\n> \nSTEP 2/4: Base  question 2/3\nHow big?\n"),
        "{text}"
    );
}

#[test]
fn resume_without_a_saved_session_says_where_it_looked() {
    let home = Home::new();
    let o = home.run(&["resume", s(&home.path("nowhere"))], "");
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        format!(
            "error: resume:\n  - {}: no saved session here; pass the journey's output folder: skillchain resume DIR\n",
            home.path("nowhere/.skillchain/session.json").display()
        )
    );
}

#[test]
fn a_corrupt_session_file_is_reported_with_its_path_and_kept_aside() {
    let home = Home::new();
    let out = home.path("o");
    home.journey(&out, &[], &lines(&ALL[..5]));
    let path = out.join(".skillchain/session.json");
    let full = std::fs::read_to_string(&path).expect("saved");
    let cut = &full[..full.len() / 3];
    std::fs::write(&path, cut).expect("truncated");
    let o = home.run(&["resume", s(&out)], "");
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "error: `{}` is not a readable session file (EOF while parsing",
            path.display()
        )),
        "{err}"
    );
    let kept: Vec<PathBuf> = std::fs::read_dir(out.join(".skillchain"))
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let name = kept[0]
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("session.json.corrupt-"), "{name}");
    assert!(
        err.contains(&format!(
            "it was kept as `{}` (nothing was deleted)",
            kept[0].display()
        )),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&kept[0]).expect("kept"), cut);
    // A new journey there starts afresh and leaves the kept file alone.
    let o = home.journey(&out, &[], &lines(&ALL));
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&kept[0]).expect("still kept"), cut);
}

#[test]
fn a_new_journey_never_replaces_a_saved_session_without_asking() {
    let home = Home::new();
    let out = home.path("o");
    home.journey(&out, &[], &lines(&ALL[..5]));
    let path = out.join(".skillchain/session.json");
    let before = std::fs::read(&path).expect("saved");
    // Piped input is never asked (its lines belong to the journey): the
    // saved session stays as it was and this run saves nothing.
    let o = home.journey(&out, &[], "\nsolo\nquit\ny\n");
    let text = stdout(&o);
    assert!(
        text.starts_with(&format!(
            "A session saved just now is in {} (goal \"{GOAL}\").\nInput is piped, so nobody is asked: the saved session is kept and this run does not save its progress (`skillchain resume {}` continues the saved one; --replace-session replaces it).\n",
            path.display(),
            out.display()
        )),
        "{text}"
    );
    assert!(!text.contains("Replace it"), "{text}");
    assert_eq!(code(&o), 0);
    assert_eq!(std::fs::read(&path).expect("kept"), before);
    // --replace-session starts a new one, saved at its first change.
    let o = home.journey(&out, &["--replace-session"], "\nteam\nquit\ny\n");
    assert_eq!(code(&o), 0);
    assert_eq!(
        saved_answers(&out),
        [("blueprint.size".to_string(), "\"team\"".to_string())]
    );
}

#[test]
fn discard_asks_first_and_only_then_removes_the_session() {
    let home = Home::new();
    let out = home.path("o");
    home.journey(&out, &[], &lines(&ALL[..5]));
    let path = out.join(".skillchain/session.json");
    let o = home.run(&["resume", s(&out)], "d\nn\nq\n");
    assert!(stdout(&o).contains("Discard this session? Its answers cannot be recovered. [y/N] "));
    assert!(path.is_file());
    let o = home.run(&["resume", s(&out)], "d\ny\n");
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).ends_with(&format!("Discarded {}.\n", path.display())),
        "{}",
        stdout(&o)
    );
    assert!(!path.exists());
}

#[test]
fn restarting_the_chain_offers_the_saved_answers_as_defaults() {
    let home = Home::new();
    let out = home.path("o");
    home.journey(&out, &[], &lines(&ALL[..7]));
    let o = home.run(&["resume", s(&out)], "r\n\n\n\n\n\nquit\ny\n");
    let text = stdout(&o);
    assert!(
        text.contains("SKILL CHAIN DETECTED FOR: \"kafka pipeline with dbt\""),
        "{text}"
    );
    assert!(text.contains("  Default: team (saved session)"), "{text}");
    assert!(text.contains("  Default: aws (saved session)"), "{text}");
    assert!(text.contains("  Default: small (saved session)"), "{text}");
    assert!(text.contains("  Default: shop (saved session)"), "{text}");
    assert!(text.contains("  Default: kafka (skill default)"), "{text}");
}

#[test]
fn secrets_are_never_written_to_the_session_and_are_asked_again_on_resume() {
    let home = Home::new();
    let out = home.path("o");
    let o = home.run(
        &[
            "slow query in the warehouse",
            "--pack",
            "mini",
            "--plain",
            "--out",
            s(&out),
        ],
        &lines(&["", "", "", "", "", "hunter2-secret", "quit"]),
    );
    assert!(stdout(&o).contains("\nREVIEW\n"), "{}", stdout(&o));
    let saved = std::fs::read_to_string(out.join(".skillchain/session.json")).expect("saved");
    assert!(!saved.contains("hunter2"), "{saved}");
    let o = home.run(&["resume", s(&out)], "c\nhunter2-secret\nquit\n");
    let text = stdout(&o);
    assert!(
        text.contains(
            "Since it was saved:\n  ⚠ “Warehouse token”: secrets are never saved; it is asked again\n"
        ),
        "{text}"
    );
    assert!(text.contains("Warehouse token?"), "{text}");
    assert!(text.contains("\nREVIEW\n"), "{text}");
}

/// A copy of the mini pack that a test may edit.
fn pack_copy(home: &Home) -> PathBuf {
    let dst = home.path("packs/mini");
    for e in walkdir::WalkDir::new(mini()).into_iter().flatten() {
        let rel = e.path().strip_prefix(mini()).expect("under mini");
        let to = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("dir");
        } else {
            std::fs::copy(e.path(), &to).expect("copied");
        }
    }
    dst
}

#[test]
fn a_session_saved_with_an_older_pack_resumes_with_an_account_of_every_change() {
    let home = Home::new();
    let pack = pack_copy(&home);
    let out = home.path("o");
    let cmd = home.cmd_with(
        &pack,
        &[GOAL, "--pack", "mini", "--plain", "--out", s(&out)],
    );
    feed(cmd, &lines(&ALL[..9]));
    assert!(out.join(".skillchain/session.json").is_file());
    let edit = |file: &str, from: &str, to: &str| {
        let p = pack.join(file);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&p, text.replace(from, to)).expect("write");
    };
    edit("pack.yaml", "version: 1.0.0", "version: 1.1.0");
    edit(
        "skills/stream.yaml",
        "{ value: kinesis }",
        "{ value: kinesis-streams }",
    );
    edit(
        "skills/stream.yaml",
        "value: kinesis }",
        "value: kinesis-streams }",
    );
    edit("templates/base.txt.j2", "base.name", "base.project");
    edit("skills/base.yaml", "  - id: name\n", "  - id: project\n");
    edit("skills/base.yaml", "base.name", "base.project");
    let o = feed(home.cmd_with(&pack, &["resume", s(&out)]), "q\n");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains(
            "Since it was saved:\n\
             \x20 ⚠ the pack changed since the save (version 1.0.0 then, 1.1.0 now)\n\
             \x20 ⚠ base.name: the question no longer exists; your answer shop was dropped\n\
             \x20 ⚠ “Which platform”: `kinesis` is no longer an option (renamed to `kinesis-streams`?); the options are kafka, kinesis-streams, pubsub; it takes its default now (kafka)\n"
        ),
        "{text}"
    );
}

#[test]
fn remembered_answers_come_back_as_saved_preferences_and_no_prefs_ignores_them() {
    let home = Home::new();
    let mut all = ALL;
    all[13] = "a";
    let o = home.journey(&home.path("first"), &[], &lines(&all));
    let text = stdout(&o);
    assert!(
        text.contains(
            "Remember your answers as defaults for pack mini next time?\n   1. base.cloud = aws\n   2. base.scale = small\n   3. base.name = shop\n   4. stream.platform = kinesis\n   5. stream.format = json\n   6. transform.tool = sql\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Remembered 6 answers in {}.",
            home.prefs_file("mini").display()
        )),
        "{text}"
    );
    let o = home.journey(
        &home.path("second"),
        &[],
        &lines(&["", "", "", "quit", "y"]),
    );
    let text = stdout(&o);
    assert!(text.contains("  Default: aws (saved preference)"), "{text}");
    assert!(
        text.contains("  Default: small (saved preference)"),
        "{text}"
    );
    let o = home.journey(
        &home.path("third"),
        &["--no-prefs"],
        &lines(&["", "", "", "quit", "y"]),
    );
    let text = stdout(&o);
    assert!(text.contains("  Default: aws (skill default)"), "{text}");
    assert!(
        text.contains("  Default: large (blueprint “Pipe”)"),
        "{text}"
    );

    let o = home.run(&["prefs", "show", "mini"], "");
    assert_eq!(code(&o), 0);
    assert_eq!(
        stdout(&o),
        format!(
            "mini ({})\n  base.cloud = aws\n  base.name = shop\n  base.scale = small\n  stream.format = json\n  stream.platform = kinesis\n  transform.tool = sql\n",
            home.prefs_file("mini").display()
        )
    );
    let o = home.run(&["prefs", "reset", "mini"], "");
    assert_eq!(
        stdout(&o),
        format!("Removed {}\n", home.prefs_file("mini").display())
    );
    let o = home.run(&["prefs", "show"], "");
    assert_eq!(
        stdout(&o),
        format!(
            "No saved preferences yet ({} holds none). At the end of a journey, skillchain offers to remember your answers.\n",
            home.path("config/skillchain/preferences").display()
        )
    );
}

#[test]
fn selecting_answers_to_remember_keeps_only_those() {
    let home = Home::new();
    let mut all: Vec<&str> = ALL.to_vec();
    all[13] = "s";
    all.push("3, 4");
    let o = home.journey(&home.path("o"), &[], &lines(&all));
    assert!(
        stdout(&o).contains("Remembered 2 answers in "),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(home.prefs_file("mini")).expect("saved"),
        "# skillchain preferences for pack `mini`: answers you chose to remember,\n\
         # offered as defaults next time. `skillchain prefs reset mini` removes them.\n\
         skillchain_preferences: 1\npack: mini\nskills:\n  base:\n    name: shop\n  stream:\n    platform: kinesis\n"
    );
}

fn write_prefs(home: &Home, text: &str) {
    let p = home.prefs_file("mini");
    std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
    std::fs::write(p, text).expect("prefs written");
}

#[test]
fn run_takes_saved_preferences_as_defaults_and_explicit_answers_win() {
    let home = Home::new();
    write_prefs(
        &home,
        "skillchain_preferences: 1\npack: mini\nskills:\n  stream:\n    platform: kinesis\n",
    );
    let run = |name: &str, extra: &[&str]| {
        let out = home.path(name);
        let mut args = vec![
            "run",
            GOAL,
            "--pack",
            "mini",
            "--defaults",
            "--out",
            s(&out),
        ];
        args.extend_from_slice(extra);
        let o = home.run(&args, "");
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        tree(&out)
            .into_keys()
            .filter(|k| k.starts_with("stream/"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        run("prefs", &[]),
        ["stream/kinesis.yaml", "stream/registry.txt"]
    );
    let answers =
        std::fs::read_to_string(home.path("prefs/.skillchain/answers.yaml")).expect("record");
    assert!(
        answers.contains("platform:\n      value: kinesis\n      source: saved-preference\n"),
        "{answers}"
    );
    assert_eq!(
        run("set", &["--set", "stream.platform=pubsub"]),
        ["stream/pubsub.yaml", "stream/registry.txt"]
    );
    assert_eq!(
        run("none", &["--no-prefs"]),
        ["stream/kafka.yaml", "stream/registry.txt"]
    );
}

#[test]
fn a_preference_whose_option_was_removed_is_ignored_with_a_notice() {
    let home = Home::new();
    write_prefs(
        &home,
        "skillchain_preferences: 1\npack: mini\nskills:\n  stream:\n    platform: redpanda\n    partitions: 12\n",
    );
    let out = home.path("o");
    let o = home.run(
        &[
            "run",
            GOAL,
            "--pack",
            "mini",
            "--defaults",
            "--out",
            s(&out),
        ],
        "",
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "⚠ saved preference stream.platform = redpanda ignored: `redpanda` is not one of: kafka, kinesis, pubsub\n"
    );
    let config = std::fs::read_to_string(out.join("stream/kafka.yaml")).expect("kafka by default");
    assert!(config.contains("12"), "{config}");
}

#[test]
fn a_corrupt_preferences_file_is_reported_with_its_path_and_kept() {
    let home = Home::new();
    let broken = "skillchain_preferences: 1\npack: mini\nskills: [unclosed\n";
    write_prefs(&home, broken);
    let path = home.prefs_file("mini");
    let out = home.path("o");
    let o = home.run(
        &[
            "run",
            GOAL,
            "--pack",
            "mini",
            "--defaults",
            "--out",
            s(&out),
        ],
        "",
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "⚠ `{}` is not a readable preferences file (",
            path.display()
        )),
        "{err}"
    );
    assert!(
        err.ends_with("it is kept as it is and ignored: fix it, or remove it with `skillchain prefs reset mini`\n"),
        "{err}"
    );
    let o = home.run(&["prefs", "show"], "");
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(&path.display().to_string()),
        "{}",
        stderr(&o)
    );
    // The journey's offer to remember does not overwrite it either.
    let mut all = ALL;
    all[13] = "a";
    let o = home.journey(&home.path("j"), &[], &lines(&all));
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).contains(&format!(
            "⚠ `{}` is not a readable preferences file",
            path.display()
        )),
        "{}",
        stdout(&o)
    );
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), broken);
}

#[test]
fn replaying_the_answers_file_is_byte_identical_for_every_bundled_pack() {
    let home = Home::new();
    let packs: Vec<String> = std::fs::read_dir(repo().join("skillchains"))
        .expect("bundled packs")
        .flatten()
        .filter(|e| e.path().join("pack.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(packs.len(), 5, "{packs:?}");
    for pack in packs {
        let goal = common::pack_examples(&pack).remove(0);
        let first = home.path(&format!("{pack}-first"));
        let again = home.path(&format!("{pack}-replay"));
        let o = home.run(
            &[
                "run",
                &goal,
                "--pack",
                &pack,
                "--defaults",
                "--out",
                s(&first),
            ],
            "",
        );
        assert!(code(&o) <= 1, "{pack}: {}", stderr(&o));
        let record = first.join(".skillchain/answers.yaml");
        let o = home.run(&["run", "--answers", s(&record), "--out", s(&again)], "");
        assert!(code(&o) <= 1, "{pack}: {}", stderr(&o));
        let (a, b) = (tree(&first), tree(&again));
        assert!(a.len() >= 3, "{pack}: only {} files", a.len());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{pack}"
        );
        for (rel, bytes) in &a {
            assert!(b[rel] == *bytes, "{pack}: {rel} differs after replay");
        }
    }
}

#[test]
fn without_an_output_folder_the_session_lives_in_the_data_dir_and_resume_finds_it() {
    let home = Home::new();
    let cwd = home.path("work");
    std::fs::create_dir_all(&cwd).expect("cwd");
    let mut journey = home.cmd(&[GOAL, "--pack", "mini", "--plain"]);
    journey.current_dir(&cwd);
    let o = feed(journey, &lines(&ALL[..5]));
    assert_eq!(code(&o), 3);
    assert!(
        stdout(&o).ends_with(
            "The input ended before the journey finished. End of input is not a yes: no project files were written; your answers are saved: `skillchain resume` continues.\n"
        ),
        "{}",
        stdout(&o)
    );
    let path = home.path("data/skillchain/session.json");
    assert!(path.is_file());
    assert_eq!(std::fs::read_dir(&cwd).expect("cwd").count(), 0);
    let mut resume = home.cmd(&["resume"]);
    resume.current_dir(&cwd);
    let mut rest = vec!["c"];
    rest.extend_from_slice(&ALL[5..]);
    let o = feed(resume, &lines(&rest));
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!("SAVED SESSION {}\n", path.display())),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        tree(&cwd.join("mini-out")).into_keys().collect::<Vec<_>>(),
        ["base/shop.txt", "models/main.sql", "stream/kinesis.yaml"]
    );
    assert!(!path.exists());
}

/// The writer's own kill test (`killing_the_process_never_leaves_a_half_written_file`
/// in tests/generate_write.rs) covers a kill while files move into place; this
/// covers the moment after it: every file written, the session not yet closed.
#[test]
fn a_kill_after_the_files_were_written_resumes_to_identical_files_and_closes_the_session() {
    let home = Home::new();
    let straight = home.path("straight");
    let o = home.journey(&straight, &[], &lines(&ALL));
    assert_eq!(code(&o), 0);
    let out = home.path("o");
    kill_after(&home, &out, &ALL[..12], "Write to ");
    for (rel, bytes) in tree(&straight) {
        let to = out.join(&rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("dir");
        std::fs::write(to, bytes).expect("as the killed run wrote it");
    }
    let o = home.run(&["resume", s(&out)], &lines(&["c", "y", "n"]));
    let text = stdout(&o);
    assert_eq!(code(&o), 0, "{text}{}", stderr(&o));
    assert!(
        text.contains(&format!(
            "Plan for {}: 0 new, 3 identical, 0 conflict, 1 skipped",
            out.display()
        )),
        "{text}"
    );
    assert!(text.ends_with("PASS\n"), "{text}");
    assert_eq!(tree(&out), tree(&straight));
    assert!(!out.join(".skillchain/session.json").exists());
}

/// Every bundled pack (and the mini one) with every skill in its chain, on
/// its first question.
fn every_question_session(pack: skillchain::pack::Pack) -> skillchain::session::Session {
    use skillchain::detect::{build_chain, detect_in_pack, PackIndex, Reason};
    use skillchain::session::{Command as C, Session};
    let pack = Arc::new(pack);
    let det = detect_in_pack(&pack, &PackIndex::new(&pack), "pipeline");
    let mut s = Session::new(pack.clone(), det, None, Default::default());
    let seeds = pack
        .skills
        .iter()
        .map(|sk| (sk.id.clone(), vec![Reason::Chosen]))
        .collect();
    s.set_chain(build_chain(&pack, seeds, &Default::default()));
    s.apply(C::Confirm).expect("questions start");
    s
}

#[test]
fn enter_on_the_value_shown_records_the_same_provenance_in_the_app_and_in_plain() {
    use skillchain::session::{Command as C, Source};
    use skillchain::tui::action::Action;
    use skillchain::tui::screens::question::QuestionUi;
    let mut packs = skillchain::pack::Registry::bundled()
        .expect("bundled")
        .packs;
    packs.push(skillchain::pack::load_dir(&mini()).expect("mini"));
    let mut kinds = std::collections::BTreeSet::new();
    for pack in packs {
        let id = pack.manifest.id.clone();
        let mut s = every_question_session(pack);
        let mut n = 0;
        while let Some((_, q, r)) = s.current() {
            let (q, key) = (q.clone(), r.key.clone());
            kinds.insert(q.kind.as_str());
            // Revisit some questions with an answer of one's own: Enter
            // keeps it "typed" in both.
            if n % 3 == 1 && q.options.len() > 1 {
                let other = q
                    .options
                    .iter()
                    .map(|o| o.value.clone())
                    .find(|v| r.value.as_ref().map(|x| x.to_string()) != Some(v.clone()));
                if let Some(v) = other {
                    s.apply(C::Answer(v)).expect("another option is an answer");
                    s.apply(C::Back).expect("back");
                    assert_eq!(s.current().map(|c| c.2.key.clone()), Some(key.clone()));
                }
            }
            let given = s.answer(&key).cloned();
            // The app: the real question widget, Enter on what it shows.
            let mut app = s.clone();
            let mut ui = QuestionUi::default();
            ui.sync(&app);
            ui.handle(&mut app, Action::Confirm, 10);
            // --plain: an empty line.
            let mut plain = s.clone();
            plain.apply(C::Accept).expect("accept");
            assert_eq!(app.resolved(), plain.resolved(), "{id}: {key}");
            assert_eq!(app.screen, plain.screen, "{id}: {key}");
            assert_eq!(app.answer(&key), given.as_ref(), "{id}: {key}");
            let source = plain
                .resolved()
                .iter()
                .find(|x| x.key == key)
                .and_then(|x| x.provenance.clone())
                .map(|p| p.source);
            if given.is_none() {
                assert_ne!(source, Some(Source::Typed), "{id}: {key}");
            }
            s = plain;
            n += 1;
        }
    }
    for kind in [
        "choice",
        "multi-choice",
        "bool",
        "text",
        "integer",
        "secret",
    ] {
        assert!(
            kinds.contains(kind),
            "no {kind} question reached: {kinds:?}"
        );
    }
}

#[test]
fn end_of_input_at_the_resume_menu_is_not_a_choice() {
    let home = Home::new();
    let out = home.path("o");
    home.journey(&out, &[], &lines(&ALL[..5]));
    let path = out.join(".skillchain/session.json");
    let before = std::fs::read(&path).expect("saved");
    for input in ["", "d\n"] {
        let o = home.run(&["resume", s(&out)], input);
        assert_eq!(code(&o), 3, "{input:?}");
        assert!(
            stdout(&o).ends_with("The input ended before a choice was made: nothing changed.\n"),
            "{}",
            stdout(&o)
        );
        assert_eq!(std::fs::read(&path).expect("kept"), before);
    }
}

/// A resolution that sets a question of a skill the user took out of the
/// chain says which skill to add back, not that the pack is broken.
#[test]
fn a_resolution_for_a_removed_skill_names_the_skill_to_add_back() {
    use skillchain::detect::{detect_in_pack, PackIndex};
    let reg = skillchain::pack::Registry::bundled().expect("bundled");
    let pack = Arc::new(
        reg.packs
            .iter()
            .find(|p| p.id() == "dbt-workflows")
            .expect("dbt-workflows")
            .clone(),
    );
    let goal = "add a fact table for the trip process with an incremental dbt model";
    let det = detect_in_pack(&pack, &PackIndex::new(&pack), goal);
    let mut s = skillchain::session::Session::new(
        pack.clone(),
        det,
        Some("new-fact-table".to_string()),
        Default::default(),
    );
    s.apply(skillchain::session::Command::Customize)
        .expect("customize");
    s.apply(skillchain::session::Command::ToggleSkill(
        "dim-modeler".into(),
    ))
    .expect("removable");
    s.apply(skillchain::session::Command::FinishCustomize)
        .expect("done");
    s.apply(skillchain::session::Command::SkipAll)
        .expect("skip all");
    let c = s
        .conflicts()
        .into_iter()
        .find(|c| c.id == "fact-workflow-without-fact")
        .expect("the blueprint's fact is not modelled");
    let err = s
        .resolve_conflict(&c.id, "add-fact", skillchain::session::Source::Typed)
        .expect_err("dim-modeler is not in the chain");
    assert_eq!(
        err.0,
        "“Model both the dimension and the fact table” sets dim-modeler.models, but dim-modeler is not in the chain: add it back with customize (c on the chain screen) to resolve this"
    );
}
