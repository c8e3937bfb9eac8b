//! The pack picker: every installed pack with the evidence the goal gives
//! it and the words behind it, best first. Opened from the chain screen with
//! one key (`p`); Enter switches the journey to the selected pack, Esc
//! closes. Also the one-line ambiguity notice the goal and chain screens show.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::detect::Detection;
use crate::tui::action::Action;
use crate::tui::app::{Journey, ListCursor};
use crate::tui::theme::Theme;
use crate::tui::ui::panel;

/// What a key did in the picker.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The picker state changed (or not).
    Changed(bool),
    /// Switch the journey to this pack.
    Switch(String),
}

/// Ids of the rows, in display order (the detection's own order: best first).
pub fn rows(det: &Detection) -> Vec<&str> {
    det.packs.iter().map(|p| p.id.as_str()).collect()
}

/// Opens the picker (on [`Action::Packs`]) or handles a key while it is open.
pub fn handle(j: &mut Journey, action: Action, page: usize) -> Outcome {
    let Some(cursor) = j.packs.as_mut() else {
        if action == Action::Packs {
            let current = rows(&j.det)
                .iter()
                .position(|id| *id == j.session.pack().manifest.id)
                .unwrap_or(0);
            j.packs = Some(ListCursor {
                index: current,
                offset: 0,
            });
            return Outcome::Changed(true);
        }
        return Outcome::Changed(false);
    };
    match action {
        Action::Back | Action::Packs => {
            j.packs = None;
            Outcome::Changed(true)
        }
        Action::Confirm => {
            let id = rows(&j.det).get(cursor.index).map(|s| s.to_string());
            j.packs = None;
            match id {
                Some(id) if id != j.session.pack().manifest.id => Outcome::Switch(id),
                _ => Outcome::Changed(true),
            }
        }
        other => {
            let len = j.det.packs.len();
            Outcome::Changed(cursor.apply(other, len, page))
        }
    }
}

/// Words of a pack's evidence shown beside it on the ambiguity line.
const LINE_WORDS: usize = 2;

/// `dbt-workflows (10 "dbt run")`: a pack's evidence and its strongest
/// words, as `detect --json` gives them.
fn evidence_with_words(p: &crate::detect::PackScore) -> String {
    let mut words: Vec<&crate::detect::PackWord> = p.words.iter().collect();
    words.sort_by(|a, b| b.evidence.total_cmp(&a.evidence));
    let quoted: Vec<String> = words
        .iter()
        .take(LINE_WORDS)
        .map(|w| format!("\"{}\"", w.keyword))
        .collect();
    if quoted.is_empty() {
        // A runner-up of a short goal may read its words only on its own
        // (another pack's phrase took them from the shared evidence).
        let own: Vec<String> = p
            .own_words
            .iter()
            .take(LINE_WORDS)
            .map(|w| format!("\"{w}\""))
            .collect();
        if own.is_empty() {
            format!("{} ({})", p.id, p.evidence)
        } else {
            format!("{} ({}, alone {})", p.id, p.evidence, own.join(" "))
        }
    } else {
        format!("{} ({} {})", p.id, p.evidence, quoted.join(" "))
    }
}

/// "Ambiguous  X (evidence "word") or Y (evidence "word")  p picks the pack",
/// when it is.
pub fn ambiguity_line<'a>(det: &Detection, th: &Theme, key_hint: bool) -> Option<Line<'a>> {
    let inner = &det.inner;
    if !inner.ambiguous {
        return None;
    }
    let best = det
        .chosen()
        .map_or_else(|| format!("{} (0)", inner.pack), evidence_with_words);
    let others: Vec<String> = inner.runner_ups.iter().map(evidence_with_words).collect();
    let mut spans = vec![
        Span::styled("Ambiguous  ", th.warn()),
        Span::styled(format!("{best} or {}", others.join(", ")), th.text()),
    ];
    if key_hint {
        spans.push(Span::styled("  p picks the pack", th.dim()));
    }
    Some(Line::from(spans))
}

