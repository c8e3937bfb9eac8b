//! End-to-end: the real binary in a pseudo-terminal, from goal to the files
//! on disk, with back, skip, status and restart along the way.

#[path = "tui/pty.rs"]
mod pty;

use pty::keys::*;
use pty::{mini, Pty};

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn a_new_user_goes_from_goal_to_a_passing_tree_at_120x40() {
    let dir = tempdir();
    let mut app = Pty::spawn(&[], dir.path(), 120, 40);
    app.wait_for("What do you want to build?");
    app.type_text("streaming pipeline from kafka to snowflake with dbt tests");
    app.wait_for("✓ streaming-data");
    app.key(ENTER, "SKILL CHAIN DETECTED FOR");
    app.key(ENTER, "STEP 1/7: Data pipeline (quick setup)");
    // Answer gcp, go back to see it kept, then skip onwards.
    app.send(DOWN);
    app.key(ENTER, "question 2/3");
    app.send(ESC);
    app.wait_for_all(&["Current: gcp  (typed)", "question 1/3"]);
    app.key(ENTER, "question 2/3");
    app.key(TAB, "question 3/3");
    app.send(CTRL_T);
    app.wait_for_all(&["Status", "Step 1/7   2 answered, 29 to go"]);
    app.key("x", "question 3/3");
    app.deliberate_key(CTRL_D, "Review: 31 answers");
    app.key("w", "Pipeline tree");
    app.deliberate("w");
    app.wait_for_all(&["Completeness", "✓ PASS 100% (12/12; pass at 80%)"]);
    app.send("q");
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 0, "{screen}");
    // The exit message wraps at word boundaries: read back as one line,
    // every word is whole.
    assert!(
        words(&screen).contains(
            "Report: PASS 100% (12 of 12 deliverables fulfilled, maturity intermediate)."
        ),
        "{screen}"
    );
    let out = dir.path().join("data-pipeline");
    for f in [
        "README.md",
        "docker-compose.yml",
        "transforms/dbt/dbt_project.yml",
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    let answers = std::fs::read_to_string(out.join(".skillchain/answers.yaml")).expect("answers");
    assert!(
        answers.contains("cloud:\n      value: gcp\n      source: typed"),
        "{answers}"
    );
}

#[test]
fn restart_skip_skill_and_typed_back_work_at_80x24() {
    let dir = tempdir();
    let goal = "streaming pipeline from kafka to snowflake with dbt tests";
    let mut app = Pty::spawn(&[goal], dir.path(), 80, 24);
    app.wait_for("SKILL CHAIN DETECTED FOR");
    app.key(ENTER, "STEP 1/7");
    app.send(DOWN);
    app.key(ENTER, "question 2/3");
    app.key(CTRL_R, "Restart?");
    app.deliberate_key("y", "SKILL CHAIN DETECTED FOR");
    // Restart cleared gcp.
    app.send(ENTER);
    app.wait_for_all(&["STEP 1/7", "question 1/3", "Default: aws  (skill default)"]);
    app.key(CTRL_S, "STEP 2/7: Architecting data");
    // A text question: type a name, then `back` from the next one.
    app.type_text("orders_lake");
    app.key(ENTER, "question 2/4");
    app.key(CTRL_S, "STEP 3/7");
    // Back into the skill whose other questions took their defaults unseen:
    // its last answered question (not 4/4, never shown), the field holding
    // the answer.
    app.send(ESC);
    app.wait_for_all(&[
        "question 1/4",
        "Current: orders_lake  (typed)",
        "│orders_lake",
    ]);
    app.deliberate_key(CTRL_D, "Review: 31 answers");
    app.key("w", "Pipeline tree");
    app.deliberate_key("w", "PASS");
    app.send("q");
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 0, "{screen}");
    let answers =
        std::fs::read_to_string(dir.path().join("data-pipeline/.skillchain/answers.yaml"))
            .expect("answers");
    assert!(
        answers.contains("name:\n      value: orders_lake\n      source: typed"),
        "{answers}"
    );
    assert!(!answers.contains("value: gcp"), "{answers}");
}

#[test]
fn existing_files_need_a_decision_and_a_failing_report_is_fixed_by_generate_missing() {
    let dir = tempdir();
    let out = dir.path().join("mini-out");
    std::fs::create_dir_all(out.join("stream")).expect("mkdir");
    std::fs::write(out.join("stream/kafka.yaml"), "topics: []\n").expect("write");
    let mut app = Pty::spawn(
        &[
            "--skillchains",
            &mini(),
            "--pack",
            "mini",
            "kafka pipeline with dbt",
        ],
        dir.path(),
        100,
        30,
    );
    app.wait_for("SKILL CHAIN DETECTED FOR");
    app.key(ENTER, "STEP 1/4");
    app.deliberate_key(CTRL_D, "Review: 10 answers");
    app.key("w", "!1 conflict");
    // The cursor starts on the conflict, its diff beside it.
    app.wait_for("stream/kafka.yaml: diff, disk → generated");
    app.deliberate_key("w", "choose overwrite or keep for each first");
    app.key("e", "conflict → keep");
    app.deliberate("w");
    app.wait_for_all(&["Completeness", "NEEDS ATTENTION 50%"]);
    assert_eq!(
        std::fs::read_to_string(out.join("stream/kafka.yaml")).expect("kept"),
        "topics: []\n"
    );
    app.deliberate("g");
    app.wait_for_all(&["PASS 100%", "generated again"]);
    app.send("q");
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 0, "{screen}");
    assert!(std::fs::read_to_string(out.join("stream/kafka.yaml"))
        .expect("regenerated")
        .contains("platform:"));
}

