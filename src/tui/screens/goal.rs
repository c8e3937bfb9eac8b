//! The goal: a text field with live detection under it.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use tui_textarea::{CursorMove, TextArea};

use crate::detect::{self, Detection, NoMatch};
use crate::pack::Registry;
use crate::tui::theme::Theme;
use crate::tui::ui::{panel, wrap};

pub struct GoalScreen {
    pub input: TextArea<'static>,
    /// None while the field is empty.
    pub detection: Option<Result<Detection, NoMatch>>,
    pub error: Option<String>,
    /// The packs are not loaded yet: no detection to show.
    pub loading: bool,
    /// Example goals of each pack: (id, title, examples).
    pub examples: Vec<(String, String, Vec<String>)>,
}

impl GoalScreen {
    pub fn new(goal: &str) -> GoalScreen {
        let mut input = TextArea::new(vec![goal.to_string()]);
        input.move_cursor(CursorMove::End);
        input
            .set_placeholder_text("e.g. streaming pipeline from kafka to snowflake with dbt tests");
        GoalScreen {
            input,
            detection: None,
            error: None,
            loading: true,
            examples: Vec::new(),
        }
    }

    pub fn text(&self) -> String {
        self.input.lines().join(" ")
    }

    /// Detection for the text as it is now (fast enough for every keystroke).
    pub fn detect(&mut self, registry: &Registry, only: Option<&str>) {
        let goal = self.text();
        self.error = None;
        if self.examples.is_empty() {
            self.examples = registry
                .packs
                .iter()
                .map(|p| {
                    (
                        p.manifest.id.clone(),
                        p.manifest.title.clone(),
                        p.manifest.examples.clone(),
                    )
                })
                .collect();
        }
        self.detection = if goal.trim().is_empty() {
            None
        } else {
            Some(detect::detect_with(registry, &goal, only))
        };
    }
}

pub fn render(f: &mut Frame, area: Rect, g: &mut GoalScreen, th: &Theme) {
    let [input_area, live] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    g.input
        .set_block(panel("What do you want to build?", th, true));
    g.input.set_style(th.text());
    g.input.set_cursor_line_style(th.text());
    g.input.set_placeholder_style(th.dim());
    super::field::draw(f, input_area, &g.input);
    let mut lines: Vec<Line> = Vec::new();
    match &g.detection {
        None if g.loading => {
            lines.push(Line::styled("Loading packs…", th.dim()));
        }
        None => {
            lines.push(Line::styled(
                "Type a goal in your own words; the matching skills appear here as you type.",
                th.dim(),
            ));
            lines.push(Line::from(""));
            lines.push(Line::styled("Goals that each pack understands:", th.dim()));
            example_lines(&g.examples, live.width, th, &mut lines);
        }
        Some(Ok(d)) => detection_lines(d, th, &mut lines),
        Some(Err(no)) => {
            // The reason `detect` prints, so the user knows which word
            // placed the goal elsewhere.
            let reason = no
                .elsewhere
                .as_ref()
                .map(|w| {
                    format!(
                        "\"{w}\" reads as software work other than data engineering, and the goal has too few data words."
                    )
                })
                .or_else(|| no.thin.as_ref().map(|t| format!("The goal reads as other work: {t}.")));
            match reason {
                Some(r) => {
                    lines.push(Line::styled(format!("No pack matches yet: {r}"), th.warn()));
                    lines.push(Line::styled("Goals that each pack understands:", th.dim()));
                }
                None => lines.push(Line::styled(
                    "No pack matches yet. Goals that each pack understands:",
                    th.warn(),
                )),
            }
            example_lines(&no.packs, live.width, th, &mut lines);
        }
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(panel("Live detection", th, false)),
        live,
    );
}

/// Each pack with two of its example goals.
fn example_lines<'a>(
    packs: &'a [(String, String, Vec<String>)],
    width: u16,
    th: &Theme,
    lines: &mut Vec<Line<'a>>,
) {
    let w = width.saturating_sub(2) as usize;
    for (id, title, examples) in packs {
        lines.push(Line::from(vec![
            Span::styled(format!("  {id}"), th.accent()),
            Span::styled(format!("  {title}"), th.dim()),
        ]));
        for e in examples.iter().take(2) {
            for part in wrap(&format!("      “{e}”"), w, "       ") {
                lines.push(Line::styled(part, th.text()));
            }
        }
    }
}

/// How the live panel marks a skill whose words matched but which the
/// chain leaves unasked.
const NOT_ASKED: &str = "matched, but not asked by the goal";

