//! Screens that tell the truth and lists that behave: the goal's size cap,
//! review navigation and scrolling, customize reasons and locks, the tree's
//! footer and preview, report remedies, help wording and the light theme.

#[path = "tui/harness.rs"]
mod harness;

use harness::Ui;
use ratatui::crossterm::event::Event;
use skillchain::session::Screen;
use skillchain::tui::app::GOAL_MAX_BYTES;
use skillchain::tui::Keymap;

fn goal_text(ui: &Ui) -> String {
    match &ui.app.phase {
        skillchain::tui::app::Phase::Goal(g) => g.text(),
        _ => panic!("not on the goal screen"),
    }
}

#[test]
fn the_goal_stops_at_2_kb_from_typing_pasting_and_bursts_with_a_note() {
    let note = "the goal is limited to 2048 bytes (2 KB)";
    // Bracketed paste, a burst of keys, and typing at the cap.
    let long: String = "kafka to snowflake ".repeat(200);
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.app.handle_event(Event::Paste(long.clone()));
    assert_eq!(goal_text(&ui).len(), GOAL_MAX_BYTES);
    assert!(ui.screen().contains(note), "{}", ui.screen());
    ui.type_text("x");
    assert_eq!(goal_text(&ui).len(), GOAL_MAX_BYTES, "typing at the cap");

    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.burst_text(&long[..3000]);
    assert_eq!(goal_text(&ui).len(), GOAL_MAX_BYTES);
    assert!(ui.screen().contains(note));
    // A multi-byte character that does not fit whole is not cut.
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.app
        .handle_event(Event::Paste(format!("{}é", "a".repeat(GOAL_MAX_BYTES - 1))));
    assert_eq!(goal_text(&ui), "a".repeat(GOAL_MAX_BYTES - 1));
    // Deleting makes room again.
    ui.keys("backspace");
    ui.type_text("bc");
    assert_eq!(goal_text(&ui).len(), GOAL_MAX_BYTES);
}

/// The mini journey on review with its conflict open (stream.format json).
fn review_with_conflict() -> Ui {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter tab tab tab tab tab down enter ctrl-d");
    assert_eq!(ui.screen_kind(), Screen::Review);
    ui
}

fn cursor_line(ui: &mut Ui) -> String {
    ui.screen()
        .lines()
        .find(|l| l.contains('›'))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn review_starts_on_the_open_conflict_and_home_end_go_to_first_and_last_without_wrapping() {
    let mut ui = review_with_conflict();
    assert!(cursor_line(&mut ui).contains("( ) Switch to avro"));
    let first = "Team size: solo";
    let last = "( ) Keep both";
    for (keys, expected) in [
        ("home", first),
        ("g", first),
        ("end", last),
        ("G", last),
        ("home up", first),
        ("home k k", first),
        ("end down", last),
        ("end j j", last),
        ("home down", "Which cloud"),
        ("end up", "( ) Switch to avro"),
        ("end pgdn", last),
        ("home pgup", first),
    ] {
        ui.keys(keys);
        let line = cursor_line(&mut ui);
        assert!(line.contains(expected), "{keys}: {line}");
    }
}

#[test]
fn write_on_review_names_open_conflicts_by_title_and_goes_to_them() {
    let mut ui = review_with_conflict();
    ui.keys("home w");
    assert_eq!(ui.screen_kind(), Screen::Review);
    let s = ui.screen();
    assert!(
        s.contains("✗ resolve or accept the conflict first: “dbt contracts need typed events”"),
        "{s}"
    );
    assert!(!s.contains("json-with-dbt"), "no id: {s}");
    assert!(cursor_line(&mut ui).contains("( ) Switch to avro"));
}

/// The rows inside the review's box, between its top and bottom borders.
fn review_box(s: &str) -> Vec<String> {
    let lines: Vec<&str> = s.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains("╭ Review"))
        .expect("review box");
    let bottom = top
        + 1
        + lines[top + 1..]
            .iter()
            .position(|l| l.starts_with('╰'))
            .expect("bottom border");
    lines[top + 1..bottom]
        .iter()
        .map(|l| l.to_string())
        .collect()
}