#[test]
fn ctrl_c_asks_before_quitting_keeps_the_session_and_restores_the_terminal() {
    let dir = tempdir();
    let mut app = Pty::spawn(&["kafka pipeline to snowflake"], dir.path(), 90, 30);
    app.wait_for("SKILL CHAIN DETECTED FOR");
    app.key(ENTER, "STEP 1/");
    app.key(CTRL_C, "Quit now?");
    app.deliberate_key("n", "STEP 1/");
    app.key(CTRL_C, "Quit now?");
    app.deliberate("y");
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 0);
    assert!(
        words(&screen).contains(
            "Quit. No project files were written; your answers are saved: `skillchain resume` continues."
        ),
        "{screen}"
    );
    let raw = app.raw();
    assert!(raw.contains("\x1b[?1049l"), "the alternate screen is left");
    assert!(raw.contains("\x1b[?1000l"), "mouse capture is turned off");
    assert!(
        !dir.path().join("data-pipeline").exists(),
        "no project file"
    );
    // Without --out the session waits in the data dir.
    assert!(dir.path().join(".data/skillchain/session.json").is_file());
}

#[test]
fn a_resize_below_the_minimum_explains_and_a_resize_back_restores_the_screen() {
    let dir = tempdir();
    let mut app = Pty::spawn(&["kafka pipeline to snowflake"], dir.path(), 100, 30);
    app.wait_for("SKILL CHAIN DETECTED FOR");
    app.resize(50, 12);
    app.wait_for("Make the terminal at least 60×16");
    app.resize(80, 24);
    app.wait_for("SKILL CHAIN DETECTED FOR");
    app.send("q");
    assert_eq!(app.wait_exit().0, 0);
}

#[test]
fn bad_settings_stop_the_app_before_it_starts_with_what_to_fix() {
    let dir = tempdir();
    let config = dir.path().join(".config/skillchain");
    std::fs::create_dir_all(&config).expect("mkdir");
    std::fs::write(config.join("keymap.yaml"), "question:\n  skip-skil: tab\n").expect("write");
    let mut app = Pty::spawn(&["kafka"], dir.path(), 100, 30);
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 2, "{screen}");
    let path = config.join("keymap.yaml");
    assert!(
        screen.contains(&format!(
            "keymap {}: question: unknown action `skip-skil` (did you mean `skip-skill`?)",
            path.display()
        )),
        "{screen}"
    );
    std::fs::remove_file(path).expect("rm");

    let mut app = Pty::spawn(&["--theme", "drak", "kafka"], dir.path(), 100, 30);
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen.contains("theme drak: no such theme (did you mean `dark`?)"),
        "{screen}"
    );

    let mut app = Pty::spawn(&["--pack", "nope", "kafka"], dir.path(), 100, 30);
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("pack `nope` is not installed"), "{screen}");
}

#[test]
fn a_user_theme_from_the_config_dir_is_used_by_name() {
    let dir = tempdir();
    let themes = dir.path().join(".config/skillchain/themes");
    std::fs::create_dir_all(&themes).expect("mkdir");
    std::fs::write(
        themes.join("mine.yaml"),
        "extends: light\nstyles:\n  title: { fg: \"#ff0000\", bold: true }\n",
    )
    .expect("write");
    let mut app = Pty::spawn(&["--theme", "mine", "kafka pipeline"], dir.path(), 100, 30);
    app.wait_for("SKILL CHAIN DETECTED FOR");
    assert!(
        app.raw().contains("38;2;255;0;0"),
        "the title is drawn in the theme's red"
    );
    app.send("q");
    assert_eq!(app.wait_exit().0, 0);
    // A terminal that does not say it shows true colour gets the nearest
    // of the 256-colour palette.
    let mut app = Pty::spawn_env(
        &["--theme", "mine", "kafka pipeline"],
        dir.path(),
        100,
        30,
        &[("COLORTERM", None)],
    );
    app.wait_for("SKILL CHAIN DETECTED FOR");
    let raw = app.raw();
    assert!(raw.contains("38;5;196"), "the red from the palette");
    assert!(!raw.contains("38;2;"), "no 24-bit colour at all");
    app.send("q");
    assert_eq!(app.wait_exit().0, 0);
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_answers() {
    let dir = tempdir();
    let mut app = Pty::spawn(
        &["kafka pipeline to snowflake", "--out", "out"],
        dir.path(),
        100,
        30,
    );
    app.wait_for("SKILL CHAIN DETECTED FOR");
    app.key(ENTER, "STEP 1/");
    app.send(DOWN);
    app.key(ENTER, "question 2/");
    app.signal(libc::SIGTERM);
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 130, "{screen}");
    assert!(
        screen.contains("Interrupted. No project files were written; your answers are saved: `skillchain resume"),
        "{screen}"
    );
    assert!(
        app.raw().contains("\x1b[?1049l"),
        "the alternate screen is left"
    );
    assert!(dir.path().join("out/.skillchain/session.json").is_file());
}

