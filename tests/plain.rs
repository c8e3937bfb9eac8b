//! The line-by-line journey (`skillchain GOAL --plain`) driven through a
//! pipe, as a screen reader or a script would.

mod common;

use common::*;
use std::process::Output;

fn journey(args: &[&str], input: &str) -> Output {
    let mini = mini();
    let mut all: Vec<&std::ffi::OsStr> = vec!["--skillchains".as_ref(), mini.as_os_str()];
    all.extend(args.iter().map(|a| std::ffi::OsStr::new(*a)));
    piped(&all, input)
}

/// `skillchain "kafka streaming" --pack mini --plain --out OUT` with `input`.
fn mini_streaming(out: &std::path::Path, input: &str) -> Output {
    journey(
        &[
            "kafka streaming",
            "--pack",
            "mini",
            "--plain",
            "--out",
            out.to_str().expect("utf8"),
        ],
        input,
    )
}

#[test]
fn a_plain_journey_with_back_skip_status_and_done_writes_the_tree_and_passes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    let o_s = out.to_str().expect("utf8");
    // chain: confirm · blueprint quick question: skip · base: gcp, back, aws,
    // small, name · stream: status, kinesis, done · review: write · confirm write
    let input = "\nskip\n2\nback\naws\nsmall\nshop\nstatus\nkinesis\ndone\nwrite\ny\n";
    let o = journey(
        &[
            "kafka pipeline with dbt",
            "--pack",
            "mini",
            "--plain",
            "--out",
            o_s,
        ],
        input,
    );
    let text = stdout(&o);
    assert_eq!(code(&o), 0, "{text}{}", stderr(&o));
    assert!(
        text.contains("SKILL CHAIN DETECTED FOR: \"kafka pipeline with dbt\""),
        "{text}"
    );
    assert!(
        text.contains("STEP 1/4: Pipe (quick setup)  question 1/1"),
        "{text}"
    );
    assert!(
        text.contains("Later answers changed:\n  “Which platform”: kafka → pubsub\n"),
        "{text}"
    );
    assert!(text.contains("STATUS: step 3/4, 4 answered, 6 to go\n  ✓ Pipe (quick setup)\n  ✓ Base\n  ◆ Stream (question 1/4)\n  ○ Transform\n"), "{text}");
    assert!(text.contains("\nREVIEW\n"), "{text}");
    assert!(text.contains("Project name: shop (typed)"), "{text}");
    assert!(text.contains("Which platform: kinesis (typed)"), "{text}");
    assert!(text.ends_with("PASS\n"), "{text}");
    let files: Vec<String> = tree(&out).keys().cloned().collect();
    assert_eq!(
        files,
        [
            "base/shop.txt",
            "models/main.sql",
            "stream/kinesis.yaml",
            "stream/registry.txt"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("base/shop.txt")).expect("file"),
        "name: shop\ncloud: aws\n"
    );
}

#[test]
fn an_invalid_answer_is_refused_inline_and_asked_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    let input = "custom\n\nmars\naws\nskip skill\nskip skill\nwrite\ny\n";
    let o = mini_streaming(&out, input);
    let text = stdout(&o);
    assert_eq!(code(&o), 0, "{text}{}", stderr(&o));
    assert!(
        text.contains("✗ `mars` is not one of: aws, gcp\n"),
        "{text}"
    );
    assert_eq!(text.matches("Which cloud?").count(), 2, "{text}");
    assert!(out.join("stream/kafka.yaml").is_file());
}

