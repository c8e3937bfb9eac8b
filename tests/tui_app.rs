//! The full-screen app driven by keys: every workflow command, with the
//! exact screen content and session state after it.

#[path = "tui/harness.rs"]
mod harness;

use harness::Ui;
use ratatui::crossterm::event::Event;
use skillchain::session::{Overlay, Pending, Screen};
use skillchain::tui::Keymap;

fn q(step: usize, question: usize) -> Screen {
    Screen::Question { step, question }
}

#[test]
fn typing_a_goal_shows_live_detection_under_it() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    assert!(ui.screen().contains("Type a goal in your own words"));
    ui.type_text("kafka to snowflake");
    let s = ui.screen();
    assert!(
        s.contains("Pack       data-engineering  (trigger words: kafka, snowflake)"),
        "{s}"
    );
    assert!(
        s.contains("✓ architecting-data       +10  “snowflake”"),
        "{s}"
    );
    assert!(s.contains("✓ streaming-data          +10  “kafka”"), "{s}");
    ui.type_text(" with dbt");
    assert!(ui.screen().contains("✓ transforming-data       +10  “dbt”"));
}

#[test]
fn a_goal_of_other_software_work_says_which_word_placed_it_there() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.type_text("reduce the latency of the checkout API, p99 is 1.2s");
    let s = ui.screen();
    assert!(
        s.contains("No pack matches yet: \"api\" reads as software work other than"),
        "{s}"
    );
    assert!(s.contains("Goals that each pack understands:"), "{s}");
}

#[test]
fn a_goal_that_matches_nothing_lists_goals_each_pack_understands_and_enter_explains() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.type_text("bake a cake");
    let s = ui.screen();
    assert!(
        s.contains("No pack matches yet. Goals that each pack understands:"),
        "{s}"
    );
    assert!(s.contains("  data-engineering"), "{s}");
    ui.keys("enter");
    assert!(ui.app.journey().is_none());
    assert!(ui
        .screen()
        .contains("✗ no pack matches yet: add words like the examples below"));
}

#[test]
fn the_chain_screen_lists_what_the_goal_rules_out_as_detect_does() {
    let goal = "new bq table telemetry_derived.clients_daily_v1 with query, metadata and unit tests. bigeye got pushed to Q3";
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.type_text(goal);
    ui.keys("enter");
    assert_eq!(ui.screen_kind(), Screen::Chain);
    let s = ui.screen();
    assert!(
        s.contains("  – bigconfig-generator (excluded by \"bigeye got pushed to q3\")"),
        "{s}"
    );
    assert!(!s.contains(". bigconfig-generator"), "{s}");
    // The customize list gives the same reason, not "no keyword matched".
    ui.keys("c");
    let s = ui.screen();
    assert!(s.contains("excluded by \"bigeye got pushed to q3\""), "{s}");
}

#[test]
fn the_pack_picker_says_why_each_runner_up_is_one_as_detect_does() {
    let goal = "dq checks on the payments table: nulls, uniqueness, freshness";
    let det = skillchain::detect::detect(
        &skillchain::pack::Registry::bundled_checked().expect("bundled packs load"),
        goal,
    )
    .expect("matches");
    assert!(det.inner.ambiguous);
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.type_text(goal);
    ui.keys("enter p");
    let s = ui.screen();
    // The reason, as wrapped on screen, joined back into one line.
    let flat: String = s
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ");
    for r in &det.inner.runner_ups {
        let why = r.close_call.as_deref().expect("a runner-up has its reason");
        assert!(
            flat.contains(&format!("close call: {why}")),
            "{}: {s}",
            r.id
        );
    }
    assert!(flat.contains("which this pack offers too"), "{s}");
}

#[test]
fn the_pack_picker_scrolls_to_keep_the_selected_pack_whole_on_a_small_terminal() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.size(80, 24);
    ui.type_text("dq checks on the payments table: nulls, uniqueness, freshness");
    ui.keys("enter p");
    let top = ui.screen();
    assert!(top.contains("▶ data-orchestration"), "{top}");
    assert!(top.contains("Every pack, with the evidence"), "{top}");
    // The last pack, with its source and its words, in view.
    ui.keys("down down down down down down");
    let s = ui.screen();
    let rows: Vec<&str> = s.lines().collect();
    let at = rows
        .iter()
        .position(|l| l.starts_with("│▶ "))
        .unwrap_or_else(|| panic!("the selected pack shows: {s}"));
    assert!(
        !s.contains("Every pack, with the evidence"),
        "scrolled: {s}"
    );
    for row in &rows[at + 1..at + 3] {
        assert!(row.starts_with("│      "), "its source and words show: {s}");
    }
    ui.keys("up up up up up up");
    assert!(ui.screen().contains("Every pack, with the evidence"));
}

