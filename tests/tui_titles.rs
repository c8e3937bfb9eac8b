//! Panel titles never lose their end silently: a title wider than its
//! panel ends in "…". Checked on every frame of seeded random walks through
//! the bundled packs' journeys (questions of every kind, review, tree,
//! report, help and status overlays), each frame drawn at several sizes.

#[path = "tui/harness.rs"]
mod harness;

use harness::Ui;

/// The panel tops on a screen whose title touches the right corner with a
/// letter: ratatui cut it without a mark.
fn cut_titles(screen: &str) -> Vec<String> {
    let mut cut = Vec::new();
    for line in screen.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != '╭' {
                i += 1;
                continue;
            }
            let Some(end) = chars[i..].iter().position(|&c| c == '╮').map(|p| p + i) else {
                break;
            };
            let inside: String = chars[i + 1..end].iter().collect();
            let last = chars[end - 1];
            // A title sits between the corners as " Title ───"; when it
            // fills the whole top, its last visible character is the one
            // before the right corner.
            if end > i + 1 && !matches!(last, '─' | ' ' | '…') {
                cut.push(format!("╭{inside}╮"));
            }
            i = end + 1;
        }
    }
    cut
}

#[test]
fn the_check_itself_tells_a_cut_title_from_a_whole_one() {
    assert!(cut_titles("╭ Review ─────╮\n│ x │\n").is_empty());
    assert!(cut_titles("╭ Review: 12 answers ╮").is_empty());
    assert!(cut_titles("╭ Review: 12 ans… ╮").is_empty());
    assert_eq!(cut_titles("╭ Review: 12 answ╮"), ["╭ Review: 12 answ╮"]);
    assert_eq!(
        cut_titles("╭ A ──╮ ╭ Remember answers as def╮"),
        ["╭ Remember answers as def╮"]
    );
}

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const GOALS: &[&str] = &[
    "streaming pipeline from kafka to snowflake with dbt tests",
    "orchestrate nightly ingestion with airflow, retries and slack alerts",
    "dbt models on snowflake with tests and docs",
    "new derived bigquery table with unit tests and bigeye monitoring",
    "why did the finance pipeline get slower last week, lineage and run history",
];

/// Keys a user presses on the way through a journey; never quit.
const KEYS: &[&str] = &[
    "enter",
    "enter",
    "enter",
    "enter",
    "enter",
    "enter",
    "down",
    "up",
    "tab",
    "space",
    "?",
    "esc",
    "ctrl-s",
    "ctrl-d",
    "s",
    "pagedown",
    "right",
    "left",
    "backspace",
    "x",
    "1",
    "g",
    "w",
    "w",
];

#[test]
fn no_panel_title_is_cut_without_a_mark_on_any_screen_at_any_size() {
    let walks: u64 = std::env::var("SKILLCHAIN_TITLE_WALKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let sizes: &[(u16, u16)] = &[(60, 16), (67, 24), (80, 24)];
    let mut seen_screens = std::collections::BTreeSet::new();
    for seed in 1..=walks {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let goal = GOALS[(seed as usize) % GOALS.len()];
        let mut ui = Ui::bundled(goal);
        for step in 0..100 {
            let key = rng.pick(KEYS);
            ui.keys(key);
            if ui.app.exit.is_some() {
                break;
            }
            match ui.app.session() {
                Some(s) => seen_screens.insert(format!("{:?}", s.screen)),
                None => seen_screens.insert("Goal".to_string()),
            };
            for &(w, h) in sizes {
                ui.size(w, h);
                let screen = ui.screen();
                let cut = cut_titles(&screen);
                assert!(
                    cut.is_empty(),
                    "seed {seed}, step {step} (key {key}), {w}x{h}: titles cut without a mark: {cut:?}\n{screen}"
                );
            }
            ui.size(120, 40);
        }
    }
    // The walks must reach past the chain, or they prove little.
    eprintln!("screens reached: {seen_screens:?}");
    for screen in ["Chain", "Question", "Review", "Tree", "Report"] {
        assert!(
            seen_screens.iter().any(|s| s.starts_with(screen)),
            "no walk reached {screen}: {seen_screens:?}"
        );
    }
}