#[test]
fn a_review_taller_than_the_screen_says_what_is_below_and_keeps_no_blank_rows() {
    // Sizes where the mini review (13 to 18 rows) does not fit, the odd
    // ones and the smallest the app draws included.
    for (w, h) in [
        (80, 18),
        (80, 16),
        (61, 17),
        (60, 16),
        (97, 19),
        (120, 19),
        (120, 20),
    ] {
        let mut ui = review_with_conflict();
        ui.size(w, h);
        ui.keys("home");
        let s = ui.screen();
        assert!(s.contains("more below ─╯"), "{w}x{h}: {s}");
        // The open conflict is on view, or the frame says it is below.
        assert!(
            s.contains("⚠ unresolved conflict below: w goes to it")
                != s.contains("dbt contracts need typed events"),
            "{w}x{h}: {s}"
        );
        ui.keys("end");
        let s = ui.screen();
        assert!(s.contains("above"), "{w}x{h}: {s}");
        assert!(!s.contains("more below"), "{w}x{h}: {s}");
        // Resolving replaces the conflict's rows (the format becomes avro,
        // which asks the schema-registry question): the list gets shorter,
        // and the view scrolls back so its last row sits on the box's last
        // row, with no blank row left where the conflict was.
        ui.keys("up enter");
        let s = ui.screen();
        assert!(
            !s.contains("⚠ dbt contracts need typed events"),
            "{w}x{h}: {s}"
        );
        assert!(s.contains("Format: avro"), "{w}x{h}: {s}");
        assert!(!s.contains("more below"), "{w}x{h}: {s}");
        // Either it all fits, from its first row, or it says what is above.
        assert!(
            s.contains("above ─╯") != s.contains("Pipe (quick setup)"),
            "{w}x{h}: {s}"
        );
        if s.contains("Pipe (quick setup)") {
            continue;
        }
        let rows = review_box(&s);
        let blank = |l: &String| l.trim_matches(|c: char| c == '│' || c == ' ').is_empty();
        assert!(!rows.iter().any(blank), "{w}x{h}: a blank row:\n{s}");
        assert!(
            rows.last()
                .is_some_and(|l| l.contains("Generate tests: yes")),
            "{w}x{h}: the last row is not at the bottom:\n{s}"
        );
        // And from the top, what is below is said again.
        ui.keys("home");
        let s = ui.screen();
        assert!(
            s.contains("Pipe (quick setup)") && s.contains("more below ─╯"),
            "{w}x{h}: {s}"
        );
        assert!(!review_box(&s).iter().any(blank), "{w}x{h}: {s}");
    }
    // Tall enough for everything once resolved: drawn from the first row,
    // nothing said to be above or below.
    let mut ui = review_with_conflict();
    ui.size(80, 22);
    ui.keys("end up enter");
    let s = ui.screen();
    assert!(s.contains("Pipe (quick setup)"), "{s}");
    assert!(!s.contains("above") && !s.contains("more below"), "{s}");
}

#[test]
fn customize_keeps_a_removed_skills_match_and_locks_needed_skills_from_the_start() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("x c");
    let s = ui.screen();
    assert!(s.contains("      matched \"kafka\" (score 10)"), "{s}");
    // stream is the second row.
    ui.keys("down space");
    let s = ui.screen();
    assert!(s.contains("[ ] stream  Stream"), "{s}");
    assert!(
        s.contains("      matched \"kafka\" (score 10) (removed)"),
        "{s}"
    );
    ui.keys("space");
    let s = ui.screen();
    assert!(s.contains("[x] stream  Stream"), "{s}");
    assert!(s.contains("      matched \"kafka\" (score 10)"), "{s}");
    assert!(!s.contains("      chosen"), "{s}");

    // Every skill that a skill in the chain needs carries the lock mark
    // before anyone tries to remove it, in every bundled pack's examples.
    for goal in [
        "streaming pipeline from kafka to snowflake with dbt tests",
        "batch ELT from postgres into bigquery with airflow",
        "add a fact table for the trip process with an incremental dbt model",
        "orchestrate a daily refresh of the sales dashboard from postgres",
    ] {
        let mut ui = Ui::bundled(goal);
        ui.keys("x c");
        ui.size(160, 200);
        let s = ui.screen();
        for c in ui.session().skill_choices() {
            if c.in_chain && !c.needed_by.is_empty() {
                let row = s
                    .lines()
                    .find(|l| l.contains(&format!("] {}  ", c.id)))
                    .unwrap_or_else(|| panic!("{goal}: no row for {}:\n{s}", c.id));
                assert!(row.contains("[■]"), "{goal}: {row}");
                assert!(
                    row.contains("(needed by") || row.contains("(required)"),
                    "{goal}: {row}"
                );
            }
        }
    }
}

fn footer(ui: &mut Ui) -> String {
    let s = ui.screen();
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len() - 2..].join("\n")
}