#[test]
fn enter_on_a_goal_opens_its_chain_and_esc_returns_to_edit_it() {
    let mut ui = Ui::with("", Some("mini"), "out", Keymap::default());
    ui.type_text("kafka pipeline with dbt");
    ui.keys("enter");
    assert_eq!(ui.screen_kind(), Screen::Chain);
    let s = ui.screen();
    assert!(
        s.contains("SKILL CHAIN DETECTED FOR: “kafka pipeline with dbt”"),
        "{s}"
    );
    assert!(s.contains("  1. base"), "{s}");
    assert!(
        s.contains("       required; dependency of stream, transform"),
        "{s}"
    );
    assert!(s.contains("  2. stream"), "{s}");
    assert!(s.contains("       matched \"kafka\" (score 10)"), "{s}");
    assert!(s.contains("Estimated ~9 min · 10 questions"), "{s}");
    ui.keys("esc");
    assert!(ui.app.journey().is_none());
    assert!(ui.screen().contains("│kafka pipeline with dbt"));
}

#[test]
fn the_blueprint_offer_can_be_dropped_and_taken_again() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    assert_eq!(ui.session().blueprint.as_deref(), Some("pipe"));
    assert!(ui
        .screen()
        .contains("Blueprint  pipe  80% confidence  ✓ in use"));
    ui.keys("x");
    assert_eq!(ui.session().blueprint, None);
    assert!(ui
        .screen()
        .contains("Blueprint  pipe  offered, not in use: the chain below is custom"));
    ui.keys("b");
    assert_eq!(ui.session().blueprint.as_deref(), Some("pipe"));
}

#[test]
fn customize_locks_required_skills_and_pulls_dependencies_in() {
    let mut ui = Ui::mini("kafka streaming");
    ui.keys("x c");
    assert_eq!(ui.screen_kind(), Screen::Customize);
    let s = ui.screen();
    assert!(s.contains("› [■] base  Base  (required)"), "{s}");
    assert!(s.contains("  [x] stream  Stream"), "{s}");
    assert!(s.contains("  [ ] transform  Transform"), "{s}");
    ui.keys("space");
    assert_eq!(
        ui.session().error.as_deref(),
        Some("base is required and cannot be removed (its questions can still be skipped)")
    );
    assert!(ui
        .screen()
        .contains("✗ base is required and cannot be removed"));
    ui.keys("down down space");
    let chain: Vec<&str> = ui.session().chain.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(chain, ["base", "stream", "transform"]);
    ui.keys("up space");
    assert_eq!(
        ui.session().error.as_deref(),
        None,
        "stream is not needed by transform (soft dependency)"
    );
    ui.keys("enter");
    assert_eq!(ui.screen_kind(), Screen::Chain);
    let chain: Vec<&str> = ui.session().chain.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(chain, ["base", "transform"]);
}

#[test]
fn a_list_answer_is_stored_typed_and_the_sidebar_moves_on() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter");
    assert_eq!(ui.current().as_deref(), Some("blueprint.size"));
    let s = ui.screen();
    assert!(
        s.contains("STEP 1/4: Pipe (quick setup)   question 1/1"),
        "{s}"
    );
    assert!(s.contains("◆ quick setup 1/1"), "{s}");
    assert!(s.contains("Default: solo  (skill default)"), "{s}");
    ui.keys("down enter");
    assert_eq!(
        ui.value("blueprint", "size"),
        ("team".into(), "typed".into())
    );
    let s = ui.screen();
    assert!(s.contains("✓ quick setup"), "{s}");
    assert!(s.contains("◆ base 1/3"), "{s}");
    assert!(s.contains("STEP 2/4: Base   question 1/3"), "{s}");
}

