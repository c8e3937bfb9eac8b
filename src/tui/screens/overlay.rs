//! The help and status overlays. Help lists the keys of the screen below
//! it straight from the keymap, plus the words that can be typed.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use crate::session::StepState;
use crate::session::TYPED_COMMANDS;
use crate::tui::app::{App, Journey};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::ui::{centered, panel, width, wrap};

pub fn help(f: &mut Frame, area: Rect, app: &App, th: &Theme, ctx: Context) {
    // From the keymap, as every screen's keys; each action described as
    // it acts on this screen.
    let rows: Vec<(String, &'static str)> = crate::tui::action::Action::ALL
        .iter()
        .filter_map(|a| {
            let keys = app.keymap.keys(ctx, *a);
            (!keys.is_empty()).then(|| {
                let shown: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
                (shown.join(" / "), a.describe_in(ctx))
            })
        })
        .collect();
    let key_w = rows
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(4)
        .min(20);
    let r = centered(area, 80, area.height);
    let text_w = (r.width as usize).saturating_sub(key_w + 4);
    let mut lines: Vec<Line> = Vec::new();
    for (k, d) in &rows {
        for (i, part) in wrap(d, text_w, "").into_iter().enumerate() {
            let key = if i == 0 { k.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{key:>key_w$}  "), th.key()),
                Span::styled(part, th.text()),
            ]));
        }
    }
    if matches!(ctx, Context::QuestionText | Context::QuestionList) {
        let words: Vec<&str> = TYPED_COMMANDS.iter().map(|(w, _)| *w).collect();
        lines.push(Line::from(""));
        for part in wrap(
            &format!(
                "In a text answer, typing {} and Enter runs that command.",
                words.join(", ")
            ),
            r.width.saturating_sub(2) as usize,
            "",
        ) {
            lines.push(Line::styled(part, th.dim()));
        }
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 80, h);
    let visible = h.saturating_sub(2) as usize;
    let max_scroll = lines.len().saturating_sub(visible);
    let scroll = app.help_scroll.min(max_scroll);
    let title = if max_scroll > 0 {
        "Help: keys on this screen (↑↓ scroll, other keys close)"
    } else {
        "Help: keys on this screen (any key closes)"
    };
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(panel(title, th, true)),
        r,
    );
}

pub fn status(f: &mut Frame, area: Rect, j: &Journey, th: &Theme) {
    let v = j.session.status();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                if v.step > 0 {
                    format!("Step {}/{}", v.step, v.total)
                } else {
                    format!("{} steps", v.total)
                },
                th.title(),
            ),
            Span::styled(
                if v.defaulted > 0 {
                    format!(
                        "   {} answered, {} took defaults unseen, {} to go",
                        v.answered, v.defaulted, v.remaining
                    )
                } else {
                    format!("   {} answered, {} to go", v.answered, v.remaining)
                },
                th.dim(),
            ),
        ]),
        Line::from(""),
    ];
    for st in &v.steps {
        let (sym, style, note) = match st.state {
            StepState::Done => ("✓", th.ok(), "done".to_string()),
            StepState::Current { index, count } => {
                ("◆", th.accent(), format!("question {index}/{count}"))
            }
            StepState::Partial { answered, count } => {
                ("◐", th.accent(), format!("{answered}/{count} answered"))
            }
            StepState::Pending => ("○", th.dim(), format!("{} questions", st.questions)),
            StepState::Skipped => ("–", th.dim(), "skipped: defaults".to_string()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{sym} "), style),
            Span::styled(format!("{:<34}", st.title), th.text()),
            Span::styled(note, th.dim()),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Any key closes this.", th.dim()));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 70, h);
    f.render_widget(Clear, r);
    f.render_widget(Paragraph::new(lines).block(panel("Status", th, true)), r);
}
