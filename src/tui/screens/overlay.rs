//! The help and status overlays. Help lists the keys of the screen below
//! it straight from the keymap, plus the words that can be typed.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::session::StepState;
use crate::session::TYPED_COMMANDS;
use crate::tui::app::{App, Journey};
use crate::tui::keymap::Context;
use crate::tui::theme::Theme;
use crate::tui::ui::{centered, panel};

pub fn help(f: &mut Frame, area: Rect, app: &App, th: &Theme, ctx: Context) {
    let rows = app.keymap.help_rows(ctx);
    let key_w = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(4);
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(k, d)| {
            Line::from(vec![
                Span::styled(format!("{k:>key_w$}  "), th.key()),
                Span::styled(d.to_string(), th.text()),
            ])
        })
        .collect();
    if matches!(ctx, Context::QuestionText | Context::QuestionList) {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            "In a text answer, type a word and press Enter:",
            th.dim(),
        ));
        for (w, d) in TYPED_COMMANDS {
            lines.push(Line::from(vec![
                Span::styled(format!("{w:>key_w$}  "), th.key()),
                Span::styled(d.to_string(), th.text()),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Any key closes this help.", th.dim()));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 76, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(panel("Help: keys on this screen", th, true)),
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
                format!("   {} answered, {} to go", v.answered, v.remaining),
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