#[test]
fn the_tree_footer_offers_only_keys_that_act_on_the_row_under_the_cursor() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    let out = ui.dir.path().join("mini-out");
    std::fs::create_dir_all(out.join("models")).expect("mkdir");
    std::fs::write(out.join("models/main.sql"), "select 'mine'\n").expect("write");
    ui.keys("enter ctrl-d w");
    // Starts on the conflict.
    assert!(cursor_line(&mut ui).contains("! main.sql  conflict: decide"));
    let f = footer(&mut ui);
    for k in [
        "w write",
        "o overwrite",
        "e keep",
        "d diff",
        "J preview down",
        "K up",
    ] {
        assert!(f.contains(k), "conflict row: {f}");
    }
    ui.keys("home");
    let f = footer(&mut ui);
    assert!(f.contains("Enter fold/open"), "folder row: {f}");
    for k in ["o overwrite", "e keep", "d diff", "J preview"] {
        assert!(!f.contains(k), "folder row offers {k}: {f}");
    }
    ui.keys("down");
    let f = footer(&mut ui);
    assert!(f.contains("J preview down"), "new file: {f}");
    for k in ["o overwrite", "e keep", "d diff", "fold"] {
        assert!(!f.contains(k), "new file offers {k}: {f}");
    }
    // A key not offered says why instead of doing nothing.
    ui.keys("d");
    assert!(ui
        .screen()
        .contains("✗ a diff exists only for a conflicting file (on disk with other content)"));
}

#[test]
fn tree_rows_keep_their_status_and_the_preview_says_which_lines_it_shows() {
    let mut ui = Ui::bundled("streaming pipeline from kafka to snowflake with dbt tests");
    ui.keys("enter ctrl-d w");
    for (w, h) in [(60, 16), (80, 24), (120, 40)] {
        ui.size(w, h);
        let s = ui.screen();
        let rows = s
            .lines()
            .filter(|l| l.contains(" + ") || l.contains(" - ") || l.contains(" = "));
        for row in rows {
            let list_part: String = row.chars().take((w as usize) / 2).collect();
            if list_part.contains(" + ") || list_part.contains(" - ") {
                assert!(
                    list_part.contains("new") || list_part.contains("skipped"),
                    "{w}x{h}: a file row lost its status: {row}"
                );
            }
        }
        assert!(s.contains("lines 1-"), "{w}x{h}:\n{s}");
    }
    ui.size(120, 40);
    ui.keys("home");
    // .env.example: 36 lines; J scrolls by five, never past the end.
    ui.keys("J");
    assert!(ui.screen().contains("lines 6-36 of 36"), "{}", ui.screen());
    ui.keys("J J J J J J J J");
    assert!(ui.screen().contains("lines 36-36 of 36"), "{}", ui.screen());
    ui.keys("K");
    assert!(ui.screen().contains("lines 31-36 of 36"), "{}", ui.screen());
}

#[test]
fn help_on_the_chain_and_tree_never_speaks_of_a_previous_question() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("?");
    let s = ui.screen();
    assert!(!s.contains("previous question"), "{s}");
    assert!(s.contains("back to the goal, to edit it"), "{s}");
    ui.keys("esc enter ctrl-d w ?");
    let s = ui.screen();
    assert!(!s.contains("previous question"), "{s}");
    assert!(s.contains("back to the review; nothing is written"), "{s}");
    ui.keys("esc");
    // The chain footer says what `x` does.
    ui.keys("esc esc");
    let mut ui = Ui::mini("kafka pipeline with dbt");
    assert!(
        footer(&mut ui).contains("x no blueprint"),
        "{}",
        footer(&mut ui)
    );
}

#[test]
fn the_empty_goal_screen_shows_example_goals() {
    let mut ui = Ui::with("", None, "out", Keymap::default());
    let s = ui.screen();
    assert!(s.contains("Goals that each pack understands:"), "{s}");
    assert!(
        s.contains("“streaming pipeline from kafka to snowflake with dbt tests”"),
        "{s}"
    );
}

#[test]
fn a_skill_the_goal_asked_for_and_the_chain_lost_is_said_on_the_report_and_at_exit() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    // Drop the blueprint, then remove transform (matched "dbt").
    ui.keys("x c down down space enter enter ctrl-d w w");
    assert_eq!(ui.screen_kind(), Screen::Report);
    let s = ui.screen();
    assert!(
        s.contains(
            "⚠ The goal asked for transform (“dbt”), but it was removed from the chain: nothing here delivers it."
        ),
        "{s}"
    );
    ui.keys("q");
    let exit = ui.app.exit.clone().expect("quit");
    assert!(
        exit.message
            .contains("The goal asked for transform (“dbt”), but it was removed from the chain"),
        "{}",
        exit.message
    );
}