fn detection_lines<'a>(d: &'a Detection, th: &Theme, lines: &mut Vec<Line<'a>>) {
    let inner = &d.inner;
    let triggers = d
        .chosen()
        .map(|p| p.triggers.join(", "))
        .unwrap_or_default();
    lines.push(Line::from(vec![
        Span::styled("Pack       ", th.dim()),
        Span::styled(inner.pack.clone(), th.accent()),
        Span::styled(
            if triggers.is_empty() {
                String::new()
            } else {
                format!("  (trigger words: {triggers})")
            },
            th.dim(),
        ),
    ]));
    lines.extend(super::packs::ambiguity_line(d, th, false));
    match inner.blueprints.first() {
        Some(b) => lines.push(Line::from(vec![
            Span::styled("Blueprint  ", th.dim()),
            Span::styled(b.id.clone(), th.accent()),
            Span::styled(format!("  {}% ", b.confidence), th.text()),
            if b.offered {
                Span::styled("✓ offered", th.ok())
            } else {
                Span::styled(
                    format!(
                        "○ not offered ({})",
                        inner.blueprint_withheld().unwrap_or_default()
                    ),
                    th.dim(),
                )
            },
        ])),
        None => lines.push(Line::from(vec![
            Span::styled("Blueprint  ", th.dim()),
            Span::styled("none in this pack", th.dim()),
        ])),
    }
    lines.push(Line::styled("Skills matched so far", th.dim()));
    let mut any = false;
    // The id column fits the longest id listed, with a space before the score.
    let id_width = inner
        .scores
        .iter()
        .filter(|s| s.score > 0 || s.excluded_by.is_some())
        .map(|s| s.id.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(24);
    for s in inner.scores.iter() {
        let words: Vec<String> = s
            .primary
            .iter()
            .chain(s.secondary.iter())
            .map(|w| format!("“{w}”"))
            .collect();
        if s.score > 0 && !inner.chain.iter().any(|e| e.id == s.id) {
            // Scored but left unasked (a narrow goal on a pipeline that
            // runs): the chain screen says the same, so no ✓ here.
            any = true;
            lines.push(Line::from(vec![
                Span::styled("  ○ ", th.dim()),
                Span::styled(format!("{:<id_width$}", s.id), th.text()),
                Span::styled(format!("+{:<3} ", s.score), th.dim()),
                Span::styled(format!("{} ({NOT_ASKED})", words.join(", ")), th.dim()),
            ]));
        } else if s.score > 0 {
            any = true;
            lines.push(Line::from(vec![
                Span::styled("  ✓ ", th.ok()),
                Span::styled(format!("{:<id_width$}", s.id), th.text()),
                Span::styled(format!("+{:<3} ", s.score), th.accent()),
                Span::styled(words.join(", "), th.dim()),
            ]));
        } else if let Some(x) = &s.excluded_by {
            lines.push(Line::from(vec![
                Span::styled("  ✗ ", th.error()),
                Span::styled(format!("{:<id_width$}", s.id), th.text()),
                Span::styled(format!("excluded by “{x}”"), th.dim()),
            ]));
        }
    }
    // Skills asked because the goal asks for a new one of what the pack
    // makes ("create telemetry_derived.x_v1"), with the words that ask.
    fn makes(r: &crate::detect::Reason) -> Option<&str> {
        match r {
            crate::detect::Reason::Makes { by } => Some(by.as_str()),
            _ => None,
        }
    }
    let made_by = inner
        .chain
        .iter()
        .flat_map(|e| e.reasons.iter())
        .find_map(makes);
    let made: Vec<&str> = inner
        .chain
        .iter()
        .filter(|e| e.score == 0 && e.reasons.iter().any(|r| makes(r).is_some()))
        .map(|e| e.id.as_str())
        .collect();
    if !any && made.is_empty() {
        lines.push(Line::styled(
            "  (none yet: only required skills would run)",
            th.dim(),
        ));
    }
    if let (Some(by), false) = (made_by, made.is_empty()) {
        lines.push(Line::styled(
            format!("  + asked by “{by}”: {}", made.join(", ")),
            th.dim(),
        ));
    }
    // Words read as what runs or as a grain: why a word the user typed
    // asks for nothing.
    for note in inner.scopes.iter().filter_map(|s| s.describing()) {
        lines.push(Line::styled(format!("  · {note}"), th.dim()));
    }
    let required: Vec<&str> = inner
        .chain
        .iter()
        .filter(|e| e.score == 0 && !made.contains(&e.id.as_str()))
        .map(|e| e.id.as_str())
        .collect();
    if !required.is_empty() {
        lines.push(Line::styled(
            format!("  + required or dependencies: {}", required.join(", ")),
            th.dim(),
        ));
    }
}
