//! Snapshots of every screen, at 120×40 (normal) and 80×24 (narrow), and in
//! its error states. `INSTA_UPDATE=always cargo test --test tui_snapshots`
//! rewrites them after an intended change; review the diff before committing.

#[path = "tui/harness.rs"]
mod harness;

use harness::Ui;
use skillchain::tui::Keymap;

const SIZES: &[(&str, u16, u16)] = &[("normal", 120, 40), ("narrow", 80, 24)];

/// Snapshots the screen at both sizes.
fn snap(name: &str, ui: &mut Ui) {
    for (size, w, h) in SIZES {
        ui.size(*w, *h);
        let text = ui.screen();
        insta::assert_snapshot!(format!("{name}_{size}"), text);
    }
}

fn data_pipeline() -> Ui {
    Ui::bundled("streaming pipeline from kafka to snowflake with dbt tests")
}

#[test]
fn goal_empty() {
    snap(
        "goal_empty",
        &mut Ui::with("", None, "out", Keymap::default()),
    );
}

#[test]
fn goal_typing_with_live_detection() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.type_text("streaming pipeline from kafka to snowflake");
    snap("goal_detected", &mut ui);
}

#[test]
fn goal_error_no_match() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.type_text("bake a cake");
    ui.keys("enter");
    snap("goal_no_match", &mut ui);
}

#[test]
fn goal_with_wide_characters_and_emoji() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.type_text("kafka ストリーミング 🚀 to snowflake データ");
    snap("goal_wide", &mut ui);
}

#[test]
fn chain_with_blueprint() {
    snap("chain", &mut data_pipeline());
}

#[test]
fn chain_custom() {
    let mut ui = data_pipeline();
    ui.keys("x");
    snap("chain_custom", &mut ui);
}

#[test]
fn customize() {
    let mut ui = data_pipeline();
    ui.keys("x c down");
    snap("customize", &mut ui);
}

#[test]
fn customize_error_required_skill() {
    let mut ui = data_pipeline();
    ui.keys("x c space");
    snap("customize_error", &mut ui);
}

#[test]
fn question_choice() {
    let mut ui = data_pipeline();
    ui.keys("enter");
    snap("question_choice", &mut ui);
}

#[test]
fn question_multi_choice() {
    let mut ui = data_pipeline();
    // Quick setup (3), architecting (4), streaming (6), transforming (5) are
    // skipped by skill; the first optimizing-sql question is next, then the
    // multi-choice of physical-design techniques.
    ui.keys("enter ctrl-s ctrl-s ctrl-s ctrl-s tab space");
    snap("question_multi", &mut ui);
}

#[test]
fn question_text() {
    let mut ui = data_pipeline();
    ui.keys("enter ctrl-s");
    snap("question_text", &mut ui);
}

#[test]
fn question_text_error() {
    let mut ui = data_pipeline();
    ui.keys("enter ctrl-s");
    ui.type_text("Not A Valid Name!");
    ui.keys("enter");
    snap("question_text_error", &mut ui);
}

#[test]
fn question_with_changed_later_answers() {
    let mut ui = data_pipeline();
    ui.keys("enter tab tab tab esc esc esc down down enter");
    snap("question_changes", &mut ui);
}

#[test]
fn status_overlay() {
    let mut ui = data_pipeline();
    ui.keys("enter tab tab tab ctrl-s ctrl-t");
    snap("status", &mut ui);
}

#[test]
fn help_overlay_on_a_text_question() {
    let mut ui = data_pipeline();
    ui.keys("enter ctrl-s f1");
    snap("help_question_text", &mut ui);
}

#[test]
fn restart_confirmation() {
    let mut ui = data_pipeline();
    ui.keys("enter tab ctrl-r");
    snap("restart_confirm", &mut ui);
}

#[test]
fn quit_confirmation() {
    let mut ui = data_pipeline();
    ui.keys("enter tab q");
    snap("quit_confirm", &mut ui);
}

#[test]
fn review() {
    let mut ui = data_pipeline();
    ui.keys("enter ctrl-d");
    snap("review", &mut ui);
}

#[test]
fn review_with_an_unresolved_conflict() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter tab tab tab tab tab down enter ctrl-d w");
    snap("review_conflict", &mut ui);
}

#[test]
fn tree() {
    let mut ui = data_pipeline();
    ui.keys("enter ctrl-d w");
    snap("tree", &mut ui);
}

#[test]
fn tree_with_a_conflict_diff() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    let out = ui.dir.path().join("mini-out");
    std::fs::create_dir_all(out.join("models")).expect("mkdir");
    std::fs::write(out.join("models/main.sql"), "select 'mine'\n").expect("write");
    // The cursor starts on the conflict; `w` is refused until it is decided.
    ui.keys("enter ctrl-d w w");
    snap("tree_conflict", &mut ui);
}

#[test]
fn report_pass() {
    let mut ui = data_pipeline();
    ui.keys("enter ctrl-d w w");
    snap("report_pass", &mut ui);
}

#[test]
fn report_needs_attention_with_details() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    let out = ui.dir.path().join("mini-out");
    std::fs::create_dir_all(out.join("stream")).expect("mkdir");
    std::fs::write(out.join("stream/kafka.yaml"), "topics: []\n").expect("write");
    ui.keys("enter ctrl-d w");
    ui.click_on("kafka.yaml");
    ui.keys("e w");
    snap("report_needs_attention", &mut ui);
}

#[test]
fn terminal_too_small() {
    let mut ui = data_pipeline();
    ui.size(40, 10);
    insta::assert_snapshot!("too_small", ui.screen());
}

#[test]
fn resume_a_saved_session() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter tab");
    ui.restart_app("kafka pipeline with dbt", Some("mini"), "mini-out", false);
    snap("resume", &mut ui);
}

#[test]
fn resume_discard_confirmation() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter tab");
    ui.restart_app("", Some("mini"), "mini-out", true);
    ui.keys("d");
    snap("resume_discard", &mut ui);
}

#[test]
fn tree_while_writing() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter ctrl-d w");
    // The frame the loop draws between asking to write and writing.
    let w: skillchain::tui::keymap::Chord = "w".parse().unwrap();
    ui.wait(1000);
    ui.app.handle_event(ratatui::crossterm::event::Event::Key(
        ratatui::crossterm::event::KeyEvent::new(w.code, w.mods),
    ));
    assert!(ui.app.write_requested);
    snap("tree_writing", &mut ui);
    ui.app.run_requested_write();
    assert_eq!(ui.screen_kind(), skillchain::session::Screen::Report);
}