#[test]
fn generate_missing_acts_on_what_the_report_shows_even_when_it_passes() {
    // At advanced the deploy target follows the maturity to Kubernetes and
    // load tests are asked for: the tree written at intermediate lacks both.
    let mut ui = Ui::bundled("streaming pipeline from kafka to snowflake with dbt tests");
    ui.keys("enter ctrl-d w w");
    assert!(ui.screen().contains("Wrote 45 new"), "{}", ui.screen());
    ui.keys("m");
    let s = ui.screen();
    assert!(s.contains("Maturity advanced"), "{s}");
    assert!(s.contains("✗ Kubernetes manifests  missing"), "{s}");
    assert!(s.contains("✗ Load tests  missing"), "{s}");
    // No reason on screen speaks of the answers before the switch.
    assert!(!s.contains("deploy_target = compose"), "{s}");
    assert!(!s.contains("load_tests = no"), "{s}");
    assert!(
        footer(&mut ui).contains("g generate missing"),
        "{}",
        footer(&mut ui)
    );
    ui.keys("g");
    let s = ui.screen();
    assert!(!s.contains("nothing to generate"), "{s}");
    assert!(s.contains("✓ Kubernetes manifests  fulfilled"), "{s}");
    assert!(s.contains("✓ Load tests  fulfilled"), "{s}");
    assert!(s.contains("✓ PASS 100%"), "{s}");
    assert!(
        s.contains("• generated again: ") && s.contains(" files of performance-engineering"),
        "{s}"
    );
    // The exit message counts both writes.
    ui.keys("q");
    let exit = ui.app.exit.clone().expect("quit");
    assert!(exit.message.starts_with("Wrote 45 new"), "{}", exit.message);
    assert!(
        exit.message.contains("Then generated again: "),
        "{}",
        exit.message
    );
}

/// The example goal of every bundled pack at every maturity: whatever the
/// report shows as missing or incomplete, `g` acts on it (or says exactly
/// why it cannot), and a skip reason never names a value the answers no
/// longer hold.
#[test]
fn every_pack_at_every_maturity_the_report_and_generate_missing_agree() {
    for goal in [
        "streaming pipeline from kafka to snowflake with dbt tests",
        "batch ELT from postgres into bigquery with airflow",
        "add a fact table for the trip process with an incremental dbt model",
        "orchestrate a daily refresh of the sales dashboard from postgres",
        "analyze why our dbt pipeline failed last night",
    ] {
        let mut ui = Ui::bundled(goal);
        ui.keys("enter ctrl-d w w");
        assert_eq!(ui.screen_kind(), Screen::Report, "{goal}: {}", ui.screen());
        for _ in 0..3 {
            ui.keys("m");
            ui.size(160, 60);
            let s = ui.screen();
            let session = ui.session();
            // Every "(… q = v)" reason names the answer the session holds.
            for line in s.lines().filter(|l| l.contains("  skipped  (")) {
                let Some((_, tail)) = line.rsplit_once(": ") else {
                    continue;
                };
                let Some((key, value)) = tail.trim_end_matches([' ', '│', ')']).split_once(" = ")
                else {
                    continue;
                };
                let Some((step, q)) = key.split_once('.') else {
                    continue;
                };
                let held = session
                    .resolved()
                    .iter()
                    .find(|r| r.key.step == step && r.key.question == q)
                    .and_then(|r| r.value.as_ref().map(|v| v.to_string()));
                assert_eq!(held.as_deref(), Some(value), "{goal}: {line}\n{s}");
            }
            let to_fix = s
                .lines()
                .any(|l| l.contains("  missing") || l.contains("  incomplete"));
            ui.keys("g");
            let after = ui.screen();
            if to_fix {
                assert!(!after.contains("nothing to generate"), "{goal}: {after}");
                assert!(after.contains("• generated again: "), "{goal}: {after}");
                // Every file of the tree is what the answers the record now
                // holds generate: none was left with the answers before `m`.
                let plan = skillchain::generate::build_plan(ui.session(), &ui.out()).expect("plan");
                let stale: Vec<&str> = plan.conflicts().map(|f| f.path.as_str()).collect();
                assert!(stale.is_empty(), "{goal}: stale after g: {stale:?}");
            } else {
                assert!(after.contains("nothing to generate"), "{goal}: {after}");
            }
        }
    }
}

#[test]
fn the_light_theme_paints_its_background() {
    let th = skillchain::tui::Theme::built_in("light").expect("light");
    assert!(th.text().bg.is_some());
}

/// Prints keystroke-to-frame times with a goal at its 2 KB cap (the bench
/// `cargo bench --bench tui -- "2 KB"` measures the same in release):
/// `cargo test --test tui_screens -- --ignored --nocapture keystroke`.
#[test]
#[ignore = "opt-in benchmark: prints timings, asserts nothing"]
fn keystroke_time_with_a_goal_at_its_cap() {
    let mut goal = String::new();
    while goal.len() + 60 < GOAL_MAX_BYTES {
        goal.push_str("streaming pipeline from kafka to snowflake with dbt tests ");
    }
    let mut ui = Ui::with("", None, "out", Keymap::default());
    ui.app.handle_event(Event::Paste(goal));
    ui.size(200, 60);
    let mut times = Vec::new();
    for i in 0..200 {
        let t = std::time::Instant::now();
        ui.keys(if i % 2 == 0 { "x" } else { "backspace" });
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "2 KB goal, keystroke to frame at 200x60: median {:?}, p99 {:?}",
        times[100], times[198]
    );
}