#[test]
fn back_crosses_skill_borders_and_shows_the_answer_given() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter");
    assert_eq!(ui.session().screen, q(1, 0));
    ui.keys("esc");
    assert_eq!(ui.current().as_deref(), Some("blueprint.size"));
    let s = ui.screen();
    assert!(
        s.contains("› (•) team"),
        "the cursor rests on the answer given:\n{s}"
    );
    assert!(s.contains("Current: team  (typed)"), "{s}");
    ui.keys("alt-left");
    assert_eq!(
        ui.screen_kind(),
        Screen::Chain,
        "back from the first question"
    );
}

#[test]
fn tab_skips_to_the_default_and_ctrl_s_skips_the_rest_of_the_skill() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter tab");
    assert_eq!(
        ui.value("blueprint", "size"),
        ("solo".into(), "skill default".into())
    );
    assert_eq!(ui.current().as_deref(), Some("base.cloud"));
    ui.keys("ctrl-s");
    assert_eq!(ui.current().as_deref(), Some("stream.platform"));
    assert_eq!(
        ui.value("base", "scale"),
        ("large".into(), "blueprint".into())
    );
    let s = ui.screen();
    assert!(s.contains("– base"), "{s}");
    assert!(s.contains("◆ stream 1/4"), "{s}");
}

#[test]
fn typed_words_in_a_text_answer_run_their_commands() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter tab tab tab");
    assert_eq!(ui.current().as_deref(), Some("base.name"));
    ui.type_text("status");
    ui.keys("enter");
    assert_eq!(ui.session().overlay, Some(Overlay::Status));
    let s = ui.screen();
    assert!(s.contains("Step 2/4   3 answered, 7 to go"), "{s}");
    assert!(s.contains("◆ Base"), "{s}");
    ui.keys("esc");
    assert_eq!(ui.session().overlay, None);
    assert_eq!(ui.current().as_deref(), Some("base.name"));
    ui.type_text("back");
    ui.keys("enter");
    assert_eq!(ui.current().as_deref(), Some("base.scale"));
    ui.keys("tab");
    ui.type_text("skip");
    ui.keys("enter");
    assert_eq!(ui.current().as_deref(), Some("stream.platform"));
    assert_eq!(
        ui.value("base", "name"),
        ("demo".into(), "skill default".into())
    );
}

#[test]
fn a_wrong_answer_shows_an_inline_error_that_never_blocks_back_or_help() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter tab tab tab");
    ui.type_text("Bad Name");
    ui.keys("enter");
    assert_eq!(ui.current().as_deref(), Some("base.name"));
    let s = ui.screen();
    assert!(
        s.contains("✗ lower-case letters and _ only"),
        "the pack's message is shown:\n{s}"
    );
    ui.keys("f1");
    assert_eq!(ui.session().overlay, Some(Overlay::Help));
    ui.keys("esc esc");
    assert_eq!(ui.current().as_deref(), Some("base.scale"));
    assert_eq!(ui.session().error, None);
}

#[test]
fn typing_clears_the_error_and_a_fixed_answer_goes_through() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter tab tab tab");
    ui.type_text("Bad");
    ui.keys("enter");
    assert!(ui.session().error.is_some());
    ui.keys("backspace backspace backspace");
    assert_eq!(ui.session().error, None);
    ui.type_text("good_name");
    ui.keys("enter");
    assert_eq!(
        ui.value("base", "name"),
        ("good_name".into(), "typed".into())
    );
}

#[test]
fn a_changed_answer_reports_which_later_answers_moved() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    // Answer everything with defaults, then change the cloud.
    ui.keys("enter ctrl-d");
    assert_eq!(ui.screen_kind(), Screen::Review);
    assert_eq!(
        ui.value("stream", "platform"),
        ("kafka".into(), "skill default".into())
    );
    ui.click_on("Which cloud: aws");
    ui.keys("enter");
    assert_eq!(ui.current().as_deref(), Some("base.cloud"));
    ui.keys("down enter");
    assert_eq!(
        ui.value("stream", "platform"),
        ("pubsub".into(), "earlier answer".into())
    );
    let s = ui.screen();
    assert_eq!(
        ui.screen_kind(),
        Screen::Review,
        "an edit returns to review"
    );
    assert!(
        s.contains("⚠ Later answers changed: “Which platform”: kafka → pubsub"),
        "{s}"
    );
    assert!(
        s.contains("Which platform: pubsub  (follows your answer to “Which cloud” (gcp))"),
        "{s}"
    );
}