pub fn render(f: &mut Frame, area: Rect, j: &mut Journey, th: &Theme) -> usize {
    let index = j.packs.as_ref().map_or(0, |c| c.index);
    let current = j.session.pack().manifest.id.clone();
    let mut lines: Vec<Line> = vec![
        Line::styled(
            "Every pack, with the evidence the goal gives it (best first):",
            th.dim(),
        ),
        Line::from(""),
    ];
    // The id column fits the longest pack id, with a space before the evidence.
    let id_width = j
        .det
        .packs
        .iter()
        .map(|p| p.id.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(22);
    // The rows of the selected pack's block, to keep it in view.
    let mut selected_rows = 0..0;
    for (i, p) in j.det.packs.iter().enumerate() {
        let block_start = lines.len();
        let marker = if i == index { "▶ " } else { "  " };
        let mut tags = Vec::new();
        if p.id == current {
            tags.push("in use");
        }
        if j.det.inner.runner_ups.iter().any(|r| r.id == p.id) {
            tags.push("runner-up");
        }
        let style = if i == index { th.accent() } else { th.text() };
        lines.push(Line::from(vec![
            Span::styled(marker, th.accent()),
            Span::styled(format!("{:<id_width$}", p.id), style),
            Span::styled(format!("evidence {:>5}", p.evidence), th.text()),
            Span::styled(
                if tags.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", tags.join(", "))
                },
                th.dim(),
            ),
        ]));
        let words: Vec<String> = p
            .words
            .iter()
            // No-break spaces keep a word and its evidence on one line.
            .map(|w| format!("“{}” {}", w.keyword, w.evidence).replace(' ', "\u{a0}"))
            .collect();
        lines.push(Line::styled(format!("      {}", p.source), th.dim()));
        let words = if words.is_empty() {
            "no words of the goal".to_string()
        } else {
            words.join(", ")
        };
        // Wrapped here so a long list keeps its indent under the pack.
        let width = area.width.saturating_sub(2) as usize;
        for line in crate::tui::ui::wrap(&format!("      {words}"), width, "      ") {
            lines.push(Line::styled(line, th.dim()));
        }
        // Why a runner-up is one, as `detect` prints it: "evidence 0" alone
        // does not say why a pack could serve the goal.
        if let Some(why) = j
            .det
            .inner
            .runner_ups
            .iter()
            .find(|r| r.id == p.id)
            .and_then(|r| r.close_call.as_deref())
        {
            for line in crate::tui::ui::wrap(&format!("      close call: {why}"), width, "        ")
            {
                lines.push(Line::styled(line, th.dim()));
            }
        }
        if i == index {
            selected_rows = block_start..lines.len();
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "Enter switches to the selected pack · Esc or p closes",
        th.dim(),
    ));
    let height = area.height.saturating_sub(2);
    // A small terminal scrolls so the whole selected pack shows, from its
    // first row when it is taller than the panel.
    let offset = selected_rows
        .end
        .saturating_sub(usize::from(height))
        .min(selected_rows.start);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(offset).unwrap_or(u16::MAX), 0))
            .block(panel("Pick a pack", th, true)),
        area,
    );
    height as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::detect;
    use crate::pack::Registry;

    /// Every number and word on the ambiguity line comes out of the
    /// detection (`detect --json`): for each ambiguous goal of the
    /// evaluation sets, the line names the chosen pack and every runner-up
    /// with its evidence and strongest word.
    #[test]
    fn the_ambiguity_line_shows_each_packs_evidence_and_words_from_the_detection() {
        let registry = Registry::bundled_checked().expect("bundled packs load");
        let th = Theme::dark();
        let mut seen = 0;
        for file in ["goals.yaml", "heldout.yaml", "heldout2.yaml"] {
            let path = format!(
                "{}/tests/fixtures/detect_eval/{file}",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = std::fs::read_to_string(&path).expect("eval file reads");
            let cases: Vec<serde_yaml::Value> = serde_yaml::from_str(&text).expect("parses");
            for c in cases {
                let Some(goal) = c.get("goal").and_then(|g| g.as_str()) else {
                    continue;
                };
                let Ok(det) = detect(&registry, goal) else {
                    continue;
                };
                let line = ambiguity_line(&det, &th, false);
                assert_eq!(line.is_some(), det.inner.ambiguous, "{goal}");
                let Some(line) = line else { continue };
                seen += 1;
                let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                let best = det.chosen();
                for p in best.into_iter().chain(det.inner.runner_ups.iter()) {
                    assert!(
                        text.contains(&format!("{} ({}", p.id, p.evidence)),
                        "{goal}: {text}"
                    );
                    let top = p.words.iter().map(|w| w.evidence).fold(0.0, f64::max);
                    if !p.words.is_empty() {
                        assert!(
                            p.words
                                .iter()
                                .filter(|w| w.evidence == top)
                                .any(|w| text.contains(&format!("\"{}\"", w.keyword))),
                            "{goal}: {text}"
                        );
                    }
                }
            }
        }
        assert!(seen >= 20, "only {seen} ambiguous goals");
    }
}