/// The text inside a titled box, its rows joined by spaces (wrapped text
/// reads as one line again).
fn box_text(s: &str, title: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains(&format!("╭ {title}")))
        .unwrap_or_else(|| panic!("no box {title}:\n{s}"));
    lines[top + 1..]
        .iter()
        .take_while(|l| !l.starts_with('╰'))
        .map(|l| l.trim_matches(|c: char| c == '│' || c == ' ' || c == '›'))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn report_reasons_wrap_whole_at_every_width() {
    let mut ui = Ui::bundled("streaming pipeline from kafka to snowflake with dbt tests");
    ui.keys("enter ctrl-d w w");
    let reasons: Vec<String> = ui
        .app
        .journey()
        .and_then(|j| j.report.as_ref())
        .expect("report")
        .report
        .results
        .iter()
        .filter_map(|d| d.reason.clone())
        .collect();
    assert!(reasons.len() >= 2, "{reasons:?}");
    for w in [60u16, 61, 72, 80, 99, 120, 200] {
        ui.size(w, 60);
        let s = ui.screen();
        let text = box_text(&s, "Deliverables");
        for r in &reasons {
            assert!(text.contains(&format!("({r})")), "{w}: {r}\n{s}");
        }
        // No row of the box is cut: each ends inside the border.
        for l in s.lines() {
            assert!(!l.contains('…'), "{w}: {l}");
        }
    }
}

#[test]
fn the_sidebar_and_status_count_the_questions_that_took_their_defaults() {
    for (w, h) in [(120, 40), (80, 24), (61, 17)] {
        let mut ui = Ui::mini("kafka pipeline with dbt");
        ui.size(w, h);
        // The quick setup answered, then the rest of base left to defaults.
        ui.keys("enter enter ctrl-s");
        let v = ui.session().status();
        assert!(v.defaulted > 0 && v.answered > 0, "{v:?}");
        let s = ui.screen();
        // The sidebar is the first box of each row; each count is whole on
        // one of its lines (never split from its words).
        let side: Vec<String> = s
            .lines()
            .filter(|l| l.starts_with('│'))
            .map(|l| {
                l.chars()
                    .skip(1)
                    .take_while(|c| *c != '│')
                    .collect::<String>()
            })
            .collect();
        for want in [
            format!("{} answered", v.answered),
            format!("{} took defaults unseen", v.defaulted),
            format!("{} to go", v.remaining),
        ] {
            assert!(
                side.iter().any(|l| l.contains(&want)),
                "{w}x{h}: {want}\n{s}"
            );
        }
        ui.keys("ctrl-t");
        assert!(
            ui.screen().contains(&format!(
                "{} answered, {} took defaults unseen, {} to go",
                v.answered, v.defaulted, v.remaining
            )),
            "{w}x{h}: {}",
            ui.screen()
        );
    }
}

#[test]
fn the_chain_footer_always_offers_the_pack_picker_when_there_are_other_packs() {
    for goal in [
        "streaming pipeline from kafka to snowflake with dbt tests",
        "analyze why our dbt pipeline failed last night",
    ] {
        let mut ui = Ui::bundled(goal);
        assert_eq!(ui.screen_kind(), Screen::Chain);
        assert!(
            footer(&mut ui).contains("p pick pack"),
            "{}",
            footer(&mut ui)
        );
        ui.keys("p");
        assert!(
            ui.screen().contains("data-orchestration"),
            "{}",
            ui.screen()
        );
        // While the picker is open the footer names its keys only.
        let f = footer(&mut ui);
        assert!(f.contains("Enter switch to this pack  p close"), "{f}");
        for k in ["s all defaults", "c customize", "start", "blueprint"] {
            assert!(!f.contains(k), "the picker offers {k}: {f}");
        }
        ui.keys("s");
        assert_eq!(ui.screen_kind(), Screen::Chain, "s acted under the picker");
        ui.keys("esc");
        assert!(footer(&mut ui).contains("s all defaults"));
    }
}