#[test]
fn a_changed_answer_inside_the_flow_lists_the_moved_answers_under_the_question() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter tab tab tab tab");
    assert_eq!(ui.current().as_deref(), Some("stream.platform"));
    ui.keys("esc esc esc");
    assert_eq!(ui.current().as_deref(), Some("base.cloud"));
    ui.keys("down enter");
    let s = ui.screen();
    assert!(s.contains("Your change moved later answers"), "{s}");
    assert!(s.contains("⚠ “Which platform”: kafka → pubsub"), "{s}");
}

#[test]
fn status_and_help_overlays_open_by_key_and_close_on_any_key() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter ctrl-t");
    assert_eq!(ui.session().overlay, Some(Overlay::Status));
    let s = ui.screen();
    assert!(s.contains("Step 1/4   0 answered, 10 to go"), "{s}");
    assert!(s.contains("◆ Pipe (quick setup)"), "{s}");
    assert!(s.contains("○ Stream"), "{s}");
    ui.keys("j");
    assert_eq!(ui.session().overlay, None);
    assert_eq!(
        ui.current().as_deref(),
        Some("blueprint.size"),
        "closing moves nothing"
    );
    ui.keys("?");
    let s = ui.screen();
    assert!(s.contains("Help: keys on this screen"), "{s}");
    assert!(
        s.contains("Ctrl-S  skip skill: its remaining questions take their defaults"),
        "{s}"
    );
    assert!(
        s.contains("In a text answer, typing skip, skip skill, back, status, done, restart, help"),
        "{s}"
    );
    assert!(s.contains("? / F1  this help"), "{s}");
}

#[test]
fn help_is_generated_from_the_keymap_so_a_remapped_key_shows_there() {
    let mut keymap = Keymap::default();
    keymap
        .merge("question:\n  skip-skill: ctrl-k\n", "keymap.yaml")
        .unwrap();
    let mut ui = Ui::with("kafka pipeline with dbt", Some("mini"), "out", keymap);
    ui.keys("enter tab ctrl-k");
    assert_eq!(ui.current().as_deref(), Some("stream.platform"));
    ui.keys("f1");
    let s = ui.screen();
    assert!(s.contains("Ctrl-K  skip skill"), "{s}");
    assert!(!s.contains("Ctrl-S"), "{s}");
    ui.keys("esc");
    assert!(ui.screen().contains("Ctrl-K skip skill"), "the footer too");
}

#[test]
fn restart_asks_first_and_clears_answers_only_on_yes() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter ctrl-r");
    assert_eq!(ui.session().pending, Some(Pending::Restart));
    assert!(ui.screen().contains("Restart: every answer is cleared"));
    ui.keys("n");
    assert_eq!(ui.session().pending, None);
    assert_eq!(
        ui.value("blueprint", "size"),
        ("team".into(), "typed".into())
    );
    ui.keys("ctrl-r y");
    assert_eq!(ui.screen_kind(), Screen::Chain);
    assert_eq!(ui.session().goal, "kafka pipeline with dbt");
    assert_eq!(
        ui.value("blueprint", "size"),
        ("solo".into(), "skill default".into())
    );
}

#[test]
fn done_goes_to_review_where_enter_edits_and_returns_to_review() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter ctrl-d");
    assert_eq!(ui.screen_kind(), Screen::Review);
    let s = ui.screen();
    assert!(s.contains("Review: 10 answers, grouped by skill"), "{s}");
    assert!(s.contains("›   Team size: solo  (skill default)"), "{s}");
    assert!(s.contains("    Partitions: 6  (skill default)"), "{s}");
    ui.keys("enter");
    assert_eq!(ui.current().as_deref(), Some("blueprint.size"));
    ui.keys("down enter");
    assert_eq!(
        ui.screen_kind(),
        Screen::Review,
        "an edit returns to review"
    );
    assert!(ui.screen().contains("Team size: team  (typed)"));
}