#[test]
fn quitting_or_closing_the_input_writes_no_project_file_and_keeps_the_answers_for_resume() {
    let dir = tempfile::tempdir().expect("temp dir");
    // quit is a decision (exit 0); end of input is not (exit 3).
    for (name, input, exit, last) in [
        ("quit", "\naws\nquit\ny\n", 0, "Quit. No project files were written"),
        (
            "eof",
            "\naws\n",
            3,
            "The input ended before the journey finished. End of input is not a yes: no project files were written",
        ),
    ] {
        let out = dir.path().join(name);
        let o_s = out.to_str().expect("utf8");
        let o = journey(
            &["kafka streaming", "--pack", "mini", "--plain", "--out", o_s],
            input,
        );
        assert_eq!(code(&o), exit, "{name}");
        assert!(
            stdout(&o).ends_with(&format!(
                "{last}; your answers are saved: `skillchain resume {o_s}` continues.\n"
            )),
            "{name}: {}",
            stdout(&o)
        );
        assert!(tree(&out).is_empty(), "{name}");
        let kept: Vec<String> = std::fs::read_dir(out.join(".skillchain"))
            .expect("state folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(kept, ["session.json"], "{name}");
    }
}

/// The whole mini streaming journey: chain: custom (no blueprint), confirm ·
/// base: gcp, back, aws, small, name · stream: kinesis, json, 3 · review:
/// write · write: yes · remember: none.
const WHOLE: [&str; 13] = [
    "custom", "", "gcp", "back", "aws", "small", "shop", "kinesis", "json", "3", "write", "y", "n",
];

fn lines(ls: &[&str]) -> String {
    ls.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn input_that_ends_at_any_prompt_is_not_consent_exits_3_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Every prefix of the journey up to the write prompt, the write prompt
    // included: each ends at another prompt (chain, question, back, review,
    // write). `y` (index 11) is the last line before writing.
    for cut in 0..=11 {
        let out = dir.path().join(format!("cut{cut}"));
        let o = mini_streaming(&out, &lines(&WHOLE[..cut]));
        let text = stdout(&o);
        assert_eq!(code(&o), 3, "cut after {cut} lines:\n{text}");
        assert!(
            text.contains("The input ended before the journey finished. End of input is not a yes: no project files were written"),
            "cut after {cut} lines:\n{text}"
        );
        assert!(tree(&out).is_empty(), "cut after {cut} lines wrote files");
    }
    // Also without a final newline, at the write prompt.
    let out = dir.path().join("nonl");
    let o = mini_streaming(&out, lines(&WHOLE[..11]).trim_end());
    assert_eq!(code(&o), 3, "{}", stdout(&o));
    assert!(tree(&out).is_empty());
}

#[test]
fn the_same_piped_script_behaves_the_same_on_a_second_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A script that stops early leaves a saved session behind; running it
    // again must not feed its first line to a question about that session.
    let out = dir.path().join("o");
    let part = lines(&WHOLE[..6]);
    let first = mini_streaming(&out, &part);
    let saved = std::fs::read(out.join(".skillchain/session.json")).expect("saved");
    let second = mini_streaming(&out, &part);
    assert_eq!(code(&first), 3);
    assert_eq!(code(&second), 3);
    let notice = format!(
        "A session saved just now is in {} (goal \"kafka streaming\").\nInput is piped, so nobody is asked: the saved session is kept and this run does not save its progress (`skillchain resume {}` continues the saved one; --replace-session replaces it).\n",
        out.join(".skillchain/session.json").display(),
        out.display()
    );
    let text = stdout(&second);
    assert!(text.starts_with(&notice), "{text}");
    let ending = "; your answers are saved: `skillchain resume ";
    assert_eq!(
        text[notice.len()..]
            .replace(ending, "")
            .split("\nThe input ended")
            .next(),
        stdout(&first)
            .replace(ending, "")
            .split("\nThe input ended")
            .next(),
    );
    assert!(
        !text.contains("Replace it with this new session?"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(out.join(".skillchain/session.json")).expect("kept"),
        saved
    );
    // The whole script twice: the same files, the same exit, both times.
    let out = dir.path().join("w");
    let a = mini_streaming(&out, &lines(&WHOLE));
    let tree_a = tree(&out);
    let b = mini_streaming(&out, &lines(&WHOLE));
    assert_eq!((code(&a), code(&b)), (0, 0), "{}", stdout(&b));
    assert_eq!(tree(&out), tree_a);
    assert!(tree_a.contains_key("stream/kinesis.yaml"), "{tree_a:?}");
}

#[test]
fn replace_session_replaces_a_saved_session_without_asking() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    mini_streaming(&out, &lines(&WHOLE[..6]));
    let o = journey(
        &[
            "kafka streaming",
            "--pack",
            "mini",
            "--plain",
            "--replace-session",
            "--out",
            out.to_str().expect("utf8"),
        ],
        "custom\n\ngcp\n",
    );
    let text = stdout(&o);
    assert!(
        text.contains("It is replaced by this new session (--replace-session).\n"),
        "{text}"
    );
    assert_eq!(code(&o), 3, "{text}");
    let saved = std::fs::read_to_string(out.join(".skillchain/session.json")).expect("saved");
    let v: serde_json::Value = serde_json::from_str(&saved).expect("json");
    let answers: Vec<String> = v["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| format!("{}.{}={}", a["step"], a["question"], a["value"]))
        .collect();
    // The new session's answers only: the old one had aws and small.
    assert_eq!(answers, ["\"base\".\"cloud\"=\"gcp\""]);
}

#[test]
fn quitting_before_any_answer_writes_nothing_at_all() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    let o = journey(
        &[
            "kafka streaming",
            "--pack",
            "mini",
            "--plain",
            "--out",
            out.to_str().expect("utf8"),
        ],
        "quit\n",
    );
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).ends_with("Quit. Nothing was written.\n"),
        "{}",
        stdout(&o)
    );
    assert!(!out.exists());
}

#[test]
fn restart_asks_first_then_returns_to_the_chain_with_answers_cleared() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    let input = "custom\n\ngcp\nrestart\ny\nskip\nwrite\ny\n";
    let o = mini_streaming(&out, input);
    let text = stdout(&o);
    assert_eq!(code(&o), 0, "{text}{}", stderr(&o));
    assert!(
        text.contains("Restart: clear every answer and go back to the chain? [y/N]"),
        "{text}"
    );
    assert!(text.contains("Which cloud: aws (skill default)"), "{text}");
    assert!(out.join("stream/kafka.yaml").is_file());
}

#[test]
fn a_skill_the_goal_asked_for_and_the_chain_lost_is_said_on_the_plain_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    let o_s = out.to_str().expect("utf8");
    // chain: customize, remove transform, done · confirm · done · write · yes
    let input = "customize\ntransform\n\n\ndone\nwrite\ny\n";
    let o = journey(
        &[
            "kafka pipeline with dbt",
            "--pack",
            "mini",
            "--plain",
            "--out",
            o_s,
        ],
        input,
    );
    let text = stdout(&o);
    assert!(
        text.contains(
            "⚠ The goal asked for transform (“dbt”), but it was removed from the chain: nothing here delivers it.\n"
        ),
        "{text}{}",
        stderr(&o)
    );
}

#[test]
fn a_word_review_does_not_know_is_named_with_the_commands_the_prompt_offers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    let o = mini_streaming(&out, "\ndone\nskip skill\nquit\n");
    let text = stdout(&o);
    assert!(
        text.contains(
            "\nwrite (Enter: preview the files), edit N, resolve ID R, back, status, help, quit\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("✗ `skip skill` is not a review command: type write, edit N, resolve ID R, back, status, help or quit\n"),
        "{text}"
    );
    assert!(!out.join("stream").exists(), "nothing written");
}