#[test]
fn a_report_below_the_pass_mark_on_a_short_screen_shows_what_to_fix_and_every_remedy() {
    // The goal asks why it failed, not for a plan: three deliverables (no
    // integration plan), one incomplete without run artifacts.
    let mut ui = Ui::bundled("analyze why our dbt pipeline failed last night");
    ui.keys("s w w");
    assert_eq!(ui.screen_kind(), Screen::Report, "{}", ui.screen());
    for (w, h) in [(60, 16), (61, 17), (72, 20), (80, 24), (120, 40)] {
        ui.size(w, h);
        let s = ui.screen();
        // The list has rows, and the row on view is the one to fix.
        assert!(
            cursor_line(&mut ui).contains("⚠ Reading run artifacts  incomplete"),
            "{w}x{h}:\n{s}"
        );
        // The verdict is on view, and every remedy is said whole: in its
        // panel, or on a short screen by the footer alone.
        assert!(
            s.contains("⚠ NEEDS ATTENTION 66% (2/3; pass at 80%)"),
            "{w}x{h}:\n{s}"
        );
        let f = footer(&mut ui);
        for k in ["g generate missing", "c continue", "d details"] {
            assert!(f.contains(k), "{w}x{h}: {f}");
        }
        assert_eq!(s.contains("╭ Next"), h >= 40, "{w}x{h}:\n{s}");
        if h >= 40 {
            let next = box_text(&s, "Next");
            assert!(
                next.contains("g generate missing")
                    && next.contains("c continue anyway")
                    && next.contains("d details"),
                "{w}x{h}:\n{s}"
            );
        }
    }
    // `d` always shows something: on a short screen the details replace
    // the list, and `d` again brings the list back.
    ui.size(61, 17);
    ui.keys("d d");
    let s = ui.screen();
    assert!(s.contains("╭ Details"), "{s}");
    assert!(s.contains("primary skill reading-run-artifacts"), "{s}");
    ui.keys("d");
    assert!(!ui.screen().contains("╭ Details"), "{}", ui.screen());
}

#[test]
fn back_to_the_goal_and_on_again_keeps_the_chain_and_every_answer() {
    let mut ui = Ui::mini("kafka pipeline with dbt");
    // Drop the blueprint, answer the first base question with another
    // value, go back to the chain and on to the goal screen.
    ui.keys("x enter down enter");
    let typed: Vec<_> = skillchain::store::prefs::candidates(ui.session())
        .into_iter()
        .map(|(k, v, _)| (k, v))
        .collect();
    assert_eq!(typed.len(), 1, "{typed:?}");
    let (key, value) = typed[0].clone();
    ui.keys("esc esc");
    assert_eq!(ui.screen_kind(), Screen::Chain, "{}", ui.screen());
    ui.keys("esc");
    assert!(ui.app.journey().is_none(), "on the goal screen");
    // The same goal: the journey comes back whole.
    ui.keys("enter");
    assert_eq!(ui.screen_kind(), Screen::Chain);
    assert_eq!(ui.session().blueprint, None, "the blueprint stays dropped");
    let a = ui.session().answer(&key).expect("kept").clone();
    assert_eq!(a.value, value);
    assert_eq!(a.provenance.source, skillchain::session::Source::Typed);
    // Another goal of the same pack: the answer comes back as a default,
    // and the screen says so.
    ui.keys("esc end");
    ui.type_text(" tests");
    ui.keys("enter");
    assert_eq!(ui.screen_kind(), Screen::Chain, "{}", ui.screen());
    assert_eq!(ui.session().goal, "kafka pipeline with dbt tests");
    let r = ui
        .session()
        .resolved()
        .iter()
        .find(|r| r.key == key)
        .expect("asked")
        .clone();
    assert_eq!(r.value.as_ref(), Some(&value));
    let s = ui.screen();
    assert!(
        s.contains("• 1 answer of the previous goal kept as defaults"),
        "{s}"
    );
}

#[test]
fn a_text_question_on_a_short_screen_cuts_no_placeholder_or_hint_mid_word() {
    for (w, h) in [(60, 16), (61, 17), (72, 18), (80, 24)] {
        let mut ui =
            Ui::bundled("new bigquery table for daily user retention with tests and monitoring");
        ui.size(w, h);
        ui.keys("enter");
        let s = ui.screen();
        assert!(s.contains("Default: acme-data-prod"), "{w}x{h}:\n{s}");
        // The field says the whole placeholder or a shorter whole one.
        assert!(
            !s.contains("Enter takes the default: acme-dat│"),
            "{w}x{h}:\n{s}"
        );
        let hint = "Or type skip, skip skill, back, status, done, restart, help and Enter";
        let text = s.split_whitespace().collect::<Vec<_>>().join(" ");
        // The hint is whole or absent.
        assert!(
            text.replace("│ ", "").contains(hint) || !s.contains("Or type"),
            "{w}x{h}:\n{s}"
        );
        // An error is never pushed off the screen by the hint.
        ui.type_text("Not Valid!");
        ui.keys("enter");
        assert!(ui.screen().contains("✗ "), "{w}x{h}:\n{}", ui.screen());
    }
}