#[test]
fn a_conflict_on_review_blocks_writing_until_a_resolution_is_chosen() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    // stream.format is the 6th question: size, cloud, scale, name, platform, format.
    ui.keys("enter tab tab tab tab tab down enter ctrl-d");
    assert_eq!(
        ui.value("stream", "format"),
        ("json".into(), "typed".into())
    );
    let s = ui.screen();
    assert!(
        s.contains("    ⚠ dbt contracts need typed events: ✗ unresolved  "),
        "{s}"
    );
    assert!(
        s.contains("      JSON events carry no schema for dbt contracts."),
        "{s}"
    );
    ui.keys("w");
    assert_eq!(ui.screen_kind(), Screen::Review);
    assert!(ui
        .screen()
        .contains("✗ resolve or accept the conflict first: “dbt contracts need typed events”"));
    // The refusal puts the cursor on the conflict's first resolution.
    assert!(
        ui.screen().contains("›       ( ) Switch to avro"),
        "{}",
        ui.screen()
    );
    ui.keys("G");
    assert!(ui.screen().contains("›       ( ) Keep both"));
    ui.keys("k enter");
    assert_eq!(
        ui.value("stream", "format"),
        ("avro".into(), "conflict resolution".into())
    );
    assert!(
        !ui.screen().contains("⚠ dbt contracts need typed events"),
        "with avro the conflict no longer holds"
    );
    ui.keys("w");
    assert_eq!(ui.screen_kind(), Screen::Tree);
}

#[test]
fn the_tree_marks_each_file_and_previews_it_then_writes_and_reports() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter ctrl-d w");
    assert_eq!(ui.screen_kind(), Screen::Tree);
    let s = ui.screen();
    assert!(s.contains("+4 new"), "{s}");
    assert!(s.contains("› ▾ base/"), "{s}");
    assert!(s.contains("    + demo.txt  new"), "{s}");
    ui.keys("down");
    assert!(
        ui.screen().contains("base/demo.txt (new)"),
        "the preview follows the cursor"
    );
    ui.keys("up left");
    assert!(
        !ui.screen().contains("demo.txt  new"),
        "a folded folder hides its files"
    );
    ui.keys("right w");
    assert_eq!(ui.screen_kind(), Screen::Report);
    let s = ui.screen();
    assert!(
        s.contains(
            "Wrote 4 new and 0 overwritten files to /tmp/scXXXXXX/mini-out (0 unchanged, 0 kept)."
        ),
        "{s}"
    );
    assert!(s.contains("✓ PASS 100% (2/2; pass at 80%)"), "{s}");
    assert!(s.contains("○ Registry  skipped"), "{s}");
    assert!(ui.out().join("base/demo.txt").is_file());
    assert!(ui.out().join(".skillchain/answers.yaml").is_file());
}

#[test]
fn a_conflicting_file_needs_a_decision_and_keep_leaves_it_untouched() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    let out = ui.dir.path().join("mini-out");
    std::fs::create_dir_all(out.join("models")).unwrap();
    std::fs::write(out.join("models/main.sql"), "select 'mine'\n").unwrap();
    ui.keys("enter ctrl-d w");
    let s = ui.screen();
    assert!(s.contains("+3 new  !1 conflict"), "{s}");
    assert!(s.contains("! main.sql  conflict: decide"), "{s}");
    ui.keys("w");
    assert_eq!(ui.screen_kind(), Screen::Tree);
    assert!(ui
        .screen()
        .contains("✗ 1 file on disk differs: choose overwrite or keep for each first"));
    // The cursor starts on the conflict.
    let s = ui.screen();
    assert!(s.contains("›   ! main.sql  conflict: decide"), "{s}");
    assert!(s.contains("models/main.sql: diff, disk → generated"), "{s}");
    assert!(s.contains("-select 'mine'"), "{s}");
    ui.keys("e");
    assert!(ui.screen().contains("! main.sql  conflict → keep"));
    ui.keys("w");
    assert_eq!(ui.screen_kind(), Screen::Report);
    assert_eq!(
        std::fs::read_to_string(out.join("models/main.sql")).unwrap(),
        "select 'mine'\n"
    );
    assert!(ui.screen().contains("(0 unchanged, 1 kept)"));
}

#[test]
fn overwrite_replaces_a_conflicting_file() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    let out = ui.dir.path().join("mini-out");
    std::fs::create_dir_all(out.join("models")).unwrap();
    std::fs::write(out.join("models/main.sql"), "select 'mine'\n").unwrap();
    ui.keys("enter ctrl-d w o");
    assert!(ui.screen().contains("! main.sql  conflict → overwrite"));
    ui.keys("w");
    assert_eq!(ui.screen_kind(), Screen::Report);
    assert_ne!(
        std::fs::read_to_string(out.join("models/main.sql")).unwrap(),
        "select 'mine'\n"
    );
}

