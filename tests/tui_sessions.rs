//! The full-screen app killed with SIGKILL at several points of a session,
//! then resumed: every answer given before the kill is there, and the tree
//! it writes is identical to an uninterrupted run's.

#[path = "tui/pty.rs"]
mod pty;

use pty::keys::*;
use pty::{mini, Pty};
use std::collections::BTreeMap;
use std::path::Path;

/// (keys to send, text the next screen shows).
const STEPS: &[(&str, &str)] = &[
    ("\r", "Team size?"),
    ("\x1b[B\r", "Which cloud?"),
    ("\x1b[B\r", "How big?"),
    ("\r", "Project name?"),
    ("kill_test\r", "Which platform?"),
    ("\r", "Format?"),
    ("\r", "Schema registry?"),
    ("\r", "Partitions?"),
    ("8\r", "Transform tool?"),
    ("\r", "Generate tests?"),
    ("\r", "Review: 10 answers"),
    ("w", "Pipeline tree"),
    ("w", "Completeness"),
];

fn start(dir: &Path, extra: &[&str]) -> Pty {
    let m = mini();
    let mut args = vec![
        "--skillchains",
        m.as_str(),
        "--pack",
        "mini",
        "--out",
        "out",
    ];
    args.extend_from_slice(extra);
    Pty::spawn(&args, dir, 100, 30)
}

/// Every file under `dir`, relative path → content.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).expect("readable"))
        })
        .collect()
}

fn run_steps(app: &mut Pty, steps: &[(&str, &str)]) {
    for (keys, then) in steps {
        if *then == "Completeness" {
            // Writing needs a key pressed once the tree is on view.
            app.deliberate_key(keys, then);
            continue;
        }
        if let Some(rest) = keys.strip_prefix("\x1b[B") {
            // Down, then Enter a moment later, as a person presses them.
            app.send("\x1b[B");
            app.key(rest, then);
            continue;
        }
        if keys.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            app.type_text(keys);
        } else if let Some(text) = keys
            .strip_suffix('\r')
            .filter(|t| !t.is_empty() && !t.starts_with('\x1b'))
        {
            app.type_text(text);
            app.key(ENTER, then);
            continue;
        } else {
            app.send(keys);
        }
        app.wait_for(then);
    }
}

fn uninterrupted() -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().expect("temp");
    let mut app = start(dir.path(), &["kafka pipeline with dbt"]);
    app.wait_for("SKILL CHAIN DETECTED FOR");
    run_steps(&mut app, STEPS);
    app.send("q");
    assert_eq!(app.wait_exit().0, 0);
    tree(&dir.path().join("out"))
}

/// Runs the steps up to `kill_after`, kills the app, resumes it (with
/// `skillchain resume` or by starting it again) and finishes.
fn killed_and_resumed(
    kill_after: usize,
    by_resume_command: bool,
    resume_shows: &[&str],
) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().expect("temp");
    let mut app = start(dir.path(), &["kafka pipeline with dbt"]);
    app.wait_for("SKILL CHAIN DETECTED FOR");
    run_steps(&mut app, &STEPS[..kill_after]);
    app.kill_hard();
    assert!(
        dir.path().join("out/.skillchain/session.json").is_file(),
        "the session was saved before the kill"
    );
    let m = mini();
    let mut app = if by_resume_command {
        Pty::spawn(
            &["--skillchains", m.as_str(), "resume", "out"],
            dir.path(),
            100,
            30,
        )
    } else {
        start(dir.path(), &["kafka pipeline with dbt"])
    };
    let mut expected = vec!["A SAVED SESSION"];
    expected.extend_from_slice(resume_shows);
    app.wait_for_all(&expected);
    app.key(ENTER, STEPS[kill_after - 1].1);
    run_steps(&mut app, &STEPS[kill_after..]);
    app.send("q");
    assert_eq!(app.wait_exit().0, 0);
    tree(&dir.path().join("out"))
}

#[test]
fn killed_mid_skill_the_answers_are_there_and_the_tree_is_identical() {
    let reference = uninterrupted();
    // After the project name: base is done, stream has just begun.
    let resumed = killed_and_resumed(5, true, &["4 answered, 6 to go", "◆ Stream  question 1/4"]);
    assert_eq!(resumed, reference);
}

#[test]
fn killed_on_a_later_question_of_a_skill_resumes_on_that_question() {
    let reference = uninterrupted();
    let resumed = killed_and_resumed(8, false, &["◆ Stream  question 4/4"]);
    assert_eq!(resumed, reference);
}

#[test]
fn killed_on_review_or_on_the_tree_resumes_there_and_writes_the_same_files() {
    let reference = uninterrupted();
    let resumed = killed_and_resumed(11, true, &["10 answered, 0 to go"]);
    assert_eq!(resumed, reference);
    let resumed = killed_and_resumed(12, false, &[]);
    assert_eq!(resumed, reference);
}

#[test]
fn killed_while_typing_an_answer_resumes_on_that_question_with_the_earlier_answers() {
    let reference = uninterrupted();
    let dir = tempfile::tempdir().expect("temp");
    let mut app = start(dir.path(), &["kafka pipeline with dbt"]);
    app.wait_for("SKILL CHAIN DETECTED FOR");
    run_steps(&mut app, &STEPS[..4]);
    // Half an answer on screen, not yet given: it is not an answer.
    app.type_text("kill_te");
    app.kill_hard();
    let m = mini();
    let mut app = Pty::spawn(
        &["--skillchains", m.as_str(), "resume", "out"],
        dir.path(),
        100,
        30,
    );
    app.wait_for_all(&["A SAVED SESSION", "3 answered, 7 to go"]);
    // The half answer is gone.
    app.send(ENTER);
    app.wait_for_all(&["Project name?", "Enter takes the default: demo"]);
    run_steps(&mut app, &STEPS[4..]);
    app.send("q");
    assert_eq!(app.wait_exit().0, 0);
    assert_eq!(tree(&dir.path().join("out")), reference);
}