#[test]
fn plain_mode_on_a_terminal_does_not_echo_a_secret() {
    let dir = tempdir();
    let mut app = Pty::spawn(
        &[
            "--plain",
            "--skillchains",
            &mini(),
            "--pack",
            "mini",
            "--out",
            "out",
            "kafka pipeline with dbt and a slow query in the warehouse",
        ],
        dir.path(),
        100,
        40,
    );
    app.wait_for("confirm (Enter)");
    app.send("custom\r");
    app.wait_for("blueprint (use it)");
    app.key("\r", "STEP 1/4");
    for next in ["STEP 2/4", "STEP 3/4", "STEP 4/4"] {
        app.key("skip skill\r", next);
    }
    app.wait_for("Engine?");
    app.send("\r");
    app.wait_for("Warehouse token?");
    app.send("hunter2\r");
    let s = app.wait_for("REVIEW");
    assert!(!s.contains("hunter2"), "the secret is not shown:\n{s}");
    assert!(!app.raw().contains("hunter2"), "nor ever echoed");
    app.send("quit\r");
    let _ = app.wait_exit();
}

#[test]
fn a_paste_without_bracketed_paste_stays_text_and_writes_nothing() {
    let dir = tempdir();
    let mut app = Pty::spawn(&[], dir.path(), 100, 30);
    app.wait_for("What do you want to build?");
    // One write, as a terminal without bracketed paste delivers a paste.
    app.send_burst("streaming pipeline\rfrom kafka to snowflake\rwith dbt tests\r");
    app.wait_for("│streaming pipeline from kafka to snowflake with dbt tests");
    assert!(
        !app.screen().contains("SKILL CHAIN"),
        "the paste opened nothing"
    );
    app.deliberate_key(ENTER, "SKILL CHAIN DETECTED FOR");
    // Typed ahead on the fresh chain: no defaults taken, nothing written.
    app.send_burst("sw");
    app.wait_for("was ignored: it came with other keys");
    assert!(app.screen().contains("SKILL CHAIN DETECTED FOR"));
    app.deliberate_key("s", "Review:");
    app.key("w", "Pipeline tree");
    app.send_burst("w\r");
    app.wait_for("was ignored");
    assert!(
        !dir.path().join("data-pipeline").exists(),
        "nothing written"
    );
    app.deliberate_key("w", "Completeness");
    assert!(dir.path().join("data-pipeline/README.md").is_file());
    // Written: Ctrl-C leaves at once, and says what was written.
    app.send(CTRL_C);
    let (code, screen) = app.wait_exit();
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("Wrote 45 new and 0 overwritten files to data-pipeline"),
        "{screen}"
    );
}

#[test]
fn the_goal_field_shows_its_real_cursor_and_scrolls_back_with_home_at_80x24() {
    let dir = tempdir();
    let mut app = Pty::spawn(&[], dir.path(), 80, 24);
    app.wait_for("What do you want to build?");
    let goal = "streaming pipeline from kafka to snowflake with dbt tests and a daily batch load of orders and customers";
    let (head, tail) = goal.split_at(60);
    app.type_text(tail);
    app.wait_cursor((2, 1 + tail.len() as u16));
    assert!(app.cursor().1, "the terminal cursor is on");
    // Home, then the start typed in front: the insertion point follows.
    app.send(HOME);
    app.wait_cursor((2, 1));
    app.send(head);
    app.wait_cursor((2, 61));
    // End scrolls the long goal so its end shows; Home shows its first
    // character again.
    app.send("\x1b[F");
    app.wait_for("and customers");
    assert!(!app.screen().contains("│streaming"), "scrolled sideways");
    app.send(HOME);
    app.wait_for("│streaming pipeline from");
    app.wait_cursor((2, 1));
    app.send("\x1bf");
    app.wait_cursor((2, 10));
    app.send(CTRL_U);
    app.wait_for("│ pipeline from kafka");
    app.wait_cursor((2, 1));
    app.send(CTRL_C);
    app.wait_exit();
}

/// The screen's words separated by single spaces (lines joined).
fn words(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}