#[test]
fn below_the_pass_mark_the_report_offers_generate_missing_which_fixes_it() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    let out = ui.dir.path().join("mini-out");
    std::fs::create_dir_all(out.join("stream")).unwrap();
    std::fs::write(out.join("stream/kafka.yaml"), "topics: []\n").unwrap();
    ui.keys("enter ctrl-d w");
    ui.click_on("kafka.yaml");
    ui.keys("e w");
    assert_eq!(ui.screen_kind(), Screen::Report);
    let s = ui.screen();
    assert!(
        s.contains("⚠ NEEDS ATTENTION 50% (1/2; pass at 80%)"),
        "{s}"
    );
    assert!(s.contains("⚠ Stream config  incomplete"), "{s}");
    assert!(
        s.contains("Below the 80% pass mark: g generate missing  c continue anyway  d details"),
        "{s}"
    );
    assert!(
        s.contains("primary skill stream"),
        "details open below the mark:\n{s}"
    );
    ui.keys("g");
    let s = ui.screen();
    assert!(s.contains("✓ PASS 100% (2/2; pass at 80%)"), "{s}");
    assert!(std::fs::read_to_string(out.join("stream/kafka.yaml"))
        .unwrap()
        .contains("platform:"));
}

#[test]
fn the_maturity_switch_recomputes_the_report() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter ctrl-d w w");
    assert!(ui.screen().contains("Maturity intermediate"));
    ui.keys("m");
    let s = ui.screen();
    assert!(s.contains("Maturity advanced"), "{s}");
    assert!(s.contains("✓ Registry  fulfilled"), "{s}");
    assert!(s.contains("✓ PASS 100% (3/3; pass at 80%)"), "{s}");
    ui.keys("m");
    assert!(ui.screen().contains("Maturity starter"));
}

#[test]
fn quitting_mid_session_asks_first_and_the_report_quits_with_its_verdict() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter q");
    assert!(ui.app.asking_quit);
    let s = ui.screen();
    // The prompt says what the exit message will say.
    assert!(
        s.contains("Quit now? No project files were written; your"),
        "{s}"
    );
    assert!(
        s.contains("saved: `skillchain resume /tmp/scXXXXXX/mini-out`"),
        "{s}"
    );
    ui.keys("n");
    assert!(!ui.app.asking_quit);
    assert_eq!(ui.app.exit, None);
    ui.keys("ctrl-c y");
    let exit = ui.app.exit.clone().expect("quit");
    let out = ui.dir.path().join("mini-out");
    assert_eq!(
        (exit.code, exit.message),
        (
            0,
            format!(
                "Quit. No project files were written; your answers are saved: `skillchain resume {}` continues.",
                out.display()
            )
        )
    );

    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter ctrl-d w w q");
    let exit = ui.app.exit.clone().expect("quit");
    assert_eq!(exit.code, 0);
    assert!(
        exit.message
            .ends_with("Report: PASS 100% (2 of 2 deliverables fulfilled, maturity intermediate)."),
        "{}",
        exit.message
    );
}

#[test]
fn events_that_change_nothing_ask_for_no_redraw() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    assert!(!ui.app.handle_event(Event::FocusGained));
    assert!(!ui.keys("z"), "an unbound key on the chain screen");
    assert!(ui.keys("enter"));
    assert!(!ui.keys("up"), "already on the first choice");
}

#[test]
fn a_click_selects_a_row_and_the_wheel_moves_the_cursor() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter tab");
    assert!(ui.click_on("( ) gcp"));
    ui.keys("enter");
    assert_eq!(ui.value("base", "cloud"), ("gcp".into(), "typed".into()));
    assert_eq!(
        ui.value("base", "scale"),
        ("large".into(), "blueprint".into())
    );
    assert!(ui.wheel(false, 70, 12), "the wheel moves the list");
    ui.keys("enter");
    assert_eq!(ui.value("base", "scale"), ("small".into(), "typed".into()));
}

#[test]
fn a_terminal_below_the_minimum_size_says_how_big_it_must_be() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.size(50, 12);
    let s = ui.screen();
    assert!(
        s.starts_with("Make the terminal at least 60×16\n(it is 50×12 now)."),
        "{s}"
    );
    ui.size(80, 24);
    assert!(ui.screen().contains("SKILL CHAIN DETECTED FOR"));
}

