//! Customize: every skill of the pack as a checklist, with why each is in
//! or out; required skills are locked.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::session::{Command, Session, SkillChoice};
use crate::tui::action::Action;
use crate::tui::app::{Journey, MouseTargets};
use crate::tui::theme::Theme;
use crate::tui::ui::{draw_list_lines, panel, wrap};

pub fn handle(j: &mut Journey, action: Action, page: usize) -> bool {
    let choices = j.session.skill_choices();
    match action {
        Action::Toggle => {
            if let Some(c) = choices.get(j.customize.index) {
                let _ = j.session.apply(Command::ToggleSkill(c.id.clone()));
            }
            true
        }
        Action::Confirm | Action::Back => {
            let _ = j.session.apply(Command::FinishCustomize);
            true
        }
        other => j.customize.apply(other, choices.len(), page),
    }
}

/// Why a skill is in or out, true in both states: a keyword match is
/// still shown once the skill is removed ("(removed)"), and a skill added
/// back shows the match that first brought it.
fn reason(c: &SkillChoice, s: &Session) -> String {
    let matched = s
        .detection
        .scores
        .iter()
        .find(|x| x.id == c.id && x.score > 0)
        .map(|sc| {
            let words: Vec<String> = sc
                .primary
                .iter()
                .chain(sc.secondary.iter())
                .map(|w| format!("\"{w}\""))
                .collect();
            format!("matched {} (score {})", words.join(", "), sc.score)
        });
    match (c.in_chain, matched) {
        (false, Some(m)) => format!("{m} (removed)"),
        (true, Some(m)) if !c.why.contains("matched") => {
            if c.why == "chosen" || c.why.is_empty() {
                format!("{m}; added back")
            } else {
                format!("{m}; {}", c.why)
            }
        }
        _ => c.why.clone(),
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    j: &mut Journey,
    th: &Theme,
    mouse: &mut MouseTargets,
) -> usize {
    let choices = j.session.skill_choices();
    let [list_area, info] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(area);
    let text_w = list_area.width.saturating_sub(4) as usize;
    let item_lines: Vec<Vec<Line>> = choices
        .iter()
        .map(|c| {
            // Locked from the start: required, or needed by a skill in the chain.
            let needed = c.in_chain && !c.needed_by.is_empty();
            let mark = match (c.in_chain, c.locked || needed) {
                (true, true) => Span::styled("[■] ", th.dim()),
                (true, false) => Span::styled("[x] ", th.ok()),
                (false, _) => Span::styled("[ ] ", th.dim()),
            };
            let lock = if c.locked {
                "  (required)".to_string()
            } else if needed {
                format!("  (needed by {})", c.needed_by.join(", "))
            } else {
                String::new()
            };
            let mut lines = vec![Line::from(vec![
                mark,
                Span::styled(c.id.clone(), th.text()),
                Span::styled(format!("  {}{lock}", c.title), th.dim()),
            ])];
            lines.extend(
                wrap(&format!("    {}", reason(c, &j.session)), text_w, "    ")
                    .into_iter()
                    .map(|l| Line::styled(l, th.dim())),
            );
            lines
        })
        .collect();
    let block = panel("Customize the chain", th, true);
    let inner = draw_list_lines(f, list_area, block, item_lines, &mut j.customize, th, mouse);
    let detail = choices.get(j.customize.index).map(|c| {
        let mut v = vec![Line::from(vec![
            Span::styled(c.id.clone(), th.accent()),
            Span::styled(
                if c.in_chain {
                    "  in the chain"
                } else {
                    "  not in the chain"
                },
                th.text(),
            ),
        ])];
        if !c.needed_by.is_empty() {
            v.push(Line::styled(
                format!("needed by {}: remove those first", c.needed_by.join(", ")),
                th.warn(),
            ));
        } else if c.locked {
            v.push(Line::styled(
                "required: cannot be removed (its questions can still be skipped)",
                th.dim(),
            ));
        } else {
            v.push(Line::styled(
                "adding a skill brings its dependencies with it",
                th.dim(),
            ));
        }
        v
    });
    f.render_widget(
        Paragraph::new(detail.unwrap_or_default())
            .wrap(Wrap { trim: true })
            .block(panel("Selected", th, false)),
        info,
    );
    (inner.height / 2) as usize
}
