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
        text.contains("Later answers changed:\n  stream.platform: kafka → pubsub\n"),
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
        text.contains("✗ `mars` is not one of: aws, gcp: expected one of: aws, gcp\n"),
        "{text}"
    );
    assert_eq!(text.matches("Which cloud?").count(), 2, "{text}");
    assert!(out.join("stream/kafka.yaml").is_file());
}

#[test]
fn quitting_or_closing_the_input_writes_no_project_file_and_keeps_the_answers_for_resume() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, input) in [("quit", "\naws\nquit\ny\n"), ("eof", "\naws\n")] {
        let out = dir.path().join(name);
        let o_s = out.to_str().expect("utf8");
        let o = journey(
            &["kafka streaming", "--pack", "mini", "--plain", "--out", o_s],
            input,
        );
        assert_eq!(code(&o), 0, "{name}");
        assert!(
            stdout(&o).ends_with(&format!(
                "Quit. No project files were written; your answers are saved: `skillchain resume {o_s}` continues.\n"
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
