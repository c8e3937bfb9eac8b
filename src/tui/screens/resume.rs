//! A saved session found at start (or asked for with `skillchain resume`):
//! what it holds, what changed in the pack since, and the choice to
//! continue it, restart its chain with its answers as defaults, discard it,
//! or start a new one.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use std::path::PathBuf;

use crate::session::{SavedSession, Session, StepState};
use crate::store;
use crate::tui::action::Action;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use crate::tui::ui::{panel, wrap};

pub struct ResumeScreen {
    pub path: PathBuf,
    pub saved: SavedSession,
    /// The session as restored against the current pack.
    pub session: Session,
    /// What no longer fits since it was saved, and preference warnings.
    pub notices: Vec<String>,
    /// "Discard?" is on screen.
    pub confirm_discard: bool,
    /// Opened by `skillchain resume`: no "new session" choice.
    pub asked_for: bool,
}

pub fn render(f: &mut Frame, area: Rect, r: &ResumeScreen, th: &Theme, keys: &Keymap) {
    let now = store::now_secs();
    let s = &r.session;
    let w = area.width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("A SAVED SESSION  ", th.title()),
            Span::styled(r.path.display().to_string(), th.dim()),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::styled("Goal       ", th.dim()),
            Span::styled(format!("“{}”", r.saved.goal), th.text()),
        ]),
        Line::from(vec![
            Span::styled("Pack       ", th.dim()),
            Span::styled(r.saved.pack.clone(), th.accent()),
            Span::styled(
                format!(
                    " {} · blueprint {} · maturity {}",
                    r.saved.pack_version,
                    s.blueprint.as_deref().unwrap_or("none"),
                    s.maturity.as_str()
                ),
                th.dim(),
            ),
        ]),
        Line::from(vec![
            Span::styled("Saved      ", th.dim()),
            Span::styled(
                format!(
                    "{} (started {})",
                    store::describe_age(now.saturating_sub(r.saved.updated)),
                    store::describe_age(now.saturating_sub(r.saved.created))
                ),
                th.text(),
            ),
        ]),
        Line::from(""),
    ];
    let v = s.status();
    lines.push(Line::styled(
        format!("{} answered, {} to go", v.answered, v.remaining),
        th.dim(),
    ));
    for st in &v.steps {
        let (sym, style, note) = match st.state {
            StepState::Done => ("✓", th.ok(), String::new()),
            StepState::Current { index, count } => {
                ("◆", th.accent(), format!("  question {index}/{count}"))
            }
            StepState::Partial { answered, count } => {
                ("◐", th.dim(), format!("  {answered}/{count} answered"))
            }
            StepState::Pending => ("○", th.dim(), String::new()),
            StepState::Skipped => ("–", th.dim(), "  skipped: defaults".to_string()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {sym} "), style),
            Span::styled(st.title.clone(), th.text()),
            Span::styled(note, th.dim()),
        ]));
    }
    if !r.notices.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("Since it was saved:", th.warn()));
        for n in &r.notices {
            for part in wrap(&format!("  ⚠ {n}"), w, "    ") {
                lines.push(Line::styled(part, th.warn()));
            }
        }
    }
    lines.push(Line::from(""));
    if r.confirm_discard {
        lines.push(Line::styled(
            "Discard this session? Its answers cannot be recovered.  y / Enter: discard   any other key: keep it",
            th.error(),
        ));
    } else {
        let mut choices = vec![
            (Action::Confirm, "continue where it stopped"),
            (
                Action::Restart,
                "restart this chain with its answers as defaults",
            ),
            (Action::Discard, "discard"),
        ];
        if !r.asked_for {
            choices.push((Action::NewSession, "start a new session (replaces it)"));
        }
        for (a, label) in choices {
            if let Some(k) = keys.key_label(Context::Resume, a) {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {k:>5}  "), th.key()),
                    Span::styled(label, th.text()),
                ]));
            }
        }
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(panel("Resume", th, true)),
        area,
    );
}