/// The preview pane's rows (inside its borders) and its title, at the
/// right of the tree screen.
fn preview_pane(s: &str) -> (String, Vec<String>) {
    let lines: Vec<Vec<char>> = s.lines().map(|l| l.chars().collect()).collect();
    let top = &lines[1];
    let Some(x0) = top.iter().skip(1).position(|&c| c == '╭').map(|p| p + 1) else {
        return (String::new(), Vec::new());
    };
    let title: String = top[x0..].iter().collect();
    let right = top.len() - 1;
    let rows = lines[2..]
        .iter()
        .take_while(|l| l.get(x0) == Some(&'│'))
        .map(|l| l[x0 + 1..right.min(l.len())].iter().collect())
        .collect();
    (title, rows)
}

#[test]
fn the_tree_preview_marks_every_line_it_cuts_at_the_pane_edge() {
    let mut ui = Ui::bundled("streaming pipeline from kafka to snowflake with dbt tests");
    ui.keys("enter ctrl-d w");
    assert_eq!(ui.screen_kind(), Screen::Tree);
    let plan = skillchain::generate::build_plan(ui.session(), &ui.out()).expect("a plan");
    // Every whole line the preview may show, tabs as it draws them.
    let whole: std::collections::HashSet<String> = plan
        .files
        .iter()
        .flat_map(|f| f.content.lines().map(|l| l.replace('\t', "    ")))
        .map(|l| l.trim_end().to_string())
        .collect();
    ui.size(80, 24);
    ui.keys("home");
    let (mut cut, mut files) = (0, 0);
    for _ in 0..plan.files.len() * 2 {
        let s = ui.screen();
        let (title, rows) = preview_pane(&s);
        // The title is whole (its closing space shows), or says it is cut.
        assert!(
            title.ends_with("─╮") || title.ends_with(" ╮"),
            "a preview title cut with no mark: {title}\n{s}"
        );
        if ["(new)", "(identical)", "(conflict)"]
            .iter()
            .any(|t| title.contains(t))
        {
            files += 1;
            for row in rows {
                if row.trim().is_empty() {
                    continue;
                }
                // Every row is a whole line, or says it is cut.
                match row.strip_suffix('…') {
                    Some(kept) => {
                        cut += 1;
                        assert!(
                            whole
                                .iter()
                                .any(|l| l.starts_with(kept) && l.len() > kept.len()),
                            "a marked row is no cut of any line: {row:?}\n{s}"
                        );
                    }
                    None => assert!(
                        whole.contains(row.trim_end()),
                        "a line cut at the pane edge with no mark: {row:?}\n{s}"
                    ),
                }
            }
        }
        ui.keys("j");
    }
    assert!(files > 20, "only {files} file previews seen");
    assert!(
        cut > 0,
        "no preview line was long enough to be cut at 80x24"
    );
}

#[test]
fn a_question_after_any_resize_draws_as_it_would_at_that_size_from_the_start() {
    let goal = "new bigquery table for daily user retention with tests and monitoring";
    let fresh = |w: u16, h: u16| {
        let mut ui = Ui::bundled(goal);
        ui.size(w, h);
        ui.keys("enter");
        ui.screen()
    };
    // Narrow enough to shorten the placeholder, then wide again, in turns.
    let sizes = [
        (60, 16),
        (120, 40),
        (61, 17),
        (72, 18),
        (100, 30),
        (60, 16),
        (80, 24),
        (160, 50),
    ];
    let mut ui = Ui::bundled(goal);
    ui.size(sizes[0].0, sizes[0].1);
    ui.keys("enter");
    for (w, h) in sizes {
        ui.size(w, h);
        let want = fresh(w, h);
        assert_eq!(ui.screen(), want, "{w}x{h}");
    }
    ui.size(120, 40);
    assert!(
        ui.screen()
            .contains("Enter takes the default: acme-data-prod"),
        "{}",
        ui.screen()
    );
}

/// After `m`, `g` regenerates a file the answers moved only while it is
/// exactly as written: a file the user edited is kept, and named.
#[test]
fn generate_missing_after_a_maturity_switch_keeps_and_names_an_edited_file() {
    let mut ui = Ui::bundled("streaming pipeline from kafka to snowflake with dbt tests");
    ui.keys("enter ctrl-d w w");
    assert!(ui.screen().contains("Wrote 45 new"), "{}", ui.screen());
    // An edit that keeps every check of its deliverable passing.
    let edited = ui.out().join("transforms/dags/data_pipeline.py");
    let mine = format!(
        "{}\n# my own note\n",
        std::fs::read_to_string(&edited).expect("read")
    );
    std::fs::write(&edited, &mine).expect("edit");
    ui.keys("m");
    ui.size(200, 60);
    ui.keys("g");
    let s = ui.screen();
    assert!(s.contains("• generated again: "), "{s}");
    assert!(
        s.contains(
            "kept as you edited them, though the answers now generate them otherwise: transforms/dags/data_pipeline.py"
        ),
        "{s}"
    );
    assert_eq!(std::fs::read_to_string(&edited).expect("read"), mine);
    let plan = skillchain::generate::build_plan(ui.session(), &ui.out()).expect("plan");
    let stale: Vec<&str> = plan.conflicts().map(|f| f.path.as_str()).collect();
    assert_eq!(stale, vec!["transforms/dags/data_pipeline.py"]);
}