#[test]
fn pasted_text_lands_in_the_goal_on_one_line() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.app
        .handle_event(Event::Paste("kafka to\nsnowflake".into()));
    let s = ui.screen();
    assert!(s.contains("│kafka to snowflake"), "{s}");
    assert!(s.contains("Pack       data-engineering"), "{s}");
}

#[test]
fn secrets_are_masked_while_typed() {
    let mut ui = Ui::mini("kafka pipeline with dbt and a slow query in the warehouse");
    ui.keys("x c");
    let s = ui.screen();
    assert!(s.contains("[x] tune"), "{s}");
    ui.keys("enter enter ctrl-s ctrl-s ctrl-s");
    assert_eq!(ui.current().as_deref(), Some("tune.engine"));
    ui.keys("tab");
    assert_eq!(ui.current().as_deref(), Some("tune.token"));
    ui.type_text("hunter2");
    let s = ui.screen();
    assert!(s.contains("•••••••"), "{s}");
    assert!(!s.contains("hunter2"), "{s}");
    assert!(s.contains("secret: hidden, never saved"), "{s}");
}

#[test]
fn the_first_frame_does_not_wait_for_the_packs_and_a_given_goal_opens_once_they_load() {
    use skillchain::tui::{App, Options, Theme};
    use std::sync::Arc;
    let opts = Options {
        goal: Some("kafka pipeline with dbt".into()),
        pack: Some("mini".into()),
        ..Options::default()
    };
    let mut ui = Ui::mini("");
    ui.app = App::starting(opts, Theme::monochrome(), Keymap::default());
    let s = ui.screen();
    assert!(s.contains("│kafka pipeline with dbt"), "{s}");
    assert!(s.contains("Loading packs…"), "{s}");
    let registry =
        skillchain::pack::Registry::load(&[harness::repo().join("tests/fixtures/packs/mini")])
            .unwrap();
    ui.app.loaded(Ok(Arc::new(registry)));
    assert_eq!(ui.screen_kind(), Screen::Chain);
    assert_eq!(ui.session().pack().id(), "mini");
}

#[test]
fn an_unknown_pack_ends_the_app_with_exit_code_2_once_packs_load() {
    use skillchain::tui::{App, Options, Theme};
    use std::sync::Arc;
    let opts = Options {
        pack: Some("nope".into()),
        ..Options::default()
    };
    let mut app = App::starting(opts, Theme::monochrome(), Keymap::default());
    app.loaded(Ok(Arc::new(skillchain::pack::Registry::bundled().unwrap())));
    let exit = app.exit.expect("ends");
    assert_eq!(exit.code, 2);
    assert_eq!(
        exit.message,
        "error: --pack: pack `nope` is not installed; `skillchain list` shows the packs"
    );
}

#[test]
fn every_change_is_saved_and_a_second_start_offers_to_continue_where_it_stopped() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter tab tab");
    ui.type_text("my_name");
    ui.keys("enter");
    assert_eq!(ui.current().as_deref(), Some("stream.platform"));
    let saved = ui.dir.path().join("mini-out/.skillchain/session.json");
    assert!(saved.is_file(), "saved after the answers");
    // The terminal closes; the app starts again on the same folder.
    ui.restart_app("kafka pipeline with dbt", Some("mini"), "mini-out", false);
    assert!(matches!(
        ui.app.phase,
        skillchain::tui::app::Phase::Resume(_)
    ));
    let s = ui.screen();
    assert!(s.contains("A SAVED SESSION"), "{s}");
    assert!(s.contains("Goal       “kafka pipeline with dbt”"), "{s}");
    assert!(s.contains("4 answered, 6 to go"), "{s}");
    assert!(s.contains("  ✓ Base"), "{s}");
    assert!(s.contains("  ◆ Stream  question 1/4"), "{s}");
    for line in [
        "  Enter  continue where it stopped",
        "      r  restart this chain with its answers as defaults",
        "      d  discard",
        "      n  start a new session (replaces it)",
    ] {
        assert!(s.contains(line), "{line}:\n{s}");
    }
    ui.keys("enter");
    assert_eq!(ui.current().as_deref(), Some("stream.platform"));
    assert_eq!(
        ui.value("blueprint", "size"),
        ("team".into(), "typed".into())
    );
    assert_eq!(ui.value("base", "name"), ("my_name".into(), "typed".into()));
    // Finishing removes the saved session.
    ui.keys("ctrl-d w w");
    assert_eq!(ui.screen_kind(), Screen::Report);
    assert!(!saved.exists(), "the session ends with the write");
}