/// `g` regenerates the files of the skills whose deliverables are missing,
/// but a file of those skills the user edited is theirs: it is kept byte
/// for byte and named, whatever its skill.
#[test]
fn generate_missing_keeps_an_edited_file_of_a_skill_it_regenerates() {
    let mut ui = Ui::bundled("streaming pipeline from kafka to snowflake with dbt tests");
    ui.keys("enter ctrl-d w w");
    assert!(ui.screen().contains("Wrote 45 new"), "{}", ui.screen());
    let written = skillchain::generate::build_plan(ui.session(), &ui.out()).expect("plan");
    let mine: Vec<(String, String)> = written
        .files
        .iter()
        .filter(|f| {
            f.skill == "performance-engineering"
                && f.status == skillchain::generate::FileStatus::Identical
        })
        .map(|f| {
            let path = ui.out().join(&f.path);
            let edited = format!(
                "{}\n{}\n",
                std::fs::read_to_string(&path).expect("read"),
                if f.path.ends_with(".sql") {
                    "-- mine"
                } else {
                    "# mine"
                }
            );
            std::fs::write(&path, &edited).expect("edit");
            (f.path.clone(), edited)
        })
        .collect();
    assert!(!mine.is_empty(), "performance-engineering wrote no file");
    // At advanced its load tests and manifests are missing: `g` acts on it.
    ui.keys("m");
    ui.size(240, 60);
    ui.keys("g");
    let s = ui.screen();
    assert!(s.contains("• generated again: "), "{s}");
    assert!(s.contains(" files of performance-engineering"), "{s}");
    for (path, content) in &mine {
        assert_eq!(
            &std::fs::read_to_string(ui.out().join(path)).expect("read"),
            content,
            "{path} was overwritten"
        );
        assert!(s.contains(path.as_str()), "{path} is not named:\n{s}");
    }
    assert!(s.contains("kept as you edited them"), "{s}");
    // At 80x24 the note takes more than its three lines: the cut is marked.
    ui.size(80, 24);
    let s = ui.screen();
    let hints = s
        .lines()
        .position(|l| l.contains("d details"))
        .expect("key hints");
    let last = s.lines().nth(hints - 1).expect("message line").trim_end();
    assert!(last.ends_with('…'), "{s}");
}

/// Goals nobody wrote for this test: every 25th goal of the evaluation sets.
fn sample_eval_goals() -> Vec<String> {
    let dir = harness::repo().join("tests/fixtures/detect_eval");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("eval folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut goals = Vec::new();
    for f in files {
        let items: Vec<serde_yaml::Value> =
            serde_yaml::from_str(&std::fs::read_to_string(&f).expect("read")).expect("parses");
        goals.extend(
            items
                .iter()
                .filter_map(|i| i.get("goal").and_then(|g| g.as_str()).map(str::to_string)),
        );
    }
    goals.into_iter().step_by(25).collect()
}

/// The id in a skill row of the live detection ("✓ id  +15  words") and of
/// the chain ("3. id  4 questions") is always followed by a space, however
/// long the id (`researching-documentation` once ran into its score).
#[test]
fn skill_and_pack_ids_never_run_into_the_column_after_them() {
    let mut goals = sample_eval_goals();
    goals.push(
        "research only: why did the nightly run fail? read the docs and the task logs".into(),
    );
    let mut rows = 0;
    for goal in &goals {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut ui = Ui::with("", None, "out", Keymap::default());
            ui.size(w, h);
            ui.burst_text(goal);
            let s = ui.screen();
            for line in s.lines() {
                let body = line.trim_start_matches('│').trim_start();
                if let Some(rest) = body.strip_prefix("✓ ") {
                    rows += 1;
                    let id: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
                    assert!(
                        !id.contains('+') && rest[id.len()..].starts_with(' '),
                        "{goal} at {w}x{h}: {line}"
                    );
                }
            }
            ui.keys("Enter");
            let s = ui.screen();
            if !s.contains("Chain ") {
                continue;
            }
            for line in s.lines() {
                let body = line.trim_start_matches('│').trim_start();
                let Some((n, rest)) = body.split_once(". ") else {
                    continue;
                };
                if n.parse::<u32>().is_err() {
                    continue;
                }
                rows += 1;
                let id: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
                assert!(
                    id.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                    "{goal} at {w}x{h}: {line}"
                );
            }
        }
    }
    assert!(rows > 100, "only {rows} rows checked");
}