#[test]
fn restart_from_a_saved_session_keeps_its_answers_as_defaults() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter");
    ui.restart_app("", Some("mini"), "mini-out", true);
    ui.keys("r");
    assert_eq!(ui.screen_kind(), Screen::Chain);
    assert_eq!(
        ui.value("blueprint", "size"),
        ("team".into(), "saved session".into())
    );
}

#[test]
fn discarding_a_saved_session_asks_first() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter");
    let saved = ui.dir.path().join("mini-out/.skillchain/session.json");
    ui.restart_app("", Some("mini"), "mini-out", true);
    ui.keys("d");
    assert!(ui
        .screen()
        .contains("Discard this session? Its answers cannot be recovered."));
    ui.keys("x");
    assert!(saved.is_file(), "any other key keeps it");
    ui.keys("d y");
    assert!(!saved.exists());
    let exit = ui.app.exit.clone().expect("resume ends after a discard");
    assert_eq!(
        exit.message,
        format!("Discarded the session in {}.", saved.display())
    );
}

#[test]
fn a_new_session_instead_of_the_saved_one_opens_the_goal_given() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter");
    ui.restart_app("kafka pipeline with dbt", Some("mini"), "mini-out", false);
    ui.keys("n");
    assert_eq!(ui.screen_kind(), Screen::Chain);
    assert_eq!(
        ui.value("blueprint", "size"),
        ("solo".into(), "skill default".into())
    );
}

#[test]
fn resume_without_a_saved_session_ends_with_where_it_looked() {
    let mut ui = Ui::mini("");
    ui.restart_app("", Some("mini"), "mini-out", true);
    let exit = ui.app.exit.clone().expect("ends");
    assert_eq!(exit.code, 2);
    let path = ui.dir.path().join("mini-out/.skillchain/session.json");
    assert_eq!(
        exit.message,
        format!(
            "error: resume: no saved session in {}; pass the journey's output folder: skillchain resume DIR",
            path.display()
        )
    );
}

#[test]
fn a_corrupt_saved_session_is_reported_with_its_path_and_kept_aside() {
    let mut ui = Ui::mini("");
    let folder = ui.dir.path().join("mini-out/.skillchain");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("session.json"),
        "{\"skillchain_session\": 1, \"goal\": ",
    )
    .unwrap();
    ui.restart_app("", Some("mini"), "mini-out", false);
    let s = ui.screen();
    assert!(
        matches!(ui.app.phase, skillchain::tui::app::Phase::Goal(_)),
        "{s}"
    );
    assert!(s.contains("✗ "), "{s}");
    assert!(
        s.contains("session.json"),
        "the message names the file:\n{s}"
    );

    let kept: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        kept.iter().any(|n| n.starts_with("session.json.corrupt-")),
        "{kept:?}"
    );
    assert!(!folder.join("session.json").exists());
}

#[test]
fn the_readme_lists_every_keymap_context_and_action() {
    let readme = std::fs::read_to_string(harness::repo().join("README.md")).unwrap();
    for a in skillchain::tui::action::Action::ALL {
        assert!(
            readme.contains(&format!("`{}`", a.name())),
            "README misses action {}",
            a.name()
        );
    }
    for c in skillchain::tui::keymap::Context::ALL {
        assert!(
            readme.contains(&format!("`{}`", c.name())),
            "README misses context {}",
            c.name()
        );
    }
}

#[test]
fn the_pack_picker_of_a_resumed_session_lists_every_pack_with_its_evidence() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("p");
    let fresh = ui.screen();
    assert!(fresh.contains("▶ mini"), "{fresh}");
    ui.keys("p enter down enter");
    ui.restart_app("", Some("mini"), "mini-out", false);
    ui.keys("enter");
    for _ in 0..20 {
        if ui.screen_kind() == Screen::Chain {
            break;
        }
        ui.keys("esc");
    }
    assert_eq!(ui.screen_kind(), Screen::Chain);
    ui.keys("p");
    let s = ui.screen();
    assert!(
        s.contains("Every pack, with the evidence the goal gives it"),
        "{s}"
    );
    assert!(s.contains("▶ mini"), "{s}");
    assert!(s.contains("(in use)"), "{s}");
}
